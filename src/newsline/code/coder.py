"""The event coder: AnnotatedArticle -> list[EventMention] (PLOVER), as a sequence of small components.

Works only on the flat records of `newsline.records` (tokens with dependency heads, sentences, actor,
time and place mentions), so it runs in any process without spaCy. Per article:

1. `candidates.article_state`: index the article (`doc.py`) with its times, places, lede date and dateline;
2. `candidates.candidates`: per sentence, the lexicon's triggers (`triggers.py`: verbs, nouns and multiword
   expressions of `data/lexicon.yaml`; governing triggers absorb their complements, "urged X to release
   prisoners" is one REQUEST), each made a draft by `drafts.build_draft`: roles from the dependency parse and
   the resolved actors (`roles.py`, `parties.py`), status and attribution (`status.py`, `clauses.py`), date
   (`dates.py`), place (`places.py`) and size (`size.py`);
3. `refine_drafts`: the seam where a learned step may drop, retype or add drafts (`drafts.draft_from_trigger`
   builds a draft for any token the way the rule path does); today it keeps the drafts as they are;
4. `merge.merge_drafts`: the mentions of one event within the article become one (a lede and its retelling),
   distinct events stay apart; actorless and out-of-scope drafts are dropped (before it, `size.lend_orphan_tolls`
   gives an agentless toll to the attack just told; after it, `places.share_meeting_places` places an agreement
   where its sides met that day, and such talks where they agreed);
   then `parties.split_joint_actors` makes two sides of a mutual act ("India and Mercosur agreed") source and
   target, before the role model fills what is still empty;
5. `mentions.to_mentions`: drafts -> EventMention records (actors coded on the event's date, contexts);
6. `counterpart.fill_recipients`: in an article, a mention with an actor and no recipient gets the article's
   other side (its most named party not on the actor's side; `parties.complete_dyad` did so for
   dyadic acts while drafting).

Knowledge lives in data: the lexicon and its frames (`data/lexicon.yaml`), the ontology (`data/plover.yaml`),
the type families (`data/type_families.yaml`).
"""

from __future__ import annotations

import logging

from newsline.code.candidates import article_state, candidates
from newsline.code.clauses import out_of_scope
from newsline.code.counterpart import fill_recipients
from newsline.code.dates import span_stages
from newsline.code.draft import ArticleState, Draft
from newsline.code.lexicon import Lexicon, lexicon
from newsline.code.mentions import to_mentions
from newsline.code.merge import merge_drafts
from newsline.code.ontology import Ontology, ontology
from newsline.code.parties import attach_leaders, split_joint_actors
from newsline.code.places import share_meeting_places
from newsline.code.refine import complete_roles, refine
from newsline.code.size import lend_orphan_tolls
from newsline.records import AnnotatedArticle, EventMention

log = logging.getLogger(__name__)


def refine_drafts(cx: ArticleState, drafts: list[Draft]) -> list[Draft]:
    """The learned steps between the rule path's candidates and merging (`refine.py`): the sentence model keeps,
    retypes, drops or adds drafts; the role model fills empty roles. The rules alone when no model ships."""
    return refine(cx, drafts)


class Coder:
    """Codes annotated articles. One instance can be reused across articles (and pickled to workers)."""

    def __init__(self, lex: Lexicon | None = None, onto: Ontology | None = None):
        self.lex = lex or lexicon()
        self.onto = onto or ontology()

    def code(self, ann: AnnotatedArticle) -> list[EventMention]:
        if ann.article.error or not ann.tokens or not ann.sentences:
            return []
        cx = article_state(ann, self.lex, self.onto)
        drafts = candidates(cx)
        drafts = refine_drafts(cx, drafts)
        lend_orphan_tolls(drafts)
        merged = [dr for dr in merge_drafts(cx, drafts) if not out_of_scope(cx.lex, cx.doc, dr)]
        for dr in merged:
            if dr.actor and not dr.recipient:
                split_joint_actors(dr)  # before the role model fills what is still empty
        complete_roles(cx, merged)
        span_stages(merged)
        share_meeting_places(merged, cx.dateline)
        attach_leaders(merged, cx.leaders)
        mentions = to_mentions(cx, ann, merged)
        if not cx.is_report:
            fill_recipients(mentions)
        return mentions


_DEFAULT: Coder | None = None


def code_article(ann: AnnotatedArticle) -> list[EventMention]:
    """Per-article stage: the event mentions of one annotated article."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Coder()
    try:
        return _DEFAULT.code(ann)
    except Exception:  # a coder bug must cost one article, not the run
        log.exception("coding %s failed", ann.article.id)
        return []
