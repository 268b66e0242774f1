"""AzAPI resource bodies against their types' schemas (`generator.azure_types`): required properties, properties
the type lacks or sets itself, fixed names, interfaces the type does not have.

Every `azapi_resource` whose type the module tells (a literal, or `var.resource_types.<key>` with a default) is
read at that API version; a type no schema source has is not checked. `name` and `location` are never reported
missing: AzAPI can supply both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.check.core import Hit, Module
from generator.check.rules import schema as common
from generator.check.rules.schema import Problem, Sent
from generator.check.rules.terraform import azapi_body
from generator.check.rules.terraform.common import resources_of, var_rule, variables_of
from generator.check.schemas import schema_of

SUPPLIED_BY_AZAPI = ("name", "location")


def sent_resources(module: Module) -> list[Sent]:
    """The azapi_resources of the module whose type has a schema, once a module."""
    key = "tf:sent"
    if key not in module._cache:
        variables = {name: block for name, (_, block) in variables_of(module).items()}
        found = []
        for file, block in resources_of(module, "azapi_resource"):
            declared = azapi_body.resource_type(block, variables)
            resolved = schema_of(*declared) if declared is not None else None
            if declared is not None and resolved is not None:
                read = azapi_body.read(block, declared)
                label = f'resource "azapi_resource" "{block.name}"'
                found.append(Sent(label, file, "@".join(declared), read.body, resolved, read.sensitive))
        module._cache[key] = found
    return module._cache[key]


def _hits(module: Module, find: Callable[[Sent], Iterator[Problem]]) -> Iterator[Hit]:
    for sent in sent_resources(module):
        for problem in find(sent):
            yield Hit(problem.message, sent.file, problem.line, problem.col)


EXAMPLE = (
    'resource "azapi_resource" "this" {\n'
    "  location  = var.location\n"
    "  name      = var.name\n"
    "  parent_id = var.parent_id\n"
    '  type      = "Microsoft.KeyVault/vaults@2026-02-01"\n'
    "  body = {\n"
    "    properties = {\n"
    '      sku      = { family = "A", name = var.sku_name }\n'
    "      tenantId = var.tenant_id\n"
    "    }\n"
    "  }\n"
    "  tags = var.tags\n"
    "}"
)


@var_rule(
    "AVMT100",
    "",
    "error",
    "An azapi_resource whose body is a literal object sets every property its type's schema requires (at the top "
    "and in every literal object inside, such as `properties`).",
    "Set the property in `body` (or `sensitive_body`), from a variable or a default.",
    example=EXAMPLE,
)
def required_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, lambda sent: common.missing_required(sent, SUPPLIED_BY_AZAPI))


@var_rule(
    "AVMT101",
    "",
    "warning",
    "Every literal key of an azapi_resource body is a property of its type at the declared API version.",
    "Correct the property name, move it to the level the schema has it at, or use an API version that has it.",
    example=EXAMPLE,
)
def unknown_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.unknown_keys)


@var_rule(
    "AVMT102",
    "",
    "warning",
    "An azapi_resource body sets no property its type's schema marks read-only (`provisioningState`, ...).",
    "Remove the property: Azure sets it; export it with response_export_values instead.",
    example=EXAMPLE,
)
def read_only_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.read_only_keys)


@var_rule(
    "AVMT103",
    "",
    "error",
    "A literal name is one of the names the type's schema allows, where it allows only a few (`default`).",
    'Use the name the schema fixes, e.g. name = "default" for a storage account\'s blob service.',
    example=(
        'resource "azapi_resource" "blob_service" {\n'
        '  name      = "default"\n'
        "  parent_id = azapi_resource.this.id\n"
        '  type      = "Microsoft.Storage/storageAccounts/blobServices@2026-04-01"\n'
        "}"
    ),
)
def fixed_names(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.wrong_name)


@var_rule(
    "AVMT104",
    "",
    "warning",
    "An azapi_resource sets `identity`, `tags` or `location` only where its type has them.",
    "Remove the attribute or block (and the interface variable that feeds it, if it serves nothing else).",
    example=(
        'resource "azapi_resource" "lock" {\n'
        '  name      = "lock"\n'
        "  parent_id = azapi_resource.this.id\n"
        '  type      = "Microsoft.Authorization/locks@2020-05-01"\n'
        '  body      = { properties = { level = "CanNotDelete" } }\n'
        "  # no tags, no location: a lock has neither\n"
        "}"
    ),
)
def interfaces_the_type_has(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.interfaces_without_schema)
