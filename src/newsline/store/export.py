"""Exports of the store: articles, mentions or events as JSON Lines, nested CSV or Parquet (the records),
as a flat table (CSV or SQLite, `newsline.store.flat`); events also as PLOVER JSON records or ACLED-style
CSV (`--format plover|acled`, schemas in `newsline.store.formats`) and their actor network as GraphML
(`newsline.store.graph`).

The fields of jsonl, csv-nested and parquet are the export contract of DESIGN.md: an article has exactly
ARTICLE_FIELDS; a mention or an event has the fields of its record in `newsline.records`. JSON Lines and
Parquet keep nested values nested (lists, structs); csv-nested writes them as JSON strings. Those rows
stream from the store in id order, so such an export of any size runs in bounded memory.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import logging
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from newsline.records import Article, Event, EventMention, field_types, strip_optional, to_dict
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
PARQUET_BATCH = 2000
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


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv_nested(store: Store, what: str, out: str | Path | IO[str]) -> int:
    n = 0
    with text_out(out) as fh:
        writer = csv.writer(fh)
        writer.writerow(WHAT[what][2])
        for row in rows(store, what):
            writer.writerow([_csv_cell(v) for v in row.values()])
            n += 1
    return n


def _parquet_rows(store: Store, what: str) -> tuple[pa.Schema, Iterator[dict[str, Any]]]:
    """The Parquet schema of `what` and its rows shaped for it (nested fields as lists and structs)."""
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}; one of {', '.join(WHAT)}")
    _, cls, fields = WHAT[what]
    hints = typing.get_type_hints(cls)
    schema = pa.schema([(f, arrow_type(hints[f])) for f in fields])
    return schema, ({f: arrow_value(hints[f], row[f]) for f in fields} for row in rows(store, what))


def write_parquet(store: Store, what: str, out: str | Path | IO[str]) -> int:
    if hasattr(out, "write") or str(out) == "-":
        raise ExportError("parquet needs an output file (--out FILE), not stdout")
    schema, arrow_rows = _parquet_rows(store, what)
    n = 0
    with pq.ParquetWriter(str(out), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in arrow_rows:
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or not n:  # an empty export still gets its schema
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


class _PartWriter:
    """Rows into `folder/part-NNNNN.parquet` files of at most `part_rows` rows each."""

    def __init__(self, folder: Path, schema: pa.Schema, part_rows: int) -> None:
        self.folder, self.schema, self.part_rows = folder, schema, part_rows
        self.part = self.in_part = 0
        self.buf: list[dict[str, Any]] = []
        self.writer: Any = None

    def add(self, row: dict[str, Any]) -> None:
        self.buf.append(row)
        self.in_part += 1
        if len(self.buf) >= PARQUET_BATCH or self.in_part >= self.part_rows:
            self._flush()
        if self.in_part >= self.part_rows:
            self.writer.close()
            self.writer, self.part, self.in_part = None, self.part + 1, 0

    def _flush(self) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(str(self.folder / f"part-{self.part:05d}.parquet"), self.schema)
        self.writer.write_table(pa.Table.from_pylist(self.buf, schema=self.schema))
        self.buf = []

    def close(self) -> None:
        if self.buf or (self.writer is None and self.part == 0):  # an empty table still gets its schema
            self._flush()
        if self.writer is not None:
            self.writer.close()


def write_parquet_dataset(store: Store, out: str | Path, part_rows: int = PARQUET_PART_ROWS) -> dict[str, int]:
    """The store's articles, mentions and events as a Parquet dataset for Spark and friends:
    `out/<what>/part-NNNNN.parquet`, the schema of `--format parquet`. Replaces the previous snapshot.
    Returns rows written per table (`newsline run --parquet-out`)."""
    counts: dict[str, int] = {}
    for what in WHAT:
        folder = Path(out) / what
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        schema, arrow_rows = _parquet_rows(store, what)
        writer = _PartWriter(folder, schema, part_rows)
        n = 0
        for row in arrow_rows:
            writer.add(row)
            n += 1
        writer.close()
        counts[what] = n
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


# --------------------------------------------------------------------------- arrow types from records
def arrow_type(tp: Any) -> pa.DataType:
    """Parquet column type for a record field: scalars, lists and nested records stay typed; anything
    free-form (dicts) becomes a JSON string."""
    tp = strip_optional(tp)
    if tp is str or typing.get_origin(tp) is Literal:
        return pa.string()
    if tp is bool:
        return pa.bool_()
    if tp is int:
        return pa.int64()
    if tp is float:
        return pa.float64()
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return pa.list_(arrow_type(item))
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return pa.struct([(f.name, arrow_type(hints[f.name])) for f in dataclasses.fields(tp)])
    return pa.string()


def arrow_value(tp: Any, value: Any) -> Any:
    """`value` shaped for `arrow_type(tp)`: free-form parts JSON-encoded, the rest as is."""
    if value is None:
        return None
    tp = strip_optional(tp)
    if tp in (str, bool, int, float) or typing.get_origin(tp) is Literal:
        return value
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [arrow_value(item, v) for v in value]
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {f.name: arrow_value(hints[f.name], value.get(f.name)) for f in dataclasses.fields(tp)}
    return json.dumps(value, ensure_ascii=False)
