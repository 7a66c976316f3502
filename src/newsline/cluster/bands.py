"""Near-duplicates by band keys: the MinHash LSH of `articles.link_duplicates`, split so that it scales out.

Each article's MinHash signature is computed where its text is at hand (the per-article stage, on the
engine's workers) and stored with the article as its LSH band keys (`band_keys`: one 64-bit key per band of
the signature, the band's index and values hashed). Two articles are a candidate pair when they share a
band key, which is exactly when `datasketch.MinHashLSH` (same permutations, same number of bands and rows)
proposes them: its hash tables are keyed by the band's values. The pairs come from grouping on the keys (a
DuckDB GROUP BY over the store, or a Dask DataFrame shuffle on a cluster: `dask_candidate_pairs`); each pair
is then checked on the exact shingles of the two texts (`link_candidates`), and groups are linked to one
original as before. So the links are the same as `link_duplicates`'s, and no process holds the LSH index of
the whole corpus: only the texts of articles in a candidate pair are read back.

A 64-bit key can collide for two different bands (about one chance in 10^19 per pair of keys): such a pair
would only be checked on its exact shingles, and linked only if it passes that check.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np

from newsline.cluster.articles import (
    DuplicateConfig,
    is_duplicate_pair,
    link_groups,
    original_key,
    shingle_array,
    shingles,
)
from newsline.cluster.minhash import Permutations, band_ranges
from newsline.records import Article

log = logging.getLogger(__name__)

__all__ = ["band_keys", "link_candidates", "link_candidates_in_chunks", "dask_candidate_pairs", "dask_rounds",
           "pairs_from_groups"]

_DEFAULT = DuplicateConfig()
CHECK_CHUNK = 20_000  # candidate pairs whose texts are read and shingled at a time (link_candidates_in_chunks)


@lru_cache(maxsize=4)
def _scheme(cfg: DuplicateConfig) -> tuple[Permutations, tuple[tuple[int, int], ...]]:
    """The permutations and the band ranges `MinHashLSH` picks for this configuration (21 bands of 3 rows for
    the default threshold of 0.3 over 64 permutations), computed without datasketch (`cluster/minhash.py`):
    workers computing band keys do not import it and the scipy.integrate it imports."""
    return Permutations.drawn(cfg.num_perm, cfg.seed), band_ranges(cfg.lsh_threshold, cfg.num_perm)


def band_keys(text: str | None, config: DuplicateConfig | None = None) -> list[int]:
    """The LSH band keys of a text's MinHash signature; [] for a text too short to be linked (fewer than
    `min_shingles` shingles), which is then never a candidate."""
    cfg = config or _DEFAULT
    sh = shingles(text or "", cfg.shingle_words)
    if len(sh) < cfg.min_shingles:
        return []
    perms, ranges = _scheme(cfg)
    values = perms.signature(np.fromiter(sh, dtype=np.uint32, count=len(sh)))
    return [int.from_bytes(hashlib.blake2b(values[lo:hi].tobytes(), digest_size=8, person=b"band%04d" % i)
                           .digest(), "little", signed=True) for i, (lo, hi) in enumerate(ranges)]


def pairs_from_groups(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Candidate pairs (smaller id first) from the ids sharing each band key."""
    out: set[tuple[str, str]] = set()
    for group in groups:
        ids = sorted(set(group))
        out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return out


def link_candidates(pairs: Iterable[tuple[str, str]], articles: Iterable[Article],
                    config: DuplicateConfig | None = None) -> dict[str, str]:
    """Copy id -> original id: each candidate pair checked on the exact shingles of its two texts
    (`articles`: those in a pair, with their text; failed or near-empty ones are never linked)."""
    cfg = config or _DEFAULT
    pairs = list(pairs)
    verified, keys = _verified(pairs, articles, cfg)
    return _linked(len(pairs), verified, keys)


def link_candidates_in_chunks(pairs: list[tuple[str, str]], read: Callable[[set[str]], Iterable[Article]],
                              config: DuplicateConfig | None = None, chunk: int = CHECK_CHUNK) -> dict[str, str]:
    """`link_candidates` with the texts read (`read(ids)`) and shingled per chunk of `chunk` pairs: this process
    holds one chunk's shingles and the verified pairs, not the texts of every article in a pair."""
    cfg = config or _DEFAULT
    verified: list[tuple[str, str]] = []
    keys: dict[str, tuple] = {}
    for i in range(0, len(pairs), chunk):
        part = pairs[i:i + chunk]
        ok, part_keys = _verified(part, read({x for pair in part for x in pair}), cfg)
        verified.extend(ok)
        keys.update((x, part_keys[x]) for pair in ok for x in pair)
    return _linked(len(pairs), verified, keys)


