"""Mediators of an event: the party that brings the sides together without being one of them.

Found from the parse with the words of `data/mediators.yaml` (and lexicon.yaml's `mediator` lists):

* a participle's agent: "a truce brokered by X", "talks mediated by X", "an exchange facilitated by X";
* a noun of mediation introduced by a preposition: "under the auspices of X", "with the help of X", "through
  X's mediation", "under Saudi mediation", "following Qatari and Egyptian mediation", "mediation by X";
* the subject of a mediating verb when the event names its two sides: "X brokered a deal between A and B";
* the host of talks between two other parties: "X hosted talks between A and B", "talks hosted by X" (talks
  "with" the host, or a host that is one of the sides, make the host a party);
* a role noun in the sentence: "X has been the mediator between A and B", "X, the main mediator between A and
  B, ...", "X acted as a facilitator in the talks between A and B": X mediates the sentence's events it would
  otherwise be a party of, and A and B are their sides.

`mediators_near` gives the mediator heads attached to a trigger; `assign_mediators` moves a mediating subject
or host out of the sides (called at the end of `roles.role_heads`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsline.code.doc import Doc, subtree
from newsline.code.lexicon import Lexicon
from newsline.knowledge import parse_yaml


@dataclass(frozen=True, slots=True)
class MediatorWords:
    verbs: frozenset[str]
    host_verbs: frozenset[str]
    nouns: frozenset[str]  # single nouns
    modified_nouns: frozenset[tuple[str, str]]  # (modifier, noun): "good offices"
    prepositions: frozenset[str]
    role_nouns: frozenset[str]
    as_verbs: frozenset[str]
    role_carriers: frozenset[str]  # "played the role of mediator", "a mediating role"
    role_modifiers: frozenset[str]
    mediated_types: frozenset[str]  # events a role sentence without an event of its own mediates
    other_occasions: frozenset[str]  # "in other conflicts", "has long served as": a role of other times


@lru_cache(maxsize=1)
def _yaml() -> dict:
    return parse_yaml(Path(str(resources.files("newsline") / "data" / "mediators.yaml")).read_text(
        encoding="utf-8")) or {}


_WORDS: dict[int, MediatorWords] = {}


def mediator_words(lex: Lexicon) -> MediatorWords:
    got = _WORDS.get(id(lex))
    if got is not None:
        return got
    raw = _yaml()

    def fs(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key) or [])

    nouns = fs("nouns") | lex.mediator_nouns
    pairs = frozenset(tuple(n.split()[:2]) for n in nouns if len(n.split()) == 2)
    hosts = fs("host_verbs")
    got = MediatorWords((fs("verbs") | lex.mediator_verbs) - hosts, hosts,
                        frozenset(n for n in nouns if " " not in n), pairs, fs("prepositions"), fs("role_nouns"),
                        fs("as_verbs"), fs("role_carriers"), fs("role_modifiers"),
                        frozenset(str(t) for t in raw.get("mediated_types") or []), fs("other_occasions"))
    _WORDS.clear()  # one lexicon per process in practice
    _WORDS[id(lex)] = got
    return got


def _pobj(d: Doc, p: int) -> list[int]:
    return [q for q in d.children.get(p, []) if d.tokens[q].dep == "pobj"]


def _with_conjuncts(d: Doc, heads: list[int]) -> list[int]:
    out, stack = [], list(heads)
    while stack:
        h = stack.pop()
        if h in out:
            continue
        out.append(h)
        stack += [c for c in d.children.get(h, []) if d.tokens[c].dep == "conj"]
    return sorted(out)


def _is_mediation_noun(d: Doc, k: int, mw: MediatorWords) -> bool:
    t = d.tokens[k]
    lemma = t.lemma.lower()
    if lemma in mw.nouns or t.text.lower() in mw.nouns:
        return True
    mods = {d.tokens[c].lemma.lower() for c in d.children.get(k, []) if d.tokens[c].dep in ("amod", "compound")}
    return any(m in mods and n in (lemma, t.text.lower()) for m, n in mw.modified_nouns)


def _noun_mediators(d: Doc, k: int) -> list[int]:
    """The mediator named by a noun of mediation: "of X", "by X", "X's", "Saudi" (a state adjective)."""
    toks, out = d.tokens, []
    for p in d.children.get(k, []):
        if toks[p].dep == "prep" and toks[p].lemma.lower() in ("of", "by"):
            out += _pobj(d, p)
        elif toks[p].dep == "poss":
            out.append(p)
        elif toks[p].dep in ("amod", "compound", "nmod") and p in d.actor_by_token:
            out.append(p)  # "under Saudi mediation", "following Qatari and Egyptian mediation"
    return _with_conjuncts(d, out)


def mediators_near(d: Doc, i: int, lex: Lexicon) -> list[int]:
    """Mediator NP heads attached to trigger i: "mediated by X", "brokered by X", "with the help of X",
    "under the auspices of X", "thanks to the mediation of X", "under Saudi mediation"."""
    toks, ch = d.tokens, d.children
    mw = mediator_words(lex)
    out: list[int] = []
    stack = list(ch.get(i, []))
    visited, via = set(), set()  # via: the prepositions walked ("under", "with", "following", "thanks to")
    while stack:
        c = stack.pop()
        if c in visited:
            continue
        visited.add(c)
        t = toks[c]
        lemma = t.lemma.lower()
        if t.pos == "VERB" and lemma in mw.verbs | mw.host_verbs and t.dep in ("acl", "relcl", "advcl", "conj"):
            for a in ch.get(c, []):
                if toks[a].dep == "agent":
                    out += _with_conjuncts(d, _pobj(d, a))
        elif t.pos in ("NOUN", "PROPN") and _is_mediation_noun(d, c, mw) and (t.head in via or t.dep == "pobj"):
            out += _noun_mediators(d, c)
        elif (t.dep in ("prep", "advmod", "pcomp", "npadvmod") or t.dep == "advcl" and t.tag == "VBG") and (
                lemma in mw.prepositions or t.text.lower() in mw.prepositions):
            via.add(c)  # "following Qatari mediation" is parsed as a participle with its object
            stack += ch.get(c, [])
        elif t.dep == "prep" and t.head == i:
            # "swapped detainees in an exchange facilitated by X": the phrase's noun restates the event, its
            # mediating participle names the event's mediator (the pobj step below reads it)
            stack += [x for x in ch.get(c, []) if toks[x].dep == "pobj"]
        elif t.dep == "pobj":
            stack += [x for x in ch.get(c, []) if toks[x].dep in ("acl", "relcl")]
        elif t.dep in ("dobj", "nsubjpass", "nsubj") and t.head == i:
            # "released a hostage following Egyptian mediation", "X, with the help of Y, reached a deal": the
            # phrase hung from the object or the subject
            stack += [x for x in ch.get(c, []) if toks[x].dep == "prep" and (
                toks[x].lemma.lower() in mw.prepositions or toks[x].text.lower() in mw.prepositions)]
    return out or _later_participle(d, i, mw)


def _later_participle(d: Doc, i: int, mw: MediatorWords) -> list[int]:
    """"the presence of X in Kabul for talks with the TTP mediated by Y", parsed with "mediated" on "presence":
    a mediating participle right after an event noun, hung from a noun that noun's phrase hangs from, is the
    event's."""
    toks = d.tokens
    if toks[i].pos != "NOUN":
        return []
    cur = i
    for _ in range(2):
        if toks[cur].dep not in ("pobj", "prep") or toks[cur].head == cur:
            break
        cur = toks[cur].head
        for c in d.children.get(cur, []):
            if c > i and toks[c].dep == "acl" and toks[c].lemma.lower() in mw.verbs:
                return _with_conjuncts(d, [q for a in d.children.get(c, []) if toks[a].dep == "agent"
                                           for q in _pobj(d, a)])
    return []


