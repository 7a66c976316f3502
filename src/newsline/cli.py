"""The `newsline` command line (typer + rich). `python -m newsline` runs the same app.

One function per command; a command parses options, calls its stage package and prints. To add one
(timeline, actors, brief, serve, …), write

    @app.command()
    def timeline(db: DbOption = Path(DEFAULT_DB), ...) -> None:
        \"\"\"One line of help.\"\"\"
        from newsline.report.timeline import build   # the logic lives in the stage package
        ...

Imports of stage packages stay inside the command so that `newsline --help` starts fast.

Data (ids, file names, reasons, paths, exception messages) never goes through Rich markup: it is printed
as `Text` or with `markup=False`, so `x[/]y` cannot crash a command and `[bold]` in a file name is shown as
it is. Markup is for newsline's own words only.
"""

from __future__ import annotations

import difflib
import logging
import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from newsline.clean import MAX_BYTES
from newsline.records import RunSummary
from newsline.store.db import DEFAULT_DB
from newsline.store.export import FORMATS as EXPORT_FORMATS
from newsline.store.export import WHAT as EXPORT_WHAT

app = typer.Typer(
    name="newsline",
    help="Raw news pages in, a coded, deduplicated, sourced PLOVER event dataset out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()  # results (summary tables)
err = Console(stderr=True)  # progress and logs: stdout stays clean for `export --out -`

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file of the store.")]
SHOWN_FAILURES = 20
log = logging.getLogger("newsline")


# --what's choices: the exported records
What = StrEnum("What", {name: name for name in EXPORT_WHAT})


# --format's choices: the export registry's formats
Format = StrEnum("Format", {name: name for name in EXPORT_FORMATS})


def _print_version(value: bool) -> None:
    if value:
        from newsline import __version__

        _say(out, f"newsline {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[int, typer.Option("-v", "--verbose", count=True,
                                         help="More logging: -v for newsline's steps, -vv for everything.")] = 0,
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print newsline's version and exit.")] = False,
) -> None:
    _setup_logging(verbose)


def _setup_logging(verbose: int) -> None:
    handler = RichHandler(console=err, show_path=False, show_time=verbose > 1, markup=False)
    logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.WARNING, handlers=[handler],
                        format="%(message)s", force=True)
    if verbose == 1:  # newsline's own INFO; libraries (langdetect, trafilatura) stay at WARNING
        log.setLevel(logging.INFO)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(Text.assemble(("error:", "bold red"), " ", message), soft_wrap=True)  # paths stay whole
    return typer.Exit(code)


def _say(console: Console, message: str) -> None:
    """A line that carries data (paths, counts): printed as it is, no markup, no highlighting."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------- option values
def _iso_date(value: str | None) -> str | None:
    """A date option's value as YYYY-MM-DD (the store's date form); a usage error for anything else."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(value)
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-08-15") from None


