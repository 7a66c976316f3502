"""The store's schema from the records of `newsline.records`, and the conversion of records to rows and back.

Split from `newsline.store.db` (which re-exports these names): a table's columns follow its record's fields
(`record_columns`, `TABLES`), `_row`/`_arrow_rows` make the rows a write inserts, `row_to_record` builds a
record from a row read back, and `valid_text` keeps every string written valid UTF-8.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
import re
import sys
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import pyarrow as pa

from newsline.records import (
    Article,
    Event,
    EventMention,
    RunSummary,
    is_date_field,
    strip_optional,
)

# --------------------------------------------------------------------------- schema from records
# A record field's column type follows its type in records.py: str VARCHAR, int BIGINT, float DOUBLE, bool
# BOOLEAN, a date field (records.DATE_FIELDS) DATE, a nested record STRUCT, a list LIST of its items' type;
# what has no such type (dicts of free keys) is JSON. A date at month or year precision (`2021-06`, `2021`),
# or text that is no date, keeps its text in a companion VARCHAR `<field>__text` beside the DATE (NULL when
# the DATE says it all), so records read back exactly as written.
DATE_TEXT = "__text"
BANDS = "minhash_bands"
SCHEMA_VERSION = "2"  # 2: typed columns (DATE, STRUCT, LIST); 1: nested values as JSON, dates as VARCHAR


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql: str  # VARCHAR | BIGINT | DOUBLE | BOOLEAN | DATE | JSON | TIMESTAMP | STRUCT(...) | T[]
    hint: Any = None  # the record field's type, to convert values when writing and reading
    arrow: Any = None  # the Arrow type the writer builds the column as
    date_of: str | None = None  # for a date's companion text column: the date field's name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _types(tp: Any, date: bool = False) -> tuple[str, pa.DataType] | None:
    """(DuckDB type, Arrow type) of a record field's type; None when it has no typed form (then JSON)."""
    tp = strip_optional(tp)
    if date:
        return "DATE", pa.date32()
    if tp is str or typing.get_origin(tp) is Literal:
        return "VARCHAR", pa.string()
    if tp is bool:
        return "BOOLEAN", pa.bool_()
    if tp is int:
        return "BIGINT", pa.int64()
    if tp is float:
        return "DOUBLE", pa.float64()
    if typing.get_origin(tp) is list:
        args = typing.get_args(tp)
        inner = _types(args[0]) if args else None
        return None if inner is None else (f"{inner[0]}[]", pa.list_(inner[1]))
    if dataclasses.is_dataclass(tp):
        sql, arrow = [], []
        for name, sub in _struct_fields(tp):
            inner = _types(sub, date=sub is _DATE)
            if inner is None:
                return None
            sql.append(f"{_quote(name)} {inner[0]}")
            arrow.append(pa.field(name, inner[1]))
        return f"STRUCT({', '.join(sql)})", pa.struct(arrow)
    return None


_DATE = object()  # marks a date field in _struct_fields


@functools.cache
def _struct_fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """The stored fields of a nested record: its fields, a date field as DATE followed by its companion text."""
    hints = typing.get_type_hints(cls)
    out: list[tuple[str, Any]] = []
    for f in dataclasses.fields(cls):
        if is_date_field(f.name, hints[f.name]):
            out += [(f.name, _DATE), (f.name + DATE_TEXT, str)]
        else:
            out.append((f.name, hints[f.name]))
    return tuple(out)


def record_columns(cls: type) -> list[Column]:
    """The columns of a record's table, derived from its fields (records.py is the one list of them)."""
    hints = typing.get_type_hints(cls)
    columns = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if is_date_field(f.name, tp):
            columns += [Column(f.name, "DATE", tp, pa.date32()),
                        Column(f.name + DATE_TEXT, "VARCHAR", str, pa.string(), date_of=f.name)]
            continue
        typed = _types(tp)
        sql, arrow = typed if typed is not None else ("JSON", pa.string())
        columns.append(Column(f.name, sql, tp, arrow))
    return columns


