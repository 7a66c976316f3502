"""A role model learned from labelled spans: which noun phrase of a sentence is an event's source or target.

Candidates are the heads of the sentence's noun phrases. A candidate is described relative to the event's
trigger by the parse (its dependency label, the labels on the path up to the trigger, the preposition that
governs it, side and distance), by the actor dictionary (resolved or not, the actor's kind), by the named
entity type, and by the rule path's own choice (is it in the rules' actor or recipient). Two logistic
regressions (source, target) are trained on PLV-train's spans (`train.py`); at run time the model fills a
role the rules left empty when its best candidate is likely enough (`fill_roles`).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from newsline.code.doc import Doc
from newsline.code.features import model_class, pack_strings, unpack_strings
from newsline.code.phrases import actors_in, np_tokens
from newsline.records import ActorRef

ROLES = ("source", "target")
NOMINAL = {"PROPN", "NOUN", "PRON"}
INNER_DEPS = {"compound", "flat", "amod", "nmod", "nummod", "det", "case", "punct"}
TOKEN = re.compile(r"\w+")
C_ROLE = 0.5


def candidates(d: Doc, rng: range) -> list[int]:
    """Heads of the noun phrases in a token range."""
    return [i for i in rng if d.tokens[i].pos in NOMINAL and d.tokens[i].dep not in INNER_DEPS
            and i not in d.time_tokens]


def phrase_text(d: Doc, head: int) -> str:
    ids = sorted(np_tokens(d, head))
    return "".join(d.tokens[k].text + d.tokens[k].whitespace for k in ids).strip()


def _path(d: Doc, h: int, v: int, hops: int = 4) -> str:
    """Dependency labels from `h` up to the trigger `v` ("nsubj", "pobj>prep", ...) or "-" when `v` does not
    govern `h` within a few hops."""
    labels, k = [], h
    for _ in range(hops):
        if k == v:
            return ">".join(labels) or "self"
        tok = d.tokens[k]
        labels.append(tok.dep)
        if tok.head == k:
            break
        k = tok.head
    return ">".join(labels) if k == v else "-"


def _prep(d: Doc, h: int) -> str:
    tok = d.tokens[h]
    if tok.dep == "pobj" and tok.head != h:
        return d.tokens[tok.head].lemma.lower()
    return ""


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n <= 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9+"


def _overlaps(text: str, refs: list[ActorRef]) -> bool:
    words = {w.lower() for w in TOKEN.findall(text)}
    return any(words & {w.lower() for w in TOKEN.findall(r.text or r.name or "")} for r in refs)


def features(d: Doc, h: int, v: int, actor: list[ActorRef], recipient: list[ActorRef],
             event_class: str | None = None) -> dict[str, float]:
    """A candidate's features; with `event_class` (the model class of the event's type) the parse features are
    repeated conjoined with it, because where a role sits depends on the event: an accusation's target is its
    object, a visit's is the place visited, a request's the addressee of "to"/"on" (cross-validated on
    PLV-train and our own spans: target token F1 0.527 -> 0.563, source 0.833 -> 0.832)."""
    tok, trig = d.tokens[h], d.tokens[v]
    path = _path(d, h, v)
    prep = _prep(d, h)
    resolved = [d.ann.actors[a].actor for a in d.actor_by_token.get(h, [])]
    kind = resolved[0].kind if resolved else "none"
    side = "before" if h < v else "after"
    text = phrase_text(d, h)
    f = {
        f"dep={tok.dep}": 1, f"path={path}": 1, f"prep={prep}": 1, f"side={side}": 1,
        f"dist={_bucket(abs(h - v))}": 1, f"pos={tok.pos}": 1, f"ent={tok.ent_type}": 1, f"kind={kind}": 1,
        f"trigpos={trig.pos}": 1, f"path_prep={path}|{prep}": 1, f"side_dep={side}|{tok.dep}": 1,
        f"trig_prep={trig.lemma.lower()}|{prep}": 1,
        "rule_actor": float(_overlaps(text, actor)), "rule_recipient": float(_overlaps(text, recipient)),
        "governed": float(path != "-"), "bias": 1,
    }
    if event_class:
        for key in (f"path={path}", f"prep={prep}", f"side={side}", f"dep={tok.dep}"):
            f[f"{event_class}|{key}"] = 1
    return f


def token_f1(a: str, b: str) -> float:
    ta, tb = Counter(w.lower() for w in TOKEN.findall(a or "")), Counter(w.lower() for w in TOKEN.findall(b or ""))
    inter = sum((ta & tb).values())
    if not inter:
        return 0.0
    p, r = inter / sum(tb.values()), inter / sum(ta.values())
    return 2 * p * r / (p + r)


# ----------------------------------------------------------------------------- training
def _trigger_of(ex, cx, drafts) -> tuple[int, list[ActorRef], list[ActorRef]]:
    """The draft the labelled pair belongs to (one of the labelled type, else the first), or the root."""
    typed = [dr for dr in drafts if model_class(dr.event_type) in ex.classes] or drafts
    if typed:
        return typed[0].trigger_i, typed[0].actor, typed[0].recipient
    d = cx.doc
    roots = [t.i for t in d.tokens if t.head == t.i and t.pos in ("VERB", "AUX")] or [0]
    return roots[0], [], []


def _rows(role_rows):
    X, y, groups, sent, texts = [], {r: [] for r in ROLES}, [], [], []
    for n, (ex, cx, drafts) in enumerate(role_rows):
        d = cx.doc
        v, actor, recipient = _trigger_of(ex, cx, drafts)
        event_class = sorted(ex.classes)[0]  # the labelled type (PLV-train: one a sentence)
        rng = range(d.ann.sentences[d.sent_of[v]].token_start, d.ann.sentences[d.sent_of[v]].token_end)
        for h in candidates(d, rng):
            X.append(features(d, h, v, actor, recipient, event_class))
            text = phrase_text(d, h)
            texts.append(text)
            for r in ROLES:
                gold = getattr(ex, r)
                y[r].append(int(bool(gold) and token_f1(gold, text) >= 0.5))
            groups.append(ex.group)
            sent.append(n)
    return X, y, groups, sent, texts


def _choice_f1(p: np.ndarray, sent: list[int], texts: list[str], golds: list[str | None], theta: float) -> float:
    """Mean token F1 of the best candidate per sentence with a gold span (0 when none is chosen), minus the
    sentences without one where something was chosen (as a share), the way a filled role is judged."""
    best: dict[int, tuple[float, str]] = {}
    for k, s in enumerate(sent):
        if s not in best or p[k] > best[s][0]:
            best[s] = (p[k], texts[k])
    scores, wrong = [], 0
    for s, (pk, text) in best.items():
        gold = golds[s]
        chosen = pk >= theta
        if gold:
            scores.append(token_f1(gold, text) if chosen else 0.0)
        elif chosen:
            wrong += 1
    return (sum(scores) - wrong) / max(1, len(scores))


def train_roles(role_rows, progress) -> tuple[dict, dict]:
    # scikit-learn only to fit: a worker that codes articles never imports it
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    X, y, groups, sent, texts = _rows(role_rows)
    arrays, fig = {}, {"model": "logistic regressions over noun-phrase heads (parse path, preposition, side, "
                              "distance, entity, actor dictionary, the rules' choice; the parse features also conjoined "
                              "with the event's class), PLV-train spans"}
    vec = DictVectorizer().fit(X)
    xm = vec.transform(X)
    for r in ROLES:
        ys = np.array(y[r])
        oof = np.zeros(len(ys))
        for tr, te in GroupKFold(5).split(xm, groups=groups):
            lr = LogisticRegression(C=C_ROLE, max_iter=1000).fit(xm[tr], ys[tr])
            oof[te] = lr.predict_proba(xm[te])[:, 1]
        golds = [getattr(ex, r) for ex, _, _ in role_rows]
        theta, best = max(((t, _choice_f1(oof, sent, texts, golds, t)) for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)),
                          key=lambda x: x[1])
        lr = LogisticRegression(C=C_ROLE, max_iter=1000).fit(xm, ys)
        arrays[f"r_{r}_coef"] = lr.coef_[0].astype(np.float32)
        arrays[f"r_{r}_intercept"] = lr.intercept_.astype(np.float32)
        arrays[f"r_{r}_theta"] = np.array([theta], dtype=np.float32)
        fig[f"{r}_cv_token_f1"] = round(best, 3)
        fig[f"{r}_theta"] = theta
        progress(f"role model {r}: cross-validated token F1 {best:.3f} at threshold {theta}")
    arrays["r_features"] = pack_strings(list(vec.feature_names_))
    fig["candidates"] = len(X)
    return arrays, fig


# ----------------------------------------------------------------------------- use
class RoleModel:
    def __init__(self, arrays):
        self.index = {f: k for k, f in enumerate(unpack_strings(arrays["r_features"]))}
        self.coef = {r: arrays[f"r_{r}_coef"] for r in ROLES}
        self.intercept = {r: float(arrays[f"r_{r}_intercept"][0]) for r in ROLES}
        self.theta = {r: float(arrays[f"r_{r}_theta"][0]) for r in ROLES}

    def score(self, role: str, f: dict[str, float]) -> float:
        z = self.intercept[role] + sum(self.coef[role][self.index[k]] * v for k, v in f.items() if k in self.index)
        return 1.0 / (1.0 + np.exp(-z))

    def ranked(self, d: Doc, role: str, v: int, actor: list[ActorRef], recipient: list[ActorRef],
               event_type: str | None = None) -> list[tuple[int, float]]:
        """The sentence's phrases (head, probability) that score at least the role's threshold, best first."""
        sent = d.ann.sentences[d.sent_of[v]]
        event_class = model_class(event_type) if event_type else None
        scored = [(self.score(role, features(d, h, v, actor, recipient, event_class)), h)
                  for h in candidates(d, range(sent.token_start, sent.token_end)) if h != v]
        return [(h, p) for p, h in sorted(scored, reverse=True) if p >= self.theta[role]]


NAMED = {"PERSON", "ORG", "GPE", "NORP"}


def ref_for(d: Doc, h: int, lex, target: bool = False) -> list[ActorRef]:
    """The actors a chosen phrase names: those the dictionary resolves or the lexicon's agent nouns
    ("protesters", "gunmen"), else the phrase itself when it is a named person, organisation, state or group.
    Nothing for other phrases ("the talks", "a price"): a role is filled with actors only."""
    refs = actors_in(d, h, lex, allow_unresolved=True, party=target)
    if refs:
        return refs
    if d.tokens[h].ent_type in NAMED:
        return [ActorRef(id=None, name=None, text=phrase_text(d, h))]
    return []


def role_model() -> RoleModel | None:
    """The shipped role model: its weights live in the coder's model file, loaded once with the sentence model."""
    from newsline.code.classify import sentence_model

    model = sentence_model()
    return None if model is None else model.roles
