"""The article's core: the maximum-sum run of lines (Kadane) over per-line evidence, with teaser blocks, an
author's box and a closing list or table settled at its ends."""

from __future__ import annotations

import re

from newsline.clean.text.features import _Line
from newsline.clean.text.headline import _headline_shaped


def _weight(ln: _Line) -> float:
    """Evidence for (positive) or against (negative) a line belonging to the article's core."""
    if ln.cls == "body":
        return min(ln.units, 100.0)
    if ln.cls == "near":
        if ln.truncated:
            return 0.5
        # a headline-shaped line is a subhead inside an article but far more often a teaser or label
        return -1.0 if not ln.end_punct and _headline_shaped(ln) else 2.0
    if ln.cls == "chrome":
        return -40.0 if ln.comments_head else -6.0
    return 0.5 if ln.numeric else -3.0


def _best_run(weights: list[float]) -> tuple[int, int]:
    """Kadane: the [start, end] run of lines with the largest sum of weights."""
    best, best_span = float("-inf"), (0, -1)
    cur, start = 0.0, 0
    for i, w in enumerate(weights):
        if cur <= 0:
            cur, start = w, i
        else:
            cur += w
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _is_prose(ln: _Line) -> bool:
    return ln.cls == "body" or (ln.cls == "near" and ln.end_punct and not ln.truncated)


def _snippet(lines: list[_Line], k: int) -> bool:
    """A teaser snippet: a lone paragraph right under a headline (or headline + byline/date line)."""
    ln = lines[k]
    if ln.cls != "body":
        return False
    if k + 1 < len(lines) and _is_prose(lines[k + 1]):
        return False
    for j in (k - 1, k - 2):
        if j < 0:
            return False
        prev = lines[j]
        if _is_prose(prev):
            return False
        if _headline_shaped(prev) or prev.reason in ("comment form", "teaser"):
            return True
        if not (prev.dateline or prev.cls == "short" and len(prev.words) <= 5):
            return False
    return False


def _core(lines: list[_Line]) -> tuple[int, int]:
    """The article's core run of lines [a, b] (b < a when the page has none)."""
    weights = [_weight(ln) for ln in lines]
    # below a comment-section head that follows real prose, readers' comments only count a little, so
    # that a long discussion cannot outweigh a short article above it
    seen = 0.0
    for k, ln in enumerate(lines):
        if ln.comments_head and seen >= 40:
            weights[k + 1:] = [w * 0.25 if w > 0 else w for w in weights[k + 1:]]
            break
        if ln.cls == "body":
            seen += ln.units
    a, b = _best_run(weights)
    # readers' comments start where a comment-section head follows the article's prose
    for k in range(a, b + 1):
        if lines[k].comments_head and any(lines[j].cls == "body" for j in range(a, k)):
            b = k - 1
            break
    a, b = _drop_teaser_blocks(lines, a, b)
    b = _drop_about_box(lines, a, b)
    # the run starts and ends on prose: a headline or a label at its edge is page header or trailer;
    # an unpunctuated prose line right above the first paragraph is a lede some sites leave unpunctuated
    while a <= b and lines[a].cls != "body":
        a += 1
    while a > 0 and lines[a - 1].cls == "near" and not _headline_shaped(lines[a - 1]) \
            and lines[a - 1].stop >= 0.25 and not lines[a - 1].truncated:
        a -= 1
    while b >= a and lines[b].cls != "body" and not (_is_prose(lines[b]) and _is_prose(lines[b - 1])):
        b -= 1
    if b < a:  # no running prose at all (results tables, lists): fall back to the prose-like lines
        a, b = _best_run([_weight(ln) for ln in lines])
        while a <= b and not _is_prose(lines[a]):
            a += 1
        while b >= a and not _is_prose(lines[b]):
            b -= 1
    if b >= a:
        b = _extend_list(lines, b)
    return a, b


_MONTH_START = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_LIST_SEPS = (" – ", " — ", " -- ", " - ", " @ ", " | ", ": ", ", ")


def _list_shape(ln: _Line) -> tuple[str, frozenset[str]]:
    """What a list item looks like: how it starts and which separators it uses."""
    t = ln.text
    if t[:1].isdigit():
        start = "number"
    elif _MONTH_START.match(t):
        start = "date"
    elif t[:1] in "-*•·▪►–":
        start = "bullet"
    else:
        start = "word"
    return start, frozenset(sep for sep in _LIST_SEPS if sep in t)


def _extend_list(lines: list[_Line], b: int) -> int:
    """Take in a list or table that the article ends with (tour dates, standings, results).

    Items are short and unpunctuated, so they score against the core; they belong to the article when
    the last paragraph (or a heading right after it) introduces them and at least three consecutive
    lines share one item shape (numbered/dated/bulleted, or the same separators).
    """
    j = b + 1
    if j >= len(lines):
        return b
    intro = lines[b].text.rstrip().endswith(":")
    heading = lines[j].cls != "chrome" and (_headline_shaped(lines[j]) or lines[j].text.endswith(":")
                                             or intro and lines[j].units <= 12)
    if not intro and not heading:
        return b
    # the items start right after the introducing paragraph, or after a heading / table header row
    starts = [j, j + 1] if intro and heading else [j + 1] if heading else [j]
    best: list[int] = []
    for start in starts:
        items = _list_items(lines, start)
        if len(items) > len(best):
            best = items
    if len(best) < 3:
        return b
    for k in range(b + 1, best[-1] + 1):
        if lines[k].cls == "chrome":
            lines[k].cls = "short"  # a list item that merely looked like chrome on its own
            lines[k].reason = None
    return best[-1]


