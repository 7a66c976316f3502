"""The web view's JSON API over a small store written through the store's own functions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsline.records import EventMention  # noqa: E402
from newsline.store.db import Store  # noqa: E402
from newsline.web import app as web_app  # noqa: E402
from newsline.web.app import create_app  # noqa: E402
from web_store import XSS_LINE, XSS_TITLE, event_for, network_records, sample_records, write_store  # noqa: E402

STATIC = Path(web_app.__file__).parent / "static"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return write_store(tmp_path_factory.mktemp("web") / "store.duckdb", *sample_records())


@pytest.fixture(scope="module")
def client(store_path) -> TestClient:
    return TestClient(create_app(store_path))


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["id"] for e in resp.json()["items"]]


# --------------------------------------------------------------------------- list and filters
def test_stats(client):
    s = client.get("/api/stats").json()
    assert (s["events"], s["mentions"], s["articles"], s["runs"]) == (4, 5, 3, 1)
    assert s["by_type"] == {"CONSULT": 3, "ASSAULT": 1}
    assert s["type_quad"] == {"CONSULT": 1, "ASSAULT": 4}
    assert s["date_min"] == "2021-10-01" and s["date_max"] == "2022-11-01"
    assert s["multi_source_events"] == 1 and s["events_with_conflicts"] == 1
    assert s["actors"] == 3


def test_events_default_page_newest_first(client):
    r = client.get("/api/events").json()
    assert r["total"] == 4 and r["offset"] == 0 and r["limit"] == 100
    assert [e["id"] for e in r["items"]] == ["ev_xss", "ev_visit", "ev_attack", "ev_talks"]
    visit = r["items"][1]
    assert visit["actor"][0]["id"] == "pak" and visit["recipient"][0]["name"] == "Afghan Taliban"
    assert visit["place"]["name"] == "Kabul" and visit["place"]["country_code"] == "AFG"
    assert (visit["corroboration"], visit["n_sources"], visit["n_mentions"]) == (2, 2, 2)
    assert visit["quad_code"] == 1 and visit["status"] == "asserted" and not visit["has_conflict"]


@pytest.mark.parametrize("query, expected", [
    ("actor=ttp", {"ev_xss", "ev_talks", "ev_attack"}),
    ("actor=ttp&actor=afg-taliban", {"ev_xss"}),  # every listed actor takes part (mediator counts)
    ("actor=nobody", set()),
    ("type=ASSAULT", {"ev_attack"}),
    ("type=ASSAULT&type=CONSULT", {"ev_xss", "ev_visit", "ev_attack", "ev_talks"}),
    ("quad=4", {"ev_attack"}),
    ("quad=1&quad=2", {"ev_xss", "ev_visit", "ev_talks"}),
    ("status=denied", {"ev_talks"}),
    ("status=reported&status=denied", {"ev_attack", "ev_talks"}),
    ("from=2021-10-21&to=2021-10-21", {"ev_visit", "ev_talks"}),  # the month-precision event spans October
    ("from=2022-01-01", {"ev_xss"}),
    ("to=2021-10-20", {"ev_attack", "ev_talks"}),
    ("place=peshawar", {"ev_attack"}),
    ("place=AFG", {"ev_xss", "ev_visit", "ev_talks"}),
    ("q=checkpoint", {"ev_attack"}),  # words of the evidence sentences
    ("q=Mansoor%20Khan", {"ev_visit"}),  # attribution, all words required
    ("q=qureshi", {"ev_xss", "ev_visit", "ev_talks", "ev_attack"}),  # actor's person
    ("q=%27%3B%20DROP%20TABLE%20ev%3B%20--", set()),  # stays a value
    ("actor=pak&type=CONSULT&status=asserted&from=2021-01-01&to=2021-12-31&place=kabul&q=visited",
     {"ev_visit"}),
])
def test_event_filters(client, query, expected):
    assert set(ids(client.get("/api/events?" + query))) == expected


def test_sort_and_pagination(client):
    assert ids(client.get("/api/events?sort=date")) == ["ev_talks", "ev_attack", "ev_visit", "ev_xss"]
    assert ids(client.get("/api/events?sort=-corroboration"))[0] == "ev_visit"
    page = client.get("/api/events?sort=date&limit=2&offset=2").json()
    assert page["total"] == 4 and [e["id"] for e in page["items"]] == ["ev_visit", "ev_xss"]
    assert client.get("/api/events?offset=10").json()["items"] == []
    assert client.get("/api/events").json()["total"] == 4  # the injection attempt above changed nothing


# --------------------------------------------------------------------------- one event, one article
def test_event_detail_sources_evidence_claims(client):
    e = client.get("/api/events/ev_visit").json()
    assert {s["id"] for s in e["sources"]} == {"001_visit", "pakistan/002_denial"}
    assert {m["id"]: m["status"] for m in e["mentions"]} == {"m1": "asserted", "m2": "reported"}
    m2 = next(m for m in e["mentions"] if m["id"] == "m2")
    assert m2["attribution"] == "Pakistan's Ambassador to Afghanistan Mansoor Ahmed Khan"
    assert m2["article_title"] == "Envoy confirms minister's trip"
    ev = m2["evidence"][0]
    assert ev["offsets_match"] is True and ev["trigger"] == "travelled"
    ctx = ev["context"]
    assert ctx["text"][ev["start"] - ctx["start"]:ev["end"] - ctx["start"]] == ev["sentence"]
    assert [c["status"] for c in e["claims"]] == ["asserted", "reported"]
    talks = client.get("/api/events/ev_talks").json()
    assert talks["has_conflict"] and talks["conflicts"] == ["status: denied"]
    assert talks["mentions"][0]["status"] == "denied"


def test_event_detail_flags_offsets_that_do_not_match(tmp_path):
    articles, mentions, events = sample_records()
    bad = mentions[0]
    bad.evidence[0].start += 3  # points three characters off the stored sentence
    bad.evidence[0].end += 3
    c = TestClient(create_app(write_store(tmp_path / "s.duckdb", articles, mentions, events)))
    m1 = next(m for m in c.get("/api/events/ev_visit").json()["mentions"] if m["id"] == "m1")
    assert m1["evidence"][0]["offsets_match"] is False


def test_article_detail(client):
    a = client.get("/api/articles/001_visit").json()
    assert a["title"] == "Qureshi visits Kabul" and a["published"] == "2021-10-22"
    assert a["text"].startswith("Islamabad, Oct 22.\nForeign Minister")
    assert [(d["line_no"], d["reason"]) for d in a["dropped_lines"]] == [
        (0, "navigation"), (7, "link"), (9, "ad")]
    (m,) = a["mentions"]
    assert m["event_id"] == "ev_visit"
    span = m["evidence"][0]
    assert a["text"][span["start"]:span["end"]].startswith("Foreign Minister Shah Mahmood Qureshi visited")


@pytest.mark.parametrize("path", ["pakistan%2F002_denial", "pakistan/002_denial"])
def test_an_article_from_a_subfolder_is_found_by_its_id_with_a_slash(client, path):
    """An article's id is its path under the input folder: the page sends it percent-encoded, which the
    server decodes to a slash before routing; either way the article is found."""
    r = client.get("/api/articles/" + path)
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["id"] == "pakistan/002_denial" and a["title"] == "Envoy confirms minister's trip"
    assert {m["id"] for m in a["mentions"]} == {"m2", "m3", "m4"}
    assert client.get("/api/articles/pakistan%2Fnope").status_code == 404


def test_article_text_is_returned_verbatim_as_json(client):
    # the API returns the article's text unchanged (JSON-encoded); the page inserts it as text, never HTML
    r = client.get("/api/articles/003_xss")
    assert r.headers["content-type"].startswith("application/json")
    a = r.json()
    assert a["title"] == XSS_TITLE and a["dropped_lines"][0]["text"] == XSS_LINE
    assert "<script>alert(1)</script>" in a["text"]


# --------------------------------------------------------------------------- aggregates
def test_timeline_aggregates_server_side(client):
    t = client.get("/api/timeline").json()
    assert t["bucket"] == "day" and t["undated"] == 0
    series = {s["key"]: dict(zip(s["x"], s["y"], strict=True)) for s in t["series"]}
    assert series == {"ASSAULT": {"2021-10-20": 1},
                      "CONSULT": {"2021-10-01": 1, "2021-10-21": 1, "2022-11-01": 1}}
    by_month = client.get("/api/timeline?bucket=month&by=quad").json()
    assert {s["key"]: s["y"] for s in by_month["series"]} == {"1": [2, 1], "4": [1]}
    # the date range filter is shown as the zoomed window, not applied to the series
    assert client.get("/api/timeline?from=2022-01-01").json()["series"] == t["series"]
    assert [s["key"] for s in client.get("/api/timeline?type=ASSAULT").json()["series"]] == ["ASSAULT"]


def test_actors_and_network(client):
    a = client.get("/api/actors").json()
    assert [(x["id"], x["n_events"]) for x in a["items"]] == [("pak", 4), ("ttp", 3), ("afg-taliban", 2)]
    ttp = a["items"][1]
    assert (ttp["as_actor"], ttp["as_recipient"], ttp["country"], ttp["sector"]) == (1, 2, "PAK", "REB")
    assert [x["id"] for x in client.get("/api/actors?search=taliban").json()["items"]] == ["ttp", "afg-taliban"]
    assert [x["id"] for x in client.get("/api/actors?type=ASSAULT").json()["items"]] == ["pak", "ttp"]
    net = client.get("/api/network").json()
    edges = {(e["src"], e["dst"]): (e["n"], e["coop"], e["conflict"]) for e in net["edges"]}
    assert edges == {("pak", "ttp"): (2, 2, 0), ("pak", "afg-taliban"): (1, 1, 0), ("ttp", "pak"): (1, 0, 1)}
    assert {n["id"]: n["weight"] for n in net["nodes"]} == {"pak": 4, "ttp": 3, "afg-taliban": 1}
    assert client.get("/api/network?status=denied").json()["edges"] == [
        {"src": "pak", "dst": "ttp", "n": 1, "coop": 1, "conflict": 0}]


def test_network_is_laid_out_on_the_server(client):
    """Every node has a position inside the drawing and a radius; the busiest are labelled, each label's
    place given; names are one per actor id."""
    net = client.get("/api/network").json()
    w, h = net["width"], net["height"]
    assert (w, h) == (640.0, 480.0)
    for n in net["nodes"]:
        assert 0 < n["x"] < w and 0 < n["y"] < h and n["r"] > 0
        assert n["label"]["anchor"] in ("start", "middle", "end")
        assert n["label"]["text"] == (n["name"] if len(n["name"]) <= 22 else n["name"][:21] + "…")
    assert {n["id"]: n["name"] for n in net["nodes"]}["pak"] == "Pakistan"
    assert len({(n["x"], n["y"]) for n in net["nodes"]}) == 3
    assert client.get("/api/network?labels=1").json()["nodes"][1]["label"] is not None  # pak, the busiest
    assert [n["label"] for n in client.get("/api/network?labels=0").json()["nodes"]] == [None] * 3
    assert client.get("/api/network").json() == net  # the layout is deterministic


def test_network_layout_of_50_actors(tmp_path):
    """50 actors with a two-node island: the main part fills the drawing, no two label boxes overlap."""
    from newsline.report.layout import text_width

    c = TestClient(create_app(write_store(tmp_path / "net.duckdb", *network_records())))
    net = c.get("/api/network?limit=50&edges=120&labels=20").json()
    assert len(net["nodes"]) == 50
    main = [n for n in net["nodes"] if n["id"] < "a45"]
    assert max(n["x"] for n in main) - min(n["x"] for n in main) > 0.6 * net["width"]
    assert max(n["y"] for n in main) - min(n["y"] for n in main) > 0.5 * net["height"]
    boxes = []
    for n in net["nodes"]:
        if lab := n["label"]:
            wd = text_width(lab["text"], 11.0)
            x0 = {"start": lab["x"], "middle": lab["x"] - wd / 2, "end": lab["x"] - wd}[lab["anchor"]]
            boxes.append((x0, lab["y"] - 9, x0 + wd, lab["y"] + 3))
    assert len(boxes) >= 15
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= net["width"]
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("url", ["/api/events/nope", "/api/articles/nope", "/api/events/%3Cscript%3E",
                                 "/api/nothing-here"])
def test_unknown_ids_give_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and "detail" in r.json()


@pytest.mark.parametrize("query", [
    "quad=5", "quad=x", "from=2021-13-01", "to=yesterday", "from=2022-01-01&to=2021-01-01", "sort=drop",
    "limit=0", "limit=100000", "offset=-1", "status=rumoured", "type=consult", "type=CONSULT;DROP",
    "q=" + "x" * 201,
])
def test_bad_parameters_give_422_without_trace(client, query):
    r = client.get("/api/events?" + query)
    assert r.status_code == 422, r.text
    assert "Traceback" not in r.text and "File \"" not in r.text


def test_unexpected_error_gives_bare_500(store_path, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("secret internals /srv/x.py line 3")

    monkeypatch.setattr(web_app.queries, "list_events", boom)
    c = TestClient(create_app(store_path), raise_server_exceptions=False)
    r = c.get("/api/events")
    assert r.status_code == 500 and r.json() == {"detail": "internal error"}
    assert "secret" not in r.text


# --------------------------------------------------------------------------- page, schema, safety
def test_openapi_schema_documents_the_api(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/actors",
                 "/api/stats", "/api/timeline", "/api/network"):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "type", "quad", "status", "from", "to", "place", "q", "sort", "offset", "limit"} <= params
    # Swagger UI would load from a CDN: the interactive docs page is off
    assert client.get("/docs").status_code == 404


def test_page_and_assets_are_local(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for name in ("index.html", "app.js", "app.css"):
        text = (STATIC / name).read_text()
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), name  # no CDN, nothing remote
    for asset in ("/static/app.js", "/static/app.css"):
        assert client.get(asset).status_code == 200
    js = client.get("/static/plotly.min.js")
    if web_app.plotly_js() is None:
        assert js.status_code == 404
    else:
        assert js.status_code == 200 and "javascript" in js.headers["content-type"]


def test_page_script_never_inserts_html():
    # the XSS guarantee rests on this: store text reaches the DOM through text nodes only
    code = "\n".join(line for line in (STATIC / "app.js").read_text().splitlines()
                     if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink


def test_host_header_checked_when_bound_to_loopback(store_path):
    c = TestClient(create_app(store_path, allowed_hosts=web_app.LOOPBACK_NAMES), base_url="http://127.0.0.1")
    assert c.get("/api/stats").status_code == 200
    assert c.get("/api/stats", headers={"host": "evil.example:8000"}).status_code == 400


def test_serve_binds_loopback_by_default(store_path, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    web_app.serve(store_path)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    c = TestClient(seen["app"], base_url="http://localhost:8000")
    assert c.get("/api/stats").status_code == 200
    assert c.get("/api/stats", headers={"host": "attacker.example"}).status_code == 400


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no newsline store"):
        create_app(tmp_path / "absent.duckdb")


def test_store_stays_writable_and_changes_show_up(tmp_path):
    articles, mentions, events = sample_records()
    path = write_store(tmp_path / "s.duckdb", articles, mentions, events)
    app = create_app(path)
    app.state.holder.check_every = 0
    c = TestClient(app)
    assert c.get("/api/events").json()["total"] == 4
    # a run can open the store for writing while the view is up (the view holds no lock on the file)
    extra = EventMention(id="m6", article_id="001_visit", event_id="ev_new", event_type="AGREE",
                         actor=mentions[0].actor, date="2021-11-02", quad_code=1,
                         evidence=mentions[0].evidence)
    with Store(path) as store:
        store.write_mentions("001_visit", [mentions[0], extra])
        store.replace_events([*events, event_for("ev_new", [extra])])
    assert c.get("/api/events").json()["total"] == 5
    assert c.get("/api/events/ev_new").json()["event_type"] == "AGREE"


def test_empty_store(tmp_path):
    path = tmp_path / "empty.duckdb"
    Store(path).close()  # schema only, as after a run that coded nothing yet
    c = TestClient(create_app(path))
    s = c.get("/api/stats").json()
    assert (s["events"], s["articles"], s["date_min"]) == (0, 0, None)
    assert c.get("/api/events").json() == {"total": 0, "offset": 0, "limit": 100, "sort": "-date", "items": []}
    assert c.get("/api/timeline").json()["series"] == []
    assert c.get("/api/network").json() == {"width": 640.0, "height": 480.0, "nodes": [], "edges": []}
    assert c.get("/api/actors").json()["items"] == []


def test_api_models_name_their_fields_as_the_records_do():
    """The response models are the records' fields (records.py) plus what the view derives; a field renamed
    in records.py and not here, or a field invented here, fails."""
    from newsline import records
    from newsline.web import app as api

    derived = {
        api.ActorOut: (records.ActorRef, set()),
        api.PlaceOut: (records.Place, {"name"}),
        api.EventSummary: (records.Event, {"place", "n_sources", "n_mentions", "has_conflict"}),
        api.EventDetail: (records.Event, {"place", "n_sources", "n_mentions", "has_conflict"}),
        api.MentionOut: (records.EventMention, {"article_title", "article_published", "article_uri"}),
        api.ArticleMentionOut: (records.EventMention, set()),
        api.SourceOut: (records.Article, {"missing"}),
        api.ArticleOut: (records.Article, {"duplicates", "mentions"}),
        api.DroppedLineOut: (records.DroppedLine, set()),
        api.EvidenceOut: (records.Evidence, {"offsets_match", "context"}),
    }
    for model, (record, extra) in derived.items():
        assert set(model.model_fields) - set(records.field_types(record)) == extra, model.__name__


def test_the_view_reads_the_columns_of_the_records():
    from newsline import records
    from newsline.web import snapshot as queries

    assert list(queries.EVENT_COLS) == list(records.field_types(records.Event))
    assert list(queries.MENTION_COLS) == list(records.field_types(records.EventMention))
    assert queries.MENTION_COLS["confidence"] == "float" and queries.EVENT_COLS["claims"] == "json"


def test_network_joins_the_two_sides_of_talks_told_with_both_as_actors(tmp_path):
    from newsline.records import ActorRef, Article, Event

    can = ActorRef(id="can", name="Canada", country="CAN", kind="state", text="Canada")
    cri = ActorRef(id="cri", name="Costa Rica", country="CRI", kind="state", text="Costa Rica")
    art = Article(id="a1", uri="", published="2024-05-01", language="en", text="Canada and Costa Rica met.")
    talks = Event(id="t", event_type="CONSULT", actor=[can, cri], date="2024-05-01", quad_code=1, sources=["a1"])
    clash = Event(id="c", event_type="ASSAULT", actor=[can, cri], date="2024-05-02", quad_code=4, sources=["a1"])
    c = TestClient(create_app(write_store(tmp_path / "two.duckdb", [art], [], [talks, clash])))
    edges = {(e["src"], e["dst"]): e["n"] for e in c.get("/api/network").json()["edges"]}
    assert edges == {("can", "cri"): 1, ("cri", "can"): 1}
