"""The parse gate: which sentences of an article need spaCy's tagger, parser and NER (issue 17).

Most sentences of a news article carry no event the coder could code, and spaCy's statistical components cost
about 97 % of spaCy's time (the tokenizer the rest). The coder drafts events only at words of its lexicon (and a
few combinations: `data/gate.yaml`), so a first pass over the tokenizer's output finds the sentences holding an
inflected form of such a word (with the complement or particle its lexicon entry asks for); those, the first
two sentences (headline, lede: the article's date and dateline place), and the sentence before one whose
pronoun or opening event noun takes its subject are parsed; every other sentence keeps its tokens and sentence
bounds only (no tags, lemmas, parse or entities). The dictionary actors, time expressions and gazetteer places
need no parse and are still found there.

    gate = Gate.load(nlp)                     # once per process (builds the inflected forms)
    plan = gate.plan(nlp.make_doc(text))      # Plan: segments of the text, each parsed or not
    plan.share                                # share of the sentences parsed

A segment is a run of whole cheap-pass sentences (spaCy's `Sentencizer` rule and line breaks), cut at the first
token of a sentence, so the segments' texts laid end to end are the text and spaCy tokenizes each as it
tokenized the whole. `Annotator` pipes the parsed segments of a batch through the full pipeline and copies
their annotation onto the tokenized article (`assemble`): token offsets are offsets into the article.

Off when NEWSLINE_FULL_PARSE=1 or `full_parse=True` (`newsline run --full-parse`): every sentence parsed; off
too when the coder's sentence model may add events to sentences without a trigger (`model_adds_events`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache

from newsline.knowledge import data_path, load_yaml

log = logging.getLogger(__name__)

FULL_PARSE_ENV = "NEWSLINE_FULL_PARSE"


def full_parse_default() -> bool:
    """The gate is off when NEWSLINE_FULL_PARSE is set to anything but "", "0" or "false"."""
    return os.environ.get(FULL_PARSE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def model_adds_events() -> bool:
    """Does the coder's sentence model add events to article sentences where the rules drafted none? Then a
    sentence without the coder's words may still carry an event, and the gate cannot be used."""
    from newsline.code.classify import sentence_model

    model = sentence_model()
    return model is not None and model.article_thresholds.add <= 1.0


@dataclass(slots=True)
class Plan:
    """One article's segments: (first token, end token, parsed?) over the tokenized-only doc, in order, covering
    it; `starts` are the cheap pass's sentence starts (token indices) inside the segments not parsed."""

    doc: object  # the tokenized-only spaCy Doc
    segments: list[tuple[int, int, bool]]
    starts: list[int] = field(default_factory=list)
    sentences: int = 0
    parsed_sentences: int = 0

    @property
    def share(self) -> float:
        return self.parsed_sentences / self.sentences if self.sentences else 0.0

    def texts(self, text: str) -> list[str]:
        """The texts of the parsed segments (`text` is the doc's text)."""
        return [text[self._char(a):self._char(b)] for a, b, parsed in self.segments if parsed]

    def _char(self, k: int) -> int:
        doc = self.doc
        return doc[k].idx if k < len(doc) else len(doc.text)


def inflections(word: str, pos: str = "any") -> set[str]:
    """Regular inflected forms of an English word as a noun ("noun": plurals), a verb ("verb") or either
    ("any"); adjectives are matched as they are. Over-generated: a form that is no word costs nothing."""
    w = word.lower()
    out = {w}
    if pos == "adj":
        return out
    out |= {w + "s", w + "es"}
    if w.endswith("y"):
        out.add(w[:-1] + "ies")
    if pos == "noun":
        return out
    out |= {w + "ed", w + "d", w + "ing"}
    if w.endswith("y"):
        out.add(w[:-1] + "ied")
    if w.endswith("e"):
        out.add(w[:-1] + "ing")
    if w.endswith("ie"):
        out.add(w[:-2] + "ying")
    if len(w) > 2 and w[-1] not in "aeiouwxy":  # doubled final consonant: "stopped", "shelling"
        out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return out


class Forms:
    """Surface forms (lower case) of lemmas: the regular inflections and the irregular ones of spaCy's own
    lemmatizer tables ("fought", "held", "met", "men")."""

    def __init__(self, nlp):
        self.irregular: dict[tuple[str, str], set[str]] = {}
        for pos, table in _lemma_exceptions(nlp).items():
            for form, lemmas in table.items():
                for lemma in lemmas:
                    self.irregular.setdefault((lemma, pos), set()).add(form)

    def of(self, lemma: str, pos: str = "any") -> set[str]:
        out = inflections(lemma, pos)
        for p in (("verb", "noun") if pos == "any" else (pos,)):
            out |= self.irregular.get((lemma.lower(), p), set())
        return out

    def of_all(self, lemmas, pos: str = "any") -> frozenset[str]:
        out: set[str] = set()
        for w in lemmas:
            out |= self.of(w, pos)
        return frozenset(out)


