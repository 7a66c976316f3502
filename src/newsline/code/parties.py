"""Parties inferred from the article rather than the clause: the article's two-party dyad and its other side,
the sentence's parties, those an event reacts to or a rejection answers, "the attackers", light-verb and
governing-verb subjects of event nouns, implied accusations ("attacks from Y's soil"), delegation leaders."""

from __future__ import annotations

from newsline.code.doc import Doc, subtree
from newsline.code.draft import ArticleState, Draft
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon
from newsline.code.phrases import actor_keys, actor_ref, actors_in, dedupe, side
from newsline.code.roles import fill_actors, subject_of
from newsline.code.status import StatusInfo, is_negated
from newsline.code.triggers import IMPLIED_ENTRY, Trigger
from newsline.records import (
    ActorRef,
)

FAMILIES = type_families()


def delegation_leaders(lex: Lexicon, d: Doc, rng: range) -> list[tuple[ActorRef, str]]:
    """"X's delegation was led by P", "P headed X's team", "P's counterpart Q", "R chaired the session": the
    people who conduct talks for a side (actors) or run them (mediators)."""
    toks, lex = d.tokens, lex
    lead = lex.frames.get("lead_verbs", frozenset())
    chair = lex.frames.get("chair_verbs", frozenset())
    teams = lex.frames.get("delegation_nouns", frozenset())
    sessions = lex.frames.get("session_nouns", frozenset())
    out: list[tuple[ActorRef, str]] = []

    def persons(heads: list[int]) -> list[ActorRef]:
        found = []
        for h in heads:
            for k in subtree(d, h, stop={"relcl", "acl", "advcl", "ccomp", "appos"}):
                for ai in d.actor_by_token.get(k, []):
                    am = d.ann.actors[ai]
                    if am.actor.kind == "person" and am.actor.id and am not in found:
                        found.append(am)
        return [actor_ref(am) for am in found]

    for v in rng:
        t = toks[v]
        if t.pos != "VERB" or is_negated(toks, v, d.children, lex):
            continue
        kids = d.children.get(v, [])
        lemma = t.lemma.lower()
        if lemma in lead:
            passive = [c for c in kids if toks[c].dep == "nsubjpass" and toks[c].lemma.lower() in teams]
            objs = [c for c in kids if toks[c].dep == "dobj" and toks[c].lemma.lower() in teams]
            if passive:
                out += [(r, "actor") for r in persons([c for c in kids if toks[c].dep == "agent"])]
            elif objs:
                out += [(r, "actor") for r in persons([c for c in kids if toks[c].dep == "nsubj"])]
        elif lemma in chair and any(toks[c].dep == "dobj" and toks[c].lemma.lower() in sessions for c in kids):
            out += [(r, "mediator") for r in persons([c for c in kids if toks[c].dep == "nsubj"])]
    if any(role == "actor" for _, role in out):
        # "greeting his Kenyan counterpart Q": the other side's leader
        words = lex.frames.get("counterpart_nouns", frozenset())
        for am in d.ann.actors:
            if rng.start <= am.token_start < rng.stop and am.actor.kind == "person" and am.actor.id and any(
                    toks[k].lemma.lower() in words for k in range(am.token_start, am.token_end)):
                out.append((actor_ref(am), "actor"))
    return out


def attach_leaders(drafts: list[Draft], leaders: list[tuple[int, ActorRef, str]]) -> None:
    """Delegation leaders join the talks they conduct as actors (beside their state), chairs as mediators:
    the talks reported in the leader's sentence, else the latest talks reported before it."""
    for start, ref, role in leaders:
        talks = [dr for dr in drafts if dr.event_type == "CONSULT" and dr.status != "planned"
                 and dr.evidence[0].start <= start]
        here = [dr for dr in talks if any(e.start == start for e in dr.evidence)]

        def sides(dr: Draft) -> set[str]:
            return {r.country for r in dr.actor + dr.recipient if r.country}
        if role == "actor":
            talks = [dr for dr in talks if ref.country in sides(dr)]
            here = [dr for dr in here if ref.country in sides(dr)]
        target = (here or talks[-1:] or [None])[0]
        if target is None:
            continue
        if role == "actor":
            target.actor = dedupe(target.actor + [ref])
        elif ref.country not in sides(target):
            target.mediator = dedupe(target.mediator + [ref])


