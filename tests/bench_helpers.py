"""benchmarks/corpus_bench.py loaded as a module (its synthetic generators and matchers serve the tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_bench():
    if "corpus_bench" in sys.modules:
        return sys.modules["corpus_bench"]
    spec = importlib.util.spec_from_file_location("corpus_bench", ROOT / "benchmarks" / "corpus_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_bench"] = module
    spec.loader.exec_module(module)
    return module
