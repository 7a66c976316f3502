"""The trigger lexicon (`data/lexicon.yaml`): event words and phrases, frames, casualty words, numbers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsline.code.ontology import DATA, ontology
from newsline.knowledge import parse_yaml

log = logging.getLogger(__name__)


@dataclass(slots=True, frozen=True)
class TriggerEntry:
    """One lexicon entry. `words` are lemmas; `head` is the index in `words` of the token that heads the
    phrase (first word for verbs, last for nouns)."""

    words: tuple[str, ...]
    pos: str  # "verb" | "noun" | "adj"
    event_type: str
    mode: str | None
    comps: frozenset[str] = frozenset()  # complement lemmas (one must be present)
    preps: frozenset[str] = frozenset()  # particle/preposition child lemmas (one must be present)
    verbal: bool = False  # requires a verbal complement
    source: str = ""
    excl: frozenset[str] = frozenset()  # particle/preposition child lemmas that rule the entry out

    @property
    def head_word(self) -> str:
        return self.words[0] if self.pos in ("verb", "adj") else self.words[-1]

    @property
    def priority(self) -> int:
        return 2 * len(self.words) + 3 * bool(self.comps) + 2 * bool(self.preps) + 2 * self.verbal


@dataclass(slots=True)
class Lexicon:
    entries: dict[tuple[str, str], list[TriggerEntry]]  # (head lemma, pos) -> entries, best first
    frames: dict[str, frozenset[str]]
    casualties: dict[str, frozenset[str]]
    numbers: dict[str, int]
    assault_modes: dict[str, frozenset[str]]
    multilateral: frozenset[str]
    mediator_verbs: frozenset[str]
    mediator_nouns: frozenset[str]
    agent_nouns: frozenset[str]
    party_nouns: frozenset[str] = frozenset()  # people or bodies named as an act's object (recipients only)
    reacted_nouns: dict[str, str] = field(default_factory=dict)
    needs_recipient: frozenset[str] = frozenset()
    group_reference: frozenset[str] = frozenset()
    anaphoric_groups: frozenset[str] = frozenset()
    patient_subject: frozenset[str] = frozenset()
    mutual_nouns: frozenset[str] = frozenset()
    of_patient: frozenset[str] = frozenset()
    raw: dict[str, Any] = field(default_factory=dict)

    def candidates(self, lemma: str, pos: str) -> list[TriggerEntry]:
        return self.entries.get((lemma, pos), [])


def parse_entry(text: str, pos: str, event_type: str, mode: str | None) -> TriggerEntry:
    words: list[str] = []
    comps: set[str] = set()
    preps: set[str] = set()
    verbal = False
    excl: set[str] = set()
    for part in str(text).split():
        if part.startswith("-") and len(part) > 1:
            excl.update(x for x in part[1:].split("|") if x)
        elif part.startswith("+@"):
            verbal = True
        elif part.startswith("+"):
            comps.update(x for x in part[1:].split("|") if x)
        elif part.startswith(">"):
            preps.update(x for x in part[1:].split("|") if x)
        else:
            words.append(part.lower())
    if not words:
        raise ValueError(f"lexicon entry without words: {text!r}")
    if pos == "verb" and len(words) > 1:
        # "lay down", "open fire": the later words are particles or objects of the verb
        preps.update(words[1:])
        words = words[:1]
    return TriggerEntry(tuple(words), pos, event_type, mode, frozenset(comps), frozenset(preps), verbal, text,
                        frozenset(excl))


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + [x for x in v if x not in out[k]]
        else:
            out[k] = v
    return out


def load_lexicon(path: str | Path | None = None, extra: str | Path | None = None) -> Lexicon:
    raw = parse_yaml(Path(path or DATA / "lexicon.yaml").read_text(encoding="utf-8"))
    if extra:
        raw = _merge(raw, parse_yaml(Path(extra).read_text(encoding="utf-8")) or {})
    onto = ontology()
    entries: dict[tuple[str, str], list[TriggerEntry]] = {}
    seen: set[tuple] = set()
    for etype, modes in (raw.get("triggers") or {}).items():
        if etype not in onto.types:
            raise ValueError(f"lexicon: unknown PLOVER type {etype}")
        for mode, spec in (modes or {}).items():
            mode_v = None if mode in ("_", None) else str(mode)
            if not onto.valid_mode(etype, mode_v):
                raise ValueError(f"lexicon: unknown mode {etype}/{mode_v}")
            for pos in ("verbs", "nouns", "adjs"):
                for text in (spec or {}).get(pos) or []:
                    e = parse_entry(text, {"verbs": "verb", "nouns": "noun", "adjs": "adj"}[pos], etype, mode_v)
                    key = (e.words, e.pos, e.comps, e.preps, e.verbal, e.excl)
                    if key in seen:
                        log.debug("lexicon: %s listed twice; first kept", text)
                        continue
                    seen.add(key)
                    entries.setdefault((e.head_word, e.pos), []).append(e)
    for lst in entries.values():
        lst.sort(key=lambda e: -e.priority)

    def fs(x) -> frozenset[str]:
        return frozenset(str(v).lower() for v in (x or []))

    frames = {k: fs(v) for k, v in (raw.get("frames") or {}).items()}
    casualties = {k: fs(v) for k, v in (raw.get("casualties") or {}).items()}
    numbers = {str(k).lower(): int(v) for k, v in (raw.get("numbers") or {}).items()}
    med = raw.get("mediator") or {}
    return Lexicon(entries=entries, frames=frames, casualties=casualties, numbers=numbers,
                   assault_modes={k: fs(v) for k, v in (raw.get("assault_modes") or {}).items()},
                   multilateral=fs(raw.get("multilateral")), mediator_verbs=fs(med.get("verbs")),
                   mediator_nouns=fs(med.get("nouns")), agent_nouns=fs(raw.get("agent_nouns")), party_nouns=fs(raw.get("party_nouns")),
                   reacted_nouns={str(k).lower(): str(v) for k, v in (raw.get("reacted_nouns") or {}).items()},
                   needs_recipient=frozenset(raw.get("needs_recipient") or []),
                   group_reference=fs(raw.get("group_reference")),
                   anaphoric_groups=fs(raw.get("anaphoric_groups")),
                   patient_subject=fs(raw.get("patient_subject")), mutual_nouns=fs(raw.get("mutual_nouns")),
                   of_patient=fs(raw.get("of_patient")),
                   raw=raw)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon (cached)."""
    return load_lexicon()
