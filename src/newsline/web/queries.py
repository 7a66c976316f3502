"""Read-side queries for the web view, over an in-memory snapshot of the newsline store.

Why a snapshot: DuckDB lets one process write a file only while no other process has it open, so a server
that kept the store open would make `newsline run` fail while the web view is up. `Snapshot.load` opens the
store read-only, copies what the view needs into an in-memory database (flattening the JSON columns into
an indexed `ev` table: actor ids as a list, a lower-cased search column, start/end dates as DATE), and
closes the file again. `SnapshotHolder` re-loads when the file changes.

Every query here is fixed SQL with `?` parameters: user input only ever travels as a parameter value, and
the few parts that vary (sort order, bucket) are picked from closed whitelists.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import duckdb

from newsline.knowledge import ontology
from newsline.records import Article, Event, EventMention, field_types

log = logging.getLogger(__name__)

# quad class -> label ("verbal cooperation") and the statuses, as the ontology names them
QUADS = {q: name.replace("_", " ") for q, name in ontology().quad_classes.items()}
STATUSES = list(ontology().statuses)

# Sort keys the API accepts, each mapped to a fixed ORDER BY: the client picks a key, never SQL.
SORTS: dict[str, str] = {
    "date": "d0 ASC NULLS LAST, id",
    "-date": "d0 DESC NULLS LAST, id",
    "corroboration": "corroboration ASC, d0 DESC NULLS LAST, id",
    "-corroboration": "corroboration DESC, d0 DESC NULLS LAST, id",
    "type": "event_type ASC, d0 DESC NULLS LAST, id",
    "first_reported": "first_reported ASC NULLS LAST, id",
    "-first_reported": "first_reported DESC NULLS LAST, id",
}
BUCKETS = ("day", "week", "month")


def _type_quads() -> dict[str, int]:
    """PLOVER type -> quad class from the packaged ontology; used only when a record lacks `quad_code`."""
    return {name: t.quad for name, t in ontology().types.items()}


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
_EDGES = r"""
CREATE OR REPLACE TABLE edge AS
SELECT DISTINCT s.event_id, s.actor_id AS src, t.actor_id AS dst
FROM part s JOIN part t ON s.event_id = t.event_id AND s.role = 'actor' AND t.role = 'recipient'
WHERE s.actor_id <> t.actor_id
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


