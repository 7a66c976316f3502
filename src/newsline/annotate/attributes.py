"""spaCy's attribute ruler (tag -> POS, morphology, lemma exceptions) and lemmatizer, the same rules applied faster.

The stock `attribute_ruler` runs a `Matcher` of its 179 patterns over every token and builds a `Span` per
match: about 15 % of the small English pipeline's time, as much as its parser. Its patterns only look at
one token's TAG, LOWER, DEP and IS_SPACE (and, for seven two-token patterns, the next token's), so what
applies to a token is a function of those four values: computed once per distinct combination (cached),
then set with spaCy's own `set_token_attrs`, in the ruler's order (later patterns win), as the stock
component does. `tests/test_gate.py` checks the result is the stock ruler's, attribute for attribute.

`FastLemmatizer` does the same for the rule lemmatizer that follows (per distinct ORTH, POS, MORPH).

The parse gate's pipeline uses them (`Annotator` with the gate on); NEWSLINE_FULL_PARSE=1 keeps the stock
pipeline whole.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger(__name__)

COMPONENT = "newsline_attribute_ruler"
LEMMATIZER = "newsline_lemmatizer"
FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _spec_ok(spec: dict[str, Any], values: dict[str, Any]) -> bool:
    """Does one token's pattern spec hold for a token of these feature values?"""
    for attr, want in spec.items():
        if attr not in values:
            raise KeyError(attr)
        have = values[attr]
        if isinstance(want, dict):
            for op, arg in want.items():
                if op == "IN":
                    ok = have in arg
                elif op == "NOT_IN":
                    ok = have not in arg
                elif op == "REGEX":
                    ok = isinstance(have, str) and re.search(arg, have) is not None
                else:
                    raise KeyError(op)
                if not ok:
                    return False
        elif have != want:
            return False
    return True


class FastAttributeRuler:
    """The rules of a stock `AttributeRuler`, applied per distinct (TAG, LOWER, DEP, IS_SPACE)."""

    def __init__(self, ruler):
        self.ruler = ruler
        self.single: list[tuple[int, dict]] = []  # (pattern id, spec)
        self.multi: list[tuple[int, list[dict]]] = []  # (pattern id, specs) of the two-token patterns
        for attr_id, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                if not all(set(spec) <= set(FEATURES) for spec in pattern) or len(pattern) > 2:
                    raise ValueError(f"attribute ruler pattern the fast ruler cannot read: {pattern}")
                if len(pattern) == 1:
                    self.single.append((attr_id, pattern[0]))
                else:
                    self.multi.append((attr_id, pattern))
        self._cache: dict[tuple, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def _rules(self, key: tuple, strings) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(the single-token patterns that hold, the two-token patterns whose first token holds) for a token."""
        got = self._cache.get(key)
        if got is None:
            tag, lower, dep, space = key
            values = {"TAG": strings[tag] if tag else "", "LOWER": strings[lower], "DEP": strings[dep] if dep else "",
                      "IS_SPACE": bool(space)}
            single = tuple(sorted({a for a, spec in self.single if _spec_ok(spec, values)}))
            first = tuple(n for n, (_a, specs) in enumerate(self.multi) if _spec_ok(specs[0], values))
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            got = self._cache[key] = (single, first)
        return got

    def __call__(self, doc):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        keys = [tuple(r) for r in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        rules = [self._rules(k, strings) for k in keys]
        todo: list[tuple[int, int]] = []  # (pattern id, token) in the ruler's order
        for i, (single, first) in enumerate(rules):
            todo += [(a, i) for a in single]
            for n in first:
                attr_id, specs = self.multi[n]
                if i + 1 < len(doc):
                    tag, lower, dep, space = keys[i + 1]
                    values = {"TAG": strings[tag] if tag else "", "LOWER": strings[lower],
                              "DEP": strings[dep] if dep else "", "IS_SPACE": bool(space)}
                    if _spec_ok(specs[1], values):
                        todo.append((attr_id, i + self.ruler.indices[attr_id] % 2))
        todo.sort()
        attrs = self.ruler.attrs
        for attr_id, i in todo:
            set_token_attrs(doc[i], attrs[attr_id])
        return doc


class FastLemmatizer:
    """A stock rule `Lemmatizer`, called once per distinct (ORTH, POS, MORPH) of a doc's tokens without a lemma.

    The stock component makes a Token per token and, for the many tokens it answers without its rules (a
    singular noun, a verb in its base form), reads the token's morphology anew each time: about 5 % of a gated
    worker's time. What it gives a token is a function of those three values, so the first answer for a
    combination is kept and the lemmas are written back with `Doc.from_array` in one call. Tokens whose lemma
    the attribute ruler set keep it, as in the stock component (which does not overwrite)."""

    def __init__(self, lemmatizer):
        if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
            raise ValueError("the fast lemmatizer reads rule lemmatizers that do not overwrite")
        self.lemmatizer = lemmatizer
        self._cache: dict[tuple[int, int, int], int] = {}
        _index_as_sets(lemmatizer)

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = np.flatnonzero(arr[:, 3] == 0)
        if not len(todo):
            return doc
        cache, strings, lemmatize = self._cache, doc.vocab.strings, self.lemmatizer.lemmatize
        lemmas = arr[:, 3]
        for i, key in zip(todo.tolist(), map(tuple, arr[todo, :3].tolist()), strict=True):
            h = cache.get(key)
            if h is None:
                if len(cache) >= CACHE_MAX:
                    cache.clear()
                h = cache[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i] = h
        doc.from_array([LEMMA], lemmas)
        return doc


def _index_as_sets(lemmatizer) -> None:
    """The rule lemmatizer's word index per POS as sets, not the lists it loads: its rules only ask whether a
    form is in the index, and a list answers that by reading up to 57,000 words (about 0.4 ms for each word the
    lemmatizer has not cached yet, a few thousand per worker). The same answers, so the same lemmas."""
    try:
        table = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, ValueError, AttributeError):
        return
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


# distinct keys kept by the fast ruler and lemmatizer (about 300 bytes each): a worker's vocabulary grows with
# the corpus, a cache is emptied when it reaches this size
CACHE_MAX = 50_000


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=lambda nlp, name: FastAttributeRuler(nlp.get_pipe("attribute_ruler")))
    if not Language.has_factory(LEMMATIZER):
        Language.factory(LEMMATIZER, func=lambda nlp, name: FastLemmatizer(nlp.get_pipe("lemmatizer")))


def use_fast_ruler(nlp) -> bool:
    """Run the fast ruler in place of the pipeline's `attribute_ruler` (right after it, the stock one disabled:
    `nlp.enable_pipe("attribute_ruler")` and `nlp.remove_pipe(COMPONENT)` undo it), and the fast lemmatizer in
    place of a rule `lemmatizer` likewise (LEMMATIZER); False when the pipeline has no attribute ruler or one
    whose patterns the fast ruler cannot read."""
    if COMPONENT in nlp.pipe_names:
        return True
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    _register()
    try:
        nlp.add_pipe(COMPONENT, after="attribute_ruler")
    except ValueError as exc:
        log.info("stock attribute ruler kept: %s", exc)
        return False
    nlp.disable_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and LEMMATIZER not in nlp.pipe_names:
        try:
            nlp.add_pipe(LEMMATIZER, after="lemmatizer")
        except ValueError as exc:
            log.info("stock lemmatizer kept: %s", exc)
        else:
            nlp.disable_pipe("lemmatizer")
    return True
