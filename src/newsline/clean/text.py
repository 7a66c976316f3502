"""Cleaning of already-extracted page text: a line classifier that keeps the article and drops chrome.

Input is the text of a whole web page, one block per line, still carrying the page's chrome: site
header, navigation, date and weather widgets, share/cookie/newsletter text, advertisement markers,
"Read more:" link lines, related-story teasers, comment forms, footers, lines in the site's language
when the article is in another. The classifier uses general evidence, not strings of known sites:

* shape of each line — length, stop-word density of the body's language (running prose is full of
  function words, menus and headlines are not), terminal punctuation, truncation ("…", a dangling
  function word), headline shape, date/byline/weather/copyright shapes, a small vocabulary of web-UI
  cue words that only counts on short lines or in combination with a second cue;
* language — the body's language is detected first; a line in another script or another language is
  chrome (named in the reason, e.g. "other language (el)");
* corpus — lines that recur across documents of the corpus (`recurring_lines`) are site chrome unless
  they are prose (syndicated copies share their prose);
* position and contiguity — the article is one contiguous core: each line scores for (prose) or
  against (everything else) and the core is the maximum-sum run of lines (Kadane), so chrome islands
  inside the body are bridged while the header, teasers and comment sections around it fall away.

Inside the core, chrome islands (link lines, ad markers, other-language lines, republication notes)
are still dropped; the article header at its top (date and byline lines, captions, a dek that is not
written as sentences or only repeats the lede) is split off, while a dek written as full sentences of
the article stays as its first paragraph. The title is the headline-shaped line nearest above the body
that shares its vocabulary with the body; the publication date is read from the article header (a bare
date beside a weather widget is the site's "today", a labelled stamp such as "Last updated …" is the
article's) or a dateline in the lede (`clean.published`). Every dropped line is kept with its reason for
audit.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsline.clean.language import detect_language, stopwords
from newsline.clean.lines import MIN_DOCS, line_key, line_keys
from newsline.clean.published import find_dates, published_from_lines
from newsline.records import DroppedLine

log = logging.getLogger(__name__)

__all__ = ["TextClean", "clean_text", "line_key", "recurring_lines"]

_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
# scripts written without spaces between words: length in characters stands in for word counts
_CJK = re.compile(r"[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\u0E00-\u0E7F]")

_END_PUNCT = frozenset(".!?。！？:;…")
_CLOSERS = "\"'”’»)]*"

# ---------------------------------------------------------------------------------------------- cues
# Web-UI vocabulary. None of it decides alone on a long line: on short lines (menus, buttons, labels)
# it names the kind of chrome; on longer ones only the two-cue combinations below count.
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_UI_GROUPS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    # (reason, cue words, cue phrases) — matched against a line's lower-cased \w+ tokens
    ("advertisement", _wordset("advertisement advertisements advertising advertorial sponsored promoted ad ads"),
     ("ad choices", "paid post", "paid content", "partner content")),
    ("comment form", _wordset("comment comments reply replies captcha recaptcha discussion commenting"),
     ("your name", "your email", "your e mail", "required field", "required fields")),
    ("cookie/legal", _wordset("cookie cookies privacy consent gdpr disclaimer copyright trademark trademarks"),
     ("terms of use", "terms of service", "terms and conditions", "all rights reserved")),
    ("newsletter/sign-in", _wordset("subscribe subscribed subscriber subscribers subscription subscriptions "
                                     "newsletter newsletters register login logout inbox"),
     ("sign in", "sign up", "sign out", "log in", "log out", "my account", "e mail alert", "email alerts",
      "email alert")),
    ("share/social", _wordset("share shares shared tweet facebook twitter whatsapp linkedin pinterest instagram "
                               "youtube reddit telegram flipboard email print rss"),
     ("e mail", "copy link", "follow us")),
    ("navigation", _wordset("menu search home homepage previous next sitemap more browse section sections "
                             "categories tag tags topic topics"),
     ("back to top", "skip to", "contact us", "about us", "site map", "go to", "continue reading", "view all",
      "see all", "show more", "load more")),
)
# two cues together are chrome at any length: consent banners, comment policies, newsletter boxes
_STRONG_CHROME: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cookie/legal", re.compile(r"\bcookies?\b.{0,120}\b(?:use|accept|consent|settings|preferences|polic\w+|"
                                r"browsing|experience)\b|\b(?:use|accept)\w*\b.{0,60}\bcookies?\b|"
                                r"\b(?:subject to|protected by) copyright\b|\bare (?:registered )?trademarks of\b|"
                                r"\bhave not been evaluated by\b", re.I)),
    ("comment form", re.compile(r"\b(?:captcha|recaptcha)\b|\bcomments? (?:are|will be|may be|must be)\b.{0,40}"
                                r"\b(?:moderat|review|approv|publish|post)|\bcomment(?:ing)? (?:policy|guidelines|"
                                r"rules)\b|\byour (?:e-?mail|email address) (?:address )?will not be published\b|"
                                r"\brequired fields are marked\b", re.I)),
    ("newsletter/sign-in", re.compile(
        r"\b(?:newsletters?|subscribe)\b.{0,100}\b(?:inbox|sign(?:ing)? up|e-?mail|opt-in|unsubscribe)\b"
        r"|\binbox\b.{0,60}\b(?:subscribe|newsletters?)\b|\bsign up\b.{0,60}\bnewsletters?\b"
        r"|\bsubscribe to (?:our|my)\b|\bsubscribe to the\b.{0,30}\b(?:newsletter|mailing list|channel|feed)"
        r"|\bjoin our\b.{0,40}\b(?:forums?|community|newsletter|mailing list|channel)"
        r"|\bno spam\b|\bunsubscribe at any time\b|\be-?mail\b.{0,60}\b(?:activation|verification|confirmation) link\b",
        re.I)),
    ("share/social", re.compile(r"\bfollow us (?:on|at)\b|\blike us on facebook\b", re.I)),
    ("link line", re.compile(r"\bclick(?:ing)? here\b|\btap here\b", re.I)),
    ("donation appeal", re.compile(r"\bsupport (?:us|our (?:work|journalism|reporting)|independent journalism)\b|"
                                   r"\bbecome a (?:member|subscriber|supporter|patron)\b|\bon patreon\b|"
                                   r"\bdonate (?:now|today)\b", re.I)),
    ("page script", re.compile(r"\b(?:requires?|enable|enabled|turn on) javascript\b|\bjavascript (?:is )?(?:required|"
                               r"disabled)\b|\byour browser does not support\b", re.I)),
    # the page speaking about this copy of the story: a republication or syndication note
    ("syndication note", re.compile(
        r"\b(?:this|the above) (?:story|article|piece|post|content|column|op-?ed)\b.{0,40}?\b(?:(?:originally|first) "
        r"(?:published|appeared|ran)|republished|reprinted|reproduced|syndicated)\b"
        r"|\ba version of this (?:story|article|piece)\b.{0,40}?\b(?:appeared|published|ran)\b"
        r"|\b(?:republished|reprinted|reproduced) (?:here )?(?:with (?:kind )?(?:the )?permission|under (?:a|an|the)\b"
        r".{0,40}?\b(?:licen[cs]e|agreement|arrangement|partnership))", re.I)),
    ("copyright", re.compile(r"©|\(c\)\s*(?:19|20)\d\d|\ball rights reserved\b|\bcopyright\b.{0,40}"
                             r"(?:19|20)\d\d", re.I)),
)
# link lines: a cue ("Read more:", "ALSO READ:", "See also", "Related:") introducing another story's
# headline, or the bare imperative "Read <Headline>" some sites print inside the body
_LINK_CUE = re.compile(
    r"^\W{0,3}(?:(?:read|see|watch|listen|check out|click|tap|also|related|more|recommended|suggested|"
    r"trending|popular|don'?t miss|must read|top stories|latest|up next|in pictures|in photos|"
    r"further reading|source|via)\b[\w '’-]{0,30}?\s*[:|»›>–—-]+\s*\S)"
    r"|^\W{0,3}(?:also read|read also|read more|see also|more on this|related (?:stories|articles|news|"
    r"posts|coverage|content|links|topics|tags))\b",
    re.I,
)
# "Read Minister vows to ‘rebuild’ flooded villages": the bare imperative before a capitalised headline
_READ_HEADLINE = re.compile(r"^(?:[Rr]ead|[Ss]ee|[Ww]atch|[Ll]isten|READ|SEE|WATCH)(?:\s+(?:more|also|next|on))?"
                            r"\s+[A-Z0-9‘'\"“]")
_LINK_LABEL = re.compile(r"^\W{0,3}(?:read more|also read|see also|also (?:on|in|from)|read next|related|"
                         r"more(?: from| on| news| stories)?|recommended|trending|latest|popular|"
                         r"most (?:read|popular|viewed|shared)|don'?t miss|you may also like|further reading|"
                         r"up next)\b.{0,40}$", re.I)
_BYLINE = re.compile(r"^\W{0,2}(?:by|von|par|por|door|di|av|af|de|od|przez|от)\s+\S", re.I)
_WEATHER = re.compile(r"(?<![\w.])-?\d{1,2}(?:[.,]\d)?\s*(?:°\s*[CF]?|℃|℉|[CF]\b)(?!\w)"
                      r"|\b\d{1,3}\s*(?:km/h|mph)\b")
_TEMP = re.compile(r"\d\s*(?:°|℃|℉|[CF]\b)|km/h|mph")
_CAPTION = re.compile(r"\((?:[^()]{0,60}\b)?(?:image|photo|picture|credit|illustration|file photo|video)s?\b"
                      r"[^()]{0,80}\)\s*$|^(?:image|photo|picture|credit|illustration)s?\s*:\s*\S"
                      r"|\b(?:photo|image|picture)s?\s*:\s*[^.]{2,60}$|[/|]\s*getty images\s*$", re.I)
_MARKUP = re.compile(r"\{\*|\*\}|\{\{|\}\}|</?(?:a|p|br|div|span|img|ul|ol|li|table|tr|td|h[1-6]|script|style|"
                     r"iframe|strong|em|b|i|figure|figcaption|noscript|meta|link|input|button|form)\b[^>]{0,200}>"
                     r"|%[0-9A-F]{2}%[0-9A-F]{2}|&(?:amp|nbsp|quot|lt|gt|#\d+);"
                     r"|\[/?\w+(?:\s+\w+=[^\]]*)+\]", re.I)
_URL_ONLY = re.compile(r"^\W*(?:(?:https?://|www\.)\S+|\S+@\S+\.\w+|@\w+)\W*$", re.I)
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?\b", re.I)
_DATE_WORDS = re.compile(
    r"\b(?:updated?|posted|published|publicado|publié|veröffentlicht|last|modified|on|at|am|pm|"
    r"gmt|utc|est|edt|cst|cdt|pst|pdt|ist|pkt|bst|cet|cest|et|pt|ct|mon|tue|wed|thu|fri|sat|sun|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|date|time|read|min|mins|minutes?|"
    r"ago|hours?|today|yesterday)\b",
    re.I,
)
_DIGITS = re.compile(r"\d\d")
_READING_TIME = re.compile(r"\b\d+\s*(?:min|mins|minutes?)\.?\s+(?:read|reading)\b|\bread(?:ing)? time\b", re.I)
_MONTH_DAY = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                        r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I)
_DATELINE_LEDE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:\([^)]{1,30}\))?\s*[—–:-]")
# the head of a comment section: the article is over where readers' comments begin
_COMMENTS_HEAD = re.compile(
    r"^\W{0,3}(?:\d+|no)\s+(?:comments?|responses?|replies|reactions|thoughts)\b"
    r"|^\W{0,3}(?:comments?|responses?|replies|discussion|reader comments)\W{0,3}(?:\(\d+\))?\W*$"
    r"|^\W{0,3}(?:\d+\s+)?(?:responses?|thoughts|comments?) (?:to|on) [“\"'‘]"
    r"|\b(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)\b"
    r"|\bjoin the (?:discussion|conversation)\b|\b(?:view|show|read|load) (?:all )?(?:\d+ )?comments\b"
    r"|\bcomments? (?:are|have been) (?:closed|disabled)\b",
    re.I,
)
# "jsmith says:" / "Jane wrote:" above a reader's comment
_COMMENT_AUTHOR = re.compile(r"^.{1,50}?\s(?:says|said|wrote|writes|commented)\s*:?\s*$", re.I)
# "— Jane Doe (@jdoe) November 18, 2019": the signature of an embedded social-media post, part of the body
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*\S.{0,80}\(@\w{1,30}\)")
_BULLET = re.compile(r"^\s*(?:[-*•·▪►»]\s+|\d{1,2}[.)]\s+)")


@dataclass(slots=True)
class TextClean:
    """What `clean_text` makes of a page: the article's lines in page order, and everything it dropped.

    `dropped` keeps every non-blank line that is not in `paragraphs` (the title included) with its
    1-based line number in the input and a short reason ("link line", "teaser", "other language (el)",
    "recurring chrome", "date header", …). `published` is ISO (YYYY-MM-DD, or YYYY-MM / YYYY as
    `published_precision` says) with the text it was read from in `published_evidence`.
    """

    paragraphs: list[str]
    dropped: list[DroppedLine] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_evidence: str | None = None
    language: str | None = None


def recurring_lines(texts: Iterable[str], min_docs: int = MIN_DOCS) -> frozenset[str]:
    """Keys of lines that occur in at least `min_docs` different documents (site chrome). A run counts them
    batch after batch with `newsline.clean.evidence.LineCounter` instead."""
    seen: dict[str, int] = {}
    for text in texts:
        for key in line_keys(text):
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= min_docs)


# ------------------------------------------------------------------------------------------ features
@dataclass(slots=True)
class _Line:
    idx: int  # position among the page's non-blank lines
    no: int  # 1-based line number in the page (what an editor shows)
    text: str
    key: str
    words: list[str]  # lower-cased \w+ tokens
    units: float  # words, or characters / 2 for scripts written without spaces
    stop: float  # share of the body language's stop-words among the words
    end_punct: bool
    ellipsis: bool
    latin: float  # share of Latin letters among letters
    cls: str = "short"  # body | near | short | chrome
    reason: str | None = None  # why chrome (or why dropped after context)
    truncated: bool = False
    foreign: str | None = None
    dateline: bool = False  # a date/byline line of a page header
    comments_head: bool = False  # starts a comment section
    numeric: bool = False  # a table row: mostly numbers


def _features(no: int, idx: int, text: str) -> _Line:
    """Shape features of one line; `stop` is filled in once the body's language is known."""
    low = text.lower()
    words = _WORD.findall(low)
    if text.isascii():  # the common case needs no per-script counting
        latin = 1.0 if low != text.upper() else 0.0  # has a letter
        units = float(len(words))
    else:
        letters = len(_LETTER.findall(text))
        latin = len(_LATIN.findall(text)) / letters if letters else 0.0
        cjk = len(_CJK.findall(text)) if latin < 0.5 else 0
        units = float(len(words)) if cjk < 10 else len(text) / 2.0
    tail = text.rstrip(_CLOSERS + " ")
    end_punct = bool(tail) and tail[-1] in _END_PUNCT
    ellipsis = (tail.endswith("...") or tail.endswith("…")) if tail else False
    return _Line(idx, no, text, " ".join(words), words, units, 0.0, end_punct, ellipsis, latin)


