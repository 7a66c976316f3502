"""Size of an event (dead, injured, arrested) from numbers and number words next to casualty words.

For each casualty word of a sentence ("killed", "dead", "wounded", "arrested", "were martyred", "lost their
lives", "death toll", "the deaths of") `event_size` decides which event it counts: the trigger that owns it in
the parse (its nearest trigger ancestor), a coordinated casualty word's event ("killing 7 and wounding 21"),
the event a participle describing its victims hangs from ("leaving 300 people injured"), else the trigger
nearest in the dependency tree ("the death toll from the bombing rose to 52", "the attack claimed the lives of
17", "were martyred when militants attacked"). The figure is read from the noun the word governs or qualifies
("at least 12 people were killed", "killed 10 civilians", "23 dead", "dozens of prisoners were detained", "the
deaths of 7 civilians", "killed a soldier"), whole number phrases read as one ("two hundred", "seventy-five",
"1,200", "3 million"), a range by its lower bound ("between 20 and 30"). Vocabulary: `data/tolls.yaml` with
lexicon.yaml's `casualties` and `numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsline.code.draft import Draft
from newsline.code.lexicon import Lexicon
from newsline.knowledge import parse_yaml
from newsline.records import Size, Token

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
NUM_DEPS = {"nummod", "quantmod", "compound", "nmod", "amod", "npadvmod"}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1000000}
FIELDS = ("dead", "injured", "arrested")
_RELATIVE_TAGS = frozenset({"WDT", "WP"})  # "that", "which", "who" as a relative clause's subject
_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside"})


@dataclass(frozen=True, slots=True)
class TollWords:
    """`data/tolls.yaml`, merged with the lexicon's casualty words."""

    casualties: dict[str, frozenset[str]]
    life_verbs: frozenset[str]
    life_nouns: frozenset[str]
    figure_verbs: frozenset[str]
    single: frozenset[str]
    collective: frozenset[str]
    range_words: frozenset[str]
    tolled_types: frozenset[str]
    object_verbs: frozenset[str]
    person_nouns: frozenset[str]


@lru_cache(maxsize=1)
def _toll_yaml() -> dict:
    return parse_yaml(Path(str(resources.files("newsline") / "data" / "tolls.yaml")).read_text(
        encoding="utf-8")) or {}


_WORDS: dict[int, TollWords] = {}


def toll_words(lex: Lexicon) -> TollWords:
    got = _WORDS.get(id(lex))
    if got is not None:
        return got
    raw = _toll_yaml()

    def fs(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key) or [])

    extra = raw.get("casualties") or {}
    cas = {f: frozenset(lex.casualties.get(f, frozenset())) | frozenset(str(w).lower() for w in extra.get(f) or [])
           for f in FIELDS}
    got = TollWords(cas, fs("life_verbs"), fs("life_nouns"), fs("figure_verbs"), fs("single_determiners"),
                    fs("collective_nouns"), fs("range_words"), frozenset(str(t) for t in raw.get("tolled_types") or []),
                    fs("object_verbs"), fs("person_nouns"))
    _WORDS.clear()  # one lexicon per process in practice; never grow with throwaway lexicons
    _WORDS[id(lex)] = got
    return got


def _word_value(text: str, lex: Lexicon) -> int | None:
    t = text.lower()
    if _DIGITS.match(t):
        return int(t.replace(",", ""))
    return lex.numbers.get(t)


def number_value(tok: Token, lex: Lexicon, tokens: Sequence[Token] | None = None) -> int | None:
    """The integer a number phrase stands for, read from token `tok` and its neighbours when `tokens` is given
    ("12", "1,000", "twelve", "two hundred", "seventy-five", "3 million", "dozens", "hundreds")."""
    if tokens is not None and _word_value(tok.text, lex) is not None:
        lo = hi = tok.i
        # the whole phrase: number words, hyphens and "and" between them ("two hundred and fifty")
        while lo - 1 >= 0 and (_word_value(tokens[lo - 1].text, lex) is not None and tokens[lo - 1].pos == "NUM"
                               or tokens[lo - 1].text == "-" and lo - 2 >= 0
                               and _word_value(tokens[lo - 2].text, lex) is not None):
            lo -= 1
        while hi + 1 < len(tokens) and (_word_value(tokens[hi + 1].text, lex) is not None
                                        and tokens[hi + 1].pos == "NUM" or tokens[hi + 1].text in ("-", "and")
                                        and hi + 2 < len(tokens) and tokens[hi + 2].pos == "NUM"
                                        and _word_value(tokens[hi + 2].text, lex) is not None
                                        and (tokens[hi + 1].text == "-" or tokens[hi].text.lower() in _SCALES)):
            hi += 1
        words = [t.text for t in tokens[lo:hi + 1] if t.text not in ("-", "and")]
        value = _phrase_value(words, lex)
        if value is not None:
            return value
    t = tok.text.lower()
    v = _word_value(t, lex)
    if v is not None:
        return v
    if tok.lemma.lower() in lex.numbers and tok.pos in ("NUM", "NOUN"):
        return lex.numbers[tok.lemma.lower()]
    return None


