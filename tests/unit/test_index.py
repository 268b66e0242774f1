"""Tests of `generator.index`: loading the module index from a file, a URL, the cache, or nothing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.errors import EnvironmentProblemError, InvalidInputError
from generator.index import OFFICIAL_INDEX_URLS, IndexEntry, ModuleIndex, load_index, parse_index
from tests.support.cli import INDEX_FIXTURES, SHARED_DATA

DATA_DIR = SHARED_DATA

BOM = "\ufeff"
BICEP_RES_HEADER = (
    "ProviderNamespace,ResourceType,ModuleDisplayName,AlternativeNames,ModuleName,ParentModule,ModuleStatus,RepoURL,"
    "PublicRegistryReference,TelemetryIdPrefix,PrimaryModuleOwnerGHHandle,PrimaryModuleOwnerDisplayName,"
    "SecondaryModuleOwnerGHHandle,SecondaryModuleOwnerDisplayName,ModuleOwnersGHTeam,Description,Comments,"
    "FirstPublishedIn"
)
TF_RES_HEADER = (
    "ProviderNamespace,ResourceType,ModuleDisplayName,AlternativeNames,ModuleName,ParentModule,ModuleStatus,RepoURL,"
    "PublicRegistryReference,PrimaryModuleOwnerGHHandle,PrimaryModuleOwnerDisplayName,SecondaryModuleOwnerGHHandle,"
    "SecondaryModuleOwnerDisplayName,Description,Comments,FirstPublishedIn"
)
BICEP_PTN_HEADER = (
    "ModuleDisplayName,AlternativeNames,ModuleName,ModuleStatus,RepoURL,PublicRegistryReference,TelemetryIdPrefix,"
    "PrimaryModuleOwnerGHHandle,PrimaryModuleOwnerDisplayName,SecondaryModuleOwnerGHHandle,"
    "SecondaryModuleOwnerDisplayName,ModuleOwnersGHTeam,Description,Comments,FirstPublishedIn"
)
TF_UTL_HEADER = (
    "ModuleDisplayName,AlternativeNames,ModuleName,ModuleStatus,RepoURL,PublicRegistryReference,"
    "PrimaryModuleOwnerGHHandle,PrimaryModuleOwnerDisplayName,SecondaryModuleOwnerGHHandle,"
    "SecondaryModuleOwnerDisplayName,Description,Comments,FirstPublishedIn"
)

# Invented modules (Microsoft.Contoso does not exist), in the layout of the official files.
BICEP_RES_ROWS = [
    "Microsoft.Contoso,widgets,Widget,,avm/res/contoso/widget,n/a,Available,https://example.test/w,,"
    "46d3xbcp.res.contoso-widget,@alice,Alice,,,@Azure/avm-res-contoso-widget-module-owners-bicep,"
    "AVM Resource Module for Widget,,2026-01",
    "Microsoft.Contoso,widgets/gears,Widget - Gear,,avm/res/contoso/widget/gear,avm/res/contoso/widget,Available,"
    "https://example.test/w,,46d3xbcp.res.contoso-wdgt-gear,,,,,same as parent,AVM Resource Module for Widget - Gear,,",
    "Microsoft.Contoso,widgets,Widget - MG Scope,,avm/res/contoso/widget/mg-scope,avm/res/contoso/widget,Available,"
    "https://example.test/w,,46d3xbcp.res.contoso-widget_mgscope,,,,,same as parent,AVM Resource Module,,",
    'Microsoft.Contoso,sprockets,"Sprocket, large",,avm/res/contoso/sprocket,n/a,Proposed,,,'
    "46d3xbcp.res.contoso-sprocket,,,,,@Azure/-module-owners-bicep,AVM Resource Module for Sprocket,,",
]
TF_RES_ROWS = [
    "Microsoft.Contoso,widgets,Widget,,avm-res-contoso-widget,n/a,Available,"
    "https://github.com/Azure/terraform-azure-avm-res-contoso-widget,,@bob,Bob,,,AVM Resource Module for Widget,,",
]
BICEP_PTN_ROWS = [
    "Contoso Landing Zone,,avm/ptn/contoso/landing-zone,Available,,,46d3xbcp.ptn.contoso-landingzone,@carol,Carol,,,"
    "@Azure/avm-ptn-contoso-landingzone-module-owners-bicep,AVM Pattern Module for Contoso Landing Zone,,",
]
TF_UTL_ROWS = ["Contoso Naming,,avm-utl-contoso-naming,Available,,,@dave,Dave,,,AVM Utility Module for Naming,,"]


def _csv(header: str, rows: list[str]) -> bytes:
    return (BOM + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AVM_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def bicep_file(tmp_path: Path) -> Path:
    path = tmp_path / "my-index.csv"
    path.write_bytes(_csv(BICEP_RES_HEADER, BICEP_RES_ROWS))
    return path


class _Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                status, body = server.routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------------------------------
# Parsing and lookup
# ---------------------------------------------------------------------------------------------------------------------


def test_official_urls() -> None:
    assert OFFICIAL_INDEX_URLS["BicepResourceModules"] == "https://aka.ms/avm/index/bicep/res/csv"
    assert OFFICIAL_INDEX_URLS["BicepPatternModules"] == "https://aka.ms/avm/index/bicep/ptn/csv"
    assert OFFICIAL_INDEX_URLS["BicepUtilityModules"] == "https://aka.ms/avm/index/bicep/utl/csv"
    assert OFFICIAL_INDEX_URLS["TerraformResourceModules"] == "https://aka.ms/avm/index/tf/res/csv"
    assert OFFICIAL_INDEX_URLS["TerraformPatternModules"] == "https://aka.ms/avm/index/tf/ptn/csv"
    assert OFFICIAL_INDEX_URLS["TerraformUtilityModules"] == "https://aka.ms/avm/index/tf/utl/csv"
    assert len(OFFICIAL_INDEX_URLS) == 6


def test_parse_bicep_resource_file() -> None:
    kind, entries = parse_index(_csv(BICEP_RES_HEADER, BICEP_RES_ROWS))
    assert kind == "BicepResourceModules"
    widget = entries[0]
    assert widget == IndexEntry(
        module_name="avm/res/contoso/widget",
        display_name="Widget",
        telemetry_id_prefix="46d3xbcp.res.contoso-widget",
        status="Available",
        owners_team="avm-res-contoso-widget-module-owners-bicep",
        provider_namespace="Microsoft.Contoso",
        resource_type="widgets",
        parent_module=None,
        language="bicep",
        module_class="res",
    )
    gear = entries[1]
    assert gear.parent_module == "avm/res/contoso/widget"
    assert gear.owners_team == "avm-res-contoso-widget-module-owners-bicep"  # "same as parent"
    sprocket = entries[3]
    assert sprocket.display_name == "Sprocket, large"
    assert sprocket.owners_team is None  # the malformed "@Azure/-module-owners-bicep"


def test_parse_terraform_and_pattern_and_utility_files() -> None:
    kind, entries = parse_index(_csv(TF_RES_HEADER, TF_RES_ROWS))
    assert kind == "TerraformResourceModules"
    assert entries[0].language == "terraform"
    assert entries[0].telemetry_id_prefix is None
    assert entries[0].owners_team is None
    assert entries[0].module_class == "res"

    kind, entries = parse_index(_csv(BICEP_PTN_HEADER, BICEP_PTN_ROWS))
    assert kind == "BicepPatternModules"
    assert entries[0].module_class == "ptn"
    assert entries[0].provider_namespace is None
    assert entries[0].resource_type is None
    assert entries[0].telemetry_id_prefix == "46d3xbcp.ptn.contoso-landingzone"
    assert entries[0].owners_team == "avm-ptn-contoso-landingzone-module-owners-bicep"

    kind, entries = parse_index(_csv(TF_UTL_HEADER, TF_UTL_ROWS))
    assert kind == "TerraformUtilityModules"
    assert entries[0].module_class == "utl"


def test_parse_without_bom_and_with_lf() -> None:
    kind, entries = parse_index("\n".join([BICEP_RES_HEADER, *BICEP_RES_ROWS]))
    assert kind == "BicepResourceModules"
    assert entries[0].provider_namespace == "Microsoft.Contoso"


def test_lookup() -> None:
    index = ModuleIndex(parse_index(_csv(BICEP_RES_HEADER, BICEP_RES_ROWS))[1])
    entry = index.lookup("bicep", "microsoft.contoso", "WIDGETS")
    assert entry is not None
    assert entry.module_name == "avm/res/contoso/widget"  # not the mg-scope child that shares the type
    child = index.lookup("bicep", "Microsoft.Contoso", "widgets/gears")
    assert child is not None
    assert child.module_name == "avm/res/contoso/widget/gear"
    assert index.lookup("terraform", "Microsoft.Contoso", "widgets") is None
    assert index.lookup("bicep", "Microsoft.Contoso", "gears") is None
    assert index.lookup("bicep", "Microsoft.Other", "widgets") is None
    by_name = index.by_name("AVM/RES/CONTOSO/SPROCKET")
    assert by_name is not None
    assert by_name.status == "Proposed"
    assert index.by_name("avm/res/contoso/nothing") is None
    assert len(index.entries) == 4


def test_duplicate_rows_are_kept_once() -> None:
    rows = [*BICEP_PTN_ROWS, *BICEP_PTN_ROWS]
    index = ModuleIndex(parse_index(_csv(BICEP_PTN_HEADER, rows))[1])
    assert len(index.entries) == 1


# ---------------------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------------------


def test_load_from_file_is_cached(cache: Path, bicep_file: Path) -> None:
    index = load_index(str(bicep_file))
    entry = index.lookup("bicep", "Microsoft.Contoso", "widgets")
    assert entry is not None
    assert entry.telemetry_id_prefix == "46d3xbcp.res.contoso-widget"
    cached = cache / "index" / "BicepResourceModules.csv"
    assert cached.read_bytes() == bicep_file.read_bytes()
    # a later run without --index finds the cached copy
    again = load_index(None)
    assert again.lookup("bicep", "Microsoft.Contoso", "widgets") == entry


def test_load_from_url(cache: Path, server: _Server) -> None:
    server.routes["/tf/res/csv"] = (200, _csv(TF_RES_HEADER, TF_RES_ROWS))
    index = load_index(f"{server.url}/tf/res/csv")
    entry = index.lookup("terraform", "Microsoft.Contoso", "widgets")
    assert entry is not None
    assert entry.module_name == "avm-res-contoso-widget"
    assert (cache / "index" / "TerraformResourceModules.csv").is_file()
    assert server.requests == 1
    cached = load_index(None)
    assert cached.lookup("terraform", "Microsoft.Contoso", "widgets") == entry
    assert server.requests == 1


def test_cache_combines_kinds(cache: Path, tmp_path: Path, server: _Server) -> None:
    server.routes["/ptn"] = (200, _csv(BICEP_PTN_HEADER, BICEP_PTN_ROWS))
    load_index(f"{server.url}/ptn")
    res = tmp_path / "res.csv"
    res.write_bytes(_csv(BICEP_RES_HEADER, BICEP_RES_ROWS))
    load_index(str(res))
    index = load_index(None)
    assert index.by_name("avm/ptn/contoso/landing-zone") is not None
    assert index.by_name("avm/res/contoso/widget") is not None


def test_none_is_empty_even_with_a_cache(cache: Path, bicep_file: Path) -> None:
    load_index(str(bicep_file))
    for source in ("none", "None", "NONE"):
        index = load_index(source)
        assert index.entries == ()
        assert index.lookup("bicep", "Microsoft.Contoso", "widgets") is None


def test_no_cache_is_empty(cache: Path) -> None:
    assert load_index(None).entries == ()
    assert not cache.exists()


def test_damaged_cache_copy_is_ignored(cache: Path, bicep_file: Path) -> None:
    load_index(str(bicep_file))
    (cache / "index" / "TerraformResourceModules.csv").write_text("garbage\n", encoding="utf-8")
    index = load_index(None)
    assert index.lookup("bicep", "Microsoft.Contoso", "widgets") is not None


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>Moved</body></html>\n",
        b'{"modules": []}\n',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"",
        (BOM + BICEP_RES_HEADER + "\r\n").encode("utf-8"),  # a header but no module rows
    ],
)
def test_not_an_index_file(cache: Path, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as info:
        load_index(str(path))
    assert [e.field for e in info.value.errors] == ["--index"]
    assert "not an AVM module index" in str(info.value)
    assert not (cache / "index").exists()


def test_not_an_index_url(cache: Path, server: _Server) -> None:
    server.routes["/html"] = (200, b"<html><body>Sign in</body></html>")
    with pytest.raises(InvalidInputError) as info:
        load_index(f"{server.url}/html")
    assert info.value.errors[0].field == "--index"


def test_missing_file(cache: Path, tmp_path: Path) -> None:
    """A named file that is not there is the user's to fix: exit 2."""
    with pytest.raises(InvalidInputError) as info:
        load_index(str(tmp_path / "absent.csv"))
    assert str(info.value).startswith("--index: ")
    assert len(info.value.lines()) == 1


