"""Reports and event exports: timeline/actors tables, the brief, PLOVER and ACLED shapes."""

import csv
import io
import json
import re

from rich.console import Console

from newsline.cluster.events import cluster_events
from newsline.records import ActorRef, Article, Event, EventMention, Evidence, Place, Size
from newsline.report.actors import actor_summaries, actors_table
from newsline.report.brief import build_brief, render_html, render_markdown, write_brief
from newsline.report.timeline import TimelineRow, short_date, timeline_rows, timeline_table
from newsline.store.formats import (
    ACLED_COLUMNS,
    acled_actor,
    acled_category,
    acled_country,
    acled_period,
    acled_rows,
    plover_records,
    write_acled,
)

PAK = ActorRef(id="pak", name="Pakistan", country="PAK", sector="GOV", text="Islamabad")
PAK_FH = ActorRef(id="pak", name="Pakistan", country="PAK", sector="SPY", person="Faiz Hameed",
                  role="DG ISI", text="ISI chief Faiz Hameed")
PAK_FH_LATER = ActorRef(id="pak", name="Pakistan", country="PAK", sector="MIL", person="Faiz Hameed",
                        role="Corps Commander Peshawar", text="Lt Gen Faiz Hameed")
AFG = ActorRef(id="afg", name="Afghanistan", country="AFG", sector="GOV", text="the Taliban government")
CIV = ActorRef(id="afg-civ", name="Afghan civilians", country="AFG", sector="CVL", text="civilians")
KABUL = Place("Kabul", "Kabul", "AFG", "Kabul", 34.53, 69.17, 4)
PAKTIKA = Place("Paktika", "Paktika", "AFG", "Paktika", 32.5, 68.8, 2)
EVIL = "Officials said <script>alert('x')</script> & fled"


def _m(mid, art, etype, actor, recip, date, sentence, **kw):
    return EventMention(id=mid, article_id=art, event_type=etype, actor=[actor], recipient=[recip], date=date,
                        date_precision="day", evidence=[Evidence(sentence, 0, len(sentence), "x")], **kw)


def _records():
    arts = [Article(id="a1", uri="https://www.dawn.example/news/1", title="Talks in <b>Kabul</b>",
                    published="2021-10-22"),
            Article(id="a2", uri="https://tolo.example/2", title="Strike in Paktika", published="2022-04-17")]
    ms = [_m("a1-1", "a1", "CONSULT", PAK_FH, AFG, "2021-10-21", "The ISI chief met Taliban leaders in Kabul.",
             event_loc=KABUL, quad_code=1, mode="visit"),
          _m("a2-1", "a2", "ASSAULT", PAK, CIV, "2022-04-16", EVIL, event_loc=PAKTIKA, quad_code=4,
             size=Size(dead=10)),
          _m("a2-2", "a2", "CONSULT", PAK_FH_LATER, AFG, "2022-04-10", "Hameed visited Kabul again.",
             event_loc=KABUL, quad_code=1, status="reported"),
          _m("a1-2", "a1", "ASSAULT", PAK, CIV, "2022-04-16", "Pakistani jets struck Paktika.",
             event_loc=PAKTIKA, quad_code=4, size=Size(dead=8))]
    # a1-2 is dated after its article: only what the test needs (two sources for the strike)
    return arts, ms, cluster_events(ms, arts)


def _text(table) -> str:
    console = Console(record=True, width=200)
    console.print(table)
    return console.export_text()


def test_timeline_filters_and_renders():
    arts, ms, events = _records()
    rows = timeline_rows(events, ms)
    assert [r.date for r in rows] == ["2021-10-21", "2022-04-10", "2022-04-16"]
    assert rows[2].corroboration == 2 and rows[2].conflicts == 1
    assert [r.event_type for r in timeline_rows(events, ms, event_type="assault")] == ["ASSAULT"]
    assert len(timeline_rows(events, ms, actor="Faiz Hameed")) == 2
    assert len(timeline_rows(events, ms, actor="AFG", since="2022-01-01", until="2022-04-12")) == 1
    text = _text(timeline_table(rows))
    assert "Faiz Hameed → Afghanistan" in text and "Kabul" in text and "ASSAULT" in text


