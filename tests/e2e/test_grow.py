"""`avm add` and `avm remove`: a module grown after `avm new` has the files `avm new` writes with the same parts,
the author's edits stay, and bad requests change nothing (exit 2)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.cli import run_avm, tree

KEY_VAULT = ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults")
EDIT = "// kept by hand"


def new(tmp_path: Path, cache: Path, name: str, language: str, *args: str, parts: tuple[str, ...] = KEY_VAULT) -> Path:
    out = tmp_path / name
    result = run_avm(
        "new", parts[0], "--lang", language, *parts[1:], *args, "--defaults", "--index", "none", "-o", str(out),
        cwd=tmp_path, cache=cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out


def avm(cache: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_avm(*args, "--index", "none", cwd=cache.parent, cache=cache)
    return subprocess.CompletedProcess(args, result.code, result.stdout, result.stderr)


def same_files(first: Path, second: Path) -> bool:
    """The same files and bytes; the answers files compared as data (their key order may differ)."""
    a, b = tree(first), tree(second)
    answers = ".copier-answers.yml"
    if yaml.safe_load(a.pop(answers, b"")) != yaml.safe_load(b.pop(answers, b"")):
        return False
    return a == b


def committed(module: Path) -> Path:
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "generated")):
        subprocess.run(["git", *args], cwd=module, check=True, capture_output=True)
    return module


def files(module: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(module).items() if not k.startswith(".git/")}


@pytest.mark.parametrize("language", ["bicep", "terraform"])
def test_add_then_remove_a_child_matches_new(language: str, tmp_path: Path, avm_cache: Path) -> None:
    start = new(tmp_path, avm_cache, "start", language)
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    added = avm(avm_cache, "add", "child", "secrets", str(grown))
    assert added.returncode == 0, added.stderr
    assert "adds the child secrets" in added.stdout
    assert same_files(grown, new(tmp_path, avm_cache, "with-secrets", language, "--child", "secrets"))
    removed = avm(avm_cache, "remove", "child", "secrets", str(grown))
    assert removed.returncode == 0, removed.stderr
    assert same_files(grown, start)


def test_add_then_remove_an_interface_matches_new(tmp_path: Path, avm_cache: Path) -> None:
    start = new(tmp_path, avm_cache, "start", "bicep", "--interfaces", "lock,tags")
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    added = avm(avm_cache, "add", "interface", "role-assignments", str(grown), "--json")
    assert added.returncode == 0, added.stderr
    report = yaml.safe_load(added.stdout)
    assert report["summary"] == "adds the interface role-assignments" and report["conflicts"] == []
    expected = new(tmp_path, avm_cache, "expected", "bicep", "--interfaces", "lock,role-assignments,tags")
    assert same_files(grown, expected)
    assert avm(avm_cache, "remove", "interface", "role-assignments", str(grown)).returncode == 0
    assert same_files(grown, start)


def test_add_a_property_matches_new_with_that_selection(tmp_path: Path, avm_cache: Path) -> None:
    start = new(tmp_path, avm_cache, "start", "bicep", "--properties", "required")
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    assert avm(avm_cache, "add", "property", "enableRbacAuthorization", str(grown)).returncode == 0
    expected = new(tmp_path, avm_cache, "expected", "bicep", "--properties", "enableRbacAuthorization")
    assert same_files(grown, expected)
    assert avm(avm_cache, "remove", "property", "enableRbacAuthorization", str(grown)).returncode == 0
    assert same_files(grown, start)


def test_add_a_used_module_to_a_pattern_matches_new(tmp_path: Path, avm_cache: Path) -> None:
    pattern = ("pattern", "--name", "app/stack")
    kv, st = "avm/res/key-vault/vault@0.13.0", "avm/res/storage/storage-account@0.20.0"
    start = new(tmp_path, avm_cache, "start", "bicep", "--uses", kv, parts=pattern)
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    assert avm(avm_cache, "add", "uses", st, str(grown)).returncode == 0
    assert same_files(grown, new(tmp_path, avm_cache, "expected", "bicep", "--uses", kv, "--uses", st, parts=pattern))
    assert avm(avm_cache, "remove", "uses", "avm/res/storage/storage-account", str(grown)).returncode == 0
    assert same_files(grown, start)


@pytest.mark.parametrize(("language", "main"), [("bicep", "main.bicep"), ("terraform", "main.tf")])
def test_a_hand_edit_survives_an_add(language: str, main: str, tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, "module", language)
    comment = EDIT if language == "bicep" else EDIT.replace("//", "#")
    (module / main).write_text((module / main).read_text() + f"\n{comment}\n")
    added = avm(avm_cache, "add", "child", "secrets", str(module))
    assert added.returncode == 0, added.stderr
    assert comment in (module / main).read_text()
    assert (module / ("secret/main.bicep" if language == "bicep" else "modules/secret/main.tf")).is_file()
    for source in module.rglob("main.bicep"):  # stands in for `bicep build`: there is no compiler here
        if "tests" not in source.relative_to(module).parts:
            source.with_suffix(".json").write_text("{}\n")
    checked = run_avm("check", str(module), cwd=tmp_path, cache=avm_cache)
    assert checked.code == 0, checked.stdout


def test_a_removal_keeps_edited_files_and_names_them(tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, "module", "bicep", "--child", "secrets", "--child", "keys")
    edited = module / "secret" / "main.bicep"
    edited.write_text(edited.read_text() + f"\n{EDIT}\n")
    removed = avm(avm_cache, "remove", "child", "secrets", str(module))
    assert removed.returncode == 0, removed.stderr
    assert edited.is_file() and EDIT in edited.read_text()
    assert not (module / "secret" / "README.md").exists()
    assert [line for line in removed.stderr.splitlines() if line.startswith("kept:")] == [
        "kept: secret/main.bicep (edited since it was generated; remove it by hand if it should go)"
    ]
    assert "module secret_" not in (module / "main.bicep").read_text()


def test_overlapping_edits_become_conflicts(tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, "module", "bicep")
    readme = module / "README.md"
    lines = readme.read_text().splitlines(keepends=True)
    # The rows around the one the child adds to the resource types table.
    row = next(i for i, line in enumerate(lines) if line.startswith("| `Microsoft.KeyVault/vaults` |"))
    lines[row : row + 2] = ["| The vault | edited |\n", "| The endpoints | edited |\n"]
    readme.write_text("".join(lines))
    rejected = tmp_path / "rejected"
    shutil.copytree(module, rejected)
    inline = avm(avm_cache, "add", "child", "secrets", str(module))
    assert inline.returncode == 1 and "conflict: README.md" in inline.stderr
    assert "<<<<<<< before updating" in readme.read_text()
    as_rej = avm(avm_cache, "add", "child", "secrets", str(rejected), "--conflict", "rej")
    assert as_rej.returncode == 1 and (rejected / "README.md.rej").is_file()
    assert "| The vault | edited |" in (rejected / "README.md").read_text()


def test_dry_run_and_diff_write_nothing(tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, "module", "bicep")
    before = files(module)
    dry = avm(avm_cache, "add", "child", "secrets", str(module), "--dry-run", "--diff")
    assert dry.returncode == 0, dry.stderr
    assert "would change 6 files" in dry.stdout and "+++ b/secret/main.bicep" in dry.stdout
    assert files(module) == before


def test_a_module_from_an_older_release_grows_with_its_own_templates(tmp_path: Path, avm_cache: Path) -> None:
    from generator.releases import releases
    from tests.e2e.test_release_upgrades import made_by

    old = next((r for r in reversed(releases()) if r.snapshot is not None), None)
    if old is None:
        pytest.skip("no released snapshot")
    module = tmp_path / "old"
    made_by(old, "bicep", module, avm_cache)
    version = yaml.safe_load((module / ".copier-answers.yml").read_text())["_commit"]
    removed = avm(avm_cache, "remove", "child", "secrets", str(module))
    assert removed.returncode == 0, removed.stderr
    assert yaml.safe_load((module / ".copier-answers.yml").read_text())["_commit"] == version
    assert not (module / "secret").exists()


BAD = [
    (("add", "child", "nothing"), "child: 'nothing' is not a child type of Microsoft.KeyVault/vaults"),
    (("add", "child", "secrets"), "child: secrets is already a child of the module"),
    (("remove", "child", "keys"), "child: 'keys' is not a child of the module (it has: secrets)"),
    (("add", "interface", "managed-identities"), "interface: managed-identities: Microsoft.KeyVault/vaults cannot"),
    (("add", "interface", "locks"), "interface: 'locks' is not an interface"),
    (("remove", "interface", "customer-managed-key"), "interface: the module has no customer-managed-key interface"),
    (("add", "property", "nothing"), "property: 'nothing' is not a writable property of Microsoft.KeyVault/vaults"),
    (("add", "property", "sku"), "property: the module has sku already (properties: all)"),
    (("remove", "property", "tenantId"), "property: tenantId is required by Microsoft.KeyVault/vaults"),
    (("add", "uses", "avm/res/key-vault/vault@0.13.0"), "uses: add uses applies to pattern modules"),
    (("add", "child", "keys", "--publish", "--conflict", "theirs"), "conflict: 'theirs' is not inline or rej"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_requests_change_nothing(args: tuple[str, ...], message: str, tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, "module", "bicep", "--child", "secrets")
    before = files(module)
    result = avm(avm_cache, *args[:3], str(module), *args[3:])
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"avm: error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert files(module) == before


def test_a_dirty_module_or_one_without_answers_is_refused(tmp_path: Path, avm_cache: Path) -> None:
    module = committed(new(tmp_path, avm_cache, "module", "bicep"))
    (module / "main.bicep").write_text((module / "main.bicep").read_text() + f"\n{EDIT}\n")
    before = files(module)
    dirty = avm(avm_cache, "add", "child", "secrets", str(module))
    assert dirty.returncode == 2 and "uncommitted changes" in dirty.stderr and "--allow-dirty" in dirty.stderr
    assert files(module) == before
    assert avm(avm_cache, "add", "child", "secrets", str(module), "--allow-dirty").returncode == 0
    (module / ".copier-answers.yml").unlink()
    adopted = avm(avm_cache, "add", "child", "keys", str(module))
    assert adopted.returncode == 2 and "avm adopt" in adopted.stderr


def test_a_child_published_later_is_wired_into_the_registry_checkout(tmp_path: Path, avm_cache: Path) -> None:
    from tests.support.brm_fixture import ALLOWED_LIST, make_registry

    registry = make_registry(tmp_path / "brm")
    module = registry / "avm" / "res" / "key-vault" / "vault"
    made = run_avm(
        "new", *KEY_VAULT, "--lang", "bicep", "--defaults", "--index", "none", "-o", str(module),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    added = avm(avm_cache, "add", "child", "accessPolicies", str(module), "--publish", "--json")
    assert added.returncode == 0, added.stderr
    assert f"update {ALLOWED_LIST}" in yaml.safe_load(added.stdout)["registry_files"]
    assert "avm/res/key-vault/vault/access-policy" in (registry / ALLOWED_LIST).read_text()
    assert (module / "access-policy" / "version.json").is_file()
