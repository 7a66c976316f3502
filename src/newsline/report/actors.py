"""`newsline actors`: each actor with the names it was reported under, its persons' roles by date, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from newsline.records import ActorRef, Event, EventMention
from newsline.report.layout import aligned_table, fit_widths, wrapped

__all__ = ["ActorSummary", "ActorsView", "RoleSpan", "actor_summaries", "actors_table"]

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
    resolved: bool = True  # False: a name the actor dictionary did not resolve (keyed by its text)


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
    """One summary per actor id, most active first, names the dictionary did not resolve last. Counts are of
    events (of mentions when only mentions are given); aliases and roles come from the mentions when given."""
    events = list(events)
    out: dict[str, ActorSummary] = {}
    aliases: dict[str, Counter] = {}
    spans: dict[str, dict[tuple, RoleSpan]] = {}
    for rec, date in _records(events, mentions):
        seen: set[str] = set()
        for role in _ROLES:
            for a in getattr(rec, role):
                k = _key(a)
                s = out.setdefault(k, ActorSummary(id=k, name=a.name, country=a.country, resolved=bool(a.id)))
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
    return sorted(out.values(), key=lambda s: (not s.resolved, -s.counts.get("events", 0), s.id))


def _role_line(s: ActorSummary, r: RoleSpan) -> str:
    dates = r.first if r.first == r.last else f"{r.first or '?'}..{r.last or '?'}"
    office = r.role or "no office"
    who = "" if r.person == s.name else f"{r.person}: "
    sector = f" ({r.sector})" if r.sector else ""
    return f"{who}{office}{sector}, {dates or 'undated'} · {r.events} mention{'s' if r.events != 1 else ''}"


_HEADER = ("actor", "ctry · sectors", "events", "act/rec/med", "first – last")


class ActorsView:
    """The actors as a rich renderable that fits the console width: per actor one line of aligned columns
    (name [id], country · sectors, events, counts as actor/recipient/mediator, first – last date),
    then the names it was reported under and its persons' offices by date, indented below."""

    def __init__(self, summaries: Iterable[ActorSummary], title: str = "Actors", max_aliases: int = 6,
                 alias_lines: int = 2, max_roles: int = 8) -> None:
        self.summaries, self.title = list(summaries), title
        self.max_aliases, self.alias_lines, self.max_roles = max_aliases, alias_lines, max_roles

    @staticmethod
    def _cells(s: ActorSummary) -> tuple[str, ...]:
        sectors = ", ".join(k for k, _ in sorted(s.sectors.items(), key=lambda x: -x[1]))
        c = s.counts
        period = f"{s.first or '?'} – {s.last or '?'}" if s.first != s.last else (s.first or "undated")
        name = s.name or s.id
        return (name if name == s.id or not s.resolved else f"{name} [{s.id}]", " · ".join(x for x in (s.country, sectors) if x),
                str(c.get("events", 0)), f"{c.get('actor', 0)}/{c.get('recipient', 0)}/{c.get('mediator', 0)}",
                period)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        gap = 2 if width >= 110 else 1
        cells = [self._cells(s) for s in self.summaries]
        longest = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(_HEADER)]
        if width < 80:  # "first – last" over two lines
            longest[4] = min(longest[4], 12)
        widths = fit_widths(longest, (2, 3, 4), ((0, 0), (1, 2)), width, gap)
        yield Text(self.title, style="bold", justify="center")
        yield aligned_table(_HEADER, widths, gap, header=True, right=(2, 3))
        yield Text("─" * min(width, sum(widths) + gap * 4), style="dim")
        unresolved = False
        for s, c in zip(self.summaries, cells, strict=True):
            if not s.resolved and not unresolved:
                unresolved = True
                yield Text("names not resolved to an actor:", style="bold dim")
            table = aligned_table(_HEADER, widths, gap, no_wrap=(2, 3), right=(2, 3))
            table.add_row(*(Text(x) for x in c))  # Text: names are not rich markup ("[isr]")
            yield table
            yield from self._details(console, s, width)

    def _details(self, console: Console, s: ActorSummary, width: int) -> Iterator[Text]:
        indent = "  "
        if s.aliases:
            shown = "; ".join(s.aliases[:self.max_aliases])
            more = len(s.aliases) - self.max_aliases
            text = Text("seen as: ", style="bold dim") + Text(shown + (f" (+{more} more)" if more > 0 else ""),
                                                               style="dim")
            for line in wrapped(console, text, width - len(indent), self.alias_lines):
                yield Text(indent) + line
        for r in s.roles[:self.max_roles]:
            for line in wrapped(console, _role_line(s, r), width - len(indent) - 2, 2):
                yield Text(indent + "• ") + line
        if len(s.roles) > self.max_roles:
            yield Text(f"{indent}• … {len(s.roles) - self.max_roles} more offices", style="dim")


def actors_table(summaries: Iterable[ActorSummary], title: str = "Actors", max_aliases: int = 6) -> ActorsView:
    """The actors for the terminal (see `ActorsView`): readable at 80 columns and wider."""
    return ActorsView(summaries, title, max_aliases)
