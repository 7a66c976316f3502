"""Drafts -> EventMention records: dates (a present-tense report on the publication day), actors coded by
the office held on the event's date, unnamed victims placed in the event's country, contexts, ids."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from newsline.code.doc import Doc
from newsline.code.draft import ArticleState, Draft
from newsline.code.lexicon import Lexicon
from newsline.code.ontology import Ontology
from newsline.knowledge import country_name
from newsline.records import (
    ActorMention,
    ActorRef,
    AnnotatedArticle,
    EventMention,
)

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


def to_mentions(cx: ArticleState, ann: AnnotatedArticle, drafts: list[Draft]) -> list[EventMention]:
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
                and _present_tense(ann, dr.trigger_i):
            date, precision, date_text = art.published[:10], "day", "publication date (present-tense report)"
        at = dr.trigger_i
        actors = [_recode(ann, a, date, at) for a in dr.actor]
        recips = _victims(cx.lex, cx.doc, dr, actors, [_recode(ann, a, date, at) for a in dr.recipient])
        recips = own_people(dr.event_type, actors, recips, cx.doc) or population(dr, actors, cx.doc)
        mediators = [_recode(ann, a, date, at) for a in dr.mediator]
        first = dr.evidence[0]
        mid = f"{art.id}:{hashlib.sha1(f'{first.start}:{dr.trigger_i}:{dr.event_type}'.encode()).hexdigest()[:10]}"
        em = EventMention(
            id=mid, article_id=art.id, event_type=dr.event_type, mode=dr.mode,
            context=_contexts(cx.onto, dr, actors + recips), actor=actors, recipient=recips, mediator=mediators,
            date=date, enddate=enddate, date_precision=precision, date_text=date_text, event_loc=dr.place,
            size=dr.size, status=dr.status, attribution=dr.attribution, evidence=dr.evidence,
            quad_code=cx.onto.quad(dr.event_type),
            confidence=None if dr.confidence is None else round(dr.confidence, 3))
        out.append(em)
    return out


def _victims(lex: Lexicon, d: Doc, dr: Draft, actors: list[ActorRef], recips: list[ActorRef]) -> list[ActorRef]:
    """Unnamed victims of an attack ("eight people were killed") belong to the country where it happened; an
    attack by one state's forces on a place in another state targets that state."""
    loc = dr.place
    if dr.event_type != "ASSAULT" or loc is None or not loc.country_code:
        return recips
    civilian = lex.frames.get("civilian_nouns", frozenset())
    out = []
    attackers = {a.country for a in actors if a.country}
    for r in recips:
        if r.kind == "agent" and r.sector in ("CVL", "REF") and r.country in attackers and \
                r.country != loc.country_code:
            # "Israeli strikes killed 13 people in Gaza": the people took the attacker's country from the
            # context; the victims of an attack are people of the place it struck
            r = replace(r, id=f"{loc.country_code.lower()}-{r.sector.lower()}",
                        name=f"{_country_display(d, loc.country_code)} {'civilians' if r.sector == 'CVL' else 'refugees'}",
                        country=loc.country_code)
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


STATE_ORGANS = frozenset({"GOV", "COP", "MIL", "JUD", "SPY"})
REPRESSION = frozenset({"COERCE", "ASSAULT"})


def own_people(event_type: str, actor: list[ActorRef], recipient: list[ActorRef], d: Doc) -> list[ActorRef]:
    """A state's organ coercing or attacking its own state, or a place of its own country, acts on its people:
    "Soldiers shelled Aleppo" (a city), "Police imposed a curfew on Colombo" (the capital, read as the
    government): the target is the country's civilians."""
    if event_type not in REPRESSION or not recipient:
        return recipient
    own = {a.country: a for a in actor if a.sector in STATE_ORGANS and a.country}
    if not own:
        return recipient
    places = d.memo.get("place_words")
    if places is None:  # once per article: every repression mention of it asks
        places = d.memo["place_words"] = {pm.text for pm in d.ann.places} | {
            e.text for e in d.ann.entities if e.label in ("GPE", "LOC", "FAC")}
    out = []
    for r in recipient:
        if r.country in own and (r.kind == "state" and not r.sector or r.text in places or _capital_as_government(r)):
            r = ActorRef(f"{r.country.lower()}-cvl", f"{_state_name(d, r.country, own[r.country])} civilians",
                         r.country, "CVL", None, None, r.text, "agent")
        out.append(r)
    return out


