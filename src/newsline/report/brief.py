"""`newsline brief`: a situation brief (HTML from the Jinja2 template `templates/brief.html.j2`, or Markdown).

The brief covers a period: the dates of the events reported as current (`--since/--until` set it). An
event dated long before its first report (`BACKGROUND_DAYS`, a war of 1994 recalled in 2021) is
background: listed on its own, kept out of the figures, the timeline and the network. Undated events are
listed with their count. Key figures come from the events of the period; deaths are summed over the events
with a coded toll only, and say how many those are.

Key figures, a timeline of events by date and type coloured by PLOVER quad class (plotly), the actor network
(a node per actor id under one name, directed edges weighted by events, no unresolved nouns; laid out by
networkx and drawn as SVG with labels kept apart, `newsline.report.network`), the main events with their
sources and evidence quotes, and the conflicting claims. plotly.js is written once beside the HTML
(`plotly.min.js`), or inlined with `offline=True` (`--offline`) for a single file that opens anywhere;
either way nothing is fetched from the network. Every piece of article text is escaped, in the page (the
template autoescapes) and in the plot's hover text.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsline.knowledge import ontology
from newsline.records import ActorRef, Article, Event, EventMention
from newsline.report.network import network_drawing
from newsline.report.timeline import filter_events
from newsline.store.flat import canonical_names
from newsline.store.formats import coded_toll
from newsline.store.graph import actor_network

log = logging.getLogger(__name__)

__all__ = ["Brief", "build_brief", "render_html", "render_markdown", "write_brief", "PLOTLY_FILE"]

BACKGROUND_DAYS = 365  # an event dated more than this before its first report is background
PLOTLY_FILE = "plotly.min.js"  # written beside the brief's HTML

QUADS = {1: ("verbal cooperation", "#74c476"), 2: ("material cooperation", "#238b45"),
         3: ("verbal conflict", "#fd8d3c"), 4: ("material conflict", "#cb181d"), 0: ("unknown", "#969696")}


@dataclass(slots=True)
class Brief:
    title: str
    events: list[Event]  # the events of the period (dated within it)
    mentions: dict[str, EventMention]
    articles: dict[str, Article]
    figures: dict[str, Any] = field(default_factory=dict)
    edges: dict[tuple[str, str], int] = field(default_factory=dict)  # (actor id, recipient id) -> events
    main: list[Event] = field(default_factory=list)
    conflicted: list[Event] = field(default_factory=list)
    period: tuple[str, str] | None = None
    background: list[Event] = field(default_factory=list)  # dated before the period
    undated: list[Event] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # actor id -> its one name
    network: Any = None  # networkx.DiGraph of the period's events


@lru_cache(maxsize=64)
def _type_quad(event_type: str) -> int:
    """Quad class of a type from the packaged ontology (0 for a type it does not know)."""
    return ontology().quad(event_type) or 0


def _quad(e: Event) -> int:
    return e.quad_code or _type_quad(e.event_type)


def _name(a: ActorRef, names: dict[str, str] | None = None) -> str:
    """The actor's one name (`names`: actor id -> name, see canonical_names)."""
    return (names or {}).get(a.id or "") or a.name or a.text or a.id or "?"


def _first_report(e: Event, articles: dict[str, Article] | None = None) -> str | None:
    """The date the event was first reported: its own record's, else its sources' publication dates."""
    published = [a.published for i in e.sources if (a := (articles or {}).get(i)) and a.published]
    return e.first_reported or min([*(c.published for c in e.claims if c.published), *published], default=None)


def is_background(e: Event, since: str | None = None, articles: dict[str, Article] | None = None) -> bool:
    """A dated event from before the brief's period: before `since`, or (without one) dated more than
    BACKGROUND_DAYS before its first report."""
    if not e.date:
        return False
    if since:
        return (e.enddate or e.date) < since
    reported = _first_report(e, articles)
    if not reported:
        return False
    try:
        return date.fromisoformat(e.date[:10]) < date.fromisoformat(reported[:10]) - timedelta(days=BACKGROUND_DAYS)
    except ValueError:
        return False


