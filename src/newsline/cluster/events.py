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
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from newsline.knowledge import data_path, load_yaml
from newsline.records import ActorRef, Article, Claim, Event, EventMention, Place, Size

log = logging.getLogger(__name__)

__all__ = ["ClusterConfig", "load_config", "cluster_events", "iter_events", "event_ids_by_mention", "event_id_for"]

DATA = data_path("cluster.yaml")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_AFFIRMING = ("asserted", "reported")
_STATUS_ORDER = ("asserted", "reported", "planned", "denied", "hypothetical")
_WEEK = 7


# --------------------------------------------------------------------------- configuration
@dataclass(slots=True, frozen=True)
class ClusterConfig:
    families: dict[str, str]
    compatible: frozenset[frozenset[str]]
    symmetric: frozenset[str]
    state_sectors: frozenset[str]
    stopwords: frozenset[str]
    weights: dict[str, float]
    threshold: float = 4.0
    date_tolerance_days: int = 1
    undated_window_days: int = 7
    max_span_days: int = 400
    stage_max_days: int = 14
    strong_evidence: float = 0.5
    vague_max_days: int = 31
    ambiguity_margin: float = 1.0
    months: dict[str, int] = field(default_factory=dict)
    min_figure: int = 10
    distinctive: frozenset[str] = frozenset()
    planned_compatible: frozenset[frozenset[str]] = frozenset()
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # derived lookups, filled on use

    def family(self, event_type: str) -> str:
        return self.families.get(event_type, event_type)

    def type_score(self, a: str, b: str) -> float | None:
        if a == b:
            return self.weights["same_type"]
        if frozenset((a, b)) in self.compatible:
            return self.weights["compatible_type"]
        return None

    def planned_partners(self, event_type: str) -> list[str]:
        """Types a planned mention of this type can be one event with when that one is planned too."""
        return [t for pair in self.planned_compatible if event_type in pair for t in pair if t != event_type]


def load_config(path: str | Path | None = None) -> ClusterConfig:
    """Read the clustering table (`data/cluster.yaml` by default)."""
    raw = load_yaml(path or DATA)
    families = {t: fam for fam, types in (raw.get("families") or {}).items() for t in types}
    return ClusterConfig(
        families=families,
        compatible=frozenset(frozenset(p) for p in raw.get("compatible") or []),
        symmetric=frozenset(raw.get("symmetric") or []),
        state_sectors=frozenset(raw.get("state_sectors") or []),
        stopwords=frozenset(str(w) for w in raw.get("stopwords") or []),
        weights={k: float(v) for k, v in (raw.get("weights") or {}).items()},
        threshold=float(raw.get("threshold", 4.0)),
        date_tolerance_days=int(raw.get("date_tolerance_days", 1)),
        undated_window_days=int(raw.get("undated_window_days", 7)),
        max_span_days=int(raw.get("max_span_days", 400)),
        stage_max_days=int(raw.get("stage_max_days", 14)),
        strong_evidence=float(raw.get("strong_evidence", 0.5)),
        vague_max_days=int(raw.get("vague_max_days", 31)),
        ambiguity_margin=float(raw.get("ambiguity_margin", 1.0)),
        months={str(k).lower(): int(v) for k, v in (raw.get("months") or {}).items()},
        min_figure=int(raw.get("min_figure", 10)),
        distinctive=frozenset(str(w).lower() for w in raw.get("distinctive") or []),
        planned_compatible=frozenset(frozenset(p) for p in raw.get("planned_compatible") or []),
    )


@lru_cache(maxsize=1)
def _default_config() -> ClusterConfig:
    return load_config()


# --------------------------------------------------------------------------- dates
@lru_cache(maxsize=65536)
def _ordinal(text: str | None) -> int | None:
    """Ordinal day of an ISO date (YYYY-MM-DD, YYYY-MM or YYYY: the first day)."""
    if not text:
        return None
    text = str(text)[:10]
    try:
        if len(text) == 4:
            return date(int(text), 1, 1).toordinal()
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1).toordinal()
        return date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def _month_end(start: int) -> int:
    d = date.fromordinal(start)
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt.toordinal() - 1


