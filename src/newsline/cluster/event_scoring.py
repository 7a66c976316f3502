"""Event clustering, the compatibility rules: `_Cluster`, a growing event with the unions and intersections of
its members, and `_score`, the similarity of a mention to such an event (dates, type and mode, parties and
persons, place, toll, evidence wording, the cues of a vague or undated mention), None where the records
contradict each other. See `newsline.cluster.events` for the method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from newsline.cluster.event_features import ClusterConfig, _Feat, _feat_cues

# --------------------------------------------------------------------------- clusters
_EMPTY: frozenset = frozenset()


@lru_cache(maxsize=8192)
def _one(value: Any) -> frozenset:
    """A one-element frozenset (shared between events; empty for None)."""
    return _EMPTY if value is None else frozenset((value,))


def _union(a: frozenset, b: frozenset) -> frozenset:
    if not a:
        return b
    return a if b <= a else a | b


# a member's interval at most this wide (in days) dates it to a day, or a night across two (`_Cluster.days`)
DAY_WIDTH = 1


@dataclass(slots=True)
class _Cluster:
    """A growing event: its members and the unions/intersections the scorer compares against."""

    seq: int
    event_id: str | None = None
    members: list[_Feat] = field(default_factory=list)
    types: frozenset[str] = _EMPTY
    planned: frozenset[str] = _EMPTY  # types of its planned members
    modes: frozenset[str] = _EMPTY
    articles: frozenset[str] = _EMPTY
    roots: frozenset[str] = _EMPTY
    core: tuple[int, int] | None = None  # intersection of the dated members' intervals
    frame: tuple[int, int] | None = None  # a summary's span: members dated within it are its stages
    span: tuple[int, int] | None = None  # union of all members' intervals
    # union of the intervals of the members dated to a day (or a night across two): how far the event's days
    # already reach, which the core (narrowed by each member within it) forgets
    days: tuple[int, int] | None = None
    actors: frozenset[str] = _EMPTY
    recips: frozenset[str] = _EMPTY
    parties: frozenset[str] = _EMPTY
    persons: frozenset[str] = _EMPTY
    places: frozenset[tuple] = _EMPTY
    dead: frozenset[int] = _EMPTY
    words: frozenset[str] | tuple[str, ...] = _EMPTY  # a single member's word tuple until a second member comes
    filed: tuple = (_EMPTY, _EMPTY, _EMPTY)  # (families, party keys, weeks) in the index

    def add(self, f: _Feat) -> None:
        """Add a member. The sets are frozensets shared with the first member until a second one differs
        (most events have one or two mentions: this keeps 200k mentions well within memory)."""
        m = f.mention
        self.members.append(f)
        self.types = _union(self.types, _one(m.event_type))
        if m.status == "planned":
            self.planned = _union(self.planned, _one(m.event_type))
        self.modes = _union(self.modes, _one(m.mode))
        self.articles = _union(self.articles, _one(m.article_id))
        self.roots = _union(self.roots, _one(f.root))
        self._add_dates(f)
        self.actors = _union(self.actors, f.actors)
        self.recips = _union(self.recips, f.recips)
        self.parties = _union(self.parties, f.parties)
        self.persons = _union(self.persons, f.persons)
        self.places = _union(self.places, _one(f.place))
        if not f.stage:  # a stage's figure is part of the whole, not a rival toll
            self.dead = _union(self.dead, _one(m.size.dead))
        if len(self.words) < 150:
            self.words = f.words if not self.words else _union(frozenset(self.words), frozenset(f.words))

    def _add_dates(self, f: _Feat) -> None:
        if f.interval is None:
            return
        lo, hi = f.interval
        self.span = (lo, hi) if self.span is None else (min(self.span[0], lo), max(self.span[1], hi))
        if not f.dated or f.stage:
            return  # a stage lies within the summary's interval, which stays the event's date
        if hi - lo <= DAY_WIDTH:
            self.days = (lo, hi) if self.days is None else (min(self.days[0], lo), max(self.days[1], hi))
        if f.summary and (self.core is None or (lo <= self.core[0] and self.core[1] <= hi)):
            self.core = self.frame = (lo, hi)  # a report of one stage elsewhere does not narrow the whole
            return
        if self.frame is not None and self.frame[0] <= lo and hi <= self.frame[1]:
            return
        if self.core is None:
            self.core = (lo, hi)
        else:
            new = (max(self.core[0], lo), min(self.core[1], hi))
            self.core = new if new[0] <= new[1] else (min(self.core[0], lo), max(self.core[1], hi))


# --------------------------------------------------------------------------- scoring
def _date_score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> float | None:
    """Same interval > one within the other > partly overlapping > adjacent (within tolerance); disjoint
    dates veto. An undated side only has to fall within the other's window."""
    w = cfg.weights
    ref = c.core or c.span
    if f.interval is None or ref is None:
        return 0.0  # no date on one side (an undated article): compatible, joins only on strong evidence
    lo, hi = f.interval
    if not f.dated or c.core is None:
        return 0.0 if lo <= ref[1] and ref[0] <= hi else None
    if (lo, hi) == ref:
        return w["same_day"]
    if (lo <= ref[0] and ref[1] <= hi) or (ref[0] <= lo and hi <= ref[1]):
        return w["overlapping_dates"]
    if lo <= ref[1] and ref[0] <= hi:
        return w["partial_dates"]
    gap = max(lo - ref[1], ref[0] - hi)
    # adjacent days only while the event as a whole stays within the tolerance: "Saturday night" and "early
    # Sunday" are one event, but a chain of day-after-day reports is not. The whole is every day its members
    # are dated to, not only the core: a member on the second day narrows the core to that day, and the core
    # would otherwise slide a day further with each such pair (a dense feed chained 7,811 mentions over 403
    # days into one event)
    ext = c.days or ref
    if gap > cfg.date_tolerance_days or \
            max(hi, ref[1], ext[1]) - min(lo, ref[0], ext[0]) > cfg.date_tolerance_days:
        return None
    return w["adjacent_dates"]


