"""The classifier's rules: each line's class (body, near, short, chrome) and, for chrome, the reason, from
the line's own shape, its language and the corpus's recurring lines."""

from __future__ import annotations

from collections import Counter

from newsline.clean.text.cues import (
    _BYLINE,
    _CAPTION,
    _CAPTION_TRIGGERS,
    _COMMENT_AUTHOR,
    _COMMENTS_HEAD,
    _DIGITS,
    _EMBED_SIGNATURE,
    _LINK_CUE,
    _MARKUP,
    _READ_HEADLINE,
    _READING_TIME,
    _STRONG_CHROME,
    _STRONG_PHRASES,
    _STRONG_TRIGGERS,
    _TEMP,
    _UI_GROUPS,
    _UI_PHRASE,
    _UI_WORD,
    _URL_ONLY,
    _WEATHER,
)
from newsline.clean.text.features import Page, _is_dateline, _Line
from newsline.clean.text.foreign import _foreign


def _ui_reason(ln: _Line) -> str | None:
    """The kind of web-UI chrome a short line's cue words name ("Share", "Sign in", "Advertisement")."""
    hits = {_UI_WORD[w] for w in ln.words if w in _UI_WORD}
    for m in _UI_PHRASE.finditer(ln.key):
        i = int((m.lastgroup or "g0")[1:])
        hits.add((i, _UI_GROUPS[i][0]))
    for _, name in sorted(hits):
        if name == "navigation" and len(ln.words) > 3 and ln.stop > 0:
            # navigation words ("next", "more", "home") also open ordinary subheads ("Next steps for the
            # talks"): alone they only count on menu-sized lines
            continue
        return name
    return None


def _shape_reason(ln: _Line) -> str | None:
    """Chrome evident from the line alone, whatever its position."""
    text = ln.text
    n = len(ln.words)
    if not ln.words:
        return "no words"
    low = text.lower()
    if ("{" in text or "<" in text or "%" in text or "&" in text or "[" in text) and _MARKUP.search(text):
        return "markup"
    if n <= 8 and _URL_ONLY.match(text):
        return "link line"
    if "©" in text or not _STRONG_TRIGGERS.isdisjoint(ln.words) or _STRONG_PHRASES.search(ln.key):
        for name, rx in _STRONG_CHROME:
            if rx.search(text):
                return name
    if _LINK_CUE.match(text) and not (ln.end_punct and n > 25):
        return "link line"
    if n <= 20 and not ln.end_punct and _READ_HEADLINE.match(text):
        return "link line"
    if n <= 20 and ("comment" in low or "repl" in low or "respons" in low or "discussion" in low
                    or "thoughts" in low or "reaction" in low) and _COMMENTS_HEAD.search(text):
        ln.comments_head = True
        return "comment form"
    if n <= 8 and _COMMENT_AUTHOR.match(text):
        return "comment form"
    if n <= 6 and _READING_TIME.search(text):
        return "reading time"
    if n <= 8 and _TEMP.search(text) and _WEATHER.search(text) and not ln.stop >= 0.3:
        return "weather"
    if _DIGITS.search(text) and _is_dateline(ln):
        ln.dateline = True
        return "date header"
    if n <= 12 and _BYLINE.match(text) and not ln.end_punct and text[:1] != text[:1].lower():
        ln.dateline = True
        return "byline"
    if _CAPTION_TRIGGERS.search(low) and _CAPTION.search(text):
        return "caption"
    if n <= 6 or (n <= 12 and not ln.end_punct):
        ui = _ui_reason(ln)
        if ui:
            return ui
    return None


def _prose_class(ln: _Line, has_stops: bool) -> str:
    """body (running prose), near (prose-like but short or truncated) or short."""
    n = ln.units
    if has_stops and ln.latin >= 0.5 or has_stops and n == len(ln.words) and ln.stop > 0:
        if n < 4:
            return "short"
        # long lines without final punctuation are snippets cut short far more often than prose
        if n >= 10 and ln.stop >= 0.25 and ln.end_punct and not ln.ellipsis:
            return "body"
        if n >= 5 and ln.stop >= 0.18 or n >= 6 and ln.end_punct:
            return "near"
        return "short"
    # no stop-word list for this language: length and sentence punctuation only
    if n >= 25 and ln.end_punct and not ln.ellipsis:
        return "body"
    if n >= 8:
        return "near"
    return "short"


def _truncated(ln: _Line, stops: frozenset[str]) -> bool:
    """A snippet cut off mid-sentence: ends in '…' or with no punctuation after a function word."""
    if ln.ellipsis:
        return True
    if ln.end_punct or len(ln.words) < 10:
        return False
    last = ln.words[-1]
    return last in stops or len(last) <= 3 and last.isalpha() and last.islower()


def _classify(page: Page, recurring: frozenset[str]) -> None:
    """Give every line its class (body, near, short, chrome) and, for chrome, the reason."""
    lines, lang, latin_page, stops = page.lines, page.lang, page.latin_page, page.stops
    counts = Counter(ln.key for ln in lines)
    for ln in lines:
        ln.truncated = _truncated(ln, stops)
        ln.cls = _prose_class(ln, bool(stops))
        if len(ln.words) >= 4:
            digits = sum(1 for w in ln.words if w.isdigit())
            ln.numeric = digits / len(ln.words) >= 0.4
        if _EMBED_SIGNATURE.match(ln.text):
            ln.cls = "near"  # signature of a quoted post: belongs with the quote
            ln.end_punct = True
            continue
        ln.foreign = _foreign(ln, lang, latin_page, stops)
        reason = f"other language ({ln.foreign})" if ln.foreign else _shape_reason(ln)
        if reason is None and ln.cls != "body" and ln.key in recurring:
            # syndicated copies share their prose, so recurrence condemns only what is not prose
            reason = "recurring chrome"
        if reason is None and ln.cls != "body" and counts[ln.key] > 1 and len(ln.words) <= 6:
            reason = "repeated on page"
        if reason:
            ln.cls, ln.reason = "chrome", reason
