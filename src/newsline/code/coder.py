"""The event coder: AnnotatedArticle -> list[EventMention] (PLOVER).

Works only on the flat records of `newsline.records` (tokens with dependency heads, sentences, actor,
time and place mentions), so it runs in any process without spaCy. Steps per article:

1. find triggers: verbs, nouns and multiword expressions of the lexicon (`data/lexicon.yaml`);
2. let governing triggers absorb their complements ("urged X to release prisoners" is one REQUEST,
   "agreed to a ceasefire" one CONCEDE, "held talks" one CONSULT);
3. fill roles from the dependency parse and the resolved actors: actor (subject, agent, "by", possessive,
   "between"), recipient (object, passive subject, "with", "against", "to", "on"), mediator ("mediated by",
   "with the help of", "under the mediation of", "brokered by");
4. status and attribution (`status.py`), date from the event's own time expression, else the sentence,
   else the paragraph, else the lede; place from the event's own place phrase; size (`size.py`);
5. merge the mentions of one event within the article (a lede and its retelling), keep distinct events apart,
   drop actorless, negated, background and headline events.

Secondary events told inside another report get mentions of their own: fighting told through its noun or
its means of war ("clashes on the night of X killed ...", "air strikes hit ...": the conflict's two sides), a
repelled attack (by the other side), strikes carried out on one side's positions, a document produced by talks
(AGREE), evidence of hostile acts from another state (ACCUSE), a truce extended later (undated unless its own
time is given), the stages of a multi-stage exchange (each with its own day; the whole spans them). An event in
a measured "a day after" clause is dated from the clause it hangs from; a past act is not dated by a later time
of its complement ("had suggested a summit by mid-June").
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date as _day
from datetime import timedelta

from newsline.code.lexicon import Lexicon, TriggerEntry, lexicon
from newsline.code.ontology import Ontology, ontology
from newsline.code.size import merge_size, size_from_tokens
from newsline.code.status import StatusInfo, according_to, is_negated, status_of
from newsline.records import (
    ActorMention,
    ActorRef,
    AnnotatedArticle,
    EventMention,
    Evidence,
    Place,
    Size,
    TimeExpression,
    Token,
)

log = logging.getLogger(__name__)

try:  # the annotate stage's dated-role coding (pure records, no spaCy)
    from newsline.annotate.actors import code_actor_on as _code_actor_on
except ImportError:  # pragma: no cover - annotate stage absent
    def _code_actor_on(mention: ActorMention, date: str | None) -> ActorRef:
        ref = replace(mention.actor)
        for role in mention.roles:
            start, end = role.get("start") or "0000", role.get("end") or "9999"
            if str(start) <= str(date) <= str(end):
                ref.role = role.get("role", ref.role)
                ref.sector = role.get("sector", ref.sector)
                ref.country = role.get("country", ref.country)
                break
        return ref

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN"}
# types whose trigger takes another event as its content: the embedded event is part of this one
ABSORBING = {"REQUEST", "THREATEN", "REJECT", "AGREE", "ACCUSE", "CONCEDE", "SUPPORT"}
COMP_DEPS = {"dobj", "obj", "attr", "oprd", "nsubjpass", "xcomp", "ccomp", "acomp", "dative", "pcomp"}
RECIPIENT_PREPS = {"with", "against", "to", "toward", "towards", "on", "at", "upon", "into", "onto"}
NOUN_RECIPIENT_PREPS = {"with", "against", "to", "toward", "towards", "on", "at", "upon", "into", "onto"}
ACTOR_PREPS = {"between", "among", "amongst"}
CONFLICT_TYPES = {"ASSAULT", "COERCE", "PROTEST", "SANCTION", "THREATEN", "ACCUSE", "REJECT"}
SUBJ_DEPS = {"nsubj", "csubj"}
REL_PRONOUNS = {"who", "which", "that", "whom"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "him", "her", "them", "us"}
LOC_PREPS = {"in", "at", "near", "outside", "inside", "across", "around", "along", "within", "off",
             "over", "throughout", "on"}
BACKGROUND_PREPS = {"after", "following", "amid", "since", "despite", "before", "wake", "ahead", "prior"}
DATELINE = re.compile(r"^([A-Z][A-Z .'-]{2,40}?)\s*(?:\([^)]{1,40}\))?\s*[:\u2014\u2013-]\s")
CONTRAST_MARKS = {"while", "whereas", "although", "though"}
REACTIONS = {"ACCUSE", "SUPPORT", "REJECT", "REQUEST"}
THREAT_MODES = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations", "PROTEST": "restrict",
                "MOBILIZE": "violence"}
DYADIC_TYPES = {"REQUEST", "REJECT", "ACCUSE", "THREATEN"}  # directed verbal acts: the target may be implicit
CONTENT_TYPES = {"REQUEST", "THREATEN", "REJECT", "AGREE"}  # types taking a (future) act as their content
AGREEMENT_FAMILY = {"AGREE", "CONCEDE", "SUPPORT"}  # "the agreement/deal/ceasefire/signing" refer to one another
SPEECH_ACTS = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "AGREE"}  # verbal acts: one per speaker
QUANTITY_NOUNS = {"one", "some", "series", "wave", "spate", "string", "barrage", "volley", "salvo", "number", "dozen",
                  "dozens", "hundred", "hundreds", "thousand", "thousands", "scores", "several", "any", "all", "most"}
MATERIAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "RETREAT", "AID"}  # acts done at a place
TEMPORAL_PREPS = {"after", "before", "during", "following", "amid", "ahead", "since", "at", "in"}


# --------------------------------------------------------------------------- per-article indexes
@dataclass(slots=True)
class _Doc:
    ann: AnnotatedArticle
    tokens: list[Token]
    children: dict[int, list[int]]
    sent_of: list[int]
    actor_by_token: dict[int, list[int]]
    text: str
    time_tokens: set[int] = field(default_factory=set)
    line_of: list[int] = field(default_factory=list)  # token -> line (paragraph) of the text
    instrument_verbs: frozenset[str] = frozenset()  # "used the parade to call on X": the object is no agent


def _index(ann: AnnotatedArticle) -> _Doc:
    text = ann.article.text
    toks = ann.tokens
    line_of, line, pos = [], 0, 0
    for t in toks:
        line += text.count("\n", pos, t.idx)
        pos = t.idx
        line_of.append(line)
    if any(t.head != t.i and 0 <= t.head < len(toks) and line_of[t.head] != line_of[t.i] for t in toks):
        # a parse that runs across a line break (a headline without a full stop) must not link two lines
        toks = [replace(t, head=t.i, dep="ROOT") if (t.head != t.i and line_of[t.head] != line_of[t.i]) else t
                for t in toks]
    toks = _rejoin_split_subjects(ann, toks, line_of)
    children: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t.i)
    sent_of = [0] * len(toks)
    for si, s in enumerate(ann.sentences):
        for k in range(s.token_start, min(s.token_end, len(toks))):
            sent_of[k] = si
    actor_by_token: dict[int, list[int]] = {}
    for ai, am in enumerate(ann.actors):
        for k in range(am.token_start, am.token_end):
            actor_by_token.setdefault(k, []).append(ai)
    time_tokens = {k for t in ann.times for k in range(t.token_start, t.token_end)}
    time_tokens |= {k for e in ann.entities if e.label in ("DATE", "TIME") for k in range(e.token_start, e.token_end)}
    return _Doc(ann, toks, children, sent_of, actor_by_token, text, time_tokens, line_of)


def _rejoin_split_subjects(ann: AnnotatedArticle, toks: list[Token], line_of: list[int]) -> list[Token]:
    """"Pakistan | and the Taliban have agreed ...": a sentence splitter that cut a coordinated subject after
    its first conjunct leaves a verbless noun phrase followed, on the same line, by a clause opening with "and".
    The noun phrase is re-attached as a conjunct of that clause's subject."""
    sents = ann.sentences
    fixed: dict[int, Token] = {}
    for a, b in zip(sents, sents[1:], strict=False):
        lo, hi = a.token_start, min(a.token_end, len(toks))
        if not (0 < hi - lo <= 8) or b.token_start >= len(toks) or b.token_start != hi:
            continue
        first = toks[b.token_start]
        if first.dep != "cc" or first.text.lower() not in ("and", "or") or line_of[lo] != line_of[first.i]:
            continue
        if any(t.pos in ("VERB", "AUX") or t.text in (".", "!", "?", ":") for t in toks[lo:hi]):
            continue
        verb = toks[first.head]
        subj = [t.i for t in toks[b.token_start:min(b.token_end, len(toks))]
                if t.head == verb.i and t.dep in ("nsubj", "nsubjpass") and t.i > first.i]
        roots = [t.i for t in toks[lo:hi] if t.head == t.i or not (lo <= t.head < hi)]
        if verb.pos not in ("VERB", "AUX") or len(subj) != 1 or len(roots) != 1 or \
                toks[roots[0]].pos not in ("PROPN", "NOUN"):
            continue
        fixed[roots[0]] = replace(toks[roots[0]], head=subj[0], dep="conj")
        fixed[first.i] = replace(first, head=subj[0])
    if not fixed:
        return toks
    return [fixed.get(t.i, t) for t in toks]


# --------------------------------------------------------------------------- triggers
@dataclass(slots=True)
class _Trig:
    i: int  # head token
    entry: TriggerEntry
    tokens: list[int]  # tokens of the trigger phrase
    comp: list[int] = field(default_factory=list)  # complement tokens that satisfied the entry
    event_type: str = ""
    mode: str | None = None
    absorbed_by: int | None = None
    merged: list[int] = field(default_factory=list)  # other trigger heads folded into this one
    frame_only: bool = False  # "denied that X attacked Y": the denial is the status of the inner event


def _comp_tokens(d: _Doc, i: int) -> list[int]:
    """Complement tokens of trigger candidate i (objects, prepositional objects, xcomp heads, and their
    compounds), plus the noun a participle modifies ("a truce agreed on Wednesday")."""
    toks, ch = d.tokens, d.children
    out: list[int] = []
    for c in ch.get(i, []):
        dep = toks[c].dep
        if dep in COMP_DEPS:
            out.append(c)
            if dep == "xcomp":
                out += [cc for cc in ch.get(c, []) if toks[cc].dep in ("dobj", "attr")]
        elif dep in ("prep", "agent"):
            out += [cc for cc in ch.get(c, []) if toks[cc].dep in ("pobj", "pcomp")]
    if toks[i].dep in ("acl", "relcl") and toks[toks[i].head].pos in NOUN_POS | {"PROPN"}:
        out.append(toks[i].head)
    more = []
    for c in out:
        more += [cc for cc in ch.get(c, []) if toks[cc].dep in ("compound", "amod", "conj")]
    # "launched one of its largest raids", "fired dozens of missiles": the noun a quantity stands for
    for c in out + more:
        if toks[c].pos == "NUM" or toks[c].lemma.lower() in QUANTITY_NOUNS:
            for p in ch.get(c, []):
                if toks[p].dep == "prep" and toks[p].lemma.lower() == "of":
                    more += [q for q in ch.get(p, []) if toks[q].dep == "pobj"]
    return out + more


def _capitalised_event_noun(d: _Doc, i: int, lex: Lexicon) -> bool:
    """"Gunfire and missiles hit the town": an event noun opening the sentence, taken for a name by the tagger."""
    t = d.tokens[i]
    return t.pos == "PROPN" and not t.ent_type and i == d.ann.sentences[d.sent_of[i]].token_start and bool(
        lex.candidates(t.text.lower(), "noun"))


def _modifies_other_event(d: _Doc, c: int, entry: TriggerEntry, lex: Lexicon) -> bool:
    """"held a prisoner swap": a complement word that only modifies an event noun of another type is no complement
    of the verb (the object is the swap, not a prisoner held)."""
    t = d.tokens[c]
    if t.dep != "compound" or t.head == c:
        return False
    kinds = {e.event_type for e in lex.candidates(d.tokens[t.head].lemma.lower(), "noun")}
    return bool(kinds) and entry.event_type not in kinds


def _prep_children(d: _Doc, i: int) -> set[str]:
    return {d.tokens[c].lemma.lower() for c in d.children.get(i, []) if d.tokens[c].dep in ("prep", "prt", "advmod", "dobj", "agent")}


def _has_verbal_comp(d: _Doc, i: int) -> bool:
    toks = d.tokens
    for c in d.children.get(i, []):
        if toks[c].dep in ("xcomp", "ccomp") and toks[c].pos in ("VERB", "AUX"):
            return True
        if toks[c].dep == "dobj":  # "urged Kabul to act": spaCy hangs the infinitive on the object sometimes
            for cc in d.children.get(c, []):
                if toks[cc].dep in ("acl", "relcl") and toks[cc].pos == "VERB" and any(
                        toks[x].dep == "aux" and toks[x].text.lower() == "to" for x in d.children.get(cc, [])):
                    return True
    return False


def _match_entry(d: _Doc, i: int, entry: TriggerEntry, lex: Lexicon | None = None) -> _Trig | None:
    toks = d.tokens
    span = [i]
    if entry.pos == "noun" and len(entry.words) > 1:
        n = len(entry.words)
        start = i - (n - 1)
        if start < 0:
            return None
        for k, w in enumerate(entry.words):
            t = toks[start + k]
            if t.lemma.lower() != w and t.text.lower() != w:
                return None
        span = list(range(start, i + 1))
    comp_hits: list[int] = []
    if entry.comps:
        comps = _comp_tokens(d, i)
        comp_hits = [c for c in comps if (toks[c].lemma.lower() in entry.comps or toks[c].text.lower() in entry.comps)
                     and not (lex is not None and _modifies_other_event(d, c, entry, lex))]
        if not comp_hits:
            return None
    if entry.preps:
        kids = _prep_children(d, i)
        if not (kids & entry.preps):
            return None
        span += [c for c in d.children.get(i, []) if toks[c].lemma.lower() in entry.preps and toks[c].dep in ("prt", "prep", "dobj", "advmod")]
    if entry.verbal and not _has_verbal_comp(d, i):
        return None
    if entry.excl and _prep_children(d, i) & entry.excl:
        return None
    return _Trig(i=i, entry=entry, tokens=sorted(set(span)), comp=comp_hits, event_type=entry.event_type,
                 mode=entry.mode)


