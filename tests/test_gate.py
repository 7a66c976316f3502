"""The parse gate (annotate/gate.py): which sentences go through the full spaCy pipeline, and an article
annotated with only those parsed keeps the record contract (offsets into the text, sentences, coded events)."""

from __future__ import annotations

import pytest

from newsline.annotate import Annotator, get_annotator
from newsline.annotate.gate import FULL_PARSE_ENV, full_parse_default, inflections
from newsline.annotate.nlp import load_nlp
from newsline.code import code_article, extract
from newsline.records import Article

# an article of our own: a headline, a lede with an event, market chrome and statistics, then an event told
# with a pronoun whose subject is in the sentence before
ARTICLE = (
    "Border talks resume in Doha\n"
    "DOHA, March 4 - Pakistan and Afghanistan held talks in Doha on Monday, officials said.\n"
    "The benchmark index of the Karachi exchange ended 0.4 percent higher at 78,000 points.\n"
    "The rupee was little changed at 278 to the dollar.\n"
    "Inflation eased to 6.1 percent in February, the statistics bureau said.\n"
    "The Pakistani army said on Tuesday that its troops had come under fire near the border. "
    "It accused Afghan forces of shelling three villages in Kurram.\n"
    "Average rainfall in the region was below the seasonal norm.\n"
)


@pytest.fixture(scope="module")
def gated():
    return Annotator(nlp=load_nlp(), full_parse=False)


@pytest.fixture(scope="module")
def full():
    return Annotator(nlp=load_nlp(), full_parse=True)


def _sentence_texts(plan, text):
    """(sentence text, parsed?) for the cheap pass's sentences."""
    doc = plan.doc
    out = []
    for a, b, parsed in plan.segments:
        starts = [a] + [k for k in plan.starts if a < k < b] if not parsed else [a]
        ends = starts[1:] + [b]
        for s, e in zip(starts, ends, strict=True):
            out.append((doc[s:e].text.strip(), parsed))
    return out


def test_event_sentences_are_parsed_and_chrome_and_statistics_are_not(gated):
    nlp = gated.nlp
    plan = gated.gate.plan(nlp.make_doc(ARTICLE))
    parsed = {}
    for a, b, p in plan.segments:
        for line in nlp.make_doc(ARTICLE)[a:b].text.splitlines():
            if line.strip():
                parsed[line.strip()[:20]] = p
    assert parsed["Border talks resume "]  # the headline (lede sentences are always parsed)
    assert parsed["DOHA, March 4 - Paki"]
    assert not parsed["The benchmark index "]
    assert not parsed["The rupee was little"]
    assert not parsed["Inflation eased to 6"]
    assert not parsed["Average rainfall in "]
    # "accused ... of shelling": parsed, and the sentence before it too ("It" is its subject)
    assert parsed["The Pakistani army s"]
    assert plan.sentences == 8 and plan.parsed_sentences == 4
    assert plan.share == pytest.approx(0.5)


def test_a_sentence_without_a_pronoun_does_not_pull_in_the_one_before(gated):
    text = ("Talks opened in Doha.\nMarkets were calm.\nThe rupee was little changed.\nPrices of bread rose.\n"
            "Afghan forces shelled three villages in Kurram on Monday.\n")
    plan = gated.gate.plan(gated.nlp.make_doc(text))
    assert [p for _, _, p in plan.segments] == [True, False, True]
    assert plan.parsed_sentences == 3  # the two lede sentences and the shelling


def test_a_short_text_is_parsed_whole(gated):
    plan = gated.gate.plan(gated.nlp.make_doc("Prices rose. Markets were calm."))
    assert [p for _, _, p in plan.segments] == [True]


def test_inflected_and_irregular_forms_reach_the_gate(gated):
    assert {"shelled", "shelling", "shells"} <= inflections("shell", "verb")
    assert "talks" in inflections("talk", "noun") and "talked" not in inflections("talk", "noun")
    # a second annotator on the same pipeline, whose stock lemmatizer the first one disabled, reads the
    # irregular forms ("fought") from it all the same
    again = Annotator(nlp=gated.nlp, full_parse=False)
    for ann in (gated, again):
        for sentence in ("Rebels fought government troops near the town.", "The ministers met in Geneva.",
                         "Gunmen seized the police station."):
            doc = ann.nlp.make_doc(sentence)
            assert ann.gate.needs.met({t.lower_ for t in doc}), sentence
    assert not gated.gate.needs.met({t.lower_ for t in gated.nlp.make_doc("The rupee was little changed.")})


