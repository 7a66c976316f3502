"""benchmarks/corpus_synth_fast.py, the vectorised synthetic store of the corpus-stage benchmarks: its band
keys are `band_keys` of its texts, its store reads back as records, the near-duplicate stage finds every
reprint, and the partitioned corpus stages give the single-process events on it."""

from __future__ import annotations

import shutil

import numpy as np

from bench_helpers import corpus_bench
from newsline.cluster.bands import band_keys
from newsline.cluster.corpus import run_corpus_stages
from newsline.cluster.partitions import PartitionOptions
from newsline.records import to_dict
from newsline.store.db import Store


def _fast():
    corpus_bench()  # puts benchmarks/ on the path
    import corpus_synth_fast

    return corpus_synth_fast


def test_vectorised_band_keys_are_band_keys_of_the_texts():
    fast = _fast()
    words = np.random.default_rng(7).integers(0, fast.VOCAB, (300, fast.TEXT_WORDS))
    words[0, :] = 17  # one word over and over: a single shingle, too short to be linked
    texts = fast.texts(words).to_pylist()
    assert texts[1].count(" ") == fast.TEXT_WORDS - 1 and texts[1].startswith("w")
    keys = fast.band_keys_of(words, step=64)
    assert keys == [band_keys(t) for t in texts]
    assert keys[0] == [] and all(len(k) == 21 for k in keys[1:])


def test_fast_store_reads_back_and_its_reprints_are_found(tmp_path):
    fast = _fast()
    single, part = tmp_path / "single.duckdb", tmp_path / "part.duckdb"
    counts = fast.synthetic_store_fast(single, 3000, seed=4, undated_rate=0.05)
    shutil.copy(single, part)
    with Store(single) as store:
        mentions = store.read_mentions()
        assert len(mentions) == counts["mentions"] and store.count("articles") == counts["articles"]
        assert {m.article_id for m in mentions} <= {a.id for a in store.iter_records("articles")}
        reprints = {a.id for a in store.iter_records("articles") if a.id.endswith("-reprint")}
        assert any(m.actor[0].person for m in mentions) and any(m.date_precision == "month" for m in mentions)
        dups, _ = run_corpus_stages(store)
        linked = {a.id: a.duplicate_of for a in store.iter_records("articles") if a.duplicate_of}
        # each reprint linked with its original (the other way round when only the reprint has a date)
        assert dups == len(reprints) > 50
        assert {frozenset(pair) for pair in linked.items()} == {frozenset((r, r.removesuffix("-reprint")))
                                                                for r in reprints}
        expected = sorted((to_dict(e) for e in store.read_events()), key=lambda e: e["id"])
    with Store(part) as store:
        run_corpus_stages(store, PartitionOptions(window_days=14, workers=1))
        assert sorted((to_dict(e) for e in store.read_events()), key=lambda e: e["id"]) == expected
