"""The coder's feature extraction made cheaper (issue 17) gives the very same numbers: the character n-grams
looked up per distinct word (`features._char_wb_terms`) against scikit-learn's analyzer over each text."""

from __future__ import annotations

import numpy as np
import pytest

from newsline.code import features
from newsline.code.classify import sentence_model

# our own wording: repeated words, capitals, short words, digits, accents, punctuation, odd whitespace
TEXTS = [
    "Rebels shelled the garrison overnight, and the garrison shelled the rebels back.",
    "",
    "   ",
    "Talks resumed in Doha on Monday,\tofficials said;  the talks  ended late.",
    "A UN envoy met Ms Ngozi-Okafor in Zürich at 9 a.m. on 3 March.",
    "Protesters marched; police fired tear gas.\nProtesters marched again on Tuesday.",
    "I", "a b c", "Über-cautious résumé of the ceasefire's terms (draft).",
]


@pytest.fixture(scope="module")
def model():
    m = sentence_model()
    if m is None:
        pytest.skip("no trained coder model packaged")
    return m


def _reference(monkeypatch, fn):
    """`fn()` with the per-word path off: every text through scikit-learn's analyzer."""
    with monkeypatch.context() as mp:
        mp.setattr(features, "_plain_char_wb", lambda vec: False)
        return fn()


def _same(a, b) -> None:
    assert a.shape == b.shape
    assert a.indptr.tolist() == b.indptr.tolist()
    assert a.indices.tolist() == b.indices.tolist()
    assert a.data.dtype == b.data.dtype
    assert np.array_equal(a.data, b.data)  # bit for bit, not close


def test_per_word_char_ngrams_give_the_same_matrix_bit_for_bit(model, monkeypatch):
    char = model.features.char
    assert features._plain_char_wb(char)  # the shipped model takes the fast path
    ref = _reference(monkeypatch, lambda: features._tfidf(char, TEXTS))
    _same(features._tfidf(char, TEXTS), ref)
    _same(features._tfidf(char, TEXTS), ref)  # again, with every word cached
    assert np.allclose(char.transform(TEXTS).toarray(), ref.toarray(), atol=1e-6)  # scikit-learn's own


def test_the_models_scores_are_unchanged(model, monkeypatch):
    rules = [{"ASSAULT"}, set(), set(), {"CONSULT"}, {"CONSULT"}, {"PROTEST"}, set(), set(), set()]
    ref_x = _reference(monkeypatch, lambda: model.features.text_matrix(TEXTS))
    ref_p = _reference(monkeypatch, lambda: model.probs(TEXTS, rules))
    ref_modes = _reference(monkeypatch, lambda: model.modes(ref_x, ["ASSAULT"] * len(TEXTS)))
    ref_yield = _reference(monkeypatch, lambda: [model.yield_type(t) for t in TEXTS])
    x = model.features.text_matrix(TEXTS)
    _same(x, ref_x)
    assert np.array_equal(model.probs(TEXTS, rules), ref_p)
    assert model.modes(x, ["ASSAULT"] * len(TEXTS)) == ref_modes
    assert [model.yield_type(t) for t in TEXTS] == ref_yield


def test_the_word_cache_stays_bounded(model, monkeypatch):
    char = model.features.char
    monkeypatch.setattr(features, "WORD_CACHE_MAX", 5)
    monkeypatch.setattr(char, "_newsline_word_terms", None)
    words = " ".join(f"word{i}" for i in range(40))
    ref = _reference(monkeypatch, lambda: features._tfidf(char, [words, words]))
    _same(features._tfidf(char, [words, words]), ref)
    assert len(char._newsline_word_terms) <= 5


def test_refitting_forgets_the_cached_words():
    sf = features.SentenceFeatures(["NONE"])
    sf.fit(["alpha beta gamma", "alpha beta delta", "alpha gamma delta", "beta gamma delta"] * 3)
    features._tfidf(sf.char, ["alpha omega"])  # caches "alpha" and "omega" under the first vocabulary
    sf.fit(["omega omega alpha", "omega beta", "alpha omega"] * 3)
    text = ["alpha omega"]
    assert np.allclose(features._tfidf(sf.char, text).toarray(), sf.char.transform(text).toarray(), atol=1e-6)
