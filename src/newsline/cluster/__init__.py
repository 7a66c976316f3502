"""Stage 5, cluster (corpus level): near-duplicate articles and cross-article events.

    link_duplicates(articles) -> {article_id: duplicate_of}
    cluster_events(mentions, articles, existing_events) -> [Event]
"""

from newsline.cluster.articles import DuplicateConfig, apply_duplicates, link_duplicates
from newsline.cluster.events import ClusterConfig, cluster_events, event_ids_by_mention, load_config

__all__ = ["DuplicateConfig", "apply_duplicates", "link_duplicates", "ClusterConfig", "cluster_events",
           "event_ids_by_mention", "load_config"]