def _phrase_value(words: list[str], lex: Lexicon) -> int | None:
    """"two hundred fifty" -> 250, "seventy five" -> 75, "3 million" -> 3000000; None when the words do not
    make one number (two numbers side by side, "20 30")."""
    total = current = 0
    last_small = False
    for w in words:
        v = _word_value(w, lex)
        if v is None:
            return None
        low = w.lower()
        if low in _SCALES:
            current = max(current, 1) * v
            if v >= 1000:
                total, current = total + current, 0
            last_small = False
        else:
            if last_small and not (current % 100 == 0 and current >= 100) and not (
                    current % 10 == 0 and current >= 20 and v < 10):
                return None  # "20 30": two numbers, not one
            current += v
            last_small = True
    return total + current


def _num_in(tokens: Sequence[Token], head: int, lex: Lexicon, children: dict[int, list[int]],
            tw: TollWords | None = None) -> int | None:
    """A number qualifying noun `head`: its nummod, a number head ("dozens of people"), the "of" phrase of a
    collective ("a family of seven", "the deaths of 7 civilians"), a single victim ("a soldier"), or the noun
    itself ("dozens")."""
    tok = tokens[head]
    v = number_value(tok, lex, tokens) if tok.pos in ("NUM", "NOUN") else None
    if v is not None and tok.pos == "NUM":
        return v
    for c in children.get(head, []):
        ct = tokens[c]
        if ct.dep in NUM_DEPS or ct.pos == "NUM":
            if ct.dep == "compound" and ct.pos != "NUM" and ct.lemma.lower() not in lex.numbers:
                continue
            cv = number_value(ct, lex, tokens)
            if cv is not None:
                return cv
    if v is not None:  # "dozens" as the noun itself
        return v
    if tw is not None:
        for c in children.get(head, []):
            if tokens[c].dep == "prep" and tokens[c].lemma.lower() == "of":
                for p in children.get(c, []):
                    if tokens[p].dep == "pobj":
                        got = _num_in(tokens, p, lex, children, tw)
                        if got is not None:
                            return got
        if tok.tag == "NN" and tok.lemma.lower() not in tw.collective and any(
                tokens[c].dep in ("det", "nummod") and tokens[c].text.lower() in tw.single
                for c in children.get(head, [])):
            return 1  # "killed a soldier"
    return None


def _noun_total(tokens, head, lex, children, tw: TollWords | None = None) -> int | None:
    """Number of a noun phrase, summing coordinated counts ("21 passengers and four soldiers"); a range
    counts its lower bound ("between 20 and 30 people", "20 to 30")."""
    conjuncts: list[int] = []
    stack = [head]
    while stack:
        h = stack.pop()
        if h in conjuncts:
            continue
        conjuncts.append(h)
        stack += [c for c in children.get(h, []) if tokens[c].dep == "conj"]
    values = [_num_in(tokens, h, lex, children, tw) for h in conjuncts]
    if len(conjuncts) > 1 and any(v is not None for v in values):
        # victims named one by one beside a counted one: "killing him and his two bodyguards"
        values = [v if v is not None else _one_of_several(tokens, h, tw)
                  for h, v in zip(conjuncts, values, strict=True)]
    total = None
    for h, v in zip(conjuncts, values, strict=True):
        if v is not None:
            total = (total or 0) + v
            if _range_start(tokens, h, children, tw):
                return v
    return total


def _one_of_several(tokens: Sequence[Token], h: int, tw: TollWords | None) -> int | None:
    """A victim named one by one beside others counted counts one: "killing him and his two bodyguards", "killed
    a journalist and his son" (a singular noun, not a collective, or a personal pronoun)."""
    t = tokens[h]
    if t.tag == "PRP" and t.text.lower() in ("him", "her", "he", "she"):
        return 1
    if t.tag in ("NN", "NNP") and t.pos in ("NOUN", "PROPN") and (tw is None or t.lemma.lower() not in tw.collective):
        return 1
    return None