def _list_items(lines: list[_Line], j: int) -> list[int]:
    items: list[int] = []
    shape = None
    while j < len(lines):
        ln = lines[j]
        if ln.units < 3 or ln.reason and ln.reason.startswith(
                ("link line", "other language", "markup", "cookie", "newsletter", "copyright", "comment", "share")):
            break
        sh = _list_shape(ln)
        if shape is None:
            shape = sh
            if sh[0] == "word" and not sh[1]:
                break
        elif sh[0] != shape[0] or (sh[0] == "word" and not (sh[1] & shape[1])):
            break
        items.append(j)
        j += 1
    return items


# "About the author", "Über Moritz Bachmann": the heading of the author's box after an article
_ABOUT = re.compile(r"^\W{0,3}(?:about|über|à propos(?: de)?|sobre|acerca de|informazioni su|over)\s+\S", re.I)


def _drop_about_box(lines: list[_Line], a: int, b: int) -> int:
    """Cut the author's box ("About the author", "Über <the byline's name>") off the core's end.

    An "About <company>" section under a press release is part of the release and stays; what marks the
    box as chrome is that it is about the author, named as such or by the byline above the article.
    """
    for k in range(max(a + 1, b - 4), b + 1):
        ln = lines[k]
        if not (len(ln.words) <= 6 and not ln.end_punct and _ABOUT.match(ln.text)):
            continue
        named = set(ln.words[1:])
        bylines: set[str] = set()
        for j in range(max(0, a - 30), a + 3):
            if lines[j].dateline or lines[j].reason == "byline":
                bylines |= set(lines[j].words)
        author = any(w.startswith(("author", "autor", "auteur")) for w in named) or (named and named <= bylines)
        if author and sum(1 for j in range(k + 1, b + 1) if _is_prose(lines[j])) <= 3 \
                and sum(1 for j in range(a, k) if lines[j].cls == "body") >= 2:
            for j in range(k, b + 1):
                if lines[j].cls != "chrome":
                    lines[j].reason = "about the author"
            b = k - 1
            while b > a and not _is_prose(lines[b]):
                b -= 1
            return b
    return b


_GAP = 5  # consecutive non-prose lines that separate blocks of a page


def _drop_teaser_blocks(lines: list[_Line], a: int, b: int) -> tuple[int, int]:
    """Cut blocks of teaser cards (headline + lone snippet, repeated) off the ends of the core.

    The core is split at gaps of `_GAP` or more non-prose lines; a block whose paragraphs are mostly
    lone snippets under headlines is a related-stories list, unless every block looks like that (a
    listicle of product cards is the article itself).
    """
    blocks: list[list[int]] = []
    last_prose = None
    for k in range(a, b + 1):
        if not _is_prose(lines[k]):
            continue
        if last_prose is None or k - last_prose - 1 >= _GAP:
            blocks.append([k, k])
        blocks[-1][1] = k
        last_prose = k
    if len(blocks) < 2:
        return a, b
    teaser = []
    for s, e in blocks:
        bodies = [k for k in range(s, e + 1) if lines[k].cls == "body"]
        snippets = sum(1 for k in bodies if _snippet(lines, k))
        teaser.append(len(bodies) >= 2 and snippets >= 0.5 * len(bodies) or len(bodies) == 1 and snippets == 1)
    if all(teaser):
        return a, b
    # a lone paragraph stranded after the article behind a wall of chrome is a box (author bio, promo,
    # a reader's comment), not the article's last paragraph
    main = max(range(len(blocks)), key=lambda i: sum(lines[k].units for k in range(blocks[i][0], blocks[i][1] + 1)
                                                     if lines[k].cls == "body"))
    for i in range(main + 1, len(blocks)):
        s, e = blocks[i]
        prose = [k for k in range(s, e + 1) if _is_prose(lines[k])]
        if len(prose) == 1 and lines[prose[0]].cls == "body":
            teaser[i] = True
    keep = [blk for blk, t in zip(blocks, teaser, strict=True) if not t]
    if not keep:  # the main block is itself a list of cards: nothing to tell the article from
        return a, b
    for (s, e), t in zip(blocks, teaser, strict=True):
        if t and (s > keep[-1][1] or e < keep[0][0]):
            for k in range(s, e + 1):
                if lines[k].cls != "chrome":
                    lines[k].reason = lines[k].reason or ("teaser" if _snippet(lines, k) else "after article")
    return max(a, keep[0][0]), min(b, keep[-1][1])
