"""The run: ingest -> skip what is stored -> per-article stages on an engine -> one writer -> corpus stages.

    documents (streamed) ─▶ batches ─▶ skip (id, hash) already stored ─▶ process_batch on the engine's workers
                                                                              │  (≤ 2 batches per worker in flight)
    corpus stages (duplicates, events) ◀── store.write_batch (one transaction per batch, in order) ◀─┘

Per-article work is `process_batch(docs, ctx)`: clean each document, run the spaCy annotator over the
clean articles of the batch with `nlp.pipe` (`Annotator.annotate_many`), then the per-article stages
(`article_stages()`: the coder) on each annotated article as it comes, so a batch never holds more than
one article's tokens. It is a pure function of its documents and the corpus evidence in `ctx`, so it
pickles to worker processes and to Dask workers; the spaCy model is loaded once per worker process
(`worker_annotator`). Only what is stored travels back: the article and its event mentions. A stage that
raises for one article costs that article only (stored with `error` = "<stage> failed: ...").

The corpus stages (`newsline.cluster.corpus_stages`: near-duplicate articles, cross-article event
clustering) run after the batches, over the whole store, incrementally: stored events keep their ids and
new mentions join them or form new events.

What is remembered and what is retried: a document whose content cannot be used (binary, empty, too large,
undecodable, unparsable) is stored as a failed document with its reason and skipped by later runs while its
content is unchanged. A failure that is not the content's (a worker process that died or could not start,
the spaCy model that did not load, an exception in one of newsline's own stages) is reported in the run's
summary but not stored (`ProcessedDocument.retry`): the next run processes the document again.

The corpus stages run when the store says they are pending (`Store.corpus_pending`, set in the transaction
of every batch and cleared in the one that writes the events), not when this run added something: a run
killed after a batch commit, or run with `--no-cluster`, leaves them to the next run.

Memory stays bounded: documents stream from the readers, the engine keeps at most a few batches (each at
most BATCH_DOCS documents or BATCH_BYTES of content) in flight, and the corpus line counts used to
recognise site chrome are capped (LineCounter).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsline.clean import MAX_BYTES, CleanContext, clean_document, line_key
from newsline.engine import Engine, Task, make_engine
from newsline.ingest import iter_sources, read_source
from newsline.records import AnnotatedArticle, Article, EventMention, RawDocument, RunSummary
from newsline.store.db import Store

log = logging.getLogger(__name__)

BATCH_DOCS = 256
BATCH_BYTES = 64 * 1024 * 1024
# documents per task sent to a worker: small enough to keep every worker busy on small runs and at the end
# of large ones; a committed batch (BATCH_DOCS) is split into tasks of this size and written once all are back.
# One nlp.pipe batch each: with 2 workers on 1,000 articles, 16 finished about 0.5 s (2 %) sooner than 32
# (the last tasks leave one worker idle for less time)
TASK_DOCS = 16
# documents per nlp.pipe batch inside a worker: the small English model runs as fast with 16 as with 64, and
# its peak memory grows with the batch (about 280 MB per process at 16, 650 MB at 64 on 2.5 kB articles)
NLP_BATCH = 16
# failures kept on the RunSummary (every failed document is in the store's documents table anyway)
MAX_SUMMARY_FAILURES = 10_000
PARQUET_PART_ROWS = 100_000


class PipelineError(ValueError):
    """A run cannot start (no spaCy model, a missing --actors file, a bad engine option)."""


class InputNotFound(PipelineError, FileNotFoundError):
    """A path given to the run does not exist (a usage error: nothing is stored for it)."""


def check_inputs(paths: Iterable[str | os.PathLike]) -> None:
    """Raise InputNotFound when one of `paths` (other than `-`, stdin) does not exist. A path that exists but
    cannot be read (permissions, a dangling link) is the readers' to record as a failed document."""
    missing = [os.fsdecode(p) for p in paths if os.fsdecode(p) != "-" and not os.path.lexists(p)]
    if missing:
        raise InputNotFound(f"no such file or folder: {', '.join(missing)}")


