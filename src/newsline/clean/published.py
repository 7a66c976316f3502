"""Publication date of a text page, read from explicit dates that belong to the article.

The text cleaner decides *where* to look (the header lines around the headline, the lede); this module
finds date-shaped substrings there, parses them and judges them. Dates are located and read with
regular expressions because real header lines carry prefixes, times and zones that dateparser does not
take as a whole ("Update: 2023-07-24 07:56 GMT", "By Jane Doe - 11/19/19 06:56 AM EST"); the shapes
located (year-month-day, English month names, numeric dates) carry their year, month and day in named
groups, so no parser is needed for them. A header date whose month name is not English ("sábado 18 de
enero de 2025") is read by dateparser in the line's own language.

Relative dates downstream ("on Monday", "last month") are resolved against the publication date, so a
wrong date is worse than none: a numeric date whose day/month order cannot be decided from evidence on
the page is reported with year precision only, and a date in the lede is taken only in dateline form or
with a weekday that agrees with the calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import dateparser

from newsline.clean.language import detect_language

log = logging.getLogger(__name__)

__all__ = ["DateMatch", "Published", "clear_caches", "day_month_order", "find_dates", "published_from_lines"]

_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAY_NUM = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WDAY = (r"(?:(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
         r"|sat(?:urday)?|sun(?:day)?)\.?,?\s+)?")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# "25. September 2018": German and Nordic pages write the day as an ordinal with a dot
_DAY_DOT = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Order matters: a longer shape is tried before the shapes it contains (a full date before month-year).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2023-07-24, 2023/07/24, 2019-11-19T12:48:14Z: year first is never ambiguous
    ("ymd", re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)")),
    # (Friday,) November 5(th), 2021
    ("mdy_text", re.compile(rf"\b{_WDAY}{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    # (Mon) 18(th) (of) Nov(ember)(,) 2019
    ("dmy_text", re.compile(rf"\b{_WDAY}{_DAY_DOT}(?:\s+of)?\s+{_MON},?\s+{_YEAR}\b", re.I)),
    # 08/11/2021, 18.11.2019, 11/19/19 (two-digit years only with slashes: dotted and dashed pairs of
    # small numbers are version numbers, scores and phone numbers far more often than dates)
    ("numeric", re.compile(r"(?<![\d.,/])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)"
                           r"(?P<y>(?:19|20)\d\d|(?<=/)\d\d)(?![\d/]|\.\d)")),
    # November 2021 (month precision)
    ("my_text", re.compile(rf"\b{_MON},?\s+{_YEAR}\b", re.I)),
)

# words that mark a date as a later revision rather than the first publication
_UPDATE_CUE = re.compile(r"\b(?:updated?|modified|revised|edited|last)\b[^|;/]{0,30}$", re.I)
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?\b", re.I)

# Spelling evidence for day/month order on English pages: British-style spelling goes with day-first
# dates (UK, Ireland, South Asia, Africa, Australia), American spelling with month-first. Only words with
# a real spelling variant count: -our/-or stems, -ise/-ize verbs, -re/-er and -ce/-se nouns, doubled l.
_OUR = re.compile(r"\b(?:colo|favo|hono|labo|neighbo|behavio|harbo|rumo|armo|vigo|endeavo|humo|savo|flavo)"
                  r"(u?)r(?:s|ed|ing|able|ably|ite|ites|hood|hoods|ly)?\b", re.I)
_ISE = re.compile(r"\b(?:organi|recogni|reali|apologi|critici|emphasi|authori|mobili|prioriti|finali|utili|"
                  r"characteri|stabili|normali|moderni|minimi|maximi|summari|categori|legali|speciali|"
                  r"capitali|symboli|scrutini|mobili|centrali|neutrali|privati|democrati|destabili)"
                  r"([sz])(?:e|ed|es|ing|ation|ations)\b", re.I)
_RE_ER = re.compile(r"\b(?:cent|theat|fib|lit|calib)(re|er)s?\b|\b(?:defen|offen)(c|s)e\b|"
                    r"\b(?:travel|cancel|model|label|signal|fuel|level)(l?)(?:ed|ing)\b", re.I)


def _british_american(text: str) -> tuple[int, int]:
    brit = amer = 0
    for m in _OUR.finditer(text):
        brit, amer = (brit + 1, amer) if m.group(1) else (brit, amer + 1)
    for m in _ISE.finditer(text):
        brit, amer = (brit + 1, amer) if m.group(1).lower() == "s" else (brit, amer + 1)
    for m in _RE_ER.finditer(text):
        g = next(x for x in m.groups() if x is not None)
        brit, amer = (brit + 1, amer) if g.lower() in ("re", "c", "l") else (brit, amer + 1)
    return brit, amer


@dataclass(slots=True, frozen=True)
class DateMatch:
    """A date-shaped substring found in a line."""

    text: str
    start: int
    end: int
    year: int
    month: int | None
    day: int | None
    shape: str  # ymd | mdy_text | dmy_text | numeric | my_text
    weekday: int | None = None  # 0 = Monday, when the text names one
    ambiguous: bool = False  # numeric with both day and month <= 12 (and different)
    separator: str = ""

    @property
    def precision(self) -> str:
        return "day" if self.day else ("month" if self.month else "year")

    def weekday_consistent(self) -> bool | None:
        """True/False when the text names a weekday and the calendar agrees/disagrees, else None."""
        if self.weekday is None or not (self.month and self.day):
            return None
        try:
            return dt.date(self.year, self.month, self.day).weekday() == self.weekday
        except ValueError:
            return False


@dataclass(slots=True, frozen=True)
class Published:
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY as `precision` says
    precision: str  # day | month | year
    evidence: str


def _year(text: str) -> int:
    y = int(text)
    if y < 100:  # two-digit years: news pages are recent, pivot at 70
        y += 2000 if y < 70 else 1900
    return y


def _valid(y: int, m: int | None, d: int | None) -> bool:
    if not 1980 <= y <= 2100:
        return False
    if m is None:
        return True
    try:
        dt.date(y, m, d or 1)
    except ValueError:
        return False
    return True


def find_dates(text: str) -> list[DateMatch]:
    """All date-shaped substrings of `text` (with a year), in order, without overlaps."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for shape, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            g = m.groupdict()
            wd = _WEEKDAY_NUM.get((g.get("wd") or "")[:3].lower())
            ambiguous, sep = False, g.get("sep") or ""
            if shape == "ymd":
                y, mo, d = int(g["year"]), int(g["m"]), int(g["d"])
            elif shape in ("mdy_text", "dmy_text"):
                y, mo, d = int(g["year"]), _MONTH_NUM[g["mon"][:3].lower()], int(g["day"])
            elif shape == "my_text":
                y, mo, d = int(g["year"]), _MONTH_NUM[g["mon"][:3].lower()], None
            else:
                a, b, y = int(g["a"]), int(g["b"]), _year(g["y"])
                if a > 12 and b <= 12:
                    d, mo = a, b
                elif b > 12 and a <= 12:
                    mo, d = a, b
                elif a <= 12 and b <= 12:
                    # provisional month-first; the caller decides the order from page evidence
                    mo, d = a, b
                    ambiguous = a != b
                else:
                    continue
            if not _valid(y, mo, d) and not (ambiguous and _valid(y, d, mo)):
                continue
            found.append(DateMatch(m.group(0), s, e, y, mo, d, shape, wd, ambiguous, sep))
            taken.append((s, e))
    found.sort(key=lambda x: x.start)
    return found


