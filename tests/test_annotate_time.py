"""Temporal expressions resolved against the publication date (annotate/time.py); no spaCy needed."""

from __future__ import annotations

import pytest

from newsline.annotate.time import find_times

PUB = "2025-10-19"  # a Sunday


def one(text: str, published: str | None = PUB):
    found = find_times(text, published)
    assert len(found) == 1, [(t.text, t.date_start) for t in found]
    t = found[0]
    assert text[t.start:t.end] == t.text
    return t


@pytest.mark.parametrize(
    "text, expected",
    [
        # weekdays: the last such day on or before publication
        ("The delegation visited Kabul on Monday.", ("2025-10-13", "2025-10-13", "day")),
        ("Talks opened on Sunday.", ("2025-10-19", "2025-10-19", "day")),
        ("Jets struck on Friday night.", ("2025-10-17", "2025-10-17", "day")),
        ("It was signed late Saturday.", ("2025-10-18", "2025-10-18", "day")),
        ("They met last Sunday.", ("2025-10-12", "2025-10-12", "day")),
        ("They meet next Tuesday.", ("2025-10-21", "2025-10-21", "day")),
        # deictic
        ("The minister is in Kabul today.", ("2025-10-19", "2025-10-19", "day")),
        ("Fighting resumed yesterday.", ("2025-10-18", "2025-10-18", "day")),
        ("Talks resume tomorrow.", ("2025-10-20", "2025-10-20", "day")),
        # calendar units relative to publication
        ("Clashes erupted last month.", ("2025-09-01", "2025-09-30", "month")),
        ("Attacks rose this year.", ("2025-01-01", "2025-12-31", "year")),
        ("A committee met earlier this week.", ("2025-10-13", "2025-10-19", "week")),
        ("Officials met last week.", ("2025-10-06", "2025-10-12", "week")),
        ("Deportations widened this month.", ("2025-10-01", "2025-10-31", "month")),
        # months and dates without a year
        ("Ruto visited Accra in April.", ("2025-04-01", "2025-04-30", "month")),
        ("The riots broke out on October 11.", ("2025-10-11", "2025-10-11", "day")),
        ("A meeting was held on 18 May.", ("2025-05-18", "2025-05-18", "day")),
        ("He referred to the October 21 visit.", ("2025-10-21", "2025-10-21", "day")),
        # ranges and durations
        ("Attacks have surged since August.", ("2025-08-01", "2025-10-19", "range")),
        ("Talks went on for nearly two weeks.", ("2025-10-05", "2025-10-19", "duration")),
        ("Violence rose over the past three days.", ("2025-10-16", "2025-10-19", "duration")),
        ("He arrived two days ago.", ("2025-10-17", "2025-10-17", "day")),
        # explicit dates
        ("Published Friday, November 5, 2021.", ("2021-11-05", "2021-11-05", "day")),
        ("The deal of 21 October 2021 held.", ("2021-10-21", "2021-10-21", "day")),
        ("Update: 2023-07-24 07:56 GMT", ("2023-07-24", "2023-07-24", "day")),
        ("The truce expired in August 2024.", ("2024-08-01", "2024-08-31", "month")),
        ("The Taliban returned in 2021.", ("2021-01-01", "2021-12-31", "year")),
        ("Talks were revived in late 2022.", ("2022-09-01", "2022-12-31", "year")),
        ("Attacks have grown in recent weeks.", ("2025-09-21", "2025-10-19", "range")),
        ("Talks resume in the coming days.", ("2025-10-19", "2025-10-26", "range")),
        ("The violence recalled the 1990s.", ("1990-01-01", "1999-12-31", "range")),
        ("Fighting eased over the weekend.", ("2025-10-18", "2025-10-19", "range")),
    ],
)
def test_expressions(text, expected):
    t = one(text)
    assert (t.date_start, t.date_end, t.precision) == expected


def test_future_marker_picks_the_coming_date():
    t = one("The envoys will meet once more in Lusaka on October 25.")
    assert t.date_start == "2025-10-25"
    t = one("The pause is due to begin on Monday.")
    assert t.date_start == "2025-10-20"
    # no future marker: a date just after publication is read as the past year's
    t = one("The clashes of October 25 killed dozens.")
    assert t.date_start == "2024-10-25"


def test_deadlines_look_forward():
    t = one("Both sides must withdraw by the end of November.")
    assert (t.date_start, t.date_end, t.precision) == ("2025-11-01", "2025-11-30", "month")
    assert one("The truce holds until Wednesday.").date_start == "2025-10-22"


