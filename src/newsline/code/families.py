"""PLOVER type families (`data/type_families.yaml`): the sets of event types the coder treats alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsline.code.ontology import DATA
from newsline.knowledge import parse_yaml

_SETS = ("absorbing", "conflict", "reactions", "dyadic", "content", "agreement", "speech_acts", "material", "opinions", "detaining", "mutual")


@dataclass(slots=True, frozen=True)
class TypeFamilies:
    absorbing: frozenset[str]
    conflict: frozenset[str]
    reactions: frozenset[str]
    dyadic: frozenset[str]
    content: frozenset[str]
    agreement: frozenset[str]
    speech_acts: frozenset[str]
    material: frozenset[str]
    opinions: frozenset[str]
    detaining: frozenset[str]
    mutual: frozenset[str]
    threat_modes: dict[str, str]


def load_type_families(path: str | Path | None = None) -> TypeFamilies:
    raw = parse_yaml(Path(path or DATA / "type_families.yaml").read_text(encoding="utf-8"))
    missing = [k for k in (*_SETS, "threat_modes") if k not in raw]
    if missing:
        raise ValueError(f"type_families.yaml lacks {', '.join(missing)}")
    sets = {k: frozenset(str(t) for t in raw[k]) for k in _SETS}
    return TypeFamilies(**sets, threat_modes={str(k): str(v) for k, v in raw["threat_modes"].items()})


@lru_cache(maxsize=1)
def type_families() -> TypeFamilies:
    """The packaged type families (cached)."""
    return load_type_families()
