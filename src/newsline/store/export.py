"""Exports of the store: articles, mentions or events as JSON Lines, nested CSV or Parquet (the records),
as a flat table (CSV or SQLite, `newsline.store.flat`); events also as PLOVER JSON records or ACLED-style
CSV (`--format plover|acled`, schemas in `newsline.store.formats`) and their actor network as GraphML
(`newsline.store.graph`).

The fields of jsonl, csv-nested and parquet are the export contract of DESIGN.md: an article has exactly
ARTICLE_FIELDS; a mention or an event has the fields of its record in `newsline.records`, in id order.
JSON Lines streams the records from the store. csv-nested and parquet are straight projections of the
typed tables, written by DuckDB itself (`COPY (SELECT …) TO …`, spilling to disk rather than holding a
large table): Parquet keeps dates as DATE (a month or a year as its first day; `date_precision` or
`published_precision` says which) and nested values as LIST and STRUCT; csv-nested writes dates as their
text and nested values as JSON.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import shutil
import sys
import tempfile
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsline.records import Article, Event, EventMention, field_types, is_date_field, strip_optional, to_dict
from newsline.store.db import DATE_TEXT as DATE_TEXT_SUFFIX
from newsline.store.db import Store
from newsline.store.flat import write_flat_csv
from newsline.store.graph import write_graphml
from newsline.store.sqlite import write_sqlite

# an exported article: its record's fields but the store's own bookkeeping
ARTICLE_FIELDS = [f for f in field_types(Article) if f not in ("content_hash", "content_type")]

# what -> (table, record class, exported fields)
WHAT: dict[str, tuple[str, type, list[str]]] = {
    "articles": ("articles", Article, ARTICLE_FIELDS),
    "mentions": ("mentions", EventMention, list(field_types(EventMention))),
    "events": ("events", Event, list(field_types(Event))),
}
PARQUET_PART_ROWS = 100_000  # rows per file of a Parquet dataset
log = logging.getLogger(__name__)


class ExportError(ValueError):
    pass


def rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """Export rows (JSON-ready dicts with the contract fields, in order) of `what`."""
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}; one of {', '.join(WHAT)}")
    table, _, fields = WHAT[what]
    # failed documents are exported too: their `error` says why they have no text
    for record in store.iter_records(table):
        d = to_dict(record)
        yield {f: d.get(f) for f in fields}


# --------------------------------------------------------------------------- writers
@contextlib.contextmanager
def text_out(out: str | Path | IO[str]) -> Iterator[IO[str]]:
    if hasattr(out, "write"):
        yield out  # type: ignore[misc]
    elif str(out) == "-":
        yield sys.stdout
    else:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh


def write_jsonl(store: Store, what: str, out: str | Path | IO[str]) -> int:
    n = 0
    with text_out(out) as fh:
        for row in rows(store, what):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


# --------------------------------------------------------------------------- straight projections in SQL
# csv-nested and parquet are the contract fields as they are stored: DuckDB writes them itself (`COPY (SELECT
# …) TO …`), from the typed columns, with no Python per row. `_sql_field` is the SELECT expression of one
# contract field; with `text=True` (CSV) a date is its text and a nested value its JSON, with `text=False`
# (Parquet) a date is a DATE (a month or year its first day: `date_precision` says which) and nested values
# stay LIST and STRUCT, less the store's `<field>__text` companions.
def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date_sql(owner: str, name: str, text: bool) -> str:
    """A date field (of the struct `owner`, or of the row when `owner` is ""): its DATE, or its text."""
    day, companion = owner + _quote(name), owner + _quote(name + DATE_TEXT_SUFFIX)
    return f"coalesce({companion}, strftime({day}, '%Y-%m-%d'))" if text else day


def _nested_sql(expr: str, tp: Any, text: bool, depth: int = 0) -> str:
    """`expr` (a LIST or STRUCT of the store) in the export's shape; `expr` itself when it is that already."""
    tp = strip_optional(tp)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        var = f"x{depth}"
        inner = _nested_sql(var, item, text, depth + 1)
        return expr if inner == var else f"list_transform({expr}, lambda {var}: {inner})"
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        parts, same = [], True
        for f in dataclasses.fields(tp):
            sub = f"{expr}.{_quote(f.name)}"
            value = (_date_sql(f"{expr}.", f.name, text) if is_date_field(f.name, hints[f.name])
                     else _nested_sql(sub, hints[f.name], text, depth))
            same = same and value == sub and not is_date_field(f.name, hints[f.name])
            parts.append(f"{_quote(f.name)} := {value}")
        if same:
            return expr
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({', '.join(parts)}) END"
    return expr


