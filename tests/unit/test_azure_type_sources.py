"""Where resource-type schemas come from (generator.azure_types.sources) and the shipped bundle of them."""

from __future__ import annotations

import gzip
import json
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.azure_types import bundle, download, sources
from generator.azure_types.type_index import TypeIndex, version_key
from generator.errors import InvalidInputError

SHARED_SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"
WIDGETS = "Contoso.Widgets/widgets"
GADGETS = "Contoso.Widgets/widgets/gadgets"


def types_file(full_type: str, version: str, offset: int = 0) -> list[dict[str, Any]]:
    """A small node list in the bicep-types format (numbered from `offset`): a resource type, an unreachable
    node and a function."""

    def ref(number: int) -> dict[str, str]:
        return {"$ref": f"#/{offset + number}"}

    return [
        {"$type": "StringType", "maxLength": 24},
        {"$type": "StringLiteralType", "value": "unreachable"},
        {
            "$type": "ObjectType",
            "name": full_type,
            "properties": {
                "name": {"type": ref(0), "flags": 9, "description": "The resource name."},
                "description": {"type": ref(0), "flags": 0, "description": "A property called description."},
                "version": {"type": ref(4), "flags": 2},
            },
        },
        {"$type": "ResourceType", "name": f"{full_type}@{version}", "body": ref(2), "writableScopes": 8},
        {"$type": "StringLiteralType", "value": version},
        {"$type": "ResourceFunctionType", "name": "listKeys", "resourceType": full_type, "apiVersion": version},
    ]


def write_tree(generated: Path, versions: dict[str, list[str]], with_index: bool = True) -> Path:
    """A `generated/` folder holding each type at each version (one file a version), with or without an index."""
    resources: dict[str, dict[str, str]] = {}
    files: dict[str, list[dict[str, Any]]] = {}
    for full_type, listed in versions.items():
        for version in listed:
            path = f"widgets/contoso.widgets/{version}/types.json"
            nodes = files.setdefault(path, [])
            resources[f"{full_type}@{version}"] = {"$ref": f"{path}#/{len(nodes) + 3}"}
            nodes += types_file(full_type, version, len(nodes))
    for path, nodes in files.items():
        (generated / path).parent.mkdir(parents=True, exist_ok=True)
        (generated / path).write_text(json.dumps(nodes), encoding="utf-8")
    if with_index:
        (generated / "index.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return generated


def find(full_type: str, version: str, **options: Any) -> sources.Found | None:
    namespace, type_path = full_type.split("/", 1)
    return sources.find(namespace, type_path, version, **options)


@pytest.fixture(autouse=True)
def _fresh_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    """No remembered network problem or folder from another test; no checkout from the developer's setting."""
    monkeypatch.setattr(sources, "_download_problems", {})
    monkeypatch.setattr(sources, "_trees", {})
    monkeypatch.delenv(sources.CHECKOUT_VARIABLE, raising=False)
    monkeypatch.setenv(download.BASE_URL_VARIABLE, "http://127.0.0.1:9/never-asked/")


class QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.requested.append(self.path)
        super().do_GET()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ThreadingHTTPServer, list[str]]]:
    """A local copy of the public repository: `<served>/generated/` with an index and two versions."""
    served = tmp_path / "served"
    write_tree(served / "generated", {WIDGETS: ["2024-01-01", "2025-01-01"], GADGETS: ["2025-01-01"]})
    requested: list[str] = []
    handler = type("Handler", (QuietHandler,), {"requested": requested})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv(download.BASE_URL_VARIABLE, f"http://127.0.0.1:{httpd.server_address[1]}/generated")
    try:
        yield httpd, requested
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# Version resolution


@pytest.mark.parametrize("with_index", [True, False], ids=["index", "folder-scan"])
def test_the_exact_version_else_the_nearest_older_one_never_a_newer_one(tmp_path: Path, with_index: bool) -> None:
    generated = write_tree(
        tmp_path / "generated",
        {WIDGETS: ["2024-01-01", "2025-01-01", "2025-06-01-preview", "2026-01-01"]},
        with_index,
    )
    asked = {
        "2025-01-01": ("2025-01-01", True),
        "2025-03-01": ("2025-01-01", False),
        "2025-09-01": ("2025-01-01", False),  # a stable version asked for: an older stable one, not the preview
        "2025-09-01-preview": ("2025-06-01-preview", False),
        "2027-01-01": ("2026-01-01", False),
    }
    for wanted, (version, exact) in asked.items():
        found = find(WIDGETS, wanted, schemas_dir=generated, allow_download=False)
        assert found is not None
        assert (found.api_version, found.exact, found.name) == (version, exact, f"{WIDGETS}@{version}")
        assert found.nodes[found.node]["name"] == found.name
    assert find(WIDGETS, "2023-12-01", schemas_dir=generated, allow_download=False) is None