def _between(d: Doc, k: int) -> list[int]:
    """The sides a noun or verb names with "between A and B" (also through "of the talks between A and B")."""
    toks = d.tokens
    for p in d.children.get(k, []):
        if toks[p].dep == "prep" and toks[p].lemma.lower() in ("between", "among"):
            return _with_conjuncts(d, _pobj(d, p))
    for p in d.children.get(k, []):
        if toks[p].dep == "prep" and toks[p].lemma.lower() in ("of", "in", "for"):
            for q in _pobj(d, p):
                got = _between(d, q)
                if got:
                    return got
    return []


def _subjects(d: Doc, v: int) -> list[int]:
    """The subject of verb v, or of the verb it completes: "Qatar is thought to have played the role of ..."."""
    toks = d.tokens
    for _ in range(2):
        got = [c for c in d.children.get(v, []) if toks[c].dep in ("nsubj", "nsubjpass")]
        if got or toks[v].dep not in ("xcomp", "ccomp") or toks[v].head == v:
            return got
        v = toks[v].head
    return []


def _for_parties(d: Doc, k: int) -> list[int]:
    """The parties a role noun serves with "for": "the go-between for Israel and Hamas" (not "for the talks")."""
    for p in d.children.get(k, []):
        if d.tokens[p].dep == "prep" and d.tokens[p].lemma.lower() == "for":
            heads = _with_conjuncts(d, _pobj(d, p))
            if _actor_keys(d, heads):
                return heads
    return []


