"""Shared pieces of the readers: sources, bounded reading with hashing, gzip sniffing, error reasons."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import logging
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from newsline.clean.encodings import SAMPLE, wide_encoding
from newsline.records import ContentType, RawDocument

log = logging.getLogger(__name__)

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
# How far readers look into a stream of unknown format to decide what it is.
SNIFF_BYTES = 1 << 16


class NotRegularFile(OSError):
    """A path that is a named pipe, a device or a socket: opening or reading it could block or never end."""


_KINDS = ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
          (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "directory"))


def _check_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "special file")
    raise NotRegularFile(f"not a regular file ({kind})")


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, only when it is a regular file (symlinks followed).

    A FIFO blocks on open and `/dev/zero` never ends, so the type is checked with stat before opening, and
    again on the opened descriptor (opened non-blocking) in case the path was swapped in between.
    """
    _check_regular(os.stat(path).st_mode)
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX; elsewhere there are no FIFOs to block on
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        _check_regular(os.fstat(fd).st_mode)
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# lone surrogates: what os.fsdecode makes of file-name bytes that are not UTF-8 (\udc80-\udcff), and what
# a JSON string may spell out with \ud800-\udfff escapes; neither can be encoded as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(m: re.Match) -> str:
    code = ord(m.group())
    # an undecodable file-name byte reads back as that byte; any other surrogate as its code point
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def valid_text(value: str) -> str:
    """`value` as valid Unicode text: lone surrogates spelled out as backslash escapes (`bad\\xff`).

    Deterministic, so an id derived from a file name is the same on every run.
    """
    return _SURROGATE.sub(_escape_surrogate, value) if _SURROGATE.search(value) else value


class TruncatedInput(RuntimeError):
    """A container (gzip, WARC) ended in the middle of a record.

    Deliberately not an EOFError/OSError: warcio and other libraries swallow EOFError as "end of input",
    and a silently shortened archive is exactly what must be reported.
    """


class IdRegistry:
    """The ids given out so far while reading one listing of inputs (one run).

    A JSONL record names its own id, so two dumps (or one) may repeat an id; stored under one key, the
    later record would replace the earlier and every re-run would flip between them. A repeated id is
    instead qualified with its file's id (`<file id>/<id>`), deterministically: the same inputs give the
    same ids on every run.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, doc_id: str) -> None:
        self._taken.add(doc_id)

    def unique(self, doc_id: str, file_id: str, line_no: int) -> str:
        candidates = (doc_id, f"{file_id}/{doc_id}", f"{file_id}/{doc_id}#{line_no}")
        chosen = next((c for c in candidates if c not in self._taken), candidates[-1])
        if chosen != doc_id:
            log.warning("%s line %d: the id %r is taken by an earlier document of this run; stored as %r",
                        file_id, line_no, doc_id, chosen)
        self._taken.add(chosen)
        return chosen


@dataclass(slots=True, frozen=True)
class Source:
    """One input to read: a file (`path`), or stdin (`path` None).

    `file_id` is the id documents from this source derive from (relative path without extension);
    `fmt` is the format the extension promises (None: sniff the content); `error` is set when the source
    could not even be listed (unreadable folder), so it is reported as a failed document. `file_id` and
    `uri` are valid text even when the file name is not (see `valid_text`); `path` is the name as it is.
    """

    path: Path | None
    file_id: str
    uri: str
    fmt: str | None = None
    error: str | None = None
    size: int | None = None  # the file's size once opened (None for stdin and compressed files)
    ids: IdRegistry | None = field(default=None, compare=False)  # shared by the sources of one listing

    def open(self) -> BinaryIO:
        if self.path is None:
            return _Unclosable(sys.stdin.buffer)
        return open_regular(self.path)  # the reader closes it when its generator ends


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


def is_compressed(stream: BinaryIO) -> bool:
    """Whether `stream` (from `decompressed`) decompresses gzip data."""
    return isinstance(getattr(stream, "raw", None), _GzipStream)


class _Utf8Raw(io.RawIOBase):
    """UTF-8 bytes of a UTF-16/32 stream, decoded as it is read (a JSONL dump saved by a Windows tool)."""

    def __init__(self, stream: BinaryIO, codec: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._stream.read(CHUNK)
            self._pending = self._decoder.decode(chunk, final=not chunk).encode("utf-8", errors="replace")
            if not chunk:
                break
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._stream.close()
        super().close()


def as_utf8(stream: BinaryIO) -> BinaryIO:
    """`stream`, transcoded to UTF-8 when it is UTF-16/32 text (see `wide_encoding`)."""
    head = read_head(stream, SAMPLE, until=b"\n")  # the first line is enough: a pipe is read as it comes
    stream = rewound(head, stream)
    codec = wide_encoding(head)
    return stream if codec is None else io.BufferedReader(_Utf8Raw(stream, codec), buffer_size=CHUNK)


@dataclass(slots=True)
class Bounded:
    """What `read_bounded` read: `data` (None when over the limit), sha256 and size of everything read."""

    data: bytes | None
    sha256: str
    size: int
    error: str | None = None


def read_bounded(stream: BinaryIO, max_bytes: int, size: int | None = None, known_size: int | None = None) -> Bounded:
    """Read `stream`, keeping at most `max_bytes` in memory.

    An open-ended stream (`size` None: a file, stdin, a decompressed stream) is read up to `max_bytes` + 1
    bytes and no further, so a gzip bomb or an endless pipe costs at most the limit; the hash of that prefix
    is stable, so a too-large document is skipped, not re-read, on the next run. A WARC record block
    (`size` given) is consumed to its end, hashing what is not kept, so the archive stays in step.
    `known_size` (the file's size from stat) only makes the too-large reason exact. Read errors end the read
    with `error` set.
    """
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    error = None
    end = size if size is not None else max_bytes + 1
    try:
        while total < end:
            chunk = stream.read(min(CHUNK, end - total))
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
        error = too_large(total if size is not None else known_size, max_bytes)
    return Bounded(data, digest.hexdigest(), total, error)


def too_large(size: int | None, max_bytes: int) -> str:
    """The reason for a document over the limit; `size` None when it is only known to be larger."""
    if size is None or size <= max_bytes:
        return f"document too large (over the {max_bytes / 1e6:.1f} MB limit)"
    return f"document too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit)"


def describe_read_error(exc: BaseException) -> str:
    """A reason a user understands, for the failures of reading files and compressed streams."""
    if isinstance(exc, TruncatedInput | NotRegularFile):
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
