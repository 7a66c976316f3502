"""The article's other side (code/counterpart.py): an article's mention with an actor and no recipient gets the
party the article's events name most, unless that party is the actor or on its side. Articles of our own."""

from __future__ import annotations

import pytest

from newsline.code.counterpart import fill_recipients
from newsline.records import ActorRef, EventMention

PAK = ActorRef(id="pak", name="Pakistan", country="PAK", kind="state")
PAK_ARMY = ActorRef(id="pak-mil", name="Pakistan military", country="PAK", sector="MIL", kind="agent")
TTP = ActorRef(id="ttp", name="Tehreek-e-Taliban Pakistan", country="PAK", sector="REB", kind="group")
AFG = ActorRef(id="afg-taliban", name="Afghan Taliban", country="AFG", sector="GOV", kind="group")
QAT = ActorRef(id="qat", name="Qatar", country="QAT", kind="state")


def _m(n: int, actor, recipient=(), mediator=(), event_type="ACCUSE") -> EventMention:
    return EventMention(id=f"m{n}", article_id="a", event_type=event_type, actor=list(actor),
                        recipient=list(recipient), mediator=list(mediator))


def test_an_actor_without_recipient_gets_the_articles_most_named_other_party():
    ms = [_m(1, [PAK], [AFG]), _m(2, [AFG], [PAK]), _m(3, [PAK])]
    fill_recipients(ms)
    assert [r.id for r in ms[2].recipient] == ["afg-taliban"]


def test_a_party_named_once_is_no_side_of_the_article():
    ms = [_m(1, [PAK], [AFG]), _m(2, [PAK])]
    fill_recipients(ms)
    assert ms[1].recipient == []


def test_the_actors_own_side_is_never_its_recipient():
    # the army and the state of one country are one side; a rebel group of that country is the other
    ms = [_m(1, [PAK], [TTP]), _m(2, [PAK_ARMY], [TTP]), _m(3, [TTP], [PAK]), _m(4, [PAK]), _m(5, [TTP])]
    fill_recipients(ms)
    assert [r.id for r in ms[3].recipient] == ["ttp"]
    assert [r.id for r in ms[4].recipient] == ["pak"]


def test_the_events_mediator_is_not_made_its_recipient():
    ms = [_m(1, [QAT], [AFG]), _m(2, [QAT], [PAK]), _m(3, [AFG], mediator=[QAT], event_type="CONSULT"),
          _m(4, [PAK], [QAT])]
    fill_recipients(ms)
    assert [r.id for r in ms[2].recipient] == ["pak"]


def test_a_recipient_the_sentence_names_is_kept():
    ms = [_m(1, [PAK], [AFG]), _m(2, [AFG], [PAK]), _m(3, [PAK], [QAT])]
    fill_recipients(ms)
    assert [r.id for r in ms[2].recipient] == ["qat"]


@pytest.mark.parametrize("as_article", [True, False])
def test_an_article_sentence_takes_the_other_side_a_one_sentence_report_does_not(as_article):
    pytest.importorskip("newsline.annotate.nlp")
    from coder_helpers import run

    closing = "Afghan officials closed the Torkham crossing on Sunday."
    article = ("Pakistan accused Afghanistan on Friday of sheltering militants who attacked a border post. "
               "Afghanistan rejected the accusation from Pakistan a day later. "
               "The foreign ministry in Kabul said Pakistan should look at its own security failures. "
               + closing)
    ms = [m for m in run(article if as_article else closing) if closing[:20] in m.evidence[0].sentence]
    assert ms and ms[0].event_type in ("COERCE", "SANCTION")
    assert [r.country for r in ms[0].recipient] == (["PAK"] if as_article else [])
