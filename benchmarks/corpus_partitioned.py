"""benchmarks/corpus_bench.py `partitioned`: a synthetic store per size, then the corpus stages over a fresh
copy of it per engine, each in a fresh process (`single`, `local`, `dask`), compared with the single-process
store when it ran first."""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).with_name("corpus_bench.py")  # its `_stages` command runs one engine

def _stages_one(db: str, engine: str, workers: int, window: int, margin: int = 24) -> dict:
    """The corpus stages over the store `db` (single-process when `engine` is "single"), in this process."""
    from newsline.cluster import corpus, partitions
    from newsline.cluster.corpus import run_corpus_stages
    from newsline.store.db import Store

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s")
    if engine == "single" and os.environ.get("BENCH_SINGLE_DUCKDB_MEMORY"):
        # the single-process stages' DuckDB limit (128 MB): its events' update of a million mention links
        # runs out of it, so a 1M comparison raises it as the partitioned stages do while writing events
        corpus.CORPUS_DUCKDB_MEMORY = os.environ["BENCH_SINGLE_DUCKDB_MEMORY"]
    opts = None if engine == "single" else partitions.PartitionOptions(window_days=window, margin_days=margin,
                                                                       engine=engine, workers=workers)
    stop = threading.Event()
    every = float(os.environ.get("BENCH_RSS_EVERY", "15"))
    sampler = threading.Thread(target=_sample_rss, args=(stop, Path(db + ".tmp"), every), daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    with Store(db) as store:
        dups, events = run_corpus_stages(store, opts)
    wall = time.perf_counter() - t0
    stop.set()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"engine": engine, "workers": workers if opts else 1, "wall_s": round(wall, 1), "events": events,
            "duplicates": dups, "writer_peak_mb": round(me.ru_maxrss / 1024),
            "children_peak_mb": round(kids.ru_maxrss / 1024),
            "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime), **partitions.LAST_RUN}


def _sample_rss(stop: threading.Event, spill: Path, every: float = 15.0) -> None:
    """Log this process's resident memory, its child processes' (the workers) and what DuckDB has spilled to its
    temporary folder `spill` every `every` seconds (BENCH_RSS_EVERY), so that a run stopped before its end still
    shows how memory went."""
    import psutil

    me = psutil.Process()
    while not stop.wait(every):
        try:
            kids = [p.memory_info().rss for p in me.children(recursive=True)]
        except psutil.Error:
            kids = []
        spilled = sum(f.stat().st_size for f in spill.glob("*") if f.is_file()) if spill.is_dir() else 0
        logging.getLogger("rss").info("writer %d MB, children %s MB, DuckDB spill %d MB", me.memory_info().rss >> 20,
                                      [k >> 20 for k in kids], spilled >> 20)


def _differences(a: str, b: str) -> dict:
    """Rows of events and mention links in one store and not the other (SQL EXCEPT both ways)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for name, cols in (("events", "*"), ("mentions", "id, event_id"), ("articles", "id, duplicate_of")):
        out[name] = sum(con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{name} EXCEPT ALL "
                                    f"SELECT {cols} FROM {y}.{name})").fetchone()[0] for x, y in (("a", "b"), ("b", "a")))
    return out


def partitioned(args) -> None:
    """Each size: a synthetic store built once, then the corpus stages over a fresh copy of it per engine,
    each in a fresh process; with "single" among the engines, the others' stored events are compared to it."""
    import shutil

    import corpus_synth_fast
    from corpus_synth import synthetic_store
    from corpus_synth_fast import synthetic_store_fast

    make = synthetic_store if args.generator == "records" else synthetic_store_fast
    if args.days:  # a denser corpus: the same mentions over fewer days (the fast generator only)
        corpus_synth_fast.DAYS = args.days
    tag = f"-d{args.days}" if args.days else ""
    folder = Path(args.keep or tempfile.mkdtemp(prefix="corpus-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        base = folder / (f"synthetic-{n}.duckdb" if args.generator == "records" else f"fast-{n}{tag}.duckdb")
        if not base.exists():
            t0 = time.perf_counter()
            counts = make(base, n, args.seed)
            print(f"# {n}: store built in {time.perf_counter() - t0:.0f} s: {json.dumps(counts)}", flush=True)
        done = {}
        for engine in args.engines:
            name = f"{n}{tag}-{engine}" + (f"-m{args.margin}" if engine != "single" and args.margin != 24 else "")
            db = folder / f"run-{name}.duckdb"
            shutil.copy(base, db)
            log = folder / f"run-{name}.log"  # the run's log (stages, memory samples) as it goes
            with log.open("w") as err:
                out = subprocess.run([sys.executable, str(BENCH), "_stages", str(db), engine, str(args.workers),
                                      str(args.window), str(args.margin)], stdout=subprocess.PIPE, stderr=err,
                                     text=True)
            if out.returncode:
                print(f"{n} {engine}: failed\n{log.read_text()[-3000:]}", flush=True)
                continue
            r = {"mentions": n, **json.loads(out.stdout.strip().splitlines()[-1])}
            single = done.get("single") or (folder / f"run-{n}{tag}-single.duckdb" if args.compare_kept else None)
            if engine != "single" and single is not None and single.exists():
                r["differences_from_single"] = _differences(str(single), str(db))
            done[engine] = db
            print(json.dumps(r), flush=True)
        for db in done.values() if not args.keep_runs else ():
            db.unlink(missing_ok=True)
