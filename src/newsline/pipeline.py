"""The run: ingest -> skip what is stored -> per-article stages (in a pool) -> one writer.

    documents (streamed) ─▶ batches ─▶ skip (id, hash) already stored ─▶ process_document × N workers
                                                                              │
                                          store.write_batch (one transaction per batch) ◀─┘

Per-article work is `process_document(doc, ctx)`: a pure function of one document (and the corpus
evidence in `ctx`), so it pickles to worker processes and, later, to Dask. Corpus stages (near-duplicate
articles, event clustering) are not run here: they run over the store afterwards.

Memory stays bounded: documents stream from the readers, at most one batch (BATCH_DOCS documents or
BATCH_BYTES of content) is held at a time, and the corpus line counts used to recognise site chrome are
capped (LineCounter).
"""

from __future__ import annotations

import functools
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsline.clean import MAX_BYTES, CleanContext, clean_document, line_key
from newsline.engine.local import LocalEngine
from newsline.ingest import iter_sources, read_source
from newsline.records import AnnotatedArticle, Article, EventMention, RawDocument, RunSummary
from newsline.store.db import Store

log = logging.getLogger(__name__)

BATCH_DOCS = 256
BATCH_BYTES = 64 * 1024 * 1024
# failures kept on the RunSummary (every failed document is in the store's documents table anyway)
MAX_SUMMARY_FAILURES = 10_000


# --------------------------------------------------------------------------- per-article processing
@dataclass(slots=True, frozen=True)
class PipelineContext:
    """What a per-article stage may know beyond its document: corpus evidence and run options."""

    clean: CleanContext = field(default_factory=CleanContext)
    # options for later stages (e.g. {"actors": "my_actors.yaml"}); must be picklable
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ProcessedDocument:
    """What one document becomes: its article (with `error` when it failed) and its event mentions."""

    article: Article
    mentions: list[EventMention] = field(default_factory=list)


@dataclass(slots=True)
class ArticleState:
    """Passed along the per-article stages; each fills in its part."""

    article: Article
    annotated: AnnotatedArticle | None = None
    mentions: list[EventMention] = field(default_factory=list)


ArticleStage = Callable[[ArticleState, PipelineContext], None]


@functools.cache
def article_stages() -> tuple[tuple[str, ArticleStage], ...]:
    """THE HOOK: per-article stages that run after clean, in order, on articles without an error.

    A stage is `fn(state: ArticleState, ctx: PipelineContext) -> None` that fills in its part of `state`
    (annotate sets `state.annotated`, code sets `state.mentions`). Add one by importing it here, e.g.

        from newsline.annotate import annotate_stage
        from newsline.code import code_stage
        return (("annotate", annotate_stage), ("code", code_stage))

    Imports stay inside this function so that `import newsline.pipeline` does not load spaCy, and the
    function is called in each worker process so the stages load there, once. A stage that raises costs
    its article only: the article is stored with `error` = "<stage> failed: ...".
    """
    return ()


def process_document(doc: RawDocument, ctx: PipelineContext | None = None) -> ProcessedDocument:
    """Clean one document and run the per-article stages on it. Never raises."""
    ctx = ctx or PipelineContext()
    article = clean_document(doc, ctx.clean)
    if article.error:
        return ProcessedDocument(article)
    state = ArticleState(article)
    for name, stage in article_stages():
        try:
            stage(state, ctx)
        except Exception as exc:  # one article's bug must not stop the run
            log.exception("%s failed on %s", name, doc.id)
            article.error = f"{name} failed: {type(exc).__name__}: {exc}"
            return ProcessedDocument(article)
    # the annotated form (tokens, parse) stays in the worker: only records that are stored travel back
    return ProcessedDocument(state.article, state.mentions)


def _worker_failed(doc: RawDocument, exc: BaseException) -> ProcessedDocument:
    """Result for a document whose worker process died or raised."""
    reason = f"processing failed: {type(exc).__name__}: {exc}"
    return ProcessedDocument(Article(id=doc.id, uri=doc.uri, error=reason, content_hash=doc.content_hash,
                                     content_type=doc.content_type))


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

    def add(self, doc: RawDocument) -> None:
        if doc.error or doc.content_type == "html" or not doc.content:
            return
        text = _quick_decode(doc.content)
        if text.lstrip().startswith("<"):  # HTML is cleaned by extraction, not by line evidence
            return
        for key in {line_key(x) for x in text.splitlines() if x.strip()}:
            if not key or len(key) > self.max_key_len:
                continue
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            if n >= self.min_docs:
                self._recurring.add(key)
        if len(self._counts) > self.max_keys:
            self._prune()

    def _prune(self) -> None:
        self._counts = {k: n for k, n in self._counts.items() if n > 1}
        if len(self._counts) > self.max_keys * 0.9:
            self._counts = {k: n for k, n in self._counts.items() if n >= self.min_docs}
        log.debug("line counter pruned to %d keys", len(self._counts))

    def recurring(self) -> frozenset[str]:
        return frozenset(self._recurring)


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


