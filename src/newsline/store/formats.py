"""Event exports in other schemas: PLOVER JSON records and ACLED-style CSV rows.

Both take Event records, plus (optionally) the mentions and articles they were built from, for evidence
text and source names. The PLOVER→ACLED category table is data (`data/acled.yaml`), documented in
docs/acled-mapping.md.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

import yaml

from newsline.records import ActorRef, Article, Event, EventMention, Place

log = logging.getLogger(__name__)

__all__ = ["ACLED_COLUMNS", "plover_record", "plover_records", "write_plover", "acled_category", "acled_row",
           "acled_rows", "write_acled"]

DATA = Path(__file__).resolve().parent.parent / "data" / "acled.yaml"
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1",
                 "assoc_actor_1", "actor2", "country", "admin1", "location", "latitude", "longitude", "source",
                 "notes", "fatalities"]
_PSEUDO_COUNTRIES = {"UNO": "United Nations", "IGO": "Intergovernmental organisation", "EUR": "European Union",
                     "NGO": "Non-governmental organisation", "IMG": "Transnational armed group",
                     "ISM": "International social movement", "MNC": "Multinational corporation"}


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
    """quad/score from the coder's packaged ontology when it is installed (else None)."""
    try:
        from newsline.code.ontology import ontology
    except ImportError:
        return None
    onto = ontology()
    return onto.quad(event.event_type) if what == "quad" else onto.score(event.event_type, event.mode)


def _publication(article: Article | None, article_id: str) -> str:
    if article is None or not article.uri:
        return article_id
    host = urlparse(article.uri).netloc
    return host.removeprefix("www.") if host else article_id


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """Country name for an ISO alpha-3 (or PLOVER pseudo-country) code."""
    if not code:
        return None
    if code in _PSEUDO_COUNTRIES:
        return _PSEUDO_COUNTRIES[code]
    try:
        import pycountry
        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):
        found = None
    return found.name if found else code


# --------------------------------------------------------------------------- PLOVER
def _entity(a: ActorRef) -> dict[str, Any]:
    return {"code": a.country, "sector": a.sector, "entity_text": a.text or a.name, "identifier_id": a.id,
            "identifier_text": a.person or a.name, "office": a.role}


def _location(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"extracted_place": p.extracted_place, "resolved_place": p.resolved_place, "geonameid": p.geonameid,
            "lat": p.lat, "lon": p.lon, "province": p.province, "country": country_name(p.country_code),
            "country_code": p.country_code, "resolution": p.resolution}


def _cite(article_id: str, article: Article | None) -> dict[str, Any]:
    return {"corpus": "newsline", "citation": article_id, "url": article.uri if article else None,
            "title": article.title if article else None, "language": article.language if article else None,
            "publication": _publication(article, article_id), "coder": "newsline"}


def plover_record(event: Event, mentions: Mapping[str, EventMention] | None = None,
                  articles: Mapping[str, Article] | None = None) -> dict[str, Any]:
    """One event as a PLOVER JSON record (manual's json_record fields; newsline's own under `newsline`)."""
    mentions, articles = mentions or {}, articles or {}
    return {
        "id": event.id, "has_event": True, "date": event.date, "enddate": event.enddate,
        "actor": [_entity(a) for a in event.actor], "recipient": [_entity(a) for a in event.recipient],
        "event": [event.event_type], "event_loc": _location(event.event_loc),
        "event_text": _evidence(event, mentions), "quad_code": event.quad_code or _ontology_value(event, "quad"),
        "event_scale": _ontology_value(event, "score"), "mode": [event.mode] if event.mode else [],
        "context": list(event.context),
        "cite_info": [_cite(a, articles.get(a)) for a in event.sources],
        "coder": "newsline",
        "newsline": {"mediator": [_entity(a) for a in event.mediator], "date_precision": event.date_precision,
                     "status": event.status, "size": {"dead": event.size.dead, "injured": event.size.injured,
                                                      "arrested": event.size.arrested},
                     "mentions": list(event.mentions), "sources": list(event.sources),
                     "corroboration": event.corroboration, "first_reported": event.first_reported,
                     "claims": [{"article_id": c.article_id, "mention_id": c.mention_id, "status": c.status,
                                 "attribution": c.attribution, "dead": c.size.dead} for c in event.claims],
                     "conflicts": list(event.conflicts)},
    }


def plover_records(events: Iterable[Event], mentions: Iterable[EventMention] | None = None,
                   articles: Iterable[Article] | None = None) -> Iterator[dict[str, Any]]:
    ms, arts = _by_id(mentions), _by_id(articles)
    for ev in events:
        yield plover_record(ev, ms, arts)


def write_plover(events: Iterable[Event], out: IO[str], mentions: Iterable[EventMention] | None = None,
                 articles: Iterable[Article] | None = None) -> int:
    """Write PLOVER JSON records, one per line; returns the number written."""
    n = 0
    for rec in plover_records(events, mentions, articles):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


# --------------------------------------------------------------------------- ACLED
@lru_cache(maxsize=4)
def _acled_table(path: str | None = None) -> dict[str, Any]:
    return yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8"))


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
    if event.event_loc and event.event_loc.country_code:
        return event.event_loc.country_code
    return next((a.country for a in [*event.actor, *event.recipient] if a.country), None)


def _notes(event: Event, mentions: Mapping[str, EventMention]) -> str:
    parts = [f"On {event.date or 'an unknown date'}: " + (_evidence(event, mentions, 1) or [
        f"{', '.join(_label(a) for a in event.actor) or 'unidentified actor'} {event.event_type} "
        f"{', '.join(_label(a) for a in event.recipient)}".strip()])[0]]
    if len(event.recipient) > 1:
        parts.append("Also targeted: " + "; ".join(_label(a) for a in event.recipient[1:]) + ".")
    if event.status != "asserted":
        parts.append(f"Status: {event.status}.")
    parts += [f"Conflicting claims: {c}." for c in event.conflicts]
    return " ".join(parts)


def acled_row(event: Event, mentions: Mapping[str, EventMention] | None = None,
              articles: Mapping[str, Article] | None = None) -> dict[str, Any]:
    """One event as an ACLED-style row (columns `ACLED_COLUMNS`)."""
    mentions, articles = mentions or {}, articles or {}
    etype, sub = acled_category(event)
    cc = _event_country(event)
    loc = event.event_loc
    sources = sorted({_publication(articles.get(a), a) for a in event.sources})
    return {
        "event_id_cnty": f"{cc or 'XXX'}-{event.id}", "event_date": event.date,
        "year": int(event.date[:4]) if event.date else None, "event_type": etype, "sub_event_type": sub,
        "actor1": _label(event.actor[0]) if event.actor else None,
        "assoc_actor_1": "; ".join(_label(a) for a in event.actor[1:]) or None,
        "actor2": _label(event.recipient[0]) if event.recipient else None,
        "country": country_name(cc), "admin1": loc.province if loc else None,
        "location": (loc.resolved_place or loc.extracted_place) if loc else None,
        "latitude": loc.lat if loc else None, "longitude": loc.lon if loc else None,
        "source": "; ".join(sources), "notes": _notes(event, mentions),
        "fatalities": event.size.dead or 0,
    }


def acled_rows(events: Iterable[Event], mentions: Iterable[EventMention] | None = None,
               articles: Iterable[Article] | None = None) -> Iterator[dict[str, Any]]:
    ms, arts = _by_id(mentions), _by_id(articles)
    for ev in events:
        yield acled_row(ev, ms, arts)


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
