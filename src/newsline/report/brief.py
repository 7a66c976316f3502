"""`newsline brief`: a self-contained situation brief (HTML with inline plotly.js, or Markdown).

Key figures, a timeline of events by date and type coloured by PLOVER quad class, the actor network (who
acts on whom, edge weight = events), the main events with their sources and evidence quotes, and the
conflicting claims. The HTML embeds plotly.js (no network access needed to open it) and every piece of
article text is HTML-escaped, in the page and in the plots' hover text.
"""

from __future__ import annotations

import html
import logging
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsline.knowledge import ontology
from newsline.records import ActorRef, Article, Event, EventMention
from newsline.report.timeline import filter_events

log = logging.getLogger(__name__)

__all__ = ["Brief", "build_brief", "render_html", "render_markdown", "write_brief"]

QUADS = {1: ("verbal cooperation", "#74c476"), 2: ("material cooperation", "#238b45"),
         3: ("verbal conflict", "#fd8d3c"), 4: ("material conflict", "#cb181d"), 0: ("unknown", "#969696")}


@dataclass(slots=True)
class Brief:
    title: str
    events: list[Event]
    mentions: dict[str, EventMention]
    articles: dict[str, Article]
    figures: dict[str, Any] = field(default_factory=dict)
    edges: dict[tuple[str, str], int] = field(default_factory=dict)
    main: list[Event] = field(default_factory=list)
    conflicted: list[Event] = field(default_factory=list)


@lru_cache(maxsize=64)
def _type_quad(event_type: str) -> int:
    """Quad class of a type from the packaged ontology (0 for a type it does not know)."""
    return ontology().quad(event_type) or 0


def _quad(e: Event) -> int:
    return e.quad_code or _type_quad(e.event_type)


def _name(a: ActorRef) -> str:
    return a.name or a.text or a.id or "?"


def _figures(events: list[Event]) -> dict[str, Any]:
    dates = sorted(e.date for e in events if e.date)
    quads = Counter(QUADS[_quad(e)][0] for e in events)
    actors = {a.id or _name(a) for e in events for a in (*e.actor, *e.recipient, *e.mediator)}
    return {
        "events": len(events), "sources": len({s for e in events for s in e.sources}),
        "corroborated events (2+ independent sources)": sum(1 for e in events if e.corroboration >= 2),
        "period": f"{dates[0]} – {dates[-1]}" if dates else "undated",
        "actors": len(actors), "reported deaths (sum of event tolls)": sum(e.size.dead or 0 for e in events),
        "events with conflicting claims": sum(1 for e in events if e.conflicts),
        **{f"{q} events": n for q, n in sorted(quads.items())},
    }


def _edges(events: list[Event]) -> dict[tuple[str, str], int]:
    edges: Counter[tuple[str, str]] = Counter()
    for e in events:
        pairs = {(_name(a), _name(r)) for a in e.actor for r in e.recipient if _name(a) != _name(r)}
        edges.update(pairs)
    return dict(edges)


def build_brief(events: Iterable[Event], mentions: Iterable[EventMention] = (), articles: Iterable[Article] = (),
                actors: Iterable[str] | None = None, title: str | None = None, main_events: int = 15) -> Brief:
    """Gather what the brief shows: events (of the given actors, if any), figures, network, main events."""
    chosen = filter_events(events, actor=list(actors or []) or None)
    main = sorted(chosen, key=lambda e: (-e.corroboration, -(e.size.dead or 0), -_quad(e), e.date or "", e.id))
    return Brief(
        title=title or ("Situation brief: " + ", ".join(actors) if actors else "Situation brief"),
        events=chosen, mentions={m.id: m for m in mentions}, articles={a.id: a for a in articles},
        figures=_figures(chosen), edges=_edges(chosen), main=main[:main_events],
        conflicted=[e for e in chosen if e.conflicts])


# --------------------------------------------------------------------------- shared text pieces
def _parties(e: Event) -> str:
    actors = ", ".join(_name(a) for a in e.actor) or "?"
    recips = ", ".join(_name(a) for a in e.recipient)
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
        hover = [html.escape(f"{_when(e)} {e.event_type}: {_parties(e)} {_place(e)} "
                             f"[{e.status}, {e.corroboration} source(s)]") for e in evs]
        fig.add_trace(go.Scatter(
            x=[e.date for e in evs], y=[e.event_type for e in evs], mode="markers", name=label,
            marker={"color": colour, "size": [8 + 4 * min(e.corroboration, 5) for e in evs], "opacity": 0.8,
                    "line": {"width": 1, "color": "#333"}},
            hovertext=hover, hoverinfo="text"))
    fig.update_layout(title="Events by date and type (marker size = independent sources)", height=420,
                      margin={"l": 110, "r": 20, "t": 50, "b": 40}, legend={"orientation": "h"},
                      template="plotly_white")
    return fig


def _circle_layout(nodes: list[str]) -> dict[str, tuple[float, float]]:
    n = max(len(nodes), 1)
    return {name: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, name in enumerate(nodes)}


