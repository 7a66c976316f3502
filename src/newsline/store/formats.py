"""Event exports in other schemas: PLOVER JSON records and ACLED-style CSV rows.

Both take Event records, plus (optionally) the mentions and articles they were built from, for evidence
text and source names. The PLOVER→ACLED category table is data (`data/acled.yaml`), documented in
docs/acled-mapping.md.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any
from urllib.parse import urlparse

from newsline.knowledge import PSEUDO_COUNTRIES as _PSEUDO_COUNTRIES
from newsline.knowledge import country_name, data_path, load_yaml, ontology
from newsline.records import ActorRef, Article, Event, EventMention, Place

log = logging.getLogger(__name__)

__all__ = ["ACLED_COLUMNS", "AcledActor", "plover_record", "plover_records", "write_plover", "acled_actor",
           "acled_category", "acled_country", "acled_period", "acled_row", "acled_rows", "write_acled"]

DATA = data_path("acled.yaml")
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "country", "admin1", "location", "latitude",
                 "longitude", "geo_precision", "source", "notes", "fatalities", "date_basis", "source_url"]
# date_basis (newsline's, after ACLED's columns): where event_date comes from
DATE_BASIS = {"event": "the event's own coded date", "reported": "no coded date: the date of its first report",
              "none": "no date known at all (event_date, year empty)"}

# --------------------------------------------------------------------------- shared helpers
def _by_id(records: Iterable[Any] | Mapping[str, Any] | None) -> dict[str, Any]:
    if records is None:
        return {}
    return dict(records) if isinstance(records, Mapping) else {r.id: r for r in records}


def _evidence(event: Event, mentions: Mapping[str, EventMention], limit: int = 5) -> list[str]:
    out: list[str] = []
    for mid in event.mentions:
        m = mentions.get(mid)
        for ev in (m.evidence if m else []):
            if ev.sentence and ev.sentence not in out:
                out.append(ev.sentence)
    return out[:limit]


def _ontology_value(event: Event, what: str) -> Any:
    """quad/score from the packaged ontology."""
    onto = ontology()
    return onto.quad(event.event_type) if what == "quad" else onto.score(event.event_type, event.mode)


def _publication(article: Article | None, article_id: str) -> str:
    if article is None or not article.uri:
        return article_id
    host = urlparse(article.uri).netloc
    return host.removeprefix("www.") if host else article_id


# --------------------------------------------------------------------------- PLOVER
def _entity(a: ActorRef) -> dict[str, Any]:
    return {"code": a.country, "sector": a.sector, "entity_text": a.text or a.name, "identifier_id": a.id,
            "identifier_text": a.person or a.name, "religion": None, "ethnicity": None, "office": a.role,
            "gender": None, "age": None}


_LEVEL = {5: "city", 4: "city", 3: "district"}  # resolution -> the location object's field naming the place


def _location(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    level = _LEVEL.get(p.resolution or 0)
    return {"extracted_place": p.extracted_place, "resolved_place": p.resolved_place, "geonameid": p.geonameid,
            "lat": p.lat, "lon": p.lon, "city": p.resolved_place if level == "city" else None,
            "district": p.resolved_place if level == "district" else None,
            "province": p.province or (p.resolved_place if p.resolution == 2 else None),
            "country": country_name(p.country_code), "country_code": p.country_code, "feature_class": None,
            "feature_code": None, "resolution": p.resolution}


def _cite(article_id: str, article: Article | None) -> dict[str, Any]:
    from newsline import __version__

    return {"corpus": "newsline", "citation": article_id, "url": article.uri if article else None,
            "title": article.title if article else None, "language": article.language if article else None,
            "publication": _publication(article, article_id), "license": None, "copyright": None,
            "coder": "newsline", "codebook": "PLOVER", "version": __version__}


def _first_source(event: Event) -> str | None:
    """The article that reported the event first (by publication date), else its first source."""
    dated = sorted((c.published, c.article_id) for c in event.claims if c.published)
    return dated[0][1] if dated else (event.sources[0] if event.sources else None)


def _text_info(event: Event, mentions: Mapping[str, EventMention]) -> list[dict[str, Any]]:
    out = []
    for mid in event.mentions:
        m = mentions.get(mid)
        for ev in (m.evidence if m else []):
            out.append({"sequence": len(out) + 1, "start": ev.start, "end": ev.end, "text_story": m.article_id})
    return out


def _comment(event: Event) -> str | None:
    parts = [f"status: {event.status}"] if event.status != "asserted" else []
    parts += [f"conflicting claims: {c}" for c in event.conflicts]
    return "; ".join(parts) or None


def plover_record(event: Event, mentions: Mapping[str, EventMention] | None = None,
                  articles: Mapping[str, Article] | None = None, coded: str | None = None) -> dict[str, Any]:
    """One event as a PLOVER JSON record: every field of the manual's json_record (null where newsline has no
    value), newsline's own under `newsline`. `cite_info` and `text_info` are the objects of the first report;
    those of every source and evidence sentence are `newsline.cite_info` and `newsline.text_info`. `coded`:
    ISO timestamp of the coding run."""
    mentions, articles = mentions or {}, articles or {}
    first = _first_source(event)
    text_info = _text_info(event, mentions)
    coded_date, _, coded_time = (coded or "").partition("T")
    return {
        "id": event.id, "has_event": True, "date": event.date, "time": None, "enddate": event.enddate,
        "endtime": None, "actor": [_entity(a) for a in event.actor],
        "recipient": [_entity(a) for a in event.recipient], "event": [event.event_type],
        "event_loc": _location(event.event_loc), "event_text": _evidence(event, mentions),
        "quad_code": event.quad_code or _ontology_value(event, "quad"),
        "event_scale": _ontology_value(event, "score"), "mode": [event.mode] if event.mode else [],
        "context": list(event.context), "size": {"dead": event.size.dead, "injured": event.size.injured,
                                                 "arrested": event.size.arrested},
        "link": None, "text": None,
        "text_info": next((t for t in text_info if t["text_story"] == first), text_info[0] if text_info else None),
        "cite_info": _cite(first, articles.get(first)) if first else None,
        "coder": "newsline", "coded_date": coded_date or None, "coded_time": coded_time or None,
        "comment": _comment(event),
        "newsline": {"mediator": [_entity(a) for a in event.mediator], "date_precision": event.date_precision,
                     "status": event.status, "size": {"dead": event.size.dead, "injured": event.size.injured,
                                                      "arrested": event.size.arrested},
                     "mentions": list(event.mentions), "sources": list(event.sources),
                     "cite_info": [_cite(a, articles.get(a)) for a in event.sources], "text_info": text_info,
                     "corroboration": event.corroboration, "first_reported": event.first_reported,
                     "claims": [{"article_id": c.article_id, "mention_id": c.mention_id, "status": c.status,
                                 "attribution": c.attribution, "dead": c.size.dead} for c in event.claims],
                     "conflicts": list(event.conflicts)},
    }


def plover_records(events: Iterable[Event], mentions: Iterable[EventMention] | None = None,
                   articles: Iterable[Article] | None = None, coded: str | None = None) -> Iterator[dict[str, Any]]:
    ms, arts = _by_id(mentions), _by_id(articles)
    for ev in events:
        yield plover_record(ev, ms, arts, coded)


def write_plover(events: Iterable[Event], out: IO[str], mentions: Iterable[EventMention] | None = None,
                 articles: Iterable[Article] | None = None, coded: str | None = None) -> int:
    """Write PLOVER JSON records, one per line; returns the number written."""
    n = 0
    for rec in plover_records(events, mentions, articles, coded):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


# --------------------------------------------------------------------------- ACLED
@lru_cache(maxsize=4)
def _acled_table(path: str | None = None) -> dict[str, Any]:
    return load_yaml(path or DATA)


def acled_category(event: Event, table: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(event_type, sub_event_type) of an event per `data/acled.yaml`."""
    t = table or _acled_table()
    by_mode = (t.get("modes") or {}).get(event.event_type) or {}
    if event.mode and event.mode in by_mode:
        return tuple(by_mode[event.mode])
    civilians = any(a.sector == "CVL" for a in event.recipient)
    if civilians and event.event_type in (t.get("civilian_target") or {}):
        return tuple(t["civilian_target"][event.event_type])
    return tuple((t.get("types") or {}).get(event.event_type) or t["default"])


