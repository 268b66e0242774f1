"""Bicep metadata and parameters: descriptions, lowerCamelCase, location, name, module path, target scope."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.bicep_reader import BicepFile, Statement, string_value
from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import SCOPES, B, has_version, main

CAMEL_RE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
VARIABLE_RE = re.compile(r"^[a-z]+[a-zA-Z0-9]+$|^\$fxv#\d+$")
DESCRIPTION_RE = re.compile(r"(?s)^[A-Z][a-zA-Z]+\. .+\.$")
CATEGORIES = ("Required", "Optional", "Conditional", "Generated")


def is_required(param: Statement) -> bool:
    return param.value is None and not param.nullable


@rule(
    "AVMB001",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    title="main.bicep declares `metadata name` and `metadata description`.",
    fix="Add `metadata name = '<Plural display name>'` and `metadata description = 'This module deploys ...'`.",
    example=("metadata name = 'Key Vaults'\nmetadata description = 'This module deploys a Key Vault.'"),
)
def metadata(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for name in ("name", "description"):
        if not bicep.metadata(name):
            yield Hit(f"metadata {name} is missing or empty")


@rule(
    "BCPNFR7",
    spec="BCPNFR7",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Every parameter is described with a category prefix (Required., Optional., Conditional., Generated.) "
    "that matches whether it is required, and ends with a dot.",
    fix="Write `@description('Required. ...')` for required parameters and `Optional. ...` for the others; "
    "`Conditional.` descriptions say `Required if ...`.",
    example=(
        "@description('Required. Name of the Key Vault.')\n"
        "param name string\n"
        "\n"
        "@description('Optional. Location for all resources.')\n"
        "param location string = resourceGroup().location"
    ),
)
def parameter_descriptions(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for param in bicep.of("param"):
        description = param.description
        if description is None or not DESCRIPTION_RE.match(description):
            yield Hit(
                f"parameter {param.name}: description has no `Category. ` prefix or no final dot", line=param.line
            )
            continue
        category = description.split(".", 1)[0]
        if category not in CATEGORIES:
            yield Hit(f"parameter {param.name}: unknown category {category!r}", line=param.line)
        elif category == "Conditional" and "Required if" not in description:
            yield Hit(f"parameter {param.name}: a Conditional description must say `Required if ...`", line=param.line)
        elif is_required(param) and category not in ("Required", "Conditional"):
            yield Hit(f"parameter {param.name} is required but described as {category}", line=param.line)
        elif not is_required(param) and category == "Required":
            yield Hit(
                f"parameter {param.name} has a default or is nullable but is described as Required", line=param.line
            )


@rule(
    "BCPNFR8",
    spec="BCPNFR8",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Parameters, user-defined type properties, variables and outputs are named in lowerCamelCase.",
    fix="Rename to lowerCamelCase (no `-` or `_`).",
    example=(
        "param publicNetworkAccess string?\nvar formattedRoleAssignments = []\noutput resourceId string = keyVault.id"
    ),
)
def camel_case(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for param in bicep.of("param"):
        if not CAMEL_RE.match(param.name):
            yield Hit(f"parameter {param.name} is not lowerCamelCase", line=param.line)
    for var in bicep.of("var"):
        if not VARIABLE_RE.match(var.name):
            yield Hit(f"variable {var.name} is not lowerCamelCase", line=var.line)
    for output in bicep.of("output"):
        if not CAMEL_RE.match(output.name):
            yield Hit(f"output {output.name} is not lowerCamelCase", line=output.line)
    for definition in bicep.of("type"):
        for offset, prop in type_properties(definition.text):
            if not CAMEL_RE.match(prop):
                yield Hit(
                    f"type {definition.name}: property {prop} is not lowerCamelCase", line=definition.line + offset
                )


PROPERTY_RE = re.compile(r"^\s+([A-Za-z_$][\w$-]*)\s*:\s", re.M)


def type_properties(text: str) -> Iterator[tuple[int, str]]:
    """Property names declared in a type's object body (any depth), with their line offsets. Quoted names
    (`'odata.type'`) are the API's own and are not ours to rename."""
    for match in PROPERTY_RE.finditer(text):
        name = match.group(1)
        if name != "*":
            yield text.count("\n", 0, match.start()) + 1, name


@rule(
    "RMNFR2",
    spec="RMNFR2",
    language=B,
    severity="error",
    title="`location` defaults to `resourceGroup().location` (or 'global').",
    fix="Declare `param location string = resourceGroup().location`.",
    example=("@description('Optional. Location for all resources.')\nparam location string = resourceGroup().location"),
)
def location_default(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    location = bicep.params.get("location") if bicep else None
    if location is None or location.value is None:
        return
    allowed = {"resourcegroup().location", "'global'"}
    if target_scope(bicep) != "resourceGroup":
        allowed.add("deployment().location")  # there is no resource group to take it from
    if location.value.lower() not in allowed:
        yield Hit(f"location defaults to {location.value}, not resourceGroup().location", line=location.line)


def target_scope(bicep: BicepFile) -> str:
    scope = bicep.get("targetScope", "")
    return string_value(scope.value or "") or "resourceGroup" if scope else "resourceGroup"


@rule(
    "RMNFR1",
    spec="RMNFR1",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, a module lives at avm/<res|ptn|utl>/<provider-or-category>/<name> in "
    "lower-case kebab case.",
    fix="Move the module to the path the module index approved for it (avm new takes it from the index).",
    example=("avm/res/key-vault/vault\navm/ptn/azd/monitoring\navm/utl/types/avm-common-types"),
)
def module_path(module: Module) -> Iterator[Hit]:
    if module.registry_root is None:
        return
    if not re.fullmatch(r"avm/(res|ptn|utl)/[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*", module.module_path):
        yield Hit(f"{module.module_path} is not avm/<res|ptn|utl>/<kebab-case>/<kebab-case>", ".")


@rule(
    "RMNFR2-name",
    spec="RMNFR2",
    language=B,
    severity="warning",  # published modules of singleton resources (network watchers) default the name
    classes=("res",),
    title="A resource module takes a required `name` parameter.",
    fix="Declare `@description('Required. Name of the <resource>.')` and `param name string`, without a default.",
    example=("@description('Required. Name of the Key Vault.')\nparam name string"),
)
def name_parameter(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return  # a multi-scope parent passes the name to its scopes
    name = bicep.params.get("name")
    if name is None:
        yield Hit("parameter name is missing")
    elif not is_required(name):
        yield Hit("parameter name must be required (no default, not nullable)", line=name.line)


@rule(
    "RMFR3",
    spec="RMFR3",
    language=B,
    severity="warning",
    classes=("res",),
    title="A resource module deploys at resource-group scope (no other targetScope).",
    fix="Remove targetScope, or make the module multi-scope (rg-scope, sub-scope, mg-scope children).",
    example=("// no targetScope line: resource group scope is the default\nmetadata name = 'Key Vaults'"),
)
def resource_group_scope(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module) or module.root.name in SCOPES:
        return
    if target_scope(bicep) != "resourceGroup":
        yield Hit(f"targetScope is {target_scope(bicep)}", line=bicep.line_of(r"^targetScope"))