def test_offsets_of_a_partly_parsed_article_point_into_its_text(gated):
    art = Article(id="a", uri="a", text=ARTICLE, published="2024-03-06")
    aa = gated.annotate(art)
    assert gated.sentences_parsed < gated.sentences_seen
    assert [t.idx for t in aa.tokens] == sorted(t.idx for t in aa.tokens)
    for t in aa.tokens:
        assert ARTICLE[t.idx:t.idx + len(t.text)] == t.text
        assert 0 <= t.head < len(aa.tokens)
    for s in aa.sentences:
        assert aa.tokens[s.token_start].idx == s.start
        assert ARTICLE[s.start:s.end].strip() == ARTICLE[s.start:s.end]
    lines = [line for line in ARTICLE.splitlines() if line]
    assert len(aa.sentences) == len(lines) + 1  # the army's paragraph holds two sentences
    for coll in (aa.actors, aa.times, aa.places, aa.entities):
        for m in coll:
            assert ARTICLE[m.start:m.end] == m.text
    # the sentences not parsed keep their tokens and their dictionary actors and times, not a parse
    rupee = next(s for s in aa.sentences if ARTICLE[s.start:].startswith("The rupee"))
    assert all(t.dep == "" and t.head == t.i for t in aa.tokens[rupee.token_start:rupee.token_end])
    feb = next(t for t in aa.times if t.text.endswith("February"))
    assert feb.date_start == "2024-02-01"
    mentions = code_article(aa)
    assert {m.event_type for m in mentions} >= {"CONSULT", "ACCUSE"}
    for m in mentions:
        for ev in m.evidence:
            assert ARTICLE[ev.start:ev.end] == ev.sentence


def test_the_gate_codes_what_the_full_parse_codes(gated, full):
    art = Article(id="a", uri="a", text=ARTICLE, published="2024-03-06")
    got = code_article(gated.annotate(art))
    want = code_article(full.annotate(art))

    def key(m):
        return (m.event_type, [e.start for e in m.evidence], sorted(r.id or r.text for r in m.actor),
                sorted(r.id or r.text for r in m.recipient), m.date)
    assert [key(m) for m in got] == [key(m) for m in want]


def test_the_switch_gives_the_full_parse(monkeypatch, full):
    monkeypatch.setenv(FULL_PARSE_ENV, "1")
    assert full_parse_default()
    assert get_annotator().gate is None
    monkeypatch.setenv(FULL_PARSE_ENV, "0")
    assert not full_parse_default() and get_annotator().gate is not None
    assert full.gate is None
    aa = full.annotate(Article(id="a", uri="a", text=ARTICLE, published="2024-03-06"))
    # every sentence parsed: each has a root and tagged words
    for s in aa.sentences:
        toks = aa.tokens[s.token_start:s.token_end]
        assert any(t.dep == "ROOT" for t in toks) and all(t.pos for t in toks)
    assert full.sentences_seen == 0


def test_extract_gives_the_same_events_with_and_without_the_gate(monkeypatch):
    monkeypatch.setenv(FULL_PARSE_ENV, "0")
    gated = extract(ARTICLE, "2024-03-06")
    monkeypatch.setenv(FULL_PARSE_ENV, "1")
    full = extract(ARTICLE, "2024-03-06")
    assert gated and [(m["event_type"], m["evidence"]) for m in gated] == \
        [(m["event_type"], m["evidence"]) for m in full]
    assert set(gated[0]) == set(full[0])