def _label(a: ActorRef) -> str:
    name = a.name or a.text or a.id or "Unidentified"
    return f"{name} ({a.person})" if a.person and a.person != name else name


def _event_country(event: Event) -> str | None:
    """The event's country: its place's, else the first party's state (a pseudo-country only as a last resort)."""
    if event.event_loc and event.event_loc.country_code:
        return event.event_loc.country_code
    codes = [a.country for a in [*event.actor, *event.recipient] if a.country]
    return next((c for c in codes if c not in _PSEUDO_COUNTRIES), codes[0] if codes else None)


def acled_country(code: str | None, table: Mapping[str, Any] | None = None, in_label: bool = False) -> str | None:
    """A country as ACLED writes it: in the `country` column, or inside "Military Forces of ..." labels."""
    if not code:
        return None
    t = table or _acled_table()
    if in_label and code in (t.get("actor_country") or {}):
        return t["actor_country"][code]
    if code in (t.get("country_names") or {}):
        return t["country_names"][code]
    try:
        import pycountry
        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):
        found = None
    return (getattr(found, "common_name", None) or found.name) if found else country_name(code)


def acled_period(code: str | None, date: str | None, table: Mapping[str, Any] | None = None) -> str:
    """" (2019-)" or " (2018-2022)": the period of the government in power on `date` (data/acled.yaml)."""
    t = table or _acled_table()
    if not code or not date:
        return ""
    for start, end in (t.get("periods") or {}).get(code, []):
        if str(start) <= date[:10] and (end is None or date[:10] <= str(end)):
            return f" ({str(start)[:4]}-{str(end)[:4] if end else ''})"
    return ""