def _is_dateline(ln: _Line) -> bool:
    """A header line that is a date, or a byline/date ("By Jane Doe | Nov 19, 2019 8:03 am ET")."""
    if len(ln.words) > 24:  # times and dates split into many \w+ tokens ("18.54 GMT"): generous bound
        return False
    dates = [d.text for d in find_dates(ln.text)]
    if not dates:
        # "Updated Nov 19, 9:41 AM": a header date without its year is still a header date
        dates = [m.group(0) for m in _MONTH_DAY.finditer(ln.text)]
        if not dates or not (_TIME.search(ln.text) or _DATE_WORDS.search(ln.text)):
            return False
    rest = ln.text
    for d in dates:
        rest = rest.replace(d, " ")
    rest = _DATE_WORDS.sub(" ", _TIME.sub(" ", rest))
    left = _WORD.findall(rest)
    # what is left besides the date is at most a name ("By Jane Doe", "Associated Press") or a label
    return len(left) <= 6 or bool(_BYLINE.match(ln.text))


# cue word -> (priority, reason); cue phrase -> (priority, reason); lower priority wins
_UI_WORD = {w: (i, name) for i, (name, cues, _) in reversed(list(enumerate(_UI_GROUPS))) for w in cues}
_UI_PHRASE = re.compile("|".join(rf"(?P<g{i}>\b(?:{'|'.join(map(re.escape, phrases))})\b)"
                                 for i, (_, _, phrases) in enumerate(_UI_GROUPS)))


