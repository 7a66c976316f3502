"""Inside the core: link lists and related-story cards dropped from the article's lines."""

from __future__ import annotations

from collections import Counter

from newsline.clean.text.core import _is_prose, _snippet
from newsline.clean.text.cues import _LINK_LABEL
from newsline.clean.text.features import Page, _Line
from newsline.clean.text.headline import _headline_shaped, _repeats_lede, _under_headline


def counts_of(lines: list[_Line]) -> Counter[str]:
    return Counter(ln.key for ln in lines)


def _drop_inline_cards(lines: list[_Line], keep: set[int], counts: Counter[str]) -> None:
    """A related-story card inside the article: a lone snippet under a headline printed twice in a row.

    Subheads inside an article appear once; card widgets repeat the linked headline (image alt text and
    link text) right above one snippet.
    """
    def doubled(j: int) -> bool:
        return counts[lines[j].key] > 1 and any(
            0 <= i < len(lines) and i != j and lines[i].key == lines[j].key for i in (j - 2, j - 1, j + 1, j + 2))

    for k in sorted(keep):
        if lines[k].cls != "body" or not _snippet(lines, k):
            continue
        heads = [j for j in (k - 1, k - 2, k - 3) if j >= 0 and _headline_shaped(lines[j]) and doubled(j)]
        if heads:
            for j in range(min(heads), k + 1):
                if j in keep or lines[j].reason is None:
                    keep.discard(j)
                    lines[j].reason = lines[j].reason or "teaser"


def _drop_link_lists(lines: list[_Line], keep: set[int], a: int, b: int) -> None:
    """A cue label ("More:", "Related articles") followed by headline-shaped lines is a list of links."""
    k = a
    while k <= b:
        ln = lines[k]
        if _LINK_LABEL.match(ln.text) and (not ln.end_punct or ln.text.endswith(":")) and len(ln.words) <= 6:
            keep.discard(k)
            ln.reason = ln.reason or "link line"
            j = k + 1
            # everything up to the next paragraph: headlines, their kickers ("EYE POPPING"), captions
            while j <= b and not _is_prose(lines[j]) and len(lines[j].words) <= 18:
                if j in keep:
                    keep.discard(j)
                    lines[j].reason = "link line"
                j += 1
            k = j
        else:
            k += 1


def split_header(page: Page, a: int, b: int) -> int:
    """The article header inside the core [a, b] split off; returns where the article starts.

    A standfirst (dek) is dropped when it is header text: captions, labels, a summary that is not written
    as full sentences (unpunctuated, cut off "…reports our correspondent"), or one that repeats the lede
    nearly word for word (the same text twice). A dek written as full sentences that says something of its
    own is the article's first paragraph — an annotator of "the article body" keeps it, whether it stands
    above the byline/date line or not — and the first paragraph of a page that opens on its body (no
    headline above it) is the lede. `page.header_end` is where the header (read for the date) ends.
    """
    lines, stops = page.lines, page.stops
    page.header_end = a  # the article header (read for the date) ends at the date line
    for j in range(min(b, a + 6), a - 1, -1):
        if lines[j].dateline and any(lines[k].cls == "body" for k in range(j + 1, min(b, j + 4) + 1)) \
                and sum(1 for k in range(a, j) if _is_prose(lines[k])) <= 2:
            first = None
            for k in range(a, j):
                if lines[k].cls == "chrome":
                    continue
                if lines[k].cls == "body" and not _headline_shaped(lines[k]) and _under_headline(lines, k) \
                        and not _repeats_lede(lines, k, j + 1, b, stops):
                    first = k if first is None else first
                    continue
                lines[k].reason = "standfirst" if lines[k].cls in ("body", "near") else "page header"
            a = first if first is not None else j + 1
            page.header_end = j + 1
            break
    if a < b and lines[a].cls in ("body", "near") and not _headline_shaped(lines[a]) \
            and _under_headline(lines, a) and _repeats_lede(lines, a, a + 1, b, stops):
        lines[a].reason = "standfirst"
        a += 1
    return a


def keep_lines(page: Page, b: int) -> None:
    """The lines of the article in [page.a, b]: not chrome, no isolated word, no paragraph printed twice,
    no link list, no related-story card."""
    lines, keep, a = page.lines, page.keep, page.a
    seen: set[str] = set()
    for k in range(a, b + 1):
        ln = lines[k]
        if ln.cls == "chrome" or ln.reason:
            continue
        if len(ln.words) == 1 and not ln.end_punct and ln.units < 4:
            ln.reason = "isolated word"
            continue
        if ln.key in seen and len(ln.words) >= 4:
            ln.reason = "repeated on page"  # gallery captions and pull quotes printed twice
            continue
        seen.add(ln.key)
        keep.add(k)
    _drop_link_lists(lines, keep, a, b)
    _drop_inline_cards(lines, keep, counts_of(lines))
