"""Drafts from triggers: `build_draft` turns one trigger into a draft (status, roles, date, place, size, type
and mode adjustments) the rule path's way; `draft_from_trigger` does the same for any token and type (the seam
for a learned classifier); the secondary events told inside another report (a repelled attack, a document the
talks produced, the stages of an exchange, a truce extended)."""

from __future__ import annotations

from dataclasses import replace

from newsline.code.clauses import (
    _anaphoric,
    _carried_plan,
    _in_condition,
    _in_force,
    _negated_or_content,
    _own_dated,
    _past_reference,
    _reported_noun,
    _subordinate,
    _unreal_reference,
)
from newsline.code.dates import _attached_to, _gap_shifted, _time
from newsline.code.doc import Doc, _head_of_span
from newsline.code.draft import ArticleState, Draft, SentenceFrame
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon, TriggerEntry
from newsline.code.parties import (
    _answered,
    _carried_out_on,
    _complete_dyad,
    _from_each_side,
    _inherit,
    _last_parties,
    _light_verb_subject,
    _mutual_or_means,
    _mutual_sides,
    _reacted_to,
    _sentence_parties,
    _the_attackers,
)
from newsline.code.phrases import _actors_in, _side
from newsline.code.places import (
    LOC_PREPS,
    _carrier_place,
    _local_source_place,
    _place,
    _place_under,
    _venue,
    _where_clause_place,
)
from newsline.code.roles import REL_PRONOUNS, SUBJ_DEPS, Roles, _fill, _roles
from newsline.code.size import size_from_tokens
from newsline.code.status import StatusInfo, according_to, is_negated, status_of
from newsline.code.triggers import (
    MUST_ENTRY,
    Trigger,
    _absorb,
    _declared_ceasefires,
    _find_triggers,
    _owner_map,
)
from newsline.records import (
    Evidence,
    Size,
)

FAMILIES = type_families()


