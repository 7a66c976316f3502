"""Shared pieces of the readers: sources, bounded reading with hashing, gzip sniffing, error reasons."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsline.records import ContentType, RawDocument

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
# How far readers look into a stream of unknown format to decide what it is.
SNIFF_BYTES = 1 << 16


class TruncatedInput(RuntimeError):
    """A container (gzip, WARC) ended in the middle of a record.

    Deliberately not an EOFError/OSError: warcio and other libraries swallow EOFError as "end of input",
    and a silently shortened archive is exactly what must be reported.
    """


@dataclass(slots=True, frozen=True)
class Source:
    """One input to read: a file (`path`), or stdin (`path` None).

    `file_id` is the id documents from this source derive from (relative path without extension);
    `fmt` is the format the extension promises (None: sniff the content); `error` is set when the source
    could not even be listed (unreadable folder), so it is reported as a failed document.
    """

    path: Path | None
    file_id: str
    uri: str
    fmt: str | None = None
    error: str | None = None

    def open(self) -> BinaryIO:
        if self.path is None:
            return _Unclosable(sys.stdin.buffer)
        return open(self.path, "rb")  # noqa: SIM115 - the reader closes it when its generator ends


class _Unclosable(io.RawIOBase):
    """stdin must stay open after a reader is done with it (the interpreter owns it)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self._stream.read1(len(b)) if hasattr(self._stream, "read1") else self._stream.read(len(b))
        b[: len(data)] = data
        return len(data)


class _ChainRaw(io.RawIOBase):
    """`head` bytes already read for sniffing, then the rest of the stream: sniffing without seeking."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if len(self._head):
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        # read1 returns what is available: a JSONL stream on a pipe is processed as lines arrive
        data = self._rest.read1(len(b)) if hasattr(self._rest, "read1") else self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


def read_head(stream: BinaryIO, size: int, until: bytes | None = None) -> bytes:
    """Up to `size` bytes from the start of `stream` (stopping early once `until` has been seen)."""
    buf = b""
    while len(buf) < size:
        chunk = stream.read1(size - len(buf)) if hasattr(stream, "read1") else stream.read(size - len(buf))
        if not chunk:
            break
        buf += chunk
        if until is not None and until in buf:
            break
    return buf


def rewound(head: bytes, rest: BinaryIO) -> io.BufferedReader:
    return io.BufferedReader(_ChainRaw(head, rest), buffer_size=CHUNK)


class _GzipStream(io.RawIOBase):
    """Decompressed view of a (multi-member) gzip stream whose truncation raises TruncatedInput."""

    def __init__(self, compressed: BinaryIO) -> None:
        self._gz = gzip.GzipFile(fileobj=compressed, mode="rb")
        self._compressed = compressed

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        try:
            data = self._gz.read1(len(b))
        except EOFError as exc:
            raise TruncatedInput(f"truncated gzip: {str(exc).rstrip('.').lower()}") from exc
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise TruncatedInput(f"corrupt gzip: {exc}") from exc
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gz.close()
        self._compressed.close()
        super().close()


def decompressed(stream: BinaryIO) -> io.BufferedReader:
    """`stream` itself, or its decompressed content when it starts with the gzip magic number.

    Sniffed rather than trusted from the `.gz` extension: a `.txt` may be gzip data and a `.gz` may already
    have been decompressed by an HTTP client.
    """
    head = read_head(stream, 2)
    chained = rewound(head, stream)
    if head == GZIP_MAGIC:
        return io.BufferedReader(_GzipStream(chained), buffer_size=CHUNK)
    return chained


@dataclass(slots=True)
class Bounded:
    """What `read_bounded` read: `data` (None when over the limit), sha256 and size of everything read."""

    data: bytes | None
    sha256: str
    size: int
    error: str | None = None


def read_bounded(stream: BinaryIO, max_bytes: int, size: int | None = None) -> Bounded:
    """Read `stream` to its end (or `size` bytes), keeping at most `max_bytes` in memory.

    The whole stream is hashed even when it is too large, so that a too-large document has a stable content
    hash and is skipped, not re-read, on the next run. Read errors end the read with `error` set.
    """
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    error = None
    try:
        while size is None or total < size:
            want = CHUNK if size is None else min(CHUNK, size - total)
            chunk = stream.read(want)
            if not chunk:
                break
            digest.update(chunk)
            total += len(chunk)
            if total <= max_bytes:
                parts.append(chunk)
            elif parts:
                parts = []  # over the limit: stop holding the content, keep hashing
    except Exception as exc:  # any read failure is a property of this input, not a crash of the run
        error = describe_read_error(exc)
    data = b"".join(parts) if total <= max_bytes else None
    if data is None and error is None:
        error = too_large(total, max_bytes)
    return Bounded(data, digest.hexdigest(), total, error)


def too_large(size: int, max_bytes: int) -> str:
    return f"document too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit)"


def describe_read_error(exc: BaseException) -> str:
    """A reason a user understands, for the failures of reading files and compressed streams."""
    if isinstance(exc, TruncatedInput):
        return str(exc)
    if isinstance(exc, EOFError):
        return "truncated gzip: compressed data ended before the end-of-stream marker"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"corrupt gzip: {exc}"
    if isinstance(exc, PermissionError):
        return "unreadable file: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "unreadable file: no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "unreadable file: is a directory"
    if isinstance(exc, OSError):
        return f"unreadable file: {exc.strerror or exc}"
    return f"unreadable input: {type(exc).__name__}: {exc}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document(doc_id: str, uri: str, content: bytes, content_type: ContentType, **kw) -> RawDocument:
    """A RawDocument with its content hash set (the store's idempotence key)."""
    return RawDocument(id=doc_id, uri=uri, content=content, content_type=content_type,
                       content_hash=sha256(content), **kw)


def failed(doc_id: str, uri: str, reason: str, content_hash: str = "") -> RawDocument:
    """A document the reader could not produce. An empty `content_hash` means "retry on the next run"."""
    return RawDocument(id=doc_id, uri=uri, content=b"", error=reason, content_hash=content_hash)
