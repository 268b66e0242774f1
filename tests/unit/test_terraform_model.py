"""The Terraform resource template rendered for several specs: structure, ordering, interface types.

Expected facts (interface variable types, provider constraints, file layout) are written here
independently of the templates and of `generator/data/terraform.yaml`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import yaml

from generator.copier_ext import _model_for
from generator.render import render_module
from generator.spec import ChildSpec, ModuleNames, ModuleSpec
from generator.terraform.model import TerraformModel
from tests.support import interface_types as canonical

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "terraform"
ALL_INTERFACES = (
    "lock",
    "role-assignments",
    "diagnostic-settings",
    "private-endpoints",
    "managed-identities",
    "customer-managed-key",
    "tags",
)


def names(bicep_path: str, tf_module: str) -> ModuleNames:
    return ModuleNames(
        bicep_path=bicep_path,
        telemetry_id_prefix="46d3xbcp.res.example",
        service_short="ex",
        owners_team="avm-res-example-module-owners-bicep",
        terraform_module=tf_module,
        terraform_repo=f"terraform-azure-{tf_module}",
        terraform_registry=f"Azure/{tf_module}/azure",
    )


SPECS = {
    "key_vault": ModuleSpec(
        module_class="resource",
        language="terraform",
        provider_namespace="Microsoft.KeyVault",
        resource_type="vaults",
        api_version="2024-11-01",
        display_name="Key Vault",
        description="This module deploys a Key Vault.",
        owner="",
        interfaces=ALL_INTERFACES,
        children=(ChildSpec("secrets", "2024-11-01", True, "secret"), ChildSpec("keys", "2024-11-01", True, "key")),
        names=names("avm/res/key-vault/vault", "avm-res-keyvault-vault"),
        location=True,
        private_endpoint_service="vault",
        private_dns_zone="privatelink.vaultcore.azure.net",
        identity_kinds=("system", "user"),
    ),
    "no_interfaces": ModuleSpec(
        module_class="resource",
        language="terraform",
        provider_namespace="Microsoft.ManagedIdentity",
        resource_type="userAssignedIdentities",
        api_version="2024-11-30",
        display_name="User Assigned Identity",
        description="This module deploys a User Assigned Identity.",
        owner="",
        interfaces=(),
        children=(),
        names=names("avm/res/managed-identity/user-assigned-identity", "avm-res-managedidentity-userassignedidentity"),
    ),
    "nested": ModuleSpec(
        module_class="resource",
        language="terraform",
        provider_namespace="Microsoft.Storage",
        resource_type="storageAccounts",
        api_version="2025-01-01",
        display_name="Storage Account",
        description="This module deploys a Storage Account.",
        owner="",
        interfaces=("lock", "managed-identities", "private-endpoints", "tags"),
        children=(
            ChildSpec("blobServices", "2025-01-01", False, "blob-service"),
            ChildSpec("blobServices/containers", "2025-01-01", False, "blob-service/container"),
            ChildSpec("fileServices", "2025-01-01", False, "file-service"),
            ChildSpec("fileServices/shares", "2025-01-01", True, "file-service/share"),
        ),
        names=names("avm/res/storage/storage-account", "avm-res-storage-storageaccount"),
        private_endpoint_service="blob",
        identity_kinds=("user",),
    ),
    "global": ModuleSpec(
        module_class="resource",
        language="terraform",
        provider_namespace="Microsoft.Network",
        resource_type="privateDnsZones",
        api_version="2024-06-01",
        display_name="Private DNS Zone",
        description="This module deploys a Private DNS Zone.",
        owner="",
        interfaces=("lock", "role-assignments", "private-endpoints", "tags"),
        children=(ChildSpec("virtualNetworkLinks", "2024-06-01", True, "virtual-network-link"),),
        names=names("avm/res/network/private-dns-zone", "avm-res-network-privatednszone"),
        location=False,
        identity_kinds=("system",),
    ),
}

# The interface variables of the AVM docs' canonical includes: type text, default, nullable.
INTERFACE_TYPES = {
    "lock": (canonical.LOCK, "null", None),
    "role_assignments": (canonical.ROLE_ASSIGNMENTS, "{}", False),
    "diagnostic_settings": (canonical.DIAGNOSTIC_SETTINGS, "{}", False),
    "managed_identities": (canonical.MANAGED_IDENTITIES, "{}", False),
    "private_endpoints": (canonical.PRIVATE_ENDPOINTS, "{}", False),
    "private_endpoints_manage_dns_zone_group": ("bool", "true", False),
    "customer_managed_key": (canonical.CUSTOMER_MANAGED_KEY, "null", None),
    "tags": ("map(string)", "null", None),
}
# The diagnostic settings attributes of the v1 shape, which generated modules no longer use.
DIAGNOSTIC_SETTINGS_V1_ATTRIBUTES = ("log_categories", "log_groups", "metric_categories")
INTERFACE_VARIABLES = {
    "lock": ["lock"],
    "role-assignments": ["role_assignments"],
    "diagnostic-settings": ["diagnostic_settings"],
    "private-endpoints": ["private_endpoints", "private_endpoints_manage_dns_zone_group"],
    "managed-identities": ["managed_identities"],
    "customer-managed-key": ["customer_managed_key"],
    "tags": ["tags"],
}
TELEMETRY_DESCRIPTION = (
    "This variable controls whether or not telemetry is enabled for the module.\n"
    "For more information see <https://aka.ms/avm/telemetryinfo>.\n"
    "If it is set to false, then no telemetry will be collected."
)
# The outputs of the resource's own read-only properties, by spec and scope (the output rule of
# docs/bicep-resource.md, "Outputs", in snake_case); the bundle has no schema at the other specs' API versions.
OWN_OUTPUTS = {
    ("no_interfaces", ""): {"tenant_id", "principal_id", "client_id"},
}
VARIABLE_ATTRIBUTE_ORDER = ("type", "default", "description", "nullable", "sensitive", "ephemeral", "validation")


# ---------------------------------------------------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("terraform")
    return {key: render_module(spec, root / key).output for key, spec in SPECS.items()}


def tf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith((".tf", ".tftest.hcl")))


def scopes(root: Path) -> list[Path]:
    """The module root and every submodule folder."""
    modules = root / "modules"
    return [root, *sorted(p for p in modules.iterdir() if p.is_dir())] if modules.is_dir() else [root]


def blocks_of(text: str, kind: str) -> dict[str, str]:
    """Top-level blocks `<kind> "<label>" ... {` of a file, label -> body text."""
    found = {}
    pattern = re.compile(rf'^{kind} ((?:"[^"]+" ?)+)\{{\n(.*?)^\}}\n', re.M | re.S)
    for match in pattern.finditer(text):
        labels = tuple(re.findall(r'"([^"]+)"', match.group(1)))
        found[labels[-1] if kind in ("variable", "output", "module") else ".".join(labels)] = match.group(2)
    return found


def top_level_arguments(body: str) -> list[str]:
    """Argument and nested block names of a block body, in order (two-space indentation only)."""
    return [m.group(1) or m.group(2) for m in re.finditer(r'^  (?:(\w+) +=|(\w+)(?: "[^"]+")* \{)', body, re.M)]


def expression(body: str, attribute: str) -> str:
    """The full text of an attribute's value, across lines until its brackets balance."""
    match = re.search(rf"^  {attribute} += (.*)$", body, re.M)
    assert match, f"no {attribute}"
    text = match.group(1)
    rest = body[match.end() :].split("\n")[1:]
    while text.count("(") + text.count("{") + text.count("[") > text.count(")") + text.count("}") + text.count("]"):
        text += "\n" + rest.pop(0)
    return text


