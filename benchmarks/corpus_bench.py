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
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "articles-dev"

from newsline.cluster.articles import link_duplicates  # noqa: E402
from newsline.cluster.events import cluster_events, event_ids_by_mention  # noqa: E402
from newsline.records import (  # noqa: E402
    ActorRef,
    Article,
    EventMention,
    Evidence,
    Place,
    RawDocument,
    Size,
    to_dict,
)


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


# --------------------------------------------------------------------------- example corpus expectations
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


# --------------------------------------------------------------------------- synthetic corpus
TYPES = {"ASSAULT": 25, "CONSULT": 15, "ACCUSE": 12, "AGREE": 8, "REQUEST": 8, "REJECT": 5, "SUPPORT": 5,
         "COERCE": 5, "THREATEN": 4, "PROTEST": 4, "MOBILIZE": 3, "CONCEDE": 2, "RETREAT": 2, "AID": 1,
         "COOPERATE": 1, "SANCTION": 1}
MODES = {"ASSAULT": ["firearms", "aerial", "drone", "explosives", "heavy-weapons", None],
         "CONSULT": ["visit", "phone", "multilateral", None], "COERCE": ["arrest", "seize", None],
         "PROTEST": ["demo", "riot", None], "RETREAT": ["release", "ceasefire", None]}
COMPATIBLE = {"AGREE": ["CONCEDE", "SUPPORT"], "CONCEDE": ["AGREE", "RETREAT"], "SUPPORT": ["AGREE"]}
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE", "CONCEDE"}
VERBS = {"ASSAULT": "attacked", "CONSULT": "held talks with", "ACCUSE": "accused", "AGREE": "agreed with",
         "REQUEST": "called on", "REJECT": "rejected", "SUPPORT": "welcomed", "COERCE": "detained members of",
         "THREATEN": "warned", "PROTEST": "protested against", "MOBILIZE": "deployed troops against",
         "CONCEDE": "declared a truce with", "RETREAT": "released prisoners of", "AID": "sent aid to",
         "COOPERATE": "signed a trade deal with", "SANCTION": "cut ties with"}
WORDS = ["border", "convoy", "bridge", "market", "district", "airport", "checkpoint", "pipeline", "ministry", "summit", "corridor", "truce", "valley", "garrison", "port", "dam", "highway", "embassy", "prison", "camp", "refinery", "station", "harbour", "province"]


class World:
    """Countries with state actors, rebel groups, civilians, persons, neighbours and places."""

    def __init__(self, rng: random.Random, n_countries: int = 80) -> None:
        self.rng = rng
        self.countries = [f"C{i:02d}" for i in range(n_countries)]
        self.weights = [1 / (i + 1) ** 0.8 for i in range(n_countries)]  # a few hot countries
        self.actors: dict[str, list[ActorRef]] = {}
        self.persons: dict[str, list[tuple[str, str, str]]] = {}
        self.places: dict[str, list[Place]] = {}
        self.neighbours: dict[str, list[str]] = {}
        for i, c in enumerate(self.countries):
            refs = [ActorRef(id=c.lower(), name=f"Country {c}", country=c, sector="GOV", kind="state")]
            refs += [ActorRef(id=f"{c.lower()}-reb{j}", name=f"Rebels {c}-{j}", country=c, sector="REB",
                              kind="group") for j in range(rng.randint(0, 3))]
            refs.append(ActorRef(id=f"{c.lower()}-civ", name=f"Civilians of {c}", country=c, sector="CVL"))
            self.actors[c] = refs
            self.persons[c] = [(f"Person {c}-{j}", rng.choice(["Minister", "General", "President", "Envoy"]),
                                rng.choice(["GOV", "MIL", "SPY"])) for j in range(rng.randint(2, 6))]
            provinces = [f"Province {c}-{j}" for j in range(3)]
            self.places[c] = [Place(f"Town {c}-{j}", f"Town {c}-{j}", c, provinces[j % 3], float(i), float(j), 4)
                              for j in range(8)] + [Place(p, p, c, p, float(i), 0.0, 2) for p in provinces]
            self.neighbours[c] = [self.countries[(i + d) % n_countries] for d in (1, 2, 3, 7)]

    def dyad(self) -> tuple[str, ActorRef, ActorRef]:
        c = self.rng.choices(self.countries, self.weights)[0]
        actor = self.rng.choice(self.actors[c][:-1])
        if self.rng.random() < 0.5:
            other = self.rng.choice(self.neighbours[c])
            recip = self.rng.choice(self.actors[other])
        else:
            recip = self.rng.choice([a for a in self.actors[c] if a is not actor])
        return c, actor, recip