def implied_accusations(lex: Lexicon, d: Doc, trigs: dict[int, Trigger], rng: range,
                         prev: list[ActorRef]) -> dict[int, list[ActorRef]]:
    """"X said the gunmen took orders from handlers in Y", "X said groups attack the country from Y's
    territory": a speaker who places the origin of hostile acts in another state accuses that state. The
    speech verb becomes an ACCUSE trigger (absorbing the hostile event it reports) aimed at that state."""
    toks, lex = d.tokens, lex
    speech = lex.frames.get("speech", frozenset())
    origin = lex.frames.get("origin_nouns", frozenset())
    hostile = lex.frames.get("hostile_agents", frozenset())
    shown = lex.frames.get("evidence_verbs", frozenset())
    proof = lex.frames.get("evidence_nouns", frozenset())
    out: dict[int, list[ActorRef]] = {}
    for v in rng:
        t = toks[v]
        if t.pos != "VERB" or t.lemma.lower() not in speech | shown or v in trigs or t.dep in ("relcl", "acl", "advcl"):
            continue
        if is_negated(toks, v, d.children, lex):
            continue
        subj = [c for c in d.children.get(v, []) if toks[c].dep == "nsubj"]
        if t.lemma.lower() in speech:
            clauses = [c for c in d.children.get(v, []) if toks[c].dep == "ccomp"]
        else:
            # "X presented (what it described as) evidence that militants cross from Y": the evidence's clause
            found = [k for k in subtree(d, v, stop={"relcl", "acl", "advcl", "nsubj", "conj"})
                     if toks[k].lemma.lower() in proof and toks[k].pos == "NOUN"]
            clauses = [c for k in found for c in d.children.get(k, []) if toks[c].dep in ("relcl", "acl", "ccomp")]
        if not subj or not clauses:
            continue
        speaker = fill_actors(d, subj, StatusInfo(), prev, lex)
        own = {r.country for r in speaker if r.country}
        if not own:
            continue
        for c in clauses:
            sub = subtree(d, c, stop={"ccomp", "relcl", "advcl"})
            hostile_here = any(k in trigs and trigs[k].event_type in ("ASSAULT", "COERCE", "THREATEN") for k in sub)
            for k in sub:
                if toks[k].dep in ("nsubj", "nsubjpass") and toks[k].head == c:
                    refs = actors_in(d, k, lex, allow_unresolved=True)
                    if any(r.sector in ("REB", "UAF") or r.kind == "group" and r.sector not in ("GOV", "MIL")
                           for r in refs) or toks[k].lemma.lower() in hostile:
                        hostile_here = True
            if not hostile_here:
                continue
            target = _origin_state(d, sub, origin, own)
            if target:
                out[v] = target
                trigs[v] = Trigger(i=v, entry=IMPLIED_ENTRY, tokens=[v], event_type="ACCUSE", mode="allege")
                break
    return out


def _origin_state(d: Doc, sub: list[int], origin: frozenset[str], own: set[str]) -> list[ActorRef]:
    """The foreign state named as the origin of hostile acts in a clause: "from <place/territory of Y>",
    "handlers/sanctuaries in Y", "Y's soil"."""
    toks = d.tokens
    subset = set(sub)
    heads: list[int] = []
    for k in sub:
        t = toks[k]
        if (t.dep == "pobj" and toks[t.head].lemma.lower() in ("from", "across")) or (
                t.lemma.lower() in origin and t.pos == "NOUN"):
            heads.append(k)
    for h in heads:
        cands = [h] + [c for c in d.children.get(h, []) if toks[c].dep in ("amod", "poss", "compound", "nmod")]
        holders = [h] + ([toks[h].head] if toks[h].dep == "dobj" else [])  # "had handlers in Y"
        for p in (p for x in holders for p in d.children.get(x, [])):
            if toks[p].dep == "prep" and toks[p].lemma.lower() in ("in", "from", "inside", "across", "of"):
                cands += [q for q in d.children.get(p, []) if toks[q].dep == "pobj"]
        for k in cands:
            if k not in subset:
                continue
            country = None
            for ai in d.actor_by_token.get(k, []):
                a = d.ann.actors[ai].actor
                if a.kind == "state" and a.country:
                    country = a.country
            for pm in d.ann.places:
                if pm.token_start <= k < pm.token_end and pm.place.country_code and pm.place.resolution == 1:
                    country = country or pm.place.country_code
            if country and country not in own:
                return [_state_ref(d, country, toks[k].text)]
    return []


def _state_ref(d: Doc, country: str, text: str) -> ActorRef:
    for am in d.ann.actors:
        if am.actor.kind == "state" and am.actor.country == country:
            ref = actor_ref(am)
            ref.text = text
            return ref
    return ActorRef(id=country.lower(), name=country, country=country, text=text, kind="state")


