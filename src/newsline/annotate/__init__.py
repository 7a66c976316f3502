"""Stage 3, annotate: Article -> AnnotatedArticle (spaCy + actors, times, places). The interface the coder uses.

Public API
----------
    from newsline.annotate import Annotator, load_nlp, code_actor_on

    annotator = Annotator()                      # loads the spaCy model once per process
    aa = annotator.annotate(article)             # one Article -> AnnotatedArticle
    for aa in annotator.annotate_many(articles, batch_size=64):   # nlp.pipe in batches
        ...

    get_annotator(model=None, actors_files=(), places_files=())   # one shared Annotator per process
    annotate_each(annotator, articles, batch_size)  # per article: AnnotatedArticle or its own exception

    Annotator(nlp=None, actors_files=(), places_files=(), model=None, full_parse=None)
        nlp           a loaded spaCy English pipeline (default: load_nlp(model))
        actors_files  extra actor dictionaries (--actors FILE), merged over data/actors.yaml
        places_files  extra gazetteer files (--places FILE), merged over data/places.yaml
        model         --spacy-model override when nlp is None
        full_parse    True: every sentence through the full pipeline; False: the parse gate (gate.py) sends
                      only the sentences the coder can code (and their context) through the tagger, parser
                      and NER, the rest is tokenized only; None (default): False unless the environment
                      sets NEWSLINE_FULL_PARSE=1

With the gate on, a sentence left unparsed has tokens (empty tag, POS, lemma and dep; `head` itself) and its
sentence bounds (punctuation and line breaks), no entities; its dictionary actors, time expressions and
gazetteer places are still found. `Annotator.sentences_seen` / `sentences_parsed` count the sentences.

What an AnnotatedArticle carries (records.py; every offset is a character offset into `article.text`,
every token range is [start, end) into `tokens`):

* `tokens`    Token(i, text, idx, lemma, pos, tag, dep, head, ent_type, ent_iob, whitespace); `head` is the
              index of the syntactic head (itself for a root). No spaCy objects: annotated articles pickle.
* `sentences` Sentence(start, end, token_start, token_end, paragraph); a newline always ends a sentence;
              `paragraph` is the 0-based line of the article text.
* `entities`  spaCy's named entities (PERSON, ORG, GPE, NORP, DATE, ...).
* `actors`    ActorMention(start, end, text, actor: ActorRef, token_start, token_end, roles), in text order,
              non-overlapping. ActorRef.kind is one of
                state   "Pakistan", "Afghan"                 id "pak", country PAK, sector None
                agent   "Pakistani officials", "the army", capital metonyms ("Islamabad")
                        id "<iso3>-<sector>" ("pak-gov"), or a named organ ("pak-isi", "saf"), or the actor
                        governing the state on the date ("Kabul" after 2021-08-15 -> "afg-taliban")
                        plurals naming several parties ("the delegations", "the presidents") without a
                        modifier: id "gov", country None. Civilians and security forces take the country of
                        their context; armed men with no named group ("gunmen", "attackers") are UAF of the
                        country where they act (PLOVER: unidentified armed actors are coded by location),
                        militants/rebels without a group REB of that country
                group   named non-state groups ("ttp", "afg-taliban", "bla", "rsf", "m23", ...); an ORG name
                        headed by an organisation noun ("the Kenya Rugby Union") not in the dictionary: id
                        "org:<slug>", country of the state in its name; "the union"/"the board" corefer to
                        the last such organisation, else stay unresolved
                igo     "un" (country UNO), "eu" (EUR), "au" (IGO), NGOs (country NGO)
                person  id "person:<slug>"; `person` (canonical name), `role` and country/sector of the office
                        held on the publication date; unknown persons keep their name and the role, country
                        and sector their title gives ("Lt Gen X" -> MIL), the country from the title's
                        possessive/adjectival/appositive modifier ("Mali's junta leader X", "X, Burkina
                        Faso's military ruler" -> GOV, role Junta Leader; "Niger's ousted president X" ->
                        ELI). A PERSON entity next to a weapon or facility noun ("Patriot missiles",
                        "Ofer prison"; actors.yaml weapon_nouns/facility_nouns) is no person
                media   outlets and journalists (sector JRN): attribution, not event actors
              `roles` lists every dated role of a person or group ({role, country, sector, office, start,
              end}); `code_actor_on(mention, date)` recodes the actor for an event's own date. A state's
              government that changed hands ("Kabul", "the Afghan government") carries the periods as roles
              with their own {id, name, kind}: recoded for 2020 it is "afg-gov", for 2022 "afg-taliban".
              Persons are found whatever the transliteration (actors.name_skeleton: "Zabiullah" =
              "Zabihullah", "Yaqub" = "Yaqoob"), by a full name of two or more words.
* `times`     TimeExpression(start, end, text, date_start, date_end, precision, token_start, token_end):
              resolved against `article.published`; None when unresolvable (unknown publication date).
              precision: day | week | month | year | range | duration. See annotate/time.py.
              "the same day", "later in the day" take the day named in the sentence or the two before it
              (else publication day); deadlines ("before the end of August") look forward.
* `places`    PlaceMention(start, end, text, place: Place, token_start, token_end); Place has
              extracted_place, resolved_place (None if not found), country_code (ISO3), province, lat, lon,
              resolution (5 sub-city, 4 city, 3 district, 2 province, 1 country), geonameid. Spellings of
              major cities (places.yaml city_variants: "Odessa", "Kiev", "Zaporozhye") resolve to one
              display name and are found where the NER misses them; a city of 500,000+ people beats a
              small namesake in a context country ("Riyadh" in an article about Sudan).

An article with `error`, empty text, or a language other than English (`article.language`, when the
cleaner set it) yields an AnnotatedArticle with nothing but the article. A text longer than spaCy's
`nlp.max_length` (annotate.nlp.MAX_CHARS, 100,000 characters) is annotated on its first `max_length`
characters (logged).
A country name is both a state actor and a place (resolution 1); a capital after "in/at/near/..." is only
a place; "the Afghan capital" / "Qatar's capital" is the capital city as a place, not a state actor; a
surname of a known person ("Petro") is not a town. Identity: one person or group gets the same actor id in every article whatever the spelling or
title used.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from time import perf_counter

from newsline.annotate.actors import (
    NAMED,
    STATE,
    ActorDictionary,
    ActorMatcher,
    ActorResolver,
    code_actor_on,
    load_dictionary,
)
from newsline.annotate.attributes import use_fast_ruler
from newsline.annotate.gate import Gate, assemble, full_parse_default, model_adds_events
from newsline.annotate.nlp import flatten, load_nlp
from newsline.annotate.places import PlaceResolver, load_gazetteer
from newsline.annotate.time import find_times
from newsline.records import AnnotatedArticle, Article, PlaceMention

log = logging.getLogger(__name__)

__all__ = ["NEWLINE_COMPONENT", "Annotator", "get_annotator", "annotate_each", "load_nlp", "code_actor_on", "ActorDictionary", "find_times"]

NEWLINE_COMPONENT = "newline_sentences"
# the most characters of one nlp.pipe batch (about 300 MB of spaCy's memory at 3 MB per 1,000 characters)
BATCH_CHARS = 100_000


def _register_newline_component() -> None:
    from spacy.attrs import ORTH
    from spacy.language import Language

    if Language.has_factory(NEWLINE_COMPONENT):
        return

    @Language.component(NEWLINE_COMPONENT)
    def newline_sentences(doc):
        """A newline (paragraph boundary of Article.text) always starts a new sentence."""
        # spaCy puts any whitespace other than one space into a token of its own (a token's trailing
        # whitespace is "" or " "): the tokens after those holding a newline start sentences. Looked up per
        # distinct token string, not per token (a Token object per token costs more than the rest of this)
        if len(doc) < 2:
            return doc
        orths = doc.to_array(ORTH).tolist()
        strings = doc.vocab.strings
        newline = {o for o in set(orths[:-1]) if "\n" in strings[o]}
        if newline:
            for i, o in enumerate(orths[:-1]):
                if o in newline:
                    doc[i + 1].is_sent_start = True
        return doc


class Annotator:
    """spaCy plus newsline's actor, time and place resolution. One per process; reuse it."""

    def __init__(self, nlp=None, actors_files: Iterable[str | Path] = (), places_files: Iterable[str | Path] = (),
                 model: str | None = None, full_parse: bool | None = None):
        self.nlp = nlp if nlp is not None else load_nlp(model)
        _register_newline_component()
        if NEWLINE_COMPONENT not in self.nlp.pipe_names and "parser" in self.nlp.pipe_names:
            self.nlp.add_pipe(NEWLINE_COMPONENT, before="parser")
        # the parse gate (gate.py): only the sentences the coder can code, and their context, are parsed
        if full_parse is None:
            full_parse = full_parse_default()
        self.dictionary: ActorDictionary = load_dictionary(tuple(actors_files))
        self.actor_matcher = ActorMatcher(self.nlp, self.dictionary)
        self.actor_resolver = ActorResolver(self.dictionary)
        country_names = {}
        for st in self.dictionary.states.values():
            for n in st.names:
                country_names[n] = st.iso3
        person_parts = set()
        for e in self.dictionary.entries.values():
            if e.kind == "person":
                for alias in e.aliases:  # surnames: the word a later mention uses alone
                    words = alias.split()
                    if len(words) > 1 and words[-1].isalpha() and len(words[-1]) > 2:
                        person_parts.add(words[-1])
        self.places = PlaceResolver(self.nlp, load_gazetteer(tuple(places_files)), country_names, person_parts)
        self.gate: Gate | None = None
        if not full_parse and "parser" in self.nlp.pipe_names and model_adds_events():
            log.info("the sentence model adds events to sentences without a trigger: every sentence is parsed")
            full_parse = True
        if not full_parse and "parser" in self.nlp.pipe_names:
            self.gate = Gate.load(self.nlp, country_names)
            use_fast_ruler(self.nlp)  # the same tag -> POS/morph/lemma rules, a seventh of the time
        self.sentences_seen = 0  # cheap-pass sentences of the annotated articles, and those parsed (gate on)
        self.sentences_parsed = 0

    # ------------------------------------------------------------------ API
    def annotate(self, article: Article) -> AnnotatedArticle:
        return next(self.annotate_many([article]))

    def annotate_many(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[AnnotatedArticle]:
        """Annotate articles in order; spaCy runs with nlp.pipe over the clean bodies in batches of at most
        `batch_size` articles and about BATCH_CHARS characters (a batch ends with the article that reaches
        it): spaCy's memory grows with the characters of a batch, not its articles (16 articles of 52,000
        characters took 2.5 GB more in one batch)."""
        pending: list[Article] = []
        chars = 0
        for art in articles:
            pending.append(art)
            chars += min(len(art.text or ""), self.nlp.max_length)
            if len(pending) >= batch_size or chars >= BATCH_CHARS:
                yield from self._batch(pending, batch_size)
                pending, chars = [], 0
        if pending:
            yield from self._batch(pending, batch_size)

    @staticmethod
    def _annotatable(a: Article) -> bool:
        if a.error or not a.text or not a.text.strip():
            return False
        # the pipeline is English: an article the cleaner found to be in another language is not read
        return not (a.language and a.language.lower() not in {"en", "eng", "english", "und"})

    def _batch(self, arts: list[Article], batch_size: int) -> Iterator[AnnotatedArticle]:
        todo = [a for a in arts if self._annotatable(a)]
        limit = self.nlp.max_length
        for a in todo:
            if len(a.text) > limit:
                log.warning("%s: text of %d characters; only the first %d are annotated", a.id, len(a.text), limit)
        if self.gate is None:
            docs = iter(self.nlp.pipe((a.text[:limit] for a in todo), batch_size=batch_size))
            starts: Iterator[list[int]] = iter(lambda: [], None)
        else:
            docs, starts = self._gated(todo, batch_size)
        for a in arts:
            if not self._annotatable(a):
                yield AnnotatedArticle(article=a)
                continue
            doc = next(docs)
            try:
                yield self.from_doc(a, doc, next(starts))
            except Exception:  # one bad article never stops a run; it keeps its NLP layer
                log.exception("annotation failed for %s; keeping tokens only", a.id)
                tokens, sentences, entities = flatten(doc)
                yield AnnotatedArticle(article=a, tokens=tokens, sentences=sentences, entities=entities)

    def _gated(self, todo: list[Article], batch_size: int) -> tuple[Iterator, Iterator[list[int]]]:
        """The batch's docs with only the gate's sentences through the full pipeline (one nlp.pipe over the
        parsed segments of all its articles), and per doc the sentence starts of the parts not parsed."""
        limit = self.nlp.max_length
        plans = [self.gate.plan(self.nlp.make_doc(a.text[:limit])) for a in todo]
        for p in plans:
            self.sentences_seen += p.sentences
            self.sentences_parsed += p.parsed_sentences
        texts = [t for a, p in zip(todo, plans, strict=True) for t in p.texts(a.text[:limit])]
        parsed = iter(self.nlp.pipe(texts, batch_size=max(batch_size, 64)))
        docs = (assemble(p, parsed, lambda a=a: self.nlp(a.text[:limit])) for a, p in zip(todo, plans, strict=True))
        return docs, (p.starts for p in plans)

    # ------------------------------------------------------------------ one document
    def from_doc(self, article: Article, doc, sent_starts: Sequence[int] = ()) -> AnnotatedArticle:
        """`sent_starts`: token indices that start sentences besides the doc's own (the parts the gate left
        unparsed have no parse to split them)."""
        ents = doc.ents
        # the doc's text is the article text it was made from (spaCy keeps the text verbatim); `Doc.text`
        # would join every token again on each access
        text = article.text[:self.nlp.max_length]
        if not len(doc) or doc[-1].idx + len(doc[-1].text_with_ws) != len(text):  # not that text after all
            text = doc.text
        tokens, sentences, entities = flatten(doc, ents, text, sent_starts)
        published = article.published
        atoms = self.actor_matcher.atoms(doc)
        # "the Afghan capital", "Qatar's capital": a place (the state's capital city), not the state as actor
        capital_places = []
        if atoms:
            keep = []
            for a in atoms:
                k = a.first(STATE)
                j = a.end + (1 if a.end < len(doc) and doc[a.end].text in {"'s", "’s"} else 0)
                if k is not None and k[2] in {"adj", "name", "pname"} and not a.has(NAMED) and j < len(doc) \
                        and doc[j].lower_ == "capital" and (j + 1 >= len(doc) or doc[j + 1].pos_ not in {"NOUN", "PROPN"}):
                    cap = self.places.g.capitals.get(k[1])
                    if cap is not None:
                        s0 = doc[a.start].idx
                        e0 = doc[j].idx + len(doc[j])
                        capital_places.append(PlaceMention(s0, e0, text[s0:e0], cap.place(text[s0:e0]),
                                                           a.start, j + 1))
                        continue
                keep.append(a)
            atoms = keep
        countries: Counter = Counter()
        ambiguous = []
        for a in atoms:
            states = a.all(STATE)
            if len({k[1] for k in states}) > 1:
                ambiguous.append(a)
                continue
            k = states[0] if states else None
            if k is not None:
                countries[k[1]] += 1
            else:
                kn = a.first(NAMED)
                e = self.dictionary.entries.get(kn[1]) if kn else None
                if e is not None and e.country and len(e.country) == 3 and e.kind != "media":
                    countries[e.country] += 1
        # a name shared by two states ("Congo"): the one the article otherwise mentions, else the one the
        # dictionary lists the name for explicitly
        for a in ambiguous:
            a.keys.sort(key=lambda k: (k[0] != STATE, -countries.get(k[1], 0), k[2] == "pname"))
            countries[a.first(STATE)[1]] += 1
        state_spans = {}
        for a in atoms:
            k = a.first(STATE)
            if k is not None and not a.has(NAMED):
                state_spans[(a.start, a.end)] = k[1] if k[2] in {"name", "pname"} else ("" if k[2] == "adj" else None)
        places = self.places.resolve(doc, countries, state_spans, ents)
        if capital_places:
            taken = {i for pm in capital_places for i in range(pm.token_start, pm.token_end)}
            places = sorted([p for p in places if not any(i in taken for i in range(p.token_start, p.token_end))]
                            + capital_places, key=lambda p: p.start)
        # the article's dominant country: the last fallback for the country of an agent (see actors.py)
        weight = Counter(countries)
        for pm in places:
            if pm.place.country_code and (pm.place.resolution or 0) >= 2:
                weight[pm.place.country_code] += 1
        ranked = weight.most_common(2)
        dominant = None
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or (ranked[0][1] - ranked[1][1] >= 2
                                                                   and 4 * ranked[0][1] >= 5 * ranked[1][1])):
            dominant = ranked[0][0]
        # places as country context: provinces and districts, and towns of the dominant country (of any country
        # when no country dominates)
        place_countries: dict[int, str] = {}
        place_tokens: set[int] = set()
        for pm in places:
            if pm.place.resolved_place:
                place_tokens.update(range(pm.token_start, pm.token_end))
            res = pm.place.resolution or 0
            if pm.place.country_code and (res in (2, 3) or (res >= 4 and pm.place.country_code == (dominant or
                                                                                               pm.place.country_code))):
                for i in range(pm.token_start, pm.token_end):
                    place_countries[i] = pm.place.country_code
        sentence_of = [0] * len(doc)
        for si, s in enumerate(sentences):
            for i in range(s.token_start, s.token_end):
                sentence_of[i] = si
        para_of_sentence = [s.paragraph for s in sentences]
        actors = self.actor_resolver.resolve(doc, atoms, published, place_countries, sentence_of,
                                             para_of_sentence, dominant, place_tokens, ents, text)
        # a place inside a person, group, IGO or outlet mention is part of a name, not a location (a capital
        # standing for its government, "visited Kabul", is both: the mention is the place name itself)
        named = bytearray(len(doc) + 1)
        place_spans = {(p.token_start, p.token_end) for p in places}
        for m in actors:
            if m.actor.kind in {"person", "group", "igo", "media"} and not (
                    m.actor.kind == "group" and (m.token_start, m.token_end) in place_spans):
                for i in range(m.token_start, m.token_end):
                    named[i] = 1
        places = [p for p in places if not any(named[p.token_start:p.token_end])]
        token_starts = [t.idx for t in tokens]
        times = find_times(text, published, token_starts, [(s.start, s.end) for s in sentences])
        return AnnotatedArticle(article=article, tokens=tokens, sentences=sentences, entities=entities,
                                actors=actors, times=times, places=places)


