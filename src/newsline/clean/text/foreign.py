"""The page's language, and lines written in another language than the body."""

from __future__ import annotations

from collections import Counter

from newsline.clean.language import detect_language, stopwords
from newsline.clean.text.cues import _LETTER
from newsline.clean.text.features import _Line

_DETECT_CHARS = 200


def _page_language(lines: list[_Line]) -> tuple[str | None, bool]:
    """Language of the page's prose and whether that prose is Latin-script.

    Each long line votes for its language with its length: the article's paragraphs outweigh the
    chrome around them even when a menu or footer in the site's language has a few long lines too.
    Voting stops once one language can no longer be overtaken.
    """
    longest = sorted((ln for ln in lines if ln.units >= 8), key=lambda ln: -len(ln.text))[:20]
    if not longest:
        longest = lines
    votes: Counter[str] = Counter()
    latin_letters = total = 0.0
    for ln in longest:
        latin_letters += ln.latin * len(ln.text)
        total += len(ln.text)
    left = total
    for ln in longest:
        # a paragraph's language shows in its first few hundred characters; fastText's cost grows with length
        lang, score = detect_language(ln.text[:_DETECT_CHARS])
        left -= len(ln.text)
        if lang:
            votes[lang] += len(ln.text) * score
        ranked = votes.most_common(2)
        if ranked and ranked[0][1] > (ranked[1][1] if len(ranked) > 1 else 0.0) + left:
            break
    lang = votes.most_common(1)[0][0] if votes else None
    return lang, latin_letters / (total or 1.0) >= 0.5


def _foreign(ln: _Line, lang: str | None, latin_page: bool, stops: frozenset[str]) -> str | None:
    """Language code of a line written in another language than the body, else None."""
    if lang is None or not ln.words:
        return None
    letters = len(ln.key) - len(ln.words) + 1  # characters of the words, without the joining spaces
    if letters < 4 or ln.latin == 0.0 and not _LETTER.search(ln.text):
        return None  # numbers and symbols have no language
    script_differs = (latin_page and ln.latin < 0.5) or (not latin_page and ln.latin > 0.9)
    if script_differs:
        if not latin_page and len(ln.words) < 3:
            return None  # brand names and acronyms in Latin letters inside non-Latin pages
        other, _ = detect_language(ln.text)
        return other if other and other != lang else ("und" if latin_page else None)
    # same script: only lines with few of the body language's function words are worth a look, and the
    # detector's verdict counts only when the line is full of the other language's function words
    if len(ln.words) < 4 or letters < 16 or not stops or ln.stop >= 0.2:
        return None
    other, score = detect_language(ln.text)
    if not other or other == lang or score < 0.8:
        return None
    theirs = stopwords(other)
    if not theirs:
        return None
    share = sum(1 for w in ln.words if w in theirs) / len(ln.words)
    # running prose in another language is full of its function words; a headline or a link label
    # ("Lea también: Cauca: comunidades denuncian …") has few in any language, so a line without
    # sentence punctuation that holds none of the body's function words needs fewer of its own
    if share >= 0.3 or not ln.end_punct and ln.stop == 0.0 and score >= 0.9 and share >= 0.15:
        return other
    return None
