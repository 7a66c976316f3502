"""Noun phrases and the actors they name: the phrase's tokens, its conjuncts, the resolved actor mentions in it,
unresolved agents ("gunmen", "protesters"), a surname standing for the person named before; actor-reference
helpers (side of a dyad, dedupe, keys)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from newsline.code.doc import Doc
from newsline.code.lexicon import Lexicon
from newsline.records import (
    ActorMention,
    ActorRef,
)

MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
NAMED_KINDS = frozenset({"person", "group", "igo", "state"})  # a phrase headed by one of these names its party


def np_tokens(d: Doc, head: int, keep_of: bool = True, appos: bool = True) -> list[int]:
    """Tokens of the noun phrase headed by `head`, without clauses, coordinated phrases and prepositional
    phrases other than "of" (and without the head's appositions when `appos` is False)."""
    toks, ch = d.tokens, d.children
    out, stack = [], [head]
    while stack:
        h = stack.pop()
        out.append(h)
        for c in ch.get(h, []):
            dep = toks[c].dep
            if dep in ("relcl", "acl", "advcl", "ccomp", "punct", "parataxis"):
                continue
            if dep == "appos" and not appos and h == head:
                continue
            if dep in ("conj", "cc") and h == head:
                continue
            if dep == "prep" and not (keep_of and toks[c].lemma.lower() == "of"):
                continue
            stack.append(c)
    return out


def conjuncts(d: Doc, head: int) -> list[int]:
    out, stack = [], [head]
    while stack:
        h = stack.pop()
        out.append(h)
        stack += [c for c in d.children.get(h, []) if d.tokens[c].dep == "conj" and d.tokens[c].pos in ("NOUN", "PROPN", "PRON", "ADJ")]
    return sorted(out)


def actor_ref(am: ActorMention) -> ActorRef:
    r = replace(am.actor)
    if not r.text:
        r.text = am.text
    return r


def _unresolved(d: Doc, head: int, lex: Lexicon, recipient: bool = False) -> ActorRef | None:
    """A party the dictionary does not know, named by a proper noun or a common noun for people ("protesters"),
    or, as a recipient, for people or bodies (`party_nouns`: "the election commission", "allies")."""
    t = d.tokens[head]
    lemma = t.lemma.lower()
    if lemma in lex.numbers or t.pos == "NUM" or lemma in ("number", "group", "hundred", "thousand", "dozen"):
        # "dozens of protesters", "a group of students"
        for c in d.children.get(head, []):
            if d.tokens[c].dep == "prep" and d.tokens[c].lemma.lower() == "of":
                for p in d.children.get(c, []):
                    if d.tokens[p].dep == "pobj":
                        return _unresolved(d, p, lex, recipient)
    if head in d.time_tokens or t.ent_type in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                                               "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"):
        return None
    if t.pos == "NOUN" and recipient and not (lemma in lex.agent_nouns or t.text.lower() in lex.agent_nouns) and (
            any(d.tokens[c].dep == "appos" for c in d.children.get(head, [])) or _name_follows(d, head)):
        return None  # "its rival, the RSF", "the state airline Belavia": the name that follows is the party
    if t.pos == "PROPN" and not t.ent_type and any(lex.candidates(w, "noun") for w in _noun_forms(t.text.lower())):
        return None  # a title-case headline's event noun ("Warring Sides Agree to Talks"), no name
    nouns = (lex.agent_nouns, lex.party_nouns) if recipient else (lex.agent_nouns,)
    if t.pos == "PROPN" or (t.pos == "NOUN" and any(lemma in n or t.text.lower() in n for n in nouns)):
        ids = [k for k in np_tokens(d, head, keep_of=False) if d.tokens[k].dep not in ("det", "poss", "case", "nummod", "quantmod", "advmod")]
        ids = [k for k in ids if d.tokens[k].pos != "NUM"]
        if not ids:
            return None
        # the head and its compound/adjective modifiers right before it
        lo = head
        while lo - 1 in ids and d.tokens[lo - 1].dep in ("compound", "amod") and d.tokens[lo - 1].pos in ("PROPN", "NOUN", "ADJ"):
            lo -= 1
        hi = head
        while hi + 1 in ids and d.tokens[hi + 1].dep in ("compound", "flat") and d.tokens[hi + 1].pos == "PROPN":
            hi += 1
        name = d.text[d.tokens[lo].idx: d.tokens[hi].idx + len(d.tokens[hi].text)]
        text = _phrase_text(d, head)
        return ActorRef(id=None, name=name, text=text, kind="unresolved")
    return None


