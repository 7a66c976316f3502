"""The role model (code/rolemodel.py): which noun phrase of a sentence is an event's source or target, learned
from PLV-train's spans, filling the roles the rules leave empty (`refine.fill_roles`). Sentences of our own."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import names, run  # noqa: E402
from newsline.code import rolemodel  # noqa: E402
from newsline.code.candidates import article_state, candidates  # noqa: E402
from newsline.code.lexicon import lexicon  # noqa: E402
from newsline.code.ontology import ontology  # noqa: E402


def _state(text: str):
    from newsline.annotate import get_annotator
    from newsline.records import Article

    art = Article(id="r1", uri="", published="2025-10-15", language="en", text=text)
    cx = article_state(get_annotator().annotate(art), lexicon(), ontology())
    return cx, candidates(cx)


def test_a_suspension_of_flights_from_a_state_targets_it_as_the_role_model_fills(monkeypatch):
    text = "Venezuela suspended flights from Spain on Friday."
    full = [m for m in run(text) if m.event_type == "SANCTION"]
    assert [names(m.actor) for m in full] == [["Venezuela"]]
    assert [r.country for r in full[0].recipient] == ["ESP"]
    import newsline.code.refine as refine

    monkeypatch.setattr(refine, "role_model", lambda: None)
    bare = [m for m in run(text) if m.event_type == "SANCTION"]
    assert bare and not bare[0].recipient  # the rules alone leave it empty


def test_role_features_are_also_conjoined_with_the_event_class():
    cx, drafts = _state("Egypt accused Ethiopia of stalling the talks.")
    dr = next(d for d in drafts if d.event_type == "ACCUSE")
    heads = rolemodel.candidates(cx.doc, range(0, len(cx.doc.tokens)))
    h = next(i for i in heads if cx.doc.tokens[i].text == "Ethiopia")
    plain = rolemodel.features(cx.doc, h, dr.trigger_i, dr.actor, dr.recipient)
    typed = rolemodel.features(cx.doc, h, dr.trigger_i, dr.actor, dr.recipient, "ACCUSE")
    assert set(plain) < set(typed)
    assert {k for k in typed if k.startswith("ACCUSE|")} == {f"ACCUSE|{k}" for k in plain
                                                             if k.split("=", 1)[0] in ("path", "prep", "side", "dep")}


def test_the_role_model_never_makes_a_mediator_the_target():
    from newsline.code.refine import _fill

    cx, drafts = _state("Armenia and Azerbaijan held talks in Geneva, mediated by Switzerland.")
    dr = next(d for d in drafts if d.event_type == "CONSULT")
    assert [m.name for m in dr.mediator] == ["Switzerland"]
    mediator_head = next(t.i for t in cx.doc.tokens if t.text == "Switzerland")

    class PicksTheMediator:
        def ranked(self, *args):
            return [(mediator_head, 0.99)]

    assert _fill(cx, dr, PicksTheMediator(), "target", dr.actor) == []


def test_a_role_is_filled_from_the_best_phrase_that_names_an_actor():
    # the model's best phrase may be a thing ("talks"): the next phrase above the threshold that names an
    # actor fills the role
    from newsline.code.refine import _fill

    cx, drafts = _state("Kenya refused direct talks with Somalia.")
    dr = drafts[0]
    talks = next(t.i for t in cx.doc.tokens if t.text == "talks")
    somalia = next(t.i for t in cx.doc.tokens if t.text == "Somalia")

    class ThingFirst:
        def ranked(self, *args):
            return [(talks, 0.9), (somalia, 0.4)]

    assert [r.name for r in _fill(cx, dr, ThingFirst(), "target", dr.actor)] == ["Somalia"]