def _carried(d: Doc, k: int, mw: MediatorWords) -> int:
    """The verb whose object role noun k is ("played a key role as ..."), else k."""
    t = d.tokens[k]
    return t.head if t.lemma.lower() in mw.role_carriers and t.dep == "dobj" else k


def _is_role_noun(d: Doc, k: int, mw: MediatorWords) -> bool:
    """A noun that names the mediator's role: "mediator", "go-between", or a carrier with a mediating modifier
    ("a mediating role")."""
    toks = d.tokens
    word = toks[k].text.lower()
    if k >= 2 and toks[k - 1].text == "-":
        word = f"{toks[k - 2].text.lower()}-{word}"  # "go-between" tokenized as three words
    if toks[k].lemma.lower() in mw.role_nouns or word in mw.role_nouns:
        return True
    return toks[k].lemma.lower() in mw.role_carriers and any(
        toks[c].dep in ("amod", "compound") and (toks[c].text.lower() in mw.role_modifiers
                                                 or toks[c].lemma.lower() in mw.role_modifiers)
        for c in d.children.get(k, []))


def role_frames(d: Doc, rng: range, lex: Lexicon) -> list[tuple[list[int], list[int], int]]:
    """(mediator heads, side heads, the role noun) of the role nouns of a sentence: "X has been the mediator between A and B",
    "X, the main mediator between A and B", "X acted as a facilitator in the talks between A and B", "X played the
    role of mediator", "X is believed to have played a mediating role", "X played a key role as a go-between".
    Found once per sentence (`Doc.memo`); each caller gets lists of its own to change."""
    key = ("role_frames", rng.start, rng.stop)
    frames = d.memo.get(key)
    if frames is None:
        frames = d.memo[key] = _role_frames(d, rng, lex)
    return [(list(med), list(sides), k) for med, sides, k in frames]


def _role_frames(d: Doc, rng: range, lex: Lexicon) -> list[tuple[list[int], list[int], int]]:
    toks = d.tokens
    mw = mediator_words(lex)
    out = []
    for k in rng:
        if k >= len(toks) or not _is_role_noun(d, k, mw):
            continue
        t, med = toks[k], []
        up = toks[t.head]
        if t.dep == "attr":  # "X has been the mediator"
            med = [c for c in d.children.get(t.head, []) if toks[c].dep in ("nsubj", "nsubjpass")]
        elif t.dep == "appos":  # "X, the main mediator between A and B, ..."
            med = [t.head]
        elif t.dep == "pobj" and up.lemma.lower() == "as" and toks[_carried(d, up.head, mw)].lemma.lower() in \
                mw.as_verbs:
            med = _subjects(d, _carried(d, up.head, mw))  # "X acted as a facilitator", "X played a role as a go-between"
        elif t.dep == "pobj" and up.lemma.lower() == "of" and toks[up.head].lemma.lower() in mw.role_carriers \
                and toks[up.head].dep == "dobj":
            med = _subjects(d, toks[up.head].head)  # "X played the role of mediator"
        elif t.dep == "dobj" and t.lemma.lower() in mw.role_carriers:
            med = _subjects(d, t.head)  # "X played a mediating role"
        if not med:
            continue
        sides = _between(d, k) or _for_parties(d, k)
        if not sides and t.dep == "pobj":
            sides = _between(d, toks[toks[t.head].head].i)
        out.append((_with_conjuncts(d, med), sides, k))
    return out