ARTICLES = frozenset({"a", "an", "the"})


def _phrase_text(d: Doc, head: int) -> str:
    """The words of the text that name an unresolved party: its noun phrase with its "of" complement ("members of
    the Association of African Jurists"), without a leading article, its count ("nearly 2,000"), appositions or
    clauses."""
    ids = np_tokens(d, head, keep_of=True, appos=False)
    counts = {k for k in ids if d.tokens[k].dep in ("nummod", "quantmod") and d.tokens[k].head == head}
    ids = sorted(k for k in ids if not _under(d, k, counts))
    while ids and (d.tokens[ids[0]].text.lower() in ARTICLES or d.tokens[ids[0]].pos == "PUNCT"):
        ids = ids[1:]
    while ids and d.tokens[ids[-1]].pos == "PUNCT":
        ids = ids[:-1]
    if not ids:
        return d.tokens[head].text
    lo, hi = ids[0], ids[-1]
    return d.text[d.tokens[lo].idx: d.tokens[hi].idx + len(d.tokens[hi].text)]


def _under(d: Doc, k: int, tops: set[int]) -> bool:
    for _ in range(6):
        if k in tops:
            return True
        if d.tokens[k].head == k:
            return False
        k = d.tokens[k].head
    return False


def _noun_forms(word: str) -> set[str]:
    """A word and its singular forms ("talks": "talk"), to look a capitalised word up as a noun."""
    out = {word}
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    if word.endswith("es"):
        out.add(word[:-2])
    if word.endswith("s"):
        out.add(word[:-1])
    return out


def _name_follows(d: Doc, head: int) -> bool:
    """A proper name right after the noun, or after its comma ("the state airline Belavia", "its rival, the
    paramilitary Rapid Support Forces", however the parser attaches it)."""
    n = len(d.tokens)
    k = head + 1
    if k < n and d.tokens[k].text == ",":
        k += 1
        while k < n and k <= head + 4 and d.tokens[k].pos in ("DET", "ADJ"):
            k += 1
    return k < n and d.tokens[k].pos == "PROPN"


def actors_in(d: Doc, head: int, lex: Lexicon, allow_unresolved: bool = True,
               poss_pron: list[ActorRef] | None = None, media: bool = False,
               party: bool | None = None) -> list[ActorRef]:
    """Actors named by the noun phrase(s) headed by `head` (with its conjuncts). Media name no actor unless
    `media` (a recipient: "troops arrested three journalists"; as a subject they attribute: "state media said"),
    and only a recipient (`party`, by default as `media`) may be a party the dictionary does not know named by a
    `party_nouns` noun."""
    out: list[ActorRef] = []
    for h in conjuncts(d, head):
        if h in d.time_tokens:
            continue
        # an apposition describes a party its head names, it is not another one ("Hezbollah, Iran's main ally in
        # Lebanon"), unless it names the person ("Russia's foreign minister, Sergei Lavrov"); where the head is a
        # common noun ("Somalia's Islamist group al Shabaab") the apposition says who it is
        ids = set(np_tokens(d, h, appos=False))
        found = _mentions_in(d, h, ids, media)
        if any(d.tokens[c].dep == "appos" for c in d.children.get(h, [])):
            full = set(np_tokens(d, h))
            whole = _mentions_in(d, h, full, media)
            if any(h in range(am.token_start, am.token_end) and am.actor.kind in NAMED_KINDS for am in found):
                if not any(am.actor.kind == "person" for am in found):
                    # ("Alex Saab, a close ally of President Maduro": a person's apposition names no one else)
                    found += [am for am in whole if am.actor.kind == "person" and am not in found]
            else:
                ids, found = full, whole
        # keep maximal mentions; a person or agency wins over its own state named in the same phrase
        found = [a for a in found if not any(b is not a and b.token_start <= a.token_start and a.token_end <= b.token_end
                                             and (b.token_end - b.token_start) > (a.token_end - a.token_start) for b in found)]
        specific = [a for a in found if a.actor.kind in ("person", "agent", "group", "igo")]
        if specific:
            found = [a for a in found if a.actor.kind != "state" or not any(
                s.actor.country and s.actor.country == a.actor.country for s in specific)]
        if found and poss_pron and all(a.actor.kind in ("agent", "unresolved") and not a.actor.country for a in found):
            out += poss_pron  # "its troops": the actor the pronoun stands for
        elif found:
            refs = [actor_ref(a) for a in found]
            if len(found) == 1:
                # the words that name the party are the phrase's head with its modifiers, not the adjective
                # alone ("two Iraqi youths"): PLV-train's spans are such phrases
                refs[0].text = _core_text(d, h, ids, found[0]) or refs[0].text
            out += refs
        elif poss_pron is not None and any(d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON"
                                           for c in d.children.get(h, [])):
            out += poss_pron  # "its troops": the actor the pronoun stands for
        elif allow_unresolved:
            u = _unresolved(d, h, lex, recipient=media if party is None else party)
            if u is not None:
                out.append(_named_before(d, h, u))
    return out