DOCUMENT_COLUMNS = [
    Column("id", "VARCHAR"), Column("uri", "VARCHAR"), Column("content_hash", "VARCHAR"),
    Column("content_type", "VARCHAR"), Column("status", "VARCHAR"), Column("error", "VARCHAR"),
    Column("run_id", "VARCHAR"), Column("fetched_at", "VARCHAR"), Column("size", "BIGINT"),
    Column("meta", "JSON"), Column("stored_at", "TIMESTAMP"),
]
DOCUMENT_COLUMNS = [dataclasses.replace(c, arrow={"VARCHAR": pa.string(), "JSON": pa.string(), "BIGINT": pa.int64(),
                                                  "TIMESTAMP": pa.timestamp("us")}[c.sql])
                    for c in DOCUMENT_COLUMNS]

TABLES: dict[str, tuple[list[Column], str]] = {
    "documents": (DOCUMENT_COLUMNS, "id"),
    "articles": (record_columns(Article), "id"),
    "mentions": (record_columns(EventMention), "id"),
    "events": (record_columns(Event), "id"),
    "runs": (record_columns(RunSummary), "run_id"),
}
# The store's own columns beside a record's fields (not read back into records, not exported): an article's
# near-duplicate LSH band keys, computed by the per-article stage (newsline.cluster.bands); NULL in a store
# written before them (the corpus stages fill them in)
STORE_COLUMNS: dict[str, list[Column]] = {"articles": [Column(BANDS, "BIGINT[]", None, pa.list_(pa.int64()))]}


def stored_columns(table: str) -> list[Column]:
    """The columns of a store table: its record's, then the store's own."""
    return TABLES[table][0] + STORE_COLUMNS.get(table, [])


RECORDS: dict[str, type] = {"articles": Article, "mentions": EventMention, "events": Event, "runs": RunSummary}


_LEAVES = (str, int, float, bool, type(None))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a record class, in order (None for a class that is no dataclass)."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def _plain(value: Any) -> Any:
    """JSON-ready form of a value: what `dataclasses.asdict` gives (nested records as dicts in field order,
    lists and tuples as lists), without its deep copies of every leaf — the writer's hot path."""
    if isinstance(value, _LEAVES):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _row(record: Any) -> dict[str, Any]:
    """A record's top-level fields as a row (nested values are converted by `_cell` where they are stored)."""
    return {n: getattr(record, n) for n in _field_names(type(record))}


def date_value(text: Any) -> _dt.date | None:
    """The DATE stored for a date field's text: the day, or the first day of a month or year; None for text
    that is no date."""
    if not isinstance(text, str):
        return text if isinstance(text, _dt.date) else None
    m = _DATE_RE.match(text)
    if m is None:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_companion(text: Any) -> str | None:
    """The companion text stored beside a date's DATE: None when the DATE's ISO form is the text itself."""
    if not isinstance(text, str):
        return None
    day = date_value(text)
    return None if day is not None and day.isoformat() == text else text


def date_text(day: Any, companion: Any = None) -> str | None:
    """A date field's text from its stored DATE and companion (the inverse of date_value/date_companion)."""
    if companion is not None:
        return companion
    if day is None or isinstance(day, str):
        return day
    return day.isoformat()


@functools.cache
def _writer(tp: Any) -> Callable[[Any], Any]:
    """The function turning a field's value into its cell of the typed column (dicts for STRUCT, lists for
    LIST, DATE and companion text for dates inside nested records)."""
    tp = strip_optional(tp)
    if typing.get_origin(tp) is list:
        args = typing.get_args(tp)
        item = _writer(args[0]) if args else _keep
        if item is _keep:
            return lambda value: list(value)
        return lambda value: [None if v is None else item(v) for v in value]
    if dataclasses.is_dataclass(tp):
        hints = _type_hints(tp)
        fields = []
        for f in dataclasses.fields(tp):
            if is_date_field(f.name, hints[f.name]):
                fields.append((f.name, None))
            else:
                fields.append((f.name, _writer(hints[f.name])))

        def write_record(value: Any) -> Any:
            if isinstance(value, dict):
                get = value.get
            else:
                def get(name: str, _v: Any = value) -> Any:
                    return getattr(_v, name, None)
            out = {}
            for name, write in fields:
                v = get(name)
                if write is None:
                    out[name] = date_value(v)
                    out[name + DATE_TEXT] = date_companion(v)
                else:
                    out[name] = None if v is None else write(v)
            return out

        return write_record
    return _keep


