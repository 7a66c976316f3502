"""Engines: ordered results, bounded work in flight, failure isolation; the Dask engine gives the same store."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsline.engine import Task, make_engine
from newsline.engine.base import Engine
from newsline.engine.local import LocalEngine

ROOT = Path(__file__).resolve().parent.parent


def square_all(items: list[int], offset: int) -> list[int]:
    return [x * x + offset for x in items]


def poisoned(items: list[int], _: object) -> list[int]:
    if -1 in items:
        raise ValueError("bad item")
    if -9 in items:
        os._exit(9)  # the worker process dies
    return [x * 10 for x in items]


def failed(item, exc):
    return ("failed", item, type(exc).__name__)


def test_imap_keeps_task_order_and_pulls_tasks_lazily():
    pulled = []

    def tasks():
        for i in itertools.count():
            pulled.append(i)
            yield Task([i, i + 1], 1)

    with LocalEngine(workers=2) as engine:
        out = []
        for task, results in engine.imap(square_all, tasks()):
            out.append((task.items, results))
            if len(out) == 5:
                break
    assert out == [([i, i + 1], [i * i + 1, (i + 1) ** 2 + 1]) for i in range(5)]
    # an endless input: never more than max_in_flight tasks beyond what was consumed
    assert len(pulled) <= 5 + engine.max_in_flight


def test_a_failing_item_or_a_dying_worker_costs_that_item_only():
    with LocalEngine(workers=2) as engine:
        tasks = [Task([1, 2, -1, 3]), Task([4, -9, 5]), Task([]), Task([6])]
        results = [r for _, r in engine.imap(poisoned, tasks, on_error=failed)]
        assert results == [[10, 20, ("failed", -1, "ValueError"), 30],
                           [40, ("failed", -9, "BrokenProcessPool"), 50], [], [60]]
        assert engine.map(abs, [-1, -2, 3]) == [1, 2, 3]  # the engine recovered


def test_in_process_engine_isolates_failures_too():
    with make_engine("local", workers=1) as engine:
        assert [r for _, r in engine.imap(poisoned, [Task([1, -1, 2])], on_error=failed)] == [
            [10, ("failed", -1, "ValueError"), 20]]


def test_engine_options_are_checked():
    with pytest.raises(ValueError, match="--scheduler needs --engine dask"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("spark")
    assert issubclass(LocalEngine, Engine)


# --------------------------------------------------------------------------- Dask
HAVE_DASK = importlib.util.find_spec("distributed") is not None


def _make_corpus(folder: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    module.write(folder, n, "mixed", seed=3, dup_share=0.2)
    (folder / "000" / "zz-empty.txt").write_bytes(b"")  # a failed document travels too
    return folder


def _run(args: list[str], env: dict[str, str]) -> None:
    out = subprocess.run([sys.executable, "-m", "newsline", "run", *args], capture_output=True, text=True,
                         env=env, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]


def _export(db: Path, what: str, env: dict[str, str]) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "newsline", "export", "--db", str(db), "--what", what],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.mark.skipif(not HAVE_DASK, reason="dask.distributed is not installed")
def test_dask_engine_stores_the_same_as_the_local_engine(tmp_path):
    """2-worker LocalCluster vs 2-process pool, several batches in flight: same articles, mentions, events.

    Every process gets the same PYTHONHASHSEED so that set-order effects in the stages cannot differ between
    processes; what is compared is the engines.
    """
    corpus = _make_corpus(tmp_path / "corpus", 18)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    common = [str(corpus), "--batch-size", "4", "--workers", "2"]
    _run([*common, "--db", str(tmp_path / "local.duckdb")], env)
    _run([*common, "--db", str(tmp_path / "dask.duckdb"), "--engine", "dask",
          "--parquet-out", str(tmp_path / "pq")], env)
    for what in ("articles", "mentions", "events"):
        local = _export(tmp_path / "local.duckdb", what, env)
        dask = _export(tmp_path / "dask.duckdb", what, env)
        assert local == dask, what
        if what == "articles":
            assert len(local) == 19 and sum(1 for a in local if a["error"]) == 1
            assert any(a["duplicate_of"] for a in local)
        else:
            assert local  # the corpus has events
    import pyarrow.parquet as pq

    mentions = pq.read_table(tmp_path / "pq" / "mentions").to_pylist()
    assert len(mentions) == len(local_mentions := _export(tmp_path / "local.duckdb", "mentions", env))
    assert {m["id"] for m in mentions} == {m["id"] for m in local_mentions}
    assert all(m["event_id"] for m in mentions)


def test_start_spawns_every_worker_before_the_first_task():
    with LocalEngine(workers=2) as engine:
        engine.start()
        deadline = time.time() + 60
        while len(engine._pool._processes) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert len(engine._pool._processes) == 2
        assert [r for _, r in engine.imap(square_all, [Task([2], 0)])] == [[4]]
    with LocalEngine(workers=1) as one:
        one.start()  # in-process: nothing to start
        assert one._pool is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_allocator_is_tuned_in_a_fresh_process():
    code = "from newsline.engine.local import tune_allocator; assert tune_allocator()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_closing_the_pool_stops_the_forkserver_it_used():
    import multiprocessing.forkserver as fs

    with LocalEngine(workers=2) as engine:
        assert [r for _, r in engine.imap(square_all, [Task([3], 0)])] == [[9]]
        if engine._pool._mp_context.get_start_method() != "forkserver":
            pytest.skip("no forkserver on this platform")
        assert fs._forkserver._forkserver_pid is not None
    assert fs._forkserver._forkserver_pid is None
    with LocalEngine(workers=2) as again:  # a later pool starts a new one
        assert [r for _, r in again.imap(square_all, [Task([4], 0)])] == [[16]]


UNGUARDED = """\
import json, sys
import newsline
summary = newsline.run([sys.argv[1] if len(sys.argv) > 1 else {folder!r}], db={db!r}, workers=2)
print(json.dumps({{"new": summary.new, "failed": summary.failed, "failures": summary.failures}}))
"""


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_workers_run_from_a_script_without_a_main_guard(tmp_path, how):
    """The README's `newsline.run([...], workers=2)` at the top level of a plain script (or a script piped to
    `python -`): the workers do not run the script again, every document is stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(f"Talks in Kabul {i}\nPakistani officials held talks with the TTP in "
                                          "Kabul on Monday, officials said in a statement on Tuesday.\n")
    code = UNGUARDED.format(folder=str(folder), db=str(tmp_path / "t.duckdb"))
    script = tmp_path / "script.py"
    script.write_text(code)
    cmd, stdin = ([sys.executable, str(script)], None) if how == "script" else ([sys.executable, "-"], code)
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.splitlines()[-1]) == {"new": 3, "failed": 0, "failures": []}


def test_a_pool_can_still_import_the_main_module_when_asked():
    engine = LocalEngine(2, import_main=True)
    try:
        assert list(engine.map(abs, [-1, -2])) == [1, 2]
        assert engine._pool._mp_context.Process.__module__ == "multiprocessing.context"
    finally:
        engine.close()
