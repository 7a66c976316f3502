"""Stage 5, cluster (corpus level): near-duplicate articles and cross-article events.

    link_duplicates(articles) -> {article_id: original_id}          (copies only)
    cluster_events(mentions, articles, existing_events) -> [Event]
    iter_events(mentions, articles, existing_events) -> events as they are built (to store them in a stream)
    corpus_stages(articles, mentions, existing_events) -> CorpusResult  (both, in order)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from newsline.cluster.articles import DuplicateConfig, apply_duplicates, link_duplicates
from newsline.cluster.events import (
    ClusterConfig,
    cluster_events,
    event_ids_by_mention,
    iter_events,
    load_config,
)
from newsline.records import Article, Event, EventMention

__all__ = ["DuplicateConfig", "apply_duplicates", "link_duplicates", "ClusterConfig", "cluster_events",
           "iter_events", "event_ids_by_mention", "load_config", "CorpusResult", "corpus_stages"]


@dataclass(slots=True)
class CorpusResult:
    duplicate_of: dict[str, str | None]  # every article id -> its original (None: not a copy)
    events: list[Event]


def corpus_stages(articles: Iterable[Article], mentions: Iterable[EventMention],
                  existing_events: Iterable[Event] = ()) -> CorpusResult:
    """Run the corpus stages over the whole store: link near-duplicates, then cluster the mentions (reprints
    join their original's events without adding corroboration). The input records are not modified.

    Store them with `store.set_duplicates(result.duplicate_of)` and `store.replace_events(result.events)`.
    """
    articles = list(articles)
    links = link_duplicates(articles)
    dup = {a.id: links.get(a.id) for a in articles}
    linked = {a.id: dataclasses.replace(a, duplicate_of=dup[a.id]) for a in articles}
    return CorpusResult(duplicate_of=dup, events=cluster_events(mentions, linked, existing_events))