def _ui_reason(ln: _Line) -> str | None:
    """The kind of web-UI chrome a short line's cue words name ("Share", "Sign in", "Advertisement")."""
    hits = {_UI_WORD[w] for w in ln.words if w in _UI_WORD}
    for m in _UI_PHRASE.finditer(ln.key):
        i = int((m.lastgroup or "g0")[1:])
        hits.add((i, _UI_GROUPS[i][0]))
    for _, name in sorted(hits):
        if name == "navigation" and len(ln.words) > 3 and ln.stop > 0:
            # navigation words ("next", "more", "home") also open ordinary subheads ("Next steps for the
            # talks"): alone they only count on menu-sized lines
            continue
        return name
    return None


# cheap pre-filters: the costlier patterns above only run on lines holding one of these words
_STRONG_TRIGGERS = _wordset("cookie cookies captcha recaptcha comment comments commenting newsletter newsletters "
                            "subscribe unsubscribe inbox c reserved copyright email mail trademark trademarks "
                            "evaluated spam click clicking javascript browser patreon donate "
                            "originally republished reprinted reproduced syndicated version")
_STRONG_PHRASES = re.compile(r"\b(?:sign up|required field|join our|follow us|like us|tap here|support us|"
                             r"support our|support independent|become a)\b")
_CAPTION_TRIGGERS = re.compile(r"image|photo|picture|credit|illustration|getty|video")


