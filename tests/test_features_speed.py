"""The coder's feature extraction made cheaper (issue 17) gives the very same numbers: the shipped model's own
analyzers (`features.FittedTfidf`: no scikit-learn at run time, character n-grams looked up per distinct word)
against scikit-learn's vectorisers over each text, with the same vocabulary and idf."""

from __future__ import annotations

import subprocess
import sys

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


def _sklearn(fitted: features.FittedTfidf):
    """scikit-learn's own vectoriser with the shipped vocabulary and idf (the reference the model was fitted with)."""
    make = features._word_vectorizer if fitted.kind == "word" else features._char_vectorizer
    vec = make(vocabulary=dict(fitted.vocabulary_))
    vec.idf_ = fitted.idf_
    return vec


def _reference(monkeypatch, model, fn):
    """`fn()` with scikit-learn's vectorisers and analyzer over each whole text in place of the model's own."""
    with monkeypatch.context() as mp:
        for sf in (model.features, model.yield_features):
            mp.setattr(sf, "word", _sklearn(sf.word))
            mp.setattr(sf, "char", _sklearn(sf.char))
        return fn()


def _same(a, b) -> None:
    assert a.shape == b.shape
    assert a.indptr.tolist() == b.indptr.tolist()
    assert a.indices.tolist() == b.indices.tolist()
    assert a.data.dtype == b.data.dtype
    assert np.array_equal(a.data, b.data)  # bit for bit, not close


def test_the_models_own_analyzers_give_scikit_learns_matrices_bit_for_bit(model, monkeypatch):
    for kind in ("word", "char"):
        fitted = getattr(model.features, kind)
        assert isinstance(fitted, features.FittedTfidf)  # the shipped model codes without scikit-learn
        ref = _reference(monkeypatch, model, lambda k=kind: features._tfidf(getattr(model.features, k), TEXTS))
        _same(features._tfidf(fitted, TEXTS), ref)
        _same(features._tfidf(fitted, TEXTS), ref)  # again, with every word cached
        assert np.allclose(_sklearn(fitted).transform(TEXTS).toarray(), ref.toarray(), atol=1e-6)


def test_the_models_scores_are_unchanged(model, monkeypatch):
    rules = [{"ASSAULT"}, set(), set(), {"CONSULT"}, {"CONSULT"}, {"PROTEST"}, set(), set(), set()]
    ref_x = _reference(monkeypatch, model, lambda: model.features.text_matrix(TEXTS))
    ref_p = _reference(monkeypatch, model, lambda: model.probs(TEXTS, rules))
    ref_modes = _reference(monkeypatch, model, lambda: model.modes(ref_x, ["ASSAULT"] * len(TEXTS)))
    ref_yield = _reference(monkeypatch, model, lambda: [model.yield_type(t) for t in TEXTS])
    x = model.features.text_matrix(TEXTS)
    _same(x, ref_x)
    assert np.array_equal(model.probs(TEXTS, rules), ref_p)
    assert model.modes(x, ["ASSAULT"] * len(TEXTS)) == ref_modes
    assert [model.yield_type(t) for t in TEXTS] == ref_yield


def test_the_word_cache_stays_bounded(model, monkeypatch):
    char = model.features.char
    monkeypatch.setattr(features, "WORD_CACHE_MAX", 5)
    monkeypatch.setattr(char, "_words", {})
    words = " ".join(f"word{i}" for i in range(40))
    ref = _reference(monkeypatch, model, lambda: features._tfidf(model.features.char, [words, words]))
    _same(features._tfidf(char, [words, words]), ref)
    assert len(char._words) <= 5


def test_coding_with_the_shipped_model_never_imports_scikit_learn():
    code = ("import sys; from newsline.code.classify import sentence_model; m = sentence_model(); "
            "m.probs(['Rebels shelled the town.'], [{'ASSAULT'}]); m.yield_type('The army pulled out.'); "
            "print(sorted(k for k in sys.modules if k.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_fitted_features_give_the_numbers_of_scikit_learns_fitted_vectorisers():
    texts = ["alpha beta gamma", "alpha beta delta", "alpha gamma delta", "beta gamma delta"] * 3
    sf = features.SentenceFeatures(["NONE"]).fit(texts)
    for kind, make, min_df in (("word", features._word_vectorizer, 2), ("char", features._char_vectorizer, 3)):
        fitted = getattr(sf, kind)
        assert isinstance(fitted, features.FittedTfidf)
        sk = make(min_df=min_df).fit(texts)
        probe = ["alpha omega beta", "gamma gamma"]
        assert np.allclose(features._tfidf(fitted, probe).toarray(), sk.transform(probe).toarray(), atol=1e-6)
