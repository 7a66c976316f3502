"""Cross-article event clustering: EventMention records reporting one real-world event become one Event.

Mentions are compared only within a block: the same type family (`data/cluster.yaml`; a planned AGREE and a
planned CONSULT, the agreement to meet again and the round announced, are looked up across), a shared party (a
state's government/army/intelligence count as one party, a rebel group or civilians as another; a directed act
is also found through its actor alone, since reports name its victims differently) and a date
window (week buckets around the mention's date interval). Within a block a mention is scored against each
candidate event on dates, type and mode, parties and persons, place, toll and evidence wording, with hard
vetoes where the records contradict each other: disjoint dates, different places, reversed direction for a
one-sided type. Same type, same parties and same place is not enough: visits to Nairobi in 2021-10, 2023-02
and 2023-07 have disjoint dates and stay three events.

Mentions are placed most precise first (day dates before months, months before years, undated last), so a
vague background mention ("Ruto's trip in March") joins the precise event it refers to instead of seeding a
wide event that swallows its neighbours. Being compatible is not evidence: an undated or vague mention joins
only with strong evidence (a shared person, close wording from another article, the same toll; for a month
also all the parties with the same place or mode), and joins nothing when two events fit it about as well.
A new member is checked against the event's merged dates (the intersection of its dated members; adjacent
days do not chain) and all its places. A mention joins the best candidate at or above the threshold, or starts
a new event.

Undated articles: a mention with neither a date nor a publication date is compared with events of any date
(same family and parties) and joins only on strong evidence. Its evidence sentences can supply it: a figure
another source of the event gives ("1,000 prisoners each"), a calendar day it names ("the May 16 meeting", no
year needed) within the event's dates; a named day outside the dates of a precisely dated event counts against
that event. Two look-alike dated events that fit it about as well leave it alone.

Multi-stage events: within one article, a summary mention with an explicit short span (date..enddate, "over
three days") takes the mentions of the same type and parties dated inside it (the stages: "the first stage on
Friday") into its event; the event's date stays the summary's interval. Otherwise two mentions of one article
merge only as a stage within a short explicit span.

Incremental and idempotent: events passed in `existing_events` (and `event_id`s already on the mentions)
keep their id and members; only mentions not yet in an event are placed. A new event's id is derived from
its smallest mention id, so re-running over the same input gives the same ids.

A reprint (`Article.duplicate_of`) adds no corroboration: `corroboration` counts independent sources (an
original and its copies are one), and a reprint's mention joins the event of its original's mention.

The code is in four modules: `event_features` (the clustering table, dates, what is compared of a mention),
`event_scoring` (a growing event and the compatibility rules), `event_records` (building the `Event` records
with claims, conflicts and corroboration) and this one (the blocking index, multi-stage events and the
clustering itself); every public name is importable from here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations

from newsline.cluster.event_features import (  # noqa: F401  (_cues: imported from here by the tests)
    ClusterConfig,
    _cues,
    _default_config,
    _Feat,
    _features,
    load_config,
)
from newsline.cluster.event_records import _build_event, event_id_for
from newsline.cluster.event_scoring import _Cluster, _needs_support, _score
from newsline.records import Article, Event, EventMention

log = logging.getLogger(__name__)

__all__ = ["ClusterConfig", "load_config", "cluster_events", "iter_events", "event_ids_by_mention", "event_id_for"]

_WEEK = 7


# --------------------------------------------------------------------------- blocking index
def _party_keys(parties: Iterable[str]) -> list[tuple[str, ...]]:
    """Keys an event is filed under: each party, each pair of parties, and (party, "*") when it is the
    event's only party, so that a two-party report still finds a one-party event."""
    ps = sorted(parties) or ["?"]
    keys: list[tuple[str, ...]] = [(p,) for p in ps]
    if len(ps) == 1:
        keys.append((ps[0], "*"))
    keys += [(a, b) for a, b in combinations(ps, 2)]
    return keys


