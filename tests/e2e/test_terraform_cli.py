"""End to end: `avm new resource --lang terraform` over a matrix of modules, checked with real tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import hcl2
import pytest

from tests.support.checked import assert_checks_clean
from tests.support.cli import PLACEHOLDERS, run_avm, tree
from tests.support.golden import assert_matches_golden

# The interface variables each interface key adds (terraform-modules.md section 4).
INTERFACE_VARIABLES = {
    "lock": ("lock",),
    "role-assignments": ("role_assignments",),
    "diagnostic-settings": ("diagnostic_settings",),
    "private-endpoints": ("private_endpoints", "private_endpoints_manage_dns_zone_group"),
    "managed-identities": ("managed_identities",),
    "customer-managed-key": ("customer_managed_key",),
    "tags": ("tags",),
}
MODULE_FILES = ("terraform.tf", "main.tf", "variables.tf", "outputs.tf", "_header.md", "_footer.md", "README.md")


@dataclass(frozen=True)
class Case:
    id: str
    provider: str
    type: str
    children: tuple[str, ...] = ()
    interfaces: str | None = None
    submodules: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


CASES = [
    Case("kv-all", "Microsoft.KeyVault", "vaults", ("secrets", "keys"), "all", ("secret", "key")),
    Case("kv-none", "Microsoft.KeyVault", "vaults", (), "none"),
    Case(
        "storage-nested",
        "Microsoft.Storage",
        "storageAccounts",
        ("blobServices/containers",),
        "all",
        ("blob-service", "blob-service-container"),
    ),
    Case("vnet", "Microsoft.Network", "virtualNetworks", ("subnets",), "lock,tags", ("subnet",)),
    Case(
        "sql",
        "Microsoft.Sql",
        "servers",
        ("databases", "firewallRules"),
        "managed-identities,private-endpoints",
        ("database", "firewall-rule"),
    ),
    Case("dns-global", "Microsoft.Network", "privateDnsZones", (), "lock,role-assignments,tags"),
    Case("acr-cmk", "Microsoft.ContainerRegistry", "registries", (), "customer-managed-key,managed-identities"),
    Case(
        "eventhub-3-levels",
        "Microsoft.EventHub",
        "namespaces",
        ("eventhubs/consumergroups",),
        "diagnostic-settings",
        ("eventhub", "eventhub-consumergroup"),
    ),
    Case("uami-default", "Microsoft.ManagedIdentity", "userAssignedIdentities"),
    Case("web-pe", "Microsoft.Web", "sites", (), "private-endpoints"),
    Case("cosmos-multi-pe", "Microsoft.DocumentDB", "databaseAccounts", (), "private-endpoints,lock"),
    Case("unknown-type", "Contoso.Widgets", "gadgets", ("parts",), None, ("part",), ("--api-version", "2025-01-01")),
]


def generate(case: Case, tmp_path: Path, cache: Path) -> tuple[Path, dict]:
    out = tmp_path / case.id
    args = ["new", "resource", "--lang", "terraform", "--provider", case.provider, "--type", case.type]
    for child in case.children:
        args += ["--child", child]
    if case.interfaces is not None:
        args += ["--interfaces", case.interfaces]
    result = run_avm(
        *args, "--index", "none", "--defaults", "--json", "-o", str(out), *case.extra, cwd=tmp_path, cache=cache
    )
    assert result.code == 0, result.stderr
    return out, result.json


def hcl_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix == ".tf" or p.name.endswith(".tftest.hcl"))


def unquote(value: object) -> object:
    """python-hcl2 keeps the quotes of labels and string literals; drop them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unquote(v) for v in value]
    return value


def blocks(path: Path, kind: str) -> list[dict]:
    return unquote(hcl2.loads(path.read_text()).get(kind, []))


def variable_names(path: Path) -> list[str]:
    return [next(iter(v)) for v in blocks(path, "variable")]


