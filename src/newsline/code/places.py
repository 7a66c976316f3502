"""The place of a draft: its own locative phrase (not a participant's seat or a description of one), the
coordinated event's, a where-clause, the carrier verb's, the venue of a statement, a local source's place, the
dateline for talks in the lede."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsline.code.doc import DATELINE, Doc, head_of_span, subtree, top_lines
from newsline.code.draft import Draft
from newsline.code.lexicon import Lexicon, lexicon
from newsline.code.ontology import Ontology
from newsline.code.phrases import actor_keys, conjuncts, np_tokens
from newsline.code.roles import Roles
from newsline.code.triggers import Trigger
from newsline.knowledge import parse_yaml
from newsline.records import (
    Place,
)

VERBAL_CONTENT = {"ACCUSE", "REJECT", "REQUEST", "THREATEN", "SUPPORT", "AGREE", "CONCEDE"}

LOC_PREPS = {"in", "at", "near", "outside", "inside", "across", "around", "along", "within", "off",
             "over", "throughout", "on"}


@lru_cache(maxsize=1)
def _event_places_yaml() -> dict:
    return parse_yaml(Path(str(resources.files("newsline") / "data" / "event_places.yaml")).read_text(
        encoding="utf-8")) or {}


def destination_verbs() -> frozenset[str]:
    """`data/event_places.yaml`: verbs whose destination is the event's place ("travelled to Riyadh for talks")."""
    return frozenset(str(w).lower() for w in _event_places_yaml().get("destination_verbs") or [])


def venue_participles() -> frozenset[str]:
    """`data/event_places.yaml`: participles saying where an event was held ("talks ... being held in Khost")."""
    return frozenset(str(w).lower() for w in _event_places_yaml().get("venue_participles") or [])


def dateline_place(d: Doc) -> Place | None:
    text = d.text
    for n, (start, line) in enumerate(top_lines(text)):
        m = DATELINE.match(line)
        if m:
            got = _dateline_city(d, [c.strip() for c in m.group(1).split("/")], start, n == 0)
            if got is not None:
                return got
    for pm in d.ann.places:
        if pm.start <= 2 and text[pm.end: pm.end + 3].lstrip(" ")[:1] in (":", "—", "–", "-", ",") and (
                text[pm.start:pm.end].isupper() or text[pm.end:pm.end + 2].startswith(":")):
            return pm.place
    return None


def dateline_paragraph(d: Doc) -> int:
    """The paragraph of the lede the dateline heads (below a kicker and a headline, where a page has them);
    the first paragraph where no dateline line is found. Read once per article (`Doc.lede_paragraph`)."""
    for start, line in top_lines(d.text):
        if DATELINE.match(line):
            for sent in d.ann.sentences:
                if sent.start >= start:
                    return sent.paragraph
    return d.ann.sentences[0].paragraph if d.ann.sentences else 0


def _dateline_city(d: Doc, names: list[str], start: int, first_line: bool) -> Place | None:
    """The place a dateline names. Of two or more cities ("GENEVA/DAMASCUS"), the one whose country the
    article's actors name most (where its events are told from). A capitalised word below the first line is a
    dateline only when it is a known place (not a label such as "BREAKING:")."""
    found = []
    for name in names:
        low = name.lower()
        pm = next((pm for pm in d.ann.places if pm.start >= start and (
            pm.text.lower() == low or (pm.place.resolved_place or "").lower() == low)), None)
        if pm is not None:
            found.append(pm.place)
        elif first_line and len(names) == 1:
            found.append(Place(extracted_place=name.title()))
    if len(found) <= 1:
        return found[0] if found else None
    named = Counter(am.actor.country for am in d.ann.actors if am.actor.country)
    return max(found, key=lambda p: named.get(p.country_code or "", 0))


def carrier_place(d: Doc, v: int, places) -> Place | None:
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
                got = place_under(d, places, p, max_hops=2)
                if got is not None:
                    return got
    return None