def build_draft(cx: ArticleState, d, tr: Trigger, trigs, owner, si, sent, prev_subjects, times, places, para_times, lede_time,
           dateline) -> Draft | None:
    toks, lex = d.tokens, cx.lex
    i = tr.i
    group = [i] + tr.merged
    if tr.entry.pos == "verb" and toks[i].dep == "acl" and toks[i].tag == "VBN":
        return None
    if tr.entry.pos == "verb" and toks[i].dep == "relcl" and any(
            toks[c].dep == "auxpass" for c in d.children.get(i, [])):
        return None  # "talks that were mediated by X", "a town that was shelled": description of a noun  # "the curfew imposed last year": a participle describing a noun, not a report
    if _in_condition(cx.lex, d, i):
        return None  # the condition of a conditional ("if it is attacked")
    if tr.event_type == "REJECT" and any(toks[c].dep == "xcomp" and toks[c].lemma.lower() in
                                         lex.frames.get("no_comment", frozenset()) for c in d.children.get(i, [])):
        return None  # "declined to comment"
    st = status_of(toks, i, d.children, lex, d.text, sent.start, sent.end)
    if st.status in ("asserted", "reported") and _carried_plan(cx.lex, d, i, tr, sent):
        st.status = "planned"
    # a dated reference ("earlier sessions on March 4", "including an exchange in June") names an event of its own
    dated = tr.entry.pos == "noun" and _own_dated(d, i, times, owner)
    if tr.entry.pos == "noun" and _negated_or_content(cx.lex, d, i, trigs, content_ok=dated):
        return None
    if tr.entry.pos == "noun" and _past_reference(cx.lex, d, i) and not dated:
        st.background = True
    if tr.entry.pos == "noun" and not tr.merged and _unreal_reference(cx.lex, d, i):
        return None
    event_type, mode = tr.event_type, tr.mode
    if event_type == "CONCEDE" and tr.entry.pos == "noun" and _in_force(cx.lex, d, i):
        event_type, mode = "RETREAT", "ceasefire"  # "the ceasefire took effect": the truce observed
    negated = is_negated(d.tokens, i, d.children, lex) or (
        tr.entry.pos == "adj" and is_negated(d.tokens, toks[i].head, d.children, lex))
    if negated:
        # "will not accept", "would not meet": a refusal; other negated events did not happen
        if st.status in ("planned", "hypothetical") and cx.onto.quad(event_type) in (1, 2):
            event_type, mode, st.status = "REJECT", None, "asserted"
        elif event_type != "REJECT":
            return None
    acc = according_to(toks, range(sent.token_start, min(sent.token_end, len(toks))), d.children, d.text)
    if acc is not None and owner.get(acc[0]) in (None, i):
        if st.status == "asserted":
            st.status = "reported"
        st.attribution = st.attribution or acc[1] or None
    # roles from the head trigger and every trigger it absorbed
    roles = Roles()
    for g in group:
        sub = trigs[g]
        rr = _roles(d, sub, lex)
        if g != i:
            if toks[g].lemma.lower() in lex.mediator_verbs and sub.entry.pos == "verb":
                roles.mediator += rr.actor + rr.all_actor
                continue
            if sub.entry.pos != "noun" and sub.event_type != tr.event_type:
                roles.all_actor += rr.all_actor  # "the deal signed between A and B"
                continue
            if sub.entry.pos == "noun" and tr.event_type != sub.event_type:
                # "condemned Russia's strike", "called for a response from the EU": the parties of the
                # event reacted to are the recipients of the reaction
                # "demanded the release of prisoners": whoever would carry the demanded act out is asked,
                # the patients of that act ("prisoners") are its content, not the addressees
                inner_agents = rr.actor + rr.all_actor
                if inner_agents or tr.event_type in FAMILIES.content:
                    rr.recipient = inner_agents
                else:
                    rr.recipient = rr.recipient
                rr.actor, rr.all_actor = [], []
        comp_set = set(sub.comp)
        rr.recipient = [h for h in rr.recipient if h not in comp_set]
        if g == i or not roles.actor:
            roles.actor += rr.actor
        roles.recipient += [h for h in rr.recipient if h not in roles.actor]
        roles.mediator += rr.mediator
        roles.all_actor += rr.all_actor
        roles.reciprocal = roles.reciprocal or rr.reciprocal
    parties = _last_parties(cx)
    actor = _fill(d, roles.actor + roles.all_actor, st, prev_subjects, lex, parties)
    recipient = _fill(d, roles.recipient, st, prev_subjects, lex, parties)
    mediator = _fill(d, roles.mediator, st, prev_subjects, lex)
    if not actor and tr.entry.pos == "noun" and cx.onto.quad(event_type) in (1, 2):
        actor = _inherit(cx, d, i, st, prev_subjects, trigs)
    if not actor and tr.entry.pos == "noun":
        actor, light = _light_verb_subject(cx, d, i, st, prev_subjects)
        if actor:
            # the light verb's tense and frame are the event's ("have staged strikes since 2007": background)
            lst = status_of(toks, light, d.children, lex, d.text, sent.start, sent.end)
            if lst.background:
                return None
            if st.status == "asserted" and lst.status != "asserted":
                st.status, st.attribution = lst.status, st.attribution or lst.attribution
    if not actor and not recipient and tr.entry.pos == "noun" and (
            event_type in ("CONSULT", "AGREE", "CONCEDE") or toks[i].lemma.lower() in lex.mutual_nouns
            or dated and mode == "release") and (_reported_noun(d, i) or dated):
        # "talks in Oslo", "fighting continued in Mogadishu": unattributed talks or fighting are between
        # the parties the sentence (else the article) is about
        actor = _sentence_parties(cx, si) or _last_parties(cx)
    # "since a truce agreed on Wednesday", parsed with the truce as the subject of "agreed": the event noun
    # with its participle, told like a noun
    noun_subject = tr.entry.pos == "verb" and any(
        toks[c].dep in SUBJ_DEPS | {"nsubjpass"} and c in tr.merged and trigs[c].entry.pos == "noun"
        for c in d.children.get(i, []))
    if not actor and not recipient and noun_subject and event_type in ("CONSULT", "AGREE", "CONCEDE"):
        # the unattributed agreement is between the parties the sentence (else the article) is about
        actor = _sentence_parties(cx, si) or _last_parties(cx)
    if not actor and event_type == "RETREAT" and _from_each_side(cx.lex, d, i):
        actor = _last_parties(cx)  # "another 45 captives per side were released": both sides freed
    targets = _carried_out_on(d, i) if tr.entry.pos == "noun" and event_type == "ASSAULT" else []
    if targets and not actor and not recipient:
        recipient = _fill(d, targets, st, prev_subjects, lex)
    if targets and not actor and recipient and all(
            r.sector in ("MIL", "GOV", "REB", "COP") or r.kind == "state" for r in recipient):
        # "raids were launched on rebel bases": in a two-party conflict, an attack on one side's
        # forces with no attacker named is the other side's
        actor = _complete_dyad(cx, recipient)
    if not actor and noun_subject and event_type == "ASSAULT" and any(
            toks[c].dep in SUBJ_DEPS and c in tr.merged and _mutual_or_means(cx.lex, d, c, trigs[c].tokens)
            for c in d.children.get(i, [])):
        # "clashes along the border killed 12 soldiers", "air strikes and rocket fire hit the town": fighting
        # between the two sides of the conflict, the victims' side and the other one (named in the sentence,
        # else the article's warring dyad)
        actor = _mutual_sides(cx, si, recipient)
    if i in cx.implied:
        recipient = list(cx.implied[i])
    if event_type == "AGREE" and tr.entry.pos == "verb" and not actor and any(
            toks[c].dep == "nsubj" and toks[c].lemma.lower() in lex.frames.get("document_nouns", frozenset())
            for c in d.children.get(i, [])):
        # "the accord further commits both armies to reopen the roads": the parties bound are the ones who agree
        bound = [c for c in d.children.get(i, []) if toks[c].dep == "dobj"]
        both = any(toks[x].text.lower() in ("both", "two", "each") for c in bound for x in d.children.get(c, []))
        actor = _last_parties(cx) if both else _fill(d, bound, st, prev_subjects, lex, _last_parties(cx))
        recipient = [r for r in recipient if r not in actor and (r.id or r.text) not in
                     {(x.id or x.text) for x in _fill(d, bound, st, prev_subjects, lex)}]
    if event_type == "MOBILIZE" and not actor:
        # "more troops were sent to the region": the forces deployed (their state's military)
        forces = _fill(d, [c for c in tr.comp if toks[c].dep == "nsubjpass"], st, prev_subjects, lex)
        actor = [r for r in forces if r.sector == "MIL"]
    if roles.reciprocal and len(actor) >= 2 and not recipient:
        actor, recipient = actor[:1], actor[1:]  # one direction stands for both
    if tr.entry is MUST_ENTRY:
        if st.speaker_head is None:
            return None
        recipient = actor
        actor = _actors_in(d, st.speaker_head, lex)
        st.status = "asserted"
    # the speaker is attribution, never actor (unless the event is its own speech act)
    if st.speaker_head is not None:
        spk = {(r.id or r.text) for r in _actors_in(d, st.speaker_head, lex)}
        if tr.event_type not in ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"):
            actor = [a for a in actor if (a.id or a.text) not in spk] or actor
        if any((a.id or a.text) in spk for a in actor) and st.status == "reported":
            st.status = "asserted"
    if not recipient and tr.event_type in FAMILIES.reactions:
        recipient = _reacted_to(cx, d, group, trigs)
    if not recipient and event_type == "REJECT" and actor:
        # "ruled out any talks with the kidnappers": those the refused talks or deal would be with
        partners = [q for c in d.children.get(i, []) if toks[c].dep == "dobj" and any(
            e.event_type in ("CONSULT", "AGREE") for e in lex.candidates(toks[c].lemma.lower(), "noun"))
            for p in d.children.get(c, []) if toks[p].dep == "prep" and toks[p].lemma.lower() == "with"
            for q in d.children.get(p, []) if toks[q].dep == "pobj"]
        recipient = _fill(d, partners, st, prev_subjects, lex) if partners else []
    if not recipient and event_type == "REJECT" and actor:
        recipient = _answered(cx, actor)
    if not recipient and actor and event_type in FAMILIES.dyadic and (tr.entry.pos == "noun" or not any(
            toks[c].dep in ("dobj", "dative") and c not in tr.comp and toks[c].text.lower() not in REL_PRONOUNS
            and toks[c].lemma.lower() not in lex.reacted_nouns for c in d.children.get(i, []))):
        recipient = _complete_dyad(cx, actor)
    if event_type == "RETREAT" and mode == "release" and any(r.kind == "igo" for r in recipient):
        # "freed three hostages, handing them over to the Red Cross": the organisation that takes the freed
        # over is the intermediary; the freed people's side receives them
        mediator = mediator + [r for r in recipient if r.kind == "igo"]
        recipient = [r for r in recipient if r.kind != "igo"]
        if not recipient:
            recipient = [r for c in tr.comp for r in _actors_in(d, c, lex, allow_unresolved=False)]
    if not recipient and event_type == "ASSAULT" and actor and all(_side(a).endswith("/REB") for a in actor) and any(
            toks[g].lemma.lower() in lex.frames.get("campaign_nouns", frozenset()) for g in group):
        # "the rebels launched an offensive in January": an armed group's campaign is against the state it fights
        recipient = [r for r in _complete_dyad(cx, actor) if not _side(r).endswith("/REB")]
    if event_type != "ASSAULT":
        recipient = _the_attackers(cx, recipient)
    ids_a = {a.id or a.text for a in actor}
    recipient = [r for r in recipient if (r.id or r.text) not in ids_a]
    mediator = [m for m in mediator if (m.id or m.text) not in ids_a]
    recipient = [r for r in recipient if (r.id or r.text) not in {m.id or m.text for m in mediator}]
    # time
    owned = set(k for k, o in owner.items() if o == i)
    time, source = _time(cx.lex, d, owned, times, owner, i, para_times, lede_time, st, trigs)
    if source in ("sentence", "paragraph", "lede") and time is not None and time.precision == "day":
        time = _gap_shifted(d, i, time, lex.numbers)  # "the truce comes three days after X urged Y ..."
    place = _place(cx.onto, d, owned, places, roles, sent, dateline, tr, set(group))
    if place is None and toks[i].dep == "conj" and toks[i].head in trigs:
        # "met in Kabul and pledged ...": coordinated events share the place
        head = toks[i].head
        place = _place(cx.onto, d, {k for k, o in owner.items() if o == head}, places, roles, sent, None,
                            trigs[head], {head})
    if place is None:
        place = _where_clause_place(d, i, places)
    for h in targets:
        place = place or _place_under(d, places, h)  # "strikes were carried out on positions in X"
    if place is None and tr.entry.pos == "noun" and toks[i].dep in ("nsubj", "nsubjpass"):
        place = _carrier_place(d, toks[i].head, places)
    if place is None and toks[i].dep == "xcomp" and toks[toks[i].head].lemma.lower() in d.instrument_verbs:
        # "used a rally at the stadium in Gao to urge X": the means is where the act was done
        v = toks[i].head
        for h in [c for c in d.children.get(v, []) if toks[c].dep == "dobj" or
                  toks[c].dep == "prep" and toks[c].lemma.lower() in LOC_PREPS]:
            place = place or _place_under(d, places, h)
    if place is None and tr.entry.pos == "verb" and event_type in FAMILIES.speech_acts:
        place = _venue(cx.lex, d, i, places)  # "X, visiting Mopti, said ...": where the statement was made
    if place is None and event_type in FAMILIES.material and st.speaker_head is not None:
        place = _local_source_place(cx.lex, d, st.speaker_head, places)
    size = size_from_tokens(toks, sorted(owned | set(group)), lex, d.children)
    if event_type == "ASSAULT":
        mode = _assault_mode(cx.lex, d, owned | set(group), mode)
    if event_type == "CONSULT" and mode in (None,):
        mode = _consult_mode(cx.lex, d, owned, actor, recipient)
    if time is not None and time.date_start and d.ann.article.published and st.status == "asserted" and \
            toks[i].tag not in ("VBD", "VBN") and \
            time.date_start > d.ann.article.published[:10] and len(d.ann.article.published) >= 10:
        st.status = "planned"
    planned_act = st.status == "planned" and event_type in FAMILIES.material | {"CONCEDE"}
    if st.status == "planned":
        new = cx.onto.future_type(event_type)
        if new != event_type:
            event_type, mode = new, None
    if st.status in ("planned", "hypothetical") and event_type in FAMILIES.threat_modes:
        # an announced or conditional coercive act is a threat (mode: its content)
        event_type, mode = "THREATEN", FAMILIES.threat_modes[event_type]
    if event_type == "CONSULT" and mode == "visit" and not recipient and place is not None:
        pass
    trig_tokens = sorted(set(tr.tokens) | set(tr.comp[:1]))
    trig_text = " ".join(toks[k].text for k in trig_tokens)
    ev = Evidence(sentence=d.text[sent.start:sent.end], start=sent.start, end=sent.end, trigger=trig_text)
    dr = Draft(event_type, mode, actor, recipient, mediator, time, source, place, size, st.status,
                st.attribution, [ev], si, sent.paragraph, i)
    dr.background = st.background
    dr.own_place = place is not None and place is not dateline
    dr.nominal = tr.entry.pos == "noun" or noun_subject
    dr.planned_act = planned_act
    dr.dated = (dated or noun_subject) and source == "own"
    dr.anaphoric = _anaphoric(cx.lex, d, tr, roles, source, dr.own_place)
    distinct = lex.frames.get("distinct_modifiers", frozenset())
    dr.distinct = any(toks[c].dep in ("det", "amod") and toks[c].lemma.lower() in distinct
                      for k in group if trigs[k].entry.pos == "noun" for c in d.children.get(k, []))
    return dr


