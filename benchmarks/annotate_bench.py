#!/usr/bin/env python3
"""Benchmark of the annotate stage on ../shared/bench/articles-dev (gold clean bodies, gold publication dates).

Measures
  identities   every gold `identities` entry (one person or group named differently across articles):
               resolved when the actor mentions naming it (name/text/person contains the gold name, as
               score.py reads them) carry ONE actor id across all its articles ("strict"); the scorer's
               weaker test (an id common to all articles) is printed too.
  actors       against the gold actor groups that each article's events use (score.py's matching: by
               name/alias, or by country + PLOVER sector):
                 group recall     share of (article, gold group) pairs with at least one matching mention
                 mention precision share of non-media actor mentions that match one of the article's
                                  gold groups (a mention of an actor the events do not involve counts
                                  against it even when it is correctly resolved: a lower bound)
                 id precision     the same over distinct (article, actor id) pairs
               media mentions (outlets, journalists) are reported apart: they are attribution.
  throughput   annotate_many vs bare nlp.pipe (same model, same texts, without newsline's components),
               interleaved rounds in one process pinned to 2 cores; ratio = bare time / annotate time
               (>= 0.8 wanted), median over rounds, on the process's CPU time (other processes share the
               machine, so wall-clock ratios are noisy; both are printed).

Usage: .venv/bin/python benchmarks/annotate_bench.py [--bench DIR] [--rounds N] [--copies K] [--show]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import yaml

from newsline.annotate import NEWLINE_COMPONENT, Annotator
from newsline.records import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "articles-dev"


def norm(s) -> str:  # as score.py
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).lower()
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s).strip(" .,;:'\"")


def as_list(x):
    if x is None:
        return [None]
    return x if isinstance(x, list) else [x]


def entity_matches(ent: dict, group: dict) -> bool:  # as score.py
    names = {norm(n) for n in group.get("names", [])}
    for key in ("name", "code", "id", "text"):
        if norm(ent.get(key)) in names and norm(ent.get(key)):
            return True
    countries = as_list(group.get("country"))
    sectors = as_list(group.get("sectors"))
    country = ent.get("country") or None
    sector = ent.get("sector") or None
    return country in countries and country is not None and sector in sectors


def load(bench: Path):
    gold = yaml.safe_load((bench / "gold.yaml").read_text(encoding="utf-8"))
    arts = []
    for ga in gold["articles"]:
        text = (bench / ga["body_file"]).read_text(encoding="utf-8").strip()
        pub = ga.get("published")
        arts.append(Article(id=ga["id"], uri=ga["body_file"], title=ga.get("title"),
                            published=str(pub) if pub else None, text=text))
    return gold, arts


def article_groups(ga: dict) -> set[str]:
    out: set[str] = set()
    for ev in ga.get("events", []):
        for key in ("parties", "source", "target"):
            out.update(ev.get(key) or [])
    return out


def ref_dict(m) -> dict:
    a = m.actor
    return {"id": a.id, "name": a.name, "text": a.text, "person": a.person, "country": a.country,
            "sector": a.sector, "kind": a.kind}


def quality(gold, annotated, show: bool) -> dict:
    groups = gold["actors"]
    by_id = {aa.article.id: aa for aa in annotated}
    out = {}
    # identities
    strict = weak = 0
    for name, docs in gold.get("identities", []):
        per_doc = []
        for d in docs:
            ids = set()
            for m in by_id[d].actors:
                r = ref_dict(m)
                if any(norm(name) in norm(r.get(k)) for k in ("name", "text", "person")):
                    ids.add(r["id"] or r["name"])
            per_doc.append(ids)
        allids = set().union(*per_doc)
        common = set.intersection(*per_doc) if per_doc else set()
        ok_strict = len(allids) == 1 and all(per_doc)
        strict += ok_strict
        weak += bool(common)
        if show and not ok_strict:
            print(f"  identity {name}: ids per doc {per_doc}")
    n_id = len(gold.get("identities", []))
    out["identity_strict"] = strict / n_id if n_id else 0.0
    out["identity_scorer"] = weak / n_id if n_id else 0.0
    # actor groups
    g_hit = g_n = 0
    m_ok = m_n = media = 0
    ids_ok = ids_n = 0
    for ga in gold["articles"]:
        aa = by_id[ga["id"]]
        wanted = article_groups(ga)
        refs = [ref_dict(m) for m in aa.actors]
        for g in sorted(wanted):
            g_n += 1
            hit = any(entity_matches(r, groups[g]) for r in refs if r["kind"] != "media")
            g_hit += hit
            if show and not hit:
                print(f"  group miss {ga['id']}: {g}")
        seen: dict[str, bool] = {}
        for r in refs:
            if r["kind"] == "media":
                media += 1
                continue
            ok = any(entity_matches(r, groups[g]) for g in wanted)
            m_n += 1
            m_ok += ok
            seen[r["id"] or r["text"]] = seen.get(r["id"] or r["text"], False) or ok
            if show and not ok:
                print(f"  mention not in gold groups {ga['id']}: {r['text']!r} -> {r['id']} "
                      f"({r['country']}, {r['sector']})")
        ids_n += len(seen)
        ids_ok += sum(seen.values())
    out["group_recall"] = g_hit / g_n if g_n else 0.0
    out["mention_precision"] = m_ok / m_n if m_n else 0.0
    out["id_precision"] = ids_ok / ids_n if ids_n else 0.0
    out["mentions"] = m_n
    out["media_mentions"] = media
    return out


def throughput(ann: Annotator, arts: list[Article], rounds: int, copies: int) -> dict:
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    docs = [a for a in arts for _ in range(copies)]
    texts = [a.text for a in docs]
    nlp = ann.nlp
    words = sum(len(t.split()) for t in texts)

    def bare():
        with nlp.select_pipes(disable=[p for p in (NEWLINE_COMPONENT,) if p in nlp.pipe_names]):
            for _ in nlp.pipe(texts, batch_size=64):
                pass

    def full():
        for _ in ann.annotate_many(docs, batch_size=64):
            pass

    bare()
    full()  # warm up
    ratios, wall_ratios, tb, tf = [], [], [], []
    for r in range(rounds):
        order = (bare, full) if r % 2 == 0 else (full, bare)
        cpu, wall = {}, {}
        for fn in order:
            w, c = time.perf_counter(), time.process_time()
            fn()
            cpu[fn.__name__] = time.process_time() - c
            wall[fn.__name__] = time.perf_counter() - w
        tb.append(cpu["bare"])
        tf.append(cpu["full"])
        ratios.append(cpu["bare"] / cpu["full"])
        wall_ratios.append(wall["bare"] / wall["full"])
    return {"ratio": statistics.median(ratios), "ratios": [round(x, 3) for x in ratios],
            "wall_ratio": statistics.median(wall_ratios), "wall_ratios": [round(x, 3) for x in wall_ratios],
            "bare_words_per_s": words / statistics.median(tb), "annotate_words_per_s": words / statistics.median(tf),
            "docs": len(docs), "words": words,
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--copies", type=int, default=8, help="copies of the dev set per timing round")
    ap.add_argument("--spacy-model", default=None)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--show", action="store_true", help="print misses")
    args = ap.parse_args(argv)
    gold, arts = load(args.bench)
    t = time.perf_counter()
    ann = Annotator(model=args.spacy_model)
    print(f"annotator ready in {time.perf_counter() - t:.1f}s (model {ann.nlp.meta.get('name')} "
          f"{ann.nlp.meta.get('version')})")
    annotated = list(ann.annotate_many(arts))
    q = quality(gold, annotated, args.show)
    for k, v in q.items():
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    if not args.no_speed:
        s = throughput(ann, arts, args.rounds, args.copies)
        print(f"throughput: {s['docs']} docs, {s['words']} words on {s['cores']} cores; bare nlp.pipe "
              f"{s['bare_words_per_s']:.0f} words/CPU-s, annotate {s['annotate_words_per_s']:.0f} words/CPU-s")
        print(f"throughput ratio (CPU time, median): {s['ratio']:.3f}  rounds {s['ratios']}")
        print(f"throughput ratio (wall clock, median): {s['wall_ratio']:.3f}  rounds {s['wall_ratios']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
