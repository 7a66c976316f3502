"""The web view's snapshot of the store: an in-memory DuckDB copy, flattened for the view's queries.

Why a snapshot: DuckDB lets one process write a file only while no other process has it open, so a server
that kept the store open would make `newsline run` fail while the web view is up. `Snapshot.load` opens the
store read-only, copies what the view needs into an in-memory database (flattening the JSON columns into
an indexed `ev` table: actor ids as a list, a lower-cased search column, start/end dates as DATE), and
closes the file again. `SnapshotHolder` re-loads when the file changes. The queries are in `queries.py`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from newsline.knowledge import ontology
from newsline.records import Article, Event, EventMention, field_types

log = logging.getLogger(__name__)


def _type_quads() -> dict[str, int]:
    """PLOVER type -> quad class from the packaged ontology; used only when a record lacks `quad_code`."""
    return {name: t.quad for name, t in ontology().types.items()}


def _two_sided_types() -> list[str]:
    """PLOVER types of joint acts of two sides (`two_sided` in the packaged ontology)."""
    return sorted(name for name, t in ontology().types.items() if t.two_sided)


# --------------------------------------------------------------------------- snapshot
# Columns the view reads from each store table, with the SQL type they are normalised to. The store keeps
# nested fields as JSON; `CAST(... AS JSON)` also accepts VARCHAR or STRUCT columns, so the view does not
# depend on which of those the store chose. Missing columns become NULL rather than errors, so the view
# opens stores written by older or newer versions of the schema.
_JSON = "json"
_TEXT = "text"
_INT = "int"
_FLOAT = "float"


def _columns(cls: type, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """The view's columns of a store table: its record's fields (records.py), each with the kind it is read as."""
    kinds = {str: _TEXT, int: _INT, float: _FLOAT}
    return {name: _TEXT if typing.get_origin(tp) is Literal else kinds.get(tp, _JSON)
            for name, tp in field_types(cls).items() if name not in leave_out}


EVENT_COLS = _columns(Event)
MENTION_COLS = _columns(EventMention)
ARTICLE_COLS = _columns(Article, leave_out=("content_hash",))  # the view never shows it
_SQL_TYPES = {_JSON: "VARCHAR", _TEXT: "VARCHAR", _INT: "BIGINT", _FLOAT: "DOUBLE"}


def _select_list(present: dict[str, str], wanted: dict[str, str]) -> str:
    """SELECT list over the store's own column names (from its catalogue, not from users)."""
    out = []
    for name, kind in wanted.items():
        sql_type = _SQL_TYPES[kind]
        if name not in present:
            out.append(f"CAST(NULL AS {sql_type}) AS {name}")
        elif f"{name}__text" in present:  # a DATE with its text at month or year precision (store/db.py)
            out.append(f'coalesce("{name}__text", CAST("{name}" AS VARCHAR)) AS {name}')
        elif kind == _JSON:
            out.append(f'CAST(TRY_CAST("{name}" AS JSON) AS VARCHAR) AS {name}')
        else:
            out.append(f'TRY_CAST("{name}" AS {sql_type}) AS {name}')
    return ", ".join(out)


def _copy_table(src: duckdb.DuckDBPyConnection, mem: duckdb.DuckDBPyConnection, table: str,
                wanted: dict[str, str]) -> None:
    cols = {r[0]: r[1] for r in src.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()}
    if cols:
        arrow = src.sql(f"SELECT {_select_list(cols, wanted)} FROM {table}").to_arrow_table()
    else:
        log.info("store has no %s table; the view shows it as empty", table)
        arrow = src.sql(f"SELECT {_select_list({}, wanted)} LIMIT 0").to_arrow_table()
    mem.register("_incoming", arrow)
    mem.execute(f"CREATE OR REPLACE TABLE raw_{table} AS SELECT * FROM _incoming")
    mem.unregister("_incoming")


