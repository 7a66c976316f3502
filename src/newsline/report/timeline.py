"""`newsline timeline`: events in date order, filtered by actor, type and dates, as rows or a rich Table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.table import Table

from newsline.records import ActorRef, Event, EventMention

__all__ = ["TimelineRow", "actor_matches", "filter_events", "timeline_rows", "timeline_table"]


@dataclass(slots=True)
class TimelineRow:
    event_id: str
    date: str | None
    event_type: str
    mode: str | None
    actors: str
    recipients: str
    place: str | None
    status: str
    corroboration: int
    evidence: str | None
    quad_code: int | None = None
    conflicts: int = 0


def actor_matches(a: ActorRef, query: str) -> bool:
    """An actor answers to its id or country code exactly, or to a part of its name, person or text."""
    q = query.strip().lower()
    if not q:
        return True
    if q in {(a.id or "").lower(), (a.country or "").lower()}:
        return True
    return any(q in (v or "").lower() for v in (a.name, a.person, a.text))


def _parties(e: Event) -> list[ActorRef]:
    return [*e.actor, *e.recipient, *e.mediator]


def filter_events(events: Iterable[Event], actor: str | Iterable[str] | None = None,
                  event_type: str | None = None, since: str | None = None,
                  until: str | None = None) -> list[Event]:
    """Events involving any of the actors, of the type (or quad number), dated within [since, until]."""
    actors = [actor] if isinstance(actor, str) else list(actor or [])
    out = []
    for e in events:
        if actors and not any(actor_matches(a, q) for q in actors for a in _parties(e)):
            continue
        if event_type and event_type.upper() != e.event_type and event_type != str(e.quad_code):
            continue
        if since and (e.date is None or (e.enddate or e.date) < since):
            continue
        if until and (e.date is None or e.date > until):
            continue
        out.append(e)
    return sorted(out, key=lambda e: (e.date or "9999", e.id))


def _names(actors: list[ActorRef]) -> str:
    return ", ".join(dict.fromkeys(a.person or a.name or a.text or "?" for a in actors))


def _first_evidence(e: Event, mentions: Mapping[str, EventMention]) -> str | None:
    for mid in e.mentions:
        m = mentions.get(mid)
        if m and m.evidence:
            return m.evidence[0].sentence
    return None


def timeline_rows(events: Iterable[Event], mentions: Iterable[EventMention] | None = None,
                  actor: str | Iterable[str] | None = None, event_type: str | None = None,
                  since: str | None = None, until: str | None = None) -> list[TimelineRow]:
    """One row per event passing the filters, in date order (undated last)."""
    by_id = {m.id: m for m in mentions or []}
    rows = []
    for e in filter_events(events, actor, event_type, since, until):
        place = (e.event_loc.resolved_place or e.event_loc.extracted_place) if e.event_loc else None
        date = e.date if not e.enddate else f"{e.date}..{e.enddate}"
        rows.append(TimelineRow(
            event_id=e.id, date=date, event_type=e.event_type, mode=e.mode, actors=_names(e.actor + e.mediator),
            recipients=_names(e.recipient), place=place, status=e.status, corroboration=e.corroboration,
            evidence=_first_evidence(e, by_id), quad_code=e.quad_code, conflicts=len(e.conflicts)))
    return rows


_QUAD_STYLE = {1: "green", 2: "bold green", 3: "yellow", 4: "bold red"}


def timeline_table(rows: Iterable[TimelineRow], title: str = "Timeline", evidence_width: int = 80) -> Table:
    """A rich Table: date, type, actor → recipient, place, status, corroboration, one evidence line."""
    table = Table(title=title, show_lines=False, expand=False)
    for name, kw in (("date", {"no_wrap": True}), ("type", {}), ("actor → recipient", {}), ("place", {}),
                     ("status", {}), ("sources", {"justify": "right"}), ("evidence", {})):
        table.add_column(name, **kw)
    for r in rows:
        kind = r.event_type + (f"/{r.mode}" if r.mode else "")
        status = r.status + (" ⚠" if r.conflicts else "")
        evidence = (r.evidence or "")
        if len(evidence) > evidence_width:
            evidence = evidence[:evidence_width - 1] + "…"
        table.add_row(r.date or "?", kind, f"{r.actors or '?'} → {r.recipients or '—'}", r.place or "",
                      status, str(r.corroboration), evidence, style=_QUAD_STYLE.get(r.quad_code or 0))
    return table