def last_parties(cx: ArticleState) -> list[ActorRef]:
    for prev in cx.so_far:
        refs = dedupe(prev.actor + prev.recipient)
        if len({side(r) for r in refs}) >= 2:
            return refs
    return []


def sentence_parties(cx: ArticleState, si: int) -> list[ActorRef]:
    for prev in reversed(cx.seen):
        if prev.sentence != si:
            break
        refs = dedupe(r for r in prev.actor + prev.recipient if r.id)
        if len({side(r) for r in refs}) >= 2:
            return refs
    return []


def carried_out_on(d: Doc, i: int) -> list[int]:
    """Heads of the targets of an attack noun told through a passive light verb ("strikes were carried out /
    launched on X", "raids were conducted against Y")."""
    toks = d.tokens
    v = toks[i].head
    if toks[i].dep != "nsubjpass" or v == i or toks[v].pos != "VERB":
        return []
    return [p for c in d.children.get(v, []) if toks[c].dep == "prep" and toks[c].lemma.lower() in ("on", "against")
            for p in d.children.get(c, []) if toks[p].dep == "pobj"]


def from_each_side(lex: Lexicon, d: Doc, i: int) -> bool:
    """Does the subject of trigger i (or the trigger itself) say "from each side" / "from both sides"?"""
    toks = d.tokens
    heads = [i] + [c for c in d.children.get(i, []) if toks[c].dep in ("nsubj", "nsubjpass", "dobj")]
    for h in heads:
        for p in d.children.get(h, []):
            if toks[p].dep != "prep" or toks[p].lemma.lower() not in ("from", "on"):
                continue
            for q in d.children.get(p, []):
                if toks[q].lemma.lower() in lex.group_reference and any(
                        toks[x].text.lower() in ("each", "both") for x in d.children.get(q, [])):
                    return True
    return False


def the_attackers(cx: ArticleState, refs: list[ActorRef]) -> list[ActorRef]:
    """"talks with the attackers", "condemned the gunmen": unnamed perpetrators, referred to after an attack by
    an armed group was reported, are that group."""
    words = cx.lex.frames.get("perpetrator_nouns", frozenset())
    out = []
    for r in refs:
        toks = (r.text or "").lower().split()
        if r.kind in ("agent", "unresolved") and r.sector in ("UAF", None) and toks and (
                toks[-1] in words or toks[-1].rstrip("s") in words):
            named = next((p.actor for p in reversed(cx.seen) if p.event_type == "ASSAULT" and p.actor
                          and all(side(a).endswith("/REB") for a in p.actor)), None)
            if named:
                out += named
                continue
        out.append(r)
    return dedupe(out)


def mutual_or_means(lex: Lexicon, d: Doc, k: int, span: list[int] | None = None) -> bool:
    """Is the event noun k fighting between sides ("clashes") or an attack told through the means of war of
    armed parties ("air strikes", "artillery fire", "shelling and rocket fire")?"""
    means = lex.frames.get("war_means", frozenset())
    toks = d.tokens
    mods = [c for c in d.children.get(k, []) if toks[c].dep in ("compound", "amod", "nmod")]
    mods += [x for c in mods for x in d.children.get(c, []) if toks[x].dep == "conj"]
    words = {toks[x].lemma.lower() for x in [k] + mods + list(span or [])}
    return d.tokens[k].lemma.lower() in lex.mutual_nouns or bool(words & means)


def mutual_sides(cx: ArticleState, si: int, victims: list[ActorRef]) -> list[ActorRef]:
    """The two sides of unattributed fighting: the parties named in the sentence, else the article's dyad;
    with the victims known, the dyad must include their side (fighting in another conflict is not this)."""
    parties = sentence_parties(cx, si) or last_parties(cx)
    if not parties:
        return []
    # (civilians' country is where they were, often taken from the place: no side of the fighting)
    mine = {r.country for r in victims if r.country and r.sector not in ("CVL", "REF")}
    if mine and not mine & {r.country for r in parties if r.country}:
        return []
    return parties


def complete_dyad(cx: ArticleState, actor: list[ActorRef]) -> list[ActorRef]:
    """The other side of the article's two-party conflict or negotiation, for a directed act whose
    target is left implicit ("Kabul rejects the charge", "the group issued an ultimatum")."""
    parties = [r for r in last_parties(cx) if r.country]  # (unresolved fillers are no side of their own)
    sides = {side(r) for r in parties}
    mine = {side(a) for a in actor}
    if len(sides) != 2 or len(mine & sides) != 1 or len(mine) != 1:
        return []
    return [r for r in parties if side(r) not in mine]


