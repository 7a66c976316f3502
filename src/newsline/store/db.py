"""The DuckDB store: documents, articles, mentions, events and runs in one file.

Tables follow the records of `newsline.records` field by field, typed from the fields' types: dates as DATE
(with a companion `<field>__text` where a date is a month or a year), nested records as STRUCT, lists as LIST,
so SQL reads them directly (`WHERE date >= DATE '2021-08-01' AND actor[1].country = 'PAK'`); only free-form
dicts stay JSON. A field added to a record becomes a column the next time a store is opened. A store written
before typed columns is refused on open with a message naming `newsline rebuild`, which migrates it (`rebuild`).

Writes are idempotent and crash-safe: `write_batch` replaces a batch of documents, their articles and
their mentions in one transaction, and the pipeline skips (id, content hash) pairs already stored, so a
run killed at any point and started again ends with every document stored exactly once. The same
transaction marks the corpus stages pending (`corpus_pending`), and `replace_events` clears the mark in the
transaction that writes their result: whatever a run was killed after, the next run knows from the store
itself whether events, sources and `duplicate_of` still have to catch up with the articles. DuckDB allows
one writer process per file; a second one gets `StoreLocked`.

Every string written is valid UTF-8: a lone surrogate (a file name that was not UTF-8, a `\udc80` escape
in JSON) becomes U+FFFD at this boundary (`valid_text`), in ids and keys alike, so that nothing a reader
let through can make a write fail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import json
import logging
import os
import re
import sys
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from newsline.records import (
    Article,
    Event,
    EventMention,
    RawDocument,
    RunSummary,
    is_date_field,
    strip_optional,
    to_dict,
)
from newsline.store.event_stage import sql_path, staged_events
from newsline.testpoints import kill_point

log = logging.getLogger(__name__)

DEFAULT_DB = "newsline.duckdb"
# Runs keep at most this many failure reasons inline; every failed document is in `documents` anyway.
MAX_RUN_FAILURES = 1000
# rows converted to an Arrow table and inserted at a time
INSERT_CHUNK = 5000


# the store's own state (not records): key -> value
META_TABLE = "newsline_meta"
CORPUS_PENDING = "corpus_stages_pending"


class StoreError(RuntimeError):
    pass


class OldSchema(StoreError):
    """The store's tables have the schema of an older newsline (see `newsline rebuild`)."""


class StoreLocked(StoreError):
    """Another process holds the database (DuckDB allows one writer per file)."""


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


# --------------------------------------------------------------------------- the store
DUCKDB_MEMORY = "256MB"  # DuckDB's memory limit per store connection (see Store._limit_memory)
_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4,
          "KI": 1024, "MI": 1024**2, "GI": 1024**3, "TI": 1024**4}


