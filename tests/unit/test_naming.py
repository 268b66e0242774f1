"""Tests of `generator.naming`: the examples of the AVM digests, and agreement with the official module index."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from generator import naming

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"


# ---------------------------------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "words"),
    [
        ("KeyVault", ["Key", "Vault"]),
        ("DBforPostgreSQL", ["DB", "for", "Postgre", "SQL"]),
        ("DBforMySQL", ["DB", "for", "My", "SQL"]),
        ("IoTOperations", ["IoT", "Operations"]),
        ("managedHSMs", ["managed", "HSMs"]),
        ("p2svpnGateways", ["p2s", "vpn", "Gateways"]),
        ("publicIPAddresses", ["public", "IP", "Addresses"]),
        ("PowerBIDedicated", ["Power", "BI", "Dedicated"]),
        ("SignalRService", ["Signal", "R", "Service"]),
        ("signalR", ["signal", "R"]),
        ("AzureStackHCI", ["Azure", "Stack", "HCI"]),
        ("AAD", ["AAD"]),
        ("SQL2019Servers", ["SQL2019", "Servers"]),
        ("powerShell72Modules", ["power", "Shell72", "Modules"]),
        ("trafficmanagerprofiles", ["trafficmanagerprofiles"]),
        ("autoscalesettings", ["autoscale", "settings"]),
        ("streamingjobs", ["streaming", "jobs"]),
        ("storage-account", ["storage", "account"]),
        ("storage_account", ["storage", "account"]),
        ("storageAccount", ["storage", "Account"]),
        (
            "ApplicationGatewayWebApplicationFirewallPolicies",
            ["Application", "Gateway", "Web", "Application", "Firewall", "Policies"],
        ),
        ("", []),
    ],
)
def test_split_words(identifier: str, words: list[str]) -> None:
    assert naming.split_words(identifier) == words


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("vaults", "vault"),
        ("policies", "policy"),
        ("Policies", "Policy"),
        ("galleries", "gallery"),
        ("addresses", "address"),
        ("Addresses", "Address"),
        ("statuses", "status"),
        ("aliases", "alias"),
        ("indexes", "index"),
        ("prefixes", "prefix"),
        ("switches", "switch"),
        ("caches", "cache"),
        ("databases", "database"),
        ("licenses", "license"),
        ("gateways", "gateway"),
        ("apis", "api"),
        ("HSMs", "HSM"),
        ("Jobs", "Job"),
        ("jobs", "job"),
        ("settings", "setting"),
        ("scenarios", "scenario"),
        ("schemas", "schema"),
        # already singular or invariant
        ("Redis", "Redis"),
        ("series", "series"),
        ("diagnostics", "diagnostics"),
        ("access", "access"),
        ("address", "address"),
        ("status", "status"),
        ("alias", "alias"),
        ("analysis", "analysis"),
        ("DNS", "DNS"),
        ("A", "A"),
        ("vault", "vault"),
        ("service", "service"),
        ("grafana", "grafana"),
    ],
)
def test_singular(plural: str, singular: str) -> None:
    assert naming.singular(plural) == singular


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("Vault", "Vaults"),
        ("Policy", "Policies"),
        ("Gateway", "Gateways"),
        ("Address", "Addresses"),
        ("Status", "Statuses"),
        ("Alias", "Aliases"),
        ("Index", "Indexes"),
        ("Switch", "Switches"),
        ("HSM", "HSMs"),
        ("Redis", "Redis"),
        ("Series", "Series"),
        ("Analysis", "Analyses"),
        ("key", "keys"),
    ],
)
def test_plural(singular: str, plural: str) -> None:
    assert naming.plural(singular) == plural


@pytest.mark.parametrize("word", ["vault", "policy", "address", "status", "alias", "index", "switch", "gateway", "HSM"])
def test_plural_and_singular_round_trip(word: str) -> None:
    assert naming.singular(naming.plural(word)) == word


# ---------------------------------------------------------------------------------------------------------------------
# Slugs and paths
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("namespace", "slug"),
    [
        ("Microsoft.KeyVault", "key-vault"),
        ("Microsoft.ManagedIdentity", "managed-identity"),
        ("Microsoft.DBforPostgreSQL", "db-for-postgre-sql"),
        ("Microsoft.DBforMySQL", "db-for-my-sql"),
        ("Microsoft.IoTOperations", "iot-operations"),
        ("Microsoft.Network", "network"),
        ("Microsoft.Insights", "insights"),
        ("Microsoft.AAD", "aad"),
        ("Microsoft.AzureStackHCI", "azure-stack-hci"),
        ("Microsoft.SignalRService", "signal-r-service"),
        ("Microsoft.PowerBIDedicated", "power-bi-dedicated"),
        ("Microsoft.DocumentDB", "document-db"),
        ("Microsoft.VirtualMachineImages", "virtual-machine-images"),
        ("Oracle.Database", "oracledatabase"),
    ],
)
def test_provider_slug(namespace: str, slug: str) -> None:
    assert naming.provider_slug(namespace) == slug


@pytest.mark.parametrize(
    ("segment", "slug"),
    [
        ("vaults", "vault"),
        ("storageAccounts", "storage-account"),
        ("userAssignedIdentities", "user-assigned-identity"),
        ("virtualMachines", "virtual-machine"),
        ("managedHSMs", "managed-hsm"),
        ("p2svpnGateways", "p2s-vpn-gateway"),
        ("trafficmanagerprofiles", "trafficmanagerprofile"),
        ("autoscalesettings", "autoscale-setting"),
        ("streamingjobs", "streaming-job"),
        ("Redis", "redis"),
        ("redisEnterprise", "redis-enterprise"),
        ("Jobs", "job"),
        ("IotHubs", "iot-hub"),
        ("publicIPAddresses", "public-ip-address"),
        ("publicIPPrefixes", "public-ip-prefix"),
        ("service", "service"),
        ("signalR", "signal-r"),
        ("webPubSub", "web-pub-sub"),
        ("serverfarms", "serverfarm"),
        ("A", "a"),
        ("CNAME", "cname"),
    ],
)
def test_type_slug(segment: str, slug: str) -> None:
    assert naming.type_slug(segment) == slug


@pytest.mark.parametrize(
    ("child", "folder"),
    [
        ("blobServices/containers", "blob-service/container"),
        ("secrets", "secret"),
        ("service/apis", "service/api"),
        ("factories/linkedservices", "factory/linked-service"),
        ("volumegroups/snapshots", "volume-group/snapshot"),
    ],
)
def test_child_folder(child: str, folder: str) -> None:
    assert naming.child_folder(child) == folder


@pytest.mark.parametrize(
    ("namespace", "resource_type", "path"),
    [
        ("Microsoft.KeyVault", "vaults", "avm/res/key-vault/vault"),
        ("Microsoft.KeyVault", "vaults/secrets", "avm/res/key-vault/vault/secret"),
        ("Microsoft.ManagedIdentity", "userAssignedIdentities", "avm/res/managed-identity/user-assigned-identity"),
        (
            "Microsoft.Storage",
            "storageAccounts/blobServices/containers",
            "avm/res/storage/storage-account/blob-service/container",
        ),
        ("Microsoft.DBforPostgreSQL", "flexibleServers", "avm/res/db-for-postgre-sql/flexible-server"),
        ("Microsoft.Network", "p2svpnGateways", "avm/res/network/p2s-vpn-gateway"),
        ("Microsoft.Cache", "Redis", "avm/res/cache/redis"),
    ],
)
def test_bicep_module_path(namespace: str, resource_type: str, path: str) -> None:
    assert naming.bicep_module_path(namespace, resource_type) == path


def test_terraform_names() -> None:
    assert naming.terraform_module_name("Microsoft.KeyVault", "vaults") == "avm-res-keyvault-vault"
    assert naming.terraform_module_name("Microsoft.Compute", "virtualMachines") == "avm-res-compute-virtualmachine"
    assert (
        naming.terraform_module_name("Microsoft.ManagedIdentity", "userAssignedIdentities")
        == "avm-res-managedidentity-userassignedidentity"
    )
    assert naming.terraform_module_name("Oracle.Database", "cloudvmclusters") == "avm-res-oracledatabase-cloudvmcluster"
    assert naming.terraform_repo_name("Microsoft.KeyVault", "vaults") == "terraform-azure-avm-res-keyvault-vault"
    assert naming.terraform_registry_source("Microsoft.KeyVault", "vaults") == "Azure/avm-res-keyvault-vault/azure"


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        ("avm/res/key-vault/vault", "46d3xbcp.res.keyvault-vault"),
        ("avm/res/key-vault/vault/secret", "46d3xbcp.res.keyvault-vault-secret"),
        ("avm/ptn/azd/monitoring", "46d3xbcp.ptn.azd-monitoring"),
        ("avm/utl/general/get-environment", "46d3xbcp.utl.general-getenvironment"),
        ("avm/res/compute/virtual-machine", "46d3xbcp.res.compute-virtualmachine"),
        ("avm/res/consumption/budget/mg-scope", "46d3xbcp.res.consumption-budget_mgscope"),
        ("res/key-vault/vault", "46d3xbcp.res.keyvault-vault"),
    ],
)
def test_telemetry_id_prefix(path: str, prefix: str) -> None:
    assert naming.telemetry_id_prefix(path) == prefix


@pytest.mark.parametrize(
    ("path", "short"),
    [
        ("avm/res/key-vault/vault", "kvv"),
        ("avm/res/storage/storage-account", "ssa"),
        ("avm/res/managed-identity/user-assigned-identity", "miuai"),
        ("avm/res/network/virtual-network", "nvn"),
        ("avm/ptn/azd/monitoring", "am"),
    ],
)
def test_service_short(path: str, short: str) -> None:
    assert naming.service_short(path) == short


@pytest.mark.parametrize(
    ("path", "team"),
    [
        ("avm/res/key-vault/vault", "avm-res-keyvault-vault-module-owners-bicep"),
        ("avm/res/network/virtual-network", "avm-res-network-virtualnetwork-module-owners-bicep"),
        ("avm/ptn/aca-lza/hosting-environment", "avm-ptn-acalza-hostingenvironment-module-owners-bicep"),
    ],
)
def test_owners_team(path: str, team: str) -> None:
    assert naming.owners_team(path) == team


# ---------------------------------------------------------------------------------------------------------------------
# Display names and symbols
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "display"),
    [
        ("storageAccounts", "Storage Account"),
        ("vaults", "Vault"),
        ("vaults/secrets", "Secret"),
        ("userAssignedIdentities", "User Assigned Identity"),
        ("managedHSMs", "Managed HSM"),
        ("publicIPAddresses", "Public IP Address"),
        ("Redis", "Redis"),
    ],
)
def test_display_name(resource_type: str, display: str) -> None:
    assert naming.display_name(resource_type) == display


@pytest.mark.parametrize(
    ("display", "plural"),
    [
        ("Key Vault", "Key Vaults"),
        ("Storage Account", "Storage Accounts"),
        ("Key Vault Secret", "Key Vault Secrets"),
        ("Policy", "Policies"),
        ("Firewall Policy", "Firewall Policies"),
        ("Redis", "Redis"),
        ("Public IP Address", "Public IP Addresses"),
        ("Managed HSM", "Managed HSMs"),
        ("Gateway", "Gateways"),
    ],
)
def test_plural_display_name(display: str, plural: str) -> None:
    assert naming.plural_display_name(display) == plural


@pytest.mark.parametrize(
    ("phrase", "article"),
    [
        ("Key Vault", "a"),
        ("API Management Service", "an"),
        ("Event Hub", "an"),
        ("User Assigned Identity", "a"),
        ("HSM", "an"),
        ("IP Group", "an"),
        ("NAT Gateway", "a"),
        ("SQL Server", "a"),
        ("Hour", "an"),
        ("", "a"),
    ],
)
def test_indefinite_article(phrase: str, article: str) -> None:
    assert naming.indefinite_article(phrase) == article


@pytest.mark.parametrize(
    ("full_type", "key"),
    [
        ("Microsoft.KeyVault/vaults/secrets", "keyvault_vaults_secrets"),
        ("Microsoft.Network/virtualNetworks/subnets", "network_virtual_networks_subnets"),
        ("Microsoft.Network/publicIPAddresses", "network_public_ip_addresses"),
        ("Microsoft.Storage/storageAccounts", "storage_storage_accounts"),
        ("Microsoft.DBforPostgreSQL/flexibleServers", "dbforpostgresql_flexible_servers"),
    ],
)
def test_resource_types_key(full_type: str, key: str) -> None:
    assert naming.resource_types_key(full_type) == key


def test_symbols() -> None:
    assert naming.camel_symbol("storage-account") == "storageAccount"
    assert naming.camel_symbol("vault") == "vault"
    assert naming.camel_symbol("user-assigned-identity") == "userAssignedIdentity"
    assert naming.camel_symbol("storageAccount") == "storageAccount"
    assert naming.pascal("storage-account") == "StorageAccount"
    assert naming.pascal("managed-hsm") == "ManagedHsm"
    assert naming.snake("storage-account") == "storage_account"
    assert naming.snake("storageAccount") == "storage_account"
    assert naming.snake("publicIPAddresses") == "public_ip_addresses"


# ---------------------------------------------------------------------------------------------------------------------
# Agreement with the official module index (read from ../shared/data, never copied into the project)
# ---------------------------------------------------------------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _top_level(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r.get("ParentModule", "n/a").lower() in ("", "n/a")]


def _agreement(label: str, pairs: list[tuple[str, str]], floor: float) -> None:
    """Print and check the share of (expected, derived) pairs that agree."""
    misses = [(want, got) for want, got in pairs if want != got]
    rate = 1 - len(misses) / len(pairs)
    summary = f"{label}: {len(pairs) - len(misses)}/{len(pairs)} = {rate:.1%} agree"
    print(f"\n{summary}")
    for want, got in misses:
        print(f"    index {want!r:70} derived {got!r}")
    assert rate >= floor, f"{summary}, floor {floor:.0%}"


def test_bicep_module_paths_agree_with_the_index() -> None:
    rows = _top_level(_rows("BicepResourceModules.csv"))
    pairs = [(r["ModuleName"], naming.bicep_module_path(r["ProviderNamespace"], r["ResourceType"])) for r in rows]
    _agreement("Bicep resource ModuleName (top level)", pairs, 0.97)  # measured 196/198


def test_bicep_child_paths_agree_with_the_index() -> None:
    rows = [
        r
        for r in _rows("BicepResourceModules.csv")
        if r["ParentModule"].lower() not in ("", "n/a") and "/" in r["ResourceType"]
    ]
    pairs = [(r["ModuleName"], naming.bicep_module_path(r["ProviderNamespace"], r["ResourceType"])) for r in rows]
    _agreement("Bicep resource ModuleName (children with a nested type)", pairs, 0.95)  # measured 322/326


def test_terraform_module_names_agree_with_the_index() -> None:
    rows = _top_level(_rows("TerraformResourceModules.csv"))
    pairs = [(r["ModuleName"], naming.terraform_module_name(r["ProviderNamespace"], r["ResourceType"])) for r in rows]
    _agreement("Terraform resource ModuleName", pairs, 0.97)  # measured 158/158


def test_telemetry_prefixes_agree_with_the_index() -> None:
    rows = _top_level(_rows("BicepResourceModules.csv"))
    pairs = [(r["TelemetryIdPrefix"], naming.telemetry_id_prefix(r["ModuleName"])) for r in rows]
    _agreement("Bicep resource TelemetryIdPrefix (top level)", pairs, 0.90)  # measured 184/198


def test_pattern_and_utility_telemetry_prefixes_agree_with_the_index() -> None:
    rows = _rows("BicepPatternModules.csv") + _rows("BicepUtilityModules.csv")
    pairs = [(r["TelemetryIdPrefix"], naming.telemetry_id_prefix(r["ModuleName"])) for r in rows]
    _agreement("Bicep pattern/utility TelemetryIdPrefix", pairs, 0.80)  # measured 58/69


def test_owners_teams_agree_with_the_index() -> None:
    rows = [
        r
        for name in ("BicepResourceModules.csv", "BicepPatternModules.csv", "BicepUtilityModules.csv")
        for r in _top_level(_rows(name))
    ]
    pairs = [(r["ModuleOwnersGHTeam"], "@Azure/" + naming.owners_team(r["ModuleName"])) for r in rows]
    _agreement("Bicep ModuleOwnersGHTeam", pairs, 0.98)  # measured 266/267
