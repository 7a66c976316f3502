"""The store: idempotent runs, incremental adds, updates, crash safety (SIGKILL), record round trips."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsline
from newsline.clean.evidence import LineCounter
from newsline.pipeline import ProcessedDocument, process_document
from newsline.records import (
    ActorRef,
    Article,
    Claim,
    Event,
    EventMention,
    Evidence,
    Place,
    RawDocument,
    Size,
)
from newsline.store.db import META_TABLE, Store, StoreLocked, _size_bytes, valid_text

BODY = (
    "Islamabad officials said on Monday that a delegation of tribal elders had travelled to Kabul for a new "
    "round of talks with the banned Tehrik-i-Taliban Pakistan, mediated by the Afghan Taliban.\n"
    "The talks focused on the return of militants to the former tribal districts and the release of "
    "prisoners held by both sides, a spokesman said in a statement on {day}.\n"
)
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def page(i: int) -> str:
    return (f"Home | World | Sport\nADVERTISEMENT\nKabul talks, report {i}\n"
            f"{BODY.format(day=DAYS[i % 7])}Report number {i} was filed from the Pakistani capital by our "
            "correspondent, who attended the briefing.\nRead More: more news\n")


def corpus(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"doc{i:03d}.txt").write_text(page(i))
    return folder


def stored_ids(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        return [r[0] for r in store.con.execute("SELECT id FROM articles ORDER BY id").fetchall()]


def table_counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {t: store.count(t) for t in ("documents", "articles", "mentions")}


# --------------------------------------------------------------------------- idempotence
def test_rerun_adds_nothing_and_new_file_is_the_only_work(tmp_path):
    folder = corpus(tmp_path / "in", 5)
    db = tmp_path / "t.duckdb"
    first = newsline.run(folder, db=db)
    assert (first.seen, first.new, first.skipped, first.failed) == (5, 5, 0, 0)
    before = table_counts(db)
    again = newsline.run(folder, db=db)
    assert (again.seen, again.new, again.skipped) == (5, 0, 5)
    assert table_counts(db) == before
    corpus(folder, 1, start=5)
    added = newsline.run(folder, db=db)
    assert (added.seen, added.new, added.skipped) == (6, 1, 5)
    assert stored_ids(db) == [f"doc{i:03d}" for i in range(6)]
    with Store(db, read_only=True) as store:
        runs = store.runs()
    assert [(r.new, r.skipped) for r in runs] == [(5, 0), (0, 5), (1, 5)]
    assert all(r.finished_at for r in runs)


def test_changed_document_replaces_the_stored_one(tmp_path):
    folder = corpus(tmp_path / "in", 3)
    db = tmp_path / "t.duckdb"
    newsline.run(folder, db=db)
    with Store(db) as store:
        store.write_mentions("doc001", [EventMention("doc001:m1", "doc001", "CONSULT")])
    (folder / "doc001.txt").write_text(page(1).replace("Kabul for a new", "Kabul for a second"))
    summary = newsline.run(folder, db=db)
    assert (summary.new, summary.skipped) == (1, 2)
    with Store(db, read_only=True) as store:
        article = store.get_article("doc001")
        assert "Kabul for a second round" in article.text
        assert store.count("articles") == 3
        # mentions of the old version are gone with it: only the re-coded page's own mentions remain
        assert all(m.id != "doc001:m1" and m.article_id == "doc001" for m in store.read_mentions("doc001"))


def test_same_content_under_two_ids_is_two_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(page(1))
    (folder / "copy.txt").write_text(page(1))
    summary = newsline.run(folder, db=tmp_path / "t.duckdb")
    assert summary.new == 2 and stored_ids(tmp_path / "t.duckdb") == ["a", "copy"]


def test_workers_give_the_same_articles(tmp_path):
    folder = corpus(tmp_path / "in", 12)
    newsline.run(folder, db=tmp_path / "one.duckdb", workers=1)
    summary = newsline.run(folder, db=tmp_path / "two.duckdb", workers=2, batch_size=5)
    assert (summary.new, summary.failed) == (12, 0)
    with Store(tmp_path / "one.duckdb", read_only=True) as a, Store(tmp_path / "two.duckdb", read_only=True) as b:
        assert list(a.iter_articles()) == list(b.iter_articles())


def test_one_writer_at_a_time(tmp_path):
    with Store(tmp_path / "t.duckdb"):
        code = ("import sys; from newsline.store.db import META_TABLE, Store, StoreLocked, _size_bytes, valid_text\n"
                "try:\n    Store(sys.argv[1])\nexcept StoreLocked as e:\n    print('locked:', e)")
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "t.duckdb")], capture_output=True,
                             text=True, timeout=60)
    assert "locked:" in out.stdout and "one newsline writer at a time" in out.stdout
    assert StoreLocked.__doc__


# --------------------------------------------------------------------------- SIGKILL and resume
def _wait_for(path: Path, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            pytest.fail(f"run ended before {text!r}: {path.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"no {text!r} within {timeout}s: {path.read_text()}")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsline", "-v", "run", *args]


def test_sigkill_mid_run_then_resume_stores_each_document_once(tmp_path):
    """Killed while documents are still arriving, restarted: nothing lost, nothing twice.

    The first run reads JSONL from a pipe that is kept open, so it is certainly mid-run when killed: two
    batches of 8 are committed, 4 more documents are in memory, unwritten.
    """
    lines = [json.dumps({"id": f"k{i:02d}", "text": page(i)}) + "\n" for i in range(40)]
    db, log = tmp_path / "t.duckdb", tmp_path / "run.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(_cli("-", "--db", str(db), "--batch-size", "8"), stdin=subprocess.PIPE,
                                stderr=err, stdout=subprocess.DEVNULL)
        proc.stdin.write("".join(lines[:20]).encode())
        proc.stdin.flush()
        _wait_for(log, "committed batch 2", proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdin.close()
    assert proc.returncode == -signal.SIGKILL
    assert stored_ids(db) == [f"k{i:02d}" for i in range(16)]
    dump = tmp_path / "all.jsonl"
    dump.write_text("".join(lines))
    summary = newsline.run(dump, db=db)
    assert (summary.skipped, summary.new, summary.failed) == (16, 24, 0)
    assert stored_ids(db) == [f"k{i:02d}" for i in range(40)]
    counts = table_counts(db)
    assert counts["documents"] == counts["articles"] == 40


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checked where workers come from the forkserver (Linux)")
def test_sigkill_of_a_run_leaves_no_workers_behind(tmp_path):
    """The run's process killed with SIGKILL: its worker processes end too (they do not linger, holding the
    model's memory)."""
    psutil = pytest.importorskip("psutil")
    dump, db, log = tmp_path / "in.jsonl", tmp_path / "t.duckdb", tmp_path / "run.log"
    dump.write_text("".join(json.dumps({"id": f"w{i:03d}", "text": page(i)}) + "\n" for i in range(400)))
    with open(log, "w") as err:
        proc = subprocess.Popen(_cli(str(dump), "--db", str(db), "--batch-size", "4", "--workers", "2"),
                                stderr=err, stdout=subprocess.DEVNULL)
        _wait_for(log, "committed batch 1", proc, timeout=120)
        family = psutil.Process(proc.pid).children(recursive=True)
        assert len(family) >= 2  # the forkserver and its workers
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=30)
    assert not alive, [p.cmdline()[:3] for p in alive]