def day_month_order(page_text: str, language: str | None) -> tuple[str | None, str]:
    """Decide whether ambiguous numeric dates on this page are day-first ("DMY") or month-first ("MDY").

    Evidence, strongest first: other numeric dates on the page whose day is > 12; dotted dates (the
    dd.mm.yyyy convention is day-first wherever it is used); the page's language (outside English,
    day-first is the norm for day/month/year dates); on English pages, the order of written-out dates
    ("5 November 2021" vs "November 5, 2021"), then British vs American spelling. Returns (order or
    None, a short note saying why).
    """
    dmy = mdy = 0
    dotted = 0
    text_dmy = text_mdy = 0
    for m in find_dates(page_text):
        if m.shape == "numeric" and not m.ambiguous:
            # find_dates resolved an unambiguous numeric date: which slot held the day?
            first = int(re.split(r"[/.\-]", m.text)[0])
            if first == m.day and first != m.month:
                dmy += 1
            elif first == m.month and first != m.day:
                mdy += 1
        if m.shape == "numeric" and m.separator == ".":
            dotted += 1
        if m.shape == "dmy_text":
            text_dmy += 1
        elif m.shape == "mdy_text":
            text_mdy += 1
    if dmy != mdy:
        return ("DMY", "day-first like other dates on the page") if dmy > mdy else (
            "MDY", "month-first like other dates on the page")
    if dotted:
        return "DMY", "dotted dates are day-first"
    if language and language != "en":
        return "DMY", f"day-first as usual for dates in {language} pages"
    if text_dmy != text_mdy:
        return ("DMY", "day-first like the written-out dates on the page") if text_dmy > text_mdy else (
            "MDY", "month-first like the written-out dates on the page")
    brit, amer = _british_american(page_text)
    if brit >= 2 * amer + 2:
        return "DMY", "day-first: the page uses British spelling"
    if amer >= 2 * brit + 2:
        return "MDY", "month-first: the page uses American spelling"
    return None, "day/month order undecidable"


def _resolve(m: DateMatch, evidence: str, page_text: str, language: str | None) -> Published | None:
    """Turn a located date into a Published value, deciding numeric day/month order by evidence.

    `evidence` is the text the date was read from; a note on how an ambiguous order was decided is
    appended to it in brackets."""
    note = ""
    y, mo, d = m.year, m.month, m.day
    if m.ambiguous:
        decided, why = day_month_order(page_text, language)
        if decided is None:
            # both readings share the year only: report what is certain
            return Published(f"{y:04d}", "year", f"{evidence} [{m.text}: {why}; year only]")
        if decided == "DMY":
            mo, d = d, mo
        note = f" [{m.text} read {'day' if decided == 'DMY' else 'month'}-first: {why}]"
    if not _valid(y, mo, d):
        return None
    iso = f"{y:04d}-{mo:02d}-{d:02d}" if d else f"{y:04d}-{mo:02d}"
    return Published(iso, m.precision, evidence + note)


