#!/usr/bin/env python3
"""End-to-end throughput of `newsline run` against bare spaCy, engine against engine, size against size.

    .venv/bin/python benchmarks/throughput.py [--sizes 1000 10000 50000] [--workers 1 2] [--dask]
                                              [--ratio-size 1000] [--work /tmp/newsline-bench] [--seed 1]

For each size a synthetic corpus is written once (benchmarks/make_corpus.py, a folder of .txt/.html pages,
cached in --work). Then, each in a fresh process, timed from process start to exit, peak RSS summed over
the whole process tree (sampled every 0.1 s with psutil):

* `newsline run CORPUS --workers N` (ingest, clean, annotate with nlp.pipe, code, DuckDB writes, then the
  corpus stages) — articles/s end to end; the corpus stages' own time (from the run's log) is also shown
  and taken out for "per-article" throughput;
* at --ratio-size: bare spaCy on the same texts (the clean article bodies the run stored, so the model
  sees the very same input) with the same model: `nlp.pipe(texts, batch_size=16)` (the batch the run uses; as fast as 64), one process for 1 core,
  two processes each piping half for 2 cores, also timed from process start (model load included, as in
  the run); ratio = newsline articles/s / bare articles/s;
* with --dask, `--engine dask --workers 2` (a 2-worker LocalCluster) at --ratio-size against the local
  engine with 2 workers.

The share of sentences parsed is the parse gate's (`newsline.annotate.gate`, issue 17) on the stored
texts; with NEWSLINE_FULL_PARSE=1 in the environment the runs parse every sentence (the gate off), for a
before/after on the same tree.

The machine's load average is printed with each figure: other processes on the same cores slow both sides.
newsline's modules are byte-compiled first (`compileall`), as a wheel install or any first run leaves them:
where PYTHONDONTWRITEBYTECODE is set (this development VM sets it) every process of an editable install
would otherwise compile them anew at start-up (about 0.5 CPU-s per process).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus  # noqa: E402

BARE = r"""
import sys, json
from newsline.annotate.nlp import load_nlp
nlp = load_nlp(sys.argv[2] or None)
texts = json.load(open(sys.argv[1]))
n = 0
for doc in nlp.pipe(texts, batch_size=16):
    n += len(doc)
