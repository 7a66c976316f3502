"""Synthetic mentions for the clustering benchmarks (benchmarks/corpus_bench.py `scale` and `partitioned`;
the tests' small stores): `synthetic` draws records with `random` (many countries, actors and persons, 16
types, three years, places with provinces; several outlets report each event with perturbed types, dates,
places, tolls and statuses; syndicated reprints), `synthetic_store` writes them to a store through
`Store.write_batch`. `corpus_synth_fast` draws the same distributions with numpy, for large stores.
"""

from __future__ import annotations

import random
import resource
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from newsline.cluster.events import cluster_events
from newsline.records import ActorRef, Article, EventMention, Evidence, Place, RawDocument, Size

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