def _render(view, width: int) -> list[str]:
    console = Console(record=True, width=width, color_system=None)
    console.print(view)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_timeline_fits_80_and_120_columns_with_evidence_below_each_event():
    arts, ms, events = _records()
    long = ("Officials in the province said that the strike, which came after weeks of cross-border raids "
            "and warnings from both capitals, destroyed several houses and a religious school near the "
            "border crossing, and that rescue teams were still searching the rubble late on Sunday night.")
    ms.append(_m("a3-1", "a3", "ASSAULT", _ref("pak-mil", "Pakistan military [air wing]", "PAK", "MIL", "agent"),
                 _ref("ttp", "Tehreek-e-Taliban Pakistan", "PAK", "REB", "group"), "2022-05-01", long,
                 mode="heavy-weapons", event_loc=Place("North Waziristan District", "North Waziristan District",
                                                       "PAK", "Khyber Pakhtunkhwa", 32.9, 70.0, 3)))
    rows = timeline_rows(cluster_events(ms, arts), ms)
    for width in (80, 120):
        lines = _render(timeline_table(rows, title="Timeline"), width)
        assert all(len(line) <= width for line in lines)
        header = next(i for i, line in enumerate(lines) if line.startswith("date"))
        assert lines[header].split() == ["date", "type", "actor", "→", "recipient", "place", "status", "src"]
        shelling = next(i for i, line in enumerate(lines) if line.startswith("2022-05-01"))
        block = "\n".join(lines[shelling:shelling + 6])
        # the parties wrap but are kept whole, markup-like brackets included; the mode is not cut away
        assert "Pakistan military [air wing]" in " ".join(block.split())
        assert "Tehreek-e-Taliban" in block and "heavy-weapons" in block
        # the evidence sits on its own lines, indented under the type column, cut with an ellipsis
        evidence = [line for line in lines[shelling + 1:shelling + 6] if "Officials in the province" in line
                    or line.strip().endswith("…")]
        assert evidence and evidence[0].startswith(" " * 11) and evidence[-1].endswith("…")
        assert sum(1 for line in lines if "rubble" in line) == 0  # beyond the two evidence lines
    wide = _render(timeline_table(rows), 120)
    assert any("Pakistan military [air wing] → Tehreek-e-Taliban" in line for line in wide)
    assert any(line.startswith("2022-04-16") and "asserted ⚠" in line and line.endswith("2") for line in wide)


def test_timeline_narrow_wraps_date_ranges_and_places():
    row = TimelineRow(event_id="e", date="2021-11-08..2021-11-09", event_type="CONCEDE", mode=None,
                      actors="Pakistan government", recipients="", place="Democratic Republic of the Congo",
                      status="hypothetical", corroboration=12, evidence="The two sides declared a truce.")
    lines = _render(timeline_table([row]), 80)
    first = next(i for i, line in enumerate(lines) if line.startswith("2021-11-08.."))
    assert lines[first + 1].startswith("11-09 ") and lines[first].endswith("hypothetical  12")
    assert "Pakistan government → —" in lines[first] and "Democratic" in lines[first]
    assert lines[first + 2].strip() == "The two sides declared a truce."
    wide = _render(timeline_table([row]), 120)
    assert any(line.startswith("2021-11-08..11-09  CONCEDE") for line in wide)


def test_timeline_dates_are_short():
    assert short_date("2021-10-01..2021-10-31") == "2021-10" and short_date("2024-02-01..2024-02-29") == "2024-02"
    assert short_date("2007-01-01..2007-12-31") == "2007" and short_date("2021-11-08..2021-11-09") == "2021-11-08..11-09"
    assert short_date("2021-12-30..2022-01-02") == "2021-12-30..2022-01-02" and short_date(None) == "?"
    assert short_date("2021-10-01..2021-10-30") == "2021-10-01..10-30" and short_date("2022-05-01") == "2022-05-01"


