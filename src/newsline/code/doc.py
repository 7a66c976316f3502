"""The per-article index the coder's components read: tokens (with parses repaired where they run across a
line break or a sentence split cut a coordinated subject), children, sentence and line of each token, the actor
mentions at each token, time tokens."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from newsline.records import (
    AnnotatedArticle,
    Token,
)


@dataclass(slots=True)
class Doc:
    ann: AnnotatedArticle
    tokens: list[Token]
    children: dict[int, list[int]]
    sent_of: list[int]
    actor_by_token: dict[int, list[int]]
    text: str
    time_tokens: set[int] = field(default_factory=set)
    line_of: list[int] = field(default_factory=list)  # token -> line (paragraph) of the text
    instrument_verbs: frozenset[str] = frozenset()  # "used the parade to call on X": the object is no agent
    lede_paragraph: int = 0  # the paragraph the dateline heads (below a kicker and a headline, where a page has them)
    # per-sentence findings that do not depend on the draft (a sentence's role frames, its casualty words),
    # kept because every draft of the sentence asks for them again
    memo: dict = field(default_factory=dict)


def index(ann: AnnotatedArticle) -> Doc:
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
    return Doc(ann, toks, children, sent_of, actor_by_token, text, time_tokens, line_of)


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


def head_of_span(d: Doc, start: int, end: int) -> int:
    for k in range(start, end):
        h = d.tokens[k].head
        if not (start <= h < end) or h == k:
            return k
    return start


def by_sentence(d: Doc, items) -> dict[int, list]:
    out: dict[int, list] = {}
    for it in items:
        k = it.token_start
        if not (0 <= k < len(d.tokens)):
            continue
        out.setdefault(d.sent_of[k], []).append(it)
    return out


def subtree(d: Doc, root: int, stop: set[str]) -> list[int]:
    out, stack = [], [root]
    while stack:
        h = stack.pop()
        out.append(h)
        stack += [c for c in d.children.get(h, []) if d.tokens[c].dep not in stop]
    return out
