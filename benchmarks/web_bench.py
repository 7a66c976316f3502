"""Web view speed on a synthetic store (default 50k events).

    .venv/bin/python benchmarks/web_bench.py [--events 50000] [--requests 300] [--keep out/web_bench]

Prints: store build and snapshot load time; /api/events latency (p50/p95/max, HTTP against a live uvicorn
server, filtered pages of 100 rows, mixed filters); /api/timeline and /api/events/{id} latency; page load to
rendered timeline in headless Chromium (cold and warm cache), if playwright and /usr/bin/chromium exist.
Targets (issue 6): /api/events p95 < 100 ms, page to rendered timeline < 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import httpx
import pyarrow as pa

TYPES = {  # PLOVER type -> quad class (benchmark data; the product reads data/plover.yaml)
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3, "PROTEST": 4, "MOBILIZE": 4,
    "COERCE": 4, "ASSAULT": 4,
}
TYPE_WEIGHTS = [6, 14, 6, 2, 4, 3, 1, 5, 7, 3, 3, 2, 4, 2, 6, 9]
VERBS = {"AGREE": "agreed with", "CONSULT": "held talks with", "SUPPORT": "praised", "CONCEDE": "conceded to",
         "COOPERATE": "signed a cooperation deal with", "AID": "sent aid to", "RETREAT": "withdrew from",
         "REQUEST": "called on", "ACCUSE": "accused", "REJECT": "rejected demands by",
         "THREATEN": "threatened", "SANCTION": "imposed sanctions on", "PROTEST": "protested against",
         "MOBILIZE": "deployed troops against", "COERCE": "arrested members of", "ASSAULT": "attacked"}
STATES = [("pak", "Pakistan", "PAK"), ("afg", "Afghanistan", "AFG"), ("ind", "India", "IND"),
          ("irn", "Iran", "IRN"), ("chn", "China", "CHN"), ("usa", "United States", "USA"),
          ("rus", "Russia", "RUS"), ("qat", "Qatar", "QAT"), ("sau", "Saudi Arabia", "SAU"),
          ("tur", "Turkey", "TUR"), ("uzb", "Uzbekistan", "UZB"), ("tjk", "Tajikistan", "TJK")]
GROUPS = [("afg-taliban", "Afghan Taliban", "AFG", "GOV"), ("ttp", "Tehrik-i-Taliban Pakistan", "PAK", "REB"),
          ("isk", "Islamic State Khorasan", "AFG", "REB"), ("bla", "Balochistan Liberation Army", "PAK", "REB"),
          ("pak-army", "Pakistan Army", "PAK", "MIL"), ("isi", "Inter-Services Intelligence", "PAK", "SPY"),
          ("un", "United Nations", "UNO", "IGO"), ("unama", "UNAMA", "UNO", "IGO"),
          ("pti", "Pakistan Tehreek-e-Insaf", "PAK", "PTY"), ("icrc", "ICRC", "NGO", "NGO")]
PLACES = [("Kabul", "AFG", "Kabul", 34.53, 69.17), ("Islamabad", "PAK", "Islamabad", 33.69, 73.05),
          ("Peshawar", "PAK", "Khyber Pakhtunkhwa", 34.01, 71.58), ("Quetta", "PAK", "Balochistan", 30.18, 66.99),
          ("Kandahar", "AFG", "Kandahar", 31.61, 65.71), ("Doha", "QAT", "Doha", 25.29, 51.53),
          ("Karachi", "PAK", "Sindh", 24.86, 67.01), ("Jalalabad", "AFG", "Nangarhar", 34.43, 70.45),
          ("Miranshah", "PAK", "Khyber Pakhtunkhwa", 33.0, 70.07), ("Tehran", "IRN", "Tehran", 35.69, 51.39),
          ("Beijing", "CHN", "Beijing", 39.9, 116.4), ("New Delhi", "IND", "Delhi", 28.61, 77.21)]
STATUSES = ["asserted"] * 6 + ["reported"] * 3 + ["denied", "planned", "hypothetical"]


def _actor(rng: random.Random) -> dict:
    if rng.random() < 0.55:
        aid, name, cc = rng.choice(STATES)
        return {"id": aid, "name": name, "country": cc, "sector": "GOV", "person": None, "role": None,
                "text": name, "kind": "state"}
    aid, name, cc, sector = rng.choice(GROUPS)
    return {"id": aid, "name": name, "country": cc, "sector": sector, "person": None, "role": None,
            "text": name, "kind": "group"}


def build_store(path: Path, n_events: int, seed: int = 7) -> dict[str, int]:
    """Write a synthetic store with the store's shape (record fields as columns, nested fields as JSON)."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    n_articles = max(1, n_events * 2 // 5)
    articles = []
    for i in range(n_articles):
        articles.append({"id": f"a{i:06d}", "uri": f"file:///corpus/a{i:06d}.txt",
                         "title": None, "published": None, "sentences": []})
    events, mentions = [], []
    for i in range(n_events):
        et = rng.choices(list(TYPES), TYPE_WEIGHTS)[0]
        a, r = _actor(rng), _actor(rng)
        while r["id"] == a["id"]:
            r = _actor(rng)
        d = start + timedelta(days=int(rng.triangular(0, 5 * 365, 4 * 365)))
        month = rng.random() < 0.08
        dstr = d.isoformat()[:7] if month else d.isoformat()
        pname, cc, prov, lat, lon = rng.choice(PLACES)
        loc = {"extracted_place": pname, "resolved_place": pname, "country_code": cc, "province": prov,
               "lat": lat, "lon": lon, "resolution": 4, "geonameid": None}
        status = rng.choice(STATUSES)
        n_m = rng.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]
        arts = rng.sample(range(n_articles), n_m)
        mids, claims = [], []
        for j, ai in enumerate(arts):
            mid = f"m{i:06d}_{j}"
            sentence = (f"{a['name']} {VERBS[et]} {r['name']} in {pname} on "
                        f"{d.strftime('%B %d')}, officials said.")
            art = articles[ai]
            art["sentences"].append((sentence, mid, f"e{i:06d}", et))
            art["published"] = art["published"] or (d + timedelta(days=rng.randint(0, 3))).isoformat()
            art["title"] = art["title"] or f"{a['name']} {VERBS[et]} {r['name']}"
            mstatus = status if j == 0 else rng.choice(["asserted", "reported", status])
            attribution = "officials" if mstatus == "reported" else None
            mids.append(mid)
            claims.append({"article_id": art["id"], "mention_id": mid, "status": mstatus,
                           "attribution": attribution, "size": {"dead": None, "injured": None, "arrested": None},
                           "published": art["published"]})
            mentions.append({"id": mid, "event_id": f"e{i:06d}", "article_id": art["id"], "event_type": et,
                             "mode": None, "context": "[]", "actor": json.dumps([a]),
                             "recipient": json.dumps([r]), "mediator": "[]", "date": dstr, "enddate": None,
                             "date_precision": "month" if month else "day", "date_text": d.strftime("%B %d"),
                             "event_loc": json.dumps(loc), "size": json.dumps(claims[-1]["size"]),
                             "status": mstatus, "attribution": attribution, "evidence": None,  # set below
                             "quad_code": TYPES[et], "confidence": 0.8})
        sources = sorted({c["article_id"] for c in claims})
        conflicts = ["status"] if len({c["status"] for c in claims}) > 1 and "denied" in {
            c["status"] for c in claims} else []
        events.append({"id": f"e{i:06d}", "event_type": et, "mode": None, "context": "[]",
                       "actor": json.dumps([a]), "recipient": json.dumps([r]), "mediator": "[]", "date": dstr,
                       "enddate": None, "date_precision": "month" if month else "day",
                       "event_loc": json.dumps(loc), "size": json.dumps({"dead": None, "injured": None,
                                                                         "arrested": None}),
                       "status": status, "quad_code": TYPES[et], "mentions": json.dumps(mids),
                       "sources": json.dumps(sources), "corroboration": len(sources),
                       "first_reported": min(c["published"] for c in claims), "claims": json.dumps(claims),
                       "conflicts": json.dumps(conflicts)})
    # article texts: a dateline, filler, then the event sentences; evidence offsets point into the text
    evidence: dict[str, list] = {}
    art_rows = []
    for art in articles:
        parts = [f"{art['published'] or 'Undated'} — staff report.", "Background paragraph without events."]
        off = sum(len(p) + 1 for p in parts)
        for sentence, mid, _eid, et in art["sentences"]:
            evidence[mid] = [{"sentence": sentence, "start": off, "end": off + len(sentence),
                              "trigger": VERBS[et].split()[0]}]
            parts.append(sentence)
            off += len(sentence) + 1
        art_rows.append({"id": art["id"], "uri": art["uri"], "title": art["title"], "published": art["published"],
                         "published_precision": "day", "published_evidence": art["published"],
                         "language": "en", "text": "\n".join(parts),
                         "dropped_lines": json.dumps([{"line_no": 0, "text": "Home | World | Sport",
                                                       "reason": "navigation"},
                                                      {"line_no": 9, "text": "ADVERTISEMENT", "reason": "ad"}]),
                         "duplicate_of": None, "error": None, "content_hash": "", "content_type": "text"})
    for m in mentions:
        m["evidence"] = json.dumps(evidence[m["id"]])
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    json_cols = {"context", "actor", "recipient", "mediator", "event_loc", "size", "mentions", "sources",
                 "claims", "conflicts", "evidence", "dropped_lines"}
    for name, rows in (("events", events), ("mentions", mentions), ("articles", art_rows)):
        tbl = pa.Table.from_pylist(rows)
        con.register("_t", tbl)
        cols = ", ".join(f"CAST({c} AS JSON) AS {c}" if c in json_cols else c for c in tbl.column_names)
        con.execute(f"CREATE TABLE {name} AS SELECT {cols} FROM _t")
        con.unregister("_t")
    con.execute("CREATE TABLE runs (run_id VARCHAR, started_at VARCHAR)")
    con.execute("INSERT INTO runs VALUES ('bench', '2024-01-01T00:00:00')")
    con.close()
    return {"events": len(events), "mentions": len(mentions), "articles": len(art_rows)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db: Path, port: int) -> subprocess.Popen:
    code = ("import logging, sys; logging.basicConfig(level=logging.INFO);"
            "from newsline.web.app import serve; serve(sys.argv[1], '127.0.0.1', int(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 120:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read())
    raise RuntimeError("server did not start")


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _filtered_queries(rng: random.Random, n: int) -> list[dict]:
    actors = [s[0] for s in STATES] + [g[0] for g in GROUPS]
    out = []
    for _ in range(n):
        q: dict = {"limit": 100}
        for _k in range(rng.randint(1, 3)):
            kind = rng.choice(["actor", "type", "quad", "status", "dates", "q", "place", "sort", "offset"])
            if kind == "actor":
                q["actor"] = rng.sample(actors, rng.randint(1, 2))
            elif kind == "type":
                q["type"] = rng.sample(list(TYPES), rng.randint(1, 3))
            elif kind == "quad":
                q["quad"] = [rng.randint(1, 4)]
            elif kind == "status":
                q["status"] = [rng.choice(["asserted", "reported", "denied"])]
            elif kind == "dates":
                d0 = date(2019, 1, 1) + timedelta(days=rng.randint(0, 1600))
                q["from"], q["to"] = d0.isoformat(), (d0 + timedelta(days=rng.randint(7, 300))).isoformat()
            elif kind == "q":
                q["q"] = rng.choice(["talks", "attacked kabul", "sanctions", "officials said", "aid"])
            elif kind == "place":
                q["place"] = rng.choice(["kabul", "pak", "peshawar", "doha"])
            elif kind == "sort":
                q["sort"] = rng.choice(["date", "-corroboration", "type"])
            else:
                q["offset"] = rng.choice([100, 500, 2000])
        out.append(q)
    return out


def bench_api(base: str, n: int) -> None:
    rng = random.Random(1)
    client = httpx.Client(base_url=base, timeout=30)
    for q in _filtered_queries(rng, 10):  # warm-up
        client.get("/api/events", params=q)
    times, totals = [], []
    for q in _filtered_queries(rng, n):
        t0 = time.perf_counter()
        r = client.get("/api/events", params=q)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
        totals.append(r.json()["total"])
    print(f"/api/events   filtered page of 100, {n} requests: p50 {statistics.median(times):.1f} ms, "
          f"p95 {_pct(times, 95):.1f} ms, max {max(times):.1f} ms  (target p95 < 100 ms; "
          f"median matches {statistics.median(totals):.0f})")
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        client.get("/api/events", params={"limit": 100}).raise_for_status()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"/api/events   unfiltered page of 100: p50 {statistics.median(times):.1f} ms, p95 {_pct(times, 95):.1f} ms")
    for name, params in (("timeline", {}), ("timeline", {"type": "ASSAULT"}), ("network", {}), ("actors", {}),
                         ("stats", {})):
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            client.get(f"/api/{name}", params=params).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
        print(f"/api/{name:<9} {json.dumps(params):<20} p50 {statistics.median(times):.1f} ms, "
              f"p95 {_pct(times, 95):.1f} ms")
    times = []
    for i in rng.sample(range(1000), 50):
        t0 = time.perf_counter()
        client.get(f"/api/events/e{i:06d}").raise_for_status()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"/api/events/{{id}} detail: p50 {statistics.median(times):.1f} ms, p95 {_pct(times, 95):.1f} ms")