def _range_start(tokens, h, children, tw: TollWords | None) -> bool:
    """Is the number at h the first bound of a range ("between 20 and 30", "20 to 30")?"""
    if tw is None:
        return False
    nums = [h] + [c for c in children.get(h, []) if tokens[c].pos == "NUM"]
    for n in nums:
        if n - 1 >= 0 and tokens[n - 1].text.lower() == "between":
            return True
        if n + 2 < len(tokens) and tokens[n + 1].text.lower() in ("to", "-") and tokens[n + 2].pos == "NUM":
            return True
    return False


def casualty_field(tokens: Sequence[Token], i: int, lex: Lexicon, children: dict[int, list[int]]) -> str | None:
    """Which count the word at i gives: "dead", "injured", "arrested" or None."""
    tw = toll_words(lex)
    tok = tokens[i]
    lemma = tok.lemma.lower()
    low = tok.text.lower()
    for fieldname in FIELDS:
        words = tw.casualties[fieldname]
        if lemma in words or low in words:
            return fieldname
    # "lost their lives", "claimed the lives of 17"
    if lemma in tw.life_verbs and any(tokens[c].lemma.lower() in tw.life_nouns or tokens[c].text.lower() in
                                      tw.life_nouns for c in children.get(i, []) if tokens[c].dep == "dobj"):
        return "dead"
    return None


def _figure(tokens, i, lex, children, tw: TollWords) -> int | None:
    """The figure of casualty word i."""
    tok = tokens[i]
    lemma = tok.lemma.lower()
    cands: list[int] = []
    if tok.pos in ("VERB", "AUX"):
        if lemma in tw.life_verbs:
            # "over 100 people lost their lives", "claimed the lives of 17 people"
            subj = [c for c in children.get(i, []) if tokens[c].dep == "nsubj" and lemma == "lose"]
            # "the attack in which over 100 people – mostly policemen – lost their lives", parsed with the attack
            # as the subject and the victims as a clause under it: the victims are the counted noun
            cands += subj + [q for c in subj for q in children.get(c, []) if tokens[q].dep in ("relcl", "appos")
                             and tokens[q].pos == "NOUN"]
            for c in children.get(i, []):
                if tokens[c].dep == "dobj":
                    cands += [q for p in children.get(c, []) if tokens[p].dep == "prep" and
                              tokens[p].lemma.lower() == "of" for q in children.get(p, []) if tokens[q].dep == "pobj"]
        else:
            # passive subject / object / subject of intransitive ("died")
            for dep in ("nsubjpass", "dobj", "nsubj"):
                cands += [c for c in children.get(i, []) if tokens[c].dep == dep]
            # "12 killed" (reduced relative/adjectival participle): the number is the head
            if tokens[tok.head].pos == "NUM" or tok.dep in ("amod", "acl"):
                cands.append(tok.head)
            # "leaving six security personnel martyred": the object of the verb the participle completes;
            # "four people were reported killed": its passive subject ("were feared killed" is parsed with the
            # participle as an adverbial clause without a subject of its own)
            if tok.dep in ("oprd", "ccomp", "xcomp") or (tok.dep == "advcl" and tok.tag == "VBN" and not any(
                    tokens[c].dep in ("nsubj", "nsubjpass") for c in children.get(i, []))):
                cands += [c for c in children.get(tok.head, []) if tokens[c].dep in ("dobj", "nsubjpass") and c != i]
            # "19 were killed and 52 wounded": a conjoined participle with its own count
    elif tok.pos == "ADJ":
        # "23 dead", "30 people dead", "117 wounded"
        if tok.dep in ("amod",):
            cands.append(tok.head)
        cands += [c for c in children.get(i, []) if tokens[c].dep in ("nsubj", "npadvmod", "nummod")]
        if tokens[tok.head].pos in ("NUM", "NOUN"):
            cands.append(tok.head)
        # "left 30 people dead": dead is oprd/ccomp of 'leave', its object the noun; "were shot dead", "were
        # confirmed dead": the passive subject
        # (the object before the subject: "an attack ... left 25 people dead" counts the people, not the attack)
        for dep in ("dobj", "nsubjpass", "nsubj"):
            cands += [c for c in children.get(tok.head, []) if tokens[c].dep == dep and c != i]
    else:  # nouns: "death toll rose to 30", "30 deaths", "dozens of fatalities", "the deaths of 7 civilians"
        cands += [c for c in children.get(i, []) if tokens[c].pos == "NUM" or tokens[c].dep == "nummod"]
        if tokens[tok.head].lemma.lower() in tw.figure_verbs or (
                tok.dep == "compound" and tokens[tokens[tok.head].head].lemma.lower() in tw.figure_verbs):
            v = tokens[tok.head].head if tok.dep == "compound" else tok.head
            for c in children.get(v, []):
                for cc in [c] + children.get(c, []):
                    if tokens[cc].pos == "NUM":
                        cands.append(cc)
        if tokens[tok.head].pos == "NUM":
            cands.append(tok.head)
        for c in children.get(i, []):
            if tokens[c].dep == "prep" and tokens[c].lemma.lower() in ("of", "at"):
                cands += [cc for cc in children.get(c, []) if tokens[cc].dep == "pobj"]
    cands += _among_subjects(tokens, i, children) + _count_figure(tokens, i, children, tw)
    people_only = lemma in tw.object_verbs or tok.text.lower() in tw.object_verbs
    for c in cands:
        if people_only and not _people(tokens, c, children, tw):
            continue  # "seized 300 rifles", "captured two towns": things, not people taken
        value = _noun_total(tokens, c, lex, children, tw)
        if value is not None:
            return value
    return None


