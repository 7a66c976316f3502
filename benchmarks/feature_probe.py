#!/usr/bin/env python3
"""Probe candidate sentence-model features and decision rules before building them into the coder.

    .venv/bin/python benchmarks/feature_probe.py cache --out /tmp/probe          # annotate + draft (~5 min)
    .venv/bin/python benchmarks/feature_probe.py cv base tensor:0.03 lemma deps maskword maskall --out /tmp/probe
    .venv/bin/python benchmarks/feature_probe.py gsr base tensor:0.03 lemma --out /tmp/probe
    .venv/bin/python benchmarks/feature_probe.py agree --out /tmp/probe            # after `cv base` and `gsr base`

The shipped features (since session 9) include the masked text's word TF-IDF, so `maskword` now adds a second
copy of it and `base` is the shipped model; the decisions use the shipped card's thresholds. `cache` annotates the training sentences (`../shared/train`, as `newsline train` does) and plover-gsr's, keeps
the rule path's drafts and signals, and from a plain spaCy pass over each text: its tok2vec tensor pooled
(mean and max, 192 numbers), its lemmas, dependency triples of its verbs, and the text with its named entities
replaced by their type (`maskword` / `maskall`: word / word and character TF-IDF of it added). `cv` gives the grouped 5-fold
cross-validated decision F1 by origin (the shipped thresholds) and the argmax accuracy for each feature set
added to the shipped features; `gsr` fits on all training data and decides plover-gsr's sentences the same
way (measuring only: nothing is chosen on it). `agree` tries keeping a rule draft whose type is the model's
top class at a lower bar. What was found is in BENCHMARKS.md (issue 12, session 7).
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared"

def _shipped_thresholds() -> dict:
    """The decision thresholds of the shipped model's card (the probe decides with them)."""
    from newsline.code.classify import model_dir

    return json.loads((model_dir() / "card.json").read_text(encoding="utf-8"))["thresholds"]


def _extras(texts: list[str]) -> dict:
    import spacy

    from newsline.annotate.nlp import resolve_model_name

    nlp = spacy.load(resolve_model_name())
    tens, lem, dep, masked = [], [], [], []
    for doc in nlp.pipe(texts, batch_size=64):
        masked.append(_masked(doc))
        t = doc.tensor
        tens.append(np.concatenate([t.mean(0), t.max(0)]) if len(t) else np.zeros(192, np.float32))
        lem.append(" ".join(tok.lemma_.lower() for tok in doc if not tok.is_punct))
        triples = []
        for tok in doc:
            if tok.dep_ == "ROOT" or (tok.pos_ == "VERB" and tok.dep_ in ("ccomp", "xcomp", "conj", "advcl", "relcl")):
                v = tok.lemma_.lower()
                triples.append(f"V_{v}")
                for ch in tok.children:
                    if ch.dep_ in ("dobj", "nsubj", "nsubjpass", "prep", "attr", "xcomp", "neg", "aux", "auxpass"):
                        w = ch.ent_type_ if ch.dep_ in ("nsubj", "nsubjpass") and ch.ent_type_ else ch.lemma_.lower()
                        triples.append(f"{ch.dep_}_{v}_{w}")
        dep.append(" ".join(triples))
    return {"tensor": np.array(tens), "lemma": lem, "deps": dep, "masked": masked}