def test_a_folder_scan_skips_a_version_folder_that_lacks_the_type(tmp_path: Path) -> None:
    generated = write_tree(tmp_path / "generated", {WIDGETS: ["2024-01-01", "2025-01-01"], GADGETS: ["2024-01-01"]})
    found = find(GADGETS, "2025-01-01", schemas_dir=generated, allow_download=False)
    assert found is not None
    assert (found.name, found.exact) == (f"{GADGETS}@2024-01-01", False)


# The order of sources


def test_the_cache_comes_first_then_the_checkout_then_the_bundle(tmp_path: Path) -> None:
    checkout = write_tree(
        tmp_path / "checkout" / "generated", {WIDGETS: ["2025-01-01"], "Microsoft.KeyVault/vaults": ["2026-02-01"]}
    )
    found = find(WIDGETS, "2025-01-01", schemas_dir=checkout.parent, allow_download=False)
    assert found is not None and found.source.kind == "checkout" and found.exact

    write_tree(sources.cache_folder(), {WIDGETS: ["2025-01-01"]})
    found = find(WIDGETS, "2025-01-01", schemas_dir=checkout.parent, allow_download=False)
    assert found is not None and found.source.kind == "cache"

    # the checkout's fake Key Vault beats the shipped one; without the checkout the bundle answers
    found = find("Microsoft.KeyVault/vaults", "2026-02-01", schemas_dir=checkout, allow_download=False)
    assert found is not None and found.source.kind == "checkout"
    found = find("Microsoft.KeyVault/vaults", "2026-02-01", allow_download=False)
    assert found is not None and found.source.kind == "bundle" and found.exact
    assert found.source.revision == bundle.shipped().revision


def test_an_exact_version_from_a_later_source_beats_an_older_one_from_an_earlier_source(tmp_path: Path) -> None:
    write_tree(sources.cache_folder(), {WIDGETS: ["2024-01-01"]})
    checkout = write_tree(tmp_path / "generated", {WIDGETS: ["2023-01-01", "2025-01-01"]})
    found = find(WIDGETS, "2025-01-01", schemas_dir=checkout, allow_download=False)
    assert found is not None and (found.source.kind, found.api_version) == ("checkout", "2025-01-01")
    # none exact: the nearest older wins; on a tie the earlier source
    found = find(WIDGETS, "2024-06-01", schemas_dir=checkout, allow_download=False)
    assert found is not None and (found.source.kind, found.api_version, found.exact) == ("cache", "2024-01-01", False)


def test_the_checkout_may_come_from_avm_schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = write_tree(tmp_path / "bicep-types-az" / "generated", {WIDGETS: ["2025-01-01"]})
    monkeypatch.setenv(sources.CHECKOUT_VARIABLE, str(generated.parent))
    found = find(WIDGETS, "2025-01-01", allow_download=False)
    assert found is not None and found.source.kind == "checkout"
    assert found.source.location == str(generated)


def test_the_checkout_revision_is_read_from_git(tmp_path: Path) -> None:
    write_tree(tmp_path / "generated", {WIDGETS: ["2025-01-01"]})
    (tmp_path / ".git" / "refs" / "heads").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / ".git" / "refs" / "heads" / "main").write_text("1f896de2db966ad91e8f7d7d981e11d32e4f5d8d\n")
    found = find(WIDGETS, "2025-01-01", schemas_dir=tmp_path, allow_download=False)
    assert found is not None and found.source.revision == "1f896de2db966ad91e8f7d7d981e11d32e4f5d8d"


def test_a_folder_that_is_not_a_checkout_is_the_users_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInputError, match=r"--schemas: .* is not a bicep-types-az checkout"):
        find(WIDGETS, "2025-01-01", schemas_dir=tmp_path, allow_download=False)
    monkeypatch.setenv(sources.CHECKOUT_VARIABLE, str(tmp_path / "absent"))
    with pytest.raises(InvalidInputError, match=r"AVM_SCHEMAS: .* does not exist"):
        find(WIDGETS, "2025-01-01", allow_download=False)