def _figures(events: list[Event], period: tuple[str, str] | None, undated: int, background: int,
             network: Any) -> dict[str, Any]:
    quads = Counter(QUADS[_quad(e)][0] for e in events)
    tolls = [t for t in (coded_toll(e) for e in events) if t is not None]
    return {
        "events": len(events), "sources": len({s for e in events for s in e.sources}),
        "corroborated events (2+ independent sources)": sum(1 for e in events if e.corroboration >= 2),
        "period": f"{period[0]} – {period[1]}" if period else "no dated events",
        "actors": network.number_of_nodes() if network is not None else 0,
        # "0 deaths" would claim that nobody died; with no toll coded the figure says that instead
        **({f"reported deaths (in the {len(tolls)} event(s) with a coded toll)": sum(tolls)} if tolls
           else {"reported deaths (no event of the period has a coded toll)": "–"}),
        "events with conflicting claims": sum(1 for e in events if e.conflicts),
        **{f"{q} events": n for q, n in sorted(quads.items())},
        "undated events (listed below)": undated, "background events (listed below)": background,
    }


def build_brief(events: Iterable[Event], mentions: Iterable[EventMention] = (), articles: Iterable[Article] = (),
                actors: Iterable[str] | None = None, title: str | None = None, main_events: int = 15,
                since: str | None = None, until: str | None = None) -> Brief:
    """Gather what the brief shows: the events of its period (of the given actors, if any), figures,
    network, main events; background and undated events apart. `since`/`until` (YYYY-MM-DD) set the
    period; without them it runs over the dated events that are not background."""
    mentions, by_id = list(mentions), {a.id: a for a in articles}
    chosen = filter_events(events, actor=list(actors or []) or None)
    undated = [e for e in chosen if not e.date]
    background = [e for e in chosen if is_background(e, since, by_id)]
    dated = [e for e in chosen if e.date and e not in background and not (until and e.date > until)]
    # a year-precision date outside the span of the finer ones is background too ("in 2018, …")
    fine = sorted(d for e in dated if e.date_precision != "year" for d in (e.date, e.enddate) if d)
    if fine and not since:
        old = [e for e in dated if e.date_precision == "year" and (e.enddate or e.date) < fine[0]]
        background += old
        dated = [e for e in dated if e not in old]
    dates = sorted(d for e in dated for d in (e.date, e.enddate) if d)
    period = (since or dates[0], until or dates[-1]) if dates or (since and until) else None
    names = canonical_names([*mentions, *chosen])
    network = actor_network(dated, names)
    main = sorted(dated, key=lambda e: (-e.corroboration, -(coded_toll(e) or 0), -_quad(e), e.date or "", e.id))
    return Brief(
        title=title or ("Situation brief: " + ", ".join(actors) if actors else "Situation brief"),
        events=dated, mentions={m.id: m for m in mentions}, articles=by_id,
        figures=_figures(dated, period, len(undated), len(background), network),
        edges={(u, v): d["weight"] for u, v, d in network.edges(data=True)}, main=main[:main_events],
        conflicted=[e for e in dated if e.conflicts], period=period, background=background, undated=undated,
        names=names, network=network)


# --------------------------------------------------------------------------- shared text pieces
def _parties(e: Event, names: dict[str, str] | None = None) -> str:
    actors = ", ".join(dict.fromkeys(_name(a, names) for a in e.actor)) or "?"
    recips = ", ".join(dict.fromkeys(_name(a, names) for a in e.recipient))
    return f"{actors} → {recips}" if recips else actors


def _place(e: Event) -> str:
    if not e.event_loc:
        return ""
    return e.event_loc.resolved_place or e.event_loc.extracted_place or ""


def _when(e: Event) -> str:
    return f"{e.date}..{e.enddate}" if e.enddate else (e.date or "undated")


