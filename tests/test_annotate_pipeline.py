"""The annotate stage as a whole: records, offsets, batching, failed articles, pickling."""

from __future__ import annotations

import pickle

import pytest

from newsline.annotate import get_annotator
from newsline.records import AnnotatedArticle, Article

TEXT = ("ISLAMABAD: Pakistan's Foreign Minister met Afghan officials on Monday.\n"
        "The talks in Kabul lasted for nearly two weeks, officials said")


@pytest.fixture(scope="module")
def ann():
    return get_annotator()


def test_records_are_flat_and_offsets_point_into_the_text(ann):
    aa = ann.annotate(Article(id="a", uri="a", text=TEXT, published="2024-03-06"))
    assert isinstance(aa, AnnotatedArticle)
    assert aa.tokens and aa.sentences and aa.entities
    for t in aa.tokens:
        assert TEXT[t.idx:t.idx + len(t.text)] == t.text
        assert 0 <= t.head < len(aa.tokens)
    for s in aa.sentences:
        assert aa.tokens[s.token_start].idx == s.start
    # a newline ends a sentence even without final punctuation; paragraphs are numbered
    assert [s.paragraph for s in aa.sentences] == [0, 1]
    for coll in (aa.actors, aa.times, aa.places):
        for m in coll:
            assert TEXT[m.start:m.end] == m.text
    assert [t.date_start for t in aa.times] == ["2024-03-04", "2024-02-21"]
    clone = pickle.loads(pickle.dumps(aa))
    assert clone.actors[0].actor.id == aa.actors[0].actor.id


def test_failed_and_empty_articles_yield_empty_annotations(ann):
    arts = [Article(id="1", uri="1", text=TEXT, published="2024-03-06"),
            Article(id="2", uri="2", error="unreadable"),
            Article(id="3", uri="3", text="   "),
            Article(id="4", uri="4", text="Qatar hosted the talks.", published=None),
            Article(id="5", uri="5", text="Le Qatar a accueilli les pourparlers.", language="fr")]
    out = list(ann.annotate_many(arts, batch_size=2))
    assert [a.article.id for a in out] == ["1", "2", "3", "4", "5"]
    assert out[1].tokens == [] and out[2].tokens == [] and out[1].actors == []
    assert out[3].actors and out[3].actors[0].actor.id == "qat"
    assert out[4].tokens == []  # not English: not read by the English pipeline


def test_batch_equals_single(ann):
    arts = [Article(id=str(i), uri="", text=TEXT, published="2024-03-06") for i in range(3)]
    batch = list(ann.annotate_many(arts, batch_size=2))
    single = ann.annotate(arts[0])
    assert [m.actor.id for m in batch[2].actors] == [m.actor.id for m in single.actors]


def test_a_newline_ends_a_sentence_in_every_pipeline():
    # a pipeline without a parser (no sentence splitter at all): the flattened sentences still stop at
    # each line; a headline without a full stop is never glued to the lede
    import spacy

    from newsline.annotate.nlp import flatten

    text = "Troops pull back from border town\nThe army said on Monday it had withdrawn. Talks go on."
    _tokens, sentences, _ents = flatten(spacy.blank("en")(text))
    assert [text[s.start:s.end] for s in sentences][:2] == ["Troops pull back from border town",
                                                          "The army said on Monday it had withdrawn. Talks go on."]
    assert [s.paragraph for s in sentences] == [0, 1]


def test_headline_without_full_stop_is_its_own_sentence(ann):
    text = "Gunmen storm bus station in northern town\nAt least six passengers were killed, police said."
    aa = ann.annotate(Article(id="h", uri="h", text=text, published="2024-03-06"))
    assert text[aa.sentences[0].start:aa.sentences[0].end] == "Gunmen storm bus station in northern town"
    assert all("\n" not in text[s.start:s.end] for s in aa.sentences)


def test_an_nlp_batch_holds_about_100000_characters_at_most(monkeypatch):
    """spaCy's memory grows with a batch's characters: long articles go through nlp.pipe in smaller batches."""
    import newsline.annotate as annotate
    from newsline.records import Article

    ann = annotate.get_annotator()
    sizes: list[int] = []
    real = ann._batch

    def spy(arts, batch_size):
        sizes.append(sum(len(a.text) for a in arts))
        return real(arts, batch_size)

    monkeypatch.setattr(ann, "_batch", spy)
    text = ("The army said it had killed five militants in a raid on Monday. " * 600)[:30_000]
    arts = [Article(id=f"a{i}", uri="", language="en", text=text) for i in range(7)]
    assert len(list(ann.annotate_many(arts, batch_size=16))) == 7
    assert sizes == [120_000, 90_000]  # the batch ends with the article that reaches 100,000
