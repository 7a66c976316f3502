"""The store side of the partitioned clusterer (`newsline.cluster.partitions`): the light pass that plans
the partitions (each mention's type and dates, its article's publication date; never the mentions' records)
and one DuckDB pass that writes each partition's mentions, with what the clusterer reads of their articles,
to its own Parquet file (`<folder>/part=<n>/`), which a worker then reads alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from newsline.cluster.event_features import ClusterConfig, _interval, _undated_interval
from newsline.store.db import date_text

LIGHT = ("SELECT m.id, m.article_id, m.event_type, m.date, m.date__text, m.enddate, m.enddate__text, "
         "m.date_precision, a.published, a.published__text, m.event_id, e.id IS NOT NULL AS stored "
         "FROM mentions m LEFT JOIN articles a ON a.id = m.article_id LEFT JOIN events e ON e.id = m.event_id")


def mention_window(m: Any, published: str | None, cfg: ClusterConfig) -> tuple[int, int] | None:
    """The interval of ordinal days a mention is looked up in: its date's, else the week before its article's
    publication; None when it has neither. `m` needs `date`, `enddate` and `date_precision` only."""
    interval = _interval(m)
    return interval if interval is not None else _undated_interval(published, cfg)


def stale_events(store: Any) -> set[str]:
    """Stored events listing a mention that is no longer stored (its article was processed again)."""
    return {r[0] for r in store.con.execute(
        "SELECT DISTINCT id FROM (SELECT id, unnest(mentions) AS mid FROM events) "
        "WHERE mid NOT IN (SELECT id FROM mentions)").fetchall()}


class _Dates(NamedTuple):
    date: str | None
    enddate: str | None
    date_precision: str | None


def light_mentions(store: Any, groups: dict[str, str], stale: set[str], changed_articles: set[str],
                   cfg: ClusterConfig) -> tuple[Iterator[tuple[str, str, tuple[int, int] | None]], set[str] | None]:
    """(the planner's rows (mention id, family group, date window), streamed; the ids of mentions new or
    changed since the events were stored, filled as the rows are read: None when no events are stored, so
    that everything is clustered)."""
    new: set[str] | None = None if not store.count("events") else set()

    def rows() -> Iterator[tuple[str, str, tuple[int, int] | None]]:
        cur = store.con.cursor()
        cur.execute(LIGHT)
        while chunk := cur.fetchmany(10_000):
            for (mid, aid, etype, d, dt, e, et, prec, pub, pubt, event_id, stored) in chunk:
                window = mention_window(_Dates(date_text(d, dt), date_text(e, et), prec), date_text(pub, pubt), cfg)
                yield mid, groups.get(etype, etype), window
                if new is not None and (not stored or event_id in stale or aid in changed_articles):
                    new.add(mid)

    return rows(), new


def event_ids_of(store: Any, mention_ids: Iterable[str]) -> list[str]:
    table = pa.table({"k": pa.array(list(mention_ids), pa.string())})
    cur = store.con.cursor()
    cur.register("_nl_of", table)
    return [r[0] for r in cur.execute("SELECT DISTINCT event_id FROM mentions WHERE event_id IS NOT NULL "
                                      "AND id IN (SELECT k FROM _nl_of)").fetchall()]


_COPY_SETTINGS = (("partitioned_write_flush_threshold", 4096), ("partitioned_write_max_open_files", 16),
                  ("preserve_insertion_order", "false"))
# plan rows joined with the mentions per pass, and DuckDB's memory during the passes: a pass over a million
# mentions did not fit the corpus stages' 128 MB (the joins with the mentions and the articles, the Parquet
# writers' buffers), whatever the number of rows per pass; within this it spills the rest
SPOOL_ROWS = 200_000
SPOOL_MEMORY = "512MB"


def spool_partitions(store: Any, rows: list[tuple[str, int, bool, bool, int]], parts: set[int], folder: Path
                     ) -> dict[int, str]:
    """Write each partition of `parts` to `folder/part=<n>/` (its mentions, whether each is at home there,
    seen elsewhere too and the last window it is seen in, and its article's publication date and original);
    partition -> its folder. In passes of whole partitions of about SPOOL_ROWS rows each."""
    sizes: dict[int, int] = {}
    for r in rows:
        if r[1] in parts:
            sizes[r[1]] = sizes.get(r[1], 0) + 1
    batches, batch, n = [], set(), 0
    for p in sorted(sizes):
        if batch and n + sizes[p] > SPOOL_ROWS:
            batches.append(batch)
            batch, n = set(), 0
        batch.add(p)
        n += sizes[p]
    if batch:
        batches.append(batch)
    folder.mkdir(parents=True, exist_ok=True)
    cur = store.con.cursor()
    for name, value in _COPY_SETTINGS:
        cur.execute(f"SET {name} = {value}")
    try:
        with duckdb_memory(store, SPOOL_MEMORY):
            for batch in batches:
                _copy(cur, [r for r in rows if r[1] in batch], folder)
    finally:
        for name, _ in _COPY_SETTINGS:
            cur.execute(f"RESET {name}")
    return {p: str(folder / f"part={p}") for p in parts if (folder / f"part={p}").exists()}


@contextlib.contextmanager
def duckdb_memory(store: Any, limit: str) -> Iterator[None]:
    """DuckDB's memory limit set to `limit` for the block (then restored): the passes that write the partition
    files, and the events' write, whose update of every mention's link did not fit 128 MB at a million."""
    before = store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    store.con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        store.con.execute(f"SET memory_limit = '{before}'")


def _copy(cur: Any, keep: list[tuple[str, int, bool, bool, int]], folder: Path) -> None:
    table = pa.table({"id": pa.array([r[0] for r in keep], pa.string()),
                      "part": pa.array([r[1] for r in keep], pa.int32()),
                      "_home": pa.array([r[2] for r in keep], pa.bool_()),
                      "_shared": pa.array([r[3] for r in keep], pa.bool_()),
                      "_last": pa.array([r[4] for r in keep], pa.int32())})
    cur.register("_nl_parts", table)
    target = str(folder).replace("'", "''")
    cur.execute(f"COPY (SELECT m.*, p.part, p._home, p._shared, p._last, a.published AS _pub, "
                "a.published__text AS _pub_text, a.duplicate_of AS _dup FROM _nl_parts p JOIN mentions m ON m.id = p.id "
                f"LEFT JOIN articles a ON a.id = m.article_id) TO '{target}' "
                "(FORMAT parquet, PARTITION_BY (part), OVERWRITE_OR_IGNORE, ROW_GROUP_SIZE 2048)")
    cur.unregister("_nl_parts")