# --------------------------------------------------------------------------- test-only kill points
KILL_ENV = "NEWSLINE_TEST_KILL_AT"
_KILL_SEEN: dict[str, int] = {}


def kill_point(moment: str) -> None:
    """TEST ONLY: with NEWSLINE_TEST_KILL_AT=<moment>[:<n>] this process kills itself with SIGKILL the n-th time
    (default the first) it reaches `moment`, so that tests/test_kill_resume.py can stop a run at a precise
    point and check what the next run makes of the store. Moments: start (the run is recorded, nothing
    read), mid-batch (a batch processed, not written), commit (right after a batch's commit),
    near-duplicates (duplicates written, events not), event-write (inside the events' transaction)."""
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != moment:
        return
    _KILL_SEEN[moment] = seen = _KILL_SEEN.get(moment, 0) + 1
    if seen == int(nth or 1):
        log.warning("%s=%s: killing this process", KILL_ENV, wanted)
        os.kill(os.getpid(), signal.SIGKILL)


# --------------------------------------------------------------------------- per-article processing
@dataclass(slots=True, frozen=True)
class StageOptions:
    """Which per-article stages run and how (picklable and hashable: it keys the per-worker annotator)."""

    events: bool = True  # annotate + code; False: clean only (`--no-events`)
    spacy_model: str | None = None  # `--spacy-model`; None: the annotator's default
    actors: tuple[str, ...] = ()  # extra actor dictionaries (`--actors FILE`)
    nlp_batch_size: int = NLP_BATCH


@dataclass(slots=True, frozen=True)
class PipelineContext:
    """What a per-article stage may know beyond its document: corpus evidence and run options."""

    clean: CleanContext = field(default_factory=CleanContext)
    # free-form options for later stages; must be picklable
    options: dict[str, Any] = field(default_factory=dict)
    stages: StageOptions = field(default_factory=StageOptions)


@dataclass(slots=True)
class ProcessedDocument:
    """What one document becomes: its article (with `error` when it failed) and its event mentions."""

    article: Article
    mentions: list[EventMention] = field(default_factory=list)
    # the failure is not the content's (a dead worker, a model that did not load, a bug in a stage): the
    # document is not stored, so the next run tries it again
    retry: bool = False


@dataclass(slots=True)
class ArticleState:
    """Passed along the per-article stages; each fills in its part."""

    article: Article
    annotated: AnnotatedArticle | None = None
    mentions: list[EventMention] = field(default_factory=list)
    retry: bool = False

    def fail(self, stage: str, exc: BaseException) -> None:
        """A stage raised: content it could not handle is caught inside the stages, so this is newsline's own
        failure (or the machine's: MemoryError), retried by the next run rather than remembered."""
        self.article.error = f"{stage} failed: {type(exc).__name__}: {exc}"
        self.annotated = None
        self.mentions = []
        self.retry = True


ArticleStage = Callable[[ArticleState, PipelineContext], None]


@functools.cache
def article_stages() -> tuple[tuple[str, ArticleStage], ...]:
    """THE HOOK: per-article stages that run, in order, on each annotated article of a batch.

    A stage is `fn(state: ArticleState, ctx: PipelineContext) -> None` that fills in its part of `state`
    (`state.annotated` is set by the annotator before them; the coder sets `state.mentions`). Annotation
    itself is not one of them: it runs over the whole batch at once (nlp.pipe) in `process_batch`.

    Imports stay inside this function so that `import newsline.pipeline` does not load spaCy, and the
    function is called in each worker process so the stages load there, once. A stage that raises costs
    its article only: the article is stored with `error` = "<stage> failed: ...".
    """
    from newsline.code import code_stage

    return (("code", code_stage),)


