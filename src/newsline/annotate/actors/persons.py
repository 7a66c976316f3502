"""Step 1 of the resolver: persons — dictionary persons and PERSON entities, with their titles and the
state, group or place that modifies them; a person named by part of the name after a full mention is that
person; unknown persons keep their text and take role, country and sector from their title."""

from __future__ import annotations

from newsline.annotate.actors.coding import _ref_from_entry, _title_role, entry_country, role_on
from newsline.annotate.actors.dictionary import Entry, Title
from newsline.annotate.actors.frame import _POSS, Frame, _latin, _Mention
from newsline.annotate.actors.matching import AGENT, HONOR, NAMED, STATE, TITLE, Atom
from newsline.annotate.actors.names import _day, fold, slugify
from newsline.records import ActorRef


def persons(f: Frame) -> None:
    """Every person span, in text order."""
    for s, e, entry, coref_only in person_spans(f):
        person(f, s, e, entry, coref_only)


def person_spans(f: Frame) -> list[tuple[int, int, Entry | None, bool]]:
    """Dictionary persons and PERSON entities (titles and a possessive stripped), in text order; a name the
    NER took for a place or an organisation is kept for coreference only (`coref_only`)."""
    d, doc, atoms, owner, place_tokens, ents = f.d, f.doc, f.atoms, f.owner, f.place_tokens, f.ents
    weapon_name = f.weapon_name
    person_spans: list[tuple[int, int, Entry | None, bool]] = []  # (start, end, entry, coref_only)
    for a in atoms:
        k = a.first(NAMED)
        if k is not None:
            e = d.entries.get(k[1])
            if e is not None and e.kind == "person":
                person_spans.append((a.start, a.end, e, False))
    covered = {i for s, e, _, _ in person_spans for i in range(s, e)}
    for ent in (doc.ents if ents is None else ents):
        if not _latin(ent.text):
            continue  # another script in an English text: not something the English NER reads well
        if ent.label_ != "PERSON":
            # a surname the NER took for a place or an organisation ("Ruto's third trip"): a person only
            # if it names someone already mentioned in the article
            if ent.label_ in {"GPE", "ORG", "NORP", "LOC"} and ent.end - ent.start <= 3 and not any(
                    owner[i] >= 0 or i in covered for i in range(ent.start, ent.end)):
                e = ent.end
                while e > ent.start and doc[e - 1].text in _POSS:
                    e -= 1
                if e > ent.start:
                    person_spans.append((ent.start, e, None, True))
            continue
        s, e = ent.start, ent.end
        # strip titles/honorifics the NER included, and a trailing possessive
        while s < e and owner[s] >= 0 and (atoms[owner[s]].has(TITLE) or atoms[owner[s]].has(HONOR)) \
                and not atoms[owner[s]].has(NAMED):
            s = atoms[owner[s]].end
        while e > s and doc[e - 1].text in _POSS:
            e -= 1
        # NER sometimes leaves a first name outside ("Colonel Amadou" ORG + "Ibrahim Traore")
        while s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].is_title and owner[s - 1] < 0 \
                and doc[s - 1].ent_type_ not in {"GPE", "NORP", "LOC"} and s - 1 not in covered:
            s -= 1
        if s >= e or any(i in covered for i in range(s, e)) or all(i in place_tokens for i in range(s, e)):
            continue
        if weapon_name(s, e):
            continue  # "Patriot missiles", "the Storm Shadow system": a weapon, not a person
        # a PERSON entity that is in fact a state/group/outlet match
        if any(owner[i] >= 0 and (atoms[owner[i]].has(STATE) or atoms[owner[i]].has(NAMED))
               for i in range(s, e)):
            continue
        # the capitalised first word of an agent term the NER took for a name ("Riot police arrested ...")
        if any(owner[i] >= 0 and atoms[owner[i]].has(AGENT) and atoms[owner[i]].end > e for i in range(s, e)):
            continue
        if all(owner[i] >= 0 and atoms[owner[i]].has(AGENT) and not atoms[owner[i]].has(TITLE) for i in range(s, e)):
            continue  # an agent word the NER took for a name ("Kidnappers in Haiti released ...")
        person_spans.append((s, e, None, False))
        covered.update(range(s, e))
    person_spans.sort()
    return person_spans


