"""Secondary events told inside another report, each a draft of its own: a repelled attack (by the other side),
a document the talks produced (AGREE), the stages of a multi-stage exchange (each with its own day), a truce
extended later (dated by its own time only)."""

from __future__ import annotations

from newsline.code.dates import attached_to
from newsline.code.doc import Doc, head_of_span
from newsline.code.draft import ArticleState, Draft
from newsline.code.lexicon import Lexicon
from newsline.code.parties import complete_dyad
from newsline.code.phrases import side
from newsline.code.roles import fill_actors
from newsline.code.status import StatusInfo, is_negated
from newsline.code.triggers import Trigger
from newsline.records import Evidence, Size


def repelled_attack(cx: ArticleState, tr: Trigger, dr: Draft, prev) -> Draft | None:
    """"X repelled Y attacks on its posts": the repelled attack is an event of its own, by Y (the attack noun's
    own modifier, else the other side of the article's conflict) on X."""
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    if dr.event_type != "ASSAULT" or not dr.actor or toks[tr.i].lemma.lower() not in lex.frames.get(
            "repel_verbs", frozenset()):
        return None
    obj = next((c for c in d.children.get(tr.i, []) if toks[c].dep in ("dobj", "nsubjpass") and any(
        e.event_type == "ASSAULT" for e in lex.candidates(toks[c].lemma.lower(), "noun"))), None)
    if obj is None:
        return None
    mods = [c for c in d.children.get(obj, []) if toks[c].dep in ("poss", "amod", "compound")]
    by = [p for c in d.children.get(obj, []) if toks[c].dep == "prep" and toks[c].lemma.lower() in ("by", "from")
          for p in d.children.get(c, []) if toks[p].dep == "pobj"]
    st = StatusInfo(status=dr.status, attribution=dr.attribution)
    attackers = fill_actors(d, mods + by, st, prev, lex)
    mine = {side(a) for a in dr.actor}
    attackers = [a for a in attackers if side(a) not in mine] or complete_dyad(cx, dr.actor)
    if not attackers:
        return None
    ev = Evidence(sentence=dr.evidence[0].sentence, start=dr.evidence[0].start, end=dr.evidence[0].end,
                  trigger=toks[obj].text)
    rep = Draft("ASSAULT", dr.mode, attackers, list(dr.actor), [], dr.time, dr.date_source, dr.place,
                 Size(None, None, None), dr.status, dr.attribution, [ev], dr.sentence, dr.paragraph, obj)
    rep.background, rep.own_place, rep.dated = dr.background, dr.own_place, dr.dated
    return rep


def stage_drafts(lex: Lexicon, d: Doc, rng: range, pool: list[Draft], times) -> list[Draft]:
    """"The second phase on Tuesday freed 75 captives per side", "in the final phase": a stage
    of the multi-stage event told just before (an exchange, a withdrawal) is a mention of its own, of the same
    type and parties, dated by its own day (else by the sentence's)."""
    toks, fr = d.tokens, lex.frames
    staged = fr.get("staged_types", frozenset())
    ordinals = fr.get("ordinal_words", frozenset())
    out: list[Draft] = []
    for k in rng:
        if toks[k].pos != "NOUN" or toks[k].lemma.lower() not in fr.get("stage_nouns", frozenset()) or not any(
                toks[c].dep == "amod" and toks[c].lemma.lower() in ordinals for c in d.children.get(k, [])):
            continue
        base = next((x for x in reversed(pool) if x.event_type.lower() in staged and x.actor and not x.stage
                     and x.trigger_i < k), None)
        if base is None:
            continue
        # "the first stage on Friday saw / included / brought home ...": the day hangs from the stage or, with the
        # stage as subject, from whatever verb tells it
        own = [t for t in times if t.precision == "day" and (attached_to(d, t, k) or toks[k].dep in (
            "nsubj", "nsubjpass") and attached_to(d, t, toks[k].head))]
        t = own[0] if own else (base.time if base.sentence == d.sent_of[k] else None)
        if t is None or t.precision != "day" or not (t.date_start or d.ann.article.published is None):
            continue  # a stage that cannot be placed in time is told by the whole
        ev = Evidence(sentence=d.text[d.ann.sentences[d.sent_of[k]].start:d.ann.sentences[d.sent_of[k]].end],
                      start=d.ann.sentences[d.sent_of[k]].start, end=d.ann.sentences[d.sent_of[k]].end,
                      trigger=toks[k].text)
        st = Draft(base.event_type, base.mode, list(base.actor), list(base.recipient), list(base.mediator),
                    t, "own", base.place, Size(None, None, None),
                    base.status, base.attribution, [ev], d.sent_of[k], d.ann.sentences[d.sent_of[k]].paragraph, k)
        st.stage, st.of, st.nominal = True, base, True
        out.append(st)
    return out


