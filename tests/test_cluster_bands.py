"""Near-duplicates by stored band keys (cluster/bands.py): the same links as the in-memory MinHash LSH of
`link_duplicates`, on a small corpus of generated texts with syndicated copies (written here, seeded)."""

from __future__ import annotations

import io
import json
import random

import pytest
from datasketch import MinHashLSH

from newsline.cluster.articles import DuplicateConfig, _MinHasher, link_duplicates, shingles
from newsline.cluster.bands import band_keys, pairs_from_groups
from newsline.cluster.corpus import near_duplicates
from newsline.cluster.spool import candidate_pairs
from newsline.records import Article, RawDocument
from newsline.store.db import Store
from newsline.store.export import export

VOCAB = [f"w{i}" for i in range(400)]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(words))


def _copy(rng: random.Random, text: str, edit: float) -> str:
    """A syndicated copy: some words replaced, the last fifth dropped at times."""
    words = [rng.choice(VOCAB) if rng.random() < edit else w for w in text.split()]
    if rng.random() < 0.5:
        words = words[: int(len(words) * 0.8)]
    return " ".join(words)


def _corpus(n: int = 240, seed: int = 3) -> list[Article]:
    rng = random.Random(seed)
    arts: list[Article] = []
    for i in range(n):
        day = f"2024-03-{1 + i % 28:02d}"
        if arts and rng.random() < 0.3:  # a copy of an earlier article, lightly to heavily edited
            src = rng.choice(arts)
            text = _copy(rng, src.text, rng.choice([0.02, 0.1, 0.25, 0.4]))
        else:
            text = _text(rng, rng.choice([20, 150, 300]))  # some too short to be linked
        arts.append(Article(id=f"a{i:04d}", uri=f"file:a{i}", text=text, published=day if i % 7 else None,
                            error="failed" if i % 53 == 0 else None))
    return arts


def _store(path, articles: list[Article], with_bands: bool = True) -> Store:
    store = Store(path)
    items = [(RawDocument(id=a.id, uri=a.uri, content=a.text.encode()), a, []) for a in articles]
    bands = {a.id: band_keys(a.text) for a in articles if not a.error} if with_bands else None
    store.write_batch(items, bands=bands)
    return store


def test_band_key_pairs_are_the_lsh_candidate_pairs():
    """Two articles share a band key exactly when MinHashLSH proposes them (same bands, same rows)."""
    cfg = DuplicateConfig()
    arts = [a for a in _corpus() if not a.error]
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    hasher, expected = _MinHasher(cfg), set()
    for a in arts:
        sh = shingles(a.text)
        if len(sh) < cfg.min_shingles:
            continue
        mh = hasher(sh)
        expected.update(tuple(sorted((a.id, other))) for other in lsh.query(mh))
        lsh.insert(a.id, mh)
    groups: dict[int, list[str]] = {}
    for a in arts:
        for k in band_keys(a.text):
            groups.setdefault(k, []).append(a.id)
    assert pairs_from_groups(groups.values()) == expected and len(expected) > 20


@pytest.mark.parametrize(("stored", "bounded"), [(True, False), (False, False), (True, True)],
                         ids=["bands-stored", "old-store-without-bands", "bounded-memory"])
def test_store_links_equal_link_duplicates(tmp_path, stored, bounded, monkeypatch):
    """The same links with the shared keys grouped first and the candidate pairs' texts read in chunks (here
    of 3 pairs: an original whose copies fall into two chunks is read twice, and its group still gets one
    original), as the partitioned stages find them."""
    monkeypatch.setattr("newsline.cluster.corpus.CHECK_CHUNK", 3)
    arts = _corpus()
    expected = link_duplicates(arts)
    with _store(tmp_path / "s.duckdb", arts, with_bands=stored) as store:
        links = near_duplicates(store, bounded=bounded)
        assert store.con.execute("SELECT count(*) FROM articles WHERE minhash_bands IS NULL AND error IS NULL"
                                 ).fetchone()[0] == 0  # an old store's keys are filled in once
    assert links == expected and len(expected) > 10
    if bounded:
        with Store(tmp_path / "s.duckdb") as store:
            assert sorted(candidate_pairs(store)) == sorted(store.band_pairs())
    assert all(a not in expected for a in (x.id for x in arts if x.error))


def test_band_keys_stay_out_of_the_exported_articles(tmp_path):
    with _store(tmp_path / "s.duckdb", _corpus(20)) as store:
        buf = io.StringIO()
        export(store, "articles", "jsonl", buf)
        record = json.loads(buf.getvalue().splitlines()[0])
        assert "minhash_bands" not in record and "text" in record
        assert all(not hasattr(a, "minhash_bands") for a in store.iter_records("articles"))


def test_dask_grouping_gives_the_duckdb_pairs(tmp_path):
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from newsline.cluster.bands import dask_candidate_pairs

    with _store(tmp_path / "s.duckdb", _corpus()) as store, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        pairs = dask_candidate_pairs(store.band_rows(), client, chunk=500)
        assert pairs == set(store.band_pairs()) and pairs
        # in rounds (each ships only its share of the keys, so a worker holds a round's rows): the same pairs
        assert dask_candidate_pairs(store.band_rows, client, chunk=500, rounds=3) == pairs
        assert near_duplicates(store, client=client) == link_duplicates(_corpus())


def test_the_dask_grouping_takes_more_rounds_as_the_corpus_grows():
    from newsline.cluster.bands import DASK_ROWS_PER_ROUND, dask_rounds

    assert dask_rounds(0) == 1 and dask_rounds(1000) == 1
    per_article = 21  # the default scheme's bands
    assert dask_rounds(DASK_ROWS_PER_ROUND // per_article) == 1
    assert dask_rounds(5 * DASK_ROWS_PER_ROUND // per_article) == 5