def _quotes(b: Brief, e: Event, limit: int = 3) -> list[tuple[str, str]]:
    """(source label, evidence sentence) pairs, one per source first."""
    out: list[tuple[str, str]] = []
    for mid in e.mentions:
        m = b.mentions.get(mid)
        if m and m.evidence and len(out) < limit:
            out.append((_source_label(b, m.article_id), m.evidence[0].sentence))
    return out


def _source_label(b: Brief, article_id: str) -> str:
    a = b.articles.get(article_id)
    if a is None:
        return article_id
    when = f", {a.published}" if a.published else ""
    return f"{a.title or article_id}{when}"


def _claim_lines(b: Brief, e: Event) -> list[str]:
    lines = []
    for c in e.claims:
        toll = f", dead {c.size.dead}" if c.size.dead is not None else ""
        who = f" (attributed to {c.attribution})" if c.attribution else ""
        lines.append(f"{_source_label(b, c.article_id)}: {c.status}{toll}{who}")
    return lines


# --------------------------------------------------------------------------- plots
def _timeline_figure(b: Brief):
    import plotly.graph_objects as go

    fig = go.Figure()
    for q, (label, colour) in QUADS.items():
        evs = [e for e in b.events if _quad(e) == q and e.date]
        if not evs:
            continue
        hover = [html.escape(f"{_when(e)} {e.event_type}: {_parties(e, b.names)} {_place(e)} "
                             f"[{e.status}, {e.corroboration} source(s)]") for e in evs]
        fig.add_trace(go.Scatter(
            x=[e.date for e in evs], y=[e.event_type for e in evs], mode="markers", name=label,
            marker={"color": colour, "size": [8 + 4 * min(e.corroboration, 5) for e in evs], "opacity": 0.8,
                    "line": {"width": 1, "color": "#333"}},
            hovertext=hover, hoverinfo="text"))
    fig.update_layout(title="Events of the period by date and type (marker size = independent sources)",
                      height=420, margin={"l": 110, "r": 20, "t": 50, "b": 40}, legend={"orientation": "h"},
                      template="plotly_white")
    if b.period:  # the period, with a margin so that the first and last markers show whole
        start, end = (date.fromisoformat(d[:10]) for d in b.period)
        margin = timedelta(days=max(2, (end - start).days // 40))
        fig.update_xaxes(range=[(start - margin).isoformat(), (end + margin).isoformat()])
    return fig


# --------------------------------------------------------------------------- HTML
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("newsline.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("brief.html.j2")


def _event_view(b: Brief, e: Event) -> dict[str, Any]:
    return {"when": _when(e), "quad": _quad(e), "type": e.event_type + (f"/{e.mode}" if e.mode else ""),
            "parties": _parties(e, b.names), "place": _place(e), "status": e.status,
            "corroboration": e.corroboration, "toll": coded_toll(e), "quotes": _quotes(b, e),
            "sources": [_source_label(b, a) for a in e.sources], "conflicts": list(e.conflicts),
            "claims": _claim_lines(b, e), "first_reported": _first_report(e, b.articles) or ""}


def _timeline_html(b: Brief) -> str:
    """The timeline plot as an HTML fragment (plotly.js not included); a note when plotly is missing."""
    try:
        import plotly  # noqa: F401
    except ImportError:
        log.warning("plotly is not installed: the brief has no timeline plot (pip install 'newsline[report]')")
        return "<p class='muted'>The timeline plot needs plotly: pip install 'newsline[report]'.</p>"
    if not b.events:
        return "<p class='muted'>No dated events in the period.</p>"
    return _timeline_figure(b).to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def plotly_js() -> str | None:
    """plotly.js (minified) of the installed plotly, or None without plotly."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError:
        return None
    return get_plotlyjs()


def render_html(b: Brief, plotly: str = "inline") -> str:
    """The brief as HTML. `plotly`: "inline" puts plotly.js in the page (one file that opens anywhere);
    a file name (PLOTLY_FILE) loads it from beside the page."""
    from markupsafe import Markup

    from newsline import __version__

    timeline = _timeline_html(b)
    inline = plotly_js() if plotly == "inline" else None
    return _template().render(
        title=b.title, version=__version__, today=date.today().isoformat(),
        n_articles=len(b.articles) or len({s for e in b.events for s in e.sources}), period=b.period,
        figures=b.figures, timeline=Markup(timeline),
        net=network_drawing(b.network if b.network is not None else actor_network(b.events, b.names)),
        main=[_event_view(b, e) for e in b.main],
        conflicted=[_event_view(b, e) for e in b.conflicted],
        background=[_event_view(b, e) for e in sorted(b.background, key=lambda e: (e.date or "", e.id))],
        undated=[_event_view(b, e) for e in b.undated],
        plotly_src=None if plotly == "inline" else plotly,
        plotly_inline=Markup(inline.replace("</script", "<\\/script")) if inline else None)


# --------------------------------------------------------------------------- Markdown
def _md(text: Any) -> str:
    """Escape text for Markdown: HTML-escaped (renderers pass raw HTML through) and table-safe."""
    return html.escape("" if text is None else str(text)).replace("|", "\\|").replace("\n", " ")


def render_markdown(b: Brief) -> str:
    """The brief as Markdown (figures, main events with quotes, conflicting claims; no plots)."""
    lines = [f"# {_md(b.title)}", "", "## Key figures", ""]
    lines += [f"- **{_md(v)}** {_md(k)}" for k, v in b.figures.items()]
    lines += ["", "## Main events", "", "| date | type | actor → recipient | place | status | sources |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {_md(_when(e))} | {_md(e.event_type)} | {_md(_parties(e))} | {_md(_place(e))} | "
              f"{_md(e.status)} | {e.corroboration} |" for e in b.main]
    lines += ["", "### Evidence", ""]
    for e in b.main:
        lines.append(f"- **{_md(_when(e))} {_md(e.event_type)}: {_md(_parties(e))}**")
        lines += [f"  > {_md(s)} — *{_md(src)}*" for src, s in _quotes(b, e)]
    lines += ["", f"## Background events ({len(b.background)})", ""]
    lines += [f"- {_md(_when(e))} {_md(e.event_type)}: {_md(_parties(e, b.names))} {_md(_place(e))}" for e in b.background]
    lines += ["", f"## Undated events ({len(b.undated)})", ""]
    lines += [f"- {_md(e.event_type)}: {_md(_parties(e, b.names))} {_md(_place(e))}" for e in b.undated]
    lines += ["", "## Conflicting claims", ""]
    if not b.conflicted:
        lines.append("No conflicting claims between sources.")
    for e in b.conflicted:
        lines.append(f"- **{_md(_when(e))} {_md(e.event_type)}: {_md(_parties(e))}** — "
                     + "; ".join(_md(c) for c in e.conflicts))
        lines += [f"  - {_md(line)}" for line in _claim_lines(b, e)]
    return "\n".join(lines) + "\n"


def write_brief(out: str | Path, events: Iterable[Event], mentions: Iterable[EventMention] = (),
                articles: Iterable[Article] = (), actors: Iterable[str] | None = None,
                title: str | None = None, offline: bool = False, since: str | None = None,
                until: str | None = None) -> Path:
    """Write brief.html or brief.md (chosen by the suffix); returns the path. An HTML brief loads plotly.js
    from PLOTLY_FILE, written beside it; `offline=True` inlines it instead."""
    path = Path(out)
    b = build_brief(events, mentions, articles, actors=actors, title=title, since=since, until=until)
    if path.suffix.lower() in {".md", ".markdown"}:
        path.write_text(render_markdown(b), encoding="utf-8")
        return path
    js = None if offline else plotly_js()
    if js is not None:
        beside = path.parent / PLOTLY_FILE
        if not beside.exists() or beside.read_text(encoding="utf-8") != js:
            beside.write_text(js, encoding="utf-8")
    path.write_text(render_html(b, plotly="inline" if offline or js is None else PLOTLY_FILE), encoding="utf-8")
    return path
