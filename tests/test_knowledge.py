"""Knowledge as data on the ground floor: one ontology, one way to read YAML, used by every package."""

from __future__ import annotations

import subprocess
import sys

from newsline import knowledge


def test_the_coder_and_the_readers_share_one_ontology():
    import importlib

    from newsline.web import queries

    # (the module: newsline.code re-exports a function of the same name)
    coder_ontology = importlib.import_module("newsline.code.ontology")

    assert coder_ontology.ontology() is knowledge.ontology()
    assert coder_ontology.Ontology is knowledge.Ontology
    onto = knowledge.ontology()
    assert onto.statuses == queries.STATUSES
    assert queries.QUADS == {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                             4: "material conflict"}
    assert onto.quad("ASSAULT") == 4 and onto.quad("CONSULT") == 1


def test_the_knowledge_module_imports_nothing_of_newsline():
    """Any package may import it (store, web, report, the stages) without an import cycle or a fallback."""
    code = ("import sys, newsline.knowledge\n"
            "print(sorted(m for m in sys.modules if m.startswith('newsline') and m != 'newsline.knowledge'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['newsline']"


def test_packaged_yaml_reads_alike_with_either_loader():
    import yaml

    for name in ("plover.yaml", "cluster.yaml", "acled.yaml"):
        path = knowledge.data_path(name)
        assert knowledge.load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))