def _people(tokens: Sequence[Token], c: int, children: dict[int, list[int]], tw: TollWords) -> bool:
    """Does noun c (or the "of" noun of a count: "dozens of militants") name people?"""
    heads = [c] + [q for p in children.get(c, []) if tokens[p].dep == "prep" and tokens[p].lemma.lower() == "of"
                   for q in children.get(p, []) if tokens[q].dep == "pobj"]
    return any(tokens[h].lemma.lower() in tw.person_nouns or tokens[h].text.lower() in tw.person_nouns
               for h in heads)


def _count_figure(tokens: Sequence[Token], i: int, children: dict[int, list[int]], tw: TollWords) -> list[int]:
    """"The number of injured reached 9", "the total of those killed rose to 30": the figure a count noun over
    casualty word i reaches."""
    up = tokens[i].head if tokens[i].dep in ("acl", "relcl") else i  # "those killed"
    if tokens[up].dep != "pobj" or tokens[tokens[up].head].lemma.lower() != "of":
        return []
    count = tokens[tokens[up].head].head
    verb = tokens[count].head
    if tokens[count].lemma.lower() not in tw.collective or tokens[verb].lemma.lower() not in tw.figure_verbs:
        return []
    return [cc for c in children.get(verb, []) if c != count for cc in [c, *children.get(c, [])]
            if tokens[cc].pos == "NUM"]


def _among_subjects(tokens: Sequence[Token], i: int, children: dict[int, list[int]]) -> list[int]:
    """"Nineteen soldiers were among the dead", "five policemen were among those killed": the subject of the
    clause the "among" phrase of casualty word i (or of the pronoun its participle describes) completes. The
    part counted is a lower bound of the toll, which a fuller figure of the event's outranks when merged."""
    cur = tokens[i].head if tokens[i].dep in ("acl", "relcl", "amod") else i
    if tokens[cur].dep != "pobj":
        return []
    prep = tokens[cur].head
    if tokens[prep].lemma.lower() != "among" or tokens[prep].head == prep:
        return []
    return [c for c in children.get(tokens[prep].head, []) if tokens[c].dep in ("nsubj", "nsubjpass")]


def size_from_tokens(tokens: Sequence[Token], token_ids: Sequence[int], lex: Lexicon,
                     children: dict[int, list[int]]) -> Size:
    """Size from the casualty words among `token_ids` (the tokens that belong to one event)."""
    tw = toll_words(lex)
    size = Size()
    for i in token_ids:
        fieldname = casualty_field(tokens, i, lex, children)
        if fieldname is None:
            continue
        value = _figure(tokens, i, lex, children, tw)
        if value is None:
            continue
        cur = getattr(size, fieldname)
        if cur is None or value > cur:
            setattr(size, fieldname, value)
    return size


