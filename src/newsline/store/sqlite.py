"""`--format sqlite`: the flat table of articles, mentions or events (`newsline.store.flat`) as a table of a
SQLite file, for Datasette (`datasette out.sqlite`) or any SQL tool.

The table is named after the records (`events`, `mentions`, `articles`) and replaced when the file has it
already, so three exports into one file make one database of all three.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from newsline.store.db import Store
from newsline.store.flat import COLUMNS, flat_rows

# the SQLite type of a flat column (TEXT for the rest)
TYPES = {"quad_code": "INTEGER", "lat": "REAL", "lon": "REAL", "geo_resolution": "INTEGER",
         "fatalities": "INTEGER", "injured": "INTEGER", "arrested": "INTEGER", "corroboration": "INTEGER",
         "confidence": "REAL", "dropped_lines": "INTEGER"}
BATCH = 1000


def write_sqlite(store: Store, what: str, out: Any) -> int:
    from newsline.store.export import ExportError

    if hasattr(out, "write") or str(out) == "-":
        raise ExportError("sqlite needs an output file (--out FILE.sqlite), not stdout")
    columns = COLUMNS[what]
    con = sqlite3.connect(str(out))
    n = 0
    try:
        with con:
            con.execute(f'DROP TABLE IF EXISTS "{what}"')
            con.execute(f'CREATE TABLE "{what}" ('
                        + ", ".join(f'"{c}" {TYPES.get(c, "TEXT")}' + (" PRIMARY KEY" if c == "id" else "")
                                    for c in columns) + ")")
            insert = f'INSERT INTO "{what}" VALUES ({", ".join("?" * len(columns))})'
            batch: list[list[Any]] = []
            for row in flat_rows(store, what):
                batch.append([row[c] for c in columns])
                if len(batch) >= BATCH:
                    con.executemany(insert, batch)
                    n, batch = n + len(batch), []
            con.executemany(insert, batch)
            n += len(batch)
    finally:
        con.close()
    return n
