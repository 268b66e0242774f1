"""Terraform interfaces (RMFR4): lock, role assignments, diagnostics, private endpoints, identities, CMK, tags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from generator.check.core import Hit, Module
from generator.check.hcl_reader import Block
from generator.check.rules import BOTH
from generator.check.rules.terraform.common import blocks_of, norm, tf_rule, variables_of
from generator.check.rules.terraform.type_parser import parse_type, type_difference
from generator.terraform.facts import load

# The interface variables as the generator writes them (generator/data/terraform.yaml, the types of the
# AVM docs' canonical includes): one source of truth. Besides them the spec accepts the customer-managed-key
# variant that names the key by URI, and older forms that only earn a notice: attributes missing from an
# older form (`_TOLERATED`), and whole older shapes (`_OLDER_FORMS`).
_CMK_BY_URI = (
    "object({ key_vault_key_uri = string, user_assigned_identity = optional(object({ client_id = string }), null) })"
)
_EXTRA_VARIANTS = {"customer_managed_key": (_CMK_BY_URI,)}
# The v1 diagnostic settings: the utility module's `diagnostic_settings` input, which tflint-ruleset-avm
# still checks. The v2 shape (`logs` / `metrics` sets) goes to its `diagnostic_settings_v2` input.
_DIAGNOSTIC_SETTINGS_V1 = (
    "map(object({ name = optional(string, null), log_categories = optional(set(string), []),"
    ' log_groups = optional(set(string), ["allLogs"]), metric_categories = optional(set(string), ["AllMetrics"]),'
    ' log_analytics_destination_type = optional(string, "Dedicated"), workspace_resource_id = optional(string, null),'
    " storage_account_resource_id = optional(string, null),"
    " event_hub_authorization_rule_resource_id = optional(string, null), event_hub_name = optional(string, null),"
    " marketplace_partner_resource_id = optional(string, null) }))"
)
_OLDER_FORMS = {"diagnostic_settings": (_DIAGNOSTIC_SETTINGS_V1,)}
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
    table = {}
    for variables in load().interfaces.values():
        for v in variables:
            table[v.name] = (
                (v.type, *_EXTRA_VARIANTS.get(v.name, ()), *_OLDER_FORMS.get(v.name, ())),
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


def _shape(name: str, b: Block) -> str | None:
    """Whether variable `name` has the type the generator writes ("current") or an accepted older form ("older")."""
    actual = parse_type(b.body["type"]) if "type" in b.body else None
    if actual is None:
        return None
    if type_difference(actual, _PARSED_INTERFACES[name][0], "", {}, []) is None:
        return "current"
    older = [parse_type(text) for text in _OLDER_FORMS.get(name, ())]
    return "older" if any(type_difference(actual, o, "", {}, []) is None for o in older) else None


@tf_rule(
    "AVMT032",
    spec="RMFR4",
    severity="info",
    title="The `diagnostic_settings` variable has the v2 shape of the AVM interface (`logs` and `metrics` sets).",
    fix=(
        "Replace `log_categories`, `log_groups` and `metric_categories` by the `logs` and `metrics` sets, and hand "
        "the variable to the `diagnostic_settings_v2` input of avm-utl-interfaces."
    ),
    example=_interface_example("diagnostic_settings"),
    scopes=BOTH,
)
def diagnostic_settings_v1(module: Module) -> Iterator[Hit]:
    found = variables_of(module).get("diagnostic_settings")
    if found is not None and _shape("diagnostic_settings", found[1]) == "older":
        yield Hit(
            'variable "diagnostic_settings": the v1 shape (log_categories, log_groups, metric_categories); '
            "the AVM interface now takes logs and metrics sets",
            found[0],
            found[1].attr_line("type"),
        )


_UTILITY_SOURCE = re.compile(r"^(registry\.(terraform|opentofu)\.io/)?azure/avm-utl-interfaces/azure(rm)?$", re.I)
_UTILITY = load().modules["interfaces"]
# The avm-utl-interfaces input and output of each diagnostic settings shape.
_DIAGNOSTIC_IO = {
    "current": ("v2", "diagnostic_settings_v2", "diagnostic_settings_azapi_v2"),
    "older": ("v1", "diagnostic_settings", "diagnostic_settings_azapi"),
}


@tf_rule(
    "AVMT033",
    spec="RMFR4",
    severity="error",
    title=(
        "`var.diagnostic_settings` goes to the avm-utl-interfaces input of its shape (`diagnostic_settings_v2` for "
        "`logs` / `metrics`, `diagnostic_settings` for v1), and the settings are created from the matching output."
    ),
    fix=(
        "Pass var.diagnostic_settings to the input of its shape and iterate the output of the same version "
        "(diagnostic_settings_azapi_v2 or diagnostic_settings_azapi)."
    ),
    example=(
        'module "avm_interfaces" {\n'
        f'  source  = "{_UTILITY.source}"\n'
        f'  version = "{_UTILITY.version}"\n'
        "\n"
        "  diagnostic_settings_v2 = var.diagnostic_settings\n"
        "}\n"
        "\n"
        'resource "azapi_resource" "diagnostic_settings" {\n'
        "  for_each = module.avm_interfaces.diagnostic_settings_azapi_v2\n"
        "}"
    ),
    scopes=BOTH,
)
def diagnostic_settings_input(module: Module) -> Iterator[Hit]:
    found = variables_of(module).get("diagnostic_settings")
    shape = _shape("diagnostic_settings", found[1]) if found is not None else None
    if shape is None:
        return
    version, want_input, want_output = _DIAGNOSTIC_IO[shape]
    _, wrong_input, wrong_output = _DIAGNOSTIC_IO["older" if shape == "current" else "current"]
    for file, b in blocks_of(module, "module"):
        source = b.body.get("source")
        if not isinstance(source, str) or not _UTILITY_SOURCE.match(source):
            continue
        if norm(b.body.get(wrong_input, "")) == "var.diagnostic_settings":
            yield Hit(
                f'module "{b.name}": var.diagnostic_settings has the {version} shape; pass it to {want_input}, '
                f"not {wrong_input}",
                file,
                b.attr_line(wrong_input),
            )
        for resource_file, r in blocks_of(module, "resource"):
            if norm(r.body.get("for_each", "")) == f"module.{b.name}.{wrong_output}":
                yield Hit(
                    f'resource "{r.labels[0]}" "{r.name}": iterates {wrong_output}; the {version} settings come '
                    f"from {want_output}",
                    resource_file,
                    r.attr_line("for_each"),
                )


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
