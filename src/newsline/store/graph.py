"""`--format graphml`: the actor network of the events for Gephi, Cytoscape or networkx.

A node per resolved actor id, labelled with its one canonical name (`newsline.store.flat.canonical_names`);
a directed edge from each actor of an event to each of its recipients, weighted by the number of events; a
joint act of two sides told with both as its actors (a type marked `two_sided` in `data/plover.yaml`: "Canada and
Costa Rica agreed to negotiate") and no recipient gives an edge each way between actors of different countries.
Unresolved mentions ("FM", "New York") and bare sectors of no country ("government") are no nodes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from newsline.knowledge import ontology
from newsline.records import ActorRef, Event
from newsline.store.db import Store
from newsline.store.flat import canonical_names


def is_node(a: ActorRef) -> bool:
    """A party that is a node of the network: resolved to an actor id (an unresolved mention has none) that
    names someone: a bare sector of no country ("government", "military") is not an actor of the network
    (it would join every conflict where a text says "the government")."""
    return bool(a.id) and not (a.kind == "agent" and not a.country)


def actor_network(events: Iterable[Event], names: Mapping[str, str] | None = None):
    """networkx.DiGraph of the events: nodes `label`, `country`, `sector`, `kind`, `events`; edges `weight`
    (events from actor to recipient) and `types` (their PLOVER types, most frequent first)."""
    import networkx as nx

    events = list(events)
    names = names if names is not None else canonical_names(events)
    two_sided = {t.name for t in ontology().types.values() if t.two_sided}
    graph = nx.DiGraph()
    counts: Counter[str] = Counter()
    types: dict[tuple[str, str], Counter[str]] = {}
    for e in events:
        parties = [a for a in (*e.actor, *e.recipient, *e.mediator) if is_node(a)]
        for a in parties:
            if a.id not in graph:
                graph.add_node(a.id, label=names.get(a.id) or a.name or a.id, country=a.country or "",
                               sector=a.sector or "", kind=a.kind)
        counts.update({a.id for a in parties})
        for src, dst in _dyads(e, two_sided):
            types.setdefault((src, dst), Counter())[e.event_type] += 1
    for node, n in counts.items():
        graph.nodes[node]["events"] = n
    for (src, dst), c in types.items():
        graph.add_edge(src, dst, weight=sum(c.values()), types="; ".join(t for t, _ in c.most_common()))
    return graph


def _dyads(e: Event, two_sided: set[str]) -> set[tuple[str, str]]:
    """(source, target) ids of an event's edges: actor to recipient; for a two-sided act with no recipient,
    each way between its actors of different countries (the parties of talks or an agreement told together)."""
    actors = [a for a in e.actor if is_node(a)]
    recipients = [r for r in e.recipient if is_node(r)]
    if not recipients and e.event_type in two_sided:
        return {(a.id, b.id) for a in actors for b in actors if a.country and b.country and a.country != b.country}
    return {(a.id, r.id) for a in actors for r in recipients if a.id != r.id}


def write_graphml(store: Store, what: str, out: Any) -> int:
    """The actor network of the events as GraphML; returns the number of events it was drawn from."""
    import networkx as nx

    from newsline.store.export import ExportError

    if hasattr(out, "write") or str(out) == "-":
        raise ExportError("graphml needs an output file (--out FILE.graphml), not stdout")
    events = store.read_events()
    graph = actor_network(events, canonical_names([*store.read_mentions(), *events]))
    nx.write_graphml(graph, str(out))
    return len(events)