@dataclass(slots=True)
class AcledActor:
    """An event party under ACLED's naming: label, associated actor label (or None), inter code."""

    label: str
    assoc: str | None = None
    inter: int | None = None


def _is_state(code: str | None) -> bool:
    return bool(code) and code not in _PSEUDO_COUNTRIES


def _generic(a: ActorRef) -> bool:
    """A sector agent built from a common noun ("the militants" -> pak-reb), or an unresolved mention."""
    if a.kind == "unresolved" or not a.id:
        return True
    return a.kind == "agent" and bool(a.sector) and a.id in {a.sector.lower(),
                                                               f"{(a.country or '').lower()}-{a.sector.lower()}"}


def _named_group(a: ActorRef, groups: Iterable[ActorRef], person: bool = False) -> ActorRef | None:
    """The one named group of the actor's country and sector that its articles name, if exactly one: a
    generic "the militant group" is that group; a person only when their office names it ("TTP chief")."""
    found = {g.id: g for g in groups if g.kind == "group" and g.sector == a.sector and g.country == a.country}
    if person:
        office = f" {(a.role or '').lower()} "
        found = {k: g for k, g in found.items()
                 if any(f" {n.lower()} " in office for n in (g.id, g.name, g.text) if n)}
    return next(iter(found.values())) if len(found) == 1 else None


def _as_named(a: ActorRef, groups: Iterable[ActorRef]) -> ActorRef:
    """The party as the row names it: a generic rebel or party member (or such a person) is the one named
    group of its articles, if there is exactly one."""
    if a.sector in ("REB", "PTY") and (a.kind == "person" or bool(a.person) or _generic(a)):
        group = _named_group(a, groups, a.kind == "person" or bool(a.person))
        if group is not None:
            return group
    return a


def acled_actor(a: ActorRef, event: Event, event_type: str, groups: Iterable[ActorRef] = (),
                table: Mapping[str, Any] | None = None, acting: bool = False) -> AcledActor:
    """One event party named the ACLED way (see data/acled.yaml and docs/acled-mapping.md); `acting`: the
    party is on the actor side (a government that strikes is written as its forces)."""
    t = table or _acled_table()
    inter, sector = t.get("inter") or {}, a.sector
    templates = dict(t.get("sectors") or {})
    if acting and event_type in t.get("violent", []):
        templates.update(t.get("acting_violent") or {})
    country = a.country if a.country else (None if sector in t.get("state_sectors", []) else _event_country(event))

    def fill(template: str, code: str | None) -> str:
        # "Military Forces of the United States", but "Civilians (United States)"
        return template.format(country=acled_country(code, t, in_label="of {country}" in template) or "Unknown",
                               period=acled_period(code, event.date, t))

    person = a.kind == "person" or bool(a.person)
    a = _as_named(a, groups)
    if a.kind in ("group", "igo", "media") or (a.kind == "agent" and not _generic(a)):
        if sector in t.get("state_sectors", []) and _is_state(a.country):
            return AcledActor(fill(templates[sector], a.country), None, inter.get("state"))
        return AcledActor(a.name or a.text or a.id or "Unidentified", None,
                          inter.get(sector or "", inter.get("other")) if a.kind != "igo" else inter.get("other"))
    if a.kind == "state" and _is_state(a.country):
        violent = event_type in t.get("violent", [])
        return AcledActor(fill(t["state_violent" if violent else "state_other"], a.country), None, inter.get("state"))
    template = templates.get(sector or "")
    if template and (country or "{country}" not in template) and (sector not in t.get("state_sectors", [])
                                                                 or _is_state(country)):
        kind = "state" if sector in t.get("state_sectors", []) else sector
        assoc = (t.get("assoc") or {}).get(sector)
        return AcledActor(fill(template, country), fill(assoc, country) if assoc else None,
                          inter.get(f"unnamed {kind}", inter.get(kind)))
    if a.country in (t.get("pseudo_actors") or {}) and (person or _generic(a)):
        return AcledActor(t["pseudo_actors"][a.country], None, inter.get("other"))
    return AcledActor(a.person or a.name or a.text or a.id or "Unidentified", None, None)