print(n)
"""


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _rss_pss(p: psutil.Process) -> tuple[int, int]:
    """RSS and PSS in bytes; PSS from /proc/PID/smaps_rollup (cheap) where the kernel has it."""
    rss = p.memory_info().rss
    try:
        with open(f"/proc/{p.pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return rss, int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, rss


def timed(cmds: list[list[str]], env: dict | None = None) -> tuple[float, dict[str, float], list[str]]:
    """Run commands concurrently; (wall seconds until all exit, peak memory of all their process trees in MB
    as {"rss": sum of RSS, "pss": sum of PSS (shared pages counted once), "cpu": CPU seconds (user + system)
    of every process of the trees, each process's own time as last sampled (every 0.2 s)}, stderr of each)."""
    peak: dict = {"rss": 0.0, "pss": 0.0, "at": ""}
    cpu: dict[tuple[int, float], float] = {}  # (pid, start time) -> own CPU seconds
    stop = threading.Event()
    start = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
             for c in cmds]

    def sample() -> None:
        # reading PSS (smaps) costs CPU that the measured processes would use: memory twice a second,
        # CPU times (cheap) five times a second
        roots = [psutil.Process(p.pid) for p in procs]
        tick = 0
        while not stop.is_set():
            rss = pss = 0
            parts = []
            for root in roots:
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.NoSuchProcess:
                    continue
                for p in tree:
                    with contextlib.suppress(psutil.Error, OSError):
                        t = p.cpu_times()
                        cpu[(p.pid, p.create_time())] = t.user + t.system
                        if tick % 3 == 0:
                            r, s = _rss_pss(p)
                            rss += r
                            pss += s
                            parts.append(r)
            if tick % 3 == 0:
                if rss / 1e6 > peak["rss"]:  # where the peak is: the processes' RSS then, largest first
                    peak["at"] = f"{time.perf_counter() - start:.0f} s: " + " + ".join(
                        f"{r / 1e6:.0f}" for r in sorted(parts, reverse=True))
                peak["rss"] = max(peak["rss"], rss / 1e6)
                peak["pss"] = max(peak["pss"], pss / 1e6)
            tick += 1
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errs = [p.communicate()[1] for p in procs]
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    peak["cpu"] = sum(cpu.values())
    for p, e in zip(procs, errs, strict=True):
        if p.returncode:
            sys.exit(f"command failed ({p.returncode}): {e[-3000:]}")
    return wall, peak, errs


def corpus(work: Path, n: int, seed: int) -> Path:
    folder = work / f"corpus-{n}-s{seed}"
    done = folder / ".done"
    if not done.exists():
        t = time.perf_counter()
        make_corpus.write(folder, n, "mixed", seed=seed)
        done.write_text("ok")
        print(f"# wrote corpus of {n} articles in {time.perf_counter() - t:.1f} s: {folder}", flush=True)
    return folder


def newsline_run(folder: Path, db: Path, workers: int, engine: str = "local", extra: tuple = (),
                 full_parse: bool = False) -> dict:
    if db.exists():
        db.unlink()
    cmd = [PY, "-m", "newsline", "-v", "run", str(folder), "--db", str(db), "--workers", str(workers),
           "--engine", engine, *extra]
    before = load()
    env = {**os.environ, "COLUMNS": "200"}
    if full_parse:
        env["NEWSLINE_FULL_PARSE"] = "1"
    wall, peak, (err,) = timed([cmd], env=env)
    db.with_suffix(".log").write_text(err)  # the run's log (-v), kept beside its store
    m = re.search(r"corpus stages: .*\(([\d.]+) s\)", err)
    cluster = float(m.group(1)) if m else 0.0
    m = re.search(r"per-article stages: .*\(([\d.]+) s\)", err)
    batches = float(m.group(1)) if m else 0.0
    return {"wall": wall, "peak": peak, "cluster_s": cluster, "batches_s": batches, "load_before": before,
            "load_after": load()}


def bare(texts_file: Path, n_texts: int, procs: int, model: str) -> dict:
    texts = json.loads(texts_file.read_text())
    files = []
    for i in range(procs):
        part = texts[i::procs]
        f = texts_file.with_name(f"{texts_file.stem}-{procs}-{i}.json")
        f.write_text(json.dumps(part))
        files.append(f)
    before = load()
    wall, peak, _ = timed([[PY, "-c", BARE, str(f), model] for f in files])
    return {"wall": wall, "peak": peak, "load_before": before, "load_after": load(), "n": n_texts}


def stored_texts(db: Path, out: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    texts = [r[0] for r in con.execute("SELECT text FROM articles WHERE error IS NULL ORDER BY id").fetchall()]
    counts = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM mentions), "
                         "(SELECT count(*) FROM events)").fetchone()
    con.close()
    out.write_text(json.dumps(texts))
    print(f"#   store: {counts[0]} articles, {counts[1]} mentions, {counts[2]} events; "
          f"{len(texts)} texts, {sum(len(t) for t in texts) / max(1, len(texts)):.0f} chars each on average")
    return len(texts)


def parsed_share(texts_file: Path, model: str) -> str:
    """The share of sentences the parse gate sends through the full pipeline on these texts (the cheap pass
    alone, in this process: the run's workers make the same decisions on the same texts)."""
    if os.environ.get("NEWSLINE_FULL_PARSE", "0") not in ("", "0"):
        return "all (NEWSLINE_FULL_PARSE set)"
    from newsline.annotate import Annotator

    ann = Annotator(model=model or None)
    seen = parsed = 0
    for text in json.loads(texts_file.read_text()):
        plan = ann.gate.plan(ann.nlp.make_doc(text[:ann.nlp.max_length]))
        seen += plan.sentences
        parsed += plan.parsed_sentences
    return f"{parsed / max(1, seen):.1%} of {seen} sentences"


