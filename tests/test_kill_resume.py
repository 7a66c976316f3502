"""A run killed with SIGKILL at six moments, then resumed: the store ends exactly as after an uninterrupted run.

The kill comes from the pipeline's test-only hook (`NEWSLINE_TEST_KILL_AT=<moment>[:<n>]`, see
`newsline.testpoints.kill_point`), so each run stops at a known point rather than after a guessed delay:

    start            the run is recorded, nothing read yet
    mid-batch:2      the second batch processed, not written
    commit:1         right after the first batch's commit
    near-duplicates  duplicates written, events not (inside the corpus stages)
    event-write      inside the transaction that replaces the events
    commit:3 on an existing store whose changed documents lost their mentions (an incremental run; its
                     last batch commit: every change is written, the corpus stages are not run)

After each, a plain run resumes; the articles, mentions and events exported must equal those of a run that
was never interrupted, and no event may point at a mention that is gone (nor a mention at a missing event).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import newsline
from newsline.store.db import Store
from newsline.store.export import export
from newsline.testpoints import KILL_ENV

BATCH = "3"

# our own short articles: two copies of one report (a near-duplicate pair), six other events, one empty file
TALKS = ("Pakistani officials held a new round of talks with the Tehreek-e-Taliban Pakistan in Kabul on Monday, "
         "mediated by the Afghan Taliban, a spokesman said.\nThe two sides discussed a ceasefire and the release "
         "of prisoners held by both sides, officials said in a statement.\nThe delegation included tribal elders "
         "from the former tribal districts and two members of parliament.\n")
ARTICLES = {
    "pakistan/01_talks.txt": "Talks resume in Kabul\n" + TALKS + "Read More: other news\n",
    "pakistan/02_talks_copy.txt": "Kabul talks resume, officials say\n" + TALKS + "Copyright the Frontier Post\n",
    "pakistan/03_attack.txt": ("Police post attacked in Bannu\nMilitants attacked a police station in Bannu on "
                               "Tuesday, killing four policemen and wounding six others, officials said.\nNo "
                               "group has so far claimed responsibility for the attack, police said.\n"),
    "pakistan/04_ceasefire.txt": ("Ceasefire agreed\nPakistan and the TTP agreed to a month-long ceasefire on "
                                  "Monday, the information minister said in Islamabad.\nThe truce will be "
                                  "extended if the talks make progress, he said.\n"),
    "afghanistan/05_visit.txt": ("Foreign minister in Kabul\nForeign Minister Shah Mahmood Qureshi visited Kabul "
                                 "on Thursday for talks with the Taliban government.\nHe met the acting prime "
                                 "minister and discussed trade and border crossings.\n"),
    "afghanistan/06_strike.txt": ("Strikes in Khost\nPakistani jets struck hideouts in Khost province on Saturday, "
                                  "killing eight people, Taliban officials said.\nIslamabad did not comment on "
                                  "the strikes.\n"),
    "afghanistan/07_arrest.txt": ("Suspects held\nPolice arrested three suspected militants in Peshawar on "
                                  "Wednesday, a police spokesman said.\nWeapons and explosives were recovered "
                                  "from their hideout, he said.\n"),
    "afghanistan/08_empty.txt": "",
    "world/09_aid.txt": ("Aid pledged\nThe United Nations pledged food aid to Afghanistan on Friday after floods "
                         "in the east of the country, officials said.\nThe aid will reach ten provinces.\n"),
}
# the incremental run: the original of the near-duplicate pair and the attack report no longer report events
CHANGED = {
    "pakistan/01_talks.txt": "Weather in Kabul\nIt rained in the hills on Sunday and the roads were closed.\n",
    "pakistan/03_attack.txt": "Markets\nThe rupee was steady against the dollar in Karachi on Tuesday.\n",
}


def write_corpus(folder: Path, changed: bool = False) -> Path:
    for name, text in {**ARTICLES, **(CHANGED if changed else {})}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def exports(db: Path) -> dict[str, list[dict]]:
    out = {}
    with Store(db, read_only=True) as store:
        for what in ("articles", "mentions", "events"):
            buf = io.StringIO()
            export(store, what, "jsonl", buf)
            out[what] = [json.loads(line) for line in buf.getvalue().splitlines()]
    return out


def assert_no_stale_events(found: dict[str, list[dict]]) -> None:
    mentions = {m["id"]: m for m in found["mentions"]}
    events = {e["id"]: e for e in found["events"]}
    for e in events.values():
        assert all(m in mentions and mentions[m]["event_id"] == e["id"] for m in e["mentions"]), e["id"]
        assert set(e["sources"]) == {mentions[m]["article_id"] for m in e["mentions"]}, e["id"]
    assert all(m["event_id"] in events for m in mentions.values()), "a mention without its event"
    ids = {a["id"] for a in found["articles"]}
    assert all(a["duplicate_of"] in ids for a in found["articles"] if a["duplicate_of"])


def killed_run(folder: Path, db: Path, moment: str, log: Path) -> None:
    env = {**os.environ, KILL_ENV: moment}
    with open(log, "w") as err:
        proc = subprocess.run([sys.executable, "-m", "newsline", "-v", "run", str(folder), "--db", str(db),
                               "--batch-size", BATCH], env=env, stderr=err, stdout=subprocess.DEVNULL, timeout=180)
    assert proc.returncode == -signal.SIGKILL, f"{moment}: not killed ({proc.returncode}): {log.read_text()[-2000:]}"


@pytest.fixture(scope="module")
def baselines(tmp_path_factory) -> dict:
    """Uninterrupted runs: the corpus into an empty store, then its changed version into that store."""
    root = tmp_path_factory.mktemp("baseline")
    corpus = write_corpus(root / "corpus")
    changed = write_corpus(root / "changed")
    write_corpus(changed, changed=True)
    db = root / "first.duckdb"
    newsline.run(corpus, db=db, batch_size=int(BATCH))
    first = exports(db)
    shutil.copy(db, root / "second.duckdb")
    summary = newsline.run(changed, db=root / "second.duckdb", batch_size=int(BATCH))
    assert summary.new == 2 and summary.skipped == len(ARTICLES) - 2
    second = exports(root / "second.duckdb")
    # the corpus is what the moments need: events, a near-duplicate pair, a failed document, and an
    # incremental run that takes mentions away (and the copy's original)
    assert first["events"] and any(a["duplicate_of"] for a in first["articles"])
    assert any(a["error"] for a in first["articles"])
    assert len(second["mentions"]) < len(first["mentions"])
    assert [a["duplicate_of"] for a in second["articles"]] != [a["duplicate_of"] for a in first["articles"]]
    assert_no_stale_events(first)
    assert_no_stale_events(second)
    return {"corpus": corpus, "changed": changed, "first_db": db, "first": first, "second": second}


@pytest.mark.parametrize("moment", ["start", "mid-batch:2", "commit:1", "near-duplicates", "event-write"])
def test_a_run_killed_and_resumed_stores_what_an_uninterrupted_run_stores(baselines, tmp_path, moment):
    db = tmp_path / "t.duckdb"
    killed_run(baselines["corpus"], db, moment, tmp_path / "run.log")
    newsline.run(baselines["corpus"], db=db, batch_size=int(BATCH))
    found = exports(db)
    assert_no_stale_events(found)
    assert found == baselines["first"]


def test_an_incremental_run_killed_after_its_commit_is_completed_by_the_next_run(baselines, tmp_path):
    """The changed documents lost their mentions and the run died before the corpus stages: the next run has
    nothing new to read, yet brings events, sources and duplicate links up to date."""
    db = tmp_path / "t.duckdb"
    shutil.copy(baselines["first_db"], db)
    # batches in the order of the walk: afghanistan/05-07, afghanistan/08 + pakistan/01-02, pakistan/03-04 + world
    killed_run(baselines["changed"], db, "commit:3", tmp_path / "run.log")
    summary = newsline.run(baselines["changed"], db=db, batch_size=int(BATCH))
    assert summary.new == 0 and summary.skipped == len(ARTICLES)
    found = exports(db)
    assert_no_stale_events(found)
    assert found == baselines["second"]