def _repelled(cx: ArticleState, d: Doc, tr: Trigger, dr: Draft, prev) -> Draft | None:
    """"X repelled Y attacks on its posts": the repelled attack is an event of its own, by Y (the attack noun's
    own modifier, else the other side of the article's conflict) on X."""
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
    attackers = _fill(d, mods + by, st, prev, lex)
    mine = {_side(a) for a in dr.actor}
    attackers = [a for a in attackers if _side(a) not in mine] or _complete_dyad(cx, dr.actor)
    if not attackers:
        return None
    ev = Evidence(sentence=dr.evidence[0].sentence, start=dr.evidence[0].start, end=dr.evidence[0].end,
                  trigger=toks[obj].text)
    rep = Draft("ASSAULT", dr.mode, attackers, list(dr.actor), [], dr.time, dr.date_source, dr.place,
                 Size(None, None, None), dr.status, dr.attribution, [ev], dr.sentence, dr.paragraph, obj)
    rep.background, rep.own_place, rep.dated = dr.background, dr.own_place, dr.dated
    return rep


def _stages(lex: Lexicon, d: Doc, rng: range, pool: list[Draft], times) -> list[Draft]:
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
        own = [t for t in times if t.precision == "day" and (_attached_to(d, t, k) or toks[k].dep in (
            "nsubj", "nsubjpass") and _attached_to(d, t, toks[k].head))]
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


