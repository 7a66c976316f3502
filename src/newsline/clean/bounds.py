"""Bounds on what one document costs the cleaner and the stages after it (issue 13).

Within `MAX_BYTES` a text can still be hostile in shape: one 5 MB line, 2.5 million short lines, a
100k-line dump. The line classifier's time grows faster than its number of lines and its memory with every
line's features, and spaCy's memory with the length of the text (about 3 MB per 1,000 characters of one
text). So the classifier reads lines of at most `MAX_LINE_CHARS` (longer ones are split at sentence ends)
and at most `CLASSIFY_LINES` lines / `CLASSIFY_CHARS` characters of a page, and an article keeps at most
`MAX_TEXT_CHARS` characters; what is cut is recorded as a dropped line with the reason, never silently.

A light module (standard library only).
"""

from __future__ import annotations

import re

from newsline.records import DroppedLine

MAX_LINE_CHARS = 5_000
CLASSIFY_LINES = 5_000
CLASSIFY_CHARS = 500_000
# Longer than any news article (about 15,000 words); the NLP stage reads no more either
# (newsline.annotate.nlp.MAX_CHARS)
MAX_TEXT_CHARS = 100_000
_PREVIEW = 200
# where a sentence ends inside a line: . ! ? (and closing quotes or brackets) then a space
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+")


def _cut(text: str, limit: int) -> int:
    """Where to cut `text` at most `limit` characters in: the last sentence end, else the last space."""
    window = text[:limit]
    last = None
    for last in _SENTENCE_END.finditer(window):  # noqa: B007 - the last match is the one wanted
        pass
    if last is not None and last.end() > limit // 2:
        return last.end()
    space = window.rfind(" ")
    return space + 1 if space > limit // 2 else limit


def split_long_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """`text` with every line longer than `limit` split into lines at sentence ends (or spaces)."""
    if not any(len(line) > limit for line in text.splitlines()):
        return text
    out: list[str] = []
    for line in text.splitlines():
        while len(line) > limit:
            k = _cut(line, limit)
            out.append(line[:k].rstrip())
            line = line[k:]
        out.append(line)
    return "\n".join(out)


def classified_part(text: str, max_lines: int = CLASSIFY_LINES,
                    max_chars: int = CLASSIFY_CHARS) -> tuple[str, DroppedLine | None]:
    """The head of `text` the line classifier reads, and a record of the rest (None when nothing is cut)."""
    if len(text) <= max_chars and text.count("\n") < max_lines:
        return text, None
    end = lines = 0
    while lines < max_lines:
        nl = text.find("\n", end)
        if nl == -1 or nl + 1 > max_chars:
            break
        end, lines = nl + 1, lines + 1
    if end == 0:  # a first line longer than the limit (split_long_lines prevents it)
        end = max_chars
    why = f"beyond the cleaner's limit ({max_lines:,} lines, {max_chars:,} characters)"
    return text[:end], _summary(lines + 1, text[end:], why)


def capped_paragraphs(paragraphs: list[str], max_chars: int = MAX_TEXT_CHARS) -> tuple[list[str], DroppedLine | None]:
    """At most `max_chars` characters of article text (newlines included), cut at a sentence end."""
    total = sum(map(len, paragraphs)) + max(len(paragraphs) - 1, 0)
    if total <= max_chars:
        return paragraphs, None
    kept: list[str] = []
    room = max_chars
    for i, p in enumerate(paragraphs):
        if len(p) <= room:
            kept.append(p)
            room -= len(p) + 1
            continue
        k = _cut(p, room) if room > 0 else 0
        if k:
            kept.append(p[:k].rstrip())
        rest = "\n".join([p[k:], *paragraphs[i + 1:]])
        return kept, _summary(0, rest, f"beyond the article limit ({max_chars:,} characters)")
    return kept, None


def _summary(line_no: int, rest: str, why: str) -> DroppedLine:
    preview = rest[:_PREVIEW].replace("\n", " ").strip()
    return DroppedLine(line_no, f"{preview} … ({len(rest):,} characters)", why)
