"""Within-article merging: the mentions of one event (a lede and its retellings, a reference back to an
agreement, the acts an agreement arranges) become one draft; distinct events (other days, other parties,
reversed roles, other speakers) stay apart."""

from __future__ import annotations

from newsline.code.doc import Doc
from newsline.code.draft import ArticleState, Draft
from newsline.code.families import type_families
from newsline.code.ontology import Ontology
from newsline.code.phrases import actor_keys, dedupe, side
from newsline.code.size import merge_size
from newsline.records import (
    ActorRef,
)

FAMILIES = type_families()


def _agreed_content(doc: Doc, a: Draft, b: Draft) -> bool:
    """Is one draft what the other agrees to ("agreed to extend the truce": the extension is the verb "agreed"
    takes as its complement)? Then the two are one act."""
    if a.sentence != b.sentence:
        return False
    return _complement_of(doc, b.trigger_i, a.trigger_i) or _complement_of(doc, a.trigger_i, b.trigger_i)


def _complement_of(doc: Doc, k: int, v: int) -> bool:
    """Is token k the complement of verb v, or coordinated with it ("agreed to extend the truce and to hold
    talks")?"""
    t = doc.tokens[k]
    while t.dep == "conj" and t.head != t.i:
        t = doc.tokens[t.head]
    return t.dep == "xcomp" and t.head == v


def _pact(doc: Doc, dr: Draft, pact_words: frozenset[str]) -> bool:
    """A draft telling an agreement itself ("agreed to reopen embassies", "reached an agreement", "signed the
    deal"): an AGREE, or a SUPPORT whose trigger concludes an agreement (lexicon `pact_words`; not praise of one)."""
    if dr.event_type == "AGREE":
        return True
    return dr.event_type == "SUPPORT" and doc.tokens[dr.trigger_i].lemma.lower() in pact_words