def _notes(event: Event, mentions: Mapping[str, EventMention]) -> str:
    parts = [f"On {event.date or 'an unknown date'}: " + (_evidence(event, mentions, 1) or [
        f"{', '.join(_label(a) for a in event.actor) or 'unidentified actor'} {event.event_type} "
        f"{', '.join(_label(a) for a in event.recipient)}".strip()])[0]]
    if len(event.recipient) > 1:
        parts.append("Also targeted: " + "; ".join(_label(a) for a in event.recipient[1:]) + ".")
    persons = [f"{a.person or a.name} ({a.role})" if a.role else (a.person or a.name or "")
               for a in [*event.actor, *event.recipient, *event.mediator] if a.kind == "person" or a.person]
    if persons:
        parts.append("Persons: " + "; ".join(dict.fromkeys(persons)) + ".")
    if event.event_loc and not event.event_loc.resolved_place and event.event_loc.extracted_place:
        parts.append(f"Place as reported (not located): {event.event_loc.extracted_place}.")
    if event.status != "asserted":
        parts.append(f"Status: {event.status}.")
    parts += [f"Conflicting claims: {c}." for c in event.conflicts]
    return " ".join(parts)


def _side(parties: list[ActorRef], event: Event, etype: str, groups: list[ActorRef], crowd: str | None,
          t: Mapping[str, Any], acting: bool) -> tuple[str | None, str | None, int | None]:
    """(actor label, associated actors, inter) of one side; `crowd` = "protesters"/"rioters" writes the side
    as ACLED's crowd actor with the parties as associated actors. `_side_id` says which actor id the label
    stands for."""
    named = [acled_actor(a, event, etype, groups, t, acting) for a in parties]
    if crowd:
        code = next((a.country for a in parties if a.country and _is_state(a.country)), None) or _event_country(event)
        label = t[crowd].format(country=acled_country(code, t) or "Unknown")
        assoc = [x for n in named if n.inter != (t.get("inter") or {}).get("state")
                 for x in (n.label, n.assoc) if x and not x.startswith("Civilians (")]
        return label, "; ".join(dict.fromkeys(assoc)) or None, (t.get("inter") or {}).get(crowd)
    if not named:
        return None, None, None
    labels = [named[0].label, *(x for n in named for x in (n.assoc, *(() if n is named[0] else (n.label,))))]
    assoc = [x for x in dict.fromkeys(x for x in labels[1:] if x) if x != named[0].label]
    return named[0].label, "; ".join(assoc) or None, named[0].inter


def _side_id(parties: list[ActorRef], groups: list[ActorRef], crowd: str | None) -> str | None:
    """The actor id a side's label names (None for a crowd side or no party)."""
    if crowd or not parties:
        return None
    a = _as_named(parties[0], groups)
    return a.id if a.id and a.kind != "unresolved" else None


# ACLED's time_precision: 1 a day, 2 a week or month (or a range within one), 3 a year or unknown
_TIME_PRECISION = {"day": 1, "week": 2, "month": 2, "range": 2}


def best_date(event: Event) -> tuple[str | None, str]:
    """(the best known date of the event, its basis: event | reported | none; see DATE_BASIS)."""
    if event.date:
        return event.date[:10], "event"
    reported = event.first_reported or min((c.published for c in event.claims if c.published), default=None)
    return (reported[:10], "reported") if reported else (None, "none")


def coded_toll(event: Event) -> int | None:
    """The event's coded death toll; without one, the lowest toll a source reports (ACLED's conservative
    count); None when nobody reports one."""
    if event.size.dead is not None:
        return event.size.dead
    return min((c.size.dead for c in event.claims if c.size.dead is not None), default=None)


def _source_url(article: Article | None, article_id: str) -> str:
    return article.uri if article and article.uri else article_id
_GEO_PRECISION = {5: 1, 4: 1, 3: 2}


def acled_row(event: Event, mentions: Mapping[str, EventMention] | None = None,
              articles: Mapping[str, Article] | None = None,
              groups: Iterable[ActorRef] = ()) -> dict[str, Any]:
    """One event as an ACLED-style row (columns `ACLED_COLUMNS`). `groups`: the named groups of the event's
    articles, which a generic "the militants" of the same country and sector is taken to be."""
    return _acled_row(event, mentions, articles, groups)[0]


