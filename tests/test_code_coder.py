"""The event coder on sentences written for these tests.

Annotation here is deliberately minimal and independent of the annotate stage's dictionaries: spaCy's
parse flattened to records, named entities as actors (id = lower-cased text) and places, and time
expressions given by the test. The coder only ever sees records.
"""

from __future__ import annotations

import pytest

from newsline.code import code_article
from newsline.records import (
    ActorMention,
    ActorRef,
    AnnotatedArticle,
    Article,
    Place,
    PlaceMention,
    TimeExpression,
)

nlp_mod = pytest.importorskip("newsline.annotate.nlp")

AGENTS = {"police": "COP", "troops": "MIL", "army": "MIL", "militants": "REB", "rebels": "REB"}


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


def code(text: str, **kw):
    return code_article(annotate(text, **kw))


def names(refs):
    return sorted((r.name or r.text) for r in refs)


def one(text: str, **kw):
    ms = code(text, **kw)
    assert len(ms) == 1, [(m.event_type, names(m.actor), names(m.recipient)) for m in ms]
    return ms[0]


# --------------------------------------------------------------------------- roles
def test_subject_object_and_with():
    m = one("Ishaq Dar held talks with Amir Khan Muttaqi in Kabul.")
    assert m.event_type == "CONSULT"
    assert names(m.actor) == ["Ishaq Dar"]
    assert names(m.recipient) == ["Amir Khan Muttaqi"]
    assert m.event_loc is not None and m.event_loc.extracted_place == "Kabul"
    assert m.evidence[0].trigger == "held talks"


def test_passive_voice_agent_is_actor():
    m = one("Ukraine was attacked by Russia.")
    assert m.event_type == "ASSAULT"
    assert names(m.actor) == ["Russia"]
    assert names(m.recipient) == ["Ukraine"]


def test_coordination_gives_one_event_with_compound_actor():
    m = one("Colombia and Ecuador signed a trade agreement.")
    assert m.event_type in ("SUPPORT", "AGREE")
    assert names(m.actor) == ["Colombia", "Ecuador"]


def test_mediator_from_mediated_by():
    ms = code("Kenya and Somalia agreed to a ceasefire after talks mediated by Ethiopia.")
    types = {m.event_type for m in ms}
    assert "CONCEDE" in types  # a declared ceasefire
    cease = next(m for m in ms if m.event_type == "CONCEDE")
    assert names(cease.actor) == ["Kenya", "Somalia"]


def test_nominal_event_between():
    m = one("Talks between India and China opened on Monday.")
    assert m.event_type == "CONSULT"
    assert names(m.actor) == ["China", "India"]


def test_visit_nominal_with_of_and_to():
    m = one("The March 3 visit of Emmanuel Macron to Nigeria was brief.",
            times={"March 3": ("2024-03-03", "day")})
    assert m.event_type == "CONSULT" and m.mode == "visit"
    assert names(m.actor) == ["Emmanuel Macron"]
    assert m.date == "2024-03-03"
    assert m.event_loc is not None and m.event_loc.extracted_place == "Nigeria"


def test_request_absorbs_its_content():
    m = one("Brazil urged Venezuela to release the detained prisoners.")
    assert m.event_type == "REQUEST" and m.mode == "yield"
    assert names(m.actor) == ["Brazil"]
    assert names(m.recipient) == ["Venezuela"]


def test_future_cooperation_is_agree_and_planned():
    m = one("Japan will send aid to Nepal.")
    assert m.event_type == "AGREE"
    assert m.status == "planned"


def test_observed_ceasefire_is_retreat():
    m = one("Armenia and Azerbaijan observed the ceasefire.")
    assert m.event_type == "RETREAT" and m.mode == "ceasefire"


# --------------------------------------------------------------------------- status and attribution
def test_reported_by_speaker():
    m = one("Militants attacked a police post in Quetta, officials said.")
    assert m.event_type == "ASSAULT"
    assert m.status == "reported"
    assert m.attribution == "officials"


def test_according_to():
    m = one("According to Reuters, Sudan expelled the German ambassador.")
    assert m.event_type == "SANCTION"
    assert m.status == "reported"
    assert m.attribution == "Reuters"


def test_denied():
    m = one("Rwanda denied that its troops attacked Goma.")
    assert m.event_type == "ASSAULT"
    assert m.status == "denied"
    assert names(m.actor) == ["Rwanda"]  # "its troops" resolved through the pronoun


def test_hypothetical_condition_is_not_an_event():
    assert all(m.event_type != "ASSAULT" for m in code("Chile would help Peru if Bolivia attacked it."))


def test_threat_from_announced_coercion():
    m = one("Ghana said it would expel Togolese diplomats.")
    assert m.event_type == "THREATEN"


def test_said_alone_is_not_an_event():
    assert code("Kenya said the weather was fine.") == []


def test_negated_event_dropped():
    assert code("Peru did not attack Chile.") == []


def test_background_perfect_is_not_an_event():
    assert code("The Taliban have carried out attacks since 2007.") == []


# --------------------------------------------------------------------------- size
@pytest.mark.parametrize("text,field,value", [
    ("Militants killed at least 12 soldiers in Mali.", "dead", 12),
    ("Police arrested dozens of protesters in Lagos.", "arrested", 24),
    ("At least 30 people were killed and 40 wounded when rebels attacked Goma.", "injured", 40),
    ("Over 100 people lost their lives when rebels attacked Goma.", "dead", 100),
    ("Rebels attacked Goma, killing twelve civilians.", "dead", 12),
])
def test_size(text, field, value):
    ms = code(text)
    assert ms, text
    assert getattr(ms[0].size, field) == value


# --------------------------------------------------------------------------- dates
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


# --------------------------------------------------------------------------- merging and precision
def test_lede_and_retelling_merge():
    text = ("Kenya and Somalia signed a peace agreement in Nairobi on Friday.\n"
            "The agreement between Kenya and Somalia was signed after long talks.")
    ms = [m for m in code(text) if m.event_type in ("SUPPORT", "AGREE")]
    assert len(ms) == 1
    assert len(ms[0].evidence) == 2


def test_distinct_events_stay_distinct():
    text = "Russia attacked Ukraine on Monday.\nIsrael attacked Syria on Tuesday."
    ms = code(text, times={"Monday": ("2024-03-11", "day"), "Tuesday": ("2024-03-12", "day")})
    assert len([m for m in ms if m.event_type == "ASSAULT"]) == 2


def test_headline_not_coded():
    text = "Russia attacks Ukraine.\nKenya praised Somalia."
    ms = code(text, title="Russia attacks Ukraine")
    assert [m.event_type for m in ms] == ["SUPPORT"]


def test_ids_deterministic():
    text = "Russia attacked Ukraine. Kenya praised Somalia."
    assert [m.id for m in code(text)] == [m.id for m in code(text)]


def test_mention_record_fields():
    m = one("Russia attacked Ukraine.")
    assert m.quad_code == 4
    assert m.article_id == "a1"
    assert m.evidence[0].sentence == "Russia attacked Ukraine."
