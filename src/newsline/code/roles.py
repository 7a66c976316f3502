"""Roles from the parse: the actor, recipient and mediator noun-phrase heads of a trigger (subject, agent, "by",
possessive, "between"; object, passive subject, "with", "against", "to", "on"; "mediated by", "with the help
of"), and filling them with actors (pronouns, group references, "the group" named before)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsline.code.doc import Doc
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon
from newsline.code.mediators import assign_mediators, mediators_near
from newsline.code.phrases import actor_ref, actors_in, dedupe, np_tokens
from newsline.code.status import StatusInfo
from newsline.code.triggers import Trigger, capitalised_event_noun
from newsline.records import (
    ActorMention,
    ActorRef,
)

FAMILIES = type_families()


RECIPIENT_PREPS = {"with", "against", "to", "toward", "towards", "on", "at", "upon", "into", "onto"}


NOUN_RECIPIENT_PREPS = {"with", "against", "to", "toward", "towards", "on", "at", "upon", "into", "onto"}


ACTOR_PREPS = {"between", "among", "amongst"}
ANAPHORIC_DETS = frozenset({"the", "these", "those", "this", "that", "such"})


SUBJ_DEPS = {"nsubj", "csubj"}


REL_PRONOUNS = {"who", "which", "that", "whom"}


PRONOUNS = {"he", "she", "it", "they", "we", "i", "him", "her", "them", "us"}


@dataclass(slots=True)
class Roles:
    actor: list[int] = field(default_factory=list)  # NP heads
    recipient: list[int] = field(default_factory=list)
    mediator: list[int] = field(default_factory=list)
    all_actor: list[int] = field(default_factory=list)  # "between A and B": every participant is actor
    reciprocal: bool = False  # "accused each other": the subjects act on one another


# prepositions whose gerund shares the governing clause's subject ("retaliated by expelling", "left without
# signing", "met before announcing")
ADJUNCT_PREPS = frozenset({"by", "after", "before", "without", "while", "through", "upon", "on"})


def subject_of(d: Doc, v: int) -> tuple[list[int], bool]:
    """Subject heads of verb v and whether v is passive (then the subject is the patient)."""
    toks, ch = d.tokens, d.children
    subj = [c for c in ch.get(v, []) if toks[c].dep in SUBJ_DEPS]
    passive = [c for c in ch.get(v, []) if toks[c].dep == "nsubjpass"]
    if subj:
        return subj, False
    if passive:
        return passive, True
    t = toks[v]
    if t.dep == "conj" and toks[t.head].pos in ("VERB", "AUX") and t.head != v:
        got, passive = subject_of(d, t.head)
        if got and not passive and all(toks[h].pos == "NOUN" and h not in d.actor_by_token for h in got):
            # "the raid happened in X, where fighters cut the highway, ... and killed 14 villagers": a verb
            # coordinated across a relative clause by a broken parse takes the nearest actor subject before it
            for k in range(v - 1, t.head, -1):
                if toks[k].pos == "VERB":
                    near = [c for c in ch.get(k, []) if toks[c].dep == "nsubj" and c in d.actor_by_token]
                    if near:
                        return near, False
        if got and not passive and any(toks[c].dep == "auxpass" for c in ch.get(v, [])):
            passive = True  # "He flew back ... and was detained": the shared subject is the detainee
        return got, passive
    if t.dep in ("xcomp", "advcl") and t.head != v:
        obj = [c for c in ch.get(t.head, []) if toks[c].dep == "dobj"]
        if t.dep == "xcomp" and obj and toks[t.head].lemma.lower() not in d.instrument_verbs:
            return obj, False
        got, passive = subject_of(d, t.head)
        if t.dep == "xcomp" and passive and toks[v].pos == "VERB":
            return got, False  # "the envoys are expected to meet", "were forced to withdraw": they meet, withdraw
        return got, passive
    if t.dep == "pcomp" and toks[t.head].dep == "prep" and toks[t.head].lemma.lower() in ADJUNCT_PREPS:
        gov = toks[t.head].head
        if gov != t.head and toks[gov].pos in ("VERB", "AUX"):
            # "Latvia responded by expelling Belarusian diplomats": the gerund's doer is the clause's subject
            # (not after "of", "accused X of attacking", where it is the object)
            return subject_of(d, gov)
    if t.dep in ("relcl", "acl") and t.head != v:
        if t.tag == "VBN":
            return [t.head], True
        return [t.head], False
    if d.line_of:
        # a subject cut off by a broken parse across a line break: a detached noun phrase before the verb
        for k in range(v - 1, max(-1, v - 12), -1):
            if d.line_of[k] != d.line_of[v]:
                break
            if toks[k].dep == "ROOT" and toks[k].pos in ("PROPN", "NOUN") and toks[k].head == k:
                return [k], False
    return [], False


def _mobilized_target(d: Doc, i: int, r: Roles, lex: Lexicon) -> None:
    """The forces a mobilisation moves (its object) are no target; what it is aimed at is the object of "against",
    "into", "to" under the verb, its object or purpose ("mobilized troops for the war against Iraq")."""
    toks, ch = d.tokens, d.children
    r.recipient = [h for h in r.recipient if not (toks[h].head == i and toks[h].dep in ("dobj", "dative", "iobj"))
                   and h not in d.time_tokens]  # "on Monday"
    if r.recipient:
        return
    toward = lex.frames.get("mobilized_toward", frozenset())
    stack, seen = [(i, 0)], set()
    while stack:
        h, depth = stack.pop()
        for c in ch.get(h, []):
            dep = toks[c].dep
            if c in seen or depth > 3 or dep not in ("prep", "pobj", "dobj", "xcomp", "advcl"):
                continue
            seen.add(c)
            if dep == "prep" and toks[c].lemma.lower() in toward:
                r.recipient += [p for p in ch.get(c, []) if toks[p].dep == "pobj"]
            else:
                stack.append((c, depth + 1))


def role_heads(d: Doc, tr: Trigger, lex: Lexicon) -> Roles:
    toks, ch = d.tokens, d.children
    i = tr.i
    r = Roles()
    noun = tr.entry.pos == "noun"
    if tr.entry.pos == "adj":
        head = toks[i].head
        r.actor += [c for c in ch.get(head, []) if toks[c].dep in SUBJ_DEPS]
        return r
    if not noun:
        subj, passive = subject_of(d, i)
        subj = [h for h in subj if toks[h].pos != "NUM"]
        if passive or toks[i].lemma.lower() in lex.patient_subject:  # "14 soldiers died": the victims
            r.recipient += subj
        else:
            r.actor += subj
        for c in ch.get(i, []):
            dep = toks[c].dep
            if dep == "agent":
                r.actor += [p for p in ch.get(c, []) if toks[p].dep == "pobj"]
            elif dep in ("dobj", "dative", "iobj"):
                if toks[c].lemma.lower() == "each" or toks[c].text.lower() == "other":
                    r.reciprocal = True  # "A and B accused each other"
                    continue
                if toks[c].pos == "NOUN" and lex.candidates(toks[c].lemma.lower(), "noun"):
                    continue  # "demanded the release of X": an act is the content, not the addressee
                r.recipient.append(c)
            elif dep == "prep":
                pl = toks[c].lemma.lower()
                pobj = [p for p in ch.get(c, []) if toks[p].dep == "pobj"]
                if pl in ACTOR_PREPS:
                    r.all_actor += pobj
                elif pl in RECIPIENT_PREPS:
                    r.recipient += pobj
                elif pl == "by" and passive:
                    r.actor += pobj
                elif pl == "for" and tr.event_type == "REQUEST":
                    # "called for a response from X": X is asked
                    for p in pobj:
                        for q in ch.get(p, []):
                            if toks[q].dep == "prep" and toks[q].lemma.lower() == "from":
                                r.recipient += [x for x in ch.get(q, []) if toks[x].dep == "pobj"]
        # nouns satisfying the entry ("held talks with X", "signed a deal with X")
        for c in tr.comp:
            for p in ch.get(c, []):
                if toks[p].dep == "prep":
                    pl = toks[p].lemma.lower()
                    pobj = [q for q in ch.get(p, []) if toks[q].dep == "pobj"]
                    if pl in ACTOR_PREPS:
                        r.all_actor += pobj
                    elif pl in NOUN_RECIPIENT_PREPS:
                        r.recipient += pobj
    else:
        for c in ch.get(i, []):
            t = toks[c]
            dep = t.dep
            if dep == "poss" and toks[i].lemma.lower() in lex.of_patient:
                r.recipient.append(c)  # "Navalny's arrest", "the hostages' release": the possessor undergoes it
            elif dep == "poss" or dep in ("amod", "compound") and c not in tr.tokens:
                r.actor.append(c)
            elif dep == "prep":
                pl = t.lemma.lower()
                pobj = [p for p in ch.get(c, []) if toks[p].dep == "pobj"]
                if pl in ACTOR_PREPS:
                    r.all_actor += pobj
                elif pl in NOUN_RECIPIENT_PREPS:
                    r.recipient += pobj
                elif pl in ("by", "from"):
                    r.actor += pobj
                elif pl == "of":
                    if tr.event_type in FAMILIES.conflict or toks[i].lemma.lower() in lex.of_patient:
                        r.recipient += pobj
                    else:
                        r.actor += pobj
    if not noun and not r.recipient and tr.event_type in ("REQUEST", "THREATEN"):
        for c in ch.get(i, []):
            if toks[c].dep in ("xcomp", "ccomp"):
                r.recipient += [x for x in ch.get(c, []) if toks[x].dep in ("nsubj", "nsubjpass")]
    r.mediator += mediators_near(d, i, lex)
    if not noun and tr.event_type == "MOBILIZE":
        _mobilized_target(d, i, r, lex)
    lemma = toks[i].lemma.lower()
    if not noun and tr.event_type == "CONSULT" and r.recipient and r.actor and all(
            toks[h].pos == "NOUN" and lex.candidates(toks[h].lemma.lower(), "noun") for h in r.actor):
        # "the negotiations brought together A and B": the event noun is no party, the objects are the parties
        r.all_actor += r.recipient
        r.actor, r.recipient = [], []
    elif not noun and lemma in ("host", "receive", "welcome") and tr.event_type == "CONSULT":
        # the host is the recipient, the guests (object or "between" parties) the actors
        guests = [h for h in r.recipient] + r.all_actor
        r.recipient, r.actor, r.all_actor = r.actor, guests, []
    assign_mediators(d, i, noun, tr.event_type, r, lex, range(*_sentence_bounds(d, i)))
    return r


def _sentence_bounds(d: Doc, i: int) -> tuple[int, int]:
    s = d.ann.sentences[d.sent_of[i]] if d.ann.sentences else None
    return (s.token_start, min(s.token_end, len(d.tokens))) if s is not None else (0, len(d.tokens))


def _resolve_pronoun(d: Doc, head: int, st: StatusInfo, prev_subjects: list[ActorRef], lex: Lexicon,
                     parties: list[ActorRef] | None = None) -> list[ActorRef]:
    t = d.tokens[head]
    low = t.text.lower()
    if low in REL_PRONOUNS and t.head != head:
        # "forces who attacked": the relative clause's noun
        rel = d.tokens[t.head]
        if rel.dep in ("relcl",) and rel.head != rel.i:
            return actors_in(d, rel.head, lex)
    if low in ("its", "their", "his", "her", "our") and t.dep == "poss":
        # "Mali stepped up its raids on the camps": a possessive refers to the subject of its clause
        # (a possessive inside the subject, "Rwanda denied that its troops attacked", refers one clause up)
        cur, hops, in_subject = head, 0, False
        while hops < 8 and d.tokens[cur].head != cur and (
                d.tokens[cur].pos not in ("VERB", "AUX") or cur == head or in_subject):
            if d.tokens[cur].pos in ("VERB", "AUX") and cur != head:
                in_subject = False
            in_subject = in_subject or d.tokens[cur].dep in ("nsubj", "nsubjpass")
            cur = d.tokens[cur].head
            hops += 1
        if d.tokens[cur].pos in ("VERB", "AUX") and not in_subject:
            subj = [c for c in d.children.get(cur, []) if d.tokens[c].dep == "nsubj" and d.tokens[c].pos != "PRON"]
            got = [r for h in subj for r in actors_in(d, h, lex, allow_unresolved=False)]
            if got:
                return got
    if low in PRONOUNS or low in ("its", "their", "his", "her", "our"):
        if st.speaker_head is not None:
            if parties and _group_reference(d, st.speaker_head, lex):
                return list(parties)
            got = actors_in(d, st.speaker_head, lex, allow_unresolved=True)
            if got:
                return got
        if low in ("he", "she", "him", "his", "her"):
            person = _person_before(d, head)
            if person is not None:
                return [person]
        if low in ("it", "its"):  # "it" is never a person ("the US also condemned it": the attack)
            return [r for r in prev_subjects if r.kind != "person"]
        if low in ("he", "she", "his", "her"):
            return [r for r in prev_subjects if r.kind not in ("state", "group", "igo")]
        if low in ("they", "we", "their", "them"):  # "Police fired tear gas to disperse them": the crowd told before
            return list(prev_subjects)
    return []


def _person_before(d: Doc, head: int) -> ActorRef | None:
    """"he", "she": the latest named person before the pronoun, in its sentence or the two before it; a main
    clause's subject pronoun refers first to the person the sentence before is about, its main clause's subject
    ("Guterres said Assad had agreed ... He welcomed the decision": Guterres, not Assad)."""
    si = d.sent_of[head]
    best = _main_subject_person(d, si - 1) if si > 0 and _main_clause_subject(d, head) else None
    if best is not None:
        ref = actor_ref(best)
        ref.text = d.tokens[head].text
        return ref
    for am in d.ann.actors:
        if am.token_start >= head:
            break
        if am.actor.kind == "person" and am.actor.id and si - 2 <= d.sent_of[am.token_start] <= si:
            best = am
    if best is None:
        return None
    ref = actor_ref(best)
    ref.text = d.tokens[head].text
    return ref


def _main_clause_subject(d: Doc, k: int) -> bool:
    t = d.tokens[k]
    return t.dep in ("nsubj", "nsubjpass") and d.tokens[t.head].head == t.head


def _main_subject_person(d: Doc, si: int) -> ActorMention | None:
    """The named person (an actor mention) that is the main clause's subject of sentence `si`, if any."""
    sent = d.ann.sentences[si]
    for k in range(sent.token_start, min(sent.token_end, len(d.tokens))):
        if not _main_clause_subject(d, k):
            continue
        for ai in d.actor_by_token.get(k, []):
            am = d.ann.actors[ai]
            if am.actor.kind == "person" and am.actor.id:
                return am
        return None
    return None


