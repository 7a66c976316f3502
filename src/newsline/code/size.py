"""Size of an event (dead, injured, arrested) from numbers and number words next to casualty words.

Works on flat Token records: for each casualty word ("killed", "dead", "wounded", "arrested", "lost their
lives", "death toll") the number is read from the noun it governs or qualifies ("at least 12 people were
killed", "killed 10 civilians", "23 dead", "dozens of prisoners were detained", "the death toll rose to 30").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsline.code.lexicon import Lexicon
from newsline.records import Size, Token

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
NUM_DEPS = {"nummod", "quantmod", "compound", "nmod", "amod", "npadvmod"}


def number_value(tok: Token, lex: Lexicon, tokens: Sequence[Token] | None = None) -> int | None:
    """The integer a number token stands for ("12", "1,000", "twelve", "dozens", "hundreds")."""
    t = tok.text.lower()
    if _DIGITS.match(t):
        return int(t.replace(",", ""))
    if t in lex.numbers:
        value = lex.numbers[t]
        # "two hundred", "three thousand"
        if tokens is not None and tok.i + 1 < len(tokens):
            nxt = tokens[tok.i + 1].text.lower()
            if nxt in ("hundred", "thousand", "million") and value < 100:
                return value * lex.numbers[nxt]
        return value
    if tok.lemma.lower() in lex.numbers and tok.pos in ("NUM", "NOUN"):
        return lex.numbers[tok.lemma.lower()]
    return None


def _casualty_field(tokens: Sequence[Token], i: int, lex: Lexicon, children: dict[int, list[int]]) -> str | None:
    tok = tokens[i]
    lemma = tok.lemma.lower()
    low = tok.text.lower()
    for fieldname, words in lex.casualties.items():
        if lemma in words or low in words:
            return fieldname
    # "lose their lives"
    if lemma == "lose":
        for c in children.get(i, []):
            if tokens[c].lemma.lower() in ("life", "live"):
                return "dead"
    return None


def _num_in(tokens: Sequence[Token], head: int, lex: Lexicon, children: dict[int, list[int]]) -> int | None:
    """A number qualifying noun `head`: its nummod, a number head ("dozens of people"), or the noun itself."""
    tok = tokens[head]
    v = number_value(tok, lex, tokens) if tok.pos in ("NUM", "NOUN") else None
    if v is not None and tok.pos == "NUM":
        return v
    for c in children.get(head, []):
        ct = tokens[c]
        if ct.dep in NUM_DEPS or ct.pos == "NUM":
            cv = number_value(ct, lex, tokens)
            if cv is not None:
                return cv
    if v is not None:  # "dozens" as the noun itself
        return v
    return None


def _noun_total(tokens, head, lex, children) -> int | None:
    """Number of a noun phrase, summing coordinated counts ("21 passengers and four soldiers")."""
    total = None
    stack = [head]
    seen = set()
    while stack:
        h = stack.pop()
        if h in seen:
            continue
        seen.add(h)
        v = _num_in(tokens, h, lex, children)
        if v is not None:
            total = (total or 0) + v
        for c in children.get(h, []):
            if tokens[c].dep == "conj":
                stack.append(c)
    return total


def size_from_tokens(tokens: Sequence[Token], token_ids: Sequence[int], lex: Lexicon,
                     children: dict[int, list[int]]) -> Size:
    """Size from the casualty words among `token_ids` (the tokens that belong to one event)."""
    size = Size()
    for i in token_ids:
        fieldname = _casualty_field(tokens, i, lex, children)
        if fieldname is None:
            continue
        tok = tokens[i]
        value = None
        cands: list[int] = []
        if tok.pos in ("VERB", "AUX"):
            # passive subject / object / subject of intransitive ("died")
            deps_first = ("nsubjpass", "dobj", "nsubj") if tok.lemma.lower() != "lose" else ("nsubj",)
            for dep in deps_first:
                cands += [c for c in children.get(i, []) if tokens[c].dep == dep]
            # "12 killed" (reduced relative/adjectival participle): the number is the head
            if tokens[tok.head].pos == "NUM" or tok.dep in ("amod", "acl"):
                cands.append(tok.head)
            # "killing at least 30": object counted above; "left 30 dead": handled by adjective branch
        elif tok.pos in ("ADJ",):
            # "23 dead", "30 people dead", "117 wounded"
            if tok.dep in ("amod",):
                cands.append(tok.head)
            cands += [c for c in children.get(i, []) if tokens[c].dep in ("nsubj", "npadvmod", "nummod")]
            if tokens[tok.head].pos in ("NUM", "NOUN"):
                cands.append(tok.head)
            # "left 30 people dead": dead is oprd/ccomp of 'leave', its subject the noun
            for c in children.get(tok.head, []):
                if tokens[c].dep in ("dobj", "nsubj") and c != i:
                    cands.append(c)
        else:  # nouns: "death toll rose to 30", "30 deaths", "dozens of fatalities"
            cands += [c for c in children.get(i, []) if tokens[c].pos == "NUM"]
            if tokens[tok.head].lemma.lower() in ("rise", "climb", "reach", "stand", "jump", "increase"):
                for c in children.get(tok.head, []):
                    for cc in [c] + children.get(c, []):
                        if tokens[cc].pos == "NUM":
                            cands.append(cc)
            if tokens[tok.head].pos == "NUM":
                cands.append(tok.head)
            for c in children.get(i, []):
                if tokens[c].dep == "prep" and tokens[c].lemma.lower() in ("of", "at"):
                    cands += [cc for cc in children.get(c, []) if tokens[cc].pos == "NUM"]
        for c in cands:
            value = _noun_total(tokens, c, lex, children)
            if value is not None:
                break
        if value is None:
            # conjoined participle sharing the subject: "19 were killed and 52 wounded"
            continue
        cur = getattr(size, fieldname)
        if cur is None or value > cur:
            setattr(size, fieldname, value)
    return size


def merge_size(a: Size, b: Size) -> Size:
    """Largest figure per field (a later, fuller toll wins over an early one)."""
    out = Size()
    for f in ("dead", "injured", "arrested"):
        va, vb = getattr(a, f), getattr(b, f)
        setattr(out, f, vb if va is None else (va if vb is None else max(va, vb)))
    return out