# Flat, indexed events: one row per event with everything the list, filters, timeline and network need.
_FLATTEN = r"""
CREATE OR REPLACE TABLE ev AS
WITH base AS (
    SELECT e.*,
        -- dates of month/year precision ("2023-02", "2023") start on the first day of their period
        TRY_CAST(CASE length(e.date) WHEN 4 THEN e.date || '-01-01' WHEN 7 THEN e.date || '-01'
                 ELSE left(e.date, 10) END AS DATE) AS d0,
        TRY_CAST(left(e.enddate, 10) AS DATE) AS d1x,
        coalesce(json_extract_string(e.actor, '$[*].id'), []) AS a_ids,
        coalesce(json_extract_string(e.recipient, '$[*].id'), []) AS r_ids,
        coalesce(json_extract_string(e.mediator, '$[*].id'), []) AS m_ids,
        coalesce(json_extract_string(e.actor, '$[*].name'), []) AS a_names,
        coalesce(json_extract_string(e.recipient, '$[*].name'), []) AS r_names,
        json_extract_string(e.event_loc, '$.resolved_place') AS place_resolved,
        json_extract_string(e.event_loc, '$.extracted_place') AS place_extracted,
        json_extract_string(e.event_loc, '$.country_code') AS country_code,
        json_extract_string(e.event_loc, '$.province') AS province,
        TRY_CAST(json_extract(e.event_loc, '$.lat') AS DOUBLE) AS lat,
        TRY_CAST(json_extract(e.event_loc, '$.lon') AS DOUBLE) AS lon
    FROM raw_events e
), mtext AS (
    -- evidence sentences and attributions of every mention, so text search finds what sources say
    SELECT event_id, string_agg(coalesce(attribution, '') || ' '
           || coalesce(array_to_string(json_extract_string(evidence, '$[*].sentence'), ' '), ''), ' ') AS t,
           count(*) AS n
    FROM raw_mentions WHERE event_id IS NOT NULL GROUP BY event_id
)
SELECT b.id, b.event_type,
    coalesce(b.quad_code, tq.quad) AS quad_code,
    b.mode, coalesce(b.status, 'asserted') AS status, b.date, b.enddate, b.date_precision,
    -- a month- or year-precision event lasts to the end of its period for date range filters
    b.d0, coalesce(b.d1x, CASE length(b.date) WHEN 7 THEN last_day(b.d0)
                              WHEN 4 THEN make_date(year(b.d0), 12, 31) ELSE b.d0 END) AS d1,
    b.actor, b.recipient, b.mediator, b.context, b.event_loc, b.size, b.claims, b.conflicts,
    b.mentions, b.sources,
    list_distinct(list_filter(list_concat(b.a_ids, b.r_ids, b.m_ids), lambda x: x IS NOT NULL)) AS actor_ids,
    coalesce(b.place_resolved, b.place_extracted) AS place,
    b.country_code, b.province, b.lat, b.lon,
    lower(concat_ws(' ', b.place_resolved, b.place_extracted, b.province, b.country_code)) AS place_search,
    coalesce(b.corroboration, json_array_length(b.sources), 0) AS corroboration,
    coalesce(json_array_length(b.sources), 0) AS n_sources,
    coalesce(json_array_length(b.mentions), m.n, 0) AS n_mentions,
    b.first_reported,
    coalesce(json_array_length(b.conflicts), 0) > 0 AS has_conflict,
    -- values only (no JSON keys or punctuation): text search scans this column, so it is kept short
    lower(concat_ws(' ', b.id, b.event_type, b.mode,
                    array_to_string(json_extract_string(b.context, '$[*]'), ' '),
                    array_to_string(list_concat(
                        json_extract_string(b.actor, '$[*].id'), json_extract_string(b.actor, '$[*].name'),
                        json_extract_string(b.actor, '$[*].person'), json_extract_string(b.actor, '$[*].role'),
                        json_extract_string(b.actor, '$[*].text'),
                        json_extract_string(b.recipient, '$[*].id'), json_extract_string(b.recipient, '$[*].name'),
                        json_extract_string(b.recipient, '$[*].person'),
                        json_extract_string(b.recipient, '$[*].role'), json_extract_string(b.recipient, '$[*].text'),
                        json_extract_string(b.mediator, '$[*].id'), json_extract_string(b.mediator, '$[*].name'),
                        json_extract_string(b.mediator, '$[*].person'), json_extract_string(b.mediator, '$[*].text')),
                        ' '),
                    b.place_resolved, b.place_extracted, b.province, m.t)) AS search
FROM base b
LEFT JOIN mtext m ON m.event_id = b.id
LEFT JOIN type_quad tq ON tq.event_type = b.event_type
"""

# Participants (one row per event x role x actor) and directed edges actor -> recipient, for the actor
# list and the network; both joined against the filtered `ev` at query time.
_PARTICIPANTS = r"""
CREATE OR REPLACE TABLE part AS
WITH u AS (
    SELECT id AS event_id, 'actor' AS role, unnest(CAST(json_extract(actor, '$[*]') AS VARCHAR[])) AS a
    FROM ev WHERE actor IS NOT NULL
    UNION ALL
    SELECT id, 'recipient', unnest(CAST(json_extract(recipient, '$[*]') AS VARCHAR[])) FROM ev
    WHERE recipient IS NOT NULL
    UNION ALL
    SELECT id, 'mediator', unnest(CAST(json_extract(mediator, '$[*]') AS VARCHAR[])) FROM ev
    WHERE mediator IS NOT NULL
)
SELECT event_id, role, json_extract_string(a, '$.id') AS actor_id, json_extract_string(a, '$.name') AS name,
       json_extract_string(a, '$.country') AS country, json_extract_string(a, '$.sector') AS sector,
       json_extract_string(a, '$.kind') AS kind, json_extract_string(a, '$.person') AS person
FROM u WHERE json_extract_string(a, '$.id') IS NOT NULL
"""
# A joint act of two sides told with both as actors (talks, an agreement: `two_sided` in data/plover.yaml)
# and no recipient has an edge each way between its actors of different countries, as the GraphML export draws.
_EDGES = r"""
CREATE OR REPLACE TABLE edge AS
SELECT DISTINCT s.event_id, s.actor_id AS src, t.actor_id AS dst
FROM part s JOIN part t ON s.event_id = t.event_id AND s.role = 'actor' AND t.role = 'recipient'
WHERE s.actor_id <> t.actor_id
UNION
SELECT DISTINCT s.event_id, s.actor_id AS src, t.actor_id AS dst
FROM part s JOIN part t ON s.event_id = t.event_id AND s.role = 'actor' AND t.role = 'actor'
JOIN ev ON ev.id = s.event_id JOIN two_sided ts ON ts.event_type = ev.event_type
WHERE s.country IS NOT NULL AND t.country IS NOT NULL AND s.country <> t.country
  AND NOT EXISTS (SELECT 1 FROM part r WHERE r.event_id = s.event_id AND r.role = 'recipient')
"""
_ACTORS = r"""
CREATE OR REPLACE TABLE actor_dim AS
SELECT actor_id AS id,
       mode(name) AS name, mode(country) AS country, mode(sector) AS sector, mode(kind) AS kind,
       count(DISTINCT event_id) AS n_events,
       count(DISTINCT event_id) FILTER (WHERE role = 'actor') AS as_actor,
       count(DISTINCT event_id) FILTER (WHERE role = 'recipient') AS as_recipient,
       count(DISTINCT event_id) FILTER (WHERE role = 'mediator') AS as_mediator
FROM part GROUP BY actor_id
"""