def _shape_reason(ln: _Line) -> str | None:
    """Chrome evident from the line alone, whatever its position."""
    text = ln.text
    n = len(ln.words)
    if not ln.words:
        return "no words"
    low = text.lower()
    if ("{" in text or "<" in text or "%" in text or "&" in text or "[" in text) and _MARKUP.search(text):
        return "markup"
    if n <= 8 and _URL_ONLY.match(text):
        return "link line"
    if "©" in text or not _STRONG_TRIGGERS.isdisjoint(ln.words) or _STRONG_PHRASES.search(ln.key):
        for name, rx in _STRONG_CHROME:
            if rx.search(text):
                return name
    if _LINK_CUE.match(text) and not (ln.end_punct and n > 25):
        return "link line"
    if n <= 20 and not ln.end_punct and _READ_HEADLINE.match(text):
        return "link line"
    if n <= 20 and ("comment" in low or "repl" in low or "respons" in low or "discussion" in low
                    or "thoughts" in low or "reaction" in low) and _COMMENTS_HEAD.search(text):
        ln.comments_head = True
        return "comment form"
    if n <= 8 and _COMMENT_AUTHOR.match(text):
        return "comment form"
    if n <= 6 and _READING_TIME.search(text):
        return "reading time"
    if n <= 8 and _TEMP.search(text) and _WEATHER.search(text) and not ln.stop >= 0.3:
        return "weather"
    if _DIGITS.search(text) and _is_dateline(ln):
        ln.dateline = True
        return "date header"
    if n <= 12 and _BYLINE.match(text) and not ln.end_punct and text[:1] != text[:1].lower():
        ln.dateline = True
        return "byline"
    if _CAPTION_TRIGGERS.search(low) and _CAPTION.search(text):
        return "caption"
    if n <= 6 or (n <= 12 and not ln.end_punct):
        ui = _ui_reason(ln)
        if ui:
            return ui
    return None


def _prose_class(ln: _Line, has_stops: bool) -> str:
    """body (running prose), near (prose-like but short or truncated) or short."""
    n = ln.units
    if has_stops and ln.latin >= 0.5 or has_stops and n == len(ln.words) and ln.stop > 0:
        if n < 4:
            return "short"
        # long lines without final punctuation are snippets cut short far more often than prose
        if n >= 10 and ln.stop >= 0.25 and ln.end_punct and not ln.ellipsis:
            return "body"
        if n >= 5 and ln.stop >= 0.18 or n >= 6 and ln.end_punct:
            return "near"
        return "short"
    # no stop-word list for this language: length and sentence punctuation only
    if n >= 25 and ln.end_punct and not ln.ellipsis:
        return "body"
    if n >= 8:
        return "near"
    return "short"


def _truncated(ln: _Line, stops: frozenset[str]) -> bool:
    """A snippet cut off mid-sentence: ends in '…' or with no punctuation after a function word."""
    if ln.ellipsis:
        return True
    if ln.end_punct or len(ln.words) < 10:
        return False
    last = ln.words[-1]
    return last in stops or len(last) <= 3 and last.isalpha() and last.islower()


# -------------------------------------------------------------------------------------------- language
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


# -------------------------------------------------------------------------------------------- headline
def _headline_shaped(ln: _Line) -> bool:
    """Short, unpunctuated at the end (or '?', '!'), starting with a capital or digit: a headline."""
    n = len(ln.words)
    if not 2 <= n <= 18 or ln.ellipsis:
        return False
    if sum(ln.text.count(sep) for sep in (" · ", " | ", " • ", " / ")) >= 2:
        return False  # a menu or a list of places, not a headline
    tail = ln.text.rstrip(_CLOSERS + " -–—|")
    if not tail or tail[-1] in ".:;,":
        return False
    first = ln.text.lstrip(_CLOSERS + "‘“\"' ")[:1]
    return first.isupper() or first.isdigit()


def _content(words: Iterable[str], stops: frozenset[str]) -> set[str]:
    return {w for w in words if len(w) >= 3 and w not in stops and not w.isdigit()}


def _clean_title(text: str) -> str:
    """Strip what pages hang on a headline: a trailing dash, a stray unmatched quote, a site suffix."""
    t = text.strip().rstrip("-–—|· ").strip()
    for q_open, q_close in (('"', '"'), ("“", "”"), ("'", "'")):
        if t.endswith(q_close) and t.count(q_open if q_open != q_close else q_close) % 2 == 1 \
                and (q_open == q_close or q_open not in t):
            t = t[: -len(q_close)].rstrip()
    return t


def _strip_site_suffix(text: str) -> str:
    """'Headline - Section | Site Name' (an HTML <title>) -> 'Headline' when the suffixes are short."""
    for _ in range(4):
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if sep in text:
                head, _, tail = text.rpartition(sep)
                if len(tail.split()) <= 4 and len(head.split()) >= 2:
                    text = head.strip()
                    break
        else:
            return text
    return text


# ---------------------------------------------------------------------------------------------- core
def _weight(ln: _Line) -> float:
    """Evidence for (positive) or against (negative) a line belonging to the article's core."""
    if ln.cls == "body":
        return min(ln.units, 100.0)
    if ln.cls == "near":
        if ln.truncated:
            return 0.5
        # a headline-shaped line is a subhead inside an article but far more often a teaser or label
        return -1.0 if not ln.end_punct and _headline_shaped(ln) else 2.0
    if ln.cls == "chrome":
        return -40.0 if ln.comments_head else -6.0
    return 0.5 if ln.numeric else -3.0


def _best_run(weights: list[float]) -> tuple[int, int]:
    """Kadane: the [start, end] run of lines with the largest sum of weights."""
    best, best_span = float("-inf"), (0, -1)
    cur, start = 0.0, 0
    for i, w in enumerate(weights):
        if cur <= 0:
            cur, start = w, i
        else:
            cur += w
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _classify(lines: list[_Line], lang: str | None, latin_page: bool, stops: frozenset[str],
              recurring: frozenset[str]) -> None:
    """Give every line its class (body, near, short, chrome) and, for chrome, the reason."""
    counts = Counter(ln.key for ln in lines)
    for ln in lines:
        ln.truncated = _truncated(ln, stops)
        ln.cls = _prose_class(ln, bool(stops))
        if len(ln.words) >= 4:
            digits = sum(1 for w in ln.words if w.isdigit())
            ln.numeric = digits / len(ln.words) >= 0.4
        if _EMBED_SIGNATURE.match(ln.text):
            ln.cls = "near"  # signature of a quoted post: belongs with the quote
            ln.end_punct = True
            continue
        ln.foreign = _foreign(ln, lang, latin_page, stops)
        reason = f"other language ({ln.foreign})" if ln.foreign else _shape_reason(ln)
        if reason is None and ln.cls != "body" and ln.key in recurring:
            # syndicated copies share their prose, so recurrence condemns only what is not prose
            reason = "recurring chrome"
        if reason is None and ln.cls != "body" and counts[ln.key] > 1 and len(ln.words) <= 6:
            reason = "repeated on page"
        if reason:
            ln.cls, ln.reason = "chrome", reason