def _group_reference(d: Doc, h: int, lex: Lexicon) -> bool:
    """"both sides", "the two governments", "the delegations", "the parties": a plural reference to the
    parties of an event already reported (not when the phrase names its own actor: "the Afghan delegation")."""
    t = d.tokens[h]
    if t.lemma.lower() not in lex.group_reference:
        return False
    kids = d.children.get(h, [])
    if any(d.tokens[c].text.lower() in ("both", "two", "each") for c in kids):
        return True
    if t.tag != "NNS" or not any(d.tokens[c].dep == "det" and d.tokens[c].text.lower() == "the" for c in kids):
        return False
    own = [k for k in np_tokens(d, h, keep_of=True) if k in d.actor_by_token]
    return all(k == h and t.pos == "NOUN" for k in own)  # "the delegations" alone names no one in particular


def _owners(d: Doc, h: int) -> list[int]:
    """Whose people a phrase names: its possessor ("the two countries' ministers") or the object of its "of" or
    "from" ("commanders from both sides", "leaders of the two countries")."""
    out = []
    for c in d.children.get(h, []):
        t = d.tokens[c]
        if t.dep == "poss":
            out.append(c)
        elif t.dep == "prep" and t.lemma.lower() in ("of", "from"):
            out += [p for p in d.children.get(c, []) if d.tokens[p].dep == "pobj"]
    return out


