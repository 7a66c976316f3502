"""The learned sentence classifier and the decision it makes over the rule path's drafts.

A multinomial logistic regression over the sentence's text features and the rule path's drafted types
(`features.SentenceFeatures`) gives calibrated probabilities over the event classes (PLOVER types with
CONCEDE/RETREAT as YIELD, and NONE where our own negatives trained it). Per sentence (`decide`):

- a rule draft whose class the model finds likely enough (per-class `keep` threshold) is kept;
- otherwise it is retyped to the model's best class when that is confident (`retype`), else dropped;
- a sentence without drafts gets one from the model's best class when that is confident (`add`), built on the
  sentence's main verb by the rule path's own drafting (roles, status, date, place).

Thresholds are chosen by cross-validation on the training data (`train.py`) and stored with the weights in
`data/model/coder.npz`; the model card (`data/model/card.json`, `MODEL_CARD.md`) says what it was trained on.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from newsline.code.features import NONE, YIELD, SentenceFeatures, model_class, unpack_strings
from newsline.code.rolemodel import RoleModel

log = logging.getLogger(__name__)


def model_dir() -> Path:
    """The shipped model's folder; NEWSLINE_CODER_MODEL points at another (one `newsline train --out` wrote)."""
    other = os.environ.get("NEWSLINE_CODER_MODEL")
    return Path(other) if other else Path(str(resources.files("newsline") / "data" / "model"))


MODE_MIN = 0.5  # a mode is set only where the mode model gives it at least this share among the type's modes


@dataclass(slots=True)
class Thresholds:
    keep: dict[str, float]  # per class: a rule draft of this class is kept at or above
    retype: float  # a dropped draft is retyped to the best class at or above
    add: float  # a sentence without drafts gets the best class at or above
    # a text given as an event report (a sentence, a snippet) keeps one event when the rules found one: its
    # best draft takes the model's best class rather than the sentence losing every draft
    keep_one: bool = False

    def keep_of(self, cls: str) -> float:
        return self.keep.get(cls, self.keep.get("*", 0.0))

    def to_json(self) -> dict:
        return {"keep": self.keep, "retype": self.retype, "add": self.add, "keep_one": self.keep_one}

    @classmethod
    def from_json(cls, d: dict) -> Thresholds:
        return cls(dict(d["keep"]), float(d["retype"]), float(d["add"]), bool(d.get("keep_one", False)))


@dataclass(slots=True)
class Action:
    """What becomes of one rule draft: its (possibly new) type, or None when dropped."""

    event_type: str | None
    confidence: float


def decide(p: np.ndarray, classes: list[str], rule_types: list[str], th: Thresholds,
           yield_type: str = YIELD) -> tuple[list[Action], tuple[str, float] | None]:
    """The decision for one sentence: an action per rule draft (in order) and, for a sentence without drafts,
    the type and confidence of a draft to add (or None). `yield_type` is what YIELD becomes when a draft is
    retyped or added to it; left YIELD, the caller asks the CONCEDE/RETREAT model only where it is needed."""
    idx = {c: k for k, c in enumerate(classes)}
    order = [k for k in np.argsort(-p) if classes[k] != NONE]
    best = order[0] if order else None
    best_type = None
    if best is not None:
        best_type = yield_type if classes[best] == YIELD else classes[best]
    actions = []
    for t in rule_types:
        c = model_class(t)
        pc = float(p[idx[c]]) if c in idx else 0.0
        # kept when likely enough for its class, or when it is the model's own best class and clears the bar a
        # retype would need (a draft the model would retype *to* must not be dropped for being itself)
        if pc >= th.keep_of(c) or (best is not None and classes[best] == c and pc >= th.retype):
            actions.append(Action(t, pc))
        elif best is not None and p[best] >= th.retype:
            actions.append(Action(best_type, float(p[best])))
        else:
            actions.append(Action(None, pc))
    if th.keep_one and actions and best is not None and all(a.event_type is None for a in actions):
        k = max(range(len(actions)), key=lambda j: actions[j].confidence)
        actions[k] = Action(best_type, float(p[best]))
    add = None
    if not rule_types and best is not None and p[best] >= th.add:
        add = (best_type, float(p[best]))
    return actions, add