def _truth_events(world: World, n_events: int, start: date, days: int):
    rng = world.rng
    types, weights = list(TYPES), list(TYPES.values())
    for i in range(n_events):
        c, actor, recip = world.dyad()
        etype = rng.choices(types, weights)[0]
        yield {"i": i, "type": etype, "mode": rng.choice(MODES.get(etype, [None])), "actor": actor,
               "recip": recip, "date": start + timedelta(days=rng.randrange(days)),
               "place": rng.choice(world.places[recip.country if etype in {"ASSAULT", "CONSULT"} else c]),
               "dead": rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 35]) if etype == "ASSAULT" else None,
               "keyword": rng.choice(WORDS), "person": rng.choice(world.persons[actor.country])}


def _report(world: World, ev: dict, mid: str, article: str) -> EventMention:
    rng = world.rng
    etype = ev["type"]
    if etype in COMPATIBLE and rng.random() < 0.1:
        etype = rng.choice(COMPATIBLE[etype])
    actor, recip = ev["actor"], ev["recip"]
    if etype in SYMMETRIC and rng.random() < 0.5:
        actor, recip = recip, actor
    if rng.random() < 0.3 and actor.kind == "state":
        name, role, sector = ev["person"]
        actor = ActorRef(id=actor.id, name=actor.name, country=actor.country, sector=sector, person=name,
                         role=role, text=f"{role} {name}")
    d, precision, dated = ev["date"], "day", True
    r = rng.random()
    if r < 0.08:
        precision = "month"
    elif r < 0.18:
        d = d + timedelta(days=rng.choice([-1, 1]))
    elif r < 0.23:
        dated = False
    place = ev["place"]
    r = rng.random()
    if r < 0.3:
        place = None
    elif r < 0.45 and place.resolution == 4:
        place = Place(place.province, place.province, place.country_code, place.province, place.lat, 0.0, 2)
    dead = ev["dead"]
    if dead is not None and rng.random() < 0.2:
        dead = max(0, dead + rng.choice([-3, -1, 1, 2, 4]))
    status = rng.choices(["asserted", "reported", "denied"], [66, 30, 4])[0]
    sentence = (f"{actor.text or actor.name} {VERBS[ev['type']]} {recip.name} "
                f"{'near the ' + ev['keyword'] if rng.random() < 0.6 else ''} "
                f"{'in ' + place.resolved_place if place else ''}, {rng.choice(['officials', 'witnesses'])} said.")
    return EventMention(
        id=mid, article_id=article, event_type=etype, mode=ev["mode"] if rng.random() < 0.8 else None,
        actor=[actor], recipient=[recip], date=(d.isoformat()[:7] if precision == "month" else d.isoformat())
        if dated else None, date_precision=precision if dated else None, event_loc=place, size=Size(dead=dead),
        status=status, evidence=[Evidence(sentence, 0, len(sentence), VERBS[ev["type"]])])


