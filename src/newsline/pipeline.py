"""The run: the scheduler of the declared stages, from the inputs to the store.

    ingest (streamed) ─▶ batches ─▶ skip (id, hash) already stored ─▶ process_batch on the engine's workers
                                                                       │  (clean, then `article_stages()`:
                                                                       │   annotate, code; newsline.stages)
    corpus stages (newsline.cluster.corpus) ◀── store.write_batch (one transaction per batch, in order) ◀─┘

Each stage's logic lives in its package; this module orders them, feeds the engine and is the single writer.
With worker processes the batches are committed by a writer thread (engine/writer.py), in order, while the
run's thread goes on collecting results and handing the engine new tasks, so the workers do not wait for
a write. Only stored records travel back from the workers. Remembered: a document whose content cannot be used is
stored as failed with its reason and skipped while unchanged. Retried: a failure that is not the content's
(a dead worker, a model that did not load, a bug in a stage) is reported, not stored. The corpus stages run
when the store says they are pending (`Store.corpus_pending`), so a killed or `--no-cluster` run leaves them
to the next. Memory stays bounded: documents stream, at most a few batches (BATCH_DOCS documents or
BATCH_BYTES each) are in flight, and the chrome line counts are capped (`clean.evidence.LineCounter`).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsline.clean import MAX_BYTES, CleanContext
from newsline.clean.evidence import LineCounter
from newsline.cluster.corpus import corpus_options, run_corpus_stages
from newsline.cluster.partitions import PartitionOptions
from newsline.engine import Engine, Task, make_engine
from newsline.engine.writer import BatchWriter
from newsline.ingest import InputNotFound, check_inputs, iter_sources, read_source
from newsline.records import RawDocument, RunSummary
from newsline.stages import (
    NLP_BATCH,
    PipelineContext,
    PipelineError,
    ProcessedDocument,
    StageOptions,
    article_stages,
    check_stage_options,
    process_batch,
    process_document,
    warm_worker,
    worker_failed,
)
from newsline.store.db import Store
from newsline.store.export import write_parquet_dataset
from newsline.testpoints import KILL_ENV, kill_point

__all__ = ["run_pipeline", "Runner", "RunOptions", "check_inputs", "check_stage_options", "PipelineError", "InputNotFound",
           "ProgressFn", "RETRY_NOTE", "KILL_ENV", "BATCH_DOCS", "StageOptions", "PipelineContext",
           "ProcessedDocument", "article_stages", "process_batch", "process_document"]

log = logging.getLogger(__name__)

BATCH_DOCS = 256
BATCH_BYTES = 64 * 1024 * 1024
# documents per task sent to a worker: small enough to keep every worker busy on small runs and at the end
# of large ones; a committed batch (BATCH_DOCS) is split into tasks of this size and written once all are back.
# One nlp.pipe batch each: with 2 workers on 1,000 articles, 16 finished about 0.5 s (2 %) sooner than 32
# (the last tasks leave one worker idle for less time)
TASK_DOCS = 16
# failures kept on the RunSummary (every failed document is in the store's documents table anyway)
MAX_SUMMARY_FAILURES = 10_000


# --------------------------------------------------------------------------- the run
ProgressFn = Callable[[RunSummary, int], None]  # (summary so far, input files done)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(slots=True)
class _Batch:
    docs: list[RawDocument] = field(default_factory=list)
    size: int = 0

    def add(self, doc: RawDocument) -> None:
        self.docs.append(doc)
        self.size += len(doc.content)

    def full(self, max_docs: int) -> bool:
        return len(self.docs) >= max_docs or self.size >= BATCH_BYTES


@dataclass(slots=True)
class _BatchInfo:
    number: int
    docs: int  # documents read, including those skipped as already stored
    tasks: int  # tasks the batch was split into
    todo: list[RawDocument] = field(default_factory=list)
    results: list[ProcessedDocument] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class RunOptions:
    """How one run reads, batches and finishes (`run_pipeline`'s keywords)."""

    max_bytes: int = MAX_BYTES
    batch_size: int = BATCH_DOCS
    task_size: int = TASK_DOCS
    options: dict[str, Any] = field(default_factory=dict)
    stages: StageOptions = field(default_factory=StageOptions)
    cluster: bool = True
    parquet_out: str | os.PathLike | None = None
    partitioned: PartitionOptions | None = None  # the corpus stages in partitions on an engine (cluster/partitions)


class Runner:
    """One run over some inputs into one store. `run_pipeline` is the usual entry point."""

    def __init__(self, store: Store, engine: Engine, opts: RunOptions | None = None,
                 release_engine: bool = False) -> None:
        self.store, self.engine, self.release_engine = store, engine, release_engine
        self.opts = opts or RunOptions()
        self.lines = LineCounter()
        self.batches = self.files = 0
        # id -> content hash of the batches handed to the engine and not written yet, oldest first
        self._queued: deque[dict[str, str]] = deque()
        # the store's connection and `_queued`, shared by the reading side and the writer thread
        self._store_lock = threading.Lock()

    def run(self, paths: Sequence[str | os.PathLike], progress: ProgressFn | None = None) -> RunSummary:
        summary = RunSummary(run_id=f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}",
                             started_at=_now(), inputs=[str(p) for p in paths])
        self.store.save_run(summary)
        kill_point("start")
        self.files = 0
        tasks = self._tasks(paths, summary, progress)
        began = time.perf_counter()
        # batches are committed by a writer thread (DuckDB's work releases the GIL) while this thread goes on
        # collecting results and handing the engine new tasks, so the workers are not left idle during a write
        with BatchWriter(functools.partial(self._commit, summary=summary), self._threaded()) as writer:
            for task, results in self.engine.imap(process_batch, tasks, on_error=worker_failed):
                batch = self._complete(task, results)
                if batch is not None:
                    writer.put(batch)
                if progress:
                    progress(summary, self.files)
        log.info("per-article stages: %d batches committed (%.1f s)", self.batches, time.perf_counter() - began)
        if self.release_engine:  # the workers' memory (a spaCy model each) is free for the corpus stages
            self.engine.close()
        self.lines = LineCounter()  # its counts (up to 200,000 lines) are no longer needed
        if self.opts.cluster:
            self.corpus_stages()
        if self.opts.parquet_out:
            write_parquet_dataset(self.store, self.opts.parquet_out)
        summary.finished_at = _now()
        self.store.save_run(summary)
        if progress:
            progress(summary, self.files)
        return summary

    # ------------------------------------------------------------------ reading side (lazy, in order)
    def _tasks(self, paths: Sequence[str | os.PathLike], summary: RunSummary,
               progress: ProgressFn | None) -> Iterator[Task]:
        batch = _Batch()
        for src in iter_sources(paths):
            for doc in read_source(src, self.opts.max_bytes):
                summary.seen += 1
                batch.add(doc)
                if batch.full(self.opts.batch_size):
                    yield from self._batch_tasks(batch.docs, summary)
                    batch = _Batch()
            self.files += 1
            if progress:
                progress(summary, self.files)
        if batch.docs:
            yield from self._batch_tasks(batch.docs, summary)

    def _batch_tasks(self, docs: list[RawDocument], summary: RunSummary) -> Iterator[Task]:
        """One committed batch as tasks of at most `task_size` documents (one empty task when every
        document is already stored, so that the batch is still counted and logged)."""
        self.batches += 1
        todo = self._todo(docs, summary)
        # skipped documents count too: the chrome evidence is the same on every re-run
        keys = {id(doc): self.lines.add(doc) for doc in docs}
        self._queued.append({d.id: d.content_hash for d in todo})
        size = max(1, self.opts.task_size)
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)] or [[]]
        info = _BatchInfo(self.batches, len(docs), len(chunks))
        for chunk in chunks:
            # the cleaner looks up a document's own lines only: a task carries the recurring lines among
            # its documents' lines, not the corpus-wide set (which grows with the corpus)
            among = set().union(*(keys[id(d)] for d in chunk))
            ctx = PipelineContext(CleanContext(self.lines.recurring(among), self.opts.max_bytes),
                                  self.opts.options, self.opts.stages)
            yield Task(chunk, ctx, info)

    def _in_flight(self, doc_id: str) -> str | None:
        for queued in reversed(self._queued):
            if doc_id in queued:
                return queued[doc_id]
        return None

    def _todo(self, docs: list[RawDocument], summary: RunSummary) -> list[RawDocument]:
        """Documents not stored (nor queued) yet under the same id and content hash (resume/idempotence).

        A document without a hash (the reader could not read it at all) is always retried.
        """
        with self._store_lock:
            return self._todo_locked(docs, summary)

    def _todo_locked(self, docs: list[RawDocument], summary: RunSummary) -> list[RawDocument]:
        stored = self.store.stored_versions({d.id for d in docs})
        todo: list[RawDocument] = []
        queued: dict[str, str] = {}
        for doc in docs:
            # the version this one follows: an earlier one of this batch, of a batch not written yet, or stored
            prev_hash, prev_run = stored.get(doc.id, (None, None))
            earlier = queued.get(doc.id)
            if earlier is None:
                earlier = self._in_flight(doc.id)
            if earlier is not None:
                prev_hash, prev_run = earlier, summary.run_id
            if doc.content_hash and doc.content_hash == prev_hash:
                summary.skipped += 1
                continue
            if prev_hash is not None and prev_run == summary.run_id:
                # e.g. `run site1/ site2/` with index.html in both: ids are paths relative to each root
                log.warning("two inputs of this run have the id %r; %s replaces the earlier one", doc.id,
                            doc.uri)
            queued[doc.id] = doc.content_hash
            todo.append(doc)
        updated = sum(1 for d in todo if d.id in stored and stored[d.id][1] != summary.run_id)
        if updated:
            log.info("%d documents changed since they were stored; replacing them", updated)
        return todo

    # ------------------------------------------------------------------ writing side (the single writer)
    def _threaded(self) -> bool:
        """Whether batches are written by a thread of their own: when the tasks run in other processes (with
        one worker they run in this thread, which then has no work to overlap with a write)."""
        return self.engine.workers > 1

    @staticmethod
    def _complete(task: Task, results: list[ProcessedDocument]) -> _BatchInfo | None:
        """The task's batch once this, its last task, is back (tasks come back in order)."""
        info: _BatchInfo = task.meta
        info.todo.extend(task.items)
        info.results.extend(results)
        info.tasks -= 1
        return None if info.tasks else info

    def _commit(self, info: _BatchInfo, summary: RunSummary) -> None:
        """Write one complete batch (in the writer thread): one transaction with the run's counters."""
        todo, results = info.todo, info.results
        for doc, result in zip(todo, results, strict=True):
            _count(summary, doc, result)
        kept = [(d, r.article, r.mentions) for d, r in zip(todo, results, strict=True) if not r.retry]
        kill_point("mid-batch")
        bands = {r.article.id: r.bands for r in results if not r.retry and r.bands is not None}
        with self._store_lock:  # the reading side asks the store what is stored (`_todo`) on this connection
            self.store.write_batch(kept, summary, bands=bands)
            # the batch leaves the queue once its commit is visible: `_todo` sees each document in one of them
            self._queued.popleft()
        kill_point("commit")
        log.info("committed batch %d: %d documents (%d new or changed, %d mentions, %d left to the next run); "
                 "totals seen %d, new %d, skipped %d, failed %d", info.number, info.docs, len(kept),
                 sum(len(r.mentions) for r in results), len(todo) - len(kept), summary.seen, summary.new,
                 summary.skipped, summary.failed)

    # ------------------------------------------------------------------ corpus stages
    def corpus_stages(self) -> None:
        """Near-duplicates and events over the whole store, when the store says they are pending (documents
        written since the events, by this run or by one that was killed or ran without them)."""
        if not self.store.corpus_pending():
            log.info("corpus stages: events are up to date with the stored articles")
            return
        if self.opts.partitioned is None:
            run_corpus_stages(self.store)
        else:
            run_corpus_stages(self.store, self.opts.partitioned)


