"""Features of the learned coder steps, shared by training (`train.py`) and use (`classify.py`, `rolemodel.py`).

Sentence features: TF-IDF over lower-cased word 1-2-grams and character 3-5-grams (within words), so that
inflections and unseen names still share evidence; word 1-2-grams of the text with its named entities replaced
by their kind (`masked_text`: "xgpe forces shelled xgpe", so that what was done to whom generalises past the
names a training sentence happens to hold); and one indicator per event type the rule path drafted in the
sentence (the rules' decision is a feature the model learns to trust or overrule, per type).

The fitted vocabularies and weights are stored as plain arrays (`to_arrays` / `from_arrays`), not pickles, so
a model file is readable with numpy alone and does not depend on scikit-learn's private object layout.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:  # scikit-learn is imported only to fit (training); a worker coding articles never loads it
    from sklearn.feature_extraction.text import TfidfVectorizer

# Event classes of the sentence model: the PLOVER types, with CONCEDE and RETREAT as one class (YIELD), as the
# human-coded training data has them; a second small model splits YIELD (`classify.py`). NONE: no event.
NONE = "NONE"
YIELD = "YIELD"
YIELD_TYPES = ("CONCEDE", "RETREAT")

TOKEN_PATTERN = r"(?u)\b\w+\b"


def model_class(event_type: str) -> str:
    """The sentence model's class of a PLOVER type."""
    return YIELD if event_type in YIELD_TYPES else event_type


TRIGGER = "trigger:"


def rule_signals(drafts, doc=None) -> set[str]:
    """What the rule path says of a sentence, as features: the class of each draft and, given the article's
    index, the lemma of its trigger word ("trigger:sign"), so that the model learns per trigger how far to
    trust the lexicon's type. (The draft's status as a further signal did not pay in cross-validation.)"""
    out = {model_class(dr.event_type) for dr in drafts}
    if doc is not None:
        out |= {TRIGGER + doc.tokens[dr.trigger_i].lemma.lower() for dr in drafts if dr.trigger_i < len(doc.tokens)}
    return out


def rule_vocabulary(classes: list[str], signals: list[set[str]] = (), min_count: int = 2) -> list[str]:
    """The rule features' names: the classes, then the trigger lemmas seen at least `min_count` times."""
    counts: dict[str, int] = {}
    for sig in signals:
        for t in sig:
            if t.startswith(TRIGGER):
                counts[t] = counts.get(t, 0) + 1
    return list(classes) + sorted(t for t, n in counts.items() if n >= min_count)


def _word_vectorizer(**kw) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=TOKEN_PATTERN, dtype=np.float32, **kw)


def _char_vectorizer(**kw) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32, **kw)


# named entities as their kind in `masked_text` (the kinds that name who acts or where; dates, numbers and
# the like stay as written: "two days of fighting" is evidence of the event's kind)
MASK = {"PERSON": "xperson", "ORG": "xorg", "GPE": "xgpe", "NORP": "xnorp", "LOC": "xloc", "FAC": "xfac"}


def masked_text(text: str, entities, offset: int = 0) -> str:
    """`text` with each named entity of a MASK kind replaced by its placeholder. `entities`: records with
    `start`, `end` (character offsets, `offset` being the text's own start) and `label`, in order."""
    parts, last = [], 0
    for e in entities:
        lo, hi = e.start - offset, e.end - offset
        if e.label in MASK and lo >= last and hi <= len(text):
            parts += [text[last:lo], MASK[e.label]]
            last = hi
    return "".join(parts) + text[last:]