def _find_triggers(d: _Doc, lex: Lexicon, tok_range: range) -> dict[int, _Trig]:
    out: dict[int, _Trig] = {}
    toks = d.tokens
    for i in tok_range:
        t = toks[i]
        if t.pos in VERB_POS:
            pos = "verb"
        elif t.pos == "ADJ" and t.dep in ("acomp", "amod", "xcomp", "ROOT"):
            pos = "adj"
        elif t.pos in NOUN_POS or (t.pos == "PROPN" and t.lemma.lower() in ("talk", "summit")) or \
                _capitalised_event_noun(d, i, lex):
            pos = "noun"  # ("Gunfire and missiles hit the town": an event noun taken for a name)
        else:
            continue
        lemma = t.lemma.lower()
        cands = lex.candidates(lemma, pos) or (lex.candidates(t.text.lower(), pos) if t.text.lower() != lemma else [])
        if not cands and pos == "verb" and t.text.lower().endswith("ed"):
            # lemmatizer slips ("staged": "stag"): the -d and -ed stems
            word = t.text.lower()
            cands = lex.candidates(word[:-1], pos) or lex.candidates(word[:-2], pos)
        if pos == "verb" and _must_request(d, i, lex):
            cands = []
        for entry in cands:
            m = _match_entry(d, i, entry, lex)
            if m is not None:
                out[i] = m
                break
        if i not in out and pos == "verb" and _must_request(d, i, lex):
            # "X said Y must do Z": a demand by the speaker
            out[i] = _Trig(i=i, entry=MUST_ENTRY, tokens=[i], event_type="REQUEST", mode="change")
    return out


MUST_ENTRY = TriggerEntry(("must",), "verb", "REQUEST", "change", source="<speaker: X must ...>")
SESSION_ENTRY = TriggerEntry(("round",), "noun", "CONSULT", None, source="<session noun of talks already reported>")


def _session_triggers(d: _Doc, lex: Lexicon, tok_range: range, trigs: dict[int, _Trig]) -> None:
    """In an article that reports talks, a bare session noun ("the next round", "earlier sessions on March 4")
    names a session of those talks. Not a counted or fired round ("200 rounds", "fired rounds")."""
    sessions = lex.frames.get("session_nouns", frozenset())
    picks = lex.frames.get("session_picks", frozenset())
    toks = d.tokens
    for i in tok_range:
        t = toks[i]
        if i in trigs or t.pos not in NOUN_POS or t.lemma.lower() not in sessions:
            continue
        kids = d.children.get(i, [])
        if any(toks[c].dep == "nummod" for c in kids) or toks[t.head].pos in VERB_POS and t.dep == "dobj":
            continue
        if any(toks[c].dep == "prep" and toks[c].lemma.lower() == "of" for c in kids):
            continue  # "a round of talks": the talks are the trigger
        if not any(toks[c].dep in ("amod", "det") and toks[c].lemma.lower() in picks or
                   toks[c].text.lower() in picks for c in kids):
            continue  # "the Vienna round": no session picked out of a series, the talks themselves
        trigs[i] = _Trig(i=i, entry=SESSION_ENTRY, tokens=[i], event_type="CONSULT")
IMPLIED_ENTRY = TriggerEntry(("say",), "verb", "ACCUSE", "allege", source="<speaker: hostile acts from Y's soil>")


def _must_request(d: _Doc, i: int, lex: Lexicon) -> bool:
    toks = d.tokens
    if not any(toks[c].dep == "aux" and toks[c].text.lower() in ("must", "should") for c in d.children.get(i, [])):
        return False
    speech = lex.frames.get("speech", frozenset()) | {"conclude", "declare", "urge", "warn"}
    return toks[i].dep == "ccomp" and toks[toks[i].head].lemma.lower() in speech


# --------------------------------------------------------------------------- noun phrases and actors
def _np_tokens(d: _Doc, head: int, keep_of: bool = True) -> list[int]:
    """Tokens of the noun phrase headed by `head`, without clauses, coordinated phrases and prepositional
    phrases other than "of"."""
    toks, ch = d.tokens, d.children
    out, stack = [], [head]
    while stack:
        h = stack.pop()
        out.append(h)
        for c in ch.get(h, []):
            dep = toks[c].dep
            if dep in ("relcl", "acl", "advcl", "ccomp", "punct", "parataxis"):
                continue
            if dep in ("conj", "cc") and h == head:
                continue
            if dep == "prep" and not (keep_of and toks[c].lemma.lower() == "of"):
                continue
            stack.append(c)
    return out


def _conjuncts(d: _Doc, head: int) -> list[int]:
    out, stack = [], [head]
    while stack:
        h = stack.pop()
        out.append(h)
        stack += [c for c in d.children.get(h, []) if d.tokens[c].dep == "conj" and d.tokens[c].pos in ("NOUN", "PROPN", "PRON", "ADJ")]
    return sorted(out)


def _ref(am: ActorMention) -> ActorRef:
    r = replace(am.actor)
    if not r.text:
        r.text = am.text
    return r


def _unresolved(d: _Doc, head: int, lex: Lexicon) -> ActorRef | None:
    t = d.tokens[head]
    lemma = t.lemma.lower()
    if lemma in lex.numbers or t.pos == "NUM" or lemma in ("number", "group", "hundred", "thousand", "dozen"):
        # "dozens of protesters", "a group of students"
        for c in d.children.get(head, []):
            if d.tokens[c].dep == "prep" and d.tokens[c].lemma.lower() == "of":
                for p in d.children.get(c, []):
                    if d.tokens[p].dep == "pobj":
                        return _unresolved(d, p, lex)
    if head in d.time_tokens or t.ent_type in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                                               "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"):
        return None
    if t.pos == "PROPN" or (t.pos == "NOUN" and (lemma in lex.agent_nouns or t.text.lower() in lex.agent_nouns)):
        ids = [k for k in _np_tokens(d, head, keep_of=False) if d.tokens[k].dep not in ("det", "poss", "case", "nummod", "quantmod", "advmod")]
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
        full_lo, full_hi = min(ids), max(ids)
        text = d.text[d.tokens[full_lo].idx: d.tokens[full_hi].idx + len(d.tokens[full_hi].text)]
        return ActorRef(id=None, name=name, text=text, kind="unresolved")
    return None


def _actors_in(d: _Doc, head: int, lex: Lexicon, allow_unresolved: bool = True,
               poss_pron: list[ActorRef] | None = None) -> list[ActorRef]:
    """Actors named by the noun phrase(s) headed by `head` (with its conjuncts)."""
    out: list[ActorRef] = []
    for h in _conjuncts(d, head):
        if h in d.time_tokens:
            continue
        ids = set(_np_tokens(d, h))
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
        found = [am for am in found if am.actor.kind != "media"]
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
            out += [_ref(a) for a in found]
        elif poss_pron is not None and any(d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON"
                                           for c in d.children.get(h, [])):
            out += poss_pron  # "its troops": the actor the pronoun stands for
        elif allow_unresolved:
            u = _unresolved(d, h, lex)
            if u is not None:
                out.append(_named_before(d, h, u))
    return out


def _named_before(d: _Doc, head: int, u: ActorRef) -> ActorRef:
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
    ref = _ref(best)
    ref.text = u.text
    return ref


def _side(r: ActorRef) -> str:
    """The side an actor stands on in a dyad: its country, with armed non-state groups apart from the state."""
    rebel = r.sector == "REB" or r.kind == "group" and r.sector not in ("GOV", "MIL", "COP", "SPY", None)
    return f"{r.country or r.id or r.name}{'/REB' if rebel else ''}"


def _dedupe(refs: Iterable[ActorRef]) -> list[ActorRef]:
    out, seen = [], set()
    for r in refs:
        key = r.id or (r.name or r.text).lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


# --------------------------------------------------------------------------- roles
@dataclass(slots=True)
class _Roles:
    actor: list[int] = field(default_factory=list)  # NP heads
    recipient: list[int] = field(default_factory=list)
    mediator: list[int] = field(default_factory=list)
    all_actor: list[int] = field(default_factory=list)  # "between A and B": every participant is actor
    reciprocal: bool = False  # "accused each other": the subjects act on one another


def _subject_of(d: _Doc, v: int) -> tuple[list[int], bool]:
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
        got, passive = _subject_of(d, t.head)
        if got and not passive and all(toks[h].pos == "NOUN" and h not in d.actor_by_token for h in got):
            # "the raid happened in X, where fighters cut the highway, ... and killed 14 villagers": a verb
            # coordinated across a relative clause by a broken parse takes the nearest actor subject before it
            for k in range(v - 1, t.head, -1):
                if toks[k].pos == "VERB":
                    near = [c for c in ch.get(k, []) if toks[c].dep == "nsubj" and c in d.actor_by_token]
                    if near:
                        return near, False
        return got, passive
    if t.dep in ("xcomp", "advcl") and t.head != v:
        obj = [c for c in ch.get(t.head, []) if toks[c].dep == "dobj"]
        if t.dep == "xcomp" and obj and toks[t.head].lemma.lower() not in d.instrument_verbs:
            return obj, False
        got, passive = _subject_of(d, t.head)
        if t.dep == "xcomp" and passive and toks[v].pos == "VERB":
            return got, False  # "the envoys are expected to meet", "were forced to withdraw": they meet, withdraw
        return got, passive
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


def _mediators_near(d: _Doc, i: int, lex: Lexicon) -> list[int]:
    """Mediator NP heads attached to trigger i: "mediated by X", "brokered by X", "with the help of X",
    "under the mediation of X"."""
    toks, ch = d.tokens, d.children
    out = []
    stack = list(ch.get(i, []))
    visited = set()
    while stack:
        c = stack.pop()
        if c in visited:
            continue
        visited.add(c)
        t = toks[c]
        lemma = t.lemma.lower()
        if t.pos == "VERB" and lemma in lex.mediator_verbs and t.dep in ("acl", "relcl", "advcl", "conj"):
            for a in ch.get(c, []):
                if toks[a].dep == "agent":
                    out += [p for p in ch.get(a, []) if toks[p].dep == "pobj"]
        elif t.pos == "NOUN" and lemma in lex.mediator_nouns and toks[t.head].dep == "prep" or (
                t.dep == "pobj" and lemma in lex.mediator_nouns):
            for p in ch.get(c, []):
                if toks[p].dep == "prep" and toks[p].lemma.lower() == "of":
                    out += [q for q in ch.get(p, []) if toks[q].dep == "pobj"]
            for p in ch.get(c, []):
                if toks[p].dep == "poss":
                    out.append(p)
        elif t.dep in ("prep",) and t.lemma.lower() in ("with", "under", "through", "via"):
            stack += ch.get(c, [])
        elif t.dep == "pobj":
            stack += [x for x in ch.get(c, []) if toks[x].dep in ("acl", "relcl")]
    return out


def _roles(d: _Doc, tr: _Trig, lex: Lexicon) -> _Roles:
    toks, ch = d.tokens, d.children
    i = tr.i
    r = _Roles()
    noun = tr.entry.pos == "noun"
    if tr.entry.pos == "adj":
        head = toks[i].head
        r.actor += [c for c in ch.get(head, []) if toks[c].dep in SUBJ_DEPS]
        return r
    if not noun:
        subj, passive = _subject_of(d, i)
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
            if dep == "poss" or dep in ("amod", "compound") and c not in tr.tokens:
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
                    if tr.event_type in CONFLICT_TYPES or toks[i].lemma.lower() in lex.of_patient:
                        r.recipient += pobj
                    else:
                        r.actor += pobj
    if not noun and not r.recipient and tr.event_type in ("REQUEST", "THREATEN"):
        for c in ch.get(i, []):
            if toks[c].dep in ("xcomp", "ccomp"):
                r.recipient += [x for x in ch.get(c, []) if toks[x].dep in ("nsubj", "nsubjpass")]
    r.mediator += _mediators_near(d, i, lex)
    lemma = toks[i].lemma.lower()
    if not noun and lemma in lex.mediator_verbs and lemma not in ("host",):
        # "Norway brokered a deal between A and B": the subject mediates; parties are the "between" phrase
        if r.all_actor:
            r.mediator += r.actor
            r.actor = []
    elif not noun and tr.event_type == "CONSULT" and r.recipient and r.actor and all(
            toks[h].pos == "NOUN" and lex.candidates(toks[h].lemma.lower(), "noun") for h in r.actor):
        # "the negotiations brought together A and B": the event noun is no party, the objects are the parties
        r.all_actor += r.recipient
        r.actor, r.recipient = [], []
    elif not noun and lemma in ("host", "receive", "welcome") and tr.event_type == "CONSULT":
        # the host is the recipient, the guests (object or "between" parties) the actors
        guests = [h for h in r.recipient] + r.all_actor
        r.recipient, r.actor, r.all_actor = r.actor, guests, []
    return r


def _resolve_pronoun(d: _Doc, head: int, st: StatusInfo, prev_subjects: list[ActorRef], lex: Lexicon,
                     parties: list[ActorRef] | None = None) -> list[ActorRef]:
    t = d.tokens[head]
    low = t.text.lower()
    if low in REL_PRONOUNS and t.head != head:
        # "forces who attacked": the relative clause's noun
        rel = d.tokens[t.head]
        if rel.dep in ("relcl",) and rel.head != rel.i:
            return _actors_in(d, rel.head, lex)
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
            got = [r for h in subj for r in _actors_in(d, h, lex, allow_unresolved=False)]
            if got:
                return got
    if low in PRONOUNS or low in ("its", "their", "his", "her", "our"):
        if st.speaker_head is not None:
            if parties and _group_reference(d, st.speaker_head, lex):
                return list(parties)
            got = _actors_in(d, st.speaker_head, lex, allow_unresolved=True)
            if got:
                return got
        if low in ("he", "she", "him", "his", "her"):
            person = _person_before(d, head)
            if person is not None:
                return [person]
        if low in ("it", "they", "he", "she", "we", "its", "their", "his", "her"):
            return list(prev_subjects)
    return []


def _person_before(d: _Doc, head: int) -> ActorRef | None:
    """"he", "she": the latest named person before the pronoun, in its sentence or the two before it."""
    si = d.sent_of[head]
    best = None
    for am in d.ann.actors:
        if am.token_start >= head:
            break
        if am.actor.kind == "person" and am.actor.id and si - 2 <= d.sent_of[am.token_start] <= si:
            best = am
    if best is None:
        return None
    ref = _ref(best)
    ref.text = d.tokens[head].text
    return ref


def _group_reference(d: _Doc, h: int, lex: Lexicon) -> bool:
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
    own = [k for k in _np_tokens(d, h, keep_of=True) if k in d.actor_by_token]
    return all(k == h and t.pos == "NOUN" for k in own)  # "the delegations" alone names no one in particular


