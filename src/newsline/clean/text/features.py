"""Lines and their shape features: the page's non-blank lines (hard-wrapped paragraphs joined back), the
features of each, and the `Page` the cleaner's steps share."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsline.clean.published import find_dates
from newsline.clean.text.cues import (
    _BULLET,
    _BYLINE,
    _CJK,
    _CLOSERS,
    _DATE_WORDS,
    _END_PUNCT,
    _LATIN,
    _LETTER,
    _MONTH_DAY,
    _TIME,
    _WORD,
)


def _reflow(raw: list[str]) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers; hard-wrapped paragraphs are joined back into one line.

    Text dumps of pages (lynx, w3m, e-mail) wrap paragraphs at a fixed width. Such a page shows many
    lines of nearly the same length just under that width; a line that reaches it and is followed by a
    non-blank line continues on that line. Pages with one paragraph per line (lengths all over the
    place, most far beyond any terminal width) are left as they are.
    """
    stripped = [(no, s.strip()) for no, s in enumerate(raw, 1)]
    longish = sorted(len(s) for _, s in stripped if len(s) >= 35)
    width = 0
    if len(longish) >= 5:
        top = longish[int(0.9 * (len(longish) - 1))]
        near = sum(1 for n in longish if top - 12 <= n <= top)
        if 40 <= top <= 100 and near >= 0.5 * len(longish) and longish[-1] <= top + 8:
            width = longish[-1]
    out: list[tuple[int, str]] = []
    joinable = False
    for no, s in stripped:
        if not s:
            joinable = False
            continue
        # the wrapper broke the previous line only if this line's first word would not have fitted on it
        if joinable and out and not _BULLET.match(s) and len(out[-1][1]) + 1 + len(s.split()[0]) > width:
            out[-1] = (out[-1][0], out[-1][1] + " " + s)
        else:
            out.append((no, s))
        joinable = bool(width) and len(s) >= width - 20 and not s.endswith(":")
    return out


@dataclass(slots=True)
class _Line:
    idx: int  # position among the page's non-blank lines
    no: int  # 1-based line number in the page (what an editor shows)
    text: str
    key: str
    words: list[str]  # lower-cased \w+ tokens
    units: float  # words, or characters / 2 for scripts written without spaces
    stop: float  # share of the body language's stop-words among the words
    end_punct: bool
    ellipsis: bool
    latin: float  # share of Latin letters among letters
    cls: str = "short"  # body | near | short | chrome
    reason: str | None = None  # why chrome (or why dropped after context)
    truncated: bool = False
    foreign: str | None = None
    dateline: bool = False  # a date/byline line of a page header
    comments_head: bool = False  # starts a comment section
    numeric: bool = False  # a table row: mostly numbers


def _features(no: int, idx: int, text: str) -> _Line:
    """Shape features of one line; `stop` is filled in once the body's language is known."""
    low = text.lower()
    words = _WORD.findall(low)
    if text.isascii():  # the common case needs no per-script counting
        latin = 1.0 if low != text.upper() else 0.0  # has a letter
        units = float(len(words))
    else:
        letters = len(_LETTER.findall(text))
        latin = len(_LATIN.findall(text)) / letters if letters else 0.0
        cjk = len(_CJK.findall(text)) if latin < 0.5 else 0
        units = float(len(words)) if cjk < 10 else len(text) / 2.0
    tail = text.rstrip(_CLOSERS + " ")
    end_punct = bool(tail) and tail[-1] in _END_PUNCT
    ellipsis = (tail.endswith("...") or tail.endswith("…")) if tail else False
    return _Line(idx, no, text, " ".join(words), words, units, 0.0, end_punct, ellipsis, latin)


def _is_dateline(ln: _Line) -> bool:
    """A header line that is a date, or a byline/date ("By Jane Doe | Nov 19, 2019 8:03 am ET")."""
    if len(ln.words) > 24:  # times and dates split into many \w+ tokens ("18.54 GMT"): generous bound
        return False
    dates = [d.text for d in find_dates(ln.text)]
    if not dates:
        # "Updated Nov 19, 9:41 AM": a header date without its year is still a header date
        dates = [m.group(0) for m in _MONTH_DAY.finditer(ln.text)]
        if not dates or not (_TIME.search(ln.text) or _DATE_WORDS.search(ln.text)):
            return False
    rest = ln.text
    for d in dates:
        rest = rest.replace(d, " ")
    rest = _DATE_WORDS.sub(" ", _TIME.sub(" ", rest))
    left = _WORD.findall(rest)
    # what is left besides the date is at most a name ("By Jane Doe", "Associated Press") or a label
    return len(left) <= 6 or bool(_BYLINE.match(ln.text))


@dataclass(slots=True)
class Page:
    """One page being cleaned, shared by the cleaner's steps (instead of their long argument lists): its text
    and lines, the body's language and stop-words, and what the steps have settled so far — where the
    article starts inside its core (`a`, after the header), where the header read for the date ends, the
    lines kept and the title."""

    text: str
    lines: list[_Line]
    lang: str | None = None
    latin_page: bool = False  # the page's prose is written in Latin script
    stops: frozenset[str] = frozenset()
    a: int = 0
    header_end: int = 0
    keep: set[int] = field(default_factory=set)
    title: str | None = None
    title_idx: int | None = None
