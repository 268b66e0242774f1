"""Where the tool keeps its files: the shipped templates and data, and the user cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def load_yaml(text: str) -> Any:
    """YAML through libyaml when it is installed: a tenth of the pure-Python parser's time."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_data(name: str) -> Any:
    """One of the YAML files the package ships in `data/`."""
    return load_yaml((DATA_DIR / name).read_text(encoding="utf-8"))


def templates_dir() -> Path:
    """The copier templates: inside the wheel, or beside the package in a source checkout."""
    shipped = PACKAGE_DIR / "_templates"
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / "templates"


def template_url(language: str) -> str:
    """The template's canonical address, recorded as `_src_path`; git is redirected from it to the local
    repository of template versions (generator.releases), so it is never fetched."""
    return f"https://avm-generator.invalid/templates/{language}.git"


def cache_dir() -> Path:
    """The user cache (module index copies, refreshed API lists). `AVM_CACHE_DIR` overrides it."""
    override = os.environ.get("AVM_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "avm" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "avm"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "avm"


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
