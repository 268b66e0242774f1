"""copier without git, for renders of a template folder into a fresh folder.

copier asks git about a local template (is the folder a repository, a bundle?) and, for every file it writes,
about the destination's index (`git config core.fileMode`, to carry an executable bit into an index that ignores
file modes). Neither question has an answer that matters when avm renders its own template folder (not a git
repository, or one avm does not version by) into a folder nothing tracks yet: the answers are "no" and "nothing to
do". Each question is a git process, one per file: a module with ten children pays hundreds of them. Within
`without_git()`, copier takes git for absent. Updates, which need git, never run in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

# Where copier looks git up: its modules import `is_git_available` by name.
MODULES = ("copier._main", "copier._template")


@contextmanager
def without_git() -> Iterator[None]:
    import importlib

    with ExitStack() as stack:
        for name in MODULES:
            module = importlib.import_module(name)
            if callable(getattr(module, "is_git_available", None)):  # another copier: nothing to change
                stack.enter_context(_replaced(module, "is_git_available", lambda: False))
        yield


@contextmanager
def _replaced(module: Any, name: str, value: Any) -> Iterator[None]:
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)