def _place_relation(p: tuple, q: tuple) -> str:
    (pc, pprov, pname, pres), (qc, qprov, qname, qres) = p, q
    if pc and qc and pc != qc:
        return "different"
    if pname == qname:
        return "same"
    for (_, _, name, res), (_, prov, _, _) in ((p, q), (q, p)):
        if res == 1 or name == prov:
            return "within"
    if pprov and qprov and pprov != qprov:
        return "different"
    if (pres or 0) >= 3 and (qres or 0) >= 3:
        return "different"
    return "unknown"


def _place_score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> float | None:
    if f.place is None or not c.places:
        return 0.0
    relations = {_place_relation(f.place, q) for q in c.places}
    if "different" in relations:
        return None
    if "same" in relations:
        return cfg.weights["same_place"]
    return cfg.weights["place_within"] if "within" in relations else 0.0


def _party_score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> float | None:
    m = f.mention
    if m.event_type not in cfg.symmetric and f.actors and c.actors and not (f.actors & c.actors) \
            and (f.actors & c.recips or f.recips & c.actors):
        return None  # reversed direction: B attacks A is not A attacks B
    if not f.parties or not c.parties:
        share = 0.0
    else:
        share = len(f.parties & c.parties) / min(len(f.parties), len(c.parties))
    if share == 0 and f.root not in c.roots:
        return None
    score = cfg.weights["parties"] * share
    if len(f.parties) > 1 and len(c.parties) > 1 and not (f.parties <= c.parties or c.parties <= f.parties):
        score += cfg.weights.get("other_parties", 0.0)  # each side has a party the other lacks: another dyad
    if f.persons and c.persons:
        score += cfg.weights["same_person"] if f.persons & c.persons else cfg.weights["other_person"]
    return score


def _mode_score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> float:
    mode = f.mention.mode
    if not mode or not c.modes:
        return 0.0
    return cfg.weights["same_mode"] if mode in c.modes else cfg.weights["other_mode"]


def _evidence_share(f: _Feat, c: _Cluster) -> float:
    """Share of the mention's evidence words already in the event's evidence. Sentences of the mention's own
    article say nothing about identity (one article's mentions share its sentences), so then none counts."""
    if not f.words or not c.words or f.mention.article_id in c.articles:
        return 0.0
    return len(frozenset(f.words).intersection(c.words)) / len(f.words)


