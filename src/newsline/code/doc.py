"""The per-article index the coder's components read: tokens (with parses repaired where they run across a
line break or a sentence split cut a coordinated subject), children, sentence and line of each token, the actor
mentions at each token, time tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from newsline.records import (
    AnnotatedArticle,
    Token,
)

# "KABUL —", "ISLAMABAD/KABUL —", "TOKYO (Reuters) -": city names in capitals before a dash or colon
_CITIES = r"[A-Z][A-Z .'-]{2,40}?(?:\s*/\s*[A-Z][A-Z .'-]{2,40}?)*"
_AGENCY_DASH = r"\s*(?:\([^)]{1,40}\))?\s*[:\u2014\u2013-]\s"
DATELINE = re.compile(f"^({_CITIES}){_AGENCY_DASH}")
# the same with a country or a date after a comma ("NAIROBI, Kenya (AP) —", "KABUL, Feb 22 (Agency) —"): the
# words a dateline takes from its line, which are no part of the lede's sentence
DATELINE_LEAD = re.compile(f"^{_CITIES}"
                           r"(?:,\s*[A-Z][A-Za-z.'-]{1,20}(?:\s+[A-Z][A-Za-z.'-]{1,20})?(?:\s+\d{1,2})?)?"
                           f"{_AGENCY_DASH}")
DATELINE_LINES = 3  # a kicker ("World") and the headline may stand above the lede's dateline


def top_lines(text: str) -> list[tuple[int, str]]:
    """The first DATELINE_LINES non-empty lines of a text, with their offsets."""
    out, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((start, line))
            if len(out) == DATELINE_LINES:
                break
        start += len(line) + 1
    return out


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
    toks = _detach_dateline(toks, text, ann)
    toks = _reattach_finite_conjuncts(toks)
    toks = _fronted_phrase_subjects(toks)
    toks = _verbless_roots(toks)
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


def _detach_dateline(toks: list[Token], text: str, ann: AnnotatedArticle) -> list[Token]:
    """"MOSCOW — A Moscow court ordered ...": the parser reads the dateline as the lede's subject (or hangs the
    subject under it as an apposition), so the city became the event's actor and the next sentences' "it". The
    dateline's tokens are cut out of the parse; a word the parser hung under them takes the dateline's place.
    Capitals naming an actor ("TTP: ...", "NATO - ...") are no dateline (the annotator leaves datelines out of
    its actors)."""
    span = None
    for start, line in top_lines(text):
        m = DATELINE_LEAD.match(line)
        if m:
            span = (start, start + m.end())
            break
    if span is None:
        return toks
    inside = {t.i for t in toks if span[0] <= t.idx < span[1]}
    if not inside or any(am.token_start in inside for am in ann.actors):
        return toks
    # the dateline's own head: the sentence root where the parser made it one (its dash may hang elsewhere)
    top = next((t for t in toks if t.i in inside and t.head == t.i), None) or \
        next((t for t in toks if t.i in inside and t.head not in inside), None)
    fixed: dict[int, Token] = {k: replace(toks[k], head=k, dep="dep") for k in inside}
    hung = [t for t in toks if t.i not in inside and t.head in inside]
    root = None
    if top is None or top.head == top.i:
        # the dateline was the root: its first verb dependent ("MOSCOW — The court jailed ...") is the lede's root
        # and takes the dateline's other dependents ("for eight years", the object the parser hung there)
        root = next((t for t in hung if t.pos in ("VERB", "AUX")), None)
        if root is not None:
            fixed[root.i] = replace(root, head=root.i, dep="ROOT")
    for t in hung:
        if t.i in fixed:
            continue
        if root is not None:
            fixed[t.i] = replace(t, head=root.i, dep=_rehung_dep(toks, t, root))
        elif top is None or top.head == top.i:
            fixed[t.i] = replace(t, head=t.i, dep="ROOT")
        else:
            fixed[t.i] = replace(t, head=top.head, dep=top.dep if t.dep in ("appos", "conj") else t.dep)
    return [fixed.get(t.i, t) for t in toks]


def _rehung_dep(toks: list[Token], t: Token, root: Token) -> str:
    """The role of a word the parser hung under the dateline, once under the lede's verb: a name in apposition
    right after the verb's object ("jailed the opposition activist Ilya Yashin") is a second object, as the
    parser reads "jailed the activist Ilya Yashin" without a dateline."""
    if t.dep == "appos" and t.i > root.i:
        return "dobj" if any(k.head == root.i and k.dep == "dobj" and k.i < t.i for k in toks[root.i:t.i]) else "dep"
    return t.dep


def _verbless_roots(toks: list[Token]) -> list[Token]:
    """"Russia's foreign minister, Sergei Lavrov, accused Kyiv of sabotage": the parser read "accused" as a
    participle describing the minister and left the sentence without a verb, so the accusation was a
    description. A noun root (the sentence has no verb root) whose participle, after the noun's apposition, has
    an object of its own is the sentence's predicate, the noun its subject."""
    fixed: dict[int, Token] = {}
    for t in toks:
        if t.dep != "acl" or t.pos != "VERB" or t.tag not in ("VBN", "VBD") or t.head == t.i:
            continue
        root = toks[t.head]
        if root.head != root.i or root.pos not in ("NOUN", "PROPN") or toks[t.i - 1].text != ",":
            continue
        kids = [k for k in toks if k.head == t.i and k.i != t.i]
        if not any(k.dep == "dobj" for k in kids) or not any(k.head == root.i and k.dep == "appos" for k in toks):
            continue
        fixed[t.i] = replace(t, head=t.i, dep="ROOT", tag="VBD")
        fixed[root.i] = replace(root, head=t.i, dep="nsubj")
        for k in toks:  # the root's other dependents after the verb ("... of sabotage.") are the verb's
            if k.head == root.i and k.i > t.i:
                fixed[k.i] = replace(k, head=t.i)
    return [fixed.get(t.i, t) for t in toks] if fixed else toks


FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


def _reattach_finite_conjuncts(toks: list[Token]) -> list[Token]:
    """"Zakharova said their presence was an attempt to put pressure on the court and accused Western
    governments of interfering": the parser coordinates the tensed "accused" with the nearest verb, the
    infinitive "put", which has no subject, so the accusation had no accuser. A tensed verb does not coordinate
    with an infinitive or a gerund: it is re-attached to the nearest tensed verb above that is not the content
    of a report (a ccomp), whose subject it shares."""
    fixed: dict[int, Token] = {}
    for t in toks:
        if t.dep != "conj" or t.pos not in ("VERB", "AUX") or t.tag not in FINITE:
            continue
        h = toks[t.head]
        if h.tag not in ("VB", "VBG") or h.dep in ("ROOT", "conj", "aux"):
            continue
        node, steps = h, 0
        while steps < 8 and node.head != node.i and (node.tag not in FINITE or node.dep == "ccomp"):
            node, steps = toks[node.head], steps + 1
        if node.i != t.i and node.tag in FINITE and node.pos in ("VERB", "AUX") and node.dep != "ccomp":
            fixed[t.i] = replace(t, head=node.i)
    if not fixed:
        return toks
    return [fixed.get(t.i, t) for t in toks]


def _fronted_phrase_subjects(toks: list[Token]) -> list[Token]:
    """"In a speech from the defendant's cage, Navalny, 44, accused Putin ...": after a fronted phrase the
    parser hangs the subject on it as an apposition and the verb has none. A name in apposition right before a
    subjectless tensed verb (commas and an age between) is that verb's subject."""
    children: dict[int, list[int]] = {}
    for t in toks:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t.i)
    fixed: dict[int, Token] = {}
    for v in toks:
        if v.pos != "VERB" or v.tag not in FINITE or v.dep not in ("ROOT", "conj"):
            continue
        if any(toks[c].dep in SUBJ for c in children.get(v.i, [])):
            continue
        k = v.i - 1
        while k >= 0 and (toks[k].text == "," or toks[k].pos == "NUM" and toks[k].dep == "appos"):
            k -= 1
        if k < 0 or k == v.i - 1 or toks[k].dep != "appos" or toks[k].pos != "PROPN":
            continue
        # the apposition's phrase must hang, through its head, under a phrase of this verb
        up, steps = toks[k].head, 0
        while steps < 6 and up != v.i and toks[up].head != up:
            up, steps = toks[up].head, steps + 1
        if up == v.i:
            fixed[k] = replace(toks[k], head=v.i, dep="nsubj")
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
