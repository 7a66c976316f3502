"""The per-article stages, declared in order, and the function that runs them over a batch of documents.

    RawDocument ─clean─▶ ArticleState ─annotate (the batch through nlp.pipe)─▶ ─code (each article)─▶
    ProcessedDocument (the article, with `error` when it failed, and its event mentions)

`process_batch(docs, ctx)` is a pure function of its documents and the corpus evidence in `ctx`: it pickles
to worker processes and Dask workers. Each stage's logic lives in its package (`newsline.clean`,
`newsline.annotate`, `newsline.code`); a `Stage` here only says how it reads and fills the typed
`ArticleState`. A stage sees the states as a stream: annotation reads the whole batch at once (nlp.pipe),
while the stages after it take each article as it comes, so a batch never holds more than one article's
tokens. A stage that raises costs its article only (stored with `error` = "<stage> failed: ...", and
retried by the next run: content it cannot handle is caught inside the stages).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsline.clean import CleanContext, clean_document
from newsline.cluster.bands import band_keys
from newsline.records import AnnotatedArticle, Article, EventMention, RawDocument

log = logging.getLogger(__name__)

# documents per nlp.pipe batch inside a worker: the small English model runs as fast with 16 as with 64, and
# its peak memory grows with the batch (about 280 MB per process at 16, 650 MB at 64 on 2.5 kB articles)
NLP_BATCH = 16


@dataclass(slots=True, frozen=True)
class StageOptions:
    """Which per-article stages run and how (picklable and hashable)."""

    events: bool = True  # annotate + code; False: clean only (`--no-events`)
    spacy_model: str | None = None  # `--spacy-model`; None: the annotator's default
    actors: tuple[str, ...] = ()  # extra actor dictionaries (`--actors FILE`)
    nlp_batch_size: int = NLP_BATCH
    # `--full-parse`: every sentence through spaCy's tagger, parser and NER (the parse gate off); None: the
    # environment decides (NEWSLINE_FULL_PARSE)
    full_parse: bool | None = None


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
    # the article's near-duplicate LSH band keys (newsline.cluster.bands), computed here where the text is
    # at hand and stored with the article; None for a failed article
    bands: list[int] | None = None


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


@dataclass(slots=True, frozen=True)
class Stage:
    """A per-article stage. `run(state, ctx)` fills in its part of one article's state; with `batch=True`,
    `run(states, ctx)` takes the batch's states as a stream and yields each one when done with it (and
    records its own failures on them)."""

    name: str
    run: Callable[..., Any]
    batch: bool = False

    def over(self, states: Iterable[ArticleState], ctx: PipelineContext) -> Iterator[ArticleState]:
        if self.batch:
            return self.run(states, ctx)
        return self._each(states, ctx)

    def _each(self, states: Iterable[ArticleState], ctx: PipelineContext) -> Iterator[ArticleState]:
        for state in states:
            if not state.retry:  # an earlier stage failed on it
                try:
                    self.run(state, ctx)
                except Exception as exc:  # one article's bug must not stop the run
                    log.exception("%s failed on %s", self.name, state.article.id)
                    state.fail(self.name, exc)
            yield state


def _annotate(states: Iterable[ArticleState], ctx: PipelineContext) -> Iterator[ArticleState]:
    """spaCy and newsline's annotators over the batch (nlp.pipe), one shared annotator per process."""
    from newsline import annotate

    states = list(states)
    try:
        annotator = annotate.get_annotator(ctx.stages.spacy_model, ctx.stages.actors, (), ctx.stages.full_parse)
    except Exception as exc:
        log.exception("the annotator could not be loaded")
        for state in states:
            state.fail("annotate", exc)
        yield from states
        return
    results = annotate.annotate_each(annotator, [s.article for s in states], ctx.stages.nlp_batch_size)
    for state, result in zip(states, results, strict=True):
        if isinstance(result, Exception):
            state.fail("annotate", result)
        else:
            state.annotated = result
        yield state


def _code(state: ArticleState, ctx: PipelineContext) -> None:
    """PLOVER event mentions of the annotated article."""
    from newsline.code import code_article

    if state.annotated is not None:
        state.mentions = code_article(state.annotated)


@functools.cache
def article_stages() -> tuple[Stage, ...]:
    """THE DECLARED STAGES that run, in order, on the clean articles of a batch (when events are asked for).

    Called in each worker process as it starts, so the stages' modules (spaCy, the coder) load there, once;
    `import newsline.stages` itself loads neither.
    """
    import newsline.annotate  # noqa: F401
    import newsline.code  # noqa: F401

    return (Stage("annotate", _annotate, batch=True), Stage("code", _code))


class PipelineError(ValueError):
    """A run cannot start (no spaCy model, a missing --actors file, a bad engine option)."""


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
    if importlib.util.find_spec(model) is None and not Path(model).exists():
        raise PipelineError(f"spaCy model {model!r} is not installed (nor a model folder)")
    return StageOptions(stages.events, stages.spacy_model, tuple(str(Path(a).resolve()) for a in stages.actors),
                        stages.nlp_batch_size, stages.full_parse)


def warm_worker(options: StageOptions) -> None:
    """Worker start-up: load what the per-article stages need (the engines call it once per worker)."""
    if options.events:
        from newsline.annotate import get_annotator

        get_annotator(options.spacy_model, options.actors, full_parse=options.full_parse)
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


def process_batch(docs: Sequence[RawDocument], ctx: PipelineContext | None = None) -> list[ProcessedDocument]:
    """Clean, annotate and code a batch of documents; one result per document, in order. Never raises."""
    ctx = ctx or PipelineContext()
    states = [_clean(doc, ctx) for doc in docs]
    live: Iterable[ArticleState] = [s for s in states if s.article.error is None]
    if live and ctx.stages.events:
        for stage in article_stages():
            live = stage.over(live, ctx)
        for state in live:
            state.annotated = None  # tokens and parse stay in the worker; only stored records travel back
    return [ProcessedDocument(s.article, s.mentions, s.retry, _bands(s.article)) for s in states]


def _bands(article: Article) -> list[int] | None:
    return None if article.error else band_keys(article.text)


def process_document(doc: RawDocument, ctx: PipelineContext | None = None) -> ProcessedDocument:
    """Clean one document and run the per-article stages on it. Never raises."""
    return process_batch([doc], ctx)[0]


def worker_failed(doc: RawDocument, exc: BaseException) -> ProcessedDocument:
    """Result for a document whose worker process died or raised: retried by the next run, not stored."""
    reason = f"processing failed: {type(exc).__name__}: {exc}"
    return ProcessedDocument(Article(id=doc.id, uri=doc.uri, error=reason, content_hash=doc.content_hash,
                                     content_type=doc.content_type), retry=True)
