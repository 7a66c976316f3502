"""The actor resolver's seam (annotate/actors/): a document's inputs as one `DocInputs`, resolved by steps over
one `Frame`; `resolve(...)` with the arguments one by one is the same call."""

from __future__ import annotations

from newsline.annotate import get_annotator
from newsline.annotate.actors import ActorResolver, DocInputs


def test_resolve_inputs_is_resolve():
    ann = get_annotator()
    text = ("Pakistani officials met TTP leaders in Kabul on Monday. Lt General Faiz Hameed said "
            "the army chief would attend.")
    doc = ann.nlp(text)
    atoms = ann.actor_matcher.atoms(doc)
    sentence_of = [0] * len(doc)
    for si, sent in enumerate(doc.sents):
        for t in sent:
            sentence_of[t.i] = si
    paragraphs = [0] * (max(sentence_of) + 1)
    resolver = ActorResolver(ann.dictionary)
    by_args = resolver.resolve(doc, atoms, "2021-06-10", {}, sentence_of, paragraphs, text=text)
    by_inputs = resolver.resolve_inputs(DocInputs(doc, atoms, "2021-06-10", {}, sentence_of, paragraphs, text=text))
    assert by_args == by_inputs
    texts = [m.text for m in by_inputs]
    assert "Pakistani officials" in texts and "TTP" in " ".join(texts)
    assert any(m.actor.kind == "person" and "Hameed" in m.text for m in by_inputs)
