"""The date of a draft: its own time phrase, the governing event's, the sentence's, the paragraph's, the lede's;
measured gaps ("a day after X"); the span of a multi-stage event."""

from __future__ import annotations

from datetime import date as _day
from datetime import timedelta

from newsline.code.clauses import in_clause
from newsline.code.doc import Doc, head_of_span
from newsline.code.draft import Draft
from newsline.code.lexicon import Lexicon
from newsline.code.phrases import actor_keys
from newsline.records import (
    TimeExpression,
)


def gap_shifted(d: Doc, i: int, ref: TimeExpression, numbers: dict[str, int]) -> TimeExpression:
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


def find_lede_time(d: Doc, times_by_sent) -> TimeExpression | None:
    first_para = d.ann.sentences[0].paragraph if d.ann.sentences else 0
    for si, s in enumerate(d.ann.sentences):
        if s.paragraph != first_para:
            break
        for t in times_by_sent.get(si, []):
            if t.date_start and t.precision == "day":
                return t
    return None


def attached_to(d: Doc, t: TimeExpression, k: int) -> bool:
    """Does time expression t modify noun k ("the first stage on Friday")?"""
    h = d.tokens[head_of_span(d, t.token_start, t.token_end)].head
    return h == k or d.tokens[h].dep == "prep" and d.tokens[h].head == k


def span_stages(drafts: list[Draft]) -> None:
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
        keys = actor_keys(whole.actor) | actor_keys(whole.recipient)
        days = [x.time.date_start for x in drafts if x is not whole and x.event_type == whole.event_type
                and x.time is not None and x.time.precision == "day" and x.time.date_start
                and (x.stage and x.of is whole or (actor_keys(x.actor) | actor_keys(x.recipient)) == keys)]
        days = [x for x in days if x <= t.date_start]
        if not days or min(days) >= t.date_start:
            continue
        whole.time = TimeExpression(t.start, t.end, t.text, min(days), t.date_start, "range", t.token_start,
                                    t.token_end)


def older_than_reference(lex: Lexicon, d: Doc, i: int) -> bool:
    """Past perfect: "had launched an offensive", "had been killed": an event before the time the text reports
    from. Not in the complement of a speech verb ("police said gunmen had killed 12"): there the past perfect is
    the reported past, shifted back by the report."""
    toks = d.tokens
    v, hops = i, 0
    while toks[v].pos not in ("VERB", "AUX") and toks[v].head != v and hops < 4:
        v, hops = toks[v].head, hops + 1  # an event noun: the verb it hangs from ("had launched an offensive")
    if toks[v].tag != "VBN":
        return False
    cur = v
    while not any(toks[c].dep == "aux" and toks[c].lemma.lower() == "have" and toks[c].tag == "VBD"
                  for c in d.children.get(cur, [])):
        if toks[cur].dep != "conj" or toks[cur].head == cur:
            return False
        cur = toks[cur].head  # "had attacked and seized": the conjunct shares the auxiliary
    while toks[cur].dep == "conj" and toks[cur].head != cur:
        cur = toks[cur].head
    speech = lex.frames.get("speech", frozenset())
    return not (toks[cur].dep == "ccomp" and toks[toks[cur].head].lemma.lower() in speech)


def _describes_participant(d: Doc, t: TimeExpression, i: int, group: set[int]) -> bool:
    """Is time t inside a relative clause or an apposition describing a participant ("the government, which came
    to power in 2021, ...", "Chad's president, elected in 2021, ...") rather than a phrase of the event? (A
    participle is not enough: "a meeting of the committee held in Kabul" hangs "held" from the committee.)"""
    toks = d.tokens
    cur, hops = head_of_span(d, t.token_start, t.token_end), 0
    while cur != i and toks[cur].head != cur and hops < 10:
        if toks[cur].dep in ("relcl", "appos") and toks[cur].head not in group and \
                toks[toks[cur].head].pos in ("NOUN", "PROPN", "PRON"):
            return True
        cur, hops = toks[cur].head, hops + 1
    return False


def _in_other_clause(d: Doc, t: TimeExpression, i: int, group: set[int]) -> bool:
    """Is time t inside a clause with a subject of its own, under the trigger ("accused Kabul of ..., leading to
    attacks since the Taliban came to power in 2021")? That clause's predicate is what the time dates. A clause
    on the event itself ("the talks, which began on Monday") still dates it."""
    toks = d.tokens
    above, k = {i}, i  # the trigger and the heads above it: a clause that holds the trigger is the event's own
    while toks[k].head != k and len(above) < 12:
        k = toks[k].head
        above.add(k)
    cur, hops = head_of_span(d, t.token_start, t.token_end), 0
    while cur not in above and cur not in group and toks[cur].head != cur and hops < 10:
        if toks[cur].dep in ("advcl", "relcl", "acl", "ccomp") and toks[cur].head not in group and any(
                toks[c].dep in ("nsubj", "nsubjpass") for c in d.children.get(cur, [])):
            return True
        cur, hops = toks[cur].head, hops + 1
    return False