def _masked(doc) -> str:
    """The text with its named entities masked as the coder masks them (`features.masked_text`)."""
    from newsline.code.features import masked_text

    return masked_text(doc.text, [SimpleNamespace(start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents])


def _drafts(texts: list[str]) -> tuple[list[list[str]], list[set[str]]]:
    from newsline.code import train as T
    from newsline.code.features import rule_signals

    drafted, rules = [], []
    for ann in T.annotate_all(texts, print):
        cx, drafts = T.rule_drafts(ann)
        kept = T.reported(drafts)
        drafted.append([d.event_type for d in kept])
        rules.append(rule_signals(kept, cx.doc if cx is not None else None))
    return drafted, rules


def cache(out: Path) -> None:
    from newsline.code.trainset import load_examples

    examples = load_examples(SHARED / "train")
    texts = [ex.text for ex in examples]
    r = subprocess.run([sys.executable, str(SHARED / "bench" / "score_sentences.py"), "--from-plover-gsr",
                        str(SHARED / "bench" / "plover-gsr" / "PLOVER_GSR_CAMEO.json")], capture_output=True, text=True)
    gold = [json.loads(line) for line in r.stdout.splitlines()]
    gtexts = [g["text"] for g in gold]
    train = {"examples": examples, "texts": texts, **dict(zip(("drafted", "rules"), _drafts(texts), strict=True)),
             **_extras(texts)}
    gsr = {"gold": gold, "texts": gtexts, **dict(zip(("drafted", "rules"), _drafts(gtexts), strict=True)),
           **_extras(gtexts)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "probe.pkl").write_bytes(pickle.dumps({"train": train, "gsr": gsr}))


class Extra:
    """One candidate feature set, fitted on training rows and applied to others."""

    def __init__(self, spec: str):
        self.kind, _, w = spec.partition(":")
        self.weight = float(w or 0.05)

    def fit(self, data: dict, idx) -> Extra:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import StandardScaler

        if self.kind == "tensor":
            self.model = StandardScaler().fit(data["tensor"][idx])
        elif self.kind in ("lemma", "deps"):
            ngrams = (1, 2) if self.kind == "lemma" else (1, 1)
            self.model = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True, min_df=2, token_pattern=r"\S+")
            self.model.fit([data[self.kind][k] for k in idx])
        elif self.kind in ("maskword", "maskall"):  # the shipped text features over the masked texts too
            from newsline.code.features import SentenceFeatures

            self.model = SentenceFeatures([]).fit([data["masked"][k] for k in idx])
        return self

    def transform(self, data: dict, idx):
        if self.kind == "base":
            return None
        if self.kind == "tensor":
            return sp.csr_matrix(self.model.transform(data["tensor"][idx]) * self.weight)
        if self.kind in ("maskword", "maskall"):
            from newsline.code.features import _tfidf

            texts = [data["masked"][k] for k in idx]
            word = _tfidf(self.model.word, texts)
            return word if self.kind == "maskword" else sp.hstack([word, _tfidf(self.model.char, texts)]).tocsr()
        return self.model.transform([data[self.kind][k] for k in idx])


