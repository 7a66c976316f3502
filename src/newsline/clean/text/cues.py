"""Cue vocabulary and patterns of the line classifier: web-UI words, chrome shapes (links, bylines,
weather, captions, markup, comment forms, dates), each matched against one line."""

from __future__ import annotations

import re

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
# a label in the site's own language and a slash may stand before the cue ("Lea también / Read more: ...")
_OWN_LABEL = r"(?:[^\W\d][^/|:\n]{0,24}\s[/|]\s*)?"
_LINK_CUE = re.compile(
    r"^\W{0,3}" + _OWN_LABEL + r"(?:(?:read|see|watch|listen|check out|click|tap|also|related|more|recommended|suggested|"
    r"trending|popular|don'?t miss|must read|top stories|latest|up next|in pictures|in photos|"
    r"further reading|source|via)\b[\w '’-]{0,30}?\s*[:|»›>–—-]+\s*\S)"
    r"|^\W{0,3}" + _OWN_LABEL + r"(?:also read|read also|read more|see also|more on this|related (?:stories|articles|news|"
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


# cue word -> (priority, reason); cue phrase -> (priority, reason); lower priority wins
_UI_WORD = {w: (i, name) for i, (name, cues, _) in reversed(list(enumerate(_UI_GROUPS))) for w in cues}
_UI_PHRASE = re.compile("|".join(rf"(?P<g{i}>\b(?:{'|'.join(map(re.escape, phrases))})\b)"
                                 for i, (_, _, phrases) in enumerate(_UI_GROUPS)))


# cheap pre-filters: the costlier patterns above only run on lines holding one of these words
_STRONG_TRIGGERS = _wordset("cookie cookies captcha recaptcha comment comments commenting newsletter newsletters "
                            "subscribe unsubscribe inbox c reserved copyright email mail trademark trademarks "
                            "evaluated spam click clicking javascript browser patreon donate "
                            "originally republished reprinted reproduced syndicated version")
_STRONG_PHRASES = re.compile(r"\b(?:sign up|required field|join our|follow us|like us|tap here|support us|"
                             r"support our|support independent|become a)\b")
_CAPTION_TRIGGERS = re.compile(r"image|photo|picture|credit|illustration|getty|video")
