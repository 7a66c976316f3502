"""The seam between the rule path's candidates and merging: `draft_from_trigger` builds a draft for any token
and type the way the rule path does, and `refine_drafts` (the hook a learned step fills) sees every draft's
sentence, type and trigger. Sentences written for these tests; the full annotator resolves actors, times and
places as in a run."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from newsline.annotate import get_annotator  # noqa: E402
from newsline.code import Coder, lexicon, ontology  # noqa: E402
from newsline.code import coder as coder_mod  # noqa: E402
from newsline.code.candidates import article_state, candidates  # noqa: E402
from newsline.code.draft import ArticleState, Draft  # noqa: E402
from newsline.code.drafts import draft_from_trigger  # noqa: E402
from newsline.records import AnnotatedArticle, Article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def annotate(text: str, published: str | None = "2025-10-15") -> AnnotatedArticle:
    art = Article(id="seam", uri="", title=None, published=published,
                  published_precision="day" if published else None, language="en", text=text)
    return get_annotator().annotate(art)


def state(text: str) -> tuple[ArticleState, list[Draft]]:
    cx = article_state(annotate(text), lexicon(), ontology())
    return cx, candidates(cx)


def token(cx: ArticleState, word: str) -> int:
    return next(t.i for t in cx.doc.tokens if t.text == word)


def test_a_verb_no_trigger_fires_on_becomes_a_draft_with_roles_date_and_place():
    cx, drafts = state("Pakistani troops pummelled Taliban positions in Kunar on Monday.")
    assert drafts == []  # "pummel" is no lexicon trigger
    dr = draft_from_trigger(cx, token(cx, "pummelled"), "ASSAULT")
    assert dr is not None
    assert (dr.event_type, dr.status, dr.sentence, dr.trigger_i) == ("ASSAULT", "asserted", 0, 2)
    assert [(r.id, r.text) for r in dr.actor] == [("pak-mil", "Pakistani troops")]
    assert [(r.id, r.text) for r in dr.recipient] == [("afg-taliban", "Taliban positions")]  # the phrase naming it
    assert dr.time is not None and dr.time.date_start == "2025-10-13" and dr.date_source == "own"
    assert dr.place is not None and dr.place.extracted_place == "Kunar"
    assert dr.evidence[0].trigger == "pummelled"


def test_retyping_a_lexicon_trigger_gives_the_rule_paths_draft():
    for text in ("The Malian junta accused France on Tuesday of arming rebels in the north.",
                 "Kenyan President William Ruto hosted Somali leaders in Nairobi on Monday."):
        cx, drafts = state(text)
        assert drafts, text
        for dr in drafts:
            again = draft_from_trigger(cx, dr.trigger_i, dr.event_type, dr.mode)
            assert again is not None
            assert (again.event_type, again.mode, again.actor, again.recipient, again.time, again.place,
                    again.status, again.evidence) == (dr.event_type, dr.mode, dr.actor, dr.recipient, dr.time,
                                                      dr.place, dr.status, dr.evidence)


def test_a_draft_is_ruled_out_as_the_rule_path_would():
    cx, _ = state("If the rebels attack the town, the army will respond.")
    assert draft_from_trigger(cx, token(cx, "attack"), "ASSAULT") is None  # the condition of a conditional


def test_the_refine_hook_sees_every_draft_and_its_changes_reach_the_mentions(monkeypatch):
    text = "Pakistani troops pummelled Taliban positions in Kunar on Monday. Pakistan accused the Taliban of lying."
    seen: list[tuple[int, str, int]] = []

    def refine(cx: ArticleState, drafts: list[Draft]) -> list[Draft]:
        seen.extend((dr.sentence, dr.event_type, dr.trigger_i) for dr in drafts)
        extra = draft_from_trigger(cx, token(cx, "pummelled"), "ASSAULT")
        return drafts + ([extra] if extra is not None else [])

    ann = annotate(text)
    before = Coder().code(ann)
    monkeypatch.setattr(coder_mod, "refine_drafts", refine)
    after = Coder().code(ann)
    assert seen == [(1, "ACCUSE", 11)]  # (sentence, type, trigger token) of the rule path's one draft
    assert not any(m.event_type == "ASSAULT" for m in before)
    assault = [m for m in after if m.event_type == "ASSAULT"]
    assert len(assault) == 1 and assault[0].date == "2025-10-13"


def test_the_default_hook_keeps_the_drafts():
    cx, drafts = state("The Malian junta accused France on Tuesday of arming rebels in the north.")
    assert coder_mod.refine_drafts(cx, drafts) is drafts


@pytest.mark.parametrize("text", [
    "A strong earthquake struck the north of the country on Sunday, killing at least 20 people.",
    "A minibus plunged off a mountain road in Nepal, killing 11 passengers, police said.",
    "A methane blast at a colliery in Shanxi killed six miners on Monday.",
    "Floods have killed more than 40 people in southern Brazil this week.",
])
def test_a_disaster_that_kills_is_no_attack(text):
    from coder_helpers import run

    assert not [m for m in run(text) if m.event_type == "ASSAULT"]


@pytest.mark.parametrize("text", [
    "Soldiers opened fire on protesters in Khartoum, killing three people.",
    "Russian shelling killed four civilians in Kherson.",
    "Militants detonated a bomb on a bus in Quetta, killing nine passengers.",
    "Gunmen attacked a bus carrying pilgrims in Kashmir, killing nine people.",
])
def test_an_attack_with_a_vehicle_or_fire_in_it_is_still_an_attack(text):
    from coder_helpers import run

    assert [m for m in run(text) if m.event_type == "ASSAULT"]


@pytest.mark.parametrize("text,event_type", [
    ("Japanese Prime Minister Fumio Kishida called the missile launch outrageous on Tuesday.", "ACCUSE"),
    ("The foreign minister called the verdict a travesty of justice.", "ACCUSE"),
    ("Chinese President Xi Jinping called the decision historic.", "SUPPORT"),
])
def test_calling_something_outrageous_or_historic_is_condemnation_or_praise(text, event_type):
    from coder_helpers import run

    assert event_type in {m.event_type for m in run(text)}
