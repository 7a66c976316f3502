"""Temporal expressions resolved against the publication date into (start, end, precision).

One compiled regular expression finds the expressions in the article text (no per-pattern loops); each
match is resolved by a small function of the publication date:

* explicit dates: "2023-07-24", "October 21, 2021", "21 October 2021", "Friday, November 5, 2021" (day);
  "April 2023" (month); "in 2021" (year); "late 2022", "mid-August" (narrowed month/year);
* dates without a year: "October 21", "on 18 May", "Saturday 20 May" — the year that puts the date
  closest to the publication date;
* weekdays: "on Monday" is the last Monday on or before the publication date; "next Monday", or a
  weekday after a future marker in the same sentence ("will", "due to", "scheduled", "would") or a
  deadline ("until Monday", "by the end of August"), the first one on or after it; "last Monday" the one
  strictly before;
* same day: "earlier/later in the day", "on the same day", "that same morning" — the last day-precision
  date of the sentence or the two before it, else the publication day;
* deadlines: "by/before/until the end of August" — the whole month, forward from publication; "by the end
  of the year/this month/next week" — from publication to the end of that unit;
* deictic: "today", "tonight", "yesterday", "tomorrow"; "last/this/next week|month|year",
  "earlier/later this week|month|year", "the weekend";
* months without a year: "in April" — the April closest to the publication date;
* ranges and durations: "since August" / "since 2021" (range up to publication), "for nearly two weeks",
  "over the past three days" (duration ending at publication), "two days ago", "in recent weeks",
  "in the coming days" (range from publication), "the 1990s".

Publication date unknown: only expressions that carry their own year resolve; everything relative is
returned with date_start = date_end = None (never resolved against today). A publication date known to the
month or year resolves what that precision allows ("this year", "in April" with a known year).
Precision is one of day | week | month | year | range | duration.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsline.records import TimeExpression

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "several": 3, "few": 3, "a few": 3,
    "a couple of": 2, "couple of": 2, "two and a half": 2, "a dozen": 12, "dozen": 12,
}

_M_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_M_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MON = rf"(?:{_M_FULL}|{_M_ABBR})"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|" \
       r"fifteen|twenty|thirty|forty|fifty|several|a\s+few|few|a\s+couple\s+of|couple\s+of|a\s+dozen|dozen)"
_UNIT = r"(?:day|week|month|year|decade)s?"
_APPROX = r"(?:(?:nearly|almost|about|around|roughly|some|more\s+than|over|less\s+than|at\s+least|" \
          r"just\s+over|just\s+under|close\s+to)\s+)?"
_PART = r"(?:\s+(?:night|morning|afternoon|evening))?"
_EDGE = r"(?:early|late|mid|end\s+of|beginning\s+of|start\s+of)"

# named groups identify the kind; order = priority among alternatives starting at the same position
_PATTERNS = [
    ("iso", rf"\b(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-2]\d|3[01])\b"),
    ("mdy", rf"\b(?:{_WD},?\s+)?(?P<mdy_m>{_MON})\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR})\b"),
    ("dmy", rf"\b(?:{_WD},?\s+)?(?:the\s+)?(?P<dmy_d>{_DAY})\s+(?:of\s+)?(?P<dmy_m>{_MON}),?\s+(?P<dmy_y>{_YEAR})\b"),
    ("md", rf"\b(?:(?:on|from|until|till|by|since)\s+)?(?:{_WD},?\s+)?(?P<md_m>{_MON})\s+(?P<md_d>{_DAY})\b(?!\s*,?\s*\d)"),
    ("dm", rf"\b(?:(?:on|from|until|till|by|since)\s+)?(?:{_WD},?\s+)?(?:the\s+)?(?P<dm_d>{_DAY})\s+(?:of\s+)?(?P<dm_m>{_MON})\b(?!\s*,?\s*\d)"),
    ("my", rf"\b(?:(?:in|since|until|by|from|during|of)\s+)?(?:(?P<my_edge>{_EDGE})[-\s]+)?(?P<my_m>{_M_FULL}|{_M_ABBR})\s+(?P<my_y>{_YEAR})\b"),
    ("since", rf"\bsince\s+(?:(?P<since_edge>{_EDGE})[-\s]+)?(?:(?P<since_m>{_M_FULL})|(?P<since_y>{_YEAR})|(?P<since_wd>{_WD}))\b"),
    ("dur", rf"\b(?:for|over)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?{_APPROX}(?P<dur_n>{_NUM})\s+(?P<dur_u>{_UNIT})\b(?!\s+(?:ago|later|earlier|before|after))"),
    ("pastn", rf"\b(?:(?:in|over|during)\s+)?the\s+(?:past|last|previous)\s+{_APPROX}(?P<pastn_n>{_NUM})\s+(?P<pastn_u>{_UNIT})\b"),
    ("pastu", r"\b(?:(?:in|over|during)\s+)?the\s+(?:past|last|previous)\s+(?P<pastu_u>day|week|month|year|decade)\b"),
    ("ago", rf"\b{_APPROX}(?P<ago_n>{_NUM})\s+(?P<ago_u>{_UNIT})\s+ago\b"),
    ("recent", r"\b(?:in|over)\s+(?:the\s+)?(?P<recent_q>recent|coming|next\s+few|past\s+few|last\s+few)\s+"
               r"(?P<recent_u>days|weeks|months|years)\b"),
    ("decade", r"\b(?:the\s+|in\s+the\s+|since\s+the\s+)?(?P<decade>(?:19|20)\d0)s\b"),
    ("rel", r"\b(?P<rel_since>since\s+)?(?P<rel_q>last|this|next|past|previous|coming|earlier\s+this|later\s+this|early\s+this|"
            r"late\s+this|earlier\s+in\s+the|later\s+in\s+the)\s+(?P<rel_u>week|month|year|weekend)\b"),
    ("theweekend", r"\b(?:over\s+|at\s+)?the\s+weekend\b"),
    ("wd", rf"\b(?:(?P<wd_q>on|last|this|next|late|early|since|until|by|from|overnight\s+into|before|after)\s+)?"
           rf"(?:(?P<wd_q2>late|early)\s+)?(?P<wd>{_WD}){_PART}\b"),
    ("sameday", r"\b(?:(?:earlier|later|early|late)\s+(?:in\s+|on\s+)?(?:the|that)\s+(?:same\s+)?day|(?:on\s+|later\s+|earlier\s+)?"
                r"(?:the\s+same|that\s+same)\s+(?:day|morning|afternoon|evening|night)|the\s+same\s+day)\b"),
    ("endof", r"\b(?P<endof_q>by|before|until|till)\s+the\s+end\s+of\s+(?P<endof_w>the|this|next)\s+"
              r"(?P<endof_u>week|month|year)\b"),
    ("deictic", r"\b(?P<deictic>today|tonight|yesterday|tomorrow|this\s+morning|this\s+afternoon|this\s+evening|"
                r"last\s+night|overnight)\b"),
    ("mon", rf"\b(?P<mon_q>in|since|until|till|by|from|during|last|this|next|early|late|mid|mid-|end\s+of|"
            rf"beginning\s+of|start\s+of)[-\s]+(?:(?P<mon_edge>early|late|mid)[-\s]+)?(?P<mon_m>{_M_FULL})\b(?!\s+\d)"),
    ("year", rf"(?<![\d,.$£€])\b(?:(?P<year_q>in|since|until|till|by|from|during|of|early|late|mid|mid-|end\s+of|"
             rf"beginning\s+of|start\s+of|before|after)[-\s]+)?(?P<year>{_YEAR})\b(?![-–]\w|,\d|\.\d|\s*%)"),
]
_RE = re.compile("|".join(f"(?P<k_{name}>{pat})" for name, pat in _PATTERNS), re.IGNORECASE)
# The words an expression can begin with (every pattern starts at a word boundary with a digit or one of
# these). `_SCAN` is `_RE` behind a check that the position starts such a word: the same matches, found
# about five times faster, because the many alternatives are no longer tried at every character.
_FIRST_WORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "on|from|until|till|by|since|in|during|of|for|over|the|past|last|previous|nearly|almost|about|around|"
    "roughly|some|more|less|at|just|close|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|several|few|couple|dozen|early|late|mid|end|"
    "beginning|start|coming|next|earlier|later|this|that|today|tonight|yesterday|tomorrow|overnight|before|after"
)
_SCAN = re.compile(rf"(?<!\w)(?=\d|(?:{_FIRST_WORDS})\b)(?:{_RE.pattern})", re.IGNORECASE)
# every expression contains one of these: sentences without any are not scanned with the big pattern
_TRIGGER = re.compile(r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|"
                      r"today|tonight|yesterday|tomorrow|overnight|day|week|month|year|decade|night|"
                      r"morning|afternoon|evening|ago)", re.IGNORECASE)
# a deadline looks forward: "by the end of August", "until Monday"
_DEADLINE = re.compile(r"\b(?:by|until|till|before|ahead\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_DEADLINE_IN = re.compile(r"(?:by|until|till|before)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|would|shall|'ll|due|scheduled|set\s+to|expected|planned|plans|to\s+be\s+held|"
                     r"next|upcoming|to\s+take\s+effect|is\s+to|are\s+to|going\s+to)\b", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class PubDate:
    """The publication date with its precision ('day' | 'month' | 'year')."""

    day: date | None
    year: int | None
    month: int | None

    @classmethod
    def parse(cls, value: str | None) -> PubDate:
        if not value:
            return cls(None, None, None)
        s = str(value)
        m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
        if not m:
            return cls(None, None, None)
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = None
        if m.group(3):
            try:
                d = date(y, mo or 1, int(m.group(3)))
            except ValueError:
                d = None
        return cls(d, y, mo)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, months: int) -> date:
    m0 = d.month - 1 + months
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _minus(d: date, n: int, unit: str) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return d - timedelta(days=n)
    if unit == "week":
        return d - timedelta(weeks=n)
    if unit == "month":
        return _add_months(d, -n)
    if unit == "year":
        return _add_months(d, -12 * n)
    if unit == "decade":
        return _add_months(d, -120 * n)
    return d  # hours


def _num(s: str) -> int | None:
    s = re.sub(r"\s+", " ", s.lower())
    if s.isdigit():
        return int(s)
    return NUMBERS.get(s)


def _edge_range(y: int, m: int | None, edge: str | None) -> tuple[date, date]:
    """A month or year narrowed by early/mid/late."""
    if m is None:
        start, end = date(y, 1, 1), date(y, 12, 31)
        if edge:
            e = edge.lower().split()[0]
            if e in {"early", "beginning", "start"}:
                end = date(y, 4, 30)
            elif e == "mid":
                start, end = date(y, 5, 1), date(y, 8, 31)
            elif e in {"late", "end"}:
                start = date(y, 9, 1)
        return start, end
    start, end = date(y, m, 1), _month_end(y, m)
    if edge:
        e = edge.lower().split()[0]
        if e in {"early", "beginning", "start"}:
            end = date(y, m, 10)
        elif e == "mid":
            start, end = date(y, m, 11), date(y, m, 20)
        elif e in {"late", "end"}:
            start = date(y, m, 21)
    return start, end


def _closest_year(pub: PubDate, m: int, d: int | None, future: bool = False) -> int | None:
    """Year for a month (and day) without a year. News mostly reports the past: the latest such date on or
    before the publication date (3 days' tolerance for late publication dates); after a future marker
    ("will", "due to", "would") the first one on or after it."""
    if pub.year is None:
        return None
    if pub.day is None:
        if pub.month is None:
            return None
        ref = date(pub.year, pub.month, 15)
    else:
        ref = pub.day
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            lo = date(y, m, d or 1)
            hi = date(y, m, d) if d else _month_end(y, m)
        except ValueError:
            continue
        cands.append((y, lo, hi))
    if future:
        ok = [y for y, lo, hi in cands if hi >= ref - timedelta(days=3)]
        return ok[0] if ok else None
    ok = [y for y, lo, hi in cands if lo <= ref + timedelta(days=3)]
    return ok[-1] if ok else None


def _resolve_rel(q: str, unit: str, pub: PubDate, p: date | None, future: bool) -> tuple[str | None, str | None, str]:
    """"last/this week|month|year" alone (the unit's start and end)."""
    m = _RE.fullmatch(f"{q} {unit}")
    return _resolve(m, pub, future) if m else (None, None, "range")


def _resolve(m: re.Match, pub: PubDate, future: bool, deadline: bool = False,
             anchor: date | None = None) -> tuple[str | None, str | None, str]:
    """(start, end, precision) for one match. `deadline`: the expression follows "by/before/until";
    `anchor`: the day the context of the sentence is about (for "the same day", "later in the day")."""
    g = m.groupdict()
    kind = m.lastgroup[2:] if m.lastgroup else ""
    # lastgroup is the last *closed* group, which is the outer k_ group for our alternation
    for name, _ in _PATTERNS:
        if g.get(f"k_{name}") is not None:
            kind = name
            break
    p = pub.day
    if kind == "iso":
        try:
            d = date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
        except ValueError:
            return None, None, "day"
        return _iso(d), _iso(d), "day"
    if kind in {"mdy", "dmy"}:
        mo = MONTHS[g[f"{kind}_m"].lower().rstrip(".")]
        dd = int(re.match(r"\d+", g[f"{kind}_d"]).group())
        try:
            d = date(int(g[f"{kind}_y"]), mo, dd)
        except ValueError:
            return None, None, "day"
        return _iso(d), _iso(d), "day"
    if kind in {"md", "dm"}:
        mo = MONTHS[g[f"{kind}_m"].lower().rstrip(".")]
        dd = int(re.match(r"\d+", g[f"{kind}_d"]).group())
        y = _closest_year(pub, mo, dd, future)
        if y is None:
            return None, None, "day"
        try:
            d = date(y, mo, dd)
        except ValueError:
            return None, None, "day"
        return _iso(d), _iso(d), "day"
    if kind == "my":
        mo = MONTHS[g["my_m"].lower().rstrip(".")]
        s, e = _edge_range(int(g["my_y"]), mo, g.get("my_edge"))
        return _iso(s), _iso(e), "month"
    if kind == "year":
        q = (g.get("year_q") or "").lower()
        y = int(g["year"])
        edge = q if q.split()[:1] and q.split()[0] in {"early", "late", "mid", "mid-", "end", "beginning",
                                                       "start"} else None
        s, e = _edge_range(y, None, edge.rstrip("-") if edge else None)
        if q == "since":
            return _iso(date(y, 1, 1)), _iso(p), "range"
        return _iso(s), _iso(e), "year"
    if kind == "mon":
        mo = MONTHS[g["mon_m"].lower()]
        q = g["mon_q"].lower().rstrip("-")
        if pub.year is None:
            return None, None, "month"
        ref_m = pub.month
        if q == "last":
            y = pub.year if ref_m and mo < ref_m else pub.year - 1
        elif q == "next":
            y = pub.year if ref_m and mo > ref_m else pub.year + 1
        elif q == "this":
            y = pub.year
        else:
            y = _closest_year(pub, mo, None, future) if ref_m else pub.year
        edge = g.get("mon_edge") or (q if q in {"early", "late", "mid", "end of", "beginning of", "start of"} else None)
        if deadline and edge == "end of":
            edge = None  # "before the end of June": some time up to then, coded as the month
        s, e = _edge_range(y, mo, edge)
        if q == "since":
            return _iso(s), _iso(p) if p else None, "range"
        return _iso(s), _iso(e), "month"
    if kind == "since":
        if g.get("since_y"):
            y = int(g["since_y"])
            s, _e = _edge_range(y, None, g.get("since_edge"))
            return _iso(s), _iso(p), "range"
        if g.get("since_m"):
            mo = MONTHS[g["since_m"].lower()]
            if pub.year is None:
                return None, None, "range"
            y = pub.year if (pub.month or 12) >= mo else pub.year - 1
            s, _e = _edge_range(y, mo, g.get("since_edge"))
            return _iso(s), _iso(p), "range"
        if g.get("since_wd"):
            if p is None:
                return None, None, "range"
            wd = WEEKDAYS[g["since_wd"].lower()]
            s = p - timedelta(days=(p.weekday() - wd) % 7)
            return _iso(s), _iso(p), "range"
    if kind in {"dur", "pastn"}:
        n = _num(g[f"{kind}_n"])
        unit = g[f"{kind}_u"]
        if p is None or n is None or unit.lower().startswith("hour"):
            return None, None, "duration"
        return _iso(_minus(p, n, unit)), _iso(p), "duration"
    if kind == "pastu":
        if p is None:
            return None, None, "duration"
        return _iso(_minus(p, 1, g["pastu_u"])), _iso(p), "duration"
    if kind == "ago":
        n = _num(g["ago_n"])
        unit = g["ago_u"].lower().rstrip("s")
        if p is None or n is None or unit == "hour":
            return None, None, "day"
        d = _minus(p, n, unit)
        prec = {"day": "day", "week": "week", "month": "month"}.get(unit, "year")
        return _iso(d), _iso(d), prec
    if kind == "recent":
        if p is None:
            return None, None, "range"
        unit = g["recent_u"].lower()
        back = {"days": (7, "day"), "weeks": (4, "week"), "months": (3, "month"), "years": (3, "year")}[unit]
        if g["recent_q"].lower().split()[0] in {"coming", "next"}:
            return _iso(p), _iso(_minus(p, -back[0], back[1])), "range"
        return _iso(_minus(p, back[0], back[1])), _iso(p), "range"
    if kind == "decade":
        y = int(g["decade"])
        if m.group(0).lower().startswith("since"):
            return _iso(date(y, 1, 1)), _iso(p), "range"
        return _iso(date(y, 1, 1)), _iso(date(y + 9, 12, 31)), "range"
    if kind == "rel":
        q = re.sub(r"\s+", " ", g["rel_q"].lower())
        unit = g["rel_u"].lower()
        if g.get("rel_since") and q in {"last", "past", "previous", "this"} and unit != "weekend":
            # "since last year": from the start of that unit up to publication
            s_, _e, _p = _resolve_rel(q, unit, pub, p, future)
            return (s_, _iso(p), "range") if s_ and p else (None, None, "range")
        if unit == "year":
            if pub.year is None:
                return None, None, "year"
            y = pub.year + {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(q, 0)
            if q.startswith("earlier") or q.startswith("early"):
                return _iso(date(y, 1, 1)), _iso(p) if p else _iso(date(y, 12, 31)), "year"
            if q.startswith("later") or q.startswith("late"):
                return _iso(p) if p else _iso(date(y, 1, 1)), _iso(date(y, 12, 31)), "year"
            return _iso(date(y, 1, 1)), _iso(date(y, 12, 31)), "year"
        if unit == "month":
            if pub.year is None or pub.month is None:
                return None, None, "month"
            base = date(pub.year, pub.month, 1)
            shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(q, 0)
            b = _add_months(base, shift)
            s, e = b, _month_end(b.year, b.month)
            if q.startswith("earlier") or q.startswith("early"):
                e = p or e
            elif q.startswith("later") or q.startswith("late"):
                s = p or s
            return _iso(s), _iso(e), "month"
        if p is None:
            return None, None, "week"
        monday = p - timedelta(days=p.weekday())
        shift = {"last": -7, "past": -7, "previous": -7, "next": 7, "coming": 7}.get(q, 0)
        if unit == "weekend":
            if p.weekday() >= 5:
                this_sat = p - timedelta(days=p.weekday() - 5)
            else:
                this_sat = p + timedelta(days=5 - p.weekday()) if future else p - timedelta(days=p.weekday() + 2)
            sat = this_sat + timedelta(days={"last": -7, "past": -7, "previous": -7, "next": 7,
                                             "coming": 7 if p.weekday() >= 5 else 0}.get(q, 0))
            if q in {"last", "past", "previous"} and p.weekday() < 5 and not future:
                sat = this_sat
            return _iso(sat), _iso(sat + timedelta(days=1)), "range"
        s = monday + timedelta(days=shift)
        e = s + timedelta(days=6)
        if q.startswith("earlier") or q.startswith("early"):
            e = p
        elif q.startswith("later") or q.startswith("late"):
            s = p
        return _iso(s), _iso(e), "week"
    if kind == "theweekend":
        if p is None:
            return None, None, "range"
        if p.weekday() >= 5:
            sat = p - timedelta(days=p.weekday() - 5)
        else:
            sat = p + timedelta(days=5 - p.weekday()) if future else p - timedelta(days=p.weekday() + 2)
        return _iso(sat), _iso(sat + timedelta(days=1)), "range"
    if kind == "sameday":
        d = anchor or p
        return (_iso(d), _iso(d), "day") if d else (None, None, "day")
    if kind == "endof":
        if pub.year is None:
            return None, None, g["endof_u"].lower()
        unit = g["endof_u"].lower()
        nxt = g["endof_w"].lower() == "next"
        if unit == "year":
            y = pub.year + (1 if nxt else 0)
            return _iso(date(y, 1, 1) if nxt else (p or date(y, 1, 1))), _iso(date(y, 12, 31)), "year"
        if unit == "month":
            if pub.month is None:
                return None, None, "month"
            b = _add_months(date(pub.year, pub.month, 1), 1 if nxt else 0)
            return _iso(b if nxt else (p or b)), _iso(_month_end(b.year, b.month)), "month"
        if p is None:
            return None, None, "week"
        sunday = p + timedelta(days=6 - p.weekday() + (7 if nxt else 0))
        return _iso(p), _iso(sunday), "week"
    if kind == "deictic":
        if p is None:
            return None, None, "day"
        w = re.sub(r"\s+", " ", g["deictic"].lower())
        d = {"yesterday": p - timedelta(days=1), "tomorrow": p + timedelta(days=1),
             "last night": p - timedelta(days=1)}.get(w, p)
        return _iso(d), _iso(d), "day"
    if kind == "wd":
        if p is None:
            return None, None, "day"
        wd = WEEKDAYS[g["wd"].lower()]
        q = (g.get("wd_q") or "").lower()
        back = (p.weekday() - wd) % 7
        fwd = (wd - p.weekday()) % 7
        if q == "last":
            d = p - timedelta(days=back or 7)
        elif q == "next":
            d = p + timedelta(days=fwd or 7)
        elif q in {"until", "by", "before"} or future:
            d = p + timedelta(days=fwd)
        else:
            d = p - timedelta(days=back)
        if q == "since":
            return _iso(d), _iso(p), "range"
        return _iso(d), _iso(d), "day"
    return None, None, "day"


_NAME_GROUPS = ("mdy_m", "dmy_m", "md_m", "dm_m", "my_m", "mon_m", "since_m", "since_wd", "wd")


def _capitalised(m: re.Match) -> bool:
    """Month and weekday names are proper nouns: "in may" or "the march" are not dates."""
    for name in _NAME_GROUPS:
        v = m.group(name)
        if v is not None and not v[:1].isupper():
            return False
    return True


def find_times(text: str, published: str | None, token_starts: list[int] | None = None,
               sentence_bounds: list[tuple[int, int]] | None = None) -> list[TimeExpression]:
    """All temporal expressions of `text`, resolved against `published` (ISO date, month or year).

    `token_starts` (sorted char offsets of tokens) fills token ranges; `sentence_bounds` [(start, end)]
    limits the look-back for future markers to the sentence.
    """
    pub = PubDate.parse(published)
    out: list[TimeExpression] = []
    sent_starts = [s for s, _ in sentence_bounds] if sentence_bounds else []
    windows = sentence_bounds or [(0, len(text))]
    matches = []
    for ws, we in windows:
        if _TRIGGER.search(text, ws, we):
            matches.extend(_SCAN.finditer(text, ws, we))
    for m in matches:
        if not _capitalised(m):
            continue
        start, end = m.start(), m.end()
        # future markers between the sentence start (or 80 chars back) and the expression
        lo = max(0, start - 80)
        if sent_starts:
            k = bisect.bisect_right(sent_starts, start) - 1
            if k >= 0:
                lo = max(lo, sent_starts[k])
        deadline = bool(_DEADLINE.search(text[max(lo, start - 24):start]) or _DEADLINE_IN.match(m.group(0)))
        future = deadline or bool(_FUTURE.search(text, lo, start))
        anchor = None
        if m.group("k_sameday") is not None:
            # "the same day", "later in the day": the last day named in this sentence or the two before it
            k = bisect.bisect_right(sent_starts, start) - 1 if sent_starts else -1
            lo_ctx = sent_starts[max(0, k - 2)] if k >= 0 else max(0, start - 400)
            for t in reversed(out):
                if t.end <= start and t.start >= lo_ctx and t.precision == "day" and t.date_start:
                    anchor = date.fromisoformat(t.date_start)
                    break
        ds, de, prec = _resolve(m, pub, future, deadline, anchor)
        ts = te = 0
        if token_starts:
            ts = bisect.bisect_right(token_starts, start) - 1
            te = bisect.bisect_left(token_starts, end)
            ts = max(ts, 0)
        out.append(TimeExpression(start, end, m.group(0), ds, de, prec, ts, te))
    return out