def neighbour_mediators(d: Doc, i: int, r, lex: Lexicon) -> list[int]:
    """"Pakistan and the TTP held talks in Kabul. Qatar is thought to have played the role of mediator.": a role
    sentence right before or after the event's, with no event of its own, names the event's mediator (not one of
    its sides; the sides the role sentence names, if any, must be the event's)."""
    from newsline.code.triggers import find_triggers  # the trigger finder reads the lexicon; imported on use

    mw = mediator_words(lex)
    sents = d.ann.sentences
    if not sents or i >= len(d.sent_of):
        return []
    si = d.sent_of[i]
    own = _actor_keys(d, r.actor + r.all_actor + r.recipient)
    out: list[int] = []
    for sj in (si - 1, si + 1):
        if not 0 <= sj < len(sents):
            continue
        rng = range(sents[sj].token_start, min(sents[sj].token_end, len(d.tokens)))
        frames = role_frames(d, rng, lex)
        if not frames or find_triggers(d, lex, rng) or any(
                d.tokens[k].lemma.lower() in mw.other_occasions or d.tokens[k].text.lower() in mw.other_occasions
                for k in rng):
            continue  # a role sentence with an event of its own mediates that event; one of other times, none
        for med, sides, _ in frames:
            keys, named = _actor_keys(d, med), _actor_keys(d, sides)  # "between the two sides" names none
            if not keys or keys & own or (named and not named & own):
                continue
            out += [h for h in med if h not in out]
    return out


def _under(d: Doc, i: int, k: int, depth: int = 5) -> bool:
    """Is token i inside the phrase of token k (at most `depth` steps down)?"""
    cur, hops = i, 0
    while cur != k and d.tokens[cur].head != cur and hops < depth:
        cur, hops = d.tokens[cur].head, hops + 1
    return cur == k


def _actor_keys(d: Doc, heads: list[int]) -> set:
    keys = set()
    for h in heads:
        for ai in d.actor_by_token.get(h, []):
            a = d.ann.actors[ai].actor
            keys.add(a.id or a.text)
    return keys


def assign_mediators(d: Doc, i: int, noun: bool, event_type: str, r, lex: Lexicon, rng: range) -> None:
    """Move a mediating subject, a third-party host or a party named a mediator by the sentence from the sides
    of trigger i's roles `r` (a `roles.Roles`) to its mediators; the sides then are the "between" parties."""
    toks = d.tokens
    mw = mediator_words(lex)
    lemma = toks[i].lemma.lower()
    kids = d.children.get(i, [])
    # the sides named with "between", on the verb or its object ("mediated talks between A and B")
    sides = r.all_actor or _between(d, i) or next((got for c in kids if toks[c].dep in ("dobj", "nsubjpass")
                                                   for got in [_between(d, c)] if got), [])
    if not noun and lemma in mw.verbs and sides:
        # "Norway brokered a deal between A and B": the subject mediates; the parties are the "between" phrase
        r.mediator += r.actor
        r.actor = []
    elif not noun and lemma in mw.host_verbs and event_type == "CONSULT":
        host = [c for c in kids if toks[c].dep == "nsubj"] or [
            q for a in kids if toks[a].dep == "agent" for q in _pobj(d, a)]
        named = _actor_keys(d, [k for h in sides for k in subtree(d, h, set())])
        if (len(sides) >= 2 or len(named) >= 2) and host and not (_actor_keys(d, host) & named):
            # "Egypt hosted talks between Israel and Hamas", "talks between A and B were hosted by Qatar": a third
            # party hosting the two sides mediates
            r.mediator += _with_conjuncts(d, host)
            r.actor, r.all_actor, r.recipient = sides, [], []
    frames = role_frames(d, rng, lex)
    for med, sides, role in frames:
        if _under(d, i, role):
            # "X is the mediator of the talks between A and B", "X acted as a facilitator in the talks"
            r.mediator += [h for h in med if h not in r.mediator]
        keys = _actor_keys(d, med)
        held = [h for h in r.actor + r.all_actor + r.recipient if h in med or keys and _actor_keys(d, [h]) <= keys
                and _actor_keys(d, [h])]
        if not held and sides and not (r.actor or r.all_actor or r.recipient) and role != i and \
                _under(d, i, toks[role].head, depth=6):
            # "X has been the mediator between A and B, bringing the two sides together to engage in talks": the
            # talks of the mediator's clause are between its sides
            r.mediator += [h for h in med if h not in r.mediator]
            r.all_actor = list(sides)
            continue
        if not held:
            continue
        r.mediator += [h for h in med if h not in r.mediator]
        r.actor = [h for h in r.actor if h not in held]
        r.all_actor = [h for h in r.all_actor if h not in held]
        r.recipient = [h for h in r.recipient if h not in held]
        if sides and not r.actor and not r.all_actor:
            r.all_actor = list(sides)  # "X has been the mediator between A and B, bringing the two sides together"
            r.recipient = [h for h in r.recipient if h not in sides]
    if not r.mediator and event_type in mw.mediated_types:
        r.mediator += neighbour_mediators(d, i, r, lex)