def event_place(onto: Ontology, d: Doc, owned, places, roles: Roles, sent, dateline, tr: Trigger,
           group: set[int] | None = None) -> Place | None:
    actor_toks: set[int] = set()
    verbal = onto.quad(tr.event_type) in (1, 3)
    parties = roles.actor + roles.all_actor + roles.mediator
    for h in parties:
        for c in conjuncts(d, h):
            actor_toks.update(np_tokens(d, c))
    if verbal:
        # "the junta in Bamako agreed ...": the seat of a party, not where a verbal act happened ("forces in X
        # attacked" does place a material act); nor an addressee's ("accused the government in Kabul of ..."),
        # but for a meeting, held where its host sits
        seated = parties + (roles.recipient if tr.event_type != "CONSULT" else [])
        actor_toks.update(_seat_tokens(d, seated, tr))
        actor_toks.update(_misattached_seats(d, seated, places))
    found = []
    for pm in places:
        h = head_of_span(d, pm.token_start, pm.token_end)
        if h not in owned or h in actor_toks:
            continue
        if _locative(d, h, tr, group or {tr.i}):
            found.append(pm)
    if found:
        # "in Sindh's Thar district", "the Syrian city of Homs": the finest place named wins
        return max(found, key=lambda pm: (pm.place.resolution or 0, -pm.start)).place
    purpose = purpose_place(d, tr.i, places)
    if purpose is not None:
        return purpose
    told_next = following_venue(d, tr, sent) or anaphoric_place(d, tr, group or {tr.i}, owned)
    if told_next is not None:
        return told_next
    if dateline is not None and d.ann.sentences and sent.paragraph == d.lede_paragraph \
            and (tr.event_type in ("CONSULT", "AGREE", "CONCEDE", "SUPPORT")
                 or verbal and _speaks_from(d, roles.actor + roles.all_actor, dateline)) \
            and not talks_elsewhere(d, dateline):
        # talks reported from the dateline, or a statement of a party of the dateline's country ("CAIRO: Egypt
        # urged ..."): made there
        return dateline
    return None


def _venue_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    raw = _event_places_yaml()

    def fs(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key) or [])
    return fs("venue_followed_types"), fs("venue_subjects"), fs("venue_intransitives"), fs("venue_other_events")


def following_venue(d: Doc, tr: Trigger, sent) -> Place | None:
    """"The two sides held three meetings. One was held in Kabul while the other two took place in Khost.": the
    next sentence of the paragraph says where talks without a place of their own were held, its subject a word
    that refers back to them ("one", "the first", "it", "the meeting"; `data/event_places.yaml`) and its verb
    one of holding or taking place."""
    types, subjects, intransitive, others = _venue_words()
    sents = d.ann.sentences
    if tr.event_type.upper() not in {t.upper() for t in types} or not sents or tr.i >= len(d.sent_of):
        return None
    nxt = d.sent_of[tr.i] + 1
    if nxt >= len(sents) or sents[nxt].paragraph != sent.paragraph:
        return None
    toks, held = d.tokens, venue_participles()
    rng = range(sents[nxt].token_start, min(sents[nxt].token_end, len(toks)))
    places = [pm for pm in d.ann.places if pm.token_start in rng]
    for v in rng:
        lemma, kids = toks[v].lemma.lower(), d.children.get(v, [])
        takes_place = lemma == "take" and any(toks[c].dep == "dobj" and toks[c].lemma.lower() == "place" for c in kids)
        deps = ("nsubjpass",) if lemma in held else ("nsubj",) if takes_place or lemma in intransitive else ()
        subj = [c for c in kids if toks[c].dep in deps]
        if not subj or not any(toks[c].lemma.lower() in subjects or toks[c].text.lower() in subjects for c in subj):
            continue
        if any(toks[m].dep in ("det", "amod") and toks[m].text.lower() in others for c in subj
               for m in d.children.get(c, [])):
            continue  # "a separate meeting was held in Ankara": another event
        for p in kids:
            if toks[p].dep == "prep" and toks[p].lemma.lower() in ("in", "at"):
                got = place_under(d, places, p, max_hops=3)
                if got is not None:
                    return got
    return None


