"""The lines of docs/using-the-data.md, run as written on a store made from examples/corpus/pakistan: the
export commands, the SQLite file Datasette opens (tables and the columns the page lists), pandas, polars,
and R's read.csv (where Rscript is installed; R's arrow package is not in Debian, so that line is not run)."""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsline
from newsline.cli import app
from newsline.store.db import Store
from newsline.store.flat import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "using-the-data.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE, re.DOTALL)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A folder holding the files the page's export commands write, and the store's row counts."""
    tmp = tmp_path_factory.mktemp("docs")
    db = tmp / "newsline.duckdb"
    newsline.run([ROOT / "examples" / "corpus" / "pakistan"], db=db)
    commands = [line.split("#")[0] for block in _blocks("sh") for line in block.splitlines()
                if line.startswith("newsline export")]
    assert len(commands) >= 5
    for command in commands:
        args = shlex.split(command)[1:]
        args[args.index("--db") + 1] = str(db)
        args[args.index("--out") + 1] = str(tmp / args[args.index("--out") + 1])
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (command, result.output)
    with Store(db, read_only=True) as store:
        counts = {t: store.count(t) for t in ("events", "mentions")}
    assert counts["events"] > 3
    return tmp, counts


def test_the_sqlite_file_has_the_tables_and_columns_the_page_lists(exported):
    folder, counts = exported
    listed = dict(re.findall(r"^- `(\w+)`: (.*?)(?=^- |^\n)", PAGE, re.DOTALL | re.MULTILINE))
    assert set(listed) == {"events", "mentions"}
    con = sqlite3.connect(folder / "out.sqlite")
    try:
        for table, text in listed.items():
            documented = [c.strip() for c in " ".join(text.split()).split(",")]
            stored = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            assert documented == stored == COLUMNS[table]
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == counts[table]
    finally:
        con.close()


def test_datasette_inspects_the_sqlite_file(exported):
    if shutil.which("datasette") is None:
        pytest.skip("datasette is not installed (the sqlite file itself is checked above)")
    folder, _ = exported
    out = subprocess.run(["datasette", "inspect", str(folder / "out.sqlite")], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert '"events"' in out and '"mentions"' in out


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_the_python_lines_read_the_exports(exported, monkeypatch, library):
    folder, counts = exported
    monkeypatch.chdir(folder)
    blocks = [b for b in _blocks("python") if b.startswith(f"import {library} ")]
    assert blocks, library
    for code in blocks:
        names: dict = {}
        exec(compile(code, "using-the-data.md", "exec"), names)  # noqa: S102 - the page's own lines
        frame = names.get("events", names.get("flat"))
        assert len(frame) == counts["events"]
        assert "actor" in frame.columns or "actor1_name" in frame.columns


def test_the_parquet_dates_are_dates_in_pandas_and_polars(exported, monkeypatch):
    import datetime as dt

    import pandas as pd
    import polars as pl

    folder, _ = exported
    monkeypatch.chdir(folder)
    dates = pd.read_parquet("events.parquet")["date"].dropna()
    assert len(dates) and all(isinstance(d, dt.date) for d in dates)
    assert pl.read_parquet("events.parquet").schema["date"] == pl.Date


def test_the_r_line_reads_the_flat_table(exported):
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed (apt-get install r-base-core)")
    folder, counts = exported
    checked = [b.strip() for b in _blocks("r") if "arrow::" not in b]
    assert checked == ['events <- read.csv("events.csv")']
    assert any("arrow::read_parquet" in b for b in _blocks("r")) and "not checked by newsline's tests" in PAGE
    script = checked[0] + '\ncat(nrow(events), ncol(events), names(events)[6], class(events$lat), sep = "|")\n'
    out = subprocess.run(["Rscript", "-e", script], cwd=folder, capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert out.split("|") == [str(counts["events"]), str(len(COLUMNS["events"])), "actor1_name", "numeric"]