def _acled_row(event: Event, mentions: Mapping[str, EventMention] | None,
               articles: Mapping[str, Article] | None,
               groups: Iterable[ActorRef]) -> tuple[dict[str, Any], tuple[str | None, str | None]]:
    """The row and the actor ids its actor1 and actor2 name."""
    mentions, articles, t = mentions or {}, articles or {}, _acled_table()
    etype, sub = acled_category(event)
    groups = list(groups)
    cc = _event_country(event)
    loc = event.event_loc
    sources = sorted({_publication(articles.get(a), a) for a in event.sources})
    crowd2 = "protesters" if sub == "Excessive force against protesters" else None
    crowd1 = None if crowd2 else {"Protests": "protesters", "Riots": "rioters"}.get(etype)
    recipients = event.recipient
    if etype == "Violence against civilians":  # the civilians targeted are ACLED's actor2
        recipients = sorted(recipients, key=lambda a: a.sector not in (t.get("civilian_sectors") or ["CVL"]))
    actor1, assoc1, inter1 = _side(event.actor, event, etype, groups, crowd1, t, True)
    actor2, assoc2, inter2 = _side(recipients, event, etype, groups, crowd2, t, False)
    ids = (_side_id(event.actor, groups, crowd1), _side_id(recipients, groups, crowd2))
    date, basis = best_date(event)
    toll = coded_toll(event)
    inter1 = inter1 if actor1 else None
    interaction = (f"{min(inter1, inter2)}{max(inter1, inter2)}" if inter1 and inter2
                   else f"{inter1}0" if inter1 and not actor2 else None)
    iso = None
    if cc and _is_state(cc):
        with contextlib.suppress(ImportError, LookupError, KeyError, AttributeError):
            import pycountry
            iso = int(pycountry.countries.get(alpha_3=cc).numeric)
    province = (loc.province or (loc.resolved_place if loc.resolution == 2 else None)) if loc else None
    return {
        "event_id_cnty": f"{cc or 'XXX'}-{event.id}", "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": _TIME_PRECISION.get(event.date_precision or "", 3) if basis == "event" else 3,
        "disorder_type": (t.get("disorder_sub") or {}).get(sub) or (t.get("disorder") or {}).get(etype), "event_type": etype, "sub_event_type": sub,
        "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter2 if actor2 else None,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if actor2 and inter2 == (t.get("inter") or {}).get("CVL")
        and etype in t.get("violent", []) else None,
        "iso": iso, "country": acled_country(cc, t), "admin1": province,
        "location": loc.resolved_place if loc else None,
        "latitude": loc.lat if loc else None, "longitude": loc.lon if loc else None,
        "geo_precision": _GEO_PRECISION.get(loc.resolution or 0, 3) if loc and loc.lat is not None else None,
        "source": "; ".join(sources), "notes": _notes(event, mentions),
        "fatalities": toll or 0, "date_basis": basis,
        "source_url": "; ".join(dict.fromkeys(_source_url(articles.get(a), a) for a in event.sources)),
    }, ids


def acled_rows(events: Iterable[Event], mentions: Iterable[EventMention] | None = None,
               articles: Iterable[Article] | None = None) -> Iterator[dict[str, Any]]:
    ms, arts = _by_id(mentions), _by_id(articles)
    groups: dict[str, list[ActorRef]] = {}
    for m in ms.values():
        groups.setdefault(m.article_id, []).extend(a for a in [*m.actor, *m.recipient, *m.mediator]
                                                   if a.kind == "group")
    rows, labels = [], {}
    for ev in events:
        arts_of = dict.fromkeys(ms[mid].article_id for mid in ev.mentions if mid in ms)
        row, ids = _acled_row(ev, ms, arts, [g for a in arts_of for g in groups.get(a, [])])
        rows.append((row, ids))
        for column, actor_id in zip(("actor1", "actor2"), ids, strict=True):
            if actor_id and row[column]:
                labels.setdefault(actor_id, Counter())[row[column]] += 1
    # one name per actor id: the label most of its rows carry (a government's rows before and after a
    # change of period, a group named through a generic noun, are one actor)
    canonical = {i: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for i, c in labels.items()}
    for row, ids in rows:
        for column, actor_id in zip(("actor1", "actor2"), ids, strict=True):
            if actor_id in canonical:
                row[column] = canonical[actor_id]
        yield row


def write_acled(events: Iterable[Event], out: IO[str], mentions: Iterable[EventMention] | None = None,
                articles: Iterable[Article] | None = None) -> int:
    """Write an ACLED-style CSV (header + one row per event); returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in acled_rows(events, mentions, articles):
        writer.writerow(row)
        n += 1
    return n