def _check_event_type(event_type: str | None) -> None:
    """A usage error naming the PLOVER types when `event_type` is neither one of them nor a quad (1-4)."""
    from newsline.knowledge import ontology

    if event_type is None:
        return
    types = ontology().types
    if event_type.upper() in types or event_type.strip() in {"1", "2", "3", "4"}:
        return
    close = difflib.get_close_matches(event_type.upper(), types, n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise _fail(f"unknown event type {event_type!r}{hint}; PLOVER types: {', '.join(sorted(types))}; "
                "or a quad class 1-4")


def _check_actors(queries: list[str] | None, events: list) -> None:
    """An error, with the nearest actor names and ids of the store, for an actor query matching no actor."""
    from newsline.report.timeline import actor_matches

    parties = [a for e in events for a in (*e.actor, *e.recipient, *e.mediator)]
    for q in queries or []:
        if any(actor_matches(a, q) for a in parties):
            continue
        known = sorted({v for a in parties for v in (a.id, a.name, a.person) if v})
        by_lower = {k.lower(): k for k in known}
        close = [by_lower[k] for k in difflib.get_close_matches(q.strip().lower(), by_lower, n=5, cutoff=0.5)]
        hint = f"; did you mean {', '.join(close)}?" if close else ("" if known else "; the store has no actors")
        raise _fail(f"no actor matches {q!r}{hint} (`newsline actors` lists them)")


# --------------------------------------------------------------------------- run
class EngineKind(StrEnum):
    local = "local"
    dask = "dask"


class CorpusEngine(StrEnum):
    single = "single"
    partitioned = "partitioned"


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    db: DbOption = Path(DEFAULT_DB),
    workers: Annotated[int, typer.Option("--workers", "-w", min=1,
                                         help="Worker processes for per-article work (local engine, or "
                                              "the local Dask cluster).")] = 1,
    engine: Annotated[EngineKind, typer.Option("--engine", help="Where per-article work runs: a process "
                                               "pool (local) or a Dask cluster (dask).")] = EngineKind.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address "
                                                  "(tcp://host:8786); without it --engine dask starts a "
                                                  "local cluster of --workers processes.")] = None,
    spacy_model: Annotated[str | None, typer.Option("--spacy-model", help="spaCy English model (package "
                                                    "name or folder).")] = None,
    actors: Annotated[list[Path] | None, typer.Option("--actors", help="Extra actor dictionary (YAML, like "
                                                      "data/actors.yaml); repeatable.")] = None,
    events: Annotated[bool, typer.Option("--events/--no-events", help="Annotate and code events "
                                         "(--no-events: clean only, fast).")] = True,
    full_parse: Annotated[bool, typer.Option("--full-parse", help="Parse every sentence (tagger, parser, NER); "
                                             "by default only those the coder can code and their context "
                                             "(same events, about half the spaCy time); also "
                                             "NEWSLINE_FULL_PARSE=1.")] = False,
    cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Link near-duplicates and "
                                          "cluster events over the store after the run.")] = True,
    parquet_out: Annotated[Path | None, typer.Option("--parquet-out", help="Also write the store as a "
                                                     "Parquet dataset (DIR/articles, mentions, events).")] = None,
    corpus_engine: Annotated[CorpusEngine | None, typer.Option(
        "--corpus-engine", help="Corpus stages in one process (single, the default) or as partitions on "
                                "the run's engine (partitioned, docs/scaling.md); also "
                                "NEWSLINE_CORPUS_ENGINE.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 1 when any document failed.")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1,
                                           help="Larger documents fail as too large.")] = MAX_BYTES,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1,
                                            help="Documents per committed batch.")] = 256,
) -> None:
    """Ingest, clean, annotate and code documents into the store, then link duplicates and cluster events
    (idempotent; an interrupted run resumes)."""
    from newsline.engine.dask import EngineUnavailable
    from newsline.engine.local import tune_allocator
    from newsline.ingest import count_sources
    from newsline.pipeline import InputNotFound, PipelineError, check_inputs, run_pipeline
    from newsline.store.db import Store, StoreError

    if scheduler and engine != EngineKind.dask:
        raise _fail("--scheduler needs --engine dask")
    try:
        check_inputs(paths)  # before the store is created or opened: nothing is written for a wrong path
    except InputNotFound as exc:
        raise _fail(str(exc)) from None
    tune_allocator()  # this process runs spaCy itself with --workers 1 (see engine/local.py)
    try:
        store = Store(db)
    except StoreError as exc:
        raise _fail(str(exc)) from None
    with store, _progress() as progress:
        task = progress.add_task("ingesting", total=count_sources(paths) or None)

        def show(summary: RunSummary, files: int) -> None:
            progress.update(task, completed=files, description=_counts(summary))

        try:
            summary = run_pipeline(paths, store, workers=workers, max_bytes=max_bytes, batch_size=batch_size,
                                   progress=show, engine=engine.value, scheduler=scheduler, events=events,
                                   spacy_model=spacy_model, actors=[str(a) for a in actors or ()],
                                   cluster=cluster, parquet_out=parquet_out, full_parse=full_parse or None,
                                   corpus_engine=corpus_engine.value if corpus_engine else None)
        except (PipelineError, EngineUnavailable, OSError) as exc:
            raise _fail(str(exc)) from None
        totals = {t: store.count(t) for t in ("articles", "mentions", "events")}
    _print_summary(summary, db, totals)
    if strict and summary.failed:
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("files"), TimeElapsedColumn(), console=err, transient=True,
                    disable=not err.is_terminal)


def _counts(s: RunSummary) -> str:
    return f"seen {s.seen} · new {s.new} · skipped {s.skipped} · failed {s.failed}"


