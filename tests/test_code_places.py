"""Places of events (code/places.py): a journey's destination, a capital standing for its government that is also
where the event happens, a participant's seat is not the event's place. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import event_with  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def _place(m) -> str | None:
    return m.event_loc.extracted_place if m.event_loc else None


@pytest.mark.parametrize("text, words, want", [
    ("The Qatari prime minister travelled to Islamabad for talks with Pakistani officials.", "travelled|talks",
     "Islamabad"),
    ("Iran's foreign minister visited Baghdad on Monday.", "visited", "Baghdad"),
])
def test_a_journeys_destination_is_where_the_event_happens(text, words, want):
    assert _place(event_with(text, words)) == want


def test_a_capital_named_for_its_government_is_also_the_place_visited():
    m = event_with("The Pakistani foreign minister visited Kabul on Tuesday.", "visited")
    assert _place(m) == "Kabul"


def test_the_seat_of_a_party_is_not_the_place_of_its_statement():
    m = event_with("The government in Niamey rejected the accusations.", "rejected")
    assert m.event_loc is None


def test_the_seat_of_the_addressee_is_not_the_place_of_an_accusation():
    assert _place(event_with("Pakistan accused the Taliban government in Kabul of harbouring militants.", "accused",
                             "2024-03-14")) is None


def test_an_event_told_as_the_purpose_of_being_somewhere_happens_there():
    m = event_with("A delegation led by the foreign minister is in Nairobi to meet Somali officials.", "meet",
                   "2024-03-14")
    assert _place(m) == "Nairobi"


def test_the_dateline_is_not_the_place_of_an_agreement_the_text_places_elsewhere():
    text = ("ISLAMABAD: The government has reached an understanding with the TTP, officials said on Friday.\n\n"
            "The talks were held in Khost for two weeks.")
    assert _place(event_with(text, "understanding", "2024-03-14")) == "Khost"
    assert _place(event_with(text, "talks", "2024-03-14")) == "Khost"


def test_an_agreement_reached_the_day_its_sides_met_somewhere_was_reached_there():
    text = "Ethiopia and Eritrea agreed on Monday to reopen their border. Their foreign ministers met in Asmara on Monday."
    assert _place(event_with(text, "agreed", "2024-03-14")) == "Asmara"


def test_a_meeting_of_another_day_lends_an_agreement_no_place():
    text = ("Serbia and Kosovo agreed on Tuesday to set up a joint commission. Their leaders had met in Brussels in "
            "May.")
    assert _place(event_with(text, "agreed", "2024-03-14")) is None


@pytest.mark.parametrize("day, want", [("Monday", "Kuala Lumpur"), ("Tuesday", None)])
def test_talks_told_without_a_place_were_held_where_their_sides_agreed_that_day(day, want):
    text = ("Thailand and Cambodia held talks on Monday, officials said. Thailand and Cambodia signed a border "
            f"agreement in Kuala Lumpur on {day}.")
    assert _place(event_with(text, "talks", "2024-03-14")) == want


def test_talks_described_by_a_participle_of_holding_take_its_place():
    m = event_with("Negotiations between Colombia and the ELN being held in Caracas resumed on Monday.",
                   "Negotiations", "2024-03-14")
    assert _place(m) == "Caracas"


@pytest.mark.parametrize("text, want", [
    ("NAIROBI: Kenya urged Ethiopia and Somalia to settle their dispute over the port deal.", "NAIROBI"),
    ("MOSCOW: Ukraine accused Russia of shelling a border village.", None),
])
def test_a_statement_in_the_lede_is_made_at_the_dateline_only_by_a_party_of_its_country(text, want):
    m = event_with(text, "urged|accused", "2024-03-14")
    assert (_place(m) or "").upper() == (want or "")


def test_an_event_told_as_the_purpose_of_arriving_somewhere_happens_there():
    m = event_with("The Kenyan president arrived in Addis Ababa on Monday for talks with Ethiopian officials.", "talks",
                   "2024-03-14")
    assert _place(m) == "Addis Ababa"


@pytest.mark.parametrize("text, words, want", [
    ("Malian and Algerian envoys held two rounds of talks in May. The first was held in Algiers, the second in "
     "Bamako.", "talks|rounds", "Algiers"),
    ("Kenyan and Somali officials held talks on the border on Friday. They took place in Mandera, officials said.",
     "talks", "Mandera"),
])
def test_the_next_sentence_says_where_talks_without_a_place_were_held(text, words, want):
    assert _place(event_with(text, words)) == want


@pytest.mark.parametrize("text", [
    # a place of something else in the next sentence
    "Malian and Algerian envoys held talks on Monday. Refugees arrived in Tamanrasset the same day.",
    # the next paragraph is another matter
    "Malian and Algerian envoys held talks on Monday.\n\nOne attack was carried out in Gao.",
])
def test_a_place_of_the_next_sentence_that_does_not_tell_where_talks_were_held_is_not_theirs(text):
    assert _place(event_with(text, "talks")) is None


@pytest.mark.parametrize("text, words, want", [
    ("Fighting broke out in the Catatumbo region on Thursday. The army said more troops were being sent to the "
     "region.", "sent|troops", "Catatumbo region"),
    ("Gunmen killed 6 guards at a mine in Orakzai district. The army then launched a search operation in the "
     "district.", "launched|operation", "Orakzai district"),
    ("Russian missiles struck Odesa on Monday. On Wednesday Russian drones attacked the city again.", "attacked",
     "Odesa"),
])
def test_a_definite_place_noun_is_the_place_of_that_kind_told_before(text, words, want):
    assert _place(event_with(text, words)) == want


def test_the_area_is_the_place_just_told_not_one_far_before():
    far = ("Gunmen attacked a bus in Kohistan on Monday. The government blamed the TTP. Officials met on Tuesday. "
           "The TTP denied it. Police arrested three men in the area on Friday.")
    assert _place(event_with(far, "arrested")) is None


def test_a_dateline_below_a_kicker_and_a_headline_places_the_lede():
    text = ("World\n\nKenya presses Ethiopia and Somalia to settle port row\n\n"
            "NAIROBI — Kenya urged Ethiopia and Somalia on Monday to settle their dispute over the port deal.\n\n"
            "The two governments have traded accusations for weeks.")
    m = event_with(text, "urged", "2024-03-14")
    assert (_place(m) or "").upper() == "NAIROBI"


def test_of_two_dateline_cities_the_one_of_the_country_the_article_is_about_is_taken():
    text = ("GENEVA/DAMASCUS — Syria agreed on Monday to open two more border crossings for aid deliveries, "
            "Syrian officials said.\n\nSyria's government said the crossings would stay open for three months.")
    m = event_with(text, "agreed", "2023-02-14")
    assert (_place(m) or "").upper() == "DAMASCUS"
