"""Drafts from triggers: `build_draft` turns one trigger into a draft (status, roles, date, place, size, type
and mode adjustments) the rule path's way; `draft_from_trigger` does the same for any token and type (the seam
for a learned classifier)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from newsline.code.clauses import (
    carried_plan,
    in_condition,
    in_force,
    is_anaphoric,
    is_subordinate,
    negated_or_content,
    own_dated,
    past_reference,
    reported_noun,
    unreal_reference,
)
from newsline.code.dates import event_time, gap_shifted
from newsline.code.doc import Doc
from newsline.code.draft import ArticleState, Draft, SentenceFrame
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon, TriggerEntry
from newsline.code.parties import (
    answered,
    carried_out_on,
    complete_dyad,
    from_each_side,
    holder,
    inherit,
    last_parties,
    light_verb_subject,
    mutual_or_means,
    mutual_sides,
    reacted_to,
    sentence_parties,
    the_attackers,
)
from newsline.code.phrases import actors_in, side
from newsline.code.places import (
    LOC_PREPS,
    carrier_place,
    event_place,
    local_source_place,
    place_under,
    statement_venue,
    where_clause_place,
)
from newsline.code.roles import REL_PRONOUNS, SUBJ_DEPS, Roles, fill_actors, role_heads
from newsline.code.size import casualty_words, event_size
from newsline.code.status import StatusInfo, according_to, is_negated, not_yet, status_of
from newsline.code.triggers import (
    MUST_ENTRY,
    Trigger,
    absorb,
    declared_ceasefires,
    find_triggers,
    names_people,
    owner_map,
)
from newsline.records import ActorRef, Evidence, Sentence, TimeExpression

FAMILIES = type_families()


@dataclass(slots=True)
class _Clause:
    """One trigger being drafted: its inputs and what the steps of `build_draft` have settled so far."""

    cx: ArticleState
    tr: Trigger
    trigs: dict[int, Trigger]
    owner: dict[int, int]
    si: int
    sent: Sentence
    prev_subjects: list[ActorRef]
    times: list[TimeExpression]
    group: list[int]  # the trigger and every trigger it absorbed
    st: StatusInfo = field(default_factory=StatusInfo)
    event_type: str = ""
    mode: str | None = None
    dated: bool = False  # an event noun dated by its own phrase
    roles: Roles = field(default_factory=Roles)
    actor: list[ActorRef] = field(default_factory=list)
    recipient: list[ActorRef] = field(default_factory=list)
    mediator: list[ActorRef] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)  # "strikes were carried out on X": X's heads
    noun_subject: bool = False  # "a truce agreed on Wednesday" parsed with the truce as subject
    held: list[int] = field(default_factory=list)  # "demanded the release of X": X's heads
    lifted: bool = False  # `_outer_subject` took the verb out of the subordinate clause the parser put it in


def build_draft(cx: ArticleState, tr: Trigger, trigs, owner, si, sent, prev_subjects, times, places, para_times,
                lede_time, dateline) -> Draft | None:
    """The draft of one trigger, the rule path's way: status and type (`_status`), role heads from the parse
    (`_role_heads`) filled with actors (`_participants`), the actor and recipient left implicit
    (`_implicit_actor`, `_speaker_and_bound`, `_implicit_recipient`), then date, place, size and the type a
    planned act takes (`_attributes`). None when the clause reports no event."""
    c = _Clause(cx, tr, trigs, owner, si, sent, prev_subjects, times, [tr.i] + tr.merged)
    for step in (_status, _role_heads, _participants, _implicit_actor, _speaker_and_bound, _implicit_recipient):
        if not step(c):
            return None
    return _attributes(c, places, para_times, lede_time, dateline)


def _status(c: _Clause) -> bool:
    """Rule out clauses that report no event (a participle describing a noun, a condition, "declined to
    comment", a negated event, a noun under a negated or content verb, an unreal reference); settle status,
    attribution, type and mode (a truce in force is observed, a negated plan is a refusal)."""
    cx = c.cx
    tr, trigs, owner, sent, st, times = c.tr, c.trigs, c.owner, c.sent, c.st, c.times
    event_type, mode, dated = c.event_type, c.mode, c.dated
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    if tr.entry.pos == "verb" and toks[i].dep == "acl" and toks[i].tag == "VBN":
        return False  # "the curfew imposed last year": a participle describing a noun, not a report
    if tr.entry.pos == "verb" and toks[i].dep == "relcl" and any(
            toks[c].dep == "auxpass" for c in d.children.get(i, [])):
        return False  # "talks that were mediated by X", "a town that was shelled": description of a noun
    if in_condition(cx.lex, d, i):
        return False  # the condition of a conditional ("if it is attacked")
    if tr.event_type == "REJECT" and any(toks[c].dep == "xcomp" and toks[c].lemma.lower() in
                                         lex.frames.get("no_comment", frozenset()) for c in d.children.get(i, [])):
        return False  # "declined to comment"
    st = status_of(toks, i, d.children, lex, d.text, sent.start, sent.end)
    if st.status in ("asserted", "reported") and carried_plan(cx.lex, d, i, tr, sent):
        st.status = "planned"
    # a dated reference ("earlier sessions on March 4", "including an exchange in June") names an event of its own
    dated = tr.entry.pos == "noun" and own_dated(d, i, times, owner)
    if tr.entry.pos == "noun" and negated_or_content(cx.lex, d, i, trigs, content_ok=dated):
        return False
    if tr.entry.pos == "noun" and past_reference(cx.lex, d, i) and not dated:
        st.background = True
    if tr.entry.pos == "noun" and not tr.merged and unreal_reference(cx.lex, d, i):
        return False
    event_type, mode = tr.event_type, tr.mode
    if event_type == "CONCEDE" and tr.entry.pos == "noun" and in_force(cx.lex, d, i):
        event_type, mode = "RETREAT", "ceasefire"  # "the ceasefire took effect": the truce observed
    negated = is_negated(d.tokens, i, d.children, lex) or (
        tr.entry.pos == "adj" and is_negated(d.tokens, toks[i].head, d.children, lex))
    if negated:
        # "will not accept", "would not meet": a refusal; other negated events did not happen
        if st.status in ("planned", "hypothetical") and cx.onto.quad(event_type) in (1, 2):
            event_type, mode, st.status = "REJECT", None, "asserted"
        elif event_type != "REJECT" or not_yet(d.tokens, i, d.children, lex):
            return False  # a negated refusal stays one; one that "has yet to" come did not happen
    acc = according_to(toks, range(sent.token_start, min(sent.token_end, len(toks))), d.children, d.text)
    if acc is not None and owner.get(acc[0]) in (None, i):
        if st.status == "asserted":
            st.status = "reported"
        st.attribution = st.attribution or acc[1] or None
    c.st, c.event_type, c.mode, c.dated = st, event_type, mode, dated
    return True


def _role_heads(c: _Clause) -> bool:
    """Role heads from the head trigger and every trigger it absorbed."""
    cx = c.cx
    tr, trigs, roles, group = c.tr, c.trigs, c.roles, c.group
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    roles = Roles()
    for g in group:
        sub = trigs[g]
        rr = role_heads(d, sub, lex)
        if g != i:
            if toks[g].lemma.lower() in lex.mediator_verbs and sub.entry.pos == "verb":
                # "talks mediated by X between A and B": X mediates, the "between" parties are the event's sides
                roles.mediator += [h for h in rr.mediator + rr.actor if h not in roles.mediator]
                roles.all_actor += [h for h in rr.all_actor if h not in rr.mediator + rr.actor]
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
                if tr.event_type == "REQUEST" and toks[g].lemma.lower() in lex.of_patient:
                    c.held += rr.recipient  # "called for Navalny's release": asked of whoever holds him
                if inner_agents or tr.event_type in FAMILIES.content:
                    rr.recipient = inner_agents
                rr.actor, rr.all_actor = [], []
        # a complement is the act's object ("held talks"), no party, unless it names people: those released,
        # freed or arrested undergo the act ("released 10 Thai hostages")
        comp_set = {h for h in sub.comp if not names_people(d, h, lex)}
        rr.recipient = [h for h in rr.recipient if h not in comp_set]
        if g == i or not roles.actor:
            roles.actor += rr.actor
        roles.recipient += [h for h in rr.recipient if h not in roles.actor]
        roles.mediator += rr.mediator
        roles.all_actor += rr.all_actor
        roles.reciprocal = roles.reciprocal or rr.reciprocal
    c.roles = roles
    return not (c.event_type == "ASSAULT" and (_hazard(d, lex, i, False) or any(
        _hazard(d, lex, h, True) for h in roles.actor + roles.all_actor)))


def _hazard(d: Doc, lex: Lexicon, h: int, doer: bool) -> bool:
    """A disaster's cause, not an attacker: a doer "earthquake" or "bus", or "a gas explosion" (`lexicon.yaml`
    frames: hazards, hazard_events, hazard_modifiers). The trigger itself is a hazard only with such a modifier ("opened
    fire" is an attack)."""
    t = d.tokens[h]
    if t.pos not in ("NOUN", "PROPN"):
        return False
    lemma, frames = t.lemma.lower(), lex.frames
    if doer and lemma in frames.get("hazards", frozenset()):
        return True
    modifiers = frames.get("hazard_modifiers", frozenset())
    return lemma in frames.get("hazard_events", frozenset()) and any(
        d.tokens[k].dep in ("compound", "amod") and d.tokens[k].lemma.lower() in modifiers for k in d.children.get(h, []))


def _participants(c: _Clause) -> bool:
    """The role heads filled with actors (pronouns, "both sides", "the group")."""
    cx, st, roles, prev_subjects = c.cx, c.st, c.roles, c.prev_subjects
    d = cx.doc
    lex = cx.lex
    parties = last_parties(cx)
    actor = fill_actors(d, roles.actor + roles.all_actor, st, prev_subjects, lex, parties)
    recipient = fill_actors(d, roles.recipient, st, prev_subjects, lex, parties, media=True)
    mediator = fill_actors(d, roles.mediator, st, prev_subjects, lex)
    if actor and recipient and _own_side(actor, recipient):
        actor = _outer_subject(c, recipient) or actor
    elif not actor and c.event_type in FAMILIES.speech_acts:
        # "The US said the election was not fair and urged the government to ...": a speech act coordinated into
        # the clause it reports, whose subject names no one, is the speaker's
        actor = _outer_subject(c, recipient)
    if actor and recipient and _own_side(actor, recipient):
        recipient = _speakers_own(c, roles.recipient, actor) or recipient
    c.actor, c.recipient, c.mediator = actor, recipient, mediator
    return True


def _own_side(actor: list[ActorRef], recipient: list[ActorRef]) -> bool:
    sides = {side(r) for r in recipient if r.country}
    return bool(sides) and all(a.country and side(a) in sides for a in actor)


def _speakers_own(c: _Clause, heads: list[int], actor: list[ActorRef]) -> list[ActorRef]:
    """"Azerbaijan said Armenian units opened fire on its posts": a possessive that would make the actor act on
    its own side refers to the speaker."""
    d = c.cx.doc
    if c.st.speaker_head is None or not any(d.tokens[k].dep == "poss" and d.tokens[k].pos == "PRON"
                                            for h in heads for k in d.children.get(h, [])):
        return []
    got = actors_in(d, c.st.speaker_head, c.cx.lex, allow_unresolved=False)
    return got if got and not _own_side(actor, got) else []


def _outer_subject(c: _Clause, recipient: list[ActorRef]) -> list[ActorRef]:
    """"Azerbaijan said one of its soldiers died when Armenian units opened fire ..., and accused Yerevan of a
    provocation": the parser coordinated "accused" inside the subordinate clause, whose subject ("Armenian units")
    would accuse its own side. A verb coordinated into a subordinate clause whose shared subject is on the
    recipient's side takes the subject of a clause above it that is not."""
    d = c.cx.doc
    toks = d.tokens
    t = toks[c.tr.i]
    if t.dep != "conj" or any(toks[k].dep in SUBJ_DEPS for k in d.children.get(t.i, [])):
        return []
    node = t.head
    for _ in range(4):
        if toks[node].dep not in ("advcl", "ccomp", "conj", "relcl") or toks[node].head == node:
            return []
        node = toks[node].head
        subj = [x for x in d.children.get(node, []) if toks[x].dep in SUBJ_DEPS
                and not c.cx.lex.candidates(toks[x].lemma.lower(), "noun")]  # "the withdrawal showed": no doer
        if subj and toks[node].pos in ("VERB", "AUX") and toks[node].lemma.lower() not in c.cx.lex.patient_subject:
            got = fill_actors(d, subj, c.st, c.prev_subjects, c.cx.lex)
            if got and not _own_side(got, recipient):
                c.lifted = True  # a clause of that verb's, not of the subordinate one
                return got
    return []


def _implicit_actor(c: _Clause) -> bool:
    """The actor an event noun or an unattributed event leaves implicit: the verb it hangs from, a light verb's
    subject, the sentence's or the article's parties, the other side of an attack on one side's forces."""
    cx = c.cx
    tr, trigs, si, sent, st, prev_subjects = c.tr, c.trigs, c.si, c.sent, c.st, c.prev_subjects
    event_type, mode, dated, actor, recipient, targets = c.event_type, c.mode, c.dated, c.actor, c.recipient, c.targets
    noun_subject = c.noun_subject
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    if not actor and tr.entry.pos == "noun" and cx.onto.quad(event_type) in (1, 2):
        actor = inherit(cx, i, st, prev_subjects, trigs)
    if not actor and tr.entry.pos == "noun":
        actor, light = light_verb_subject(cx, i, st, prev_subjects)
        if actor:
            # the light verb's tense and frame are the event's ("have staged strikes since 2007": background)
            lst = status_of(toks, light, d.children, lex, d.text, sent.start, sent.end)
            if lst.background:
                return False
            if st.status == "asserted" and lst.status != "asserted":
                st.status, st.attribution = lst.status, st.attribution or lst.attribution
    if not actor and not recipient and tr.entry.pos == "noun" and (
            event_type in ("CONSULT", "AGREE", "CONCEDE") or toks[i].lemma.lower() in lex.mutual_nouns
            or dated and mode == "release") and (reported_noun(d, i) or dated):
        # "talks in Oslo", "fighting continued in Mogadishu": unattributed talks or fighting are between
        # the parties the sentence (else the article) is about
        actor = sentence_parties(cx, si) or last_parties(cx)
    # "since a truce agreed on Wednesday", parsed with the truce as the subject of "agreed": the event noun
    # with its participle, told like a noun
    noun_subject = tr.entry.pos == "verb" and any(
        toks[c].dep in SUBJ_DEPS | {"nsubjpass"} and c in tr.merged and trigs[c].entry.pos == "noun"
        for c in d.children.get(i, []))
    if not actor and not recipient and noun_subject and event_type in ("CONSULT", "AGREE", "CONCEDE"):
        # the unattributed agreement is between the parties the sentence (else the article) is about
        actor = sentence_parties(cx, si) or last_parties(cx)
    if not actor and event_type == "RETREAT" and from_each_side(cx.lex, d, i):
        actor = last_parties(cx)  # "another 45 captives per side were released": both sides freed
    targets = carried_out_on(d, i) if tr.entry.pos == "noun" and event_type == "ASSAULT" else []
    if targets and not actor and not recipient:
        recipient = fill_actors(d, targets, st, prev_subjects, lex, media=True)
    if targets and not actor and recipient and all(
            r.sector in ("MIL", "GOV", "REB", "COP") or r.kind == "state" for r in recipient):
        # "raids were launched on rebel bases": in a two-party conflict, an attack on one side's
        # forces with no attacker named is the other side's
        actor = complete_dyad(cx, recipient)
    if not actor and noun_subject and event_type == "ASSAULT" and any(
            toks[c].dep in SUBJ_DEPS and c in tr.merged and mutual_or_means(cx.lex, d, c, trigs[c].tokens)
            for c in d.children.get(i, [])):
        # "clashes along the border killed 12 soldiers", "air strikes and rocket fire hit the town": fighting
        # between the two sides of the conflict, the victims' side and the other one (named in the sentence,
        # else the article's warring dyad)
        actor = mutual_sides(cx, si, recipient)
    c.actor, c.recipient, c.targets, c.noun_subject = actor, recipient, targets, noun_subject
    return True


def _speaker_and_bound(c: _Clause) -> bool:
    """An implied accusation's target, the parties a document binds, the forces deployed, one direction of a
    reciprocal act, the speaker of "X must ..." and the speaker as attribution."""
    cx = c.cx
    tr, st, roles, prev_subjects, event_type = c.tr, c.st, c.roles, c.prev_subjects, c.event_type
    actor, recipient = c.actor, c.recipient
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    if i in cx.implied:
        recipient = list(cx.implied[i])
    if event_type == "AGREE" and tr.entry.pos == "verb" and not actor and any(
            toks[c].dep == "nsubj" and toks[c].lemma.lower() in lex.frames.get("document_nouns", frozenset())
            for c in d.children.get(i, [])):
        # "the accord further commits both armies to reopen the roads": the parties bound are the ones who agree
        bound = [c for c in d.children.get(i, []) if toks[c].dep == "dobj"]
        both = any(toks[x].text.lower() in ("both", "two", "each") for c in bound for x in d.children.get(c, []))
        actor = last_parties(cx) if both else fill_actors(d, bound, st, prev_subjects, lex, last_parties(cx))
        recipient = [r for r in recipient if r not in actor and (r.id or r.text) not in
                     {(x.id or x.text) for x in fill_actors(d, bound, st, prev_subjects, lex)}]
    if event_type == "MOBILIZE" and not actor:
        # "more troops were sent to the region": the forces deployed (their state's military)
        forces = fill_actors(d, [c for c in tr.comp if toks[c].dep == "nsubjpass"], st, prev_subjects, lex)
        actor = [r for r in forces if r.sector == "MIL"]
    if roles.reciprocal and len(actor) >= 2 and not recipient:
        actor, recipient = actor[:1], actor[1:]  # one direction stands for both
    if tr.entry is MUST_ENTRY:
        if st.speaker_head is None:
            return False
        recipient = actor
        actor = actors_in(d, st.speaker_head, lex)
        st.status = "asserted"
    # the speaker is attribution, never actor (unless the event is its own speech act)
    if st.speaker_head is not None:
        spk = {(r.id or r.text) for r in actors_in(d, st.speaker_head, lex)}
        if tr.event_type not in ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"):
            actor = [a for a in actor if (a.id or a.text) not in spk] or actor
        if any((a.id or a.text) in spk for a in actor) and st.status == "reported":
            st.status = "asserted"
    c.actor, c.recipient = actor, recipient
    return True


def _implicit_recipient(c: _Clause) -> bool:
    """The recipient a reaction, a refusal or a directed act leaves implicit; intermediaries of a release;
    "the attackers" named; no party in two roles."""
    cx = c.cx
    tr, trigs, st, prev_subjects, group, event_type = c.tr, c.trigs, c.st, c.prev_subjects, c.group, c.event_type
    mode, actor, recipient, mediator = c.mode, c.actor, c.recipient, c.mediator
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    if not recipient and tr.event_type in FAMILIES.reactions:
        recipient = reacted_to(cx, group, trigs, actor)
    if not recipient and event_type == "REQUEST" and c.held:
        recipient = holder(cx, fill_actors(d, c.held, st, prev_subjects, lex), actor)
    if not recipient and event_type == "REJECT" and actor:
        # "ruled out any talks with the kidnappers": those the refused talks or deal would be with
        partners = [q for c in d.children.get(i, []) if toks[c].dep == "dobj" and any(
            e.event_type in ("CONSULT", "AGREE") for e in lex.candidates(toks[c].lemma.lower(), "noun"))
            for p in d.children.get(c, []) if toks[p].dep == "prep" and toks[p].lemma.lower() == "with"
            for q in d.children.get(p, []) if toks[q].dep == "pobj"]
        recipient = fill_actors(d, partners, st, prev_subjects, lex) if partners else []
    if not recipient and event_type == "REJECT" and actor:
        recipient = answered(cx, actor)
    if not recipient and actor and event_type in FAMILIES.dyadic and (tr.entry.pos == "noun" or not any(
            toks[c].dep in ("dobj", "dative") and c not in tr.comp and toks[c].text.lower() not in REL_PRONOUNS
            and toks[c].lemma.lower() not in lex.reacted_nouns for c in d.children.get(i, []))):
        recipient = complete_dyad(cx, actor)
    if event_type == "RETREAT" and mode == "release" and any(r.kind == "igo" for r in recipient):
        # "freed three hostages, handing them over to the Red Cross": the organisation that takes the freed
        # over is the intermediary; the freed people's side receives them
        mediator = mediator + [r for r in recipient if r.kind == "igo"]
        recipient = [r for r in recipient if r.kind != "igo"]
        if not recipient:
            recipient = [r for c in tr.comp for r in actors_in(d, c, lex, allow_unresolved=False)]
    if not recipient and event_type == "ASSAULT" and actor and all(side(a).endswith("/REB") for a in actor) and any(
            toks[g].lemma.lower() in lex.frames.get("campaign_nouns", frozenset()) for g in group):
        # "the rebels launched an offensive in January": an armed group's campaign is against the state it fights
        recipient = [r for r in complete_dyad(cx, actor) if not side(r).endswith("/REB")]
    if event_type != "ASSAULT":
        recipient = the_attackers(cx, recipient)
    ids_a = {a.id or a.text for a in actor}
    recipient = [r for r in recipient if (r.id or r.text) not in ids_a]
    mediator = [m for m in mediator if (m.id or m.text) not in ids_a]
    recipient = [r for r in recipient if (r.id or r.text) not in {m.id or m.text for m in mediator}]
    c.recipient, c.mediator = recipient, mediator
    return True


def _attributes(c: _Clause, places, para_times, lede_time, dateline) -> Draft:
    """Date, place and size of the event, the mode they tell, the type a planned act takes, and the draft."""
    cx = c.cx
    tr, trigs, owner, si, sent, st = c.tr, c.trigs, c.owner, c.si, c.sent, c.st
    roles, times, group, event_type, mode, dated = c.roles, c.times, c.group, c.event_type, c.mode, c.dated
    actor, recipient, mediator, targets, noun_subject = c.actor, c.recipient, c.mediator, c.targets, c.noun_subject
    d = cx.doc
    toks, lex = d.tokens, cx.lex
    i = tr.i
    owned = set(k for k, o in owner.items() if o == i)
    time, source = event_time(cx.lex, d, owned, times, owner, i, para_times, lede_time, st, trigs)
    if source in ("sentence", "paragraph", "lede") and time is not None and time.precision == "day":
        time = gap_shifted(d, i, time, lex.numbers)  # "the truce comes three days after X urged Y ..."
    place = event_place(cx.onto, d, owned, places, roles, sent, dateline, tr, set(group))
    if place is None and toks[i].dep == "conj" and toks[i].head in trigs:
        # "met in Kabul and pledged ...": coordinated events share the place
        head = toks[i].head
        place = event_place(cx.onto, d, {k for k, o in owner.items() if o == head}, places, roles, sent, None,
                            trigs[head], {head})
    if place is None:
        place = where_clause_place(d, i, places)
    for h in targets:
        place = place or place_under(d, places, h)  # "strikes were carried out on positions in X"
    if place is None and tr.entry.pos == "noun" and toks[i].dep in ("nsubj", "nsubjpass"):
        place = carrier_place(d, toks[i].head, places)
    if place is None and toks[i].dep == "xcomp" and toks[toks[i].head].lemma.lower() in d.instrument_verbs:
        # "used a rally at the stadium in Gao to urge X": the means is where the act was done
        v = toks[i].head
        for h in [c for c in d.children.get(v, []) if toks[c].dep == "dobj" or
                  toks[c].dep == "prep" and toks[c].lemma.lower() in LOC_PREPS]:
            place = place or place_under(d, places, h)
    if place is None and tr.entry.pos == "verb" and event_type in FAMILIES.speech_acts:
        place = statement_venue(cx.lex, d, i, places)  # "X, visiting Mopti, said ...": where the statement was made
    if place is None and event_type in FAMILIES.material and st.speaker_head is not None:
        place = local_source_place(cx.lex, d, st.speaker_head, places)
    rng = range(sent.token_start, min(sent.token_end, len(toks)))
    words = d.memo.get(("casualty_words", rng.start, rng.stop))
    if words is None:
        words = d.memo[("casualty_words", rng.start, rng.stop)] = casualty_words(toks, rng, lex, d.children)
    size = event_size(toks, i, group, owner, trigs, d.children, rng, lex, words)
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
    trig_tokens = sorted(set(tr.tokens) | set(tr.comp[:1]))
    trig_text = " ".join(toks[k].text for k in trig_tokens)
    ev = Evidence(sentence=d.text[sent.start:sent.end], start=sent.start, end=sent.end, trigger=trig_text)
    dr = Draft(event_type, mode, actor, recipient, mediator, time, source, place, size, st.status,
                st.attribution, [ev], si, sent.paragraph, i)
    dr.background = st.background
    dr.lifted = c.lifted
    dr.own_place = place is not None and place is not dateline
    dr.nominal = tr.entry.pos == "noun" or noun_subject
    dr.planned_act = planned_act
    dr.dated = (dated or noun_subject) and source == "own"
    dr.anaphoric = is_anaphoric(cx.lex, d, tr, roles, source, dr.own_place)
    distinct = lex.frames.get("distinct_modifiers", frozenset())
    dr.distinct = any(toks[c].dep in ("det", "amod") and toks[c].lemma.lower() in distinct
                      for k in group if trigs[k].entry.pos == "noun" for c in d.children.get(k, []))
    return dr


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
    trigs = find_triggers(d, lex, frame.rng)
    old, t = trigs.get(i), d.tokens[i]
    if old is not None:
        entry = replace(old.entry, event_type=event_type, mode=mode, source="<draft_from_trigger>")
        trigs[i] = Trigger(i=i, entry=entry, tokens=old.tokens, comp=old.comp, event_type=event_type, mode=mode)
    else:
        pos = "verb" if t.pos in ("VERB", "AUX") else "adj" if t.pos == "ADJ" else "noun"
        entry = TriggerEntry((t.lemma.lower(),), pos, event_type, mode, source="<draft_from_trigger>")
        trigs[i] = Trigger(i=i, entry=entry, tokens=[i], event_type=event_type, mode=mode)
    absorb(d, trigs, lex)
    declared_ceasefires(d, trigs, lex)
    tr = trigs[i]
    if tr.absorbed_by is not None:
        trigs[tr.absorbed_by].merged.remove(i)
    tr.absorbed_by, tr.frame_only, tr.event_type = None, False, event_type
    tr.mode = mode if mode is not None else tr.mode
    owner = owner_map(d, trigs, frame.rng, lex)
    implied, cx.implied = cx.implied, {}  # (the implied accusations found are those of the last sentence drafted)
    try:
        dr = build_draft(cx, tr, trigs, owner, si, sent, frame.prev_subjects, cx.times_by_sent.get(si, []),
                         cx.places_by_sent.get(si, []), frame.para_times, cx.lede_time, cx.dateline)
    finally:
        cx.implied = implied
    if dr is not None:
        dr.subordinate = is_subordinate(lex, d, i, trigs)
    return dr
