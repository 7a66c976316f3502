"""An article's other side: the recipient of an event whose sentence names none.

A news article is mostly about a few parties acting on one another, and its sentences often leave the
recipient to the reader: "Taliban officials shut the crossing on Sunday", "Russia proposed a two-day truce",
"a suicide bomber struck a truck". When the sentence, the rules and the role model give an article's mention an
actor and no recipient, its recipient is the party the article's events name most often (actors and
recipients of all its mentions, at least `MIN_NAMED` times) that is neither the actor itself nor on the actor's
side (same country, and both of the state's institutions or both not: `state_sectors` of the ontology).

Measured over whole sets rather than sentences (BENCHMARKS.md, issue 12, session 7): the example corpus's
expected events, articles-dev and the seed pages all gain. A text of one or two sentences (a report) is left
alone: it has no article around it, and its recipient is whatever it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsline.records import ActorRef, EventMention

# a party named once may be a passing mention; twice makes it one of the article's sides
MIN_NAMED = 2


def _key(ref: ActorRef) -> str | None:
    return ref.id or ref.name


def _same_side(a: ActorRef, b: ActorRef, state: frozenset[str]) -> bool:
    if not a.country or a.country != b.country:
        return False
    return (a.sector is None or a.sector in state) == (b.sector is None or b.sector in state)


def article_parties(mentions: Iterable[EventMention]) -> tuple[Counter, dict[str, ActorRef]]:
    """How often the article's mentions name each party (as actor or recipient), and a record of each."""
    counts: Counter = Counter()
    refs: dict[str, ActorRef] = {}
    for m in mentions:
        for ref in m.actor + m.recipient:
            k = _key(ref)
            if k:
                counts[k] += 1
                refs.setdefault(k, ref)
    return counts, refs


def other_side(m: EventMention, counts: Counter, refs: dict[str, ActorRef], state: frozenset[str]) -> ActorRef | None:
    """The article's most named party that the mention's actors are not and are not on the side of."""
    own = {_key(a) for a in m.actor + m.mediator}  # nor the event's mediator ("talks mediated by Qatar")
    best = None
    for k, n in counts.most_common():
        if n < MIN_NAMED:
            break
        ref = refs[k]
        if k in own or any(_same_side(a, ref, state) for a in m.actor):
            continue
        best = ref
        break
    return best


def fill_recipients(mentions: list[EventMention], state: frozenset[str]) -> None:
    """Give each mention with an actor and no recipient the article's other side, where there is one."""
    counts, refs = article_parties(mentions)
    for m in mentions:
        if m.actor and not m.recipient:
            ref = other_side(m, counts, refs, state)
            if ref is not None:
                m.recipient = [ref]