def test_sigkill_at_any_point_of_a_folder_run(tmp_path):
    """A kill right after the first commit, wherever the run then is (even inside a transaction)."""
    folder = corpus(tmp_path / "in", 40)
    db, log = tmp_path / "t.duckdb", tmp_path / "run.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(_cli(str(folder), "--db", str(db), "--batch-size", "4"), stderr=err,
                                stdout=subprocess.DEVNULL)
        try:
            _wait_for(log, "committed batch 1", proc)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    partial = stored_ids(db)
    assert len(partial) >= 4 and len(partial) % 4 == 0  # whole batches only
    summary = newsline.run(folder, db=db, batch_size=4)
    assert summary.skipped == len(partial) and summary.new == 40 - len(partial)
    assert stored_ids(db) == [f"doc{i:03d}" for i in range(40)]


# --------------------------------------------------------------------------- records in and out
def _mention(article_id: str, n: int) -> EventMention:
    return EventMention(
        id=f"{article_id}:m{n}", article_id=article_id, event_type="CONSULT", mode="visit",
        context=["diplomatic"], actor=[ActorRef("pak", "Pakistan", "PAK", "GOV", text="Pakistan")],
        recipient=[ActorRef("afg-taliban", "Afghan Taliban", "AFG", "GOV", text="Kabul")],
        date="2021-10-21", date_precision="day", date_text="October 21",
        event_loc=Place("Kabul", "Kabul", "AFG", "Kabul", 34.53, 69.17, 4),
        size=Size(dead=None, injured=2), attribution="Foreign Office",
        evidence=[Evidence("Qureshi visited Kabul on October 21.", 10, 47, "visited")], confidence=0.8,
    )