def synthetic(n_mentions: int, seed: int = 1, outlets: int = 12, reprint_rate: float = 0.05,
              undated_rate: float = 0.0):
    """(mentions, articles, truth: mention id -> true event index). `undated_rate`: the share of articles
    without a publication date (their undated mentions have no date window at all)."""
    rng = random.Random(seed)
    world = World(rng)
    start, days = date(2021, 1, 1), 3 * 365
    mentions: list[EventMention] = []
    articles: dict[str, Article] = {}
    truth: dict[str, int] = {}
    per_article: Counter[str] = Counter()
    target = int(n_mentions / (1 + reprint_rate))  # reprints come on top
    for ev in _truth_events(world, n_mentions, start, days):
        k = min(1 + int(rng.expovariate(0.9)), outlets)
        for outlet in rng.sample(range(outlets), k):
            pub = ev["date"] + timedelta(days=rng.choice([0, 1, 1, 2, 5]))
            aid = f"o{outlet:02d}-{ev['actor'].country}-{pub.isocalendar()[0]}w{pub.isocalendar()[1]:02d}"
            articles.setdefault(aid, Article(id=aid, uri=f"https://outlet{outlet}.example/{aid}",
                                             published=pub.isoformat()))
            per_article[aid] += 1
            m = _report(world, ev, f"{aid}-m{per_article[aid]:03d}", aid)
            mentions.append(m)
            truth[m.id] = ev["i"]
            if len(mentions) >= target:
                break
        if len(mentions) >= target:
            break
    _add_reprints(rng, mentions, articles, truth, reprint_rate)
    if undated_rate:
        drop = random.Random(seed + 1)
        for a in articles.values():
            if drop.random() < undated_rate:
                a.published = None
    return mentions, list(articles.values()), truth