def _fill(d: _Doc, heads: list[int], st: StatusInfo, prev: list[ActorRef], lex: Lexicon,
          parties: list[ActorRef] | None = None) -> list[ActorRef]:
    out: list[ActorRef] = []
    for h in heads:
        t = d.tokens[h]
        if parties and _group_reference(d, h, lex):
            out += parties  # "both sides", "the delegations": the parties of the two-party event
            continue
        if t.lemma.lower() in lex.anaphoric_groups and any(
                d.tokens[c].dep == "det" and d.tokens[c].text.lower() == "the" for c in d.children.get(h, [])) and \
                not any(k in d.actor_by_token and d.ann.actors[d.actor_by_token[k][0]].actor.kind == "group"
                        for k in range(h - 3, h + 1) if k >= 0):
            groups = [r for r in prev if r.kind == "group"]
            if groups:
                out += groups  # "The group issued an ultimatum": the group named before
                continue
        if d.tokens[h].pos == "PRON" or d.tokens[h].text.lower() in REL_PRONOUNS:
            out += _resolve_pronoun(d, h, st, prev, lex, parties)
        elif _capitalised_event_noun(d, h, lex):
            continue  # an act, not an actor
        else:
            pron = None
            if any(d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON" for c in d.children.get(h, [])):
                pron = [p for c in d.children.get(h, []) if d.tokens[c].dep == "poss" and d.tokens[c].pos == "PRON"
                        for p in _resolve_pronoun(d, c, st, prev, lex)]
            # a modifier ("Pakistani strikes", "border fighting") names an actor only when it is a known one
            strict = d.tokens[h].dep in ("compound", "amod", "nmod")
            out += _actors_in(d, h, lex, allow_unresolved=not strict, poss_pron=pron or None)
    return _dedupe(out)


# --------------------------------------------------------------------------- absorption
ABSORB_PATH_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "nsubjpass", "attr", "oprd", "acl", "compound",
                    "appos", "conj", "dative", "advcl"}
CONTENT_PREPS = {"to", "on", "upon", "for", "of", "about", "over", "against", "into", "with", "in"}
NOMINAL_ATTACH = {"dobj", "nsubj", "nsubjpass", "attr", "compound", "appos", "pobj", "conj"}


def _absorb(d: _Doc, trigs: dict[int, _Trig], lex: Lexicon) -> None:
    """Let a governing trigger absorb the triggers of its complement (see module docstring)."""
    toks = d.tokens
    aspect = lex.frames.get("aspect", frozenset()) | lex.frames.get("plan", frozenset())
    speech = lex.frames.get("speech", frozenset())
    deny = lex.frames.get("deny", frozenset())
    for i in sorted(trigs):
        tr = trigs[i]
        cur = i
        path: list[str] = []
        hops = 0
        while toks[cur].head != cur and hops < 6:
            hops += 1
            dep = toks[cur].dep
            parent = toks[cur].head
            path.append(dep)
            pt = toks[parent]
            if dep == "prep" and pt.lemma.lower() not in CONTENT_PREPS and parent not in trigs and pt.pos != "NUM":
                break  # (but "launched one of its largest raids": the raids are what the quantity stands for)
            if toks[cur].dep == "pobj" and toks[parent].dep == "prep" and toks[parent].lemma.lower() not in CONTENT_PREPS:
                break
            if parent in trigs:
                a = trigs[parent]
                if toks[parent].lemma.lower() in deny and "ccomp" in path:
                    a.frame_only = True
                    break
                if dep == "conj" and path == ["conj"]:
                    break  # coordinated events stay distinct ("met X and signed Y")
                if dep == "advcl" and path == ["advcl"] and tr.event_type == a.event_type and (not any(
                        toks[c].dep in ("nsubj", "nsubjpass", "agent") for c in d.children.get(i, [])) or any(
                        toks[c].dep in ("advmod", "mark") and toks[c].text.lower() in ("when", "as")
                        for c in d.children.get(i, []))):
                    tr.absorbed_by = parent  # "attacked the post, killing three"
                    break
                if dep in ("advcl", "relcl") or (dep == "acl" and tr.entry.pos == "verb" and a.entry.pos == "verb"):
                    # a participle modifying a nominal trigger ("talks mediated by X", "truce agreed on Wednesday")
                    if dep in ("acl", "relcl") and a.entry.pos == "noun" and tr.entry.pos == "verb" and (
                            toks[i].lemma.lower() in lex.mediator_verbs or toks[i].tag == "VBN"):
                        tr.absorbed_by = parent
                    break
                if a.event_type in ABSORBING or (tr.entry.pos == "noun" and set(path) <= NOMINAL_ATTACH | {"prep"}) \
                        or (tr.event_type == a.event_type):
                    tr.absorbed_by = parent
                    _refine(a, tr)
                break
            if pt.pos in ("VERB", "AUX") and parent not in trigs:
                if pt.lemma.lower() in speech:
                    break
                if pt.lemma.lower() not in aspect:
                    break
            if dep not in ABSORB_PATH_DEPS:
                break
            cur = parent
    # follow chains (a absorbed by b absorbed by c -> c)
    for tr in trigs.values():
        seen = set()
        while tr.absorbed_by is not None and trigs[tr.absorbed_by].absorbed_by is not None and tr.absorbed_by not in seen:
            seen.add(tr.absorbed_by)
            tr.absorbed_by = trigs[tr.absorbed_by].absorbed_by
    for i, tr in trigs.items():
        if tr.absorbed_by is not None and tr.absorbed_by != i:
            trigs[tr.absorbed_by].merged.append(i)


CEASEFIRE_PATH_DEPS = {"xcomp", "ccomp", "dobj", "obj", "pobj", "prep", "pcomp", "compound", "acl", "conj", "amod",
                       "nsubjpass", "attr", "oprd"}


def _ceasefire_content(d: _Doc, tr: _Trig, trigs: dict[int, _Trig], lex: Lexicon, depth: int = 4) -> bool:
    """Is the content of an agreement a ceasefire ("agreed to an immediate ceasefire", "agreed to stop
    fighting", "committed to halting hostilities", "a deal to end the fighting", "signed a truce")? Walks the
    complement (objects, infinitives, content prepositions) of trigger `tr`, not through other events."""
    fr = lex.frames
    nouns = fr.get("ceasefire_nouns", frozenset())
    stop = fr.get("cessation_words", frozenset())
    hostile = fr.get("hostility_words", frozenset()) | lex.mutual_nouns
    heads = fr.get("declare_heads", frozenset())
    toks, ch = d.tokens, d.children
    frontier, seen = [tr.i], {tr.i}
    for _ in range(depth):
        nxt = []
        for h in frontier:
            for c in ch.get(h, []):
                t = toks[c]
                if c in seen or (t.dep not in CEASEFIRE_PATH_DEPS and not (
                        t.dep == "advcl" and h == tr.i and t.lemma.lower() in heads)):
                    continue  # "signed a pact, pledging a lasting truce": its content too
                if t.dep == "prep" and t.lemma.lower() not in CONTENT_PREPS:
                    continue
                if t.dep == "conj" and h == tr.i:
                    continue  # "agreed and signed": a coordinated event, not the content
                if c in trigs and trigs[c].absorbed_by not in (None, tr.i) and trigs[c].event_type != "CONCEDE":
                    continue
                if any(toks[n].dep == "neg" for n in ch.get(c, [])):
                    if _names_hostility(d, c, hostile):
                        return True  # "pledged not to launch any attacks on one another"
                    continue
                seen.add(c)
                lemma = t.lemma.lower()
                if lemma in nouns or t.text.lower() in nouns:
                    return True
                if lemma in stop and _stops_hostility(d, c, hostile):
                    return True
                if lemma in hostile and any(toks[m].dep in ("amod", "compound") and toks[m].lemma.lower() in stop
                                            for m in ch.get(c, [])):
                    return True  # "committed to halting hostilities" (the gerund parsed as a modifier)
                nxt.append(c)
        frontier = nxt
    return False


def _stops_hostility(d: _Doc, k: int, hostile: frozenset[str]) -> bool:
    """"halt hostilities", "stop fighting", "the cessation of hostilities", "a halt to the fighting"."""
    toks = d.tokens
    for c in d.children.get(k, []):
        t = toks[c]
        if t.dep in ("dobj", "obj", "xcomp", "pcomp", "nsubjpass", "compound") and t.lemma.lower() in hostile:
            return True
        if t.dep == "prep" and t.lemma.lower() in ("of", "to", "in") and any(
                toks[p].lemma.lower() in hostile for p in d.children.get(c, []) if toks[p].dep == "pobj"):
            return True
    return False


def _names_hostility(d: _Doc, k: int, hostile: frozenset[str]) -> bool:
    """A hostile act at k or as its object ("not to attack", "not to launch attacks")."""
    toks = d.tokens
    if toks[k].lemma.lower() in hostile:
        return True
    for c in d.children.get(k, []):
        if toks[c].dep in ("dobj", "obj") and (toks[c].lemma.lower() in hostile or any(
                toks[m].dep == "amod" and toks[m].lemma.lower() in hostile for m in d.children.get(c, []))):
            return True
    return False


def _declared_ceasefires(d: _Doc, trigs: dict[int, _Trig], lex: Lexicon) -> None:
    """An agreement whose content is a ceasefire is a declared ceasefire (CONCEDE), however it is worded, so
    that "agreed to a ceasefire" and "agreed to stop fighting" code the same event the same way. Offers and
    promises of a future truce stay AGREE (not in `declare_heads`)."""
    heads = lex.frames.get("declare_heads", frozenset())
    for tr in trigs.values():
        if tr.absorbed_by is not None or tr.event_type not in ("AGREE", "SUPPORT") or tr.frame_only:
            continue
        if d.tokens[tr.i].lemma.lower() not in heads:
            continue
        if _ceasefire_content(d, tr, trigs, lex):
            tr.event_type, tr.mode = "CONCEDE", None


def _refine(a: _Trig, inner: _Trig) -> None:
    """Type/mode of a governing trigger from the event it governs."""
    t = inner.event_type
    if a.event_type == "AGREE" and t == "CONCEDE" and inner.entry.pos == "noun" and inner.mode is None and \
            a.entry.head_word not in ("propose", "offer", "invite", "promise", "pledge"):
        a.event_type, a.mode = "CONCEDE", None  # "agreed to a ceasefire": a declared ceasefire
    elif a.event_type in ("REQUEST", "REJECT") and a.mode is None:
        a.mode = ("yield" if t in ("RETREAT", "CONCEDE") else "meet" if t == "CONSULT"
                  else "assist" if t in ("AID", "COOPERATE") else "change" if t in ("SANCTION", "COERCE") else None)
    elif a.event_type == "THREATEN" and a.mode is None:
        a.mode = ("violence" if t == "ASSAULT" else "arrest" if inner.mode == "arrest"
                  else "relations" if t in ("SANCTION", "REJECT") else "restrict" if t == "COERCE" else None)
    elif a.event_type == inner.event_type and a.mode in (None, "beat") and inner.mode not in (None, "beat"):
        a.mode = inner.mode


# --------------------------------------------------------------------------- ownership: dates, places, sizes
def _owner_map(d: _Doc, trigs: dict[int, _Trig], tok_range: range, lex: Lexicon | None = None) -> dict[int, int]:
    """Token -> the trigger (after absorption) that owns it: its nearest trigger ancestor. A verb that is no
    event itself but has an event noun as subject ("fighting continued in Mogadishu on Tuesday", "the talks took
    place in Oslo") carries that event: its place and time phrases are the event's own."""
    toks = d.tokens
    happen = lex.frames.get("happen", frozenset()) if lex is not None else frozenset()
    speech = lex.frames.get("speech", frozenset()) if lex is not None else frozenset()
    carrier: dict[int, int] = {}
    for t_i, tr in trigs.items():
        v = toks[t_i].head
        if tr.entry.pos == "noun" and toks[t_i].dep in ("nsubj", "nsubjpass") and v not in trigs and v != t_i and \
                toks[v].pos in ("VERB", "AUX") and (toks[v].lemma.lower() in happen or (
                    toks[v].lemma.lower() in speech and toks[t_i].dep == "nsubjpass")):
            carrier.setdefault(v, t_i)
    owner: dict[int, int] = {}
    for k in tok_range:
        cur, hops = k, 0
        while hops < 40:
            if cur in trigs or cur in carrier:
                tr = trigs[cur] if cur in trigs else trigs[carrier[cur]]
                owner[k] = tr.absorbed_by if tr.absorbed_by is not None else tr.i
                break
            if toks[cur].head == cur:
                break
            cur = toks[cur].head
            hops += 1
    return owner


def _head_of_span(d: _Doc, start: int, end: int) -> int:
    for k in range(start, end):
        h = d.tokens[k].head
        if not (start <= h < end) or h == k:
            return k
    return start


# --------------------------------------------------------------------------- the coder
@dataclass(slots=True)
class _Draft:
    event_type: str
    mode: str | None
    actor: list[ActorRef]
    recipient: list[ActorRef]
    mediator: list[ActorRef]
    time: TimeExpression | None
    date_source: str
    place: Place | None
    size: Size
    status: str
    attribution: str | None
    evidence: list[Evidence]
    sentence: int
    paragraph: int
    trigger_i: int
    context: list[str] = field(default_factory=list)
    subordinate: bool = False
    background: bool = False  # habitual/background report: kept only as context for later reactions
    anaphoric: bool = False  # "the agreement", "the talks": a reference back to an event already reported
    own_place: bool = False  # the place is the event's own locative phrase (not the dateline)
    nominal: bool = False  # reported by an event noun ("talks", "the strike")
    planned_act: bool = False  # an act announced or arranged for later ("hostages are to be released")
    dated: bool = False  # an event noun dated by its own phrase ("the May 16 meeting", "a swap in May")
    distinct: bool = False  # "another swap", "a new round": told as an event apart from those told before
    extension: bool = False  # "the truce was later extended": a later act of its own on an earlier agreement
    stage: bool = False  # "the second phase on Tuesday": one stage of a multi-stage event (`of`: the whole)
    of: _Draft | None = None


