"""Tolls (code/size.py): numbers and number words, whole number phrases, hedges and ranges, passive and nominal
casualty forms, and which event of a sentence a toll counts for. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import event_with  # noqa: E402
from newsline.code.lexicon import lexicon  # noqa: E402
from newsline.code.size import _phrase_value  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def _size(text: str, words: str):
    """The size of the event whose trigger has one of `words` ("a|b")."""
    return event_with(text, words).size


@pytest.mark.parametrize("words, value", [
    (["two", "hundred"], 200), (["seventy", "five"], 75), (["three", "hundred", "fifty"], 350),
    (["1,500"], 1500), (["4", "million"], 4000000), (["twenty"], 20),
])
def test_a_number_phrase_is_read_as_one_number(words, value):
    assert _phrase_value(words, lexicon()) == value


def test_two_numbers_side_by_side_are_not_one_number():
    assert _phrase_value(["20", "30"], lexicon()) is None


@pytest.mark.parametrize("text, word, field, value", [
    ("Soldiers killed two hundred insurgents in Borno.", "killed", "dead", 200),
    ("Rebels killed sixty-four villagers near Beni.", "killed", "dead", 64),
    ("A Russian drone killed a farmer near Kupiansk.", "killed", "dead", 1),
    # victims named one by one count one each
    ("Gunmen shot a judge in Dera Ismail Khan, killing him and his three guards.", "shot|killing", "dead", 4),
    ("A Russian strike killed a doctor and her daughter in Kherson.", "killed", "dead", 2),
    # the object of "left ... dead", not the event noun that is its subject
    ("A TTP attack on a bus in Quetta left 14 passengers dead.", "attack", "dead", 14),
    ("An Israeli strike killed a family of nine in Jabalia.", "killed", "dead", 9),
    ("Police detained hundreds of students in Lahore.", "detained", "arrested", 200),
])
def test_number_words_and_single_victims_count(text, word, field, value):
    assert getattr(_size(text, word), field) == value


@pytest.mark.parametrize("text, word, field, value", [
    ("Eleven policemen were martyred when militants attacked a post in Lakki Marwat.", "attacked", "dead", 11),
    ("The TTP attacked a checkpoint near Bannu; more than 20 soldiers lost their lives.", "attacked|lost", "dead", 20),
    ("The death toll from the BLA attack in Turbat rose to 41.", "attack", "dead", 41),
    ("The al-Shabaab attack claimed the lives of 19 people in Baidoa.", "attack", "dead", 19),
    ("The Russian strike on Dnipro caused 6 deaths and 22 injuries.", "strike", "injured", 22),
    ("The Russian strike on Dnipro caused 6 deaths and 22 injuries.", "strike", "dead", 6),
    ("The ADF raid resulted in the deaths of 13 villagers near Oicha.", "raid", "dead", 13),
    # a participle completing a verb of report or manner counts that verb's passive subject
    ("Seven farmers were reported killed when bandits raided a village in Sokoto.", "raided|killed", "dead", 7),
    ("Twelve passengers were confirmed dead after a Russian drone hit a bus in Kherson.", "hit", "dead", 12),
    ("Five shopkeepers were shot dead by gunmen in Turbat on Monday.", "shot", "dead", 5),
    ("Troops stormed a TTP hideout in Tirah and neutralised eleven militants.", "stormed", "dead", 11),
    # the part counted "among the dead" is the toll when no other is told
    ("Eight Levies personnel were among the dead after militants stormed a post in Kalat.", "stormed", "dead", 8),
    ("Thirty students were among the injured after police attacked a march in Dhaka.", "attacked", "injured", 30),
])
def test_passive_and_nominal_casualty_forms_count_for_the_event(text, word, field, value):
    assert getattr(_size(text, word), field) == value


def test_a_coordinated_casualty_word_counts_for_the_same_event():
    size = _size("JNIM fighters ambushed a patrol near Djibo, killing 15 soldiers and wounding 9.", "ambushed")
    assert (size.dead, size.injured) == (15, 9)


def test_a_participle_describing_the_victims_counts_for_its_clause():
    size = _size("Police clashed with students in Khulna, leaving 40 people injured.", "clashed")
    assert size.injured == 40


def test_a_range_counts_its_lower_bound_and_is_not_summed():
    size = _size("Between 15 and 25 people were killed when gunmen attacked the market in Jos.", "attacked|killed")
    assert size.dead == 15


def test_a_toll_counts_for_its_own_event_not_another_in_the_sentence():
    text = "Police arrested 11 suspects in Karachi, where the TTP had killed 6 officers."
    size = _size(text, "arrested")
    assert (size.arrested, size.dead) == (11, None)


@pytest.mark.parametrize("text, words, dead", [
    ("Gunmen stormed a wedding hall in Kunduz in which 14 guests lost their lives.", "stormed", 14),
    ("Militants carried out a deadly attack on the police headquarters in Peshawar in which over 100 people lost "
     "their lives.", "attack", 100),
])
def test_a_toll_told_in_a_relative_clause_counts_for_the_event_it_describes(text, words, dead):
    assert _size(text, words).dead == dead


@pytest.mark.parametrize("second, dead", [
    ("Ukrainian officials said at least 12 people were killed.", 12),
    ("In Sumy, 5 people were killed by shelling on Tuesday.", None),
])
def test_a_toll_told_without_perpetrator_after_an_attack_counts_for_it_unless_placed_elsewhere(second, dead):
    assert _size(f"Russia launched a heavy drone attack on Kyiv overnight. {second}", "attack").dead == dead


def test_victims_parsed_as_a_clause_under_the_attack_are_counted_when_it_lost_their_lives():
    # "the attack in which over 60 people – mostly policemen – lost their lives", as the parser reads it with the
    # dashes: "attack" the subject of "lost", "people" a relative clause under it
    from newsline.code.size import size_from_tokens
    from newsline.records import Token

    rows = [("the", "the", "DET", "DT", "det", 1), ("attack", "attack", "NOUN", "NN", "nsubj", 9),
            ("in", "in", "ADP", "IN", "prep", 6), ("which", "which", "PRON", "WDT", "pobj", 2),
            ("over", "over", "ADV", "RB", "quantmod", 5), ("60", "60", "NUM", "CD", "nummod", 6),
            ("people", "people", "NOUN", "NNS", "relcl", 1), ("–", "–", "PUNCT", ":", "punct", 6),
            ("policemen", "policeman", "NOUN", "NNS", "appos", 6), ("lost", "lose", "VERB", "VBD", "ROOT", 9),
            ("their", "their", "PRON", "PRP$", "poss", 11), ("lives", "life", "NOUN", "NNS", "dobj", 9)]
    toks = [Token(k, w, 0, lemma, pos, tag, dep, head) for k, (w, lemma, pos, tag, dep, head) in enumerate(rows)]
    children: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t.i)
    assert size_from_tokens(toks, [9], lexicon(), children).dead == 60


def test_a_relative_clause_whose_subject_is_the_event_noun_gives_that_event_its_toll():
    assert _size("The TTP carried out an attack which killed six soldiers in Khyber.", "attack").dead == 6
    # a relative clause with a perpetrator of its own stays that event's ("where the TTP had killed 6")
    assert _size("Police arrested 4 men in Bannu, where militants had killed 9 officers.", "arrested").dead is None


@pytest.mark.parametrize("second, field, value", [
    ("The death toll climbed to 31 on Wednesday, police said.", "dead", 31),
    ("By nightfall the death toll had risen to 19.", "dead", 19),
    ("The number of wounded reached 60, according to the hospital.", "injured", 60),
    # another place, another day, or an event of its own: not this attack's toll
    ("In Quetta, the death toll rose to 8.", "dead", None),
    ("The death toll from last month's bombing rose to 8.", "dead", None),
])
def test_a_toll_told_in_the_next_sentence_without_an_event_counts_for_the_attack(second, field, value):
    text = f"Gunmen attacked a wedding party in Zhob on Tuesday. {second}"
    assert getattr(_size(text, "attacked"), field) == value


def test_a_toll_in_the_next_sentence_goes_to_no_attack_when_the_sentence_tells_two():
    text = "Troops shelled a village near Beni while rebels attacked a camp in Oicha. The death toll rose to 25."
    assert _size(text, "shelled").dead is None


@pytest.mark.parametrize("text, words, arrested", [
    ("Police seized 35 kilograms of opium in Quetta.", "seized", None),
    ("Troops captured four villages near Goma.", "captured", None),
    ("Troops captured 9 M23 fighters near Goma.", "captured", 9),
])
def test_seizing_or_capturing_things_is_no_arrest_count(text, words, arrested):
    assert _size(text, words).arrested == arrested
