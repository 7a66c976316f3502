"""The command line (run, export) and the Python API."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import newsline
from newsline.cli import app
from newsline.records import ActorRef, Article, Event, EventMention, Evidence, Place, RawDocument
from newsline.store.db import Store
from newsline.store.export import ARTICLE_FIELDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"

TEXT = (
    "Home | World | Sport\nADVERTISEMENT\nPakistan and TTP agree to extend ceasefire\n"
    "Islamabad officials said on Monday that a delegation of tribal elders had travelled to Kabul for a new "
    "round of talks with the banned Tehrik-i-Taliban Pakistan, mediated by the Afghan Taliban.\n"
    "The talks focused on the return of militants to the former tribal districts and the release of "
    "prisoners held by both sides, a spokesman said in a statement.\nRead More: more news\n"
)
HTML = (
    "<!doctype html><html><head><title>Talks resume in Kabul</title>"
    '<meta property="article:published_time" content="2022-06-03"></head><body><nav>Home World</nav>'
    "<article><h1>Talks resume in Kabul</h1><p>" + TEXT.splitlines()[3] + "</p><p>" + TEXT.splitlines()[4]
    + "</p></article><footer>Copyright 2022</footer></body></html>"
)

runner = CliRunner()


@pytest.fixture()
def store_db(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.html").write_text(HTML)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["run", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_run_prints_a_summary(store_db, tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--db", str(store_db)])
    assert result.exit_code == 0
    for words in ("seen", "new", "skipped (already stored)", "failed", "database", "t.duckdb"):
        assert words in result.stdout
    assert "│ 3" in result.stdout  # 3 seen, 3 skipped


def test_partitioned_corpus_stages_store_the_same_events_as_the_single_process(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.html").write_text(HTML)
    stored = {}
    for kind in ("single", "partitioned"):
        db = tmp_path / f"{kind}.duckdb"
        result = runner.invoke(app, ["run", str(folder), "--db", str(db), "--corpus-engine", kind])
        assert result.exit_code == 0, result.output
        stored[kind] = export(db, "events", "jsonl", "-")
    assert stored["single"] == stored["partitioned"] and stored["single"].strip()


def test_an_unknown_corpus_engine_is_refused_with_the_choices(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--corpus-engine", "spark"])
    assert result.exit_code != 0
    assert "single" in result.output and "partitioned" in result.output


def export(db: Path, what: str, fmt: str, out: str) -> str:
    result = runner.invoke(app, ["export", "--db", str(db), "--what", what, "--format", fmt, "--out", out])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_articles_jsonl_to_stdout(store_db):
    rows = [json.loads(line) for line in export(store_db, "articles", "jsonl", "-").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "empty"]
    assert all(list(r) == ARTICLE_FIELDS for r in rows)
    a, b, empty = rows
    assert "delegation of tribal elders" in a["text"] and a["error"] is None
    assert {d["reason"] for d in a["dropped_lines"]} and all(set(d) == {"line_no", "text", "reason"}
                                                               for d in a["dropped_lines"])
    assert b["title"] == "Talks resume in Kabul" and b["published"] == "2022-06-03"
    assert empty["error"] == "empty document" and empty["text"] == ""


def test_export_articles_nested_csv_keeps_the_record_fields(store_db, tmp_path):
    out = tmp_path / "a.csv"
    export(store_db, "articles", "csv-nested", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == ARTICLE_FIELDS
    assert [r["id"] for r in rows] == ["a", "b", "empty"]
    assert json.loads(rows[0]["dropped_lines"])[0]["reason"]
    assert "\n" in rows[0]["text"]  # paragraphs survive CSV quoting
    assert rows[2]["error"] == "empty document"


def test_export_articles_parquet(store_db, tmp_path):
    out = tmp_path / "a.parquet"
    export(store_db, "articles", "parquet", str(out))
    table = pq.read_table(out)
    assert table.column_names == ARTICLE_FIELDS
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == ["a", "b", "empty"]
    assert rows[0]["dropped_lines"][0]["line_no"] is not None
    assert rows[2]["error"] == "empty document"


def _mention() -> EventMention:
    return EventMention(id="a:m1", article_id="a", event_type="CONSULT", mode="visit", context=["diplomatic"],
                        actor=[ActorRef("pak", "Pakistan", "PAK", "GOV", text="Pakistan")],
                        date="2021-10-21", event_loc=Place("Kabul", "Kabul", "AFG", lat=34.53, lon=69.17),
                        evidence=[Evidence("Talks resumed in Kabul.", 0, 23, "talks")])


@pytest.mark.parametrize("fmt", ["jsonl", "csv-nested", "parquet"])
def test_export_mentions_and_events(tmp_path, fmt):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        store.write_batch([(RawDocument("a", "u", b"x", "text", content_hash="h"),
                            Article("a", "u", text="x", content_hash="h"), [_mention()])])
        store.replace_events([Event("e1", "CONSULT", mentions=["a:m1"], sources=["a"], corroboration=1)])
    for what, fields, first in (("mentions", EventMention.__slots__, "a:m1"), ("events", Event.__slots__, "e1")):
        out = tmp_path / f"{what}.{fmt}"
        export(db, what, fmt, str(out))
        if fmt == "jsonl":
            rows = [json.loads(x) for x in out.read_text().splitlines()]
        elif fmt == "csv-nested":
            rows = list(csv.DictReader(io.StringIO(out.read_text())))
        else:
            rows = pq.read_table(out).to_pylist()
        assert list(rows[0]) == list(fields) and rows[0]["id"] == first
    mention = pq.read_table(tmp_path / "mentions.parquet").to_pylist()[0] if fmt == "parquet" else None
    if mention:
        assert mention["event_id"] == "e1" and mention["actor"][0]["country"] == "PAK"
        assert mention["event_loc"]["lat"] == 34.53


def test_export_errors(tmp_path, store_db):
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no store at" in result.stderr
    result = runner.invoke(app, ["export", "--db", str(store_db), "--format", "parquet", "--out", "-"])
    assert result.exit_code == 2 and "parquet needs an output file" in result.stderr


def test_python_dash_m_newsline():
    result = subprocess.run([sys.executable, "-m", "newsline", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "run" in result.stdout and "export" in result.stdout


# --------------------------------------------------------------------------- Python API
def test_api_run_clean_open_store(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML)
    summary = newsline.run([page], db=tmp_path / "t.duckdb")
    assert summary.new == 1 and summary.finished_at
    with newsline.open_store(tmp_path / "t.duckdb", read_only=True) as store:
        [article] = store.iter_articles()
    assert article.id == "page" and article.title == "Talks resume in Kabul"
    from_path = newsline.clean(page)
    from_str_path = newsline.clean(str(page))
    from_text = newsline.clean(TEXT)
    assert from_path.text == from_str_path.text == article.text
    assert "delegation of tribal elders" in from_text.text and from_text.error is None
    assert newsline.clean(b"\x00\x01".decode("latin-1")).error  # bad content: an error, not an exception
    assert callable(newsline.clean.clean_document)  # the clean package stays reachable


# --------------------------------------------------------------------------- the example corpus
@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/corpus not written yet")
def test_example_corpus_runs(tmp_path):
    files = [p for p in EXAMPLES.rglob("*") if p.is_file() and not p.name.startswith(".")]
    summary = newsline.run([EXAMPLES], db=tmp_path / "t.duckdb")
    assert summary.seen >= len([p for p in files if p.suffix in (".txt", ".html", ".htm")])
    assert summary.new + summary.failed == summary.seen
    with Store(tmp_path / "t.duckdb", read_only=True) as store:
        ids = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
    assert len(ids) == len(set(ids)) == summary.seen


def test_export_events_as_plover_and_acled(tmp_path):
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        store.write_batch([(RawDocument("a", "https://example.com/a", b"x", "text", content_hash="h"),
                            Article("a", "https://example.com/a", title="Talks", text="x", content_hash="h"),
                            [_mention()])])
        store.replace_events([Event("e1", "CONSULT", date="2021-10-21", mentions=["a:m1"], sources=["a"],
                                    corroboration=1, event_loc=Place("Kabul", "Kabul", "AFG"))])
    [record] = [json.loads(x) for x in export(db, "events", "plover", "-").splitlines()]
    assert record["id"] == "e1" and record["event"] == ["CONSULT"]
    assert record["cite_info"]["url"] == "https://example.com/a"
    assert record["newsline"]["cite_info"][0]["citation"] == "a" and record["text_info"]["text_story"] == "a"
    rows = list(csv.DictReader(io.StringIO(export(db, "events", "acled", "-"))))
    assert len(rows) == 1 and rows[0]["event_date"] == "2021-10-21"
    result = runner.invoke(app, ["export", "--db", str(db), "--what", "articles", "--format", "plover"])
    assert result.exit_code == 2 and "events only" in result.stderr


@pytest.mark.parametrize("width", [80, 120])
def test_timeline_and_actors_fit_the_terminal(tmp_path, monkeypatch, width):
    from rich.console import Console

    import newsline.cli as cli

    db = tmp_path / "t.duckdb"
    sentence = ("Talks resumed in Kabul on Monday between a Pakistani delegation led by the interior minister and "
                "officials of the interim government, a spokesman said, adding that prisoners would be freed.")
    mention = _mention()
    mention.evidence = [Evidence(sentence, 0, len(sentence), "talks")]
    mention.recipient = [ActorRef("afg", "Afghanistan", "AFG", "GOV", text="the interim government")]
    with Store(db) as store:
        store.write_batch([(RawDocument("a", "https://example.com/a", b"x", "text", content_hash="h"),
                            Article("a", "https://example.com/a", title="Talks", text="x", content_hash="h"),
                            [mention])])
        store.replace_events([Event("e1", "CONSULT", mode="visit", date="2021-10-21", actor=mention.actor,
                                    recipient=mention.recipient, mentions=["a:m1"], sources=["a"],
                                    corroboration=1, event_loc=Place("Kabul", "Kabul", "AFG"))])
    monkeypatch.setattr(cli, "out", Console(width=width, color_system=None))
    result = runner.invoke(app, ["timeline", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    event = next(i for i, line in enumerate(lines) if line.startswith("2021-10-21"))
    assert "Pakistan → Afghanistan" in lines[event] and "Kabul" in lines[event]
    assert any(line.lstrip().startswith("Talks resumed in Kabul") for line in lines[event + 1:event + 3])
    result = runner.invoke(app, ["actors", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    assert any(line.startswith("Pakistan [pak]") and line.rstrip().endswith("2021-10-21") for line in lines)
    assert "  seen as: the interim government" in lines


# --------------------------------------------------------------------------- data is never markup
def test_ids_and_reasons_with_rich_markup_are_printed_as_they_are(tmp_path):
    """A failed document whose id closes a markup tag (`x[/]y`) or opens one (`[bold]`) neither crashes the
    summary nor loses its brackets."""
    dump = tmp_path / "[bold]dump.jsonl"
    dump.write_text(json.dumps({"id": "x[/]y", "text": ""}) + "\n"
                    + json.dumps({"id": "[bold]z[/bold]", "text": ""}) + "\n")
    result = runner.invoke(app, ["run", str(dump), "--db", str(tmp_path / "[red]t.duckdb"), "--no-events"],
                           terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "x[/]y" in result.stdout and "[bold]z[/bold]" in result.stdout
    assert "[red]t.duckdb" in result.stdout


def test_errors_that_quote_data_are_printed_as_they_are(tmp_path):
    missing = tmp_path / "[/]nothing[bold].txt"
    result = runner.invoke(app, ["run", str(missing), "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code == 2 and "[/]nothing[bold].txt" in result.stderr


# --------------------------------------------------------------------------- usage errors
def test_a_missing_input_path_is_a_usage_error_and_stores_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "/nonexistent/file.txt", "--db", str(db)])
    assert result.exit_code == 2
    assert "no such file or folder: /nonexistent/file.txt" in result.stderr
    assert not db.exists()  # not even an empty store
    with pytest.raises(FileNotFoundError, match="/nonexistent/file.txt"):
        newsline.run(["/nonexistent/file.txt"], db=db)
    assert not db.exists()


@pytest.mark.parametrize("out", ["/nonexistent_dir/x.jsonl", "{tmp}", "{tmp}/a.txt/x.jsonl"])
def test_export_to_a_place_that_cannot_be_written_says_what_is_wrong(store_db, tmp_path, out):
    (tmp_path / "a.txt").write_text("not a folder")
    out = out.format(tmp=tmp_path)
    result = runner.invoke(app, ["export", "--db", str(store_db), "--out", out])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("error:") and out.rsplit("/", 1)[0] in result.stderr


def test_brief_to_a_missing_folder_says_what_is_wrong(store_db):
    result = runner.invoke(app, ["brief", "--db", str(store_db), "--out", "/nonexistent_dir/brief.html"])
    assert result.exit_code == 2 and "there is no folder /nonexistent_dir" in result.stderr


# --------------------------------------------------------------------------- one registry per extension point
def test_the_cli_offers_exactly_the_registered_export_formats_and_records():
    from newsline.cli import Format, What
    from newsline.store.export import FORMATS, WHAT

    assert [f.value for f in Format] == list(FORMATS)
    assert [w.value for w in What] == list(WHAT)


def test_an_events_only_format_refuses_other_records_before_writing(tmp_path):
    from newsline.store.export import FORMATS, ExportError, export

    events_only = [name for name, fmt in FORMATS.items() if fmt.events_only]
    assert events_only == ["plover", "acled", "graphml"]
    with Store(tmp_path / "t.duckdb") as store:
        for name in events_only:
            with pytest.raises(ExportError, match="exports events only"):
                export(store, "mentions", name, tmp_path / f"out.{name}")
    assert not list(tmp_path.glob("out.*"))


def test_input_extensions_come_from_the_reader_registry():
    from newsline.ingest import FORMATS, READERS, split_name

    assert {ext: name for name, fmt in READERS.items() for ext in fmt.extensions} == FORMATS
    assert split_name("page.HTM") == ("page", "html") and split_name("dump.ndjson.gz")[1] == "jsonl"


# --------------------------------------------------------------------------- answers to wrong options
@pytest.fixture()
def coded_db(tmp_path) -> Path:
    db = tmp_path / "coded.duckdb"
    mention = _mention()
    mention.recipient = [ActorRef("afg", "Afghanistan", "AFG", "GOV", text="the interim government")]
    with Store(db) as store:
        store.write_batch([(RawDocument("a", "https://example.com/a", b"x", "text", content_hash="h"),
                            Article("a", "https://example.com/a", title="Talks", text="x", content_hash="h"),
                            [mention])])
        store.replace_events([Event("e1", "CONSULT", date="2021-10-21", actor=mention.actor,
                                    recipient=mention.recipient, mentions=["a:m1"], sources=["a"],
                                    corroboration=1, event_loc=Place("Kabul", "Kabul", "AFG"))])
    return db


def test_version_prints_the_package_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"newsline {newsline.__version__}"


@pytest.mark.parametrize("value", ["05/11/2021", "garbage", "2021-13-01", "2021-02-30", "20210511"])
def test_date_options_refuse_what_is_not_a_yyyy_mm_dd_date(coded_db, value):
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--since", value])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output and "is not a date" in result.output


def test_date_options_filter_as_dates(coded_db):
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--since", "2021-10-01", "--until", "2021-10-31"])
    assert result.exit_code == 0 and "Timeline (1 events)" in result.stdout
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--since", "2021-10-22"])
    assert result.exit_code == 0 and "Timeline (0 events)" in result.stdout
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--since", "2021-11-01", "--until", "2021-10-01"])
    assert result.exit_code == 2 and "after --until" in result.stderr


def test_an_unknown_event_type_is_answered_with_the_plover_types(coded_db):
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--type", "ATTACK"])
    assert result.exit_code == 2
    assert "unknown event type 'ATTACK'" in result.stderr and "ASSAULT" in result.stderr
    assert runner.invoke(app, ["timeline", "--db", str(coded_db), "--type", "consult"]).exit_code == 0
    assert runner.invoke(app, ["timeline", "--db", str(coded_db), "--type", "1"]).exit_code == 0


def test_an_actor_matching_nothing_is_answered_with_the_nearest_names(coded_db, tmp_path):
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--actor", "Afganistan"])
    assert result.exit_code == 2
    assert "no actor matches 'Afganistan'; did you mean Afghanistan" in result.stderr
    result = runner.invoke(app, ["brief", "--db", str(coded_db), "--actor", "nobody",
                                 "--out", str(tmp_path / "b.html")])
    assert result.exit_code == 2 and "no actor matches 'nobody'" in result.stderr
    result = runner.invoke(app, ["timeline", "--db", str(coded_db), "--actor", "afghan"])
    assert result.exit_code == 0 and "Timeline (1 events)" in result.stdout


def test_serve_with_a_missing_store_fails_before_serving(tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 2
    assert "no store at" in result.stderr and "serving" not in result.output


@pytest.mark.parametrize("command", ["actors", "timeline", "export", "brief"])
def test_a_file_that_is_not_a_store_is_named_as_such(tmp_path, command):
    csv_file = tmp_path / "events.csv"
    csv_file.write_text("event_id_cnty,event_date\nx,2021-01-01\n")
    args = [command, "--db", str(csv_file)] + (["--out", str(tmp_path / "b.html")] if command == "brief" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "is not a newsline store" in result.stderr and "Catalog" not in result.stderr


@pytest.mark.parametrize("command", ["actors", "timeline", "export", "brief"])
def test_readers_say_that_a_run_holds_the_store(coded_db, tmp_path, command):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(coded_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        args = [command, "--db", str(coded_db)] + (["--out", str(tmp_path / "b.html")] if command == "brief" else [])
        result = runner.invoke(app, args)
    finally:
        holder.communicate("")
    assert result.exit_code == 2, result.output
    assert "a newsline run is writing" in result.stderr and "when the run has finished" in result.stderr


# --------------------------------------------------------------------------- exports for analysts' tools
@pytest.fixture()
def events_db(tmp_path) -> Path:
    """Two sources; events dated, reported only, undated; one actor id under two names; a toll in one claim."""
    from newsline.records import Claim, Size

    db = tmp_path / "ev.duckdb"
    pak, pak_alias = ActorRef("pak", "Pakistan", "PAK", "GOV", kind="state"), ActorRef("pak", "Govt of Pakistan", "PAK", "GOV", kind="state")
    ttp = ActorRef("ttp", "Tehrik-i-Taliban Pakistan", "PAK", "REB", kind="group")
    noun = ActorRef(None, None, text="the government")
    m1, m2 = _mention(), _mention()
    m1.actor, m1.recipient = [pak], [ttp, noun]
    m2.id, m2.article_id, m2.actor, m2.recipient = "b:m1", "b", [pak_alias], [ttp]
    docs = [(RawDocument(i, f"https://{i}.example/news/{i}", b"x", "text", content_hash=i),
             Article(i, f"https://{i}.example/news/{i}", title=i, text="x", published="2021-11-02", content_hash=i),
             [m]) for i, m in (("a", m1), ("b", m2))]
    with Store(db) as store:
        store.write_batch(docs)
        store.replace_events([
            Event("e1", "ASSAULT", actor=[pak], recipient=[ttp, noun], date="2021-10-21", date_precision="day",
                  event_loc=Place("Kabul", "Kabul", "AFG", "Kabul", 34.53, 69.17, 4), mentions=["a:m1"],
                  sources=["a", "b"], corroboration=2,
                  claims=[Claim("a", "a:m1", "asserted", size=Size(dead=7)), Claim("b", "b:m1", "asserted", size=Size(dead=5))]),
            Event("e2", "CONSULT", actor=[pak_alias], recipient=[ttp], mentions=["b:m1"], sources=["b"],
                  corroboration=1, first_reported="2021-11-02"),
            Event("e3", "CONSULT", actor=[pak], recipient=[ttp], sources=["a"], corroboration=1),
        ])
    return db


def test_csv_is_a_flat_event_table_without_json(events_db, tmp_path):
    from newsline.store.flat import EVENT_COLUMNS

    rows = list(csv.DictReader(io.StringIO(export(events_db, "events", "csv", "-"))))
    assert list(rows[0]) == EVENT_COLUMNS and [r["id"] for r in rows] == ["e1", "e2", "e3"]
    e1 = rows[0]
    assert (e1["actor1_name"], e1["actor1_id"], e1["actor1_country"], e1["actor1_sector"]) == ("Pakistan", "pak", "PAK", "GOV")
    assert e1["actor2_name"] == "Tehrik-i-Taliban Pakistan" and e1["other_parties"] == "the government (recipient)"
    assert (e1["date"], e1["date_precision"], e1["place"], e1["admin1"], e1["country"]) == ("2021-10-21", "day", "Kabul", "Kabul", "AFG")
    assert (e1["lat"], e1["lon"], e1["corroboration"]) == ("34.53", "69.17", "2")
    assert e1["sources"] == "a; b" and e1["source_urls"] == "https://a.example/news/a; https://b.example/news/b"
    assert e1["evidence"] == "Talks resumed in Kabul."
    assert rows[1]["actor1_name"] == "Pakistan"  # one name per actor id
    for text in (export(events_db, what, "csv", "-") for what in ("events", "mentions", "articles")):
        assert not any(cell.startswith(("[", "{")) for row in csv.reader(io.StringIO(text)) for cell in row)


def test_sqlite_export_holds_one_table_per_record_kind(events_db, tmp_path):
    import sqlite3

    out = tmp_path / "out.sqlite"
    for what in ("events", "mentions", "articles", "events"):  # a table is replaced, not appended to
        export(events_db, what, "sqlite", str(out))
    con = sqlite3.connect(out)
    assert con.execute("SELECT count(*) FROM events").fetchone() == (3,)
    assert con.execute("SELECT actor1_name, lat FROM events WHERE date >= '2021-10-01'").fetchall() == [("Pakistan", 34.53)]
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    con.close()


def test_graphml_is_the_directed_weighted_actor_network(events_db, tmp_path):
    import networkx as nx

    out = tmp_path / "net.graphml"
    export(events_db, "events", "graphml", str(out))
    graph = nx.read_graphml(out)
    assert graph.is_directed()
    assert sorted(graph.nodes) == ["pak", "ttp"]  # no node for the unresolved "the government"
    assert graph.nodes["pak"]["label"] == "Pakistan"
    assert graph.edges["pak", "ttp"]["weight"] == 3 and not graph.has_edge("ttp", "pak")


def test_acled_rows_are_always_dated_or_flagged_and_name_an_actor_once(events_db):
    rows = {r["event_id_cnty"].split("-", 1)[1]: r
            for r in csv.DictReader(io.StringIO(export(events_db, "events", "acled", "-")))}
    dated, reported, undated = rows["e1"], rows["e2"], rows["e3"]
    assert (dated["event_date"], dated["time_precision"], dated["date_basis"]) == ("2021-10-21", "1", "event")
    assert (reported["event_date"], reported["time_precision"], reported["date_basis"]) == ("2021-11-02", "3", "reported")
    assert (undated["event_date"], undated["time_precision"], undated["date_basis"]) == ("", "3", "none")
    assert dated["fatalities"] == "5"  # no coded event toll: the lowest a source reports
    assert len({r["actor1"] for r in rows.values()}) == 1
    assert dated["source"] == "a.example; b.example"
    assert dated["source_url"] == "https://a.example/news/a; https://b.example/news/b"
    assert dated["geo_precision"] == "1"


def test_the_python_lines_of_the_using_the_data_page_run(events_db, tmp_path, monkeypatch):
    import importlib.util
    import re

    for what, fmt, name in (("events", "parquet", "events.parquet"), ("events", "csv", "events.csv"),
                            ("events", "sqlite", "out.sqlite"), ("events", "graphml", "actors.graphml")):
        export(events_db, what, fmt, str(tmp_path / name))
    monkeypatch.chdir(tmp_path)
    page = (ROOT / "docs" / "using-the-data.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert len(blocks) >= 4
    for code in blocks:
        library = re.match(r"import (\w+)", code).group(1)
        if library == "polars" and importlib.util.find_spec("polars") is None:
            continue  # polars is optional
        names: dict = {}
        exec(compile(code, "using-the-data.md", "exec"), names)  # noqa: S102 - the page's own lines
        frame = next(v for k, v in names.items() if k in ("events", "flat", "network"))
        assert len(frame) in (3, 2)  # 3 events, or the network's 2 actors


def test_brief_writes_plotly_once_beside_the_page_or_inlines_it_offline(coded_db, tmp_path):
    result = runner.invoke(app, ["brief", "--db", str(coded_db), "--out", str(tmp_path / "b.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plotly.min.js").exists() and (tmp_path / "b.html").stat().st_size < 200_000
    result = runner.invoke(app, ["brief", "--db", str(coded_db), "--out", str(tmp_path / "one" / "b.html")])
    assert result.exit_code == 2  # (a missing folder, as before)
    (tmp_path / "one").mkdir()
    result = runner.invoke(app, ["brief", "--db", str(coded_db), "--offline", "--out", str(tmp_path / "one" / "b.html")])
    assert result.exit_code == 0 and not (tmp_path / "one" / "plotly.min.js").exists()
    assert (tmp_path / "one" / "b.html").stat().st_size > 1_000_000
    result = runner.invoke(app, ["brief", "--db", str(coded_db), "--since", "garbage", "--out", str(tmp_path / "c.html")])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
