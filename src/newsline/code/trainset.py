"""Training examples for the learned coder steps, read from `../shared/train` (see its README) and from our own
labelled sentences (`data/train_own.jsonl`).

- plv-train.jsonl: human PLOVER root codes, one per sentence, with the source and target spans (the role
  model's training data). Old names mapped as the README says (DEMAND -> REQUEST, ...); YIELD kept as the
  sentence model's YIELD class (CONCEDE or RETREAT).
- ngec-voa.jsonl: one LLM's judgments on VOA quotes; only label-1 rows carry text, so they are positives of
  their type (a quote positive for two types counts for both).
- ipe-sentences.jsonl: human police-action labels: KILL/FORCE -> ASSAULT (COERCE for crowd-control words:
  the README's "the sentence decides"), ARREST -> COERCE. Unlabelled sentences are NOT negatives (other
  actors' violence is unlabelled) and FAIL is a non-action: both are left out. Lower-cased text: weighted
  down so that one newspaper's month does not dominate.
- train_own.jsonl: our own sentences, negatives (no codable event) of the kinds that fool a coder and
  positives per type.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from newsline.code.features import NONE, YIELD, model_class

OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# Crowd-control words that make a police FORCE sentence COERCE rather than ASSAULT (the IPE README's mapping).
CROWD_CONTROL = re.compile(r"lathi|tear ?gas|baton|cane[- ]charg|water cannon|curfew|dispers", re.I)
# PLV-train's codes are human judgments of the kind the benchmarks hold; NGEC's are one LLM's (a plv row counts
# twice: cross-validated decision F1 .759 -> .760 over all rows, .751 -> .759 on plv's; BENCHMARKS, session 9)
WEIGHTS = {"plv": 2.0, "ngec": 1.0, "ipe": 0.5, "own": 1.0}
TRAIN_FILES = ("plv-train.jsonl", "ngec-voa.jsonl", "ipe-sentences.jsonl")


@dataclass(slots=True)
class Example:
    text: str
    classes: set[str]  # sentence-model classes; {NONE} for a sentence without a codable event
    origin: str  # plv | ngec | ipe | own
    group: str  # examples of one story share a group (cross-validation keeps a story in one fold)
    types: set[str] = field(default_factory=set)  # PLOVER types as labelled (CONCEDE/RETREAT where known)
    source: str | None = None
    target: str | None = None
    modes: dict[str, list[str]] = field(default_factory=dict)  # PLOVER type -> its modes, where labelled

    @property
    def weight(self) -> float:
        return WEIGHTS[self.origin]


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def own_path() -> Path:
    return Path(str(resources.files("newsline") / "data" / "train_own.jsonl"))


def _plv(path: Path) -> list[Example]:
    out = []
    for r in _jsonl(path):
        label = OLD_NAMES.get(r["label"], r["label"])
        group = "-".join(r["id"].split("-")[:3])  # plv-train-<sentence>[-2]: both actor pairs in one fold
        out.append(Example(r["text"], {model_class(label)}, "plv", group,
                           set(r.get("types") or [label]), r.get("source"), r.get("target")))
    return out


def _ngec(path: Path) -> list[Example]:
    by_text: dict[str, Example] = {}
    for r in _jsonl(path):
        if r.get("label") != 1 or not r.get("text"):
            continue
        ex = by_text.setdefault(r["text"], Example(r["text"], set(), "ngec", f"ngec-{r['story_id']}"))
        ex.classes.add(model_class(r["type"]))
        ex.types.add(r["type"])
        if r.get("modes"):
            ex.modes[r["type"]] = list(r["modes"])
    return list(by_text.values())


def _ipe(path: Path) -> list[Example]:
    out = []
    for r in _jsonl(path):
        labels = set(r["labels"])
        if labels & {"KILL", "FORCE"}:
            t = "COERCE" if "KILL" not in labels and CROWD_CONTROL.search(r["text"]) else "ASSAULT"
        elif "ARREST" in labels:
            t = "COERCE"
        else:
            continue
        out.append(Example(r["text"], {t}, "ipe", f"ipe-{r['doc_id']}", {t}))
    return out


def _own(path: Path) -> list[Example]:
    out = []
    for r in _jsonl(path):
        types = set(r.get("types") or [])
        classes = {model_class(t) for t in types} or {NONE}
        out.append(Example(r["text"], classes, "own", r["id"], types, r.get("source"), r.get("target")))
    return out


def load_examples(train_dir: Path, own: Path | None = None) -> list[Example]:
    """Every training example, in a fixed order."""
    out = _plv(train_dir / "plv-train.jsonl") + _ngec(train_dir / "ngec-voa.jsonl") + _ipe(train_dir / "ipe-sentences.jsonl")
    own = own or own_path()
    if own.exists():
        out += _own(own)
    return out


def file_hashes(train_dir: Path, own: Path | None = None) -> dict[str, str]:
    """sha256 of every file the model is trained on (the model card lists them; a test checks them)."""
    paths = [train_dir / f for f in TRAIN_FILES] + [own or own_path()]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def classes_of(examples: list[Example]) -> list[str]:
    found = sorted({c for ex in examples for c in ex.classes})
    return [c for c in found if c != NONE] + ([NONE] if NONE in found else [])


__all__ = ["Example", "load_examples", "file_hashes", "classes_of", "NONE", "YIELD"]
