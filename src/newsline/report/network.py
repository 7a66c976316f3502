"""The brief's actor network as an SVG drawing laid out here (the template writes it into the page).

The same layout as the web view (`newsline.report.layout`): networkx's spring layout of each connected part,
the parts packed, scaled into a drawing of fixed size; labels placed beside their nodes where they overlap
no other label and no node. SVG scales as a whole, text included, so labels placed apart here stay apart at
any page width (a plotly chart keeps its text size while the plot shrinks, and its labels ran into each
other). An actor with no counterpart among the drawn ones is left out (a lone dot says nothing about who acts
on whom) and counted in the caption; each node and edge has a tooltip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from newsline.report.layout import fit_to_canvas, network_layout, place_labels

__all__ = ["NetworkDrawing", "network_drawing"]

WIDTH, HEIGHT, FONT = 1000.0, 560.0, 12.0
LABEL_CHARS = 26
MAX_NODES = 40
LABEL_PAD = 6.0


@dataclass(slots=True)
class NetworkDrawing:
    width: float = WIDTH
    height: float = HEIGHT
    font: float = FONT
    nodes: list[dict[str, Any]] = field(default_factory=list)  # x, y, r, title, label {x, y, anchor, text}
    edges: list[dict[str, Any]] = field(default_factory=list)  # path (SVG d), width, title
    drawn: int = 0
    labelled: int = 0
    alone: int = 0  # actors of the period with no counterpart in the drawing, left out
    left_out: int = 0  # actors beyond the MAX_NODES most active


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _edge_path(p0: tuple[float, float], p1: tuple[float, float], r0: float, r1: float, bend: bool) -> str:
    """SVG path from node to node, ending at the rim of each (the arrowhead shows at the recipient's rim);
    an edge whose reverse is drawn too bends to its left, so the two do not cover each other."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if bend:
        cx, cy = cx + dy / length * 0.18 * length, cy - dx / length * 0.18 * length
    # shorten each end towards the control point by the node's radius (plus room for the arrowhead's tip)
    sx, sy, sl = cx - x0, cy - y0, math.hypot(cx - x0, cy - y0) or 1.0
    ex, ey, el = x1 - cx, y1 - cy, math.hypot(x1 - cx, y1 - cy) or 1.0
    a = (x0 + sx / sl * r0, y0 + sy / sl * r0)
    b = (x1 - ex / el * (r1 + 1.5), y1 - ey / el * (r1 + 1.5))
    if bend:
        return f"M{a[0]:.1f},{a[1]:.1f} Q{cx:.1f},{cy:.1f} {b[0]:.1f},{b[1]:.1f}"
    return f"M{a[0]:.1f},{a[1]:.1f} L{b[0]:.1f},{b[1]:.1f}"


def network_drawing(graph: Any, max_nodes: int = MAX_NODES) -> NetworkDrawing:
    """The drawing of `graph` (newsline.store.graph.actor_network): its `max_nodes` most active actors that
    have a counterpart among them."""
    events = dict(graph.nodes(data="events", default=0))
    top = sorted(graph.nodes, key=lambda n: (-events[n], n))[:max_nodes]
    sub = graph.subgraph(top)
    kept = [n for n in top if sub.degree(n) > 0]
    drawing = NetworkDrawing(alone=len(top) - len(kept), left_out=graph.number_of_nodes() - len(top))
    if not kept:
        return drawing
    sub = graph.subgraph(kept)
    pos = fit_to_canvas(network_layout(sub, aspect=WIDTH / HEIGHT), WIDTH, HEIGHT, margin_x=80, margin_y=30,
                        stretch=1.6)
    busiest = max(events[n] for n in kept) or 1
    radius = {n: round(4 + 12 * math.sqrt(events[n] / busiest), 1) for n in kept}
    label = {n: sub.nodes[n].get("label") or n for n in kept}
    # pad: the width of a label is estimated, and two labels that merely touch read as one name
    placed = place_labels(pos, radius, {n: _cut(label[n]) for n in kept}, kept, WIDTH, HEIGHT, size=FONT,
                          most=len(kept), pad=LABEL_PAD)
    heaviest = max((w for _, _, w in sub.edges(data="weight")), default=1)
    for u, v, d in sorted(sub.edges(data=True), key=lambda x: x[2]["weight"]):
        drawing.edges.append({"path": _edge_path(pos[u], pos[v], radius[u], radius[v], sub.has_edge(v, u)),
                              "width": round(1 + 4 * d["weight"] / heaviest, 1),
                              "title": f"{label[u]} → {label[v]}: {d['weight']} event(s) ({d['types']})"})
    for n in kept:
        drawing.nodes.append({"x": pos[n][0], "y": pos[n][1], "r": radius[n],
                              "title": f"{label[n]} [{n}]: {events[n]} event(s)",
                              "label": {k: v for k, v in placed[n].items() if k != "box"} if n in placed else None})
    drawing.drawn, drawing.labelled = len(kept), len(placed)
    return drawing