def _add_reprints(rng, mentions, articles, truth, rate) -> None:
    by_article: dict[str, list[EventMention]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    originals = [a for a in sorted(articles) if rng.random() < rate]
    for aid in originals:
        copy = f"{aid}-reprint"
        articles[copy] = Article(id=copy, uri=f"https://reprints.example/{copy}", published=articles[aid].published,
                                 duplicate_of=aid)
        for m in by_article[aid]:
            c = EventMention(**{f: getattr(m, f) for f in m.__slots__})
            c.id, c.article_id = m.id.replace(aid, copy), copy
            mentions.append(c)
            truth[c.id] = truth[m.id]


def synthetic_store(path: Path, n: int, seed: int = 1, undated_rate: float = 0.0, chunk: int = 200_000,
                    words: int = 120) -> dict:
    """A store of `n` synthetic mentions as the per-article stage leaves it (articles with their band keys,
    mentions; no events yet), generated in chunks of `chunk` mentions (seeds seed, seed+1, ...; ids prefixed by
    the chunk) so that generating a million needs no more memory than a chunk. Each article gets a generated
    text and a reprint its original's, so the near-duplicate stage links the reprints again."""
    from newsline.cluster.bands import band_keys
    from newsline.store.db import Store

    counts = Counter()
    with Store(path) as store:
        for c, start in enumerate(range(0, n, chunk)):
            mentions, articles, _ = synthetic(min(chunk, n - start), seed + c, undated_rate=undated_rate)
            prefix = f"c{c}-" if n > chunk else ""
            by_article: dict[str, list[EventMention]] = {}
            for m in mentions:
                m.id, m.article_id = prefix + m.id, prefix + m.article_id
                by_article.setdefault(m.article_id, []).append(m)
            texts = {}
            for a in sorted(articles, key=lambda a: a.id):
                if not a.duplicate_of:
                    rng = random.Random(f"{seed}-{c}-{a.id}")
                    texts[a.id] = " ".join(f"w{rng.randrange(5000)}" for _ in range(words))
            items, bands = [], {}
            for a in articles:
                a.text = texts[a.duplicate_of or a.id]
                a.id, a.duplicate_of = prefix + a.id, None  # found again by the near-duplicate stage
                bands[a.id] = band_keys(a.text)
                items.append((RawDocument(id=a.id, uri=a.uri, content=b""), a, by_article.get(a.id, [])))
            for i in range(0, len(items), 5000):
                store.write_batch(items[i:i + 5000], bands=bands)
            counts.update(mentions=len(mentions), articles=len(articles))
    return dict(counts)


def pair_scores(events, truth: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of 'same event' over mention pairs."""
    pred = {mid: e.id for e in events for mid in e.mentions}
    cells = Counter((pred[m], t) for m, t in truth.items() if m in pred)
    same_both = sum(n * (n - 1) // 2 for n in cells.values())
    pred_sizes = Counter(pred[m] for m in truth if m in pred)
    true_sizes = Counter(t for m, t in truth.items() if m in pred)
    same_pred = sum(n * (n - 1) // 2 for n in pred_sizes.values())
    same_true = sum(n * (n - 1) // 2 for n in true_sizes.values())
    return same_both / max(same_pred, 1), same_both / max(same_true, 1)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def scale_one(n: int, seed: int, undated_rate: float = 0.0) -> dict:
    t0 = time.perf_counter()
    mentions, articles, truth = synthetic(n, seed, undated_rate=undated_rate)
    t1 = time.perf_counter()
    before = _rss_mb()
    events = cluster_events(mentions, articles)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, r = pair_scores(events, truth)
    return {"mentions": len(mentions), "articles": len(articles), "true_events": len(set(truth.values())),
            "events": len(events), "generate_s": round(t1 - t0, 1), "cluster_s": round(t2 - t1, 1),
            "rss_before_mb": round(before), "peak_rss_mb": round(peak), "pair_precision": round(p, 3),
            "pair_recall": round(r, 3),
            "reprint_mentions": sum(1 for m in mentions if m.article_id.endswith("-reprint")),
            "undated_articles": sum(1 for a in articles if not a.published)}


def _stages_one(db: str, engine: str, workers: int, window: int) -> dict:
    """The corpus stages over the store `db` (single-process when `engine` is "single"), in this process."""
    from newsline.cluster import partitions
    from newsline.cluster.corpus import run_corpus_stages
    from newsline.store.db import Store

    opts = None if engine == "single" else partitions.PartitionOptions(window_days=window, engine=engine,
                                                                       workers=workers)
    t0 = time.perf_counter()
    with Store(db) as store:
        dups, events = run_corpus_stages(store, opts)
    wall = time.perf_counter() - t0
    return {"engine": engine, "workers": workers if opts else 1, "wall_s": round(wall, 1), "events": events,
            "duplicates": dups, "writer_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "children_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            **partitions.LAST_RUN}


def _differences(a: str, b: str) -> dict:
    """Rows of events and mention links in one store and not the other (SQL EXCEPT both ways)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for name, cols in (("events", "*"), ("mentions", "id, event_id"), ("articles", "id, duplicate_of")):
        out[name] = sum(con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{name} EXCEPT ALL "
                                    f"SELECT {cols} FROM {y}.{name})").fetchone()[0] for x, y in (("a", "b"), ("b", "a")))
    return out


def partitioned(args) -> None:
    """Each size: a synthetic store built once, then the corpus stages over a fresh copy of it per engine,
    each in a fresh process; with "single" among the engines, the others' stored events are compared to it."""
    import shutil

    folder = Path(args.keep or tempfile.mkdtemp(prefix="corpus-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        base = folder / f"synthetic-{n}.duckdb"
        if not base.exists():
            t0 = time.perf_counter()
            counts = synthetic_store(base, n, args.seed)
            print(f"# {n}: store built in {time.perf_counter() - t0:.0f} s: {json.dumps(counts)}", flush=True)
        done = {}
        for engine in args.engines:
            db = folder / f"run-{n}-{engine}.duckdb"
            shutil.copy(base, db)
            out = subprocess.run([sys.executable, __file__, "_stages", str(db), engine, str(args.workers),
                                  str(args.window)], capture_output=True, text=True)
            if out.returncode:
                print(f"{n} {engine}: failed\n{out.stderr[-3000:]}", flush=True)
                continue
            r = {"mentions": n, **json.loads(out.stdout.strip().splitlines()[-1])}
            if "single" in done and engine != "single":
                r["differences_from_single"] = _differences(str(done["single"]), str(db))
            done[engine] = db
            print(json.dumps(r), flush=True)
        for db in done.values():
            db.unlink(missing_ok=True)


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
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", default=None, help="folder for the synthetic stores (kept: reused by the next run)")
    st = sub.add_parser("_stages")
    st.add_argument("db")
    st.add_argument("engine")
    st.add_argument("workers", type=int)
    st.add_argument("window", type=int)
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
        print(json.dumps(_stages_one(args.db, args.engine, args.workers, args.window)))
    else:
        print(json.dumps(scale_one(args.n, args.seed, args.undated_rate)))


if __name__ == "__main__":
    main()
