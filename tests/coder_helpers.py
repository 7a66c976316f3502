"""Shared helpers of the coder tests (tests/test_code_*.py): two ways to annotate a sentence written for a
test, and small selectors over the mentions coded.

`annotate`/`code` are deliberately minimal and independent of the annotate stage's dictionaries: spaCy's parse
flattened to records, named entities as actors (id = lower-cased text) and places, and time expressions given
by the test. `run` uses the full annotator (actors, times, places resolved as in a run). The coder only ever
sees records."""

from __future__ import annotations

import pytest

from newsline.code import code_article
from newsline.records import (
    ActorMention,
    ActorRef,
    AnnotatedArticle,
    Article,
    EventMention,
    Place,
    PlaceMention,
    TimeExpression,
)

nlp_mod = pytest.importorskip("newsline.annotate.nlp")

AGENTS = {"police": "COP", "troops": "MIL", "army": "MIL", "militants": "REB", "rebels": "REB"}
PACT = ("AGREE", "CONCEDE", "SUPPORT")


def annotate(text: str, published: str | None = "2024-03-10", times: dict | None = None,
             title: str | None = None) -> AnnotatedArticle:
    nlp = nlp_mod.load_nlp()
    doc = nlp(text)
    tokens, sentences, entities = nlp_mod.flatten(doc)
    actors, places = [], []
    for e in entities:
        if e.label in ("GPE", "NORP", "ORG", "PERSON"):
            kind = {"GPE": "state", "NORP": "state", "ORG": "group", "PERSON": "person"}[e.label]
            ref = ActorRef(id=e.text.lower(), name=e.text, country=e.text[:3].upper(), text=e.text, kind=kind)
            actors.append(ActorMention(e.start, e.end, e.text, ref, e.token_start, e.token_end))
        if e.label in ("GPE", "LOC", "FAC"):
            places.append(PlaceMention(e.start, e.end, e.text, Place(e.text, e.text), e.token_start, e.token_end))
    have = {(a.token_start, a.token_end) for a in actors}
    for t in tokens:
        if t.text.lower() in AGENTS and (t.i, t.i + 1) not in have:
            ref = ActorRef(id=t.text.lower(), name=t.text, sector=AGENTS[t.text.lower()], text=t.text, kind="agent")
            actors.append(ActorMention(t.idx, t.idx + len(t.text), t.text, ref, t.i, t.i + 1))
    tx = []
    for phrase, (date, precision) in (times or {}).items():
        start = text.index(phrase)
        end = start + len(phrase)
        ts = [t.i for t in tokens if start <= t.idx < end]
        tx.append(TimeExpression(start, end, phrase, date, date, precision, ts[0], ts[-1] + 1))
    art = Article(id="a1", uri="", title=title, published=published,
                  published_precision="day" if published else None, language="en", text=text)
    return AnnotatedArticle(art, tokens, sentences, entities, actors, tx, places)


def code(text: str, **kw) -> list[EventMention]:
    """The mentions of `text` under the minimal annotation."""
    return code_article(annotate(text, **kw))


def run(text: str, published: str | None = "2025-10-15") -> list[EventMention]:
    """The mentions of `text` under the full annotator."""
    from newsline.annotate import get_annotator

    art = Article(id="t6", uri="", title=None, published=published,
                  published_precision="day" if published else None, language="en", text=text)
    return code_article(get_annotator().annotate(art))


def names(refs) -> list[str]:
    return sorted((r.name or r.text) for r in refs)


def one(text: str, **kw) -> EventMention:
    ms = code(text, **kw)
    assert len(ms) == 1, [(m.event_type, names(m.actor), names(m.recipient)) for m in ms]
    return ms[0]


def of_type(ms, t) -> list[EventMention]:
    return [m for m in ms if m.event_type == t]


def single(ms, t) -> EventMention:
    got = of_type(ms, t)
    assert len(got) == 1, got
    return got[0]


def pacts(ms) -> list[EventMention]:
    return [m for m in ms if m.event_type in PACT]


def sides(refs) -> set:
    return {r.country for r in refs}


def countries(m) -> set:
    return {r.country for r in m.actor + m.recipient if r.country}


def event_with(text: str, words: str, published: str | None = "2024-06-07") -> EventMention:
    """The first mention (full annotator) whose trigger has one of `words` ("a|b")."""
    got = run(text, published=published)
    ms = [m for m in got if any(w in e.trigger.split() for e in m.evidence for w in words.split("|"))]
    assert ms, [(m.event_type, [e.trigger for e in m.evidence]) for m in got]
    return ms[0]
