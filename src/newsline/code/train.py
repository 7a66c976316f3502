"""`newsline train`: rebuild the shipped coder model from `../shared/train` (and our own labelled sentences).

    newsline train --train-dir ../shared/train [--out src/newsline/data/model] [--folds 5]

1. examples (`trainset.py`), each annotated by the annotate stage and drafted by the rule path, so the model
   sees the same rule features it sees at run time;
2. the sentence model: grouped k-fold cross-validation (a story's quotes stay in one fold) for out-of-fold
   probabilities, per-class figures and the decision thresholds (`classify.decide`), then a fit on all;
3. the CONCEDE/RETREAT split of YIELD;
4. the role model (`rolemodel.py`) from PLV-train's source/target spans, cross-validated the same way;
5. `coder.npz` (plain arrays), `card.json` and `MODEL_CARD.md` with the data files' hashes.

Deterministic: fixed example order, folds without shuffling, deterministic solvers.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from newsline.code import rolemodel
from newsline.code.classify import Thresholds, decide, model_dir
from newsline.code.features import (
    NONE,
    YIELD,
    SentenceFeatures,
    masked_text,
    model_class,
    pack_strings,
    rule_signals,
    rule_vocabulary,
)
from newsline.code.trainset import Example, classes_of, file_hashes, load_examples
from newsline.records import AnnotatedArticle, Article

log = logging.getLogger(__name__)
C_SENTENCE = 10.0
C_YIELD = 10.0
# The share of an article's sentences that report no codable event, assumed for the prior shift at run time
# (`classify.SentenceModel.probs`): about half (our example corpus: 186 expected events in 384 sentences).
NONE_PRIOR_ARTICLE = 0.5
# Article sentences: keep a rule draft unless the model gives its class almost nothing, retype only when the
# model is sure, add none. Not from cross-validation (the training data has no article context): the
# cross-validated sentence thresholds dropped second events of a sentence (their classes compete in a
# single-label model) and added events to background sentences; these were compared on our own example
# corpus (benchmarks/corpus_events.py) and kept where they did not lose events there.
THRESHOLDS_ARTICLE = Thresholds({"*": 0.05}, 0.7, 1.01)
# The decision thresholds are chosen on the out-of-fold rows of human-coded sentences (PLV-train's and our own):
# the sets the coder is judged on are human-coded; NGEC's labels are one LLM's, enriched for positives, and
# IndiaPoliceEvents covers police actions only. (All rows serve the model's fit and its figures.)
THRESHOLD_ORIGINS = ("plv", "own")
Progress = Callable[[str], None]


# ----------------------------------------------------------------------------- annotation and rule features
def annotate_all(texts: list[str], progress: Progress) -> list[AnnotatedArticle]:
    from newsline.annotate import get_annotator

    articles = (Article(id=f"train-{k}", uri="", published=None, language="en", text=text)
                for k, text in enumerate(texts))
    out = []
    for ann in get_annotator().annotate_many(articles):
        out.append(ann)
        if len(out) % 1000 == 0:
            progress(f"annotated {len(out)}/{len(texts)}")
    return out


def rule_drafts(ann: AnnotatedArticle):
    """The rule path's drafts of a text (what `refine_drafts` sees at run time)."""
    from newsline.code.candidates import article_state, candidates
    from newsline.code.lexicon import lexicon
    from newsline.code.ontology import ontology

    if not ann.tokens or not ann.sentences:
        return None, []
    cx = article_state(ann, lexicon(), ontology())
    return cx, candidates(cx)


def reported(drafts) -> list:
    return [d for d in drafts if not d.background]


# ----------------------------------------------------------------------------- the sentence model
def _labels(examples: list[Example]) -> tuple[list[int], list[str]]:
    """One training row per (example, class): a quote positive for two types counts for both."""
    rows, ys = [], []
    for k, ex in enumerate(examples):
        for c in sorted(ex.classes):
            rows.append(k)
            ys.append(c)
    return rows, ys


def fit_sentence(texts: list[str], rules: list[set[str]], examples: list[Example], classes: list[str],
                 idx: np.ndarray, masked: list[str]) -> tuple[SentenceFeatures, LogisticRegression]:
    sub = [examples[k] for k in idx]
    feats = SentenceFeatures(rule_vocabulary(classes, [rules[k] for k in idx]))
    feats.fit([texts[k] for k in idx], [masked[k] for k in idx])
    rows, ys = _labels(sub)
    x = feats.transform([texts[idx[r]] for r in rows], [rules[idx[r]] for r in rows], [masked[idx[r]] for r in rows])
    w = np.array([sub[r].weight for r in rows])
    lr = LogisticRegression(C=C_SENTENCE, max_iter=400)
    lr.fit(x, ys, sample_weight=w)
    return feats, lr


