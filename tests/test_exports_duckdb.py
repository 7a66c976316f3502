"""csv-nested and Parquet exports written by DuckDB from the typed store (issue 16): the contract fields, typed
Parquet (DATE columns, LIST and STRUCT, no store companions), nested CSV cells equal to the JSON records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsline import records
from newsline.records import ActorRef, Article, Claim, DroppedLine, Event, EventMention, Place, Size
from newsline.store.db import Store
from newsline.store.export import ARTICLE_FIELDS, write_parquet_dataset
from newsline.store.export import export as export_store


def export(db, what, fmt, out):
    with Store(db, read_only=True) as store:
        return export_store(store, what, fmt, out)


@pytest.fixture
def db(tmp_path):
    """Two articles (one dated to a month), a mention, and five events, one with a month date, claims with a
    month, a day and a text that is no date, and non-ASCII, quotes and newlines in its text."""
    path = tmp_path / "s.duckdb"
    pak = ActorRef(id="pak", name="Pakistan", country="PAK", sector="GOV", text="Islāmābād \"officials\"",
                   kind="state")
    article = Article(id="a1", uri="https://x.example/a1", title="Talks, again", published="2021-06",
                      published_precision="month", text="Line one.\nLine two, \"quoted\".",
                      dropped_lines=[DroppedLine(3, "Share this", "boilerplate")])
    article2 = Article(id="a2", uri="https://y.example/a2", published="2021-08-04", published_precision="day")
    mention = EventMention(id="a1:m1", article_id="a1", event_type="CONSULT", context=["diplomatic"],
                           actor=[pak], date="2021-08-03", enddate="2021-09", date_precision="day",
                           event_loc=Place("Kabul", "Kabul", "AFG", lat=34.53, lon=69.17, resolution=4),
                           confidence=0.30000000000000004)
    events = [Event(id="e1", event_type="CONSULT", actor=[pak], date="2021-06", date_precision="month",
                    mentions=["a1:m1"], sources=["a1", "a2"], corroboration=2, first_reported="2021-08-04",
                    size=Size(dead=4),
                    claims=[Claim("a1", "a1:m1", "asserted", size=Size(dead=4), published="2021-06"),
                            Claim("a2", "a2:m1", "reported", published="2021-08-04"),
                            Claim("a3", "a3:m1", "reported", published="not a date")])]
    events += [Event(id=f"e{i}", event_type="ASSAULT", date=f"2022-01-0{i}", date_precision="day")
               for i in range(2, 6)]
    with Store(path) as store:
        store.write_batch([(records.RawDocument("a1", article.uri, b"x", "text", content_hash="h1"), article, [mention]),
                           (records.RawDocument("a2", article2.uri, b"y", "text", content_hash="h2"), article2, [])])
        store.replace_events(events)
    return path


def _jsonl(db, what, tmp_path):
    export(db, what, "jsonl", str(tmp_path / f"{what}.jsonl"))
    return [json.loads(x) for x in (tmp_path / f"{what}.jsonl").read_text(encoding="utf-8").splitlines()]


def _cell(text):
    if text == "":
        return None
    return json.loads(text) if text[:1] in ("[", "{") else text


@pytest.mark.parametrize("what", ["articles", "mentions", "events"])
def test_csv_nested_cells_are_the_json_records(db, tmp_path, what):
    export(db, what, "csv-nested", str(tmp_path / f"{what}.csv"))
    with open(tmp_path / f"{what}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    records = _jsonl(db, what, tmp_path)
    assert list(rows[0]) == list(records[0])
    numbers = {"quad_code", "corroboration", "confidence"}
    for row, record in zip(rows, records, strict=True):
        for k, v in record.items():
            got = _cell(row[k])
            if k in numbers and got is not None:
                got = float(got)
            assert got == (None if v == "" else v), (k, row[k], v)  # (csv reads "" and no value alike)


def test_csv_nested_keeps_month_dates_and_text_that_is_no_date(db, tmp_path):
    export(db, "events", "csv-nested", str(tmp_path / "e.csv"))
    with open(tmp_path / "e.csv", newline="", encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    assert first["date"] == "2021-06" and first["first_reported"] == "2021-08-04"
    assert [c["published"] for c in json.loads(first["claims"])] == ["2021-06", "2021-08-04", "not a date"]
    assert "__text" not in first["claims"]


def test_csv_nested_to_a_file_object(db):
    out = io.StringIO()
    assert export(db, "events", "csv-nested", out) == 5
    assert out.getvalue().splitlines()[0].startswith("id,event_type,mode,context")


def test_parquet_is_typed_with_dates_and_nested_types(db, tmp_path):
    out = tmp_path / "events.parquet"
    assert export(db, "events", "parquet", str(out)) == 5
    schema = pq.read_schema(out)
    assert schema.names == list(records.field_types(Event))
    for name in ("date", "enddate", "first_reported"):
        assert schema.field(name).type == pa.date32()
    actor = schema.field("actor").type
    assert pa.types.is_list(actor) and actor.value_type.field("country").type == pa.string()
    claim = schema.field("claims").type.value_type
    assert [claim.field(i).name for i in range(claim.num_fields)] == ["article_id", "mention_id", "status",
                                                                      "attribution", "size", "published"]
    assert claim.field("published").type == pa.date32()
    assert schema.field("event_loc").type.num_fields == 8 and schema.field("size").type.num_fields == 3
    first = pq.read_table(out).to_pylist()[0]
    # a month date is its first day; date_precision says it is a month
    assert (first["date"], first["date_precision"]) == (dt.date(2021, 6, 1), "month")
    assert [c["published"] for c in first["claims"]] == [dt.date(2021, 6, 1), dt.date(2021, 8, 4), None]
    assert first["actor"][0]["text"] == 'Islāmābād "officials"'
    assert first["sources"] == ["a1", "a2"] and first["size"] == {"dead": 4, "injured": None, "arrested": None}


def test_parquet_reads_in_pandas_with_dates_as_dates(db, tmp_path):
    export(db, "events", "parquet", str(tmp_path / "e.parquet"))
    frame = pd.read_parquet(tmp_path / "e.parquet")
    assert list(frame["id"]) == ["e1", "e2", "e3", "e4", "e5"]  # id order
    assert frame["date"].iloc[1] == dt.date(2022, 1, 2)
    assert (frame["date"] >= dt.date(2022, 1, 3)).sum() == 3


def test_parquet_articles_and_mentions_keep_the_contract_fields(db, tmp_path):
    export(db, "articles", "parquet", str(tmp_path / "a.parquet"))
    export(db, "mentions", "parquet", str(tmp_path / "m.parquet"))
    articles = pq.read_table(tmp_path / "a.parquet")
    assert articles.column_names == ARTICLE_FIELDS
    assert articles.to_pylist()[0]["dropped_lines"] == [{"line_no": 3, "text": "Share this", "reason": "boilerplate"}]
    mention = pq.read_table(tmp_path / "m.parquet").to_pylist()[0]
    assert list(mention) == list(records.field_types(EventMention))
    assert (mention["date"], mention["enddate"]) == (dt.date(2021, 8, 3), dt.date(2021, 9, 1))
    assert mention["event_id"] == "e1" and mention["confidence"] == 0.30000000000000004


def test_an_output_name_with_a_quote_is_written(db, tmp_path):
    out = tmp_path / "it's.parquet"
    assert export(db, "events", "parquet", str(out)) == 5 and pq.read_table(out).num_rows == 5


def test_parquet_dataset_parts_hold_at_most_part_rows_in_id_order(db, tmp_path):
    with Store(db, read_only=True) as store:
        counts = write_parquet_dataset(store, tmp_path / "ds", part_rows=2)
    assert counts == {"articles": 2, "mentions": 1, "events": 5}
    parts = sorted((tmp_path / "ds" / "events").glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert [pq.read_table(p).column("id").to_pylist() for p in parts] == [["e1", "e2"], ["e3", "e4"], ["e5"]]
    assert pq.read_schema(parts[0]) == pq.read_schema(parts[2])
    with Store(db, read_only=True) as store:  # a second snapshot replaces the first
        write_parquet_dataset(store, tmp_path / "ds", part_rows=10)
    assert len(list((tmp_path / "ds" / "events").glob("part-*.parquet"))) == 1


def test_an_empty_table_still_gets_its_parquet_schema(tmp_path):
    db = tmp_path / "empty.duckdb"
    with Store(db):
        pass
    assert export(db, "events", "parquet", str(tmp_path / "e.parquet")) == 0
    assert pq.read_schema(tmp_path / "e.parquet").field("date").type == pa.date32()
    with Store(db, read_only=True) as store:
        assert write_parquet_dataset(store, tmp_path / "ds")["events"] == 0
    assert pq.read_table(tmp_path / "ds" / "events").num_rows == 0


def test_csv_nested_leaves_the_stores_thread_setting_as_it_was(db, tmp_path):
    with Store(db, read_only=True) as store:
        store.con.execute("SET threads = 2")
        export_store(store, "events", "csv-nested", str(tmp_path / "e.csv"))
        export_store(store, "events", "csv-nested", io.StringIO())
        assert store.con.execute("SELECT current_setting('threads')").fetchone()[0] == 2
