"""End to end: `newsline serve` on localhost over a small store, driven by headless Chromium (Playwright).

Skipped when the playwright package or /usr/bin/chromium is missing (CI installs both: the Debian
`chromium` package and `playwright` from the `dev` extra; Playwright's own browser download is not used).
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from newsline.web.app import LOOPBACK_NAMES, create_app  # noqa: E402
from web_store import (  # noqa: E402
    BOLD_NAME,
    LINK_NAME,
    XSS_LINE,
    XSS_TITLE,
    hostile_actor_records,
    network_records,
    sample_records,
    write_store,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path):
    port = _free_port()
    config = uvicorn.Config(create_app(db, allowed_hosts=LOOPBACK_NAMES), host="127.0.0.1", port=port,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    yield from _serve(write_store(tmp_path_factory.mktemp("e2e") / "store.duckdb", *sample_records()))


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """A store whose actor names are markup (a link, bold)."""
    yield from _serve(write_store(tmp_path_factory.mktemp("e2e") / "store.duckdb", *hostile_actor_records()))


@pytest.fixture(scope="module")
def network_url(tmp_path_factory):
    """A store of 50 actors: three busy ones with their circles, a two-node island, a three-node island."""
    yield from _serve(write_store(tmp_path_factory.mktemp("e2e") / "store.duckdb", *network_records()))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()


def wait_rows(page, n: int) -> None:
    # locator assertions, not wait_for_function: the page's CSP (rightly) forbids evaluating strings
    sync_api.expect(page.locator("#events tbody tr[data-id]")).to_have_count(n)


def rows(page) -> list[str]:
    return page.locator("#events tbody tr[data-id]").evaluate_all("rs => rs.map(r => r.dataset.id)")


def test_timeline_filter_and_evidence(page, base_url, tmp_path):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-timeline=ready]")
    # the timeline rendered as Plotly bars, one trace per event type present
    assert page.locator("#timeline .main-svg").count() >= 1
    assert page.locator("#timeline .trace.bars").count() == 2
    wait_rows(page, 4)
    assert rows(page) == ["ev_xss", "ev_visit", "ev_attack", "ev_talks"]

    # a filter narrows the table and lands in the URL
    page.locator("#f-quad button[data-quad='4']").click()
    wait_rows(page, 1)
    assert rows(page) == ["ev_attack"]
    assert "quad=4" in page.url
    page.locator("#chips .chip button").first.click()  # remove it again
    wait_rows(page, 4)
    page.fill("#f-q", "checkpoint")
    wait_rows(page, 1)
    assert "q=checkpoint" in page.url
    page.fill("#f-q", "")
    wait_rows(page, 4)

    # clicking an event shows each source's sentence highlighted in its paragraph, with status/attribution
    page.locator("#events tr[data-id='ev_visit']").click()
    page.wait_for_selector("#panel-event .source mark.evidence")
    marks = page.locator("#panel-event .source mark.evidence").all_inner_texts()
    assert marks == ["Foreign Minister Shah Mahmood Qureshi visited Kabul on October 21 for talks with the Taliban.",
                     "Pakistan's Ambassador Mansoor Ahmed Khan said the minister travelled to Kabul on Thursday."]
    assert page.locator("#panel-event .source .trigger").first.inner_text() == "visited"
    panel = page.locator("#panel-event").inner_text()
    assert "according to Pakistan's Ambassador to Afghanistan Mansoor Ahmed Khan" in panel
    assert page.locator("#panel-event .source .badge.st-reported").count() == 1
    assert "event=ev_visit" in page.url
    shot = tmp_path / "web_e2e.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    out = Path("out")
    if out.is_dir():  # keep a copy where a developer looks, when the folder exists
        shutil.copy(shot, out / "web_e2e.png")

    # the article view: the sentence highlighted in the full text, chrome lines folded away
    page.locator("#panel-event .source .title").first.click()
    page.wait_for_selector("#panel-article .article-text mark.focus")
    assert not page.locator("details.dropped").get_attribute("open")
    assert not page.locator("details.dropped li").first.is_visible()
    page.locator("details.dropped summary").click()
    assert page.locator("details.dropped li").first.is_visible()
    assert page.errors == []


def test_shared_url_restores_the_view(page, base_url):
    page.goto(base_url + "/?actor=ttp&status=denied&event=ev_talks")
    page.wait_for_selector("body[data-timeline=ready]")
    wait_rows(page, 1)
    assert rows(page) == ["ev_talks"]
    page.wait_for_selector("#panel-event .source mark.evidence")
    assert page.locator("#panel-event .alert").inner_text().startswith("Sources disagree.")
    chips = page.locator("#chips").inner_text()
    assert "ttp" in chips and "denied" in chips
    assert page.errors == []


def test_article_markup_is_shown_as_text(page, base_url):
    page.goto(base_url + "/?article=003_xss&tab=article")
    page.wait_for_selector("#panel-article .article-text")
    assert page.locator("#panel-article .art-title").inner_text() == XSS_TITLE
    page.locator("details.dropped summary").click()
    assert page.locator("details.dropped .dl").inner_text() == XSS_LINE
    body = page.locator("#panel-article .article-text").inner_text()
    assert "<script>alert(1)</script>" in body and '<img src=x onerror="window.__pwned = 3">' in body
    # nothing from the article became markup: no script ran, no image element was created
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#panel-article img, #panel-article script").count() == 0
    # the evidence highlight survives markup inside the sentence
    assert "<script>alert(1)</script>" in page.locator("#panel-article mark.evidence").inner_text()
    page.locator("#panel-article mark.evidence").click()
    page.wait_for_selector("#panel-event .source")
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []


def test_unknown_event_in_url_shows_a_message(page, base_url):
    page.goto(base_url + "/?event=does-not-exist")
    page.wait_for_selector("#panel-event .error")
    assert "No event with id does-not-exist" in page.locator("#panel-event").inner_text()


def test_an_article_from_a_subfolder_opens_from_its_event_and_from_a_shared_url(page, base_url):
    """The article's id holds a slash (its file was in a subfolder): the article view opens from the event's
    source list, and the URL it leaves restores it."""
    page.goto(base_url + "/?event=ev_attack")
    page.wait_for_selector("#panel-event .source mark.evidence")
    page.locator("#panel-event .source .title").first.click()
    page.wait_for_selector("#panel-article .article-text mark.focus")
    assert page.locator("#panel-article .art-title").inner_text() == "Envoy confirms minister's trip"
    assert "article=pakistan%2F002_denial" in page.url
    page.goto(page.url)
    page.wait_for_selector("#panel-article .article-text mark.focus")
    assert page.locator("#panel-article .art-title").inner_text() == "Envoy confirms minister's trip"
    assert "No article with id" not in page.locator("#panel-article").inner_text()
    assert page.errors == []


def test_actor_names_are_shown_as_text_in_the_network(page, hostile_url):
    """Names that are markup (<a href>, <b>) show as written, in the labels and the hover titles, never as
    a link or bold."""
    page.goto(hostile_url + "/?tab=network")
    labels = page.locator("#network svg .net-labels text")
    sync_api.expect(labels.first).to_be_visible()
    shown = labels.evaluate_all("ts => ts.map(t => t.textContent)")
    assert BOLD_NAME in shown and LINK_NAME[:21] + "…" in shown  # long labels are cut
    assert page.locator("#network svg a, #network svg b, #network svg foreignObject").count() == 0
    titles = page.locator("#network svg .net-node title").evaluate_all("ts => ts.map(t => t.textContent)")
    assert any(t.startswith(LINK_NAME + " (afg-taliban)") for t in titles)
    assert page.errors == []


def _overlaps(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_network_of_50_actors_is_readable(page, network_url, tmp_path):
    """50 actors, laid out on the server: every node drawn, the busiest labelled, no two labels overlapping
    on screen, the two-node island beside the main part rather than squeezing it; a screenshot is kept."""
    page.goto(network_url + "/?tab=network")
    nodes = page.locator("#network svg .net-node")
    sync_api.expect(nodes).to_have_count(50)
    assert page.locator("#network svg .net-edge").count() >= 90
    labels = page.locator("#network svg .net-labels text")
    texts = labels.evaluate_all("ts => ts.map(t => t.textContent)")
    assert 15 <= len(texts) <= 20
    assert {"Pakistan", "Afghanistan", "Tehrik-i-Taliban Paki…"} <= set(texts)  # the busiest are named
    boxes = labels.evaluate_all("ts => ts.map(t => { const r = t.getBoundingClientRect();"
                                " return {x: r.x, y: r.y, width: r.width, height: r.height}; })")
    svg = page.locator("#network svg").bounding_box()
    assert svg["width"] > 400 and svg["height"] > 300
    for i, a in enumerate(boxes):
        assert a["width"] > 5 and a["height"] > 5
        # inside the drawing
        assert svg["x"] - 1 <= a["x"] and a["x"] + a["width"] <= svg["x"] + svg["width"] + 1
        for j in range(i + 1, len(boxes)):
            assert not _overlaps(a, boxes[j]), (texts[i], texts[j])
    # the main part spreads over the drawing; the islands (a48-a49, a45-a47) do not squeeze it
    circles = page.locator("#network svg .net-node circle").evaluate_all(
        "cs => cs.map(c => { const r = c.getBoundingClientRect(); const g = c.parentNode;"
        " return {id: g.dataset.id, x: r.x + r.width / 2, y: r.y + r.height / 2}; })")
    main = [c for c in circles if c["id"] < "a45"]
    scene = page.evaluate("() => { const r = document.querySelector('#network svg .net-nodes').getBoundingClientRect();"
                          " return {width: r.width, height: r.height}; }")
    spread_x = max(c["x"] for c in main) - min(c["x"] for c in main)
    spread_y = max(c["y"] for c in main) - min(c["y"] for c in main)
    assert spread_x > 0.6 * scene["width"] and spread_y > 0.5 * scene["height"]
    shot = tmp_path / "web_network.png"
    page.locator("#panel-network").screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    out = Path("out")
    if out.is_dir():
        shutil.copy(shot, out / "web_network.png")
    # clicking an actor filters by it
    page.locator("#network svg .net-node[data-id='a00'] circle").click()
    sync_api.expect(page).to_have_url(re.compile(r"actor=a00"))
    assert page.errors == []
