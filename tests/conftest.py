from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def avm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty user cache, so that tests never see the developer's own cached index or API list."""
    return tmp_path_factory.mktemp("avm-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AVM_CACHE_DIR", str(tmp_path / ".avm-cache"))
