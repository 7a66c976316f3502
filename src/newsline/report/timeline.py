"""`newsline timeline`: events in date order, filtered by actor, type and dates, as rows or a rich renderable
that fits the terminal (one line per event, its evidence wrapped below)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from newsline.records import ActorRef, Event, EventMention
from newsline.report.layout import aligned_table, fit_widths, wrapped

__all__ = ["TimelineRow", "TimelineView", "actor_matches", "filter_events", "short_date", "timeline_rows",
           "timeline_table"]


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
_HEADER = ("date", "type", "actor → recipient", "place", "status", "src")


def short_date(date: str | None) -> str:
    """A timeline date: "2021-10" for a whole month, "2021" for a whole year, "2021-11-08..11-09" for a range
    within a year, else as stored ("?" when undated)."""
    if not date:
        return "?"
    start, _, end = date.partition("..")
    if not end:
        return start
    if len(start) == len(end) == 10:
        if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
            return start[:4]
        if start[8:] == "01" and start[:7] == end[:7] and end[8:] == _last_day(end[:7]):
            return start[:7]
        if start[:4] == end[:4]:
            return f"{start}..{end[5:]}"
    return f"{start}..{end}"


def _last_day(month: str) -> str:
    import calendar

    year, mon = (int(x) for x in month.split("-"))
    return f"{calendar.monthrange(year, mon)[1]:02d}"


class TimelineView:
    """The timeline as a rich renderable that fits the console width: per event one block of aligned columns
    (date, type, actor → recipient, place, status, sources; the parties wrap over up to `party_lines` lines,
    the place over two, other long cells end in an ellipsis), then its first evidence sentence wrapped over up
    to `evidence_lines` lines below, indented under the type."""

    def __init__(self, rows: Iterable[TimelineRow], title: str = "Timeline", evidence_lines: int = 2,
                 party_lines: int = 4) -> None:
        self.rows, self.title = list(rows), title
        self.evidence_lines, self.party_lines = evidence_lines, party_lines

    @staticmethod
    def _cells(r: TimelineRow) -> tuple[str, ...]:
        kind = r.event_type + (f"/{r.mode}" if r.mode else "")
        status = r.status + (" ⚠" if r.conflicts else "")
        return (short_date(r.date), kind, f"{r.actors or '?'} → {r.recipients or '—'}", r.place or "", status,
                str(r.corroboration))

    def _widths(self, cells: list[tuple[str, ...]], width: int, gap: int) -> list[int]:
        longest = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(_HEADER)]
        longest[4] = min(longest[4], 14)
        if width < 100:  # date ranges over two lines ("2021-11-08..", "11-09")
            longest[0] = min(longest[0], 12)
        widths = fit_widths(longest, (0, 4, 5), ((2, 0), (1, 1), (3, 1)), width, gap)
        # the type column is as wide as "TYPE" and "/mode" on two lines when narrow (at least that wide when
        # wide); the difference goes to or comes from the parties
        split = max([4, *(max(len(r.event_type), len(r.mode or "") + 1) for r in self.rows)])
        if widths[1] < split or width < 100:
            widths[2], widths[1] = max(widths[2] - (split - widths[1]), 12), split
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        gap = 2 if width >= 110 else 1
        cells = [self._cells(r) for r in self.rows]
        widths = self._widths(cells, width, gap)
        yield Text(self.title, style="bold", justify="center")
        yield aligned_table(_HEADER, widths, gap, header=True)
        yield Text("─" * min(width, sum(widths) + gap * 5), style="dim")
        indent = widths[0] + gap
        for r, c in zip(self.rows, cells, strict=True):
            table = aligned_table(_HEADER, widths, gap, no_wrap=(0, 4, 5), right=(5,))
            kind = c[1] if len(c[1]) <= widths[1] or not r.mode else f"{r.event_type}\n/{r.mode}"
            parties = Text("\n").join(wrapped(console, c[2], widths[2], self.party_lines))
            date = c[0] if len(c[0]) <= widths[0] else c[0].replace("..", "..\n", 1)
            place = Text("\n").join(wrapped(console, c[3], widths[3], 2, fold=False))
            table.add_row(Text(date), Text(kind), parties, place, Text(c[4]), Text(c[5]),
                          style=_QUAD_STYLE.get(r.quad_code or 0))  # Text: names are not rich markup
            yield table
            if r.evidence and self.evidence_lines > 0:
                for line in wrapped(console, r.evidence, max(width - indent, 20), self.evidence_lines,
                                    style="dim italic"):
                    yield Text(" " * indent) + line


def timeline_table(rows: Iterable[TimelineRow], title: str = "Timeline", evidence_lines: int = 2) -> TimelineView:
    """The timeline for the terminal (see `TimelineView`): readable at 80 columns and wider."""
    return TimelineView(rows, title, evidence_lines)
