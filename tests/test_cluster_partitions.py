"""Event clustering in partitions (cluster/partitions.py): the same stored events as the single-process
clusterer on synthetic corpora (benchmarks/corpus_bench.py's generator; small windows so that many events
lie across a window edge), undated articles, incremental runs, and the Dask engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench_helpers import corpus_bench
from newsline.cluster.corpus import corpus_options, run_corpus_stages
from newsline.cluster.events import load_config
from newsline.cluster.partitions import PartitionOptions, family_groups
from newsline.records import to_dict
from newsline.store.db import Store

SMALL = PartitionOptions(window_days=14, workers=1)  # in this process; windows far smaller than the default


def _bench():
    return corpus_bench()


def _stored(store: Store) -> tuple[list[dict], dict[str, str | None], dict[str, str | None]]:
    events = sorted((to_dict(e) for e in store.read_events()), key=lambda e: e["id"])
    links = {m.id: m.event_id for m in store.read_mentions()}
    dups = {a.id: a.duplicate_of for a in store.iter_records("articles")}
    return events, links, dups


def _pair(tmp_path: Path, n: int, undated_rate: float = 0.0) -> tuple[Path, Path]:
    single, part = tmp_path / "single.duckdb", tmp_path / "part.duckdb"
    _bench().synthetic_store(single, n, seed=5, undated_rate=undated_rate)
    shutil.copy(single, part)
    return single, part


def test_family_groups_join_the_families_that_can_meet():
    groups = family_groups(load_config())
    assert groups["AGREE"] == groups["CONCEDE"] == groups["SUPPORT"] == groups["CONSULT"]  # planned partners
    assert "ASSAULT" not in groups and "CONSULT" in groups  # a type of no family or pair is its own group


@pytest.mark.parametrize("undated_rate", [0.0, 0.05], ids=["dated", "some-undated-articles"])
def test_partitioned_events_equal_the_single_process_ones(tmp_path, monkeypatch, undated_rate):
    monkeypatch.setattr("newsline.cluster.spool.SPLIT_ROWS", 257)  # the partition files split in many chunks
    single, part = _pair(tmp_path, 3000, undated_rate)
    with Store(single) as store:
        run_corpus_stages(store)
        expected = _stored(store)
    with Store(part) as store:
        run_corpus_stages(store, SMALL)
        got = _stored(store)
    assert got == expected
    events, links, dups = got
    assert len(events) > 1000 and all(links.values()) and sum(1 for v in dups.values() if v) > 20
    assert any(len(e["sources"]) > 1 for e in events)


def test_an_incremental_run_clusters_the_new_mentions_partitions_only(tmp_path, caplog):
    """Half the corpus first, then the rest: the partitioned runs end where the single-process runs end, and
    the second partitioned run leaves the partitions without new mentions alone."""
    bench = _bench()
    full = tmp_path / "full.duckdb"
    bench.synthetic_store(full, 3000, seed=9)
    stores = {}
    for name in ("single", "part"):
        path = tmp_path / f"{name}.duckdb"
        shutil.copy(full, path)
        with Store(path) as store:  # hold back the articles of one outlet, as if they came later
            later = store.con.execute("SELECT id FROM articles WHERE id LIKE 'o03-%'").fetchall()
            store.con.execute("CREATE TABLE held_a AS SELECT * FROM articles WHERE id LIKE 'o03-%'")
            store.con.execute("CREATE TABLE held_m AS SELECT * FROM mentions WHERE article_id LIKE 'o03-%'")
            store.con.execute("DELETE FROM mentions WHERE article_id LIKE 'o03-%'")
            store.con.execute("DELETE FROM articles WHERE id LIKE 'o03-%'")
            run_corpus_stages(store, None if name == "single" else SMALL)
            before = {e.id: to_dict(e) for e in store.read_events()}
            store.con.execute("INSERT INTO articles SELECT * FROM held_a")
            store.con.execute("INSERT INTO mentions SELECT * FROM held_m")
            caplog.clear()
            with caplog.at_level("INFO", logger="newsline.cluster.partitions"):
                run_corpus_stages(store, None if name == "single" else SMALL)
            stores[name] = (_stored(store), before, caplog.text)
    assert later
    (got, before, log), (expected, _, _) = stores["part"], stores["single"]
    assert got == expected
    kept = {e["id"]: e for e in got[0] if before.get(e["id"]) == e}
    assert len(kept) > 100  # events far from the new mentions are the stored ones, ids and all
    [line] = [x for x in log.splitlines() if "to cluster" in x]
    total, touched = (int(w) for w in line.split("clustering: ")[1].replace(" partitions,", "").split()[:2])
    assert 0 < touched < total


def test_partitions_run_on_a_dask_cluster(tmp_path):
    pytest.importorskip("distributed")
    single, part = _pair(tmp_path, 1500)
    with Store(single) as store:
        run_corpus_stages(store)
        expected = _stored(store)
    with Store(part) as store:
        run_corpus_stages(store, PartitionOptions(window_days=28, engine="dask", workers=2))
        assert _stored(store) == expected


def test_the_corpus_engine_is_single_unless_asked(monkeypatch):
    monkeypatch.delenv("NEWSLINE_CORPUS_ENGINE", raising=False)
    assert corpus_options() is None
    monkeypatch.setenv("NEWSLINE_CORPUS_ENGINE", "partitioned")
    assert corpus_options(None, "dask", 4, "tcp://h:8786") == PartitionOptions(engine="dask", workers=4,
                                                                               scheduler="tcp://h:8786")
    assert corpus_options("single") is None
    with pytest.raises(ValueError):
        corpus_options("parallel")


def test_without_margins_edge_events_are_rebuilt_and_every_mention_placed_once(tmp_path):
    """With no margin the two sides of a window edge see different mentions and disagree: such events are
    rebuilt from the members their home partitions gave them (read back from the partition files); every
    mention still ends in exactly one stored event."""
    from newsline.cluster import partitions

    path = tmp_path / "part.duckdb"
    _bench().synthetic_store(path, 1500, seed=4)
    with Store(path) as store:
        run_corpus_stages(store, PartitionOptions(window_days=7, margin_days=0, workers=1))
        events = store.read_events()
        mentions = {m.id: m.event_id for m in store.read_mentions()}
    assert partitions.LAST_RUN["edge_repairs"] > 0
    members = [m for e in events for m in e.mentions]
    assert sorted(members) == sorted(mentions) and len({e.id for e in events}) == len(events)
    assert all(mentions[m] == e.id for e in events for m in e.mentions)


def test_edge_events_wait_only_until_every_partition_that_sees_them_has_reported():
    """The writer holds an event across a window edge until the last window any of its members is seen in has
    reported, then lets it go: after each window the waiting structure keeps only events that a later window
    still sees, and it is empty once the windows are all in (so it holds about a window's worth, not the corpus's)."""
    from newsline.cluster.partitions import _Edges
    from newsline.records import Event

    edges = _Edges()
    across, alone = Event(id="across", event_type="AGREE"), Event(id="alone", event_type="AGREE")
    # window 0: "a1" at home there, its event also holds "a2" (at home in window 1); "c1"'s event ends here
    edges.add("m:a1", ["a1"], ["a1", "a2"], 1, across)
    edges.add("m:c1", ["c1"], ["c1"], 0, alone)
    assert edges.resolve(0) == ([alone], [])
    assert len(edges.records) == 1 and set(edges.parent) == {"m:a1"}
    # window 1: "a2"'s home reports the same event
    edges.add("m:a1", ["a2"], ["a1", "a2"], 1, across)
    assert edges.resolve(1) == ([across], [])
    assert edges.records == [] and edges.parent == {}


def test_the_writer_lets_edge_events_go_window_by_window(tmp_path, monkeypatch):
    """At most a few windows' worth of edge events wait at once, and what a partition's results freed is handed
    back to the system after each partition (the writer's allocators kept it otherwise)."""
    from newsline.cluster import partitions

    released = []
    monkeypatch.setattr(partitions, "_hand_back_freed_memory", lambda: released.append(1))
    path = tmp_path / "part.duckdb"
    _bench().synthetic_store(path, 1500, seed=4)
    with Store(path) as store:
        run_corpus_stages(store, SMALL)
    run = partitions.LAST_RUN
    assert run["across_edges"] > 200
    assert 0 < run["edges_waiting_max"] * 10 < run["across_edges"]
    assert len(released) == run["partitions"]


def test_freed_memory_is_handed_back_without_error():
    from newsline.cluster.partitions import _hand_back_freed_memory

    _hand_back_freed_memory()