POPULATION_MODES = frozenset({"curfew", "martial-law"})


def population(dr: Draft, actor: list[ActorRef], d: Doc) -> list[ActorRef]:
    """A curfew or a state of emergency a state's organ declares without naming whom it binds binds its own
    people ("the police and the army declared a state of siege"), not the article's other side."""
    if dr.event_type != "COERCE" or dr.mode not in POPULATION_MODES:
        return []
    organs = [a for a in actor if a.country and (a.sector in STATE_ORGANS or a.kind == "state")]
    countries = {a.country for a in organs}
    if len(countries) != 1:
        return []
    c = countries.pop()
    return [ActorRef(f"{c.lower()}-cvl", f"{_state_name(d, c, organs[0])} civilians", c, "CVL", None, None, None, "agent")]


def _capital_as_government(r: ActorRef) -> bool:
    """"Colombo" coded as the government of Sri Lanka: a government agent whose words are a proper name."""
    words = (r.text or "").split()
    return r.kind == "agent" and r.sector == "GOV" and bool(words) and all(w[:1].isupper() for w in words) and \
        (r.id or "").endswith("-gov")


def _state_name(d: Doc, country: str, organ: ActorRef) -> str:
    """The state's display name ("Syria" of "Syria military")."""
    if organ.kind == "agent" and organ.name and " " in organ.name and organ.country == country and \
            organ.id == f"{country.lower()}-{(organ.sector or '').lower()}":  # "Syria military", not a named force
        return organ.name.rsplit(" ", 1)[0]
    return _country_display(d, country)


def _country_display(d: Doc, country: str) -> str:
    """A country's name as the article's mentions give it: a state mention, else a country-level place."""
    for am in d.ann.actors:
        if am.actor.kind == "state" and am.actor.country == country and am.actor.name:
            return am.actor.name
    for pm in d.ann.places:
        if pm.place.country_code == country and pm.place.resolution == 1 and pm.place.resolved_place:
            return pm.place.resolved_place
    return (country_name(country) or country).split(",")[0]  # "Palestine, State of"


def _present_tense(ann: AnnotatedArticle, i: int) -> bool:
    return ann.tokens[i].tag in ("VBZ", "VBP")


def _recode(ann: AnnotatedArticle, ref: ActorRef, date: str | None, near: int = 0) -> ActorRef:
    """A person or group coded through the office or status held on the event's date, from its own mention:
    the mention of this actor with the same text nearest the trigger ("Kabul" about a 2020 event is the
    government of that day even where "the Taliban" of the same article is coded otherwise); a filler whose
    text no mention carries (a surname standing for a full name) uses the nearest dated mention of its id."""
    if not date or not ref.id:
        return ref
    same_id = [am for am in ann.actors if am.actor.id == ref.id]
    # the filler's text may be the mention with its head noun ("Iraqi youths" for "Iraqi")
    own = [am for am in same_id if ref.text and (ref.text in (am.text, am.actor.text)
                                                 or f" {am.text} " in f" {ref.text} ")]
    pool = own or [am for am in same_id if am.roles]
    if not pool:
        return ref
    am = min(pool, key=lambda a: abs(a.token_start - near))
    if not am.roles:
        return ref
    new = _code_actor_on(am, date)
    new.text = ref.text
    return new


def _contexts(onto: Ontology, dr: Draft, refs: list[ActorRef]) -> list[str]:
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
    if key in onto.mode_contexts:
        ctx.append(onto.mode_contexts[key])
    return sorted(set(c for c in ctx if c in onto.contexts))