def test_nothing_found_offline_is_none() -> None:
    assert find(WIDGETS, "2025-01-01", allow_download=False) is None
    assert sources.download_problem() is None


# Downloads


def test_a_download_is_stored_in_the_cache_and_served_from_it_once_the_server_is_gone(
    server: tuple[ThreadingHTTPServer, list[str]],
) -> None:
    httpd, requested = server
    found = find(WIDGETS, "2025-03-01")
    assert found is not None
    assert (found.source.kind, found.name, found.exact) == ("download", f"{WIDGETS}@2025-01-01", False)
    assert found.source.location == f"http://127.0.0.1:{httpd.server_address[1]}/generated/"
    cached = sources.cache_folder()
    assert (cached / "index.json").is_file()
    assert json.loads((cached / "widgets/contoso.widgets/2025-01-01/types.json").read_bytes()) == found.nodes

    found = find(GADGETS, "2025-01-01")  # another file of the same version: already there
    assert found is not None and found.source.kind == "cache"
    assert requested == ["/generated/index.json", "/generated/widgets/contoso.widgets/2025-01-01/types.json"]

    httpd.shutdown()
    httpd.server_close()
    again = find(WIDGETS, "2025-01-01")
    assert again is not None and (again.source.kind, again.exact) == ("cache", True)
    assert sources.download_problem() is None


def test_the_index_is_downloaded_once(server: tuple[ThreadingHTTPServer, list[str]]) -> None:
    _, requested = server
    assert find(WIDGETS, "2024-01-01") is not None
    assert find(WIDGETS, "2025-01-01") is not None
    assert requested.count("/generated/index.json") == 1
    assert len(requested) == 3


def test_no_download_when_downloads_are_not_allowed(server: tuple[ThreadingHTTPServer, list[str]]) -> None:
    _, requested = server
    assert find(WIDGETS, "2025-01-01", allow_download=False) is None
    assert requested == []


