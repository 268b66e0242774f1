"""Bicep resource bodies against their types' schemas (`generator.azure_types`): required properties, properties
the type lacks or sets itself, fixed names, interfaces the type does not have.

Only `main.bicep`'s resources are read, each at the API version it declares; a type no schema source has is not
checked. What the Bicep compiler reports for the same problem, and a module suppressed with
`#disable-next-line <code>`, stays suppressed here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from generator.check.bicep_body import declarations
from generator.check.bicep_reader import BicepFile
from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules import schema as common
from generator.check.rules.bicep.common import B, main
from generator.check.rules.schema import Problem, Sent
from generator.check.schemas import schema_of

UNKNOWN_CODES = ("BCP037", "BCP089", "BCP187")  # the compiler's "the property is not allowed / might be valid"


def sent_resources(module: Module) -> list[Sent]:
    """The resources main.bicep deploys whose type has a schema, once a module."""
    key = "bicep:sent"
    if key not in module._cache:
        bicep = main(module)
        found = []
        for declared in declarations(bicep, _has_schema) if bicep is not None else ():
            if declared.existing or declared.body is None:
                continue
            resolved = schema_of(declared.type_name, declared.api_version)
            if resolved is not None:
                asked = f"{declared.type_name}@{declared.api_version}"
                found.append(Sent(f"resource {declared.symbol}", "main.bicep", asked, declared.body, resolved))
        module._cache[key] = found
    return module._cache[key]


def _has_schema(type_name: str, api_version: str) -> bool:
    return schema_of(type_name, api_version) is not None


def suppressed(bicep: BicepFile, line: int, codes: Iterable[str]) -> bool:
    """Whether the line above `line` is `#disable-next-line` with one of `codes`."""
    lines = bicep.source.splitlines()
    previous = lines[line - 2].split() if 2 <= line <= len(lines) + 1 else []
    wanted = {code.lower() for code in codes}
    return bool(previous) and previous[0] == "#disable-next-line" and any(c.lower() in wanted for c in previous[1:])


def _hits(module: Module, find: Callable[[Sent], Iterator[Problem]], codes: Iterable[str]) -> Iterator[Hit]:
    bicep = main(module)
    for sent in sent_resources(module):
        for problem in find(sent):
            if bicep is not None and not suppressed(bicep, problem.line, codes):
                yield Hit(problem.message, sent.file, problem.line, problem.col)


@rule(
    "AVMB100",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A resource body written as a literal object sets every property its type's schema requires (at the top "
    "and in every literal object inside, such as `properties`).",
    fix="Set the property (from a parameter or a default), or build the body in a way the check cannot see into "
    "if another part of the template supplies it.",
    example=(
        "resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' = {\n"
        "  name: name\n"
        "  location: location\n"
        "  properties: {\n"
        "    sku: sku          // required\n"
        "    tenantId: tenantId // required\n"
        "  }\n"
        "}"
    ),
)
def required_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.missing_required, ("BCP035",))


@rule(
    "AVMB101",
    spec="",
    language=B,
    severity="warning",
    scopes=BOTH,
    title="Every literal key of a resource body is a property of its type at the declared API version.",
    fix="Correct the property name, move it to the level the schema has it at, or use an API version that has it.",
    example=(
        "resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' = {\n"
        "  name: name\n"
        "  properties: {\n"
        "    enableRbacAuthorization: true // not `enableRBAC`\n"
        "  }\n"
        "}"
    ),
)
def unknown_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.unknown_keys, UNKNOWN_CODES)


@rule(
    "AVMB102",
    spec="",
    language=B,
    severity="warning",
    scopes=BOTH,
    title="A resource body sets no property its type's schema marks read-only (`id`, `provisioningState`, ...).",
    fix="Remove the property: Azure sets it; read it from the resource (`<symbol>.properties.<name>`) instead.",
    example=(
        "resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' = {\n"
        "  name: name\n"
        "  properties: {\n"
        "    sku: sku\n"
        "    tenantId: tenantId\n"
        "    // no vaultUri: Azure sets it\n"
        "  }\n"
        "}"
    ),
)
def read_only_properties(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.read_only_keys, ("BCP073",))


@rule(
    "AVMB103",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A literal name is one of the names the type's schema allows, where it allows only a few (`default`).",
    fix="Use the name the schema fixes, e.g. `name: 'default'` for a storage account's blob service.",
    example=(
        "resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2026-04-01' = {\n"
        "  name: 'default'\n"
        "  parent: storageAccount\n"
        "}"
    ),
)
def fixed_names(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.wrong_name, ("BCP036", "BCP088"))


@rule(
    "AVMB104",
    spec="",
    language=B,
    severity="warning",
    scopes=BOTH,
    title="A resource body sets `identity`, `tags` or `location` only where its type has them.",
    fix="Remove the key (and the interface parameter that feeds it, if it serves nothing else).",
    example=(
        "resource lock 'Microsoft.Authorization/locks@2020-05-01' = {\n"
        "  name: 'lock'\n"
        "  properties: { level: 'CanNotDelete' }\n"
        "  scope: keyVault\n"
        "  // no tags, no location: a lock has neither\n"
        "}"
    ),
)
def interfaces_the_type_has(module: Module) -> Iterator[Hit]:
    yield from _hits(module, common.interfaces_without_schema, UNKNOWN_CODES)