def test_actors_view_fits_80_and_120_columns():
    arts, ms, events = _records()
    summaries = actor_summaries(events, ms)
    for width in (80, 120):
        lines = _render(actors_table(summaries), width)
        assert all(len(line) <= width for line in lines)
        assert lines[1].split() == ["actor", "ctry", "·", "sectors", "events", "act/rec/med", "first", "–", "last"]
        pak = next(i for i, line in enumerate(lines) if line.startswith("Pakistan [pak]"))
        assert " 4/0/0 " in lines[pak] and lines[pak].endswith("2021-10-21 – 2022-04-16")
        details = "\n".join(lines[pak + 1:pak + 5])
        assert "\n  seen as: Islamabad; ISI chief Faiz Hameed; Lt Gen Faiz Hameed" in "\n" + details
        assert "Faiz Hameed: DG ISI (SPY), 2021-10-21 · 1 mention" in details
        assert "Faiz Hameed: Corps Commander Peshawar (MIL), 2022-04-10" in details


def test_actors_view_lists_unresolved_names_last():
    arts, ms, events = _records()
    crowd = ActorRef(id=None, name="onlookers", text="onlookers")
    ms.append(_m("a1-3", "a1", "ASSAULT", PAK, crowd, "2022-04-16", "Onlookers were hurt.", quad_code=4))
    ms.append(_m("a2-3", "a2", "ASSAULT", PAK, crowd, "2022-04-17", "More onlookers were hurt.", quad_code=4))
    summaries = actor_summaries(events, ms)
    assert [s.id for s in summaries][-1] == "onlookers" and not summaries[-1].resolved
    lines = _render(actors_table(summaries), 80)
    mark = lines.index("names not resolved to an actor:")
    assert lines[mark + 1].startswith("onlookers ") and "[onlookers]" not in lines[mark + 1]
    assert all(not line.startswith("onlookers") for line in lines[:mark])


def test_actors_show_aliases_roles_by_date_and_counts():
    arts, ms, events = _records()
    summaries = {s.id: s for s in actor_summaries(events, ms)}
    pak = summaries["pak"]
    assert pak.counts["events"] == 4 and pak.counts["actor"] == 4
    assert set(pak.aliases) == {"Islamabad", "ISI chief Faiz Hameed", "Lt Gen Faiz Hameed"}
    assert [(r.role, r.sector, r.first) for r in pak.roles] == [
        ("DG ISI", "SPY", "2021-10-21"), ("Corps Commander Peshawar", "MIL", "2022-04-10")]
    text = _text(actors_table(summaries.values()))
    assert "Corps Commander Peshawar" in text and "Afghan civilians" in text


def test_brief_html_loads_plotly_from_beside_it_and_escapes_article_text(tmp_path):
    arts, ms, events = _records()
    path = write_brief(tmp_path / "brief.html", events, ms, arts)
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>Kabul</b>" not in page  # titles are escaped too
    assert re.findall(r"<script[^>]+src=\"([^\"]+)\"", page) == ["plotly.min.js"]
    assert (tmp_path / "plotly.min.js").stat().st_size > 1_000_000 and len(page) < 200_000
    assert "cdn.plot.ly" not in page.split("<body>")[1][:200]
    assert "Conflicting claims" in page and "dead: 8 (a1), 10 (a2)" in page


def test_offline_brief_inlines_plotly(tmp_path):
    arts, ms, events = _records()
    page = write_brief(tmp_path / "brief.html", events, ms, arts, offline=True).read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page) and len(page) > 1_000_000
    assert not (tmp_path / "plotly.min.js").exists()


def test_brief_figures_count_the_period_only_and_list_background_and_undated_events():
    from newsline.records import Claim

    arts, ms, events = _records()
    old = Event("old", "ASSAULT", actor=[PAK], recipient=[AFG], date="1994-05-01", first_reported="2021-10-22",
                size=Size(dead=3000), sources=["a1"], corroboration=1)
    undated = Event("nodate", "CONSULT", actor=[PAK], recipient=[AFG], sources=["a1"], corroboration=1)
    claimed = Event("claimed", "ASSAULT", actor=[PAK], recipient=[CIV], date="2022-04-01", sources=["a2"],
                    corroboration=1, claims=[Claim("a2", "a2-9", "asserted", size=Size(dead=4))])
    b = build_brief([*events, old, undated, claimed], ms, arts)
    assert b.period == ("2021-10-21", "2022-04-16")
    assert [e.id for e in b.background] == ["old"] and [e.id for e in b.undated] == ["nodate"]
    deaths = {k: v for k, v in b.figures.items() if k.startswith("reported deaths")}
    strike_toll = next(e.size.dead for e in events if e.event_type == "ASSAULT")
    assert deaths == {"reported deaths (in the 2 event(s) with a coded toll)": strike_toll + 4}
    assert b.figures["events"] == len(events) + 1 and b.figures["undated events (listed below)"] == 1
    page = render_html(b)
    assert "Background events (1)" in page and "Undated events (1)" in page and "1994-05-01" in page
    b = build_brief([*events, old], ms, arts, since="2022-01-01")
    assert b.period == ("2022-01-01", "2022-04-16") and len(b.background) == 2


