"""What the coder's components pass along: a `Draft` (one event as one clause tells it, before merging) and
the `ArticleState` the components read and extend while they code one article."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsline.code.doc import Doc
from newsline.code.lexicon import Lexicon
from newsline.code.ontology import Ontology
from newsline.records import ActorRef, Evidence, Place, PlaceMention, Size, TimeExpression


@dataclass(slots=True)
class Draft:
    """One event as one clause reports it: sentence index, trigger token, type, mode, roles, status, date, place,
    size, evidence (the sentence and the trigger words), plus the flags merging reads."""

    event_type: str
    mode: str | None
    actor: list[ActorRef]
    recipient: list[ActorRef]
    mediator: list[ActorRef]
    time: TimeExpression | None
    date_source: str
    place: Place | None
    size: Size
    status: str
    attribution: str | None
    evidence: list[Evidence]
    sentence: int
    paragraph: int
    trigger_i: int
    context: list[str] = field(default_factory=list)
    subordinate: bool = False
    lifted: bool = False  # a verb the parser put in a subordinate clause, told as one of the clause above
    background: bool = False  # habitual/background report: kept only as context for later reactions
    anaphoric: bool = False  # "the agreement", "the talks": a reference back to an event already reported
    own_place: bool = False  # the place is the event's own locative phrase (not the dateline)
    nominal: bool = False  # reported by an event noun ("talks", "the strike")
    planned_act: bool = False  # an act announced or arranged for later ("hostages are to be released")
    dated: bool = False  # an event noun dated by its own phrase ("the May 16 meeting", "a swap in May")
    distinct: bool = False  # "another swap", "a new round": told as an event apart from those told before
    extension: bool = False  # "the truce was later extended": a later act of its own on an earlier agreement
    stage: bool = False  # "the second phase on Tuesday": one stage of a multi-stage event (`of`: the whole)
    of: Draft | None = None
    confidence: float | None = None  # the sentence model's probability of this draft's class (None: rules alone)


@dataclass(slots=True)
class SentenceFrame:
    """What the drafts of one sentence were built against, kept so that a later step can draft more events of
    that sentence the way the rule path did (`drafts.draft_from_trigger`)."""

    rng: range  # the sentence's tokens (a headline repeated as the first body line cut off)
    prev_subjects: list[ActorRef]  # the subject pronouns of this sentence refer to
    para_times: list[TimeExpression]  # the dated times of the paragraph's earlier sentences


REPORT_SENTENCES = 2  # a text of at most this many sentences is one report, not an article


@dataclass(slots=True)
class ArticleState:
    """One article being coded: its index, the knowledge, the per-sentence times/places, and the drafts kept so
    far (later sentences read the earlier ones: the article's parties, the events reacted to)."""

    doc: Doc
    lex: Lexicon
    onto: Ontology
    times_by_sent: dict[int, list[TimeExpression]]
    places_by_sent: dict[int, list[PlaceMention]]
    lede_time: TimeExpression | None
    dateline: Place | None
    so_far: list[Draft] = field(default_factory=list)  # the reported drafts, in the article's order
    seen: list[Draft] = field(default_factory=list)  # every draft of the article, background ones included
    implied: dict[int, list[ActorRef]] = field(default_factory=dict)  # speech verb -> the state it accuses
    leaders: list[tuple[int, ActorRef, str]] = field(default_factory=list)  # (sentence start, person, role)
    frames: dict[int, SentenceFrame] = field(default_factory=dict)  # sentence index -> its frame

    @property
    def is_report(self) -> bool:
        """A text of one or two sentences was chosen as an event report (a snippet, a coded sentence), unlike
        an article, whose sentences mostly report nothing."""
        return len(self.doc.ann.sentences) <= REPORT_SENTENCES
