"""Finding the modules under the paths given to `avm check`, with their language and class from the layout."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.check.core import Module
from generator.errors import FieldError, InvalidInputError

SKIPPED_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__", "tests", "examples", ".github"}
CLASS_IN_PATH = re.compile(r"(?:^|/)avm/(res|ptn|utl)/")
CLASS_IN_REPO = re.compile(r"(?:^|[/-])avm-(res|ptn|utl)-")
ANSWERS_CLASS = re.compile(r"^module_class: (resource|pattern|utility)$", re.M)
CLASS_WORDS = {"resource": "res", "pattern": "ptn", "utility": "utl"}


def is_bicep_module(folder: Path) -> bool:
    return (folder / "main.bicep").is_file()


def is_terraform_module(folder: Path) -> bool:
    return (folder / "main.tf").is_file() or (folder / "terraform.tf").is_file()


def module_class(folder: Path, registry_root: Path | None) -> str:
    """From the registry path (`avm/ptn/...`), the repository name (`...-avm-utl-...`) or the answers file."""
    if registry_root is not None:
        match = CLASS_IN_PATH.search(folder.relative_to(registry_root).as_posix())
        if match:
            return match.group(1)
    for part in (folder.as_posix(), folder.name):
        match = CLASS_IN_PATH.search(part) or CLASS_IN_REPO.search(part)
        if match:
            return match.group(1)
    answers = folder / ".copier-answers.yml"
    if answers.is_file():
        match = ANSWERS_CLASS.search(answers.read_text(errors="replace"))
        if match:
            return CLASS_WORDS[match.group(1)]
    return "res"


def _bicep_children(module: Module) -> Iterator[Module]:
    for sub in sorted(p for p in module.root.iterdir() if p.is_dir() and p.name not in SKIPPED_DIRS | {"modules"}):
        if is_bicep_module(sub):
            child = Module(sub, "bicep", module.module_class, True, module.registry_root, module)
            yield child
            yield from _bicep_children(child)


def _terraform_children(module: Module) -> Iterator[Module]:
    modules = module.root / "modules"
    if modules.is_dir():
        for sub in sorted(p for p in modules.iterdir() if p.is_dir() and is_terraform_module(p)):
            yield Module(sub, "terraform", module.module_class, True, None, module)


def modules_at(folder: Path) -> list[Module]:
    """The module whose folder is `folder`, and its child modules; [] when it is not a module folder."""
    from generator.repo import find_registry_root

    if is_bicep_module(folder):
        registry = find_registry_root(folder)
        top = Module(folder, "bicep", module_class(folder, registry), False, registry)
        return [top, *_bicep_children(top)]
    if is_terraform_module(folder):
        top = Module(folder, "terraform", module_class(folder, None))
        return [top, *_terraform_children(top)]
    return []


def module_roots(paths: Iterable[Path]) -> list[Path]:
    """The top-level module folders under `paths`: a path that is a module folder itself, or the outermost module
    folders below it (a registry checkout, a folder of Terraform repositories).

    Raises InvalidInputError (field `path`) for every path that is a file or holds no module: a mistyped path
    must not pass as "0 modules checked"."""
    found: list[Path] = []
    problems: list[FieldError] = []
    for path in paths:
        if path.is_file():
            problems.append(FieldError("path", f"{path} is a file; give the folder of a module"))
            continue
        below = list(_module_roots(path.resolve()))
        if not below:
            problems.append(FieldError("path", f"{path} holds no module (no main.bicep, main.tf or terraform.tf)"))
        for folder in below:
            if folder not in found:
                found.append(folder)
    if problems:
        raise InvalidInputError(problems)
    return found


def discover(paths: Iterable[Path]) -> list[Module]:
    """Every module under `paths`, child modules after their parent."""
    return [module for folder in module_roots(paths) for module in modules_at(folder)]


def _raise(error: OSError) -> None:
    raise error  # a folder that cannot be listed is not silently skipped


def _module_roots(path: Path) -> Iterator[Path]:
    if is_bicep_module(path) or is_terraform_module(path):
        yield path
        return
    for current, dirs, _ in os.walk(path, onerror=_raise):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        if here != path and (is_bicep_module(here) or is_terraform_module(here)):
            dirs[:] = []  # children are found from their top-level module
            yield here
