"""The typed records passed between newsline's stages — the one place their fields are defined.

Stages take records and return records (see DESIGN.md):

    RawDocument --clean--> Article --annotate--> AnnotatedArticle --code--> EventMention --cluster--> Event

Every record is a plain dataclass so it pickles across process pools and Dask workers, and `to_dict`
gives the JSON-ready form that the store and the exports use. Field names of Article, EventMention and
Event are the export contract: change them only together with DESIGN.md.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union

ContentType = Literal["text", "html", "unknown"]
DatePrecision = Literal["day", "month", "year", "week", "range"]
Status = Literal["asserted", "reported", "denied", "planned", "hypothetical"]


def to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict of any record (nested records become dicts)."""
    return dataclasses.asdict(record)


def strip_optional(tp: Any) -> Any:
    """`X | None` -> X; other types (and unions of several types) as they are."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def field_types(cls: type) -> dict[str, Any]:
    """A record's fields in order, each with its type (`X | None` as X): what the store's columns, the
    exports' schemas and the web view's columns are derived from."""
    hints = typing.get_type_hints(cls)
    return {f.name: strip_optional(hints[f.name]) for f in dataclasses.fields(cls)}


# Fields holding a date as text (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` at month or year precision): the store
# keeps them as DATE columns (see newsline.store.db), in whichever record they occur.
DATE_FIELDS = frozenset({"published", "date", "enddate", "first_reported"})


def is_date_field(name: str, tp: Any) -> bool:
    """Whether a record field holds a date as text (a `str` field named in DATE_FIELDS)."""
    return name in DATE_FIELDS and strip_optional(tp) is str


# --------------------------------------------------------------------------- ingest
@dataclass(slots=True)
class RawDocument:
    """One input document as read from disk, a WARC record, a JSONL line or stdin.

    `content` is the raw bytes; decoding is the cleaner's job so that encoding problems are recorded per
    document. `meta` carries fields a JSONL record or WARC header already gives (url, published, title).
    `error` is set when the reader itself could not produce content (truncated gzip, malformed JSON line):
    such a document is stored as failed with that reason.
    """

    id: str
    uri: str
    content: bytes
    content_type: ContentType = "unknown"
    fetched_at: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    content_hash: str = ""


# --------------------------------------------------------------------------- clean
@dataclass(slots=True)
class DroppedLine:
    """A line the cleaner removed from a text page, kept for audit with the reason it was dropped."""

    line_no: int
    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """A clean article: the export record `article` of DESIGN.md.

    `published` is ISO `YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when `published_precision` says so) or None;
    `published_evidence` is the text the date was read from. `text` is the clean body with paragraphs
    separated by newlines; all character offsets downstream point into it.
    """

    id: str
    uri: str
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_evidence: str | None = None
    language: str | None = None
    text: str = ""
    dropped_lines: list[DroppedLine] = field(default_factory=list)
    duplicate_of: str | None = None
    error: str | None = None
    content_hash: str = ""
    content_type: ContentType = "unknown"


# --------------------------------------------------------------------------- annotate
@dataclass(slots=True)
class Token:
    """One spaCy token, flattened so annotated articles travel without spaCy objects."""

    i: int
    text: str
    idx: int  # character offset into Article.text
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the head token (itself for the root)
    ent_type: str = ""
    ent_iob: str = ""
    whitespace: str = ""


@dataclass(slots=True)
class Sentence:
    start: int  # character offsets into Article.text
    end: int
    token_start: int  # token index range [token_start, token_end)
    token_end: int
    paragraph: int = 0


@dataclass(slots=True)
class Entity:
    """A named entity as spaCy found it (PERSON, ORG, GPE, NORP, DATE, …)."""

    start: int
    end: int
    label: str
    text: str
    token_start: int
    token_end: int


@dataclass(slots=True)
class ActorRef:
    """A resolved actor as it appears in mention and event records (`actor`, `recipient`, `mediator`).

    `id` is stable across articles for one person or group; `country` is ISO 3166 alpha-3 or a PLOVER
    pseudo-country (UNO, IGO, NGO, IMG); `sector` is a PLOVER sector code. `person` and `role` are set when
    the actor is a person coded through the office held on the event's date.
    """

    id: str | None
    name: str | None
    country: str | None = None
    sector: str | None = None
    person: str | None = None
    role: str | None = None
    text: str = ""
    kind: str = "unresolved"  # state | igo | group | person | agent | media | unresolved


@dataclass(slots=True)
class ActorMention:
    """An actor found in the text, with its resolution (`actor`) and where it stands."""

    start: int
    end: int
    text: str
    actor: ActorRef
    token_start: int
    token_end: int
    # for persons whose office changes over time: [{role, sector, country, start, end}], so the coder can
    # re-code the person for the event's own date
    roles: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    date_start: str | None  # ISO date, None when unresolvable (e.g. unknown publication date)
    date_end: str | None
    precision: str | None  # day | week | month | year | range | duration
    token_start: int = 0
    token_end: int = 0


@dataclass(slots=True)
class Place:
    """A resolved place: PLOVER's location object."""

    extracted_place: str
    resolved_place: str | None = None
    country_code: str | None = None  # ISO alpha-3
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    resolution: int | None = None  # 5 sub-city, 4 city, 3 district, 2 province, 1 country
    geonameid: int | None = None


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place
    token_start: int = 0
    token_end: int = 0


@dataclass(slots=True)
class AnnotatedArticle:
    article: Article
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)


# --------------------------------------------------------------------------- code
@dataclass(slots=True)
class Evidence:
    sentence: str
    start: int  # character offsets of the sentence in Article.text
    end: int
    trigger: str


@dataclass(slots=True)
class Size:
    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None


@dataclass(slots=True)
class EventMention:
    """One event as one article reports it: the export record `mention` of DESIGN.md."""

    id: str
    article_id: str
    event_type: str
    event_id: str | None = None
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actor: list[ActorRef] = field(default_factory=list)
    recipient: list[ActorRef] = field(default_factory=list)
    mediator: list[ActorRef] = field(default_factory=list)
    date: str | None = None
    enddate: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    event_loc: Place | None = None
    size: Size = field(default_factory=Size)
    status: str = "asserted"
    attribution: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    quad_code: int | None = None
    confidence: float | None = None


# --------------------------------------------------------------------------- cluster
@dataclass(slots=True)
class Claim:
    """What one source says about an event (its status, toll, attribution)."""

    article_id: str
    mention_id: str
    status: str
    attribution: str | None = None
    size: Size = field(default_factory=Size)
    published: str | None = None


@dataclass(slots=True)
class Event:
    """A real-world event: the clustered record `event` of DESIGN.md."""

    id: str
    event_type: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actor: list[ActorRef] = field(default_factory=list)
    recipient: list[ActorRef] = field(default_factory=list)
    mediator: list[ActorRef] = field(default_factory=list)
    date: str | None = None
    enddate: str | None = None
    date_precision: str | None = None
    event_loc: Place | None = None
    size: Size = field(default_factory=Size)
    status: str = "asserted"
    quad_code: int | None = None
    mentions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    corroboration: int = 0
    first_reported: str | None = None
    claims: list[Claim] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- store
@dataclass(slots=True)
class RunSummary:
    run_id: str
    started_at: str
    finished_at: str | None = None
    inputs: list[str] = field(default_factory=list)
    seen: int = 0
    new: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)  # [{id, uri, reason}]