RETRY_NOTE = " (not stored: retried by the next run)"


def _count(summary: RunSummary, doc: RawDocument, result: ProcessedDocument) -> None:
    article = result.article
    if article.error is None:
        summary.new += 1
        return
    summary.failed += 1
    if len(summary.failures) < MAX_SUMMARY_FAILURES:
        reason = article.error + (RETRY_NOTE if result.retry else "")
        summary.failures.append({"id": doc.id, "uri": doc.uri, "reason": reason})


# --------------------------------------------------------------------------- entry point
def run_pipeline(paths: Iterable[str | os.PathLike], store: Store, *, workers: int = 1,
                 max_bytes: int = MAX_BYTES, batch_size: int = BATCH_DOCS,
                 options: dict[str, Any] | None = None, progress: ProgressFn | None = None,
                 engine: str | Engine = "local", scheduler: str | None = None, events: bool = True,
                 spacy_model: str | None = None, actors: Sequence[str | os.PathLike] = (), cluster: bool = True,
                 parquet_out: str | os.PathLike | None = None,
                 nlp_batch_size: int = NLP_BATCH, task_size: int = TASK_DOCS,
                 corpus_engine: str | None = None, full_parse: bool | None = None) -> RunSummary:
    """Ingest `paths` into `store`; returns the run's summary (also stored in the `runs` table).

    `engine`: "local" (`workers` processes), "dask" (a LocalCluster of `workers` processes, or the cluster
    at `scheduler`) or an Engine instance. `events=False` cleans only; `cluster=False` skips the corpus
    stages; `parquet_out` also writes the store as a Parquet dataset there. `corpus_engine`: "single" (the
    corpus stages in this process, the default) or "partitioned" (event clustering in partitions on the run's
    engine kind, docs/scaling.md); None reads NEWSLINE_CORPUS_ENGINE. `full_parse`: every sentence through
    spaCy's tagger, parser and NER (the parse gate off, newsline.annotate.gate); None reads NEWSLINE_FULL_PARSE.
    """
    paths = list(paths)
    check_inputs(paths)
    stages = check_stage_options(StageOptions(events, spacy_model, tuple(str(a) for a in actors),
                                              nlp_batch_size, full_parse))
    kind = engine.name if isinstance(engine, Engine) else engine
    opts = RunOptions(max_bytes, batch_size, task_size, options or {}, stages, cluster, parquet_out,
                      corpus_options(corpus_engine, kind, workers, scheduler))
    if isinstance(engine, Engine):
        return Runner(store, engine, opts).run(paths, progress)
    init = functools.partial(warm_worker, stages) if events else None
    from newsline.clean import HEAVY_MODULES

    # the forkserver imports the per-article stages and the cleaner's libraries once, and its workers are
    # forked with them. Not this module: it imports the corpus stages and the store (DuckDB, pyarrow, the
    # event clusterer), which a worker never uses and which would then sit in the forkserver and every worker
    preload = ["newsline.stages", *HEAVY_MODULES]
    with make_engine(engine, workers, scheduler=scheduler, init=init, preload=preload) as eng:
        log.info("running on the %s", eng.describe())
        eng.start()
        return Runner(store, eng, opts, release_engine=True).run(paths, progress)