def reacted_to(cx: ArticleState, group: list[int], trigs: dict[int, Trigger],
               actor: list[ActorRef] | None = None) -> list[ActorRef]:
    """Recipients of a reaction to an event reported earlier: the actors of that event. "condemned the strike",
    "rejects the charge": the latest event of the noun's type (`reacted_nouns`); "called the launch reckless",
    "denounced the decision", "also condemned it": an act of another side (an `act_nouns` noun or a pronoun
    names the act, not who did it; `_untyped_act`)."""
    d = cx.doc
    wanted: list[tuple[str | None, int]] = []  # (the type of the act reacted to or None: any act, its word)
    for g in group[1:]:
        if trigs[g].entry.pos == "noun":
            wanted.append((trigs[g].event_type, g))
    acts = cx.lex.frames.get("act_nouns", frozenset())
    for c in _reacted_objects(d, group[0]):
        t = d.tokens[c]
        typed = cx.lex.reacted_nouns.get(t.lemma.lower())
        if typed:
            wanted.append((typed, c))
        elif t.lemma.lower() in acts or t.text.lower() in acts or (
                t.pos == "PRON" and t.text.lower() in ("it", "this") and t.dep == "dobj"):
            wanted.append((None, c))
    mine = {side(a) for a in actor or [] if a.country}
    for t, word in wanted:
        got = _typed_act(cx, t) if t is not None else _untyped_act(cx, group[0], word, mine)
        if got:
            return got
    return []


def _typed_act(cx: ArticleState, t: str) -> list[ActorRef]:
    for prev in reversed(cx.seen):
        if prev.actor and prev.event_type == t:
            return list(prev.actor)
    return []


def _untyped_act(cx: ArticleState, v: int, word: int, mine: set[str]) -> list[ActorRef]:
    """The doer of the act "the decision", "the launch", "it" refers to: for "it", what the reaction just before
    reacted to ("Guterres condemned the attack. The US also condemned it"); else the article's news, its first act
    of another side (the lede), else the latest."""
    d = cx.doc

    def other(dr: Draft) -> bool:
        return bool(dr.actor) and dr.event_type not in FAMILIES.opinions and not mine & {side(a) for a in dr.actor}

    if d.tokens[word].pos == "PRON":
        si = d.sent_of[v]
        for prev in reversed(cx.seen):
            if prev.sentence < si - 2:
                break
            if prev.event_type in FAMILIES.opinions and prev.recipient and \
                    not mine & {side(r) for r in prev.recipient}:
                return list(prev.recipient)
    lede = [dr for dr in cx.so_far if other(dr)]
    if lede:
        return list(lede[0].actor)
    latest = [dr for dr in cx.seen if other(dr)]
    return list(latest[-1].actor) if latest else []


def _reacted_objects(d: Doc, v: int) -> list[int]:
    """What a reaction verb is about: its object ("condemned the attack"), a passive subject, a preposition's
    object, and in "called the ruling unjust" the words before the predicate (the parser may make "ruling" a
    modifier of "unjust")."""
    out = []
    for c in d.children.get(v, []):
        dep = d.tokens[c].dep
        if dep in ("dobj", "nsubjpass", "pobj"):
            out.append(c)
        elif dep == "oprd":
            out += [k for k in range(v + 1, c) if d.tokens[k].pos in ("NOUN", "VERB")]
    return out


def holder(cx: ArticleState, held: list[ActorRef], asker: list[ActorRef]) -> list[ActorRef]:
    """Who a demand for the release of `held` is addressed to: the doer of the latest detention, arrest or
    abduction (the `detaining` type family) of them told before ("a court jailed Yashin ... Blinken called for
    Yashin's release"), not on the asker's side."""
    keys = actor_keys(held) | ({_surname(r) for r in held if r.kind == "person"} - {""})
    mine = {side(a) for a in asker if a.country}
    for prev in reversed(cx.seen):
        if prev.event_type not in FAMILIES.detaining or not prev.actor or mine & {side(a) for a in prev.actor}:
            continue
        theirs = actor_keys(prev.recipient) | {_surname(r) for r in prev.recipient if r.kind == "person"}
        if keys & theirs:
            return list(prev.actor)
    return []


def _surname(r: ActorRef) -> str:
    name = (r.name or r.text or "").split()
    return name[-1].lower() if name else ""