def _is_prose(ln: _Line) -> bool:
    return ln.cls == "body" or (ln.cls == "near" and ln.end_punct and not ln.truncated)


def _snippet(lines: list[_Line], k: int) -> bool:
    """A teaser snippet: a lone paragraph right under a headline (or headline + byline/date line)."""
    ln = lines[k]
    if ln.cls != "body":
        return False
    if k + 1 < len(lines) and _is_prose(lines[k + 1]):
        return False
    for j in (k - 1, k - 2):
        if j < 0:
            return False
        prev = lines[j]
        if _is_prose(prev):
            return False
        if _headline_shaped(prev) or prev.reason in ("comment form", "teaser"):
            return True
        if not (prev.dateline or prev.cls == "short" and len(prev.words) <= 5):
            return False
    return False


def _core(lines: list[_Line]) -> tuple[int, int]:
    """The article's core run of lines [a, b] (b < a when the page has none)."""
    weights = [_weight(ln) for ln in lines]
    # below a comment-section head that follows real prose, readers' comments only count a little, so
    # that a long discussion cannot outweigh a short article above it
    seen = 0.0
    for k, ln in enumerate(lines):
        if ln.comments_head and seen >= 40:
            weights[k + 1:] = [w * 0.25 if w > 0 else w for w in weights[k + 1:]]
            break
        if ln.cls == "body":
            seen += ln.units
    a, b = _best_run(weights)
    # readers' comments start where a comment-section head follows the article's prose
    for k in range(a, b + 1):
        if lines[k].comments_head and any(lines[j].cls == "body" for j in range(a, k)):
            b = k - 1
            break
    a, b = _drop_teaser_blocks(lines, a, b)
    b = _drop_about_box(lines, a, b)
    # the run starts and ends on prose: a headline or a label at its edge is page header or trailer;
    # an unpunctuated prose line right above the first paragraph is a lede some sites leave unpunctuated
    while a <= b and lines[a].cls != "body":
        a += 1
    while a > 0 and lines[a - 1].cls == "near" and not _headline_shaped(lines[a - 1]) \
            and lines[a - 1].stop >= 0.25 and not lines[a - 1].truncated:
        a -= 1
    while b >= a and lines[b].cls != "body" and not (_is_prose(lines[b]) and _is_prose(lines[b - 1])):
        b -= 1
    if b < a:  # no running prose at all (results tables, lists): fall back to the prose-like lines
        a, b = _best_run([_weight(ln) for ln in lines])
        while a <= b and not _is_prose(lines[a]):
            a += 1
        while b >= a and not _is_prose(lines[b]):
            b -= 1
    if b >= a:
        b = _extend_list(lines, b)
    return a, b


_MONTH_START = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_LIST_SEPS = (" – ", " — ", " -- ", " - ", " @ ", " | ", ": ", ", ")


def _list_shape(ln: _Line) -> tuple[str, frozenset[str]]:
    """What a list item looks like: how it starts and which separators it uses."""
    t = ln.text
    if t[:1].isdigit():
        start = "number"
    elif _MONTH_START.match(t):
        start = "date"
    elif t[:1] in "-*•·▪►–":
        start = "bullet"
    else:
        start = "word"
    return start, frozenset(sep for sep in _LIST_SEPS if sep in t)


def _extend_list(lines: list[_Line], b: int) -> int:
    """Take in a list or table that the article ends with (tour dates, standings, results).

    Items are short and unpunctuated, so they score against the core; they belong to the article when
    the last paragraph (or a heading right after it) introduces them and at least three consecutive
    lines share one item shape (numbered/dated/bulleted, or the same separators).
    """
    j = b + 1
    if j >= len(lines):
        return b
    intro = lines[b].text.rstrip().endswith(":")
    heading = lines[j].cls != "chrome" and (_headline_shaped(lines[j]) or lines[j].text.endswith(":")
                                             or intro and lines[j].units <= 12)
    if not intro and not heading:
        return b
    # the items start right after the introducing paragraph, or after a heading / table header row
    starts = [j, j + 1] if intro and heading else [j + 1] if heading else [j]
    best: list[int] = []
    for start in starts:
        items = _list_items(lines, start)
        if len(items) > len(best):
            best = items
    if len(best) < 3:
        return b
    for k in range(b + 1, best[-1] + 1):
        if lines[k].cls == "chrome":
            lines[k].cls = "short"  # a list item that merely looked like chrome on its own
            lines[k].reason = None
    return best[-1]


def _list_items(lines: list[_Line], j: int) -> list[int]:
    items: list[int] = []
    shape = None
    while j < len(lines):
        ln = lines[j]
        if ln.units < 3 or ln.reason and ln.reason.startswith(
                ("link line", "other language", "markup", "cookie", "newsletter", "copyright", "comment", "share")):
            break
        sh = _list_shape(ln)
        if shape is None:
            shape = sh
            if sh[0] == "word" and not sh[1]:
                break
        elif sh[0] != shape[0] or (sh[0] == "word" and not (sh[1] & shape[1])):
            break
        items.append(j)
        j += 1
    return items


# "About the author", "Über Moritz Bachmann": the heading of the author's box after an article
_ABOUT = re.compile(r"^\W{0,3}(?:about|über|à propos(?: de)?|sobre|acerca de|informazioni su|over)\s+\S", re.I)


def _drop_about_box(lines: list[_Line], a: int, b: int) -> int:
    """Cut the author's box ("About the author", "Über <the byline's name>") off the core's end.

    An "About <company>" section under a press release is part of the release and stays; what marks the
    box as chrome is that it is about the author, named as such or by the byline above the article.
    """
    for k in range(max(a + 1, b - 4), b + 1):
        ln = lines[k]
        if not (len(ln.words) <= 6 and not ln.end_punct and _ABOUT.match(ln.text)):
            continue
        named = set(ln.words[1:])
        bylines: set[str] = set()
        for j in range(max(0, a - 30), a + 3):
            if lines[j].dateline or lines[j].reason == "byline":
                bylines |= set(lines[j].words)
        author = any(w.startswith(("author", "autor", "auteur")) for w in named) or (named and named <= bylines)
        if author and sum(1 for j in range(k + 1, b + 1) if _is_prose(lines[j])) <= 3 \
                and sum(1 for j in range(a, k) if lines[j].cls == "body") >= 2:
            for j in range(k, b + 1):
                if lines[j].cls != "chrome":
                    lines[j].reason = "about the author"
            b = k - 1
            while b > a and not _is_prose(lines[b]):
                b -= 1
            return b
    return b


