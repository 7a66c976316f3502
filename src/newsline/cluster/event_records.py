"""Event clustering, the records: one `Event` built from a finished cluster of mentions, with its merged
parties, dates, place and toll, one claim per mention, the conflicts between independent sources and their
corroboration (an original and its reprints count once). See `newsline.cluster.events` for the method.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsline.cluster.event_features import _Feat, _fine_key, _inferred_day, _iso, _place_key
from newsline.cluster.event_scoring import _Cluster
from newsline.records import ActorRef, Claim, Event, Place, Size

_AFFIRMING = ("asserted", "reported")
_STATUS_ORDER = ("asserted", "reported", "planned", "denied", "hypothetical")


# --------------------------------------------------------------------------- merging into Event
def event_id_for(mention_ids: Iterable[str]) -> str:
    """Deterministic event id from the smallest mention id of the event."""
    return "ev_" + hashlib.sha1(min(mention_ids).encode()).hexdigest()[:16]


def _independent(members: list[_Feat]) -> list[_Feat]:
    """One member per independent source (an original and its reprints count once)."""
    seen: dict[str, _Feat] = {}
    for f in sorted(members, key=lambda x: (x.mention.article_id != x.root, x.stage, x.mention.id)):
        seen.setdefault(f.root, f)
    return list(seen.values())


def _vote(values: Iterable[Any], order: Iterable[Any] = ()) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    rank = {v: i for i, v in enumerate(order)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), str(v)))


def _merge_actors(members: list[_Feat], role: str, exclude: set[str] = frozenset()) -> list[ActorRef]:
    counts: Counter[str] = Counter()
    first: dict[str, ActorRef] = {}
    for f in members:
        for a in getattr(f.mention, role):
            key = _fine_key(a)
            if key in exclude:
                continue
            counts[key] += 1
            first.setdefault(key, a)
    return [first[k] for k in sorted(counts, key=lambda k: (-counts[k], list(first).index(k)))]


def _merge_date(members: list[_Feat], core: tuple[int, int] | None) -> tuple[str | None, str | None, str | None]:
    """The event's date from its members' reported dates (day, week, month, year, range: `core`, their
    intersection); with none, the earliest date inferred from a publication day (the event happened by the
    first report of it), keeping that precision; else none."""
    if core is None:
        inferred = sorted((d, f.mention.date_precision) for f in members if (d := _inferred_day(f.mention)))
        return (inferred[0][0], None, inferred[0][1]) if inferred else (None, None, None)
    lo, hi = core
    if lo == hi:
        return _iso(lo), None, "day"
    same = [f.mention.date_precision for f in members if f.dated and f.interval == core]
    precision = _vote(same) or "range"
    return _iso(lo), _iso(hi), precision


def _merge_place(members: list[_Feat]) -> Place | None:
    places = [f.mention.event_loc for f in members if f.place]
    if not places:
        return None
    counts = Counter(_place_key(p) for p in places)
    best = max(places, key=lambda p: ((p.resolution or 0), counts[_place_key(p)], -places.index(p)))
    return best


def _merge_size(indep: list[_Feat]) -> Size:
    """Per figure, the value most independent sources give; a tie goes to the lowest (conservative)."""
    out = Size()
    for name in ("dead", "injured", "arrested"):
        values = [getattr(f.mention.size, name) for f in indep if getattr(f.mention.size, name) is not None]
        if values:
            counts = Counter(values)
            setattr(out, name, min(counts, key=lambda v: (-counts[v], v)))
    return out


def _conflicts(indep: list[_Feat], date_conflict: str | None) -> list[str]:
    out: list[str] = []
    statuses: dict[str, list[str]] = {}
    for f in indep:
        statuses.setdefault(f.mention.status, []).append(f.mention.article_id)
    if "denied" in statuses and any(s in statuses for s in _AFFIRMING):
        told = "; ".join(f"{s} by {', '.join(sorted(a))}" for s, a in sorted(statuses.items()))
        out.append(f"status: {told}")
    for name in ("dead", "injured", "arrested"):
        given = {(getattr(f.mention.size, name), f.mention.article_id) for f in indep
                 if getattr(f.mention.size, name) is not None}
        if len({v for v, _ in given}) > 1:
            out.append(f"{name}: " + ", ".join(f"{v} ({a})" for v, a in sorted(given)))
    if date_conflict:
        out.append(date_conflict)
    return out


def _date_conflict(members: list[_Feat]) -> str | None:
    dated = [f for f in members if f.dated and f.interval and not f.stage]
    if not dated:
        return None
    lo = max(f.interval[0] for f in dated)
    hi = min(f.interval[1] for f in dated)
    if lo <= hi:
        return None
    given = sorted({(f.mention.date, f.mention.article_id) for f in dated})
    return "date: " + ", ".join(f"{d} ({a})" for d, a in given)


def _claim(f: _Feat) -> Claim:
    m = f.mention
    return Claim(article_id=m.article_id, mention_id=m.id, status=m.status, attribution=m.attribution,
                 size=Size(m.size.dead, m.size.injured, m.size.arrested), published=f.published)


def _build_event(c: _Cluster) -> Event:
    members = sorted(c.members, key=lambda f: f.mention.id)
    indep = _independent(members)
    actors = _merge_actors(members, "actor")
    actor_keys = {_fine_key(a) for a in actors}
    date_, enddate, precision = _merge_date(members, c.core)
    published = [f.published for f in members if f.published]
    return Event(
        id=c.event_id or event_id_for(f.mention.id for f in members),
        event_type=_vote((f.mention.event_type for f in indep), [f.mention.event_type for f in members]),
        mode=_vote(f.mention.mode for f in indep),
        context=sorted({ctx for f in members for ctx in f.mention.context}),
        actor=actors, recipient=_merge_actors(members, "recipient", actor_keys),
        mediator=_merge_actors(members, "mediator", actor_keys),
        date=date_, enddate=enddate, date_precision=precision, event_loc=_merge_place(members),
        size=_merge_size(indep), status=_vote((f.mention.status for f in indep), _STATUS_ORDER) or "asserted",
        quad_code=_vote(f.mention.quad_code for f in indep),
        mentions=[f.mention.id for f in members], sources=sorted(c.articles), corroboration=len(c.roots),
        first_reported=min(published) if published else None, claims=[_claim(f) for f in members],
        conflicts=_conflicts(indep, _date_conflict(members)),
    )
