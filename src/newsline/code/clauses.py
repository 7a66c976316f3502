"""How the clause frames an event: conditions, subordinate circumstances ("after talks"), relative reports,
negated or content-only nouns, past and unreal references, references back to an event already reported,
truces in force, measured gaps ("a day after"), and mentions out of scope."""

from __future__ import annotations

from newsline.code.doc import Doc, head_of_span
from newsline.code.draft import Draft
from newsline.code.families import type_families
from newsline.code.lexicon import Lexicon
from newsline.code.places import LOC_PREPS
from newsline.code.roles import REL_PRONOUNS, Roles
from newsline.code.status import is_negated, status_of
from newsline.code.triggers import Trigger

FAMILIES = type_families()


BACKGROUND_PREPS = {"after", "following", "amid", "since", "despite", "before", "wake", "ahead", "prior"}


CONTRAST_MARKS = {"while", "whereas", "although", "though"}


TEMPORAL_PREPS = {"after", "before", "during", "following", "amid", "ahead", "since", "at", "in"}


def out_of_scope(lex: Lexicon, d: Doc, dr: Draft) -> bool:
    """Mentions that name no political event: a reaction verb that needs a party and found none ("thanked
    for", "blamed technical reasons"), a warning to whoever might do something ("penalties for anyone who
    violates it"), a withdrawal from or concession about a non-political affair ("pulled out of the series")."""
    frames = lex.frames
    lemma = d.tokens[dr.trigger_i].lemma.lower()
    if not dr.recipient and lemma in frames.get("party_verbs", frozenset()):
        return True
    near = _complement_lemmas(d, dr.trigger_i)
    if dr.event_type == "THREATEN" and not dr.recipient and near & frames.get("generic_targets", frozenset()):
        return True
    return dr.event_type in ("RETREAT", "CONCEDE") and bool(near & frames.get("nonpolitical_nouns", frozenset()))


def measured_gap(d: Doc, i: int) -> bool:
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


def _complement_lemmas(d: Doc, i: int, depth: int = 4) -> set[str]:
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


def is_headline(d: Doc, si: int) -> bool:
    """A title repeated as the first line of the body is not a report of its own."""
    title = (d.ann.article.title or "").strip().lower()
    if not title:
        return False
    s = d.ann.sentences[si]
    first_line = d.text.split("\n", 1)[0].strip().lower().rstrip(".")
    return s.paragraph == 0 and first_line == title.rstrip(".")


SUBHEAD_MAX_WORDS = 10
_CLOSERS = tuple('.!?:;"\'”’)')


def is_subheading(d: Doc, si: int) -> bool:
    """An in-body subheading ("FM to visit the US" between two paragraphs) titles the section under it: the
    paragraphs below tell what it announces, so it is not a report of its own. A line after the first, a
    sentence on its own, of a few words with no closing punctuation, and text after it."""
    s = d.ann.sentences[si]
    if s.paragraph == 0 or si + 1 >= len(d.ann.sentences):
        return False
    if si > 0 and d.ann.sentences[si - 1].paragraph == s.paragraph:
        return False
    if d.ann.sentences[si + 1].paragraph == s.paragraph:
        return False
    line = d.text[s.start:s.end].strip()
    return bool(line) and not line.endswith(_CLOSERS) and len(line.split()) <= SUBHEAD_MAX_WORDS


def carried_plan(lex: Lexicon, d: Doc, i: int, tr: Trigger, sent) -> bool:
    """Is the event planned through the verb that carries it? "the ceasefire would take effect on Sunday", "the
    truce was due to begin at 8.30" (an event noun subject of a carrier verb), "33 hostages are to be released
    while Israeli forces pull back" (a present-tense act alongside a planned one)."""
    toks, lex = d.tokens, lex
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