def anaphoric_place(d: Doc, tr: Trigger, group: set[int], owned) -> Place | None:
    """"More troops were being sent to the region", "launched an operation in the district", "attacked the city
    again": a place the event's own locative phrase (or an attack's object) names only by a definite noun is the
    latest place before it of that kind: one whose name holds the noun ("the Catatumbo region"), or of the noun's
    resolution ("the province": a province), or for "the area" the place told last in that sentence or the one
    before (`data/event_places.yaml` place_anaphors)."""
    kinds = _event_places_yaml().get("place_anaphors") or {}
    toks = d.tokens
    material = tr.event_type in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "RETREAT", "AID")
    preps = LOC_PREPS | ({"to", "into"} if material or tr.mode == "visit" else set())
    events = group | set(tr.tokens)
    for n in sorted(owned):
        noun, up = toks[n].lemma.lower(), toks[n].head
        if noun not in kinds or not any(toks[c].dep == "det" and toks[c].text.lower() in ("the", "that", "this")
                                        for c in d.children.get(n, [])):
            continue
        if toks[n].dep == "pobj" and toks[up].lemma.lower() in preps:
            if not _attached_to_event(d, up, events, verbal=onto_verbal(tr)):
                continue
        elif not (toks[n].dep == "dobj" and up in events and tr.event_type in ("ASSAULT", "COERCE")):
            continue
        kind = kinds[noun]
        # not a place told as where someone comes from ("workers from Punjab")
        before = [pm for pm in d.ann.places if pm.token_end <= n and not (
            pm.token_start > 0 and toks[pm.token_start - 1].lemma.lower() == "from")]
        named = [pm for pm in before if noun in pm.text.lower().split() or pm.place.resolution == kind]
        if not named and kind == "any" and before:
            # "the area": the place told last, in this sentence or the one before
            last = max(before, key=lambda pm: pm.token_start)
            named = [last] if d.sent_of[n] - d.sent_of[last.token_start] <= 1 else []
        if named:
            return max(named, key=lambda pm: pm.token_start).place
    return None


def _speaks_from(d: Doc, heads: list[int], dateline: Place) -> bool:
    """Is one of the speakers at `heads` a party of the dateline's country?"""
    if not dateline.country_code:
        return False
    return any(d.ann.actors[a].actor.country == dateline.country_code
               for h in heads for c in conjuncts(d, h) for a in d.actor_by_token.get(c, []))


def talks_elsewhere(d: Doc, dateline: Place) -> bool:
    """Does the text place talks or an agreement somewhere other than the dateline ("ISLAMABAD: ... talks
    being held in Khost")? Then the dateline is where the report was filed, not where its events happened."""
    lex, toks = lexicon(), d.tokens
    home = (dateline.resolved_place or dateline.extracted_place or "").lower()
    for pm in d.ann.places:
        name = (pm.place.resolved_place or pm.place.extracted_place or "").lower()
        if pm.start <= 2 or not name or name == home:
            continue
        prep = toks[head_of_span(d, pm.token_start, pm.token_end)].head
        if toks[prep].dep != "prep" or toks[prep].lemma.lower() not in ("in", "at"):
            continue
        host = toks[toks[prep].head]
        pos = {"NOUN": "noun", "VERB": "verb"}.get(host.pos)
        if pos and any(e.event_type in ("CONSULT", "AGREE") for e in lex.candidates(host.lemma.lower(), pos)):
            return True
    return False


def purpose_place(d: Doc, i: int, places) -> Place | None:
    """"A delegation is in Kabul to meet Taliban officials", "troops were sent to the border town of X to ...",
    "the president arrived in Baghdad for a two-day visit": an event told as the purpose of being or going
    somewhere happens there."""
    toks = d.tokens
    if toks[i].dep in ("xcomp", "advcl") and any(
            toks[c].dep == "aux" and toks[c].text.lower() == "to" for c in d.children.get(i, [])):
        gov = toks[i].head
    elif toks[i].dep == "pobj" and toks[toks[i].head].lemma.lower() == "for" and \
            toks[toks[toks[i].head].head].pos in ("VERB", "AUX"):
        gov = toks[toks[i].head].head
    else:
        return None
    for p in d.children.get(gov, []):
        if toks[p].dep == "prep" and p < i and toks[p].lemma.lower() in ("in", "at", "to"):
            got = place_under(d, places, p, max_hops=2)
            if got is not None:
                return got
    return None