def _print_summary(s: RunSummary, db: Path, totals: dict[str, int] | None = None) -> None:
    table = Table(title=f"newsline run {s.run_id}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("seen", str(s.seen))
    table.add_row("new", str(s.new))
    table.add_row("skipped (already stored)", str(s.skipped))
    table.add_row("failed", f"[red]{s.failed}[/]" if s.failed else "0")
    for name, n in (totals or {}).items():
        table.add_row(f"{name} in the store", str(n))
    out.print(table)
    _say(out, f"database: {db.resolve()}")
    if not s.failed:
        return
    failures = Table(title="failed documents", show_lines=False)
    failures.add_column("id", overflow="fold")
    failures.add_column("reason", overflow="fold")
    for f in s.failures[:SHOWN_FAILURES]:
        failures.add_row(Text(f["id"]), Text(f["reason"]))  # Text: ids and reasons are not markup
    out.print(failures)
    if s.failed > SHOWN_FAILURES:
        out.print(f"… and {s.failed - SHOWN_FAILURES} more: `newsline export --what articles` has every "
                  "document with its `error`.")


# --------------------------------------------------------------------------- export
@app.command()
def export(
    db: DbOption = Path(DEFAULT_DB),
    what: Annotated[What, typer.Option("--what", help="Which records.")] = What.articles,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    out_path: Annotated[str, typer.Option("--out", "-o", help="Output file; - for stdout (jsonl, csv).")] = "-",
) -> None:
    """Export articles, mentions or events (the record contract of DESIGN.md); events also as PLOVER, ACLED or the actor network (docs/using-the-data.md)."""
    import duckdb

    from newsline.store.db import StoreError
    from newsline.store.export import ExportError, check_output_path
    from newsline.store.export import export as write

    try:
        if out_path != "-":
            check_output_path(out_path)
    except ExportError as exc:
        raise _fail(str(exc)) from None
    try:
        with _open_reader(db) as store:
            n = write(store, what.value, fmt.value, out_path)
    except (StoreError, ExportError) as exc:
        raise _fail(str(exc)) from None
    except duckdb.Error as exc:  # e.g. an older schema
        raise _fail(f"cannot read {db}: {exc}") from None
    except OSError as exc:  # the output: permissions, a full disk
        raise _fail(f"cannot write {out_path}: {exc.strerror or exc}") from None
    if out_path != "-":
        _say(err, f"wrote {n} {what.value} to {out_path}")


# --------------------------------------------------------------------------- reports over the store
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of a DuckDB database file


@app.command()
def rebuild(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Migrate a store written by an older newsline to this version's typed columns (DATE, STRUCT, LIST)."""
    from newsline.store.db import StoreError, StoreLocked
    from newsline.store.db import rebuild as rebuild_store

    _check_store_file(db)
    try:
        counts = rebuild_store(db)
    except StoreLocked:
        raise _fail(f"{db} is in use by another process; run this again when it has finished") from None
    except StoreError as exc:
        raise _fail(f"cannot rebuild {db}: {exc}") from None
    if not counts:
        _say(err, f"{db} has this version's schema already; nothing to do")
        return
    _say(err, f"rebuilt {db}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


def _check_store_file(db: Path) -> None:
    """A clear error when `db` is missing or is not a DuckDB file (a CSV export, a Parquet file, …)."""
    if not db.exists():
        raise _fail(f"no store at {db} (run `newsline run PATH --db {db}` first)")
    if db.is_dir():
        raise _fail(f"{db} is a folder; --db takes the store's DuckDB file")
    try:
        with open(db, "rb") as fh:
            magic = fh.read(12)[8:12]
    except OSError as exc:
        raise _fail(f"cannot read {db}: {exc.strerror or exc}") from None
    if magic != DUCKDB_MAGIC:
        raise _fail(f"{db} is not a newsline store (a DuckDB file written by `newsline run`); "
                    "exports such as CSV or Parquet cannot be read back as a store")


def _open_reader(db: Path):
    """The store opened read-only for a reader command; a clear error when a run holds it."""
    from newsline.store.db import Store, StoreLocked

    _check_store_file(db)
    try:
        return Store(db, read_only=True)
    except StoreLocked:
        raise _fail(f"a newsline run is writing {db} and holds it until it ends (DuckDB lets no other process "
                    "open a file while one writes); run this again when the run has finished") from None


def _read_store(db: Path, articles: bool = False):
    """(events, mentions, articles) of a store opened read-only; a clear error when it cannot be read."""
    import duckdb

    from newsline.store.db import StoreError

    try:
        with _open_reader(db) as store:
            return store.read_events(), store.read_mentions(), (list(store.iter_articles()) if articles else [])
    except (StoreError, duckdb.Error) as exc:
        raise _fail(f"cannot read {db}: {exc}") from None


@app.command()
def timeline(
    db: DbOption = Path(DEFAULT_DB),
    actor: Annotated[list[str] | None, typer.Option("--actor", "-a", help="Actor id or name (repeatable).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", "-t", help="PLOVER type (e.g. ASSAULT) or quad 1-4.")] = None,
    since: Annotated[str | None, typer.Option("--since", callback=_iso_date, metavar="YYYY-MM-DD",
                                              help="First date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", callback=_iso_date, metavar="YYYY-MM-DD",
                                              help="Last date, YYYY-MM-DD.")] = None,
) -> None:
    """Events in date order: date, type, actor → recipient, place, status, corroboration, evidence."""
    from newsline.report import timeline_rows, timeline_table

    _check_event_type(event_type)
    if since and until and since > until:
        raise _fail(f"--since {since} is after --until {until}")
    events, mentions, _ = _read_store(db)
    _check_actors(actor, events)
    rows = timeline_rows(events, mentions, actor=actor or None, event_type=event_type, since=since, until=until)
    out.print(timeline_table(rows, title=f"Timeline ({len(rows)} events)"))


@app.command()
def actors(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Each actor with the aliases seen, its roles by date and its event counts."""
    from newsline.report import actor_summaries, actors_table

    events, mentions, _ = _read_store(db)
    out.print(actors_table(actor_summaries(events, mentions)))


@app.command()
def brief(
    db: DbOption = Path(DEFAULT_DB),
    actor: Annotated[list[str] | None, typer.Option("--actor", "-a", help="Focus on these actors (repeatable).")] = None,
    out_path: Annotated[Path, typer.Option("--out", "-o", help="brief.html or brief.md")] = Path("brief.html"),
    title: Annotated[str | None, typer.Option("--title", help="Title of the brief.")] = None,
    since: Annotated[str | None, typer.Option("--since", callback=_iso_date, metavar="YYYY-MM-DD",
                                              help="First date of the brief's period (default: from the "
                                                   "events reported as current).")] = None,
    until: Annotated[str | None, typer.Option("--until", callback=_iso_date, metavar="YYYY-MM-DD",
                                              help="Last date of the brief's period.")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Inline plotly.js in the HTML (one file of some "
                                          "5 MB) instead of writing plotly.min.js beside it.")] = False,
) -> None:
    """A situation brief (HTML with plots that need no network, or Markdown)."""
    from newsline.report import write_brief
    from newsline.store.export import ExportError, check_output_path

    if out_path.suffix.lower() not in (".html", ".htm", ".md"):
        raise _fail("--out must end in .html or .md")
    if since and until and since > until:
        raise _fail(f"--since {since} is after --until {until}")
    try:
        check_output_path(out_path)
    except ExportError as exc:
        raise _fail(str(exc)) from None
    events, mentions, articles = _read_store(db, articles=True)
    _check_actors(actor, events)
    try:
        path = write_brief(out_path, events, mentions, articles, actors=actor or None, title=title,
                           offline=offline, since=since, until=until)
    except OSError as exc:
        raise _fail(f"cannot write {out_path}: {exc.strerror or exc}") from None
    _say(err, f"wrote brief of {len(events)} events to {path}")


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option("--host", help="Interface to bind; loopback unless you mean it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """A local web view of the store: timeline, filters, events with their highlighted evidence."""
    try:
        from newsline.web.app import serve as serve_app
    except ImportError as exc:  # the web extra is optional
        raise _fail(f"the web view needs the 'web' extra (pip install 'newsline[web]'): {exc}") from None
    _check_store_file(db)  # before the "serving" line: a wrong --db is an error, not a server
    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)  # the web app's startup and warning lines are worth showing
    _say(err, f"serving {db} on http://{host}:{port}  (Ctrl-C to stop)")
    try:
        serve_app(db, host, port)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None


# --------------------------------------------------------------------------- train
@app.command()
def train(
    train_dir: Annotated[Path, typer.Option("--train-dir", help="The labelled data (plv-train.jsonl, ngec-voa.jsonl, "
                                            "ipe-sentences.jsonl), e.g. ../shared/train.")] = Path("../shared/train"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Where to write coder.npz, card.json and "
                                                 "MODEL_CARD.md (default: the package's own model).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
) -> None:
    """Rebuild the coder's learned model (sentence classifier, CONCEDE/RETREAT split, role model) with its card."""
    missing = [f for f in ("plv-train.jsonl", "ngec-voa.jsonl", "ipe-sentences.jsonl") if not (train_dir / f).is_file()]
    if missing:
        raise _fail(f"{train_dir} lacks {', '.join(missing)}: point --train-dir at the training data")
    from newsline.code.train import train as build

    with err.status("training", spinner="dots") as status:
        card = build(train_dir, out_dir, folds=folds, progress=lambda msg: (status.update(msg), _say(err, msg)))
    _say(out, f"cross-validated type F1 (rules + model): {card['cv_decision_type_f1']}")
    _say(out, f"model and card written in {card['seconds']} s")