def test_brief_network_has_a_node_per_actor_id_and_directed_weighted_edges():
    arts, ms, events = _records()
    noun = ActorRef(id=None, name=None, text="the government")
    extra = Event("x", "ACCUSE", actor=[noun], recipient=[PAK], date="2022-04-12", sources=["a2"], corroboration=1)
    b = build_brief([*events, extra], ms, arts)
    assert sorted(b.network.nodes) == ["afg", "afg-civ", "pak"]  # "the government" is no node
    assert b.network.nodes["pak"]["label"] == "Pakistan"
    assert b.edges == {("pak", "afg"): 2, ("pak", "afg-civ"): 1}


def test_brief_for_one_actor_and_markdown(tmp_path):
    arts, ms, events = _records()
    b = build_brief(events, ms, arts, actors=["Faiz Hameed"])
    assert len(b.events) == 2 and b.edges == {("pak", "afg"): 2}
    md = render_markdown(build_brief(events, ms, arts))
    assert "&lt;script&gt;" in md and "<script>" not in md
    assert md.startswith("# Situation brief")
    assert write_brief(tmp_path / "b.md", events, ms, arts).read_text().startswith("# ")
    assert "<html" in render_html(b)[:100]


def test_plover_records_have_the_manual_fields():
    arts, ms, events = _records()
    recs = list(plover_records(events, ms, arts))
    json.dumps(recs)  # serialisable
    strike = next(r for r in recs if r["event"] == ["ASSAULT"])
    fields = ["id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
              "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
              "coder", "coded_date", "coded_time", "comment"]
    for rec in recs:  # every field of the manual's json_record, and every field of its objects
        assert set(fields) <= set(rec) and rec["date"] and rec["actor"] and rec["event"]
        for entity in rec["actor"] + rec["recipient"]:
            assert set(entity) == {"code", "sector", "entity_text", "identifier_id", "identifier_text", "religion",
                                   "ethnicity", "office", "gender", "age"}
        assert set(rec["event_loc"]) == {"extracted_place", "resolved_place", "geonameid", "lat", "lon", "city",
                                         "district", "province", "country", "country_code", "feature_class",
                                         "feature_code", "resolution"}
        assert set(rec["cite_info"]) == {"corpus", "citation", "url", "title", "language", "publication", "license",
                                         "copyright", "coder", "codebook", "version"}
        assert set(rec["text_info"]) == {"sequence", "start", "end", "text_story"}
    assert strike["actor"][0]["identifier_text"] == "Pakistan" and strike["actor"][0]["code"] == "PAK"
    assert strike["event_loc"]["resolved_place"] == "Paktika" and strike["quad_code"] == 4
    assert strike["event_loc"]["province"] == "Paktika" and strike["event_loc"]["city"] is None
    visit = next(r for r in recs if r["date"] == "2021-10-21")
    assert visit["event_loc"]["city"] == "Kabul" and visit["actor"][0]["office"] == "DG ISI"
    assert len(strike["event_text"]) == 2 and strike["newsline"]["corroboration"] == 2
    # cite_info: the first report (a1, published 2021-10-22); every source under newsline
    assert strike["cite_info"]["publication"] == "dawn.example" and strike["text_info"]["text_story"] == "a1"
    assert [c["publication"] for c in strike["newsline"]["cite_info"]] == ["dawn.example", "tolo.example"]
    assert strike["size"] == {"dead": 8, "injured": None, "arrested": None}
    assert strike["comment"] == "conflicting claims: dead: 8 (a1), 10 (a2)"
    coded = next(plover_records(events, ms, arts, coded="2026-01-02T03:04:05+00:00"))
    assert (coded["coded_date"], coded["coded_time"]) == ("2026-01-02", "03:04:05+00:00")


