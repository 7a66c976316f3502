"""Metadata fields given with the input (a JSONL record's `published`, `title`, `url`): checked, not trusted.

A light module (standard library only): the readers check fields with it as they read, and the cleaner
applies what passed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from email.utils import parsedate_to_datetime

# 2021, 2021-06, 2021-06-03, 2021-06-03T10:00:00Z, 2021-06-03 10:00+05:00
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ]\d{2}:\d{2}.*)?)?)?")
_MAX_SHOWN = 60


class FieldError(ValueError):
    """A field value that is not what the field means; the message says why."""


def published_date(value: object) -> tuple[str, str]:
    """(ISO date, precision) of a `published` value: `2021-06-03` day, `2021-06` month, `2021` year.

    Accepts ISO 8601 dates and date-times (the time is dropped) and RFC 2822 dates as feeds write them.
    Raises FieldError for anything else: numbers (`20210101` could be a date or a Unix time), lists,
    NaN, words, and impossible dates such as `2021-13-45`.
    """
    if not isinstance(value, str):
        raise FieldError(f"not a date string ({_kind(value)})")
    text = value.strip()
    m = _ISO.fullmatch(text)
    if m is None:
        return _rfc2822(text), "day"
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise FieldError(f"not a valid date ({exc})") from None
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}", "day"
    return (f"{year:04d}-{month:02d}", "month") if month is not None else (f"{year:04d}", "year")


def _rfc2822(text: str) -> str:
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        raise FieldError("not a date (expected ISO 8601 such as 2021-06-03)") from None


def text_field(value: object) -> str:
    """A `title` or `url`: a string (stripped); anything else raises FieldError."""
    if not isinstance(value, str):
        raise FieldError(f"not a string ({_kind(value)})")
    return value.strip()


def _kind(value: object) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return type(value).__name__


def shown(value: object) -> str:
    """A short, printable form of a rejected value for the document's record (never the whole of it)."""
    if isinstance(value, list | dict):
        return f"<{type(value).__name__}>"  # repr of a deeply nested value would recurse
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 1] + "…"
