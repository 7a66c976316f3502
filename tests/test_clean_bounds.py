"""Per-document bounds of the cleaner (issue 13): hostile shapes cost bounded time and memory, and every cut
is recorded on the article."""

from __future__ import annotations

from newsline.annotate.nlp import MAX_CHARS, load_nlp
from newsline.clean import clean_document
from newsline.clean.bounds import CLASSIFY_LINES, MAX_LINE_CHARS, MAX_TEXT_CHARS, split_long_lines
from newsline.records import RawDocument


def sentences(n: int) -> str:
    return " ".join(f"Delegation {i} of tribal elders travelled to Kabul for talks on Monday." for i in range(n))


def _clean(text: str):
    return clean_document(RawDocument("d", "u", text.encode(), "text"))


def test_overlong_lines_are_split_at_sentence_ends():
    text = sentences(400)
    lines = split_long_lines(text).split("\n")
    assert len(lines) > 1 and all(len(x) <= MAX_LINE_CHARS for x in lines)
    assert all(x.endswith("Monday.") for x in lines)
    assert " ".join(lines) == text


def test_a_text_of_one_huge_line_is_cut_to_the_article_limit_with_a_record():
    article = _clean(sentences(3000))  # about 220,000 characters on one line
    assert article.error is None
    assert MAX_TEXT_CHARS - MAX_LINE_CHARS < len(article.text) <= MAX_TEXT_CHARS
    assert article.text.endswith("Monday.")
    [cut] = [d for d in article.dropped_lines if d.reason.startswith("beyond the article limit")]
    assert cut.reason == "beyond the article limit (100,000 characters)" and cut.text.startswith("Delegation")


def test_only_the_head_of_a_page_of_countless_lines_is_classified():
    article = _clean("".join(f"Line {i}\n" for i in range(50_000)))
    assert article.error == "no article text left after cleaning"
    assert len(article.dropped_lines) == CLASSIFY_LINES + 1
    last = article.dropped_lines[-1]
    assert (last.line_no, last.reason) == (CLASSIFY_LINES + 1,
                                           "beyond the cleaner's limit (5,000 lines, 500,000 characters)")
    assert last.text.startswith("Line 5000 Line 5001") and last.text.endswith("characters)")


def test_spacy_reads_no_more_than_the_article_limit():
    assert MAX_CHARS == MAX_TEXT_CHARS
    assert load_nlp().max_length == MAX_CHARS
