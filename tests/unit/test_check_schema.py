"""The schema rules of `avm check` (AVMB100-105, AVMT100-105) on small modules written here, compared with the type
definitions shipped in the package (Key Vault and Storage at the catalog's pinned versions): each rule fires on its
defect and stays silent without it. Then the readers of resource bodies on the constructs real modules use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.check import run_check
from generator.check.bicep_body import declarations
from generator.check.bicep_reader import parse
from generator.check.body import Body

CATALOG = Catalog.load()
KV = f"Microsoft.KeyVault/vaults@{CATALOG.pinned('Microsoft.KeyVault', 'vaults')}"
SECRETS = f"Microsoft.KeyVault/vaults/secrets@{CATALOG.pinned('Microsoft.KeyVault', 'vaults/secrets')}"
BLOBS = (
    "Microsoft.Storage/storageAccounts/blobServices"
    f"@{CATALOG.pinned('Microsoft.Storage', 'storageAccounts/blobServices')}"
)
NEWER_KV = "Microsoft.KeyVault/vaults@2099-01-01"  # no source has it: the pinned version is the nearest older

VAULT_PROPERTIES = """\
  properties: {
    sku: {
      family: 'A'
      name: 'standard'
    }
    tenantId: tenant().tenantId
  }
"""


def vault(properties: str = VAULT_PROPERTIES, extra: str = "", type_: str = KV) -> str:
    return f"resource vault '{type_}' = {{\n  name: 'kv'\n  location: 'westeurope'\n{extra}{properties}}}\n"


def findings(tmp_path: Path, files: dict[str, str], rule: str) -> list[tuple[str, int, int, str]]:
    root = tmp_path / "module"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return [(Path(f.path).name, f.line, f.col, f.message) for f in run_check([root], select=[rule]).findings]


def bicep(tmp_path: Path, text: str, rule: str) -> list[tuple[str, int, int, str]]:
    return findings(tmp_path, {"main.bicep": text}, rule)


# ------------------------------------------------------------------------------------------------ Bicep


def test_required_property_missing(tmp_path: Path) -> None:
    text = vault(VAULT_PROPERTIES.replace("    tenantId: tenant().tenantId\n", ""))
    assert bicep(tmp_path, text, "AVMB100") == [
        ("main.bicep", 4, 15, f"resource vault ({KV}): required property properties.tenantId is not set")
    ]


@pytest.mark.parametrize(
    "text",
    [
        vault(),
        vault("  properties: union(base, { tenantId: tenant().tenantId })\n"),  # an expression: not read
        vault(VAULT_PROPERTIES.replace("    tenantId: tenant().tenantId\n", "    ...extra\n")),  # a spread
        f"resource vault '{KV}' existing = {{\n  name: 'kv'\n}}\n",  # sends nothing
        vault(VAULT_PROPERTIES.replace("    tenantId: tenant().tenantId\n", ""), type_=NEWER_KV),  # older schema
    ],
    ids=["complete", "expression", "spread", "existing", "newer-version"],
)
def test_required_property_not_reported(tmp_path: Path, text: str) -> None:
    assert bicep(tmp_path, text, "AVMB100") == []


def test_required_property_missing_in_a_loop_and_a_condition(tmp_path: Path) -> None:
    body = vault(VAULT_PROPERTIES.replace("    tenantId: tenant().tenantId\n", ""))
    looped = body.replace(" = {\n", " = [\n  for name in names: {\n", 1).replace("\n}\n", "\n}]\n")
    conditional = body.replace(" = {\n", " = if (deploy) {\n", 1)
    for text in (looped, conditional):
        assert [f[3] for f in bicep(tmp_path, text, "AVMB100")] == [
            f"resource vault ({KV}): required property properties.tenantId is not set"
        ]


def test_unknown_property(tmp_path: Path) -> None:
    text = vault(VAULT_PROPERTIES.replace("    tenantId:", "    enableRbac: true\n    tenantId:"))
    assert bicep(tmp_path, text, "AVMB101") == [
        ("main.bicep", 9, 5, f"resource vault ({KV}): properties has no property enableRbac")
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "",
        "  tags: {\n    'any key': 'a map takes any key'\n  }\n",
        "  #disable-next-line BCP037\n  futureProperty: true\n",  # suppressed as the compiler's warning is
    ],
    ids=["known", "map", "suppressed"],
)
def test_unknown_property_not_reported(tmp_path: Path, extra: str) -> None:
    assert bicep(tmp_path, vault(extra=extra), "AVMB101") == []


def test_unknown_property_needs_the_declared_version(tmp_path: Path) -> None:
    text = vault(VAULT_PROPERTIES.replace("    tenantId:", "    newerProperty: true\n    tenantId:"), type_=NEWER_KV)
    assert bicep(tmp_path, text, "AVMB101") == []


def test_read_only_property(tmp_path: Path) -> None:
    text = vault(VAULT_PROPERTIES.replace("    tenantId:", "    hsmPoolResourceId: 'x'\n    tenantId:"))
    assert bicep(tmp_path, text, "AVMB102") == [
        ("main.bicep", 9, 5, f"resource vault ({KV}): properties.hsmPoolResourceId is read-only: Azure sets it, a "
         "deployment cannot")
    ]  # fmt: skip
    assert bicep(tmp_path, vault(), "AVMB102") == []


BLOB_SERVICE = f"""\
resource account 'Microsoft.Storage/storageAccounts@2026-04-01' existing = {{
  name: 'st'

  resource blobs 'blobServices' = {{
    name: {{name}}
  }}
}}