_GAP = 5  # consecutive non-prose lines that separate blocks of a page


def _drop_teaser_blocks(lines: list[_Line], a: int, b: int) -> tuple[int, int]:
    """Cut blocks of teaser cards (headline + lone snippet, repeated) off the ends of the core.

    The core is split at gaps of `_GAP` or more non-prose lines; a block whose paragraphs are mostly
    lone snippets under headlines is a related-stories list, unless every block looks like that (a
    listicle of product cards is the article itself).
    """
    blocks: list[list[int]] = []
    last_prose = None
    for k in range(a, b + 1):
        if not _is_prose(lines[k]):
            continue
        if last_prose is None or k - last_prose - 1 >= _GAP:
            blocks.append([k, k])
        blocks[-1][1] = k
        last_prose = k
    if len(blocks) < 2:
        return a, b
    teaser = []
    for s, e in blocks:
        bodies = [k for k in range(s, e + 1) if lines[k].cls == "body"]
        snippets = sum(1 for k in bodies if _snippet(lines, k))
        teaser.append(len(bodies) >= 2 and snippets >= 0.5 * len(bodies) or len(bodies) == 1 and snippets == 1)
    if all(teaser):
        return a, b
    # a lone paragraph stranded after the article behind a wall of chrome is a box (author bio, promo,
    # a reader's comment), not the article's last paragraph
    main = max(range(len(blocks)), key=lambda i: sum(lines[k].units for k in range(blocks[i][0], blocks[i][1] + 1)
                                                     if lines[k].cls == "body"))
    for i in range(main + 1, len(blocks)):
        s, e = blocks[i]
        prose = [k for k in range(s, e + 1) if _is_prose(lines[k])]
        if len(prose) == 1 and lines[prose[0]].cls == "body":
            teaser[i] = True
    keep = [blk for blk, t in zip(blocks, teaser, strict=True) if not t]
    if not keep:  # the main block is itself a list of cards: nothing to tell the article from
        return a, b
    for (s, e), t in zip(blocks, teaser, strict=True):
        if t and (s > keep[-1][1] or e < keep[0][0]):
            for k in range(s, e + 1):
                if lines[k].cls != "chrome":
                    lines[k].reason = lines[k].reason or ("teaser" if _snippet(lines, k) else "after article")
    return max(a, keep[0][0]), min(b, keep[-1][1])


def _reflow(raw: list[str]) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers; hard-wrapped paragraphs are joined back into one line.

    Text dumps of pages (lynx, w3m, e-mail) wrap paragraphs at a fixed width. Such a page shows many
    lines of nearly the same length just under that width; a line that reaches it and is followed by a
    non-blank line continues on that line. Pages with one paragraph per line (lengths all over the
    place, most far beyond any terminal width) are left as they are.
    """
    stripped = [(no, s.strip()) for no, s in enumerate(raw, 1)]
    longish = sorted(len(s) for _, s in stripped if len(s) >= 35)
    width = 0
    if len(longish) >= 5:
        top = longish[int(0.9 * (len(longish) - 1))]
        near = sum(1 for n in longish if top - 12 <= n <= top)
        if 40 <= top <= 100 and near >= 0.5 * len(longish) and longish[-1] <= top + 8:
            width = longish[-1]
    out: list[tuple[int, str]] = []
    joinable = False
    for no, s in stripped:
        if not s:
            joinable = False
            continue
        # the wrapper broke the previous line only if this line's first word would not have fitted on it
        if joinable and out and not _BULLET.match(s) and len(out[-1][1]) + 1 + len(s.split()[0]) > width:
            out[-1] = (out[-1][0], out[-1][1] + " " + s)
        else:
            out.append((no, s))
        joinable = bool(width) and len(s) >= width - 20 and not s.endswith(":")
    return out


def clean_text(text: str, recurring: frozenset[str] = frozenset()) -> TextClean:
    """Split a page's text into the article (paragraphs, title, date, language) and its chrome."""
    lines: list[_Line] = []
    for no, s in _reflow(text.splitlines()):
        lines.append(_features(no, len(lines), s))
    if not lines:
        return TextClean([], [], language=None)
    lang, latin_page = _page_language(lines)
    stops = stopwords(lang)
    if stops:
        for ln in lines:
            if ln.words:
                ln.stop = sum(map(stops.__contains__, ln.words)) / len(ln.words)
    _classify(lines, lang, latin_page, stops, recurring)

    a, b = _core(lines)
    if b < a:
        return _finish(lines, set(), None, None, lang, text)

    # The article header inside the core. A standfirst (dek) is dropped when it is header text: captions,
    # labels, a summary that is not written as full sentences (unpunctuated, cut off "…reports our
    # correspondent"), or one that repeats the lede nearly word for word (the same text twice). A dek
    # written as full sentences that says something of its own is the article's first paragraph — an
    # annotator of "the article body" keeps it, whether it stands above the byline/date line or not —
    # and the first paragraph of a page that opens on its body (no headline above it) is the lede.
    header_end = a  # the article header (read for the date) ends at the date line
    for j in range(min(b, a + 6), a - 1, -1):
        if lines[j].dateline and any(lines[k].cls == "body" for k in range(j + 1, min(b, j + 4) + 1)) \
                and sum(1 for k in range(a, j) if _is_prose(lines[k])) <= 2:
            first = None
            for k in range(a, j):
                if lines[k].cls == "chrome":
                    continue
                if lines[k].cls == "body" and not _headline_shaped(lines[k]) and _under_headline(lines, k) \
                        and not _repeats_lede(lines, k, j + 1, b, stops):
                    first = k if first is None else first
                    continue
                lines[k].reason = "standfirst" if lines[k].cls in ("body", "near") else "page header"
            a = first if first is not None else j + 1
            header_end = j + 1
            break
    if a < b and lines[a].cls in ("body", "near") and not _headline_shaped(lines[a]) \
            and _under_headline(lines, a) and _repeats_lede(lines, a, a + 1, b, stops):
        lines[a].reason = "standfirst"
        a += 1

    keep: set[int] = set()
    seen: set[str] = set()
    for k in range(a, b + 1):
        ln = lines[k]
        if ln.cls == "chrome" or ln.reason:
            continue
        if len(ln.words) == 1 and not ln.end_punct and ln.units < 4:
            ln.reason = "isolated word"
            continue
        if ln.key in seen and len(ln.words) >= 4:
            ln.reason = "repeated on page"  # gallery captions and pull quotes printed twice
            continue
        seen.add(ln.key)
        keep.add(k)
    _drop_link_lists(lines, keep, a, b)
    _drop_inline_cards(lines, keep, counts_of(lines))

    title_idx = _find_title(lines, a, keep, stops)
    title = None
    if title_idx is not None:
        t = lines[title_idx].text
        title = _clean_title(_strip_site_suffix(t) if title_idx == 0 and title_idx < a - 1 else t)
        lines[title_idx].reason = "title"
        for k in list(keep):  # the headline repeated inside the body (galleries, print views)
            if lines[k].key == lines[title_idx].key:
                keep.discard(k)
                lines[k].reason = "title repeated"
    return _finish(lines, keep, title, title_idx, lang, text, a, stops, header_end)


