"""Terraform resources of resource modules: parent_id, `this`, tags and the AzAPI arguments (TFFR4-7)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.core import Hit, Module
from generator.check.rules import BOTH
from generator.check.rules.terraform.common import complete, norm, resources_of, tf_rule, var_rule, variables_of


@tf_rule(
    "TFRMFR1",
    spec="TFRMFR1",
    severity="error",
    title="A resource module takes parent_id (string, nullable = false) and no resource_group_name.",
    fix='Replace resource_group_name with variable "parent_id" { type = string, nullable = false }.',
    classes=("res",),
    scopes=BOTH,
    example=('variable "parent_id" {\n  type     = string\n  nullable = false\n}'),
)
def parent_id(module: Module) -> Iterator[Hit]:
    if module.is_child and not resources_of(module, "azapi_resource"):
        return  # a data-plane submodule (or a documented AzureRM exception) has no ARM parent
    variables = variables_of(module)
    for name in ("resource_group_name", "resource_group_resource_id"):
        if name in variables:
            yield Hit(
                f'variable "{name}": resource modules take parent_id instead',
                variables[name][0],
                variables[name][1].line,
            )
    if "parent_id" not in variables:
        if complete(module):
            yield Hit('variable "parent_id": missing', "variables.tf")
        return
    file, b = variables["parent_id"]
    if b.body.get("type") != "string":
        yield Hit('variable "parent_id": type must be string', file, b.attr_line("type"))
    if b.body.get("nullable") is not False:
        yield Hit('variable "parent_id": must set nullable = false', file, b.attr_line("nullable"))
    if "default" in b.body:
        yield Hit('variable "parent_id": must be required (no default)', file, b.attr_line("default"))


@tf_rule(
    "TFRMNFR2",
    spec="TFRMNFR2",
    severity="error",
    title='The primary AzAPI resource of a resource module is labelled "this".',
    fix='Rename the primary resource to azapi_resource "this".',
    classes=("res",),
    scopes=BOTH,
    example=('resource "azapi_resource" "this" {\n  type = "Microsoft.KeyVault/vaults@2024-11-01"\n}'),
)
def primary_this(module: Module) -> Iterator[Hit]:
    azapi = resources_of(module, "azapi_resource")
    if complete(module) and azapi and not any(b.name == "this" for _, b in resources_of(module)):
        file, b = azapi[0]
        yield Hit('resource "azapi_resource": no primary resource labelled "this"', file, b.line)


@var_rule(
    "azapi_response_export_values",
    "TFFR4",
    "warning",  # new in tflint-ruleset-avm 0.21; current real modules do not all follow it yet
    "Every azapi_resource sets response_export_values (even []).",
    "Add response_export_values = [].",
    example=('resource "azapi_resource" "this" {\n  response_export_values = []\n}'),
)
def response_export_values(module: Module) -> Iterator[Hit]:
    for file, b in resources_of(module, "azapi_resource"):
        if "response_export_values" not in b.attr_lines:
            yield Hit(f'resource "azapi_resource" "{b.name}": no response_export_values', file, b.line)


_JMES_IDENTIFIER = r'(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")'
_JMES_SEGMENT = rf"{_JMES_IDENTIFIER}(?:\[(?:-?\d+|\*)?\])*"
_JMES_PATH = re.compile(rf"{_JMES_SEGMENT}(?:\.{_JMES_SEGMENT})*")
_JMES_PATH_ALPHABET = re.compile(r'[A-Za-z0-9_."\[\]*-]*')
_IMPLICIT_TRIGGERS = ("name", "location")


def _trigger_problem(path: str, body: Any) -> str | None:
    """What is wrong with one `replace_triggers_refs` entry, or None (also when it cannot tell)."""
    if not path.strip():
        return "blank entry"
    if path in _IMPLICIT_TRIGGERS:
        return f"{path} replaces the resource anyway; remove it"
    if not _JMES_PATH.fullmatch(path):
        # Only a path made of identifiers, dots and brackets is surely malformed; richer JMESPath is left alone.
        return f"{path!r} is not a valid JMESPath expression" if _JMES_PATH_ALPHABET.fullmatch(path) else None
    node = body
    for segment in path.split("."):
        if not isinstance(node, dict) or not re.fullmatch(r"[A-Za-z_]\w*", segment):
            return None  # a computed value, a quoted or indexed segment: cannot tell
        if segment not in node:
            return f"{path!r} is not a path of the body"
        node = node[segment]
    return None


@var_rule(
    "azapi_replace_triggers_refs",
    "TFFR5",
    "warning",  # new in tflint-ruleset-avm 0.21; current real modules still write `[]`
    "An azapi_resource sets replace_triggers_refs only to a non-empty static list of distinct JMESPath body paths "
    "(never name or location); without body paths that force replacement it omits the argument.",
    "Omit replace_triggers_refs, or list the body paths whose change must replace the resource.",
    example=(
        'resource "azapi_resource" "this" {\n'
        "  replace_triggers_refs = [\n"
        '    "properties.tenantId",\n'
        '    "sku.name",\n'
        "  ]\n"
        "}"
    ),
)
def replace_triggers_refs(module: Module) -> Iterator[Hit]:
    for file, b in resources_of(module, "azapi_resource"):
        if "replace_triggers_refs" not in b.body:
            continue
        value, line = b.body["replace_triggers_refs"], b.attr_line("replace_triggers_refs")
        where = f'resource "azapi_resource" "{b.name}": replace_triggers_refs'
        if not isinstance(value, list) or not all(isinstance(v, str) and "${" not in v for v in value):
            yield Hit(f"{where} must be a static list of strings", file, line)
        elif not value:
            yield Hit(f"{where} is empty; omit it when no body path forces replacement", file, line)
        else:
            for duplicate in sorted({v for v in value if value.count(v) > 1}):
                yield Hit(f"{where} lists {duplicate!r} twice", file, line)
            for path in dict.fromkeys(value):
                if problem := _trigger_problem(path, b.body.get("body")):
                    yield Hit(f"{where}: {problem}", file, line)


@var_rule(
    "TFFR7",
    "TFFR7",
    "error",
    'Every azapi_resource sets retry = var.retry and a dynamic "timeouts" block.',
    'Add retry = var.retry and dynamic "timeouts" { for_each = var.timeouts == null ? [] : [var.timeouts] ... }.',
    example=(
        'resource "azapi_resource" "this" {\n'
        "  retry = var.retry\n"
        "\n"
        '  dynamic "timeouts" {\n'
        "    for_each = var.timeouts == null ? [] : [var.timeouts]\n"
        "\n"
        "    content {\n"
        "      create = timeouts.value.create\n"
        "      delete = timeouts.value.delete\n"
        "      read   = timeouts.value.read\n"
        "      update = timeouts.value.update\n"
        "    }\n"
        "  }\n"
        "}"
    ),
)
def retry_timeouts(module: Module) -> Iterator[Hit]:
    variables = variables_of(module)
    for file, b in resources_of(module, "azapi_resource"):
        if "retry" in variables and "var.retry" not in norm(b.body.get("retry", "")):
            yield Hit(f'resource "azapi_resource" "{b.name}": set retry = var.retry', file, b.attr_line("retry"))
        dynamics = b.body.get("dynamic", [])
        labels = {k for d in (dynamics if isinstance(dynamics, list) else [dynamics]) if isinstance(d, dict) for k in d}
        static = "var.timeouts" in norm(
            b.body.get("timeouts", "")
        )  # a plain block fed from var.timeouts also applies it
        if "timeouts" in variables and "timeouts" not in labels and not static:
            yield Hit(f'resource "azapi_resource" "{b.name}": add a dynamic "timeouts" block', file, b.line)


@var_rule(
    "TFFR6",
    "TFFR6",
    "error",
    "When a resource_types variable exists, the module's own azapi_resource (`this`) takes its type from it.",
    "Set type = var.resource_types.<key>.",
    example=('resource "azapi_resource" "this" {\n  type = var.resource_types.keyvault_vaults\n}'),
)
def resource_types(module: Module) -> Iterator[Hit]:
    if "resource_types" not in variables_of(module):
        return
    for file, b in resources_of(module, "azapi_resource"):
        # Interface resources (locks, role assignments...) often take their type from avm-utl-interfaces.
        if b.name == "this" and not norm(b.body.get("type", "")).startswith("var.resource_types"):
            yield Hit(
                f'resource "azapi_resource" "{b.name}": type must come from var.resource_types',
                file,
                b.attr_line("type"),
            )


@tf_rule(
    "azapi_resource_tag",
    spec="TFFR9",
    severity="error",
    title="When a tags variable exists, the primary azapi_resource sets tags = var.tags.",
    fix="Add tags = var.tags to the primary resource.",
    classes=("res",),
    scopes=BOTH,
    example=('resource "azapi_resource" "this" {\n  tags = var.tags\n}'),
)
def primary_tags(module: Module) -> Iterator[Hit]:
    if "tags" not in variables_of(module):
        return
    for file, b in resources_of(module, "azapi_resource"):
        if b.name == "this" and "var.tags" not in norm(b.body.get("tags", "")):
            yield Hit('resource "azapi_resource" "this": set tags = var.tags', file, b.attr_line("tags"))
