"""Terraform resources of resource modules: parent_id, `this`, AzAPI exports, retry, timeouts, types, tags."""

from __future__ import annotations

from collections.abc import Iterator

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