def _under_headline(lines: list[_Line], k: int) -> bool:
    """Line k stands right under the article's headline, so it can be a dek (standfirst).

    The nearest line above that is not chrome (date lines aside: "headline / date / dek" is as common
    as "headline / dek / date") must be headline-shaped.
    """
    for j in range(k - 1, max(-1, k - 8), -1):
        ln = lines[j]
        if ln.cls == "chrome" or ln.dateline:
            continue
        # a headline is mostly content words ("You are signed in as" is a widget's label)
        return _headline_shaped(ln) and len(ln.words) >= 4 and ln.stop < 0.5
    return False


def _repeats_lede(lines: list[_Line], k: int, start: int, b: int, stops: frozenset[str]) -> bool:
    """Line k (a dek) says again what one of the article's first paragraphs (from `start`) says.

    Each paragraph is compared alone: a dek copies one paragraph (the lede, or a quote further down),
    while a lede merely shares vocabulary with the several paragraphs that develop it. A dateline
    ("SANTA FE, N.M. (AP) —") marks the lede itself, never a dek.
    """
    if _DATELINE_LEDE.match(lines[k].text):
        return False
    head = _content(lines[k].words, stops)
    if len(head) < 10:
        return False
    paragraphs = [j for j in range(start, min(b, start + 12) + 1) if lines[j].cls == "body"][:6]
    return any(len(head & _content(lines[j].words, stops)) / len(head) >= 0.7 for j in paragraphs)


def counts_of(lines: list[_Line]) -> Counter[str]:
    return Counter(ln.key for ln in lines)


def _drop_inline_cards(lines: list[_Line], keep: set[int], counts: Counter[str]) -> None:
    """A related-story card inside the article: a lone snippet under a headline printed twice in a row.

    Subheads inside an article appear once; card widgets repeat the linked headline (image alt text and
    link text) right above one snippet.
    """
    def doubled(j: int) -> bool:
        return counts[lines[j].key] > 1 and any(
            0 <= i < len(lines) and i != j and lines[i].key == lines[j].key for i in (j - 2, j - 1, j + 1, j + 2))

    for k in sorted(keep):
        if lines[k].cls != "body" or not _snippet(lines, k):
            continue
        heads = [j for j in (k - 1, k - 2, k - 3) if j >= 0 and _headline_shaped(lines[j]) and doubled(j)]
        if heads:
            for j in range(min(heads), k + 1):
                if j in keep or lines[j].reason is None:
                    keep.discard(j)
                    lines[j].reason = lines[j].reason or "teaser"


def _drop_link_lists(lines: list[_Line], keep: set[int], a: int, b: int) -> None:
    """A cue label ("More:", "Related articles") followed by headline-shaped lines is a list of links."""
    k = a
    while k <= b:
        ln = lines[k]
        if _LINK_LABEL.match(ln.text) and (not ln.end_punct or ln.text.endswith(":")) and len(ln.words) <= 6:
            keep.discard(k)
            ln.reason = ln.reason or "link line"
            j = k + 1
            # everything up to the next paragraph: headlines, their kickers ("EYE POPPING"), captions
            while j <= b and not _is_prose(lines[j]) and len(lines[j].words) <= 18:
                if j in keep:
                    keep.discard(j)
                    lines[j].reason = "link line"
                j += 1
            k = j
        else:
            k += 1


_TITLE_SKIP = ("link line", "weather", "markup", "caption", "date header", "byline", "comment form",
               "cookie/legal", "copyright", "newsletter/sign-in", "share/social", "advertisement", "no words")


def _find_title(lines: list[_Line], a: int, keep: set[int], stops: frozenset[str]) -> int | None:
    """The headline: headline-shaped, above the body and near it, sharing the body's vocabulary.

    The first line of a saved page is often the HTML <title> ("Headline - Site"): a line above the body
    that repeats it is the headline even when the body happens to share few of its words, and the first
    line itself is the fallback. Short section labels ("World", "Hong Kong") and menu breadcrumbs are not
    headlines; teasers for other stories share little with the body and lose.
    """
    body_words: set[str] = set()
    for k in sorted(keep)[:40]:
        body_words |= _content(lines[k].words, stops)
    if not body_words or a <= 0:
        return None
    first_words = set(_WORD.findall(_strip_site_suffix(lines[0].text).lower()))
    best, best_score = None, 0.0
    candidates = list(range(a - 1, max(0, a - 40) - 1, -1))
    if 0 not in candidates:
        candidates.append(0)
    for k in candidates:
        ln = lines[k]
        if ln.foreign or ln.dateline or ln.reason in _TITLE_SKIP:
            continue
        text = _strip_site_suffix(ln.text) if k == 0 else ln.text
        words = [w.lower() for w in _WORD.findall(text)]
        if not words or any(sep in text for sep in (" > ", " » ", " › ", " / ")):
            continue  # breadcrumbs and menus
        # how closely the line repeats the page's <title> line (symmetric: a one-word section label that
        # happens to occur in the <title> does not echo it)
        echo = len(set(words) & first_words) / max(len(set(words)), len(first_words)) \
            if k != 0 and first_words else 0.0
        probe = _Line(ln.idx, ln.no, text, ln.key, words, float(len(words)), ln.stop,
                      text.rstrip(_CLOSERS + " ")[-1:] in ".:;", ln.ellipsis, ln.latin)
        if echo < 0.6 and (not _headline_shaped(probe) or len(words) < 4 or ln.cls == "body" and k != 0):
            continue
        content = _content(words, stops)
        if len(content) < 2 and echo < 0.6:
            continue  # a score line or a name is no headline
        overlap = len(content & body_words) / len(content) if content else 0.0
        if overlap < 0.3 and echo < 0.6:
            continue
        distance = sum(1 for j in range(k + 1, a) if not lines[j].dateline and lines[j].cls != "chrome")
        score = overlap + echo - 0.01 * distance - (0.15 if k == 0 else 0.0)
        if score > best_score:
            best, best_score = k, score
    if best is not None and best > 0:
        # a headline printed again lower down (galleries, sticky bars): the article header (byline,
        # date) follows its first print
        first = next((k for k in range(max(1, a - 40), best) if lines[k].key == lines[best].key), best)
        best = first
    return best