def terraform_fmt_check(root: Path) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("the terraform CLI is not on PATH: fmt check not run")
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_module(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, report = generate(case, tmp_path, avm_cache)
    assert sorted(report["files"]) == sorted(tree(out))
    assert out.name == case.id

    for path in hcl_files(out):
        hcl2.loads(path.read_text())  # parses
    terraform_fmt_check(out)
    for path in (p for p in out.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for marker in PLACEHOLDERS:
            assert marker not in text, f"{marker!r} in {path.relative_to(out)}"

    # Files of the root and of every submodule; submodules only one level deep.
    for scope in [out, *(out / "modules" / name for name in case.submodules)]:
        for name in MODULE_FILES:
            assert (scope / name).is_file(), scope / name
    assert (
        sorted(p.name for p in (out / "modules").iterdir() if p.is_dir()) == sorted(case.submodules)
        if case.submodules
        else True
    )
    assert not list((out / "modules").glob("*/modules")) if (out / "modules").exists() else True
    for required in ("examples/default/main.tf", "examples/default/variables.tf", "tests/unit/main.tftest.hcl"):
        assert (out / required).is_file(), required

    # No provider blocks outside the examples; the terraform block alone in terraform.tf.
    for path in hcl_files(out):
        if "examples" not in path.relative_to(out).parts:
            assert not blocks(path, "provider"), path
    terraform_tf = hcl2.loads((out / "terraform.tf").read_text())
    assert list(terraform_tf) == ["terraform"]

    # The primary resource and the standard variables.
    resources = [r for p in out.glob("*.tf") for r in blocks(p, "resource")]
    this = next(r["azapi_resource"]["this"] for r in resources if "this" in r.get("azapi_resource", {}))
    assert this["type"].startswith("${var.resource_types.")
    variables = variable_names(out / "variables.tf") + [
        v for p in out.glob("variables.*.tf") for v in variable_names(p)
    ]
    assert "parent_id" in variables and "resource_group_name" not in variables
    assert "enable_telemetry" in variables

    # Interface variables exactly for the chosen interfaces.
    chosen = set(INTERFACE_VARIABLES) if case.interfaces in ("all", None) else set((case.interfaces or "").split(","))
    if case.provider == "Contoso.Widgets":
        chosen.discard("customer-managed-key")  # where its body takes a key is not known
    if case.interfaces == "none":
        chosen = set()
    catalog_limited = case.interfaces in ("all", None) and case.provider != "Contoso.Widgets"
    for key, names in INTERFACE_VARIABLES.items():
        for name in names:
            if catalog_limited and name not in variables:
                continue  # `all` means what the catalog lists for the type
            assert (name in variables) == (key in chosen), (key, name)

    # Diagnostic settings in the v2 shape, through the utility's v2 input and output.
    if "diagnostic_settings" in variables:
        interfaces = blocks(out / "main.interfaces.tf", "module")[0]["avm_interfaces"]
        assert interfaces["diagnostic_settings_v2"] == "${var.diagnostic_settings}"
        assert "diagnostic_settings" not in interfaces
        settings = blocks(out / "main.diagnostic_settings.tf", "resource")[0]["azapi_resource"]["diagnostic_settings"]
        assert settings["for_each"] == "${module.avm_interfaces.diagnostic_settings_azapi_v2}"
        assert "logs = optional(set(object({" in (out / "variables.tf").read_text()

    # replace_triggers_refs (TFFR5): absent, or a non-empty static list of distinct body paths.
    for path in hcl_files(out):
        for resource in blocks(path, "resource"):
            for arguments in resource.get("azapi_resource", {}).values():
                triggers = arguments.get("replace_triggers_refs")
                if triggers is not None:
                    assert triggers and len(set(triggers)) == len(triggers), path
                    assert all(isinstance(t, str) and "${" not in t and t not in ("name", "location") for t in triggers)

    # Each direct child submodule is called from the root with for_each and the parent's id.
    calls = [m for p in out.glob("*.tf") for m in blocks(p, "module")]
    sources = {next(iter(m)): m[next(iter(m))] for m in calls}
    for name, call in sources.items():
        if call["source"].startswith("./modules/"):
            assert "for_each" in call or "count" in call, name  # count: a child of one fixed name
            assert call["parent_id"] == "${azapi_resource.this.id}", name
    assert_checks_clean(out)


def test_bad_input_writes_nothing(tmp_path: Path, avm_cache: Path) -> None:
    base = ["new", "resource", "--lang", "terraform", "--index", "none", "--defaults"]
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.tf").write_text("# mine\n")
    for args, field in [
        (["--provider", "KeyVault", "--type", "vaults"], "provider"),
        (["--provider", "Microsoft.KeyVault", "--type", "key vaults"], "type"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--interfaces", "locks"], "interfaces"),
    ]:
        result = run_avm(*base, *args, "-o", str(tmp_path / "out"), cwd=tmp_path, cache=avm_cache)
        lines = result.stderr.strip().splitlines()
        assert result.code == 2 and len(lines) == 1 and field in lines[0] and "Traceback" not in result.stderr
        assert not (tmp_path / "out").exists()
    result = run_avm(
        *base,
        "--provider",
        "Microsoft.KeyVault",
        "--type",
        "vaults",
        "-o",
        str(occupied),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 2 and "output" in result.stderr
    assert [p.name for p in occupied.iterdir()] == ["keep.tf"]


def test_default_output_is_the_repository_name(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm(
        "new", "resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults",
        "--defaults", "--index", "none", cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert (tmp_path / "terraform-azure-avm-res-keyvault-vault" / "main.tf").is_file()


def test_key_vault_matches_golden(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "vault"
    result = run_avm(
        "new", "resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults",
        "--child", "secrets", "--child", "keys", "--index", "none", "--defaults", "-o", str(out),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert_matches_golden(out, "terraform-key-vault")
    assert re.search(
        r'source\s+=\s+"Azure/avm-utl-interfaces/azure"\n\s+version\s+=\s+"\d+\.\d+\.\d+"',
        (out / "main.interfaces.tf").read_text(),
    )