def _interval(m: EventMention) -> tuple[int, int] | None:
    """The mention's date as a closed interval of ordinal days, None when it has no usable date."""
    start = _ordinal(m.date)
    if start is None:
        return None
    prec = (m.date_precision or "").lower()
    raw = str(m.date)
    if prec == "year" or len(raw) == 4:
        start = date(date.fromordinal(start).year, 1, 1).toordinal()
        end = date(date.fromordinal(start).year, 12, 31).toordinal()
    elif prec == "month" or len(raw) == 7:
        start = date.fromordinal(start).replace(day=1).toordinal()
        end = _month_end(start)
    elif prec == "week":
        end = start + 6
    else:
        end = start
    end = max(end, _ordinal(m.enddate) or end)
    return start, end


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


# --------------------------------------------------------------------------- mention features
_EMPTY_SET: frozenset = frozenset()
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?![\d,])")
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"


@lru_cache(maxsize=4)
def _day_patterns(months: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern] | None:
    """'May 16' / '16 May' / '16th of May' with the month names of the configuration."""
    if not months:
        return None
    alt = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    return (re.compile(rf"\b({alt})\.?\s+{_ORDINAL}\b", re.IGNORECASE),
            re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?({alt})\b", re.IGNORECASE))


def _feat_cues(f: _Feat, cfg: ClusterConfig) -> tuple[frozenset[str], frozenset[tuple[int, int]]]:
    if f.cues is None:
        text = " ".join(filter(None, (f.mention.date_text, _evidence_text(f.mention))))
        f.cues = _cues(text, cfg) if text else (_EMPTY_SET, _EMPTY_SET)
    return f.cues


def _cues(text: str, cfg: ClusterConfig) -> tuple[frozenset[str], frozenset[tuple[int, int]]]:
    """Distinctive marks and calendar days named in evidence sentences: an undated report of "the May 16
    meeting", "1,000 prisoners each" or "the largest exchange of the war" can be told apart from look-alike
    events by them. Marks are figures (not years, not the days of dates) and the configured distinctive words
    (superlatives), the latter prefixed with "~"."""
    days: set[tuple[int, int]] = set()
    spans: list[tuple[int, int]] = []
    pats = _day_patterns(tuple(cfg.months))
    if pats:
        for pat, month_group in ((pats[0], 1), (pats[1], 2)):
            for mt in pat.finditer(text):
                month, day = cfg.months[mt.group(month_group).lower()], int(mt.group(3 - month_group))
                if 1 <= day <= 31:
                    days.add((month, day))
                    spans.append(mt.span())
    figures: set[str] = set()
    for mt in _NUMBER.finditer(text):
        if any(lo <= mt.start() < hi for lo, hi in spans):
            continue
        value = int(mt.group().replace(",", ""))
        if value >= cfg.min_figure and not (len(mt.group()) == 4 and 1900 <= value <= 2100):
            figures.add(str(value))
    if cfg.distinctive:
        figures.update("~" + w for w in _WORD.findall(text.lower()) if w in cfg.distinctive)
    return frozenset(figures), frozenset(days)


@dataclass(slots=True)
class _Feat:
    """What clustering needs from one mention, computed once."""

    mention: EventMention
    order: int
    root: str  # the article or, for a reprint, its original
    published: str | None
    family: str
    families: tuple[str, ...]  # looked up: its family, and for a planned mention its planned partners' families
    interval: tuple[int, int] | None
    dated: bool
    actors: frozenset[str]  # coarse party keys
    recips: frozenset[str]
    parties: frozenset[str]
    persons: frozenset[str]
    place: tuple | None
    words: tuple[str, ...]  # distinct, see _words
    cues: tuple | None = None  # (figures, calendar days) named in the evidence, computed when first needed
    stage: bool = False  # a stage of a same-article summary mention: its date does not narrow the event's
    summary: bool = False  # the summary of stages (an explicit span): its interval is the event's date


def _norm(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def _fine_key(a: ActorRef) -> str:
    return a.id or _norm(a.name) or _norm(a.text) or "?"


def _coarse_key(a: ActorRef, cfg: ClusterConfig) -> str:
    if not a.country:
        return _fine_key(a)
    sector = a.sector or ""
    return sys.intern(f"{a.country}:{'state' if not sector or sector in cfg.state_sectors else sector}")


def _place_key(p: Place | None) -> tuple | None:
    if p is None:
        return None
    name = _norm(p.resolved_place or p.extracted_place)
    if not name:
        return None
    return (p.country_code, _norm(p.province), name, p.resolution)


def _evidence_text(m: EventMention) -> str:
    return " ".join(e.sentence for e in m.evidence[:4])


def _words(m: EventMention, cfg: ClusterConfig) -> tuple[str, ...]:
    """The distinct content words of the evidence, as a tuple of interned strings: a tuple of 40 shared strings
    takes a sixth of the memory of a frozenset of them, which matters with hundreds of thousands of mentions."""
    text = _evidence_text(m)
    return tuple(dict.fromkeys(sys.intern(w) for w in _WORD.findall(text.lower())
                               if w not in cfg.stopwords and len(w) > 1))


def _undated_interval(published: str | None, cfg: ClusterConfig) -> tuple[int, int] | None:
    end = _ordinal(published)
    return None if end is None else (end - cfg.undated_window_days, end)


def _families(m: EventMention, cfg: ClusterConfig) -> tuple[str, ...]:
    """The families a mention is looked up in (one shared tuple per type and plannedness)."""
    key = ("families", m.event_type, m.status == "planned")
    out = cfg.memo.get(key)
    if out is None:
        partners = cfg.planned_partners(m.event_type) if key[2] else []
        out = cfg.memo[key] = tuple(dict.fromkeys([cfg.family(m.event_type), *map(cfg.family, partners)]))
    return out


def _features(m: EventMention, order: int, art: Article | None, cfg: ClusterConfig,
              canon: dict | None = None) -> _Feat:
    """`canon` (one dict per clustering run) makes equal key sets and tuples one shared object: most mentions
    repeat a few party sets and intervals, and each frozenset costs some 200 bytes."""
    share = (lambda v: canon.setdefault(v, v)) if canon is not None else (lambda v: v)
    published = (art.published if art else None) or None
    interval = _interval(m)
    dated = interval is not None and interval[1] - interval[0] <= cfg.max_span_days
    if interval is None:
        interval = _undated_interval(published, cfg)
    actors = frozenset(_coarse_key(a, cfg) for a in m.actor)
    recips = frozenset(_coarse_key(a, cfg) for a in m.recipient) - actors
    mediators = frozenset(_coarse_key(a, cfg) for a in m.mediator)
    everyone = [*m.actor, *m.recipient, *m.mediator]
    return _Feat(
        mention=m, order=order, root=(art.duplicate_of if art and art.duplicate_of else m.article_id),
        published=published, family=cfg.family(m.event_type), families=_families(m, cfg),
        interval=share(interval), dated=dated,
        actors=share(actors), recips=share(recips), parties=share(actors | recips | mediators),
        persons=share(frozenset(_norm(a.person) for a in everyone if a.person)),
        place=share(_place_key(m.event_loc)), words=_words(m, cfg))


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
    # Sunday" are one event, but a chain of day-after-day reports is not
    if gap > cfg.date_tolerance_days or max(hi, ref[1]) - min(lo, ref[0]) > cfg.date_tolerance_days:
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
    if core is None:
        return None, None, None
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
    arts = _article_map(articles)
    unique = {m.id: m for m in mentions}
    canon: dict = {}
    feats = {mid: _features(m, i, arts.get(m.article_id), cfg, canon)
             for i, (mid, m) in enumerate(sorted(unique.items()))}
    del unique, canon
    stages = _stages(feats.values(), cfg)
    staged = {t.mention.id for ts in stages.values() for t in ts}
    index, clusters = _Index(cfg, any_week=any(f.interval is None for f in feats.values())), []
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
    n_feats, n_new = len(feats), len(todo) + len(staged)
    del feats, todo, home, index, seeds, stages  # each cluster below is dropped once its event is built: the
    built = 0  # mentions' memory then goes to the events instead of adding to it
    for k, c in enumerate(clusters):
        clusters[k] = None
        if c.members:
            built += 1
            yield _build_event(c)
    log.info("clustered %d mentions (%d new) into %d events", n_feats, n_new, built)


def event_ids_by_mention(events: Iterable[Event]) -> dict[str, str]:
    """mention id -> event id, for setting `EventMention.event_id` after clustering."""
    return {mid: ev.id for ev in events for mid in ev.mentions}