class Coder:
    """Codes annotated articles. One instance can be reused across articles (and pickled to workers)."""

    def __init__(self, lex: Lexicon | None = None, onto: Ontology | None = None):
        self.lex = lex or lexicon()
        self.onto = onto or ontology()
        self._so_far: list[_Draft] = []
        self._seen: list[_Draft] = []  # every draft of the article, background ones included
        self._implied: dict[int, list[ActorRef]] = {}  # speech verb -> the state its implied accusation targets

    # ------------------------------------------------------------------ public
    def code(self, ann: AnnotatedArticle) -> list[EventMention]:
        if ann.article.error or not ann.tokens or not ann.sentences:
            return []
        d = _index(ann)
        d.instrument_verbs = self.lex.frames.get("instrument_verbs", frozenset())
        drafts: list[_Draft] = []
        prev_subjects: list[ActorRef] = []
        times_by_sent = self._by_sentence(d, ann.times)
        places_by_sent = self._by_sentence(d, ann.places)
        lede_time = self._lede_time(d, times_by_sent)
        dateline = self._dateline(d)
        para_times: dict[int, list[TimeExpression]] = {}
        self._so_far = drafts
        self._seen = []
        leaders: list[tuple[int, ActorRef, str]] = []  # (sentence start, person, actor|mediator)
        for si, sent in enumerate(ann.sentences):
            rng = range(sent.token_start, min(sent.token_end, len(d.tokens)))
            if self._is_headline(d, si):
                rng = range(next((k for k in rng if d.line_of[k] > 0), rng.stop), rng.stop)
                if not rng:
                    continue
            trigs = _find_triggers(d, self.lex, rng)
            if any(x.event_type == "CONSULT" for x in self._seen):
                _session_triggers(d, self.lex, rng, trigs)
            self._implied = self._implied_accusations(d, trigs, rng, prev_subjects)
            subjects_here: list[ActorRef] = []
            if trigs:
                _absorb(d, trigs, self.lex)
                _declared_ceasefires(d, trigs, self.lex)
                owner = _owner_map(d, trigs, rng, self.lex)
                here: list[_Draft] = []
                for i in sorted(trigs):
                    tr = trigs[i]
                    if tr.absorbed_by is not None or tr.frame_only:
                        continue
                    dr = self._draft(d, tr, trigs, owner, si, sent, prev_subjects, times_by_sent.get(si, []),
                                     places_by_sent.get(si, []), para_times.get(sent.paragraph, []), lede_time,
                                     dateline)
                    rep = self._repelled(d, tr, dr, prev_subjects) or self._produced(d, tr, dr) if dr is not None \
                        else None
                    if rep is not None:
                        self._seen.append(rep)
                        if not rep.background:
                            here.append(rep)
                    if dr is not None:
                        dr.subordinate = self._subordinate(d, i, trigs)
                        self._seen.append(dr)
                        if dr.actor and not subjects_here:
                            subjects_here = dr.actor
                        if not dr.background:
                            here.append(dr)
                # events mentioned only as the circumstance of another ("after talks", "a town where ... were
                # killed", "to help defend") are not reports of their own when the sentence has a main event,
                # unless the circumstance is a distinct event with its own place or date ("agreed ... after
                # talks in Oslo": the talks are coded too)
                # a main event that is only a reference back, dated by a measured gap ("the ceasefire comes a day
                # after X called on Y to ..."), tells nothing new: the clause with its own two parties is the report
                mains = [x for x in here if not x.subordinate]
                if mains and all(x.anaphoric or (not x.actor and x.nominal) for x in mains) and any(
                        x.subordinate and x.actor and x.recipient and not x.nominal and self._measured_gap(d, x.trigger_i)
                        for x in here):
                    here = [x for x in here if not x.subordinate or (x.actor and x.recipient and not x.nominal
                                                                     and self._measured_gap(d, x.trigger_i))]
                elif any(not x.subordinate for x in here):
                    # "the worst raid happened in X, where fighters killed 14 villagers": a main event noun
                    # without actors is told by the subordinate events of its own type
                    untold = {x.event_type for x in here if not x.subordinate and not x.actor}
                    here = [x for x in here if not x.subordinate or self._distinct_circumstance(x)
                            or (x.event_type in untold and x.actor)]
                drafts += here
                drafts += self._extensions(d, rng, here, times_by_sent.get(si, []))
            drafts += self._stages(d, rng, drafts, times_by_sent.get(si, []))
            leaders += [(sent.start, ref, role) for ref, role in self._delegation_leaders(d, rng)]
            # sentence subject for pronoun resolution in the next sentence
            if not subjects_here:
                subjects_here = self._sentence_subject(d, rng)
            if subjects_here:
                prev_subjects = subjects_here
            para_times.setdefault(sent.paragraph, []).extend(
                t for t in times_by_sent.get(si, []) if t.date_start and t.precision in ("day", "week", "range"))
        merged = [dr for dr in self._merge(drafts) if not self._out_of_scope(d, dr)]
        self._span_stages(merged)
        self._attach_leaders(merged, leaders)
        return self._finish(ann, merged)

    # ------------------------------------------------------------------ helpers
    def _out_of_scope(self, d: _Doc, dr: _Draft) -> bool:
        """Mentions that name no political event: a reaction verb that needs a party and found none ("thanked
        for", "blamed technical reasons"), a warning to whoever might do something ("penalties for anyone who
        violates it"), a withdrawal from or concession about a non-political affair ("pulled out of the series")."""
        frames = self.lex.frames
        lemma = d.tokens[dr.trigger_i].lemma.lower()
        if not dr.recipient and lemma in frames.get("party_verbs", frozenset()):
            return True
        near = self._complement_lemmas(d, dr.trigger_i)
        if dr.event_type == "THREATEN" and not dr.recipient and near & frames.get("generic_targets", frozenset()):
            return True
        return dr.event_type in ("RETREAT", "CONCEDE") and bool(near & frames.get("nonpolitical_nouns", frozenset()))

    @staticmethod
    def _measured_gap(d: _Doc, i: int) -> bool:
        """Trigger i sits in an "after"/"before" clause with a measured gap ("a day after", "hours before")."""
        toks, cur = d.tokens, i
        for _ in range(8):
            for c in d.children.get(cur, []):
                if toks[c].dep in ("mark", "prep") and toks[c].lemma.lower() in ("after", "before") and any(
                        toks[g].dep == "npadvmod" for g in d.children.get(c, [])):
                    return True
            if toks[cur].head == cur:
                return False
            cur = toks[cur].head
        return False

    @staticmethod
    def _gap_shifted(d: _Doc, i: int, ref: TimeExpression, numbers: dict[str, int]) -> TimeExpression:
        """An event in an "after"/"before" clause with a measured gap ("a day after", "two days before") and no date
        of its own happened that gap before/after the date of the clause it hangs from."""
        toks, cur = d.tokens, i
        units = {"day": 1, "week": 7}
        for _ in range(8):
            for c in d.children.get(cur, []):
                if toks[c].dep not in ("mark", "prep") or toks[c].lemma.lower() not in ("after", "before"):
                    continue
                # the gap hangs from the marker ("a day after") or from the clause's verb ("two days after X struck")
                for g in d.children.get(c, []) + d.children.get(cur, []):
                    unit = units.get(toks[g].lemma.lower())
                    if toks[g].dep != "npadvmod" or unit is None:
                        continue
                    n = 1
                    for q in d.children.get(g, []):
                        if toks[q].dep == "nummod":
                            n = numbers.get(toks[q].text.lower()) or (int(toks[q].text) if toks[q].text.isdigit()
                                                                     else 0)
                    if not n or not ref.date_start:
                        return ref
                    sign = -1 if toks[c].lemma.lower() == "after" else 1
                    day = (_day.fromisoformat(ref.date_start[:10]) + timedelta(days=sign * n * unit)).isoformat()
                    return TimeExpression(ref.start, ref.end, f"{toks[g].text} {toks[c].text} ({ref.text})", day, day,
                                          "day", ref.token_start, ref.token_end)
            if toks[cur].head == cur:
                return ref
            cur = toks[cur].head
        return ref

    @staticmethod
    def _complement_lemmas(d: _Doc, i: int, depth: int = 4) -> set[str]:
        """Lemmas of the nouns and pronouns reached from trigger i through objects and prepositional phrases
        (not through clauses): "warned of penalties for anyone" reaches penalty and anyone."""
        out, frontier = set(), [i]
        for _ in range(depth):
            nxt = []
            for h in frontier:
                for c in d.children.get(h, []):
                    t = d.tokens[c]
                    if t.dep in ("prep", "pobj", "dobj", "obj", "dative", "pcomp", "prt", "nsubjpass"):
                        nxt.append(c)
                        if t.pos in ("NOUN", "PRON", "PROPN"):
                            out.add(t.lemma.lower())
            frontier = nxt
        return out

    @staticmethod
    def _by_sentence(d: _Doc, items) -> dict[int, list]:
        out: dict[int, list] = {}
        for it in items:
            k = it.token_start
            if not (0 <= k < len(d.tokens)):
                continue
            out.setdefault(d.sent_of[k], []).append(it)
        return out

    def _is_headline(self, d: _Doc, si: int) -> bool:
        """A title repeated as the first line of the body is not a report of its own."""
        title = (d.ann.article.title or "").strip().lower()
        if not title:
            return False
        s = d.ann.sentences[si]
        first_line = d.text.split("\n", 1)[0].strip().lower().rstrip(".")
        return s.paragraph == 0 and first_line == title.rstrip(".")

    @staticmethod
    def _lede_time(d: _Doc, times_by_sent) -> TimeExpression | None:
        first_para = d.ann.sentences[0].paragraph if d.ann.sentences else 0
        for si, s in enumerate(d.ann.sentences):
            if s.paragraph != first_para:
                break
            for t in times_by_sent.get(si, []):
                if t.date_start and t.precision == "day":
                    return t
        return None

    @staticmethod
    def _dateline(d: _Doc) -> Place | None:
        text = d.text
        m = DATELINE.match(text)
        if m:
            name = m.group(1).strip().lower()
            for pm in d.ann.places:
                if pm.text.lower() == name or (pm.place.resolved_place or "").lower() == name:
                    return pm.place
            return Place(extracted_place=m.group(1).strip().title())
        for pm in d.ann.places:
            if pm.start <= 2 and text[pm.end: pm.end + 3].lstrip(" ")[:1] in (":", "—", "–", "-", ",") and (
                    text[pm.start:pm.end].isupper() or text[pm.end:pm.end + 2].startswith(":")):
                return pm.place
        return None

    def _sentence_subject(self, d: _Doc, rng: range) -> list[ActorRef]:
        for k in rng:
            t = d.tokens[k]
            if t.dep in ("nsubj", "nsubjpass") and t.pos in ("PROPN", "NOUN"):
                got = _actors_in(d, k, self.lex, allow_unresolved=False)
                if got:
                    return got
        return []

    def _draft(self, d, tr: _Trig, trigs, owner, si, sent, prev_subjects, times, places, para_times, lede_time,
               dateline) -> _Draft | None:
        toks, lex = d.tokens, self.lex
        i = tr.i
        group = [i] + tr.merged
        if tr.entry.pos == "verb" and toks[i].dep == "acl" and toks[i].tag == "VBN":
            return None
        if tr.entry.pos == "verb" and toks[i].dep == "relcl" and any(
                toks[c].dep == "auxpass" for c in d.children.get(i, [])):
            return None  # "talks that were mediated by X", "a town that was shelled": description of a noun  # "the curfew imposed last year": a participle describing a noun, not a report
        if self._in_condition(d, i):
            return None  # the condition of a conditional ("if it is attacked")
        if tr.event_type == "REJECT" and any(toks[c].dep == "xcomp" and toks[c].lemma.lower() in
                                             lex.frames.get("no_comment", frozenset()) for c in d.children.get(i, [])):
            return None  # "declined to comment"
        st = status_of(toks, i, d.children, lex, d.text, sent.start, sent.end)
        if st.status in ("asserted", "reported") and self._carried_plan(d, i, tr, sent):
            st.status = "planned"
        # a dated reference ("earlier sessions on March 4", "including an exchange in June") names an event of its own
        dated = tr.entry.pos == "noun" and self._own_dated(d, i, times, owner)
        if tr.entry.pos == "noun" and self._negated_or_content(d, i, trigs, content_ok=dated):
            return None
        if tr.entry.pos == "noun" and self._past_reference(d, i) and not dated:
            st.background = True
        if tr.entry.pos == "noun" and not tr.merged and self._unreal_reference(d, i):
            return None
        event_type, mode = tr.event_type, tr.mode
        if event_type == "CONCEDE" and tr.entry.pos == "noun" and self._in_force(d, i):
            event_type, mode = "RETREAT", "ceasefire"  # "the ceasefire took effect": the truce observed
        negated = is_negated(d.tokens, i, d.children, lex) or (
            tr.entry.pos == "adj" and is_negated(d.tokens, toks[i].head, d.children, lex))
        if negated:
            # "will not accept", "would not meet": a refusal; other negated events did not happen
            if st.status in ("planned", "hypothetical") and self.onto.quad(event_type) in (1, 2):
                event_type, mode, st.status = "REJECT", None, "asserted"
            elif event_type != "REJECT":
                return None
        acc = according_to(toks, range(sent.token_start, min(sent.token_end, len(toks))), d.children, d.text)
        if acc is not None and owner.get(acc[0]) in (None, i):
            if st.status == "asserted":
                st.status = "reported"
            st.attribution = st.attribution or acc[1] or None
        # roles from the head trigger and every trigger it absorbed
        roles = _Roles()
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
                    if inner_agents or tr.event_type in CONTENT_TYPES:
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
        parties = self._last_parties()
        actor = _fill(d, roles.actor + roles.all_actor, st, prev_subjects, lex, parties)
        recipient = _fill(d, roles.recipient, st, prev_subjects, lex, parties)
        mediator = _fill(d, roles.mediator, st, prev_subjects, lex)
        if not actor and tr.entry.pos == "noun" and self.onto.quad(event_type) in (1, 2):
            actor = self._inherit(d, i, st, prev_subjects, trigs)
        if not actor and tr.entry.pos == "noun":
            actor, light = self._light_verb_subject(d, i, st, prev_subjects)
            if actor:
                # the light verb's tense and frame are the event's ("have staged strikes since 2007": background)
                lst = status_of(toks, light, d.children, lex, d.text, sent.start, sent.end)
                if lst.background:
                    return None
                if st.status == "asserted" and lst.status != "asserted":
                    st.status, st.attribution = lst.status, st.attribution or lst.attribution
        if not actor and not recipient and tr.entry.pos == "noun" and (
                event_type in ("CONSULT", "AGREE", "CONCEDE") or toks[i].lemma.lower() in lex.mutual_nouns
                or dated and mode == "release") and (self._reported_noun(d, i) or dated):
            # "talks in Oslo", "fighting continued in Mogadishu": unattributed talks or fighting are between
            # the parties the sentence (else the article) is about
            actor = self._sentence_parties(si) or self._last_parties()
        # "since a truce agreed on Wednesday", parsed with the truce as the subject of "agreed": the event noun
        # with its participle, told like a noun
        noun_subject = tr.entry.pos == "verb" and any(
            toks[c].dep in SUBJ_DEPS | {"nsubjpass"} and c in tr.merged and trigs[c].entry.pos == "noun"
            for c in d.children.get(i, []))
        if not actor and not recipient and noun_subject and event_type in ("CONSULT", "AGREE", "CONCEDE"):
            # the unattributed agreement is between the parties the sentence (else the article) is about
            actor = self._sentence_parties(si) or self._last_parties()
        if not actor and event_type == "RETREAT" and self._from_each_side(d, i):
            actor = self._last_parties()  # "another 45 captives per side were released": both sides freed
        targets = self._carried_out_on(d, i) if tr.entry.pos == "noun" and event_type == "ASSAULT" else []
        if targets and not actor and not recipient:
            recipient = _fill(d, targets, st, prev_subjects, lex)
        if targets and not actor and recipient and all(
                r.sector in ("MIL", "GOV", "REB", "COP") or r.kind == "state" for r in recipient):
            # "raids were launched on rebel bases": in a two-party conflict, an attack on one side's
            # forces with no attacker named is the other side's
            actor = self._complete_dyad(recipient)
        if not actor and noun_subject and event_type == "ASSAULT" and any(
                toks[c].dep in SUBJ_DEPS and c in tr.merged and self._mutual_or_means(d, c, trigs[c].tokens)
                for c in d.children.get(i, [])):
            # "clashes along the border killed 12 soldiers", "air strikes and rocket fire hit the town": fighting
            # between the two sides of the conflict, the victims' side and the other one (named in the sentence,
            # else the article's warring dyad)
            actor = self._mutual_sides(si, recipient)
        if i in self._implied:
            recipient = list(self._implied[i])
        if event_type == "AGREE" and tr.entry.pos == "verb" and not actor and any(
                toks[c].dep == "nsubj" and toks[c].lemma.lower() in lex.frames.get("document_nouns", frozenset())
                for c in d.children.get(i, [])):
            # "the accord further commits both armies to reopen the roads": the parties bound are the ones who agree
            bound = [c for c in d.children.get(i, []) if toks[c].dep == "dobj"]
            both = any(toks[x].text.lower() in ("both", "two", "each") for c in bound for x in d.children.get(c, []))
            actor = self._last_parties() if both else _fill(d, bound, st, prev_subjects, lex, self._last_parties())
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
        if not recipient and tr.event_type in REACTIONS:
            recipient = self._reacted_to(d, group, trigs)
        if not recipient and event_type == "REJECT" and actor:
            # "ruled out any talks with the kidnappers": those the refused talks or deal would be with
            partners = [q for c in d.children.get(i, []) if toks[c].dep == "dobj" and any(
                e.event_type in ("CONSULT", "AGREE") for e in lex.candidates(toks[c].lemma.lower(), "noun"))
                for p in d.children.get(c, []) if toks[p].dep == "prep" and toks[p].lemma.lower() == "with"
                for q in d.children.get(p, []) if toks[q].dep == "pobj"]
            recipient = _fill(d, partners, st, prev_subjects, lex) if partners else []
        if not recipient and event_type == "REJECT" and actor:
            recipient = self._answered(actor)
        if not recipient and actor and event_type in DYADIC_TYPES and (tr.entry.pos == "noun" or not any(
                toks[c].dep in ("dobj", "dative") and c not in tr.comp and toks[c].text.lower() not in REL_PRONOUNS
                and toks[c].lemma.lower() not in lex.reacted_nouns for c in d.children.get(i, []))):
            recipient = self._complete_dyad(actor)
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
            recipient = [r for r in self._complete_dyad(actor) if not _side(r).endswith("/REB")]
        if event_type != "ASSAULT":
            recipient = self._the_attackers(recipient)
        ids_a = {a.id or a.text for a in actor}
        recipient = [r for r in recipient if (r.id or r.text) not in ids_a]
        mediator = [m for m in mediator if (m.id or m.text) not in ids_a]
        recipient = [r for r in recipient if (r.id or r.text) not in {m.id or m.text for m in mediator}]
        # time
        owned = set(k for k, o in owner.items() if o == i)
        time, source = self._time(d, owned, times, owner, i, para_times, lede_time, st, trigs)
        if source in ("sentence", "paragraph", "lede") and time is not None and time.precision == "day":
            time = self._gap_shifted(d, i, time, lex.numbers)  # "the truce comes three days after X urged Y ..."
        place = self._place(d, owned, places, roles, sent, dateline, tr, set(group))
        if place is None and toks[i].dep == "conj" and toks[i].head in trigs:
            # "met in Kabul and pledged ...": coordinated events share the place
            head = toks[i].head
            place = self._place(d, {k for k, o in owner.items() if o == head}, places, roles, sent, None,
                                trigs[head], {head})
        if place is None:
            place = self._where_clause_place(d, i, places)
        for h in targets:
            place = place or self._place_under(d, places, h)  # "strikes were carried out on positions in X"
        if place is None and tr.entry.pos == "noun" and toks[i].dep in ("nsubj", "nsubjpass"):
            place = self._carrier_place(d, toks[i].head, places)
        if place is None and toks[i].dep == "xcomp" and toks[toks[i].head].lemma.lower() in d.instrument_verbs:
            # "used a rally at the stadium in Gao to urge X": the means is where the act was done
            v = toks[i].head
            for h in [c for c in d.children.get(v, []) if toks[c].dep == "dobj" or
                      toks[c].dep == "prep" and toks[c].lemma.lower() in LOC_PREPS]:
                place = place or self._place_under(d, places, h)
        if place is None and tr.entry.pos == "verb" and event_type in SPEECH_ACTS:
            place = self._venue(d, i, places)  # "X, visiting Mopti, said ...": where the statement was made
        if place is None and event_type in MATERIAL_TYPES and st.speaker_head is not None:
            place = self._local_source_place(d, st.speaker_head, places)
        size = size_from_tokens(toks, sorted(owned | set(group)), lex, d.children)
        if event_type == "ASSAULT":
            mode = self._assault_mode(d, owned | set(group), mode)
        if event_type == "CONSULT" and mode in (None,):
            mode = self._consult_mode(d, owned, actor, recipient)
        if time is not None and time.date_start and d.ann.article.published and st.status == "asserted" and \
                toks[i].tag not in ("VBD", "VBN") and \
                time.date_start > d.ann.article.published[:10] and len(d.ann.article.published) >= 10:
            st.status = "planned"
        planned_act = st.status == "planned" and event_type in MATERIAL_TYPES | {"CONCEDE"}
        if st.status == "planned":
            new = self.onto.future_type(event_type)
            if new != event_type:
                event_type, mode = new, None
        if st.status in ("planned", "hypothetical") and event_type in THREAT_MODES:
            # an announced or conditional coercive act is a threat (mode: its content)
            event_type, mode = "THREATEN", THREAT_MODES[event_type]
        if event_type == "CONSULT" and mode == "visit" and not recipient and place is not None:
            pass
        trig_tokens = sorted(set(tr.tokens) | set(tr.comp[:1]))
        trig_text = " ".join(toks[k].text for k in trig_tokens)
        ev = Evidence(sentence=d.text[sent.start:sent.end], start=sent.start, end=sent.end, trigger=trig_text)
        dr = _Draft(event_type, mode, actor, recipient, mediator, time, source, place, size, st.status,
                    st.attribution, [ev], si, sent.paragraph, i)
        dr.background = st.background
        dr.own_place = place is not None and place is not dateline
        dr.nominal = tr.entry.pos == "noun" or noun_subject
        dr.planned_act = planned_act
        dr.dated = (dated or noun_subject) and source == "own"
        dr.anaphoric = self._anaphoric(d, tr, roles, source, dr.own_place)
        distinct = lex.frames.get("distinct_modifiers", frozenset())
        dr.distinct = any(toks[c].dep in ("det", "amod") and toks[c].lemma.lower() in distinct
                          for k in group if trigs[k].entry.pos == "noun" for c in d.children.get(k, []))
        return dr

    def _carried_plan(self, d: _Doc, i: int, tr: _Trig, sent) -> bool:
        """Is the event planned through the verb that carries it? "the ceasefire would take effect on Sunday", "the
        truce was due to begin at 8.30" (an event noun subject of a carrier verb), "33 hostages are to be released
        while Israeli forces pull back" (a present-tense act alongside a planned one)."""
        toks, lex = d.tokens, self.lex
        t = toks[i]
        head = t.head
        if head == i or toks[head].pos not in ("VERB", "AUX"):
            return False
        fr = lex.frames
        if tr.entry.pos == "noun" and t.dep in ("nsubj", "nsubjpass"):
            carriers = fr.get("happen", frozenset()) | fr.get("in_force_light", frozenset()) | \
                fr.get("aspect", frozenset()) | {"be"}
            if toks[head].lemma.lower() not in carriers:
                return False
            plan = fr.get("plan", frozenset())
            if any(toks[c].dep in ("acomp", "xcomp") and toks[c].lemma.lower() in plan
                   for c in d.children.get(head, [])):
                return True  # "was due to begin", "is set to start"
            hst = status_of(toks, head, d.children, lex, d.text, sent.start, sent.end)
            return hst.status == "planned"
        if tr.entry.pos == "verb" and t.dep in ("advcl", "conj") and t.tag in ("VBP", "VBZ", "VB"):
            # "are to be released, while ... pull back": the governing clause's own verb, or its "be to" complement
            govs = [head] + [c for c in d.children.get(head, []) if toks[head].lemma.lower() == "be"
                             and toks[c].dep == "xcomp" and c != i]
            return any(status_of(toks, g, d.children, lex, d.text, sent.start, sent.end).status == "planned"
                       for g in govs)
        return False

    def _delegation_leaders(self, d: _Doc, rng: range) -> list[tuple[ActorRef, str]]:
        """"X's delegation was led by P", "P headed X's team", "P's counterpart Q", "R chaired the session": the
        people who conduct talks for a side (actors) or run them (mediators)."""
        toks, lex = d.tokens, self.lex
        lead = lex.frames.get("lead_verbs", frozenset())
        chair = lex.frames.get("chair_verbs", frozenset())
        teams = lex.frames.get("delegation_nouns", frozenset())
        sessions = lex.frames.get("session_nouns", frozenset())
        out: list[tuple[ActorRef, str]] = []

        def persons(heads: list[int]) -> list[ActorRef]:
            found = []
            for h in heads:
                for k in self._subtree(d, h, stop={"relcl", "acl", "advcl", "ccomp", "appos"}):
                    for ai in d.actor_by_token.get(k, []):
                        am = d.ann.actors[ai]
                        if am.actor.kind == "person" and am.actor.id and am not in found:
                            found.append(am)
            return [_ref(am) for am in found]

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
                    out.append((_ref(am), "actor"))
        return out

    def _attach_leaders(self, drafts: list[_Draft], leaders: list[tuple[int, ActorRef, str]]) -> None:
        """Delegation leaders join the talks they conduct as actors (beside their state), chairs as mediators:
        the talks reported in the leader's sentence, else the latest talks reported before it."""
        for start, ref, role in leaders:
            talks = [dr for dr in drafts if dr.event_type == "CONSULT" and dr.status != "planned"
                     and dr.evidence[0].start <= start]
            here = [dr for dr in talks if any(e.start == start for e in dr.evidence)]

            def sides(dr: _Draft) -> set[str]:
                return {r.country for r in dr.actor + dr.recipient if r.country}
            if role == "actor":
                talks = [dr for dr in talks if ref.country in sides(dr)]
                here = [dr for dr in here if ref.country in sides(dr)]
            target = (here or talks[-1:] or [None])[0]
            if target is None:
                continue
            if role == "actor":
                target.actor = _dedupe(target.actor + [ref])
            elif ref.country not in sides(target):
                target.mediator = _dedupe(target.mediator + [ref])

    def _implied_accusations(self, d: _Doc, trigs: dict[int, _Trig], rng: range,
                             prev: list[ActorRef]) -> dict[int, list[ActorRef]]:
        """"X said the gunmen took orders from handlers in Y", "X said groups attack the country from Y's
        territory": a speaker who places the origin of hostile acts in another state accuses that state. The
        speech verb becomes an ACCUSE trigger (absorbing the hostile event it reports) aimed at that state."""
        toks, lex = d.tokens, self.lex
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
                found = [k for k in self._subtree(d, v, stop={"relcl", "acl", "advcl", "nsubj", "conj"})
                         if toks[k].lemma.lower() in proof and toks[k].pos == "NOUN"]
                clauses = [c for k in found for c in d.children.get(k, []) if toks[c].dep in ("relcl", "acl", "ccomp")]
            if not subj or not clauses:
                continue
            speaker = _fill(d, subj, StatusInfo(), prev, lex)
            own = {r.country for r in speaker if r.country}
            if not own:
                continue
            for c in clauses:
                sub = self._subtree(d, c, stop={"ccomp", "relcl", "advcl"})
                hostile_here = any(k in trigs and trigs[k].event_type in ("ASSAULT", "COERCE", "THREATEN") for k in sub)
                for k in sub:
                    if toks[k].dep in ("nsubj", "nsubjpass") and toks[k].head == c:
                        refs = _actors_in(d, k, lex, allow_unresolved=True)
                        if any(r.sector in ("REB", "UAF") or r.kind == "group" and r.sector not in ("GOV", "MIL")
                               for r in refs) or toks[k].lemma.lower() in hostile:
                            hostile_here = True
                if not hostile_here:
                    continue
                target = self._origin_state(d, sub, origin, own)
                if target:
                    out[v] = target
                    trigs[v] = _Trig(i=v, entry=IMPLIED_ENTRY, tokens=[v], event_type="ACCUSE", mode="allege")
                    break
        return out

    @staticmethod
    def _subtree(d: _Doc, root: int, stop: set[str]) -> list[int]:
        out, stack = [], [root]
        while stack:
            h = stack.pop()
            out.append(h)
            stack += [c for c in d.children.get(h, []) if d.tokens[c].dep not in stop]
        return out

    def _origin_state(self, d: _Doc, sub: list[int], origin: frozenset[str], own: set[str]) -> list[ActorRef]:
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
                    return [self._state_ref(d, country, toks[k].text)]
        return []

    @staticmethod
    def _state_ref(d: _Doc, country: str, text: str) -> ActorRef:
        for am in d.ann.actors:
            if am.actor.kind == "state" and am.actor.country == country:
                ref = _ref(am)
                ref.text = text
                return ref
        return ActorRef(id=country.lower(), name=country, country=country, text=text, kind="state")

    def _anaphoric(self, d: _Doc, tr: _Trig, roles: _Roles, date_source: str, own_place: bool) -> bool:
        """A definite event noun with no parties, date or place of its own ("confirmed the agreement",
        "called the meeting constructive", "under the deal") refers back to an event already reported."""
        if own_place or date_source == "own":
            return False
        toks = d.tokens
        if tr.entry.pos == "verb" and tr.event_type in AGREEMENT_FAMILY:
            # "the text was then signed by P and Q": signing the text already reported is a retelling of it
            docs = self.lex.frames.get("document_nouns", frozenset())

            def known_doc(c: int) -> bool:
                return toks[c].lemma.lower() in docs and any(
                    toks[k].dep == "det" and toks[k].text.lower() in ("the", "this", "that")
                    for k in d.children.get(c, []))

            def doc_or_its_pronoun(c: int) -> bool:
                # "this accord was new in that it was signed by each side": the pronoun stands for the text
                if toks[c].pos == "PRON" and toks[c].text.lower() in ("it", "which"):
                    start = d.ann.sentences[d.sent_of[c]].token_start
                    return any(known_doc(k) for k in range(start, c))
                return known_doc(c)

            return toks[tr.i].lemma.lower() in self.lex.frames.get("sign_verbs", frozenset()) and any(
                toks[c].dep in ("dobj", "obj", "nsubjpass") and doc_or_its_pronoun(c) for c in d.children.get(tr.i, []))
        if tr.entry.pos != "noun":
            return False
        kids = d.children.get(tr.i, [])
        definite = any(toks[c].dep == "det" and toks[c].text.lower() in ("the", "this", "that", "these", "those")
                       for c in kids) or any(toks[c].dep == "poss" and toks[c].pos == "PRON" for c in kids)
        if not definite:
            return False
        own = [h for h in roles.actor + roles.all_actor + roles.recipient + roles.mediator
               if not (toks[h].dep == "poss" and toks[h].pos == "PRON")]
        return not own

    def _distinct_circumstance(self, dr: _Draft) -> bool:
        """A circumstance ("after talks in Oslo", "amid fighting in Mogadishu on Tuesday") that is an event of its
        own: it has its own place or its own day, and parties."""
        if not dr.actor or dr.anaphoric or not dr.nominal:
            return False
        own_day = dr.date_source == "own" and dr.time is not None and dr.time.precision in ("day", "week", "range")
        return dr.own_place or own_day

    @staticmethod
    def _own_dated(d: _Doc, i: int, times, owner) -> bool:
        """Does the event noun carry its own time expression of day, week or month precision ("the May 16
        meeting", "talks held in X on DATE", "a swap in May")? A year or a duration does not date one event."""
        return any(t.precision in ("day", "week", "month", "range")
                   and owner.get(_head_of_span(d, t.token_start, t.token_end)) == i for t in times)

    def _negated_or_content(self, d: _Doc, i: int, trigs: dict[int, _Trig], content_ok: bool = False) -> bool:
        """An event noun under a negated verb ("does not amount to a ceasefire") or a verb that only names
        content ("the text refers to prisoner exchanges") is not a report of that event."""
        toks = d.tokens
        content = self.lex.frames.get("content", frozenset())
        cur, hops = i, 0
        while toks[cur].head != cur and hops < 6 and toks[cur].dep in ("dobj", "pobj", "prep", "attr", "pcomp",
                                                                        "oprd", "compound", "nsubj", "nsubjpass",
                                                                        "conj"):
            subject = toks[cur].dep in ("nsubj", "nsubjpass")
            via_conj = toks[cur].dep == "conj"
            cur = toks[cur].head
            hops += 1
            if toks[cur].dep == "prep" and toks[cur].lemma.lower() == "without":
                return True  # "broke up without agreement on a truce or on a summit"
            if cur in trigs and not via_conj:
                return False
            if toks[cur].pos in ("VERB", "AUX"):
                # "talks did not take place", "the note does not constitute a truce", "the text refers to swaps"
                return is_negated(toks, cur, d.children, self.lex) or (
                    not subject and not content_ok and toks[cur].lemma.lower() in content)
            if subject:
                break
        return False

    @staticmethod
    def _reported_noun(d: _Doc, i: int) -> bool:
        """Does the event noun report an occurrence: the subject of a clause ("fighting continued"), a
        circumstance ("after talks"), or placed/dated by its own phrase ("talks in Oslo")? Not a purpose or goal
        ("a climate for peace talks")."""
        toks = d.tokens
        t = toks[i]
        if t.dep in ("nsubj", "nsubjpass"):
            return True
        if t.dep == "pobj" and toks[t.head].lemma.lower() in BACKGROUND_PREPS | {"during", "at"}:
            return True
        return any(toks[c].dep == "prep" and toks[c].lemma.lower() in LOC_PREPS | TEMPORAL_PREPS
                   for c in d.children.get(i, []))

    def _past_reference(self, d: _Doc, i: int) -> bool:
        """"previous ceasefires", "an earlier round": an event noun marked as past background."""
        past = self.lex.frames.get("past_modifiers", frozenset())
        return any(d.tokens[c].dep in ("amod", "advmod") and (d.tokens[c].lemma.lower() in past or
                                                           d.tokens[c].text.lower() in past)
                   for c in d.children.get(i, []))  # (the lemma of "earlier" is "early")

    def _unreal_reference(self, d: _Doc, i: int) -> bool:
        """"a possible future truce", "a potential deal": an event noun that names no event that happened."""
        unreal = self.lex.frames.get("unreal_modifiers", frozenset())
        return any(d.tokens[c].dep in ("amod", "advmod") and d.tokens[c].lemma.lower() in unreal
                   for c in d.children.get(i, []))

    def _last_parties(self) -> list[ActorRef]:
        for prev in self._so_far:
            refs = _dedupe(prev.actor + prev.recipient)
            if len({_side(r) for r in refs}) >= 2:
                return refs
        return []

    def _sentence_parties(self, si: int) -> list[ActorRef]:
        for prev in reversed(self._seen):
            if prev.sentence != si:
                break
            refs = _dedupe(r for r in prev.actor + prev.recipient if r.id)
            if len({_side(r) for r in refs}) >= 2:
                return refs
        return []

    def _repelled(self, d: _Doc, tr: _Trig, dr: _Draft, prev) -> _Draft | None:
        """"X repelled Y attacks on its posts": the repelled attack is an event of its own, by Y (the attack noun's
        own modifier, else the other side of the article's conflict) on X."""
        toks, lex = d.tokens, self.lex
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
        attackers = [a for a in attackers if _side(a) not in mine] or self._complete_dyad(dr.actor)
        if not attackers:
            return None
        ev = Evidence(sentence=dr.evidence[0].sentence, start=dr.evidence[0].start, end=dr.evidence[0].end,
                      trigger=toks[obj].text)
        rep = _Draft("ASSAULT", dr.mode, attackers, list(dr.actor), [], dr.time, dr.date_source, dr.place,
                     Size(None, None, None), dr.status, dr.attribution, [ev], dr.sentence, dr.paragraph, obj)
        rep.background, rep.own_place, rep.dated = dr.background, dr.own_place, dr.dated
        return rep

    @staticmethod
    def _carried_out_on(d: _Doc, i: int) -> list[int]:
        """Heads of the targets of an attack noun told through a passive light verb ("strikes were carried out /
        launched on X", "raids were conducted against Y")."""
        toks = d.tokens
        v = toks[i].head
        if toks[i].dep != "nsubjpass" or v == i or toks[v].pos != "VERB":
            return []
        return [p for c in d.children.get(v, []) if toks[c].dep == "prep" and toks[c].lemma.lower() in ("on", "against")
                for p in d.children.get(c, []) if toks[p].dep == "pobj"]

    def _stages(self, d: _Doc, rng: range, pool: list[_Draft], times) -> list[_Draft]:
        """"The second phase on Tuesday freed 75 captives per side", "in the final phase": a stage
        of the multi-stage event told just before (an exchange, a withdrawal) is a mention of its own, of the same
        type and parties, dated by its own day (else by the sentence's)."""
        toks, fr = d.tokens, self.lex.frames
        staged = fr.get("staged_types", frozenset())
        ordinals = fr.get("ordinal_words", frozenset())
        out: list[_Draft] = []
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
            own = [t for t in times if t.precision == "day" and (self._attached_to(d, t, k) or toks[k].dep in (
                "nsubj", "nsubjpass") and self._attached_to(d, t, toks[k].head))]
            t = own[0] if own else (base.time if base.sentence == d.sent_of[k] else None)
            if t is None or t.precision != "day" or not (t.date_start or d.ann.article.published is None):
                continue  # a stage that cannot be placed in time is told by the whole
            ev = Evidence(sentence=d.text[d.ann.sentences[d.sent_of[k]].start:d.ann.sentences[d.sent_of[k]].end],
                          start=d.ann.sentences[d.sent_of[k]].start, end=d.ann.sentences[d.sent_of[k]].end,
                          trigger=toks[k].text)
            st = _Draft(base.event_type, base.mode, list(base.actor), list(base.recipient), list(base.mediator),
                        t, "own", base.place, Size(None, None, None),
                        base.status, base.attribution, [ev], d.sent_of[k], d.ann.sentences[d.sent_of[k]].paragraph, k)
            st.stage, st.of, st.nominal = True, base, True
            out.append(st)
        return out

    def _from_each_side(self, d: _Doc, i: int) -> bool:
        """Does the subject of trigger i (or the trigger itself) say "from each side" / "from both sides"?"""
        toks = d.tokens
        heads = [i] + [c for c in d.children.get(i, []) if toks[c].dep in ("nsubj", "nsubjpass", "dobj")]
        for h in heads:
            for p in d.children.get(h, []):
                if toks[p].dep != "prep" or toks[p].lemma.lower() not in ("from", "on"):
                    continue
                for q in d.children.get(p, []):
                    if toks[q].lemma.lower() in self.lex.group_reference and any(
                            toks[x].text.lower() in ("each", "both") for x in d.children.get(q, [])):
                        return True
        return False

    @staticmethod
    def _attached_to(d: _Doc, t: TimeExpression, k: int) -> bool:
        """Does time expression t modify noun k ("the first stage on Friday")?"""
        h = d.tokens[_head_of_span(d, t.token_start, t.token_end)].head
        return h == k or d.tokens[h].dep == "prep" and d.tokens[h].head == k

    @staticmethod
    def _span_stages(drafts: list[_Draft]) -> None:
        """The whole of a multi-stage event spans its stages: its date becomes the interval from the first stage's
        day to the last's (the stages and the other same-type, same-party mentions of those days)."""
        for whole in {id(x.of): x.of for x in drafts if x.stage and x.of is not None}.values():
            if whole not in drafts or whole.time is None or whole.time.precision != "day":
                continue
            t = whole.time
            if not t.date_start:
                # an undated article: the whole spans its stages' named days, which cannot be placed in time
                whole.time = TimeExpression(t.start, t.end, t.text, None, None, "range", t.token_start, t.token_end)
                continue
            keys = Coder._keys(whole.actor) | Coder._keys(whole.recipient)
            days = [x.time.date_start for x in drafts if x is not whole and x.event_type == whole.event_type
                    and x.time is not None and x.time.precision == "day" and x.time.date_start
                    and (x.stage and x.of is whole or (Coder._keys(x.actor) | Coder._keys(x.recipient)) == keys)]
            days = [x for x in days if x <= t.date_start]
            if not days or min(days) >= t.date_start:
                continue
            whole.time = TimeExpression(t.start, t.end, t.text, min(days), t.date_start, "range", t.token_start,
                                        t.token_end)

    def _extensions(self, d: _Doc, rng: range, here: list[_Draft], times) -> list[_Draft]:
        """"A pause reached on Sunday was then prolonged through the negotiations": the extension is an act of its own
        by the agreement's parties, dated by its own time expression only (never by the agreement's date)."""
        toks, fr = d.tokens, self.lex.frames
        nouns = fr.get("ceasefire_nouns", frozenset()) | fr.get("document_nouns", frozenset())
        out = []
        for v in rng:
            if toks[v].pos != "VERB" or toks[v].lemma.lower() not in fr.get("extend_verbs", frozenset()) or \
                    is_negated(toks, v, d.children, self.lex):
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
            ext = _Draft(base.event_type, base.mode, list(base.actor), list(base.recipient), list(base.mediator),
                         own[0] if own else None, "own" if own else "unknown", None, Size(None, None, None),
                         base.status, base.attribution, [ev], base.sentence, base.paragraph, v)
            ext.extension = ext.nominal = True
            out.append(ext)
        return out

    def _carrier_place(self, d: _Doc, v: int, places) -> Place | None:
        """"The next session is set to take place in X", "negotiations will take place in Y": the place of the verbs
        that carry an event noun (its subject) is the event's."""
        toks = d.tokens
        # "is set to take place in X", "is due to be held in X" (the infinitive under the adjective)
        chain, k = [v], 0
        while k < len(chain) and len(chain) < 6:
            chain += [c for c in d.children.get(chain[k], []) if toks[c].dep in ("xcomp", "acomp")]
            k += 1
        for h in chain:
            if toks[h].pos not in ("VERB", "AUX"):
                continue
            for p in d.children.get(h, []):
                if toks[p].dep == "prep" and toks[p].lemma.lower() in ("in", "at"):
                    got = self._place_under(d, places, p, max_hops=2)
                    if got is not None:
                        return got
        return None

    def _produced(self, d: _Doc, tr: _Trig, dr: _Draft) -> _Draft | None:
        """"Negotiations in X last week produced a memorandum on ...": the document the talks produced is an
        agreement of the talks' parties, of the talks' date and place."""
        toks, fr = d.tokens, self.lex.frames
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
        agr = _Draft("AGREE", None, list(dr.actor), list(dr.recipient), list(dr.mediator), dr.time, dr.date_source,
                     dr.place, Size(None, None, None), dr.status, dr.attribution, [ev], dr.sentence, dr.paragraph, doc)
        agr.background, agr.own_place, agr.nominal, agr.dated = dr.background, dr.own_place, True, dr.dated
        agr.distinct = True  # the result of those talks: not an agreement of another day told elsewhere
        return agr

    def _the_attackers(self, refs: list[ActorRef]) -> list[ActorRef]:
        """"talks with the attackers", "condemned the gunmen": unnamed perpetrators, referred to after an attack by
        an armed group was reported, are that group."""
        words = self.lex.frames.get("perpetrator_nouns", frozenset())
        out = []
        for r in refs:
            toks = (r.text or "").lower().split()
            if r.kind in ("agent", "unresolved") and r.sector in ("UAF", None) and toks and (
                    toks[-1] in words or toks[-1].rstrip("s") in words):
                named = next((p.actor for p in reversed(self._seen) if p.event_type == "ASSAULT" and p.actor
                              and all(_side(a).endswith("/REB") for a in p.actor)), None)
                if named:
                    out += named
                    continue
            out.append(r)
        return _dedupe(out)

    def _mutual_or_means(self, d: _Doc, k: int, span: list[int] | None = None) -> bool:
        """Is the event noun k fighting between sides ("clashes") or an attack told through the means of war of
        armed parties ("air strikes", "artillery fire", "shelling and rocket fire")?"""
        means = self.lex.frames.get("war_means", frozenset())
        toks = d.tokens
        mods = [c for c in d.children.get(k, []) if toks[c].dep in ("compound", "amod", "nmod")]
        mods += [x for c in mods for x in d.children.get(c, []) if toks[x].dep == "conj"]
        words = {toks[x].lemma.lower() for x in [k] + mods + list(span or [])}
        return d.tokens[k].lemma.lower() in self.lex.mutual_nouns or bool(words & means)

    def _mutual_sides(self, si: int, victims: list[ActorRef]) -> list[ActorRef]:
        """The two sides of unattributed fighting: the parties named in the sentence, else the article's dyad;
        with the victims known, the dyad must include their side (fighting in another conflict is not this)."""
        parties = self._sentence_parties(si) or self._last_parties()
        if not parties:
            return []
        mine = {r.country for r in victims if r.country}
        if mine and not mine & {r.country for r in parties if r.country}:
            return []
        return parties

    def _complete_dyad(self, actor: list[ActorRef]) -> list[ActorRef]:
        """The other side of the article's two-party conflict or negotiation, for a directed act whose
        target is left implicit ("Kabul rejects the charge", "the group issued an ultimatum")."""
        parties = [r for r in self._last_parties() if r.country]  # (unresolved fillers are no side of their own)
        sides = {_side(r) for r in parties}
        mine = {_side(a) for a in actor}
        if len(sides) != 2 or len(mine & sides) != 1 or len(mine) != 1:
            return []
        return [r for r in parties if _side(r) not in mine]

    def _reacted_to(self, d: _Doc, group: list[int], trigs: dict[int, _Trig]) -> list[ActorRef]:
        """Recipients of a reaction to an event reported earlier ("condemned the strike", "rejects the
        charge"): the actors of the latest such event."""
        wanted = []
        for g in group[1:]:
            if trigs[g].entry.pos == "noun":
                wanted.append(trigs[g].event_type)
        for c in d.children.get(group[0], []):
            if d.tokens[c].dep in ("dobj", "nsubjpass", "pobj"):
                t = self.lex.reacted_nouns.get(d.tokens[c].lemma.lower())
                if t:
                    wanted.append(t)
        for t in wanted:
            for prev in reversed(self._seen):
                if prev.event_type == t and prev.actor:
                    return list(prev.actor)
        return []

    def _answered(self, actor: list[ActorRef]) -> list[ActorRef]:
        """The party a rejection or denial answers: the actors of the latest accusation, demand or offer
        (background ones included) aimed at the rejecting actor ("X accuses Y of ... Y denies it")."""
        keys = self._keys(actor)
        countries = {a.country for a in actor if a.country}
        for prev in reversed(self._seen):
            if prev.event_type not in ("ACCUSE", "REQUEST", "AGREE", "THREATEN") or not prev.actor:
                continue
            if self._keys(prev.recipient) & keys or countries & {r.country for r in prev.recipient if r.country}:
                got = [a for a in prev.actor if (a.id or a.text) not in {x.id or x.text for x in actor}]
                if got:
                    return got
        return []

    def _subordinate(self, d: _Doc, i: int, trigs: dict[int, _Trig]) -> bool:
        toks = d.tokens
        cur, hops, path = i, 0, []
        while toks[cur].head != cur and hops < 12:
            dep = toks[cur].dep
            parent = toks[cur].head
            path.append(dep)
            if dep == "pobj" and toks[parent].lemma.lower() in BACKGROUND_PREPS:
                return True
            if toks[parent].lemma.lower() in self.lex.frames.get("speech", frozenset()) and toks[parent].pos == "VERB":
                return False  # a reported event is a report of its own
            if dep == "advcl" and any(toks[c].dep == "mark" and toks[c].text.lower() in BACKGROUND_PREPS
                                      for c in d.children.get(cur, [])):
                return True
            if dep == "advcl" and any(toks[c].dep == "mark" and toks[c].text.lower() in CONTRAST_MARKS
                                      for c in d.children.get(cur, [])):
                return False  # "X asked ..., while Y pressed ...": two reports
            if dep == "advcl" and cur == i and toks[i].tag == "VBG" and trigs[i].event_type == "ACCUSE" and not any(
                    toks[c].dep == "mark" for c in d.children.get(i, [])):
                # "X suspended the talks, accusing Y of war crimes": an allegation of its own (a participle "calling
                # for", "demanding" usually tells the content of the main act)
                return False
            if dep in ("relcl", "acl") and toks[i].pos != "NOUN":
                return not self._relative_report(d, cur, trigs[i])
            if parent in trigs and trigs[parent].absorbed_by is None and not trigs[parent].frame_only:
                return set(path) != {"conj"}
            cur = parent
            hops += 1
        return False

    @staticmethod
    def _relative_report(d: _Doc, v: int, tr: _Trig) -> bool:
        """"the militia, which it accused of shelling villages": a speech act in a relative clause with a subject
        of its own is a report, not a description of the noun."""
        if tr.event_type not in SPEECH_ACTS or d.tokens[v].dep != "relcl" or v != tr.i:
            return False
        kids = d.children.get(v, [])
        return any(d.tokens[c].dep == "nsubj" and d.tokens[c].text.lower() not in REL_PRONOUNS for c in kids) and any(
            d.tokens[c].dep == "dobj" and d.tokens[c].text.lower() in REL_PRONOUNS for c in kids)

    def _in_clause(self, d: _Doc, k: int) -> bool:
        speech = self.lex.frames.get("speech", frozenset())
        cur, hops = k, 0
        while d.tokens[cur].head != cur and hops < 12:
            if d.tokens[cur].dep in ("advcl", "relcl", "acl") and d.tokens[cur].lemma.lower() not in speech:
                return True
            cur = d.tokens[cur].head
            hops += 1
        return False

    def _in_condition(self, d: _Doc, i: int) -> bool:
        cond = self.lex.frames.get("conditional", frozenset())
        cur, hops = i, 0
        while hops < 6:
            t = d.tokens[cur]
            if any(d.tokens[c].dep == "mark" and d.tokens[c].text.lower() in cond for c in d.children.get(cur, [])) \
                    and t.dep in ("advcl", "ccomp", "ROOT") and cur != d.tokens[cur].head or (
                    t.dep == "advcl" and any(d.tokens[c].dep == "mark" and d.tokens[c].text.lower() in cond
                                             for c in d.children.get(cur, []))):
                return True
            if t.head == cur or t.dep not in ("xcomp", "conj", "dobj", "pobj", "prep", "advcl", "ccomp", "pcomp", "acl"):
                return False
            cur = t.head
            hops += 1
        return False

    def _in_force(self, d: _Doc, i: int) -> bool:
        """"the ceasefire took effect / came into force / held": a truce in force, observed by its parties."""
        toks = d.tokens
        v = toks[i].head
        if toks[i].dep not in ("nsubj", "nsubjpass") or v == i or toks[v].pos not in ("VERB", "AUX"):
            return False
        frames = self.lex.frames
        lemma = toks[v].lemma.lower()
        if lemma in frames.get("in_force_verbs", frozenset()):
            return True
        words = {toks[k].lemma.lower() for c in d.children.get(v, []) for k in [c] + d.children.get(c, [])}
        return lemma in frames.get("in_force_light", frozenset()) and bool(words & frames.get("in_force_nouns", frozenset()))

    def _light_verb_subject(self, d: _Doc, i: int, st: StatusInfo, prev) -> tuple[list[ActorRef], int]:
        """"activists staged a hunger strike", "students held demonstrations", "farmers converged for a rally":
        an event noun under a light verb is done by that verb's subject."""
        toks = d.tokens
        light = self.lex.frames.get("light_verbs", frozenset())
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
        subj, passive = _subject_of(d, v)
        if passive or not subj:
            return [], i
        # "both sides carried out a new swap": the parties of the article's two-party event
        return _fill(d, subj, st, prev, self.lex, self._last_parties()), v

    def _inherit(self, d: _Doc, i: int, st: StatusInfo, prev, trigs) -> list[ActorRef]:
        """Actors of a nominal trigger without its own: the subject of the verb it hangs from
        ("agreed to a ceasefire after talks" -> the talks' parties) or the objects of a verb it is subject of
        ("the negotiations brought together A and B")."""
        toks, ch = d.tokens, d.children
        cur, hops = i, 0
        while toks[cur].head != cur and hops < 4:
            hops += 1
            dep = toks[cur].dep
            parent = toks[cur].head
            pt = toks[parent]
            if pt.pos in ("VERB", "AUX"):
                if pt.lemma.lower() in self.lex.frames.get("speech", frozenset()):
                    return []  # "X announced ..., after talks in Oslo": the announcer is not a party
                if dep in ("nsubj", "nsubjpass"):
                    objs = [c for c in ch.get(parent, []) if toks[c].dep in ("dobj",)]
                    if parent not in trigs and objs:
                        return _fill(d, objs, st, prev, self.lex, self._last_parties())
                    return []
                subj, passive = _subject_of(d, parent)
                if subj and not passive:
                    # "the two parties completed a new swap": the parties of the article's two-party event (for the
                    # verb's own object only)
                    return _fill(d, subj, st, prev, self.lex, self._last_parties() if cur == i and dep == "dobj" else None)
                return []
            cur = parent
        return []

    def _time(self, d, owned, times, owner, i, para_times, lede_time, st, trigs):
        pub = d.ann.article.published or ""
        # a past act ("had suggested a summit by mid-June") did not happen after the article: a later
        # time in its clause dates the act's content, not the act
        past_act = d.tokens[i].tag in ("VBD", "VBN") and len(pub) >= 10 and st.status != "planned"

        def content_time(t: TimeExpression) -> bool:
            cur, hops = d.tokens[_head_of_span(d, t.token_start, t.token_end)].head, 0
            while cur != i and hops < 6 and d.tokens[cur].head != cur:
                if d.tokens[cur].pos in ("NOUN", "PROPN"):
                    return True  # hangs from a noun of the act's complement ("a summit by mid-June")
                cur, hops = d.tokens[cur].head, hops + 1
            return False

        def ok(t: TimeExpression) -> bool:
            if not t.date_start:
                # an undated article: the day as written ("on Sunday") still tells its events apart and is kept
                # as the mention's date_text (its date stays unknown)
                return not pub and t.precision == "day"
            return t.precision != "duration" and not (
                past_act and t.date_start > pub[:10] and content_time(t))

        own = [t for t in times if ok(t) and owner.get(_head_of_span(d, t.token_start, t.token_end)) == i]
        fine = [t for t in own if t.precision in ("day", "week", "range")]
        if fine:
            return min(fine, key=lambda t: abs(t.token_start - i)), "own"
        coarse = min(own, key=lambda t: abs(t.token_start - i)) if own else None
        # the trigger that governs this one (a nominal event inside another's clause)
        cur, hops = i, 0
        while d.tokens[cur].head != cur and hops < 8:
            cur = d.tokens[cur].head
            hops += 1
            if cur in trigs and trigs[cur].absorbed_by is None:
                gov = [t for t in times if ok(t) and owner.get(_head_of_span(d, t.token_start, t.token_end)) == cur]
                if gov:
                    return gov[0], "governing"
                break
        if coarse is not None:
            return coarse, "own"
        # a time of the sentence's main clause (not one inside another clause: "since ... in 2021")
        free = [t for t in times if ok(t) and owner.get(_head_of_span(d, t.token_start, t.token_end)) is None
                and not self._in_clause(d, _head_of_span(d, t.token_start, t.token_end))]
        if free:
            return min(free, key=lambda t: abs(t.token_start - i)), "sentence"
        if st.status == "planned":
            return None, "unknown"
        if para_times:
            return para_times[-1], "paragraph"
        if lede_time is not None:
            return lede_time, "lede"
        return None, "unknown"

    def _place(self, d: _Doc, owned, places, roles: _Roles, sent, dateline, tr: _Trig,
               group: set[int] | None = None) -> Place | None:
        actor_toks: set[int] = set()
        verbal = self.onto.quad(tr.event_type) in (1, 3)
        for h in roles.actor + roles.all_actor + roles.mediator:
            for c in _conjuncts(d, h):
                actor_toks.update(_np_tokens(d, c))
                # "the junta in Bamako agreed ...": the seat of a party, not where a verbal act
                # happened ("forces in X attacked" does place a material act)
                if verbal and d.tokens[c].pos in ("NOUN", "PROPN") and c not in tr.tokens:
                    for p in d.children.get(c, []):
                        if d.tokens[p].dep == "prep" and d.tokens[p].lemma.lower() in ("in", "of", "from"):
                            actor_toks.update(self._subtree(d, p, set()))
        found = []
        for pm in places:
            h = _head_of_span(d, pm.token_start, pm.token_end)
            if h not in owned or h in actor_toks:
                continue
            if self._locative(d, h, tr, group or {tr.i}):
                found.append(pm)
        if found:
            # "in Sindh's Thar district", "the Syrian city of Homs": the finest place named wins
            return max(found, key=lambda pm: (pm.place.resolution or 0, -pm.start)).place
        if dateline is not None and d.ann.sentences and sent.paragraph == d.ann.sentences[0].paragraph \
                and tr.event_type in ("CONSULT", "AGREE", "CONCEDE", "SUPPORT"):
            return dateline
        return None

    @staticmethod
    def _place_under(d: _Doc, places, root: int, max_hops: int = 5) -> Place | None:
        """The finest place named in the phrase under token `root` (not inside a clause of its own)."""
        found = []
        for pm in places:
            cur, hops = _head_of_span(d, pm.token_start, pm.token_end), 0
            while cur != root and d.tokens[cur].head != cur and hops < max_hops and \
                    d.tokens[cur].dep not in ("relcl", "acl", "advcl", "ccomp", "conj"):
                cur = d.tokens[cur].head
                hops += 1
            if cur == root:
                found.append((pm.place.resolution or 0, -hops, pm.place))
        if not found:
            return None
        return max(found, key=lambda x: (x[0], x[1]))[2]  # the finest, then the head of the phrase

    @staticmethod
    def _where_clause_place(d: _Doc, i: int, places) -> Place | None:
        """"12 died in Ituri, where a militia has been clashing with the army ...": an event told in a where-clause
        happens at the place the clause describes."""
        toks = d.tokens
        cur, hops = i, 0
        while toks[cur].dep != "relcl" and toks[cur].head != cur and hops < 3:
            cur = toks[cur].head
            hops += 1
        if toks[cur].dep != "relcl" or not any(toks[c].dep == "advmod" and toks[c].text.lower() == "where"
                                               for c in d.children.get(cur, [])):
            return None
        head = toks[cur].head
        for pm in places:
            if pm.token_start <= head < pm.token_end:
                return pm.place
        return None

    def _venue(self, d: _Doc, i: int, places) -> Place | None:
        """The place of a statement: "X, visiting Mopti, said", "Speaking in Timbuktu, X accused" (the speaker's
        participle naming where the speaker was)."""
        toks, venue = d.tokens, self.lex.frames.get("venue_verbs", frozenset())
        parts = [c for c in d.children.get(i, []) if toks[c].dep == "advcl" and toks[c].tag == "VBG"]
        for c in d.children.get(i, []):
            if toks[c].dep in ("nsubj", "nsubjpass"):
                parts += [a for a in d.children.get(c, []) if toks[a].dep == "acl" and toks[a].tag == "VBG"]
        for v in parts:
            if toks[v].lemma.lower() not in venue:
                continue
            heads = [c for c in d.children.get(v, []) if toks[c].dep == "dobj"] + [
                c for c in d.children.get(v, []) if toks[c].dep == "prep" and toks[c].lemma.lower() in LOC_PREPS]
            for h in heads:
                got = self._place_under(d, places, h)
                if got is not None:
                    return got
        return None

    def _local_source_place(self, d: _Doc, spk: int, places) -> Place | None:
        """"local officials in Diffa region said raids killed 8": an unlocated material event reported by
        the authorities, residents or witnesses of a place happened there."""
        toks, fr = d.tokens, self.lex.frames
        lemma = toks[spk].lemma.lower()
        witness = lemma in fr.get("local_witness_nouns", frozenset())
        if not witness and lemma not in fr.get("local_source_nouns", frozenset()):
            return None
        local = witness or any(toks[c].lemma.lower() in fr.get("local_modifiers", frozenset())
                               for c in d.children.get(spk, []) if toks[c].dep in ("amod", "compound"))
        for c in d.children.get(spk, []):
            if toks[c].dep == "prep" and toks[c].lemma.lower() in ("in", "from"):
                got = self._place_under(d, places, c)
                if got is not None and (local or got.resolution in (2, 3)):
                    return got
        return None

    @staticmethod
    def _locative(d: _Doc, h: int, tr: _Trig, group: set[int]) -> bool:
        """Is the place at token h where the event happens: "in/at/near X", "visit to X", "the X attack",
        the object of an attack or raid?"""
        toks = d.tokens
        cur, hops, path = h, 0, []
        material = tr.event_type in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "RETREAT", "AID")
        while hops < 8:
            t = toks[cur]
            if cur != h and t.dep == "prep" or (cur != h and t.pos == "ADP"):
                if t.lemma.lower() in LOC_PREPS or (t.lemma.lower() in ("to", "into") and (tr.mode == "visit" or material)):
                    return Coder._attached_to_event(d, cur, group | set(tr.tokens))
                if t.lemma.lower() != "of":
                    return False
            if t.head == cur:
                return False
            parent = t.head
            path.append(t.dep)
            if parent in group or parent in tr.tokens:
                if t.dep in ("compound", "amod", "nmod", "poss") and tr.entry.pos == "noun":
                    return True
                if t.dep in ("dobj", "nsubjpass") and material:
                    return True
                return t.dep == "prep" and toks[cur].lemma.lower() in LOC_PREPS
            cur = parent
            hops += 1
        return False

    @staticmethod
    def _attached_to_event(d: _Doc, k: int, group: set[int]) -> bool:
        """Does the phrase at k belong to the event's clause, not to a description of one of its participants
        ("cricketers returning from a match in X", "the minister, who was born in Y")?"""
        toks = d.tokens
        cur, hops = k, 0
        while cur not in group and toks[cur].head != cur and hops < 12:
            if toks[cur].dep in ("acl", "relcl", "appos") and toks[toks[cur].head].pos in ("NOUN", "PROPN", "PRON"):
                return False
            cur = toks[cur].head
            hops += 1
        return True

    def _assault_mode(self, d: _Doc, toks_ids, mode):
        words = {d.tokens[k].lemma.lower() for k in toks_ids} | {d.tokens[k].text.lower() for k in toks_ids}
        for m, cues in self.lex.assault_modes.items():
            if words & cues:
                return m
        return mode

    def _consult_mode(self, d, owned, actor, recipient):
        words = {d.tokens[k].lemma.lower() for k in owned}
        if words & self.lex.multilateral:
            return "multilateral"
        return None

    # ------------------------------------------------------------------ merging
    @staticmethod
    def _keys(refs: list[ActorRef]) -> set[str]:
        return {(r.id or r.name or r.text or "").lower() for r in refs if (r.id or r.name or r.text)}

    def _compatible(self, a: _Draft, b: _Draft) -> bool:
        if a.event_type != b.event_type:
            return False
        if (a.status == "planned") != (b.status == "planned"):
            return False  # an announced event is not the report of a past one
        if self.onto.quad(a.event_type) in (3, 4) and not (self._keys(a.actor) & self._keys(b.actor)) and (
                self._keys(a.actor) & self._keys(b.recipient) or self._keys(b.actor) & self._keys(a.recipient)):
            return False  # the roles reversed: a counter-attack or a reply, not a retelling
        pers_a = {r.id for r in a.actor if r.kind == "person" and r.id}
        pers_b = {r.id for r in b.actor if r.kind == "person" and r.id}
        if pers_a and pers_b and not pers_a & pers_b and a.event_type in SPEECH_ACTS:
            return False  # two people's statements are two statements
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
        if a.extension != b.extension or a.extension and da != db:
            return False  # the extension of a truce is not its agreement
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
        pa = self._keys(a.actor) | self._keys(a.recipient)
        pb = self._keys(b.actor) | self._keys(b.recipient)
        if da and db and da != db and (not pa and a.date_source in ("own", "governing")
                                       or not pb and b.date_source in ("own", "governing")):
            return False  # a party-less mention dated in its own clause tells another day's event, not this one
        if not pa or not pb:
            return True
        if a.sentence == b.sentence:
            return bool(pa & pb) or not (self._keys(a.actor) and self._keys(b.actor))
        # a retelling names the same parties (at least the overlap of the smaller set), by id or by country
        small = pa if len(pa) <= len(pb) else pb
        if len(pa & pb) >= max(1, min(2, len(small))):
            return True
        if self._armed_alias(a.actor, b.actor) or self._armed_alias(b.actor, a.actor):
            return True  # "the BLA hijacked the train ... gunmen then took passengers hostage": the same attackers
        ca = {r.country for r in a.actor + a.recipient if r.country}
        cb = {r.country for r in b.actor + b.recipient if r.country}
        # the same sides, one of them told through the people who acted for their states
        people = all(r.kind == "person" for r in a.actor + a.recipient) or all(
            r.kind == "person" for r in b.actor + b.recipient)
        return len(ca) >= 2 and len(cb) >= 2 and (ca <= cb or cb <= ca) and (bool(pa & pb) or people and ca == cb)

    @staticmethod
    def _armed_alias(anon: list[ActorRef], named: list[ActorRef]) -> bool:
        """Are the unnamed armed men of one report ("gunmen", "the attackers") the armed group another names?"""
        if not anon or not all(r.kind in ("agent", "unresolved") and r.sector in ("UAF", "REB") for r in anon):
            return False
        groups = [r for r in named if r.kind == "group" and r.sector == "REB"]
        return bool(groups) and all(r.country is None or any(g.country == r.country for g in groups) for r in anon)

    def _merge(self, drafts: list[_Draft]) -> list[_Draft]:
        out: list[_Draft] = []
        for dr in drafts:
            if dr.planned_act:
                # "the ceasefire is to begin on Sunday", "33 hostages are to be released": after an agreement, the
                # acts arranged for later are its content, not events of their own
                ref = next((p for p in reversed(out) if p.status != "planned" and (
                    p.event_type in AGREEMENT_FAMILY or p.mode == "ceasefire")), None)
                if ref is not None:
                    if all(e.start != dr.evidence[0].start for e in ref.evidence):
                        ref.evidence += dr.evidence
                    continue
            if dr.anaphoric:
                # "confirmed the agreement", "under the deal": one more piece of evidence for the event it
                # refers back to; its own (inherited) parties, date and place say nothing new
                family = AGREEMENT_FAMILY if dr.event_type in AGREEMENT_FAMILY else {dr.event_type}
                ref = next((p for p in reversed(out) if p.event_type in family), None)
                if ref is not None:
                    if all(e.start != dr.evidence[0].start for e in ref.evidence):
                        ref.evidence += dr.evidence
                    continue
            target = None
            for prev in reversed(out):
                if self._compatible(prev, dr):
                    target = prev
                    break
            if target is None:
                out.append(dr)
                continue
            target.actor = _dedupe(target.actor + dr.actor)
            target.recipient = _dedupe([r for r in target.recipient + dr.recipient
                                        if (r.id or r.text) not in {a.id or a.text for a in target.actor}])
            target.mediator = _dedupe(target.mediator + dr.mediator)
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
            if all(e.start != dr.evidence[0].start for e in target.evidence):
                target.evidence += dr.evidence
            else:
                for e in target.evidence:
                    if e.start == dr.evidence[0].start and dr.evidence[0].trigger not in e.trigger:
                        e.trigger = f"{e.trigger}; {dr.evidence[0].trigger}"
        # a demand is addressed to someone: the two sides setting themselves a deadline ask nobody
        out = [dr for dr in out if not (dr.event_type == "REQUEST" and not dr.recipient
                                        and len({_side(r) for r in dr.actor}) >= 2)]
        return [dr for dr in out if dr.actor and (dr.recipient or dr.event_type not in self.lex.needs_recipient)]

    # ------------------------------------------------------------------ records
    def _finish(self, ann: AnnotatedArticle, drafts: list[_Draft]) -> list[EventMention]:
        art = ann.article
        out = []
        for dr in drafts:
            date = enddate = precision = date_text = None
            if dr.time is not None:
                date, enddate, precision, date_text = (dr.time.date_start, dr.time.date_end, dr.time.precision,
                                                       dr.time.text)
                if enddate == date:
                    enddate = None
            elif dr.date_source == "unknown" and art.published and art.published_precision == "day" \
                    and self._present_tense(ann, dr.trigger_i):
                date, precision, date_text = art.published[:10], "day", "publication date (present-tense report)"
            at = dr.trigger_i
            actors = [self._recode(ann, a, date, at) for a in dr.actor]
            recips = self._victims(dr, actors, [self._recode(ann, a, date, at) for a in dr.recipient])
            mediators = [self._recode(ann, a, date, at) for a in dr.mediator]
            first = dr.evidence[0]
            mid = f"{art.id}:{hashlib.sha1(f'{first.start}:{dr.trigger_i}:{dr.event_type}'.encode()).hexdigest()[:10]}"
            em = EventMention(
                id=mid, article_id=art.id, event_type=dr.event_type, mode=dr.mode,
                context=self._contexts(dr, actors + recips), actor=actors, recipient=recips, mediator=mediators,
                date=date, enddate=enddate, date_precision=precision, date_text=date_text, event_loc=dr.place,
                size=dr.size, status=dr.status, attribution=dr.attribution, evidence=dr.evidence,
                quad_code=self.onto.quad(dr.event_type), confidence=None)
            out.append(em)
        return out

    def _victims(self, dr: _Draft, actors: list[ActorRef], recips: list[ActorRef]) -> list[ActorRef]:
        """Unnamed victims of an attack ("eight people were killed") belong to the country where it happened; an
        attack by one state's forces on a place in another state targets that state."""
        loc = dr.place
        if dr.event_type != "ASSAULT" or loc is None or not loc.country_code:
            return recips
        civilian = self.lex.frames.get("civilian_nouns", frozenset())
        out = []
        for r in recips:
            if r.kind == "unresolved" and not r.country and not r.id:
                r = replace(r, country=loc.country_code)
                words = (r.name or r.text or "").lower().split()
                if words and (words[-1] in civilian or words[-1].rstrip("s") in civilian):
                    r.sector = "CVL"
            out.append(r)
        own = {a.country for a in actors if a.country}
        armed = any(a.sector in ("REB", "UAF") for a in actors)
        if own and ((loc.country_code not in own and not armed) or (armed and not out)) and \
                not any(r.country == loc.country_code for r in out):
            # a strike on a place in another state targets that state; rebels seizing a town, its state
            out.append(ActorRef(id=None, name=None, country=loc.country_code, text=loc.extracted_place, kind="state"))
        return out

    @staticmethod
    def _present_tense(ann: AnnotatedArticle, i: int) -> bool:
        return ann.tokens[i].tag in ("VBZ", "VBP")

    def _recode(self, ann: AnnotatedArticle, ref: ActorRef, date: str | None, near: int = 0) -> ActorRef:
        """A person or group coded through the office or status held on the event's date, from its own mention:
        the mention of this actor with the same text nearest the trigger ("Kabul" about a 2020 event is the
        government of that day even where "the Taliban" of the same article is coded otherwise); a filler whose
        text no mention carries (a surname standing for a full name) uses the nearest dated mention of its id."""
        if not date or not ref.id:
            return ref
        same_id = [am for am in ann.actors if am.actor.id == ref.id]
        own = [am for am in same_id if ref.text and ref.text in (am.text, am.actor.text)]
        pool = own or [am for am in same_id if am.roles]
        if not pool:
            return ref
        am = min(pool, key=lambda a: abs(a.token_start - near))
        if not am.roles:
            return ref
        new = _code_actor_on(am, date)
        new.text = ref.text
        return new

    def _contexts(self, dr: _Draft, refs: list[ActorRef]) -> list[str]:
        ctx = []
        sectors = {r.sector for r in refs}
        if dr.event_type in ("CONSULT", "AGREE", "SUPPORT", "CONCEDE", "REQUEST", "REJECT", "ACCUSE") and \
                len({r.country for r in refs if r.country}) > 1:
            ctx.append("diplomatic")
        if "MIL" in sectors:
            ctx.append("military")
        if "REB" in sectors:
            ctx.append("terrorism" if dr.event_type in ("ASSAULT", "THREATEN") else "territory")
        if "SPY" in sectors:
            ctx.append("intelligence")
        key = f"{dr.event_type}/{dr.mode}"
        if key in self.onto.mode_contexts:
            ctx.append(self.onto.mode_contexts[key])
        return sorted(set(c for c in ctx if c in self.onto.contexts))


_DEFAULT: Coder | None = None


def code_article(ann: AnnotatedArticle) -> list[EventMention]:
    """Per-article stage: the event mentions of one annotated article."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Coder()
    try:
        return _DEFAULT.code(ann)
    except Exception:  # a coder bug must cost one article, not the run
        log.exception("coding %s failed", ann.article.id)
        return []
