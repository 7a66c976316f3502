"""JSON Lines: one document per line, fields `id`, `text` or `html`, optional `url`, `published`, `title`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsline.clean.fields import FieldError, published_date, shown, text_field
from newsline.ingest.common import CHUNK, Source, describe_read_error, document, failed, sha256, valid_text
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
    # a UTF-8 byte-order mark before the first record (json.loads refuses it)
    line = line.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf")
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        # JSON must be UTF-8, but dumps written by Windows tools are often cp1252: read them anyway
        log.debug("JSONL line is not UTF-8; decoding it as cp1252")
        return json.loads(line.decode("cp1252", errors="replace"))


def _document(line: bytes, src: Source, line_no: int) -> RawDocument:
    fallback_id, fallback_uri = f"{src.file_id}#{line_no}", f"{src.uri}#{line_no}"

    def fail(doc_id: str, uri: str, reason: str) -> RawDocument:
        # the line's hash: a bad line is remembered, not re-read, until the line itself changes
        return failed(doc_id, uri, reason, sha256(line))

    try:
        obj = _parse(line)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if exc.msg.endswith(" at") else f"at column {exc.colno}"
        return fail(fallback_id, fallback_uri, f"malformed JSONL line {line_no}: {exc.msg} {where}")
    except RecursionError:  # json's parser recurses once per level: `[[[[…` a thousand deep
        return fail(fallback_id, fallback_uri, f"malformed JSONL line {line_no}: JSON nested too deeply")
    if not isinstance(obj, dict):
        reason = f"malformed JSONL line {line_no}: expected an object, got {type(obj).__name__}"
        return fail(fallback_id, fallback_uri, reason)
    try:
        given = _id(obj.get("id"))
    except FieldError as exc:
        return fail(fallback_id, fallback_uri, f"JSONL line {line_no}: bad 'id': {exc}")
    doc_id = fallback_id if given is None else given if src.ids is None else \
        src.ids.unique(given, src.file_id, line_no)
    meta = _meta(obj, doc_id)
    uri = meta.get("url") or fallback_uri
    # html wins when both are given: the page's markup carries the date and title metadata
    field = "html" if isinstance(obj.get("html"), str) and obj["html"].strip() else "text"
    body = obj.get(field)
    if not isinstance(body, str):
        what = "has neither a 'text' nor an 'html' field" if body is None else f"'{field}' is not a string"
        return fail(doc_id, uri, f"JSONL line {line_no} {what}")
    content = body.encode("utf-8", errors="replace")
    # a JSONL text is what the user chose to pass: the cleaner keeps a one- or two-line text as it is
    meta["format"] = "jsonl"
    return document(doc_id, uri, content, "html" if field == "html" else "text", meta=meta)


def _id(value: Any) -> str | None:
    """The record's id as valid text; None when absent or blank. Integers are ids; bools, floats, lists
    and objects are not (`str()` of them gives ids like "['a', 'list']")."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(f"must be a string or an integer, got {shown(value)}")
    return valid_text(value.strip()) or None


def _meta(obj: dict[str, Any], doc_id: str) -> dict[str, Any]:
    """The metadata fields that pass their checks; each one dropped is logged and listed under
    `dropped_fields` (field, value, reason), which the cleaner records on the article."""
    meta: dict[str, Any] = {}
    dropped = []
    for name in META_FIELDS:
        value = obj.get(name)
        if value is None or value == "":
            continue
        try:
            meta[name] = _checked(name, value)
        except FieldError as exc:
            log.info("%s: input field %r dropped: %s", doc_id, name, exc)
            dropped.append({"field": name, "value": shown(value), "reason": str(exc)})
    if dropped:
        meta["dropped_fields"] = dropped
    return meta


def _checked(name: str, value: Any) -> str:
    if name == "published":
        published_date(value)  # raises for what is not a date; the cleaner reads the value as it is
    return valid_text(text_field(value))
