"""The store side of the partitioned clusterer (`newsline.cluster.partitions`), in DuckDB and Parquet files so
that the writing process holds no row per mention or per article:

* the light pass (`write_light`): each mention's family group, date window and whether it is new, computed
  in chunks and written to a Parquet file;
* the plan (`plan_partitions`): DuckDB expands the light rows into a row per mention and partition it is seen
  in, to another Parquet file; `touched_parts` and `event_ids_at_home` query it for incremental runs;
* the partition files (`spool_partitions`): one DuckDB join of the mentions with the plan (and what the
  clusterer reads of their articles), split into a Parquet file per partition (`<folder>/part=<n>/`), which
  a worker then reads alone;
* `set_duplicate_links`: `duplicate_of` set from the copies' links in one SQL update.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from newsline.cluster.event_features import ClusterConfig, _interval, _undated_interval
from newsline.store.db import date_text

log = logging.getLogger(__name__)

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


LIGHT_COLUMNS = pa.schema([("id", pa.string()), ("grp", pa.string()), ("lo", pa.int64()), ("hi", pa.int64()),
                           ("new", pa.bool_())])
LIGHT_CHUNK = 20_000


def write_light(store: Any, groups: dict[str, str], stale: set[str], changed_articles: set[str],
                cfg: ClusterConfig, path: Path) -> bool:
    """The planner's rows (mention id, family group, date window lo/hi or nulls, whether it is new or changed
    since the events were stored) written to the Parquet file `path` in chunks, so that no process holds a row
    per mention. Returns whether every mention counts as new (no events stored: everything is clustered)."""
    import pyarrow.parquet as pq

    everything = not store.count("events")
    cur = store.con.cursor()
    cur.execute(LIGHT)
    with pq.ParquetWriter(str(path), LIGHT_COLUMNS) as writer:
        while chunk := cur.fetchmany(LIGHT_CHUNK):
            cols: tuple[list[Any], ...] = ([], [], [], [], [])
            for (mid, aid, etype, d, dt, e, et, prec, pub, pubt, event_id, stored) in chunk:
                window = mention_window(_Dates(date_text(d, dt), date_text(e, et), prec), date_text(pub, pubt), cfg)
                cols[0].append(mid)
                cols[1].append(groups.get(etype, etype))
                cols[2].append(None if window is None else window[0])
                cols[3].append(None if window is None else window[1])
                cols[4].append(everything or not stored or event_id in stale or aid in changed_articles)
            writer.write_table(pa.table(list(cols), schema=LIGHT_COLUMNS))
    cur.close()
    return everything


def plan_partitions(store: Any, light: Path, target: Path, window_days: int, margin_days: int,
                    max_span_days: int) -> list[tuple[str, int | None]]:
    """The plan, from the light rows: a row per mention and partition it is seen in (id, part, at home there,
    seen by other partitions too, the last window it is seen in, new) written by DuckDB to `target` (it
    spills within its memory limit; nothing per mention comes into Python). Returns partition id -> (family
    group, window; None for a group with undatable mentions, which is one partition), in key order.

    A mention's windows run from (lo - margin) // window_days to (hi + margin) // window_days; its home is
    the window of its interval's middle ((lo + hi) // 2 // window_days). Ordinal days are positive, so
    DuckDB's integer division is Python's floor division here."""
    src, dst = _sql_path(light), _sql_path(target)
    w, m = int(window_days), int(margin_days)
    rows = (f"WITH l AS (SELECT * FROM read_parquet('{src}')), "
            f"whole AS (SELECT DISTINCT grp FROM l WHERE lo IS NULL OR hi - lo > {int(max_span_days)}), "
            "spans AS (SELECT id, grp, new, (lo - " + str(m) + f") // {w} AS k0, (hi + {m}) // {w} AS k1, "
            f"(lo + hi) // 2 // {w} AS kh FROM l WHERE grp NOT IN (SELECT grp FROM whole)), "
            "r AS (SELECT id, grp, NULL::BIGINT AS k, TRUE AS _home, FALSE AS _shared, 0 AS _last, new FROM l "
            "WHERE grp IN (SELECT grp FROM whole) UNION ALL "
            "SELECT id, grp, k, k = kh, k1 > k0, k1, new FROM (SELECT *, unnest(range(k0, k1 + 1)) AS k FROM spans))")
    cur = store.con.cursor()
    keys = [(g, None if k is None else int(k)) for g, k in cur.execute(
        f"{rows} SELECT DISTINCT grp, k FROM r ORDER BY grp, k NULLS LAST").fetchall()]
    part = pa.table({"grp": pa.array([g for g, _ in keys], pa.string()),
                     "k": pa.array([k for _, k in keys], pa.int64()),
                     "part": pa.array(range(len(keys)), pa.int32())})
    cur.register("_nl_keys_of_parts", part)
    cur.execute(f"COPY ({rows} SELECT r.id, p.part, r._home, r._shared, r._last::INTEGER AS _last, r.new "
                "FROM r JOIN _nl_keys_of_parts p ON p.grp = r.grp AND p.k IS NOT DISTINCT FROM r.k) "
                f"TO '{dst}' (FORMAT parquet, ROW_GROUP_SIZE 100000)")
    cur.unregister("_nl_keys_of_parts")
    cur.close()
    return keys


def touched_parts(store: Any, plan: Path, n_parts: int, everything: bool) -> set[int]:
    """Partitions holding a new or changed mention, closed over the mentions partitions share (a loop of
    joins over the plan file: a few rounds, each over the shared rows only)."""
    if everything:
        return set(range(n_parts))
    src = _sql_path(plan)
    cur = store.con.cursor()
    touched = {r[0] for r in cur.execute(f"SELECT DISTINCT part FROM read_parquet('{src}') WHERE new").fetchall()}
    while True:
        more = {r[0] for r in cur.execute(
            f"WITH s AS (SELECT id, part FROM read_parquet('{src}') WHERE _shared) "
            f"SELECT DISTINCT b.part FROM s a JOIN s b ON a.id = b.id WHERE a.part IN {_ints(touched)} "
            f"AND b.part NOT IN {_ints(touched)}").fetchall()}
        if not more:
            cur.close()
            return touched
        touched |= more


def event_ids_at_home(store: Any, plan: Path, parts: set[int]) -> list[str]:
    """The stored event ids of the mentions at home in `parts` (the events an incremental run replaces)."""
    cur = store.con.cursor()
    out = [r[0] for r in cur.execute(
        f"SELECT DISTINCT m.event_id FROM read_parquet('{_sql_path(plan)}') p JOIN mentions m ON m.id = p.id "
        f"WHERE p._home AND m.event_id IS NOT NULL AND p.part IN {_ints(parts)}").fetchall()]
    cur.close()
    return out


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _ints(values: Iterable[int]) -> str:
    """A SQL list of partition ids (ints only, so safe in SQL text)."""
    return "(" + (", ".join(str(int(v)) for v in sorted(values)) or "NULL") + ")"


# DuckDB's memory while the candidate pairs, the plan, the partition files and the events are written: the
# join of every mention with the plan and the events' update of every mention's link did not fit the corpus
# stages' 128 MB at a million mentions; within this it spills the rest
SPOOL_MEMORY = "512MB"
SPLIT_ROWS = 65_536  # rows of the joined file split at a time
SPLIT_GROUP = 4096  # rows per row group of a partition's file


def spool_partitions(store: Any, plan: Path, parts: set[int], folder: Path) -> dict[int, str]:
    """Write each partition of `parts` to `folder/part=<n>/` (its mentions, whether each is at home there,
    seen elsewhere too and the last window it is seen in, and its article's publication date and original);
    partition -> its folder.

    One scan of the mentions: DuckDB joins them with the plan's rows into one Parquet file sorted by partition
    (in its bounded memory, spilling the join and the sort), which is then split into the partitions' files in
    chunks of SPLIT_ROWS rows.
    Passes of whole partitions, each joining its plan rows with a scan of every mention, grew faster than the
    corpus (38 passes at five million mentions); DuckDB's own partitioned write of all partitions at once was
    slower still and held more memory (BENCHMARKS.md "Issue 18", session 7)."""
    folder.mkdir(parents=True, exist_ok=True)
    joined = folder / "joined.parquet"
    cur = store.con.cursor()
    cur.execute("SET preserve_insertion_order = false")  # (the clusterer orders a partition's mentions itself)
    try:
        with duckdb_memory(store, SPOOL_MEMORY):
            _join(cur, plan, parts, joined)
    finally:
        cur.execute("RESET preserve_insertion_order")
        cur.close()
    try:
        written = _split(joined, folder)
    finally:
        joined.unlink(missing_ok=True)
    log.info("partition files: %d partitions in %d files", len(written), sum(written.values()))
    return {p: str(folder / f"part={p}") for p in sorted(written)}


def _join(cur: Any, plan: Path, parts: set[int], target: Path) -> None:
    """The join, sorted by partition so that the split keeps one file open at a time, on one DuckDB thread: each
    thread holds join and write buffers of its own, and with two the join of five million mentions with the plan
    ran out of SPOOL_MEMORY instead of spilling (BENCHMARKS.md "Issue 18", session 9); with one it spills within
    it (the sort too: 553 MB spilled at a million mentions, session 11)."""
    threads = cur.execute("SELECT current_setting('threads')").fetchone()[0]
    cur.execute("SET threads = 1")
    try:
        cur.execute(f"COPY (SELECT m.*, p.part, p._home, p._shared, p._last, a.published AS _pub, "
                    "a.published__text AS _pub_text, a.duplicate_of AS _dup "
                    f"FROM (SELECT * FROM read_parquet('{_sql_path(plan)}') WHERE part IN {_ints(parts)}) p "
                    "JOIN mentions m ON m.id = p.id LEFT JOIN articles a ON a.id = m.article_id ORDER BY p.part) "
                    f"TO '{_sql_path(target)}' (FORMAT parquet, ROW_GROUP_SIZE 16384)")
    finally:
        cur.execute(f"SET threads = {int(threads)}")


def _split(joined: Path, folder: Path) -> dict[int, int]:
    """The joined rows, sorted by partition, written to one Parquet file per partition
    (`folder/part=<n>/data_0.parquet`, without the `part` column), streamed a chunk of SPLIT_ROWS at a time with
    one writer open; partition -> its number of files. A writer kept open per partition held its column buffers
    to the end (2.6 GB at five million mentions in 806 partitions, BENCHMARKS.md "Issue 18", session 10), and a
    file per flush of an unsorted split made many small files (1,223 at a million mentions, ~37,000 at five
    million) and was slower (43.2 s against 30.4 s at a million, session 11)."""
    import numpy as np
    import pyarrow.parquet as pq

    files: dict[int, int] = {}
    current, writer = None, None
    try:
        for batch in pq.ParquetFile(str(joined)).iter_batches(batch_size=SPLIT_ROWS):
            table = pa.Table.from_batches([batch])
            part = table["part"].to_numpy()
            table = table.drop_columns(["part"])
            cuts = [0, *(np.flatnonzero(np.diff(part)) + 1).tolist(), len(part)]
            for lo, hi in zip(cuts, cuts[1:], strict=False):
                p = int(part[lo])
                if p != current:
                    if writer is not None:
                        writer.close()
                    (folder / f"part={p}").mkdir(exist_ok=True)
                    k = files.get(p, 0)  # (a partition met again in the order would start a file of its own)
                    writer = pq.ParquetWriter(str(folder / f"part={p}" / f"data_{k}.parquet"), table.schema)
                    files[p], current = k + 1, p
                writer.write_table(table.slice(lo, hi - lo), row_group_size=SPLIT_GROUP)
    finally:
        if writer is not None:
            writer.close()
    return files


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


def set_duplicate_links(store: Any, links: dict[str, str]) -> set[str]:
    """Every article's `duplicate_of` set to its original in `links` (None when it is absent), in SQL: only the
    copies are held here, never a row per article. Returns the ids of the articles whose link changed."""
    table = pa.table({"id": pa.array(list(links), pa.string()), "of": pa.array(list(links.values()), pa.string())})
    cur = store.con.cursor()
    cur.register("_nl_links_of", table)
    diff = ("SELECT a.id, l.of FROM articles a LEFT JOIN _nl_links_of l ON l.id = a.id "
            "WHERE a.duplicate_of IS DISTINCT FROM l.of")
    try:
        cur.execute("BEGIN TRANSACTION")
        changed = {r[0] for r in cur.execute(f"SELECT id FROM ({diff})").fetchall()}
        cur.execute(f"UPDATE articles SET duplicate_of = c.of FROM ({diff}) c WHERE articles.id = c.id")
        cur.execute("COMMIT")
    except Exception:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.unregister("_nl_links_of")
        cur.close()
    return changed


def candidate_pairs(store: Any) -> list[tuple[str, str]]:
    """Pairs of good articles (smaller id first) sharing an LSH band key, as `Store.band_pairs` finds them, but
    with the keys held by two or more articles found first (a GROUP BY, which DuckDB spills) so that the
    self-join runs over those keys' rows only: the join over every key of two million articles did not fit
    DuckDB's memory."""
    cur = store.con.cursor()
    try:
        with duckdb_memory(store, SPOOL_MEMORY):
            return cur.execute(
                "WITH k AS (SELECT id, unnest(minhash_bands) AS band FROM articles WHERE error IS NULL), "
                "shared AS (SELECT band FROM k GROUP BY band HAVING count(*) > 1), "
                "s AS (SELECT id, band FROM k WHERE band IN (SELECT band FROM shared)) "
                "SELECT DISTINCT a.id, b.id FROM s a JOIN s b ON a.band = b.band AND a.id < b.id").fetchall()
    finally:
        cur.close()
