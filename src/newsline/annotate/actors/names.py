"""Dates of the dictionary's roles and the keys names are looked up by (slug, fold, transliteration skeleton)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def _norm_date(value: Any, end: bool = False) -> str | None:
    """ISO date string from YAML (date, 'YYYY', 'YYYY-MM', 'YYYY-MM-DD'); month/year ends are inclusive."""
    if value is None or value == "":
        return None
    s = str(value)[:10]
    if re.fullmatch(r"\d{4}", s):
        return f"{s}-12-31" if end else f"{s}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        if not end:
            return f"{s}-01"
        import calendar

        y, m = int(s[:4]), int(s[5:7])
        return f"{s}-{calendar.monthrange(y, m)[1]:02d}"
    return s


def _day(date: str | None) -> str | None:
    """A date to compare with role bounds: 'YYYY-MM-DD' (a month or year date counts as its first day)."""
    if not date:
        return None
    return _norm_date(date)


def slugify(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"


def fold(text: str) -> str:
    """Lowercase, accents removed, curly quotes straightened: the key for case-insensitive lookups."""
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


_VOWELS = re.compile(r"[aeiou]")
_DOUBLE = re.compile(r"(.)\1+")
_NON_ALPHA = re.compile(r"[^a-z]")


def name_skeleton(word: str) -> str:
    """A transliteration-tolerant key of one word of a person's name: accents folded, q = k, ph = f, 'h' and
    vowels dropped after the first letter (an initial vowel is 'a'), doubled letters single. "Mustafa",
    "Mostafa" and "Moustapha" are all "mstf"; "Youssef" and "Yusuf" "ysf"; "Mohammad", "Muhammad" and
    "Mohammed" "md"; "Kasim" and "Qasim" "ksm"."""
    w = _NON_ALPHA.sub("", fold(word))
    if not w:
        return ""
    w = w.replace("q", "k").replace("ph", "f").replace("ck", "k")
    first = "a" if w[0] in "aeiou" else w[0]
    rest = _VOWELS.sub("", w[1:].replace("h", ""))
    return _DOUBLE.sub(r"\1", first + rest)