def test_mentions_and_events_round_trip(tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        doc = RawDocument("a1", "u", b"text", "text", content_hash="h")
        store.write_batch([(doc, Article("a1", "u", text="text", content_hash="h"), [_mention("a1", 1)])])
        store.write_mentions("a1", [_mention("a1", 1), _mention("a1", 2)])
        assert store.read_mentions("a1") == [_mention("a1", 1), _mention("a1", 2)]
        event = Event("ev1", "CONSULT", actor=[ActorRef("pak", "Pakistan", "PAK")], date="2021-10-21",
                      event_loc=Place("Kabul"), mentions=["a1:m1", "a1:m2"], sources=["a1"], corroboration=1,
                      claims=[Claim("a1", "a1:m1", "asserted", size=Size(dead=1))], conflicts=[])
        store.replace_events([event])
        assert store.read_events() == [event]
        assert {m.event_id for m in store.read_mentions()} == {"ev1"}
        store.replace_events([])
        assert store.read_events() == [] and {m.event_id for m in store.read_mentions()} == {None}
        store.set_duplicates({"a1": "a0"})
        assert store.get_article("a1").duplicate_of == "a0"


def test_a_new_record_field_becomes_a_column(tmp_path):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        store.con.execute("ALTER TABLE articles DROP COLUMN content_type")
    with Store(db) as store:
        cols = {r[0] for r in store.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'").fetchall()}
    assert "content_type" in cols


# --------------------------------------------------------------------------- pipeline pieces
def test_process_document_is_clean_plus_stages():
    doc = RawDocument("x", "u", page(1).encode(), "text", content_hash="h")
    result = process_document(doc)
    assert isinstance(result, ProcessedDocument)
    assert result.article.id == "x" and "delegation of tribal elders" in result.article.text
    # the per-article stages ran too: every mention belongs to this article and cites its text
    for m in result.mentions:
        assert m.article_id == "x"
        assert all(result.article.text[e.start:e.end] == e.sentence for e in m.evidence)


def test_line_counter_finds_recurring_lines_in_bounded_memory():
    counter = LineCounter(min_docs=3, max_keys=500)
    for i in range(300):
        text = f"Subscribe to our newsletter\nunique line {i} alpha\nunique line {i} beta\n"
        counter.add(RawDocument(f"d{i}", "u", text.encode(), "text"))
        assert len(counter._counts) <= 500 + 3
    assert "subscribe to our newsletter" in counter.recurring()
    assert not any(k.startswith("unique") for k in counter.recurring())


def test_engine_isolates_failing_items_and_dead_workers():
    import math

    from newsline.engine.local import LocalEngine

    def failed(item, exc):
        return ("failed", item, type(exc).__name__)

    with LocalEngine(workers=2) as engine:
        assert engine.map(math.sqrt, [4.0, -1.0, 9.0], on_error=failed) == [
            2.0, ("failed", -1.0, "ValueError"), 3.0]
        # os._exit kills the worker process: the pool breaks, the item fails alone, the engine recovers
        assert engine.map(os._exit, [3], on_error=failed) == [("failed", 3, "BrokenProcessPool")]
        assert engine.map(math.sqrt, [16.0, 25.0]) == [4.0, 5.0]
    with LocalEngine(workers=1) as engine:
        assert engine.map(math.sqrt, [-1.0], on_error=failed) == [("failed", -1.0, "ValueError")]


def test_two_inputs_with_one_id_are_reported(tmp_path, caplog):
    for site in ("site1", "site2"):
        (tmp_path / site).mkdir()
        (tmp_path / site / "index.txt").write_text(page(1 if site == "site1" else 2))
    with caplog.at_level("WARNING", logger="newsline"):
        summary = newsline.run([tmp_path / "site1", tmp_path / "site2"], db=tmp_path / "t.duckdb", batch_size=1)
    assert summary.new == 2 and stored_ids(tmp_path / "t.duckdb") == ["index"]
    assert "two inputs of this run have the id 'index'" in caplog.text


def test_rows_are_converted_like_asdict():
    """The writer's record conversion (no dataclasses.asdict on the hot path) stores the same values."""
    import dataclasses

    from newsline.store.db import TABLES, _cell, _row, date_companion, date_value

    m = EventMention(id="m1", article_id="a1", event_type="ASSAULT", context=["terrorism"],
                     actor=[ActorRef(id="pak-mil", name="Pakistani army", country="PAK", sector="MIL",
                                     text="the army", kind="agent")],
                     event_loc=Place(extracted_place="Bannu", resolved_place="Bannu", country_code="PAK"),
                     size=Size(dead=4, injured=6), evidence=[Evidence("Militants attacked a post.", 0, 26, "attacked")])
    row = _row(m)
    reference = dataclasses.asdict(m)
    for column in TABLES["mentions"][0]:
        if column.date_of:  # a date's companion text (None for a full date)
            assert date_companion(row[column.date_of]) is None
            continue
        want = reference[column.name]
        got = _cell(row[column.name], column)
        if column.sql == "DATE":
            assert got == date_value(want)
        elif column.sql == "JSON" and want is not None:
            assert json.loads(got) == want
            assert got == json.dumps(want, ensure_ascii=False)
        else:
            assert got == want


def test_large_tables_are_inserted_in_chunks(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        events = [Event(id=f"e{i:05d}", event_type="CONSULT", mentions=[f"m{i}"]) for i in range(12_000)]
        store.replace_events(events)
        assert store.count("events") == 12_000
        assert [e.id for e in store.read_events()][:3] == ["e00000", "e00001", "e00002"]


@pytest.mark.parametrize("value, expected", [(None, "244.1 MiB"), ("1GB", "953.6 MiB"), ("1GB'; --", None)])
def test_duckdb_memory_limit_from_the_environment(tmp_path, monkeypatch, value, expected):
    """A bounded DuckDB page cache by default; NEWSLINE_DUCKDB_MEMORY overrides it; a value that is not a size
    never reaches the SQL text (DuckDB's own default stays)."""
    if value is not None:
        monkeypatch.setenv("NEWSLINE_DUCKDB_MEMORY", value)
    else:
        monkeypatch.delenv("NEWSLINE_DUCKDB_MEMORY", raising=False)
    with Store(tmp_path / "m.duckdb") as store:
        got = store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    if expected is not None:
        assert got == expected
    else:
        assert got not in ("244.1 MiB", "953.6 MiB")


def test_events_are_stored_from_a_stream_and_only_changed_mentions_move(tmp_path):
    """`replace_events` takes a generator (the run streams events from the clusterer in chunks); a mention
    whose event disappears is unlinked, one whose event is kept keeps it."""
    with Store(tmp_path / "s.duckdb") as store:
        doc = RawDocument("a1", "u", b"text", "text", content_hash="h")
        store.write_batch([(doc, Article("a1", "u", text="text", content_hash="h"),
                            [_mention("a1", 1), _mention("a1", 2), _mention("a1", 3)])])
        first = [Event(id="e1", event_type="CONSULT", mentions=["a1:m1"]),
                 Event(id="e2", event_type="CONSULT", mentions=["a1:m2", "a1:m3"])]
        assert store.replace_events(e for e in first) == 2
        assert {m.id: m.event_id for m in store.read_mentions()} == {"a1:m1": "e1", "a1:m2": "e2", "a1:m3": "e2"}
        many = (Event(id=f"e{i:05d}", event_type="CONSULT", mentions=["a1:m1"] if i == 7 else [])
                for i in range(12_000))
        assert store.replace_events(many) == 12_000
        assert store.count("events") == 12_000
        assert {m.id: m.event_id for m in store.read_mentions()} == {"a1:m1": "e00007", "a1:m2": None, "a1:m3": None}


def test_events_are_staged_outside_the_transaction_and_a_failed_stream_leaves_the_store_as_it_was(tmp_path):
    """The events are written to staging files while they are built, with no transaction open (a run killed
    then leaves the store as it was); the stored events and links change only in the transaction that loads
    them, and the staging folder beside the store is removed either way."""
    with Store(tmp_path / "s.duckdb") as store:
        doc = RawDocument("a1", "u", b"text", "text", content_hash="h")
        store.write_batch([(doc, Article("a1", "u", text="text", content_hash="h"), [_mention("a1", 1), _mention("a1", 2)])])
        store.replace_events([Event(id="e1", event_type="CONSULT", mentions=["a1:m1", "a1:m2"])])

        def failing():
            for i in range(7000):  # past the first staged chunk
                if i == 6500:
                    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1  # nothing loaded yet
                    assert list(tmp_path.glob("newsline-events-*/events.parquet"))  # staged beside the store
                    raise RuntimeError("the clusterer failed")
                yield Event(id=f"n{i}", event_type="CONSULT", mentions=["a1:m1"] if i == 0 else [])

        with pytest.raises(RuntimeError):
            store.replace_events(failing())
        assert [e.id for e in store.read_events()] == ["e1"]
        assert {m.id: m.event_id for m in store.read_mentions()} == {"a1:m1": "e1", "a1:m2": "e1"}
        assert not store.corpus_pending()
        assert not list(tmp_path.glob("newsline-events-*"))
        assert store.replace_events([Event(id="e2", event_type="CONSULT", mentions=["a1:m2"])]) == 1
        assert {m.id: m.event_id for m in store.read_mentions()} == {"a1:m1": None, "a1:m2": "e2"}
        assert not list(tmp_path.glob("newsline-events-*"))


def test_unordered_reads_give_the_same_records(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.replace_events([Event(id=f"e{i}", event_type="CONSULT", mentions=[]) for i in (3, 1, 2)])
        assert [e.id for e in store.iter_records("events")] == ["e1", "e2", "e3"]
        assert sorted(e.id for e in store.iter_records("events", ordered=False)) == ["e1", "e2", "e3"]
        assert [e.id for e in store.read_events()] == ["e1", "e2", "e3"]


def test_memory_limit_is_lowered_for_a_block_and_restored(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        def limit():
            return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

        before = limit()
        with store.memory_at_most("128MB"):
            assert limit() == "122.0 MiB"
        assert abs(_size_bytes(limit()) - _size_bytes(before)) < 2**20  # DuckDB rounds what it is given
        restored = limit()
        with store.memory_at_most("100GB"):  # never raised
            assert limit() == restored


# --------------------------------------------------------------------------- strings that are not UTF-8
def test_lone_surrogates_are_stored_as_replacement_characters(tmp_path):
    """An id, title, reason or nested value with a lone surrogate (a file name that was not UTF-8, a `\\udc80`
    in JSON) is written with U+FFFD in its place, and the same id is found again (a re-run skips it)."""
    bad_id, bad = "in/bad\udcff", "Talks \ud800resume"
    doc = RawDocument(bad_id, f"file:///{bad_id}", b"text", "text", content_hash="h")
    article = Article(bad_id, doc.uri, title=bad, text="text", content_hash="h")
    failed = RawDocument("x\udc80", "u", b"", "text", content_hash="h2")
    mention = EventMention(f"{bad_id}:m1", bad_id, "CONSULT", attribution=bad,
                           actor=[ActorRef("pak", bad, "PAK", text=bad)])
    with Store(tmp_path / "s.duckdb") as store:
        store.write_batch([(doc, article, [mention]),
                           (failed, Article("x\udc80", "u", error=f"empty document {bad}"), [])])
        store.replace_events([Event("ev\udc81", "CONSULT", mentions=[mention.id], sources=[bad_id])])
        assert [a.id for a in store.iter_articles(include_failed=True)] == ["in/bad\ufffd", "x\ufffd"]
        assert store.get_article(bad_id).title == "Talks \ufffdresume"
        [m] = store.read_mentions()
        assert (m.id, m.article_id, m.event_id) == ("in/bad\ufffd:m1", "in/bad\ufffd", "ev\ufffd")
        assert m.actor[0].name == m.attribution == "Talks \ufffdresume"
        assert store.read_events()[0].mentions == [m.id]
        assert [d["error"] for d in store.documents("failed")] == ["empty document Talks \ufffdresume"]
        # looked up by the ids as the reader gave them: a re-run finds both stored
        assert set(store.stored_versions([bad_id, "x\udc80"])) == {bad_id, "x\udc80"}


def test_a_surrogate_pair_becomes_its_character():
    assert valid_text("a\ud83d\ude00b") == "a\U0001f600b" and valid_text("plain") == "plain"


# --------------------------------------------------------------------------- the corpus stages' mark
def test_a_batch_marks_the_corpus_stages_pending_until_events_are_replaced(tmp_path):
    db = tmp_path / "s.duckdb"
    doc = RawDocument("a1", "u", b"text", "text", content_hash="h")
    with Store(db) as store:
        assert not store.corpus_pending()
        store.write_batch([(doc, Article("a1", "u", text="text", content_hash="h"), [_mention("a1", 1)])])
        assert store.corpus_pending()
        store.set_duplicates({"a1": None})
        assert store.corpus_pending()  # duplicates alone are not the stages' commit
        store.replace_events([Event("e1", "CONSULT", mentions=["a1:m1"])])
        assert not store.corpus_pending()
        store.write_mentions("a1", [])
    with Store(db) as store:  # the mark is in the file
        assert store.corpus_pending()


def test_a_store_from_before_the_mark_gets_its_corpus_stages_once(tmp_path):
    db = tmp_path / "s.duckdb"
    doc = RawDocument("a1", "u", b"text", "text", content_hash="h")
    with Store(db) as store:
        store.write_batch([(doc, Article("a1", "u", text="text", content_hash="h"), [])])
        store.replace_events([])
        store.con.execute(f"DROP TABLE {META_TABLE}")
    with Store(db) as store:
        assert store.corpus_pending()
