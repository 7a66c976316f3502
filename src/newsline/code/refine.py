"""The learned steps between the rule path's drafts and merging (`coder.refine_drafts`).

Per sentence, the sentence model (`classify.py`) keeps, retypes or drops the rule path's drafts and may add a
draft the lexicon missed (built on the sentence's main verb by the rule path's own drafting); each kept draft
carries the model's probability of its class as `confidence`, and the mode model sets the modes the rules
left open. After merging, the role model (`rolemodel.py`) fills a target the rules left empty.
"""

from __future__ import annotations

from newsline.code.classify import Action, SentenceModel, decide, sentence_model
from newsline.code.draft import ArticleState, Draft
from newsline.code.drafts import draft_from_trigger
from newsline.code.features import YIELD, masked_text, model_class, rule_signals
from newsline.code.rolemodel import RoleModel, ref_for, role_model
from newsline.code.size import merge_size
from newsline.records import ActorRef


def _main_verb(cx: ArticleState, si: int) -> int | None:
    d = cx.doc
    sent = d.ann.sentences[si]
    rng = range(sent.token_start, min(sent.token_end, len(d.tokens)))
    roots = [i for i in rng if d.tokens[i].head == i]
    verbs = [i for i in roots if d.tokens[i].pos in ("VERB", "AUX")]
    return (verbs or roots or [None])[0]


def _sentence_text(cx: ArticleState, si: int) -> str:
    s = cx.doc.ann.sentences[si]
    return cx.doc.text[s.start:s.end]


def _masked_texts(cx: ArticleState, sents: list[int], texts: list[str]) -> list[str]:
    """The sentences' texts with their named entities masked (`features.masked_text`), as the model was trained."""
    ann = cx.doc.ann
    by_sent: dict[int, list] = {}
    si = 0
    for e in sorted(ann.entities, key=lambda e: e.start):  # in text order, as the sentences are
        while si < len(ann.sentences) and ann.sentences[si].end <= e.start:
            si += 1
        by_sent.setdefault(si, []).append(e)
    return [masked_text(text, by_sent.get(si, ()), ann.sentences[si].start) for si, text in zip(sents, texts, strict=True)]


def _resolve_yield(model: SentenceModel, text: str, actions, add):
    """YIELD made CONCEDE or RETREAT by the split model, asked only when the decision needs it (it costs a
    feature transform of its own)."""
    if not any(a.event_type == YIELD for a in actions) and not (add and add[0] == YIELD):
        return actions, add
    t = model.yield_type(text)
    for a in actions:
        if a.event_type == YIELD:
            a.event_type = t
    return actions, ((t, add[1]) if add and add[0] == YIELD else add)


def _set_modes(model: SentenceModel, drafts: list[Draft], text_x, row_of: dict[int, int]) -> None:
    """A mode for each draft the rules gave none (the rules' own mode, from the trigger's frame, is kept)."""
    todo = [dr for dr in drafts if dr.mode is None and dr.sentence in row_of]
    if todo:
        rows = text_x[[row_of[dr.sentence] for dr in todo]]
        for dr, mode in zip(todo, model.modes(rows, [dr.event_type for dr in todo]), strict=True):
            dr.mode = mode


def classify_drafts(cx: ArticleState, drafts: list[Draft], model: SentenceModel) -> list[Draft]:
    by_sent: dict[int, list[Draft]] = {}
    passed: list[Draft] = []
    for dr in drafts:
        (passed if dr.background else by_sent.setdefault(dr.sentence, [])).append(dr)
    n = len(cx.doc.ann.sentences)
    # the sentences of an article mostly report nothing: the article prior (the model card's) applies there
    article = not cx.is_report
    prior = model.card.get("none_prior_article") if article else None
    th = model.article_thresholds if article else model.thresholds
    # where nothing is ever added, only the sentences with drafts need the model (its features cost most)
    sents = list(range(n)) if th.add <= 1.0 else sorted(by_sent)
    if not sents:
        return passed
    texts = [_sentence_text(cx, si) for si in sents]
    masked = _masked_texts(cx, sents, texts) if model.features.masked is not None else None
    text_x = model.features.text_matrix(texts, masked)
    probs = model.probs_x(text_x, [rule_signals(by_sent.get(si, []), cx.doc) for si in sents], prior)
    out = list(passed)
    for si, text, p in zip(sents, texts, probs, strict=True):
        here = by_sent.get(si, [])
        actions, add = _resolve_yield(model, text, *decide(p, model.classes, [dr.event_type for dr in here], th))
        as_is = [dr for dr, act in zip(here, actions, strict=True) if act.event_type == dr.event_type]
        for dr, act in zip(here, actions, strict=True):
            if act.event_type is None:
                continue
            if act.event_type != dr.event_type and _security_forces_protest(dr, act.event_type):
                # the model is sure of an event here, and its class is the protest the sentence tells around it:
                # the draft keeps its type with the model's confidence in the sentence's event
                act = Action(dr.event_type, act.confidence)
            if act.event_type != dr.event_type:
                dr = draft_from_trigger(cx, dr.trigger_i, act.event_type)
                if dr is None or _told_again(dr, as_is):
                    continue
            dr.confidence = act.confidence
            out.append(dr)
        if add is not None:
            v = _main_verb(cx, si)
            new = draft_from_trigger(cx, v, add[0]) if v is not None else None
            if new is not None and not new.background:
                new.confidence = add[1]
                out.append(new)
    _set_modes(model, [dr for dr in out if dr.confidence is not None], text_x, {si: n for n, si in enumerate(sents)})
    out.sort(key=lambda dr: (dr.sentence, dr.trigger_i))
    return out