def _finish(lines: list[_Line], keep: set[int], title: str | None, title_idx: int | None,
            lang: str | None, text: str, a: int = 0, stops: frozenset[str] = frozenset(),
            header_end: int = 0) -> TextClean:
    paragraphs = [lines[k].text for k in sorted(keep)]
    last = max(keep) if keep else len(lines)
    # readers' comments: everything below the first comment-section head after the article
    comments_from = next((j for j in range(last, len(lines)) if lines[j].comments_head), len(lines))
    dropped = []
    for k, ln in enumerate(lines):
        if k in keep:
            continue
        reason = ln.reason
        if reason is None:
            reason = _context_reason(lines, k, a, keep, comments_from)
        dropped.append(DroppedLine(ln.no, ln.text, reason))
    body = "\n".join(paragraphs)
    language, _ = detect_language(body) if body else (lang, 0.0)
    pub = _published(lines, keep, title_idx, max(a, header_end), language or lang, text)
    return TextClean(
        paragraphs, dropped, title=title,
        published=pub.date if pub else None,
        published_precision=pub.precision if pub else None,
        published_evidence=pub.evidence if pub else None,
        language=language,
    )


def _context_reason(lines: list[_Line], k: int, a: int, keep: set[int], comments_from: int) -> str:
    """Why a line without chrome evidence of its own was left out: where it stands and what it looks like."""
    ln = lines[k]
    last = max(keep) if keep else -1
    before = k < a
    if not before and k > comments_from:
        return "comment section"
    if ln.text.count(" | ") >= 2 or ln.text.count(" / ") >= 2:
        return "navigation"
    headline = _headline_shaped(ln) and len(ln.words) >= 3
    if ln.truncated or (ln.cls != "body" and headline and not before) or (
            headline and k + 1 < len(lines) and lines[k + 1].truncated):
        return "teaser"
    if before and headline:
        return "teaser" if k > 0 else "page title"
    if ln.cls == "short" and len(ln.words) <= 4:
        return "navigation"
    if before:
        return "page header"
    if k > last:
        return "after article"
    return "outside article"


# How far above the headline a labelled publication stamp is still read as the article's (header lines
# of menus, breadcrumbs and tool bars commonly stand between a masthead stamp and the headline).
_STAMP_REACH = 8
# a date labelled as the article's publication or revision: the label the page prints right before it
_STAMP = re.compile(
    r"\b(?:(?:last |first )?(?:updated?|published|posted|modified|revised)(?: (?:on|at))?|"
    r"publicado|actualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato|"
    r"gepubliceerd|bijgewerkt|publicerad|publiceret|julkaistu|opublikowano|опубликовано|обновлено)"
    r"\s*(?:[:|–—-]\s*)?(?:\w+\W{0,2}\s*){0,3}$",
    re.I,
)


def _stamped(text: str) -> bool:
    """The line's first date is introduced by a publication label ("Last updated 29 Oct 2025, 18:05")."""
    dates = find_dates(text)
    return bool(dates) and bool(_STAMP.search(text[:dates[0].start]))


def _date_leads(text: str) -> bool:
    """The line's first date comes before any headline-length stretch of words (a meta line, not a teaser)."""
    dates = find_dates(text)
    return bool(dates) and len(_WORD.findall(text[:dates[0].start])) < 5


def _published(lines: list[_Line], keep: set[int], title_idx: int | None, a: int, lang: str | None,
               text: str):
    """Header lines near the headline first (after it, then just above it), then the lede.

    A date beside (or inside) a weather widget is the site's "today", not the article's date; a date line
    in another language than the body is still read (in its own language) when it sits in the header.
    """
    def weather(j: int) -> bool:
        return 0 <= j < len(lines) and (lines[j].reason == "weather" or bool(_WEATHER.search(lines[j].text)))

    def header_like(j: int) -> bool:
        ln = lines[j]
        # a date line, a byline or another short header line; a headline-length line with a date is a
        # teaser for another story, and a link line points elsewhere
        return (ln.dateline or len(ln.words) <= 8 or len(ln.words) <= 24 and _date_leads(ln.text)) \
            and ln.reason != "link line"

    def usable(j: int) -> bool:
        # a bare date beside a weather widget is the day the page was served; a date the page labels as
        # the article's own ("Last updated …", "Published …") is evidence wherever the header puts it
        return header_like(j) and (_stamped(lines[j].text) or not (weather(j - 1) or weather(j) or weather(j + 1)))

    def stamped_far(j: int) -> bool:
        # under another headline it is the stamp of a teaser card for another story
        card = j > 0 and lines[j - 1].cls != "chrome" and _headline_shaped(lines[j - 1]) and len(lines[j - 1].words) >= 4
        return header_like(j) and _stamped(lines[j].text) and not card

    def item(j: int) -> tuple[str, str | None]:
        ln = lines[j]
        return ln.text, (ln.foreign if ln.foreign and ln.foreign != "und" else lang)

    header: list[tuple[str, str | None]] = []
    if title_idx is not None:
        header += [item(j) for j in range(title_idx + 1, a) if usable(j)]
        header += [item(j) for j in range(title_idx - 1, max(-1, title_idx - 4), -1) if usable(j)]
        # a labelled stamp further up the header (above the menus and widgets between it and the headline)
        header += [item(j) for j in range(title_idx - 4, max(-1, title_idx - _STAMP_REACH - 1), -1)
                   if stamped_far(j)]
    else:
        header += [item(j) for j in range(a - 1, max(-1, a - 7), -1) if usable(j)]
        header += [item(j) for j in range(a - 7, max(-1, a - _STAMP_REACH - 4), -1) if stamped_far(j)]
    lede = [lines[k].text for k in sorted(keep)[:2]]
    return published_from_lines(header, lede, text, lang)