def test_acled_csv_shape_and_mapping():
    arts, ms, events = _records()
    out = io.StringIO()
    assert write_acled(events, out, ms, arts) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ACLED_COLUMNS
    strike = next(r for r in rows if r["event_type"] == "Violence against civilians")
    assert strike["sub_event_type"] == "Attack" and strike["fatalities"] == "8"
    assert strike["country"] == "Afghanistan" and strike["admin1"] == "Paktika" and strike["year"] == "2022"
    assert strike["event_id_cnty"].startswith("AFG-") and strike["source"] == "dawn.example; tolo.example"
    assert "Conflicting claims: dead" in strike["notes"]
    assert (strike["actor1"], strike["actor2"]) == ("Military Forces of Pakistan (2022-)", "Civilians (Afghanistan)")
    assert (strike["inter1"], strike["inter2"], strike["interaction"]) == ("1", "7", "17")
    assert strike["civilian_targeting"] == "Civilian targeting" and strike["disorder_type"] == "Political violence"
    assert strike["time_precision"] == "1" and strike["geo_precision"] == "3" and strike["iso"] == "4"
    visit = next(r for r in acled_rows(events, ms, arts) if r["event_date"] == "2021-10-21")
    # a person is written as the institution acting through them, and named in the notes
    assert (visit["event_type"], visit["actor1"]) == ("Strategic developments", "Military Forces of Pakistan (2018-2022)")
    assert visit["actor2"] == "Government of Afghanistan (2021-)" and visit["interaction"] == "11"
    assert "Persons: Faiz Hameed (DG ISI)." in visit["notes"]


def test_acled_modes_take_precedence():
    drone = Event(id="e", event_type="ASSAULT", mode="drone", recipient=[CIV])
    assert acled_category(drone) == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_category(Event(id="e", event_type="ASSAULT")) == ("Battles", "Armed clash")
    assert acled_category(Event(id="e", event_type="COERCE", mode="arrest")) == ("Strategic developments", "Arrests")


def _ref(id_, name, country, sector, kind, **kw):
    return ActorRef(id=id_, name=name, country=country, sector=sector, kind=kind, text=kw.pop("text", name), **kw)


def test_acled_actor_names_follow_acled_conventions():
    clash = Event(id="e", event_type="ASSAULT", date="2020-03-02")
    talks = Event(id="e", event_type="CONSULT", date="2020-03-02", event_loc=KABUL)

    def name(a, ev=clash, etype="Battles", groups=()):
        return acled_actor(a, ev, etype, groups).label

    # named organisations keep their name, whatever the sector
    assert name(_ref("ttp", "Tehreek-e-Taliban Pakistan", "PAK", "REB", "group")) == "Tehreek-e-Taliban Pakistan"
    assert name(_ref("un", "United Nations", "UNO", None, "igo")) == "United Nations"
    # state agencies, generic state agents and states get the state-forces label with the government's period
    assert name(_ref("pak-mil", "Pakistan military", "PAK", "MIL", "agent")) == "Military Forces of Pakistan (2018-2022)"
    assert name(_ref("pak-army", "Pakistan Army", "PAK", "MIL", "agent")) == "Military Forces of Pakistan (2018-2022)"
    assert name(_ref("pak-cop", "Pakistan police", "PAK", "COP", "agent")) == "Police Forces of Pakistan (2018-2022)"
    assert name(_ref("pak", "Pakistan", "PAK", None, "state")) == "Military Forces of Pakistan (2018-2022)"
    assert name(_ref("pak", "Pakistan", "PAK", None, "state"), talks, "Strategic developments") == \
        "Government of Pakistan (2018-2022)"
    assert name(_ref("cod-gov", "Congo government", "COD", "GOV", "agent")) == \
        "Government of the Democratic Republic of Congo (2019-)"
    # no period known for the country or the date: the label goes without one
    assert name(_ref("ken-mil", "Kenya military", "KEN", "MIL", "agent")) == "Military Forces of Kenya"
    # a person acts through their office
    minister = _ref("person:x", "Ayesha Khan", "PAK", "GOV", "person", person="Ayesha Khan", role="Interior Minister")
    assert name(minister) == "Government of Pakistan (2018-2022)"
    # unnamed armed men and civilians carry a country: their own, else the event's
    assert name(_ref("pak-uaf", "Pakistan armed men", "PAK", "UAF", "agent")) == "Unidentified Armed Group (Pakistan)"
    assert name(_ref(None, "villagers", None, "CVL", "unresolved"), talks) == "Civilians (Afghanistan)"
    assert name(_ref("cod-cvl", "Congo civilians", "COD", "CVL", "agent")) == "Civilians (Democratic Republic of Congo)"
    journalists = acled_actor(_ref("afg-jrn", "Afghan media", "AFG", "JRN", "agent"), talks, "Strategic developments")
    assert (journalists.label, journalists.assoc, journalists.inter) == (
        "Civilians (Afghanistan)", "Journalists (Afghanistan)", 7)