class SentenceModel:
    """The shipped sentence classifier (weights as plain arrays) and its CONCEDE/RETREAT split."""

    def __init__(self, arrays, card: dict):
        self.card = card
        self.classes = unpack_strings(arrays["s_classes"])
        self.features = SentenceFeatures.from_arrays(arrays, "s_")
        # the weights stored transposed and contiguous: `sparse @ dense.T` would copy a transposed view on
        # every call (about 0.7 ms for the sentence model, 100 times the product itself)
        self.coef_t = np.ascontiguousarray(arrays["s_coef"].astype(np.float32).T)
        self.intercept = arrays["s_intercept"].astype(np.float32)
        self.yield_features = SentenceFeatures.from_arrays(arrays, "y_")
        self.yield_coef_t = np.ascontiguousarray(arrays["y_coef"].astype(np.float32).T)
        self.yield_intercept = float(arrays["y_intercept"][0])
        self.yield_classes = unpack_strings(arrays["y_classes"])
        self.has_modes = "m_classes" in arrays  # the mode model reads the sentence model's text columns
        if self.has_modes:
            self.mode_classes = unpack_strings(arrays["m_classes"])  # "TYPE|mode"
            self.mode_coef_t = np.ascontiguousarray(arrays["m_coef"].astype(np.float32).T)
            self.mode_intercept = arrays["m_intercept"].astype(np.float32)
        self.thresholds = Thresholds.from_json(card["thresholds"])
        self.roles = RoleModel(arrays) if "r_features" in arrays else None  # the role model, same file
        # in an article, two events told in one sentence are common: the single-label training data makes
        # their classes compete, so article sentences keep a rule draft at a lower bar and add none
        self.article_thresholds = Thresholds.from_json(card.get("thresholds_article", card["thresholds"]))

    @classmethod
    def load(cls, folder: Path | None = None) -> SentenceModel:
        folder = folder or model_dir()
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        with np.load(folder / "coder.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        return cls(arrays, card)

    def probs(self, texts: list[str], rule_types: list[set[str]], none_prior: float | None = None,
              masked: list[str] | None = None) -> np.ndarray:
        """Class probabilities, one row per text (softmax of the linear scores, as scikit-learn computes them).

        The training data is nearly all event sentences (NONE is a few percent of it); a sentence of an article
        is far more often no event. `none_prior` re-weighs the probabilities to that prior (Bayes' rule with the
        class priors changed: NONE's odds multiplied by the ratio of the new prior odds to the training ones).
        `masked`: the texts with their named entities masked (`features.masked_text`), where known."""
        return self.probs_x(self.features.text_matrix(texts, masked), rule_types, none_prior)

    def probs_x(self, text_x, rule_types: list[set[str]], none_prior: float | None = None) -> np.ndarray:
        """`probs` given the texts' text columns (`features.text_matrix`), which the mode model reads too."""
        # the text columns and the rule columns multiplied apart: no stacked copy of the text columns
        n = text_x.shape[1]
        z = np.asarray(text_x @ self.coef_t[:n]) + np.asarray(self.features.rule_matrix(rule_types) @ self.coef_t[n:])
        z += self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        if none_prior is not None and NONE in self.classes:
            k = self.classes.index(NONE)
            train = self.card.get("none_prior_train", 0.0)
            if 0.0 < train < 1.0 and 0.0 < none_prior < 1.0:
                p[:, k] *= (none_prior / (1 - none_prior)) / (train / (1 - train))
                p /= p.sum(axis=1, keepdims=True)
        return p

    def mode(self, text: str, event_type: str, at_least: float = MODE_MIN) -> str | None:
        """The PLOVER mode of an event of `event_type` told by `text` (see `modes`)."""
        return self.modes(self.features.text_matrix([text]), [event_type], at_least)[0]

    def modes(self, text_x, event_types: list[str], at_least: float = MODE_MIN) -> list[str | None]:
        """Modes from the mode model (trained on the NGEC quotes' modes over the sentence model's text
        columns), one per row of `text_x` and its type, each where its probability among that type's modes is
        at least `at_least`."""
        out: list[str | None] = [None] * len(event_types)
        if not self.has_modes or not event_types:
            return out
        z_all = np.asarray(text_x @ self.mode_coef_t) + self.mode_intercept
        for n, (row, t) in enumerate(zip(z_all, event_types, strict=True)):
            ks = [k for k, c in enumerate(self.mode_classes) if c.split("|", 1)[0] == t]
            if not ks:
                continue
            z = row[ks]
            p = np.exp(z - z.max())
            p /= p.sum()
            k = int(np.argmax(p))
            out[n] = self.mode_classes[ks[k]].split("|", 1)[1] if p[k] >= at_least else None
        return out

    def yield_type(self, text: str) -> str:
        """CONCEDE or RETREAT for a sentence the model puts in YIELD."""
        x = self.yield_features.transform([text], [set()])
        score = float(np.asarray(x @ self.yield_coef_t).ravel()[0]) + self.yield_intercept
        return self.yield_classes[1] if score > 0 else self.yield_classes[0]


@lru_cache(maxsize=1)
def sentence_model() -> SentenceModel | None:
    """The shipped model, loaded once per process; None (rules alone) when the package has none."""
    try:
        return SentenceModel.load()
    except FileNotFoundError:
        log.warning("no trained coder model in %s: coding with the rules alone", model_dir())
        return None