class Runner:
    """One run over some inputs into one store. `run_pipeline` is the usual entry point."""

    def __init__(self, store: Store, engine: LocalEngine, max_bytes: int = MAX_BYTES,
                 batch_size: int = BATCH_DOCS, options: dict[str, Any] | None = None) -> None:
        self.store = store
        self.engine = engine
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.options = options or {}
        self.lines = LineCounter()
        self.batches = 0

    def run(self, paths: Sequence[str | os.PathLike], progress: ProgressFn | None = None) -> RunSummary:
        summary = RunSummary(run_id=f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}",
                             started_at=_now(), inputs=[str(p) for p in paths])
        self.store.save_run(summary)
        files = 0
        batch = _Batch()
        for src in iter_sources(paths):
            for doc in read_source(src, self.max_bytes):
                summary.seen += 1
                batch.add(doc)
                if batch.full(self.batch_size):
                    self._flush(batch.docs, summary)
                    batch = _Batch()
                    if progress:
                        progress(summary, files)
            files += 1
            if progress:
                progress(summary, files)
        self._flush(batch.docs, summary)
        summary.finished_at = _now()
        self.store.save_run(summary)
        if progress:
            progress(summary, files)
        return summary

    def _todo(self, docs: list[RawDocument], summary: RunSummary) -> list[RawDocument]:
        """Documents not stored yet under the same id and content hash (the resume/idempotence rule).

        A document without a hash (the reader could not read it at all) is always retried.
        """
        stored = self.store.stored_versions({d.id for d in docs})
        todo: list[RawDocument] = []
        queued: dict[str, str] = {}
        for doc in docs:
            old_hash, old_run = stored.get(doc.id, (None, None))
            if doc.content_hash and doc.content_hash in (old_hash, queued.get(doc.id)):
                summary.skipped += 1
                continue
            if doc.id in queued or (old_hash is not None and old_run == summary.run_id):
                # e.g. `run site1/ site2/` with index.html in both: ids are paths relative to each root
                log.warning("two inputs of this run have the id %r; %s replaces the earlier one", doc.id,
                            doc.uri)
            queued[doc.id] = doc.content_hash
            todo.append(doc)
        updated = sum(1 for d in todo if d.id in stored and stored[d.id][1] != summary.run_id)
        if updated:
            log.info("%d documents changed since they were stored; replacing them", updated)
        return todo

    def _flush(self, docs: list[RawDocument], summary: RunSummary) -> None:
        if not docs:
            return
        self.batches += 1
        todo = self._todo(docs, summary)
        for doc in docs:  # skipped documents count too: the chrome evidence is the same on every re-run
            self.lines.add(doc)
        ctx = PipelineContext(CleanContext(self.lines.recurring(), self.max_bytes), self.options)
        results = self.engine.map(process_document, todo, ctx, on_error=_worker_failed)
        for doc, result in zip(todo, results, strict=True):
            _count(summary, doc, result.article)
        self.store.write_batch([(d, r.article, r.mentions) for d, r in zip(todo, results, strict=True)],
                               summary)
        log.info("committed batch %d: %d documents (%d new or changed); totals seen %d, new %d, "
                 "skipped %d, failed %d", self.batches, len(docs), len(todo), summary.seen, summary.new,
                 summary.skipped, summary.failed)


def _count(summary: RunSummary, doc: RawDocument, article: Article) -> None:
    if article.error is None:
        summary.new += 1
        return
    summary.failed += 1
    if len(summary.failures) < MAX_SUMMARY_FAILURES:
        summary.failures.append({"id": doc.id, "uri": doc.uri, "reason": article.error})


def run_pipeline(paths: Iterable[str | os.PathLike], store: Store, *, workers: int = 1,
                 max_bytes: int = MAX_BYTES, batch_size: int = BATCH_DOCS,
                 options: dict[str, Any] | None = None, progress: ProgressFn | None = None) -> RunSummary:
    """Ingest `paths` into `store`; returns the run's summary (also stored in the `runs` table)."""
    with LocalEngine(workers, preload=[__name__]) as engine:
        runner = Runner(store, engine, max_bytes=max_bytes, batch_size=batch_size, options=options)
        return runner.run(list(paths), progress)