def extension_drafts(lex: Lexicon, d: Doc, rng: range, here: list[Draft], times) -> list[Draft]:
    """"A pause reached on Sunday was then prolonged through the negotiations": the extension is an act of its own
    by the agreement's parties, dated by its own time expression only (never by the agreement's date)."""
    toks, fr = d.tokens, lex.frames
    nouns = fr.get("ceasefire_nouns", frozenset()) | fr.get("document_nouns", frozenset())
    out = []
    for v in rng:
        if toks[v].pos != "VERB" or toks[v].lemma.lower() not in fr.get("extend_verbs", frozenset()) or \
                is_negated(toks, v, d.children, lex):
            continue
        objs = [c for c in d.children.get(v, []) if toks[c].dep in ("nsubjpass", "dobj")]
        if not objs and toks[v].dep in ("ccomp", "conj") and toks[v].head != v:
            # "a pause reached on Sunday was then prolonged", parsed with "agreed" as the main verb
            objs = [c for c in d.children.get(toks[v].head, []) if toks[c].dep in ("nsubj", "nsubjpass")]
        if not any(toks[o].lemma.lower() in nouns for o in objs):
            continue
        base = next((x for x in reversed(here) if x.event_type in ("CONCEDE", "AGREE") and x.actor), None)
        if base is None:
            continue
        own = [t for t in times if t.date_start and t.precision != "duration"
               and toks[head_of_span(d, t.token_start, t.token_end)].head == v]
        ev = Evidence(sentence=base.evidence[0].sentence, start=base.evidence[0].start, end=base.evidence[0].end,
                      trigger=toks[v].text)
        ext = Draft(base.event_type, base.mode, list(base.actor), list(base.recipient), list(base.mediator),
                     own[0] if own else None, "own" if own else "unknown", None, Size(None, None, None),
                     base.status, base.attribution, [ev], base.sentence, base.paragraph, v)
        ext.extension = ext.nominal = True
        out.append(ext)
    return out


def produced_agreement(lex: Lexicon, d: Doc, tr: Trigger, dr: Draft) -> Draft | None:
    """"Negotiations in X last week produced a memorandum on ...": the document the talks produced is an
    agreement of the talks' parties, of the talks' date and place."""
    toks, fr = d.tokens, lex.frames
    i = tr.i
    v = toks[i].head
    if dr.event_type != "CONSULT" or tr.entry.pos != "noun" or len(dr.actor) < 2 or toks[i].dep != "nsubj" or \
            v == i or toks[v].lemma.lower() not in fr.get("result_verbs", frozenset()):
        return None
    doc = next((c for c in d.children.get(v, []) if toks[c].dep == "dobj"
                and toks[c].lemma.lower() in fr.get("document_nouns", frozenset())), None)
    if doc is None:
        return None
    ev = Evidence(sentence=dr.evidence[0].sentence, start=dr.evidence[0].start, end=dr.evidence[0].end,
                  trigger=f"{toks[v].text} {toks[doc].text}")
    agr = Draft("AGREE", None, list(dr.actor), list(dr.recipient), list(dr.mediator), dr.time, dr.date_source,
                 dr.place, Size(None, None, None), dr.status, dr.attribution, [ev], dr.sentence, dr.paragraph, doc)
    agr.background, agr.own_place, agr.nominal, agr.dated = dr.background, dr.own_place, True, dr.dated
    agr.distinct = True  # the result of those talks: not an agreement of another day told elsewhere
    return agr
