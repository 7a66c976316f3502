#!/usr/bin/env python3
"""The whole coder cross-validated on PLV-train: an estimate of the human-coded held-out sentence figures.

`newsline train`'s own cross-validation judges the sentence model's decision alone. This judges what a user
gets: for each of k folds (grouped by story, as training does), every part of the model (sentence model,
CONCEDE/RETREAT split, modes, role model, decision thresholds) is fitted on the other folds, and the held-out
fold's PLV-train sentences go through the coder as `newsline run` codes a one-sentence text; the mentions are
scored by `../shared/bench/score_sentences.py` (type, source and target F1), as plover-gsr is.

    .venv/bin/python benchmarks/pipeline_cv.py build --out /tmp/pcv [--folds 5]   # fits the fold models (~10 min)
    .venv/bin/python benchmarks/pipeline_cv.py score --out /tmp/pcv [--show-misses]  # codes and scores (~1 min)

`score` alone re-runs after a change to the coder that leaves the model's inputs alone (roles, merging,
status); a change to the rule path's drafts changes the model's rule features: `build` again.

One approximation, said here: a fold's thresholds are chosen on the out-of-fold probabilities of its training
rows, which came from fits that saw the held-out fold (16 numbers shaped by it, weakly; nothing else is).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared"


def build(out: Path, folds: int, train_dir: Path) -> None:
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from newsline.code import train as tr
    from newsline.code.trainset import load_examples

    def progress(msg: str) -> None:
        print(msg, flush=True)

    prep = tr.prepare(load_examples(train_dir), progress)
    ex = prep.examples
    models: list = []
    oof = tr.out_of_fold(prep.texts, prep.rules, ex, prep.classes, folds, progress, prep.masked, models)
    splits = list(GroupKFold(folds).split(prep.texts, groups=[e.group for e in ex]))
    out.mkdir(parents=True, exist_ok=True)
    for f, (train_idx, test_idx) in enumerate(splits):
        rows = tr.threshold_rows(prep, train_idx)
        th = tr.choose_thresholds(oof[rows], [ex[k] for k in rows], [prep.drafted[k] for k in rows],
                                  prep.classes, progress)
        arrays, card = tr.fit_model(prep, np.asarray(train_idx), th, progress, sentence=models[f])
        tr.write_model(out / f"fold{f}", arrays, {**card, "model": f"pipeline_cv fold {f}"}, markdown=False)
        with (out / f"fold{f}.jsonl").open("w", encoding="utf-8") as fh:
            for k in test_idx:
                if ex[k].origin == "plv":
                    fh.write(json.dumps({"id": f"plv-{k}", "text": ex[k].text, "types": sorted(ex[k].types),
                                         "source": ex[k].source, "target": ex[k].target}) + "\n")
        progress(f"fold {f}: {len(train_idx)} training rows, model written")


def code_fold(gold: Path, mentions: Path) -> None:
    """Code one fold's sentences with the model NEWSLINE_CODER_MODEL points at (a fresh process per fold)."""
    from code_bench import annotate_cached
    from newsline.code import code_article
    from newsline.records import Article, to_dict

    rows = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = [Article(id=r["id"], uri="", published=None, language="en", text=r["text"]) for r in rows]
    anns = annotate_cached(arts, gold.parent / "cache")
    with mentions.open("w", encoding="utf-8") as fh:
        for ann in anns:
            for m in code_article(ann):
                fh.write(json.dumps(to_dict(m), ensure_ascii=False) + "\n")


def score(out: Path, show: bool) -> str:
    golds, ments = [], []
    for fold in sorted(p for p in out.glob("fold*") if p.is_dir()):
        gold, m = out / f"{fold.name}.jsonl", out / f"{fold.name}.mentions.jsonl"
        subprocess.run([sys.executable, __file__, "_code", str(gold), str(m)], check=True,
                       env={**os.environ, "NEWSLINE_CODER_MODEL": str(fold)})
        golds.append(gold.read_text(encoding="utf-8"))
        ments.append(m.read_text(encoding="utf-8"))
    (out / "gold.jsonl").write_text("".join(golds), encoding="utf-8")
    (out / "mentions.jsonl").write_text("".join(ments), encoding="utf-8")
    cmd = [sys.executable, str(SHARED / "bench" / "score_sentences.py"), str(out / "gold.jsonl"),
           str(out / "mentions.jsonl")] + (["--show-misses"] if show else [])
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--folds", type=int, default=5)
    b.add_argument("--train-dir", type=Path, default=SHARED / "train")
    s = sub.add_parser("score")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--show-misses", action="store_true")
    c = sub.add_parser("_code")
    c.add_argument("gold", type=Path)
    c.add_argument("mentions", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "build":
        build(args.out, args.folds, args.train_dir)
    elif args.cmd == "score":
        print(score(args.out, args.show_misses))
    else:
        code_fold(args.gold, args.mentions)


if __name__ == "__main__":
    main()
