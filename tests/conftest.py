from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than cores, since many tests wait on avm subprocesses, ptys and signals."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture(scope="session", autouse=True)
def _private_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The temp folder of the tests and of every avm they start: inside pytest's own, so that what a killed avm
    could not remove never reaches the system temp folder, and pytest's clean-up takes it away."""
    folder = tmp_path_factory.mktemp("temp")
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # tempfile caches the folder it found first
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
        tempfile.tempdir = None


@pytest.fixture(scope="session")
def avm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty user cache, so that tests never see the developer's own cached index or API list."""
    return tmp_path_factory.mktemp("avm-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AVM_CACHE_DIR", str(tmp_path / ".avm-cache"))


@pytest.fixture(autouse=True)
def _no_schema_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Schema downloads go to an address that refuses at once (the discard port): tests never use the network,
    and a test that needs a download sets its own address."""
    monkeypatch.setenv("AVM_SCHEMAS_URL", "http://127.0.0.1:9/")
