"""The Python API, re-exported from `newsline`:

    import newsline
    summary = newsline.run(["corpus/"], db="newsline.duckdb", workers=4)   # -> RunSummary
    article = newsline.clean("page.html")                                 # -> Article (a path or a text)
    with newsline.open_store("newsline.duckdb") as store:
        for article in store.iter_articles(): ...
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from newsline.clean import MAX_BYTES, CleanContext, clean_document
from newsline.ingest import iter_sources, read_source
from newsline.ingest.common import document
from newsline.pipeline import BATCH_DOCS, ProgressFn, check_inputs, run_pipeline
from newsline.records import Article, RunSummary
from newsline.store.db import DEFAULT_DB, Store

log = logging.getLogger(__name__)

__all__ = ["run", "clean", "open_store"]


def run(paths: str | os.PathLike | Iterable[str | os.PathLike], db: str | os.PathLike = DEFAULT_DB,
        workers: int = 1, *, max_bytes: int = MAX_BYTES, batch_size: int = BATCH_DOCS,
        progress: ProgressFn | None = None) -> RunSummary:
    """Ingest and process `paths` (files, folders, `-` for stdin) into the store `db`.

    Idempotent: documents already stored with the same content are skipped; changed ones are replaced.
    A path that does not exist raises `newsline.pipeline.InputNotFound` (a FileNotFoundError) before the
    store is opened. Works from a plain script, without `if __name__ == "__main__":` (workers do not
    re-import it).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    paths = list(paths)
    check_inputs(paths)
    with Store(db) as store:
        return run_pipeline(list(paths), store, workers=workers, max_bytes=max_bytes, batch_size=batch_size,
                            progress=progress)


def clean(path_or_text: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Article:
    """Clean one page: a path (`.html`, `.txt`, …) or the page itself as a string (HTML or text).

    A string is read as a path only when it names an existing file and is one line long. For a file
    holding several documents (JSONL, WARC) the first one is cleaned. Never raises for bad content: the
    Article carries `error`.
    """
    if _is_path(path_or_text):
        src = next(iter_sources([path_or_text]))
        doc = next(read_source(src, max_bytes), None)
        if doc is None:
            return Article(id=src.file_id, uri=src.uri, error="no document in file")
    else:
        doc = document("text", "", str(path_or_text).encode("utf-8"), "unknown")
    return clean_document(doc, CleanContext(max_bytes=max_bytes))


def _is_path(value: str | os.PathLike) -> bool:
    if isinstance(value, os.PathLike):
        return True
    return "\n" not in value and len(value) < 4096 and Path(value).is_file()


def open_store(db: str | os.PathLike = DEFAULT_DB, read_only: bool = False) -> Store:
    """The store `db` (a context manager). `read_only=True` lets several readers share it."""
    return Store(db, read_only=read_only)
