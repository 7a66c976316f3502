"""Stage 1, ingest: paths (files, folders, `-` for stdin) -> a lazy stream of RawDocument.

    for doc in iter_documents(["corpus/", "dump.jsonl.gz", "crawl.warc.gz"]):
        ...

Readers are generators that hold one document at a time (a 10 GB JSONL or WARC streams), set
`content_hash` (sha256 of the content bytes), and never raise for bad input: a document that cannot be
read comes out with `error` set and a reason, and the run goes on.

Ids: a file's id is its path relative to the folder given, without extension (`sub/000_7c77`); a file
given directly has its stem; a JSONL line has its `id` field, else `<file id>#<line no>`; a WARC record is
`<file id>#<record id>`. A JSONL id already taken in the run becomes `<file id>/<id>` (stable across runs).
Ids and uris are valid UTF-8 text: bytes of a file name that are not UTF-8 read `\\xff`.

Hostile input is bounded here: only regular files are opened (a FIFO or a device fails as "not a regular
file" instead of blocking or never ending), a single document is read no further than `max_bytes` + 1
bytes, JSON nested too deeply fails its line, JSONL fields are checked (see `newsline.clean.fields`), and
UTF-16/32 JSONL is transcoded as it is read.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsline.ingest.common import (
    SNIFF_BYTES,
    IdRegistry,
    Source,
    as_utf8,
    decompressed,
    describe_read_error,
    failed,
    is_compressed,
    read_head,
    rewound,
    valid_text,
)
from newsline.ingest.jsonl import read_jsonl
from newsline.ingest.single import read_single
from newsline.ingest.warc import read_warc
from newsline.limits import MAX_BYTES
from newsline.records import RawDocument

log = logging.getLogger(__name__)

__all__ = ["Source", "check_inputs", "InputNotFound", "iter_documents", "iter_sources", "read_source", "count_sources", "FORMATS",
           "READERS", "InputFormat"]

Reader = Callable[[BinaryIO, Source, int], Iterator[RawDocument]]


@dataclass(frozen=True, slots=True)
class InputFormat:
    """A reader and the file extensions it takes (`.gz` on top of any of them is decompressed first)."""

    read: Reader
    extensions: tuple[str, ...] = ()


# THE READER REGISTRY: an input format is one module with its reader plus one line here. "unknown" (no known
# extension, stdin) is sniffed from the content.
READERS: dict[str, InputFormat] = {
    "text": InputFormat(read_single, (".txt", ".text")),
    "html": InputFormat(read_single, (".html", ".htm", ".xhtml")),
    "jsonl": InputFormat(read_jsonl, (".jsonl", ".ndjson")),
    "warc": InputFormat(read_warc, (".warc",)),
    "unknown": InputFormat(read_single),
}
# extension -> format, derived from the registry
FORMATS = {ext: name for name, fmt in READERS.items() for ext in fmt.extensions}


class InputNotFound(ValueError, FileNotFoundError):
    """A path given to a run does not exist (a usage error: nothing is stored for it)."""


def check_inputs(paths: Iterable[str | os.PathLike]) -> None:
    """Raise InputNotFound when one of `paths` (other than `-`, stdin) does not exist. A path that exists but
    cannot be read (permissions, a dangling link) is the readers' to record as a failed document."""
    missing = [os.fsdecode(p) for p in paths if os.fsdecode(p) != "-" and not os.path.lexists(p)]
    if missing:
        raise InputNotFound(f"no such file or folder: {', '.join(missing)}")


def iter_documents(paths: Iterable[str | os.PathLike], max_bytes: int = MAX_BYTES) -> Iterator[RawDocument]:
    """Every document under `paths`, in a deterministic order."""
    for src in iter_sources(paths):
        yield from read_source(src, max_bytes)


def split_name(name: str) -> tuple[str, str | None]:
    """(stem, format) of a file name: `a.txt.gz` -> (`a`, `text`); unknown extensions give format None."""
    base = name[:-3] if name.lower().endswith(".gz") else name
    suffix = Path(base).suffix
    stem = base[: -len(suffix)] if suffix and suffix != base else base
    return stem, FORMATS.get(suffix.lower())


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[Source]:
    """The sources under `paths`; they share one IdRegistry, so JSONL ids are unique across them."""
    ids = IdRegistry()
    for p in paths:
        if str(p) == "-":
            yield Source(None, "stdin", "stdin", ids=ids)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, path, ids)
        else:  # a missing file becomes a failed document when it is opened
            stem, fmt = split_name(path.name)
            yield _source(path, stem, ids, fmt)