def fill_actors(d: Doc, heads: list[int], st: StatusInfo, prev: list[ActorRef], lex: Lexicon,
          parties: list[ActorRef] | None = None, media: bool = False) -> list[ActorRef]:
    """The actors the phrases at `heads` name (pronouns resolved, "both sides" as the event's parties); media
    only where `media` (recipients)."""
    out: list[ActorRef] = []
    for h in heads:
        t = d.tokens[h]
        if parties and (_group_reference(d, h, lex) or any(_group_reference(d, c, lex) for c in _owners(d, h))):
            # "both sides", "the delegations", "the two countries' foreign ministers", "commanders from both
            # sides": the parties of the two-party event
            out += parties
            continue
        if t.lemma.lower() in lex.anaphoric_groups and any(  # "the group", "these groups": the ones named before
                d.tokens[c].dep == "det" and d.tokens[c].text.lower() in ANAPHORIC_DETS for c in d.children.get(h, [])) and \
                not any(k in d.actor_by_token and d.ann.actors[d.actor_by_token[k][0]].actor.kind == "group"
                        for k in range(h - 3, h + 1) if k >= 0):
            groups = [r for r in prev if r.kind == "group"]
            if groups:
                out += groups  # "The group issued an ultimatum": the group named before
                continue
        if d.tokens[h].pos == "PRON" or d.tokens[h].text.lower() in REL_PRONOUNS:
            out += _resolve_pronoun(d, h, st, prev, lex, parties)
        elif capitalised_event_noun(d, h, lex):
            continue  # an act, not an actor
        else:
            pron = None
            if any(d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON" for c in d.children.get(h, [])):
                pron = [p for c in d.children.get(h, []) if d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON"
                        for p in _resolve_pronoun(d, c, st, prev, lex)]
            # a modifier ("Pakistani strikes", "border fighting") names an actor only when it is a known one
            strict = d.tokens[h].dep in ("compound", "amod", "nmod")
            out += actors_in(d, h, lex, allow_unresolved=not strict, poss_pron=pron or None, media=media)
    return dedupe(out)


def sentence_subject(lex: Lexicon, d: Doc, rng: range) -> list[ActorRef]:
    for k in rng:
        t = d.tokens[k]
        if t.dep in ("nsubj", "nsubjpass") and t.pos in ("PROPN", "NOUN"):
            got = actors_in(d, k, lex, allow_unresolved=False)
            if got:
                return got
    return []