_ANNOTATORS: dict[tuple[str | None, tuple[str, ...]], Any] = {}
_ANNOTATORS_LOCK = threading.Lock()


def worker_annotator(options: StageOptions) -> Any:
    """This process's Annotator for `options` (the spaCy model loads once per worker process)."""
    key = (options.spacy_model, options.actors)
    with _ANNOTATORS_LOCK:
        annotator = _ANNOTATORS.get(key)
        if annotator is None:
            from newsline.annotate import Annotator

            started = time.perf_counter()
            annotator = Annotator(actors_files=options.actors, model=options.spacy_model)
            _ANNOTATORS[key] = annotator
            log.info("annotator ready in process %d (%.1f s)", os.getpid(), time.perf_counter() - started)
    return annotator


def warm_worker(options: StageOptions) -> None:
    """Worker start-up: load what the per-article stages need (the engines call it once per worker)."""
    if options.events:
        worker_annotator(options)
        article_stages()


def _clean(doc: RawDocument, ctx: PipelineContext) -> ArticleState:
    try:
        return ArticleState(clean_document(doc, ctx.clean))
    except Exception as exc:  # clean_document records bad content itself; this is a bug in it
        log.exception("clean failed on %s", doc.id)
        state = ArticleState(Article(id=doc.id, uri=doc.uri, content_hash=doc.content_hash,
                                     content_type=doc.content_type))
        state.fail("clean", exc)
        return state


def _run_stages(state: ArticleState, ctx: PipelineContext) -> None:
    for name, stage in article_stages():
        try:
            stage(state, ctx)
        except Exception as exc:  # one article's bug must not stop the run
            log.exception("%s failed on %s", name, state.article.id)
            state.fail(name, exc)
            return
    state.annotated = None  # tokens and parse stay in the worker; only stored records travel back


def _annotate_and_code(states: list[ArticleState], ctx: PipelineContext) -> None:
    """Annotate the batch with nlp.pipe; run the per-article stages on each article as it comes."""
    try:
        annotator = worker_annotator(ctx.stages)
    except Exception as exc:
        log.exception("the annotator could not be loaded")
        for state in states:
            state.fail("annotate", exc)
        return
    done = 0
    try:
        stream = annotator.annotate_many((s.article for s in states), batch_size=ctx.stages.nlp_batch_size)
        for state, annotated in zip(states, stream, strict=False):  # a failure stops early
            done += 1
            state.annotated = annotated
            _run_stages(state, ctx)
    except Exception as exc:  # an article broke its nlp.pipe batch: the rest go one by one
        log.warning("annotating a batch failed (%s: %s); annotating its %d remaining articles one by one",
                    type(exc).__name__, exc, len(states) - done)
        for state in states[done:]:
            try:
                state.annotated = annotator.annotate(state.article)
            except Exception as one:
                log.exception("annotate failed on %s", state.article.id)
                state.fail("annotate", one)
                continue
            _run_stages(state, ctx)


def process_batch(docs: Sequence[RawDocument], ctx: PipelineContext | None = None) -> list[ProcessedDocument]:
    """Clean, annotate and code a batch of documents; one result per document, in order. Never raises."""
    ctx = ctx or PipelineContext()
    states = [_clean(doc, ctx) for doc in docs]
    live = [s for s in states if s.article.error is None]
    if live and ctx.stages.events:
        _annotate_and_code(live, ctx)
    return [ProcessedDocument(s.article, s.mentions, s.retry) for s in states]


def process_document(doc: RawDocument, ctx: PipelineContext | None = None) -> ProcessedDocument:
    """Clean one document and run the per-article stages on it. Never raises."""
    return process_batch([doc], ctx)[0]


def _worker_failed(doc: RawDocument, exc: BaseException) -> ProcessedDocument:
    """Result for a document whose worker process died or raised: retried by the next run, not stored."""
    reason = f"processing failed: {type(exc).__name__}: {exc}"
    return ProcessedDocument(Article(id=doc.id, uri=doc.uri, error=reason, content_hash=doc.content_hash,
                                     content_type=doc.content_type), retry=True)


