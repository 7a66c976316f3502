"""One document being resolved: what the resolver is given (`DocInputs`), and the `Frame` its steps share —
tokens and atoms, the country context, what is consumed, the mentions found so far — with the questions the
steps ask of the text (the modifier of a phrase, the country of the context, a dateline, a weapon's name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsline.annotate.actors.dictionary import ActorDictionary, Entry, Role, Title
from newsline.annotate.actors.matching import AGENT, HONOR, NAMED, STATE, TITLE, Atom
from newsline.annotate.actors.names import fold
from newsline.records import ActorRef

if TYPE_CHECKING:
    from newsline.annotate.actors.resolver import ActorResolver

_LOCATIVE = {"in", "at", "near", "inside", "outside", "around", "across", "from", "within", "into", "via",
             "through", "throughout", "between", "towards", "toward", "beyond"}
_POSS = {"'s", "’s", "'", "’"}
# agents on the ground: without any country in their sentence or paragraph they take the article's
_LOCAL_SECTORS = {"CVL", "MIL", "COP", "UAF", "REB", "REF", "PRM"}
_FILLER_POS = {"ADJ", "NOUN", "PROPN", "NUM", "PART"}


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if ord(c) < 0x250) * 2 > len(letters)



@dataclass(slots=True)
class _Mention:
    start: int  # token range
    end: int
    ref: ActorRef
    roles: list[dict[str, Any]] = field(default_factory=list)
    title: Title | None = None  # title-only mentions (for apposition)



@dataclass(slots=True)
class DocInputs:
    """What `ActorResolver.resolve` is given for one document.

    `place_countries`: token index -> ISO3 of resolved places (used as modifiers and context);
    `sentence_of`: token -> sentence index; `paragraph_of_sentence`: sentence -> paragraph index;
    `default_country`: the article's dominant country (last fallback of the context);
    `place_tokens`: tokens of resolved places (a PERSON entity there is a place, not a person);
    `ents`: the entities to read (default `doc.ents`); `text`: the doc's text when the caller has it
    (`Doc.text` joins every token anew)."""

    doc: Any
    atoms: list[Atom]
    date: str | None
    place_countries: dict[int, str]
    sentence_of: list[int]
    paragraph_of_sentence: list[int]
    default_country: str | None = None
    place_tokens: set[int] | frozenset[int] = frozenset()
    ents: Any = None
    text: str | None = None


class Frame:
    """The state the resolver's steps share for one document."""

    def __init__(self, resolver: ActorResolver, inputs: DocInputs):
        self.resolver = resolver
        self.d: ActorDictionary = resolver.d
        doc, atoms = inputs.doc, inputs.atoms
        self.doc = doc
        self.text: str = doc.text if inputs.text is None else inputs.text
        self.atoms = atoms
        self.date = inputs.date
        self.place_countries = inputs.place_countries
        self.sentence_of = inputs.sentence_of
        self.paragraph_of_sentence = inputs.paragraph_of_sentence
        self.default_country = inputs.default_country
        self.place_tokens = inputs.place_tokens
        self.ents = inputs.ents
        n = self.n = len(doc)
        owner = self.owner = [-1] * n  # token -> atom index
        for ai, a in enumerate(atoms):
            for i in range(a.start, a.end):
                owner[i] = ai
        self.consumed = [False] * len(atoms)
        self.mentions: list[_Mention] = []
        self.ctx_points = self._context_points()
        # a dateline names where the story was filed, often a neighbour's capital ("NAIROBI — Soldiers seized power
        # in Gabon"): it is no context for the sentence it heads, only the article's last resort
        self.dateline_points = {i for i, _c in self.ctx_points if self.in_dateline(i, i + 1)}
        self.name_parts: dict[str, list[tuple[int, Entry | None, str]]] = {}  # part -> [(token, entry, name)]
        self.doc_persons: list[tuple[int, Entry]] = []  # dictionary persons named in this article
        self.titled: dict[int, list[tuple[int, ActorRef, list]]] = {}  # title -> persons named with it
        self.undated_role: dict[str, Role] = {}  # undated article: the role a person's title pointed to

    def _context_points(self) -> list[tuple[int, str]]:
        """Country context: (token, iso3) from states, state organs and places."""
        d, doc, atoms, place_countries = self.d, self.doc, self.atoms, self.place_countries
        ctx_points: list[tuple[int, str]] = []
        for a in atoms:
            k = a.first(STATE)
            if k is not None and self.sponsors(a.end):
                continue  # "Russia-backed separatists" are not Russia's
            if k is not None and not a.has(NAMED):
                t = doc[a.end - 1]
                # "envoy for Afghanistan", "ambassador to Kabul": the country is the object, not the context
                if not (t.dep_ == "pobj" and t.head.lower_ in {"to", "for"}):
                    ctx_points.append((a.start, k[1]))
            else:
                kn = a.first(NAMED)
                if kn is not None:
                    e = d.entries.get(kn[1])
                    if e is not None and e.kind == "agent" and e.country:
                        ctx_points.append((a.start, e.country))
        for i, c in place_countries.items():
            ctx_points.append((i, c))
        ctx_points.sort()
        return ctx_points

    def entry_or_country(self, a: Atom) -> tuple[Entry | None, str | None]:
        """A modifying atom: the named actor it is (None when unknown), else its state's ISO3."""
        kn = a.first(NAMED)
        if kn is not None:
            return self.d.entries.get(kn[1]), None
        return None, a.first(STATE)[1]

    def context_country(self, tok: int, skip_doers: bool = False) -> str | None:
        """Country of an agent without a modifier: the nearest country named before it in the sentence;
        else the article's dominant country; else the nearest after it in the sentence; else the nearest
        in the paragraph (preceding on ties); else the dominant country (None when there is none)."""
        n, ctx_points, sentence_of = self.n, self.ctx_points, self.sentence_of
        paragraph_of_sentence, default_country = self.paragraph_of_sentence, self.default_country
        if not ctx_points or tok >= n:
            return default_country
        s = sentence_of[tok]
        filed = self.dateline_points
        doers = self._doer_spans(tok) if skip_doers else []
        before = [(tok - i, c) for i, c in ctx_points if i < tok and sentence_of[i] == s and i not in filed
                  and not any(a <= i < b for a, b in doers)]
        if before:
            return min(before)[1]
        if default_country:
            return default_country
        best = None
        for i, c in ctx_points:
            if sentence_of[i] == s and i not in filed:
                dist = abs(i - tok) * 2 + (1 if i > tok else 0)
                if best is None or dist < best[0]:
                    best = (dist, c)
        if best:
            return best[1]
        p = paragraph_of_sentence[s]
        for i, c in ctx_points:
            if paragraph_of_sentence[sentence_of[i]] == p:
                dist = abs(i - tok) * 2 + (1 if i > tok else 0)
                if best is None or dist < best[0]:
                    best = (dist, c)
        return best[1] if best else default_country

    def _doer_spans(self, tok: int) -> list[tuple[int, int]]:
        """The token ranges of the subjects of the verbs above an object ("The US said ... and urged the government
        to ...": "The US"): a state that addresses, or tells of, "the government" speaks of another state's, so its
        name is no context for it. Empty when `tok` is no object."""
        t = self.doc[tok]
        if t.dep_ not in ("dobj", "dative", "pobj"):
            return []
        out, v = [], t.head
        for _ in range(8):
            if v.pos_ in ("VERB", "AUX"):
                out += [(c.left_edge.i, c.right_edge.i + 1) for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if v.head.i == v.i:
                break
            v = v.head
        return out

    def article_country(self, tok: int) -> str | None:
        """The last fallback for people on the ground (civilians, security forces, armed men): the
        country named nearest before them anywhere in the article, else the first one after."""
        ctx_points = self.ctx_points
        before = [c for i, c in ctx_points if i < tok]
        if before:
            return before[-1]
        after = [c for i, c in ctx_points if i > tok]
        return after[0] if after else None

    def span_text(self, s: int, e: int) -> str:
        doc, text = self.doc, self.text
        return text[doc[s].idx: doc[e - 1].idx + len(doc[e - 1])]

    def in_dateline(self, s: int, e: int) -> bool:
        """Tokens [s, e) are part of a dateline: at the start of a paragraph, only place words, "/", ",",
        a date ("Feb 22") and a parenthesised agency before a ":" or dash within a few tokens."""
        doc, n = self.doc, self.n
        k = s
        while k > 0 and "\n" not in doc[k - 1].text_with_ws:
            k -= 1
            if s - k > 6 or not (doc[k].text.isupper() or doc[k].text in {"/", ","}):
                return False
        j = e
        depth = 0
        while j < n and j - e <= 8:
            t = doc[j].text
            if t in {":", "—", "–", "-", "--"} and depth == 0:
                return True
            if t == "(":
                depth += 1
            elif t == ")":
                depth -= 1
            elif not (t in {"/", ",", "."} or depth > 0 or (t[:1].isupper() and doc[j].is_alpha) or t.isdigit()):
                return False
            j += 1
        return False

    def left_modifier(self, start: int, max_gap: int = 3) -> tuple[int, Atom | None, str | None]:
        """Atom (state / named / place) modifying the phrase that starts at token `start`:
        returns (new_start, atom, place_country)."""
        d, doc, atoms, owner, consumed = self.d, self.doc, self.atoms, self.owner, self.consumed
        place_countries = self.place_countries
        j = start - 1
        gap = 0
        while j >= 0 and gap <= max_gap:
            t = doc[j]
            ai = owner[j]
            if ai >= 0 and not consumed[ai]:
                a = atoms[ai]
                if a.has(STATE) or a.has(NAMED):
                    return a.start, a, None
                if a.has(AGENT) or a.has(TITLE) or a.has(HONOR):
                    j = a.start - 1
                    gap += 1
                    continue
                return start, None, None
            if j in place_countries:
                k = j
                while k > 0 and place_countries.get(k - 1) == place_countries[j] and doc[k - 1].pos_ == "PROPN":
                    k -= 1
                return k, None, place_countries[j]
            if fold(t.text) in d.sponsor_words and j > 0 and doc[j - 1].text in {"-", "–"}:
                return start, None, None  # "Russia-backed separatists": Russia backs them, they are not its own
            if t.text in _POSS or t.text in {"-", "–"} or (t.pos_ in _FILLER_POS and t.dep_ in {
                    "amod", "compound", "nmod", "case", "poss", "nummod"}) or (
                    t.tag_ == "VBN" and t.dep_ == "amod") or fold(t.text) in d.deposed_words:
                # "Niger's ousted president", "the elected president"
                j -= 1
                if t.text not in _POSS:
                    gap += 1
                continue
            if t.lower_ in {"acting", "interim", "caretaker", "former", "then", "deputy", "senior",
                            "special", "top", "chief", "federal", "provincial", "local", "new", "outgoing"}:
                j -= 1
                gap += 1
                continue
            break
        return start, None, None

    def sponsors(self, end: int) -> bool:
        """The atom ending at `end` backs the party named next ("Iran-backed Houthis", "al Qaeda-linked"): it is
        no party of the sentence."""
        doc = self.doc
        return end + 1 < self.n and doc[end].text in {"-", "–"} and fold(doc[end + 1].text) in self.d.sponsor_words

    def weapon_name(self, s: int, e: int) -> bool:
        """A name followed by a weapon noun within a short compound ("Patriot air defence system",
        "Storm Shadow cruise missiles", "Shahed-136 drones") or right after one ("the drone Shahed")."""
        d, doc, n = self.d, self.doc, self.n
        wn = d.weapon_nouns
        if not wn:
            return False
        if s > 0 and (doc[s - 1].lower_ in wn or doc[s - 1].lemma_.lower() in wn) and (
                s <= doc[s - 1].head.i < e or any(doc[i].head.i == s - 1 for i in range(s, e))):
            return True
        k = e
        while k < n and k < e + 4:
            t = doc[k]
            if t.lower_ in wn or t.lemma_.lower() in wn:
                return True
            if not (t.text in {"-", "–"} or t.like_num or (t.pos_ in {"NOUN", "PROPN", "ADJ", "NUM"}
                                                         and t.dep_ in {"compound", "amod", "nummod", "nmod"})):
                return False
            k += 1
        return False

    def known_by_part(self, s: int, e: int) -> tuple[Entry | None, str] | None:
        d, doc, name_parts = self.d, self.doc, self.name_parts
        parts = [fold(doc[i].text) for i in range(s, e) if doc[i].is_alpha]
        parts = [p for p in parts if p not in d.honorifics]
        if not parts:
            return None
        cands = None
        for p in parts:
            here = {(ent.id if ent else nm): (tok, ent, nm) for tok, ent, nm in name_parts.get(p, [])}
            cands = here if cands is None else {k: v for k, v in cands.items() if k in here}
        if not cands:
            return None
        tok, ent, nm = max(cands.values(), key=lambda v: v[0])
        return ent, nm

    def right_modifier(self, end: int) -> tuple[int, Atom | None]:
        """'officials in Afghanistan', 'troops from Russia', 'fighters of the outlawed TTP'."""
        d, doc, n, atoms, owner, consumed = self.d, self.doc, self.n, self.atoms, self.owner, self.consumed
        if end < n and doc[end].lower_ in {"in", "from", "of"}:
            k = end + 1
            while k < n and k <= end + 3 and owner[k] < 0 and doc[k].pos_ in {"DET", "ADJ", "VERB"} \
                    and doc[k].lower_ not in {"his", "her", "its", "their"}:
                k += 1
            if k < n and owner[k] >= 0 and atoms[owner[k]].start == k and not consumed[owner[k]]:
                a2 = atoms[owner[k]]
                if (a2.has(STATE) and a2.first(STATE)[2] != "capital") or (
                        a2.has(NAMED) and d.entries.get(a2.first(NAMED)[1]) is not None
                        and d.entries[a2.first(NAMED)[1]].kind in {"group", "igo"}):
                    return a2.end, a2
        return end, None

    def possessor(self, tok: int) -> Atom | None:
        """The group or state a possessive determiner at `tok` refers to: the last one named before it in
        its sentence or the sentence before (a capital or an adjective is no possessor)."""
        d, doc, atoms, sentence_of = self.d, self.doc, self.atoms, self.sentence_of
        s_here = sentence_of[tok]
        for a2 in reversed(atoms):
            if a2.start >= tok:
                continue
            if sentence_of[a2.start] < s_here - 1:
                return None
            kn = a2.first(NAMED)
            if kn is not None:
                e2 = d.entries.get(kn[1])
                if e2 is not None and e2.kind == "group":
                    return a2
                if e2 is not None and e2.kind == "person":
                    return None
                continue
            ks = a2.first(STATE)
            if ks is not None and ks[2] in {"name", "pname"}:
                # "Congo and Rwanda ... their governments": two parties, no one possessor
                if a2.start >= 2 and doc[a2.start - 1].lower_ in {"and", "or", "&"}:
                    return None
                return a2
        return None

    def is_modifier_use(self, a: Atom) -> bool:
        """An agent word used as a modifier of another noun: 'military action', 'police station'."""
        doc, atoms, owner = self.doc, self.atoms, self.owner
        t = doc[a.end - 1]
        if t.dep_ not in {"amod", "compound", "nmod"}:
            return False
        h = t.head.i
        if a.start <= h < a.end:
            return False
        return owner[h] < 0 or not (atoms[owner[h]].has(AGENT) or atoms[owner[h]].has(TITLE))
