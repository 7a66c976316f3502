"""HTML pages: main text via trafilatura, title from the page's metadata, date from htmldate."""

from __future__ import annotations

import pytest

from newsline.clean import clean_document
from newsline.clean.html import EmptyPageError, extract_html
from newsline.records import RawDocument

PARAGRAPHS = "".join(
    f"<p>{text}</p>" for text in (
        "The regional council on Friday suspended its talks with the water company after two days of protests "
        "outside its offices in the capital, officials said.",
        "The company said it regretted the decision and remained ready to return to the table at any time, "
        "according to a statement released in the evening.",
        "Protest leaders said they would keep up their demonstrations until the tariff increase was withdrawn "
        "and the company published its accounts for the past three years.",
    )
)


def page(head: str = "", header: str = "") -> str:
    return (f"<!doctype html><html><head><title>Council suspends water talks | The Valley Observer</title>{head}"
            f"</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Council suspends water talks after protests</h1>{header}{PARAGRAPHS}</article>"
            f"<footer>© 2025 The Valley Observer. All rights reserved.</footer></body></html>")


def test_main_text_title_and_metadata_date():
    html = page('<meta property="og:title" content="Council suspends water talks after protests">'
                '<meta property="article:published_time" content="2025-01-17T09:30:00+00:00">')
    ex = extract_html(html)
    assert ex.title == "Council suspends water talks after protests"
    assert ex.published == "2025-01-17"
    assert ex.published_evidence == "htmldate: page metadata"
    # the <h1> headline is the title, not the body's first line
    assert ex.text.startswith("The regional council on Friday suspended")
    assert "All rights reserved" not in ex.text and "Home" not in ex.text.split("\n")


def test_date_printed_in_the_article_header():
    ex = extract_html(page(header="<p class='date'>Published 17 January 2025</p>"))
    assert ex.published == "2025-01-17"
    assert ex.title == "Council suspends water talks after protests"


def test_page_without_any_date_has_none():
    # the copyright year in the footer is no publication date
    assert extract_html(page()).published is None


def test_pages_without_text_are_errors():
    with pytest.raises(EmptyPageError):
        extract_html("no markup at all")
    with pytest.raises(EmptyPageError):
        extract_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_via_dispatcher_input_metadata_wins():
    doc = RawDocument(id="x", uri="x.html", content=page().encode(), content_type="html",
                      meta={"title": "Given title", "published": "2025-01-18", "url": "https://example.org/x"})
    art = clean_document(doc)
    assert art.error is None and art.content_type == "html"
    assert art.title == "Given title" and art.published == "2025-01-18"
    assert art.language == "en"


# ------------------------------------------------------------------- pages trafilatura finds nothing in
SENTENCE = ("The regional council on Friday suspended its talks with the water company after two days of "
            "protests outside its offices, officials said.")


def _clean_html(html: str):
    return clean_document(RawDocument("p", "u", html.encode(), "html"))


@pytest.mark.parametrize("body", [
    f"<div>{SENTENCE}</div>",
    f"<table><tr><td>{SENTENCE}</td></tr></table>",
    f"<nav><a href='/'>Home</a> <a href='/n'>News</a></nav><span>{SENTENCE}</span><footer>Contact us</footer>",
])
def test_page_without_trafilatura_text_falls_back_to_its_visible_text(body):
    html = f"<html><head><title>Talks suspended</title><script>var x = 1;</script></head><body>{body}</body></html>"
    with pytest.raises(EmptyPageError):
        extract_html(html)
    article = _clean_html(html)
    assert article.error is None and article.text == SENTENCE
    assert article.title == "Talks suspended" and article.content_type == "html"
    assert "var x" not in article.text and "Home" not in article.text


def test_page_with_only_chrome_still_fails_with_the_extraction_reason():
    article = _clean_html("<html><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
                          "<footer>© 2025 Example Media. All rights reserved.</footer></body></html>")
    assert article.error == "HTML page without extractable main text"


def test_page_nested_deeper_than_the_parser_reads_is_read_as_text():
    article = _clean_html("<html><body>" + "<div>" * 100_000 + SENTENCE + "</div>" * 100_000 + "</body></html>")
    assert article.error is None and article.text == SENTENCE


def test_page_with_too_many_tags_is_not_parsed():
    # a million tags cost lxml and trafilatura about 1 GB; the page's visible text is read instead
    article = _clean_html(f"<html><body><p>{SENTENCE}</p>" + "<b></b>" * 300_000 + "</body></html>")
    assert article.error is None and article.text == SENTENCE
    article = _clean_html("<html><body>" + "<b>x</b>" * 300_000 + "</body></html>")
    assert article.error == "HTML page too large to parse (600,004 tags > 200,000)"
