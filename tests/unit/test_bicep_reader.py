"""The Bicep reader of `avm check` on the constructs real modules use (and tree-sitter-bicep 1.1 misreads)."""

from __future__ import annotations

from generator.check.bicep_reader import parse, split_assignment, string_value

SOURCE = """\
metadata name = 'Key Vaults'
metadata description = '''
Multi-line: it's { not } a ${brace}.
'''

import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
@description('Optional. The lock settings of the service.')
param lock lockType?
@description('Optional. Resource tags.')
param tags resourceInput<'Microsoft.KeyVault/vaults@2024-11-01'>.tags?

@description('Required. It\\'s the name.')
@maxLength(24)
param name string // trailing comment

@description('Optional. Settings.')
@metadata({
  example: '''
  {
    "a": 1
  }
  '''
})
param settings object = {
  first: '${name}-x'
  second: [for i in range(0, 2): { index: i }]
}

var enableReferencedModulesTelemetry bool = false
var formatted = map(items ?? [], item => union(item, { id: item.?id ?? 'x' }))
var first = items[?0]!
var merged = { ...settings, extra: true }

#disable-next-line no-deployments-resources
resource avmTelemetry 'Microsoft.Resources/deployments@2025-04-01' = if (enableTelemetry) {
  name: '46d3xbcp.res.keyvault-vault.${replace('-..--..-', '.', '-')}'
}

@description('The resource ID.')
output resourceId string = keyVault.id

@description('The principal ID.')
output systemAssignedMIPrincipalId string? = keyVault.?identity.?principalId

@export()
@description('The type for a secret.')
type secretType = {
  @description('Required. The name.')
  name: string
}
"""


def test_statements_with_decorators_and_lines() -> None:
    bicep = parse(SOURCE)
    found = [(s.keyword, s.name, s.line) for s in bicep.statements]
    assert found == [
        ("metadata", "name", 1),
        ("metadata", "description", 2),
        ("import", "", 6),
        ("param", "lock", 8),
        ("param", "tags", 10),
        ("param", "name", 14),
        ("param", "settings", 24),
        ("var", "enableReferencedModulesTelemetry", 29),
        ("var", "formatted", 30),
        ("var", "first", 31),
        ("var", "merged", 32),
        ("resource", "avmTelemetry", 35),
        ("output", "resourceId", 40),
        ("output", "systemAssignedMIPrincipalId", 43),
        ("type", "secretType", 47),
    ]


def test_parameters_types_defaults_and_descriptions() -> None:
    params = parse(SOURCE).params
    assert params["lock"].type == "lockType?" and params["lock"].nullable
    assert params["tags"].type == "resourceInput<'Microsoft.KeyVault/vaults@2024-11-01'>.tags?"
    assert params["name"].type == "string" and params["name"].value is None
    assert params["name"].description == "Required. It's the name."
    assert [d.name for d in params["name"].decorators] == ["description", "maxLength"]
    assert params["settings"].value.startswith("{") and params["settings"].decorator("metadata") is not None


def test_values_metadata_and_comments() -> None:
    bicep = parse(SOURCE)
    assert bicep.metadata("name") == "Key Vaults"
    assert bicep.metadata("description") == "Multi-line: it's { not } a ${brace}.\n"
    assert bicep.get("var", "enableReferencedModulesTelemetry").value == "false"
    telemetry = bicep.get("resource", "avmTelemetry")
    assert telemetry.comments == ["#disable-next-line no-deployments-resources"]
    assert bicep.outputs["systemAssignedMIPrincipalId"].type == "string?"
    assert bicep.get("type", "secretType").decorator("export") is not None


def test_helpers() -> None:
    assert split_assignment("string = 'a=b'") == ("string ", " 'a=b'")
    assert split_assignment("bool = x == y") == ("bool ", " x == y")
    assert split_assignment("object") == ("object", None)
    assert string_value("'a\\'b'") == "a'b"
    assert string_value("concat('a', 'b')") is None
