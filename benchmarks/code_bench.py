#!/usr/bin/env python3
"""Event-coder benchmark: clean -> annotate -> code over the dev benchmarks, then the shared scorers.

    .venv/bin/python benchmarks/code_bench.py [--articles] [--gsr] [--speed] [--show-misses] [--out DIR]

--articles  ../shared/bench/articles-dev (score.py: events_f1, date_acc, loc_acc, status_acc)
--heldout   benchmarks/data/heldout (12 articles of our own with blind gold, same scorer; a measuring set only:
            run it rarely, never tune on it; see its README)
--dev2      benchmarks/data/dev2 (16 articles of our own with blind gold, broader news, same scorer; a development
            set: its misses may be read to find general weaknesses; see its README)
--news      benchmarks/data/sentences/news.jsonl (468 news sentences of our own, labelled, 207 with no event;
            score_sentences.py; a measuring set, not trained on)
--gsr       ../shared/bench/plover-gsr (score_sentences.py: type_f1, source_f1)
--speed     coding throughput (articles/s) over already-annotated articles, on the dev articles repeated; the
            model's size and load time; coding's share of a worker's time (annotate vs code)
(no flag: all three). Annotations are cached under the output directory (keyed by text and the annotate
package's source), so re-runs only re-code. Writes ARTICLES.jsonl / MENTIONS.jsonl there.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsline.clean import clean_document  # noqa: E402
from newsline.code import code_article  # noqa: E402
from newsline.records import Article, RawDocument, to_dict  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"


def annotator():
    """The annotate stage's per-article function."""
    import newsline.annotate as an

    if hasattr(an, "Annotator"):
        return an.Annotator().annotate
    fn = getattr(an, "annotate_article", None)
    if callable(fn):
        return fn
    raise SystemExit("newsline.annotate exposes no Annotator")


def annotate_src_hash() -> str:
    h = hashlib.sha1()
    for p in sorted((ROOT / "src" / "newsline" / "annotate").rglob("*.py")) + sorted((ROOT / "src" / "newsline" / "data").glob("*.yaml")):
        if p.name in ("lexicon.yaml", "plover.yaml"):
            continue
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def annotate_cached(articles: list[Article], cache_dir: Path):
    fn = None
    cache_dir.mkdir(parents=True, exist_ok=True)
    tag = annotate_src_hash()
    out = []
    todo = []
    for a in articles:
        key = hashlib.sha1(f"{tag}\n{a.id}\n{a.published}\n{a.title}\n{a.text}".encode()).hexdigest()[:16]
        p = cache_dir / f"{key}.pkl"
        if p.exists():
            out.append(pickle.loads(p.read_bytes()))
        else:
            out.append(None)
            todo.append((len(out) - 1, a, p))
    for idx, a, p in todo:
        fn = fn or annotator()
        ann = fn(a)
        p.write_bytes(pickle.dumps(ann))
        out[idx] = ann
    return out


def write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def run_articles(out: Path, show: bool, folder: Path = BENCH / "articles-dev", prefix: str = "dev-",
                 name: str = "") -> list:
    arts = []
    for p in sorted(folder.glob(f"{prefix}*")):
        if p.name.endswith(".body.txt"):
            continue
        ctype = "html" if p.suffix in (".html", ".htm") else "text"
        doc = RawDocument(id=p.stem, uri=str(p), content=p.read_bytes(), content_type=ctype)
        arts.append(clean_document(doc))
    anns = annotate_cached(arts, out / "cache")
    mentions = []
    for ann in anns:
        mentions += [to_dict(m) for m in code_article(ann)]
    write_jsonl(out / f"{name}ARTICLES.jsonl", [to_dict(a) for a in arts])
    write_jsonl(out / f"{name}MENTIONS.jsonl", mentions)
    cmd = [sys.executable, str(BENCH / "score.py"), str(folder / "gold.yaml"), str(out / f"{name}ARTICLES.jsonl"),
           str(out / f"{name}MENTIONS.jsonl")] + (["--show-misses"] if show else [])
    print("$", " ".join(cmd))
    print(subprocess.run(cmd, capture_output=True, text=True).stdout)
    return anns


def run_gsr(out: Path, show: bool) -> None:
    gold = out / "gsr_gold.jsonl"
    r = subprocess.run([sys.executable, str(BENCH / "score_sentences.py"), "--from-plover-gsr",
                        str(BENCH / "plover-gsr" / "PLOVER_GSR_CAMEO.json")], capture_output=True, text=True)
    gold.write_text(r.stdout, encoding="utf-8")
    run_sentences(out, show, gold, "GSR_")