def _cell(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.sql == "JSON":
        return json.dumps(_plain(value), ensure_ascii=False)
    if column.sql == "DATE":
        return date_value(value)
    return _writer(column.hint)(value) if column.hint is not None else value


def valid_text(value: str) -> str:
    """`value` with every lone surrogate replaced by U+FFFD (a surrogate pair becomes its character): what
    UTF-8, and so pyarrow and DuckDB, can take. Surrogates reach here from file names that were not UTF-8
    (`os.fsdecode` escapes their bytes as U+DC80..U+DCFF) and from JSON escapes like `\\udc80`."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _valid(value: Any) -> Any:
    return valid_text(value) if isinstance(value, str) else value


def _string_array(values: list[Any], type_: pa.DataType) -> pa.Array:
    """An Arrow array of `values`; strings that are not valid UTF-8 are repaired (only then: the check is the
    conversion itself, so the writer's hot path does not scan every string twice)."""
    try:
        return pa.array(values, type=type_)
    except UnicodeEncodeError:
        return pa.array([_valid_deep(v) for v in values], type=type_)


def _valid_deep(value: Any) -> Any:
    """`_valid` through the dicts and lists of a nested cell."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, dict):
        return {k: _valid_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid_deep(v) for v in value]
    return value


def _arrow_rows(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    columns = stored_columns(table)
    return pa.table({c.name: _string_array([date_companion(r.get(c.date_of)) if c.date_of else _cell(r.get(c.name), c)
                                            for r in rows], c.arrow)
                     for c in columns})


def _link_strings(values: list[Any]) -> pa.Array:
    return _string_array(values, pa.string())


def _keys(values: Iterable[str]) -> pa.Table:
    return pa.table({"k": _string_array(list(values), pa.string())})


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    # typing.get_type_hints resolves the annotations anew on every call: cached, reading records is ~4x faster
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    """Rebuild a record field from its JSON-decoded value (dicts back into nested dataclasses)."""
    if value is None:
        return None
    return _builder(tp)(value)


def _keep(value: Any) -> Any:
    return value


# Strings up to this length read from the store are interned: codes, ids, names and places repeat across
# hundreds of thousands of mentions (a quarter of the memory of the mentions the corpus stages hold)
INTERN_MAX = 64


def _text(value: Any) -> Any:
    return sys.intern(value) if type(value) is str and len(value) <= INTERN_MAX else value


@functools.cache
def _builder(tp: Any) -> Callable[[Any], Any]:
    """The function `_build` applies for a field type (worked out once per type: reading a large store
    rebuilds hundreds of thousands of nested values)."""
    tp = strip_optional(tp)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        build_item = _builder(item)
        if build_item is _keep:
            return lambda value: [v for v in value] if isinstance(value, list) else list(value)
        return lambda value: [None if v is None else build_item(v) for v in value]
    if dataclasses.is_dataclass(tp):
        hints = _type_hints(tp)
        fields = [(f.name, None if is_date_field(f.name, hints[f.name]) else _builder(hints[f.name]))
                  for f in dataclasses.fields(tp)]

        def build_record(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            return tp(**{name: (date_text(value[name], value.get(name + DATE_TEXT)) if build is None
                                else None if (v := value[name]) is None else build(v))
                         for name, build in fields if name in value})

        return build_record
    return _text if tp is str or typing.get_origin(tp) is Literal else _keep


def row_to_record(table: str, row: dict[str, Any]) -> Any:
    cls = RECORDS[table]
    kwargs = {}
    for column in TABLES[table][0]:
        if column.name not in row or column.date_of:
            continue
        value = row[column.name]
        if column.sql == "DATE":
            kwargs[column.name] = date_text(value, row.get(column.name + DATE_TEXT))
            continue
        if isinstance(value, str) and (column.sql == "JSON" or column.sql.startswith("STRUCT")
                                       or column.sql.endswith("[]")):  # (a store of schema 1: JSON text)
            value = json.loads(value)
        kwargs[column.name] = None if value is None else _builder(column.hint)(value)
    return cls(**kwargs)
