"""Step 3 of the resolver: mentions merged — apposition ("Mali's army chief, General Oumar Diarra"), named
organisations and the generic nouns that refer back to them, unknown persons coded as their first titled
mention — and written out as `ActorMention`s."""

from __future__ import annotations

from newsline.annotate.actors.frame import Frame, _Mention
from newsline.annotate.actors.names import fold, slugify
from newsline.records import ActorMention, ActorRef


def apposition(f: Frame) -> list[_Mention]:
    """"Mali's army chief, General Oumar Diarra" -> one mention."""
    doc, mentions, span_text = f.doc, f.mentions, f.span_text
    mentions.sort(key=lambda m: (m.start, m.end))
    merged: list[_Mention] = []
    for m in mentions:
        if merged:
            prev = merged[-1]
            if m.title is not None and prev.ref.kind in {"person", "media"} and prev.title is None \
                    and m.start == prev.end + 1 and doc[prev.end].text == "," \
                    and m.ref.kind not in {"person"}:
                # "Lt Gen X, director general of ISPR": the title describes the person before it
                if prev.ref.role is None and not prev.roles:
                    prev.ref.role = m.title.role
                    prev.ref.sector = prev.ref.sector or m.ref.sector
                    prev.ref.country = prev.ref.country or m.ref.country
                continue
            if prev.title is not None and m.ref.kind in {"person", "media"} and m.start == prev.end + 1 \
                    and doc[prev.end].text == ",":
                if not m.roles:  # an unknown person takes role, country, sector from the title
                    if m.ref.role is None:
                        m.ref.role = prev.title.role
                    if m.ref.country is None:
                        m.ref.country = prev.ref.country
                    if m.ref.sector is None:
                        m.ref.sector = prev.ref.sector
                m.start = prev.start
                m.ref.text = span_text(m.start, m.end)
                merged[-1] = m
                continue
        merged.append(m)
    return merged


def organisations(f: Frame, merged: list[_Mention]) -> list[_Mention]:
    """Named organisations and the generic nouns that refer back to them.

    An ORG entity headed by an organisation noun (`org_nouns`: "the Afghanistan Cricket Board", "the
    Security Council") is that organisation: a dictionary group/IGO when one covers it, else an actor of
    its own (id "org:<slug>", kind group, the country of the state its name contains, no sector) instead
    of the state named inside it. "the board", "the committee", "the council" then corefer to the last
    organisation named before with that head noun; with none, they stay unresolved (no mention): never a
    state organ picked from the context."""
    d, doc, ents, span_text = f.d, f.doc, f.ents, f.span_text
    n = len(doc)
    owner_m = [-1] * n
    for mi, m in enumerate(merged):
        for i in range(m.start, m.end):
            owner_m[i] = mi
    drop: set[int] = set()
    extra: list[_Mention] = []
    named: list[tuple[int, str, _Mention]] = []  # (token, head noun, mention)
    for m in merged:
        if m.ref.kind in {"group", "igo"} and m.ref.name:
            head = fold(m.ref.name.split()[-1])
            if head in d.org_nouns:
                named.append((m.start, head, m))
    for ent in (doc.ents if ents is None else ents):
        if ent.label_ != "ORG" or ent.end - ent.start < 2:
            continue
        head = fold(doc[ent.end - 1].text)
        if head not in d.org_nouns:
            continue
        inside = {owner_m[i] for i in range(ent.start, ent.end) if owner_m[i] >= 0}
        if any(merged[mi].ref.kind not in {"state"} for mi in inside):
            continue
        s0 = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
        countries = {merged[mi].ref.country for mi in inside}
        country = countries.pop() if len(countries) == 1 else None
        name = span_text(s0, ent.end)
        ref = ActorRef(f"org:{slugify(name)}", name, country, None, None, None, name, "group")
        drop |= inside
        m = _Mention(s0, ent.end, ref)
        extra.append(m)
        named.append((s0, head, m))
    if not named:
        return merged
    named.sort(key=lambda t: t[0])
    taken = bytearray(n + 1)
    for mi, m in enumerate(merged):
        if mi not in drop:
            for i in range(m.start, m.end):
                taken[i] = 1
    for m in extra:
        for i in range(m.start, m.end):
            taken[i] = 1
    for i in range(1, n):
        t = doc[i]
        w = t.lower_
        if w not in d.org_nouns or taken[i] or doc[i - 1].lower_ != "the" or t.tag_ != "NN" \
                or t.dep_ == "compound" or (i + 1 < n and doc[i + 1].pos_ == "PROPN"):
            continue
        prev = [m for tok, head, m in named if head == w and tok < i]
        if not prev:
            continue
        src = prev[-1].ref
        ref = ActorRef(src.id, src.name, src.country, src.sector, src.person, src.role, t.text, src.kind)
        extra.append(_Mention(i, i + 1, ref, list(prev[-1].roles)))
    out = [m for mi, m in enumerate(merged) if mi not in drop] + extra
    out.sort(key=lambda m: (m.start, m.end))
    return out



def unknown_persons(merged: list[_Mention]) -> None:
    """Persons outside the dictionary: a later mention by name only is coded as the first titled one."""
    first_ref: dict[str, ActorRef] = {}
    for m in merged:
        r = m.ref
        if r.kind not in {"person", "media"} or m.roles or not r.id:
            continue
        f = first_ref.get(r.id)
        if f is None:
            if r.role or r.sector or r.country:
                first_ref[r.id] = r
        elif not (r.role or r.sector or r.country):
            r.country, r.sector, r.role, r.kind = f.country, f.sector, f.role, f.kind


def actor_mentions(f: Frame, merged: list[_Mention]) -> list[ActorMention]:
    """The mentions as records, with character offsets into the text."""
    doc, text = f.doc, f.text
    out = []
    for m in merged:
        s_char = doc[m.start].idx
        e_char = doc[m.end - 1].idx + len(doc[m.end - 1])
        m.ref.text = text[s_char:e_char]
        out.append(ActorMention(s_char, e_char, m.ref.text, m.ref, m.start, m.end, m.roles))
    return out