def run_sentences(out: Path, show: bool, gold: Path, name: str) -> None:
    """Each sentence of a score_sentences.py gold file coded as a one-sentence text, and scored."""
    arts = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        arts.append(Article(id=g["id"], uri="", published=g.get("date"), published_precision="day" if g.get("date") else None,
                            language="en", text=g["text"]))
    anns = annotate_cached(arts, out / "cache")
    mentions = []
    for ann in anns:
        mentions += [to_dict(m) for m in code_article(ann)]
    write_jsonl(out / f"{name}MENTIONS.jsonl", mentions)
    cmd = [sys.executable, str(BENCH / "score_sentences.py"), str(gold), str(out / f"{name}MENTIONS.jsonl")]
    cmd += ["--show-misses"] if show else []
    print("$", " ".join(cmd))
    print(subprocess.run(cmd, capture_output=True, text=True).stdout)


def run_speed(anns: list, rounds: int = 20) -> None:
    anns = [a for a in anns if a is not None]
    t0 = time.perf_counter()
    n = 0
    for _ in range(rounds):
        for a in anns:
            code_article(a)
            n += 1
    dt = time.perf_counter() - t0
    ntok = sum(len(a.tokens) for a in anns) * rounds
    print(f"coding throughput: {n / dt:.1f} articles/s ({ntok / dt:.0f} tokens/s, {n} articles, 1 process)")


def run_model_load() -> None:
    """The shipped model: file size and load time (a fresh process, as a worker starts)."""
    from newsline.code.classify import model_dir

    path = model_dir() / "coder.npz"
    code = ("import time; t=time.perf_counter(); from newsline.code.classify import sentence_model; "
            "from newsline.code.rolemodel import role_model; i=time.perf_counter(); sentence_model(); role_model(); "
            "print(f'{time.perf_counter()-i:.2f} s (imports, scikit-learn included, {i-t:.2f} s before)')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**__import__("os").environ,
                       "PYTHONPATH": str(ROOT / "src")})
    print(f"model: {path.stat().st_size / 2**20:.1f} MB, loads in {r.stdout.strip()}")


def run_share(anns: list, articles: list, rounds: int = 5) -> None:
    """Coding's share of a worker's per-article time: annotate (spaCy + actors/time/places) vs code. Each
    phase is timed `rounds` times, interleaved, and the fastest pass of each counts (a pass over 16 articles
    takes a fraction of a second: a busy neighbour on the machine would otherwise decide the figure)."""
    fn = annotator()
    fn(articles[0])  # model loaded
    code_article(anns[0])
    t_ann = t_code = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for a in articles:
            fn(a)
        t_ann = min(t_ann, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for a in anns:
            code_article(a)
        t_code = min(t_code, time.perf_counter() - t0)
    print(f"coding share of a worker's time: {t_code / (t_ann + t_code):.1%} (annotate {t_ann:.2f} s, "
          f"code {t_code:.2f} s over {len(articles)} dev articles, fastest of {rounds} passes each)")


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else Path("/tmp/newsline-code-bench")
    out.mkdir(parents=True, exist_ok=True)
    show = "--show-misses" in argv
    flags = {"--articles", "--gsr", "--speed", "--heldout", "--dev2", "--news"} & set(argv)
    anns = None
    if not flags or "--articles" in flags or "--speed" in flags:
        anns = run_articles(out, show and (not flags or "--articles" in flags))
    if not flags or "--gsr" in flags:
        run_gsr(out, show)
    if "--heldout" in flags:
        run_articles(out, show, ROOT / "benchmarks" / "data" / "heldout", "ho-", "HELDOUT_")
    if "--news" in flags:
        run_sentences(out, show, ROOT / "benchmarks" / "data" / "sentences" / "news.jsonl", "NEWS_")
    if "--dev2" in flags:
        run_articles(out, show, ROOT / "benchmarks" / "data" / "dev2", "d2-", "DEV2_")
    if not flags or "--speed" in flags:
        run_speed(anns or [])
        run_model_load()
        folder = BENCH / "articles-dev"
        arts = [clean_document(RawDocument(id=p.stem, uri=str(p), content=p.read_bytes(),
                                           content_type="html" if p.suffix in (".html", ".htm") else "text"))
                for p in sorted(folder.glob("dev-*")) if not p.name.endswith(".body.txt")]
        run_share(anns or [], arts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