def row(label: str, n: int, r: dict) -> None:
    per_article = n / max(1e-9, r["wall"] - r.get("cluster_s", 0.0))
    extra = f"  (without the corpus stages, {r['cluster_s']:.1f} s: {per_article:6.1f}/s)" \
        if r.get("cluster_s") else ""
    if r.get("batches_s"):  # the per-article phase (workers running), from the run's log
        extra += f"; the batches {r['batches_s']:.1f} s"
    print(f"{label:<34} {n:>6} docs {r['wall']:8.1f} s {n / r['wall']:7.1f} docs/s  CPU {r['peak']['cpu']:7.1f} s "
          f"({n / r['peak']['cpu']:5.1f} docs/CPU-s)  peak RSS {r['peak']['rss']:5.0f} MB (PSS "
          f"{r['peak']['pss']:5.0f} MB)  load {r['load_before']} -> {r['load_after']}{extra}", flush=True)
    if r["peak"].get("at"):
        print(f"{'':<34} peak RSS at {r['peak']['at']} MB", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ratio-size", type=int, default=None, help="size for the bare-spaCy ratio and Dask "
                    "(default: the smallest size; 0: none)")
    ap.add_argument("--dask", action="store_true", help="also the Dask engine (2-worker LocalCluster)")
    ap.add_argument("--big-workers", type=int, default=2, help="workers for sizes above --ratio-size")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newsline-bench")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spacy-model", default="")
    ap.add_argument("--full-parse-too", action="store_true", help="at --ratio-size, also each run with every "
                    "sentence parsed (NEWSLINE_FULL_PARSE=1, the gate off), right after the gated one")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    ratio_size = min(args.sizes) if args.ratio_size is None else args.ratio_size  # 0: no ratio runs
    sizes = sorted(set(args.sizes) | ({ratio_size} if ratio_size else set()))
    from newsline.annotate.nlp import resolve_model_name

    model = resolve_model_name(args.spacy_model or None)
    print(f"# {os.cpu_count()} CPUs, load {load()}, model {model}, python {sys.version.split()[0]}", flush=True)
    for n in sizes:
        folder = corpus(args.work, n, args.seed)
        docs = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        extra = ("--spacy-model", args.spacy_model) if args.spacy_model else ()
        if n == ratio_size:
            runs, full = {}, {}
            for w in args.workers:
                runs[w] = newsline_run(folder, args.work / f"run-{n}-w{w}.duckdb", w, extra=extra)
                row(f"newsline run --workers {w}", docs, runs[w])
                if args.full_parse_too:
                    full[w] = newsline_run(folder, args.work / f"run-{n}-w{w}-full.duckdb", w, extra=extra,
                                           full_parse=True)
                    row("  the same, NEWSLINE_FULL_PARSE=1", docs, full[w])
            texts = args.work / f"texts-{n}.json"
            n_texts = stored_texts(args.work / f"run-{n}-w{args.workers[0]}.duckdb", texts)
            print(f"#   sentences parsed (the parse gate): {parsed_share(texts, model)}", flush=True)
            for w in args.workers:
                b = bare(texts, n_texts, w, model)
                row(f"bare spaCy nlp.pipe, {w} process(es)", n_texts, b)
                r = runs[w]
                e2e = docs / r["wall"]
                per_article = docs / (r["wall"] - r["cluster_s"])
                cpu = (n_texts / b["peak"]["cpu"]) and (docs / r["peak"]["cpu"]) / (n_texts / b["peak"]["cpu"])
                print(f"  ratio {w} worker(s): end to end {e2e / (n_texts / b['wall']):.2f}, "
                      f"without the corpus stages {per_article / (n_texts / b['wall']):.2f}; "
                      f"articles per CPU-second {cpu:.2f}", flush=True)
                if w in full:
                    f = full[w]
                    print(f"  ratio {w} worker(s), full parse: end to end "
                          f"{docs / f['wall'] / (n_texts / b['wall']):.2f}, without the corpus stages "
                          f"{docs / (f['wall'] - f['cluster_s']) / (n_texts / b['wall']):.2f}; articles per "
                          f"CPU-second {(docs / f['peak']['cpu']) / (n_texts / b['peak']['cpu']):.2f}", flush=True)
            if args.dask:
                d = newsline_run(folder, args.work / f"run-{n}-dask.duckdb", 2, "dask", extra)
                row("newsline run --engine dask -w 2", docs, d)
                base = runs.get(2) or newsline_run(folder, args.work / f"run-{n}-w2.duckdb", 2, extra=extra)
                print(f"  dask / local (2 workers): {base['wall'] / d['wall']:.2f} end to end, "
                      f"{(base['wall'] - base['cluster_s']) / (d['wall'] - d['cluster_s']):.2f} without the "
                      "corpus stages", flush=True)
        else:
            w = args.big_workers
            r = newsline_run(folder, args.work / f"run-{n}-w{w}.duckdb", w, extra=extra)
            row(f"newsline run --workers {w}", docs, r)
            stored_texts(args.work / f"run-{n}-w{w}.duckdb", args.work / f"texts-{n}.json")
            print(f"#   sentences parsed (the parse gate): {parsed_share(args.work / f'texts-{n}.json', model)}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
