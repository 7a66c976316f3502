"""Cleaning of already-extracted page text (placeholder baseline; the line classifier replaces it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsline.clean.language import detect_language
from newsline.records import DroppedLine

_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class TextClean:
    paragraphs: list[str]
    dropped: list[DroppedLine] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_evidence: str | None = None
    language: str | None = None


def line_key(line: str) -> str:
    """Normalised form of a line used to count how often it recurs across a corpus."""
    return " ".join(_WORD.findall(line.lower()))


def recurring_lines(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Keys of lines that occur in at least `min_docs` different documents (site chrome)."""
    seen: dict[str, int] = {}
    for text in texts:
        for key in {line_key(x) for x in text.splitlines() if x.strip()}:
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n >= min_docs and k)


def clean_text(text: str, recurring: frozenset[str] = frozenset()) -> TextClean:
    kept, dropped = [], []
    for no, line in enumerate(text.splitlines()):
        s = line.strip()
        if not s:
            continue
        if len(_WORD.findall(s)) >= 15 and s[-1] in ".!?\"”'’" and line_key(s) not in recurring:
            kept.append(s)
        else:
            dropped.append(DroppedLine(no, s, "baseline"))
    lang, _ = detect_language(" ".join(kept))
    return TextClean(kept, dropped, language=lang)
