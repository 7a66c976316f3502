"""The corpus stages, in order: link near-duplicate articles, then cluster the mentions into events.

One orchestration for the run (over the store) and for records in memory (`corpus_stages`): both go through
`run_corpus_stages(corpus)`, where `corpus` is anything with the `Corpus` methods (the run passes its
`newsline.store.Store`; `corpus_stages` an in-memory one).

Fed so that memory stays small on large stores: the near-duplicate stage streams the articles' texts (it
keeps compact shingle arrays, not the texts), in a child process from CHILD_NEAR_DUP_ARTICLES stored
articles; the event clusterer gets the articles without their texts (it reads their publication dates and
`duplicate_of` links only) and hands its events on as they are built.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from newsline.cluster.articles import link_duplicates
from newsline.cluster.events import iter_events
from newsline.records import Article, Event, EventMention
from newsline.testpoints import kill_after_first, kill_point

log = logging.getLogger(__name__)

# From this many articles the near-duplicate stage runs in a child process: its LSH index and shingle arrays
# (about 500 MB at 50k articles) are then given back whole when it exits, instead of staying in this
# process's heap under the clusterer's features (the two stages' peaks no longer add up).
CHILD_NEAR_DUP_ARTICLES = 5000
# DuckDB's memory limit during the corpus stages of such a store (when the configured one is higher)
CORPUS_DUCKDB_MEMORY = "128MB"


class Corpus(Protocol):
    """What the corpus stages read and write (`newsline.store.Store` is one)."""

    def count(self, table: str) -> int: ...
    def corpus_articles(self) -> Iterator[Article]: ...
    def iter_records(self, table: str, *, ordered: bool = True) -> Iterator[Any]: ...
    def read_events(self) -> list[Event]: ...
    def memory_at_most(self, limit: str) -> contextlib.AbstractContextManager[None]: ...
    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None: ...
    def replace_events(self, events: Iterable[Event]) -> int: ...


def run_corpus_stages(corpus: Corpus) -> tuple[int, int]:
    """The corpus stages over `corpus`: sets `duplicate_of`, replaces the events (stored events keep their
    ids; new mentions join them). Returns (duplicates linked, events)."""
    started = time.perf_counter()
    large = corpus.count("articles") >= CHILD_NEAR_DUP_ARTICLES
    # on a large store DuckDB's page cache stays small while the stages hold their records (about 100 MB
    # less at the peak of 50,000 articles); their reads are unsorted scans and their writes appends
    with corpus.memory_at_most(CORPUS_DUCKDB_MEMORY) if large else contextlib.nullcontext():
        dups, n_events = _stages(corpus, large)
    log.info("corpus stages: %d near-duplicate articles linked, %d events (%.1f s)", dups, n_events,
             time.perf_counter() - started)
    return dups, n_events


def _stages(corpus: Corpus, large: bool) -> tuple[int, int]:
    light: list[Article] = []

    def articles() -> Iterator[Article]:
        for a in corpus.corpus_articles():
            yield a
            light.append(Article(id=a.id, uri=a.uri, published=a.published,
                                 published_precision=a.published_precision, language=a.language,
                                 error=a.error))

    if large:
        _release_memory()  # before the fork: the child's pages are counted in its RSS too
        links = _link_duplicates_in_child(articles())
        _release_memory()  # worth its time on large stores only
    else:
        links = link_duplicates(articles())
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
    n_events = corpus.replace_events(kill_after_first(events, "event-write"))
    return sum(1 for v in duplicate_of.values() if v), n_events


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

    def count(self, table: str) -> int:
        return len(self.articles)

    def corpus_articles(self) -> Iterator[Article]:
        return iter(self.articles)

    def iter_records(self, table: str, *, ordered: bool = True) -> Iterator[Any]:
        return iter(self.mentions)

    def read_events(self) -> list[Event]:
        return list(self.existing)

    def memory_at_most(self, limit: str) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def set_duplicates(self, duplicate_of: dict[str, str | None]) -> None:
        self.duplicate_of = duplicate_of

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
def _near_dup_child(conn: Any) -> None:
    """Child side: articles arrive in batches over `conn` (None ends them); the links go back."""

    def stream() -> Iterator[Article]:
        while (batch := conn.recv()) is not None:
            yield from batch

    conn.send(link_duplicates(stream()))
    conn.close()


def _link_duplicates_in_child(articles: Iterable[Article], batch: int = 500) -> dict[str, str]:
    """`link_duplicates` in a child process fed over a pipe (the store stays open here only: DuckDB allows one
    writing process). Forked where the platform can: nothing to load, and no re-import of the caller's main
    module (a forkserver or spawned child would re-run an unguarded user script); the DuckDB threads the fork
    copies are never used by the child, which touches neither the store nor the model. Spawned elsewhere."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    here, there = ctx.Pipe()
    child = ctx.Process(target=_near_dup_child, args=(there,), daemon=True)
    child.start()
    there.close()
    try:
        buf: list[Article] = []
        for a in articles:
            buf.append(a)
            if len(buf) >= batch:
                here.send(buf)
                buf = []
        here.send(buf)
        here.send(None)
        links: dict[str, str] = here.recv()
    finally:
        here.close()
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    if child.exitcode not in (0, None):
        raise RuntimeError(f"near-duplicate stage failed in its child process (exit code {child.exitcode})")
    return links


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
