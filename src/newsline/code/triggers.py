"""Lexicon triggers of one sentence: event verbs, nouns and phrases of `data/lexicon.yaml` matched against the
parse (complements, particles, verbal complements), the speaker's "X must ..." demands, session nouns of talks
already reported; then absorption (a governing trigger takes the event of its complement: "urged X to release
prisoners" is one REQUEST), declared ceasefires, and the owner map (which trigger each token's time/place
phrase belongs to)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsline.code.doc import Doc
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon, TriggerEntry

FAMILIES = type_families()


VERB_POS = {"VERB"}


NOUN_POS = {"NOUN"}


COMP_DEPS = {"dobj", "obj", "attr", "oprd", "nsubjpass", "xcomp", "ccomp", "acomp", "dative", "pcomp"}


QUANTITY_NOUNS = {"one", "some", "series", "wave", "spate", "string", "barrage", "volley", "salvo", "number", "dozen",
                  "package", "raft", "batch", "slate",
                  "dozens", "hundred", "hundreds", "thousand", "thousands", "scores", "several", "any", "all", "most"}


@dataclass(slots=True)
class Trigger:
    i: int  # head token
    entry: TriggerEntry
    tokens: list[int]  # tokens of the trigger phrase
    comp: list[int] = field(default_factory=list)  # complement tokens that satisfied the entry
    event_type: str = ""
    mode: str | None = None
    absorbed_by: int | None = None
    merged: list[int] = field(default_factory=list)  # other trigger heads folded into this one
    frame_only: bool = False  # "denied that X attacked Y": the denial is the status of the inner event


def _comp_tokens(d: Doc, i: int) -> list[int]:
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
        # "declared a state of emergency", "lifted the state of siege": what the object is a state of
        if toks[c].lemma.lower() == "state":
            more += [q for p in ch.get(c, []) if toks[p].dep == "prep" and toks[p].lemma.lower() == "of"
                     for q in ch.get(p, []) if toks[q].dep == "pobj"]
    # "launched one of its largest raids", "fired dozens of missiles": the noun a quantity stands for
    for c in out + more:
        if toks[c].pos == "NUM" or toks[c].lemma.lower() in QUANTITY_NOUNS:
            for p in ch.get(c, []):
                if toks[p].dep == "prep" and toks[p].lemma.lower() == "of":
                    more += [q for q in ch.get(p, []) if toks[q].dep == "pobj"]
    return out + more


def hyphenated(d: Doc, c: int) -> str | None:
    """The word a hyphenated compound spells, "cease-fire" (the tokenizer splits it: "cease", "-", "fire"), in
    lower case; None when token c ends no such compound."""
    toks = d.tokens
    if c < 2 or toks[c - 1].text not in ("-", "‐", "‑") or toks[c - 1].idx + 1 != toks[c].idx or \
            toks[c - 2].idx + len(toks[c - 2].text) != toks[c - 1].idx:
        return None
    return f"{toks[c - 2].text.lower()}-{toks[c].text.lower()}"


def capitalised_event_noun(d: Doc, i: int, lex: Lexicon) -> bool:
    """"Gunfire and missiles hit the town": an event noun opening the sentence, taken for a name by the tagger."""
    t = d.tokens[i]
    return t.pos == "PROPN" and not t.ent_type and i == d.ann.sentences[d.sent_of[i]].token_start and bool(
        lex.candidates(t.text.lower(), "noun"))


PARTY_COMP = "*people"  # a complement alternative: any phrase naming people or a party ("released five missionaries")


def names_people(d: Doc, c: int, lex: Lexicon | None) -> bool:
    """Does the complement name people or a party: an actor of the dictionary, or a noun for people or bodies."""
    if c in d.actor_by_token:
        return True
    t = d.tokens[c]
    words = (t.lemma.lower(), t.text.lower())
    return lex is not None and t.pos == "NOUN" and any(w in lex.agent_nouns or w in lex.party_nouns for w in words)


def _modifies_other_event(d: Doc, c: int, entry: TriggerEntry, lex: Lexicon) -> bool:
    """"held a prisoner swap": a complement word that only modifies an event noun of another type is no complement
    of the verb (the object is the swap, not a prisoner held)."""
    t = d.tokens[c]
    if t.dep != "compound" or t.head == c:
        return False
    kinds = {e.event_type for e in lex.candidates(d.tokens[t.head].lemma.lower(), "noun")}
    return bool(kinds) and entry.event_type not in kinds


def _prep_children(d: Doc, i: int) -> set[str]:
    return {d.tokens[c].lemma.lower() for c in d.children.get(i, []) if d.tokens[c].dep in ("prep", "prt", "advmod", "dobj", "agent")}


def _has_verbal_comp(d: Doc, i: int) -> bool:
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


def _match_entry(d: Doc, i: int, entry: TriggerEntry, lex: Lexicon | None = None) -> Trigger | None:
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
        comp_hits = [c for c in comps if (toks[c].lemma.lower() in entry.comps or toks[c].text.lower() in entry.comps
                                          or hyphenated(d, c) in entry.comps
                                          or PARTY_COMP in entry.comps and names_people(d, c, lex))
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
    return Trigger(i=i, entry=entry, tokens=sorted(set(span)), comp=comp_hits, event_type=entry.event_type,
                 mode=entry.mode)


def find_triggers(d: Doc, lex: Lexicon, tok_range: range) -> dict[int, Trigger]:
    out: dict[int, Trigger] = {}
    toks = d.tokens
    for i in tok_range:
        t = toks[i]
        if t.pos in VERB_POS:
            pos = "verb"
        elif t.pos == "ADJ" and t.dep in ("acomp", "amod", "xcomp", "ROOT"):
            pos = "adj"
        elif t.pos in NOUN_POS or (t.pos == "PROPN" and t.lemma.lower() in ("talk", "summit")) or \
                capitalised_event_noun(d, i, lex):
            pos = "noun"  # ("Gunfire and missiles hit the town": an event noun taken for a name)
        else:
            continue
        lemma = t.lemma.lower()
        cands = lex.candidates(lemma, pos) or (lex.candidates(t.text.lower(), pos) if t.text.lower() != lemma else [])
        joined = hyphenated(d, i) if pos == "noun" else None
        if joined is not None and lex.candidates(joined, pos):
            cands = lex.candidates(joined, pos) + cands  # "cease-fire" is one word split in three tokens
        if not cands and pos == "verb" and t.text.lower().endswith("ed"):
            # lemmatizer slips ("staged": "stag"): the -d and -ed stems
            word = t.text.lower()
            cands = lex.candidates(word[:-1], pos) or lex.candidates(word[:-2], pos)
        if pos == "verb" and _must_request(d, i, lex):
            cands = []
        for entry in cands:
            m = _match_entry(d, i, entry, lex)
            if m is not None:
                if joined is not None and entry.words == (joined,):
                    m.tokens = [i - 2, i - 1, i]
                out[i] = m
                break
        if i not in out and pos == "verb" and _must_request(d, i, lex):
            # "X said Y must do Z": a demand by the speaker
            out[i] = Trigger(i=i, entry=MUST_ENTRY, tokens=[i], event_type="REQUEST", mode="change")
    return out


MUST_ENTRY = TriggerEntry(("must",), "verb", "REQUEST", "change", source="<speaker: X must ...>")


SESSION_ENTRY = TriggerEntry(("round",), "noun", "CONSULT", None, source="<session noun of talks already reported>")


def session_triggers(d: Doc, lex: Lexicon, tok_range: range, trigs: dict[int, Trigger]) -> None:
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
        trigs[i] = Trigger(i=i, entry=SESSION_ENTRY, tokens=[i], event_type="CONSULT")


IMPLIED_ENTRY = TriggerEntry(("say",), "verb", "ACCUSE", "allege", source="<speaker: hostile acts from Y's soil>")


def _must_request(d: Doc, i: int, lex: Lexicon) -> bool:
    toks = d.tokens
    if not any(toks[c].dep == "aux" and toks[c].text.lower() in ("must", "should") for c in d.children.get(i, [])):
        return False
    speech = lex.frames.get("speech", frozenset()) | {"conclude", "declare", "urge", "warn"}
    return toks[i].dep == "ccomp" and toks[toks[i].head].lemma.lower() in speech


ABSORB_PATH_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "nsubjpass", "attr", "oprd", "acl", "compound",
                    "appos", "conj", "dative", "advcl"}


CONTENT_PREPS = {"to", "on", "upon", "for", "of", "about", "over", "against", "into", "with", "in"}


NOMINAL_ATTACH = {"dobj", "nsubj", "nsubjpass", "attr", "compound", "appos", "pobj", "conj"}


def absorb(d: Doc, trigs: dict[int, Trigger], lex: Lexicon) -> None:
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
                if a.event_type in FAMILIES.absorbing or (tr.entry.pos == "noun" and set(path) <= NOMINAL_ATTACH | {"prep"}) \
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


def _ceasefire_content(d: Doc, tr: Trigger, trigs: dict[int, Trigger], lex: Lexicon, depth: int = 4) -> bool:
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


def _stops_hostility(d: Doc, k: int, hostile: frozenset[str]) -> bool:
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


def _names_hostility(d: Doc, k: int, hostile: frozenset[str]) -> bool:
    """A hostile act at k or as its object ("not to attack", "not to launch attacks")."""
    toks = d.tokens
    if toks[k].lemma.lower() in hostile:
        return True
    for c in d.children.get(k, []):
        if toks[c].dep in ("dobj", "obj") and (toks[c].lemma.lower() in hostile or any(
                toks[m].dep == "amod" and toks[m].lemma.lower() in hostile for m in d.children.get(c, []))):
            return True
    return False


def declared_ceasefires(d: Doc, trigs: dict[int, Trigger], lex: Lexicon) -> None:
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


def _refine(a: Trigger, inner: Trigger) -> None:
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


def owner_map(d: Doc, trigs: dict[int, Trigger], tok_range: range, lex: Lexicon | None = None) -> dict[int, int]:
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
