"""Headline shape, the title above the body, and the dek (standfirst) under it."""

from __future__ import annotations

from collections.abc import Iterable

from newsline.clean.text.cues import _CLOSERS, _DATELINE_LEDE, _WORD
from newsline.clean.text.features import _Line


def _headline_shaped(ln: _Line) -> bool:
    """Short, unpunctuated at the end (or '?', '!'), starting with a capital or digit: a headline."""
    n = len(ln.words)
    if not 2 <= n <= 18 or ln.ellipsis:
        return False
    if sum(ln.text.count(sep) for sep in (" · ", " | ", " • ", " / ")) >= 2:
        return False  # a menu or a list of places, not a headline
    tail = ln.text.rstrip(_CLOSERS + " -–—|")
    if not tail or tail[-1] in ".:;,":
        return False
    first = ln.text.lstrip(_CLOSERS + "‘“\"' ")[:1]
    return first.isupper() or first.isdigit()


def _content(words: Iterable[str], stops: frozenset[str]) -> set[str]:
    return {w for w in words if len(w) >= 3 and w not in stops and not w.isdigit()}


def _clean_title(text: str) -> str:
    """Strip what pages hang on a headline: a trailing dash, a stray unmatched quote, a site suffix."""
    t = text.strip().rstrip("-–—|· ").strip()
    for q_open, q_close in (('"', '"'), ("“", "”"), ("'", "'")):
        if t.endswith(q_close) and t.count(q_open if q_open != q_close else q_close) % 2 == 1 \
                and (q_open == q_close or q_open not in t):
            t = t[: -len(q_close)].rstrip()
    return t


def _strip_site_suffix(text: str) -> str:
    """'Headline - Section | Site Name' (an HTML <title>) -> 'Headline' when the suffixes are short."""
    for _ in range(4):
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if sep in text:
                head, _, tail = text.rpartition(sep)
                if len(tail.split()) <= 4 and len(head.split()) >= 2:
                    text = head.strip()
                    break
        else:
            return text
    return text


def _under_headline(lines: list[_Line], k: int) -> bool:
    """Line k stands right under the article's headline, so it can be a dek (standfirst).

    The nearest line above that is not chrome (date lines aside: "headline / date / dek" is as common
    as "headline / dek / date") must be headline-shaped.
    """
    for j in range(k - 1, max(-1, k - 8), -1):
        ln = lines[j]
        if ln.cls == "chrome" or ln.dateline:
            continue
        # a headline is mostly content words ("You are signed in as" is a widget's label)
        return _headline_shaped(ln) and len(ln.words) >= 4 and ln.stop < 0.5
    return False


def _repeats_lede(lines: list[_Line], k: int, start: int, b: int, stops: frozenset[str]) -> bool:
    """Line k (a dek) says again what one of the article's first paragraphs (from `start`) says.

    Each paragraph is compared alone: a dek copies one paragraph (the lede, or a quote further down),
    while a lede merely shares vocabulary with the several paragraphs that develop it. A dateline
    ("SANTA FE, N.M. (AP) —") marks the lede itself, never a dek.
    """
    if _DATELINE_LEDE.match(lines[k].text):
        return False
    head = _content(lines[k].words, stops)
    if len(head) < 10:
        return False
    paragraphs = [j for j in range(start, min(b, start + 12) + 1) if lines[j].cls == "body"][:6]
    return any(len(head & _content(lines[j].words, stops)) / len(head) >= 0.7 for j in paragraphs)


_TITLE_SKIP = ("link line", "weather", "markup", "caption", "date header", "byline", "comment form",
               "cookie/legal", "copyright", "newsletter/sign-in", "share/social", "advertisement", "no words")


def _find_title(lines: list[_Line], a: int, keep: set[int], stops: frozenset[str]) -> int | None:
    """The headline: headline-shaped, above the body and near it, sharing the body's vocabulary.

    The first line of a saved page is often the HTML <title> ("Headline - Site"): a line above the body
    that repeats it is the headline even when the body happens to share few of its words, and the first
    line itself is the fallback. Short section labels ("World", "Hong Kong") and menu breadcrumbs are not
    headlines; teasers for other stories share little with the body and lose.
    """
    body_words: set[str] = set()
    for k in sorted(keep)[:40]:
        body_words |= _content(lines[k].words, stops)
    if not body_words or a <= 0:
        return None
    first_words = set(_WORD.findall(_strip_site_suffix(lines[0].text).lower()))
    best, best_score = None, 0.0
    candidates = list(range(a - 1, max(0, a - 40) - 1, -1))
    if 0 not in candidates:
        candidates.append(0)
    for k in candidates:
        ln = lines[k]
        if ln.foreign or ln.dateline or ln.reason in _TITLE_SKIP:
            continue
        text = _strip_site_suffix(ln.text) if k == 0 else ln.text
        words = [w.lower() for w in _WORD.findall(text)]
        if not words or any(sep in text for sep in (" > ", " » ", " › ", " / ")):
            continue  # breadcrumbs and menus
        # how closely the line repeats the page's <title> line (symmetric: a one-word section label that
        # happens to occur in the <title> does not echo it)
        echo = len(set(words) & first_words) / max(len(set(words)), len(first_words)) \
            if k != 0 and first_words else 0.0
        probe = _Line(ln.idx, ln.no, text, ln.key, words, float(len(words)), ln.stop,
                      text.rstrip(_CLOSERS + " ")[-1:] in ".:;", ln.ellipsis, ln.latin)
        if echo < 0.6 and (not _headline_shaped(probe) or len(words) < 4 or ln.cls == "body" and k != 0):
            continue
        content = _content(words, stops)
        if len(content) < 2 and echo < 0.6:
            continue  # a score line or a name is no headline
        overlap = len(content & body_words) / len(content) if content else 0.0
        if overlap < 0.3 and echo < 0.6:
            continue
        distance = sum(1 for j in range(k + 1, a) if not lines[j].dateline and lines[j].cls != "chrome")
        score = overlap + echo - 0.01 * distance - (0.15 if k == 0 else 0.0)
        if score > best_score:
            best, best_score = k, score
    if best is not None and best > 0:
        # a headline printed again lower down (galleries, sticky bars): the article header (byline,
        # date) follows its first print
        first = next((k for k in range(max(1, a - 40), best) if lines[k].key == lines[best].key), best)
        best = first
    return best
