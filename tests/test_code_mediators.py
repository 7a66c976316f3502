"""Mediators (code/mediators.py): participles, nouns of mediation, a mediating subject, the host of talks between
two other parties, a role noun naming the mediator; a host that is a party stays a party. Sentences written for
these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import event_with  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def _mediators(m) -> set:
    return {r.country or r.name for r in m.mediator}


@pytest.mark.parametrize("text, words, want", [
    ("Ethiopia and Kenya signed a water deal brokered by Djibouti.", "signed", {"DJI"}),
    ("Sri Lanka and the rebels agreed to a ceasefire under the auspices of Norway.", "agreed", {"NOR"}),
    ("Iran freed two French nationals thanks to the mediation of Oman.", "freed", {"OMN"}),
    ("Hamas released an elderly hostage following Egyptian mediation.", "released", {"EGY"}),
])
def test_participles_and_nouns_of_mediation_name_the_mediator(text, words, want):
    assert _mediators(event_with(text, words)) == want


def test_a_mediating_subject_of_talks_between_two_sides_is_the_mediator():
    m = event_with("Qatar mediated talks between Chad and the FACT rebels in Doha.", "talks|mediated")
    assert _mediators(m) == {"QAT"} and "QAT" not in {r.country for r in m.actor}


def test_the_host_of_talks_between_two_other_parties_mediates():
    m = event_with("Saudi Arabia hosted talks between Sudan and South Sudan in Riyadh.", "talks|hosted")
    assert _mediators(m) == {"SAU"}
    assert {r.country for r in m.actor + m.recipient} >= {"SDN", "SSD"}


def test_a_host_that_meets_its_guest_is_a_party_not_a_mediator():
    m = event_with("Egypt hosted Sudan's foreign minister for talks in Cairo.", "talks|hosted")
    assert not m.mediator


def test_a_role_noun_names_the_mediator_of_the_talks_it_governs():
    m = event_with("Algeria is the mediator of the talks between Mali and the northern rebels.", "talks")
    assert _mediators(m) == {"DZA"}


def test_the_party_named_mediator_by_the_sentence_leaves_the_sides():
    m = event_with("Qatar has been the mediator between Chad and the rebels, bringing the two sides together for talks.",
               "talks|bringing")
    assert _mediators(m) == {"QAT"} and "QAT" not in {r.country for r in m.actor + m.recipient}


def test_help_that_is_no_party_names_no_mediator():
    m = event_with("Sudan's army attacked RSF positions in Omdurman with the help of drones.", "attacked")
    assert not m.mediator


def test_a_mediation_phrase_hung_from_the_subject_names_the_mediator():
    m = event_with("The Sudanese government, with the help of Egypt, reached an agreement with the SPLM-N rebels.",
                   "agreement|reached")
    assert _mediators(m) == {"EGY"}


def test_the_talks_of_the_mediators_own_clause_are_between_its_sides():
    m = event_with("Oman has been the mediator between Iran and the United States, bringing the two sides under one "
                   "roof to engage in face-to-face talks.", "talks")
    assert _mediators(m) == {"OMN"} and {r.country for r in m.actor + m.recipient} == {"IRN", "USA"}


def test_a_mediating_participle_hung_from_the_noun_above_the_talks_is_theirs():
    m = event_with("Sudan's army chief met the RSF commander in Jeddah on Monday. Witnesses confirmed the presence "
                   "of both delegations in Jeddah for talks with the RSF mediated by Saudi Arabia.", "talks")
    assert _mediators(m) == {"SAU"}


@pytest.mark.parametrize("text, words, want", [
    ("Armenia and Azerbaijan exchanged prisoners in a swap facilitated by the Red Cross.", "exchanged", "red cross"),
    ("Israel freed ten Palestinian detainees thanks to the mediation of Egypt.", "freed", "EGY"),
])
def test_a_restating_noun_or_thanks_to_names_the_mediator(text, words, want):
    got = {(r.country or "") if want.isupper() else (r.name or "").lower() for r in event_with(text, words).mediator}
    assert any(want in g for g in got)


@pytest.mark.parametrize("text, words, want", [
    ("Colombia and the FARC dissidents held talks in Havana on Friday. Cuba is believed to have played the role "
     "of mediator.", "talks", {"CUB"}),
    ("Norway acted as the facilitator. Colombia and the ELN held a new round of talks in Oslo on Monday.", "talks",
     {"NOR"}),
    ("Israel and Hamas resumed talks on Tuesday. Egypt and Qatar served as intermediaries between the two sides.",
     "talks", {"EGY", "QAT"}),
    ("Kenya and Somalia held talks in Nairobi. Djibouti played a mediating role, officials said.", "talks", {"DJI"}),
])
def test_a_role_sentence_without_an_event_names_the_mediator_of_the_talks_beside_it(text, words, want):
    assert _mediators(event_with(text, words)) == want


@pytest.mark.parametrize("text", [
    # a role of other times or conflicts
    "Colombia and the ELN held talks in Havana on Friday. Norway has acted as a mediator in several other wars.",
    # a mediator between other sides
    "Colombia and the ELN held talks in Havana on Friday. Cuba served as the go-between for Israel and Hamas.",
    # one of the sides is no mediator
    "Colombia and the ELN held talks in Havana on Friday. Colombia played the role of facilitator.",
])
def test_a_role_sentence_of_other_times_sides_or_of_a_side_names_no_mediator(text):
    assert _mediators(event_with(text, "talks")) == set()