def toll_owner(tokens: Sequence[Token], w: int, owner: dict[int, int], trigs: dict, children: dict[int, list[int]],
               rng: range, lex: Lexicon, max_dist: int = 4) -> int | None:
    """The event (trigger token) that casualty word w counts for (see the module docstring)."""
    t = tokens[w]
    if w in trigs and t.dep == "conj" and casualty_field(tokens, t.head, lex, children) and not any(
            tokens[c].dep in ("nsubj", "nsubjpass") for c in children.get(w, [])):
        # "killing 7 and wounding 21", "19 were killed and 52 wounded": one event's two counts
        return toll_owner(tokens, t.head, owner, trigs, children, rng, lex, max_dist)
    if w in trigs and t.dep in ("acl", "amod") and t.tag == "VBN":
        # "leaving 300 people injured": a participle describing the victims counts for their clause's event
        return owner.get(t.head)
    told = _told_event(tokens, w, trigs, children, lex)
    if told is not None:
        return told
    got = owner.get(w)
    if got is not None:
        return got
    # nearest trigger in the dependency tree: "the death toll from the bombing rose to 52"
    heads = {k: (tr.absorbed_by if tr.absorbed_by is not None else k) for k, tr in trigs.items()}
    seen, frontier = {w}, [w]
    for _ in range(max_dist):
        nxt = []
        for k in frontier:
            for n in children.get(k, []) + ([tokens[k].head] if tokens[k].head != k else []):
                if n in seen or n not in rng:
                    continue
                seen.add(n)
                nxt.append(n)
        hits = sorted((abs(n - w), n) for n in nxt if n in heads)
        if hits:
            # ties: the trigger nearest in the text, then the earlier one
            return heads[hits[0][1]]
        frontier = nxt
    return None


def _told_event(tokens: Sequence[Token], w: int, trigs: dict, children: dict[int, list[int]],
                lex: Lexicon) -> int | None:
    """The event a casualty clause describes rather than reports: "an attack in which over 100 people lost their
    lives" (a relative clause on the event noun), "30 people were killed in Catatumbo, where the ELN has been
    fighting the dissidents" (an agentless toll placed where another event goes on)."""
    if w not in trigs:
        return None

    def head_of(k: int) -> int:
        return trigs[k].absorbed_by if trigs[k].absorbed_by is not None else k

    t = tokens[w]
    kids = children.get(w, [])
    where = any(tokens[a].dep == "advmod" and tokens[a].text.lower() == "where" for a in kids)
    # the subject of "an attack that killed two policemen" is the event noun itself (a relative pronoun), no
    # perpetrator of an event of its own
    agent = any(tokens[c].dep in ("nsubj", "agent") and not (t.dep == "relcl" and tokens[c].tag in _RELATIVE_TAGS)
                for c in kids) and t.lemma.lower() not in toll_words(lex).life_verbs
    if t.dep == "relcl" and not where and not agent:  # "where the TTP had killed 6" is an event of its own
        # up from the noun the clause describes to the event it belongs to ("stormed a hall in which ...")
        cur = t.head
        for _ in range(4):
            if cur in trigs:
                return head_of(cur)
            if tokens[cur].dep not in ("pobj", "prep", "dobj", "compound", "appos") or tokens[cur].head == cur:
                break
            cur = tokens[cur].head
    if agent:
        return None
    frontier = [w]
    for _ in range(3):
        frontier = [c for k in frontier for c in children.get(k, []) if tokens[c].dep in ("prep", "pobj", "relcl")]
        for c in frontier:
            if tokens[c].dep == "relcl" and c in trigs and any(
                    tokens[a].dep == "advmod" and tokens[a].text.lower() == "where" for a in children.get(c, [])):
                return head_of(c)
    return None


def casualty_words(tokens: Sequence[Token], rng: range, lex: Lexicon, children: dict[int, list[int]]) -> list[int]:
    """The words of the sentence `rng` that give a count of casualties (`casualty_field`)."""
    return [w for w in rng if w < len(tokens) and casualty_field(tokens, w, lex, children)]


def event_size(tokens: Sequence[Token], i: int, group: Sequence[int], owner: dict[int, int], trigs: dict,
               children: dict[int, list[int]], rng: range, lex: Lexicon, words: list[int] | None = None) -> Size:
    """The size of the event of trigger i (and the triggers it absorbed, `group`) in the sentence `rng`; `words`:
    the sentence's `casualty_words` where the caller has them."""
    mine = set(group) | {i}
    if words is None:
        words = casualty_words(tokens, rng, lex, children)
    own = [w for w in words if toll_owner(tokens, w, owner, trigs, children, rng, lex) in mine]
    size = size_from_tokens(tokens, own, lex, children)
    if not words and _last_tolled(i, trigs, lex):
        size = next_sentence_toll(tokens, rng, children, lex)
    return size