def _same_article_ok(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> bool:
    """Two mentions of one article are one event only when one's dates strictly contain the other's and the
    wider one is a short explicit span (a stage of a multi-day exchange, "23-25 May"; scored lower than a
    match from another article). A month or a year is vagueness, not a span: "talks last month" in the
    article that also reports a visit on October 21 is another event. Otherwise the coder already kept them
    apart for a reason."""
    if f.mention.article_id not in c.articles:
        return True
    if c.core is None or f.interval is None or not f.dated or f.mention.event_type not in c.types:
        return False
    (lo, hi), (clo, chi) = f.interval, c.core
    if max(hi - lo, chi - clo) > cfg.stage_max_days:
        return False
    if any((g.mention.date_precision or "") in ("month", "year") for g in c.members + [f]
           if g.mention.article_id == f.mention.article_id):
        return False
    nested = (lo <= clo and chi <= hi) or (clo <= lo and hi <= chi)
    same_toll = f.mention.size.dead is None or not c.dead or f.mention.size.dead in c.dead
    return nested and (lo, hi) != (clo, chi) and same_toll


def _score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> float | None:
    """Similarity of a mention to an event, None when they cannot be one event."""
    etype = f.mention.event_type
    type_score = max((s for t in c.types if (s := cfg.type_score(etype, t)) is not None), default=None)
    if type_score is None and f.mention.status == "planned" and c.planned & set(cfg.planned_partners(etype)):
        type_score = cfg.weights["compatible_type"]  # the agreement to meet and the meeting announced
    if type_score is None or not _same_article_ok(f, c, cfg):
        return None
    parts = [type_score]
    for scorer in (_date_score, _place_score, _party_score):
        s = scorer(f, c, cfg)
        if s is None:
            return None
        parts.append(s)
    words = _evidence_share(f, c)
    parts += [_mode_score(f, c, cfg), cfg.weights["evidence"] * words]
    same_toll = f.mention.size.dead is not None and f.mention.size.dead in c.dead
    if same_toll:
        parts.append(cfg.weights["same_toll"])
    if f.mention.article_id in c.articles:
        parts.append(cfg.weights["same_article"])
    elif f.root in c.roots:
        parts.append(cfg.weights["reprint"])
    if _needs_support(f, c, cfg):
        cue, cue_support = _cue_score(f, c, cfg)
        parts.append(cue)
        if not (cue_support or _supported(f, c, cfg, words, same_toll, parts[2])):
            return None
    return sum(parts)


def _calendar_days(interval: tuple[int, int]) -> set[tuple[int, int]]:
    out = set()
    for o in range(interval[0], interval[1] + 1):
        d = date.fromordinal(o)
        out.add((d.month, d.day))
    return out


def _cue_score(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> tuple[float, bool]:
    """What the distinctive marks and calendar days of a vague or undated mention's evidence say about the
    event: (score, strong evidence). A figure or a superlative the event's other sources give too ("1,000
    prisoners each", "the largest exchange of the war") supports it. For an undated mention, a calendar day its evidence names ("the May 16 meeting") supports an
    event dated that day (any year: the article gives none) and counts against an event precisely dated on
    another day."""
    w = cfg.weights
    figures, days = _feat_cues(f, cfg)
    if not figures and (f.dated or not days):
        return 0.0, False
    others = [_feat_cues(g, cfg) for g in c.members if g.mention.article_id != f.mention.article_id]
    score, strong = 0.0, False
    if figures and any(figures & fig for fig, _ in others):
        score += w.get("same_figure", 0.0)
        strong = True
    if f.dated or not days:
        return score, strong
    if c.core is not None and c.core[1] - c.core[0] <= cfg.vague_max_days:
        if days & _calendar_days(c.core):
            return score + w.get("named_day", 0.0), True
        if c.core[1] - c.core[0] <= cfg.date_tolerance_days:
            return score + w.get("other_named_day", 0.0), strong
    elif any(days & d for _, d in others):
        return score + w.get("named_day", 0.0), True
    return score, strong


def _needs_support(f: _Feat, c: _Cluster, cfg: ClusterConfig) -> bool:
    """An undated mention, or a vague one (a month, a year) meeting an event of other dates, is compatible
    with many events: being compatible is then no evidence of identity."""
    if f.root in c.roots:
        return False  # a reprint follows its original
    if not f.dated or c.core is None:
        return True
    width = max(f.interval[1] - f.interval[0], c.core[1] - c.core[0])
    return width > cfg.date_tolerance_days and f.interval != c.core


def _supported(f: _Feat, c: _Cluster, cfg: ClusterConfig, words: float, same_toll: bool, place: float) -> bool:
    """Strong evidence that a vague or undated mention is this event: the same person (coded, or named in the
    mention's evidence), close wording, the same toll. A dated one (a month, not a year) also joins with all
    the parties of the smaller side and the same place or the same mode ("a two-day trip in March")."""
    if f.persons & c.persons or words >= cfg.strong_evidence or (same_toll and f.mention.size.dead):
        return True
    if any(_surname(p) in f.words for p in c.persons) or any(_surname(p) in c.words for p in f.persons):
        return True
    if not f.dated or f.interval[1] - f.interval[0] > cfg.vague_max_days:
        return False
    if not (f.parties and c.parties and (f.parties <= c.parties or c.parties <= f.parties)):
        return False
    return place >= cfg.weights["same_place"] or bool(f.mention.mode and f.mention.mode in c.modes)


def _surname(person: str) -> str:
    return person.rsplit(" ", 1)[-1]