def test_acled_generic_militants_take_the_group_their_article_names():
    group = _ref("hamas", "Hamas", "PSE", "REB", "group")
    generic = _ref("pse-reb", "Palestine rebels", "PSE", "REB", "agent", text="the militant group")
    ev = Event(id="e", event_type="ASSAULT", date="2024-05-01")
    assert acled_actor(generic, ev, "Battles", [group]).label == "Hamas"
    assert acled_actor(generic, ev, "Battles", [group]).inter == 2
    # two candidate groups, or none: ACLED's label for an unidentified group
    other = _ref("pij", "Palestinian Islamic Jihad", "PSE", "REB", "group")
    assert acled_actor(generic, ev, "Battles", [group, other]).label == "Unidentified Armed Group (Palestine)"
    assert acled_actor(generic, ev, "Battles", []).inter == 3
    # a person goes to the group only when their office names it
    chief = _ref("person:y", "Qari Yusuf", "PAK", "REB", "person", person="Qari Yusuf", role="TTP deputy chief")
    ttp = _ref("ttp", "Tehreek-e-Taliban Pakistan", "PAK", "REB", "group", text="TTP")
    bla = _ref("bla", "Balochistan Liberation Army", "PAK", "REB", "group")
    assert acled_actor(chief, ev, "Battles", [ttp, bla]).label == "Tehreek-e-Taliban Pakistan"
    assert acled_actor(chief, ev, "Battles", [bla]).label == "Unidentified Armed Group (Pakistan)"
    # through the export: the group named in another sentence of the same article
    named = EventMention(id="a9-1", article_id="a9", event_type="ACCUSE", actor=[group], recipient=[])
    freed = _m("a9-2", "a9", "RETREAT", generic, CIV, "2024-05-01", "The militant group freed three hostages.",
               mode="release")
    [row] = list(acled_rows([Event(id="ev", event_type="RETREAT", mode="release", date="2024-05-01",
                                   actor=[generic], recipient=[CIV], mentions=["a9-2"], sources=["a9"])],
                            [named, freed], []))
    assert row["actor1"] == "Hamas" and row["actor2"] == "Civilians (Afghanistan)"


def test_acled_crowds_countries_and_periods():
    students = _ref(None, "students", "PAK", "CVL", "unresolved")
    police = _ref("pak-cop", "Pakistan police", "PAK", "COP", "agent")
    union = _ref("pak-lab", "Pakistan labour", "PAK", "LAB", "agent")
    march = Event(id="p", event_type="PROTEST", date="2023-02-01", actor=[students, union])
    [row] = list(acled_rows([march]))
    assert (row["actor1"], row["assoc_actor_1"], row["inter1"], row["interaction"]) == (
        "Protesters (Pakistan)", "Labor Group (Pakistan)", 6, "60")
    riot = Event(id="r", event_type="PROTEST", mode="riot", date="2023-02-01", actor=[students])
    assert next(acled_rows([riot]))["actor1"] == "Rioters (Pakistan)"
    assert next(acled_rows([riot]))["disorder_type"] == "Demonstrations"
    crackdown = Event(id="c", event_type="ASSAULT", mode="crowd-control", date="2023-02-01", actor=[police],
                      recipient=[students])
    row = next(acled_rows([crackdown]))
    assert (row["actor1"], row["actor2"], row["interaction"]) == ("Police Forces of Pakistan (2022-)",
                                                                  "Protesters (Pakistan)", "16")
    assert row["disorder_type"] == "Political violence; Demonstrations"
    crackdown.event_loc = Place("the old bazaar", country_code="PAK")
    row = next(acled_rows([crackdown]))
    assert row["location"] is None and row["latitude"] is None and row["country"] == "Pakistan"
    assert "Place as reported (not located): the old bazaar." in row["notes"]
    assert acled_country("PSE") == "Palestine" and acled_country("COD") == "Democratic Republic of Congo"
    assert acled_country("FRA") == "France"
    assert acled_period("USA", "2021-01-19") == " (2017-2021)" and acled_period("USA", "2021-01-20") == " (2021-2025)"
    assert acled_period("USA", None) == "" and acled_period("FRA", "2021-01-20") == ""


