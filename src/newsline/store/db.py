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
import functools
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsline.records import (
    Article,
    Event,
    EventMention,
    RawDocument,
    RunSummary,
    to_dict,
)
from newsline.store.event_stage import sql_path, staged_events
from newsline.store.schema import (  # (re-exported: importers use newsline.store.db)
    BANDS as BANDS,
)
from newsline.store.schema import (
    DATE_TEXT as DATE_TEXT,
)
from newsline.store.schema import (
    TABLES as TABLES,
)
from newsline.store.schema import (
    _arrow_rows as _arrow_rows,
)
from newsline.store.schema import (
    _cell as _cell,
)
from newsline.store.schema import (
    _keys as _keys,
)
from newsline.store.schema import (
    _link_strings as _link_strings,
)
from newsline.store.schema import (
    _quote as _quote,
)
from newsline.store.schema import (
    _row as _row,
)
from newsline.store.schema import (
    _string_array as _string_array,
)
from newsline.store.schema import (
    _valid as _valid,
)
from newsline.store.schema import (
    date_companion as date_companion,
)
from newsline.store.schema import (
    date_text as date_text,
)
from newsline.store.schema import (
    date_value as date_value,
)
from newsline.store.schema import (
    row_to_record as row_to_record,
)
from newsline.store.schema import (
    stored_columns as stored_columns,
)
from newsline.store.schema import (
    valid_text as valid_text,
)
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
