"""Terminal layout shared by the timeline and actors views: aligned columns of fixed widths (so that
one-row tables line up across records) and text wrapped over a bounded number of lines."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["aligned_table", "fit_widths", "wrapped"]


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