def _fit_predict(spec: str, train: dict, tr, other: dict, te, classes: list[str]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    from newsline.code import train as T
    from newsline.code.features import SentenceFeatures, rule_vocabulary

    feats = SentenceFeatures(rule_vocabulary(classes, [train["rules"][k] for k in tr]))
    feats.fit([train["texts"][k] for k in tr], [train["masked"][k] for k in tr])  # as shipped: masked columns too
    xtr = feats.transform([train["texts"][k] for k in tr], [train["rules"][k] for k in tr], [train["masked"][k] for k in tr])
    xte = feats.transform([other["texts"][k] for k in te], [other["rules"][k] for k in te], [other["masked"][k] for k in te])
    extra = Extra(spec)
    if extra.kind != "base":
        extra.fit(train, tr)
        xtr = sp.hstack([xtr, extra.transform(train, tr)]).tocsr()
        xte = sp.hstack([xte, extra.transform(other, te)]).tocsr()
    sub = [train["examples"][k] for k in tr]
    rows, ys = T._labels(sub)
    lr = LogisticRegression(C=T.C_SENTENCE, max_iter=400)
    lr.fit(xtr[rows], ys, sample_weight=np.array([sub[r].weight for r in rows]))
    p = np.zeros((len(te), len(classes)), dtype=np.float32)
    p[:, [classes.index(c) for c in lr.classes_]] = lr.predict_proba(xte)
    return p


def cv(data: dict, specs: list[str], out: Path) -> None:
    from sklearn.model_selection import GroupKFold

    from newsline.code import train as T
    from newsline.code.classify import Thresholds
    from newsline.code.trainset import classes_of

    train = data["train"]
    examples = train["examples"]
    classes = classes_of(examples)
    th = Thresholds.from_json(_shipped_thresholds())
    for spec in specs:
        oof = np.zeros((len(examples), len(classes)), dtype=np.float32)
        for tr, te in GroupKFold(5).split(examples, groups=[ex.group for ex in examples]):
            oof[te] = _fit_predict(spec, train, tr, train, te, classes)
        np.save(out / f"oof_{spec}.npy", oof)
        res = {o: round(T.decision_f1(oof, examples, train["drafted"], classes, th, only=o), 4)
               for o in ("plv", "ngec", "ipe", "own")}
        res["all"] = round(T.decision_f1(oof, examples, train["drafted"], classes, th), 4)
        print(spec, "argmax accuracy", T.per_class_figures(oof, examples, classes)["accuracy"], "decision F1", res,
              flush=True)


def _gsr_gold(g: dict) -> list[SimpleNamespace]:
    """plover-gsr's sentences as `train.decision_f1` reads examples (model classes, an origin)."""
    from newsline.code.features import model_class

    return [SimpleNamespace(classes={model_class(t) for t in x["types"]}, origin="gsr") for x in g["gold"]]


def gsr(data: dict, specs: list[str], out: Path) -> None:
    from newsline.code import train as T
    from newsline.code.classify import Thresholds
    from newsline.code.trainset import classes_of

    train, g = data["train"], data["gsr"]
    classes = classes_of(train["examples"])
    gold = _gsr_gold(g)
    for spec in specs:
        p = _fit_predict(spec, train, np.arange(len(train["texts"])), g, np.arange(len(g["texts"])), classes)
        np.save(out / f"gsr_{spec}.npy", p)
        acc = np.mean([classes[k] in gs.classes for k, gs in zip(p.argmax(1), gold, strict=True)])
        f = T.decision_f1(p, gold, g["drafted"], classes, Thresholds.from_json(_shipped_thresholds()))
        print(spec, "plover-gsr argmax accuracy", round(float(acc), 4), "decision F1", round(f, 4), flush=True)


def agree(data: dict, out: Path) -> None:
    """A rule draft kept when its class is the model's top class (NONE included) at `bar` or more."""
    from newsline.code import train as T
    from newsline.code.classify import Action, Thresholds, decide
    from newsline.code.features import model_class
    from newsline.code.trainset import classes_of

    train, g = data["train"], data["gsr"]
    classes = classes_of(train["examples"])
    th = Thresholds.from_json(_shipped_thresholds())

    def with_bar(bar):
        def decide_agree(p, classes, rule_types, th):
            actions, add = decide(p, classes, rule_types, th)
            top = int(np.argmax(p))
            return [Action(t, float(p[top])) if a.event_type is None and model_class(t) == classes[top]
                    and p[top] >= bar else a for t, a in zip(rule_types, actions, strict=True)], add
        return decide_agree

    oof, gp = np.load(out / "oof_base.npy"), np.load(out / "gsr_base.npy")
    for bar in (None, 0.0, 0.2, 0.3, 0.35):
        dec = decide if bar is None else with_bar(bar)
        cv = T.decision_f1(oof, train["examples"], train["drafted"], classes, th, decide_fn=dec)
        on_gsr = T.decision_f1(gp, _gsr_gold(g), g["drafted"], classes, th, decide_fn=dec)
        print("agreement bar", bar, "cross-validated", round(cv, 4), "plover-gsr", round(on_gsr, 4), flush=True)


def main(argv: list[str]) -> int:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else Path("/tmp/newsline-feature-probe")
    args = [a for k, a in enumerate(argv[1:], 1) if a != "--out" and argv[k - 1] != "--out"]
    if not args:
        print(__doc__)
        return 2
    if args[0] == "cache":
        cache(out)
        return 0
    data = pickle.loads((out / "probe.pkl").read_bytes())
    {"cv": lambda: cv(data, args[1:], out), "gsr": lambda: gsr(data, args[1:], out),
     "agree": lambda: agree(data, out)}[args[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