def is_anaphoric(lex: Lexicon, d: Doc, tr: Trigger, roles: Roles, date_source: str, own_place: bool) -> bool:
    """A definite event noun with no parties, date or place of its own ("confirmed the agreement",
    "called the meeting constructive", "under the deal") refers back to an event already reported."""
    if own_place or date_source == "own":
        return False
    toks = d.tokens
    if tr.entry.pos == "verb" and tr.event_type in FAMILIES.agreement:
        # "the text was then signed by P and Q": signing the text already reported is a retelling of it
        docs = lex.frames.get("document_nouns", frozenset())

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

        return toks[tr.i].lemma.lower() in lex.frames.get("sign_verbs", frozenset()) and any(
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


def distinct_circumstance(dr: Draft) -> bool:
    """A circumstance ("after talks in Oslo", "amid fighting in Mogadishu on Tuesday") that is an event of its
    own: it has its own place or its own day, and parties."""
    if not dr.actor or dr.anaphoric or not dr.nominal:
        return False
    own_day = dr.date_source == "own" and dr.time is not None and dr.time.precision in ("day", "week", "range")
    return dr.own_place or own_day


def own_dated(d: Doc, i: int, times, owner) -> bool:
    """Does the event noun carry its own time expression of day, week or month precision ("the May 16
    meeting", "talks held in X on DATE", "a swap in May")? A year or a duration does not date one event."""
    return any(t.precision in ("day", "week", "month", "range")
               and owner.get(head_of_span(d, t.token_start, t.token_end)) == i for t in times)


def negated_or_content(lex: Lexicon, d: Doc, i: int, trigs: dict[int, Trigger], content_ok: bool = False) -> bool:
    """An event noun under a negated verb ("does not amount to a ceasefire") or a verb that only names
    content ("the text refers to prisoner exchanges") is not a report of that event."""
    toks = d.tokens
    content = lex.frames.get("content", frozenset())
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
            return is_negated(toks, cur, d.children, lex) or (
                not subject and not content_ok and toks[cur].lemma.lower() in content)
        if subject:
            break
    return False


def reported_noun(d: Doc, i: int) -> bool:
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


def past_reference(lex: Lexicon, d: Doc, i: int) -> bool:
    """"previous ceasefires", "an earlier round": an event noun marked as past background."""
    past = lex.frames.get("past_modifiers", frozenset())
    return any(d.tokens[c].dep in ("amod", "advmod") and (d.tokens[c].lemma.lower() in past or
                                                       d.tokens[c].text.lower() in past)
               for c in d.children.get(i, []))  # (the lemma of "earlier" is "early")


def unreal_reference(lex: Lexicon, d: Doc, i: int) -> bool:
    """"a possible future truce", "a potential deal": an event noun that names no event that happened."""
    unreal = lex.frames.get("unreal_modifiers", frozenset())
    return any(d.tokens[c].dep in ("amod", "advmod") and d.tokens[c].lemma.lower() in unreal
               for c in d.children.get(i, []))


def is_subordinate(lex: Lexicon, d: Doc, i: int, trigs: dict[int, Trigger]) -> bool:
    toks = d.tokens
    cur, hops, path = i, 0, []
    while toks[cur].head != cur and hops < 12:
        dep = toks[cur].dep
        parent = toks[cur].head
        path.append(dep)
        if dep == "pobj" and toks[parent].lemma.lower() in BACKGROUND_PREPS:
            return True
        if toks[parent].lemma.lower() in lex.frames.get("speech", frozenset()) and toks[parent].pos == "VERB":
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
            return not _relative_report(d, cur, trigs[i])
        if parent in trigs and trigs[parent].absorbed_by is None and not trigs[parent].frame_only:
            return set(path) != {"conj"}
        cur = parent
        hops += 1
    return False


def _relative_report(d: Doc, v: int, tr: Trigger) -> bool:
    """"the militia, which it accused of shelling villages": a speech act in a relative clause with a subject
    of its own is a report, not a description of the noun."""
    if tr.event_type not in FAMILIES.speech_acts or d.tokens[v].dep != "relcl" or v != tr.i:
        return False
    kids = d.children.get(v, [])
    return any(d.tokens[c].dep == "nsubj" and d.tokens[c].text.lower() not in REL_PRONOUNS for c in kids) and any(
        d.tokens[c].dep == "dobj" and d.tokens[c].text.lower() in REL_PRONOUNS for c in kids)


def in_clause(lex: Lexicon, d: Doc, k: int) -> bool:
    speech = lex.frames.get("speech", frozenset())
    cur, hops = k, 0
    while d.tokens[cur].head != cur and hops < 12:
        if d.tokens[cur].dep in ("advcl", "relcl", "acl") and d.tokens[cur].lemma.lower() not in speech:
            return True
        cur = d.tokens[cur].head
        hops += 1
    return False


def in_condition(lex: Lexicon, d: Doc, i: int) -> bool:
    cond = lex.frames.get("conditional", frozenset())
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


def in_force(lex: Lexicon, d: Doc, i: int) -> bool:
    """"the ceasefire took effect / came into force / held": a truce in force, observed by its parties."""
    toks = d.tokens
    v = toks[i].head
    if toks[i].dep not in ("nsubj", "nsubjpass") or v == i or toks[v].pos not in ("VERB", "AUX"):
        return False
    frames = lex.frames
    lemma = toks[v].lemma.lower()
    if lemma in frames.get("in_force_verbs", frozenset()):
        return True
    words = {toks[k].lemma.lower() for c in d.children.get(v, []) for k in [c] + d.children.get(c, [])}
    return lemma in frames.get("in_force_light", frozenset()) and bool(words & frames.get("in_force_nouns", frozenset()))