def _seat_tokens(d: Doc, heads: list[int], tr: Trigger) -> set[int]:
    """The tokens of the "in/of/from X" phrases that say where the participants at `heads` sit."""
    out: set[int] = set()
    for h in heads:
        for c in conjuncts(d, h):
            if d.tokens[c].pos in ("NOUN", "PROPN") and c not in tr.tokens:
                for p in d.children.get(c, []):
                    if d.tokens[p].dep == "prep" and d.tokens[p].lemma.lower() in ("in", "of", "from"):
                        out.update(subtree(d, p, set()))
    return out


def _misattached_seats(d: Doc, heads: list[int], places) -> set[int]:
    """"accused the Taliban government in Kabul of ...", parsed with "in Kabul" on the verb: a place of the
    party's own country right after the party's name is its seat, wherever the parser hung it."""
    ends: dict[int, set[str]] = {}
    for h in heads:
        for c in conjuncts(d, h):
            span = np_tokens(d, c)
            if not span:
                continue
            countries = {d.ann.actors[a].actor.country for k in span for a in d.actor_by_token.get(k, [])}
            ends[max(span)] = {x for x in countries if x}
    out: set[int] = set()
    for pm in places:
        k = pm.token_start - 1
        if k >= 1 and d.tokens[k].lemma.lower() in ("in", "from") and pm.place.country_code in ends.get(k - 1, ()):
            out.update(range(pm.token_start, pm.token_end))
    return out


def place_under(d: Doc, places, root: int, max_hops: int = 5) -> Place | None:
    """The finest place named in the phrase under token `root` (not inside a clause of its own)."""
    found = []
    for pm in places:
        cur, hops = head_of_span(d, pm.token_start, pm.token_end), 0
        while cur != root and d.tokens[cur].head != cur and hops < max_hops and \
                d.tokens[cur].dep not in ("relcl", "acl", "advcl", "ccomp", "conj"):
            cur = d.tokens[cur].head
            hops += 1
        if cur == root:
            found.append((pm.place.resolution or 0, -hops, pm.place))
    if not found:
        return None
    return max(found, key=lambda x: (x[0], x[1]))[2]  # the finest, then the head of the phrase


def where_clause_place(d: Doc, i: int, places) -> Place | None:
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


def statement_venue(lex: Lexicon, d: Doc, i: int, places) -> Place | None:
    """The place of a statement: "X, visiting Mopti, said", "Speaking in Timbuktu, X accused" (the speaker's
    participle naming where the speaker was)."""
    toks, venue = d.tokens, lex.frames.get("venue_verbs", frozenset())
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
            got = place_under(d, places, h)
            if got is not None:
                return got
    return None


def local_source_place(lex: Lexicon, d: Doc, spk: int, places) -> Place | None:
    """"local officials in Diffa region said raids killed 8": an unlocated material event reported by
    the authorities, residents or witnesses of a place happened there."""
    toks, fr = d.tokens, lex.frames
    lemma = toks[spk].lemma.lower()
    witness = lemma in fr.get("local_witness_nouns", frozenset())
    if not witness and lemma not in fr.get("local_source_nouns", frozenset()):
        return None
    local = witness or any(toks[c].lemma.lower() in fr.get("local_modifiers", frozenset())
                           for c in d.children.get(spk, []) if toks[c].dep in ("amod", "compound"))
    for c in d.children.get(spk, []):
        if toks[c].dep == "prep" and toks[c].lemma.lower() in ("in", "from"):
            got = place_under(d, places, c)
            if got is not None and (local or got.resolution in (2, 3)):
                return got
    return None