def _network_figure(b: Brief, max_nodes: int = 30):
    import plotly.graph_objects as go

    degree: Counter[str] = Counter()
    for (a, r), w in b.edges.items():
        degree[a] += w
        degree[r] += w
    nodes = [n for n, _ in sorted(degree.items(), key=lambda x: (-x[1], x[0]))[:max_nodes]]
    pos = _circle_layout(nodes)
    top = max(b.edges.values(), default=1)
    fig = go.Figure()
    for (a, r), w in sorted(b.edges.items(), key=lambda x: x[1]):
        if a in pos and r in pos:
            (x0, y0), (x1, y1) = pos[a], pos[r]
            fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", showlegend=False, hoverinfo="text",
                                     hovertext=html.escape(f"{a} → {r}: {w} event(s)"),
                                     line={"width": 1 + 7 * w / top, "color": "rgba(80,80,120,0.45)"}))
            fig.add_annotation(x=x1, y=y1, ax=x0 * 0.15 + x1 * 0.85, ay=y0 * 0.15 + y1 * 0.85, xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=1,
                               arrowcolor="rgba(80,80,120,0.6)", text="")
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text", showlegend=False,
        text=[html.escape(n) for n in nodes], textposition="top center", hoverinfo="text",
        hovertext=[html.escape(f"{n}: {degree[n]} event link(s)") for n in nodes],
        marker={"size": [10 + 3 * math.sqrt(degree[n]) for n in nodes], "color": "#3182bd"}))
    fig.update_layout(title="Actor network (who acts on whom; line width = events)", height=560,
                      xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
                      margin={"l": 20, "r": 20, "t": 50, "b": 20}, template="plotly_white")
    return fig


# --------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.figures{display:flex;flex-wrap:wrap;gap:.8em} .fig{background:#f5f7fa;border-radius:6px;padding:.6em 1em}
.fig b{display:block;font-size:1.5em} table{border-collapse:collapse;width:100%;font-size:.92em}
td,th{border-bottom:1px solid #e5e5e5;padding:.35em .5em;vertical-align:top;text-align:left}
blockquote{margin:.3em 0 .3em 1em;padding-left:.8em;border-left:3px solid #bbb;color:#444}
.q1{color:#31a354}.q2{color:#006d2c}.q3{color:#e6550d}.q4{color:#a50f15} .muted{color:#777;font-size:.9em}
.conflict{color:#a50f15}
"""


def _h(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def _figures_html(b: Brief) -> str:
    cells = "".join(f'<div class="fig"><b>{_h(v)}</b>{_h(k)}</div>' for k, v in b.figures.items())
    return f'<div class="figures">{cells}</div>'


def _event_html(b: Brief, e: Event) -> str:
    quotes = "".join(f"<blockquote>{_h(s)}<div class='muted'>— {_h(src)}</div></blockquote>"
                     for src, s in _quotes(b, e))
    sources = ", ".join(_h(_source_label(b, a)) for a in e.sources)
    conflicts = "".join(f"<div class='conflict'>⚠ {_h(c)}</div>" for c in e.conflicts)
    return (f"<tr><td>{_h(_when(e))}</td><td class='q{_quad(e)}'>{_h(e.event_type)}"
            f"{_h('/' + e.mode) if e.mode else ''}</td><td>{_h(_parties(e))}</td><td>{_h(_place(e))}</td>"
            f"<td>{_h(e.status)}<br><span class='muted'>{e.corroboration} independent source(s)</span></td>"
            f"<td>{quotes}<div class='muted'>Sources: {sources}</div>{conflicts}</td></tr>")


def _conflicts_html(b: Brief) -> str:
    if not b.conflicted:
        return "<p>No conflicting claims between sources.</p>"
    items = []
    for e in b.conflicted:
        claims = "".join(f"<li>{_h(line)}</li>" for line in _claim_lines(b, e))
        flags = "; ".join(_h(c) for c in e.conflicts)
        items.append(f"<li><b>{_h(_when(e))} {_h(e.event_type)}: {_h(_parties(e))}</b> "
                     f"<span class='conflict'>{flags}</span><ul>{claims}</ul></li>")
    return f"<ul>{''.join(items)}</ul>"


def _plots_html(b: Brief) -> tuple[str, str]:
    """The two plots as HTML fragments, plotly.js inline in the first; a note when plotly is missing."""
    try:
        import plotly  # noqa: F401
    except ImportError:
        log.warning("plotly is not installed: the brief has no plots (pip install 'newsline[report]')")
        note = "<p class='muted'>Plots need plotly: pip install 'newsline[report]'.</p>"
        return note, note
    config = {"displaylogo": False}
    return (_timeline_figure(b).to_html(full_html=False, include_plotlyjs=True, config=config),
            _network_figure(b).to_html(full_html=False, include_plotlyjs=False, config=config))


def render_html(b: Brief) -> str:
    """The brief as one self-contained HTML page (plotly.js inline, all text escaped)."""
    timeline, network = _plots_html(b)
    rows = "".join(_event_html(b, e) for e in b.main)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_h(b.title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_h(b.title)}</h1><p class='muted'>Generated by newsline on {date.today().isoformat()} from "
        f"{len(b.articles) or b.figures['sources']} article(s).</p>"
        f"<h2>Key figures</h2>{_figures_html(b)}"
        f"<h2>Timeline</h2>{timeline}<h2>Actor network</h2>{network}"
        "<h2>Main events</h2><table><tr><th>date</th><th>type</th><th>actor → recipient</th><th>place</th>"
        f"<th>status</th><th>evidence and sources</th></tr>{rows}</table>"
        f"<h2>Conflicting claims</h2>{_conflicts_html(b)}</body></html>")


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
                title: str | None = None) -> Path:
    """Write brief.html or brief.md (chosen by the suffix); returns the path."""
    path = Path(out)
    b = build_brief(events, mentions, articles, actors=actors, title=title)
    text = render_markdown(b) if path.suffix.lower() in {".md", ".markdown"} else render_html(b)
    path.write_text(text, encoding="utf-8")
    return path