# --------------------------------------------------------------------------- corpus evidence
class LineCounter:
    """In how many documents of the run each line occurs: the cleaner's evidence for site chrome.

    Mirrors `newsline.clean.recurring_lines` (same `line_key`, same `min_docs` default) but accumulates
    over the whole run, batch after batch, with bounded memory: lines longer than `max_key_len` are not
    counted (chrome lines are short; long recurring lines are syndicated body text), and when more than
    `max_keys` lines are tracked, those seen in a single document are forgotten.
    """

    def __init__(self, min_docs: int = 3, max_keys: int = 200_000, max_key_len: int = 300) -> None:
        self.min_docs = min_docs
        self.max_keys = max_keys
        self.max_key_len = max_key_len
        self._counts: dict[str, int] = {}
        self._recurring: set[str] = set()

    def add(self, doc: RawDocument) -> set[str]:
        """Count the document's lines; returns their keys (the lines the counter tracks)."""
        if doc.error or doc.content_type == "html" or not doc.content:
            return set()
        text = _quick_decode(doc.content)
        if text.lstrip().startswith("<"):  # HTML is cleaned by extraction, not by line evidence
            return set()
        keys = {key for key in (line_key(x) for x in text.splitlines() if x.strip())
                if key and len(key) <= self.max_key_len}
        for key in keys:
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            if n >= self.min_docs:
                self._recurring.add(key)
        if len(self._counts) > self.max_keys:
            self._prune()
        return keys

    def _prune(self) -> None:
        self._counts = {k: n for k, n in self._counts.items() if n > 1}
        if len(self._counts) > self.max_keys * 0.9:
            self._counts = {k: n for k, n in self._counts.items() if n >= self.min_docs}
        log.debug("line counter pruned to %d keys", len(self._counts))

    def recurring(self, among: Iterable[str] | None = None) -> frozenset[str]:
        """Recurring line keys; `among`: only those of these keys (the lines of the documents at hand)."""
        if among is None:
            return frozenset(self._recurring)
        return frozenset(k for k in among if k in self._recurring)


def _quick_decode(content: bytes) -> str:
    # exact decoding (charset detection, ftfy) is the cleaner's; for counting lines this is close enough
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


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