resource service '{BLOBS}' = {{
  name: {{name}}
  parent: account
}}
"""


def test_fixed_name(tmp_path: Path) -> None:
    found = bicep(tmp_path, BLOB_SERVICE.replace("{name}", "'main'"), "AVMB103")
    assert found == [
        ("main.bicep", 5, 5, f"resource blobs ({BLOBS}): name 'main' is not one the type allows ('default')"),
        ("main.bicep", 10, 3, f"resource service ({BLOBS}): name 'main' is not one the type allows ('default')"),
    ]  # the nested one's type is its parent's and its own, at its parent's version


@pytest.mark.parametrize("name", ["'default'", "'st/default'", "'${accountName}/main'", "serviceName"])
def test_fixed_name_not_reported(tmp_path: Path, name: str) -> None:
    assert bicep(tmp_path, BLOB_SERVICE.replace("{name}", name), "AVMB103") == []


def test_interface_the_type_has_not(tmp_path: Path) -> None:
    text = vault(extra="  identity: {\n    type: 'SystemAssigned'\n  }\n  tags: tags\n")
    assert bicep(tmp_path, text, "AVMB104") == [
        ("main.bicep", 4, 3, f"resource vault ({KV}): sets identity, which the type does not have")
    ]
    assert bicep(tmp_path, vault(extra="  tags: tags\n"), "AVMB104") == []


SECRET = f"""\
@description('Optional. The value.')
{{decorator}}param value string

