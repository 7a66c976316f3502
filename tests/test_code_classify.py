"""The coder's learned steps: the shipped model and its card, the decision over rule drafts, the sentence
classifier and the role model on sentences of our own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsline.code.classify import SentenceModel, Thresholds, decide, model_dir
from newsline.code.features import (
    NONE,
    SentenceFeatures,
    masked_text,
    model_class,
    pack_strings,
    unpack_strings,
)
from newsline.code.trainset import file_hashes

SHARED_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "train"


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    return SentenceModel.load()


def test_shipped_model_matches_the_hashes_of_its_training_data():
    if not SHARED_TRAIN.is_dir():
        pytest.skip("../shared/train is not beside the checkout")
    card = json.loads((model_dir() / "card.json").read_text(encoding="utf-8"))
    assert card["data"] == file_hashes(SHARED_TRAIN)


def test_shipped_model_is_package_data_within_30_mb():
    assert (model_dir() / "coder.npz").stat().st_size < 30 * 2**20
    assert (model_dir() / "MODEL_CARD.md").is_file()


def test_card_carries_cross_validated_figures_and_thresholds(model):
    card = model.card
    assert set(card["cv_decision_type_f1"]) >= {"plv", "ngec", "all"}
    assert 0.0 < card["cv_decision_type_f1"]["all"] <= 1.0
    assert {c for c, f in card["cv_per_class_argmax"].items() if isinstance(f, dict)} == set(model.classes)
    assert 0.0 <= card["cv_per_class_argmax"]["calibration_error"] < 0.2  # `confidence` means what it says
    assert model.thresholds.retype > 0 and model.thresholds.add > 0


def test_strings_pack_into_a_byte_array_and_back():
    words = ["ceasefire", "tear gas", "ünïcode", ""]
    assert unpack_strings(pack_strings(words[:-1])) == words[:-1]
    assert pack_strings(words[:-1]).dtype == np.uint8


def test_features_round_trip_through_plain_arrays():
    texts = ["Police fired tear gas at protesters.", "The two leaders met in Geneva on Monday."] * 3  # min_df
    f = SentenceFeatures(["ASSAULT", "CONSULT", NONE]).fit(texts)
    g = SentenceFeatures.from_arrays(f.to_arrays("x_"), "x_")
    rules = [{"ASSAULT"}, set()] * 3
    a = f.transform(texts, rules).toarray()
    b = g.transform(texts, rules).toarray()
    assert np.allclose(a, b)


def test_masked_text_puts_the_kind_of_each_named_party_in_its_place():
    from newsline.records import Entity

    text = "Turkish forces shelled Kobani on 5 May, Reuters said."
    # offsets as in an article where the sentence starts at character 100; dates stay as written
    ents = [Entity(100 + text.index(w), 100 + text.index(w) + len(w), label, w, 0, 0)
            for w, label in (("Turkish", "NORP"), ("Kobani", "GPE"), ("5 May", "DATE"), ("Reuters", "ORG"))]
    assert masked_text(text, ents, offset=100) == "xnorp forces shelled xgpe on 5 May, xorg said."


def test_masked_columns_round_trip_and_read_the_masked_texts():
    texts = ["Police fired tear gas at protesters in Dhaka.", "The two leaders met in Geneva on Monday."] * 3
    masked = ["Police fired tear gas at protesters in xgpe.", "The two leaders met in xgpe on Monday."] * 3
    f = SentenceFeatures(["ASSAULT", NONE]).fit(texts, masked)
    g = SentenceFeatures.from_arrays(f.to_arrays("x_"), "x_")
    assert "xgpe" in g.masked.vocabulary_ and "xgpe" not in g.word.vocabulary_
    rules = [set()] * 6
    assert np.allclose(f.transform(texts, rules, masked).toarray(), g.transform(texts, rules, masked).toarray())
    # the masked columns come from the masked texts: the placeholder's column is set only when given them
    col = f.word.idf_.shape[0] + f.char.idf_.shape[0] + f.masked.vocabulary_["xgpe"]
    assert f.text_matrix(texts[:1], masked[:1])[0, col] > 0
    assert f.text_matrix(texts[:1])[0, col] == 0


def test_a_model_without_masked_columns_still_loads():
    f = SentenceFeatures([NONE]).fit(["Rebels shelled the town.", "Rebels shelled the port."] * 2)
    g = SentenceFeatures.from_arrays(f.to_arrays("y_"), "y_")
    assert g.masked is None
    assert g.text_matrix(["Rebels shelled the town."]).shape[1] == len(g.word.vocabulary_) + len(g.char.vocabulary_)


CLASSES = ["ACCUSE", "ASSAULT", "CONSULT", "YIELD", NONE]
TH = Thresholds({"*": 0.2}, retype=0.6, add=0.7)


def probs(**kw) -> np.ndarray:
    return np.array([kw.get(c, 0.0) for c in CLASSES])


def test_a_rule_draft_the_model_finds_likely_is_kept_with_its_probability():
    actions, add = decide(probs(ASSAULT=0.5, ACCUSE=0.4, NONE=0.1), CLASSES, ["ASSAULT"], TH)
    assert [(a.event_type, a.confidence) for a in actions] == [("ASSAULT", 0.5)] and add is None


def test_an_unlikely_rule_draft_is_retyped_when_the_model_is_confident():
    actions, _ = decide(probs(ACCUSE=0.85, ASSAULT=0.1, NONE=0.05), CLASSES, ["ASSAULT"], TH)
    assert actions[0].event_type == "ACCUSE"


def test_an_unlikely_rule_draft_is_dropped_when_the_model_is_unsure():
    actions, _ = decide(probs(ACCUSE=0.45, CONSULT=0.4, ASSAULT=0.05, NONE=0.1), CLASSES, ["ASSAULT"], TH)
    assert actions[0].event_type is None


def test_a_rule_draft_of_the_models_best_class_is_kept_under_its_class_bar():
    # below its class's keep bar but the model's best class and above the retype bar: retyping it would give
    # its own type back, so it stays rather than being dropped
    th = Thresholds({"*": 0.7}, retype=0.4, add=0.9)
    actions, _ = decide(probs(ASSAULT=0.5, ACCUSE=0.3, NONE=0.2), CLASSES, ["ASSAULT"], th)
    assert [(a.event_type, a.confidence) for a in actions] == [("ASSAULT", 0.5)]
    actions, _ = decide(probs(ASSAULT=0.35, ACCUSE=0.3, NONE=0.35), CLASSES, ["ASSAULT"], th)
    assert actions[0].event_type is None  # not above the retype bar either


def test_a_sentence_without_drafts_gets_one_only_from_a_confident_model():
    assert decide(probs(CONSULT=0.9, NONE=0.1), CLASSES, [], TH)[1] == ("CONSULT", 0.9)
    assert decide(probs(CONSULT=0.5, NONE=0.5), CLASSES, [], TH)[1] is None
    assert decide(probs(NONE=0.95, CONSULT=0.05), CLASSES, [], TH)[1] is None  # NONE is never added


def test_yield_is_split_into_concede_or_retreat():
    assert model_class("CONCEDE") == model_class("RETREAT") == "YIELD"
    actions, add = decide(probs(YIELD=0.9, NONE=0.1), CLASSES, [], TH, yield_type="CONCEDE")
    assert add == ("CONCEDE", 0.9)
    actions, _ = decide(probs(YIELD=0.5, ASSAULT=0.4), CLASSES, ["RETREAT"], TH)
    assert actions[0].event_type == "RETREAT"  # the rule's own choice within YIELD is kept


OWN_SENTENCES = [  # our own wording, one clear event each
    ("Soldiers opened fire on a rebel convoy near the border, killing six fighters.", {"ASSAULT"}),
    ("The foreign ministers of the two countries held talks in Vienna on Tuesday.", {"CONSULT"}),
    ("The opposition accused the interior minister of rigging the provincial vote.", {"ACCUSE"}),
    ("Thousands of farmers marched through the capital to protest against the new fertiliser tax.", {"PROTEST"}),
    ("The European Union imposed sanctions on three generals over the crackdown.", {"SANCTION"}),
    ("Rebels shelled the government garrison overnight, killing four soldiers.", {"ASSAULT"}),
    ("The two rival parties agreed on Sunday to form a joint commission on the disputed vote.", {"AGREE"}),
]


@pytest.mark.parametrize("text,types", OWN_SENTENCES)
def test_coder_with_the_model_codes_our_own_event_sentences_with_a_confidence(text, types):
    from newsline.code import extract

    mentions = extract(text, published="2024-03-05")
    assert {m["event_type"] for m in mentions} & types
    assert all(0.0 < m["confidence"] <= 1.0 for m in mentions)


def test_a_single_sentence_report_keeps_an_event_whose_perpetrator_it_does_not_name():
    from newsline.code import extract

    text = "Four police officers were killed when a roadside bomb struck their patrol outside the town on Monday."
    assert "ASSAULT" in {m["event_type"] for m in extract(text, published="2024-03-05")}


def test_an_article_drops_events_without_an_actor():
    from newsline.code import extract

    text = ("The valley lies two hours north of the capital. Four police officers were killed when a roadside bomb "
            "struck their patrol outside the town on Monday. Farmers there grow apricots and walnuts. "
            "The district has a population of about 80,000.")
    assert all(m["actor"] for m in extract(text, published="2024-03-05"))


def test_sentence_model_leans_to_no_event_on_chrome_and_background(model):
    texts = ["Subscribe to our newsletter for the latest headlines.",
             "The river valley has been farmed for centuries and is known for its apricots."]
    p = model.probs(texts, [set(), set()])
    assert all(model.classes[int(np.argmax(row))] == NONE for row in p)


def test_article_prior_lowers_event_probabilities(model):
    text = ["Officials said the situation in the region remained tense."]
    plain = model.probs(text, [set()])[0]
    shifted = model.probs(text, [set()], none_prior=0.6)[0]
    k = model.classes.index(NONE)
    assert shifted[k] >= plain[k]


def test_a_text_given_as_an_event_report_keeps_one_event_where_the_rules_found_one():
    th = Thresholds({"*": 0.5}, retype=0.9, add=0.9, keep_one=True)
    actions, _ = decide(probs(ACCUSE=0.45, CONSULT=0.35, ASSAULT=0.1, NONE=0.1), CLASSES, ["ASSAULT", "CONSULT"], th)
    assert [a.event_type for a in actions] == [None, "ACCUSE"]  # the better-supported draft takes the best class


@pytest.mark.parametrize("text,event_type,mode", [  # our own wording
    ("Thousands of farmers marched through the capital to protest against the new fertiliser tax.", "PROTEST", "demo"),
    ("Police arrested 40 opposition activists overnight.", "COERCE", "arrest"),
    ("The foreign minister flew to Beijing for two days of talks.", "CONSULT", "visit"),
])
def test_mode_model_gives_the_mode_of_the_drafts_type(model, text, event_type, mode):
    assert model.mode(text, event_type) == mode


def test_mode_model_gives_no_mode_to_a_type_without_modes(model):
    assert model.mode("The two parties agreed to meet again next week.", "AGREE") is None


def test_fast_tfidf_gives_scikit_learns_numbers(model):
    from newsline.code.features import _char_vectorizer, _tfidf, _word_vectorizer

    texts = ["Rebels shelled the garrison overnight.", "", "Talks resumed in Doha on Monday, officials said."]
    fitted = ((model.features.word, _word_vectorizer), (model.features.char, _char_vectorizer),
              (model.features.masked, _word_vectorizer))
    for vec, make in fitted:
        sk = make(vocabulary=dict(vec.vocabulary_))  # scikit-learn's vectoriser with the shipped vocabulary
        sk.idf_ = vec.idf_
        assert np.allclose(sk.transform(texts).toarray(), _tfidf(vec, texts).toarray(), atol=1e-6)


def test_a_draft_retyped_to_a_kept_drafts_class_tells_that_event_once_with_the_kept_parties():
    pytest.importorskip("newsline.annotate.nlp")
    from coder_helpers import names, run

    ms = run("Egypt proposed a new truce on Monday, which Hamas rejected on Tuesday.")
    rejections = [m for m in ms if m.event_type == "REJECT"]
    assert [names(m.actor) for m in rejections] == [["Hamas"]]  # not Egypt's rejection as well


def test_the_time_and_place_of_a_retelling_trigger_go_to_the_event_it_retells():
    from newsline.code.refine import _told_again
    from newsline.records import Place, Size, TimeExpression

    def draft(event_type, place=None, time=None, dead=None):
        from newsline.code.draft import Draft

        return Draft(event_type=event_type, mode=None, actor=[], recipient=[], mediator=[], time=time,
                     date_source="", place=place, size=Size(dead=dead), status="asserted", attribution=None,
                     evidence=[], sentence=0, paragraph=0, trigger_i=0)

    khost = Place("Khost", "Khost province")
    monday = TimeExpression(0, 6, "Monday", "2025-03-03", "2025-03-03", "day", 0, 1)
    kept, other = draft("AGREE"), draft("CONCEDE")
    retold = draft("AGREE", place=khost, time=monday, dead=3)
    assert not _told_again(retold, [other])  # no kept draft of its class: an event of its own
    assert _told_again(retold, [other, kept])
    assert (kept.place, kept.time, kept.size.dead) == (khost, monday, 3)


def test_security_forces_firing_on_protesters_is_no_protest_of_theirs():
    # the sentence model reads "protesters" and says PROTEST; the police's act keeps the rules' type
    from newsline.code import extract

    for text in ("Police fired tear gas at protesters in the capital on Monday.",
                 "Riot police fired tear gas and water cannon to disperse thousands of demonstrators outside parliament."):
        got = extract(text, published="2024-03-05")
        police = [m for m in got if any(a["sector"] == "COP" for a in m["actor"])]
        assert police and all(m["event_type"] != "PROTEST" for m in police), text
        assert all(0.0 < m["confidence"] <= 1.0 for m in police)