SECURITY_SECTORS = frozenset({"COP", "MIL", "SPY"})


def _security_forces_protest(dr: Draft, new_type: str) -> bool:
    """The model reads "protesters" in "Police fired tear gas at protesters" and says PROTEST; police, soldiers or
    spies do not protest: a draft of theirs keeps its own type."""
    return new_type == "PROTEST" and bool(dr.actor) and all(a.sector in SECURITY_SECTORS for a in dr.actor)


def _told_again(new: Draft, kept: list[Draft]) -> bool:
    """Whether a draft retyped to the class of a draft its sentence keeps as it is only tells that event again
    ("Egypt proposed a truce, which Hamas rejected" is one rejection, Hamas's, not Egypt's too: the retyped
    trigger's own parties would make a second event). Its time and place go to the kept draft where that has
    none (the place may hang on the retyped trigger: "reached an understanding at talks in Khost"), its toll as
    merging combines tolls."""
    same = [k for k in kept if model_class(k.event_type) == model_class(new.event_type)]
    if not same:
        return False
    k = same[0]
    if k.place is None and new.place is not None:
        k.place, k.own_place = new.place, new.own_place
    if k.time is None and new.time is not None:
        k.time, k.date_source = new.time, new.date_source
    k.size = merge_size(k.size, new.size)  # as merging combines two reports of one event
    return True


def _fill(cx: ArticleState, dr: Draft, roles: RoleModel, role: str, other: list[ActorRef]) -> list[ActorRef]:
    """The actors of the role model's best phrase for `role` in the draft's sentence that names an actor
    (`rolemodel.ref_for`), minus those of the other role; nothing when no such phrase scores high enough. The
    model learned spans that are sometimes things ("refused talks with the Afghan government": the talks score
    too): a role is filled with actors only, so the best phrase that names one is taken."""
    # neither the other role's actors nor the event's mediators ("talks mediated by Qatar" has no target Qatar)
    taken = {r.id for r in other + dr.mediator if r.id} | {r.text for r in other + dr.mediator}
    for head, _p in roles.ranked(cx.doc, role, dr.trigger_i, dr.actor, dr.recipient, dr.event_type):
        refs = [r for r in ref_for(cx.doc, head, cx.lex, role == "target") if r.id not in taken and r.text not in taken]
        if refs:
            return refs
    return []


def fill_roles(cx: ArticleState, drafts: list[Draft], roles: RoleModel) -> None:
    """Roles the rules left empty, from the role model's best phrase of the sentence: the source of an actorless
    draft (only a one-report text keeps those, see `merge`), then the target of a draft with an actor."""
    for dr in drafts:
        if not dr.actor:
            dr.actor = _fill(cx, dr, roles, "source", dr.recipient)
        if dr.actor and not dr.recipient:
            dr.recipient = _fill(cx, dr, roles, "target", dr.actor)


def refine(cx: ArticleState, drafts: list[Draft]) -> list[Draft]:
    model = sentence_model()
    return drafts if model is None else classify_drafts(cx, drafts, model)


def complete_roles(cx: ArticleState, merged: list[Draft]) -> None:
    """After merging (a filled role must not keep two reports of one event apart)."""
    roles = role_model()
    if roles is not None:
        fill_roles(cx, merged, roles)
