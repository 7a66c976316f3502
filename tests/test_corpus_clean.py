"""The cleaning stage over the whole example corpus (examples/corpus/) against its expectations.

tests/fixtures/corpus_expected.yaml says what each page is: its headline, its publication date, paragraphs
a clean body keeps (`body_must_contain`) and page chrome it must not keep (`chrome_must_not_contain`).
The corpus is ingested with `newsline.ingest` and cleaned with `clean_document` and the corpus'
recurring lines, as a run does; no NLP. Records inside JSONL and WARC files are matched by id, else by
their `uri`, as the expectations file's header explains.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from newsline.clean import CleanContext, clean_document, recurring_lines
from newsline.ingest import iter_sources, read_source
from newsline.records import Article

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
EXPECTED = yaml.safe_load((ROOT / "tests" / "fixtures" / "corpus_expected.yaml").read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    docs = [d for src in iter_sources([CORPUS]) for d in read_source(src)]
    recurring = recurring_lines(d.content.decode("utf-8", "replace") for d in docs if d.content_type != "html")
    ctx = CleanContext(recurring=recurring)
    return [clean_document(d, ctx) for d in docs]


def _article(articles: list[Article], key: str, expected: dict) -> Article:
    for a in articles:
        if a.id == key:
            return a
    uri = expected.get("uri")
    for a in articles:
        if uri and a.uri == uri or a.id.endswith(("/" + key, "#" + key)):
            return a
    raise AssertionError(f"no cleaned article for {key!r} (uri {uri!r})")


def _flat(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def test_every_expected_article_is_in_the_corpus(articles):
    assert len(articles) >= len(EXPECTED)
    for key, expected in EXPECTED.items():
        assert _article(articles, key, expected).error is None, key


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_title_and_publication_date(articles, key):
    expected = EXPECTED[key]
    art = _article(articles, key, expected)
    assert _flat(art.title) == _flat(expected.get("title")), art.title
    assert art.published == expected.get("published"), art.published_evidence


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_body_keeps_the_article_and_drops_the_chrome(articles, key):
    expected = EXPECTED[key]
    art = _article(articles, key, expected)
    missing = [p for p in expected.get("body_must_contain") or [] if p not in art.text]
    assert not missing, f"body lost: {missing}"
    kept = [p for p in expected.get("chrome_must_not_contain") or [] if p in art.text]
    assert not kept, f"chrome kept: {kept}"
    if expected.get("language"):
        assert art.language == expected["language"]