def _lookup_keys(parties: frozenset[str]) -> list[tuple[str, ...]]:
    """Keys a mention looks up: a one-party mention every event of its party; a multi-party mention the
    events sharing a pair of its parties, or having only one of them."""
    ps = sorted(parties)
    if len(ps) < 2:
        return [(ps[0],) if ps else ("?",)]
    return [(p, "*") for p in ps] + list(combinations(ps, 2))


class _Index:
    """(family, party or party pair, week) -> events, for candidate lookup. With `any_week`, every event is
    also filed under the week "any", for mentions with no date and no publication date to look up."""

    def __init__(self, cfg: ClusterConfig, any_week: bool = False) -> None:
        self.cfg = cfg
        self.any_week = any_week
        self.buckets: dict[tuple, list[_Cluster]] = {}
        self.by_root: dict[str, list[_Cluster]] = {}

    def _weeks(self, interval: tuple[int, int] | None, pad: int) -> list[int | str]:
        if interval is None or interval[1] - interval[0] > self.cfg.max_span_days:
            return ["wide"]
        return list(range((interval[0] - pad) // _WEEK, (interval[1] + pad) // _WEEK + 1))

    def _file(self, c: _Cluster, fams: set[str], keys: Iterable[tuple], weeks: Iterable[int | str]) -> None:
        for key in keys:
            for week in weeks:
                for fam in fams:
                    self.buckets.setdefault((fam, key, week), []).append(c)

    def add(self, c: _Cluster, f: _Feat) -> None:
        """File the event under the buckets its new member opened (new family, party keys or weeks)."""
        fams = {self.cfg.family(t) for t in c.types}
        fams.update(self.cfg.family(p) for t in c.planned for p in self.cfg.planned_partners(t))
        keys = set(_party_keys(c.parties))
        weeks = set(self._weeks(c.span, 0))
        if self.any_week:
            weeks.add("any")
        old_fams, old_keys, old_weeks = c.filed
        if old_fams:
            self._file(c, fams - old_fams, keys, weeks)
            self._file(c, old_fams, keys - old_keys, weeks)
            self._file(c, old_fams, old_keys, weeks - old_weeks)
        else:
            self._file(c, fams, keys, weeks)
        c.filed = (fams, keys, weeks)
        roots = self.by_root.setdefault(f.root, [])
        if not roots or roots[-1] is not c:
            roots.append(c)

    def candidates(self, f: _Feat) -> list[_Cluster]:
        keys = _lookup_keys(f.parties)
        if f.mention.event_type not in self.cfg.symmetric and len(f.parties) > 1:
            # a directed act is found through its actor alone too: one report names the victims as civilians,
            # another as the state ("strikes killed civilians" / "strikes on Taliban positions")
            keys += [(a,) for a in sorted(f.actors)]
        seen: dict[int, _Cluster] = {c.seq: c for c in self.by_root.get(f.root, [])}
        weeks = ["any"] if f.interval is None and self.any_week else \
            self._weeks(f.interval, self.cfg.date_tolerance_days)
        for week in weeks:
            for key in keys:
                for fam in f.families:
                    for c in self.buckets.get((fam, key, week), ()):
                        seen.setdefault(c.seq, c)
        return [seen[s] for s in sorted(seen)]


# --------------------------------------------------------------------------- driver
def _article_map(articles: Iterable[Article] | Mapping[str, Article] | None) -> dict[str, Article]:
    if articles is None:
        return {}
    if isinstance(articles, Mapping):
        return dict(articles)
    return {a.id: a for a in articles}


def _placement_order(f: _Feat) -> tuple:
    """Most precise first: dated by width of interval, then undated; then date, publication, id."""
    width = (f.interval[1] - f.interval[0]) if f.dated and f.interval else 10**6
    start = f.interval[0] if f.interval else 10**7
    return (not f.dated, width, start, f.published or "9999", f.mention.id)


def _seed(feats: dict[str, _Feat], existing: Iterable[Event]) -> dict[str, list[_Feat]]:
    """Existing event id -> its members among the mentions given (a mention's own event_id counts too)."""
    seeds: dict[str, list[_Feat]] = {}
    taken: set[str] = set()
    for ev in existing:
        for mid in ev.mentions:
            if mid in feats and mid not in taken:
                taken.add(mid)
                seeds.setdefault(ev.id, []).append(feats[mid])
    for mid, f in feats.items():
        if f.mention.event_id and mid not in taken:
            taken.add(mid)
            seeds.setdefault(f.mention.event_id, []).append(f)
    return seeds


def _explicit_span(f: _Feat, cfg: ClusterConfig) -> bool:
    """date..enddate of a few days ("over three days", "23-25 May"); a month, a week or a year is vagueness."""
    return bool(f.mention.enddate) and 0 < f.interval[1] - f.interval[0] <= cfg.stage_max_days \
        and (f.mention.date_precision or "") not in ("month", "year", "week")


def _width(f: _Feat) -> int:
    return f.interval[1] - f.interval[0] if f.interval else 0


def _undated_span(f: _Feat) -> bool:
    return f.interval is None and (f.mention.date_precision or "") in ("duration", "range")


def _within(t: _Feat, s: _Feat) -> bool:
    """Whether t's date lies strictly within summary s's span (for an undated summary: t names a day)."""
    if s.interval is None:
        return t.interval is None and (t.mention.date_precision or "") == "day"
    if t.interval is None:
        return False
    (lo, hi), (slo, shi) = t.interval, s.interval
    return slo <= lo and hi <= shi and hi - lo < shi - slo


def _stages(feats: Iterable[_Feat], cfg: ClusterConfig) -> dict[str, list[_Feat]]:
    """Summary mention id -> the stage mentions of its article it covers. A summary has an explicit short span
    (date..enddate within stage_max_days, not a month or a year: "1,000 were freed over three days, Friday to
    Sunday"); a stage has the same type, the same parties (or a part of them) and a narrower date inside that
    span ("the second phase on Tuesday"). A stage goes to the narrowest summary covering it; its date does not
    narrow the event's, which stays the summary's interval.

    In an article with no date at all the same holds without intervals: a summary whose time is an unresolved
    span (precision duration or range: "over three days") takes the mentions of the same type and parties
    whose time is an unresolved day ("on Friday")."""
    feats = [f for f in feats if (f.dated and f.interval is not None) or f.interval is None]
    with_summary = {f.mention.article_id for f in feats if _explicit_span(f, cfg) or _undated_span(f)}
    if not with_summary:
        return {}
    by_article: dict[str, list[_Feat]] = {}
    for f in feats:
        if f.mention.article_id in with_summary:
            by_article.setdefault(f.mention.article_id, []).append(f)
    out: dict[str, list[_Feat]] = {}
    for group in by_article.values():
        summaries = [f for f in group if _explicit_span(f, cfg) or _undated_span(f)]
        parent: dict[str, _Feat] = {}
        for t in group:
            covering = [s for s in summaries if s is not t and s.mention.event_type == t.mention.event_type
                        and _within(t, s)
                        and (not t.parties or not s.parties or t.parties <= s.parties or s.parties <= t.parties)]
            if covering:
                parent[t.mention.id] = min(covering, key=lambda s: (_width(s), s.mention.id))
        for t in group:
            if t.mention.id in parent:
                s = parent[t.mention.id]
                while s.mention.id in parent:  # a summary within a wider summary: the widest holds them all
                    s = parent[s.mention.id]
                t.stage = s.summary = True
                out.setdefault(s.mention.id, []).append(t)
    return out


def _add_stages(stages: Iterable[_Feat], c: _Cluster, index: _Index, home: dict[str, _Cluster]) -> None:
    for t in stages:
        if t.mention.id not in home:
            c.add(t)
            index.add(c, t)
            home[t.mention.id] = c


def _place(f: _Feat, index: _Index, clusters: list[_Cluster], cfg: ClusterConfig) -> _Cluster:
    scored = sorted(((s, c.seq, c) for c in index.candidates(f)
                     if (s := _score(f, c, cfg)) is not None and s >= cfg.threshold), key=lambda x: (-x[0], x[1]))
    best = scored[0][2] if scored else None
    if best is not None and len(scored) > 1 and _needs_support(f, best, cfg) \
            and scored[0][0] - scored[1][0] < cfg.ambiguity_margin:
        best = None  # a vague or undated mention that fits two events about as well is neither's evidence
    if best is None:
        best = _Cluster(seq=len(clusters))
        clusters.append(best)
    best.add(f)
    index.add(best, f)
    return best


def cluster_events(mentions: Iterable[EventMention],
                   articles: Iterable[Article] | Mapping[str, Article] | None = None,
                   existing_events: Iterable[Event] = (),
                   config: ClusterConfig | None = None) -> list[Event]:
    """Cluster mentions (from all articles of the corpus) into events.

    `articles` gives publication dates and `duplicate_of` links; `existing_events` are the events already
    stored: they keep their ids and members, and mentions not in any of them join them or form new events.
    Returns every event that has at least one of the given mentions, sorted by date then id. The input
    records are not modified; use `event_ids_by_mention` to set `EventMention.event_id`.
    """
    return sorted(iter_events(mentions, articles, existing_events, config), key=lambda e: (e.date or "9999", e.id))


def iter_events(mentions: Iterable[EventMention],
                articles: Iterable[Article] | Mapping[str, Article] | None = None,
                existing_events: Iterable[Event] = (),
                config: ClusterConfig | None = None) -> Iterator[Event]:
    """`cluster_events` as a stream, in no particular order: the clustering is done at the first event, then
    each event is built as it is asked for, so that a caller who stores them as they come (the run does, in
    chunks) never holds them all (at 50,000 articles, 128,000 events are about 600 MB as records)."""
    cfg = config or _default_config()
    clusters, n_feats, n_new = _cluster(mentions, articles, existing_events, cfg)
    built = 0  # each cluster is dropped once its event is built: the mentions' memory then goes to the events
    for k, c in enumerate(clusters):
        clusters[k] = None
        if c.members:
            built += 1
            yield _build_event(c)
    log.info("clustered %d mentions (%d new) into %d events", n_feats, n_new, built)


def _cluster(mentions: Iterable[EventMention], articles: Iterable[Article] | Mapping[str, Article] | None,
             existing_events: Iterable[Event], cfg: ClusterConfig, any_week: bool | None = None
             ) -> tuple[list[_Cluster], int, int]:
    """The clustering itself: (clusters in creation order, mentions, mentions placed anew). `any_week`:
    whether events are filed for mentions with no date at all (default: when some of `mentions` have none)."""
    arts = _article_map(articles)
    unique = {m.id: m for m in mentions}
    canon: dict = {}
    feats = {mid: _features(m, i, arts.get(m.article_id), cfg, canon)
             for i, (mid, m) in enumerate(sorted(unique.items()))}
    del unique, canon, arts
    stages = _stages(feats.values(), cfg)
    staged = {t.mention.id for ts in stages.values() for t in ts}
    if any_week is None:
        any_week = any(f.interval is None for f in feats.values())
    index, clusters = _Index(cfg, any_week=any_week), []
    seeds = _seed(feats, existing_events)
    home: dict[str, _Cluster] = {}
    for event_id in sorted(seeds):
        c = _Cluster(seq=len(clusters), event_id=event_id)
        clusters.append(c)
        for f in sorted(seeds[event_id], key=lambda x: (x.stage, _placement_order(x))):
            c.add(f)
            index.add(c, f)
            home[f.mention.id] = c
    for summary in sorted(set(stages) & set(home)):
        _add_stages(stages[summary], home[summary], index, home)
    todo = sorted((f for mid, f in feats.items() if mid not in home and mid not in staged), key=_placement_order)
    for f in todo:
        home[f.mention.id] = c = _place(f, index, clusters, cfg)
        _add_stages(stages.get(f.mention.id, ()), c, index, home)  # its stages join the summary's event
    return clusters, len(feats), len(todo) + len(staged)


def event_ids_by_mention(events: Iterable[Event]) -> dict[str, str]:
    """mention id -> event id, for setting `EventMention.event_id` after clustering."""
    return {mid: ev.id for ev in events for mid in ev.mentions}
