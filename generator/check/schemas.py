"""The type definitions `avm check` reads: from the user cache, a bicep-types-az checkout (`--schemas DIR`, else
`AVM_SCHEMAS`) and the bundle shipped in the package, in the order of `azure_types.sources`.

A check never downloads: its findings must not depend on the network, and a check of a registry checkout would
otherwise fetch a file for every type it meets. A type at a version no source has is answered with the nearest
older version (`exact` false), and a type no source has gives no schema and no finding. Each schema is looked up
once a process.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InvalidInputError

if TYPE_CHECKING:  # the schema layer is imported when a module first asks for a schema
    from generator.azure_types.lookup import ResolvedSchema

CHECKOUT_VARIABLE = "AVM_SCHEMAS"  # as `azure_types.sources` reads it

_chosen: list[str] = []  # the `--schemas` folder of this process, as `sources` keeps it


def use(folder: Path | None) -> None:
    """The checkout of `--schemas` for every lookup of this process; without one, `AVM_SCHEMAS` is checked here,
    before any module is: InvalidInputError (exit 2) when the folder named is not a checkout."""
    if folder is not None:
        from generator.azure_types import sources

        sources.use_checkout(folder)
        _chosen[:] = [str(folder)]
    elif os.environ.get(CHECKOUT_VARIABLE):
        from generator.azure_types.local_tree import generated_folder

        generated_folder(Path(os.environ[CHECKOUT_VARIABLE]).expanduser(), CHECKOUT_VARIABLE)


def schema_of(type_name: str, api_version: str) -> ResolvedSchema | None:
    """The schema of `Namespace/type[/child...]` at `api_version`, or at the nearest older version; None when no
    source has one."""
    from generator.azure_types import sources

    checkout = next(iter(_chosen), None) or os.environ.get(CHECKOUT_VARIABLE, "")
    return _schema_of(type_name.lower(), api_version.lower(), str(sources.cache_folder()), checkout)


@cache
def _schema_of(type_name: str, api_version: str, _cache: str, _checkout: str) -> ResolvedSchema | None:
    from generator.azure_types import lookup
    from generator.azure_types.schema import ResourceTypeNotFoundError

    namespace, _, type_path = type_name.partition("/")
    try:
        return lookup.resource_schema(namespace, type_path, api_version, allow_download=False)
    except (ResourceTypeNotFoundError, InvalidInputError, OSError, ValueError):
        return None  # a damaged file, a type its file lacks: no schema, no finding
