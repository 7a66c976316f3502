"""The PLOVER ontology, for the coder: a re-export of `newsline.knowledge`, where it lives (store/, web/ and
report/ read it too)."""

from newsline.knowledge import DATA, EventType, Ontology, load_ontology, ontology

__all__ = ["DATA", "EventType", "Ontology", "load_ontology", "ontology"]
