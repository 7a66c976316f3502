"""HTML pages: main text, title and metadata via trafilatura; publication date via htmldate."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from html import unescape

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.utils import load_html

log = logging.getLogger(__name__)


class EmptyPageError(ValueError):
    """The page has no extractable main text (no body, only chrome, or broken markup)."""


# A news page has a few thousand tags. lxml's tree and trafilatura's copies of it take about 1 KB per tag
# (an 8 MB page of 1M tags took 1.1 GB); past this many the page is read as visible text only.
MAX_TAGS = 200_000
# what a reader never sees: scripts, styles, the head; each removed up to its end tag, or to the end of the
# page when it has none (one pass, linear even on a page of unclosed tags)
_INVISIBLE = re.compile(r"<(script|style|noscript|template|head|svg|iframe|object)\b.*?(?:</\1\s*>|\Z)"
                        r"|<!--.*?(?:-->|\Z)", re.I | re.S)
_BLOCK = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|article|section|header|footer|nav|aside|"
                    r"main|blockquote|pre|hr|figure|figcaption|dl|dt|dd|form|address|body|html)\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_TITLE = re.compile(r"<title\b[^<>]*>([^<]{1,500})</title", re.I)


def visible_text(html: str) -> str:
    """The text a reader of the page sees, one block element per line (no parser: no tree to hold, no
    depth limit; lxml drops whatever is nested more than 255 elements deep)."""
    text = _TAG.sub("", _BLOCK.sub("\n", _INVISIBLE.sub("\n", html)))
    lines = (_SPACES.sub(" ", line).strip() for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def page_title(html: str) -> str | None:
    m = _TITLE.search(html, 0, 200_000)
    title = _SPACES.sub(" ", unescape(m.group(1))).strip() if m else ""
    return title or None


@dataclass(slots=True)
class HtmlExtract:
    text: str
    title: str | None
    published: str | None
    published_evidence: str | None


def _metadata(tree: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    """The page's title and canonical URL as trafilatura reads them (meta tags, JSON-LD, <title>/<h1>).

    Only these two of trafilatura's metadata fields are used; asking `bare_extraction` for all of them
    (author, categories, tags, license, site name) cost a third of the time of cleaning an HTML page.
    """
    try:
        meta = examine_meta(tree)
        try:
            meta = extract_meta_json(tree, meta)
        except Exception as exc:  # trafilatura's JSON-LD reader has bugs on odd markup
            log.debug("JSON-LD metadata failed: %s", exc)
        title = meta.title or extract_title(tree)
        page_url = meta.url or extract_url(tree, url)
    except Exception as exc:  # odd markup: the title is simply unknown
        log.debug("metadata extraction failed: %s", exc)
        return None, url
    return title, page_url


def _find_date(tree: HtmlElement, url: str | None, extensive: bool) -> str | None:
    # the extensive search is trafilatura's own metadata date: it bounds dates by today as trafilatura does
    bound = {"max_date": dt.date.today().isoformat()} if extensive else {}
    try:
        return find_date(tree, url=url, original_date=True, extensive_search=extensive,
                         outputformat="%Y-%m-%d", **bound)
    except Exception as exc:  # htmldate raises on odd markup; a missing date is not an error
        log.debug("htmldate failed: %s", exc)
        return None


def _publication_date(tree: HtmlElement, url: str | None, page_url: str | None) -> tuple[str | None, str | None]:
    """htmldate's original-date search in page metadata (meta tags, time elements, URL) first.

    extensive_search=False at first: free-text date guessing picks up comment and sidebar dates, and a
    wrong date is worse than none since every relative date is resolved against it. Only a page without
    any date in its metadata gets the extensive search (what trafilatura's own metadata reports, with the
    URL the page gives for itself).
    """
    found = _find_date(tree, url, extensive=False)
    if found:
        return found, "htmldate: page metadata"
    found = _find_date(tree, page_url, extensive=True)
    # the extensive search ends on the copyright notice's year, reported as 1 January: not a date at all
    if found and not found.endswith("-01-01"):
        return found, "trafilatura: page metadata"
    return None, None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Extract the article from one HTML page. Raises EmptyPageError when nothing is left."""
    if "<" not in html:
        raise EmptyPageError("no HTML markup")
    tags = html.count("<")
    if tags > MAX_TAGS:
        raise EmptyPageError(f"HTML page too large to parse ({tags:,} tags > {MAX_TAGS:,})")
    tree = load_html(html)
    if tree is None:
        raise EmptyPageError("HTML page without extractable main text")
    # the page is parsed once: trafilatura copies the tree it is given, htmldate too
    # fast=True skips trafilatura's fallback extractors (readability, jusText): about 1.7x the pages per
    # second for a shingle-4 F1 within 0.002 of the full run on bench/html-dev (0.966 vs 0.968)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,
        favor_precision=True,
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        raise EmptyPageError("HTML page without extractable main text")
    # trafilatura keeps one paragraph per line already; collapse blank runs to single newlines
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    title, page_url = _metadata(tree, url)
    published, evidence = _publication_date(tree, url, page_url)
    title = (title or "").strip() or None
    # trafilatura keeps the <h1> headline as the body's first line: it is the title, not body text
    if title and len(paragraphs) > 1 and _words(paragraphs[0]) == _words(title):
        paragraphs = paragraphs[1:]
    return HtmlExtract("\n".join(paragraphs), title, published, evidence)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
