"""Matching the dictionary in a document: two spaCy PhraseMatchers (one case-sensitive for single-token names
such as "TTP", "Dawn", "Pakistani"; one on lowercased tokens for multi-word names, agent nouns and titles)
whose matches become non-overlapping `Atom`s."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from newsline.annotate.actors.dictionary import ActorDictionary
from newsline.annotate.actors.names import fold

# atom kinds
STATE, NAMED, AGENT, TITLE, HONOR = "S", "A", "G", "T", "H"
_PRIORITY = {NAMED: 0, STATE: 1, TITLE: 2, AGENT: 3, HONOR: 4}


@dataclass(slots=True)
class Atom:
    start: int  # token range
    end: int
    keys: list[tuple[str, str, str]]  # (kind, ref, sub) e.g. ("S","PAK","adj"), ("A","ttp",""), ("G","GOV","")

    def has(self, kind: str) -> bool:
        return any(k[0] == kind for k in self.keys)

    def first(self, kind: str) -> tuple[str, str, str] | None:
        for k in self.keys:
            if k[0] == kind:
                return k
        return None

    def all(self, kind: str) -> list[tuple[str, str, str]]:
        return [k for k in self.keys if k[0] == kind]


class ActorMatcher:
    """Compiled matchers for one dictionary and one spaCy vocabulary."""

    def __init__(self, nlp, dictionary: ActorDictionary):
        from spacy.matcher import PhraseMatcher

        self.d = dictionary
        self.nlp = nlp
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, list[tuple[str, str, str]]] = {}
        self._pending: dict[tuple[str, str], set[str]] = {}  # (matcher, label) -> surfaces
        d = dictionary
        for st in d.states.values():
            for n in st.names:
                # "pname": a name known only from pycountry; the YAML's own names win a shared name
                self._add(n, (STATE, st.iso3, "name" if n in st.explicit else "pname"))
            for a in st.adj:
                self._add(a, (STATE, st.iso3, "adj"))
            for c in st.capitals:
                self._add(c, (STATE, st.iso3, "capital"))
        for e in d.entries.values():
            for a in e.aliases:
                self._add(a, (NAMED, e.id, ""))
        for ag in d.agents:
            for t in ag.terms:
                self._add(t, (AGENT, ag.sector, ""), common=True)
            for t in ag.modifier_terms:
                self._add(t, (AGENT, ag.sector, "m"), common=True)
            for t in ag.collective_terms:
                self._add(t, (AGENT, ag.sector, "p"), common=True)
        for i, t in enumerate(d.titles):
            for term in t.terms:
                self._add(term, (TITLE, str(i), ""), common=True)
        for h in d.honorifics:
            self._add(h, (HONOR, "", ""), common=True)
        self._compile()

    def _add(self, surface: str, key: tuple[str, str, str], common: bool = False) -> None:
        surface = surface.strip()
        if not surface:
            return
        n_tokens = len(self.nlp.make_doc(surface))
        label = "|".join(key)
        if (common and surface == surface.lower()) or n_tokens > 1:
            self._pending.setdefault(("lower", label), set()).add(surface)
            folded = fold(surface)
            if folded != surface.lower():
                self._pending[("lower", label)].add(folded)
        else:
            forms = {surface, surface.upper(), surface[:1].upper() + surface[1:]}
            ascii_form = "".join(c for c in unicodedata.normalize("NFKD", surface) if not unicodedata.combining(c))
            forms |= {ascii_form, ascii_form.upper()}
            if len(surface) <= 2:  # "US" but not "Us"/"us"; "IS" only in capitals
                forms = {surface}
            self._pending.setdefault(("exact", label), set()).update(forms)

    def _compile(self) -> None:
        for (which, label), surfaces in self._pending.items():
            matcher = self.exact if which == "exact" else self.lower
            patterns = [self.nlp.make_doc(s) for s in sorted(surfaces)]
            matcher.add(label, patterns)
            key = self.nlp.vocab.strings[label]
            kind, ref, sub = label.split("|")
            self._keys[key] = [(kind, ref, sub)]
        self._pending.clear()

    def atoms(self, doc) -> list[Atom]:
        """Non-overlapping matches (longest first; at equal length named > state > title > agent), each
        with every key that matched exactly that span."""
        spans: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
        for m in (self.exact(doc), self.lower(doc)):
            for match_id, s, e in m:
                spans.setdefault((s, e), []).extend(self._keys[match_id])
        order = sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]),
                                                       min(_PRIORITY[k[0]] for k in kv[1]), kv[0][0]))
        taken = bytearray(len(doc) + 1)
        out: list[Atom] = []
        for (s, e), keys in order:
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = 1
            # deterministic order: a word that is both a name and an adjective ("Vatican") reads as the name
            keys = sorted(set(keys), key=lambda k: (_PRIORITY[k[0]], k[2] == "adj", k))
            out.append(Atom(s, e, keys))
        out.sort(key=lambda a: a.start)
        return out
