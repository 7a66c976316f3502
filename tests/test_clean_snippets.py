"""Very short text documents (a sentence from a JSONL record): kept when they are prose, failed when not."""

from newsline.clean import clean_document
from newsline.records import RawDocument


def _clean(text: str):
    return clean_document(RawDocument("s", "u", text.encode(), "text"))


def test_a_single_sentence_is_its_own_body():
    text = "The Security Council agreed to a six-month extension of the peacekeeping mandate."
    article = _clean(text)
    assert article.error is None and article.text == text and article.dropped_lines == []


def test_a_lone_chrome_line_is_still_a_failed_document():
    for text in ("Read More", "Home | World | Sport | Opinion"):
        article = _clean(text)
        assert article.error == "no article text left after cleaning"
        assert [d.text for d in article.dropped_lines] == [text]  # kept for audit