def _compatible(onto: Ontology, a: Draft, b: Draft, doc: Doc, pact_words: frozenset[str] = frozenset()) -> bool:
    if a.event_type != b.event_type and not (_pact(doc, a, pact_words) and _pact(doc, b, pact_words)):
        # a promise and the agreement that concludes it ("agreed to reopen embassies ... the agreement was
        # signed") are one event, whichever type each report takes
        return False
    agreed = _agreed_content(doc, a, b)
    if (a.status == "planned") != (b.status == "planned") and not agreed:
        return False  # an announced event is not the report of a past one
    if onto.quad(a.event_type) in (3, 4) and not (actor_keys(a.actor) & actor_keys(b.actor)) and (
            actor_keys(a.actor) & actor_keys(b.recipient) or actor_keys(b.actor) & actor_keys(a.recipient)):
        return False  # the roles reversed: a counter-attack or a reply, not a retelling
    pers_a = {r.id for r in a.actor if r.kind == "person" and r.id}
    pers_b = {r.id for r in b.actor if r.kind == "person" and r.id}
    if pers_a and pers_b and not pers_a & pers_b and a.event_type in FAMILIES.speech_acts:
        return False  # two people's statements are two statements
    if a.actor and b.actor and a.event_type in FAMILIES.speech_acts and not (
            {side(r) for r in a.actor} & {side(r) for r in b.actor}):
        return False  # "Russia urged both sides to ...", "the EU called on the two sides to ...": two statements
    da = a.time.date_start if a.time else None
    db = b.time.date_start if b.time else None
    strong_a = a.date_source in ("own", "sentence")
    strong_b = b.date_source in ("own", "sentence")
    if da and db and da != db and (strong_a and strong_b or a.dated and b.date_source != "lede"
                                   or b.dated and a.date_source != "lede"):
        return False  # a dated reference ("rounds on May 16") is not the event of another day
    if not da and not db and a.time and b.time and a.time.precision == b.time.precision == "day" and \
            a.time.text.lower() != b.time.text.lower() and strong_a and strong_b and "own" in (a.date_source, b.date_source) \
            and not (a.nominal and b.nominal):
        return False  # an undated article: "freed on Saturday" is not the exchange completed "on Sunday"
    if a.stage or b.stage:
        return a.stage and b.stage and a.of is b.of and da == db and (
            bool(da) or (a.time.text if a.time else "").lower() == (b.time.text if b.time else "").lower())
    if (a.extension != b.extension and not agreed) or a.extension and da != db:
        return False  # the extension of a truce is not its agreement (unless it is what they agreed)
    if da and db and da != db and (a.distinct or b.distinct):
        return False  # "carried out another swap" is not the swap of another day told elsewhere
    if da and db and da != db and a.actor and b.actor and (a.dated and not (b.nominal and not b.recipient) and b.time.precision == "day"
                                   or b.dated and not (a.nominal and not a.recipient) and a.time.precision == "day"):
        # "fighting on the evening of March 3 killed ..." is not the attack told of the lede's day (only an
        # undirected "the worst fighting" may be its retelling)
        return False
    if a.place and b.place and (a.place.resolved_place or a.place.extracted_place) != (
            b.place.resolved_place or b.place.extracted_place):
        return False
    pa = actor_keys(a.actor) | actor_keys(a.recipient)
    pb = actor_keys(b.actor) | actor_keys(b.recipient)
    if da and db and da != db and (not pa and a.date_source in ("own", "governing")
                                   or not pb and b.date_source in ("own", "governing")):
        return False  # a party-less mention dated in its own clause tells another day's event, not this one
    if not pa or not pb:
        return True
    if a.sentence == b.sentence:
        return bool(pa & pb) or not (actor_keys(a.actor) and actor_keys(b.actor))
    # a retelling names the same parties (at least the overlap of the smaller set), by id or by country
    small = pa if len(pa) <= len(pb) else pb
    if len(pa & pb) >= max(1, min(2, len(small))):
        return True
    if _armed_alias(a.actor, b.actor) or _armed_alias(b.actor, a.actor):
        return True  # "the BLA hijacked the train ... gunmen then took passengers hostage": the same attackers
    ca = {r.country for r in a.actor + a.recipient if r.country}
    cb = {r.country for r in b.actor + b.recipient if r.country}
    # the same sides, one of them told through the people who acted for their states
    people = all(r.kind == "person" for r in a.actor + a.recipient) or all(
        r.kind == "person" for r in b.actor + b.recipient)
    return len(ca) >= 2 and len(cb) >= 2 and (ca <= cb or cb <= ca) and (bool(pa & pb) or people and ca == cb)


def _armed_alias(anon: list[ActorRef], named: list[ActorRef]) -> bool:
    """Are the unnamed armed men of one report ("gunmen", "the attackers") the armed group another names?"""
    if not anon or not all(r.kind in ("agent", "unresolved") and r.sector in ("UAF", "REB") for r in anon):
        return False
    groups = [r for r in named if r.kind == "group" and r.sector == "REB"]
    return bool(groups) and all(r.country is None or any(g.country == r.country for g in groups) for r in anon)


ACTORLESS_MIN = 0.5  # the model's probability of the type an actorless event of a one-report text needs


