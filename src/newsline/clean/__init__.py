"""Stage 2, clean: RawDocument -> Article (decode, extract main text, title, date, language)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsline.clean.fields import FieldError, published_date, shown, text_field
from newsline.clean.lines import line_key
from newsline.limits import MAX_BYTES
from newsline.records import Article, ContentType, DroppedLine, RawDocument

log = logging.getLogger(__name__)

__all__ = ["CleanContext", "CLEANERS", "clean_document", "line_key", "recurring_lines", "MAX_BYTES"]

# The cleaner's libraries (trafilatura, htmldate and dateparser, fastText, ftfy; about 0.3 CPU-s and 40 MB)
# load when a document is first cleaned, not on import: a run's own process, which only reads and writes
# while its workers clean, never loads them. These names are read from their modules on first access.
_LAZY = {"NotTextError": "decode", "decode_bytes": "decode", "EmptyPageError": "html", "extract_html": "html",
         "detect_language": "language", "clean_text": "text", "recurring_lines": "text"}
# what the engine's worker processes import up front (see LocalEngine's preload)
HEAVY_MODULES = ("newsline.clean.decode", "newsline.clean.html", "newsline.clean.text")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"newsline.clean.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsline.clean' has no attribute {name!r}")

_HTML_SNIFF = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<meta")


@dataclass(slots=True, frozen=True)
class CleanContext:
    """Corpus-level evidence for the per-document cleaner (lines recurring across documents)."""

    recurring: frozenset[str] = frozenset()
    max_bytes: int = MAX_BYTES


def _failed(doc: RawDocument, reason: str) -> Article:
    return Article(id=doc.id, uri=doc.uri, error=reason, content_hash=doc.content_hash,
                   content_type=doc.content_type)


def _is_html(doc: RawDocument, text: str) -> bool:
    if doc.content_type != "unknown":
        return doc.content_type == "html"
    head = text[:2000].lstrip().lower()
    return head.startswith(_HTML_SNIFF) or "<html" in head


def _apply_meta(article: Article, meta: dict) -> None:
    """Fields given with the input (JSONL `title`, `published`) win over what was guessed from the page.

    The reader checked them; a field it dropped (`dropped_fields`) is recorded on the article as a dropped
    line numbered 0 (not a line of the text), so the export says what was thrown away and why.
    """
    for name in ("title", "published", "url"):
        value = meta.get(name)
        try:
            if value:
                _apply_field(article, name, value)
        except FieldError as exc:  # a RawDocument built by hand, not by the readers
            meta.setdefault("dropped_fields", []).append({"field": name, "value": shown(value),
                                                          "reason": str(exc)})
    for d in meta.get("dropped_fields", ()):
        article.dropped_lines.append(DroppedLine(0, f"{d['field']}: {d['value']}",
                                                 f"input field dropped: {d['reason']}"))


def _apply_field(article: Article, name: str, value: object) -> None:
    if name == "published":
        article.published, article.published_precision = published_date(value)
        article.published_evidence = f"input metadata: {str(value).strip()}"
    elif name == "title":
        article.title = text_field(value)
    elif not article.uri:
        article.uri = text_field(value)


def clean_document(doc: RawDocument, ctx: CleanContext | None = None) -> Article:
    """Clean one document. Never raises for bad content: the Article carries `error` instead."""
    ctx = ctx or CleanContext()
    if doc.error:
        return _failed(doc, doc.error)
    if not doc.content or not doc.content.strip():
        return _failed(doc, "empty document")
    if len(doc.content) > ctx.max_bytes:
        mb = len(doc.content) / 1e6
        return _failed(doc, f"document too large ({mb:.1f} MB > {ctx.max_bytes / 1e6:.1f} MB limit)")
    from newsline.clean.decode import NotTextError, decode_bytes
    from newsline.clean.html import EmptyPageError

    try:
        text, _encoding = decode_bytes(doc.content)
    except NotTextError as exc:
        return _failed(doc, f"not a text document: {exc}")
    try:
        article = CLEANERS["html" if _is_html(doc, text) else "text"](doc, text, ctx)
    except EmptyPageError as exc:
        return _failed(doc, str(exc))
    except Exception as exc:  # a cleaner bug must cost one document, not the run
        log.exception("cleaning %s failed", doc.id)
        return _failed(doc, f"cleaning failed: {type(exc).__name__}: {exc}")
    _cap_text(article)
    _apply_meta(article, doc.meta)
    if not article.text.strip():
        article.error = "no article text left after cleaning"
    return article


def _cap_text(article: Article) -> None:
    from newsline.clean.bounds import capped_paragraphs

    paragraphs, cut = capped_paragraphs(article.text.split("\n"))
    if cut is not None:
        text = "\n".join(paragraphs)
        log.warning("%s: article text of %d characters cut to %d", article.id, len(article.text), len(text))
        article.text = text
        article.dropped_lines.append(cut)


def _clean_html(doc: RawDocument, text: str, ctx: CleanContext) -> Article:
    from newsline.clean.html import EmptyPageError, extract_html, page_title, visible_text
    from newsline.clean.language import detect_language

    try:
        ex = extract_html(text, url=doc.meta.get("url") or None)
    except EmptyPageError as exc:
        # no main text found (or too many tags to parse): the page's visible text, read like a text page
        article = _clean_plain(doc, visible_text(text), ctx, "html")
        if not article.text:
            raise exc from None
        article.title = article.title or page_title(text)
        log.debug("%s: %s; read its visible text instead", doc.id, exc)
        return article
    lang, _ = detect_language(ex.text)
    return Article(
        id=doc.id, uri=doc.uri, title=ex.title, published=ex.published,
        published_precision="day" if ex.published else None, published_evidence=ex.published_evidence,
        language=lang, text=ex.text, content_hash=doc.content_hash, content_type="html",
    )


def _clean_plain(doc: RawDocument, text: str, ctx: CleanContext, content_type: ContentType = "text") -> Article:
    from newsline.clean.bounds import classified_part, split_long_lines
    from newsline.clean.keep import keep_best_block, keep_snippet
    from newsline.clean.language import detect_language
    from newsline.clean.text import clean_text

    head, cut = classified_part(split_long_lines(text))
    res = clean_text(head, ctx.recurring)
    # a JSONL `text` is kept as it is when short; a JSONL `html` page read as text is judged as a page
    snippet = content_type == "text" and doc.meta.get("format") == "jsonl"
    if not (snippet and keep_snippet(res, text)) and not res.paragraphs:
        keep_best_block(res)
    if res.paragraphs and not res.language:
        res.language, _ = detect_language(" ".join(res.paragraphs))
    if cut is not None:
        res.dropped.append(cut)
    return Article(
        id=doc.id, uri=doc.uri, title=res.title, published=res.published,
        published_precision=res.published_precision, published_evidence=res.published_evidence,
        language=res.language, text="\n".join(res.paragraphs), dropped_lines=res.dropped,
        content_hash=doc.content_hash, content_type=content_type,
    )


# THE CLEANER REGISTRY: the cleaner of each kind of page (decoded text in, Article out)
CLEANERS: dict[str, Callable[[RawDocument, str, CleanContext], Article]] = {"html": _clean_html,
                                                                           "text": _clean_plain}


def _make_callable() -> None:
    """`newsline.clean(...)` is the API function too (see newsline._CallableCleanPackage)."""
    import sys

    from newsline import _CallableCleanPackage

    sys.modules[__name__].__class__ = _CallableCleanPackage


_make_callable()
