#!/usr/bin/env python3
"""Per-document memory bound (issue 13, item 7): peak RSS and time of one hostile document.

Each case runs in a fresh child process that first warms up on a short article (spaCy, the cleaner's
libraries and the coder loaded, as in a run's worker), then reads, cleans, annotates and codes one
generated hostile document exactly as a worker does (`read_source` + `process_document`). It prints the
child's peak RSS, the growth of that peak over the warmed-up worker, and the seconds the document took.

Inputs are generated at run time in a temporary folder:
  line-5mb     a 5 MB .txt of one line (news sentences joined by spaces)
  tags-1m      an 8 MB HTML page of 1M tags (`<b>x</b>` repeated)
  deep-100k    an HTML page nested 100,000 <div>s deep
  para-5mb     a 5 MB .txt of ordinary paragraphs (a long document that is not hostile in shape)

Usage:
    .venv/bin/python benchmarks/hostile_memory.py [--case NAME ...] [--mb 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = ("Officials in Islamabad said on Monday that a delegation of tribal elders had travelled to Kabul "
            "for talks with the Tehrik-i-Taliban Pakistan, mediated by the Afghan Taliban. ")
WARMUP = "Talks in Kabul\n" + SENTENCE * 3


def _sentences(n: int) -> str:
    # numbered, so that no two sentences are the same (the cleaner drops lines repeated on a page)
    return "".join(SENTENCE.replace("tribal elders", f"{i} tribal elders") for i in range(n))


def _write_line(path: Path, mb: float) -> None:
    path.write_text(_sentences(int(mb * 1e6 / len(SENTENCE))))


def _write_tags(path: Path, mb: float) -> None:
    path.write_text("<html><body><article>" + "<b>x</b>" * int(mb * 1e6 / 8) + "</article></body></html>")


def _write_deep(path: Path, mb: float) -> None:
    path.write_text("<html><body>" + "<div>" * 100_000 + SENTENCE + "</div>" * 100_000 + "</body></html>")


def _write_paragraphs(path: Path, mb: float) -> None:
    n = int(mb * 1e6 / len(SENTENCE))
    path.write_text("".join(_sentences(4).replace("elders", f"elders ({i})") + "\n" for i in range(n // 4)))


CASES = {
    "line-5mb": ("line.txt", _write_line),
    "tags-1m": ("tags.html", _write_tags),
    "deep-100k": ("deep.html", _write_deep),
    "para-5mb": ("paragraphs.txt", _write_paragraphs),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str) -> None:
    """Warm up like a worker, then process one document; print one JSON line of figures."""
    from newsline.ingest import iter_sources, read_source
    from newsline.pipeline import process_document
    from newsline.records import RawDocument

    warm = RawDocument(id="warm", uri="warm", content=WARMUP.encode(), content_type="text")
    process_document(warm)
    base = _peak_mb()
    t0 = time.perf_counter()
    src = next(iter_sources([path]))
    results = [process_document(doc) for doc in read_source(src)]
    seconds = time.perf_counter() - t0
    art = results[0].article
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(_peak_mb()), "warm_mb": round(base),
                      "text_chars": len(art.text), "error": art.error,
                      "dropped": len(art.dropped_lines), "mentions": sum(len(r.mentions) for r in results)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", choices=sorted(CASES), help="cases to run (default: all)")
    ap.add_argument("--mb", type=float, default=5.0, help="size of the one-line and paragraph texts (MB)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.case or list(CASES):
            filename, write = CASES[name]
            path = Path(tmp) / filename
            write(path, 8.0 if name == "tags-1m" else args.mb)
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True,
                                 text=True, check=False)
            if out.returncode:
                print(f"{name:10s} child failed (exit {out.returncode}): {out.stderr.strip()[-300:]}")
                continue
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{name:10s} {path.stat().st_size / 1e6:5.1f} MB input  {f['seconds']:6.1f} s  "
                  f"peak RSS {f['peak_mb']:5d} MB (+{f['peak_mb'] - f['warm_mb']} MB over the warm worker)  "
                  f"text {f['text_chars']} chars, {f['dropped']} dropped lines, {f['mentions']} mentions, "
                  f"error: {f['error']}")


if __name__ == "__main__":
    main()
