"""JSON Lines: one document per line, fields `id`, `text` or `html`, optional `url`, `published`, `title`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsline.ingest.common import CHUNK, Source, describe_read_error, document, failed, sha256
from newsline.records import RawDocument

log = logging.getLogger(__name__)

META_FIELDS = ("url", "published", "title")


def line_limit(max_bytes: int) -> int:
    """Longest line held in memory: JSON escapes (\\u00e9, \\n) make a line longer than its text."""
    return 2 * max_bytes + CHUNK


def read_jsonl(stream: BinaryIO, src: Source, max_bytes: int) -> Iterator[RawDocument]:
    limit = line_limit(max_bytes)
    line_no = 0
    while True:
        line_no += 1
        try:
            line = stream.readline(limit)
        except Exception as exc:  # truncated gzip etc.: the lines before it are already out
            reason = f"{describe_read_error(exc)} (JSONL line {line_no})"
            yield failed(f"{src.file_id}#{line_no}", f"{src.uri}#{line_no}", reason)
            return
        if not line:
            return
        if len(line) >= limit and not line.endswith(b"\n"):
            yield _too_long(stream, src, line_no, line, limit)
            continue
        if line.strip():
            yield _document(line, src, line_no)


def _too_long(stream: BinaryIO, src: Source, line_no: int, head: bytes, limit: int) -> RawDocument:
    """Skip the rest of an over-long line without holding it, and report it."""
    size = len(head)
    while not head.endswith(b"\n"):
        head = stream.readline(CHUNK)
        if not head:
            break
        size += len(head)
    reason = f"JSONL line {line_no} too large ({size / 1e6:.1f} MB > {limit / 1e6:.1f} MB limit)"
    return failed(f"{src.file_id}#{line_no}", f"{src.uri}#{line_no}", reason)


def _parse(line: bytes) -> Any:
    line = line.rstrip(b"\r\n")
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        # JSON must be UTF-8, but dumps written by Windows tools are often cp1252: read them anyway
        log.debug("JSONL line is not UTF-8; decoding it as cp1252")
        return json.loads(line.decode("cp1252", errors="replace"))


def _document(line: bytes, src: Source, line_no: int) -> RawDocument:
    fallback_id, fallback_uri = f"{src.file_id}#{line_no}", f"{src.uri}#{line_no}"
    try:
        obj = _parse(line)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if exc.msg.endswith(" at") else f"at column {exc.colno}"
        reason = f"malformed JSONL line {line_no}: {exc.msg} {where}"
        return failed(fallback_id, fallback_uri, reason, sha256(line))
    if not isinstance(obj, dict):
        reason = f"malformed JSONL line {line_no}: expected an object, got {type(obj).__name__}"
        return failed(fallback_id, fallback_uri, reason, sha256(line))
    raw_id = obj.get("id")
    doc_id = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else fallback_id
    meta = {k: obj[k] for k in META_FIELDS if obj.get(k) not in (None, "")}
    uri = str(meta.get("url") or fallback_uri)
    # html wins when both are given: the page's markup carries the date and title metadata
    field = "html" if isinstance(obj.get("html"), str) and obj["html"].strip() else "text"
    body = obj.get(field)
    if not isinstance(body, str):
        what = "has neither a 'text' nor an 'html' field" if body is None else f"'{field}' is not a string"
        return failed(doc_id, uri, f"JSONL line {line_no} {what}", sha256(line))
    content = body.encode("utf-8", errors="replace")
    return document(doc_id, uri, content, "html" if field == "html" else "text", meta=meta)
