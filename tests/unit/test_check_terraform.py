"""The Terraform rules of `avm check`: silent on every module `avm new` generates, and each rule fires alone
on a generated module broken in exactly the way it checks."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.check.rules.terraform  # noqa: F401  (registers the rules)
from generator.check.core import RULES, Module, run_rules
from generator.check.hcl_reader import parse
from tests.support.cli import run_avm
from tests.support.interface_types import DIAGNOSTIC_SETTINGS_V1

TERRAFORM_RULES = [r for r in RULES.values() if r.language == "terraform"]

KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kv": (
        "res",
        (
            "new",
            "resource",
            "--provider",
            "Microsoft.KeyVault",
            "--type",
            "vaults",
            "--child",
            "secrets",
            "--interfaces",
            "all",
        ),
    ),
    "kvn": ("res", ("new", "resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--interfaces", "none")),
    "st": (
        "res",
        (
            "new",
            "resource",
            "--provider",
            "Microsoft.Storage",
            "--type",
            "storageAccounts",
            "--child",
            "blobServices/containers",
            "--interfaces",
            "all",
        ),
    ),
    "ptn": ("ptn", ("new", "pattern", "--name", "app/stack", "--uses", "avm-res-keyvault-vault@0.10.0")),
    "utl": ("utl", ("new", "utility", "--name", "general/resource-name")),
    "utld": ("utl", ("new", "utility", "--name", "general/resource-name", "--deploys")),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("tf-generated")
    out: dict[str, Path] = {}
    for kind, (_, args) in KINDS.items():
        target = base / kind
        result = run_avm(
            *args[:2],
            "--lang",
            "terraform",
            *args[2:],
            "--index",
            "none",
            "-o",
            str(target),
            cwd=base,
            cache=base / "cache",
        )
        assert result.code == 0, result.stderr
        out[kind] = target
    return out


def modules_of(root: Path, module_class: str) -> list[Module]:
    top = Module(root=root, language="terraform", module_class=module_class)
    children = [
        Module(root=d, language="terraform", module_class=module_class, is_child=True, parent=top)
        for d in sorted((root / "modules").glob("*"))
        if d.is_dir()
    ]
    return [top, *children]


def hits(root: Path, module_class: str) -> list[tuple[str, str, str, int]]:
    found = []
    for module in modules_of(root, module_class):
        for item, hit in run_rules(module, TERRAFORM_RULES):
            found.append((item.id, module.root.relative_to(root).as_posix(), hit.file, hit.line, hit.message))
    return found


@pytest.mark.parametrize("kind", list(KINDS))
def test_generated_modules_pass(generated: dict[str, Path], kind: str) -> None:
    assert hits(generated[kind], KINDS[kind][0]) == []


# ------------------------------------------------------------------------------------------ seeded defects

Edit = Callable[[Path], None]


def sub(file: str, old: str, new: str, *, within: str | None = None, regex: bool = False) -> Edit:
    """Replace the first `old` in `file` (after the text `within` when given)."""

    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        start = text.index(within) if within else 0
        head, tail = text[:start], text[start:]
        changed = re.sub(old, new, tail, count=1) if regex else tail.replace(old, new, 1)
        assert changed != tail, f"{old!r} not found in {file}"
        path.write_text(head + changed, encoding="utf-8")

    return edit


def append(file: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def write(file: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_text(text, encoding="utf-8")

    return edit


def remove(path: str) -> Edit:
    def edit(root: Path) -> None:
        target = root / path
        shutil.rmtree(target) if target.is_dir() else target.unlink()

    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for e in edits:
            e(root)

    return edit


def drop_block(file: str, header: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        start = text.index(header)
        end = text.index("\n}\n", start) + 3
        path.write_text(text[:start] + text[end:].lstrip("\n"), encoding="utf-8")

    return edit


def diagnostic_settings_type(new_type: str) -> Edit:
    """Give variable "diagnostic_settings" another type."""
    return sub(
        "variables.tf",
        r"(?s)  type = map\(object\(\{\n.*?\n  \}\)\)\n",
        f"  type = {new_type}\n",
        within=VAR.format("diagnostic_settings"),
        regex=True,
    )


def spoil(file: str, data: bytes) -> Edit:
    """Append bytes that make the file unreadable as text."""

    def edit(root: Path) -> None:
        path = root / file
        path.write_bytes(path.read_bytes() + data)

    return edit


VAR = 'variable "{}" {{'
DEFECTS: list[tuple[str, str, Edit]] = [
    ("AVMT000", "kv", spoil("locals.tf", b"# caf\xe9\n")),
    ("AVMT000", "kv", spoil("main.tf", b"\x00\x01")),
    ("AVMT000", "kv", spoil("_footer.md", b"\xff\xfe")),
    (
        "SFR3-id",
        "kv",
        sub(
            "examples/default/main.tf",
            '# source = "Azure/avm-res-keyvault-vault/azure"',
            '# source = "Azure/avm-res-keyvault-vaults/azure"',
        ),
    ),
    ("AVMT001", "kv", append("variables.tf", 'variable "broken" {\n  type = \n}\n')),
    ("TFNFR39", "kv", write("providers.tf", "")),
    ("AVMT002", "kv", write("output.tf", "")),
    ("TFNFR26", "kv", append("terraform.tf", "\nlocals {\n  x = 1\n}\n")),
    ("TFNFR2", "kv", remove("_footer.md")),
    ("SNFR2", "kv", remove("examples")),
    ("TFNFR5", "kv", remove("tests")),
    ("TFRMNFR1", "kv", write("examples/default/nested/main.tf", "# nested\n")),
    ("terraform_required_version_declaration", "kv", sub("terraform.tf", '  required_version = ">= 1.9, < 2.0"\n', "")),
    ("AVMT010", "kv", sub("terraform.tf", '">= 1.9, < 2.0"', '">= 1.9"')),
    (
        "terraform_required_providers_declaration",
        "kvn",
        sub(
            "terraform.tf",
            "  required_providers {\n",
            '  required_providers {\n    time = {\n      source  = "hashicorp/time"\n      version = "~> 0.9"\n    }\n',
        ),
    ),
    ("provider_modtm_version_constraint", "kv", sub("terraform.tf", '"~> 0.3"', '"~> 0.2.0"')),
    ("provider_azapi_version_constraint", "kv", sub("terraform.tf", '"~> 2.12"', '"~> 1.15"')),
    (
        "provider_azurerm_version_constraint",
        "kv",
        sub(
            "terraform.tf",
            "    modtm = {",
            '    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 3.0"\n    }\n    modtm = {',
        ),
    ),
    (
        "terraform_module_provider_declaration",
        "kv",
        append("main.tf", '\nprovider "azapi" {\n  skip_provider_registration = true\n}\n'),
    ),
    (
        "SFR3",
        "ptn",
        sub(
            "main.telemetry.tf",
            "count = var.enable_telemetry ? 1 : 0",
            "count = 1",
            within='resource "modtm_telemetry"',
        ),
    ),
    (
        "SFR4",
        "kvn",
        sub("variables.tf", "default     = true", "default     = false", within=VAR.format("enable_telemetry")),
    ),
    ("AVMT020", "ptn", sub("main.tf", "  enable_telemetry = var.enable_telemetry\n", "")),
    ("terraform_typed_variables", "utl", sub("variables.tf", "  type        = string\n", "")),
    (
        "terraform_documented_variables",
        "utl",
        sub("variables.tf", '  description = "The resource ID to read the name from."\n', ""),
    ),
    (
        "terraform_naming_convention",
        "utl",
        both(
            sub("variables.tf", '"resource_id"', '"resourceId"'), sub("outputs.tf", "var.resource_id", "var.resourceId")
        ),
    ),
    ("terraform_variable_nullable_false", "utl", sub("variables.tf", "nullable    = false", "nullable    = true")),
    (
        "TFNFR20",
        "utl",
        append(
            "variables.tf",
            '\nvariable "zones" {\n  type        = list(string)\n  default     = []\n  description = "Zones."\n}\n',
        ),
    ),
    (
        "TFNFR22",
        "utl",
        sub("variables.tf", "  nullable    = false\n}", "  nullable    = false\n  sensitive   = false\n}"),
    ),
    (
        "terraform_sensitive_variable_no_default",
        "utl",
        append(
            "variables.tf",
            '\nvariable "secret" {\n  type        = string\n  default     = "x"\n  description = "A secret."\n  sensitive   = true\n}\n',
        ),
    ),
    (
        "TFNFR15",
        "utl",
        append(
            "variables.tf",
            '\nvariable "alpha" {\n  type        = string\n  description = "Alpha."\n  nullable    = false\n}\n',
        ),
    ),
    (
        "AVMT031",
        "utl",
        sub(
            "variables.tf",
            '  type        = string\n  description = "The resource ID to read the name from."',
            '  description = "The resource ID to read the name from."\n  type        = string',
        ),
    ),
    (
        "TFNFR14",
        "utl",
        append(
            "variables.tf",
            '\nvariable "module_depends_on" {\n  type        = list(any)\n  default     = []\n  description = "Old style."\n  nullable    = false\n}\n',
        ),
    ),
    (
        "terraform_variable_separate",
        "utl",
        append(
            "main.tf", 'variable "zone" {\n  type        = string\n  default     = null\n  description = "A zone."\n}\n'
        ),
    ),
    (
        "terraform_output_separate",
        "utl",
        append("main.tf", 'output "zone" {\n  description = "A zone."\n  value       = "1"\n}\n'),
    ),
    (
        "terraform_documented_outputs",
        "utl",
        sub("outputs.tf", '  description = "The name of the resource: the last segment of its resource ID."\n', ""),
    ),
    ("TFNFR41", "utl", append("outputs.tf", '\noutput "a_first" {\n  description = "First."\n  value       = 1\n}\n')),
    ("required_output_rmfr7", "kvn", sub("outputs.tf", 'output "resource_id"', 'output "resource_idx"')),
    ("TFFR2", "kvn", sub("outputs.tf", "azapi_resource.this.name", "azapi_resource.this")),
    ("TFRMFR1", "kvn", sub("variables.tf", "  nullable    = false\n", "", within=VAR.format("parent_id"))),
    (
        "TFRMNFR2",
        "kvn",
        both(
            sub("main.tf", '"azapi_resource" "this"', '"azapi_resource" "vault"'),
            sub("outputs.tf", "azapi_resource.this.name", "azapi_resource.vault.name"),
            sub("outputs.tf", "azapi_resource.this.id", "azapi_resource.vault.id"),
        ),
    ),
    ("azapi_response_export_values", "kvn", sub("main.tf", r"\n  response_export_values = \[[^\]]*\]", "", regex=True)),
    (
        "azapi_replace_triggers_refs",
        "kv",
        sub(
            "main.role_assignments.tf", r"replace_triggers_refs = \[[^\]]*\]", "replace_triggers_refs = []", regex=True
        ),
    ),
    (
        "azapi_replace_triggers_refs",
        "kv",
        sub("main.private_endpoints.tf", '"properties.subnet.id"', '"location"'),
    ),
    (
        "azapi_replace_triggers_refs",
        "kvn",
        sub(
            "main.tf",
            "  response_export_values",
            '  replace_triggers_refs  = ["location"]\n  response_export_values',
        ),
    ),
    ("TFFR7", "kvn", sub("main.tf", r"\n  retry += var\.retry", "", regex=True)),
    ("TFFR6", "kvn", sub("main.tf", "var.resource_types.keyvault_vaults", '"Microsoft.KeyVault/vaults@2026-02-01"')),
    ("azapi_resource_tag", "kv", sub("main.tf", r"\n  tags += var\.tags", "", regex=True)),
    ("terraform_module_version", "ptn", sub("main.tf", 'version = "0.10.0"', 'version = "~> 0.10"')),
    (
        "terraform_module_pinned_source",
        "ptn",
        both(
            sub(
                "main.tf",
                '"Azure/avm-res-keyvault-vault/azure"',
                '"git::https://github.com/Azure/terraform-azure-avm-res-keyvault-vault.git"',
            ),
            sub("main.tf", '  version = "0.10.0"\n', ""),
        ),
    ),
    (
        "required_module_source_tffr1",
        "ptn",
        both(
            sub("main.tf", '"Azure/avm-res-keyvault-vault/azure"', '"Azure/naming/azurerm"'),
            sub("main.tf", '"0.10.0"', '"0.4.3"'),
        ),
    ),
    (
        "TFNFR9",
        "ptn",
        sub(
            "main.tf",
            '  source  = "Azure/avm-res-keyvault-vault/azure"\n  version = "0.10.0"\n',
            '  version = "0.10.0"\n  source  = "Azure/avm-res-keyvault-vault/azure"\n',
        ),
    ),
    ("terraform_comment_syntax", "utl", append("main.tf", "// a note\n")),
    ("SFR3-notice", "kv", sub("_footer.md", "## Data Collection", "## Telemetry")),
    (
        "TFNFR38",
        "utl",
        sub(
            "variables.tf",
            "  nullable    = false\n}",
            '  nullable    = false\n\n  validation {\n    condition     = can(regex("^/subscriptions/", var.resource_id))\n'
            '    error_message = "The resource ID must start with /subscriptions/."\n  }\n}',
        ),
    ),
    (
        "required_module_source_tfnfr10",
        "kv",
        sub(
            "main.tf",
            '\n  dynamic "timeouts" {',
            '\n  lifecycle {\n    ignore_changes = ["tags"]\n  }\n\n  dynamic "timeouts" {',
        ),
    ),
    (
        "TFFR3",
        "kv",
        append(
            "main.tf",
            '\nresource "azurerm_resource_group" "extra" {\n  location = var.location\n  name     = var.name\n}\n',
        ),
    ),
    ("terraform_heredoc_usage", "utl", append("main.tf", 'locals {\n  policy = <<JSON\n{"a": 1}\nJSON\n}\n')),
    # interfaces
    ("lock", "kv", sub("variables.tf", "kind  = string", "kind  = optional(string)", within=VAR.format("lock"))),
    (
        "role_assignments",
        "kv",
        sub(
            "variables.tf",
            r"\n +principal_type += optional\(string, null\)",
            "",
            within=VAR.format("role_assignments"),
            regex=True,
        ),
    ),
    (
        "diagnostic_settings",
        "kv",
        sub(
            "variables.tf",
            "category_group = optional(string, null)",
            'category_group = optional(string, "allLogs")',
            within=VAR.format("diagnostic_settings"),
        ),
    ),
    (
        "AVMT032",
        "kv",
        both(
            diagnostic_settings_type(DIAGNOSTIC_SETTINGS_V1),
            sub("main.interfaces.tf", "diagnostic_settings_v2 ", "diagnostic_settings    "),
            sub("main.diagnostic_settings.tf", "diagnostic_settings_azapi_v2", "diagnostic_settings_azapi"),
        ),
    ),
    ("AVMT033", "kv", sub("main.interfaces.tf", "diagnostic_settings_v2 ", "diagnostic_settings    ")),
    (
        "AVMT033",
        "kv",
        sub("main.diagnostic_settings.tf", "diagnostic_settings_azapi_v2", "diagnostic_settings_azapi"),
    ),
    (
        "managed_identities",
        "st",
        sub("variables.tf", "  nullable    = false\n", "", within=VAR.format("managed_identities")),
    ),
    (
        "private_endpoints",
        "kv",
        sub(
            "variables.tf",
            r"subnet_resource_id( +)= string",
            r"subnet_resource_id\1= optional(string)",
            within=VAR.format("private_endpoints"),
            regex=True,
        ),
    ),
    (
        "private_endpoints_manage_dns_zone_group",
        "kv",
        sub(
            "variables.tf",
            "default     = true",
            "default     = false",
            within=VAR.format("private_endpoints_manage_dns_zone_group"),
        ),
    ),
    (
        "private_endpoints_manage_dns_zone_group_required",
        "kv",
        drop_block("variables.tf", VAR.format("private_endpoints_manage_dns_zone_group")),
    ),
    (
        "customer_managed_key",
        "st",
        sub(
            "variables.tf",
            r"key_name( +)= string",
            r"key_name\1= optional(string)",
            within=VAR.format("customer_managed_key"),
            regex=True,
        ),
    ),
    ("tags", "kv", sub("variables.tf", "map(string)", "map(any)", within=VAR.format("tags"))),
    (
        "deprecated_lock_interface",
        "kv",
        sub("variables.tf", r"\n +notes += optional\(string, null\)", "", within=VAR.format("lock"), regex=True),
    ),
    (
        "deprecated_role_assignments_interface",
        "kv",
        sub(
            "variables.tf",
            r"\n +name += optional\(string, null\)",
            "",
            within=VAR.format("role_assignments"),
            regex=True,
        ),
    ),
    (
        "deprecated_private_endpoints_interface",
        "kv",
        sub(
            "variables.tf",
            r"\n +name += optional\(string, null\)",
            "",
            within="role_assignments = optional(map(object({",
            regex=True,
        ),
    ),
]


def test_every_rule_has_a_seeded_defect() -> None:
    named_by_folder = {"RMNFR1"}  # seeded below: it reads the repository folder's name
    schema_rules = {f"AVMT10{n}" for n in range(6)}  # test_check_schema.py seeds them in small modules of its own
    seeded = {rule_id for rule_id, _, _ in DEFECTS}
    assert sorted({r.id for r in TERRAFORM_RULES} - named_by_folder - schema_rules) == sorted(seeded)


def test_repository_name_rule(generated: dict[str, Path], tmp_path: Path) -> None:
    for name, fires in (("terraform-azure-avm-res-keyvault-vault", False), ("terraform-azure-avm-res-KeyVault", True)):
        root = tmp_path / name
        shutil.copytree(generated["kv"], root)
        assert {h[0] for h in hits(root, "res")} == ({"RMNFR1"} if fires else set())


@pytest.mark.parametrize(("rule_id", "kind", "edit"), DEFECTS, ids=[f"{d[0]}-{i}" for i, d in enumerate(DEFECTS)])
def test_seeded_defect_fires_only_its_rule(
    generated: dict[str, Path], tmp_path: Path, rule_id: str, kind: str, edit: Edit
) -> None:
    root = tmp_path / kind
    shutil.copytree(generated[kind], root)
    edit(root)
    found = hits(root, KINDS[kind][0])
    assert {h[0] for h in found} == {rule_id}, found


def test_v1_diagnostic_settings_handed_to_the_v2_input(generated: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "kv"
    shutil.copytree(generated["kv"], root)
    diagnostic_settings_type(DIAGNOSTIC_SETTINGS_V1)(root)
    found = hits(root, "res")
    assert {h[0] for h in found} == {"AVMT032", "AVMT033"}, found
    assert "pass it to diagnostic_settings, not diagnostic_settings_v2" in next(
        h[4] for h in found if h[0] == "AVMT033"
    )


# ------------------------------------------------------------------------------------------- the reader


def test_reader_locates_blocks_and_attributes() -> None:
    source = (
        "# a comment with { brace\n"
        'locals {\n  a = "${"}"}" // x\n  b = <<-EOT\n    } {\n    EOT\n  /* { */\n}\n\n'
        'resource "azapi_resource" "this" {\n  name = "x"\n\n  dynamic "timeouts" {\n    for_each = []\n  }\n}\n'
    )
    f = parse(source, "main.tf")
    assert f.error is None
    assert [(b.kind, b.labels, b.line) for b in f.blocks()] == [
        ("locals", (), 2),
        ("resource", ("azapi_resource", "this"), 10),
    ]
    assert f.block("locals").attr_lines == {"a": 3, "b": 4}
    assert f.block("resource", "azapi_resource").attr_lines == {"name": 11, "dynamic": 13}
    assert f.block("resource", "azapi_resource", "this").body["name"] == "x"
    assert [c.style for c in f.comments] == ["#", "//", "/*"]


def test_reader_reports_parse_errors() -> None:
    f = parse('variable "x" {\n  type = \n}\n', "variables.tf")
    assert f.error and f.error_line == 2 and f.blocks() == []
