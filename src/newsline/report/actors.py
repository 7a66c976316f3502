"""`newsline actors`: each actor with the names it was reported under, its persons' roles by date, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.table import Table

from newsline.records import ActorRef, Event, EventMention

__all__ = ["ActorSummary", "RoleSpan", "actor_summaries", "actors_table"]

_ROLES = ("actor", "recipient", "mediator")


@dataclass(slots=True)
class RoleSpan:
    """A person's office (role, sector) as coded on events between `first` and `last`."""

    person: str
    role: str | None
    sector: str | None
    first: str | None
    last: str | None
    events: int = 0


@dataclass(slots=True)
class ActorSummary:
    id: str
    name: str | None
    country: str | None
    sectors: dict[str, int] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)  # surface texts seen in the articles
    roles: list[RoleSpan] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # actor / recipient / mediator / events
    first: str | None = None
    last: str | None = None


def _key(a: ActorRef) -> str:
    return a.id or a.name or a.text or "?"


def _records(events: Iterable[Event], mentions: Iterable[EventMention] | None):
    """(record, date) pairs: mentions when given (they carry the surface names), else events."""
    if mentions is not None:
        return [(m, m.date) for m in mentions]
    return [(e, e.date) for e in events]


def _add_role(spans: dict[tuple, RoleSpan], a: ActorRef, date: str | None) -> None:
    span = spans.setdefault((a.person, a.role, a.sector), RoleSpan(a.person, a.role, a.sector, date, date))
    span.events += 1
    if date:
        span.first = min(filter(None, (span.first, date)))
        span.last = max(filter(None, (span.last, date)))


def actor_summaries(events: Iterable[Event], mentions: Iterable[EventMention] | None = None) -> list[ActorSummary]:
    """One summary per actor id, most active first. Counts are of events (of mentions when only mentions
    are given); aliases and roles come from the mentions when given."""
    events = list(events)
    out: dict[str, ActorSummary] = {}
    aliases: dict[str, Counter] = {}
    spans: dict[str, dict[tuple, RoleSpan]] = {}
    for rec, date in _records(events, mentions):
        seen: set[str] = set()
        for role in _ROLES:
            for a in getattr(rec, role):
                k = _key(a)
                s = out.setdefault(k, ActorSummary(id=k, name=a.name, country=a.country))
                s.counts[role] = s.counts.get(role, 0) + 1
                if a.sector:
                    s.sectors[a.sector] = s.sectors.get(a.sector, 0) + 1
                if a.text:
                    aliases.setdefault(k, Counter())[a.text] += 1
                if a.person:
                    _add_role(spans.setdefault(k, {}), a, date)
                if date:
                    s.first = min(filter(None, (s.first, date)))
                    s.last = max(filter(None, (s.last, date)))
                if k not in seen:
                    seen.add(k)
                    s.counts["events"] = s.counts.get("events", 0) + 1
    for k, s in out.items():
        s.aliases = [t for t, _ in sorted(aliases.get(k, Counter()).items(), key=lambda x: (-x[1], x[0]))]
        s.roles = sorted(spans.get(k, {}).values(), key=lambda r: (r.person or "", r.first or "", r.role or ""))
    return sorted(out.values(), key=lambda s: (-s.counts.get("events", 0), s.id))


def _roles_text(s: ActorSummary) -> str:
    lines = []
    for r in s.roles:
        dates = r.first if r.first == r.last else f"{r.first or '?'}..{r.last or '?'}"
        office = ", ".join(x for x in (r.role, r.sector) if x)
        lines.append(f"{r.person}: {office} ({dates})")
    return "\n".join(lines)


def actors_table(summaries: Iterable[ActorSummary], title: str = "Actors", max_aliases: int = 6) -> Table:
    """A rich Table: actor, country/sectors, aliases seen, roles by date, counts."""
    table = Table(title=title)
    for name in ("actor", "country · sectors", "aliases seen", "persons: roles by date", "events",
                 "as actor / recipient / mediator", "first – last"):
        table.add_column(name)
    for s in summaries:
        sectors = ", ".join(k for k, _ in sorted(s.sectors.items(), key=lambda x: -x[1]))
        aliases = "; ".join(s.aliases[:max_aliases]) + (" …" if len(s.aliases) > max_aliases else "")
        c = s.counts
        table.add_row(f"{s.name or s.id} [{s.id}]", " · ".join(x for x in (s.country, sectors) if x), aliases,
                      _roles_text(s), str(c.get("events", 0)),
                      f"{c.get('actor', 0)} / {c.get('recipient', 0)} / {c.get('mediator', 0)}",
                      f"{s.first or '?'} – {s.last or '?'}")
    return table