def _verified(pairs: list[tuple[str, str]], articles: Iterable[Article], cfg: DuplicateConfig
              ) -> tuple[list[tuple[str, str]], dict[str, tuple]]:
    """(the pairs that pass the exact check, each checked article's key for choosing an original)."""
    arrays, keys = {}, {}
    for a in articles:
        if a.error or not a.text:
            continue
        arr = shingle_array(a.text, cfg)
        if len(arr) >= cfg.min_shingles:
            arrays[a.id], keys[a.id] = arr, original_key(a, len(arr))
    return [(a, b) for a, b in pairs if a in arrays and b in arrays
            and is_duplicate_pair(arrays[a], arrays[b], cfg)], keys


def _linked(n_pairs: int, verified: list[tuple[str, str]], keys: dict[str, tuple]) -> dict[str, str]:
    links = link_groups(verified, keys)
    log.info("near-duplicates: %d candidate pairs, %d verified, %d articles linked", n_pairs, len(verified),
             len(links))
    return links


# band rows (article id, key) a Dask round ships to the workers: each row is about 100 bytes in a worker's pandas
# frames and the self-join holds it about twice, so a round bounds a worker's memory, not the corpus (21 rows an
# article by default: 3.2 million articles, 68 million rows, took 4.4 GB a worker in one round)
DASK_ROWS_PER_ROUND = 8_000_000


def dask_rounds(n_articles: int, config: DuplicateConfig | None = None) -> int:
    """How many rounds the Dask grouping of `n_articles` articles' band keys takes (DASK_ROWS_PER_ROUND each)."""
    per_article = len(_scheme(config or _DEFAULT)[1])
    return max(1, -(-n_articles * per_article // DASK_ROWS_PER_ROUND))


def dask_candidate_pairs(rows: Iterator[tuple[str, list[int]]] | Callable[[], Iterator[tuple[str, list[int]]]],
                         client: Any, chunk: int = 200_000, rounds: int = 1) -> set[tuple[str, str]]:
    """Candidate pairs found on a Dask cluster: (article id, band key) rows go to the cluster in chunks as a
    Dask DataFrame, a self-join on the key (a shuffle over the workers) gives the pairs of articles sharing
    one, deduplicated there; only the pairs come back. With `rounds` > 1 (`rows` then a callable that reads the
    rows afresh), round r ships only the keys k with k % rounds == r: two articles sharing a key meet in its
    round, and a worker holds a round's rows, not the corpus's."""
    if rounds > 1 and not callable(rows):
        raise ValueError("several rounds read the rows again: pass a callable")
    out: set[tuple[str, str]] = set()
    for r in range(rounds):
        it = rows() if callable(rows) else rows
        out |= _round_pairs(it, client, chunk, r, rounds)
    return out


def _round_pairs(rows: Iterator[tuple[str, list[int]]], client: Any, chunk: int, r: int, rounds: int
                 ) -> set[tuple[str, str]]:
    import dask.dataframe as dd
    import pandas as pd

    parts = []
    ids: list[str] = []
    keys: list[int] = []
    for aid, bands in rows:
        mine = bands if rounds == 1 else [k for k in bands if k % rounds == r]
        ids.extend([aid] * len(mine))
        keys.extend(mine)
        if len(ids) >= chunk:
            parts.append(client.scatter(pd.DataFrame({"id": ids, "band": keys})))
            ids, keys = [], []
    if ids:
        parts.append(client.scatter(pd.DataFrame({"id": ids, "band": keys})))
    if not parts:
        return set()
    meta = pd.DataFrame({"id": ["-"], "band": [0]}).iloc[:0]  # the dtypes pandas gives the chunks
    frame = dd.from_delayed(parts, meta=meta)
    joined = frame.merge(frame, on="band", suffixes=("_a", "_b"), shuffle_method="tasks")
    pairs = joined[joined["id_a"] < joined["id_b"]][["id_a", "id_b"]].drop_duplicates()
    result = client.compute(pairs).result()
    return set(zip(result["id_a"], result["id_b"], strict=True))
