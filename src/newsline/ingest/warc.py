"""WARC archives (`.warc`, `.warc.gz`): one document per `response` (or `resource`) record.

Records are split here rather than by warcio's ArchiveIterator because the iterator ends silently on a
truncated archive (a cut header or block yields fewer records and no error); a shortened archive must be
reported. Each record (bounded in size) is then parsed by warcio's record loader, which decodes the HTTP
headers, chunked transfer and content encodings.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import BinaryIO

from warcio.recordloader import ArcWarcRecordLoader

from newsline.ingest.common import (
    CHUNK,
    Source,
    TruncatedInput,
    describe_read_error,
    failed,
    read_bounded,
)
from newsline.records import ContentType, RawDocument

log = logging.getLogger(__name__)

_DOC_TYPES = ("response", "resource")
_MAX_HEADER = 1 << 20


class MalformedWarc(ValueError):
    pass


def read_warc(stream: BinaryIO, src: Source, max_bytes: int) -> Iterator[RawDocument]:
    rec_no = 0
    while True:
        try:
            head = _next_header(stream)
            if head is None:
                return
            rec_no += 1
            headers = _parse_headers(head)
            doc = _record(stream, src, rec_no, head, headers, max_bytes)
        except (TruncatedInput, MalformedWarc, OSError, EOFError) as exc:
            what = "malformed WARC" if isinstance(exc, MalformedWarc) else "truncated WARC"
            reason = f"{what}: record {max(rec_no, 1)}: {_reason(exc)}"
            yield failed(f"{src.file_id}#{max(rec_no, 1)}", src.uri, reason)
            return
        if doc is not None:
            yield doc


def _reason(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, TruncatedInput | MalformedWarc) else describe_read_error(exc)


def _next_header(stream: BinaryIO) -> bytes | None:
    """The next record's header block (through its blank line), or None at a clean end of the archive."""
    line = stream.readline(_MAX_HEADER)
    while line and not line.strip():  # blank lines separate records
        line = stream.readline(_MAX_HEADER)
    if not line:
        return None
    if not line.startswith(b"WARC/"):
        raise MalformedWarc(f"expected a WARC header, found {line[:40]!r}")
    lines = [line]
    while True:
        line = stream.readline(_MAX_HEADER)
        if not line:
            raise TruncatedInput("archive ends inside the record header")
        lines.append(line)
        if not line.strip():
            return b"".join(lines)
        if sum(map(len, lines)) > _MAX_HEADER:
            raise MalformedWarc("record header larger than 1 MB")


def _parse_headers(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", errors="replace").splitlines()[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _record(stream: BinaryIO, src: Source, rec_no: int, head: bytes, headers: dict[str, str],
            max_bytes: int) -> RawDocument | None:
    """Consume one record's block; a RawDocument for response/resource records, None for the others."""
    try:
        length = int(headers.get("content-length", ""))
    except ValueError:
        raise MalformedWarc("missing or invalid Content-Length") from None
    wanted = headers.get("warc-type", "").lower() in _DOC_TYPES
    # the block holds the HTTP headers too, hence the margin over the document limit
    got = read_bounded(stream, max_bytes + CHUNK if wanted else 0, size=length)
    if got.error and got.data is None and got.size == length and wanted:
        return failed(_doc_id(src, rec_no, headers), headers.get("warc-target-uri", src.uri), got.error,
                      got.sha256)
    if got.error and not got.error.startswith("document too large"):
        raise TruncatedInput(got.error)
    if got.size < length:
        raise TruncatedInput(f"archive ends inside the record block ({got.size} of {length} bytes)")
    if not wanted or got.data is None:
        return None
    return _document(head + got.data, src, rec_no, headers, max_bytes)


def _doc_id(src: Source, rec_no: int, headers: dict[str, str]) -> str:
    record_id = headers.get("warc-record-id", "").strip("<>").removeprefix("urn:uuid:")
    return f"{src.file_id}#{record_id or headers.get('warc-target-uri') or rec_no}"


def _content_type(record) -> ContentType | None:
    """HTML or text from the HTTP Content-Type; None for what is not an article (images, scripts, css)."""
    if record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    value = value.split(";")[0].strip().lower()
    if not value:
        return "unknown"
    if "html" in value:
        return "html"
    if value in ("text/plain", "text/markdown"):
        return "text"
    return None


def _document(raw: bytes, src: Source, rec_no: int, headers: dict[str, str],
              max_bytes: int) -> RawDocument | None:
    doc_id = _doc_id(src, rec_no, headers)
    uri = headers.get("warc-target-uri") or src.uri
    try:
        record = ArcWarcRecordLoader().parse_record_stream(io.BytesIO(raw), known_format="warc")
        if record.http_headers is not None:
            status = record.http_headers.get_statuscode() or ""
            if not status.startswith("2"):
                log.debug("skipping %s: HTTP status %s", uri, status)
                return None
        content_type = _content_type(record)
        if content_type is None:
            log.debug("skipping %s: not an article content type", uri)
            return None
        got = read_bounded(record.content_stream(), max_bytes)
    except Exception as exc:  # a broken record costs that record only
        return failed(doc_id, uri, f"malformed WARC record {rec_no}: {type(exc).__name__}: {exc}")
    meta = {"url": uri} if uri.startswith(("http://", "https://")) else {}
    if got.error or got.data is None:
        return failed(doc_id, uri, got.error or "unreadable record", got.sha256)
    return RawDocument(id=doc_id, uri=uri, content=got.data, content_type=content_type,
                       fetched_at=headers.get("warc-date"), meta=meta, content_hash=got.sha256)