def _is_update(line: str, m: DateMatch) -> bool:
    return bool(_UPDATE_CUE.search(line[max(0, m.start - 30):m.start]))


# A date written with the month's name in another language: "sábado 18 de enero de 2025", "13 مارچ 2025",
# "25. September 2018". The shape is located here; dateparser, told the line's language, reads the month.
_FOREIGN_DMY = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.?\s+(?:de\s+|of\s+)?(?P<mon>[^\W\d_]{3,}\.?),?\s+(?:de\s+)?"
                          r"(?P<y>(?:19|20)\d\d)(?!\d)")
_FOREIGN_MDY = re.compile(r"(?<![\w.])(?P<mon>[^\W\d_]{3,}\.?)\s+(?P<d>[0-3]?\d),?\s+(?P<y>(?:19|20)\d\d)(?!\d)")


@functools.lru_cache(maxsize=4096)
def _foreign_date(text: str, lang: str) -> dt.date | None:
    try:
        got = dateparser.parse(text, languages=[lang], settings={
            "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception as exc:  # unsupported language code, odd input: the date stays unread
        log.debug("dateparser (%s) failed on %r: %s", lang, text, exc)
        return None
    return got.date() if got is not None and 1980 <= got.year <= 2100 else None


def _foreign_dates(line: str, lang: str) -> Published | None:
    for rx in (_FOREIGN_DMY, _FOREIGN_MDY):
        for m in rx.finditer(line):
            got = _foreign_date(m.group(0), lang)
            if got is not None:
                return Published(got.isoformat(), "day", f"{line.strip()[:200]} [read as {lang}]")
    return None


HeaderLine = str | tuple[str, str | None]


def published_from_lines(header: Sequence[HeaderLine], lede: Sequence[str], page_text: str,
                         language: str | None) -> Published | None:
    """The article's publication date from its header lines, else from a dateline in its lede.

    `header` are the short lines that belong to the article header (byline, date line), nearest to the
    headline first, each optionally with its own language: any full date there is the article's. A
    month-year only counts when it stands alone in a date line. Dates are read in English; a line in
    another language (or a page in one) also has its month names read in that language. `lede` are the
    first body paragraphs: a date there is the article's only in dateline form (at the very start of the
    lede) or with a weekday that agrees with the calendar ("on Friday, November 5, 2021"), since ledes
    also mention earlier events by date.
    """
    for item in header:
        line, line_lang = (item, None) if isinstance(item, str) else item
        if len(line.split()) > 25:
            continue
        matches = find_dates(line)
        if not matches and (_FOREIGN_DMY.search(line) or _FOREIGN_MDY.search(line)):
            # a month name that is not English: read it in the line's own language
            foreign = line_lang if line_lang and line_lang != "en" else detect_language(line)[0]
            if foreign and foreign != "en":
                got = _foreign_dates(line, foreign)
                if got:
                    return got
        if not matches:
            continue
        full = [m for m in matches if m.day is not None and m.weekday_consistent() is not False]
        # the first publication, not the revision stamp, when a line carries both
        first = [m for m in full if not _is_update(line, m)] or full
        if first:
            got = _resolve(first[0], line.strip()[:200], page_text, language)
            if got:
                return got
        months = [m for m in matches if m.precision == "month"]
        rest = line
        for m in months:
            rest = rest.replace(m.text, " ")
        if months and len(_TIME.sub(" ", rest).split()) <= 3:
            got = _resolve(months[0], line.strip()[:200], page_text, language)
            if got:
                return got
    for n, para in enumerate(lede):
        for m in find_dates(para):
            consistent = m.weekday_consistent()
            if m.day is None or consistent is False:
                continue
            # "WASHINGTON, Nov 19, 2019 (Reuters) -": a place name at most before the date
            dateline = n == 0 and m.start <= 60 and len(para[:m.start].split()) <= 4
            if dateline or consistent:
                got = _resolve(m, _sentence_around(para, m), page_text, language)
                if got:
                    return got
    return None


def _sentence_around(text: str, m: DateMatch) -> str:
    """The sentence of `text` holding the date, as evidence shorter than the whole paragraph."""
    start = text.rfind(". ", 0, m.start)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", m.end)
    end = len(text) if end < 0 else end + 1
    if end - start > 300:  # a long sentence: the stretch that leads up to the date
        start = max(start, m.start - 220)
        start = text.find(" ", start) + 1 if start > 0 else 0
        end = min(end, m.end + 60)
        return ("…" if start > 0 else "") + text[start:end].strip()
    return text[start:end].strip()


def clear_caches() -> None:
    """Forget memoised date parses (benchmarks call this so that repeated rounds measure real work)."""
    _foreign_date.cache_clear()