class Runner:
    """One run over some inputs into one store. `run_pipeline` is the usual entry point."""

    def __init__(self, store: Store, engine: Engine, max_bytes: int = MAX_BYTES,
                 batch_size: int = BATCH_DOCS, options: dict[str, Any] | None = None,
                 stages: StageOptions | None = None, cluster: bool = True,
                 parquet_out: str | os.PathLike | None = None, task_size: int = TASK_DOCS,
                 release_engine: bool = False) -> None:
        self.release_engine = release_engine
        self.store = store
        self.task_size = max(1, task_size)
        self.engine = engine
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.options = options or {}
        self.stages = stages or StageOptions()
        self.cluster = cluster
        self.parquet_out = parquet_out
        self.lines = LineCounter()
        self.batches = 0
        self.files = 0
        # id -> content hash of the batches handed to the engine and not written yet, oldest first
        self._queued: deque[dict[str, str]] = deque()

    def run(self, paths: Sequence[str | os.PathLike], progress: ProgressFn | None = None) -> RunSummary:
        summary = RunSummary(run_id=f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}",
                             started_at=_now(), inputs=[str(p) for p in paths])
        self.store.save_run(summary)
        kill_point("start")
        self.files = 0
        tasks = self._tasks(paths, summary, progress)
        for task, results in self.engine.imap(process_batch, tasks, on_error=_worker_failed):
            self._write(task, results, summary)
            if progress:
                progress(summary, self.files)
        if self.release_engine:  # the workers' memory (a spaCy model each) is free for the corpus stages
            self.engine.close()
        self.lines = LineCounter()  # its counts (up to 200,000 lines) are no longer needed
        if self.cluster:
            self.corpus_stages()
        if self.parquet_out:
            write_parquet_dataset(self.store, self.parquet_out)
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
            for doc in read_source(src, self.max_bytes):
                summary.seen += 1
                batch.add(doc)
                if batch.full(self.batch_size):
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
        chunks = [todo[i:i + self.task_size] for i in range(0, len(todo), self.task_size)] or [[]]
        info = _BatchInfo(self.batches, len(docs), len(chunks))
        for chunk in chunks:
            # the cleaner looks up a document's own lines only: a task carries the recurring lines among
            # its documents' lines, not the corpus-wide set (which grows with the corpus)
            among = set().union(*(keys[id(d)] for d in chunk))
            ctx = PipelineContext(CleanContext(self.lines.recurring(among), self.max_bytes), self.options,
                                  self.stages)
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
    def _write(self, task: Task, results: list[ProcessedDocument], summary: RunSummary) -> None:
        info: _BatchInfo = task.meta
        info.todo.extend(task.items)
        info.results.extend(results)
        info.tasks -= 1
        if info.tasks:  # tasks come back in order: the batch is complete with its last task
            return
        self._queued.popleft()
        todo, results = info.todo, info.results
        for doc, result in zip(todo, results, strict=True):
            _count(summary, doc, result)
        kept = [(d, r.article, r.mentions) for d, r in zip(todo, results, strict=True) if not r.retry]
        kill_point("mid-batch")
        self.store.write_batch(kept, summary)
        kill_point("commit")
        log.info("committed batch %d: %d documents (%d new or changed, %d mentions, %d left to the next run); "
                 "totals seen %d, new %d, skipped %d, failed %d", info.number, info.docs, len(kept),
                 sum(len(r.mentions) for r in results), len(todo) - len(kept), summary.seen, summary.new,
                 summary.skipped, summary.failed)

    # ------------------------------------------------------------------ corpus stages
    def corpus_stages(self) -> None:
        """Link near-duplicates and cluster events over the whole store, when the store says they are pending
        (documents written since their last commit, by this run or by one that was killed or ran without
        them)."""
        if not self.store.corpus_pending():
            log.info("corpus stages: events are up to date with the stored articles")
            return
        run_corpus_stages(self.store)


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


# --------------------------------------------------------------------------- corpus stages over the store
def _corpus_articles(store: Store, batch_size: int = 2000) -> Iterator[Article]:
    """Stored articles with what the corpus stages read (no dropped lines: they are large and unused)."""
    cur = store.con.cursor()
    # in storage order: the near-duplicate stage does not depend on it, and a sort of every text would cost
    # DuckDB memory that grows with the store
    cur.execute("SELECT id, uri, published, published_precision, language, text, error FROM articles")
    while rows := cur.fetchmany(batch_size):
        for r in rows:
            yield Article(id=r[0], uri=r[1], published=r[2], published_precision=r[3], language=r[4],
                          text=r[5] or "", error=r[6])


# From this many stored articles the near-duplicate stage runs in a child process: its LSH index and shingle
# arrays (about 500 MB at 50k articles) are then given back whole when it exits, instead of staying in this
# process's heap under the clusterer's features (the two stages' peaks no longer add up).
CHILD_NEAR_DUP_ARTICLES = 5000
# DuckDB's memory limit during the corpus stages of such a store (when the configured one is higher)
CORPUS_DUCKDB_MEMORY = "128MB"


def _near_dup_child(conn: Any) -> None:
    """Child side: articles arrive in batches over `conn` (None ends them); the links go back."""
    from newsline.cluster.articles import link_duplicates

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


