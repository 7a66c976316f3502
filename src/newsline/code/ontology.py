"""PLOVER ontology (types, modes, contexts, quad classes, scores) loaded from `data/plover.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(slots=True, frozen=True)
class EventType:
    name: str
    quad: int
    score: float | None
    modes: dict[str, float | None]
    definition: str = ""
    requires_recipient: bool = False
    future_to_agree: bool = False
    future_to: str | None = None


@dataclass(slots=True)
class Ontology:
    types: dict[str, EventType]
    contexts: list[str]
    quad_classes: dict[int, str]
    mode_contexts: dict[str, str] = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    def quad(self, event_type: str) -> int | None:
        t = self.types.get(event_type)
        return t.quad if t else None

    def score(self, event_type: str, mode: str | None = None) -> float | None:
        t = self.types.get(event_type)
        if t is None:
            return None
        if mode and mode in t.modes and t.modes[mode] is not None:
            return t.modes[mode]
        return t.score

    def valid_mode(self, event_type: str, mode: str | None) -> bool:
        t = self.types.get(event_type)
        return mode is None or (t is not None and mode in t.modes)

    def future_type(self, event_type: str) -> str:
        """The type a future/announced event of `event_type` is coded as (PLOVER: future cooperation is AGREE,
        an announced retreat is CONCEDE)."""
        t = self.types.get(event_type)
        if t is None:
            return event_type
        if t.future_to_agree:
            return "AGREE"
        return t.future_to or event_type


def load_ontology(path: str | Path | None = None) -> Ontology:
    raw = yaml.safe_load(Path(path or DATA / "plover.yaml").read_text(encoding="utf-8"))
    types = {}
    for name, spec in raw["event_types"].items():
        types[name] = EventType(
            name=name, quad=int(spec["quad"]), score=spec.get("score"), modes=dict(spec.get("modes") or {}),
            definition=spec.get("definition", ""), requires_recipient=bool(spec.get("requires_recipient")),
            future_to_agree=bool(spec.get("future_to_agree")), future_to=spec.get("future_to"))
    return Ontology(types=types, contexts=list(raw.get("contexts", [])),
                    quad_classes={int(k): v for k, v in raw.get("quad_classes", {}).items()},
                    mode_contexts=dict(raw.get("mode_contexts") or {}), sectors=list(raw.get("sectors", [])),
                    statuses=list(raw.get("statuses", [])))


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    """The packaged ontology (cached)."""
    return load_ontology()