_ANNOTATORS: dict[tuple, Annotator] = {}
_ANN_LOCK = threading.Lock()


def get_annotator(model: str | None = None, actors_files: Iterable[str | Path] = (),
                  places_files: Iterable[str | Path] = (), full_parse: bool | None = None) -> Annotator:
    """This process's shared Annotator for these settings (the spaCy model loads once per process: the run's
    workers, `newsline.extract` and the tests all come here). `full_parse` None: NEWSLINE_FULL_PARSE decides."""
    if full_parse is None:
        full_parse = full_parse_default()
    key = (model, tuple(str(f) for f in actors_files), tuple(str(f) for f in places_files), full_parse)
    with _ANN_LOCK:
        ann = _ANNOTATORS.get(key)
        if ann is None:
            started = perf_counter()
            ann = Annotator(model=model, actors_files=key[1], places_files=key[2], full_parse=full_parse)
            _ANNOTATORS[key] = ann
            log.info("annotator ready in process %d (%.1f s)", os.getpid(), perf_counter() - started)
    return ann


def annotate_each(annotator: Annotator, articles: Sequence[Article],
                  batch_size: int = 64) -> Iterator[AnnotatedArticle | Exception]:
    """One result per article, in order: its AnnotatedArticle, or the exception it raised on its own.

    The articles go through nlp.pipe in batches; when a batch breaks (one article can break the whole
    nlp.pipe call), the articles not yet yielded are annotated one by one, so the failure costs its
    article only. Results are yielded as they come, so a caller that codes each one holds one article's
    tokens at a time.
    """
    done = 0
    try:
        for annotated in annotator.annotate_many(articles, batch_size=batch_size):
            done += 1
            yield annotated
    except Exception as exc:
        log.warning("annotating a batch failed (%s: %s); annotating its %d remaining articles one by one",
                    type(exc).__name__, exc, len(articles) - done)
        for article in articles[done:]:
            try:
                yield annotator.annotate(article)
            except Exception as one:
                log.exception("annotate failed on %s", article.id)
                yield one
