"""Candidate drafts of one article, sentence by sentence: the lexicon's triggers (`triggers.py`), each turned
into a draft with roles, status, date, place and size (`drafts.build_draft`), the secondary events told inside
other reports (a repelled attack, a document the talks produced, a truce extended, the stages of an exchange),
and the events told only as the circumstance of another left out."""

from __future__ import annotations

from newsline.code.clauses import (
    distinct_circumstance,
    is_headline,
    is_subheading,
    is_subordinate,
    measured_gap,
)
from newsline.code.dates import find_lede_time
from newsline.code.doc import Doc, by_sentence, index
from newsline.code.draft import ArticleState, Draft, SentenceFrame
from newsline.code.drafts import build_draft
from newsline.code.lexicon import Lexicon
from newsline.code.ontology import Ontology
from newsline.code.parties import delegation_leaders, implied_accusations
from newsline.code.places import dateline_paragraph, dateline_place
from newsline.code.roles import sentence_subject
from newsline.code.secondary import extension_drafts, produced_agreement, repelled_attack, stage_drafts
from newsline.code.triggers import (
    absorb,
    declared_ceasefires,
    find_triggers,
    owner_map,
    session_triggers,
)
from newsline.records import ActorRef, AnnotatedArticle, TimeExpression


def article_state(ann: AnnotatedArticle, lex: Lexicon, onto: Ontology) -> ArticleState:
    """Index the article and gather what every sentence's drafts read (times, places, lede date, dateline)."""
    d = index(ann)
    d.instrument_verbs = lex.frames.get("instrument_verbs", frozenset())
    d.lede_paragraph = dateline_paragraph(d)
    times_by_sent = by_sentence(d, ann.times)
    return ArticleState(d, lex, onto, times_by_sent, by_sentence(d, ann.places), find_lede_time(d, times_by_sent),
                        dateline_place(d))


def candidates(cx: ArticleState) -> list[Draft]:
    """The article's drafts in reading order (before merging). Fills `cx.so_far` (the same list: drafting a
    sentence reads the parties of those before it), `cx.seen`, `cx.leaders` and `cx.frames`."""
    d, lex = cx.doc, cx.lex
    drafts = cx.so_far
    prev_subjects: list[ActorRef] = []
    para_times: dict[int, list[TimeExpression]] = {}
    for si, sent in enumerate(d.ann.sentences):
        rng = range(sent.token_start, min(sent.token_end, len(d.tokens)))
        if is_headline(d, si):
            rng = range(next((k for k in rng if d.line_of[k] > 0), rng.stop), rng.stop)
            if not rng:
                continue
        if is_subheading(d, si):
            continue
        cx.frames[si] = SentenceFrame(rng, prev_subjects, list(para_times.get(sent.paragraph, [])))
        trigs = find_triggers(d, lex, rng)
        if any(x.event_type == "CONSULT" for x in cx.seen):
            session_triggers(d, lex, rng, trigs)
        cx.implied = implied_accusations(lex, d, trigs, rng, prev_subjects)
        subjects_here: list[ActorRef] = []
        if trigs:
            absorb(d, trigs, lex)
            declared_ceasefires(d, trigs, lex)
            owner = owner_map(d, trigs, rng, lex)
            here: list[Draft] = []
            for i in sorted(trigs):
                tr = trigs[i]
                if tr.absorbed_by is not None or tr.frame_only:
                    continue
                dr = build_draft(cx, tr, trigs, owner, si, sent, prev_subjects, cx.times_by_sent.get(si, []),
                                 cx.places_by_sent.get(si, []), para_times.get(sent.paragraph, []), cx.lede_time,
                                 cx.dateline)
                rep = repelled_attack(cx, tr, dr, prev_subjects) or produced_agreement(lex, d, tr, dr) if dr is not None \
                    else None
                if rep is not None:
                    cx.seen.append(rep)
                    if not rep.background:
                        here.append(rep)
                if dr is not None:
                    # a text of one sentence has no news of its own for an event to be the background of:
                    # "attacks have killed dozens since January" is what it reports (the model still decides)
                    if dr.background and len(d.ann.sentences) == 1:
                        dr.background = False
                    dr.subordinate = is_subordinate(lex, d, i, trigs) and not dr.lifted
                    cx.seen.append(dr)
                    if dr.actor and not subjects_here:
                        subjects_here = dr.actor
                    if not dr.background:
                        here.append(dr)
            here = _reports(d, here)
            drafts += here
            drafts += extension_drafts(lex, d, rng, here, cx.times_by_sent.get(si, []))
        drafts += stage_drafts(lex, d, rng, drafts, cx.times_by_sent.get(si, []))
        cx.leaders += [(sent.start, ref, role) for ref, role in delegation_leaders(lex, d, rng)]
        # sentence subject for pronoun resolution in the next sentence
        if not subjects_here:
            subjects_here = sentence_subject(lex, d, rng)
        if subjects_here:
            prev_subjects = subjects_here
        para_times.setdefault(sent.paragraph, []).extend(
            t for t in cx.times_by_sent.get(si, []) if t.date_start and t.precision in ("day", "week", "range"))
    return drafts


def _reports(d: Doc, here: list[Draft]) -> list[Draft]:
    """The drafts of one sentence that report events of their own.

    Events mentioned only as the circumstance of another ("after talks", "a town where ... were killed", "to
    help defend") are not reports of their own when the sentence has a main event, unless the circumstance is a
    distinct event with its own place or date ("agreed ... after talks in Oslo": the talks are coded too). A main
    event that is only a reference back, dated by a measured gap ("the ceasefire comes a day after X called on Y
    to ..."), tells nothing new: the clause with its own two parties is the report."""
    mains = [x for x in here if not x.subordinate]
    if mains and all(x.anaphoric or (not x.actor and x.nominal) for x in mains) and any(
            x.subordinate and x.actor and x.recipient and not x.nominal and measured_gap(d, x.trigger_i)
            for x in here):
        return [x for x in here if not x.subordinate or (x.actor and x.recipient and not x.nominal
                                                         and measured_gap(d, x.trigger_i))]
    if any(not x.subordinate for x in here):
        # "the worst raid happened in X, where fighters killed 14 villagers": a main event noun
        # without actors is told by the subordinate events of its own type
        untold = {x.event_type for x in here if not x.subordinate and not x.actor}
        return [x for x in here if not x.subordinate or distinct_circumstance(x)
                or (x.event_type in untold and x.actor)]
    return here