def discourse_reference(d: Doc, i: int, bound: str, paragraph: int) -> TimeExpression | None:
    """The past time the text last spoke of before trigger i, in its paragraph or the one before: a past perfect
    ("the group had rejected the offer") is told from it (the offer made "last month"), not from the article's
    day. Only times older than `bound`, the day the text reports from."""
    sents = d.ann.sentences
    rank = {p: k for k, p in enumerate(sorted({s.paragraph for s in sents}))}  # paragraph numbers skip blank lines
    best = None
    for t in d.ann.times:
        if t.token_start >= i or not t.date_start or t.date_start >= bound or t.precision == "duration":
            continue
        if rank[paragraph] - rank[sents[d.sent_of[t.token_start]].paragraph] > 1:
            continue
        if best is None or t.token_start > best.token_start:
            best = t
    return best


def inferred_time(pub: str, text: str, precision: str, end: str | None = None) -> TimeExpression:
    """A date the text does not write: the article's day ("inferred-article"), or an older event's bound
    ("before-reference": the event happened before `end`, the time the text reports from)."""
    if precision == "before-reference":
        return TimeExpression(0, 0, text, None, end, precision, 0, 0)
    return TimeExpression(0, 0, text, pub, pub, precision, 0, 0)


def event_time(lex: Lexicon, d, owned, times, owner, i, para_times, lede_time, st, trigs):
    """The date of the event of trigger i and how it was found: its own time phrase ("own"; a day before a
    range: "in power since 2020, expelled ... on Wednesday"), the governing event's ("governing"), the
    sentence's main clause ("sentence"), the paragraph's ("paragraph"), the lede's or the article's ("lede";
    precision "inferred-article" for the publication day). An event in the past perfect ("had launched") with no
    time of its own is older than those: it gets the reference time as its upper bound only ("before-reference",
    source "unknown"). A planned event with no time of its own stays undated."""
    pub = d.ann.article.published or ""
    group = {i} | set(trigs[i].merged if i in trigs else [])
    # a past act ("had suggested a summit by mid-June") did not happen after the article: a later
    # time in its clause dates the act's content, not the act
    past_act = d.tokens[i].tag in ("VBD", "VBN") and len(pub) >= 10 and st.status != "planned"

    def content_time(t: TimeExpression) -> bool:
        cur, hops = d.tokens[head_of_span(d, t.token_start, t.token_end)].head, 0
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

    own = [t for t in times if ok(t) and owner.get(head_of_span(d, t.token_start, t.token_end)) == i
           and not _describes_participant(d, t, i, group) and not _in_other_clause(d, t, i, group)]
    days = [t for t in own if t.precision == "day"]
    fine = days or [t for t in own if t.precision in ("week", "range")]
    if fine:
        return min(fine, key=lambda t: abs(t.token_start - i)), "own"
    coarse = min(own, key=lambda t: abs(t.token_start - i)) if own else None
    # the trigger that governs this one (a nominal event inside another's clause)
    cur, hops = i, 0
    while d.tokens[cur].head != cur and hops < 8:
        cur = d.tokens[cur].head
        hops += 1
        if cur in trigs and trigs[cur].absorbed_by is None:
            gov = [t for t in times if ok(t) and owner.get(head_of_span(d, t.token_start, t.token_end)) == cur]
            if gov:
                return gov[0], "governing"
            break
    if coarse is not None:
        return coarse, "own"
    older = older_than_reference(lex, d, i)
    # a time of the sentence's main clause (not one inside another clause: "since ... in 2021")
    free = [t for t in times if ok(t) and owner.get(head_of_span(d, t.token_start, t.token_end)) is None
            and not in_clause(lex, d, head_of_span(d, t.token_start, t.token_end))]
    if free and not older:
        return min(free, key=lambda t: abs(t.token_start - i)), "sentence"
    if st.status == "planned":
        return None, "unknown"
    ref = para_times[-1] if para_times else lede_time
    dated_article = len(pub) >= 10
    if older:
        bound = (free[0].date_start if free else None) or (ref.date_start if ref is not None else None) or \
            (pub[:10] if dated_article else None)
        if bound is None:
            return None, "unknown"
        told = discourse_reference(d, i, bound, d.ann.sentences[d.sent_of[i]].paragraph)
        if told is not None:
            # dated by the past the text was telling, yet ranked below any date of the event's own (source
            # "unknown"): merging keeps a retelling's own date
            return TimeExpression(told.start, told.end, f"{told.text} (past perfect: by then)", told.date_start,
                                  told.date_end, told.precision, told.token_start, told.token_end), "unknown"
        return inferred_time(pub[:10], f"before {bound} (past perfect)", "before-reference", bound), "unknown"
    if para_times:
        return para_times[-1], "paragraph"
    if lede_time is not None:
        return lede_time, "lede"
    if dated_article:
        return inferred_time(pub[:10], "publication date (no date in the text)", "inferred-article"), "lede"
    return None, "unknown"
