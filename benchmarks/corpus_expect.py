"""The example corpus's expected events matched to system mentions (benchmarks/corpus_bench.py `corpus`;
tests/test_corpus_events.py): `match_expected`, `corpus_scores`, `recluster`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import yaml

from newsline.cluster.events import cluster_events, event_ids_by_mention
from newsline.records import ActorRef, Article, EventMention, Evidence, Place, Size


def _day(text) -> date | None:
    if not text:
        return None
    t = str(text)[:10]
    try:
        return date.fromisoformat(t if len(t) == 10 else (t + "-01" if len(t) == 7 else t + "-01-01"))
    except ValueError:
        return None


def _span(start, end, precision) -> tuple[date, date] | None:
    lo = _day(start)
    if lo is None:
        return None
    raw = str(start)
    if precision == "year" or len(raw) == 4:
        hi = date(lo.year, 12, 31)
    elif precision == "month" or len(raw) == 7:
        hi = (date(lo.year + lo.month // 12, lo.month % 12 + 1, 1) - timedelta(days=1))
    elif precision == "week":
        hi = lo + timedelta(days=6)
    else:
        hi = lo
    end = _day(end)
    return lo, max(hi, end) if end else hi


def _expected_span(ev: dict) -> tuple[date, date] | None:
    if ev.get("date_earliest") or ev.get("date_latest"):
        lo = _day(ev.get("date_earliest") or ev.get("date"))
        hi = _day(ev.get("date_latest") or ev.get("enddate") or ev.get("date"))
        return (lo, hi) if lo and hi else None
    return _span(ev.get("date"), ev.get("enddate"), ev.get("date_precision"))


def _countries(rec: dict) -> set[str]:
    return {a.get("country") for r in ("actor", "recipient", "mediator") for a in rec.get(r) or []
            if a.get("country")}


def _persons(rec: dict) -> set[str]:
    return {str(a["person"]).lower().split()[-1] for r in ("actor", "recipient", "mediator")
            for a in rec.get(r) or [] if a.get("person")}


def _place_name(rec: dict) -> str:
    p = rec.get("place") or rec.get("event_loc") or {}
    return " ".join(str(p.get(k) or "") for k in ("name", "extracted_place", "resolved_place")).lower()


def _match_score(ev: dict, m: dict) -> float | None:
    """How well a system mention fits an expected event; None when it cannot be that event (other type, or
    dates more than a day apart)."""
    if m.get("event_type") not in {ev["event_type"], *(ev.get("also_acceptable") or [])}:
        return None
    score = 1.0
    es, ms = _expected_span(ev), _span(m.get("date"), m.get("enddate"), m.get("date_precision"))
    if es and ms:
        gap = max((ms[0] - es[1]).days, (es[0] - ms[1]).days)
        if gap > 1:
            return None
        score += 2.5 if es == ms else 2.0 if gap <= 0 else 1.0
    if _persons(ev) & _persons(m):
        score += 1.0
    ec, mc = _countries(ev), _countries(m)
    if ec and mc:
        score += len(ec & mc) / len(ec | mc)
    place = (ev.get("place") or {}).get("name")
    if place and place.lower() in _place_name(m):
        score += 1.0
    if ev.get("mode") and ev.get("mode") == m.get("mode"):
        score += 0.5
    return score


def _article_ids(expected: dict, articles: Iterable[dict]) -> dict[str, str]:
    """Expected article id -> system article id (same id, else the same uri, else an id ending the same)."""
    arts = list(articles)
    ids, by_uri = {a["id"] for a in arts}, {a.get("uri"): a["id"] for a in arts if a.get("uri")}
    out = {}
    for eid, ea in expected["articles"].items():
        if eid in ids:
            out[eid] = eid
        elif ea.get("uri") in by_uri:
            out[eid] = by_uri[ea["uri"]]
        else:
            found = sorted(i for i in ids if i.endswith(("/" + eid, "#" + eid)))
            if found:
                out[eid] = found[0]
    return out


def match_expected(expected: dict, mentions: Iterable[dict], articles: Iterable[dict] = ()) -> dict[str, dict]:
    """Expected event ref ("<article id>#<n>") -> the system mention (exported dict) matched to it, one to one,
    best scores first, within the same article."""
    by_article: dict[str, list[dict]] = {}
    for m in mentions:
        by_article.setdefault(m["article_id"], []).append(m)
    ids = _article_ids(expected, articles) if articles else {a: a for a in expected["articles"]}
    out: dict[str, dict] = {}
    for eid, ea in expected["articles"].items():
        cands = by_article.get(ids.get(eid, eid), [])
        scored = sorted(((s, ev["n"], m["id"]) for ev in ea.get("events") or [] for m in cands
                         if (s := _match_score(ev, m)) is not None), key=lambda x: (-x[0], x[1], x[2]))
        used: set[str] = set()
        by_id = {m["id"]: m for m in cands}
        for _, n, mid in scored:
            ref = f"{eid}#{n}"
            if ref not in out and mid not in used:
                out[ref] = by_id[mid]
                used.add(mid)
    return out


def corpus_scores(expected: dict, mentions: Iterable[dict], articles: Iterable[dict] = ()) -> dict:
    """Pairwise precision/recall of "same event" over matched mentions, and wrongly merged look-alikes."""
    mentions = list(mentions)
    matched = match_expected(expected, mentions, articles)
    keys = {f"{eid}#{ev['n']}": ev["key"] for eid, ea in expected["articles"].items() for ev in ea.get("events") or []}
    truth = {m["id"]: keys[ref] for ref, m in matched.items()}
    pred = {m["id"]: m.get("event_id") or m["id"] for m in matched.values()}
    order = sorted(truth)
    pairs = [(x, y) for i, x in enumerate(order) for y in order[i + 1:]]
    same_pred = [(a, b) for a, b in pairs if pred[a] == pred[b]]
    same_true = [(a, b) for a, b in pairs if truth[a] == truth[b]]
    both = [(a, b) for a, b in same_pred if truth[a] == truth[b]]

    def merged(kind: str) -> tuple[int, int, list]:
        found, bad = 0, []
        for item in expected.get(kind) or []:
            a, b = (matched.get(r) for r in item["pair"])
            if a is None or b is None:
                continue
            found += 1
            if pred[a["id"]] == pred[b["id"]]:
                bad.append(item["pair"])
        return found, len(bad), bad

    d_found, d_bad, d_list = merged("distinct")
    r_found, r_bad, r_list = merged("related")
    groups = expected.get("same_event") or []
    found_groups = [[matched[r]["id"] for r in g["mentions"] if r in matched] for g in groups]
    return {"expected_events": len(keys), "matched": len(matched), "mentions": len(mentions),
            "pair_precision": len(both) / len(same_pred) if same_pred else 1.0,
            "pair_recall": len(both) / len(same_true) if same_true else 1.0,
            "same_pairs_pred": len(same_pred), "same_pairs_true": len(same_true),
            "same_event_groups_found": sum(1 for g in found_groups if len(g) > 1),
            "same_event_groups_whole": sum(1 for g in found_groups if len(g) > 1 and len({pred[m] for m in g}) == 1),
            "distinct_found": d_found, "distinct_merged": d_bad, "distinct_merged_pairs": d_list,
            "related_found": r_found, "related_merged": r_bad, "related_merged_pairs": r_list,
            "wrong_merges": [(a, b, truth[a], truth[b]) for a, b in same_pred if truth[a] != truth[b]],
            "missed": [(a, b, truth[a]) for a, b in same_true if pred[a] != pred[b]]}


def mention_from_dict(d: dict) -> EventMention:
    """An exported mention back as a record (to re-cluster exported mentions with the current clusterer)."""
    d = dict(d)
    for role in ("actor", "recipient", "mediator"):
        d[role] = [ActorRef(**a) for a in d.get(role) or []]
    d["event_loc"] = Place(**d["event_loc"]) if d.get("event_loc") else None
    d["size"] = Size(**(d.get("size") or {}))
    d["evidence"] = [Evidence(**e) for e in d.get("evidence") or []]
    return EventMention(**{k: v for k, v in d.items() if k in EventMention.__slots__})


def recluster(mentions: list[dict], articles: list[dict]) -> list[dict]:
    """Exported mentions with their `event_id` recomputed by the current clusterer (from scratch)."""
    arts = [Article(id=a["id"], uri=a.get("uri") or "", published=a.get("published"),
                    duplicate_of=a.get("duplicate_of")) for a in articles]
    records = [mention_from_dict({**m, "event_id": None}) for m in mentions]
    ids = event_ids_by_mention(cluster_events(records, arts))
    return [{**m, "event_id": ids.get(m["id"])} for m in mentions]


def _read_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus(args) -> None:
    expected = yaml.safe_load(Path(args.expected).read_text(encoding="utf-8"))
    mentions, articles = _read_jsonl(args.mentions), _read_jsonl(args.articles) if args.articles else []
    if args.recluster:
        mentions = recluster(mentions, articles)
    s = corpus_scores(expected, mentions, articles)
    for k, v in s.items():
        if isinstance(v, list):
            print(f"{k}:")
            for x in v:
                print(f"    {x}")
        else:
            print(f"{k}: {round(v, 3) if isinstance(v, float) else v}")