def _stock_and_fast(text: str, stock_name: str, fast_class, attrs: list[int], before=()):
    """`text` tagged and parsed, then `before` (stock components) applied, then two copies: one through the
    stock component `stock_name`, one through `fast_class` of it; the two copies' `attrs` arrays, and a third
    copy through the same fast instance again (its cache warm)."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    stock = nlp.get_pipe(stock_name)
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in ("tok2vec", "tagger", "parser")]):
        doc = nlp(text)
    for name in before:
        doc = nlp.get_pipe(name)(doc)
    a, b, c = (Doc(nlp.vocab).from_bytes(doc.to_bytes()) for _ in range(3))
    fast = fast_class(stock)
    stock(a)
    fast(b)
    fast(c)
    return a.to_array(attrs), b.to_array(attrs), c.to_array(attrs), b


def test_the_fast_attribute_ruler_sets_what_the_stock_one_sets():
    import numpy as np
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from newsline.annotate.attributes import FastAttributeRuler

    text = (ARTICLE + "It isn't over, they're gonna say. Let's go: y'all ain't seen nothin' yet! There are "
            "two sides.  He did it. I told you that I'd have done it whether or not it rained.\n")
    stock, fast, again, b = _stock_and_fast(text, "attribute_ruler", FastAttributeRuler, [TAG, POS, MORPH, LEMMA, DEP])
    assert np.array_equal(stock, fast) and np.array_equal(stock, again)
    assert {t.lemma_ for t in b if t.lower_ in ("is", "'re", "ai")} == {"be"}


def test_the_fast_lemmatizer_sets_what_the_stock_one_sets():
    import numpy as np
    from spacy.attrs import LEMMA, MORPH, POS, TAG

    from newsline.annotate.attributes import FastLemmatizer

    # inflections, irregular forms, proper nouns, numbers, whitespace tokens, a word twice with two tags
    text = (ARTICLE + "The mice were running; geese flew over the burnt-out villages.  Ministers met, meeting "
            "again on 3rd May. Better talks, the best outcome: the fighters' leaders fought on.\n\nThey'd left.\n")
    stock, fast, again, b = _stock_and_fast(text, "lemmatizer", FastLemmatizer, [LEMMA, TAG, POS, MORPH],
                                            before=["attribute_ruler"])
    assert np.array_equal(stock, fast)
    assert np.array_equal(stock, again)  # every combination cached
    assert {t.lemma_ for t in b if t.lower_ in ("were", "is")} == {"be"}  # the ruler's lemma is kept


def test_the_gated_pipeline_runs_the_fast_components_with_the_stock_pipelines_result(gated):
    import numpy as np
    import spacy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    from newsline.annotate import NEWLINE_COMPONENT
    from newsline.annotate.attributes import COMPONENT, LEMMATIZER
    from newsline.annotate.nlp import resolve_model_name

    names = gated.nlp.pipe_names
    assert COMPONENT in names and LEMMATIZER in names
    assert "attribute_ruler" not in names and "lemmatizer" not in names  # the stock ones disabled
    # a pipeline of its own, stock components and lemma tables untouched (the fast lemmatizer turns the
    # shared pipeline's word index into sets)
    stock = spacy.load(resolve_model_name())
    stock.add_pipe(NEWLINE_COMPONENT, before="parser")
    text = (ARTICLE + "Rebels were shelling the outposts; the outposts' defenders fled. Mediators are meeting "
            "the parties' envoys, who met twice.\nThe ministries denied it, saying nothing had been agreed.\n")
    with stock.select_pipes(disable=["ner"]), gated.nlp.select_pipes(disable=["ner"]):
        ref, got = stock(text), gated.nlp(text)
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    assert np.array_equal(ref.to_array(attrs), got.to_array(attrs))


def test_a_sentence_model_that_adds_events_to_any_sentence_turns_the_gate_off(monkeypatch):
    from newsline.annotate import gate
    from newsline.code import classify

    class Adds:
        article_thresholds = classify.Thresholds({"*": 0.05}, 0.7, 0.5)

    monkeypatch.setattr(classify, "sentence_model", lambda: Adds())
    assert gate.model_adds_events()
    assert Annotator(nlp=load_nlp(), full_parse=False).gate is None
    monkeypatch.setattr(classify, "sentence_model", lambda: None)
    assert not gate.model_adds_events()


def test_run_full_parse_option_reaches_the_workers_annotator(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import newsline.annotate as annotate
    from newsline.cli import app

    seen = []
    real = annotate.get_annotator

    def spy(*args, **kwargs):
        seen.append(kwargs.get("full_parse", args[3] if len(args) > 3 else None))
        return real(*args, **kwargs)

    monkeypatch.setattr(annotate, "get_annotator", spy)
    monkeypatch.delenv(FULL_PARSE_ENV, raising=False)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for flag, want in ((["--full-parse"], True), ([], None)):
        seen.clear()
        db = tmp_path / f"s{len(flag)}.duckdb"
        result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--db", str(db), "--workers", "1",
                                          "--no-cluster", *flag])
        assert result.exit_code == 0, result.output
        assert seen and set(seen) == {want}


def test_a_text_the_coder_reads_as_one_report_is_parsed_whole():
    # the coder treats a text of up to REPORT_SENTENCES (spaCy) sentences as one event report and may add an
    # event to any of its sentences: the gate must parse such texts whole
    from newsline.annotate.gate import gate_config
    from newsline.code.draft import REPORT_SENTENCES

    assert int(gate_config()["whole_up_to"]) > REPORT_SENTENCES


def test_a_hyphenated_event_word_the_tokenizer_splits_reaches_the_gate(gated):
    text = ("Talks opened in Doha.\nMarkets were calm.\nThe rupee was little changed.\nPrices of bread rose.\n"
            "In the north, the cease-fire between Chile and Peru took effect on Monday.\n")
    plan = gated.gate.plan(gated.nlp.make_doc(text))
    assert [p for _, _, p in plan.segments] == [True, False, True]
