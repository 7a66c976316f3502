"""The corpus stages, in order: link near-duplicate articles, then cluster the mentions into events.

One orchestration for the run (over the store) and for records in memory (`corpus_stages`): both go through
`run_corpus_stages(corpus)`, where `corpus` is anything with the `Corpus` methods (the run passes its
`newsline.store.Store`; `corpus_stages` an in-memory one).

Fed so that memory stays small on large stores: the near-duplicate stage reads the articles' stored LSH band
keys (`newsline.cluster.bands`: computed by the per-article stage), groups them in DuckDB (or on a Dask
cluster) and reads back the texts of candidate pairs only; the event clusterer gets the articles without their texts (it reads their publication dates and
`duplicate_of` links only) and hands its events on as they are built.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from newsline.cluster.bands import (
    CHECK_CHUNK,
    band_keys,
    dask_candidate_pairs,
    dask_rounds,
    link_candidates,
    link_candidates_in_chunks,
    pairs_from_groups,
)
from newsline.cluster.events import iter_events
from newsline.cluster.partitions import PartitionOptions, run_partitioned
from newsline.cluster.spool import candidate_pairs, duckdb_memory, set_duplicate_links
from newsline.records import Article, Event, EventMention
from newsline.testpoints import kill_after_first, kill_point

log = logging.getLogger(__name__)

# DuckDB's memory while the partitioned stages load their events: the one transaction that moves every mention's
# event link keeps its updates in memory (they do not spill): at five million mentions it ran out of 512 MB
# (SPOOL_MEMORY) and took 2.9 s within 1 GB (BENCHMARKS.md "Issue 18", session 10); what it needs grows with the
# mentions whose link changes
EVENTS_LOAD_MEMORY = "1GB"

# From this many articles a store counts as large: DuckDB's memory is lowered while the stages run, and freed
# heap is handed back between them
LARGE_STORE_ARTICLES = 5000
# DuckDB's memory limit during the corpus stages of such a store (when the configured one is higher)
CORPUS_DUCKDB_MEMORY = "128MB"


class Corpus(Protocol):
    """What the corpus stages read and write (`newsline.store.Store` is one)."""

    def count(self, table: str) -> int: ...
    def corpus_articles_light(self) -> Iterator[Article]: ...
    def articles_without_bands(self) -> Iterator[tuple[str, str]]: ...
    def set_bands(self, bands: dict[str, list[int]]) -> None: ...
    def band_rows(self) -> Iterator[tuple[str, list[int]]]: ...
    def band_pairs(self) -> Iterable[tuple[str, str]]: ...
    def articles_with_text(self, ids: Iterable[str]) -> Iterator[Article]: ...
    def iter_records(self, table: str, *, ordered: bool = True) -> Iterator[Any]: ...
    def read_events(self) -> list[Event]: ...
    def memory_at_most(self, limit: str) -> contextlib.AbstractContextManager[None]: ...
    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None: ...
    def replace_events(self, events: Iterable[Event]) -> int: ...


def run_corpus_stages(corpus: Corpus, partitioned: PartitionOptions | None = None) -> tuple[int, int]:
    """The corpus stages over `corpus`: sets `duplicate_of`, replaces the events (stored events keep their
    ids; new mentions join them). Returns (duplicates linked, events written). With `partitioned` (a store
    only), the events are clustered in partitions on that engine's workers (`newsline.cluster.partitions`)
    and the near-duplicate pairs are grouped on the Dask cluster when that engine is Dask."""
    started = time.perf_counter()
    large = corpus.count("articles") >= LARGE_STORE_ARTICLES
    # on a large store DuckDB's page cache stays small while the stages hold their records (about 100 MB
    # less at the peak of 50,000 articles); their reads are unsorted scans and their writes appends
    with corpus.memory_at_most(CORPUS_DUCKDB_MEMORY) if large else contextlib.nullcontext():
        if partitioned is None:
            dups, n_events = _stages(corpus, large)
        else:
            dups, n_events = _partitioned_stages(corpus, partitioned)
    log.info("corpus stages: %d near-duplicate articles linked, %d events (%.1f s)", dups, n_events,
             time.perf_counter() - started)
    return dups, n_events


def corpus_options(corpus_engine: str | None = None, engine: str = "local", workers: int = 1,
                   scheduler: str | None = None) -> PartitionOptions | None:
    """The partitioned corpus stages when `corpus_engine` (or, when it is None, NEWSLINE_CORPUS_ENGINE) is
    "partitioned": on the run's engine kind, with at least two workers, the partition files in
    NEWSLINE_CORPUS_SPOOL when set (a folder the workers of a remote cluster can read). Otherwise None: the
    single-process stages, the default."""
    choice = (corpus_engine if corpus_engine is not None else os.environ.get("NEWSLINE_CORPUS_ENGINE", "")).strip()
    if choice.lower() in ("", "single"):
        return None
    if choice.lower() != "partitioned":
        raise ValueError(f"unknown corpus engine {choice!r}; single or partitioned")
    return PartitionOptions(engine=engine if engine in ("local", "dask") else "local", workers=max(2, workers),
                            scheduler=scheduler, spool=os.environ.get("NEWSLINE_CORPUS_SPOOL") or None)


def _partitioned_stages(corpus: Any, opts: PartitionOptions) -> tuple[int, int]:
    from newsline.engine import make_engine

    with make_engine(opts.engine, opts.workers, scheduler=opts.scheduler) as engine:
        links = near_duplicates(corpus, client=getattr(engine, "client", None), bounded=True)
        # in SQL: this process holds the copies' links, not a row per article
        changed = set_duplicate_links(corpus, links)
        kill_point("near-duplicates")
        n_dups = len(links)
        del links
        drop, events = run_partitioned(corpus, opts, engine, changed)
        with duckdb_memory(corpus, EVENTS_LOAD_MEMORY):  # this process holds no clusterer: DuckDB may have more
            n_events = corpus.replace_events(kill_after_first(events, "event-stage"), drop=drop)
    return n_dups, n_events


def _stages(corpus: Corpus, large: bool) -> tuple[int, int]:
    links = near_duplicates(corpus)
    if large:
        _release_memory()  # the texts and shingles of the candidate pairs, before the clusterer's features
    light = list(corpus.corpus_articles_light())
    duplicate_of = {a.id: links.get(a.id) for a in light}
    for a in light:
        a.duplicate_of = duplicate_of[a.id]
    linked = {a.id: a for a in light}
    corpus.set_duplicates(duplicate_of)
    kill_point("near-duplicates")
    # read before the transaction that replaces the events (a query inside it would compete with the
    # transaction's own pages for DuckDB's bounded memory); events go to the store as they are built, so they
    # are never all in memory at once
    mentions = list(corpus.iter_records("mentions", ordered=False))  # the clusterer sorts them itself
    events = iter_events(_drain(mentions), linked, corpus.read_events())
    n_events = corpus.replace_events(kill_after_first(events, "event-stage"))
    return sum(1 for v in duplicate_of.values() if v), n_events


def near_duplicates(corpus: Corpus, client: Any = None, chunk: int = 5000, bounded: bool = False) -> dict[str, str]:
    """Copy id -> original id, from the articles' stored band keys (computed first for articles that have
    none: a store written before them): candidate pairs by grouping on the keys (in DuckDB, or on the Dask
    cluster of `client`), each checked on the exact shingles of the two texts. `bounded` (a store; the
    partitioned stages): the shared keys found first in DuckDB's bounded memory, and the texts read per
    CHECK_CHUNK pairs, so that this process's memory does not grow with the corpus."""
    missing: dict[str, list[int]] = {}
    for aid, text in corpus.articles_without_bands():
        missing[aid] = band_keys(text)
        if len(missing) >= chunk:
            corpus.set_bands(missing)
            missing = {}
    if missing:
        corpus.set_bands(missing)
    if client is not None:
        pairs = dask_candidate_pairs(corpus.band_rows, client, rounds=dask_rounds(corpus.count("articles")))
    else:
        pairs = set(candidate_pairs(corpus) if bounded else corpus.band_pairs())
    if bounded:
        return link_candidates_in_chunks(sorted(pairs), corpus.articles_with_text, chunk=CHECK_CHUNK)
    ids = {i for pair in pairs for i in pair}
    return link_candidates(sorted(pairs), corpus.articles_with_text(ids))


