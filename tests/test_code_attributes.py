"""Date, place and size of an event: its own time phrase and the fallbacks, measured gaps, the finest place,
the place of a statement or a planned round, the seat of a party, victims' countries, casualties. Sentences
written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, of_type, pacts, run, single  # noqa: E402
from newsline.code import code_article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_date_from_own_expression_not_from_other_event():
    text = "Egypt hosted talks on Sunday. Russia attacked Ukraine on Monday."
    ms = code(text, times={"Sunday": ("2024-03-10", "day"), "Monday": ("2024-03-11", "day")})
    by = {m.event_type: m for m in ms}
    assert by["ASSAULT"].date == "2024-03-11"


def test_date_from_paragraph_context():
    text = "Russia attacked Ukraine on Monday. Ukraine condemned Russia."
    ms = code(text, times={"Monday": ("2024-03-11", "day")})
    acc = next(m for m in ms if m.event_type == "ACCUSE")
    assert acc.date == "2024-03-11"


def test_a_past_proposal_is_not_dated_by_the_time_of_what_it_proposes():
    ms = run("Armenia and Azerbaijan held talks in Geneva on Tuesday. The Armenian envoy said Yerevan had proposed "
             "a summit of the two leaders before the end of September.", published="2025-07-16")
    prop = [m for m in ms if m.event_type in ("AGREE", "REQUEST") and {a.country for a in m.actor} == {"ARM"}]
    assert prop and all(not (m.date or "").startswith("2025-09") for m in prop)


def test_a_planned_round_takes_the_place_where_it_is_to_take_place():
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday after two days of talks. The next round is "
             "set to take place in Geneva on October 25. The envoys would then reconvene in Muscat on "
             "November 2.", published="2025-10-19")
    planned = {m.date: m for m in ms if m.status in ("planned", "hypothetical")}
    assert planned["2025-10-25"].event_type in ("AGREE", "CONSULT")
    assert planned["2025-10-25"].event_loc.extracted_place == "Geneva"
    assert planned["2025-11-02"].event_loc.extracted_place == "Muscat"


def test_measured_gap_dates_the_earlier_event_from_the_clause_it_hangs_from():
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday. It also comes two days after Indian jets "
             "struck a camp in Muzaffarabad.", published="2025-10-20")
    assert single(ms, "ASSAULT").date == "2025-10-17"
    # a date of its own wins over the gap
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday. It also comes two days after Indian jets "
             "struck a camp in Muzaffarabad on Thursday.", published="2025-10-20")
    assert single(ms, "ASSAULT").date == "2025-10-16"


@pytest.mark.parametrize("second", [
    "The next round is due to be held in Vienna on March 3.",
    "The next session is expected to take place in Vienna on March 3.",
    "The next round is planned to be held in Vienna on March 3.",
])
def test_a_planned_round_takes_its_place_whatever_the_planning_word(second):
    ms = run("Serbia and Kosovo held talks in Brussels on Thursday. " + second, published="2025-10-31")
    planned = [m for m in ms if m.status in ("planned", "hypothetical")]
    assert len(planned) == 1 and planned[0].date == "2026-03-03"
    assert planned[0].event_loc is not None and planned[0].event_loc.extracted_place == "Vienna"


def test_finest_place_named_wins():
    ann = annotate("Militants attacked a police post in Balochistan's Awaran district.")
    for pm in ann.places:
        pm.place.resolution = 2 if pm.text.startswith("Balochistan") else 3
    ms = code_article(ann)
    assert len(ms) == 1 and ms[0].event_loc is not None and ms[0].event_loc.extracted_place == "Awaran"


def _places(ann, where):
    """Resolve the given words as places (name -> (country, resolution)), whatever spaCy made of them."""
    from newsline.records import Place, PlaceMention

    ann.places = []
    for t in ann.tokens:
        if t.text in where:
            cc, res = where[t.text]
            ann.places.append(PlaceMention(t.idx, t.idx + len(t.text), t.text, Place(t.text, t.text, country_code=cc,
                                                                                     resolution=res), t.i, t.i + 1))
    ann.actors = [a for a in ann.actors if a.text not in where]
    return ann


def test_victims_take_the_country_of_the_attacked_place_and_descriptions_give_no_place():
    ann = annotate("Eight people, among them three students returning from a match in Paris, were killed when "
                   "German aircraft struck Lyon on Friday.", times={"on Friday": ("2024-03-08", "day")})
    ann = _places(ann, {"Paris": ("FRA", 4), "Lyon": ("FRA", 3)})
    for am in ann.actors:
        if am.text == "German":
            am.actor.country = "DEU"
    ms = of_type(code_article(ann), "ASSAULT")
    assert len(ms) == 1
    assert ms[0].event_loc is not None and ms[0].event_loc.extracted_place == "Lyon"
    assert "FRA" in {r.country for r in ms[0].recipient}


def test_unnamed_civilian_victims_belong_to_where_the_attack_happened():
    ann = annotate("Troops killed five villagers in Lyon on Friday.", times={"on Friday": ("2024-03-08", "day")})
    ann = _places(ann, {"Lyon": ("CHL", 4)})
    ms = of_type(code_article(ann), "ASSAULT")
    assert len(ms) == 1
    vic = [r for r in ms[0].recipient if r.country == "CHL"]
    assert vic and vic[0].sector == "CVL"


def test_a_statement_is_made_where_its_speaker_was():
    ms = code("Prime Minister Shehbaz Sharif, visiting Lahore on Monday, accused India of backing the separatists.")
    acc = of_type(ms, "ACCUSE")
    assert acc and acc[0].event_loc is not None and acc[0].event_loc.extracted_place == "Lahore"


def test_the_speakers_venue_is_not_the_place_of_what_is_reported():
    ms = code("Prime Minister Shehbaz Sharif, visiting Lahore, said Indian troops had shelled a village in Kashmir.")
    for m in of_type(ms, "ASSAULT"):
        assert m.event_loc is None or m.event_loc.extracted_place != "Lahore"


def test_an_event_in_a_where_clause_happens_at_the_place_it_describes():
    ms = code("At least 12 people have died since Monday in Ituri, where militias have been fighting "
              "the army for years.")
    fights = of_type(ms, "ASSAULT")
    assert fights and fights[0].event_loc is not None and fights[0].event_loc.extracted_place == "Ituri"


def test_local_sources_place_an_unlocated_attack():
    ms = code("Local officials in Syria's Homs province said Russian air strikes killed 8 civilians.")
    hits = of_type(ms, "ASSAULT")
    assert hits and hits[0].event_loc is not None and "Homs" in hits[0].event_loc.extracted_place


def test_seat_of_a_party_is_not_the_place_of_its_agreement():
    ms = pacts(code("Ethiopia and the government in Asmara agreed on Monday to stop fighting, Kenya announced.",
                    times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1
    assert ms[0].event_loc is None or ms[0].event_loc.extracted_place != "Asmara"