def merge_drafts(cx: ArticleState, drafts: list[Draft]) -> list[Draft]:
    out: list[Draft] = []
    pacts = cx.lex.frames.get("pact_words", frozenset())
    for dr in drafts:
        if dr.planned_act:
            # "the ceasefire is to begin on Sunday", "33 hostages are to be released": after an agreement, the
            # acts arranged for later are its content, not events of their own
            ref = next((p for p in reversed(out) if p.status != "planned" and (
                p.event_type in FAMILIES.agreement or p.mode == "ceasefire")), None)
            if ref is not None:
                if all(e.start != dr.evidence[0].start for e in ref.evidence):
                    ref.evidence += dr.evidence
                continue
        if dr.anaphoric:
            # "confirmed the agreement", "under the deal": one more piece of evidence for the event it
            # refers back to; its own (inherited) parties, date and place say nothing new
            family = FAMILIES.agreement if dr.event_type in FAMILIES.agreement else {dr.event_type}
            ref = next((p for p in reversed(out) if p.event_type in family), None)
            if ref is not None:
                if all(e.start != dr.evidence[0].start for e in ref.evidence):
                    ref.evidence += dr.evidence
                # ... except the doer of an attack told by its victims alone: "Two car bombs exploded ... al
                # Shabaab said it carried out the attack" (an agreement's parties are what the reference inherited)
                doers = [a for a in dr.actor if a.kind != "person" and a.sector != "ELI"
                         and (a.id or a.text) not in {r.id or r.text for r in ref.recipient}]
                if not ref.actor and doers and ref.recipient and ref.event_type in FAMILIES.material and \
                        dr.status in ("asserted", "reported"):
                    ref.actor = doers
                continue
        target = None
        for prev in reversed(out):
            if _compatible(cx.onto, prev, dr, cx.doc, pacts):
                target = prev
                break
        if target is None:
            out.append(dr)
            continue
        target.actor = dedupe(target.actor + dr.actor)
        target.recipient = dedupe([r for r in target.recipient + dr.recipient
                                    if (r.id or r.text) not in {a.id or a.text for a in target.actor}])
        target.mediator = dedupe(target.mediator + dr.mediator)
        rank = {"own": 0, "governing": 1, "sentence": 2, "paragraph": 3, "lede": 4, "unknown": 5}
        finer = dr.time is not None and target.time is not None and dr.date_source == target.date_source and \
            dr.time.precision == "day" and target.time.precision in ("month", "year")
        # a month or year that contains the day already known tells nothing finer ("talks on Wednesday ... his
        # third trip this year")
        wider = dr.time is not None and target.time is not None and target.time.precision == "day" and \
            dr.time.precision in ("month", "year") and \
            (dr.time.date_start or "") <= (target.time.date_start or "") <= (dr.time.date_end or "")
        if (rank[dr.date_source] < rank[target.date_source] and not wider) or finer:
            target.time, target.date_source = dr.time, dr.date_source
        if target.place is None:
            target.place = dr.place
        target.size = merge_size(target.size, dr.size)
        if target.mode in (None, "beat") and dr.mode not in (None, "beat"):
            target.mode = dr.mode
        if target.status == "asserted" and dr.status != "asserted" and target.sentence == dr.sentence:
            target.status = dr.status
        target.attribution = target.attribution or dr.attribution
        if dr.confidence is not None:  # one more sentence reporting the event: the best-supported one counts
            target.confidence = max(dr.confidence, target.confidence or 0.0)
        if all(e.start != dr.evidence[0].start for e in target.evidence):
            target.evidence += dr.evidence
        else:
            for e in target.evidence:
                if e.start == dr.evidence[0].start and dr.evidence[0].trigger not in e.trigger:
                    e.trigger = f"{e.trigger}; {dr.evidence[0].trigger}"
    # a demand is addressed to someone: the two sides setting themselves a deadline ask nobody
    out = [dr for dr in out if not (dr.event_type == "REQUEST" and not dr.recipient
                                    and len({side(r) for r in dr.actor}) >= 2)]
    return [dr for dr in out if (dr.actor or _actorless_report(cx, dr))
            and (dr.recipient or dr.event_type not in cx.lex.needs_recipient)]


def _actorless_report(cx: ArticleState, dr: Draft) -> bool:
    """An article's event needs a named actor (its actorless clauses are mostly description); a text given as one
    event report keeps an event whose perpetrator it does not name ("three were killed in a car bombing") when
    the sentence model vouches for its type (the rules alone draft such events from any death or loss)."""
    return cx.is_report and dr.confidence is not None and dr.confidence >= ACTORLESS_MIN