# --------------------------------------------------------------------------- records in memory
@dataclass(slots=True)
class CorpusResult:
    duplicate_of: dict[str, str | None]  # every article id -> its original (None: not a copy)
    events: list[Event]


@dataclass(slots=True)
class _InMemory:
    """A Corpus over records in memory; what the stages write is kept on it."""

    articles: list[Article]
    mentions: list[EventMention]
    existing: list[Event]
    duplicate_of: dict[str, str | None] = dataclasses.field(default_factory=dict)
    events: list[Event] = dataclasses.field(default_factory=list)
    bands: dict[str, list[int]] = dataclasses.field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.articles)

    def iter_records(self, table: str, *, ordered: bool = True) -> Iterator[Any]:
        return iter(self.mentions)

    def read_events(self) -> list[Event]:
        return list(self.existing)

    def memory_at_most(self, limit: str) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None:
        self.duplicate_of = duplicate_of

    def corpus_articles_light(self) -> Iterator[Article]:
        return (Article(id=a.id, uri=a.uri, published=a.published, published_precision=a.published_precision,
                        language=a.language, error=a.error) for a in self.articles)

    def articles_without_bands(self) -> Iterator[tuple[str, str]]:
        return ((a.id, a.text) for a in self.articles if not a.error and a.id not in self.bands)

    def set_bands(self, bands: dict[str, list[int]]) -> None:
        self.bands.update(bands)

    def band_rows(self) -> Iterator[tuple[str, list[int]]]:
        return ((aid, keys) for aid, keys in self.bands.items() if keys)

    def band_pairs(self) -> set[tuple[str, str]]:
        groups: dict[int, list[str]] = {}
        for aid, keys in self.band_rows():
            for k in keys:
                groups.setdefault(k, []).append(aid)
        return pairs_from_groups(g for g in groups.values() if len(g) > 1)

    def articles_with_text(self, ids: Iterable[str]) -> Iterator[Article]:
        wanted = set(ids)
        return (a for a in self.articles if a.id in wanted)

    def replace_events(self, events: Iterable[Event]) -> int:
        self.events = sorted(events, key=lambda e: (e.date or "9999", e.id))  # as cluster_events sorts them
        return len(self.events)


def corpus_stages(articles: Iterable[Article], mentions: Iterable[EventMention],
                  existing_events: Iterable[Event] = ()) -> CorpusResult:
    """The corpus stages over records in memory: link near-duplicates, then cluster the mentions (reprints
    join their original's events without adding corroboration). The input records are not modified."""
    corpus = _InMemory(list(articles), list(mentions), list(existing_events))
    _stages(corpus, large=False)
    return CorpusResult(duplicate_of=corpus.duplicate_of, events=corpus.events)


# --------------------------------------------------------------------------- memory of large stores
def _release_memory() -> None:
    """Collect reference cycles and hand freed heap pages back to the system (glibc's malloc_trim), so that
    the corpus stages' peak is the larger of the two stages, not their sum (about 300 MB at 50k articles)."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl): the collection alone
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _drain(items: list[Any]) -> Iterator[Any]:
    """The items in order, each dropped from the list as it is handed on (the list keeps none alive)."""
    items.reverse()
    while items:
        yield items.pop()


__all__ = ["Corpus", "CorpusResult", "corpus_stages", "run_corpus_stages"]
