"""Dates of events (code/dates.py): a time phrase dates the event it modifies, not a participant's description;
past perfect events are older than the time the text reports from; an undated event of a dated article takes
the reference time of its paragraph or article and says so. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import event_with  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps

PUB = "2024-06-07"  # a Friday


def _event(text: str, words: str, published: str | None = PUB):
    return event_with(text, words, published)


def test_a_time_in_a_relative_clause_about_a_participant_does_not_date_the_event():
    m = _event("Kenya accused the Ethiopian government, which took office in 2018, of backing militias.", "accused")
    assert m.date == PUB and m.date_precision == "inferred-article"


def test_an_appositive_time_describing_the_actor_gives_way_to_the_events_own_day():
    m = _event("Guinea's junta, in power since 2021, suspended two newspapers on Tuesday.", "suspended")
    assert m.date == "2024-06-04"


@pytest.mark.parametrize("text, words", [
    ("Tanzania signed a gas deal with Uganda on Wednesday. Uganda had rejected an earlier draft.", "rejected"),
    ("Chadian troops retook Mongo on Monday. Rebels had seized the town after a raid.", "seized"),
])
def test_a_past_perfect_event_without_a_time_is_older_than_the_reference(text, words):
    m = _event(text, words)
    assert m.date is None and m.date_precision == "before-reference" and m.enddate is not None


def test_a_past_perfect_reported_by_a_speech_verb_is_the_reported_past():
    m = _event("Police said on Wednesday that militants had killed 9 soldiers in Katsina.", "killed")
    assert m.date == "2024-06-05"


def test_a_past_perfect_with_its_own_time_keeps_it():
    m = _event("Rwanda and Burundi held talks on Monday. Burundi had accused Rwanda of backing rebels last year.", "accused")
    assert (m.date, m.enddate) == ("2023-01-01", "2023-12-31")


def test_an_undated_event_of_a_dated_article_takes_the_article_day_and_says_how():
    m = _event("Ghana expelled two Russian diplomats.", "expelled")
    assert (m.date, m.date_precision) == (PUB, "inferred-article")


def test_an_undated_event_takes_the_day_of_its_paragraph():
    m = _event("Russian forces shelled Sumy on Tuesday. Ukraine condemned the shelling.", "condemned")
    assert m.date == "2024-06-04"


def test_an_undated_article_leaves_undated_events_undated():
    m = _event("Ghana expelled two Russian diplomats.", "expelled", published=None)
    assert m.date is None and m.date_precision is None


@pytest.mark.parametrize("text, words, start, end", [
    ("In recent months Iran has executed dozens of protesters.", "executed", "2024-03-07", "2024-06-07"),
    ("Earlier this month, Serbia and Kosovo traded accusations over the border.", "traded|accusations",
     "2024-06-01", "2024-06-07"),
    ("Colombia has accused Venezuela of sheltering rebels since last year.", "accused", "2023-01-01", "2024-06-07"),
])
def test_a_range_gives_date_and_enddate(text, words, start, end):
    m = _event(text, words)
    assert (m.date, m.enddate) == (start, end)


def test_a_past_perfect_in_an_undated_paragraph_is_told_from_the_past_the_text_last_spoke_of():
    m = _event("Imran Khan offered the TTP an amnesty last month.\n\nThe TTP had rejected the offer, insisting on its "
               "demands.", "rejected", "2021-11-05")
    assert (m.date, m.enddate, m.date_precision) == ("2021-10-01", "2021-10-31", "month")


def test_a_time_in_a_clause_with_its_own_subject_dates_that_clause_not_the_event():
    m = _event("Pakistan accused the Taliban of sheltering militants whose attacks have surged since the Taliban "
               "seized power in 2021.", "accused", "2023-07-24")
    assert (m.date, m.date_precision) == ("2023-07-24", "inferred-article")
