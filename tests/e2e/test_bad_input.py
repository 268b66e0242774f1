"""Bad input, across every command: exit 2, one line naming the field and the rule, no traceback, nothing written."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import run_avm, tree

KV = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults")
PTN = ("new", "pattern", "--lang", "bicep")


def write(name: str, text: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return setup


def write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)

    return setup


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
RANDOM = bytes(random.Random(7).randrange(256) for _ in range(512))


def module(root: Path) -> None:
    """A generated module in `mod/` (copied from the session's reference) for the lifecycle commands."""
    shutil.copytree(REFERENCE, root / "mod")


def symlinked_child(root: Path) -> None:
    """An output folder whose child folder is a link to a folder outside it."""
    (root / "outside").mkdir()
    (root / "out").mkdir()
    (root / "out" / "secret").symlink_to(root / "outside", target_is_directory=True)


def terraform_submodule(root: Path) -> None:
    write("tf/main.tf", "")(root)
    write("tf/modules/child/main.tf", "")(root)


def multi_scope(root: Path) -> None:
    write("ms/main.bicep", "targetScope = 'managementGroup'\n")(root)
    write("ms/rg-scope/main.bicep", "param name string\n")(root)
    write("ms/rg-scope/version.json", '{"version": "0.1"}\n')(root)


def nothing(root: Path) -> None:
    return None


# (id, arguments, what to prepare in the working folder, the field the message must start with)
CASES: list[tuple[str, tuple[str, ...], Callable[[Path], None], str]] = [
    ("namespace", (*KV[:4], "--provider", "KeyVault", "--type", "vaults"), nothing, "provider:"),
    ("namespace-dots", (*KV[:4], "--provider", "Microsoft..KeyVault", "--type", "vaults"), nothing, "provider:"),
    ("type-nested", (*KV[:6], "--type", "vaults/secrets"), nothing, "type:"),
    ("type-symbols", (*KV[:6], "--type", "vault$"), nothing, "type:"),
    ("interface", (*KV, "--interfaces", "lock,bogus"), nothing, "interfaces:"),
    ("set-unknown", (*KV, "--set", "nonsense=1"), nothing, "set:"),
    ("set-no-value", (*KV, "--set", "language"), nothing, "set:"),
    ("set-bad-list", (*KV, "--set", "children=[a, b"), nothing, "set:"),
    ("data-file-yaml", (*KV, "--data-file", "bad.yml"), write("bad.yml", "language: [bicep\n"), "data-file:"),
    ("data-file-list", (*KV, "--data-file", "list.yml"), write("list.yml", "- bicep\n"), "data-file:"),
    ("data-file-missing", (*KV, "--data-file", "missing.yml"), nothing, "data-file:"),
    ("data-file-key", (*KV, "--data-file", "k.yml"), write("k.yml", "colour: blue\n"), "data-file:"),
    ("data-file-png", (*KV, "--data-file", "a.png"), write_bytes("a.png", PNG), "data-file:"),
    ("data-file-random", (*KV, "--data-file", "r.yml"), write_bytes("r.yml", RANDOM), "data-file:"),
    ("data-file-folder", (*KV, "--data-file", "."), nothing, "data-file:"),
    ("index-missing", (*KV, "--index", "missing.csv"), nothing, "--index:"),
    ("from-missing", ("catalog", "refresh", "--from", "missing.json"), nothing, "--from:"),
    ("adopt-missing", ("adopt", "nowhere"), nothing, "path:"),
    ("diff-missing", ("diff", "nowhere"), nothing, "path:"),
    ("regenerate-binary-answers", ("regenerate", "bin"), write_bytes("bin/.copier-answers.yml", RANDOM), "answers:"),
    ("child-escape", (*KV, "--child", "../secrets"), nothing, "child:"),
    ("child-absolute", (*KV, "--child", "/etc/secrets"), nothing, "child:"),
    ("name-escape", (*PTN, "--name", "../x"), nothing, "name:"),
    ("name-escape-inner", (*PTN, "--name", "a/../../b"), nothing, "name:"),
    ("name-absolute", (*PTN, "--name", "/abs/path"), nothing, "name:"),
    ("name-no-category", (*PTN, "--name", "monitoring"), nothing, "name:"),
    ("uses-no-version", (*PTN, "--name", "a/b", "--uses", "avm/res/key-vault/vault"), nothing, "uses:"),
    ("deploys-on-pattern", (*PTN, "--name", "a/b", "--deploys"), nothing, "deploys:"),
    ("output-not-empty", (*KV, "-o", "full"), write("full/file.txt", "x"), "output:"),
    ("output-is-file", (*KV, "-o", "afile"), write("afile", "x"), "output:"),
    ("output-symlink-out", (*KV, "--child", "secrets", "--force", "-o", "out"), symlinked_child, "output:"),
    ("unknown-class", ("new", "widget"), nothing, "class:"),
    ("class-by-set", (*KV, "--set", "module_class=widget"), nothing, "module_class:"),
    ("missing-lang", ("new", "resource", "--provider", "Microsoft.KeyVault", "--type", "vaults"), nothing, "lang:"),
    ("missing-name", PTN, nothing, "name:"),
    ("api-version", (*KV, "--api-version", "2024"), nothing, "api_version:"),
    ("owner", (*KV, "--owner", "not a handle!"), nothing, "owner:"),
    ("language", ("new", "resource", "--lang", "cobol", "--provider", "Microsoft.KeyVault", "--type", "vaults"),
     nothing, "language:"),
    ("description-newline", (*KV, "--data-file", "d.yml"), write("d.yml", "description: |\n  one\n  two\n"),
     "description:"),
    ("check-format", ("check", "--format", "xml"), nothing, "format:"),
    ("check-rule", ("check", "--select", "NOPE1"), nothing, "select:"),
    ("check-path", ("check", "nowhere"), nothing, "path:"),
    ("check-severity", ("check", "--min-severity", "fatal"), nothing, "min-severity:"),
    ("update-path", ("update", "nowhere"), nothing, "path:"),
    ("update-not-generated", ("update", "plain"), write("plain/main.bicep", "metadata name = 'x'\n"), "path:"),
    ("update-conflict-style", ("update", "mod", "--conflict", "both"), module, "conflict:"),
    ("update-all-empty", ("update", "--all", "."), nothing, "all:"),
    ("diff-all-missing", ("diff", "--all", "nowhere"), nothing, "all:"),
    ("regenerate-answers", ("regenerate", "broken"), write("broken/.copier-answers.yml", "language: [\n"), "answers:"),
    ("adopt-empty", ("adopt", "empty"), write("empty/readme.txt", "x"), "path:"),
    ("adopt-again", ("adopt", "mod"), module, "path:"),
    ("release-path", ("release", "nowhere"), nothing, "path:"),
    ("release-not-a-module", ("release", "empty"), write("empty/readme.txt", "x"), "path:"),
    ("release-not-in-git", ("release", "mod", "--bump", "minor"), module, "path:"),
    ("release-bump", ("release", "mod", "--bump", "huge"), module, "bump:"),
    ("release-submodule", ("release", "tf/modules/child"), terraform_submodule, "path:"),
    ("release-multi-scope", ("release", "ms"), multi_scope, "path:"),
    ("templates-lang", ("templates", "env", "--lang", "cobol"), nothing, "lang:"),
    ("ide-tasks", ("ide", "vscode", "."), write(".vscode/tasks.json", "{ nope"), "tasks:"),
    ("unknown-command", ("frobnicate",), nothing, "command:"),
]  # fmt: skip

REFERENCE: Path


@pytest.fixture(scope="module", autouse=True)
def reference(tmp_path_factory: pytest.TempPathFactory) -> None:
    global REFERENCE
    root = tmp_path_factory.mktemp("reference")
    REFERENCE = root / "mod"
    result = run_avm(*KV, "--defaults", "--index", "none", "-o", str(REFERENCE), cwd=root, cache=root / "cache")
    assert result.code == 0, result.stderr


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("case_id", "args", "setup", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(
    case_id: str, args: tuple[str, ...], setup: Callable[[Path], None], field: str, tmp_path: Path, avm_cache: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    setup(work)
    before = tree(work)
    named_index = "--index" in args
    extra = ("--index", "none") if args[:1] == ("new",) and args[1:2] != ("widget",) and not named_index else ()
    result = run_avm(*args, *extra, cwd=work, cache=avm_cache)
    lines = result.stderr.strip().splitlines()
    assert result.code == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"avm: error: {field}"), result.stderr
    assert len(lines[0]) > len(f"avm: error: {field}") + 10  # the rule, not just the field
    assert "Traceback" not in result.stderr + result.stdout
    assert tree(work) == before