def person(f: Frame, s: int, e: int, entry: Entry | None, coref_only: bool) -> None:
    """One person span: its titles and modifier to the left, coded as a dictionary person or from its title."""
    d, doc, atoms, owner, consumed, mentions = f.d, f.doc, f.atoms, f.owner, f.consumed, f.mentions
    date, name_parts, doc_persons, titled = f.date, f.name_parts, f.doc_persons, f.titled
    undated_role, context_country, span_text = f.undated_role, f.context_country, f.span_text
    known_by_part = f.known_by_part
    if coref_only:
        hit = known_by_part(s, e)
        if hit is None:
            return
    t0, title, title_span = titles_left(f, s)
    m0, country, mod_entry, mod_agent = person_modifier(f, s, t0)
    name_text = span_text(s, e)
    if entry is None and not coref_only and e - s >= 2:
        # another transliteration of a dictionary person's full name ("Mostafa Kasim")
        entry = d.person_by_name([doc[i].text for i in range(s, e) if doc[i].is_alpha or "-" in doc[i].text])
    if entry is None:
        hit = known_by_part(s, e)
        if hit is not None:
            entry = hit[0]
            if entry is None:
                name_text = hit[1]
    mtext = span_text(m0, e)
    if entry is not None:
        hint = _title_role(entry.roles, title) if date is None else None
        if hint is not None:
            undated_role[entry.id] = hint
        ref, roles = _ref_from_entry(entry, mtext, date, title, role=undated_role.get(entry.id))
        canon = entry.name
        doc_persons.append((s, entry))
    else:
        canon = " ".join(doc[i].text for i in range(s, e)
                         if fold(doc[i].text).rstrip(".") not in d.honorifics) or name_text
        if name_text != span_text(s, e):
            canon = name_text
        sector = title.sector if title else None
        if title and title.country and not country:
            country = title.country
        if mod_entry is not None and (sector is None or mod_entry.kind in {"group", "igo"}):
            # "M23's permanent secretary X": the group's sector, not the title's
            sector = mod_entry.sector
            r = role_on(mod_entry.roles, _day(date)) if mod_entry.roles else None
            if r is not None:
                sector = r.sector
            if mod_entry.kind == "igo" and country is None:
                country = mod_entry.country
        if mod_agent is not None:
            sector = sector or mod_agent.first(AGENT)[1]
        if title is not None and not country and not (title.media or (mod_entry and mod_entry.kind == "media")):
            country = context_country(s)
        if sector is None and title is not None and country:
            sector = "GOV"
        role_text = title.role if title else None
        if title is not None and title.generic and title_span[1] > title_span[0]:
            # "junta leader", "permanent secretary": the words of the text say more than "Head"
            k = title_span[0]
            while k - 1 >= m0 and (owner[k - 1] < 0 or atoms[owner[k - 1]].has(AGENT)) \
                    and doc[k - 1].is_alpha and doc[k - 1].lower_ not in {
                    "former", "ex", "the", "a", "an", "his", "her", "its", "their", "and"}:
                k -= 1
            role_text = span_text(k, title_span[1])
        if title is not None and any(doc[i].lower_ in {"former", "ex", "ex-", "erstwhile"}
                                     or fold(doc[i].text) in d.deposed_words for i in range(m0, s)):
            role_text, sector = f"former {title.role}", "ELI"
        kind = "media" if (title and title.media) or (mod_entry and mod_entry.kind == "media") else "person"
        if kind == "media":
            sector = "JRN"
        ref = ActorRef(f"person:{slugify(canon)}", canon, country, sector, canon, role_text, mtext, kind)
        roles = []
    for i in range(s, e):
        p = fold(doc[i].text)
        if doc[i].is_alpha and p not in d.honorifics and len(p) > 2:
            name_parts.setdefault(p, []).append((s, entry, canon))
    if entry is not None:
        for alias in entry.aliases:
            for p in fold(alias).split():
                if p not in d.honorifics and len(p) > 2 and p.isalpha():
                    name_parts.setdefault(p, []).append((s, entry, canon))
    for i in range(s, e):
        if owner[i] >= 0:
            consumed[owner[i]] = True
    if title is not None and title.terms:
        titled.setdefault(id(title), []).append((s, ref, roles))
    mentions.append(_Mention(m0, e, ref, roles))


