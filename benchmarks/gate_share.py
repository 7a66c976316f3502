#!/usr/bin/env python3
"""The share of sentences (and tokens) the parse gate sends through spaCy's full pipeline (issue 17).

    .venv/bin/python benchmarks/gate_share.py STORE.duckdb|ARTICLES.jsonl ...

Reads the clean article bodies of a store (`newsline run --db`) or of an articles JSONL (`newsline export
--what articles --format jsonl`, or code_bench.py's ARTICLES.jsonl) and runs the gate's first pass
(`newsline.annotate.gate`: tokenizer and sentence rule only) on each; prints, per input, the sentences and
tokens kept for the parse.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def texts(path: Path) -> list[str]:
    if path.suffix == ".duckdb":
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        rows = con.execute("SELECT text FROM articles WHERE error IS NULL ORDER BY id").fetchall()
        con.close()
        return [r[0] for r in rows if r[0]]
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                text = json.loads(line).get("text")
                if text:
                    out.append(text)
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    from newsline.annotate import Annotator

    ann = Annotator(full_parse=False)
    if ann.gate is None:
        print("the gate is off in this environment (NEWSLINE_FULL_PARSE, or a model that adds events)")
        return 1
    for arg in argv:
        seen = parsed = tokens = kept = 0
        docs = texts(Path(arg))
        for text in docs:
            doc = ann.nlp.make_doc(text[:ann.nlp.max_length])
            plan = ann.gate.plan(doc)
            seen += plan.sentences
            parsed += plan.parsed_sentences
            tokens += len(doc)
            kept += sum(b - a for a, b, p in plan.segments if p)
        print(f"{arg}: {len(docs)} articles, {parsed}/{seen} sentences parsed ({parsed / max(1, seen):.1%}), "
              f"tokens {kept / max(1, tokens):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
