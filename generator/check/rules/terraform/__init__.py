"""The Terraform rules of `avm check`: AVM file layout, tflint rules and interfaces, without `terraform init`.

Rule IDs are the tflint rule names where a rule mirrors one, the spec ID for file and structure rules, and
`AVMTnnn` for our own. Every rule stays silent when it cannot decide (a file that does not parse, an
expression it cannot evaluate).
"""

from __future__ import annotations

from importlib import import_module

FAMILIES = (
    "interfaces",
    "files",
    "versions",
    "telemetry",
    "variables",
    "resources",
    "module_calls",
    "conventions",
    "schema",
    "secrets",
)
"""Its modules in the order they register their rules: the order the rules run in."""

for _family in FAMILIES:
    import_module(f"{__name__}.{_family}")
