"""The events' write (`Store.replace_events`): staged in Parquet files first, then one short transaction.

The events come as a stream (the clusterer's, or the partitions' workers' as they report), and building them
is most of the corpus stages' time. They are written as they come, chunk by chunk, to two Parquet files in a
temporary folder beside the store: the events' rows, and their mention -> event pairs. No transaction is open
meanwhile, so a run killed while the events are built leaves the store as it was (the corpus stages stay
pending and the next run does them again). Then one transaction replaces the stored events with one
`INSERT ... SELECT` from the file and moves the mentions' links with two `UPDATE`s from the pairs' file.

Why: inserted chunk by chunk inside one transaction that lasted the whole clustering, the writing process's
memory grew with the events written (a million mentions: peak 1,569 MB, most of it DuckDB's, not Python's).
Staged, nothing of the store's is held while the events are built; the loading transaction still takes
memory that grows with the events loaded, far less (a million mentions: peak 1,036 MB, reached in it;
BENCHMARKS.md "Issue 18", session 7).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

STAGE_CHUNK = 5000  # events per chunk written to the staging file (the rows of one chunk are held at a time)
LINK_SCHEMA = pa.schema([("mention_id", pa.string()), ("event_id", pa.string())])


@dataclass(slots=True, frozen=True)
class StagedEvents:
    events: str  # Parquet file of the events' rows (the store's events columns)
    links: str  # Parquet file of (mention_id, event_id) pairs
    count: int


@contextlib.contextmanager
def staged_events(events: Iterable[dict[str, Any]], folder: Path | None, rows: Any, strings: Any,
                  chunk: int = STAGE_CHUNK) -> Iterator[StagedEvents]:
    """`events` (the store's rows of events) written to Parquet files in a temporary folder under `folder` (the
    system's when None), removed after the block. `rows(chunk)` gives a chunk's Arrow table in the store's events
    schema, `strings(values)` an Arrow string array of valid UTF-8 (the store's own converters)."""
    import pyarrow.parquet as pq

    work = Path(tempfile.mkdtemp(prefix="newsline-events-", dir=folder))
    try:
        paths = (str(work / "events.parquet"), str(work / "links.parquet"))
        count = 0
        with pq.ParquetWriter(paths[0], rows([]).schema) as ev_out, pq.ParquetWriter(paths[1], LINK_SCHEMA) as ln_out:
            for part in _chunks(events, chunk):
                ev_out.write_table(rows(part))
                ln_out.write_table(pa.table([strings([m for e in part for m in e["mentions"]]),
                                             strings([e["id"] for e in part for _ in e["mentions"]])], schema=LINK_SCHEMA))
                count += len(part)
        yield StagedEvents(*paths, count)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def sql_path(path: str | Path) -> str:
    """A path for SQL text (quotes doubled)."""
    return str(path).replace("'", "''")