def _lemma_exceptions(nlp) -> dict[str, dict[str, list[str]]]:
    """pos -> form -> lemmas from the rule lemmatizer's exception table (empty when the pipeline has none)."""
    # component_names: the stock lemmatizer is disabled where the fast one runs in its place (attributes.py),
    # and its tables are still the model's
    if "lemmatizer" not in nlp.component_names:
        return {}
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    except (KeyError, ValueError, AttributeError):
        return {}
    return {pos: dict(table.get(pos) or {}) for pos in ("verb", "noun", "adj")}


def _with_hyphenated(lower: list[str], a: int, b: int) -> set[str]:
    """The words of tokens [a, b), with the hyphenated words the tokenizer split ("cease", "-", "fire" is also
    "cease-fire", as the coder reads it)."""
    words = set(lower[a:b])
    words.update(f"{lower[k - 1]}-{lower[k + 1]}" for k in range(a + 1, b - 1) if lower[k] == "-")
    return words


@lru_cache(maxsize=1)
def gate_config() -> dict:
    return load_yaml(data_path("gate.yaml")) or {}


@dataclass(frozen=True, slots=True)
class Need:
    """One way a sentence can need the parse: a word of `head` and, for each of `also`, one of its words."""

    head: frozenset[str]
    also: tuple[frozenset[str], ...] = ()
    nominal: bool = False  # an event noun of the lexicon


def coder_needs(forms: Forms, states: frozenset[str] = frozenset()) -> list[Need]:
    """What the coder's rules need in a sentence to draft an event: each trigger entry of the lexicon (its head
    word, a complement and a particle where the entry asks for them, the other words of a phrase) and the
    combinations of `data/gate.yaml` ("@states" there: `states`, the words of the country names)."""
    from newsline.code.lexicon import lexicon

    lex = lexicon()
    needs: set[Need] = set()
    for (head, pos), entries in lex.entries.items():
        # the coder also tries the word as written, and a verb's -d/-ed stem where the lemmatizer slips
        head_forms = forms.of_all([head], pos)
        for e in entries:
            also = [forms.of_all([w], "noun") for w in e.words if w != head]
            if e.comps:
                also.append(forms.of_all(e.comps))
            if e.preps:
                also.append(forms.of_all(e.preps))
            needs.add(Need(head_forms, tuple(also), pos == "noun"))

    def words(item: str) -> frozenset[str]:
        out: set[str] = set()
        for alt in str(item).split("|"):
            if alt == "@states":
                out |= states
            else:
                out |= forms.of_all(lex.frames[alt]) if alt in lex.frames else forms.of(alt)
        return frozenset(out)

    for line in gate_config().get("together") or []:
        items = [words(x) for x in line]
        needs.add(Need(items[0], tuple(items[1:])))
    return list(needs)


class Needs:
    """The needs indexed by their head words: `met(words)` says whether a sentence of these (lower-case) words
    meets one."""

    def __init__(self, needs: list[Need]):
        self.by_word: dict[str, list[Need]] = {}
        for n in needs:
            for w in n.head:
                self.by_word.setdefault(w, []).append(n)

    def met(self, words: set[str]) -> bool:
        return any(self.met_by(w, words) for w in words)

    def met_by(self, word: str, words: set[str], nominal: bool = False) -> bool:
        """Does `word` meet a need (of an event noun, with `nominal`) in a sentence of `words`?"""
        return any(all(not words.isdisjoint(a) for a in n.also) for n in self.by_word.get(word, ())
                   if n.nominal or not nominal)