def _source(path: Path, file_id: str, ids: IdRegistry, fmt: str | None = None, error: str | None = None) -> Source:
    # ids and uris go to the store as UTF-8: a file name that is not UTF-8 is spelled out, not carried along
    return Source(path, valid_text(file_id), valid_text(path.as_posix()), fmt, error, ids=ids)


def count_sources(paths: Iterable[str | os.PathLike]) -> int:
    """Number of files `iter_sources` will yield (a cheap listing, for progress bars)."""
    return sum(1 for _ in iter_sources(paths))


def _hidden(name: str) -> bool:
    # .git, .DS_Store, editor swap files: never documents
    return name.startswith(".")


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a folder; opening it as a file gives the reason
        return False


def _walk(root: Path, folder: Path, ids: IdRegistry) -> Iterator[Source]:
    """Files under `folder`, recursively, sorted by name so ids and order are the same on every run."""
    try:
        entries = sorted((e for e in os.scandir(folder) if not _hidden(e.name)), key=lambda e: e.name)
    except OSError as exc:
        rel = folder.relative_to(root).as_posix()
        yield _source(folder, rel if rel != "." else folder.name, ids,
                      error=f"unreadable folder: {describe_read_error(exc).split(': ', 1)[-1]}")
        return
    files = [e for e in entries if not _is_dir(e)]
    stems = Counter(split_name(e.name)[0] for e in files)
    # a.txt and a.html in one folder would share the id `a`: both keep their extension instead
    clashes = {s for s, n in stems.items() if n > 1}
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(root, path, ids)
            continue
        if _is_dir(entry):  # a linked folder could loop back on its parent
            log.warning("not following the folder link %s", path)
            continue
        stem, fmt = split_name(entry.name)
        if stem in clashes:
            log.warning("%s: several files named %s.*; their ids keep the extension", folder, stem)
            stem = entry.name
        rel = path.parent.relative_to(root) / stem
        yield _source(path, rel.as_posix(), ids, fmt)


def read_source(src: Source, max_bytes: int = MAX_BYTES) -> Iterator[RawDocument]:
    """The documents of one source; failures come out as failed documents, never as exceptions."""
    if src.error:
        yield failed(src.file_id, src.uri, src.error)
        return
    try:
        raw = src.open()
    except OSError as exc:
        yield failed(src.file_id, src.uri, describe_read_error(exc))
        return
    with raw:
        try:
            stream = decompressed(raw)
            if src.path is not None and not is_compressed(stream):
                src = dataclasses.replace(src, size=os.fstat(raw.fileno()).st_size)
            if src.fmt in ("jsonl", None):  # line-oriented reading needs UTF-8 (or an ASCII-compatible code)
                stream = as_utf8(stream)
            fmt, stream = (src.fmt, stream) if src.fmt else _sniff(stream)
        except Exception as exc:
            yield failed(src.file_id, src.uri, describe_read_error(exc))
            return
        for doc in READERS[fmt].read(stream, src, max_bytes):
            if src.ids is not None and doc.id == src.file_id:
                src.ids.take(doc.id)  # a JSONL id later in the run must not take a file's id
            yield doc


def _sniff(stream: BinaryIO) -> tuple[str, BinaryIO]:
    """Format of a stream without a known extension (stdin, `notes`, `page.php`): WARC, JSONL or one document.

    Whether one document is HTML, text or binary is the cleaner's call (it reads the bytes anyway).
    """
    head = read_head(stream, SNIFF_BYTES, until=b"\n")
    stream = rewound(head, stream)
    if head.startswith(b"WARC/"):
        return "warc", stream
    first = head.split(b"\n", 1)[0].strip()
    if first.startswith(b"{"):
        try:
            obj = json.loads(first)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict) and ("text" in obj or "html" in obj):
            return "jsonl", stream
    return "unknown", stream
