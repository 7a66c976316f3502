"""Layout shared by the views.

Terminal (the timeline and actors views): aligned columns of fixed widths (so that one-row tables line up
across records) and text wrapped over a bounded number of lines.

Actor network (the brief and the web view): `network_layout` places the nodes (networkx's spring layout of
each connected part on its own, the parts packed in rows); `fit_to_canvas` scales them into a drawing of
fixed size; `place_labels` gives the busiest nodes a label beside them that overlaps no other label and no
node, or none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["aligned_table", "fit_to_canvas", "fit_widths", "network_layout", "place_labels", "wrapped"]


def aligned_table(names: Sequence[str], widths: Sequence[int], gap: int, header: bool = False,
                  no_wrap: Sequence[int] = (), right: Sequence[int] = ()) -> Table:
    """A borderless table with these column widths; every record rendered with the same widths lines up."""
    table = Table(box=None, show_header=header, header_style="bold", show_edge=False, pad_edge=False,
                  padding=(0, gap, 0, 0), expand=False)
    for i, (name, w) in enumerate(zip(names, widths, strict=True)):
        table.add_column(name, width=w, no_wrap=i in no_wrap, overflow="ellipsis",
                         justify="right" if i in right else "left")
    return table


def fit_widths(longest: Sequence[int], fixed: Sequence[int], flexible: Sequence[tuple[int, int]], width: int,
               gap: int) -> list[int]:
    """Column widths within `width`: `fixed` columns keep their longest cell; each `flexible` (column, share)
    gets at most its longest cell and its share (in fifths) of the rest, at least 8; the first flexible column
    takes what is left over, and gives what its longest cell does not need to the others."""
    widths = list(longest)
    free = max(width - sum(longest[i] for i in fixed) - gap * (len(longest) - 1), 30)
    for i, share in flexible[1:]:
        widths[i] = min(longest[i], max(8, free * share // 5))
    first = flexible[0][0]
    widths[first] = max(free - sum(widths[i] for i, _ in flexible[1:]), 12)
    for i, _ in flexible[1:]:  # room the first column does not need goes to the others
        spare = widths[first] - max(longest[first], 12)
        if spare > 0 and widths[i] < longest[i]:
            grow = min(spare, longest[i] - widths[i])
            widths[i], widths[first] = widths[i] + grow, widths[first] - grow
    return widths


def wrapped(console: Console, text: str | Text, width: int, max_lines: int, style: str = "",
            fold: bool = True) -> list[Text]:
    """`text` wrapped to `width`, at most `max_lines` lines, the last cut with an ellipsis when it goes on;
    a word longer than a line is folded over lines (`fold`) or cut with an ellipsis."""
    t = Text(text, style=style) if isinstance(text, str) else text
    lines = list(t.wrap(console, max(width, 1), overflow="fold" if fold else "ellipsis"))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        last.truncate(max(width - 1, 1))
        last.rstrip()
        last.append("…")
    for line in lines:
        line.rstrip()
    return lines


# --------------------------------------------------------------------------- actor network
def network_layout(graph: Any, seed: int = 7, aspect: float = 2.4, gap: float = 2.0) -> dict[str, tuple[float, float]]:
    """Node positions: networkx's spring layout (edge weight pulls) of each connected part on its own, the
    parts packed in rows, largest first, into a box about `aspect` times as wide as high, so that a
    two-node island can neither squeeze the rest nor stretch the picture. y grows upwards."""
    import networkx as nx

    parts = sorted(nx.weakly_connected_components(graph), key=lambda c: (-len(c), min(c)))
    boxes = []
    for part in parts:
        if len(part) == 1:
            layout = {next(iter(part)): (0.0, 0.0)}
        else:
            layout = nx.spring_layout(graph.subgraph(part).to_undirected(), weight="weight", seed=seed,
                                      scale=math.sqrt(len(part)), k=2.0 / math.sqrt(len(part)), iterations=200)
        xs, ys = [p[0] for p in layout.values()], [p[1] for p in layout.values()]
        boxes.append((layout, min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    area = sum(w * h for *_, w, h in boxes)
    row_width = max([math.sqrt(area * aspect), *(w for *_, w, _ in boxes)]) if boxes else 0.0
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for layout, x0, y0, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        pos.update({n: (float(p[0] - x0 + x), float(p[1] - y0 + y - h)) for n, p in layout.items()})
        x, row_height = x + w, max(row_height, h)
    return pos


def fit_to_canvas(pos: Mapping[str, tuple[float, float]], width: float, height: float, margin_x: float,
                  margin_y: float, stretch: float = 1.0) -> dict[str, tuple[float, float]]:
    """`pos` (y up) scaled into a `width` x `height` drawing (y down, as in SVG) within the margins, centred;
    one axis may be scaled up to `stretch` times more than the other to fill the drawing (1: evenly). One
    node sits in the middle."""
    if not pos:
        return {}
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    room_x, room_y = width - 2 * margin_x, height - 2 * margin_y
    sx = room_x / span_x if span_x else math.inf
    sy = room_y / span_y if span_y else math.inf
    if sx == sy == math.inf:
        sx = sy = 0.0
    else:
        even = min(sx, sy)
        sx, sy = min(sx, even * stretch), min(sy, even * stretch)
    off_x = margin_x + (room_x - span_x * sx) / 2
    off_y = margin_y + (room_y - span_y * sy) / 2
    return {n: (round(off_x + (x - min(xs)) * sx, 1), round(off_y + (max(ys) - y) * sy, 1))
            for n, (x, y) in pos.items()}


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` at font `size` in a sans-serif face (generous, so boxes are not undersized)."""
    narrow = sum(c in "ijlrtfI.,:;'|!() " for c in text)
    wide = sum(c in "mwMW@" or c.isupper() for c in text)
    return size * (0.58 * len(text) - 0.25 * narrow + 0.2 * wide) + 2


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def place_labels(pos: Mapping[str, tuple[float, float]], radius: Mapping[str, float], texts: Mapping[str, str],
                 order: Sequence[str], width: float, height: float, size: float = 12.0, most: int = 20,
                 pad: float = 2.0) -> dict[str, dict[str, Any]]:
    """Labels for at most `most` nodes of `order` (the busiest first), each beside its node (y down): below,
    above, right, left or at a corner, close or a line further, whichever first overlaps no label placed
    before and no other node and stays in the drawing (the three busiest, when nothing is clear, take the
    place covering the fewest nodes); a node with no such place gets no label. Returns node -> {x, y, anchor (SVG text-anchor), text, box}:
    (x, y) is the text's baseline anchor, box its estimated bounds (x0, y0, x1, y1)."""
    placed: dict[str, dict[str, Any]] = {}
    discs = [(pos[n][0] - radius[n], pos[n][1] - radius[n], pos[n][0] + radius[n], pos[n][1] + radius[n], n)
             for n in pos]
    ascent, descent = 0.8 * size, 0.25 * size
    for n in order:
        if len(placed) >= most:
            break
        text = texts[n]
        x, y, r = pos[n][0], pos[n][1], radius[n]
        w, h = text_width(text, size), ascent + descent
        candidates = []  # (anchor x, baseline y, text-anchor, box): below, above, right, left, then the corners
        for gap in (2.0, 2.0 + h):
            below, above = y + r + gap, y - r - gap - h
            candidates += [(x, below + ascent, "middle", (x - w / 2, below, x + w / 2, below + h)),
                           (x, above + ascent, "middle", (x - w / 2, above, x + w / 2, above + h))]
            side = r + gap + 1
            mid = y - h / 2
            candidates += [(x + side, mid + ascent, "start", (x + side, mid, x + side + w, mid + h)),
                           (x - side, mid + ascent, "end", (x - side - w, mid, x - side, mid + h))]
            d = r * 0.7 + gap
            for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
                top = y + d if dy > 0 else y - d - h
                left = x + d if dx > 0 else x - d - w
                candidates.append((left if dx > 0 else left + w, top + ascent, "start" if dx > 0 else "end",
                                   (left, top, left + w, top + h)))
        inside = [c for c in candidates if c[3][0] >= 0 and c[3][1] >= 0 and c[3][2] <= width and c[3][3] <= height]
        free = [c for c in inside if not any(_overlap(c[3], p["box"], pad) for p in placed.values())]
        # clear of every other node if it can be; a label of the busiest that cannot may cover a node's edge
        clear = [c for c in free if not any(_overlap(c[3], dd[:4], 0) for dd in discs if dd[4] != n)]
        chosen = clear[0] if clear else None
        if chosen is None and free and len(placed) < 3:
            chosen = min(free, key=lambda c: sum(_overlap(c[3], dd[:4], 0) for dd in discs if dd[4] != n))
        if chosen is not None:
            lx, ly, anchor, box = chosen
            placed[n] = {"x": round(lx, 1), "y": round(ly, 1), "anchor": anchor, "text": text,
                         "box": tuple(round(v, 1) for v in box)}
    return placed