def test_brief_shows_actor_names_as_text_not_markup():
    """Plotly renders <a href>, <b>, <br> in trace text and hover labels, and the network is SVG in the page:
    names go in escaped in both."""
    from newsline.report.brief import _timeline_figure

    link = '<a href="https://example.com/">Evil</a>'
    evil = ActorRef(id="evil", name=link, country="AFG", sector="REB", text="them")
    arts, ms, _ = _records()
    ms = [_m("a1-9", "a1", "ASSAULT", evil, CIV, "2022-04-16", "They struck.", quad_code=4), *ms]
    b = build_brief(cluster_events(ms, arts), ms, arts)
    hover = " ".join(h for trace in _timeline_figure(b).data for h in trace.hovertext)
    assert "&lt;a href=&quot;https://example.com/&quot;&gt;Evil&lt;/a&gt;" in hover and "<a " not in hover
    svg = render_html(b).split('<svg class="network"')[1].split("</svg>")[0]
    assert "&lt;a href=" in svg and "<a " not in svg


def test_brief_network_drawing_leaves_out_lone_actors_and_labels_apart():
    from newsline.report.network import network_drawing
    from newsline.store.graph import actor_network

    arts, ms, events = _records()
    lone = Event("lone", "MOBILIZE", actor=[ActorRef(id="ttp", name="TTP", country="PAK", sector="REB",
                                                     kind="group")], date="2022-04-12", sources=["a2"])
    graph = actor_network([*events, lone])
    drawing = network_drawing(graph)
    assert (drawing.drawn, drawing.alone, drawing.labelled) == (3, 1, 3)
    assert {n["title"].split(" [")[0] for n in drawing.nodes} == {"Pakistan", "Afghanistan", "Afghan civilians"}
    assert all(0 <= n["x"] <= drawing.width and 0 <= n["y"] <= drawing.height for n in drawing.nodes)
    assert sorted(e["title"].split(":")[0] for e in drawing.edges) == ["Pakistan → Afghan civilians",
                                                                       "Pakistan → Afghanistan"]
    assert network_drawing(actor_network([lone])).drawn == 0


def test_brief_says_no_toll_was_coded_rather_than_zero_deaths():
    arts, ms, events = _records()
    calm = [e for e in events if e.event_type == "CONSULT"]
    figures = build_brief(calm, ms, arts).figures
    assert figures["reported deaths (no event of the period has a coded toll)"] == "–"
    assert not any(k.startswith("reported deaths (in") for k in figures)


def test_network_joins_the_two_sides_of_talks_told_with_both_as_actors():
    from newsline.store.graph import actor_network

    can = ActorRef(id="can", name="Canada", country="CAN")
    cri = ActorRef(id="cri", name="Costa Rica", country="CRI")
    army = ActorRef(id="can-mil", name="Canada military", country="CAN", sector="MIL")
    talks = Event("t", "CONSULT", actor=[can, cri], date="2024-05-01")
    same_side = Event("s", "AGREE", actor=[can, army], date="2024-05-02")
    clash = Event("c", "ASSAULT", actor=[can, cri], date="2024-05-03")  # not a joint act: no edge guessed
    graph = actor_network([talks, same_side, clash])
    assert sorted(graph.edges) == [("can", "cri"), ("cri", "can")]
    assert graph.edges["can", "cri"]["types"] == "CONSULT"
