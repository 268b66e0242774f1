"""End to end: `avm release` on modules made by `avm new`, committed (and tagged) in a git repository of their own,
then edited."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.support.cli import Result, run_avm, tree

BICEP = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--defaults")
TERRAFORM = ("new", "resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults")


def git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def generated(tmp_path: Path, cache: Path, command: tuple[str, ...], *, commit: bool = True) -> Path:
    out = tmp_path / "module"
    result = run_avm(*command, "--defaults", "--index", "none", "-o", str(out), cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    git("init", "-q", "-b", "main", cwd=out)
    if commit:
        git("add", "-A", cwd=out)
        git("commit", "-q", "-m", "generated", cwd=out)
    return out


def files(module: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(module).items() if not k.startswith(".git/")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def release(module: Path, cache: Path, *args: str) -> Result:
    return run_avm("release", *args, cwd=module, cache=cache)


NEW_PARAM = "\n@description('Optional. The zone.')\nparam zone string?\n"


@pytest.fixture
def bicep(tmp_path: Path, avm_cache: Path) -> Path:
    """A generated Bicep module, released at 0.1.0 (the commit that set version.json), with a new optional
    parameter added since."""
    module = generated(tmp_path, avm_cache, BICEP)
    with (module / "main.bicep").open("a") as handle:
        handle.write(NEW_PARAM)
    return module


def test_bicep_feature_writes_version_json_and_changelog(bicep: Path, avm_cache: Path) -> None:
    result = release(bicep, avm_cache, "--change", "Added the zone parameter")
    assert result.code == 0, result.stderr
    assert re.search(r"^feature +added \(optional\) +parameter zone$", result.stdout, re.M)
    assert json.loads((bicep / "version.json").read_text())["version"] == "0.2"
    changelog = (bicep / "CHANGELOG.md").read_text()
    entry = "## 0.2.0\n\n### Changes\n\n- Added the zone parameter\n\n### Breaking Changes\n\n- None\n\n## 0.1.0\n"
    assert entry in changelog
    assert changelog.index("## 0.2.0") < changelog.index("## 0.1.0")
    again = release(bicep, avm_cache)  # the entry is there already: nothing is written twice
    assert again.code == 0 and "already has the entry" in again.stdout
    assert (bicep / "CHANGELOG.md").read_text() == changelog


def test_bicep_releases_without_tags_are_read_from_version_json_and_changelog_history(
    bicep: Path, avm_cache: Path
) -> None:
    assert release(bicep, avm_cache).code == 0
    git("commit", "-q", "-am", "release 0.2.0", cwd=bicep)
    with (bicep / "README.md").open("a") as handle:
        handle.write("\nMore words.\n")
    patch = release(bicep, avm_cache, "--json")
    assert patch.code == 0, patch.stderr
    assert (patch.json["previous"]["version"], patch.json["previous"]["source"]) == ("0.2.0", "version.json")
    assert (patch.json["level"], patch.json["version"]) == ("fix", "0.2.1")
    git("commit", "-q", "-am", "release 0.2.1", cwd=bicep)
    after = release(bicep, avm_cache)
    assert after.code == 0 and "last release: 0.2.1 (CHANGELOG.md," in after.stdout
    assert "nothing to release" in after.stdout


def test_bicep_fix_after_a_tag_bumps_the_patch_and_keeps_version_json(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache, BICEP)
    git("tag", "avm/res/key-vault/vault/0.1.3", cwd=module)
    edit(module / "main.bicep", "Optional. Location for all resources.", "Optional. Location of every resource.")
    version_json = (module / "version.json").read_bytes()
    result = release(module, avm_cache, "--json")
    assert result.code == 0, result.stderr
    report = result.json
    assert (report["level"], report["version"], report["bump"]) == ("fix", "0.1.4", "patch")
    assert report["previous"]["source"] == "tag avm/res/key-vault/vault/0.1.3"
    assert report["tag"] == "avm/res/key-vault/vault/0.1.4"
    assert {"path": "version.json", "action": "unchanged"} in report["files"]
    assert (module / "version.json").read_bytes() == version_json
    assert "## 0.1.4" in (module / "CHANGELOG.md").read_text()


def test_a_version_json_raised_by_hand_is_the_bump_it_stands_for(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache, BICEP)
    edit(module / "version.json", '"0.1"', '"0.2"')
    edit(module / "main.bicep", "Optional. Location for all resources.", "Optional. Location of every resource.")
    result = release(module, avm_cache, "--json")
    assert result.code == 0, result.stderr
    assert (result.json["level"], result.json["bump"], result.json["version"]) == ("fix", "minor", "0.2.0")
    assert {"path": "version.json", "action": "unchanged"} in result.json["files"]


def test_dry_run_writes_nothing_and_prints_the_entry(bicep: Path, avm_cache: Path) -> None:
    before = files(bicep)
    result = release(bicep, avm_cache, "--dry-run")
    assert result.code == 0, result.stderr
    assert "would write CHANGELOG.md" in result.stdout and "  ## 0.2.0" in result.stdout
    assert files(bicep) == before


def test_a_smaller_bump_than_needed_is_refused_unless_forced(bicep: Path, avm_cache: Path) -> None:
    before = files(bicep)
    refused = release(bicep, avm_cache, "--bump", "patch")
    assert refused.code == 2
    assert refused.stderr.strip().splitlines() == [
        "avm: error: bump: patch is smaller than the feature change needs; give --bump minor, or --force to go ahead"
    ]
    assert files(bicep) == before
    forced = release(bicep, avm_cache, "--bump", "patch", "--force", "--json")
    assert forced.code == 0, forced.stderr
    assert forced.json["version"] == "0.1.1"
    assert "## 0.1.1" in (bicep / "CHANGELOG.md").read_text()


def test_json_shape(bicep: Path, avm_cache: Path) -> None:
    edit(bicep / "main.bicep", "param name string", "param vaultName string")
    result = release(bicep, avm_cache, "--json", "--dry-run")
    assert result.code == 0, result.stderr
    report = result.json
    assert set(report) == {
        "module", "name", "language", "previous", "level", "changes", "required_bump", "bump", "version", "tag", "files",
        "dry_run", "entry",
    }  # fmt: skip
    assert report["level"] == "breaking" and report["required_bump"] == "minor" and report["version"] == "0.2.0"
    assert {"level": "breaking", "kind": "renamed", "subject": "parameter name", "detail": "now vaultName"} in report[
        "changes"
    ]
    assert report["previous"]["version"] == "0.1.0" and report["dry_run"] is True
    assert "### Breaking Changes\n\n- Renamed: `parameter name` (now vaultName)" in report["entry"]


def test_terraform_first_release_then_a_breaking_change(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache, TERRAFORM)
    before = files(module)
    refused = release(module, avm_cache)
    assert refused.code == 2
    assert "no previous release" in refused.stderr and "--bump minor" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and files(module) == before

    first = release(module, avm_cache, "--bump", "minor")
    assert first.code == 0, first.stderr
    assert "next tag: v0.1.0" in first.stdout
    today = datetime.now(timezone.utc).date().isoformat()
    assert f"## [0.1.0] - {today}\n\n### Added\n\n- Initial version\n" in (module / "CHANGELOG.md").read_text()
    git("add", "-A", cwd=module)
    git("commit", "-q", "-m", "release 0.1.0", cwd=module)
    git("tag", "v0.1.0", cwd=module)

    edit(
        module / "variables.tf",
        'contains(["standard", "premium"], var.sku.name)',
        'contains(["premium"], var.sku.name)',
    )
    result = release(module, avm_cache)
    assert result.code == 0, result.stderr
    assert re.search(r"^breaking +type narrowed +variable sku.name +allowed values removed", result.stdout, re.M)
    assert "next tag: v0.2.0" in result.stdout
    assert git("tag", cwd=module).split() == ["v0.1.0"]  # the tag is only printed
    changelog = (module / "CHANGELOG.md").read_text()
    assert changelog.index(f"## [0.2.0] - {today}") < changelog.index("## [0.1.0]")
    assert '- **Breaking:** Type narrowed: `variable sku.name` (allowed values removed: "standard")' in changelog


def test_bicep_first_release_of_a_module_not_yet_committed(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache, BICEP, commit=False)
    assert release(module, avm_cache).code == 2
    before = files(module)
    result = release(module, avm_cache, "--bump", "minor", "--json")
    assert result.code == 0, result.stderr
    assert (result.json["version"], result.json["previous"]) == ("0.1.0", None)
    assert {f["action"] for f in result.json["files"]} == {"unchanged", "kept"}  # avm new wrote both already
    assert files(module) == before


def test_nothing_changed_is_nothing_to_release(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache, BICEP)
    result = release(module, avm_cache)
    assert result.code == 0 and "nothing to release" in result.stdout


def test_a_module_that_does_not_parse_is_refused(bicep: Path, avm_cache: Path) -> None:
    with (bicep / "main.bicep").open("a") as handle:
        handle.write("param broken {\n")
    before = files(bicep)
    result = release(bicep, avm_cache)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "does not parse" in result.stderr
    assert "Traceback" not in result.stderr
    assert files(bicep) == before


def test_not_a_git_repository(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "module"
    assert run_avm(*BICEP, "--index", "none", "-o", str(out), cwd=tmp_path, cache=avm_cache).code == 0
    before = files(out)
    result = release(out, avm_cache, "--bump", "minor")
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"avm: error: path: {out} is not in a git repository; avm release reads the last release from git history"
    ]
    assert files(out) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bump", "huge"), "bump: 'huge' is not one of patch, minor, major"),
        (("--change", " "), "change: is empty; say what changed"),
    ],
)
def test_bad_options(bicep: Path, avm_cache: Path, args: tuple[str, ...], message: str) -> None:
    result = release(bicep, avm_cache, *args)
    assert (result.code, result.stderr.strip()) == (2, f"avm: error: {message}")
