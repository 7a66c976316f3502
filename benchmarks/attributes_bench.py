#!/usr/bin/env python3
"""Event-attribute benchmark: date, place, toll and mediator of events in sentences written for newsline.

    .venv/bin/python benchmarks/attributes_bench.py [--show-misses] [--only date|place|toll|mediator]

Each case of benchmarks/data/attributes_{date,place,toll,mediator}.yaml is one short text (a publication date,
by default the file's) and one event of it picked by a word of its trigger (and its type when given); the
event's attribute is compared with the expected one. A case whose event is not found counts as a miss (and in
`found`). Prints accuracy per attribute and per kind of construction. Annotations are cached under
/tmp/newsline-attr-bench (keyed by text, date and the annotate package's source), so re-runs only re-code.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsline.code import code_article  # noqa: E402
from newsline.records import Article, to_dict  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
ATTRIBUTES = ("date", "place", "toll", "mediator")
CACHE = Path("/tmp/newsline-attr-bench")


def _source_tag() -> str:
    h = hashlib.sha1()
    for p in sorted((ROOT / "src" / "newsline" / "annotate").rglob("*.py")) + sorted(
            (ROOT / "src" / "newsline" / "data").glob("*.yaml")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


class Coder:
    """Annotate (cached on disk) and code one text."""

    def __init__(self) -> None:
        self.tag = _source_tag()
        self.annotator = None
        CACHE.mkdir(parents=True, exist_ok=True)

    def mentions(self, text: str, published: str | None) -> list[dict]:
        key = hashlib.sha1(f"{self.tag}\n{published}\n{text}".encode()).hexdigest()[:16]
        path = CACHE / f"{key}.pkl"
        if path.exists():
            ann = pickle.loads(path.read_bytes())
        else:
            if self.annotator is None:
                from newsline.annotate import Annotator

                self.annotator = Annotator()
            art = Article(id="bench", uri="", published=published, published_precision="day" if published else None,
                          language="en", text=text)
            ann = self.annotator.annotate(art)
            path.write_bytes(pickle.dumps(ann))
        return [to_dict(m) for m in code_article(ann)]


def pick(mentions: list[dict], case: dict) -> dict | None:
    """The mention whose trigger words include the case's trigger word, or else one of its alternatives ("a|b"),
    of the case's type when given."""
    for word in str(case["trigger"]).lower().split("|"):  # alternatives: the first word found wins
        for m in mentions:
            if case.get("type") and m["event_type"] != case["type"]:
                continue
            words = {w for e in m["evidence"] for w in e["trigger"].lower().replace(";", " ").split()}
            if word in words:
                return m
    return None


_DIVISION = re.compile(r"\s+(?:province|district|region|state|city|governorate|oblast|department)$")


def _norm(s: str | None) -> str:
    """Lower case, hyphens as spaces, a trailing division word dropped ("Khost province" is Khost)."""
    return _DIVISION.sub("", (s or "").lower().replace("-", " ").strip())


def check_date(m: dict, case: dict) -> tuple[bool, str]:
    got = (m["date"], m["enddate"], m["date_precision"])
    ok = m["date"] == case["date"]
    if "enddate" in case:
        ok = ok and (m["enddate"] or m["date"]) == case["enddate"]
    if "precision" in case:
        ok = ok and m["date_precision"] == case["precision"]
    return ok, f"{got} [{m['date_text']}]"


def check_place(m: dict, case: dict) -> tuple[bool, str]:
    loc = m["event_loc"] or {}
    names = {_norm(loc.get(k)) for k in ("extracted_place", "resolved_place", "province") if loc.get(k)}
    got = f"{loc.get('extracted_place')}/{loc.get('resolved_place')}/{loc.get('country_code')}"
    if case["place"] is None:
        return not names, got
    ok = _norm(case["place"]) in names
    if "country" in case:
        ok = ok and loc.get("country_code") == case["country"]
    return ok, got


def check_toll(m: dict, case: dict) -> tuple[bool, str]:
    size = m["size"] or {}
    ok = all(size.get(f) == case[f] for f in ("dead", "injured", "arrested") if f in case)
    return ok, str({f: size.get(f) for f in ("dead", "injured", "arrested")})


def check_mediator(m: dict, case: dict) -> tuple[bool, str]:
    meds = m["mediator"] or []

    def hit(want: str, ref: dict) -> bool:
        w = want.lower()
        return ref.get("country") == want or w in _norm(ref.get("name")) or w in _norm(ref.get("text"))

    want = list(case["mediator"])
    ok = all(any(hit(w, r) for r in meds) for w in want) and all(any(hit(w, r) for w in want) for r in meds)
    return ok, str([r.get("name") or r.get("text") for r in meds])


CHECKS = {"date": check_date, "place": check_place, "toll": check_toll, "mediator": check_mediator}


def run(attribute: str, coder: Coder, show: bool) -> tuple[int, int, int]:
    spec = yaml.safe_load((DATA / f"attributes_{attribute}.yaml").read_text(encoding="utf-8"))
    ok_by, n_by = defaultdict(int), defaultdict(int)
    found = 0
    for case in spec["cases"]:
        pub = str(case.get("published", spec.get("published")))
        m = pick(coder.mentions(case["text"], pub), case)
        n_by[case["kind"]] += 1
        if m is None:
            if show:
                print(f"  {attribute} no event [{case['trigger']}]: {case['text']}")
            continue
        found += 1
        ok, got = CHECKS[attribute](m, case)
        ok_by[case["kind"]] += int(ok)
        if show and not ok:
            want = {k: v for k, v in case.items() if k not in ("text", "kind", "trigger", "type")}
            print(f"  {attribute} miss [{case['trigger']}] want={want} got={got}: {case['text']}")
    n, ok = sum(n_by.values()), sum(ok_by.values())
    kinds = " ".join(f"{k}={ok_by[k]}/{n_by[k]}" for k in n_by)
    print(f"{attribute}_acc: {ok / n:.3f} ({ok}/{n}, found {found}/{n}; {kinds})")
    return ok, n, found


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--only", choices=ATTRIBUTES)
    args = ap.parse_args(argv)
    coder = Coder()
    for attribute in [args.only] if args.only else ATTRIBUTES:
        run(attribute, coder, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