def bench_page(base: str, shot: Path | None) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("page load: skipped (playwright not installed)")
        return
    if not Path("/usr/bin/chromium").exists():
        print("page load: skipped (/usr/bin/chromium missing)")
        return
    args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = ctx.new_page()
        for label in ("cold", "warm", "warm"):
            t0 = time.perf_counter()
            page.goto(base + "/", wait_until="commit")
            page.wait_for_selector("body[data-timeline=ready]", timeout=30000)
            wall = (time.perf_counter() - t0) * 1000
            mark = page.evaluate("performance.getEntriesByName('timeline-rendered')[0].startTime")
            print(f"page load to rendered timeline ({label} cache): {mark:.0f} ms from navigation start "
                  f"({wall:.0f} ms wall incl. navigation)  (target < 2000 ms)")
        t0 = time.perf_counter()
        page.goto(base + "/?type=ASSAULT&actor=ttp", wait_until="commit")
        page.wait_for_selector("body[data-timeline=ready]", timeout=30000)
        page.wait_for_selector("#events tbody tr[data-id]")
        print(f"filtered URL (type+actor) to timeline and table: {(time.perf_counter() - t0) * 1000:.0f} ms wall")
        if shot:
            page.locator("#events tbody tr[data-id]").first.click()
            page.wait_for_selector("#panel-event .source")
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep the store and a screenshot in")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="web_bench_"))
    folder = a.keep or tmp
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "web_bench.duckdb"
    t0 = time.perf_counter()
    counts = build_store(db, a.events)
    print(f"synthetic store: {counts} built in {time.perf_counter() - t0:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")
    t0 = time.perf_counter()
    from newsline.web.queries import Snapshot

    Snapshot.load(db).con.close()
    print(f"snapshot load (server start-up, in process): {time.perf_counter() - t0:.2f} s")
    port = _free_port()
    proc = _start_server(db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        bench_api(base, a.requests)
        bench_page(base, folder / "web_bench.png" if a.keep else None)
    finally:
        proc.terminate()
        proc.wait(10)
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"cpu: {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
