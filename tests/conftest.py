"""pytest settings for every test (no telemetry) and the `knowledge_dir` fixture; helpers live in their own modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tests.knowledge_fixtures import RELATED_ARTICLE, VALID_ARTICLE, write_knowledge


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return write_knowledge(
        tmp_path / "knowledge", {"ehc-delay": VALID_ARTICLE, "request-ehc-assessment": RELATED_ARTICLE}
    )