# --------------------------------------------------------------------------- filters
@dataclass
class Filters:
    """Event filters shared by the list, timeline, actors and network endpoints."""

    actor: list[str] = field(default_factory=list)  # every listed actor id takes part (any role)
    type: list[str] = field(default_factory=list)
    quad: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    date_from: date | None = None  # events whose [date, enddate] overlaps [date_from, date_to]
    date_to: date | None = None
    place: str | None = None  # case-insensitive substring of place name, province or country code
    q: str | None = None  # case-insensitive substring of actors, type, place, evidence sentences

    def where(self, use_dates: bool = True) -> tuple[str, list[Any]]:
        """WHERE clause over `ev` with its parameters (fixed fragments, values only as parameters)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append("list_has_all(actor_ids, ?::VARCHAR[])")
            params.append(list(self.actor))
        if self.type:
            clauses.append("list_contains(?::VARCHAR[], event_type)")
            params.append(list(self.type))
        if self.quad:
            clauses.append("list_contains(?::INTEGER[], quad_code)")
            params.append(list(self.quad))
        if self.status:
            clauses.append("list_contains(?::VARCHAR[], status)")
            params.append(list(self.status))
        if use_dates and self.date_from:
            clauses.append("d1 >= ?")
            params.append(self.date_from)
        if use_dates and self.date_to:
            clauses.append("d0 <= ?")
            params.append(self.date_to)
        if self.place:
            clauses.append("contains(place_search, ?)")
            params.append(self.place.lower())
        if self.q:
            # every word must occur somewhere in the event's searchable text
            for word in self.q.lower().split()[:8]:
                clauses.append("contains(search, ?)")
                params.append(word)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# --------------------------------------------------------------------------- helpers
def _js(value: str | None, default: Any = None) -> Any:
    if value is None:
        return default
    try:
        return _date_texts(json.loads(value))
    except (TypeError, ValueError):
        return default


def _date_texts(value: Any) -> Any:
    """Nested values as the records hold them: a date inside a STRUCT column (a claim's `published`) comes
    as its DATE and companion `<field>__text` (store/db.py); the companion, where set, is the text."""
    if isinstance(value, list):
        return [_date_texts(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k.endswith("__text") and k[:-6] in value:
                continue
            companion = value.get(k + "__text")
            out[k] = companion if companion is not None else _date_texts(v)
        return out
    return value


def _actors(value: str | None) -> list[dict[str, Any]]:
    out = []
    for a in _js(value, []) or []:
        if isinstance(a, dict):
            out.append({k: a.get(k) for k in ("id", "name", "country", "sector", "person", "role", "text",
                                             "kind")})
    return out


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


_LIST_COLS = ("id, event_type, quad_code, mode, status, date, enddate, date_precision, actor, recipient, "
              "mediator, place, country_code, province, lat, lon, corroboration, n_sources, n_mentions, "
              "first_reported, has_conflict")


def _event_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "event_type": r["event_type"], "quad_code": r["quad_code"], "mode": r["mode"],
        "status": r["status"], "date": r["date"], "enddate": r["enddate"],
        "date_precision": r["date_precision"],
        "actor": _actors(r["actor"]), "recipient": _actors(r["recipient"]),
        "mediator": _actors(r["mediator"]),
        "place": {"name": r["place"], "country_code": r["country_code"], "province": r["province"],
                  "lat": r["lat"], "lon": r["lon"]} if (r["place"] or r["country_code"]) else None,
        "corroboration": r["corroboration"], "n_sources": r["n_sources"], "n_mentions": r["n_mentions"],
        "first_reported": r["first_reported"], "has_conflict": bool(r["has_conflict"]),
    }


# --------------------------------------------------------------------------- queries
def list_events(snap: Snapshot, f: Filters, sort: str = "-date", offset: int = 0,
                limit: int = 100) -> dict[str, Any]:
    where, params = f.where()
    order = SORTS[sort]  # KeyError here is a programming error: the API validates `sort` first
    cur = snap.cursor()
    total = None
    if f.q:
        # a text search is the expensive filter: one scan gives both the page and the total (a window count
        # costs more than a second scan when no text is searched, hence only here)
        cur.execute(f"SELECT {_LIST_COLS}, count(*) OVER () AS _total FROM ev{where} ORDER BY {order} "
                    "LIMIT ? OFFSET ?", [*params, limit, offset])
        rows = _rows(cur)
        total = rows[0]["_total"] if rows else None
    else:
        cur.execute(f"SELECT {_LIST_COLS} FROM ev{where} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, limit, offset])
        rows = _rows(cur)
    if total is None:
        total = cur.execute("SELECT count(*) FROM ev" + where, params).fetchone()[0]
    items = [_event_row(r) for r in rows]
    return {"total": total, "offset": offset, "limit": limit, "sort": sort, "items": items}


def timeline(snap: Snapshot, f: Filters, bucket: str = "auto", by: str = "type") -> dict[str, Any]:
    """Event counts per period and event type (or quad), aggregated here so the page never gets raw events.

    The date range filter is not applied: the page shows it as the zoomed window over the whole series so
    an analyst can zoom back out. `auto` picks the finest bucket that keeps the series under ~1500 periods.
    """
    where, params = f.where(use_dates=False)
    cur = snap.cursor()
    cond = (where + " AND d0 IS NOT NULL") if where else " WHERE d0 IS NOT NULL"
    lo, hi, undated = cur.execute(
        "SELECT min(d0), max(d0), (SELECT count(*) FROM ev" + where + (" AND " if where else " WHERE ")
        + "d0 IS NULL) FROM ev" + cond, params + params).fetchone()
    if bucket == "auto":
        span = (hi - lo).days if lo and hi else 0
        bucket = "day" if span <= 1500 else "week" if span <= 1500 * 7 else "month"
    key = "CAST(quad_code AS VARCHAR)" if by == "quad" else "event_type"
    cur.execute(f"SELECT CAST(date_trunc(?, d0) AS DATE) AS b, {key} AS k, count(*) AS n FROM ev{cond} "
                "GROUP BY ALL ORDER BY k, b", [bucket, *params])
    series: dict[str, dict[str, list]] = {}
    for b, k, n in cur.fetchall():
        s = series.setdefault(k or "?", {"x": [], "y": []})
        s["x"].append(b.isoformat())
        s["y"].append(n)
    return {"bucket": bucket, "by": by, "min": lo.isoformat() if lo else None,
            "max": hi.isoformat() if hi else None, "undated": undated,
            "series": [{"key": k, **v} for k, v in series.items()]}


def get_event(snap: Snapshot, event_id: str) -> dict[str, Any] | None:
    cur = snap.cursor()
    cur.execute(f"SELECT {_LIST_COLS}, context, size, claims, conflicts, mentions, sources, event_loc "
                "FROM ev WHERE id = ?", [event_id])
    rows = _rows(cur)
    if not rows:
        return None
    r = rows[0]
    out = _event_row(r)
    out.update(context=_js(r["context"], []) or [], size=_js(r["size"]), claims=_js(r["claims"], []) or [],
               conflicts=_js(r["conflicts"], []) or [], event_loc=_js(r["event_loc"]))
    source_ids = [s for s in (_js(r["sources"], []) or []) if isinstance(s, str)]
    # mentions: those pointing at this event, plus any the event lists (the two should agree; either suffices)
    mention_ids = [m for m in (_js(r["mentions"], []) or []) if isinstance(m, str)]
    cur.execute("SELECT * FROM raw_mentions WHERE event_id = ? OR list_contains(?::VARCHAR[], id) "
                "ORDER BY article_id, id", [event_id, mention_ids])
    mentions = _rows(cur)
    art_ids = sorted({m["article_id"] for m in mentions if m["article_id"]} | set(source_ids))
    cur.execute("SELECT id, uri, title, published, published_precision, language, duplicate_of, text "
                "FROM raw_articles WHERE list_contains(?::VARCHAR[], id)", [art_ids])
    arts = {a["id"]: a for a in _rows(cur)}
    out["mentions"] = [_mention(m, arts.get(m["article_id"])) for m in mentions]
    out["sources"] = [
        {k: arts[a][k] for k in ("id", "uri", "title", "published", "published_precision", "language",
                                 "duplicate_of")} if a in arts else {"id": a, "missing": True}
        for a in (source_ids or art_ids)
    ]
    return out


def _paragraph_around(text: str, start: int, end: int) -> tuple[int, str]:
    """The paragraph(s) of `text` containing [start, end): context shown around a highlighted sentence."""
    p0 = text.rfind("\n", 0, max(start, 0)) + 1
    p1 = text.find("\n", max(end, start))
    p1 = len(text) if p1 < 0 else p1
    return p0, text[p0:p1]


def _mention(m: dict[str, Any], article: dict[str, Any] | None) -> dict[str, Any]:
    text = (article or {}).get("text") or ""
    evidence = []
    for ev in _js(m["evidence"], []) or []:
        if not isinstance(ev, dict):
            continue
        start, end = ev.get("start"), ev.get("end")
        item = {"sentence": ev.get("sentence"), "start": start, "end": end, "trigger": ev.get("trigger")}
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
            # whether the stored offsets really point at the stored sentence: the analyst's first check
            item["offsets_match"] = text[start:end] == (ev.get("sentence") or "")
            c0, ctext = _paragraph_around(text, start, end)
            item["context"] = {"start": c0, "text": ctext}
        else:
            item["offsets_match"] = False
            item["context"] = None
        evidence.append(item)
    return {
        "id": m["id"], "event_id": m["event_id"], "article_id": m["article_id"],
        "article_title": (article or {}).get("title"), "article_published": (article or {}).get("published"),
        "article_uri": (article or {}).get("uri"),
        "event_type": m["event_type"], "mode": m["mode"], "status": m["status"] or "asserted",
        "attribution": m["attribution"], "date": m["date"], "date_text": m["date_text"],
        "date_precision": m["date_precision"], "actor": _actors(m["actor"]),
        "recipient": _actors(m["recipient"]), "mediator": _actors(m["mediator"]),
        "event_loc": _js(m["event_loc"]), "size": _js(m["size"]), "confidence": m["confidence"],
        "evidence": evidence,
    }


def get_article(snap: Snapshot, article_id: str) -> dict[str, Any] | None:
    cur = snap.cursor()
    cur.execute("SELECT * FROM raw_articles WHERE id = ?", [article_id])
    rows = _rows(cur)
    if not rows:
        return None
    a = rows[0]
    dropped = [d for d in (_js(a.pop("dropped_lines"), []) or []) if isinstance(d, dict)]
    a["text"] = a["text"] or ""
    a["dropped_lines"] = [{"line_no": d.get("line_no"), "text": d.get("text"), "reason": d.get("reason")}
                          for d in dropped]
    cur.execute("SELECT m.id, m.event_id, m.event_type, m.status, m.attribution, m.evidence "
                "FROM raw_mentions m WHERE m.article_id = ? ORDER BY m.id", [article_id])
    a["mentions"] = [
        {"id": m["id"], "event_id": m["event_id"], "event_type": m["event_type"], "status": m["status"],
         "attribution": m["attribution"],
         "evidence": [{"start": e.get("start"), "end": e.get("end"), "trigger": e.get("trigger")}
                      for e in (_js(m["evidence"], []) or []) if isinstance(e, dict)]}
        for m in _rows(cur)
    ]
    cur.execute("SELECT id FROM raw_articles WHERE duplicate_of = ? ORDER BY id", [article_id])
    a["duplicates"] = [r[0] for r in cur.fetchall()]
    return a


def list_actors(snap: Snapshot, f: Filters, q: str | None = None, limit: int = 200) -> dict[str, Any]:
    """Actors taking part in the filtered events, most frequent first."""
    where, params = f.where()
    cur = snap.cursor()
    cond, cparams = "", []
    if q:
        cond = " WHERE contains(lower(concat_ws(' ', d.id, d.name, d.country)), ?)"
        cparams = [q.lower()]
    cur.execute(
        "WITH fe AS (SELECT id FROM ev" + where + "), "
        "c AS (SELECT p.actor_id, count(DISTINCT p.event_id) AS n FROM part p JOIN fe ON fe.id = p.event_id "
        "GROUP BY p.actor_id) "
        "SELECT d.id, d.name, d.country, d.sector, d.kind, c.n AS n_events, d.n_events AS n_events_total, "
        "d.as_actor, d.as_recipient, d.as_mediator FROM c JOIN actor_dim d ON d.id = c.actor_id" + cond
        + " ORDER BY c.n DESC, d.id LIMIT ?", [*params, *cparams, limit])
    items = _rows(cur)
    return {"total": len(items), "items": items}


def network(snap: Snapshot, f: Filters, limit: int = 40, max_edges: int = 150, labels: int = 20) -> dict[str, Any]:
    """Actor -> recipient network of the filtered events: the `limit` busiest actors and, among them, the
    `max_edges` heaviest edges (a dense network drawn whole is a hairball nobody can read), laid out in a
    `width` x `height` drawing (`_lay_out`), the `labels` busiest actors labelled where there is room."""
    where, params = f.where()
    cur = snap.cursor()
    cur.execute(
        "WITH fe AS (SELECT id, quad_code FROM ev" + where + "), "
        "e AS (SELECT g.src, g.dst, fe.quad_code FROM edge g JOIN fe ON fe.id = g.event_id), "
        "deg AS (SELECT a, count(*) AS n FROM (SELECT src AS a FROM e UNION ALL SELECT dst FROM e) GROUP BY a "
        "ORDER BY n DESC, a LIMIT ?) "
        "SELECT e.src, e.dst, count(*) AS n, "
        "count(*) FILTER (WHERE quad_code IN (1, 2)) AS coop, "
        "count(*) FILTER (WHERE quad_code IN (3, 4)) AS conflict "
        "FROM e WHERE e.src IN (SELECT a FROM deg) AND e.dst IN (SELECT a FROM deg) "
        "GROUP BY e.src, e.dst ORDER BY n DESC, e.src, e.dst LIMIT ?", [*params, limit, max_edges])
    edges = _rows(cur)
    ids = sorted({e["src"] for e in edges} | {e["dst"] for e in edges})
    cur.execute("SELECT id, name, country, sector, kind FROM actor_dim WHERE list_contains(?::VARCHAR[], id)",
                [ids])
    nodes = {r["id"]: r for r in _rows(cur)}
    weight: dict[str, int] = {}
    for e in edges:
        weight[e["src"]] = weight.get(e["src"], 0) + e["n"]
        weight[e["dst"]] = weight.get(e["dst"], 0) + e["n"]
    out = [{**nodes.get(i, {"id": i, "name": i}), "weight": weight[i]} for i in ids]
    return {"width": NET_WIDTH, "height": NET_HEIGHT, "nodes": _lay_out(out, edges, labels), "edges": edges}


# The network is laid out here, in a drawing of this size (the page scales it as a whole, text included, so
# labels placed apart here stay apart on screen).
NET_WIDTH, NET_HEIGHT, NET_FONT = 640.0, 480.0, 11.0
NET_LABEL_CHARS = 22


def _lay_out(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], labels: int) -> list[dict[str, Any]]:
    """Nodes with `x`, `y` (networkx spring layout of each connected part, packed), radius `r` and, for the
    `labels` busiest that have room, `label` {x, y, anchor, text} placed to overlap no other label or node."""
    import networkx as nx

    from newsline.report.layout import fit_to_canvas, network_layout, place_labels

    if not nodes:
        return []
    graph = nx.DiGraph()
    graph.add_nodes_from(d["id"] for d in nodes)
    graph.add_weighted_edges_from((e["src"], e["dst"], e["n"]) for e in edges)
    pos = fit_to_canvas(network_layout(graph, aspect=NET_WIDTH / NET_HEIGHT), NET_WIDTH, NET_HEIGHT,
                        margin_x=60, margin_y=30, stretch=1.6)
    heaviest = max(d["weight"] for d in nodes)
    radius = {d["id"]: round(4 + 12 * math.sqrt(d["weight"] / heaviest), 1) for d in nodes}
    texts = {d["id"]: _cut(d.get("name") or d["id"], NET_LABEL_CHARS) for d in nodes}
    order = [d["id"] for d in sorted(nodes, key=lambda d: (-d["weight"], d["id"]))]
    placed = place_labels(pos, radius, texts, order, NET_WIDTH, NET_HEIGHT, size=NET_FONT, most=labels)
    return [{**d, "x": pos[d["id"]][0], "y": pos[d["id"]][1], "r": radius[d["id"]],
             "label": {k: v for k, v in placed[d["id"]].items() if k != "box"} if d["id"] in placed else None}
            for d in nodes]


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def stats(snap: Snapshot) -> dict[str, Any]:
    cur = snap.cursor()
    lo, hi, undated, conflicted, multi = cur.execute(
        "SELECT min(d0), max(d0), count(*) FILTER (WHERE d0 IS NULL), count(*) FILTER (WHERE has_conflict), "
        "count(*) FILTER (WHERE n_sources > 1) FROM ev").fetchone()
    by_type = dict(cur.execute("SELECT event_type, count(*) FROM ev GROUP BY 1 ORDER BY 2 DESC").fetchall())
    # the page colours each type by its quad class (cooperation blue/green, conflict orange/red)
    type_quad = dict(cur.execute("SELECT event_type, mode(quad_code) FROM ev WHERE event_type IS NOT NULL "
                                 "GROUP BY 1").fetchall())
    by_status = dict(cur.execute("SELECT status, count(*) FROM ev GROUP BY 1 ORDER BY 2 DESC").fetchall())
    by_quad = {str(k): v for k, v in cur.execute(
        "SELECT quad_code, count(*) FROM ev GROUP BY 1 ORDER BY 1").fetchall()}
    dup, failed = cur.execute("SELECT count(*) FILTER (WHERE duplicate_of IS NOT NULL), "
                              "count(*) FILTER (WHERE error IS NOT NULL) FROM raw_articles").fetchone()
    return {
        "store": os.path.basename(snap.path), "loaded_at": snap.loaded_at, **snap.counts,
        "actors": cur.execute("SELECT count(*) FROM actor_dim").fetchone()[0],
        "date_min": lo.isoformat() if lo else None, "date_max": hi.isoformat() if hi else None,
        "undated_events": undated, "events_with_conflicts": conflicted, "multi_source_events": multi,
        "duplicate_articles": dup, "failed_articles": failed,
        "by_type": by_type, "by_status": by_status, "by_quad": by_quad,
        "types": sorted(t for t in by_type if t), "type_quad": type_quad, "quads": QUADS, "statuses": STATUSES,
    }
