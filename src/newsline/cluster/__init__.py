"""Stage 5, cluster (corpus level): near-duplicate articles and cross-article events.

    link_duplicates(articles) -> {article_id: original_id}          (copies only)
    cluster_events(mentions, articles, existing_events) -> [Event]
    iter_events(mentions, articles, existing_events) -> events as they are built (to store them in a stream)
    corpus_stages(articles, mentions, existing_events) -> CorpusResult  (both, in order, in memory)
    run_corpus_stages(store) -> (duplicates, events)  the same over a store, in bounded memory (corpus.py)
"""

from __future__ import annotations

from newsline.cluster.articles import DuplicateConfig, apply_duplicates, link_duplicates
from newsline.cluster.corpus import CorpusResult, corpus_stages, run_corpus_stages
from newsline.cluster.events import (
    ClusterConfig,
    cluster_events,
    event_ids_by_mention,
    iter_events,
    load_config,
)

__all__ = ["DuplicateConfig", "apply_duplicates", "link_duplicates", "ClusterConfig", "cluster_events",
           "iter_events", "event_ids_by_mention", "load_config", "CorpusResult", "corpus_stages",
           "run_corpus_stages"]