def normalise(type_expr: str) -> str:
    return re.sub(r"[\s,]+", "", type_expr)


# ---------------------------------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------------------------------


def test_every_hcl_file_parses(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        files = tf_files(root)
        assert files
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert isinstance(hcl2.loads(text), dict), path
            assert text.endswith("\n") and not text.endswith("\n\n"), path
            assert not re.search(r"[ \t]$", text, re.M), f"trailing whitespace in {path}"


def test_terraform_fmt_is_clean(rendered: dict[str, Path]) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: `terraform fmt -check -recursive` not run")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    for root in rendered.values():
        result = subprocess.run(
            [terraform, "fmt", "-check", "-recursive", "-diff", str(root)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_no_placeholder_text(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        for path in root.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                assert not re.search(r"TODO|REPLACE|(?i:lorem)", text), path


def test_layout_of_the_key_vault_module(rendered: dict[str, Path]) -> None:
    root = rendered["key_vault"]
    expected = {
        ".copier-answers.yml",
        ".github/CODEOWNERS",
        ".github/workflows/pr-check.yml",
        ".gitignore",
        ".terraform-docs.yml",
        "LICENSE",
        "README.md",
        "SECURITY.md",
        "SUPPORT.md",
        "_footer.md",
        "_header.md",
        "locals.tf",
        "main.diagnostic_settings.tf",
        "main.interfaces.tf",
        "main.keys.tf",
        "main.lock.tf",
        "main.private_endpoints.tf",
        "main.role_assignments.tf",
        "main.secrets.tf",
        "main.telemetry.tf",
        "main.tf",
        "outputs.tf",
        "terraform.tf",
        "variables.tf",
        "tests/unit/main.tftest.hcl",
        "examples/.terraform-docs.yml",
        "modules/.terraform-docs.yml",
    }
    for example in ("default", "max"):
        expected |= {
            f"examples/{example}/{f}" for f in ("main.tf", "variables.tf", "_header.md", "_footer.md", "README.md")
        }
    for sub in ("secret", "key"):
        expected |= {
            f"modules/{sub}/{f}"
            for f in ("terraform.tf", "main.tf", "variables.tf", "outputs.tf", "_header.md", "_footer.md", "README.md")
        }
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert files == expected
    assert (
        root / "_header.md"
    ).read_text() == "# terraform-azure-avm-res-keyvault-vault\n\nThis module deploys a Key Vault.\n"
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "https://avm-generator.invalid/templates/terraform.git"
    assert answers["language"] == "terraform"


def test_interface_files_follow_the_chosen_interfaces(rendered: dict[str, Path]) -> None:
    root = rendered["no_interfaces"]
    names_ = {p.name for p in root.glob("*.tf")}
    assert names_ == {"terraform.tf", "main.tf", "main.telemetry.tf", "variables.tf", "outputs.tf"}
    assert [p.name for p in (root / "examples").iterdir() if p.is_dir()] == ["default"]
    assert not [p for p in (root / "modules").iterdir() if p.is_dir()]
    nested = {p.name for p in rendered["nested"].glob("*.tf")}
    assert {"main.lock.tf", "main.private_endpoints.tf", "main.interfaces.tf", "locals.tf"} <= nested
    assert not {"main.role_assignments.tf", "main.diagnostic_settings.tf"} & nested


def test_no_provider_blocks_outside_examples(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        for path in tf_files(root):
            rel = path.relative_to(root)
            has_provider = re.search(r'^provider "', path.read_text(), re.M) is not None
            if rel.parts[0] == "examples":
                assert has_provider == (rel.name == "main.tf"), rel
            else:
                assert not has_provider, rel
            assert not (path.parent / "providers.tf").exists()


def test_terraform_tf(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        for scope in scopes(root):
            text = (scope / "terraform.tf").read_text()
            assert text.startswith('terraform {\n  required_version = ">= 1.9, < 2.0"\n\n  required_providers {\n')
            providers = re.findall(r'^    (\w+) = \{\n      source  = "([^"]+)"\n      version = "([^"]+)"', text, re.M)
            if scope == root:
                assert providers == [
                    ("azapi", "Azure/azapi", "~> 2.12"),
                    ("modtm", "Azure/modtm", "~> 0.3"),
                    ("random", "hashicorp/random", "~> 3.5"),
                ]
            else:
                assert providers == [("azapi", "Azure/azapi", "~> 2.12")]
            assert re.findall(r"^(\w+)", text, re.M) == ["terraform"], "terraform.tf holds only the terraform block"
            assert not any(
                re.search(r"^terraform \{", p.read_text(), re.M) for p in scope.glob("*.tf") if p.name != "terraform.tf"
            )


# ---------------------------------------------------------------------------------------------------------------------
# Variables and outputs
# ---------------------------------------------------------------------------------------------------------------------


def test_variables_are_ordered_and_well_formed(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        for scope in scopes(root):
            text = (scope / "variables.tf").read_text()
            variables = blocks_of(text, "variable")
            assert len(variables) == len(re.findall(r"^variable ", text, re.M))
            required = [n for n, body in variables.items() if not re.search(r"^  default +=", body, re.M)]
            optional = [n for n in variables if n not in required]
            assert list(variables) == sorted(required) + sorted(optional), scope
            assert required[:3] == (
                ["location", "name", "parent_id"] if "location" in required else ["name", "parent_id"]
            )
            for name, body in variables.items():
                arguments = top_level_arguments(body)
                positions = [VARIABLE_ATTRIBUTE_ORDER.index(a) for a in arguments]
                assert positions == sorted(positions), (scope, name, arguments)
                assert "description" in arguments, (scope, name)
                assert "nullable = true" not in body and "sensitive   = false" not in body
                collection = re.search(r"^  type += (map|set|list)\(", body, re.M) and name != "tags"  # tags: null
                if collection or name in ("resource_types", "ignore_body_changes"):
                    assert re.search(r"^  nullable += false$", body, re.M), (scope, name)
            assert "can(provider::azapi::parse_resource_id(" in variables["parent_id"]
            assert re.search(r"^  validation \{", variables["name"], re.M)
            for control in ("resource_types", "retry", "timeouts", "ignore_body_changes"):
                assert control in variables, (scope, control)
            assert re.search(r"^  default += null$", variables["timeouts"], re.M)
            assert re.search(r"^  default += null$", variables["retry"], re.M)


def test_root_parent_id_is_a_resource_group(rendered: dict[str, Path]) -> None:
    text = (rendered["nested"] / "variables.tf").read_text()
    parent = blocks_of(text, "variable")["parent_id"]
    assert 'provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroups", var.parent_id)' in parent
    container = blocks_of((rendered["nested"] / "modules/blob-service-container/variables.tf").read_text(), "variable")
    assert (
        'parse_resource_id("Microsoft.Storage/storageAccounts/blobServices", var.parent_id)' in container["parent_id"]
    )


def test_interface_variables_are_the_canonical_includes(rendered: dict[str, Path]) -> None:
    for key, root in rendered.items():
        variables = blocks_of((root / "variables.tf").read_text(), "variable")
        for interface, variable_names in INTERFACE_VARIABLES.items():
            for name in variable_names:
                if not SPECS[key].has(interface):
                    assert name not in variables, (key, name)
                    continue
                body = variables[name]
                type_expr, default, nullable = INTERFACE_TYPES[name]
                assert expression(body, "type") == type_expr, (key, name)
                assert expression(body, "default") == default, (key, name)
                has_nullable = re.search(r"^  nullable += false$", body, re.M) is not None
                assert has_nullable == (nullable is False), (key, name)
                assert "nullable" not in top_level_arguments(body) or nullable is False


def test_enable_telemetry_variable(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        for path in (root / "variables.tf", *(root / "examples").glob("*/variables.tf")):
            body = blocks_of(path.read_text(), "variable")["enable_telemetry"]
            assert body == (
                "  type        = bool\n"
                "  default     = true\n"
                f"  description = <<DESCRIPTION\n{TELEMETRY_DESCRIPTION}\nDESCRIPTION\n"
                "  nullable    = false\n"
            ), path


def test_azapi_controls(rendered: dict[str, Path]) -> None:
    key_vault = blocks_of((rendered["key_vault"] / "variables.tf").read_text(), "variable")
    resource_types = expression(key_vault["resource_types"], "type")
    assert (
        'keyvault_vaults                                   = optional(string, "Microsoft.KeyVault/vaults@2024-11-01")'
        in resource_types
    )
    assert normalise(
        "keyvault_vaults_secrets = optional(object({ keyvault_vaults_secrets = optional(string) }), {})"
    ) in normalise(resource_types)
    ignore = expression(key_vault["ignore_body_changes"], "type")
    assert normalise("keyvault_vaults = optional(list(string), [])") in normalise(ignore)
    assert normalise(
        "keyvault_vaults_keys = optional(object({ keyvault_vaults_keys = optional(list(string), []) }), {})"
    ) in normalise(ignore)
    nested = blocks_of((rendered["nested"] / "variables.tf").read_text(), "variable")
    assert normalise(
        "storage_storage_accounts_blob_services = optional(object({"
        " storage_storage_accounts_blob_services = optional(string)"
        " storage_storage_accounts_blob_services_containers = optional(object({"
        " storage_storage_accounts_blob_services_containers = optional(string) }), {}) }), {})"
    ) in normalise(expression(nested["resource_types"], "type"))
    # every AzAPI resource of every scope uses a resource_types key it declares, and the other controls
    for root in rendered.values():
        for scope in scopes(root):
            declared = expression(blocks_of((scope / "variables.tf").read_text(), "variable")["resource_types"], "type")
            for path in scope.glob("main*.tf"):
                for label, body in blocks_of(path.read_text(), "resource").items():
                    if not label.startswith("azapi_resource."):
                        continue
                    key = re.search(r"^  type += var\.resource_types\.(\w+)$", body, re.M).group(1)
                    assert re.search(rf"^\s+{key} += optional\(string, \"", declared, re.M), (scope, label)
                    assert f"length(var.ignore_body_changes.{key}) > 0 ? var.ignore_body_changes.{key} : null" in body
                    assert re.search(r"^  response_export_values += ", body, re.M)
                    assert re.search(r"^  retry += var\.retry$", body, re.M)
                    assert 'dynamic "timeouts" {' in body
                    headers = re.findall(r"^  (\w+_headers) += (.*)$", body, re.M)
                    if scope == root:
                        assert headers == [
                            (h, 'var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null')
                            for h in ("create_headers", "delete_headers", "read_headers", "update_headers")
                        ], (scope, label)


def test_primary_resource_arguments_are_in_mapotf_order(rendered: dict[str, Path]) -> None:
    body = blocks_of((rendered["key_vault"] / "main.tf").read_text(), "resource")["azapi_resource.this"]
    assert top_level_arguments(body) == [
        "location",
        "name",
        "parent_id",
        "type",
        "body",
        "create_headers",
        "delete_headers",
        "ignore_body_changes",
        "ignore_null_property",
        "read_headers",
        "response_export_values",
        "retry",
        "tags",
        "update_headers",
        "dynamic",
        "dynamic",
    ]
    assert 'dynamic "identity" {' in body and "module.avm_interfaces.managed_identities_azapi" in body
    # the key goes where the catalog says the type takes it; Key Vault takes none (avm new refuses the interface)
    assert "customer_managed_key_azapi" not in expression(body, "body")
    assert "publicNetworkAccess" in expression(body, "body")
    assert "tags" not in expression(body, "body")
    global_body = blocks_of((rendered["global"] / "main.tf").read_text(), "resource")["azapi_resource.this"]
    assert top_level_arguments(global_body)[:3] == ["name", "parent_id", "type"]
    none_body = blocks_of((rendered["no_interfaces"] / "main.tf").read_text(), "resource")["azapi_resource.this"]
    assert "tags" not in top_level_arguments(none_body)
    assert 'dynamic "identity"' not in none_body


def test_interfaces_module_and_extension_resources(rendered: dict[str, Path]) -> None:
    root = rendered["key_vault"]
    module = blocks_of((root / "main.interfaces.tf").read_text(), "module")["avm_interfaces"]
    assert module.startswith('  source  = "Azure/avm-utl-interfaces/azure"\n  version = "0.7.0"\n\n')
    inputs = top_level_arguments(module)[2:]
    assert inputs == sorted(inputs)
    assert "diagnostic_settings_v2" in inputs and "diagnostic_settings" not in inputs
    assert re.search(r"^  diagnostic_settings_v2 += var\.diagnostic_settings$", module, re.M)
    for file_name, label, output in (
        ("main.role_assignments.tf", "role_assignments", "role_assignments_azapi"),
        ("main.diagnostic_settings.tf", "diagnostic_settings", "diagnostic_settings_azapi_v2"),
        ("main.private_endpoints.tf", "private_endpoints", "private_endpoints_azapi"),
        ("main.private_endpoints.tf", "private_endpoint_role_assignments", "role_assignments_private_endpoint_azapi"),
        ("main.private_endpoints.tf", "private_endpoint_locks", "lock_private_endpoint_azapi"),
    ):
        body = blocks_of((root / file_name).read_text(), "resource")[f"azapi_resource.{label}"]
        assert body.startswith(f"  for_each = module.avm_interfaces.{output}\n\n"), label
        assert re.search(r"^  body += each\.value\.body$", body, re.M), label
    zone_groups = blocks_of((root / "main.private_endpoints.tf").read_text(), "resource")[
        "azapi_resource.private_dns_zone_groups"
    ]
    assert "module.avm_interfaces.private_dns_zone_groups_azapi" in zone_groups
    lock = blocks_of((root / "main.lock.tf").read_text(), "resource")["azapi_resource.lock"]
    assert lock.startswith("  count = var.lock != null ? 1 : 0\n")
    assert "parent_id              = azapi_resource.this.id" in lock


# The body paths that replace each interface resource (TFFR5); the others omit `replace_triggers_refs`.
REPLACE_TRIGGERS = {
    "role_assignments": ["properties.principalId", "properties.roleDefinitionId"],
    "private_endpoint_role_assignments": ["properties.principalId", "properties.roleDefinitionId"],
    "private_endpoints": [
        "properties.subnet.id",
        "properties.customNetworkInterfaceName",
        "properties.ipConfigurations",
        "properties.privateLinkServiceConnections",
    ],
}


def test_replace_triggers_refs(rendered: dict[str, Path]) -> None:
    seen = set()
    for root in rendered.values():
        for scope in scopes(root):
            for path in scope.glob("main*.tf"):
                for label, body in blocks_of(path.read_text(), "resource").items():
                    if not label.startswith("azapi_resource."):
                        continue
                    name = label.split(".", 1)[1]
                    expected = REPLACE_TRIGGERS.get(name)
                    if expected is None:
                        assert "replace_triggers_refs" not in top_level_arguments(body), (scope, label)
                        continue
                    seen.add(name)
                    paths = json.loads(re.sub(r",\s*]$", "]", expression(body, "replace_triggers_refs")))
                    assert paths == expected, (scope, label)
                    args = top_level_arguments(body)
                    assert args.index("read_headers") < args.index("replace_triggers_refs")
                    assert args.index("replace_triggers_refs") < args.index("response_export_values")
    assert seen == set(REPLACE_TRIGGERS)


def test_diagnostic_settings_have_the_v2_shape(rendered: dict[str, Path]) -> None:
    root = rendered["key_vault"]
    text = (root / "variables.tf").read_text()
    body = blocks_of(text, "variable")["diagnostic_settings"]
    for attribute in DIAGNOSTIC_SETTINGS_V1_ATTRIBUTES:
        assert attribute not in body
    assert "(log.category == null) != (log.category_group == null)" in body
    assert 'parse_resource_id("Microsoft.OperationalInsights/workspaces", v.workspace_resource_id)' in body
    for attribute in ("`logs`", "`metrics`", "`category_group`", "`retention_policy`"):
        assert attribute in body
    for readme in (root / "README.md", root / "examples/max/README.md"):
        assert "log_groups" not in readme.read_text()
    example = blocks_of((root / "examples/max/main.tf").read_text(), "module")["key_vault"]
    settings = expression(example, "diagnostic_settings")
    assert 'logs                  = [{ category_group = "allLogs" }]' in settings
    assert 'metrics               = [{ category = "AllMetrics" }]' in settings


# A clone (or bare mirror) of Azure/terraform-azure-avm-utl-interfaces, named by AVM_INTERFACES_REPO where one is at hand.
UTILITY_MIRROR = Path(os.environ.get("AVM_INTERFACES_REPO", "/nonexistent"))


def test_the_interfaces_utility_has_every_input_and_output_used(rendered: dict[str, Path]) -> None:
    """Read the utility module at the pinned tag (when a mirror of it is at hand)."""
    if not UTILITY_MIRROR.is_dir():
        pytest.skip("no clone of Azure/terraform-azure-avm-utl-interfaces (set AVM_INTERFACES_REPO)")
    tag = "v" + TerraformModel(SPECS["key_vault"]).facts.modules["interfaces"].version

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(UTILITY_MIRROR), *args], capture_output=True, text=True, check=True
        ).stdout

    files = git("ls-tree", "--name-only", tag).split()
    declared = "\n".join(git("show", f"{tag}:{f}") for f in files if f.endswith(".tf"))
    inputs = set(re.findall(r'^variable "(\w+)"', declared, re.M))
    outputs = set(re.findall(r'^output "(\w+)"', declared, re.M))
    for root in rendered.values():
        for scope in scopes(root):
            for path in scope.glob("*.tf"):
                text = path.read_text()
                module = blocks_of(text, "module").get("avm_interfaces")
                if module is not None:
                    assert set(top_level_arguments(module)[2:]) <= inputs, path
                assert set(re.findall(r"module\.avm_interfaces\.(\w+)", text)) <= outputs, path


def test_outputs_are_ordered_and_described(rendered: dict[str, Path]) -> None:
    for key, root in rendered.items():
        for scope in scopes(root):
            outputs = blocks_of((scope / "outputs.tf").read_text(), "output")
            assert list(outputs) == sorted(outputs)
            for name, body in outputs.items():
                arguments = top_level_arguments(body)
                assert arguments == sorted(arguments) and "description" in arguments, (scope, name)
                assert not re.search(r"^  value += azapi_resource\.\w+$", body, re.M), "no whole-resource output"
            expected = {"name", "resource_id"} | OWN_OUTPUTS.get((key, scope.name if scope != root else ""), set())
            if scope == root and SPECS[key].has("managed-identities") and "system" in SPECS[key].identity_kinds:
                expected.add("system_assigned_mi_principal_id")
            if scope == root and SPECS[key].has("private-endpoints"):
                expected.add("private_endpoints")
            assert set(outputs) == expected, (scope, set(outputs))


# ---------------------------------------------------------------------------------------------------------------------
# Submodules, telemetry, examples, tests, docs
# ---------------------------------------------------------------------------------------------------------------------


def test_submodules_exist_and_are_called_with_for_each(rendered: dict[str, Path]) -> None:
    root = rendered["nested"]
    assert sorted(p.name for p in (root / "modules").iterdir() if p.is_dir()) == [
        "blob-service",
        "blob-service-container",
        "file-service",
        "file-service-share",
    ]
    for scope in scopes(root)[1:]:
        for file_name in (
            "terraform.tf",
            "main.tf",
            "variables.tf",
            "outputs.tf",
            "_header.md",
            "_footer.md",
            "README.md",
        ):
            assert (scope / file_name).is_file(), scope / file_name
        resources = blocks_of((scope / "main.tf").read_text(), "resource")
        assert list(resources) == ["azapi_resource.this"]
        assert not re.search(r"^  (count|for_each) +=", resources["azapi_resource.this"], re.M)
        assert not (scope / "main.telemetry.tf").exists()
    calls = [
        (root / "main.blob_services.tf", "blob_service", "./modules/blob-service", "blob_services"),
        (root / "main.file_services.tf", "file_service", "./modules/file-service", "file_services"),
        (root / "modules/blob-service/main.containers.tf", "container", "../blob-service-container", "containers"),
        (root / "modules/file-service/main.shares.tf", "share", "../file-service-share", "shares"),
    ]
    for path, label, source, variable in calls:
        body = blocks_of(path.read_text(), "module")[label]
        assert body.startswith(f'  source   = "{source}"\n  for_each = var.{variable}\n\n'), path
        assert re.search(r"^  parent_id += azapi_resource\.this\.id$", body, re.M)
        for slot in ("resource_types", "ignore_body_changes"):
            assert re.search(rf"^  {slot} += var\.{slot}\.storage_storage_accounts_\w+$", body, re.M), (path, slot)
        assert re.search(r"^  retry += var\.retry$", body, re.M) and re.search(
            r"^  timeouts += var\.timeouts$", body, re.M
        )
        caller = blocks_of((path.parent / "variables.tf").read_text(), "variable")[variable]
        assert re.search(r"^  default += \{\}$", caller, re.M) and re.search(r"^  nullable += false$", caller, re.M)
    blob_services = blocks_of((root / "variables.tf").read_text(), "variable")["blob_services"]
    assert normalise(expression(blob_services, "type")) == normalise(
        "map(object({ name = string containers = optional(map(object({ name = string })), {}) }))"
    )
    share = blocks_of((root / "modules/file-service-share/variables.tf").read_text(), "variable")
    assert "tags" in share


def test_telemetry(rendered: dict[str, Path]) -> None:
    for key, root in rendered.items():
        text = (root / "main.telemetry.tf").read_text()
        location = "var.location" if SPECS[key].location else '"unknown"'
        assert f"locals {{\n  main_location = {location}\n}}" in text
        for block in (
            'data "azapi_client_config" "telemetry"',
            'data "modtm_module_source" "telemetry"',
            'resource "random_uuid" "telemetry"',
            'resource "modtm_telemetry" "telemetry"',
        ):
            assert f"{block} {{\n  count = var.enable_telemetry ? 1 : 0\n" in text
        assert "  # tflint-ignore: terraform_unused_declarations\n  avm_azapi_header = join(" in text
        assert '"git::ssh:://git@github\\\\.com/[A|a]zure/.+",' in text


def test_examples(rendered: dict[str, Path]) -> None:
    root = rendered["key_vault"]
    default = (root / "examples/default/main.tf").read_text()
    full = (root / "examples/max/main.tf").read_text()
    for text in (default, full):
        assert text.startswith('terraform {\n  required_version = ">= 1.9, < 2.0"\n')
        assert 'provider "azapi" {}' in text
        assert 'source  = "Azure/avm-utl-regions/azurerm"\n  version = "0.12.0"' in text
        assert 'source  = "Azure/naming/azurerm"\n  version = "0.4.3"' in text
        assert 'type      = "Microsoft.Resources/resourceGroups@2025-04-01"' in text
        assert 'parent_id = "/subscriptions/${data.azapi_client_config.current.subscription_id}"' in text
        module = blocks_of(text, "module")["key_vault"]
        assert module.startswith('  source = "../../"\n')
        assert re.search(r"^  enable_telemetry += var\.enable_telemetry$", module, re.M)
        assert "azurerm_" not in text
    default_inputs = top_level_arguments(blocks_of(default, "module")["key_vault"])
    assert default_inputs == ["source", "location", "name", "parent_id", "enable_telemetry"]
    full_inputs = top_level_arguments(blocks_of(full, "module")["key_vault"])
    for name in ("customer_managed_key", "diagnostic_settings", "lock", "managed_identities", "private_endpoints"):
        assert name in full_inputs
    for dependency in ("virtual_network", "subnet", "user_assigned_identity", "key_vault", "log_analytics_workspace"):
        assert f'resource "azapi_resource" "{dependency}"' in full


def test_unit_test(rendered: dict[str, Path]) -> None:
    for key, root in rendered.items():
        text = (root / "tests/unit/main.tftest.hcl").read_text()
        parsed = hcl2.loads(text)
        providers = [next(iter(b)).strip('"') for b in parsed["mock_provider"]]
        assert providers == ["azapi", "modtm", "random"]
        variables = parsed["variables"][0]
        expected = {"name", "parent_id"} | ({"location"} if SPECS[key].location else set())
        assert set(variables) - {"__is_block__"} == expected
        assert "length(modtm_telemetry.telemetry) == 1" in text and "length(modtm_telemetry.telemetry) == 0" in text
        assert "azapi_resource.this.name == var.name" in text
        assert "azapi_resource.this.parent_id == var.parent_id" in text
        assert "expect_failures = [var.parent_id]" in text


def test_readmes(rendered: dict[str, Path]) -> None:
    footer = (rendered["key_vault"] / "_footer.md").read_text()
    assert footer.startswith("<!-- markdownlint-disable-next-line MD041 -->\n## Data Collection\n\n")
    assert "Microsoft\u2019s privacy statement" in footer
    for root in rendered.values():
        for readme in root.rglob("README.md"):
            text = readme.read_text()
            assert text.startswith("<!-- BEGIN_TF_DOCS -->\n<!-- Code generated by terraform-docs. DO NOT EDIT. -->\n")
            assert text.endswith("<!-- END_TF_DOCS -->")
            headings = re.findall(r"^## .*$", text, re.M)
            assert headings[-7:] == [
                "## Requirements",
                "## Resources",
                "## Required Inputs",
                "## Optional Inputs",
                "## Outputs",
                "## Modules",
                "## Data Collection",
            ], readme
            assert footer.strip() in text
            header = (readme.parent / "_header.md").read_text().strip()
            assert header in text
    text = (rendered["key_vault"] / "README.md").read_text()
    assert '### <a name="input_parent_id"></a> [parent\\_id](#input\\_parent\\_id)' in text
    assert "Type:\n\n```hcl\nobject({\n    kind  = string\n" in text
    assert "Source: Azure/avm-utl-interfaces/azure\n\nVersion: 0.7.0" in text
    assert "Source: ./modules/secret\n\nVersion:\n" in text
    assert (
        "- [modtm_telemetry.telemetry](https://registry.terraform.io/providers/Azure/modtm/latest/docs/resources/telemetry) (resource)"
        in text
    )
    example = (rendered["key_vault"] / "examples/default/README.md").read_text()
    main_tf = (rendered["key_vault"] / "examples/default/main.tf").read_text()
    assert f"```hcl\n{main_tf.rstrip()}\n```" in example


# ---------------------------------------------------------------------------------------------------------------------
# Template wiring
# ---------------------------------------------------------------------------------------------------------------------


def test_external_files_are_skipped_if_they_exist(rendered: dict[str, Path]) -> None:
    copier = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "generator/data/terraform.yaml").read_text())
    assert copier["_skip_if_exists"] == data["external_files"]
    for name in (
        ".gitignore",
        "LICENSE",
        "SECURITY.md",
        "SUPPORT.md",
        ".github/CODEOWNERS",
        ".github/workflows/pr-check.yml",
    ):
        assert name in data["external_files"]
        assert (rendered["key_vault"] / name).is_file()
    assert "Copyright (c) Microsoft Corporation." in (rendered["key_vault"] / "LICENSE").read_text()
    workflow = (rendered["key_vault"] / ".github/workflows/pr-check.yml").read_text()
    assert "uses: Azure/azure-verified-modules-tools/.github/workflows/terraform-module.yml@main" in workflow
    gitignore = (rendered["key_vault"] / ".gitignore").read_text().splitlines()
    for line in (
        "avmmakefile",
        "README-generated.md",
        "*tfplan*",
        "*.md.tmp",
        "examples/*/policy",
        "*.mptfbackup",
        "override.tf",
    ):
        assert line in gitignore


def test_same_questions_as_the_bicep_template() -> None:
    bicep = yaml.safe_load((TEMPLATE.parent / "bicep" / "copier.yml").read_text())
    terraform = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    questions = [k for k in bicep if not k.startswith("_")]
    assert [k for k in terraform if not k.startswith("_")] == questions
    assert terraform["language"]["choices"] == ["terraform"]


def test_the_extension_dispatches_on_language() -> None:
    answers = SPECS["key_vault"].to_answers()
    assert isinstance(_model_for(json.dumps(answers, sort_keys=True)).model, TerraformModel)
    bicep = {**answers, "language": "bicep"}
    assert type(_model_for(json.dumps(bicep, sort_keys=True))).__name__ == "BicepModel"