def test_directory(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        load_index(str(tmp_path))


def test_unreachable_url(cache: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EnvironmentProblemError) as info:
        load_index(f"http://127.0.0.1:{port}/index.csv")
    message = str(info.value)
    assert message.startswith("--index: cannot download ")
    assert "\n" not in message
    assert info.value.exit_code == 3


def test_http_error(cache: Path, server: _Server) -> None:
    with pytest.raises(EnvironmentProblemError) as info:
        load_index(f"{server.url}/missing")
    assert "HTTP 404" in str(info.value)


# ---------------------------------------------------------------------------------------------------------------------
# The official index format: the fixtures in tests/fixtures/index always, the official files (../shared/data,
# never copied into the project) where they are beside the project
# ---------------------------------------------------------------------------------------------------------------------

SOURCES = [pytest.param(INDEX_FIXTURES, id="fixtures"), pytest.param(DATA_DIR, id="official")]


@pytest.fixture(params=SOURCES)
def index_dir(request: pytest.FixtureRequest) -> Path:
    if not request.param.is_dir():
        pytest.skip(f"{request.param.name}: the official index is not beside the project")
    return request.param


def _official(name: str, folder: Path = DATA_DIR) -> Path:
    path = folder / name
    if not path.is_file():
        pytest.skip(f"{path.name} is not available")
    return path


def test_official_bicep_index(cache: Path, index_dir: Path) -> None:
    index = load_index(str(_official("BicepResourceModules.csv", index_dir)))
    entry = index.lookup("bicep", "Microsoft.KeyVault", "vaults")
    assert entry is not None
    assert entry.module_name == "avm/res/key-vault/vault"
    assert entry.telemetry_id_prefix == "46d3xbcp.res.keyvault-vault"
    assert entry.owners_team == "avm-res-keyvault-vault-module-owners-bicep"
    assert entry.parent_module is None
    secret = index.lookup("bicep", "microsoft.keyvault", "vaults/secrets")
    assert secret is not None
    assert secret.module_name == "avm/res/key-vault/vault/secret"
    assert secret.owners_team == entry.owners_team
    if index_dir == DATA_DIR:
        assignment = index.lookup("bicep", "Microsoft.Authorization", "policyAssignments")
        assert assignment is not None
        assert assignment.module_name == "avm/res/authorization/policy-assignment"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("BicepResourceModules.csv", "BicepResourceModules"),
        ("BicepPatternModules.csv", "BicepPatternModules"),
        ("BicepUtilityModules.csv", "BicepUtilityModules"),
        ("TerraformResourceModules.csv", "TerraformResourceModules"),
        ("TerraformPatternModules.csv", "TerraformPatternModules"),
        ("TerraformUtilityModules.csv", "TerraformUtilityModules"),
    ],
)
def test_official_files_are_recognised(cache: Path, name: str, kind: str, index_dir: Path) -> None:
    path = _official(name, index_dir)
    detected, entries = parse_index(path.read_bytes(), name)
    assert detected == kind
    assert entries
    load_index(str(path))
    assert (cache / "index" / f"{kind}.csv").is_file()


def test_official_terraform_index(cache: Path, index_dir: Path) -> None:
    index = load_index(str(_official("TerraformResourceModules.csv", index_dir)))
    entry = index.lookup("terraform", "Microsoft.KeyVault", "vaults")
    assert entry is not None
    assert entry.module_name == "avm-res-keyvault-vault"
    assert entry.telemetry_id_prefix is None
    assert index.lookup("bicep", "Microsoft.KeyVault", "vaults") is None
