"""Knowledge as data, on the ground floor: where newsline's YAML lives, one way to read it, and the PLOVER
ontology (event types with their quad classes and scores, modes, contexts, sectors, statuses).

Every stage and every reader of the store takes these from here (`newsline.code.ontology` re-exports the
ontology for the coder). It imports nothing of newsline's, so any package may import it.

    data_path("cluster.yaml") -> Path           a packaged data file
    load_yaml(path) -> Any                      a YAML file (a user's --actors file, or a packaged one)
    ontology() -> Ontology                      the packaged PLOVER ontology (cached)
    country_name(code) -> str | None            a country's (or PLOVER pseudo-country's) name
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
# the C parser when PyYAML has it (the same result as yaml.safe_load, several times faster: the actor
# dictionary and the gazetteer extras are read at every start-up)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(name: str) -> Path:
    """A packaged data file (`src/newsline/data/<name>`)."""
    return DATA / name


def parse_yaml(text: str) -> Any:
    """YAML text with the safe loader."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)


def load_yaml(path: str | Path) -> Any:
    """A YAML file with the safe loader (None for an empty file)."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


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
    two_sided: bool = False  # a joint act of two sides (talks, an agreement): a dyad either way round


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
    """The PLOVER ontology of `path` (default `data/plover.yaml`)."""
    raw = load_yaml(path or data_path("plover.yaml"))
    types = {}
    for name, spec in raw["event_types"].items():
        types[name] = EventType(
            name=name, quad=int(spec["quad"]), score=spec.get("score"), modes=dict(spec.get("modes") or {}),
            definition=spec.get("definition", ""), requires_recipient=bool(spec.get("requires_recipient")),
            future_to_agree=bool(spec.get("future_to_agree")), future_to=spec.get("future_to"),
            two_sided=bool(spec.get("two_sided")))
    return Ontology(types=types, contexts=list(raw.get("contexts", [])),
                    quad_classes={int(k): v for k, v in raw.get("quad_classes", {}).items()},
                    mode_contexts=dict(raw.get("mode_contexts") or {}), sectors=list(raw.get("sectors", [])),
                    statuses=list(raw.get("statuses", [])))


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    """The packaged ontology (cached)."""
    return load_ontology()


# PLOVER's pseudo-countries (IGOs, NGOs, movements): codes with a name but no ISO country
PSEUDO_COUNTRIES = {"UNO": "United Nations", "IGO": "Intergovernmental organisation", "EUR": "European Union",
                    "NGO": "Non-governmental organisation", "IMG": "Transnational armed group",
                    "ISM": "International social movement", "MNC": "Multinational corporation"}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """Country name for an ISO alpha-3 (or PLOVER pseudo-country) code."""
    if not code:
        return None
    if code in PSEUDO_COUNTRIES:
        return PSEUDO_COUNTRIES[code]
    try:
        import pycountry
        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):
        found = None
    return found.name if found else code