def _kill_after_first(events: Iterable[Any]) -> Iterator[Any]:
    """The events, with the test-only kill point `event-write` reached once the events' transaction is open."""
    for i, event in enumerate(events):
        yield event
        if i == 0:
            kill_point("event-write")


def _release_memory() -> None:
    """Collect reference cycles and hand freed heap pages back to the system (glibc's malloc_trim), so that
    the corpus stages' peak is the larger of the two stages, not their sum (about 300 MB at 50k articles)."""
    import contextlib
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


def run_corpus_stages(store: Store) -> tuple[int, int]:
    """The corpus stages over the store: sets `duplicate_of`, replaces the events (stored events keep their
    ids; new mentions join them). Returns (duplicates linked, events).

    What `newsline.cluster.corpus_stages` does, fed so that memory stays small on large stores: the
    near-duplicate stage streams the articles' texts from the store (it keeps compact shingle arrays, not
    the texts), and the event clusterer gets the articles without their texts (it reads their
    publication dates and `duplicate_of` links only).
    """
    started = time.perf_counter()
    large = store.con.execute("SELECT count(*) FROM articles").fetchone()[0] >= CHILD_NEAR_DUP_ARTICLES
    # on a large store DuckDB's page cache stays small while the stages hold their records (about 100 MB
    # less at the peak of 50,000 articles); their reads are unsorted scans and their writes appends
    with store.memory_at_most(CORPUS_DUCKDB_MEMORY) if large else contextlib.nullcontext():
        dups, n_events = _corpus_stages_on(store, large)
    log.info("corpus stages: %d near-duplicate articles linked, %d events (%.1f s)", dups, n_events,
             time.perf_counter() - started)
    return dups, n_events


def _corpus_stages_on(store: Store, large: bool) -> tuple[int, int]:
    """The two stages in order; (duplicates linked, events written)."""
    from newsline.cluster.articles import link_duplicates
    from newsline.cluster.events import iter_events

    light: list[Article] = []

    def articles() -> Iterator[Article]:
        for a in _corpus_articles(store):
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
    store.set_duplicates(duplicate_of)
    kill_point("near-duplicates")
    # read before the transaction that replaces the events (a query inside it would compete with the
    # transaction's own pages for DuckDB's bounded memory); events go to the store as they are built, so they
    # are never all in memory at once
    mentions = list(store.iter_records("mentions", ordered=False))  # the clusterer sorts them itself
    events = iter_events(_drain(mentions), linked, store.read_events())
    n_events = store.replace_events(_kill_after_first(events) if os.environ.get(KILL_ENV) else events)
    return sum(1 for v in duplicate_of.values() if v), n_events


# --------------------------------------------------------------------------- Parquet dataset
class _PartWriter:
    """Rows into `folder/part-NNNNN.parquet` files of at most `part_rows` rows each."""

    def __init__(self, folder: Path, schema: Any, part_rows: int) -> None:
        self.folder, self.schema, self.part_rows = folder, schema, part_rows
        self.part = self.in_part = 0
        self.buf: list[dict[str, Any]] = []
        self.writer: Any = None

    def add(self, row: dict[str, Any]) -> None:
        self.buf.append(row)
        self.in_part += 1
        if len(self.buf) >= 2000 or self.in_part >= self.part_rows:
            self._flush()
        if self.in_part >= self.part_rows:
            self.writer.close()
            self.writer, self.part, self.in_part = None, self.part + 1, 0

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(str(self.folder / f"part-{self.part:05d}.parquet"), self.schema)
        self.writer.write_table(pa.Table.from_pylist(self.buf, schema=self.schema))
        self.buf = []

    def close(self) -> None:
        if self.buf or (self.writer is None and self.part == 0):  # an empty table still gets its schema
            self._flush()
        if self.writer is not None:
            self.writer.close()