class Gate:
    """Decides, per cheap-pass sentence, whether it goes through the full pipeline. Works on the token arrays
    of the tokenized doc (no Token objects: they would cost as much as the rest of the pass)."""

    def __init__(self, needs: Needs, lede: int = 2, before: int = 1, whole_up_to: int = 3,
                 context_words: frozenset[str] = frozenset()):
        from spacy.pipeline import Sentencizer

        self.needs = needs
        self.lede = lede
        self.before = before
        self.context_words = context_words
        self.whole_up_to = whole_up_to
        self.punct = frozenset(Sentencizer.default_punct_chars)
        self._lower: dict[int, str] = {}  # LOWER hash -> string, across documents

    @classmethod
    def load(cls, nlp, state_names=()) -> Gate:
        """`state_names`: the actor dictionary's names of states ("Pakistan", "Burkina Faso", "Afghan")."""
        cfg = gate_config()
        states = frozenset(w.lower() for name in state_names for w in str(name).split())
        return cls(Needs(coder_needs(Forms(nlp), states)), int(cfg.get("lede_sentences", 2)),
                   int(cfg.get("context_before", 1)), int(cfg.get("whole_up_to", 3)),
                   frozenset(str(w).lower() for w in cfg.get("context_words") or []))

    def _columns(self, doc) -> tuple[list[str], list[int], list[int], list[int]]:
        """Lower-case text, trailing space, punctuation and space flags of each token."""
        from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, SPACY

        arr = doc.to_array([LOWER, SPACY, IS_PUNCT, IS_SPACE])
        cache, strings = self._lower, doc.vocab.strings
        lower = []
        for h in arr[:, 0].tolist():
            w = cache.get(h)
            if w is None:
                w = cache[h] = strings[h]
            lower.append(w)
        return lower, arr[:, 1].tolist(), arr[:, 2].tolist(), arr[:, 3].tolist()

    def sentence_starts(self, doc, columns=None) -> list[int]:
        """Token indices where the cheap pass starts sentences: after sentence-final punctuation (spaCy's
        `Sentencizer` rule: the first token after it that is no punctuation) and at the first token after a
        line break (a newline always ends a sentence, as in the full pipeline)."""
        lower, space, punct, is_space = columns or self._columns(doc)
        n = len(lower)
        starts = {0}
        seen_period = after_break = False
        for k, w in enumerate(lower):
            if after_break and not is_space[k]:
                starts.add(k)
                after_break = seen_period = False
            elif seen_period and not punct[k] and w not in self.punct:
                starts.add(k)
                seen_period = False
            elif w in self.punct:
                seen_period = True
            if is_space[k] and "\n" in w:
                after_break = True
        # a sentence starts at its first word: line breaks and runs of spaces stay with the sentence before;
        # the rule leaves the opening quote of a sentence at the end of the one before ('said. "We')
        out = set()
        for k in starts:
            if 1 < k < n and _opening_quote(lower, space, is_space, k - 1):
                k -= 1
            while 0 < k < n and is_space[k]:
                k += 1
            if k < n:
                out.add(k)
        return sorted(out | {0})

    def _noun_subject(self, lower: list[str], bounds: tuple[int, int], words: set[str]) -> bool:
        """Does the sentence open with an event noun ("Fighting continued", "The talks resumed")? Told without
        an actor of its own, the event takes the parties of the sentences before."""
        a, b = bounds
        first = [w for w in lower[a:min(b, a + 3)] if w.isalpha()]
        if first and first[0] in ("the", "a", "an", "but", "and"):
            first = first[1:]
        return bool(first) and self.needs.met_by(first[0], words, nominal=True)

    def plan(self, doc) -> Plan:
        if not len(doc):
            return Plan(doc, [], [], 0, 0)
        columns = self._columns(doc)
        lower = columns[0]
        starts = self.sentence_starts(doc, columns)
        n = len(starts)
        bounds = list(zip(starts, starts[1:] + [len(doc)], strict=True))
        if n <= self.whole_up_to:
            keep = [True] * n
        else:
            words = [_with_hyphenated(lower, a, b) for a, b in bounds]
            hit = [self.needs.met(w) for w in words]
            keep = list(hit)
            for k, h in enumerate(hit):
                if h and (not words[k].isdisjoint(self.context_words) or
                          self._noun_subject(lower, bounds[k], words[k])):
                    for j in range(max(0, k - self.before), k):
                        keep[j] = True
            for k in range(min(self.lede, n)):
                keep[k] = True
        segments: list[tuple[int, int, bool]] = []
        for (a, b), p in zip(bounds, keep, strict=True):
            if segments and segments[-1][2] == p:
                segments[-1] = (segments[-1][0], b, p)
            else:
                segments.append((a, b, p))
        loose = [s for (s, _), p in zip(bounds, keep, strict=True) if not p]
        return Plan(doc, segments, loose, n, sum(keep))


def _annotation_attrs() -> list[int]:
    from spacy.attrs import DEP, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

    return [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, ENT_KB_ID]


def assemble(plan: Plan, parsed, whole):
    """The article's Doc: the tokenized doc of the plan with the annotation of its parsed segments, taken in
    order from the iterator `parsed` (the full pipeline's docs of `plan.texts`), copied onto their tokens
    (token and character offsets stay the article's; a head is stored relative to its token, so the
    segment's parse carries over as it is). `whole()` parses the whole text instead, should a segment ever be
    tokenized apart from the whole."""
    import numpy as np

    doc = plan.doc
    if len(plan.segments) == 1 and plan.segments[0][2]:
        return next(parsed)
    attrs = _annotation_attrs()
    arr = np.zeros((len(doc), len(attrs)), dtype="uint64")
    ok = True
    for a, b, p in plan.segments:
        if p:
            piece = next(parsed)
            if len(piece) != b - a:
                ok = False
            elif ok:
                arr[a:b] = piece.to_array(attrs)
    if not ok:
        log.warning("a parsed segment was tokenized apart from its article; parsing the article whole")
        return whole()
    return doc.from_array(attrs, arr)


def _opening_quote(lower: list[str], space: list[int], is_space: list[int], k: int) -> bool:
    """Token k is a quotation mark that opens what follows: a curly opening quote, or a straight one after a
    space and joined to the next word."""
    w = lower[k]
    if w in ("“", "‘"):
        return True
    return w in ('"', "'") and not space[k] and bool(space[k - 1]) and not is_space[k - 1]
