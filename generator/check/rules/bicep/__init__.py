"""The Bicep rules of `avm check`: the static MUSTs of the AVM spec and the compliance-suite items of
bicep-registry-modules that need no compiler. Each rule names the spec ID it checks."""

from __future__ import annotations

from importlib import import_module

FAMILIES = (
    "files",
    "parameters",
    "telemetry",
    "interfaces",
    "references",
    "e2e_tests",
    "registry",
    "schema",
    "secrets",
)
"""Its modules in the order they register their rules: the order the rules run in."""

for _family in FAMILIES:
    import_module(f"{__name__}.{_family}")
