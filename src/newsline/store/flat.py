"""Flat tables of the store for spreadsheets, R and Datasette: one row per record, one value per cell.

`--format csv` and `--format sqlite` write these rows. Nested values are spread over columns (an event's
first actor, recipient and mediator each get name, id, country and sector columns; its place gets place,
admin1, country, lat, lon) or joined with "; " (sources, contexts, the other parties); nothing is JSON
text. The nested record form stays available as `--format csv-nested`, jsonl and parquet.

An actor id has one name throughout a table: the name its mentions use most (`canonical_names`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from newsline.records import ActorRef, Article, Event, EventMention, Place
from newsline.store.db import Store

JOIN = "; "

# the parties spread over columns: column prefix -> the record field whose first entry it is
PARTIES = {"actor1": "actor", "actor2": "recipient", "mediator": "mediator"}
PARTY_FIELDS = ("name", "id", "country", "sector")
PLACE_COLUMNS = ("place", "admin1", "country", "lat", "lon", "geo_resolution")

_PARTY_COLUMNS = [f"{p}_{f}" for p in PARTIES for f in PARTY_FIELDS] + ["other_parties"]
EVENT_COLUMNS = ["id", "event_type", "mode", "quad_code", "context", *_PARTY_COLUMNS, "date", "enddate",
                 "date_precision", *PLACE_COLUMNS, "fatalities", "injured", "arrested", "status",
                 "corroboration", "first_reported", "sources", "source_urls", "evidence", "conflicts",
                 "mentions"]
MENTION_COLUMNS = ["id", "article_id", "event_id", "event_type", "mode", "quad_code", "context",
                   *_PARTY_COLUMNS, "date", "enddate", "date_precision", "date_text", *PLACE_COLUMNS,
                   "fatalities", "injured", "arrested", "status", "attribution", "confidence", "source_url",
                   "evidence"]
ARTICLE_COLUMNS = ["id", "uri", "title", "published", "published_precision", "published_evidence",
                   "language", "duplicate_of", "error", "dropped_lines", "text"]
COLUMNS = {"events": EVENT_COLUMNS, "mentions": MENTION_COLUMNS, "articles": ARTICLE_COLUMNS}


def canonical_names(records: Iterable[Event | EventMention]) -> dict[str, str]:
    """Actor id -> the one name shown for it: the name most of its occurrences carry (the actor's, not that
    of a person acting for it); ties go to the shorter, then the alphabetically first name."""
    seen: dict[str, Counter[str]] = {}
    for r in records:
        for a in (*r.actor, *r.recipient, *r.mediator):
            name = a.name or a.text
            if a.id and name:
                seen.setdefault(a.id, Counter())[name] += 1
    return {i: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for i, c in seen.items()}


def actor_name(a: ActorRef, names: Mapping[str, str]) -> str | None:
    return names.get(a.id or "") or a.name or a.person or a.text or a.id


def _parties(r: Event | EventMention, names: Mapping[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    others: list[str] = []
    for prefix, field in PARTIES.items():
        parties: list[ActorRef] = getattr(r, field)
        first = parties[0] if parties else None
        row[f"{prefix}_name"] = actor_name(first, names) if first else None
        row[f"{prefix}_id"] = first.id if first else None
        row[f"{prefix}_country"] = first.country if first else None
        row[f"{prefix}_sector"] = first.sector if first else None
        others += [f"{actor_name(a, names)} ({field})" for a in parties[1:]]
    row["other_parties"] = JOIN.join(others) or None
    return row


def _place(p: Place | None) -> dict[str, Any]:
    if p is None:
        return dict.fromkeys(PLACE_COLUMNS)
    return {"place": p.resolved_place or p.extracted_place,
            "admin1": p.province or (p.resolved_place if p.resolution == 2 else None),
            "country": p.country_code, "lat": p.lat, "lon": p.lon, "geo_resolution": p.resolution}


def _joined(values: Iterable[Any]) -> str | None:
    return JOIN.join(dict.fromkeys(str(v) for v in values if v)) or None


def event_row(e: Event, names: Mapping[str, str], mentions: Mapping[str, EventMention],
              uris: Mapping[str, str]) -> dict[str, Any]:
    evidence = next((ev.sentence for mid in e.mentions if (m := mentions.get(mid)) for ev in m.evidence), None)
    return {"id": e.id, "event_type": e.event_type, "mode": e.mode, "quad_code": e.quad_code,
            "context": _joined(e.context), **_parties(e, names), "date": e.date, "enddate": e.enddate,
            "date_precision": e.date_precision, **_place(e.event_loc), "fatalities": e.size.dead,
            "injured": e.size.injured, "arrested": e.size.arrested, "status": e.status,
            "corroboration": e.corroboration, "first_reported": e.first_reported, "sources": _joined(e.sources),
            "source_urls": _joined(uris.get(a) for a in e.sources), "evidence": evidence,
            "conflicts": _joined(e.conflicts), "mentions": _joined(e.mentions)}


def mention_row(m: EventMention, names: Mapping[str, str], uris: Mapping[str, str]) -> dict[str, Any]:
    return {"id": m.id, "article_id": m.article_id, "event_id": m.event_id, "event_type": m.event_type,
            "mode": m.mode, "quad_code": m.quad_code, "context": _joined(m.context), **_parties(m, names),
            "date": m.date, "enddate": m.enddate, "date_precision": m.date_precision, "date_text": m.date_text,
            **_place(m.event_loc), "fatalities": m.size.dead, "injured": m.size.injured,
            "arrested": m.size.arrested, "status": m.status, "attribution": m.attribution,
            "confidence": m.confidence, "source_url": uris.get(m.article_id),
            "evidence": m.evidence[0].sentence if m.evidence else None}


def article_row(a: Article) -> dict[str, Any]:
    return {"id": a.id, "uri": a.uri, "title": a.title, "published": a.published,
            "published_precision": a.published_precision, "published_evidence": a.published_evidence,
            "language": a.language, "duplicate_of": a.duplicate_of, "error": a.error,
            "dropped_lines": len(a.dropped_lines), "text": a.text}


def flat_rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """The flat rows (columns `COLUMNS[what]`) of articles, mentions or events."""
    if what == "articles":
        yield from (article_row(a) for a in store.iter_records("articles"))
        return
    uris = store.article_uris()
    if what == "mentions":
        mentions = store.read_mentions()
        names = canonical_names(mentions)
        yield from (mention_row(m, names, uris) for m in mentions)
        return
    events = store.read_events()
    mentions = {m.id: m for m in store.read_mentions()}
    names = canonical_names([*mentions.values(), *events])
    yield from (event_row(e, names, mentions, uris) for e in events)


def write_flat_csv(store: Store, what: str, out: Any) -> int:
    """`--format csv`: the flat table of `what` as CSV (UTF-8, a header row, empty cells for no value)."""
    import csv

    from newsline.store.export import text_out

    n = 0
    with text_out(out) as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS[what], lineterminator="\n")
        writer.writeheader()
        for row in flat_rows(store, what):
            writer.writerow(row)
            n += 1
    return n
