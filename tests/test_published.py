"""Publication dates of text pages: locating, parsing and judging explicit dates."""

from __future__ import annotations

import pytest

from newsline.clean.published import day_month_order, find_dates, published_from_lines


@pytest.mark.parametrize("line, iso, precision", [
    ("November 8, 2021", "2021-11-08", "day"),
    ("Update: 2023-07-24 07:56 GMT", "2023-07-24", "day"),
    ("(Friday, November 5, 2021)", "2021-11-05", "day"),
    ("2021-11-08", "2021-11-08", "day"),
    ("2019-11-19T12:48:14Z", "2019-11-19", "day"),
    ("8 November 2021", "2021-11-08", "day"),
    ("Nov. 8, 2021 8:03 am ET", "2021-11-08", "day"),
    ("Mon 18 Nov 2019 18.54 GMT", "2019-11-18", "day"),
    ("21:17 18.11.2019", "2019-11-18", "day"),  # dotted dates are day-first
    ("By Jane Doe - 11/19/19 06:56 AM EST", "2019-11-19", "day"),  # 19 > 12: month-first
    ("Posted 27/09/2018", "2018-09-27", "day"),  # 27 > 12: day-first
    ("25. September 2018", "2018-09-25", "day"),
    ("November 2021", "2021-11", "month"),
    ("Published: November 20th, 2019 - 07:29 GMT", "2019-11-20", "day"),
])
def test_formats_in_header_lines(line, iso, precision):
    got = published_from_lines([line], [], line, "en")
    assert got is not None
    assert (got.date, got.precision) == (iso, precision)
    assert got.evidence.startswith(line.strip())


def test_first_publication_wins_over_the_update_stamp():
    line = "Updated: 11:05, Tue, Nov 19, 2019 | Published: 10:48, Mon, Nov 18, 2019"
    got = published_from_lines([line], [], line, "en")
    assert got.date == "2019-11-18"


def test_not_dates():
    for text in ("Final score 6-4, 7-6 (5)", "Version 10.1.19 released", "Call 02-751-1500",
                 "On 18 May the minister will speak", "1 / 23", "© 2019"):
        assert find_dates(text) == [] or published_from_lines([text], [], text, "en") is None


def test_impossible_calendar_dates_are_rejected():
    assert find_dates("February 30, 2021") == []
    assert find_dates("2021-13-01") == []


def test_weekday_must_agree_with_the_calendar_in_the_lede():
    lede_ok = ["KABUL: Talks resumed, officials said on Friday, November 5, 2021, after a pause."]
    lede_bad = ["KABUL: Talks resumed, officials said on Monday, November 5, 2021, after a pause."]
    assert published_from_lines([], lede_ok, "", "en").date == "2021-11-05"
    assert published_from_lines([], lede_bad, "", "en") is None


def test_historic_date_in_the_lede_is_not_the_article_date():
    lede = ["The group, which seized the capital on August 15, 2021, has not been recognised by any state."]
    assert published_from_lines([], lede, "", "en") is None


def test_dateline_at_the_start_of_the_lede():
    lede = ["WASHINGTON, Nov 19, 2019 (Reuters) - The Senate voted on Tuesday to extend funding."]
    got = published_from_lines([], lede, "", "en")
    assert got.date == "2019-11-19"
    assert "Reuters" in got.evidence


def test_header_prose_is_not_read_for_dates():
    prose = ("The group that seized the capital on August 15, 2021 after a campaign lasting many months across "
             "the provinces and districts has still not been recognised by any government in the world")
    assert published_from_lines([prose], [], prose, "en") is None


@pytest.mark.parametrize("page, order", [
    ("Other story 27/09/2021", "DMY"),
    ("Other story 09/27/2021", "MDY"),
    ("Written on 5 November 2021", "DMY"),
    ("Written on November 5, 2021", "MDY"),
    ("The neighbouring colour of the organisation's centre and its defence", "DMY"),
    ("The neighboring color of the organization's center and its defense", "MDY"),
    ("Nothing to go by", None),
])
def test_day_month_order_evidence(page, order):
    got, why = day_month_order(page, "en")
    assert got == order
    assert why


def test_day_month_order_outside_english_is_day_first():
    assert day_month_order("Publicado em 08/11/2021", "pt")[0] == "DMY"


def test_ambiguous_date_note_says_how_it_was_read():
    page = "Posted 08/11/2021\nAnother date on the page: 27/10/2021"
    got = published_from_lines(["Posted 08/11/2021"], [], page, "en")
    assert got.date == "2021-11-08"
    assert "day-first" in got.evidence and "08/11/2021" in got.evidence


@pytest.mark.parametrize("line, lang, iso", [
    ("Ciudad, sábado 18 de enero de 2025", "es", "2025-01-18"),
    ("Publicado em 22 de outubro de 2010 às 20:13", None, "2010-10-22"),
    ("Donnerstag, 13. März 2025", "de", "2025-03-13"),
])
def test_month_names_in_another_language_are_read_in_that_language(line, lang, iso):
    got = published_from_lines([(line, lang)], [], line, "en")
    assert got is not None and got.date == iso
