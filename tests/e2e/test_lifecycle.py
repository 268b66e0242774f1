"""End to end: `avm update`, `avm regenerate`, `avm diff` and plain copier, over two template versions.

Version A is the running avm; version B is a snapshot of it whose Bicep template changes a generated file
(a README heading) and adds one (SUPPORT.md), as a later release would. B also changes the CHANGELOG entry, which
never arrives: once a module exists, its CHANGELOG.md and version.json are its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.releases import snapshot
from tests.support.brm_fixture import pin_api_version, release
from tests.support.cli import run_avm, tree
from tests.support.versions import CHANGELOG_EDIT, later_version

B = "99.0.0"
KV = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--defaults")
README_EDIT = {
    "bicep/README.md.jinja": (b"readme_text()", b"readme_text() | replace('## Navigation\\n', '## Contents\\n')")
}
EDITED_DESCRIPTION = "'Our vault, edited by hand.'"


def make_version_b(releases: Path) -> None:
    # B also changes a Terraform file that the managed-files sync owns (never touched again once it exists).
    edits = {**README_EDIT, **CHANGELOG_EDIT, "terraform/.gitignore": (b"", b"# added by version B\n")}
    later_version(releases, B, edits)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("releases")
    snapshot(folder, __version__)
    make_version_b(folder)
    return folder


@pytest.fixture
def env(releases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVM_RELEASES_DIR", str(releases))


def git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def made(tmp_path: Path, cache: Path, *extra: str) -> Path:
    """A Key Vault module made by `avm new`, not in git."""
    out = tmp_path / "kv"
    result = run_avm(*KV, "--index", "none", *extra, "-o", str(out), cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    return out


def generated(tmp_path: Path, cache: Path, *extra: str) -> Path:
    """A Key Vault module made by `avm new`, committed to a git repository of its own."""
    out = made(tmp_path, cache, *extra)
    git("init", "-q", "-b", "main", cwd=out)
    git("add", "-A", cwd=out)
    git("commit", "-q", "-m", "generated", cwd=out)
    return out


def files(module: Path) -> dict[str, bytes]:
    """The module's files, without git's own (which `git status` refreshes)."""
    return {k: v for k, v in tree(module).items() if not k.startswith(".git/")}


def recorded_version(module: Path) -> str:
    return yaml.safe_load((module / ".copier-answers.yml").read_text())["_commit"]


def edit_description(module: Path) -> Path:
    main = module / "main.bicep"
    main.write_text(main.read_text().replace("'This module deploys a Key Vault.'", EDITED_DESCRIPTION))
    return main


@pytest.mark.usefixtures("env")
def test_update_keeps_edits_brings_changes_and_marks_conflicts(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    main = edit_description(module)
    (module / "docs.md").write_text("Our own notes.\n")
    readme = module / "README.md"
    readme.write_text(readme.read_text().replace("## Navigation\n", "## Navigation, by us\n"))
    changelog = module / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("- Initial version\n", "- Initial version, by us\n"))
    git("add", "-A", cwd=module)
    git("commit", "-q", "-m", "edits", cwd=module)

    result = run_avm("update", str(module), cwd=tmp_path, cache=avm_cache)
    assert result.code == 1, result.stderr  # a conflict is marked and reported
    assert "conflict: README.md" in result.stderr
    assert EDITED_DESCRIPTION in main.read_text()  # user edit kept
    assert (module / "docs.md").read_text() == "Our own notes.\n"  # user file kept
    assert (module / "SUPPORT.md").is_file()  # B's new file arrived
    text = readme.read_text()
    assert "<<<<<<< before updating" in text and "## Navigation, by us" in text
    assert "## Contents" in text and ">>>>>>> after updating" in text
    # the module's own CHANGELOG: B's entry does not arrive, the edit stays, no conflict
    assert "- Initial version, by us\n" in changelog.read_text() and "of the module" not in changelog.read_text()
    assert recorded_version(module) == f"v{B}"


@pytest.mark.usefixtures("env")
def test_update_without_conflicts_exits_0_and_dry_run_writes_nothing(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    before = files(module)
    dry = run_avm("update", str(module), "--dry-run", "--diff", cwd=tmp_path, cache=avm_cache)
    assert dry.code == 0, dry.stderr
    assert "+## Contents" in dry.stdout and "would change 3 files" in dry.stdout
    assert files(module) == before
    done = run_avm("update", str(module), "--json", cwd=tmp_path, cache=avm_cache)
    assert done.code == 0, done.stderr
    assert done.json["added"] == ["SUPPORT.md"] and done.json["conflicts"] == []
    assert done.json["changed"] == [".copier-answers.yml", "README.md"]  # not CHANGELOG.md: the module's own
    assert "## Contents" in (module / "README.md").read_text()


@pytest.mark.usefixtures("env")
def test_update_refuses_a_dirty_module_unless_allowed(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    edit_description(module)
    before = files(module)
    refused = run_avm("update", str(module), cwd=tmp_path, cache=avm_cache)
    assert refused.code == 2 and "uncommitted changes" in refused.stderr and "--allow-dirty" in refused.stderr
    assert files(module) == before
    allowed = run_avm("update", str(module), "--allow-dirty", cwd=tmp_path, cache=avm_cache)
    assert allowed.code == 0, allowed.stderr


@pytest.mark.usefixtures("env")
def test_regenerate_changes_nothing_on_an_untouched_module_and_restores_edits(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    before = files(module)
    untouched = run_avm("regenerate", str(module), cwd=tmp_path, cache=avm_cache)
    assert untouched.code == 0 and "up to date" in untouched.stdout
    assert files(module) == before
    edit_description(module)
    git("commit", "-q", "-am", "edited", cwd=module)
    restored = run_avm("regenerate", str(module), cwd=tmp_path, cache=avm_cache)
    assert restored.code == 0 and "M main.bicep" in restored.stdout
    assert files(module) == before  # at its own version: B's changes do not arrive


@pytest.mark.usefixtures("env")
def test_diff_reports_drift_for_ci(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    drift = run_avm("diff", str(module), "--check", cwd=tmp_path, cache=avm_cache)
    assert drift.code == 1  # B renders a new CHANGELOG line and SUPPORT.md
    assert "+++ b/SUPPORT.md" in drift.stdout and f"drift from the templates of {B}" in drift.stdout
    assert run_avm("update", str(module), cwd=tmp_path, cache=avm_cache).code == 0
    git("add", "-A", cwd=module)
    git("commit", "-q", "-m", "updated", cwd=module)
    clean = run_avm("diff", str(module), "--check", cwd=tmp_path, cache=avm_cache)
    assert clean.code == 0 and "no drift" in clean.stdout


@pytest.mark.usefixtures("env")
def test_plain_copier_update_works_with_the_printed_environment(tmp_path: Path, avm_cache: Path) -> None:
    module = generated(tmp_path, avm_cache)
    exports = run_avm("templates", "env", "--lang", "bicep", cwd=tmp_path, cache=avm_cache)
    assert exports.code == 0, exports.stderr
    env = {**os.environ, "AVM_CACHE_DIR": str(avm_cache)}
    for line in exports.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    copier = shutil.which("copier", path=str(Path(os.sys.executable).parent)) or "copier"
    done = subprocess.run(
        [copier, "update", "--trust", "--defaults", "--skip-answered"],
        cwd=module,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (module / "SUPPORT.md").is_file() and recorded_version(module) == f"v{B}"


def test_a_module_without_answers_is_refused(tmp_path: Path, avm_cache: Path) -> None:
    (tmp_path / "hand").mkdir()
    result = run_avm("update", str(tmp_path / "hand"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"avm: error: path: {tmp_path / 'hand'} has no .copier-answers.yml; create it with `avm adopt {tmp_path / 'hand'}` first"
    ]


COPIES = 2  # of each of five kinds of module; bench/run.py measures the speed of bulk runs


@pytest.mark.usefixtures("env")
def test_bulk_update_over_ten_modules(tmp_path: Path, avm_cache: Path) -> None:
    root = tmp_path / "repos"
    kinds = [
        ("resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults"),
        ("resource", "--lang", "bicep", "--provider", "Microsoft.Storage", "--type", "storageAccounts"),
        ("pattern", "--lang", "bicep", "--name", "app/stack"),
        ("utility", "--lang", "bicep", "--name", "general/resource-name"),
        ("resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults"),
    ]
    for index, args in enumerate(kinds):
        out = tmp_path / f"seed{index}"
        assert (
            run_avm("new", *args, "--defaults", "--index", "none", "-o", str(out), cwd=tmp_path, cache=avm_cache).code
            == 0
        )
        for copy in range(COPIES):
            shutil.copytree(out, root / f"m{index}{copy}")
    result = run_avm("update", "--all", str(root), "--json", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    by_module = {Path(r["module"]).name: r for r in result.json}
    assert len(by_module) == 5 * COPIES and all(r["error"] is None and r["to_version"] == B for r in by_module.values())
    assert all("SUPPORT.md" in by_module[f"m0{c}"]["added"] for c in range(COPIES))
    # B changed only a Terraform file that the managed-files sync owns, never touched again: only the recorded
    # version moves.
    assert all(by_module[f"m4{c}"]["changed"] == [".copier-answers.yml"] for c in range(COPIES))
    assert all(recorded_version(root / f"m4{c}") == f"v{B}" for c in range(COPIES))
    summary = run_avm("diff", "--all", str(root), "--check", cwd=tmp_path, cache=avm_cache)
    total = 5 * COPIES
    assert summary.code == 0 and summary.stdout.strip().splitlines()[-1] == f"{total} modules: {total} ok"


@pytest.mark.parametrize(
    "args",
    [
        (*KV[1:], "--child", "secrets"),
        ("resource", "--lang", "terraform", "--provider", "Microsoft.Storage", "--type", "storageAccounts",
         "--child", "blobServices/containers", "--defaults"),
        ("pattern", "--lang", "bicep", "--name", "app/stack", "--uses", "avm/res/key-vault/vault@0.13.0", "--defaults"),
        ("utility", "--lang", "terraform", "--name", "general/deploy-script", "--deploys", "--defaults"),
    ],
    ids=["bicep-resource", "terraform-resource", "bicep-pattern", "terraform-utility"],
)  # fmt: skip
def test_adopt_writes_back_the_answers_file(args: tuple[str, ...], tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "module"
    assert run_avm("new", *args, "--index", "none", "-o", str(out), cwd=tmp_path, cache=avm_cache).code == 0
    recorded = (out / ".copier-answers.yml").read_text()
    (out / ".copier-answers.yml").unlink()
    adopted = run_avm("adopt", str(out), "--index", "none", cwd=tmp_path, cache=avm_cache)
    assert adopted.code == 0, adopted.stderr
    assert (out / ".copier-answers.yml").read_text() == recorded
    again = run_avm("adopt", str(out), "--index", "none", cwd=tmp_path, cache=avm_cache)
    assert again.code == 2 and "--force" in again.stderr
    assert run_avm("diff", str(out), "--check", cwd=tmp_path, cache=avm_cache).code == 0


@pytest.mark.usefixtures("env")
def test_externally_managed_files_are_never_touched(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "repo"
    args = ("new", "resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults")
    assert run_avm(*args, "--defaults", "--index", "none", "-o", str(out), cwd=tmp_path, cache=avm_cache).code == 0
    (out / ".gitignore").write_text("# synced by azure-verified-modules-managed-files\n")
    git("init", "-q", "-b", "main", cwd=out)
    git("add", "-A", cwd=out)
    git("commit", "-q", "-m", "generated and synced", cwd=out)
    for command in (("update",), ("regenerate",)):
        result = run_avm(*command, str(out), cwd=tmp_path, cache=avm_cache)
        assert result.code == 0, result.stderr
        assert (out / ".gitignore").read_text() == "# synced by azure-verified-modules-managed-files\n"
        git("add", "-A", cwd=out)
        git("commit", "-q", "--allow-empty", "-m", command[0], cwd=out)


def test_a_foreign_template_is_never_run(tmp_path: Path, avm_cache: Path) -> None:
    """An answers file naming another template (whose tasks would run with our trust) is refused."""
    template = tmp_path / "template"
    template.mkdir()
    (template / "copier.yml").write_text(
        "_tasks:\n  - touch {{ _copier_conf.dst_path }}/../pwned\nname:\n  type: str\n"
    )
    git("init", "-q", "-b", "main", cwd=template)
    git("add", "-A", cwd=template)
    git("commit", "-q", "-m", "evil", cwd=template)
    git("tag", "v1.0.0", cwd=template)
    module = tmp_path / "mod"
    module.mkdir()
    answers = f"_commit: v1.0.0\n_src_path: {template}\nlanguage: bicep\nmodule_class: resource\nname: x\n"
    (module / ".copier-answers.yml").write_text(answers)
    for command in ("update", "regenerate", "diff"):
        result = run_avm(command, str(module), cwd=tmp_path, cache=avm_cache)
        assert result.code == 2 and "avm runs only its own templates" in result.stderr
    assert not (tmp_path / "pwned").exists()


@pytest.mark.usefixtures("env")
def test_update_from_inside_the_module_keeps_its_folder(tmp_path: Path, avm_cache: Path) -> None:
    """Run from inside the module, the update replaces files in place: the folder (the shell's cwd) stays."""
    module = generated(tmp_path, avm_cache)
    inode = module.stat().st_ino
    result = run_avm("update", cwd=module, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert module.stat().st_ino == inode
    assert (module / "SUPPORT.md").is_file() and recorded_version(module) == f"v{B}"


# ---------------------------------------------------------------------------------------------------------------------
# Never losing a user's work
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("env")
def test_regenerate_outside_git_refuses_hand_edits_unless_forced(tmp_path: Path, avm_cache: Path) -> None:
    module = made(tmp_path, avm_cache)
    untouched = run_avm("regenerate", str(module), cwd=tmp_path, cache=avm_cache)
    assert untouched.code == 0 and "up to date" in untouched.stdout, untouched.stderr
    main = edit_description(module)
    (module / "README.md").write_text("Our own README.\n")
    (module / "version.json").unlink()  # a deleted file comes back: nothing is lost by that
    before = files(module)
    refused = run_avm("regenerate", str(module), cwd=tmp_path, cache=avm_cache)
    assert refused.code == 2
    assert refused.stderr.strip().splitlines() == [
        f"avm: error: path: {module.resolve()} is not in git and 2 of its generated files (README.md, main.bicep) "
        f"differ from what its template version {__version__} renders from its answers; regenerating would "
        "overwrite those edits, so nothing was written (--force overwrites them)"
    ]
    assert files(module) == before
    forced = run_avm("regenerate", str(module), "--force", cwd=tmp_path, cache=avm_cache)
    assert forced.code == 0, forced.stderr
    assert EDITED_DESCRIPTION not in main.read_text() and (module / "version.json").is_file()


@pytest.mark.usefixtures("env")
def test_update_outside_git_merges_and_keeps_hand_edits(tmp_path: Path, avm_cache: Path) -> None:
    """A three-way merge keeps edits (and marks conflicts): update needs no --force outside git."""
    module = made(tmp_path, avm_cache)
    main = edit_description(module)
    result = run_avm("update", str(module), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert EDITED_DESCRIPTION in main.read_text() and (module / "SUPPORT.md").is_file()
    assert recorded_version(module) == f"v{B}"


@pytest.mark.usefixtures("env")
def test_an_adopted_released_module_keeps_its_history_version_and_api_versions(tmp_path: Path, avm_cache: Path) -> None:
    module = made(tmp_path, avm_cache, "--child", "secrets", "--publish-child", "keys")
    release(module, "0.14", earlier=("0.13", "0.12"))
    release(module / "key", "0.3", earlier=("0.2",))
    pin_api_version(module / "secret" / "main.bicep", "Microsoft.KeyVault/vaults/secrets", "2024-11-01")
    (module / ".copier-answers.yml").unlink()
    adopted = run_avm("adopt", str(module), "--index", "none", cwd=tmp_path, cache=avm_cache)
    assert adopted.code == 0, adopted.stderr
    answers = yaml.safe_load((module / ".copier-answers.yml").read_text())
    assert answers["module_version"] == "0.14"
    assert {c["type"]: c["api_version"] for c in answers["children"]}["secrets"] == "2024-11-01"
    git("init", "-q", "-b", "main", cwd=module)
    git("add", "-A", cwd=module)
    git("commit", "-q", "-m", "adopted", cwd=module)
    owned = ("CHANGELOG.md", "version.json", "key/CHANGELOG.md", "key/version.json")
    before = {name: (module / name).read_bytes() for name in owned}

    for command in (("regenerate",), ("update",)):
        result = run_avm(*command, str(module), cwd=tmp_path, cache=avm_cache)
        assert result.code == 0, result.stderr
        assert {name: (module / name).read_bytes() for name in owned} == before, command
        # The child keeps its own API version (rendered without schema facts: none is shipped for it offline).
        assert "'Microsoft.KeyVault/vaults/secrets@2024-11-01'" in (module / "secret" / "main.bicep").read_text()
        git("add", "-A", cwd=module)
        git("commit", "-q", "--allow-empty", "-m", command[0], cwd=module)
    (module / "version.json").unlink()  # deleted, it comes back at the module's version, never lower
    assert run_avm("regenerate", str(module), "--allow-dirty", cwd=tmp_path, cache=avm_cache).code == 0
    assert '"version": "0.14"' in (module / "version.json").read_text()


@pytest.mark.usefixtures("env")
def test_answers_of_the_other_language_are_refused_before_anything_runs(tmp_path: Path, avm_cache: Path) -> None:
    bicep = made(tmp_path, avm_cache)
    terraform = tmp_path / "tf"
    args = ("new", "resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults")
    made_tf = run_avm(*args, "--defaults", "--index", "none", "-o", str(terraform), cwd=tmp_path, cache=avm_cache)
    assert made_tf.code == 0, made_tf.stderr
    bicep_answers = (bicep / ".copier-answers.yml").read_bytes()
    shutil.copy(terraform / ".copier-answers.yml", bicep / ".copier-answers.yml")
    (terraform / ".copier-answers.yml").write_bytes(bicep_answers)
    before = {module: files(module) for module in (bicep, terraform)}
    for command in ("update", "regenerate", "diff"):
        for module, says, holds in ((bicep, "terraform", "a Bicep module"), (terraform, "bicep", "a Terraform module")):
            result = run_avm(command, str(module), cwd=tmp_path, cache=avm_cache)
            assert result.code == 2, (command, result.stdout, result.stderr)
            [line] = result.stderr.strip().splitlines()
            assert line.startswith("avm: error: answers: ") and f"says language {says}, but" in line and holds in line
    assert {module: files(module) for module in (bicep, terraform)} == before


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2, reason="needs /proc, 2 cores")
@pytest.mark.usefixtures("env")
def test_the_workers_of_a_killed_bulk_run_end_with_it(tmp_path: Path, avm_cache: Path) -> None:
    import signal
    import sys
    import time

    seed = made(tmp_path, avm_cache)
    for copy in range(6):
        shutil.copytree(seed, tmp_path / "repos" / f"m{copy}")
    env = {**os.environ, "AVM_CACHE_DIR": str(avm_cache)}
    command = [str(Path(sys.executable).with_name("avm")), "update", "--all", str(tmp_path / "repos")]
    parent = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and parent.poll() is None and time.monotonic() < deadline:
        workers = {p for p in _children(parent.pid) if _children(p) or Path(f"/proc/{p}").is_dir()}
        time.sleep(0.05)
    if parent.poll() is not None:
        pytest.skip("the bulk run ended before its workers could be seen")
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "workers outlived their killed parent"
