"""Event clustering, the mention side: the clustering table (`data/cluster.yaml`), a mention's date as an
interval of ordinal days, and `_Feat`, what the clusterer compares of one mention (coarse party keys, persons,
place key, evidence words, the figures and calendar days its evidence names), computed once per mention.
See `newsline.cluster.events` for the method.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from newsline.knowledge import data_path, load_yaml
from newsline.records import ActorRef, Article, EventMention, Place

DATA = data_path("cluster.yaml")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


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


# precisions of a date the text does not write (the coder's fallback to the publication day): such a date says
# the event was reported by then, not that it happened that day, so it is compared as an undated mention's
# window (the week before publication) and kept only as the event's date of last resort (`_merge_date`)
INFERRED_PRECISIONS = frozenset({"inferred-article"})


def _interval(m: EventMention) -> tuple[int, int] | None:
    """The mention's date as a closed interval of ordinal days, None when it has no usable date (none, or only
    one inferred from the publication day)."""
    prec = (m.date_precision or "").lower()
    if prec in INFERRED_PRECISIONS:
        return None
    start = _ordinal(m.date)
    if start is None:
        return None
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


def _inferred_day(m: EventMention) -> str | None:
    """The day a mention's inferred date stands for (its article's publication), None for any other date."""
    return m.date if (m.date_precision or "").lower() in INFERRED_PRECISIONS else None


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
        interval = _undated_interval(published or _inferred_day(m), cfg)
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