def titles_left(f: Frame, s: int) -> tuple[int, Title | None, tuple[int, int]]:
    """The titles and honorifics left of a person's name at `s` (consumed): where they start, the title
    nearest to the name (or a whole phrase, "Senior Adviser to the President") and its span."""
    d, doc, atoms, owner, consumed, span_text = f.d, f.doc, f.atoms, f.owner, f.consumed, f.span_text
    t0 = s
    title: Title | None = None
    title_span = (s, s)
    j = s - 1
    while j >= 0:
        if owner[j] < 0:
            # "Defence Minister and Interior Minister X": coordinated titles
            if doc[j].lower_ in {"and", "&"} and j > 0 and owner[j - 1] >= 0 \
                    and atoms[owner[j - 1]].has(TITLE) and title is not None:
                j -= 1
                continue
            break
        a = atoms[owner[j]]
        if not (a.has(TITLE) or a.has(HONOR) or (a.has(AGENT) and title is None)):
            break
        tk = a.first(TITLE)
        if tk is not None:
            tt = d.titles[int(tk[1])]
            if a.start >= 2 and doc[a.start - 1].lower_ == "the" and doc[a.start - 2].lower_ in {
                    "to", "of", "for"}:
                # "Senior Adviser to the President X": the title is the whole phrase
                k0 = a.start - 2
                while k0 > 0 and doc[k0 - 1].is_title and doc[k0 - 1].pos_ in {"PROPN", "NOUN", "ADJ"} \
                        and a.start - k0 < 6:
                    k0 -= 1
                tt = Title([], span_text(k0, a.end), tt.sector or "GOV")
                consumed[owner[j]] = True
                title = tt
                t0 = k0
                j = k0 - 1
                continue
            if title is None:  # the title nearest to the name wins
                title = tt
                title_span = (a.start, a.end)
        consumed[owner[j]] = True
        t0 = a.start
        j = a.start - 1
    return t0, title, title_span


def person_modifier(f: Frame, s: int, t0: int) -> tuple[int, str | None, Entry | None, Atom | None]:
    """The state, group or place modifying a titled person ("Kenya's Foreign Ministry spokeswoman X"):
    where the mention starts, its country, the modifying entry and the agent that is part of the title."""
    atoms, owner, consumed, date = f.atoms, f.owner, f.consumed, f.date
    m0, mod_atom, mod_place = f.left_modifier(t0) if t0 < s else (t0, None, None)
    country = None
    mod_entry: Entry | None = None
    mod_agent = None
    for k in range(m0, t0):  # "Kenya's Foreign Ministry spokeswoman X": the agent is part of the title
        if owner[k] >= 0 and atoms[owner[k]] is not mod_atom:
            if atoms[owner[k]].has(AGENT) and mod_agent is None:
                mod_agent = atoms[owner[k]]
            consumed[owner[k]] = True
    if mod_atom is not None:
        mod_entry, country = f.entry_or_country(mod_atom)
        if mod_entry is not None:
            country = entry_country(mod_entry, date)
        consumed[owner[mod_atom.start]] = True
    elif mod_place:
        country = mod_place
    else:
        m0 = t0
    return m0, country, mod_entry, mod_agent
