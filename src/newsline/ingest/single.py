"""One file = one document: `.txt`, `.html`/`.htm`, and files of unknown type (sniffed by the cleaner)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from newsline.ingest.common import Source, failed, read_bounded
from newsline.records import ContentType, RawDocument

_TYPES: dict[str | None, ContentType] = {"text": "text", "html": "html"}


def read_single(stream: BinaryIO, src: Source, max_bytes: int) -> Iterator[RawDocument]:
    got = read_bounded(stream, max_bytes, known_size=src.size)
    # stdin has no name, so its id comes from its content: two different pipes are two documents
    doc_id = src.file_id if src.path is not None else f"{src.file_id}-{got.sha256[:16]}"
    if got.error or got.data is None:
        yield failed(doc_id, src.uri, got.error or "unreadable", got.sha256 if got.size else "")
        return
    # content type "unknown" lets the cleaner decide between HTML, text and binary from the bytes
    yield RawDocument(id=doc_id, uri=src.uri, content=got.data, content_type=_TYPES.get(src.fmt, "unknown"),
                      content_hash=got.sha256)