def _locative(d: Doc, h: int, tr: Trigger, group: set[int]) -> bool:
    """Is the place at token h where the event happens: "in/at/near X", "visit to X", "the X attack",
    the object of an attack or raid?"""
    toks = d.tokens
    cur, hops, path = h, 0, []
    material = tr.event_type in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "RETREAT", "AID")
    # a journey's destination is where its event happens: "visited Kabul", "travelled to Riyadh for talks"
    journey = tr.mode == "visit" or any(toks[k].lemma.lower() in destination_verbs() for k in tr.tokens)
    while hops < 8:
        t = toks[cur]
        if cur != h and t.dep == "prep" or (cur != h and t.pos == "ADP"):
            if t.lemma.lower() in LOC_PREPS or (t.lemma.lower() in ("to", "into") and (journey or material)):
                return _attached_to_event(d, cur, group | set(tr.tokens), verbal=onto_verbal(tr))
            if t.lemma.lower() != "of":
                return False
        if t.head == cur:
            return False
        parent = t.head
        path.append(t.dep)
        if parent in group or parent in tr.tokens:
            if t.dep in ("compound", "amod", "nmod", "poss") and tr.entry.pos == "noun":
                return True
            if t.dep in ("dobj", "nsubjpass") and (material or journey and toks[parent].pos == "VERB"):
                return True
            if t.dep == "pobj" and toks[parent].lemma.lower() in ("to", "into") and (journey or material):
                return True  # the preposition is part of the trigger ("travelled to Riyadh")
            return t.dep == "prep" and toks[cur].lemma.lower() in LOC_PREPS
        cur = parent
        hops += 1
    return False


def onto_verbal(tr: Trigger) -> bool:
    """A statement, demand or accusation (not a meeting): its complement clause tells what was said."""
    return tr.event_type in VERBAL_CONTENT


def _attached_to_event(d: Doc, k: int, group: set[int], verbal: bool = False) -> bool:
    """Does the phrase at k belong to the event's clause, not to a description of one of its participants
    ("cricketers returning from a match in X", "the minister, who was born in Y"), nor, for a statement, to
    what it says ("accused Kabul of allowing militants in Afghanistan")?"""
    toks = d.tokens
    cur, hops = k, 0
    while cur not in group and toks[cur].head != cur and hops < 12:
        if toks[cur].dep in ("acl", "relcl", "appos") and toks[toks[cur].head].pos in ("NOUN", "PROPN", "PRON") \
                and toks[cur].head not in group and not (
                    toks[cur].dep == "acl" and toks[cur].tag == "VBN" and toks[cur].lemma.lower() in venue_participles()):
            # "talks being held in Khost" describe the event itself (also when hung on a party of the talks)
            return False
        if verbal and toks[cur].dep in ("pcomp", "ccomp", "xcomp") and toks[cur].pos in ("VERB", "AUX"):
            return False
        cur = toks[cur].head
        hops += 1
    return True


# the outcomes of a meeting: what its sides agree, concede or pledge there
MEETING_OUTCOMES = frozenset({"AGREE", "CONCEDE", "SUPPORT", "COOPERATE"})


def share_meeting_places(drafts: list[Draft], dateline: Place | None = None) -> None:
    """"Russia and Ukraine agreed on Wednesday to exchange prisoners, but their talks in Istanbul ended ...": an
    agreement with no place of its own, reached on the day its sides met somewhere, was reached there; and talks
    told with no place were held where their sides reached an agreement that day. Only an event of the same day
    (both dated) with a shared party lends its place, and never a place that is only the dateline."""
    def dated(x: Draft) -> bool:
        return x.status != "planned" and x.time is not None and bool(x.time.date_start)

    def lender(x: Draft, kinds) -> bool:
        return x.event_type in kinds and x.place is not None and x.place is not dateline and dated(x)

    meetings = [m for m in drafts if lender(m, ("CONSULT",))]
    outcomes = [m for m in drafts if lender(m, MEETING_OUTCOMES)]
    for dr in drafts:
        if dr.place is not None or not dated(dr):
            continue
        pool = meetings if dr.event_type in MEETING_OUTCOMES else outcomes if dr.event_type == "CONSULT" else []
        sides = actor_keys(dr.actor) | actor_keys(dr.recipient)
        for m in pool:
            if m.time.date_start == dr.time.date_start and sides & (actor_keys(m.actor) | actor_keys(m.recipient)):
                dr.place = m.place
                break