def test_month_without_year_is_the_latest_one_before_publication():
    t = one("Pakistani jets struck in November.", published="2025-04-19")
    assert (t.date_start, t.date_end) == ("2024-11-01", "2024-11-30")
    t = one("The series is due to be held in November.", published="2025-10-19")
    assert t.date_start == "2025-11-01"


def test_unknown_publication_date_never_resolves_relative_expressions():
    for text in ("They met on Monday.", "It happened last month.", "in April", "earlier this week",
                 "for nearly two weeks", "since August", "today"):
        for t in find_times(text, None):
            assert t.date_start is None and t.date_end is None, text
    # but an explicit date still resolves
    t = one("on October 21, 2021", published=None)
    assert t.date_start == "2021-10-21"


def test_publication_known_to_the_year_only():
    t = one("Attacks rose this year.", published="2023")
    assert t.date_start == "2023-01-01"
    t = one("They met on Monday.", published="2023")
    assert t.date_start is None


def test_not_dates():
    text = ("They may go. A 2,600-kilometre frontier; 1,000 soldiers and 303 prisoners. "
            "The march ended. Talks lasted 13 hours.")
    assert find_times(text, PUB) == []


def test_token_ranges():
    text = "Talks opened on Sunday in Doha."
    starts = [0, 6, 13, 16, 23, 26, 30]
    t = find_times(text, PUB, token_starts=starts)[0]
    assert (t.token_start, t.token_end) == (2, 4)


def test_same_day_phrases_take_the_day_of_their_context():
    # no day named before: the publication day
    for text in ("Earlier in the day, the envoy met the minister.", "Later in the day the convoy left.",
                 "Troops withdrew on the same day."):
        t = one(text)
        assert (t.date_start, t.precision) == (PUB, "day"), text
    # a day named in the sentence or just before it: that day
    found = find_times("The rebels attacked on Thursday. Later in the day, the army responded.", PUB,
                       sentence_bounds=[(0, 32), (33, 76)])
    assert [(t.text, t.date_start) for t in found] == [("on Thursday", "2025-10-16"),
                                                         ("Later in the day", "2025-10-16")]


def test_deadline_for_the_current_unit_runs_from_publication():
    t = one("The government promised elections before the end of the year.")
    assert (t.date_start, t.date_end, t.precision) == (PUB, "2025-12-31", "year")
    t = one("Aid will arrive by the end of this month.")
    assert (t.date_start, t.date_end) == (PUB, "2025-10-31")
    # past tense, no deadline: "in April" and "on Monday" look back; a deadline on a month looks forward
    assert one("Fighting broke out in April.").date_start == "2025-04-01"
    assert one("The deal must be signed before the end of March.").date_start == "2026-03-01"


def _all_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "examples" / "corpus").rglob("*.txt")) + sorted((root / "tests" / "fixtures").rglob("*.txt"))
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def test_the_fast_scan_finds_exactly_what_the_full_pattern_finds():
    """`_SCAN` (the pattern behind a first-word check) must find the very matches of `_RE`, in whole texts
    and in sentence windows."""
    from newsline.annotate.time import _RE, _SCAN

    texts = _all_texts()
    assert len(texts) > 20
    phrases = ("mid-August", "the 1990s", "since late 2022", "for nearly two weeks", "a couple of days ago",
               "earlier in the day", "that same evening", "by the end of next week", "Sept. 3, 2024", "3rd of May",
               "in the coming days", "overnight into Sunday", "2023-07-24", "$2023 million", "x2023", "Monday's")
    texts.append(" ".join(phrases) + ". " + ", ".join(p.upper() for p in phrases))
    for text in texts:
        for ws, we in ((0, len(text)), (len(text) // 3, 2 * len(text) // 3)):
            fast = [(m.span(), m.lastgroup) for m in _SCAN.finditer(text, ws, we)]
            full = [(m.span(), m.lastgroup) for m in _RE.finditer(text, ws, we)]
            assert fast == full


@pytest.mark.parametrize("text, expected", [
    ("Kidnappings have doubled since last year.", ("2024-01-01", "2025-10-19", "range")),
    ("Prices have risen since last month.", ("2025-09-01", "2025-10-19", "range")),
])
def test_since_a_past_unit_is_a_range_up_to_publication(text, expected):
    t = one(text)
    assert (t.date_start, t.date_end, t.precision) == expected
