"""What the cleaner keeps when the line classifier would keep nothing: a document is never emptied.

The classifier judges each line against the page around it. A text of one or two lines given as a JSONL
`text` has no page around it: it is the user's snippet (often a sentence cut at a word limit, without final
punctuation) and is kept as it is. Any other text the classifier empties keeps its most article-like block:
the run of consecutive sentence-like lines, dropped for their position or shape only, with the most words.
A text without such a line (a menu, "Read More", a copyright line) stays empty: a failed document.
"""

from __future__ import annotations

import re

from newsline.clean.text import TextClean

SNIPPET_LINES = 2
_MIN_WORDS = 6
# menus and headlines are in Title Case; a sentence has mostly lower-case words
_MAX_CAPITALISED = 0.6
_WORDS = re.compile(r"[^\W\d_]+")
# lines dropped for where they stand or how they are cut, not for what they say: a snippet cut at a word
# limit is a "teaser" to the classifier, a lone paragraph "outside article"; a copyright line, a link line,
# a comment form are chrome whatever else is on the page
_POSITIONAL = frozenset({"teaser", "short", "outside article", "after article", "standfirst", "page header"})


def keep_snippet(res: TextClean, text: str) -> bool:
    """A one- or two-line text kept as it is (its title line aside); False when it has more lines."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    if len(lines) > SNIPPET_LINES:
        return False
    title_lines = {d.text for d in res.dropped if d.reason == "title"}
    body = [x for x in lines if x not in title_lines]
    if not body:  # the one line was taken for a headline: it is the text
        body, res.title = lines, None
    res.paragraphs = body
    res.dropped = []
    return True


def sentence_like(line: str) -> bool:
    words = _WORDS.findall(line)
    if len(words) < _MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) <= _MAX_CAPITALISED * len(words)


def keep_best_block(res: TextClean) -> None:
    """Move the most article-like block of dropped lines back into the paragraphs (see the module doc)."""
    best: tuple[int, int, int] = (0, 0, 0)  # (words, start, end) in res.dropped
    start = words = 0
    for i, d in enumerate([*res.dropped, None]):
        if d is not None and d.reason in _POSITIONAL and sentence_like(d.text):
            words += len(_WORDS.findall(d.text))
            continue
        if words > best[0]:
            best = (words, start, i)
        start, words = i + 1, 0
    if best[0]:
        _, a, b = best
        res.paragraphs = [d.text for d in res.dropped[a:b]]
        del res.dropped[a:b]