resource vault '{KV}' existing = {{
  name: 'kv'

  resource secret 'secrets' = {{
    name: 'password'
    properties: {{
      value: value
      contentType: value
    }}
  }}
}}
"""


def test_secret_parameter_not_secure(tmp_path: Path) -> None:
    assert bicep(tmp_path, SECRET.replace("{decorator}", ""), "AVMB105") == [
        ("main.bicep", 2, 1, f"parameter value is passed to resource secret ({SECRETS})'s properties.value, a secret, "
         "without @secure()")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        SECRET.replace("{decorator}", "@secure()\n"),
        SECRET.replace("{decorator}", "").replace("      value: value\n", ""),  # contentType is no secret
        SECRET.replace("{decorator}", "").replace("value: value", "value: 'x${value}'"),  # not the parameter itself
    ],
    ids=["secure", "no-secret", "not-straight"],
)
def test_secret_parameter_not_reported(tmp_path: Path, text: str) -> None:
    assert bicep(tmp_path, text, "AVMB105") == []


def any_property(flags: int = 0) -> dict[str, object]:
    return {"type": {"$ref": "#/0"}, "flags": flags}


CONNECTIONS = [  # a checkout's definition of a type the bundle lacks, in the bicep-types format
    {"$type": "StringType"},
    {
        "$type": "ObjectType",
        "name": "ConnectionProperties",
        "properties": {"nonSecretParameterValues": any_property(), "connectionSecret": any_property()},
    },
    {
        "$type": "ObjectType",
        "name": "Contoso.Web/connections",
        "properties": {"name": any_property(9), "properties": {"type": {"$ref": "#/1"}, "flags": 0}},
    },
    {
        "$type": "ResourceType",
        "name": "Contoso.Web/connections@2016-06-01",
        "body": {"$ref": "#/2"},
        "writableScopes": 8,
    },
]


@pytest.mark.parametrize(("key", "fires"), [("nonSecretParameterValues", False), ("connectionSecret", True)])
def test_a_property_named_non_secret_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, fires: bool
) -> None:
    version = tmp_path / "types" / "web" / "contoso.web" / "2016-06-01"
    version.mkdir(parents=True)
    (version / "types.json").write_text(json.dumps(CONNECTIONS))
    monkeypatch.setenv("AVM_SCHEMAS", str(tmp_path / "types"))
    text = (
        "param values string\n\n"
        "resource c 'Contoso.Web/connections@2016-06-01' = {\n"
        f"  name: 'c'\n  properties: {{\n    {key}: values\n  }}\n}}\n"
    )
    assert len(bicep(tmp_path, text, "AVMB105")) == int(fires)


def test_a_secret_stays_one_in_a_newer_version(tmp_path: Path) -> None:
    text = SECRET.replace("{decorator}", "").replace(KV, NEWER_KV)
    assert [f[3] for f in bicep(tmp_path, text, "AVMB105")] == [
        f"parameter value is passed to resource secret ({NEWER_KV.replace('vaults', 'vaults/secrets')}, compared "
        f"with {SECRETS})'s properties.value, a secret, without @secure()"
    ]


def test_no_schema_no_finding(tmp_path: Path) -> None:
    text = "resource widget 'Contoso.Widgets/widgets@2025-01-01' = {\n  name: 'w'\n  unknown: true\n}\n"
    for rule in ("AVMB100", "AVMB101", "AVMB102", "AVMB103", "AVMB104", "AVMB105"):
        assert bicep(tmp_path, text, rule) == []


# ------------------------------------------------------------------------------------------------ Terraform

VARIABLES = """\
variable "secret_value" {
  type        = string
  description = "The value of the secret."
}
"""


def azapi(body: str, extra: str = "", type_: str = f'"{KV}"', label: str = "this") -> str:
    return (
        f'resource "azapi_resource" "{label}" {{\n'
        "  location  = var.location\n"
        '  name      = "kv"\n'
        "  parent_id = var.parent_id\n"
        f"  type      = {type_}\n"
        f"  body = {body}\n"
        f"{extra}"
        "}\n"
    )


TF_PROPERTIES = """{
    properties = {
      sku = {
        family = "A"
        name   = "standard"
      }
      tenantId = var.tenant_id
    }
  }"""


def terraform(tmp_path: Path, main: str, rule: str, variables: str = VARIABLES) -> list[tuple[str, int, int, str]]:
    return findings(tmp_path, {"main.tf": main, "variables.tf": variables}, rule)


def test_terraform_required_property_missing(tmp_path: Path) -> None:
    main = azapi(TF_PROPERTIES.replace("      tenantId = var.tenant_id\n", ""))
    assert terraform(tmp_path, main, "AVMT100") == [
        ("main.tf", 7, 5, f'resource "azapi_resource" "this" ({KV}): required property properties.tenantId is not set')
    ]


@pytest.mark.parametrize(
    "body",
    [TF_PROPERTIES, "merge(local.body, { properties = {} })", "{\n    properties = local.properties\n  }"],
    ids=["complete", "expression", "properties-expression"],
)
def test_terraform_required_property_not_reported(tmp_path: Path, body: str) -> None:
    main = azapi(body).replace("  location  = var.location\n", "")  # AzAPI can supply the location
    assert terraform(tmp_path, main, "AVMT100") == []


def test_terraform_sensitive_body_is_merged_into_the_body(tmp_path: Path) -> None:
    body = TF_PROPERTIES.replace("      tenantId = var.tenant_id\n", "")
    sensitive = "  sensitive_body = {\n    properties = {\n      tenantId = var.tenant_id\n    }\n  }\n"
    assert terraform(tmp_path, azapi(body, sensitive), "AVMT100") == []
    assert [f[1] for f in terraform(tmp_path, azapi(body), "AVMT100")] == [7]
    expression = "  sensitive_body = {\n    properties = merge(local.secrets, {})\n  }\n"
    assert terraform(tmp_path, azapi(body, expression), "AVMT100") == []  # what it sends is not known


def test_terraform_unknown_and_read_only_properties(tmp_path: Path) -> None:
    main = azapi(
        TF_PROPERTIES.replace(
            "      tenantId", '      enableRbac = true\n      hsmPoolResourceId = "x"\n      tenantId'
        )
    )
    assert terraform(tmp_path, main, "AVMT101") == [
        ("main.tf", 12, 7, f'resource "azapi_resource" "this" ({KV}): properties has no property enableRbac')
    ]
    assert terraform(tmp_path, main, "AVMT102") == [
        ("main.tf", 13, 7, f'resource "azapi_resource" "this" ({KV}): properties.hsmPoolResourceId is read-only: '
         "Azure sets it, a deployment cannot")
    ]  # fmt: skip
    assert terraform(tmp_path, azapi(TF_PROPERTIES), "AVMT101") == []
    assert terraform(tmp_path, azapi(TF_PROPERTIES), "AVMT102") == []


RESOURCE_TYPES = f"""\
variable "resource_types" {{
  type = object({{
    blob_services = optional(string, "{BLOBS}")
  }})
  default     = {{}}
  description = "The AzAPI resource types."
  nullable    = false
}}
"""


def test_terraform_fixed_name_from_the_resource_types_default(tmp_path: Path) -> None:
    main = azapi("{}", type_="var.resource_types.blob_services").replace("  location  = var.location\n", "")
    assert terraform(tmp_path, main.replace('"kv"', '"main"'), "AVMT103", RESOURCE_TYPES) == [
        ("main.tf", 2, 3, f'resource "azapi_resource" "this" ({BLOBS}): name \'main\' is not one the type allows '
         "('default')")
    ]  # fmt: skip
    assert terraform(tmp_path, main.replace('"kv"', '"default"'), "AVMT103", RESOURCE_TYPES) == []


def test_terraform_interface_the_type_has_not(tmp_path: Path) -> None:
    identity = '  identity {\n    type = "SystemAssigned"\n  }\n'
    assert terraform(tmp_path, azapi(TF_PROPERTIES, identity + "  tags = var.tags\n"), "AVMT104") == [
        ("main.tf", 15, 3, f'resource "azapi_resource" "this" ({KV}): sets identity, which the type does not have')
    ]
    assert terraform(tmp_path, azapi(TF_PROPERTIES, "  tags = var.tags\n"), "AVMT104") == []


def secret_resource(properties: str, attribute: str = "body") -> str:
    text = azapi("{}", type_=f'"{SECRETS}"').replace("  location  = var.location\n", "")
    return text.replace("  body = {}\n", f"  {attribute} = {{\n    properties = {{\n      {properties}\n    }}\n  }}\n")


@pytest.mark.parametrize("attribute", ["body", "sensitive_body"])
def test_terraform_secret_variable_not_sensitive(tmp_path: Path, attribute: str) -> None:
    found = terraform(tmp_path, secret_resource("value = var.secret_value", attribute), "AVMT105")
    assert [(f[0], f[1]) for f in found] == [("variables.tf", 1)]
    assert found[0][3].startswith('variable "secret_value" is passed to ')


@pytest.mark.parametrize(
    ("properties", "variables"),
    [
        ("value = var.secret_value", VARIABLES.replace("}\n", "  sensitive   = true\n}\n")),
        ("contentType = var.secret_value", VARIABLES),  # no secret
    ],
    ids=["sensitive", "no-secret"],
)
def test_terraform_secret_variable_not_reported(tmp_path: Path, properties: str, variables: str) -> None:
    assert terraform(tmp_path, secret_resource(properties), "AVMT105", variables) == []


# ------------------------------------------------------------------------------------------------ the readers


def fields(body: Body | None) -> list[tuple[str, int, object]]:
    assert body is not None
    return [(f.key, f.line, f.object is not None or f.literal or f.reference) for f in body.fields]


def test_bicep_bodies_span_lines_and_keep_only_literal_keys() -> None:
    source = f"""\