@dataclass
class Snapshot:
    """An in-memory copy of the store, flattened for the view's queries."""

    con: duckdb.DuckDBPyConnection
    path: str
    loaded_at: float
    signature: tuple = ()
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Snapshot:
        path = str(path)
        t0 = time.perf_counter()
        sig = file_signature(path)
        src = duckdb.connect(path, read_only=True)
        try:
            mem = duckdb.connect(":memory:")
            _copy_table(src, mem, "events", EVENT_COLS)
            _copy_table(src, mem, "mentions", MENTION_COLS)
            _copy_table(src, mem, "articles", ARTICLE_COLS)
            has_runs = src.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'").fetchone()[0]
            runs = src.execute("SELECT count(*) FROM runs").fetchone()[0] if has_runs else 0
        finally:
            src.close()
        quads = _type_quads()
        mem.execute("CREATE TABLE type_quad(event_type VARCHAR, quad INTEGER)")
        if quads:
            mem.executemany("INSERT INTO type_quad VALUES (?, ?)", list(quads.items()))
        mem.execute(_FLATTEN)
        mem.execute(_PARTICIPANTS)
        mem.execute("CREATE TABLE two_sided(event_type VARCHAR)")
        if types := _two_sided_types():
            mem.executemany("INSERT INTO two_sided VALUES (?)", [[t] for t in types])
        mem.execute(_EDGES)
        mem.execute(_ACTORS)
        # Article ids are looked up one at a time; mention lookups go by event and by article.
        mem.execute("CREATE INDEX ev_id ON ev(id)")
        mem.execute("CREATE INDEX art_id ON raw_articles(id)")
        mem.execute("CREATE INDEX men_ev ON raw_mentions(event_id)")
        mem.execute("CREATE INDEX men_art ON raw_mentions(article_id)")
        counts = {
            "events": mem.execute("SELECT count(*) FROM ev").fetchone()[0],
            "mentions": mem.execute("SELECT count(*) FROM raw_mentions").fetchone()[0],
            "articles": mem.execute("SELECT count(*) FROM raw_articles").fetchone()[0],
            "runs": runs,
        }
        log.info("loaded %s: %s in %.2fs", path, counts, time.perf_counter() - t0)
        return cls(con=mem, path=path, loaded_at=time.time(), signature=sig, counts=counts)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        # A cursor per request: DuckDB connections are not safe to share across threads, cursors are.
        return self.con.cursor()


def file_signature(path: str) -> tuple:
    """(mtime, size) of the store and its write-ahead log: changes when a run writes to the store."""
    sig: list = []
    for p in (path, path + ".wal"):
        try:
            st = os.stat(p)
            sig.append((st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append(None)
    return tuple(sig)


class SnapshotHolder:
    """Holds the current snapshot and swaps in a fresh one when the store file has changed.

    Checks at most every `check_every` seconds. While a writer holds the file (a run in progress) the
    read-only open fails; the view keeps serving the previous snapshot and tries again later.
    """

    def __init__(self, path: str | Path, check_every: float = 2.0):
        self.path = str(path)
        self.check_every = check_every
        self._lock = threading.Lock()
        self._snap = Snapshot.load(self.path)
        self._checked = time.monotonic()

    def get(self) -> Snapshot:
        now = time.monotonic()
        if now - self._checked >= self.check_every and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                if file_signature(self.path) != self._snap.signature:
                    try:
                        self._snap = Snapshot.load(self.path)
                    except duckdb.Error as exc:
                        log.info("store changed but not readable yet (%s); serving previous snapshot", exc)
            finally:
                self._lock.release()
        return self._snap
