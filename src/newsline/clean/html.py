"""HTML pages: main text, title and metadata via trafilatura; publication date via htmldate."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura
from htmldate import find_date

log = logging.getLogger(__name__)


class EmptyPageError(ValueError):
    """The page has no extractable main text (no body, only chrome, or broken markup)."""


@dataclass(slots=True)
class HtmlExtract:
    text: str
    title: str | None
    published: str | None
    published_evidence: str | None


def _publication_date(html: str, url: str | None, trafilatura_date: str | None) -> tuple[str | None, str | None]:
    """htmldate's original-date search (meta tags, time elements, URL), falling back to trafilatura's."""
    try:
        # extensive_search=False: free-text date guessing picks up comment and sidebar dates, and a
        # wrong date is worse than none since every relative date is resolved against it
        found = find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception as exc:  # htmldate raises on odd markup; a missing date is not an error
        log.debug("htmldate failed: %s", exc)
        found = None
    if found:
        return found, "htmldate: page metadata"
    if trafilatura_date:
        return trafilatura_date[:10], "trafilatura: page metadata"
    return None, None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Extract the article from one HTML page. Raises EmptyPageError when nothing is left."""
    if "<" not in html:
        raise EmptyPageError("no HTML markup")
    # fast=True skips trafilatura's fallback extractors (readability, jusText): about 1.7x the pages per
    # second for a shingle-4 F1 within 0.002 of the full run on bench/html-dev (0.966 vs 0.968)
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=True,
        favor_precision=True,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        raise EmptyPageError("HTML page without extractable main text")
    # trafilatura keeps one paragraph per line already; collapse blank runs to single newlines
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    published, evidence = _publication_date(html, url, doc.date if doc is not None else None)
    title = (doc.title or "").strip() or None
    return HtmlExtract("\n".join(paragraphs), title, published, evidence)