class SentenceFeatures:
    """Word + character TF-IDF of a text, word TF-IDF of its masked form (when fitted with one), then the rule
    path's types as indicators (weighted so that one rule type counts about as much as a strong n-gram)."""

    RULE_WEIGHT = 1.0

    def __init__(self, rule_classes: list[str]):
        self.rule_classes = list(rule_classes)
        self._rule_index = {c: k for k, c in enumerate(self.rule_classes)}
        self.word: FittedTfidf | None = None  # set by `fit` or `from_arrays`
        self.char: FittedTfidf | None = None
        self.masked: FittedTfidf | None = None  # word TF-IDF of the masked texts (None: not used)

    def fit(self, texts: list[str], masked: list[str] | None = None) -> SentenceFeatures:
        """Vocabularies and idf by scikit-learn's vectorisers (training only), kept as `FittedTfidf`: fitting and
        coding then compute the features with the same code. `masked`: the texts' `masked_text`, for the
        masked columns."""
        fits = [("word", _word_vectorizer(min_df=2, max_features=60000), texts),
                ("char", _char_vectorizer(min_df=3, max_features=80000), texts)]
        if masked is not None:
            fits.append(("masked", _word_vectorizer(min_df=2, max_features=60000), masked))
        for name, vec, docs in fits:
            vec.fit(docs)
            setattr(self, name, FittedTfidf("char" if name == "char" else "word", vec.vocabulary_, vec.idf_))
        return self

    def rule_matrix(self, rule_types: list[set[str]]) -> sp.csr_matrix:
        rows, cols = [], []
        for r, types in enumerate(rule_types):
            classes = {t if t.startswith(TRIGGER) else model_class(t) for t in types}
            if not any(not t.startswith(TRIGGER) for t in classes):
                classes.add(NONE)
            for c in classes:
                k = self._rule_index.get(c)
                if k is not None:
                    rows.append(r)
                    cols.append(k)
        data = np.full(len(rows), self.RULE_WEIGHT, dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(rule_types), len(self.rule_classes)))

    def text_matrix(self, texts: list[str], masked: list[str] | None = None) -> sp.csr_matrix:
        """The text part alone (word and character TF-IDF, and the masked texts' word TF-IDF): the mode model
        reads the same columns. Without `masked` the texts stand for their masked form (as if they named no
        entity)."""
        blocks = [(self.word, texts), (self.char, texts)]
        if self.masked is not None:
            blocks.append((self.masked, texts if masked is None else masked))
        return _blocks_csr([_rows(vec, docs) for vec, docs in blocks], [len(vec.vocabulary_) for vec, _ in blocks],
                           len(texts))

    def with_rules(self, text_x: sp.csr_matrix, rule_types: list[set[str]]) -> sp.csr_matrix:
        return sp.hstack([text_x, self.rule_matrix(rule_types)]).tocsr()

    def transform(self, texts: list[str], rule_types: list[set[str]], masked: list[str] | None = None
                  ) -> sp.csr_matrix:
        return self.with_rules(self.text_matrix(texts, masked), rule_types)

    def _fitted(self) -> list[tuple[str, FittedTfidf]]:
        named = [("word", self.word), ("char", self.char), ("masked", self.masked)]
        return [(name, vec) for name, vec in named if vec is not None]

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {}
        for name, vec in self._fitted():
            vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
            out[f"{prefix}{name}_vocab"] = pack_strings(vocab)
            out[f"{prefix}{name}_idf"] = vec.idf_.astype(np.float32)
        out[f"{prefix}rule_classes"] = pack_strings(self.rule_classes)
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> SentenceFeatures:
        self = cls(unpack_strings(arrays[f"{prefix}rule_classes"]))
        for name in ("word", "char", "masked"):
            if f"{prefix}{name}_vocab" not in arrays:  # a model without masked columns
                continue
            vocab = unpack_strings(arrays[f"{prefix}{name}_vocab"])
            setattr(self, name, FittedTfidf("char" if name == "char" else "word", {v: k for k, v in enumerate(vocab)},
                                            arrays[f"{prefix}{name}_idf"].astype(np.float64)))
        return self


WORD_TOKEN = re.compile(TOKEN_PATTERN)
SPACES = re.compile(r"\s\s+")


