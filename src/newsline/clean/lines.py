"""Line keys: the normalised form of a line that is counted across a corpus as evidence of site chrome.

Kept apart from the cleaner (the package clean/text/) so that the run's own process, which counts lines batch
after batch while its workers clean, does not load the cleaner's libraries.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def line_key(line: str) -> str:
    """Normalised form of a line used to count how often it recurs across a corpus."""
    return " ".join(_WORD.findall(line.lower()))


# a line is site chrome when it occurs in at least this many documents of the corpus
MIN_DOCS = 3


def line_keys(text: str) -> set[str]:
    """The keys of a document's non-blank lines (each counted once per document)."""
    return {key for key in (line_key(x) for x in text.splitlines() if x.strip()) if key}
