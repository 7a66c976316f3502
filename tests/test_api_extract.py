"""`newsline.extract`: the one-text Python API (annotate + code), as a user calls it."""

import newsline


def test_extract_codes_one_text_against_its_publication_date():
    text = ("The government and the rebels agreed on Monday to a ceasefire, officials said. "
            "Soldiers killed at least 12 militants in an attack on a camp in the north on Sunday.")
    mentions = newsline.extract(text, published="2024-03-06")
    assert mentions, "a text reporting events gives mentions"
    for m in mentions:
        assert m["article_id"] and m["event_type"]
        for ev in m["evidence"]:  # every mention is traceable to its sentence
            assert text[ev["start"]:ev["end"]] == ev["sentence"]
    dated = {m["date"] for m in mentions if m["date"]}
    # relative days resolve against the publication date, never against today
    assert dated <= {"2024-03-04", "2024-03-03"} and dated


def test_extract_without_publication_date_leaves_relative_dates_unresolved():
    mentions = newsline.extract("The army attacked rebel positions on Monday.")
    assert all(m["date"] is None for m in mentions)


def test_extract_of_a_non_event_is_empty():
    assert newsline.extract("The weather in the capital was mild and sunny.", published="2024-03-06") == []
