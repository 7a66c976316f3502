"""Stage 4, code: AnnotatedArticle -> list[EventMention] (PLOVER events, merged within the article).

    code_article(annotated) -> list[EventMention]     the per-article function (pure, picklable inputs)
    code_stage(state, ctx)                            the pipeline hook form (fills state.mentions)
    extract(text, published=None) -> list[dict]       Python API: annotate + code one text

The coder reads only records (no spaCy), the lexicon (`data/lexicon.yaml`) and the ontology
(`data/plover.yaml`).
"""

from __future__ import annotations

from typing import Any

from newsline.code.coder import Coder, code_article
from newsline.code.lexicon import Lexicon, lexicon, load_lexicon
from newsline.code.ontology import Ontology, load_ontology, ontology

__all__ = ["Coder", "code_article", "code_stage", "extract", "Lexicon", "lexicon", "load_lexicon", "Ontology",
           "load_ontology", "ontology"]


def code_stage(state: Any, ctx: Any = None) -> None:
    """Pipeline hook: code `state.annotated` into `state.mentions`."""
    if getattr(state, "annotated", None) is not None:
        state.mentions = code_article(state.annotated)


def extract(text: str, published: str | None = None, *, id: str = "text", title: str | None = None) -> list[dict]:
    """Event mentions (as export dicts) of one text. `published` is the ISO publication date that relative
    dates ("on Monday") are resolved against. Loads the spaCy pipeline on first use."""
    from newsline import annotate
    from newsline.records import Article, to_dict

    pub = published[:10] if published else None
    article = Article(id=id, uri="", title=title, published=pub,
                      published_precision="day" if pub and len(pub) >= 10 else None, language="en", text=text)
    return [to_dict(m) for m in code_article(annotate.get_annotator().annotate(article))]
