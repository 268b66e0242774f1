"""Values for shell completion of options (`--lang b<TAB>`), beside typer's completion of option names.

Each function is an `autocompletion=` callback. They import what they need inside, so that completing stays
fast, and a problem of any kind (a damaged cache, an unknown namespace) completes nothing rather than
printing a traceback into the user's shell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

import typer

Completer = Callable[..., list[str]]


def _never_fails(completer: Completer) -> Completer:
    @wraps(completer)
    def guarded(*args: Any, **kwargs: Any) -> list[str]:
        try:
            return completer(*args, **kwargs)
        except Exception:  # completion must never break the shell
            return []

    return guarded


def _starting_with(values: Iterable[str], incomplete: str) -> list[str]:
    return [v for v in values if v.startswith(incomplete)]


@_never_fails
def languages(incomplete: str) -> list[str]:
    from generator.spec import LANGUAGES

    return _starting_with(LANGUAGES, incomplete)


@_never_fails
def check_formats(incomplete: str) -> list[str]:
    from generator.commands.check import FORMATS

    return _starting_with(FORMATS, incomplete)


@_never_fails
def severities(incomplete: str) -> list[str]:
    from generator.check.core import SEVERITIES

    return _starting_with(SEVERITIES, incomplete)


@_never_fails
def conflict_styles(incomplete: str) -> list[str]:
    return _starting_with(("inline", "rej"), incomplete)


@_never_fails
def interfaces(incomplete: str) -> list[str]:
    """Complete the key after the last comma; the keys already given are not offered again."""
    from generator.interfaces import INTERFACE_KEYS

    given, _, last = incomplete.rpartition(",")
    if not given:
        return _starting_with((*INTERFACE_KEYS, "all", "none"), last)
    chosen = {key.strip() for key in given.split(",")}
    return [f"{given},{key}" for key in INTERFACE_KEYS if key not in chosen and key.startswith(last)]


@_never_fails
def provider_namespaces(incomplete: str) -> list[str]:
    from generator.catalog import Catalog

    return _starting_with(Catalog.load().namespaces(), incomplete)


@_never_fails
def resource_types(ctx: typer.Context, incomplete: str) -> list[str]:
    """The types of the namespace given earlier on the command line with --provider."""
    namespace = ctx.params.get("provider")
    if not namespace:
        return []
    from generator.catalog import Catalog

    catalog = Catalog.load()
    return _starting_with(catalog.types(catalog.canonical_namespace(namespace) or namespace), incomplete)


@_never_fails
def child_types(ctx: typer.Context, incomplete: str) -> list[str]:
    """The child types of the --provider and --type given earlier on the command line."""
    namespace, resource_type = ctx.params.get("provider"), ctx.params.get("type_")
    if not (namespace and resource_type):
        return []
    from generator.catalog import Catalog

    children = Catalog.load().facts(namespace, resource_type).children
    return _starting_with((child.type_path for child in children), incomplete)
