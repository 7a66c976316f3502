"""Cleaning of already-extracted page text: a line classifier that keeps the article and drops chrome.

Input is the text of a whole web page, one block per line, still carrying the page's chrome: site
header, navigation, date and weather widgets, share/cookie/newsletter text, advertisement markers,
"Read more:" link lines, related-story teasers, comment forms, footers, lines in the site's language
when the article is in another. The classifier uses general evidence, not strings of known sites:

* shape of each line — length, stop-word density of the body's language (running prose is full of
  function words, menus and headlines are not), terminal punctuation, truncation ("…", a dangling
  function word), headline shape, date/byline/weather/copyright shapes, a small vocabulary of web-UI
  cue words that only counts on short lines or in combination with a second cue;
* language — the body's language is detected first; a line in another script or another language is
  chrome (named in the reason, e.g. "other language (el)");
* corpus — lines that recur across documents of the corpus (`recurring_lines`) are site chrome unless
  they are prose (syndicated copies share their prose);
* position and contiguity — the article is one contiguous core: each line scores for (prose) or
  against (everything else) and the core is the maximum-sum run of lines (Kadane), so chrome islands
  inside the body are bridged while the header, teasers and comment sections around it fall away.

Inside the core, chrome islands (link lines, ad markers, other-language lines, republication notes)
are still dropped; the article header at its top (date and byline lines, captions, a dek that is not
written as sentences or only repeats the lede) is split off, while a dek written as full sentences of
the article stays as its first paragraph. The title is the headline-shaped line nearest above the body
that shares its vocabulary with the body; the publication date is read from the article header (a bare
date beside a weather widget is the site's "today", a labelled stamp such as "Last updated …" is the
article's) or a dateline in the lede (`clean.published`). Every dropped line is kept with its reason for
audit.

The package, by concern: `cues` (the cue vocabulary and patterns), `features` (lines, their shape, the
`Page` the steps share), `foreign` (the page's language, lines in another one), `rules` (the classifier),
`core` (the article's core run), `headline` (title and dek), `body` (the header split off the core, the
lines kept, link lists and cards), `dates` (the publication date); `clean_text` runs them in that order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsline.clean.language import detect_language, stopwords
from newsline.clean.lines import MIN_DOCS, line_key, line_keys
from newsline.clean.text.body import keep_lines, split_header
from newsline.clean.text.core import _core
from newsline.clean.text.dates import _published
from newsline.clean.text.features import Page, _features, _Line, _reflow
from newsline.clean.text.foreign import _page_language
from newsline.clean.text.headline import _clean_title, _find_title, _headline_shaped, _strip_site_suffix
from newsline.clean.text.rules import _classify
from newsline.records import DroppedLine

__all__ = ["Page", "TextClean", "clean_text", "line_key", "recurring_lines"]


@dataclass(slots=True)
class TextClean:
    """What `clean_text` makes of a page: the article's lines in page order, and everything it dropped.

    `dropped` keeps every non-blank line that is not in `paragraphs` (the title included) with its
    1-based line number in the input and a short reason ("link line", "teaser", "other language (el)",
    "recurring chrome", "date header", …). `published` is ISO (YYYY-MM-DD, or YYYY-MM / YYYY as
    `published_precision` says) with the text it was read from in `published_evidence`.
    """

    paragraphs: list[str]
    dropped: list[DroppedLine] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_evidence: str | None = None
    language: str | None = None


def recurring_lines(texts: Iterable[str], min_docs: int = MIN_DOCS) -> frozenset[str]:
    """Keys of lines that occur in at least `min_docs` different documents (site chrome). A run counts them
    batch after batch with `newsline.clean.evidence.LineCounter` instead."""
    seen: dict[str, int] = {}
    for text in texts:
        for key in line_keys(text):
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= min_docs)


def clean_text(text: str, recurring: frozenset[str] = frozenset()) -> TextClean:
    """Split a page's text into the article (paragraphs, title, date, language) and its chrome."""
    lines: list[_Line] = []
    for no, s in _reflow(text.splitlines()):
        lines.append(_features(no, len(lines), s))
    if not lines:
        return TextClean([], [], language=None)
    page = Page(text, lines)
    page.lang, page.latin_page = _page_language(lines)
    stops = page.stops = stopwords(page.lang)
    if stops:
        for ln in lines:
            if ln.words:
                ln.stop = sum(map(stops.__contains__, ln.words)) / len(ln.words)
    _classify(page, recurring)

    a, b = _core(lines)
    if b < a:
        return _finish(page)
    page.a = split_header(page, a, b)
    keep_lines(page, b)
    _title(page)
    return _finish(page)


def _title(page: Page) -> None:
    """The headline above the core (its repeats inside the body dropped)."""
    lines, keep, a = page.lines, page.keep, page.a
    title_idx = _find_title(lines, a, keep, page.stops)
    if title_idx is not None:
        t = lines[title_idx].text
        page.title = _clean_title(_strip_site_suffix(t) if title_idx == 0 and title_idx < a - 1 else t)
        page.title_idx = title_idx
        lines[title_idx].reason = "title"
        for k in list(keep):  # the headline repeated inside the body (galleries, print views)
            if lines[k].key == lines[title_idx].key:
                keep.discard(k)
                lines[k].reason = "title repeated"


def _finish(page: Page) -> TextClean:
    lines, keep, a, lang = page.lines, page.keep, page.a, page.lang
    paragraphs = [lines[k].text for k in sorted(keep)]
    last = max(keep) if keep else len(lines)
    # readers' comments: everything below the first comment-section head after the article
    comments_from = next((j for j in range(last, len(lines)) if lines[j].comments_head), len(lines))
    dropped = []
    for k, ln in enumerate(lines):
        if k in keep:
            continue
        reason = ln.reason
        if reason is None:
            reason = _context_reason(lines, k, a, keep, comments_from)
        dropped.append(DroppedLine(ln.no, ln.text, reason))
    body = "\n".join(paragraphs)
    language, _ = detect_language(body) if body else (lang, 0.0)
    pub = _published(page, max(a, page.header_end), language or lang)
    return TextClean(
        paragraphs, dropped, title=page.title,
        published=pub.date if pub else None,
        published_precision=pub.precision if pub else None,
        published_evidence=pub.evidence if pub else None,
        language=language,
    )


def _context_reason(lines: list[_Line], k: int, a: int, keep: set[int], comments_from: int) -> str:
    """Why a line without chrome evidence of its own was left out: where it stands and what it looks like."""
    ln = lines[k]
    last = max(keep) if keep else -1
    before = k < a
    if not before and k > comments_from:
        return "comment section"
    if ln.text.count(" | ") >= 2 or ln.text.count(" / ") >= 2:
        return "navigation"
    headline = _headline_shaped(ln) and len(ln.words) >= 3
    if ln.truncated or (ln.cls != "body" and headline and not before) or (
            headline and k + 1 < len(lines) and lines[k + 1].truncated):
        return "teaser"
    if before and headline:
        return "teaser" if k > 0 else "page title"
    if ln.cls == "short" and len(ln.words) <= 4:
        return "navigation"
    if before:
        return "page header"
    if k > last:
        return "after article"
    return "outside article"
