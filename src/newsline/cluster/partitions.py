"""Event clustering in partitions: blocks of type family group x time window, run on the engine's workers.

The clusterer only ever compares a mention with events of its family (or its planned partners' family:
`family groups` join families that can meet) and of overlapping weeks, so the corpus is cut into blocks:

* a **family group** (families joined by `compatible` and `planned_compatible` in data/cluster.yaml);
* a **time window** of `window_days` over the mention's date interval (or, for an undated mention, the week
  before its article's publication). A mention's home is the window its interval starts in; it is also
  given, as context, to every window whose range widened by `margin_days` on each side its interval meets,
  so that an event near a window edge is seen whole from both sides.
* A family group that has mentions with no date window at all (no date and no publication date, or an
  interval wider than `max_span_days`) is one partition: such a mention may join an event of any date.

Each partition is clustered on a worker exactly as the single-process clusterer would (same order, same
rules), reading its mentions from a Parquet file written from the store in one pass (`spool`). An event
whose members are all at home in the partition and seen by no other partition is final there. An event that
touches a window edge is assembled in the writing process: each mention's home partition says which event
it joined (a union of those claims gives the event's members); when a partition saw exactly those members,
its event is taken; otherwise (the two sides disagreed: a chain of events longer than the margin) the event
is rebuilt from its members and counted in the log as an edge repair.

Incremental: only partitions with new mentions (no event yet, or one whose members changed) and those
sharing a mention with them are clustered again; stored events elsewhere stay as they are. Events keep
their ids: a stored event id on a mention seeds its event in the partition.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsline.cluster.event_features import (
    ClusterConfig,
    _default_config,
    _features,
)
from newsline.cluster.event_records import _build_event
from newsline.cluster.event_scoring import _Cluster
from newsline.cluster.events import _cluster, _placement_order, _stages
from newsline.cluster.spool import SPOOL_MEMORY, duckdb_memory
from newsline.records import Article, Event, EventMention

log = logging.getLogger(__name__)

# figures of the last partitioned clustering in this process (for benchmarks/corpus_bench.py)
LAST_RUN: dict[str, int] = {}

__all__ = ["PartitionOptions", "family_groups", "cluster_partition", "run_partitioned"]


@dataclass(slots=True, frozen=True)
class PartitionOptions:
    """How the partitioned clusterer cuts and where it runs (`engine`: local | dask, as `newsline run`)."""

    window_days: int = 91  # a quarter: each mention is clustered in about 1.5 partitions (home and context)
    # a mention's home is the window of its interval's middle; it is context wherever its interval comes within
    # the margin of a window. 24 days: half a month (a month-precision mention seen whole from its home) plus
    # the week buckets and the day of tolerance the clusterer looks up around a date
    margin_days: int = 24
    engine: str = "local"
    workers: int = 2
    scheduler: str | None = None
    spool: str | None = None  # folder for the partition files; on a remote cluster one the workers can read


# --------------------------------------------------------------------------- planning
def family_groups(cfg: ClusterConfig) -> dict[str, str]:
    """Event type -> its family group (families that compatible or planned-compatible types join)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    types = set(cfg.families)
    for pair in [*cfg.compatible, *cfg.planned_compatible]:
        a, b = sorted(pair)
        types.update((a, b))
        ra, rb = find(cfg.family(a)), find(cfg.family(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {t: find(cfg.family(t)) for t in types}


# --------------------------------------------------------------------------- one partition (a worker)
@dataclass(slots=True)
class PartitionResult:
    part: int
    done: list[Event]  # final: every member at home here and seen by no other partition
    # events touching an edge: (key, home members, all members, the last window any member is seen in, event)
    edges: list[tuple[str, list[str], list[str], int, Event]]
    mentions: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0  # the worker process's peak resident memory so far


def cluster_partition(part: int, mentions: list[EventMention], flags: dict[str, tuple[bool, bool, int]],
                      articles: dict[str, Article], cfg: ClusterConfig | None = None,
                      any_week: bool | None = False) -> PartitionResult:
    """Cluster one partition's mentions (`flags`: mention id -> (at home here, seen by other partitions, last
    window seen in)); stored `event_id`s seed their events."""
    started = time.perf_counter()
    cfg = cfg or _default_config()
    clusters, n, _ = _cluster(mentions, articles, (), cfg, any_week=any_week)
    done, edges = [], []
    for c in clusters:
        if not c.members:
            continue
        ids = [f.mention.id for f in c.members]
        home = [i for i in ids if flags[i][0]]
        if not home:
            continue  # another partition is this event's home
        if len(home) == len(ids) and not any(flags[i][1] for i in ids):
            done.append(_build_event(c))
        else:
            key = "e:" + c.event_id if c.event_id else "m:" + ids[0]
            edges.append((key, home, ids, max(flags[i][2] for i in ids), _build_event(c)))
    return PartitionResult(part, done, edges, n, time.perf_counter() - started)


def cluster_partition_file(path: str, any_week: bool | None = False) -> PartitionResult:
    """`cluster_partition` over a partition file written by `spool_partitions` (what the workers run)."""
    import pyarrow.parquet as pq

    mentions, flags, articles = _records(pq.read_table(path).to_pylist())  # (bounded by the partition)
    part = int(Path(path).name.split("=", 1)[1])
    result = cluster_partition(part, mentions, flags, articles, any_week=any_week)
    result.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _records(rows: Iterable[dict]) -> tuple[list[EventMention], dict[str, tuple[bool, bool, int]],
                                          dict[str, Article]]:
    """Mentions, their flags and what the clusterer reads of their articles, from partition file rows."""
    from newsline.store.db import date_text, row_to_record

    mentions, flags, articles = [], {}, {}
    for row in rows:
        m = row_to_record("mentions", row)
        mentions.append(m)
        flags[m.id] = (bool(row["_home"]), bool(row["_shared"]), int(row["_last"]))
        if m.article_id not in articles:
            articles[m.article_id] = Article(id=m.article_id, uri="", duplicate_of=row["_dup"],
                                             published=date_text(row["_pub"], row["_pub_text"]))
    return mentions, flags, articles


def _run_files(args: tuple[str, bool]) -> PartitionResult:
    return cluster_partition_file(*args)


# --------------------------------------------------------------------------- assembling the edges
class _Edges:
    """Events that touch a window edge, assembled from the partitions' claims as soon as every partition that
    sees one of their members has reported (partitions come in window order within a family group)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.records: list[tuple[str, frozenset[str], int, Event]] = []  # (a home member, members, last, event)

    def _find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def add(self, key: str, home: list[str], members: list[str], last: int, event: Event) -> None:
        for m in home:
            a, b = self._find("m:" + m), self._find(key)
            if a != b:
                self.parent[max(a, b)] = min(a, b)
        self.records.append(("m:" + home[0], frozenset(members), last, event))

    def resolve(self, upto: int | None = None) -> tuple[list[Event], list[tuple[list[str], str | None]]]:
        """(events a partition saw whole, [(members, stored event id) of events to rebuild]) of the
        components complete once the windows up to `upto` have reported (None: all of them)."""
        last: dict[str, int] = {}
        for node, _members, rec_last, _event in self.records:
            root = self._find(node)
            last[root] = max(last.get(root, rec_last), rec_last)
        ready = {root for root, k in last.items() if upto is None or k <= upto}
        if not ready:
            return [], []
        groups: dict[str, set[str]] = {}
        seeds: dict[str, str] = {}
        nodes = [n for n in self.parent if self._find(n) in ready]
        for node in nodes:
            root = self._find(node)
            if node.startswith("m:"):
                groups.setdefault(root, set()).add(node[2:])
            else:
                seeds.setdefault(root, node[2:])
        taken, events, kept = set(), [], []
        for record in self.records:
            root = self._find(record[0])
            if root not in ready:
                kept.append(record)
            elif root not in taken and record[1] == groups[root]:
                taken.add(root)
                events.append(record[3])
        self.records = kept
        for node in nodes:
            del self.parent[node]
        rebuild = [(sorted(ms), seeds.get(root)) for root, ms in groups.items() if root not in taken]
        return events, rebuild


def rebuild_event(mentions: list[EventMention], articles: dict[str, Article], event_id: str | None,
                  cfg: ClusterConfig | None = None) -> Event:
    """One event from its members, added in the clusterer's order (an edge the two sides saw differently)."""
    cfg = cfg or _default_config()
    feats = [_features(m, i, articles.get(m.article_id), cfg) for i, m in enumerate(sorted(mentions, key=lambda m: m.id))]
    _stages(feats, cfg)
    c = _Cluster(seq=0, event_id=event_id)
    for f in sorted(feats, key=lambda x: (x.stage, _placement_order(x))):
        c.add(f)
    return _build_event(c)


# --------------------------------------------------------------------------- the run over a store
def run_partitioned(store: Any, opts: PartitionOptions, engine: Any, changed_articles: set[str] = frozenset(),
                    cfg: ClusterConfig | None = None) -> tuple[set[str] | None, Iterator[Event]]:
    """(the stored event ids to replace, None for all; the events of the partitions to cluster, as they
    come). The partitions clustered are all of them when no events are stored, else those with new or
    changed mentions (or articles whose `duplicate_of` changed) and those sharing a mention with them.
    The plan (a row per mention and partition it is seen in) lives in Parquet files that DuckDB writes and
    reads: this process holds a row per partition, not per mention."""
    from newsline.cluster.spool import (
        event_ids_at_home,
        plan_partitions,
        stale_events,
        touched_parts,
        write_light,
    )

    cfg = cfg or _default_config()
    work = Path(tempfile.mkdtemp(prefix="newsline-plan-", dir=_tmp_dir(store)))
    try:
        stale = stale_events(store)
        light, the_plan = work / "light.parquet", work / "plan.parquet"
        everything = write_light(store, family_groups(cfg), stale, changed_articles, cfg, light)
        with duckdb_memory(store, SPOOL_MEMORY):
            keys = plan_partitions(store, light, the_plan, opts.window_days, opts.margin_days, cfg.max_span_days)
            light.unlink()
            touched = touched_parts(store, the_plan, len(keys), everything)
            drop = None if everything else set(event_ids_at_home(store, the_plan, touched)) | stale
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log.info("partitioned clustering: %d partitions, %d to cluster", len(keys), len(touched))
    return drop, _events(store, the_plan, keys, touched, opts, engine, cfg)


def _events(store: Any, the_plan: Path, keys: list[tuple[str, int | None]], touched: set[int],
            opts: PartitionOptions, engine: Any, cfg: ClusterConfig) -> Iterator[Event]:
    from newsline.cluster.spool import spool_partitions

    folder = Path(opts.spool or tempfile.mkdtemp(prefix="newsline-partitions-", dir=_tmp_dir(store)))
    try:
        started = time.perf_counter()
        paths = spool_partitions(store, the_plan, touched, folder)
        log.info("partitioned clustering: %d partition files written in %.1f s", len(paths),
                 time.perf_counter() - started)
        any_week = {p: None if keys[p][1] is None else False for p in touched}
        yield from _cluster_all(paths, keys, any_week, engine, cfg)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(the_plan.parent, ignore_errors=True)


def _tmp_dir(store: Any) -> str | None:
    path = getattr(store, "path", None)
    return str(Path(path).resolve().parent) if path is not None and os.access(Path(path).resolve().parent, os.W_OK) \
        else None


def _cluster_all(paths: dict[int, str], keys: list[tuple[str, int | None]], any_week: dict[int, bool | None],
                 engine: Any, cfg: ClusterConfig) -> Iterator[Event]:
    from newsline.engine import Task

    edges, n_done, n_whole, n_repairs, started = _Edges(), 0, 0, 0, time.perf_counter()
    largest = peak = 0.0
    waiting = 0  # the most edge events held at once, waiting for their other side (one window's worth)
    order = sorted(paths, key=lambda p: (keys[p][0], keys[p][1] is None, keys[p][1] or 0))  # windows in order
    tasks = (Task([(paths[p], any_week[p])], meta=keys[p]) for p in order)
    group, folders = None, []
    for task, results in engine.imap(_apply, tasks):
        here, window = task.meta
        if group is not None and here != group:  # a new family group: the last one's edges are all in
            yield from (batch := _resolved(folders, edges, None, cfg))
            folders = []
            n_whole, n_repairs = n_whole + batch.whole, n_repairs + batch.repairs
        group = here
        folders.append(task.items[0][0])
        for r in results:
            largest, peak = max(largest, r.mentions), max(peak, r.peak_mb)
            n_done += len(r.done)
            yield from r.done
            for edge in r.edges:
                edges.add(*edge)
        waiting = max(waiting, len(edges.records))
        if window is not None:
            yield from (batch := _resolved(folders, edges, window, cfg))
            n_whole, n_repairs = n_whole + batch.whole, n_repairs + batch.repairs
        _hand_back_freed_memory()  # (the previous partition's results are freed by now)
    yield from (batch := _resolved(folders, edges, None, cfg))
    LAST_RUN.update(partitions=len(paths), largest_partition=int(largest), worker_peak_mb=round(peak),
                    final=n_done, across_edges=n_whole + batch.whole, edge_repairs=n_repairs + batch.repairs,
                    edges_waiting_max=waiting)
    log.info("partitioned clustering: %d events final in their partition, %d assembled across an edge "
             "(at most %d waiting at once), %d edge repairs; largest partition %d mentions, worker peak RSS %d MB "
             "(%.1f s)", n_done, n_whole + batch.whole, waiting, n_repairs + batch.repairs, largest, peak,
             time.perf_counter() - started)


@functools.cache
def _libc() -> Any:
    with contextlib.suppress(OSError):
        return ctypes.CDLL("libc.so.6")
    return None  # not glibc (macOS, musl)


def _hand_back_freed_memory() -> None:
    """Return the memory freed by a partition's results to the system: glibc's free heap (`malloc_trim`; the
    results are unpickled on the pool's result thread, whose malloc arena keeps what they freed) and Arrow's
    pool (mimalloc keeps the pages of the staged events' tables). Without it the writer grew while the
    partitions were clustered though what it holds alive did not (BENCHMARKS.md "Issue 18", session 11)."""
    import pyarrow as pa

    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.malloc_trim(0)
    pa.default_memory_pool().release_unused()


class _Batch(list):
    whole = repairs = 0


def _resolved(folders: list[str], edges: _Edges, upto: int | None, cfg: ClusterConfig) -> _Batch:
    whole, rebuild = edges.resolve(upto)
    out = _Batch(whole)
    if rebuild:
        out.extend(_rebuilt(folders, rebuild, cfg))
    out.whole, out.repairs = len(whole), len(rebuild)
    return out


def _apply(items: list[tuple[str, bool | None]], _arg: Any) -> list[PartitionResult]:
    return [_run_files(item) for item in items]


def _rebuilt(folders: list[str], rebuild: list[tuple[list[str], str | None]], cfg: ClusterConfig
             ) -> Iterator[Event]:
    """The events to rebuild, their members read from the family group's partition files (not from the store:
    the events are being written in a transaction whose pages DuckDB's bounded memory must keep)."""
    import pyarrow.dataset as ds

    ids = sorted({m for members, _ in rebuild for m in members})
    files = [str(f) for folder in folders for f in sorted(Path(folder).iterdir())]
    table = ds.dataset(files, format="parquet").to_table(filter=ds.field("id").isin(ids))
    mentions, _, articles = _records(table.to_pylist())
    by_id = {m.id: m for m in mentions}  # (a mention seen by two partitions has a row in each)
    for members, event_id in rebuild:
        yield rebuild_event([by_id[m] for m in members if m in by_id], articles, event_id, cfg)
