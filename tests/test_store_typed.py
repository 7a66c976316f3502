"""The store's typed columns (issue 16): DATE for dates, STRUCT/LIST for nested records, derived from records.py;
an old store (JSON columns) refused with a clear message and migrated by `newsline rebuild`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import newsline
from newsline.cli import app
from newsline.records import (
    ActorRef,
    Article,
    Claim,
    DroppedLine,
    Event,
    EventMention,
    Place,
    RunSummary,
    Size,
    to_dict,
)
from newsline.store.db import TABLES, OldSchema, Store, rebuild

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus" / "pakistan"


def test_issue_query_works_on_a_store_built_from_a_corpus(tmp_path):
    db = tmp_path / "t.duckdb"
    newsline.run([CORPUS], db=db)
    con = duckdb.connect(str(db), read_only=True)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'events'").fetchall())
    assert types["date"] == "DATE" and types["first_reported"] == "DATE"
    assert types["actor"].startswith("STRUCT(") and types["actor"].endswith("[]")
    assert types["event_loc"].startswith("STRUCT(") and types["size"].startswith("STRUCT(")
    assert types["claims"].startswith("STRUCT(") and types["context"] == "VARCHAR[]"
    rows = con.execute("SELECT id, date, actor[1].country FROM events "
                       "WHERE date >= DATE '2021-08-01' AND actor[1].country = 'PAK'").fetchall()
    assert rows and all(d >= dt.date(2021, 8, 1) and c == "PAK" for _, d, c in rows)
    (n,) = con.execute("SELECT count(*) FROM mentions WHERE date >= DATE '2021-08-01' "
                       "AND actor[1].country = 'PAK' AND event_loc.country_code = 'PAK'").fetchone()
    assert n > 0
    assert con.execute("SELECT count(*) FROM articles WHERE published >= DATE '2021-01-01'").fetchone()[0] > 0
    con.close()


def _records():
    article = Article(id="a1", uri="x", published="2021-06", published_precision="month", text="Body.",
                      dropped_lines=[DroppedLine(3, "Share this", "boilerplate")])
    article2 = Article(id="a2", uri="y", published="2021", published_precision="year")
    mention = EventMention(id="m1", article_id="a1", event_type="ASSAULT", context=["terrorism"],
                           actor=[ActorRef(id="ttp", name="TTP", country="PAK", kind="group")],
                           date="2021-08-03", enddate="2021-09", date_precision="day",
                           event_loc=Place("Bannu", "Bannu", "PAK", lat=33.0, lon=70.6, resolution=4),
                           size=Size(dead=4))
    event = Event(id="e1", event_type="ASSAULT", actor=mention.actor, date="2021-08-03", mentions=["m1"],
                  sources=["a1"], first_reported="2021-06",
                  claims=[Claim("a1", "m1", "asserted", size=Size(dead=4), published="2021-06"),
                          Claim("a2", "m2", "reported", published="2021-08-04"),
                          Claim("a3", "m3", "reported", published="not a date")])
    return article, article2, mention, event


def test_dates_at_month_or_year_precision_read_back_as_written(tmp_path):
    from newsline.records import RawDocument

    article, article2, mention, event = _records()
    with Store(tmp_path / "s.duckdb") as store:
        store.write_batch([(RawDocument(id="a1", uri="x", content=b"x"), article, [mention]),
                           (RawDocument(id="a2", uri="y", content=b"y"), article2, [])])
        store.replace_events([event])
        assert [to_dict(a) for a in store.iter_articles()] == [to_dict(article), to_dict(article2)]
        assert [a.published for a in store.corpus_articles()] in (["2021-06", "2021"], ["2021", "2021-06"])
        got = store.read_mentions()[0]
        assert to_dict(got) == {**to_dict(mention), "event_id": "e1"}
        assert to_dict(store.read_events()[0]) == to_dict(event)
        assert store.con.execute("SELECT published FROM articles WHERE id = 'a1'").fetchone()[0] == dt.date(2021, 6, 1)
        assert store.con.execute("SELECT claims[1].published, claims[3].published FROM events").fetchone() == (
            dt.date(2021, 6, 1), None)


def _old_store(path: Path, article: Article, mention: EventMention, event: Event) -> None:
    """A store as newsline wrote it before typed columns: nested values as JSON, dates as VARCHAR."""
    con = duckdb.connect(str(path))
    for table, rec in (("articles", article), ("mentions", mention), ("events", event),
                       ("runs", RunSummary(run_id="r1", started_at="2024-01-01T00:00:00", inputs=["x"]))):
        columns = [c for c in TABLES[table][0] if not c.date_of]
        old = {c.name: ("VARCHAR" if c.sql == "DATE" else "JSON" if c.sql not in ("VARCHAR", "BIGINT", "DOUBLE",
                                                                                  "BOOLEAN") else c.sql)
               for c in columns}
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{chr(34)}{n}{chr(34)} {t}' for n, t in old.items())})")
        row = to_dict(rec)
        values = [json.dumps(row[n]) if t == "JSON" and row[n] is not None else row[n] for n, t in old.items()]
        con.execute(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in values)})", values)
    con.execute("CREATE INDEX mentions_article ON mentions (article_id)")
    con.close()


def test_an_old_store_is_refused_with_a_message_naming_rebuild(tmp_path):
    article, _, mention, event = _records()
    db = tmp_path / "old.duckdb"
    _old_store(db, article, mention, event)
    for read_only in (False, True):
        with pytest.raises(OldSchema, match=r"older newsline.*newsline rebuild --db"):
            Store(db, read_only=read_only)
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--what", "events"])
    assert result.exit_code != 0 and "newsline rebuild" in result.output


def test_rebuild_migrates_an_old_store(tmp_path):
    article, _, mention, event = _records()
    db = tmp_path / "old.duckdb"
    _old_store(db, article, mention, event)
    result = CliRunner().invoke(app, ["rebuild", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        assert [to_dict(a) for a in store.iter_articles()] == [to_dict(article)]
        assert [to_dict(m) for m in store.read_mentions()] == [to_dict(mention)]
        assert [to_dict(e) for e in store.read_events()] == [to_dict(event)]
        assert store.runs()[0].inputs == ["x"]
        assert store.con.execute("SELECT count(*) FROM events WHERE date >= DATE '2021-08-01' "
                                 "AND actor[1].country = 'PAK'").fetchone()[0] == 1
    assert rebuild(db) == {}  # a second time: nothing to do
    with Store(db) as store:  # and it opens for writing
        assert store.count("mentions") == 1