def out_of_fold(texts, rules, examples, classes, folds: int, progress: Progress, masked: list[str],
                models: list | None = None) -> np.ndarray:
    """Out-of-fold class probabilities (grouped k-fold); `models`, when given, receives each fold's fit."""
    groups = [ex.group for ex in examples]
    oof = np.zeros((len(examples), len(classes)), dtype=np.float32)
    for f, (tr, te) in enumerate(GroupKFold(folds).split(texts, groups=groups)):
        feats, lr = fit_sentence(texts, rules, examples, classes, tr, masked)
        p = lr.predict_proba(feats.transform([texts[k] for k in te], [rules[k] for k in te], [masked[k] for k in te]))
        oof[np.ix_(te, [classes.index(c) for c in lr.classes_])] = p
        if models is not None:
            models.append((feats, lr))
        progress(f"sentence model fold {f + 1}/{folds}")
    return oof


def per_class_figures(oof: np.ndarray, examples: list[Example], classes: list[str]) -> dict:
    pred = [classes[k] for k in oof.argmax(axis=1)]
    out = {}
    for c in classes:
        tp = sum(1 for ex, p in zip(examples, pred, strict=True) if p == c and c in ex.classes)
        fp = sum(1 for ex, p in zip(examples, pred, strict=True) if p == c and c not in ex.classes)
        fn = sum(1 for ex, p in zip(examples, pred, strict=True) if p != c and c in ex.classes)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[c] = {"n": tp + fn, "precision": round(prec, 3), "recall": round(rec, 3),
                  "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}
    acc = sum(1 for ex, p in zip(examples, pred, strict=True) if p in ex.classes) / len(examples)
    out["accuracy"] = round(acc, 3)
    out["calibration_error"] = round(calibration_error(oof, examples, classes), 3)
    return out


def calibration_error(oof: np.ndarray, examples: list[Example], classes: list[str], bins: int = 10) -> float:
    """Expected calibration error of the top class's probability (the `confidence` a mention carries): the
    gap between stated probability and observed accuracy, averaged over ten probability bins."""
    top = oof.max(axis=1)
    right = np.array([classes[k] in ex.classes for k, ex in zip(oof.argmax(axis=1), examples, strict=True)])
    err = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        sel = (top >= lo) & (top < lo + 1 / bins)
        if sel.any():
            err += sel.sum() / len(top) * abs(top[sel].mean() - right[sel].mean())
    return float(err)


def decision_f1(oof, examples, drafted: list[list[str]], classes, th: Thresholds, only: str | None = None,
                decide_fn: Callable = decide) -> float:
    """Sentence-level type F1 of the decision (as the sentence benchmarks score it: a predicted type not
    acceptable is a false positive, an event sentence without an acceptable type a false negative; on a
    sentence without an event every predicted type is a false positive). `examples` need `classes` and
    `origin`; `decide_fn` lets a probe try another decision rule."""
    tp = fp = fn = 0
    for k, ex in enumerate(examples):
        if only and ex.origin != only:
            continue
        actions, add = decide_fn(oof[k], classes, drafted[k], th)
        pred = {model_class(a.event_type) for a in actions if a.event_type} | ({model_class(add[0])} if add else set())
        pred = {YIELD if p in ("CONCEDE", "RETREAT") else p for p in pred}
        gold = ex.classes - {NONE}
        if gold:
            hit = bool(pred & gold)
            tp += hit
            fn += not hit
        fp += len(pred - gold)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_thresholds(oof, examples, drafted, classes, progress: Progress) -> Thresholds:
    """Global thresholds (and whether a sentence keeps one event) by grid search on the out-of-fold
    probabilities, then each class's keep threshold by coordinate ascent (a class the rules over-produce gets a
    higher bar)."""
    grid = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4)
    best, th = -1.0, None
    for keep_one, keep, retype, add in product((False, True), grid, (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.01),
                                               (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.01)):
        trial = Thresholds({"*": keep}, retype, add, keep_one)
        f = decision_f1(oof, examples, drafted, classes, trial)
        if f > best:
            best, th = f, trial
    for c in classes:
        if c == NONE:
            continue
        for v in (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            trial = Thresholds({**th.keep, c: v}, th.retype, th.add, th.keep_one)
            f = decision_f1(oof, examples, drafted, classes, trial)
            if f > best:
                best, th = f, trial
    progress(f"thresholds: keep {th.keep} retype {th.retype} add {th.add} keep_one {th.keep_one} "
             f"(cross-validated F1 {best:.3f})")
    return th


# ----------------------------------------------------------------------------- CONCEDE / RETREAT
def fit_yield(examples: list[Example]) -> tuple[SentenceFeatures, LogisticRegression, dict]:
    # only examples labelled with one of the two (PLV's YIELD is either: no evidence for the split)
    rows = [(ex.text, t) for ex in examples for t in sorted(ex.types)
            if t in ("CONCEDE", "RETREAT") and not {"CONCEDE", "RETREAT"} <= ex.types]
    texts, ys = [r[0] for r in rows], [r[1] for r in rows]
    groups = list(range(len(rows)))
    pred = []
    gold = []
    for tr, te in GroupKFold(5).split(texts, groups=groups):
        feats = SentenceFeatures([]).fit([texts[k] for k in tr])
        lr = LogisticRegression(C=C_YIELD, max_iter=400).fit(feats.transform([texts[k] for k in tr], [set()] * len(tr)),
                                                          [ys[k] for k in tr])
        pred += list(lr.predict(feats.transform([texts[k] for k in te], [set()] * len(te))))
        gold += [ys[k] for k in te]
    acc = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
    feats = SentenceFeatures([]).fit(texts)
    lr = LogisticRegression(C=C_YIELD, max_iter=400).fit(feats.transform(texts, [set()] * len(texts)), ys)
    return feats, lr, {"n": len(rows), "accuracy": round(acc, 3)}


# ----------------------------------------------------------------------------- modes
def fit_modes(examples: list[Example], feats: SentenceFeatures, masked: list[str]) -> tuple[LogisticRegression, dict]:
    """One logistic regression over "TYPE|mode" labels (the NGEC quotes' modes valid in the ontology, the
    first of a quote's modes) on the sentence model's text columns (one transform serves both at run time;
    the cross-validation reuses that fitted vocabulary); at run time restricted to the draft's type."""
    from newsline.knowledge import ontology

    onto = ontology()
    rows = [(ex.text, f"{t}|{ms[0]}", ex.group, m) for ex, m in zip(examples, masked, strict=True)
            for t, ms in sorted(ex.modes.items()) if ms and onto.valid_mode(t, ms[0])]
    ys, groups = [r[1] for r in rows], [r[2] for r in rows]
    x = feats.text_matrix([r[0] for r in rows], [r[3] for r in rows])
    right = 0
    for tr, te in GroupKFold(5).split(ys, groups=groups):
        lr = LogisticRegression(C=C_YIELD, max_iter=400).fit(x[tr], [ys[k] for k in tr])
        labels = list(lr.classes_)
        for row, k in zip(lr.predict_proba(x[te]), te, strict=True):
            same = [j for j, c in enumerate(labels) if c.split("|", 1)[0] == ys[k].split("|", 1)[0]]
            right += bool(same) and labels[max(same, key=lambda j: row[j])] == ys[k]
    lr = LogisticRegression(C=C_YIELD, max_iter=400).fit(x, ys)
    return lr, {"n": len(rows), "accuracy_given_type": round(right / max(1, len(rows)), 3)}


# ----------------------------------------------------------------------------- the whole build
@dataclass(slots=True)
class Prepared:
    """The training examples with what every fit reads: texts, masked texts, the rule path's drafted types and
    rule features, and the sentences with labelled spans for the role model (`role_rows`, by example index)."""

    examples: list[Example]
    texts: list[str]
    masked: list[str]
    drafted: list[list[str]]
    rules: list[set[str]]
    role_rows: list[tuple[int, Example, object, list]]
    classes: list[str]


def prepare(examples: list[Example], progress: Progress) -> Prepared:
    texts = [ex.text for ex in examples]
    progress(f"{len(examples)} examples; annotating")
    anns = annotate_all(texts, progress)
    drafted, rules, role_rows = [], [], []
    masked = [masked_text(ann.article.text or "", ann.entities) for ann in anns]
    for k, (ex, ann) in enumerate(zip(examples, anns, strict=True)):
        cx, drafts = rule_drafts(ann)
        kept = reported(drafts)
        drafted.append([d.event_type for d in kept])
        rules.append(rule_signals(kept, cx.doc if cx is not None else None))
        if ex.origin in ("plv", "own") and cx is not None and (ex.source or ex.target):
            role_rows.append((k, ex, cx, kept))
    return Prepared(examples, texts, masked, drafted, rules, role_rows, classes_of(examples))


def threshold_rows(prep: Prepared, idx) -> list[int]:
    """The rows (of `idx`) the decision thresholds are chosen on: the human-coded ones."""
    return [k for k in idx if prep.examples[k].origin in THRESHOLD_ORIGINS]


def fit_model(prep: Prepared, idx: np.ndarray, th: Thresholds, progress: Progress,
              sentence: tuple[SentenceFeatures, LogisticRegression] | None = None) -> tuple[dict, dict]:
    """Every part of the model fitted on the examples `idx` (the sentence model, when not given, too): the
    arrays `coder.npz` holds and the figures of the parts' own cross-validations. `th`: the decision thresholds."""
    sub = [prep.examples[k] for k in idx]
    feats, lr = sentence or fit_sentence(prep.texts, prep.rules, prep.examples, prep.classes, idx, prep.masked)
    order = [list(lr.classes_).index(c) for c in prep.classes]
    arrays = feats.to_arrays("s_")
    arrays.update({"s_classes": pack_strings(prep.classes), "s_coef": lr.coef_[order].astype(np.float32),
                   "s_intercept": lr.intercept_[order].astype(np.float32)})
    yfeats, ylr, yfig = fit_yield(sub)
    arrays.update(yfeats.to_arrays("y_"))
    arrays.update({"y_classes": pack_strings([str(c) for c in ylr.classes_]), "y_coef": ylr.coef_.astype(np.float32),
                   "y_intercept": ylr.intercept_.astype(np.float32)})
    mlr, mfig = fit_modes(sub, feats, [prep.masked[k] for k in idx])
    arrays.update({"m_classes": pack_strings([str(c) for c in mlr.classes_]), "m_coef": mlr.coef_.astype(np.float32),
                   "m_intercept": mlr.intercept_.astype(np.float32)})
    progress(f"mode model: {mfig}")
    keep = set(int(k) for k in idx)
    role_rows = [(ex, cx, kept) for k, ex, cx, kept in prep.role_rows if k in keep]
    progress(f"role model from {len(role_rows)} labelled sentences")
    role_arrays, role_fig = rolemodel.train_roles(role_rows, progress)
    arrays.update(role_arrays)
    card = {"thresholds": th.to_json(), "thresholds_chosen_on": list(THRESHOLD_ORIGINS),
            "none_prior_train": round(sum(1 for ex in sub if NONE in ex.classes) / len(sub), 4),
            "none_prior_article": NONE_PRIOR_ARTICLE, "thresholds_article": THRESHOLDS_ARTICLE.to_json(),
            "yield_split": yfig, "mode_model": mfig, "role_model": role_fig}
    return arrays, card


def train(train_dir: Path, out: Path | None = None, folds: int = 5, progress: Progress | None = None) -> dict:
    progress = progress or (lambda msg: log.info("%s", msg))
    t0 = time.time()
    out = out or model_dir()
    prep = prepare(load_examples(train_dir), progress)
    examples, classes, drafted = prep.examples, prep.classes, prep.drafted
    oof = out_of_fold(prep.texts, prep.rules, examples, classes, folds, progress, prep.masked)
    figures = per_class_figures(oof, examples, classes)
    chosen_on = threshold_rows(prep, range(len(examples)))
    th = choose_thresholds(oof[chosen_on], [examples[k] for k in chosen_on], [drafted[k] for k in chosen_on],
                           classes, progress)
    cv = {o: round(decision_f1(oof, examples, drafted, classes, th, only=o), 3) for o in ("plv", "ngec", "ipe", "own")}
    cv["all"] = round(decision_f1(oof, examples, drafted, classes, th), 3)
    rules_only = Thresholds({"*": 0.0}, 1.01, 1.01)  # every rule draft kept, nothing retyped or added
    cv_rules = {o: round(decision_f1(oof, examples, drafted, classes, rules_only, only=o), 3) for o in ("plv", "ngec", "ipe", "own")}
    arrays, parts = fit_model(prep, np.arange(len(examples)), th, progress)
    card = {
        "model": "newsline coder v2: sentence event classifier + CONCEDE/RETREAT split + role model",
        "data": file_hashes(train_dir),
        "examples": {o: sum(1 for ex in examples if ex.origin == o) for o in ("plv", "ngec", "ipe", "own")},
        "classes": classes,
        "features": "TF-IDF word 1-2-grams (60k) + char_wb 3-5-grams (80k), lower-cased; word 1-2-grams (60k) of the "
                    "text with its named entities masked by kind; rule-path drafted types",
        "sentence_model": f"multinomial logistic regression, C={C_SENTENCE}, sample weights {sorted({ex.origin: ex.weight for ex in examples}.items())}",
        "cv_folds": folds,
        "cv_per_class_argmax": figures,
        "cv_decision_type_f1": cv,
        "cv_rules_alone_type_f1": cv_rules,
        **parts,
        "command": "newsline train --train-dir ../shared/train",
        "seconds": round(time.time() - t0),
    }
    write_model(out, arrays, card)
    progress(f"model written to {out} in {card['seconds']} s")
    return card


def write_model(out: Path, arrays: dict, card: dict, markdown: bool = True) -> None:
    """`coder.npz` and `card.json` (what the coder reads), and the card as Markdown unless `markdown` is False
    (a model built for measuring only, whose card has none of the build's figures)."""
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "coder.npz", **arrays)
    (out / "card.json").write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if markdown:
        (out / "MODEL_CARD.md").write_text(model_card_markdown(card), encoding="utf-8")