def _extensions(lex: Lexicon, d: Doc, rng: range, here: list[Draft], times) -> list[Draft]:
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
               and toks[_head_of_span(d, t.token_start, t.token_end)].head == v]
        ev = Evidence(sentence=base.evidence[0].sentence, start=base.evidence[0].start, end=base.evidence[0].end,
                      trigger=toks[v].text)
        ext = Draft(base.event_type, base.mode, list(base.actor), list(base.recipient), list(base.mediator),
                     own[0] if own else None, "own" if own else "unknown", None, Size(None, None, None),
                     base.status, base.attribution, [ev], base.sentence, base.paragraph, v)
        ext.extension = ext.nominal = True
        out.append(ext)
    return out


def _produced(lex: Lexicon, d: Doc, tr: Trigger, dr: Draft) -> Draft | None:
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


def _assault_mode(lex: Lexicon, d: Doc, toks_ids, mode):
    words = {d.tokens[k].lemma.lower() for k in toks_ids} | {d.tokens[k].text.lower() for k in toks_ids}
    for m, cues in lex.assault_modes.items():
        if words & cues:
            return m
    return mode


def _consult_mode(lex: Lexicon, d, owned, actor, recipient):
    words = {d.tokens[k].lemma.lower() for k in owned}
    if words & lex.multilateral:
        return "multilateral"
    return None


