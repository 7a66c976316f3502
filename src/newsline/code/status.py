"""Status and attribution of an event: asserted, reported, denied, planned, hypothetical.

Read from the dependency path between the trigger and the sentence root over flat Token records:
speech verbs ("said", "told", "announced") make the event `reported` with the speaker as `attribution`,
"according to X" and "reportedly" likewise; denial verbs make it `denied` (a denial that is itself negated,
"neither confirm nor deny", leaves it `reported`); modal "will", "is set to", "plans to" make it `planned`;
conditional clauses and "could/might" make it `hypothetical`.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsline.code.lexicon import Lexicon
from newsline.records import Token

CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "parataxis", "conj", "pcomp", "csubj", "relcl", "acl", "dobj", "pobj", "prep"}


@dataclass(slots=True)
class StatusInfo:
    status: str = "asserted"
    attribution: str | None = None
    speaker_head: int | None = None  # token heading the speaker's noun phrase
    negated: bool = False
    background: bool = False


def is_negated(tokens: list[Token], i: int, children: dict[int, list[int]], lex: Lexicon) -> bool:
    neg = lex.frames.get("negation", frozenset())
    limits = lex.frames.get("negation_time_limits", frozenset())
    after_not = lex.frames.get("negation_time_limits_after_not", frozenset())
    if any(tokens[c].text.lower() in limits for c in children.get(i, [])):
        return False  # "did not withdraw until Friday": a time limit, the event itself happened
    for c in children.get(i, []):
        t = tokens[c]
        if t.dep == "neg" and c + 1 < len(tokens) and tokens[c + 1].text.lower() in after_not:
            continue  # "not before 21 passengers had been killed"
        if t.dep == "neg" or (t.dep == "det" and t.text.lower() in neg):
            return True
        if t.dep == "preconj" and t.text.lower() == "neither":
            return True
        if t.dep == "dobj" and any(tokens[k].dep == "det" and tokens[k].text.lower() in neg
                                   for k in children.get(c, [])):
            return True  # "offered no explanation", "released no one": the act did not happen
    return not_yet(tokens, i, children, lex)


def not_yet(tokens: list[Token], i: int, children: dict[int, list[int]], lex: Lexicon) -> bool:
    """"The group has yet to claim the attack", "has yet to confirm or deny": the complement of "have/be yet to"."""
    yet = lex.frames.get("not_yet", frozenset())
    first = i
    while tokens[first].dep == "conj" and tokens[first].head != first:
        first = tokens[first].head
    head = tokens[first].head
    return (tokens[first].dep == "xcomp" and head != first and tokens[head].lemma.lower() in ("have", "be")
            and any(tokens[c].text.lower() in yet for c in children.get(head, [])))


def _subject(tokens, i, children) -> int | None:
    """The subject of verb `i`; a verb coordinated with an earlier one shares its subject ("The US condemned the
    killing and said it was ready to help": the US said it)."""
    for _ in range(4):
        for c in children.get(i, []):
            if tokens[c].dep in ("nsubj", "nsubjpass", "csubj"):
                return c
        if tokens[i].dep != "conj" or tokens[i].head == i:
            return None
        i = tokens[i].head
    return None


def _phrase(tokens: list[Token], head: int, children: dict[int, list[int]], text: str) -> str:
    """Text of the noun phrase headed by `head` (its full subtree, without a trailing relative clause)."""
    stack, ids = [head], []
    while stack:
        h = stack.pop()
        ids.append(h)
        for c in children.get(h, []):
            if tokens[c].dep not in ("relcl", "punct") or c == head:
                stack.append(c)
    lo, hi = min(ids), max(ids)
    return text[tokens[lo].idx: tokens[hi].idx + len(tokens[hi].text)].strip(" ,")


def _to_infinitive(tokens: list[Token], i: int, children: dict[int, list[int]]) -> bool:
    return any(tokens[c].dep == "aux" and tokens[c].text.lower() == "to" for c in children.get(i, []))


def status_of(tokens: list[Token], i: int, children: dict[int, list[int]], lex: Lexicon, text: str,
              sent_start: int, sent_end: int) -> StatusInfo:
    frames = lex.frames
    speech, deny, plan = frames.get("speech", frozenset()), frames.get("deny", frozenset()), frames.get("plan", frozenset())
    fut, hyp = frames.get("modal_future", frozenset()), frames.get("modal_hypothetical", frozenset())
    cond, rep_adv = frames.get("conditional", frozenset()), frames.get("reported_adverbs", frozenset())
    background = frames.get("background", frozenset())
    info = StatusInfo()
    info.negated = is_negated(tokens, i, children, lex)
    tok = tokens[i]
    # own auxiliaries / modals
    modal = None
    perfect = False
    for c in children.get(i, []):
        ct = tokens[c]
        low = ct.text.lower()
        if ct.dep in ("aux", "auxpass"):
            if low in fut or ct.lemma.lower() in fut:
                modal = "will"
            elif low in hyp:
                modal = low
            elif ct.lemma.lower() == "have":
                perfect = True
        if ct.dep == "mark" and low in cond:
            info.status = "hypothetical"
        if ct.dep == "advmod" and low in rep_adv:
            info.status = "reported"
        if ct.dep == "advcl" and modal in hyp:
            for cc in children.get(c, []):
                if tokens[cc].dep == "mark" and tokens[cc].text.lower() in cond:
                    info.status = "hypothetical"
    if modal is None and any(tokens[c].dep in ("aux", "auxpass") and tokens[c].lemma.lower() == "be"
                             for c in children.get(i, [])) and _to_infinitive(tokens, i, children):
        modal = "will"  # "Hamas is to release 33 hostages" parsed with "is" as an auxiliary: an arranged act
    if perfect or tok.tag in ("VBZ", "VBP", "VBN", "VBG"):
        for c in children.get(i, []):
            ct = tokens[c]
            low = ct.text.lower()
            if (ct.dep in ("advmod", "prep", "npadvmod") and (low in background or ct.lemma.lower() in background)
                    and (perfect or tok.tag in ("VBZ", "VBP"))):
                info.background = True
    # walk up the clause chain
    cur = i
    under_speech = False
    hops = 0
    while tokens[cur].head != cur and hops < 8:
        hops += 1
        dep = tokens[cur].dep
        parent = tokens[cur].head
        pt = tokens[parent]
        plemma = pt.lemma.lower()
        if dep not in CLAUSE_DEPS and not (dep in ("nsubj", "nsubjpass") and pt.pos == "VERB"):
            cur = parent
            continue
        if pt.pos in ("VERB", "AUX", "ADJ") or plemma == "accord":
            if plemma in deny and dep in ("ccomp", "xcomp", "pcomp", "dobj", "prep"):
                neg_deny = is_negated(tokens, parent, children, lex)
                if info.status == "asserted":
                    info.status = "reported" if neg_deny else "denied"
                subj = _subject(tokens, parent, children)
                if subj is not None and info.attribution is None:
                    info.attribution = _phrase(tokens, subj, children, text)
                    info.speaker_head = subj
            elif plemma in speech and dep in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"):
                under_speech = True
                if info.status == "asserted":
                    info.status = "reported"
                subj = _subject(tokens, parent, children)
                if subj is not None and info.attribution is None:
                    info.attribution = _phrase(tokens, subj, children, text)
                    info.speaker_head = subj
                if is_negated(tokens, parent, children, lex):
                    info.status = "reported"
            elif (plemma in plan or plemma == "be" and _to_infinitive(tokens, cur, children)) and dep == "xcomp" \
                    and info.status in ("asserted",):
                info.status = "planned"  # "is set to", "plans to"; "are to withdraw", "is to be released"
            if dep == "advcl":
                for c in children.get(cur, []):
                    if tokens[c].dep == "mark" and tokens[c].text.lower() in cond:
                        info.status = "hypothetical"
        cur = parent
    # speech verb in a parenthetical or trailing clause attached to the trigger ("..., officials said"), or to
    # the verb an event noun is the subject of ("fighting continued in the city, residents said")
    hosts = [i]
    if tok.dep in ("nsubj", "nsubjpass") and tok.head != i and tokens[tok.head].pos in ("VERB", "AUX"):
        hosts.append(tok.head)
    for c in (c for h in hosts for c in children.get(h, [])):
        ct = tokens[c]
        if ct.dep in ("parataxis", "advcl", "ccomp") and ct.lemma.lower() in speech and c > i and c not in hosts:
            subj = _subject(tokens, c, children)
            if subj is not None:
                if info.status == "asserted":
                    info.status = "reported"
                if info.attribution is None:
                    info.attribution = _phrase(tokens, subj, children, text)
                    info.speaker_head = subj
                under_speech = True
    if modal == "will" and info.status in ("asserted", "reported"):
        info.status = "planned"
    elif modal == "would" and info.status in ("asserted", "reported"):
        info.status = "planned" if under_speech else "hypothetical"
    elif modal in ("could", "might", "may") and info.status in ("asserted", "reported"):
        info.status = "hypothetical"
    return info


def according_to(tokens: list[Token], tok_range: range, children: dict[int, list[int]], text: str) -> tuple[int, str] | None:
    """(token index of "according", source text) for an "according to X" phrase in the token range."""
    for j in tok_range:
        if tokens[j].text.lower() == "according" and j + 1 < len(tokens) and tokens[j + 1].text.lower() == "to":
            for c in children.get(j + 1, []) + children.get(j, []):
                if tokens[c].dep == "pobj":
                    return j, _phrase(tokens, c, children, text)
            return j, ""
    return None
