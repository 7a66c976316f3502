"""An agreement whose content is a ceasefire is one declared ceasefire (CONCEDE) whatever its wording, its
retellings merge within the article, and the seat of a party is no event place. Sentences written for these
tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from test_code_coder import code  # noqa: E402

PACT = ("AGREE", "CONCEDE", "SUPPORT")


def pacts(ms):
    return [m for m in ms if m.event_type in PACT]


@pytest.mark.parametrize("sentence", [
    "Ethiopia and Eritrea agreed on Monday to an immediate ceasefire.",
    "Ethiopia and Eritrea agreed on Monday to stop fighting.",
    "Ethiopia and Eritrea agreed on Monday to halt hostilities along the border.",
    "Ethiopia and Eritrea reached an agreement on Monday to end the war.",
    "Ethiopia and Eritrea signed a truce on Monday.",
])
def test_ceasefire_content_is_concede_whatever_the_wording(sentence):
    ms = pacts(code(sentence, times={"on Monday": ("2024-03-04", "day")}))
    assert [m.event_type for m in ms] == ["CONCEDE"]


def test_an_offer_or_other_content_stays_agree():
    assert [m.event_type for m in pacts(code("Ethiopia proposed a ceasefire to Eritrea."))] == ["AGREE"]
    assert [m.event_type for m in pacts(code("Ethiopia and Eritrea agreed to hold talks."))] == ["AGREE"]


def test_negated_hostile_act_is_ceasefire_content():
    ms = pacts(code("Ethiopia and Eritrea pledged not to launch any attacks on one another."))
    assert [m.event_type for m in ms] == ["CONCEDE"]


def test_retelling_of_one_ceasefire_is_one_mention():
    ms = pacts(code("Ethiopia and Eritrea agreed on Monday to a ceasefire with immediate effect after talks in Nairobi. "
                    "Under the accord, the two governments committed to stopping the fighting.",
                    times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1 and ms[0].event_type == "CONCEDE" and len(ms[0].evidence) >= 2


def test_seat_of_a_party_is_not_the_place_of_its_agreement():
    ms = pacts(code("Ethiopia and the government in Asmara agreed on Monday to stop fighting, Kenya announced.",
                    times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1
    assert ms[0].event_loc is None or ms[0].event_loc.extracted_place != "Asmara"


def test_background_truce_with_its_own_day_is_coded_between_the_articles_parties():
    ms = code("Ethiopia and Eritrea held talks in Nairobi on Monday. Villagers said the border had stayed calm "
              "since a short truce agreed on Wednesday.",
              times={"on Monday": ("2024-03-04", "day"), "on Wednesday": ("2024-03-06", "day")})
    truce = [m for m in ms if m.event_type == "CONCEDE"]
    assert len(truce) == 1 and truce[0].date == "2024-03-06"
    assert sorted(a.name for a in truce[0].actor) == ["Eritrea", "Ethiopia"]


def test_signing_the_document_already_reported_is_a_retelling():
    ms = pacts(code("Ethiopia and Eritrea signed a peace declaration in Nairobi on Monday. The document was signed "
                    "by the two foreign ministers.", times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1 and len(ms[0].evidence) == 2