def _mentions_in(d: Doc, h: int, ids: set[int], media: bool = False) -> list[ActorMention]:
    """The actor mentions inside the phrase `ids` headed by `h` (or covering its head), media left out unless
    `media`."""
    found: list[ActorMention] = []
    seen = set()
    for k in sorted(ids):
        for ai in d.actor_by_token.get(k, []):
            if ai in seen:
                continue
            am = d.ann.actors[ai]
            if all(x in ids for x in range(am.token_start, am.token_end)) or h in range(am.token_start, am.token_end):
                seen.add(ai)
                found.append(am)
    return found if media else [am for am in found if am.actor.kind != "media"]


def _core_text(d: Doc, head: int, ids: set[int], am: ActorMention) -> str | None:
    """The words naming a phrase's one actor: its head noun with the named or noun modifiers right before it
    ("two Iraqi youths", "Shona rebels", "Serb forces"), when the actor mention is among them or is the head
    itself; None otherwise (an actor in an "of" phrase: "part of a Karen stronghold")."""
    toks = d.tokens
    if toks[head].pos not in ("NOUN", "PROPN") or am.token_start > head:
        return None
    lo = head
    while lo - 1 in ids and toks[lo - 1].dep in MODIFIER_DEPS and (
            toks[lo - 1].pos in ("PROPN", "NOUN") or toks[lo - 1].ent_type):
        lo -= 1  # named or noun modifiers only: "Shona rebels", not "angry farmers"
    if lo > am.token_start:
        return None
    end = max(head, am.token_end - 1)
    return d.text[toks[lo].idx: toks[end].idx + len(toks[end].text)]


def _named_before(d: Doc, head: int, u: ActorRef) -> ActorRef:
    """A bare surname ("Ruto said") stands for the person named in full earlier in the article ("William Ruto"):
    the latest resolved person mention before `head` whose name ends with the same word(s)."""
    name = (u.name or "").strip()
    if not name or d.tokens[head].pos != "PROPN" or " " in name and len(name.split()) > 2:
        return u
    low = name.lower()
    best = None
    for am in d.ann.actors:
        if am.token_start >= head:
            break
        if am.actor.kind != "person" or not am.actor.id:
            continue
        full = (am.actor.person or am.actor.name or am.text or "").lower()
        if full != low and (full.endswith(" " + low) or am.text.lower().endswith(" " + low)):
            best = am
    if best is None:
        return u
    ref = actor_ref(best)
    ref.text = u.text
    return ref


def side(r: ActorRef) -> str:
    """The side an actor stands on in a dyad: its country, with armed non-state groups apart from the state."""
    rebel = r.sector == "REB" or r.kind == "group" and r.sector not in ("GOV", "MIL", "COP", "SPY", None)
    return f"{r.country or r.id or r.name}{'/REB' if rebel else ''}"


def dedupe(refs: Iterable[ActorRef]) -> list[ActorRef]:
    out, seen = [], set()
    for r in refs:
        key = r.id or (r.name or r.text).lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def actor_keys(refs: list[ActorRef]) -> set[str]:
    return {(r.id or r.name or r.text or "").lower() for r in refs if (r.id or r.name or r.text)}