def _last_tolled(i: int, trigs: dict, lex: Lexicon) -> bool:
    """Is trigger i the last event of its sentence of a type a toll counts for (`data/tolls.yaml`)?"""
    kinds = toll_words(lex).tolled_types
    tolled = [k for k, tr in trigs.items() if tr.absorbed_by is None and tr.event_type in kinds]
    return bool(tolled) and i == max(tolled)


def _sentence_after(tokens: Sequence[Token], rng: range) -> range:
    """The sentence after `rng`: the tokens of the next dependency tree (whitespace skipped)."""
    def root(k: int) -> int:
        for _ in range(len(tokens)):
            if tokens[k].head == k:
                return k
            k = tokens[k].head
        return k

    start = rng.stop
    while start < len(tokens) and tokens[start].pos == "SPACE":
        start += 1
    if start >= len(tokens):
        return range(start, start)
    top, end = root(start), start
    while end < len(tokens) and root(end) == top:
        end += 1
    return range(start, end)


def _counts_casualties(v: int, words: list[int], tokens: Sequence[Token], children: dict[int, list[int]]) -> bool:
    """Is verb v a figure verb of a casualty count: its subject a casualty word ("the death toll reached 40") or a
    count of one ("the number of injured reached 9")?"""
    for c in children.get(v, []):
        if tokens[c].dep in ("nsubj", "nsubjpass"):
            near = {c} | {q for p in children.get(c, []) for q in [p, *children.get(p, [])]}
            if near & set(words):
                return True
    return False


def next_sentence_toll(tokens: Sequence[Token], rng: range, children: dict[int, list[int]], lex: Lexicon) -> Size:
    """"A suicide bomber struck a wedding in Kunduz on Saturday. The death toll climbed to 40 on Sunday.": a toll
    told in the next sentence, which reports no event of its own (no word of the lexicon's triggers but a figure
    verb of a toll noun, no place), counts for the last attack of the sentence before, when that sentence gives
    no toll to any event."""
    tw = toll_words(lex)
    nxt = _sentence_after(tokens, rng)
    words = [w for w in nxt if casualty_field(tokens, w, lex, children)]
    if not words:
        return Size()
    for k in nxt:
        t = tokens[k]
        if t.ent_type in _PLACE_ENTITIES or t.pos == "PROPN" and t.dep == "pobj" and \
                tokens[t.head].lemma.lower() in _PLACE_PREPS:
            return Size()  # a toll of somewhere else: "In Sumy, 5 people died"
        if t.pos in ("VERB", "NOUN") and lex.candidates(t.lemma.lower(), t.pos.lower()) and not (
                t.lemma.lower() in tw.figure_verbs and _counts_casualties(k, words, tokens, children)):
            return Size()  # an event of its own: its draft carries the toll
    return size_from_tokens(tokens, words, lex, children)


def merge_size(a: Size, b: Size) -> Size:
    """Largest figure per field (a later, fuller toll wins over an early one)."""
    out = Size()
    for f in FIELDS:
        va, vb = getattr(a, f), getattr(b, f)
        setattr(out, f, vb if va is None else (va if vb is None else max(va, vb)))
    return out


def _other_day(dr: Draft, prev: Draft) -> bool:
    """Does the toll's event have a date of its own other than the attack's ("the death toll from last week's
    bombing")?"""
    a, b = dr.time, prev.time
    return dr.date_source == "own" and a is not None and b is not None and bool(a.date_start and b.date_start) \
        and (a.date_start, a.date_end) != (b.date_start, b.date_end)


def lend_orphan_tolls(drafts: list[Draft]) -> None:
    """"Russia launched a heavy drone attack on Kyiv overnight. Officials said at least 12 people were killed.": a
    toll told with no perpetrator, right after an attack by a named actor (the same sentence or the one before, no
    other place), counts for that attack, which would otherwise have none (the agentless draft is dropped)."""
    for k, dr in enumerate(drafts):
        if dr.actor or all(getattr(dr.size, f) is None for f in FIELDS):
            continue
        prev = next((p for p in reversed(drafts[:k]) if p.event_type == dr.event_type and p.actor), None)
        if prev is None or dr.sentence - prev.sentence > 1 or prev.status == "planned" or (
                prev.place is not None and dr.place is not None and prev.place != dr.place) or _other_day(dr, prev):
            continue
        for f in FIELDS:
            if getattr(prev.size, f) is None and getattr(dr.size, f) is not None:
                setattr(prev.size, f, getattr(dr.size, f))
