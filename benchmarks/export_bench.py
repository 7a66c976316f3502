"""Export speed: csv-nested and Parquet written by DuckDB (`COPY (SELECT …) TO`) against the row-by-row
Python writers they replaced (kept below as the old path, from newsline before issue 16), in the same run.

    .venv/bin/python benchmarks/export_bench.py [--db STORE] [--copies 300] [--repeat 2]

The store: a copy of STORE (default: examples/corpus run into a temporary store) with every article,
mention and event repeated `--copies` times under new ids, so the rows are real coder output. Prints, per
table and format, the seconds of the old and the new writer (best of `--repeat`), their ratio, and checks
that both wrote the same rows (csv-nested cells compared as values, Parquet dates as ISO text). jsonl
(unchanged, Python) is timed for reference.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import json
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsline.records import strip_optional
from newsline.store import export
from newsline.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
csv.field_size_limit(sys.maxsize)


# --------------------------------------------------------------------------- the old path (before issue 16)
def _arrow_type(tp: Any) -> pa.DataType:
    tp = strip_optional(tp)
    if tp is str or typing.get_origin(tp) is Literal:
        return pa.string()
    if tp in (bool, int, float):
        return {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}[tp]
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return pa.list_(_arrow_type(item))
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return pa.struct([(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(tp)])
    return pa.string()


def _arrow_value(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    tp = strip_optional(tp)
    if tp in (str, bool, int, float) or typing.get_origin(tp) is Literal:
        return value
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_arrow_value(item, v) for v in value]
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {f.name: _arrow_value(hints[f.name], value.get(f.name)) for f in dataclasses.fields(tp)}
    return json.dumps(value, ensure_ascii=False)


def old_parquet(store: Store, what: str, out: Path) -> int:
    _, cls, fields = export.WHAT[what]
    hints = typing.get_type_hints(cls)
    schema = pa.schema([(f, _arrow_type(hints[f])) for f in fields])
    n, batch = 0, []
    with pq.ParquetWriter(str(out), schema) as writer:
        for row in export.rows(store, what):
            batch.append({f: _arrow_value(hints[f], row[f]) for f in fields})
            if len(batch) >= 2000:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n + len(batch)


def old_csv_nested(store: Store, what: str, out: Path) -> int:
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(export.WHAT[what][2])
        for row in export.rows(store, what):
            writer.writerow(["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                             else v for v in row.values()])
            n += 1
    return n


# --------------------------------------------------------------------------- the store
def scaled_store(source: Path, out: Path, copies: int) -> None:
    """`out`: every row of `source` `copies` times, ids suffixed `~i` (nested references left as they are)."""
    with Store(out):  # the schema
        pass
    con = duckdb.connect(str(out))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    for table in ("articles", "mentions", "events"):
        con.execute(f"INSERT INTO {table} BY NAME SELECT t.* REPLACE (t.id || '~' || r.i AS id) "
                    f"FROM src.{table} t, range({copies}) r(i)")
    con.close()


def demo_store(tmp: Path) -> Path:
    db = tmp / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "newsline", "run", str(ROOT / "examples" / "corpus"), "--db", str(db),
                    "--workers", "1"], check=True, capture_output=True)
    return db


# --------------------------------------------------------------------------- checks and timing
def _cell(v: str) -> Any:
    return json.loads(v) if v[:1] in ("[", "{") else (v or None)


def same_csv(a: Path, b: Path) -> bool:
    with open(a, newline="", encoding="utf-8") as fa, open(b, newline="", encoding="utf-8") as fb:
        return all(list(map(_cell, x)) == list(map(_cell, y)) for x, y in zip(csv.reader(fa), csv.reader(fb),
                                                                               strict=True))


def _iso(v: Any) -> Any:
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _iso(x) for k, x in v.items()}
    return [_iso(x) for x in v] if isinstance(v, list) else v


def same_parquet(a: Path, b: Path) -> bool:
    # a month or year date is its first day in the new file (date_precision says which): compared as days
    return [_iso(r) for r in pq.read_table(a).to_pylist()] == [_iso(r) for r in pq.read_table(b).to_pylist()]


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="source store (default: examples/corpus run now)")
    ap.add_argument("--copies", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / "big.duckdb"
        scaled_store(args.db or demo_store(tmp), big, args.copies)
        with Store(big, read_only=True) as store:
            counts = {w: store.count(w) for w in export.WHAT}
            print(f"store: {', '.join(f'{n} {w}' for w, n in counts.items())}")
            print(f"{'table':9} {'format':11} {'old s':>7} {'new s':>7} {'old/new':>8}  same rows")
            for what in export.WHAT:
                for fmt, old, new, same in (("csv-nested", old_csv_nested, export.write_csv_nested, same_csv),
                                            ("parquet", old_parquet, export.write_parquet, same_parquet)):
                    a, b = tmp / f"old_{what}.{fmt}", tmp / f"new_{what}.{fmt}"
                    t_old = best(lambda old=old, a=a, what=what: old(store, what, a), args.repeat)
                    t_new = best(lambda new=new, b=b, what=what: new(store, what, b), args.repeat)
                    print(f"{what:9} {fmt:11} {t_old:7.2f} {t_new:7.2f} {t_old / t_new:8.1f}  {same(a, b)}")
                t_jsonl = best(lambda what=what: export.write_jsonl(store, what, tmp / f"{what}.jsonl"), 1)
                print(f"{what:9} {'jsonl':11} {'':7} {t_jsonl:7.2f}  (Python, unchanged)")
            t_ds = best(lambda: export.write_parquet_dataset(store, tmp / "dataset", part_rows=20_000), 1)
            print(f"parquet dataset (all three tables, 20,000-row parts): {t_ds:.2f} s")


if __name__ == "__main__":
    main()