@batchSize(1)
resource vault '{KV}' = [for (item, index) in items: if (item.deploy) {{
  name: item.name // a comment
  'quoted-key': 'x'
  '${{computed}}': 1
  location: empty(item.location)
    ? resourceGroup().location
    : item.location
  properties: {{ sku: sku, tenantId: tenant().tenantId }}
  dependsOn: [
    other
  ]
  #disable-next-line BCP037
  last: item.value!
}}]
"""
    (found,) = declarations(parse(source))
    assert (found.symbol, found.type_name, found.line, found.body.closed) == ("vault", KV.split("@")[0], 2, False)
    assert fields(found.body) == [
        ("name", 3, None),
        ("quoted-key", 4, "x"),
        ("location", 6, None),
        ("properties", 9, True),
        ("last", 14, None),
    ]
    assert fields(found.body.get("properties").object) == [("sku", 9, "sku"), ("tenantId", 9, None)]


def test_bicep_nested_resources_take_their_parents_type_and_version() -> None:
    source = f"""\
resource vault '{KV}' existing = {{
  name: 'kv'
  resource secret 'secrets' = {{
    name: 's'
  }}
  resource key 'keys@2020-01-01' = {{
    name: 'k'
  }}
}}
"""
    found = [(d.symbol, d.type_name, d.api_version, d.existing) for d in declarations(parse(source))]
    version = KV.split("@")[1]
    assert found == [
        ("vault", "Microsoft.KeyVault/vaults", version, True),
        ("secret", "Microsoft.KeyVault/vaults/secrets", version, False),
        ("key", "Microsoft.KeyVault/vaults/keys", "2020-01-01", False),
    ]


def test_bicep_types_that_are_no_arm_type_are_skipped() -> None:
    source = "resource group 'Microsoft.Graph/groups@v1.0' = {\n  displayName: 'x'\n}\n"
    assert list(declarations(parse(source))) == []
