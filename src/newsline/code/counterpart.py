"""An article's other side: the recipient of an event whose sentence names none.

A news article is mostly about a few parties acting on one another, and its sentences often leave the
recipient to the reader: "Taliban officials shut the crossing on Sunday", "Russia proposed a two-day truce",
"a suicide bomber struck a truck". When the sentence, the rules and the role model give an article's mention an
actor and no recipient, its recipient is the party the article's events name most often (actors and
recipients of all its mentions, at least `MIN_NAMED` times) that is neither the actor itself nor on the actor's
side (`phrases.side`: its country, an armed non-state group a side apart from its state). Drafting already gives a
dyadic act the other side of the article's two-party dyad as it reads (`parties.complete_dyad`, before merging);
this pass comes after the whole article is coded and covers what that leaves: any type, any number of parties.

Measured over whole sets rather than sentences (BENCHMARKS.md, issue 12, session 7): the example corpus's
expected events, articles-dev and the seed pages all gain. A text of one or two sentences (a report) is left
alone: it has no article around it, and its recipient is whatever it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsline.code.phrases import side
from newsline.records import ActorRef, EventMention

# a party named once may be a passing mention; twice makes it one of the article's sides
MIN_NAMED = 2


def _key(ref: ActorRef) -> str | None:
    return ref.id or ref.name


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


def other_side(m: EventMention, counts: Counter, refs: dict[str, ActorRef]) -> ActorRef | None:
    """The article's most named party that the mention's actors are not and are not on the side of."""
    own = {_key(a) for a in m.actor + m.mediator}  # nor the event's mediator ("talks mediated by Qatar")
    mine = {side(a) for a in m.actor if a.country}
    for k, n in counts.most_common():
        if n < MIN_NAMED:
            return None
        if k not in own and side(refs[k]) not in mine:
            return refs[k]
    return None


def fill_recipients(mentions: list[EventMention]) -> None:
    """Give each mention with an actor and no recipient the article's other side, where there is one."""
    counts, refs = article_parties(mentions)
    for m in mentions:
        if m.actor and not m.recipient:
            ref = other_side(m, counts, refs)
            if ref is not None:
                m.recipient = [ref]
