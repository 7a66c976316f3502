"""The brief as a reader sees it: the HTML written by `write_brief`, opened in headless Chromium (Playwright),
its visible key figures, timeline axis, network labels and the background and undated lists checked on
screen. Skipped when playwright or /usr/bin/chromium is missing (as tests/test_web_e2e.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsline.records import ActorRef, Article, Claim, Event, EventMention, Evidence, Place, Size

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from newsline.report.brief import write_brief  # noqa: E402

KABUL = Place("Kabul", "Kabul", "AFG", "Kabul", 34.53, 69.17, 4)


def _actor(i: str, name: str, country: str, sector: str, kind: str = "group") -> ActorRef:
    return ActorRef(id=i, name=name, country=country, sector=sector, text=name, kind=kind)


PAK, AFG = _actor("pak", "Pakistan", "PAK", "GOV", "state"), _actor("afg", "Afghan Taliban", "AFG", "GOV")
TTP = _actor("ttp", "Tehreek-e-Taliban Pakistan", "PAK", "REB")
CIV = _actor("pak-civ", "Pakistan civilians", "PAK", "CVL")
TUR = _actor("tur", "Türkiye government", "TUR", "GOV", "state")


def _records():
    """Events over 2021-10 to 2022-04 among five actors, one toll coded (6 dead) and one only claimed (3); a
    war of 1994 recalled in a 2021 article (background); one undated event."""
    articles = [Article(id=f"a{i}", uri=f"https://news{i}.example/{i}", title=f"Report {i}",
                        published=day) for i, day in ((1, "2021-10-22"), (2, "2022-01-15"), (3, "2022-04-17"))]
    plan = [("e1", "CONSULT", PAK, AFG, "2021-10-21", "a1", None), ("e2", "REQUEST", PAK, AFG, "2021-11-02", "a1", None),
            ("e3", "ASSAULT", TTP, CIV, "2022-01-14", "a2", 6), ("e4", "CONSULT", AFG, TTP, "2022-01-10", "a2", None),
            ("e5", "ACCUSE", PAK, TTP, "2022-04-16", "a3", None), ("e6", "CONSULT", TUR, TTP, "2022-03-01", "a3", None),
            ("e7", "REJECT", TTP, PAK, "2022-03-20", "a3", None)]
    events, mentions = [], []
    for eid, etype, actor, recipient, day, source, dead in plan:
        sentence = f"{actor.name} and {recipient.name}: {etype.lower()} on {day}."
        mentions.append(EventMention(id=f"{source}:{eid}", article_id=source, event_type=etype, actor=[actor],
                                     recipient=[recipient], date=day, date_precision="day", event_loc=KABUL,
                                     evidence=[Evidence(sentence, 0, len(sentence), etype.lower())]))
        events.append(Event(eid, etype, actor=[actor], recipient=[recipient], date=day, date_precision="day",
                            event_loc=KABUL, size=Size(dead=dead), mentions=[f"{source}:{eid}"], sources=[source],
                            corroboration=1))
    events[4].claims = [Claim("a3", "a3:e5", "asserted", size=Size(dead=3))]  # a toll only a source reports
    events.append(Event("old", "ASSAULT", actor=[PAK], recipient=[AFG], date="1994-05-01", date_precision="day",
                        size=Size(dead=3000), sources=["a1"], first_reported="2021-10-22", corroboration=1))
    events.append(Event("nodate", "CONSULT", actor=[TUR], recipient=[PAK], sources=["a2"], corroboration=1))
    return events, mentions, articles


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_the_brief_on_screen_shows_the_period_figures_network_and_the_events_apart(tmp_path):
    events, mentions, articles = _records()
    path = write_brief(tmp_path / "brief.html", events, mentions, articles)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            _check_on_screen(browser.new_page(viewport={"width": 1280, "height": 900}), path, tmp_path)
        finally:
            browser.close()


def _check_on_screen(page, path: Path, tmp_path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".js-plotly-plot .xtick", timeout=20_000)  # plotly.js loaded from beside the page
    page.screenshot(path=str(tmp_path / "brief.png"), full_page=True)
    assert (tmp_path / "brief.png").stat().st_size > 20_000

    figures = {f.inner_text().split("\n", 1)[1].strip(): f.inner_text().split("\n", 1)[0].strip()
               for f in page.locator(".fig").all()}
    assert figures["period"] == "2021-10-21 – 2022-04-16"  # from the dated events; 1994 is background
    assert figures["events"] == "7"
    # the coded toll and the toll a source claims, not the 3000 of the background war
    assert figures["reported deaths (in the 2 event(s) with a coded toll)"] == "9"
    assert figures["undated events (listed below)"] == "1" and figures["background events (listed below)"] == "1"
    assert page.get_by_text("Generated by newsline").is_visible()

    # the timeline's axis runs over the period, not from 1994
    ticks = [t.strip() for t in page.locator(".js-plotly-plot .xtick text").all_text_contents()]
    assert ticks and not any("1994" in t for t in ticks)
    assert any("2022" in t for t in ticks)

    # the network: every actor named once, on screen, no two labels on top of each other
    labels = page.locator("svg.network text.label")
    names = labels.all_text_contents()
    assert sorted(names) == sorted({"Pakistan", "Afghan Taliban", "Tehreek-e-Taliban Pakistan",
                                    "Pakistan civilians", "Türkiye government"})
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    svg = page.locator("svg.network").bounding_box()
    assert svg["width"] > 800
    for i, a in enumerate(boxes):
        assert svg["x"] <= a["x"] and a["x"] + a["width"] <= svg["x"] + svg["width"] + 1
        assert not any(_overlap(a, b) for b in boxes[i + 1:]), names[i]
    assert page.locator("svg.network path.edge").count() == 6  # one per actor → recipient pair

    for heading in ("Background events (1)", "Undated events (1)"):
        assert page.get_by_role("heading", name=heading).is_visible()
    background = page.locator("h2:has-text('Background events') + p + table").inner_text()
    assert "1994-05-01" in background and "2021-10-22" in background
    undated = page.locator("h2:has-text('Undated events') + p + table").inner_text()
    assert "Türkiye government → Pakistan" in undated