def write_parquet_dataset(store: Store, out: str | os.PathLike, part_rows: int = PARQUET_PART_ROWS) -> dict[str, int]:
    """The store's articles, mentions and events as a Parquet dataset for Spark and friends:
    `out/<what>/part-NNNNN.parquet`, the schema of `newsline export --format parquet` (nested fields as
    lists and structs). Replaces the previous snapshot. Returns rows written per table."""
    import typing

    import pyarrow as pa

    from newsline.store.export import WHAT, arrow_type, arrow_value, rows

    counts: dict[str, int] = {}
    for what, (_, cls, fields) in WHAT.items():
        folder = Path(out) / what
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.parquet"):
            old.unlink()
        hints = typing.get_type_hints(cls)
        writer = _PartWriter(folder, pa.schema([(f, arrow_type(hints[f])) for f in fields]), part_rows)
        n = 0
        for row in rows(store, what):
            writer.add({f: arrow_value(hints[f], row[f]) for f in fields})
            n += 1
        writer.close()
        counts[what] = n
    log.info("parquet dataset in %s: %s", out, ", ".join(f"{n} {w}" for w, n in counts.items()))
    return counts


# --------------------------------------------------------------------------- entry point
def check_stage_options(stages: StageOptions) -> StageOptions:
    """Fail early (before any worker starts) on a missing spaCy model or actors file; absolute paths."""
    if not stages.events:
        return stages
    missing = [a for a in stages.actors if not Path(a).is_file()]
    if missing:
        raise PipelineError(f"no actors file {', '.join(missing)}")
    from newsline.annotate.nlp import resolve_model_name

    try:
        model = resolve_model_name(stages.spacy_model)
    except RuntimeError as exc:
        raise PipelineError(str(exc)) from None
    import importlib.util

    if importlib.util.find_spec(model) is None and not Path(model).exists():
        raise PipelineError(f"spaCy model {model!r} is not installed (nor a model folder)")
    return StageOptions(stages.events, stages.spacy_model, tuple(str(Path(a).resolve()) for a in stages.actors),
                        stages.nlp_batch_size)


def run_pipeline(paths: Iterable[str | os.PathLike], store: Store, *, workers: int = 1,
                 max_bytes: int = MAX_BYTES, batch_size: int = BATCH_DOCS,
                 options: dict[str, Any] | None = None, progress: ProgressFn | None = None,
                 engine: str | Engine = "local", scheduler: str | None = None, events: bool = True,
                 spacy_model: str | None = None, actors: Sequence[str | os.PathLike] = (), cluster: bool = True,
                 parquet_out: str | os.PathLike | None = None,
                 nlp_batch_size: int = NLP_BATCH, task_size: int = TASK_DOCS) -> RunSummary:
    """Ingest `paths` into `store`; returns the run's summary (also stored in the `runs` table).

    `engine`: "local" (`workers` processes), "dask" (a LocalCluster of `workers` processes, or the cluster
    at `scheduler`) or an Engine instance. `events=False` cleans only; `cluster=False` skips the corpus
    stages; `parquet_out` also writes the store as a Parquet dataset there.
    """
    paths = list(paths)
    check_inputs(paths)
    stages = check_stage_options(StageOptions(events, spacy_model, tuple(str(a) for a in actors),
                                              nlp_batch_size))
    runner_args = dict(max_bytes=max_bytes, batch_size=batch_size, options=options, stages=stages,
                       cluster=cluster, parquet_out=parquet_out, task_size=task_size)
    if isinstance(engine, Engine):
        return Runner(store, engine, **runner_args).run(paths, progress)
    init = functools.partial(warm_worker, stages) if events else None
    from newsline.clean import HEAVY_MODULES

    # the forkserver imports the cleaner's libraries once, and its workers are forked with them
    with make_engine(engine, workers, scheduler=scheduler, init=init, preload=[__name__, *HEAVY_MODULES]) as eng:
        log.info("running on the %s", eng.describe())
        eng.start()
        return Runner(store, eng, release_engine=True, **runner_args).run(paths, progress)