def _size_bytes(text: str) -> int | None:
    """Bytes of a DuckDB size ("128MB", "244.1 MiB", "1GB", "1000B"); None when it is not one."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]i?)?B(?:ytes)?\s*", text or "", re.IGNORECASE)
    if not m:
        return None
    return int(float(m.group(1)) * _UNITS[(m.group(2) or "").upper()])


class Store:
    """One DuckDB file. Use as a context manager; `read_only=True` for readers (exports, the web view)."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no database at {self.path}")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(f"{self.path} is in use by another process "
                                  "(one newsline writer at a time)") from exc
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        self._limit_memory()
        try:
            self._check_schema()
        except StoreError:
            self.con.close()
            raise
        if not read_only:
            self._create_schema()

    def _check_schema(self) -> None:
        """Refuse a store whose tables keep nested values as JSON and dates as text (newsline before typed
        columns): reading it through this version would be wrong, and it is migrated by `newsline rebuild`."""
        old = []
        for table, (columns, _key) in TABLES.items():
            have = {r[0]: r[1] for r in self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                [table]).fetchall()}
            for c in columns:
                typed = c.sql == "DATE" or c.sql.startswith("STRUCT") or c.sql.endswith("[]")
                if typed and have.get(c.name) in ("JSON", "VARCHAR"):
                    old.append(f"{table}.{c.name}")
        if old:
            raise OldSchema(
                f"{self.path} was written by an older newsline (nested values as JSON, dates as text: "
                f"{', '.join(old[:3])}{', …' if len(old) > 3 else ''}); migrate it once with "
                f"`newsline rebuild --db {self.path}`")

    def _limit_memory(self) -> None:
        """DuckDB keeps the pages it has read cached up to its memory limit (by default 80 % of the machine's
        RAM): on a 50k-article store that is some 250 MB sitting beside the clusterer's features. A bounded
        cache (NEWSLINE_DUCKDB_MEMORY, default 256MB; "" for DuckDB's default) keeps newsline's footprint
        small; larger operations spill to DuckDB's temporary directory instead of failing."""
        limit = os.environ.get("NEWSLINE_DUCKDB_MEMORY", DUCKDB_MEMORY).strip()
        if not limit:
            return
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, re.IGNORECASE):  # it goes into SQL text
            log.warning("NEWSLINE_DUCKDB_MEMORY=%r is not a size like 256MB or 1GB; DuckDB's default is used", limit)
            return
        try:
            self.con.execute(f"SET memory_limit = '{limit}'")
        except duckdb.Error as exc:
            log.warning("NEWSLINE_DUCKDB_MEMORY=%r not applied: %s", limit, exc)

    @contextlib.contextmanager
    def memory_at_most(self, limit: str) -> Iterator[None]:
        """DuckDB's memory limit lowered to `limit` (a size like "128MB") for the block, when it is above it.
        The corpus stages use this: while they hold the clusterer's records, DuckDB's page cache need not
        grow as well (their reads are unsorted scans and their writes appends, which a small cache serves)."""
        setting = self.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        current, wanted = _size_bytes(setting), _size_bytes(limit)
        if current is None or wanted is None or current <= wanted:  # (a checked size is safe in SQL text)
            yield
            return
        self.con.execute(f"SET memory_limit = '{wanted}B'")
        try:
            yield
        finally:
            self.con.execute(f"SET memory_limit = '{setting}'")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema
    def _create_schema(self) -> None:
        for table in TABLES:
            self.con.execute(_table_ddl(table))
            # a field added to a record since this file was created: add its column (NULL for old rows)
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
            for c in stored_columns(table):
                if c.name not in have:
                    log.info("adding column %s.%s", table, c.name)
                    self.con.execute(f'ALTER TABLE {table} ADD COLUMN "{c.name}" {c.sql}')
        self.con.execute("CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)")
        self._create_meta()

    def _create_meta(self) -> None:
        new = not self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                   [META_TABLE]).fetchone()[0]
        self.con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        if new and self.count("articles"):
            # a store written before the mark existed: whether its events caught up is unknown, so they are
            # rebuilt once
            self._mark_corpus_pending(True)

    # ------------------------------------------------------------------ low-level helpers
    def _insert(self, table: str, rows: Sequence[dict[str, Any]], chunk: int = INSERT_CHUNK) -> None:
        # in chunks: the JSON cells of a whole table (all events of a large store) would be a second copy of it
        for i in range(0, len(rows), chunk):
            with self._registered("_nl_rows", _arrow_rows(table, rows[i:i + chunk])):
                self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _nl_rows")

    def _delete_where_in(self, table: str, column: str, values: Iterable[str]) -> None:
        with self._registered("_nl_keys", _keys(values)):
            self.con.execute(f'DELETE FROM {table} WHERE "{column}" IN (SELECT k FROM _nl_keys)')

    @contextlib.contextmanager
    def _registered(self, name: str, table: pa.Table) -> Iterator[None]:
        """An arrow table visible to SQL as `name` for the duration of the block."""
        self.con.register(name, table)
        try:
            yield
        finally:
            self.con.unregister(name)

    def _transaction(self):
        return _Transaction(self.con)

    # ------------------------------------------------------------------ pipeline writes
    def stored_versions(self, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """(content hash, run id) stored for each of `ids` that is stored.

        A run skips a document whose hash matches; a different hash stored by the same run means two
        inputs of that run share an id.
        """
        asked: dict[str, list[str]] = {}  # stored form of an id -> the ids asked for that are stored so
        for i in ids:
            asked.setdefault(valid_text(i), []).append(i)
        if not asked:
            return {}
        with self._registered("_nl_ids", _keys(asked)):
            rows = self.con.execute("SELECT d.id, d.content_hash, d.run_id FROM documents d "
                                    "JOIN _nl_ids q ON d.id = q.k").fetchall()
        return {i: (r[1], r[2]) for r in rows for i in asked[r[0]]}

    def write_batch(self, items: Sequence[tuple[RawDocument, Article, Sequence[EventMention]]],
                    run: RunSummary | None = None, bands: dict[str, list[int]] | None = None) -> None:
        """Store documents with their article and mentions, replacing earlier versions, atomically.

        The run's counters are updated in the same transaction, so they match what is stored even when
        the process is killed between two batches; so is the mark that the corpus stages are pending.
        """
        # keyed by the id as stored: two ids that differ only in invalid characters are one document
        latest = {valid_text(doc.id): (doc, article, mentions) for doc, article, mentions in items}  # last wins
        now = datetime.now(UTC).replace(tzinfo=None)
        run_id = run.run_id if run else None
        documents = [_document_row(doc, article, run_id, now) for doc, article, _ in latest.values()]
        articles = [_row(article) for _, article, _ in latest.values()]
        for row in articles if bands else ():
            row[BANDS] = bands.get(row["id"])
        mentions = [_row(m) for _, _, ms in latest.values() for m in ms]
        with self._transaction():
            for table, column in (("documents", "id"), ("articles", "id"), ("mentions", "article_id")):
                self._delete_where_in(table, column, latest)
            self._insert("documents", documents)
            self._insert("articles", articles)
            self._insert("mentions", mentions)
            if latest:
                self._mark_corpus_pending(True)
            if run is not None:
                self._put_run(run)

    def _put_run(self, run: RunSummary) -> None:
        row = to_dict(run)
        row["failures"] = row["failures"][:MAX_RUN_FAILURES]
        self._delete_where_in("runs", "run_id", [run.run_id])
        self._insert("runs", [row])

    def save_run(self, run: RunSummary) -> None:
        with self._transaction():
            self._put_run(run)

    # ------------------------------------------------------------------ later stages' writes
    def write_mentions(self, article_id: str, mentions: Sequence[EventMention]) -> None:
        """Replace the mentions of one article (the coder's output for it)."""
        with self._transaction():
            self._delete_where_in("mentions", "article_id", [article_id])
            self._insert("mentions", [_row(m) for m in mentions])
            self._mark_corpus_pending(True)

    # ------------------------------------------------------------------ the corpus stages' mark
    def corpus_pending(self) -> bool:
        """Whether documents or mentions were written since the corpus stages last committed their events
        (then events, sources and `duplicate_of` may not match the articles and mentions stored)."""
        row = self.con.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", [CORPUS_PENDING]).fetchone()
        return row is not None and row[0] == "1"

    def _mark_corpus_pending(self, pending: bool) -> None:
        self.con.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", [CORPUS_PENDING, "1" if pending else "0"])

    def replace_events(self, events: Iterable[Event], drop: Iterable[str] | None = None) -> int:
        """Replace all events (clustering runs over the whole corpus) and point mentions at them. `events` may
        be a stream: they are staged in Parquet files as they come (`newsline.store.event_stage`), then written
        in one transaction. With `drop`, only those stored events are replaced (the partitioned clusterer's
        incremental run): the others, and their mentions' links, stay. The same transaction clears the corpus
        stages' pending mark (this is their last write). Returns the number of events written."""
        rows = functools.partial(_arrow_rows, "events")
        with staged_events((_row(e) for e in events), self._scratch_dir(), rows, _link_strings) as staged:
            events_file, links = sql_path(staged.events), f"read_parquet('{sql_path(staged.links)}')"
            with self._transaction():
                if drop is None:
                    self.con.execute("DELETE FROM events")
                else:
                    self._delete_where_in("events", "id", drop)
                self.con.execute(f"INSERT INTO events BY NAME SELECT * FROM read_parquet('{events_file}')")
                kill_point("event-write")
                # only the mentions whose event changed are rewritten (stored events keep their ids): an update
                # of every mention, twice, held the whole table's old and new versions in the transaction
                kept = "" if drop is None else " AND event_id NOT IN (SELECT id FROM events)"  # (kept events' links)
                self.con.execute("UPDATE mentions SET event_id = NULL WHERE event_id IS NOT NULL AND id NOT IN "
                                 f"(SELECT mention_id FROM {links}){kept}")
                self.con.execute(f"UPDATE mentions SET event_id = l.event_id FROM {links} l "
                                 "WHERE mentions.id = l.mention_id AND mentions.event_id IS DISTINCT FROM l.event_id")
                self._mark_corpus_pending(False)
        return staged.count

    def _scratch_dir(self) -> Path | None:
        """The store's folder for temporary files when it is writable (beside the data), else None."""
        folder = self.path.resolve().parent
        return folder if folder.is_dir() and os.access(folder, os.W_OK) else None

    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None:
        """Set `articles.duplicate_of` (near-duplicate clustering); ids not given are left as they are."""
        dup = pa.table({"id": _string_array(list(duplicate_of), pa.string()),
                        "of": _string_array(list(duplicate_of.values()), pa.string())})
        with self._transaction(), self._registered("_nl_dup", dup):
            self.con.execute("UPDATE articles SET duplicate_of = d.of FROM _nl_dup d WHERE articles.id = d.id")

    # ------------------------------------------------------------------ near-duplicates by band keys
    def articles_without_bands(self, batch_size: int = 2000) -> Iterator[tuple[str, str]]:
        """(id, text) of the good articles whose band keys are not stored (a store written before them)."""
        cur = self.con.cursor()
        cur.execute(f"SELECT id, text FROM articles WHERE {BANDS} IS NULL AND error IS NULL")
        while rows := cur.fetchmany(batch_size):
            yield from rows

    def set_bands(self, bands: dict[str, list[int]]) -> None:
        table = pa.table({"id": _string_array(list(bands), pa.string()),
                          "k": pa.array(list(bands.values()), pa.list_(pa.int64()))})
        with self._transaction(), self._registered("_nl_bands", table):
            self.con.execute(f"UPDATE articles SET {BANDS} = b.k FROM _nl_bands b WHERE articles.id = b.id")

    def band_pairs(self) -> list[tuple[str, str]]:
        """Pairs of good articles (smaller id first) that share an LSH band key: a GROUP BY of the keys, then the
        pairs within each key's group."""
        return self.con.execute(
            f"WITH k AS (SELECT id, unnest({BANDS}) AS band FROM articles WHERE error IS NULL) "
            "SELECT DISTINCT a.id, b.id FROM k a JOIN k b ON a.band = b.band AND a.id < b.id").fetchall()

    def band_rows(self, batch_size: int = 5000) -> Iterator[tuple[str, list[int]]]:
        """(id, band keys) of the good articles that have any (for grouping them elsewhere: a Dask cluster)."""
        cur = self.con.cursor()
        cur.execute(f"SELECT id, {BANDS} FROM articles WHERE error IS NULL AND len({BANDS}) > 0")
        while rows := cur.fetchmany(batch_size):
            yield from rows

    def articles_with_text(self, ids: Iterable[str]) -> Iterator[Article]:
        """The articles `ids` with their text and publication date (the exact check of candidate pairs)."""
        cur = self.con.cursor()  # a cursor of its own (with the wanted ids registered on it): callers write meanwhile
        cur.register("_nl_want", _keys(ids))
        cur.execute("SELECT id, uri, published, published__text, text, error FROM articles "
                    "WHERE id IN (SELECT k FROM _nl_want)")
        while rows := cur.fetchmany(1000):
            for r in rows:
                yield Article(id=r[0], uri=r[1], published=date_text(r[2], r[3]), text=r[4] or "", error=r[5])

    def corpus_articles_light(self) -> Iterator[Article]:
        """Every stored article without its text (id, uri, publication date, language, error, duplicate_of)."""
        cur = self.con.cursor()
        cur.execute("SELECT id, uri, published, published__text, published_precision, language, error, duplicate_of "
                    "FROM articles")
        while rows := cur.fetchmany(5000):
            for r in rows:
                yield Article(id=r[0], uri=r[1], published=date_text(r[2], r[3]), published_precision=r[4],
                              language=r[5], error=r[6], duplicate_of=r[7])

    # ------------------------------------------------------------------ reads
    def count(self, table: str) -> int:
        _check_table(table)
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def corpus_articles(self, batch_size: int = 2000) -> Iterator[Article]:
        """Every stored article (failed ones too) with what the corpus stages read: no dropped lines (they are
        large and unused). In storage order: the near-duplicate stage does not depend on it, and a sort of
        every text would cost DuckDB memory that grows with the store."""
        cur = self.con.cursor()  # a cursor of its own: the stages write while it streams
        cur.execute("SELECT id, uri, published, published__text, published_precision, language, text, error "
                    "FROM articles")
        while rows := cur.fetchmany(batch_size):
            for r in rows:
                yield Article(id=r[0], uri=r[1], published=date_text(r[2], r[3]), published_precision=r[4],
                              language=r[5], text=r[6] or "", error=r[7])

    def iter_records(self, table: str, where: str = "", params: Sequence[Any] = (),
                     batch_size: int = 1000, ordered: bool = True) -> Iterator[Any]:
        """Records of `table` (articles, mentions, events, runs) in id order, streamed in batches.

        `ordered=False`: in storage order, for readers that do not depend on it. Sorting whole rows is what
        costs DuckDB memory on a large table (with its memory bounded, a sort of 200,000 mentions needs more
        than 128 MB with two threads), while a plain scan streams."""
        _check_table(table)
        key = TABLES[table][1]
        cur = self.con.cursor()  # a cursor of its own: callers may write while iterating
        order = f"ORDER BY {key}" if ordered else ""
        cur.execute(f"SELECT * FROM {table} {'WHERE ' + where if where else ''} {order}", [_valid(p) for p in params])
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(batch_size):
            for row in rows:
                yield row_to_record(table, dict(zip(names, row, strict=True)))

    def iter_articles(self, include_failed: bool = False) -> Iterator[Article]:
        return self.iter_records("articles", "" if include_failed else "error IS NULL")

    def get_article(self, article_id: str) -> Article | None:
        return next(self.iter_records("articles", "id = ?", [article_id]), None)

    def read_mentions(self, article_id: str | None = None) -> list[EventMention]:
        if article_id is None:
            return list(self.iter_records("mentions"))
        return list(self.iter_records("mentions", "article_id = ?", [article_id]))

    def article_uris(self) -> dict[str, str]:
        """Article id -> its URI (the outlet's URL, or the file it was read from), without the texts."""
        return dict(self.con.execute("SELECT id, uri FROM articles").fetchall())

    def read_events(self) -> list[Event]:
        # sorted here rather than by DuckDB: a sort of whole event rows costs its bounded memory (see iter_records)
        return sorted(self.iter_records("events", ordered=False), key=lambda e: e.id)

    def runs(self) -> list[RunSummary]:
        return sorted(self.iter_records("runs"), key=lambda r: r.started_at)

    def documents(self, status: str | None = None) -> list[dict[str, Any]]:
        """Rows of the documents table (status `ok` or `failed`), as dicts."""
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        cur = self.con.execute(f"SELECT * FROM documents {where} ORDER BY id", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _table_ddl(table: str, name: str | None = None) -> str:
    """CREATE TABLE IF NOT EXISTS for a store table (under `name` when given), from its columns."""
    columns, key = stored_columns(table), TABLES[table][1]
    cols = ", ".join(f"{_quote(c.name)} {c.sql}" + (" PRIMARY KEY" if c.name == key else "") for c in columns)
    return f"CREATE TABLE IF NOT EXISTS {name or table} ({cols})"


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(TABLES)}")


def _document_row(doc: RawDocument, article: Article, run_id: str | None, now: datetime) -> dict[str, Any]:
    return {
        "id": doc.id, "uri": doc.uri, "content_hash": doc.content_hash,
        "content_type": article.content_type if article.content_type != "unknown" else doc.content_type,
        "status": "failed" if article.error else "ok", "error": article.error, "run_id": run_id,
        "fetched_at": doc.fetched_at, "size": len(doc.content), "meta": doc.meta or None, "stored_at": now,
    }


class _Transaction:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")


def rebuild(path: str | Path) -> dict[str, int]:
    """Migrate a store written by an older newsline (nested values as JSON, dates as text) to this version's
    typed columns, in one transaction: each table of the old schema is read back into records and written
    anew. Returns the rows migrated per table ({} when the store has this version's schema already)."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no database at {path}")
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise StoreLocked(f"{path} is in use by another process") from exc
    try:
        old = []
        for table, (columns, _key) in TABLES.items():
            have = {r[0]: r[1] for r in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                [table]).fetchall()}
            if any((c.sql == "DATE" or c.sql.startswith("STRUCT") or c.sql.endswith("[]"))
                   and have.get(c.name) in ("JSON", "VARCHAR") for c in columns):
                old.append(table)
        if not old:
            return {}
        counts: dict[str, int] = {}
        con.execute("BEGIN TRANSACTION")  # all or nothing: a rebuild killed midway leaves the old store as it was
        try:
            for table in old:
                con.execute(f"DROP TABLE IF EXISTS {table}__typed")
                con.execute(_table_ddl(table, f"{table}__typed"))
                counts[table] = 0
                while True:
                    cur = con.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT {INSERT_CHUNK} OFFSET {counts[table]}")
                    names = [d[0] for d in cur.description]
                    rows = cur.fetchall()
                    if not rows:
                        break
                    records = [row_to_record(table, dict(zip(names, r, strict=True))) for r in rows]
                    arrow = _arrow_rows(table, [_row(rec) for rec in records])
                    con.register("_nl_rows", arrow)
                    con.execute(f"INSERT INTO {table}__typed BY NAME SELECT * FROM _nl_rows")
                    con.unregister("_nl_rows")
                    counts[table] += len(rows)
                if table == "mentions":
                    con.execute("DROP INDEX IF EXISTS mentions_article")
                con.execute(f"DROP TABLE {table}")
                con.execute(f"ALTER TABLE {table}__typed RENAME TO {table}")
            con.execute("CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return counts
    finally:
        con.close()


def open_store(path: str | Path = DEFAULT_DB, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)
