"""Stage 5, cluster (corpus level): near-duplicate articles and cross-article events.

    link_duplicates(articles) -> {article_id: original_id}          (copies only)
    cluster_events(mentions, articles, existing_events) -> [Event]
    iter_events(mentions, articles, existing_events) -> events as they are built (to store them in a stream)
    corpus_stages(articles, mentions, existing_events) -> CorpusResult  (both, in order, in memory)
    run_corpus_stages(store) -> (duplicates, events)  the same over a store, in bounded memory (corpus.py)

The names are imported on first use (PEP 562): the per-article stage on the engine's workers needs only
`newsline.cluster.bands.band_keys`, and importing this package must not bring the corpus stages' libraries
(DuckDB, pyarrow, the event clusterer) into every worker process and the forkserver they are forked from.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsline.cluster.articles import DuplicateConfig, apply_duplicates, link_duplicates
    from newsline.cluster.corpus import CorpusResult, corpus_stages, run_corpus_stages
    from newsline.cluster.events import (
        ClusterConfig,
        cluster_events,
        event_ids_by_mention,
        iter_events,
        load_config,
    )

# public name -> the submodule that defines it
_EXPORTS = {
    "DuplicateConfig": "articles", "apply_duplicates": "articles", "link_duplicates": "articles",
    "CorpusResult": "corpus", "corpus_stages": "corpus", "run_corpus_stages": "corpus",
    "ClusterConfig": "events", "cluster_events": "events", "event_ids_by_mention": "events",
    "iter_events": "events", "load_config": "events",
}

__all__ = ["DuplicateConfig", "apply_duplicates", "link_duplicates", "ClusterConfig", "cluster_events",
           "iter_events", "event_ids_by_mention", "load_config", "CorpusResult", "corpus_stages",
           "run_corpus_stages"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
