"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture
def rules_only(monkeypatch):
    """The coder's rule path alone (no learned sentence model, no role model): for the tests that pin the rule
    components (candidates, roles, status, attributes, merge). The learned steps have their own tests
    (test_code_classify.py) and the whole coder is measured by the corpus tests and benchmarks."""
    import newsline.code.refine as refine

    monkeypatch.setattr(refine, "sentence_model", lambda: None)
    monkeypatch.setattr(refine, "role_model", lambda: None)
