#!/usr/bin/env python3
"""Event recall/precision on the example corpus against tests/fixtures/corpus_expected.yaml (events written by
the corpus authors): a second, independent measure of the coder, by the matching idea of the shared scorer.

    newsline run examples/corpus --db /tmp/c.duckdb
    newsline export --db /tmp/c.duckdb --what mentions --format jsonl --out /tmp/c_mentions.jsonl
    .venv/bin/python benchmarks/corpus_events.py /tmp/c_mentions.jsonl [--show-misses]

A mention matches an expected event when its type is the event's type (or one of `also_acceptable`) and it
names the event's parties: for directed events one expected actor among its actors and one expected recipient
among its recipients (either way round for two-sided types); for events listing only actors, two of them (or
the one) anywhere in the mention. An entity matches by id, by name/person, or by country + sector (a missing
sector on either side matches). Events are matched one-to-one (augmenting paths); required events count for
recall; a mention matching nothing (not even an optional event) is a false positive, a second mention of a
matched event a duplicate (counted against precision, as in `score.py` events_f1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "fixtures" / "corpus_expected.yaml"
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE", "CONCEDE", "ASSAULT", "RETREAT"}


def norm(s) -> str:
    return " ".join(str(s or "").lower().replace("’", "'").split())


def ent_match(sys_e: dict, gold_e: dict) -> bool:
    if gold_e.get("id") and sys_e.get("id") and norm(gold_e["id"]) == norm(sys_e["id"]):
        return True
    names = {norm(gold_e.get(k)) for k in ("name", "person") if gold_e.get(k)}
    if any(norm(sys_e.get(k)) in names for k in ("name", "person", "text") if sys_e.get(k)):
        return True
    gc, sc = gold_e.get("country"), sys_e.get("country")
    if not gc or gc != sc:
        return False
    gs, ss = gold_e.get("sector"), sys_e.get("sector")
    return gs is None or ss is None or gs == ss


def any_match(sys_list: list, gold_list: list) -> bool:
    return any(ent_match(s, g) for s in sys_list or [] for g in gold_list or [])


def matches(m: dict, ev: dict) -> bool:
    types = {ev["event_type"], *(ev.get("also_acceptable") or [])}
    if m.get("event_type") not in types:
        return False
    acts, recs = m.get("actor") or [], m.get("recipient") or []
    everyone = acts + recs + (m.get("mediator") or [])
    g_act, g_rec = ev.get("actor") or [], ev.get("recipient") or []
    if not g_rec:
        hit = sum(1 for g in g_act if any(ent_match(s, g) for s in everyone))
        return hit >= min(2, len(g_act)) if g_act else bool(everyone)
    if any_match(acts, g_act) and any_match(recs, g_rec):
        return True
    if m.get("event_type") in SYMMETRIC:
        return any_match(everyone, g_act) and any_match(everyone, g_rec)
    return False


def max_matching(cands: dict) -> dict:
    owner: dict[int, object] = {}

    def assign(g, seen):
        for s in cands[g]:
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or assign(owner[s], seen):
                owner[s] = g
                return True
        return False

    for g in sorted(cands, key=lambda k: k[1]):  # required first
        assign(g, set())
    return {g: s for s, g in owner.items()}


def article_key(sys_id: str, expected: dict) -> str | None:
    if sys_id in expected:
        return sys_id
    for k in expected:
        if sys_id.endswith(k.rsplit("#", 1)[-1]) or k.endswith(sys_id.rsplit("/", 1)[-1]):
            return k
    return None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    show = "--show-misses" in argv
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["articles"]
    by_art: dict[str, list] = {}
    with open(argv[1], encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                m = json.loads(line)
                k = article_key(m["article_id"], expected)
                by_art.setdefault(k, []).append(m)
    tp = fn = fp = dup = 0
    for key, art in expected.items():
        evs = art.get("events") or []
        ms = by_art.get(key, [])
        cands = {(i, 0 if ev.get("required", True) else 1): [j for j, m in enumerate(ms) if matches(m, ev)]
                 for i, ev in enumerate(evs)}
        match = max_matching(cands)
        used = set(match.values())
        for (i, opt), _ in cands.items():
            if opt:
                continue
            if (i, opt) in match:
                tp += 1
            else:
                fn += 1
                if show:
                    ev = evs[i]
                    print(f"  missed {key}#{ev['n']} {ev['event_type']} {ev.get('key')}")
        for j, m in enumerate(ms):
            if j in used:
                continue
            if any(j in c for c in cands.values()):
                dup += 1
            else:
                fp += 1
                if show:
                    acts = [e.get("name") or e.get("text") for e in m.get("actor") or []]
                    recs = [e.get("name") or e.get("text") for e in m.get("recipient") or []]
                    sent = (m.get("evidence") or [{}])[0].get("sentence", "")[:90]
                    print(f"  false positive {key} {m['event_type']} {acts}->{recs}: {sent}")
    p = tp / (tp + fp + dup) if tp + fp + dup else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"corpus events: tp={tp} fp={fp} dup={dup} fn={fn} precision={p:.3f} recall={r:.3f} f1={f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