def test_an_unreachable_server_falls_through_to_the_bundle_and_is_told_once(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(download.BASE_URL_VARIABLE, f"http://127.0.0.1:{port}/generated/")
    assert find(WIDGETS, "2025-01-01") is None
    problem = sources.download_problem()
    assert problem is not None and f"127.0.0.1:{port}" in problem
    found = find("Microsoft.KeyVault/vaults", "2026-02-01")
    assert found is not None and found.source.kind == "bundle"
    assert sources.download_problem() == problem


def test_a_server_that_answers_something_else_falls_through(
    server: tuple[ThreadingHTTPServer, list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "served" / "generated" / "index.json").write_text("<html>rate limited</html>", encoding="utf-8")
    assert find(WIDGETS, "2025-01-01") is None
    assert "is not a bicep-types index" in (sources.download_problem() or "")
    assert not (sources.cache_folder() / "index.json").exists()


# The shipped bundle


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return json.loads(gzip.decompress(bundle.SHIPPED_FILE.read_bytes()))


def test_the_bundle_holds_every_catalog_type_at_its_pinned_version_or_records_the_older_one(
    shipped: dict[str, Any],
) -> None:
    index = TypeIndex.from_document(shipped)
    names = {name.lower() for name in shipped["resources"]}
    for full_type, pinned in bundle.catalog_types():
        wanted = f"{full_type}@{pinned}"
        if wanted.lower() in names:
            assert wanted not in shipped["substitutes"]
            continue
        if wanted in shipped["missing"]:
            continue
        used = shipped["substitutes"][wanted]
        assert used.lower() in names
        used_type, used_version = used.rsplit("@", 1)
        assert used_type.lower() == full_type.lower()
        assert version_key(used_version) < version_key(pinned)
        location = index.locate(full_type, pinned)
        assert location is not None and location.name == used and not location.exact
    assert shipped["format"] == bundle.FORMAT and shipped["revision"]


def test_the_bundle_has_no_descriptions_no_functions_and_every_reference_resolves(shipped: dict[str, Any]) -> None:
    for path, nodes in shipped["files"].items():
        for node in nodes:
            assert "description" not in node, path
            assert node["$type"] != "ResourceFunctionType", path
            for key in ("properties", "baseProperties"):
                for spec in (node.get(key) or {}).values():
                    assert "description" not in spec, path
            for number in bundle.references(node):
                assert 0 <= number < len(nodes), path
    for name, ref in shipped["resources"].items():
        path, _, number = ref["$ref"].partition("#/")
        node = shipped["files"][path][int(number)]
        assert node["$type"] == "ResourceType" and node["name"] == name


def test_the_shipped_bundle_answers_without_network() -> None:
    found = find("Microsoft.Network/virtualNetworks", "2026-01-01", allow_download=False)
    assert found is not None and found.source.kind == "bundle" and not found.exact
    assert found.name == bundle.shipped().substitutes["Microsoft.Network/virtualNetworks@2026-01-01"]
    assert find("Microsoft.KeyVault/vaults", "2026-02-01", allow_download=False).exact  # type: ignore[union-attr]


def test_a_bundle_is_pruned_renumbered_and_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = write_tree(tmp_path / "generated", {WIDGETS: ["2024-01-01"], GADGETS: ["2024-01-01"]}, False)
    monkeypatch.setattr(
        bundle, "catalog_types", lambda: [(WIDGETS, "2025-01-01"), ("Contoso.Widgets/absent", "2025-01-01")]
    )
    first, second = tmp_path / "first.json.gz", tmp_path / "second.json.gz"
    report = bundle.build(generated, "0" * 40, first)
    bundle.build(generated.parent, "0" * 40, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\0\0\0\0"  # gzip without a time stamp
    assert report.substitutes == {f"{WIDGETS}@2025-01-01": f"{WIDGETS}@2024-01-01"}
    assert report.missing == ("Contoso.Widgets/absent@2025-01-01",)
    built = bundle.read(first)
    nodes = built.files["widgets/contoso.widgets/2024-01-01/types.json"]
    assert [node["$type"] for node in nodes] == ["StringType", "ObjectType", "ResourceType", "StringLiteralType"]
    assert nodes[1]["properties"] == {
        "name": {"type": {"$ref": "#/0"}, "flags": 9},
        "description": {"type": {"$ref": "#/0"}, "flags": 0},
        "version": {"type": {"$ref": "#/3"}, "flags": 2},
    }
    assert nodes[2]["body"] == {"$ref": "#/1"}
    assert built.find(WIDGETS, "2025-01-01") is not None


def test_a_bundle_cannot_be_built_from_a_folder_without_schemas(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="--from"):
        bundle.build(tmp_path, None, tmp_path / "out.json.gz")


def strip_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: strip_descriptions(value) for key, value in node.items() if key != "description"}
    if isinstance(node, list):
        return [strip_descriptions(value) for value in node]
    return node


class AnyNumber(dict):
    """Renumbers every reference to 0: nodes compared without their references."""

    def __missing__(self, key: int) -> int:
        return 0


def same_structure(left: list[dict[str, Any]], right: list[dict[str, Any]], start: tuple[int, int]) -> bool:
    """Whether two nodes are equal once references are followed (each pair compared once, so cycles end)."""
    compared: set[tuple[int, int]] = set()
    pending = [start]
    while pending:
        pair = pending.pop()
        if pair in compared:
            continue
        compared.add(pair)
        a, b = left[pair[0]], right[pair[1]]
        if bundle.renumbered(strip_descriptions(a), AnyNumber()) != bundle.renumbered(
            strip_descriptions(b), AnyNumber()
        ):
            return False
        pending.extend(zip(bundle.references(a), bundle.references(b), strict=True))
    return True


@pytest.mark.skipif(not SHARED_SCHEMAS.is_dir(), reason="the reference schemas are not on this machine")
def test_the_bundle_bodies_equal_the_originals_without_descriptions(shipped: dict[str, Any]) -> None:
    compared = 0
    for name, ref in shipped["resources"].items():
        path, _, number = ref["$ref"].partition("#/")
        original_file = SHARED_SCHEMAS / path
        if not original_file.is_file():
            continue  # a substitute version the reference copy lacks
        original = json.loads(original_file.read_bytes())
        start = next(i for i, node in enumerate(original) if node.get("name") == name)
        assert same_structure(shipped["files"][path], original, (int(number), start)), name
        compared += 1
    assert compared >= len(shipped["resources"]) * 3 // 4