class FittedTfidf:
    """A fitted TF-IDF vocabulary as the shipped model stores it, with its own analyzer: lower-cased word 1-2-grams
    (`kind` "word") or character 3-5-grams inside space-padded words ("char"), the terms in the order
    scikit-learn's analyzers give them (the float32 sums in `_tfidf` follow that order; a test compares the
    matrices with scikit-learn's), so that coding needs no scikit-learn (its import is ~1 s of a worker's start)."""

    def __init__(self, kind: str, vocabulary: dict[str, int], idf: np.ndarray):
        self.kind, self.vocabulary_, self.idf_ = kind, vocabulary, idf
        self.idf32 = idf.astype(np.float32)  # the weights `_tfidf` multiplies in float32
        self._words: dict[str, tuple[int, ...]] = {}  # char kind: each word's in-vocabulary n-grams

    def terms(self, text: str) -> list[int]:
        """Vocabulary indices of the text's terms, in analyzer order (terms outside the vocabulary left out)."""
        vocab = self.vocabulary_
        if self.kind == "word":
            toks = WORD_TOKEN.findall(text.lower())
            grams = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
            return [k for k in map(vocab.get, grams) if k is not None]
        out: list[int] = []
        for word in SPACES.sub(" ", text.lower()).split():
            ks = self._words.get(word)
            if ks is None:
                if len(self._words) >= WORD_CACHE_MAX:
                    self._words.clear()
                ks = tuple(k for k in map(vocab.get, _padded_ngrams(word)) if k is not None)
                self._words[word] = ks
            out.extend(ks)
        return out


def _padded_ngrams(word: str, lo: int = 3, hi: int = 5) -> list[str]:
    """The character n-grams (lengths lo..hi) of a word padded with a space on each side; a padded word no
    longer than n is itself the one n-gram of that length, and no longer n-grams follow."""
    w = f" {word} "
    out: list[str] = []
    for n in range(lo, hi + 1):
        if len(w) <= n:
            out.append(w)
            break
        out += [w[k:k + n] for k in range(len(w) - n + 1)]
    return out


def _tfidf(vec: FittedTfidf | TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """`vec.transform(texts)` for a fitted vectoriser with sublinear tf and l2 norm, without scikit-learn's
    per-call validation (a few milliseconds a call, a fifth of coding time when called per article); the
    same numbers (a test compares them)."""
    return _blocks_csr([_rows(vec, texts)], [len(vec.vocabulary_)], len(texts))


def _rows(vec: FittedTfidf | TfidfVectorizer, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, its terms' vocabulary indices (ascending) and their l2-normalised TF-IDF weights."""
    vocab = vec.vocabulary_
    idf = vec.idf32 if isinstance(vec, FittedTfidf) else vec.idf_.astype(np.float32)
    # a scikit-learn vectoriser only as the tests' reference
    terms = vec.terms if isinstance(vec, FittedTfidf) else None
    analyze = vec.build_analyzer() if terms is None else None
    out = []
    for text in texts:
        # Counter counts in C and keeps the terms' first-seen order, as the dict loop it replaces did (the
        # order of the float32 sums below, so the same numbers to the last bit)
        if terms is not None:
            counts = Counter(terms(text))
        else:
            counts = Counter(map(vocab.get, analyze(text)))
            counts.pop(None, None)  # terms outside the vocabulary
        if not counts:
            out.append((_EMPTY_K, _EMPTY_W))
            continue
        ks = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        w = (np.log(tf) + 1.0) * idf[ks]
        w /= np.sqrt(np.dot(w, w))
        order = np.argsort(ks)
        out.append((ks[order], w[order]))
    return out


_EMPTY_K, _EMPTY_W = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)


def _blocks_csr(blocks: list[list[tuple[np.ndarray, np.ndarray]]], widths: list[int], n: int) -> sp.csr_matrix:
    """One CSR matrix of column blocks laid side by side (each block `_rows` of the same n texts): what
    `sp.hstack` of their matrices gives, built once instead of a matrix per block and a stack."""
    offsets = np.cumsum([0] + widths[:-1])
    indptr, indices, data = [0], [], []
    for r in range(n):
        width = 0
        for rows, off in zip(blocks, offsets, strict=True):
            ks, w = rows[r]
            if len(ks):
                indices.append(ks + off if off else ks)
                data.append(w)
                width += len(ks)
        indptr.append(indptr[-1] + width)
    return sp.csr_matrix((_cat(data, np.float32), _cat(indices, np.int64), np.array(indptr)), shape=(n, sum(widths)))


# words whose character n-grams a `FittedTfidf` keeps (vocabulary indices): a run's sentences repeat their
# words, so most words are looked up once; cleared when it reaches this size (about 400 bytes a word)
WORD_CACHE_MAX = 30_000


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def pack_strings(items: list[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (newline-separated: no vocabulary entry holds a newline), so that the
    model file loads without pickle."""
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def unpack_strings(arr: np.ndarray) -> list[str]:
    text = arr.tobytes().decode("utf-8")
    return text.split("\n") if text else []
