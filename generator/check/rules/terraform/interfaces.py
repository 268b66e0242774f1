"""Terraform interfaces (RMFR4): lock, role assignments, diagnostics, private endpoints, identities, CMK, tags."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator.check.core import Hit, Module
from generator.check.hcl_reader import Block
from generator.check.rules import BOTH
from generator.check.rules.terraform.common import tf_rule, variables_of
from generator.check.rules.terraform.type_parser import parse_type, type_difference

# The interface variables as the generator writes them (generator/data/terraform.yaml, the types of
# avm-utl-interfaces): one source of truth. Besides them the spec accepts the customer-managed-key variant
# that names the key by URI, and older forms that only earn a deprecation notice.
_CMK_BY_URI = (
    "object({ key_vault_key_uri = string, user_assigned_identity = optional(object({ client_id = string }), null) })"
)
_EXTRA_VARIANTS = {"customer_managed_key": (_CMK_BY_URI,)}
_TOLERATED = {
    "lock": {"notes": "deprecated"},
    "role_assignments": {"name": "deprecated"},
    "private_endpoints": {
        "role_assignments.name": "deprecated",
        "lock.notes": "deprecated",
        "subresource_name": "free",
        "ip_configurations.member_name": "free",
    },
}
_DEFAULTS = {"null": None, "{}": {}, "[]": [], "true": True, "false": False}


def _interface_table() -> dict[str, tuple[tuple[str, ...], Any, str, dict[str, str]]]:
    """name -> (accepted types, default, nullable "false"|"unset", tolerated attributes)."""
    from generator.terraform.facts import load

    table = {}
    for variables in load().interfaces.values():
        for v in variables:
            table[v.name] = (
                (v.type, *_EXTRA_VARIANTS.get(v.name, ())),
                _DEFAULTS.get(v.default, v.default),
                "false" if v.nullable is False else "unset",
                _TOLERATED.get(v.name, {}),
            )
    return table


INTERFACE_VARIABLES = _interface_table()
_PARSED_INTERFACES = {k: [parse_type(t) for t in v[0]] for k, v in INTERFACE_VARIABLES.items()}


def _interface_problems(name: str, b: Block) -> tuple[list[tuple[str, int]], list[str]]:
    """(problems with their lines, deprecated attributes missing) of interface variable `name`."""
    _, default, nullable, tolerated = INTERFACE_VARIABLES[name]
    problems: list[tuple[str, int]] = []
    missing: list[str] = []
    if "type" in b.body:
        actual = parse_type(b.body["type"])
        if actual is not None:
            diffs = []
            for expected in _PARSED_INTERFACES[name]:
                found: list[str] = []
                diffs.append((type_difference(actual, expected, "", tolerated, found), found))
                if diffs[-1][0] is None:
                    missing = found
                    break
            else:
                where = diffs[0][0]
                at = "" if where == "type" else f" at `{where}`"
                problems.append((f"type does not match the AVM interface{at}", b.attr_line("type")))
    if "default" not in b.body:
        problems.append((f"default must be {_hcl_literal(default)}", b.line))
    elif b.body["default"] != default or isinstance(b.body["default"], bool) != isinstance(default, bool):
        problems.append((f"default must be {_hcl_literal(default)}", b.attr_line("default")))
    if nullable == "false" and b.body.get("nullable") is not False:
        problems.append(("must set nullable = false", b.attr_line("nullable")))
    if nullable == "unset" and b.body.get("nullable") is False:
        problems.append(("must not set nullable = false", b.attr_line("nullable")))
    return problems, missing


def _hcl_literal(value: Any) -> str:
    return "null" if value is None else json.dumps(value).lower() if isinstance(value, bool) else json.dumps(value)


def _interface_example(name: str) -> str:
    """The variable as the AVM interface writes it (the facts `avm new` renders from)."""
    from generator.terraform.facts import load

    variable = next(v for group in load().interfaces.values() for v in group if v.name == name)
    type_text = variable.type.replace("\n", "\n  ")
    nullable = "\n  nullable = false" if variable.nullable is False else ""
    return f'variable "{name}" {{\n  type     = {type_text}\n  default  = {variable.default}{nullable}\n}}'


def _interface_rule(name: str) -> None:
    @tf_rule(
        name,
        spec="RMFR4",
        severity="error",
        title=f"The `{name}` variable, when present, has the exact type, default and nullability of the AVM interface.",
        fix=f"Copy the `{name}` variable from the AVM interface specification.",
        example=_interface_example(name),
        scopes=BOTH,
    )
    def check(module: Module) -> Iterator[Hit]:
        found = variables_of(module).get(name)
        if found is not None:
            for message, line in _interface_problems(name, found[1])[0]:
                yield Hit(f'variable "{name}": {message}', found[0], line)


for _name in INTERFACE_VARIABLES:
    _interface_rule(_name)


def _deprecated_rule(name: str) -> None:
    @tf_rule(
        f"deprecated_{name}_interface",
        spec="RMFR4",
        severity="info",
        title=f"The `{name}` variable uses the newest form of the AVM interface.",
        fix=f"Add the attributes of the newest `{name}` interface.",
        example=_interface_example(name),
        scopes=BOTH,
    )
    def check(module: Module) -> Iterator[Hit]:
        found = variables_of(module).get(name)
        if found is not None:
            problems, missing = _interface_problems(name, found[1])
            if missing and not any("type" in m for m, _ in problems):
                where = ", ".join(f"`{m}`" for m in missing)
                yield Hit(
                    f'variable "{name}": older interface form without {where}', found[0], found[1].attr_line("type")
                )


for _name in ("lock", "role_assignments", "private_endpoints"):
    _deprecated_rule(_name)


@tf_rule(
    "private_endpoints_manage_dns_zone_group_required",
    spec="RMFR4",
    severity="error",
    title="A module with `private_endpoints` also has `private_endpoints_manage_dns_zone_group`.",
    fix='Add variable "private_endpoints_manage_dns_zone_group" (bool, default true, nullable = false).',
    scopes=BOTH,
    example=(
        'variable "private_endpoints_manage_dns_zone_group" {\n'
        "  type     = bool\n"
        "  default  = true\n"
        "  nullable = false\n"
        "}"
    ),
)
def pe_needs_dns_zone_group(module: Module) -> Iterator[Hit]:
    variables = variables_of(module)
    if "private_endpoints" in variables and "private_endpoints_manage_dns_zone_group" not in variables:
        file, b = variables["private_endpoints"]
        yield Hit('variable "private_endpoints": no variable "private_endpoints_manage_dns_zone_group"', file, b.line)
