#!/usr/bin/env python3
"""Corpus stages benchmark: near-duplicate articles, cross-article event clustering, and clustering scale.

    .venv/bin/python benchmarks/corpus_bench.py dev    [--bench ../shared/bench/articles-dev] [--keep DIR]
    .venv/bin/python benchmarks/corpus_bench.py scale  [--sizes 10000 50000 200000] [--seed 1] [--undated-rate 0]
    .venv/bin/python benchmarks/corpus_bench.py corpus --mentions M.jsonl [--articles A.jsonl]
                                                       [--expected tests/fixtures/corpus_expected.yaml]

`dev` cleans the bench inputs (newsline.clean.clean_document on RawDocuments built from the files), links
near-duplicates and scores them with the bench's score.py (dup_acc, dup_false). When the annotator and the
coder are installed it runs the whole chain (annotate, code, cluster) and reports score.py's cluster_acc and
event figures. It also reports an ORACLE figure: cluster_acc when the mentions are built from the gold
events themselves (type, parties, dates, place; no evidence text) - the clusterer's ceiling, not a result of
the system.

`scale` generates synthetic mentions (many countries, actors and persons, 16 types, three years, places with
provinces; several outlets report each event with perturbed types, dates, places, tolls and statuses;
syndicated reprints) and times `cluster_events` on each size in a fresh process, printing wall time, peak
RSS and pairwise precision/recall against the generator's truth. `--undated-rate R` drops the publication
date of that share of articles (their undated mentions are then compared with events of any date).

`partitioned` builds a synthetic store per size (`synthetic_store`: articles with generated texts, band keys
and mentions, as the per-article stage leaves them; a million mentions are generated in chunks of 200k) and
runs the corpus stages over a fresh copy per engine, each in a fresh process: `single` (the single-process
stages), `local` (partitions on a process pool of --workers) and `dask` (a LocalCluster of --workers); it
prints wall time, the writing process's peak RSS, the largest peak RSS of a worker process, the number of
partitions and the largest one, and, when `single` ran first, the rows of events, mention links and
duplicate links that differ from it (SQL EXCEPT both ways):

    .venv/bin/python benchmarks/corpus_bench.py partitioned --sizes 50000 --engines single local
    .venv/bin/python benchmarks/corpus_bench.py partitioned --sizes 200000 1000000 --engines local dask

`corpus` scores exported mentions of examples/corpus (`newsline export --what mentions --format jsonl`)
against tests/fixtures/corpus_expected.yaml: each expected event is matched to at most one system mention
of its article (`match_expected`: type or an acceptable type, dates, countries of the parties, place, mode),
then `corpus_scores` gives pairwise precision/recall of "same event" over the matched mentions (truth: the
expected events' `key`), and the `distinct` / `related` pairs whose two mentions were both matched that the
system put into one event.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "articles-dev"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # its modules, also when loaded from a file (tests)

from corpus_expect import (  # noqa: E402,F401  (the tests use these through this module)
    _span,
    corpus,
    corpus_scores,
    match_expected,
    recluster,
)
from corpus_partitioned import _stages_one, partitioned  # noqa: E402
from corpus_synth import World, pair_scores, scale_one, synthetic, synthetic_store  # noqa: E402,F401
from newsline.cluster.articles import link_duplicates  # noqa: E402
from newsline.cluster.events import cluster_events, event_ids_by_mention  # noqa: E402
from newsline.records import ActorRef, Article, EventMention, Place, RawDocument, Size, to_dict  # noqa: E402


# --------------------------------------------------------------------------- dev set
def _dev_docs(bench: Path) -> list[RawDocument]:
    docs = []
    for p in sorted(bench.glob("dev-*")):
        if p.name.endswith(".body.txt"):
            continue
        kind = "html" if p.suffix in {".html", ".htm"} else "text"
        docs.append(RawDocument(id=p.stem, uri=p.resolve().as_uri(), content=p.read_bytes(), content_type=kind))
    return docs


def process_dev(bench: Path) -> tuple[list[Article], list[EventMention] | None]:
    """Articles of the bench inputs, and their mentions when the per-article stages include the coder
    (newsline.pipeline.process_document: clean, then the registered stages); else clean only."""
    docs = _dev_docs(bench)
    try:
        from newsline.pipeline import article_stages, process_document
    except ImportError:
        from newsline.clean import clean_document
        return [clean_document(d) for d in docs], None
    stages = [stage.name for stage in article_stages()]
    done = [process_document(d) for d in docs]
    articles = [p.article for p in done]
    if "code" in stages:
        return articles, [m for p in done for m in p.mentions]
    return articles, _annotate_and_code(articles, stages)


def _annotate_and_code(articles: list[Article], stages: list[str]) -> list[EventMention] | None:
    """The chain by hand (annotator + coder) when the pipeline does not register them yet."""
    try:
        from newsline.annotate import Annotator
        from newsline.code import code_article
    except ImportError as exc:
        print(f"full chain: not available (stages registered: {stages or 'none'}; {exc})")
        return None
    annotator = Annotator()
    return [m for ann in annotator.annotate_many(articles) for m in code_article(ann)]


def write_jsonl(path: Path, records) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(to_dict(r) if not isinstance(r, dict) else r, ensure_ascii=False) + "\n")


def run_score(bench: Path, arts_path: Path, ments_path: Path) -> dict:
    out = subprocess.run([sys.executable, str(bench.parent / "score.py"), str(bench / "gold.yaml"),
                          str(arts_path), str(ments_path), "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout[: out.stdout.rindex("}") + 1])


def _gold_actor(group: str, spec: dict) -> ActorRef:
    country = spec.get("country")
    country = country[0] if isinstance(country, list) and country else (country or None)
    sectors = [s for s in spec.get("sectors") or [] if s] or [None]
    return ActorRef(id=group.lower(), name=(spec.get("names") or [group])[0], country=country, sector=sectors[0],
                    kind="group")


def oracle_mentions(gold: dict) -> list[EventMention]:
    """Mentions built from the gold events (the clusterer's ceiling; see module docstring)."""
    groups = gold["actors"]
    out = []
    for ga in gold["articles"]:
        for g in ga.get("events", []):
            actor = [_gold_actor(x, groups[x]) for x in (g.get("parties") or g.get("source") or [])]
            recip = [_gold_actor(x, groups[x]) for x in (g.get("target") or [])]
            lo, hi = (str(g["date"][0]), str(g["date"][1])) if g.get("date") else (None, None)
            loc = g.get("location")
            out.append(EventMention(
                id=g["id"], article_id=ga["id"], event_type=g["types"][0], actor=actor, recipient=recip,
                mode=(g.get("mode") or [None])[0], date=lo, enddate=hi if hi != lo else None,
                date_precision="day" if lo == hi else "range",
                event_loc=Place(extracted_place=loc[0], resolved_place=loc[0]) if loc else None,
                status=(g.get("status") or ["asserted"])[0], size=Size(dead=(g.get("dead") or [None])[0])))
    return out


def dev(args) -> None:
    bench = Path(args.bench)
    gold = yaml.safe_load((bench / "gold.yaml").read_text(encoding="utf-8"))
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="corpus_bench_"))
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    articles, mentions = process_dev(bench)
    t1 = time.perf_counter()
    links = link_duplicates(articles)
    t2 = time.perf_counter()
    for a in articles:
        a.duplicate_of = links.get(a.id)
    print(f"processed {len(articles)} articles in {t1 - t0:.2f}s; linked duplicates in {(t2 - t1) * 1000:.1f} ms:"
          f" {links}")
    arts_path, empty = workdir / "articles.jsonl", workdir / "no-mentions.jsonl"
    write_jsonl(arts_path, articles)
    write_jsonl(empty, [])
    s = run_score(bench, arts_path, empty)
    print(f"duplicates: dup_acc={s['dup_acc']:.3f} dup_false={s['dup_false']}")

    if mentions is not None:
        events = cluster_events(mentions, articles)
        ids = event_ids_by_mention(events)
        for m in mentions:
            m.event_id = ids.get(m.id)
        write_jsonl(workdir / "mentions.jsonl", mentions)
        s = run_score(bench, arts_path, workdir / "mentions.jsonl")
        print(f"full chain: {len(mentions)} mentions -> {len(events)} events; cluster_acc={s['cluster_acc']:.3f} "
              f"events_f1={s['events_f1']:.3f} events_f1_lenient={s['events_f1_lenient']:.3f} "
              f"dup_acc={s['dup_acc']:.3f}")

    pub = {ga["id"]: (str(ga["published"]) if ga.get("published") else None) for ga in gold["articles"]}
    gold_arts = [Article(id=a.id, uri=a.uri, text=a.text, published=pub.get(a.id), duplicate_of=a.duplicate_of)
                 for a in articles]
    om = oracle_mentions(gold)
    events = cluster_events(om, gold_arts)
    ids = event_ids_by_mention(events)
    for m in om:
        m.event_id = ids.get(m.id)
    write_jsonl(workdir / "oracle-mentions.jsonl", om)
    s = run_score(bench, arts_path, workdir / "oracle-mentions.jsonl")
    print(f"ORACLE mentions from gold events ({len(om)} -> {len(events)} events): cluster_acc={s['cluster_acc']:.3f}")
    print(f"files in {workdir}")


