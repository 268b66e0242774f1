"""Bicep interfaces and outputs: interface and user-defined types, common-type imports, outputs, role names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import B, has_version, main
from generator.interfaces import INTERFACES, MANDATORY_ROLES

OUTPUT_DESCRIPTION_RE = re.compile(r"(?s)^[A-Z].+\.$")
INTERFACE_PARAMS = tuple(i.bicep["param"] for key, i in INTERFACES.items() if key != "tags")
COMPULSORY_ROLES = tuple(MANDATORY_ROLES)


@rule(
    "RMFR4",
    spec="RMFR4",
    language=B,
    severity="error",
    classes=("res",),
    title="Interface parameters (lock, roleAssignments, diagnosticSettings, managedIdentities, privateEndpoints, "
    "customerManagedKey) use a user-defined type, and `tags` is nullable.",
    fix="Type them with the avm-common-types types (`param lock lockType?`) and declare `tags` with `?`.",
    example=(
        "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'\n"
        "@description('Optional. The lock settings of the service.')\n"
        "param lock lockType?\n"
        "\n"
        "@description('Optional. Resource tags.')\n"
        "param tags resourceInput<'Microsoft.KeyVault/vaults@2024-11-01'>.tags?"
    ),
)
def interface_types(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for name in INTERFACE_PARAMS:
        param = bicep.params.get(name)
        if param is not None and not re.fullmatch(r"[\w.]+Type(\[\])?\??", param.type):
            yield Hit(f"parameter {name} is typed {param.type}, not with a user-defined type", line=param.line)
    tags = bicep.params.get("tags")
    if tags is not None and not tags.nullable:
        yield Hit("parameter tags is not nullable", line=tags.line)


@rule(
    "BCPRMNFR2",
    spec="BCPRMNFR2",
    language=B,
    severity="warning",
    classes=("res",),
    scopes=BOTH,
    title="Each avm-common-types type is imported on its own, directly above the parameter that uses it.",
    fix="Write `import { lockType } from 'br/public:avm/utl/types/avm-common-types:<version>'` right above `param lock`.",
    example=(
        "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'\n"
        "@description('Optional. The lock settings of the service.')\n"
        "param lock lockType?"
    ),
)
def common_type_imports(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    statements = bicep.statements
    for index, statement in enumerate(statements):
        if statement.keyword != "import" or "avm-common-types" not in statement.text:
            continue
        names = re.findall(r"\b(\w+Type)\b", statement.text.partition("from")[0])
        if len(names) != 1:
            continue  # types imported together serve several parameters or definitions
        following = statements[index + 1] if index + 1 < len(statements) else None
        if following is None or following.keyword not in ("param", "type", "output") or names[0] not in following.text:
            yield Hit(f"{names[0]} is not imported directly above the declaration that uses it", line=statement.line)


@rule(
    "RMFR7",
    spec="RMFR7",
    language=B,
    severity="error",
    classes=("res",),
    title="A resource module outputs `name`, `resourceId` and (at resource-group scope) `resourceGroupName`; "
    "with a system-assigned identity also `systemAssignedMIPrincipalId` as a nullable string.",
    fix="Add the outputs; declare `output systemAssignedMIPrincipalId string? = <res>.?identity.?principalId`.",
    example=(
        "@description('The name of the Key Vault.')\n"
        "output name string = keyVault.name\n"
        "\n"
        "@description('The resource ID of the Key Vault.')\n"
        "output resourceId string = keyVault.id\n"
        "\n"
        "@description('The name of the resource group the Key Vault was created in.')\n"
        "output resourceGroupName string = resourceGroup().name"
    ),
)
def resource_outputs(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return
    scope = bicep.get("targetScope", "")
    wanted = ["name", "resourceId"]
    if scope is None or "resourceGroup" in (scope.value or ""):
        wanted.append("resourceGroupName")
    declared = {name.lower() for name in bicep.outputs}  # the suite compares case-blind
    for name in wanted:
        if name.lower() not in declared:
            yield Hit(f"output {name} is missing", line=len(bicep.source.splitlines()) or 1)
    identities = bicep.params.get("managedIdentities")
    if identities is not None and re.match(r"managedIdentity(All|OnlySysAssigned)Type", identities.type):
        output = bicep.outputs.get("systemAssignedMIPrincipalId")
        if output is None:
            yield Hit("output systemAssignedMIPrincipalId is missing", line=identities.line)
        elif output.type != "string?" or "coalesce" in (output.value or "") or "?? ''" in (output.value or ""):
            yield Hit("systemAssignedMIPrincipalId must be `string?` and never coalesced to ''", line=output.line)


@rule(
    "SNFR26",
    spec="SNFR26",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Every output is described, starting with a capital letter and ending with a dot.",
    fix="Add `@description('The ... .')` above the output.",
    example=("@description('The resource ID of the Key Vault.')\noutput resourceId string = keyVault.id"),
)
def output_descriptions(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for output in bicep.of("output"):
        if output.description is None or not OUTPUT_DESCRIPTION_RE.match(output.description):
            yield Hit(
                f"output {output.name}: description missing, not capitalised or without a final dot", line=output.line
            )


@rule(
    "BCPNFR18",
    spec="BCPNFR18",
    language=B,
    severity="error",
    scopes=BOTH,
    title="User-defined types are named `...Type` in lowerCamelCase and are neither arrays nor nullable "
    "(the parameter carries `[]` and `?`).",
    fix="Rename the type to end in `Type`; move `[]`/`?` from the type to the parameter.",
    example=("@export()\ntype secretType = {\n  name: string\n  value: string\n}\n\nparam secrets secretType[]?"),
)
def user_defined_types(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for definition in bicep.of("type"):
        if not re.fullmatch(r"[a-z]\w*Type", definition.name):
            yield Hit(f"type {definition.name} is not named ...Type in lowerCamelCase", line=definition.line)
        body = definition.type.rstrip()
        if body.endswith(("[]", "?")):
            yield Hit(f"type {definition.name} is itself an array or nullable", line=definition.line)


@rule(
    "BCPNFR5",
    spec="BCPNFR5",
    language=B,
    severity="warning",
    scopes=BOTH,
    title="The built-in role name map includes Owner, Contributor, Reader, User Access Administrator and Role Based "
    "Access Control Administrator.",
    fix="Add the compulsory roles to `builtInRoleNames`.",
    example=(
        "var builtInRoleNames = {\n"
        "  Contributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
        "'b24988ac-6180-42a0-ab88-20f7382dd24c')\n"
        "  Owner: ...\n"
        "  Reader: ...\n"
        "  'Role Based Access Control Administrator': ...\n"
        "  'User Access Administrator': ...\n"
        "}"
    ),
)
def role_names(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    roles = bicep.get("var", "builtInRoleNames") if bicep else None
    if roles is None:
        return
    keys = re.findall(r"^\s+(?:'([^']+)'|(\w+))\s*:", roles.text, re.M)
    names = {a or b for a, b in keys}
    missing = [r for r in COMPULSORY_ROLES if r not in names]
    if missing:
        yield Hit(f"builtInRoleNames lacks {', '.join(missing)}", line=roles.line)