def draft_from_trigger(cx: ArticleState, i: int, event_type: str, mode: str | None = None) -> Draft | None:
    """A draft for token `i` read as an event of `event_type` (and `mode`; None lets the rules pick one, as
    "urged X to release" makes a REQUEST "yield"), with roles, status, date, place and size filled the way the
    rule path fills a lexicon trigger's. For a step that finds events the lexicon misses, or retypes one it found.

    The sentence's own lexicon triggers are found and absorbed as in the rule path, so that the complements
    token `i` governs, the time and place phrases it owns and whether it is a subordinate circumstance are the
    same; token `i` itself stands on its own (never absorbed). Run after `candidates(cx)`, the drafting reads
    the whole article's drafts (the parties of the article, the events reacted to) and the sentence's frame
    (the subject pronouns refer to, the paragraph's dates). None when the rules rule the clause out (a
    condition, a negated event, "declined to comment"); the draft's type may still change as a lexicon
    trigger's would (an announced act is planned: a coercive one becomes THREATEN). `background` drafts are
    context, not reports, in the rule path."""
    d, lex = cx.doc, cx.lex
    si = d.sent_of[i]
    sent = d.ann.sentences[si]
    frame = cx.frames.get(si)
    if frame is None or i not in frame.rng:  # a state not filled by candidates(), or a headline line
        frame = SentenceFrame(range(sent.token_start, min(sent.token_end, len(d.tokens))), [], [])
    trigs = _find_triggers(d, lex, frame.rng)
    old, t = trigs.get(i), d.tokens[i]
    if old is not None:
        entry = replace(old.entry, event_type=event_type, mode=mode, source="<draft_from_trigger>")
        trigs[i] = Trigger(i=i, entry=entry, tokens=old.tokens, comp=old.comp, event_type=event_type, mode=mode)
    else:
        pos = "verb" if t.pos in ("VERB", "AUX") else "adj" if t.pos == "ADJ" else "noun"
        entry = TriggerEntry((t.lemma.lower(),), pos, event_type, mode, source="<draft_from_trigger>")
        trigs[i] = Trigger(i=i, entry=entry, tokens=[i], event_type=event_type, mode=mode)
    _absorb(d, trigs, lex)
    _declared_ceasefires(d, trigs, lex)
    tr = trigs[i]
    if tr.absorbed_by is not None:
        trigs[tr.absorbed_by].merged.remove(i)
    tr.absorbed_by, tr.frame_only, tr.event_type = None, False, event_type
    tr.mode = mode if mode is not None else tr.mode
    owner = _owner_map(d, trigs, frame.rng, lex)
    implied, cx.implied = cx.implied, {}  # (the implied accusations found are those of the last sentence drafted)
    try:
        dr = build_draft(cx, d, tr, trigs, owner, si, sent, frame.prev_subjects, cx.times_by_sent.get(si, []),
                         cx.places_by_sent.get(si, []), frame.para_times, cx.lede_time, cx.dateline)
    finally:
        cx.implied = implied
    if dr is not None:
        dr.subordinate = _subordinate(lex, d, i, trigs)
    return dr