def model_card_markdown(card: dict) -> str:
    lines = ["# newsline coder model card", "", card["model"], "",
             f"Rebuild (2 cores, about {card['seconds'] // 60 + 1} minutes): `{card['command']}` "
             "(or `make model`). Deterministic.", "", "## Training data", "", "| file | sha256 |", "|---|---|"]
    lines += [f"| {name} | `{h}` |" for name, h in sorted(card["data"].items())]
    lines += ["", f"Examples by origin: {card['examples']}. IndiaPoliceEvents: police KILL/FORCE -> ASSAULT "
              "(COERCE for crowd control), ARREST -> COERCE; unlabelled and FAIL sentences left out. "
              "`train_own.jsonl`: our own sentences (negatives of the kinds that fool a coder, positives per type).",
              "", "## Features and model", "", f"- {card['features']}", f"- {card['sentence_model']}",
              "- CONCEDE vs RETREAT: logistic regression on the same text features "
              f"({card['yield_split']})",
              "- modes: logistic regression over TYPE|mode on the NGEC quotes' modes, restricted to the draft's "
              f"type, set where the rules gave none and its share is at least 0.5 ({card.get('mode_model')})",
              f"- roles: {card['role_model'].get('model', '')}", "",
              f"## Cross-validated figures ({card['cv_folds']}-fold, grouped by story)", "",
              "Sentence-level type F1 of the whole decision (rules + model), by origin: "
              f"{card['cv_decision_type_f1']}; the rules alone: {card['cv_rules_alone_type_f1']}.", "",
              "Per class (argmax of the out-of-fold probabilities):", "", "| class | n | P | R | F1 |", "|---|---|---|---|---|"]
    for c, f in card["cv_per_class_argmax"].items():
        if isinstance(f, dict):
            lines.append(f"| {c} | {f['n']} | {f['precision']} | {f['recall']} | {f['f1']} |")
    lines += ["", f"Argmax accuracy: {card['cv_per_class_argmax'].get('accuracy')}; expected calibration error of "
              f"the top probability (ten bins): {card['cv_per_class_argmax'].get('calibration_error')}", "",
              "Role model (cross-validated): " + json.dumps({k: v for k, v in card["role_model"].items() if k != "model"}),
              "", "## Thresholds", "", "Sentences of a text of one or two sentences (cross-validated; chosen on the out-of-fold rows of "
              f"{', '.join(card.get('thresholds_chosen_on', ['all']))}):", "",
              "```json", json.dumps(card["thresholds"], indent=1, sort_keys=True), "```", "",
              "Sentences of an article (a no-event prior of "
              f"{card.get('none_prior_article')} against {card.get('none_prior_train')} in training; fixed, see "
              "`train.py`):", "", "```json", json.dumps(card.get("thresholds_article"), indent=1, sort_keys=True),
              "```", ""]
    return "\n".join(lines)
