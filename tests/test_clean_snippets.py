"""Short texts and texts the line classifier would empty: a document is never emptied by the cleaner."""

import pytest

from newsline.clean import clean_document
from newsline.records import RawDocument

# a snippet of an event data set: cut at a word limit, no final punctuation
CUT = "Police fired tear gas at hundreds of farmers who blocked the highway near the capital on"


def _clean(text: str, jsonl: bool = False):
    meta = {"format": "jsonl"} if jsonl else {}
    return clean_document(RawDocument("s", "u", text.encode(), "text", meta=meta))


def test_a_single_sentence_is_its_own_body():
    text = "The Security Council agreed to a six-month extension of the peacekeeping mandate."
    article = _clean(text)
    assert article.error is None and article.text == text and article.dropped_lines == []


@pytest.mark.parametrize("text", [CUT, f"Farmers block highway\n{CUT}", f"{CUT}\n{CUT.replace('Police', 'Troops')}",
                                  "Read More"])
def test_a_jsonl_text_of_one_or_two_lines_is_kept_as_it_is(text):
    article = _clean(text, jsonl=True)
    assert article.error is None and article.dropped_lines == []
    assert article.text in (text, text.split("\n")[-1])  # a headline line above may become the title


def test_a_sentence_cut_at_a_word_limit_is_kept_in_a_text_file_too():
    article = _clean(CUT)
    assert article.error is None and article.text == CUT


def test_a_text_whose_every_line_would_go_keeps_its_most_article_like_block():
    text = ("Home | World | Sport | Opinion\n"
            f"{CUT}\n"
            "Read More: markets\n"
            f"{CUT.replace('farmers', 'students')}\n"
            f"{CUT.replace('farmers', 'workers')}\n"
            "Share this article\n")
    article = _clean(text)
    assert article.error is None
    assert article.text.split("\n") == [CUT.replace("farmers", "students"), CUT.replace("farmers", "workers")]
    assert {d.text for d in article.dropped_lines} >= {"Home | World | Sport | Opinion", CUT}


def test_a_lone_chrome_line_is_still_a_failed_document():
    for text in ("Read More", "Home | World | Sport | Opinion", "Home World Sport Opinion Business Culture Travel"):
        article = _clean(text)
        assert article.error == "no article text left after cleaning"
        assert [d.text for d in article.dropped_lines] == [text]  # kept for audit


def test_a_jsonl_html_page_read_as_text_is_judged_as_a_page():
    html = "<html><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav></body></html>"
    article = clean_document(RawDocument("s", "u", html.encode(), "html", meta={"format": "jsonl"}))
    assert article.error == "HTML page without extractable main text"