def scale(args) -> None:
    print("mentions  articles  true_ev  events  cluster_s  peak_rss_mb  pair_P  pair_R")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "_one", str(n), str(args.seed), str(args.undated_rate)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['mentions']:>8} {r['articles']:>9} {r['true_events']:>8} {r['events']:>7} {r['cluster_s']:>10}"
              f" {r['peak_rss_mb']:>12} {r['pair_precision']:>7} {r['pair_recall']:>7}   {json.dumps(r)}",
              flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dev")
    d.add_argument("--bench", default=str(DEFAULT_BENCH))
    d.add_argument("--keep", default=None, help="folder for the ARTICLES/MENTIONS files")
    s = sub.add_parser("scale")
    s.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--undated-rate", type=float, default=0.0,
                   help="share of articles without a publication date (default 0: the figures in BENCHMARKS.md)")
    c = sub.add_parser("corpus")
    c.add_argument("--mentions", required=True)
    c.add_argument("--articles", default=None)
    c.add_argument("--expected", default=str(ROOT / "tests" / "fixtures" / "corpus_expected.yaml"))
    c.add_argument("--recluster", action="store_true", help="re-cluster the mentions with the current code")
    p = sub.add_parser("partitioned")
    p.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    p.add_argument("--engines", nargs="+", default=["local", "dask"], choices=["single", "local", "dask"])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--window", type=int, default=91, help="window days (PartitionOptions.window_days)")
    p.add_argument("--margin", type=int, default=24, help="margin days (PartitionOptions.margin_days)")
    p.add_argument("--days", type=int, default=0,
                   help="the fast generator's span in days (default 0: three years); fewer days, a denser corpus")
    p.add_argument("--compare-kept", action="store_true",
                   help="compare with a kept single-process store of an earlier run (run-N-single.duckdb)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", default=None, help="folder for the synthetic stores (kept: reused by the next run)")
    p.add_argument("--keep-runs", action="store_true",
                   help="keep each engine's store (run-N-ENGINE.duckdb: to compare runs made apart)")
    p.add_argument("--generator", default="fast", choices=["fast", "records"],
                   help="fast: corpus_synth_fast (numpy, Arrow columns); records: corpus_synth (random, write_batch)")
    st = sub.add_parser("_stages")
    st.add_argument("db")
    st.add_argument("engine")
    st.add_argument("workers", type=int)
    st.add_argument("window", type=int)
    st.add_argument("margin", type=int, nargs="?", default=24)
    one = sub.add_parser("_one")
    one.add_argument("n", type=int)
    one.add_argument("seed", type=int)
    one.add_argument("undated_rate", type=float, nargs="?", default=0.0)
    args = ap.parse_args(argv)
    if args.cmd == "dev":
        dev(args)
    elif args.cmd == "scale":
        scale(args)
    elif args.cmd == "corpus":
        corpus(args)
    elif args.cmd == "partitioned":
        partitioned(args)
    elif args.cmd == "_stages":
        print(json.dumps(_stages_one(args.db, args.engine, args.workers, args.window, args.margin)))
    else:
        print(json.dumps(scale_one(args.n, args.seed, args.undated_rate)))


if __name__ == "__main__":
    main()
