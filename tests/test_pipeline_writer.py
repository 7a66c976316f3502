"""The run's writer thread (engine/writer.py): batches committed in order, errors raised in the run, the same
store as when the run's own thread writes; and a worker's imports (no corpus stages, no DuckDB)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsline.engine.writer import BatchWriter
from newsline.pipeline import run_pipeline
from newsline.store.db import Store

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- BatchWriter
@pytest.mark.parametrize("threaded", [True, False])
def test_batches_are_written_in_order_and_all_before_close_returns(threaded):
    written: list[int] = []
    with BatchWriter(written.append, threaded=threaded) as writer:
        for i in range(50):
            writer.put(i)
    assert written == list(range(50))


def test_the_thread_writes_while_the_caller_goes_on_and_one_batch_at_most_waits():
    release = threading.Event()
    started = threading.Event()
    written: list[int] = []

    def write(batch: int) -> None:
        started.set()
        release.wait()
        written.append(batch)

    writer = BatchWriter(write)
    with writer:
        writer.put(0)  # taken by the thread, which now waits in write
        started.wait()
        writer.put(1)  # waits in the queue: put returns although nothing is written yet
        assert written == []
        blocked = threading.Thread(target=writer.put, args=(2,))
        blocked.start()
        blocked.join(0.2)
        assert blocked.is_alive()  # no room for a second waiting batch: put blocks (memory stays bounded)
        release.set()
        blocked.join()
    assert written == [0, 1, 2]


def test_a_failed_write_is_raised_by_the_caller_and_no_later_batch_is_written():
    written: list[int] = []

    def write(batch: int) -> None:
        if batch == 3:
            raise OSError("disk full")
        written.append(batch)

    with pytest.raises(OSError, match="disk full"), BatchWriter(write) as writer:
        for i in range(20):
            writer.put(i)
    assert written == [0, 1, 2]


# --------------------------------------------------------------------------- the run with two workers
def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i:02d}.txt").write_text(f"Report {i}\nOfficials met in Kabul on Monday, item {i}.\n")
    return folder


def test_two_workers_commit_every_batch_once_in_input_order(tmp_path):
    folder = _folder(tmp_path, 22)
    batches: list[list[str]] = []
    with Store(tmp_path / "t.duckdb") as store:
        write = store.write_batch

        def spy(items, run=None, **kw):
            batches.append([doc.id for doc, _, _ in items])
            write(items, run, **kw)

        store.write_batch = spy
        summary = run_pipeline([folder], store, workers=2, batch_size=4, events=False, cluster=False)
        assert store.count("articles") == 22
    assert summary.new == 22 and summary.seen == 22
    assert [len(b) for b in batches] == [4, 4, 4, 4, 4, 2]
    assert [i for b in batches for i in b] == [f"d{i:02d}" for i in range(22)]


def test_a_store_error_in_the_writer_stops_the_run_with_the_earlier_batches_committed(tmp_path):
    folder = _folder(tmp_path, 20)
    with Store(tmp_path / "t.duckdb") as store:
        write, calls = store.write_batch, []

        def failing(items, run=None, **kw):
            calls.append(len(items))
            if len(calls) == 2:
                raise RuntimeError("the store failed")
            write(items, run, **kw)

        store.write_batch = failing
        with pytest.raises(RuntimeError, match="the store failed"):
            run_pipeline([folder], store, workers=2, batch_size=4, events=False, cluster=False)
        assert store.count("articles") == 4  # the first batch; none after the failed one
        assert len(calls) == 2
        store.write_batch = write
        again = run_pipeline([folder], store, workers=2, batch_size=4, events=False, cluster=False)
        assert again.skipped == 4 and again.new == 16 and store.count("articles") == 20


def _export(db: Path, what: str, env: dict[str, str]) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "newsline", "export", "--db", str(db), "--what", what],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_two_workers_with_the_writer_thread_store_what_one_worker_stores(tmp_path):
    """One worker writes in the run's own thread, two through the writer thread with several batches in
    flight: the same articles, mentions and events (the same PYTHONHASHSEED in every process)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    corpus = tmp_path / "corpus"
    module.write(corpus, 24, "mixed", seed=5, dup_share=0.2)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for workers in (1, 2):
        out = subprocess.run([sys.executable, "-m", "newsline", "run", str(corpus), "--batch-size", "4",
                              "--workers", str(workers), "--db", str(tmp_path / f"w{workers}.duckdb")],
                             capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
    for what in ("articles", "mentions", "events"):
        one, two = (_export(tmp_path / f"w{w}.duckdb", what, env) for w in (1, 2))
        assert one == two, what
        assert one
    assert len(_export(tmp_path / "w2.duckdb", "articles", env)) == 24


# --------------------------------------------------------------------------- what a worker imports
WORKER_IMPORTS = """
import sys
import newsline.stages
heavy = [m for m in ("duckdb", "pyarrow", "newsline.cluster.corpus", "newsline.cluster.events",
                     "newsline.store.db", "newsline.pipeline") if m in sys.modules]
from newsline.cluster import corpus_stages, link_duplicates  # the package's names still resolve
print(",".join(heavy))
"""


def test_a_worker_imports_neither_the_corpus_stages_nor_the_store():
    out = subprocess.run([sys.executable, "-c", WORKER_IMPORTS], capture_output=True, text=True, timeout=120,
                         check=True)
    assert out.stdout.strip() == ""