def answered(cx: ArticleState, actor: list[ActorRef]) -> list[ActorRef]:
    """The party a rejection or denial answers: the actors of the latest accusation, demand or offer
    (background ones included) aimed at the rejecting actor ("X accuses Y of ... Y denies it")."""
    keys = actor_keys(actor)
    countries = {a.country for a in actor if a.country}
    for prev in reversed(cx.seen):
        if prev.event_type not in ("ACCUSE", "REQUEST", "AGREE", "THREATEN") or not prev.actor:
            continue
        if actor_keys(prev.recipient) & keys or countries & {r.country for r in prev.recipient if r.country}:
            got = [a for a in prev.actor if (a.id or a.text) not in {x.id or x.text for x in actor}]
            if got:
                return got
    return []


def light_verb_subject(cx: ArticleState, i: int, st: StatusInfo, prev) -> tuple[list[ActorRef], int]:
    """"activists staged a hunger strike", "students held demonstrations", "farmers converged for a rally":
    an event noun under a light verb is done by that verb's subject."""
    d = cx.doc
    toks = d.tokens
    light = cx.lex.frames.get("light_verbs", frozenset())
    t = toks[i]
    v = t.head
    if t.dep == "pobj" and toks[v].dep == "prep" and toks[v].lemma.lower() in ("for", "in", "into", "to"):
        v = toks[v].head  # "converged for a rally", "joined in the protest"
    elif t.dep != "dobj":
        return [], i
    word = toks[v].text.lower()
    forms = {toks[v].lemma.lower(), word, word[:-1], word[:-2], word[:-3]}  # lemmatizer slips ("staged": "stag")
    if v == i or toks[v].pos != "VERB" or not forms & light or toks[v].dep in ("acl", "relcl"):
        return [], i  # ("militants carrying out attacks": a description of the militants, not a report)
    if any(toks[c].lemma.lower() in ("such", "any", "similar") for c in d.children.get(i, [])):
        return [], i  # "such attacks": a kind of event, not one
    subj, passive = subject_of(d, v)
    if passive or not subj:
        return [], i
    # "both sides carried out a new swap": the parties of the article's two-party event
    return fill_actors(d, subj, st, prev, cx.lex, last_parties(cx)), v


def inherit(cx: ArticleState, i: int, st: StatusInfo, prev, trigs) -> list[ActorRef]:
    """Actors of a nominal trigger without its own: the subject of the verb it hangs from
    ("agreed to a ceasefire after talks" -> the talks' parties) or the objects of a verb it is subject of
    ("the negotiations brought together A and B")."""
    d = cx.doc
    toks, ch = d.tokens, d.children
    cur, hops = i, 0
    while toks[cur].head != cur and hops < 4:
        hops += 1
        dep = toks[cur].dep
        parent = toks[cur].head
        pt = toks[parent]
        if pt.pos in ("VERB", "AUX"):
            if pt.lemma.lower() in cx.lex.frames.get("speech", frozenset()):
                return []  # "X announced ..., after talks in Oslo": the announcer is not a party
            if dep in ("nsubj", "nsubjpass"):
                objs = [c for c in ch.get(parent, []) if toks[c].dep in ("dobj",)]
                if parent not in trigs and objs:
                    return fill_actors(d, objs, st, prev, cx.lex, last_parties(cx))
                return []
            subj, passive = subject_of(d, parent)
            if subj and not passive:
                # "the two parties completed a new swap": the parties of the article's two-party event (for the
                # verb's own object only)
                return fill_actors(d, subj, st, prev, cx.lex, last_parties(cx) if cur == i and dep == "dobj" else None)
            return []
        cur = parent
    return []


def split_joint_actors(dr: Draft) -> None:
    """"India and Mercosur agreed to cut tariffs", "The US and the Taliban signed a pact": two sides acting
    together are each other's counterpart, the first named the source (as PLOVER's coders read it), the others
    the target."""
    # a party the dictionary does not know ("the umbrella union", often an apposition) takes no side of its own
    sides = [side(a) if a.country else None for a in dr.actor]
    first = next((sd for sd in sides if sd is not None), None)
    if dr.event_type not in FAMILIES.mutual or len(set(sides) - {None}) < 2:
        return
    sides = [first if sd is None else sd for sd in sides]
    dr.recipient = [a for a, sd in zip(dr.actor, sides, strict=True) if sd != first]
    dr.actor = [a for a, sd in zip(dr.actor, sides, strict=True) if sd == first]