def _sql_field(name: str, tp: Any, text: bool) -> str:
    column = _quote(name)
    if is_date_field(name, tp):
        return f"{_date_sql('', name, text)} AS {column}"
    value = _nested_sql(column, tp, text)
    base = strip_optional(tp)
    if text and (typing.get_origin(base) is list or dataclasses.is_dataclass(base)):
        value = f"to_json({value})"
    return f"{value} AS {column}"


def projection(what: str, text: bool) -> str:
    """SELECT of the contract fields of `what` from its table, in id order (see `_sql_field`)."""
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}; one of {', '.join(WHAT)}")
    table, cls, fields = WHAT[what]
    hints = typing.get_type_hints(cls)
    return f"SELECT {', '.join(_sql_field(f, hints[f], text) for f in fields)} FROM {table}"


def _sql_path(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(store: Store, query: str, path: str | Path, options: str, params: list[Any] | None = None) -> int:
    """DuckDB's COPY of `query` to `path`; returns the rows written."""
    row = store.con.execute(f"COPY ({query}) TO {_sql_path(path)} ({options})", params or []).fetchone()
    return int(row[0]) if row else 0


@contextlib.contextmanager
def _one_thread(store: Store) -> Iterator[None]:
    """DuckDB on one thread for the block: its CSV writer on several threads keeps the rows of each thread in
    order in memory, and with the store's bounded memory (256 MB) an export of 180,000 mentions failed so;
    on one thread it streams."""
    threads = store.con.execute("SELECT current_setting('threads')").fetchone()[0]
    store.con.execute("SET threads = 1")
    try:
        yield
    finally:
        store.con.execute(f"SET threads = {int(threads)}")


def write_csv_nested(store: Store, what: str, out: str | Path | IO[str]) -> int:
    query = projection(what, text=True) + " ORDER BY id"
    if isinstance(out, str | Path) and str(out) != "-":
        with _one_thread(store):
            return _copy(store, query, out, "FORMAT csv, HEADER")
    # stdout or an open file: DuckDB writes to files only, so through a temporary one
    with tempfile.TemporaryDirectory() as tmp, _one_thread(store):
        n = _copy(store, query, Path(tmp) / "out.csv", "FORMAT csv, HEADER")
        with text_out(out) as fh, open(Path(tmp) / "out.csv", encoding="utf-8", newline="") as src:
            shutil.copyfileobj(src, fh)
    return n


def write_parquet(store: Store, what: str, out: str | Path | IO[str]) -> int:
    if hasattr(out, "write") or str(out) == "-":
        raise ExportError("parquet needs an output file (--out FILE), not stdout")
    return _copy(store, projection(what, text=False) + " ORDER BY id", out, "FORMAT parquet")


def write_parquet_dataset(store: Store, out: str | Path, part_rows: int = PARQUET_PART_ROWS) -> dict[str, int]:
    """The store's articles, mentions and events as a Parquet dataset for Spark and friends:
    `out/<what>/part-NNNNN.parquet` of at most `part_rows` rows each, in id order, the schema of `--format
    parquet`. Replaces the previous snapshot. Returns rows written per table (`newsline run --parquet-out`)."""
    counts: dict[str, int] = {}
    for what, (table, _, _) in WHAT.items():
        folder = Path(out) / what
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        # the first id of each part: every part is then a range of ids, sorted on its own (a sort of the
        # ids alone, not of whole rows, and no OFFSET that re-sorts the table per part)
        bounds = [r[0] for r in store.con.execute(
            f"SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM {table}) "
            f"WHERE n % {int(part_rows)} = 0 ORDER BY id").fetchall()]
        query = projection(what, text=False)
        counts[what] = 0
        for part, low in enumerate(bounds or [None]):
            high = bounds[part + 1] if part + 1 < len(bounds) else None
            limits = [("id >= ?", low), ("id < ?", high)]
            where = " AND ".join(c for c, v in limits if v is not None)
            counts[what] += _copy(store, f"{query} {'WHERE ' + where if where else ''} ORDER BY id",
                                  folder / f"part-{part:05d}.parquet", "FORMAT parquet",
                                  [v for _, v in limits if v is not None])
    log.info("parquet dataset in %s: %s", out, ", ".join(f"{n} {w}" for w, n in counts.items()))
    return counts


def _events_with_sources(store: Store) -> tuple[list[Event], list[Any], list[Any]]:
    """Events plus the mentions and articles they cite (articles without their text, to stay small). The
    mentions are all those of the cited articles: the ACLED export names a generic "the militants" after the
    group its article names elsewhere."""
    events = store.read_events()
    mention_ids = {m for e in events for m in e.mentions}
    source_ids = {a for e in events for a in e.sources}
    mentions = [m for m in store.iter_records("mentions") if m.id in mention_ids or m.article_id in source_ids]
    articles = [dataclasses.replace(a, text="", dropped_lines=[])
                for a in store.iter_records("articles") if a.id in source_ids]
    return events, mentions, articles


def write_plover_events(store: Store, what: str, out: str | Path | IO[str]) -> int:
    """PLOVER JSON records, one per line (the schema lives in `newsline.store.formats`)."""
    from newsline.store.formats import write_plover

    events, mentions, articles = _events_with_sources(store)
    runs = [r for r in store.runs() if r.finished_at]  # the events were coded (clustered) by the last run
    with text_out(out) as fh:
        return write_plover(events, fh, mentions, articles, coded=runs[-1].finished_at if runs else None)


def write_acled_events(store: Store, what: str, out: str | Path | IO[str]) -> int:
    """ACLED-style CSV rows (the column mapping lives in `newsline.store.formats`)."""
    from newsline.store.formats import write_acled

    events, mentions, articles = _events_with_sources(store)
    with text_out(out) as fh:
        return write_acled(events, fh, mentions, articles)


Writer = Callable[[Store, str, Any], int]  # (store, what, out) -> rows written


@dataclass(frozen=True, slots=True)
class ExportFormat:
    write: Writer
    events_only: bool = False  # a format of events (it reads the mentions and articles they cite itself)


# THE EXPORT REGISTRY: a format is its writer plus one line here; the CLI's --format choices come from it.
FORMATS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat(write_jsonl),
    "csv": ExportFormat(write_flat_csv),
    "csv-nested": ExportFormat(write_csv_nested),
    "parquet": ExportFormat(write_parquet),
    "sqlite": ExportFormat(write_sqlite),
    "plover": ExportFormat(write_plover_events, events_only=True),
    "acled": ExportFormat(write_acled_events, events_only=True),
    "graphml": ExportFormat(write_graphml, events_only=True),
}


def export(store: Store, what: str, fmt: str, out: str | Path | IO[str]) -> int:
    """Write `what` (articles|mentions|events) as `fmt` to `out` (a path, `-` for stdout, or a file object).

    Returns the number of rows written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}; one of {', '.join(WHAT)}")
    if FORMATS[fmt].events_only and what != "events":
        raise ExportError(f"--format {fmt} exports events only (use --what events)")
    if isinstance(out, str | Path) and str(out) != "-":
        check_output_path(out)
    return FORMATS[fmt].write(store, what, out)


def check_output_path(out: str | Path) -> None:
    """ExportError, saying what is wrong, when `out` cannot be a file to write (before the store is read)."""
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{out} is a folder; --out takes a file name")
    parent = path.parent
    if not parent.exists():
        raise ExportError(f"cannot write {out}: there is no folder {parent}")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: {parent} is not a folder")
