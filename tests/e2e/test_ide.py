"""IDE integration: `avm ide vscode` tasks and `avm schema` for answers files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.paths import DATA_DIR
from tests.support.cli import run_avm, tree

USER_TASKS = """{
  // my own build
  "version": "2.0.0",
  "tasks": [
    {"label": "build", "type": "shell", "command": "make", /* inline */ },
  ],
  "inputs": [{"id": "target", "type": "promptString", "description": "Target"},],
}
"""


def tasks_of(workspace: Path) -> dict:
    return json.loads((workspace / ".vscode" / "tasks.json").read_text())


def test_vscode_tasks_are_written_with_inputs_and_the_problem_matcher(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm("ide", "vscode", str(tmp_path), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    document = tasks_of(tmp_path)
    labels = [t["label"] for t in document["tasks"]]
    assert labels == [
        "avm: new resource module",
        "avm: new pattern module",
        "avm: new utility module",
        "avm: check",
        "avm: check module",
        "avm: regenerate",
        "avm: update",
        "avm: diff",
        "avm: add child",
        "avm: add interface",
        "avm: docs",
        "avm: docs check",
        "avm: release preview",
    ]
    check = document["tasks"][3]
    assert check["command"] == "avm check" and check["problemMatcher"] == json.loads(
        (DATA_DIR / "vscode_problem_matcher.json").read_text()
    )
    used = {part.split("}")[0] for t in document["tasks"] for part in t["command"].split("${input:")[1:]}
    assert used == {i["id"] for i in document["inputs"]}
    language = next(i for i in document["inputs"] if i["id"] == "avmLanguage")
    assert language["type"] == "pickString" and language["options"] == ["bicep", "terraform"]
    interface = next(i for i in document["inputs"] if i["id"] == "avmInterface")
    assert interface["type"] == "pickString" and "role-assignments" in interface["options"]
    child = next(i for i in document["inputs"] if i["id"] == "avmChildType")
    assert child["type"] == "promptString"  # no module in the workspace: no child types to pick from


def test_the_child_picker_offers_the_child_types_of_the_workspaces_modules(tmp_path: Path, avm_cache: Path) -> None:
    made = run_avm(
        "new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--defaults",
        "--index", "none", "-o", str(tmp_path / "kv"), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    assert run_avm("ide", "vscode", str(tmp_path), cwd=tmp_path, cache=avm_cache).code == 0
    child = next(i for i in tasks_of(tmp_path)["inputs"] if i["id"] == "avmChildType")
    assert child["type"] == "pickString" and child["options"] == ["accessPolicies", "keys", "secrets"]


def test_vscode_tasks_merge_with_the_users_own_and_are_idempotent(tmp_path: Path, avm_cache: Path) -> None:
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "tasks.json").write_text(USER_TASKS)
    first = run_avm("ide", "vscode", cwd=tmp_path, cache=avm_cache)
    assert first.code == 0 and "comments" in first.stderr
    document = tasks_of(tmp_path)
    assert document["tasks"][0] == {"label": "build", "type": "shell", "command": "make"}
    assert document["inputs"][0]["id"] == "target"
    before = tree(tmp_path)
    second = run_avm("ide", "vscode", "--json", cwd=tmp_path, cache=avm_cache)
    assert second.code == 0 and second.json["changed"] is False
    assert tree(tmp_path) == before


def test_vscode_dry_run_writes_nothing(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm("ide", "vscode", "--dry-run", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0 and "would write" in result.stdout
    assert not (tmp_path / ".vscode").exists()


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("schema")
    result = run_avm("schema", cwd=root, cache=root / "cache")
    assert result.code == 0
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


@pytest.mark.parametrize(
    "args",
    [
        ("resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets",
         "--publish-child", "keys"),
        ("resource", "--lang", "terraform", "--provider", "Microsoft.Storage", "--type", "storageAccounts"),
        ("pattern", "--lang", "bicep", "--name", "app/stack", "--uses", "avm/res/key-vault/vault@0.13.0"),
        ("utility", "--lang", "terraform", "--name", "general/deploy-script", "--deploys"),
    ],
    ids=["bicep-resource", "terraform-resource", "pattern", "utility"],
)  # fmt: skip
def test_answers_files_follow_the_schema(args: tuple[str, ...], schema: dict, tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "m"
    assert (
        run_avm("new", *args, "--defaults", "--index", "none", "-o", str(out), cwd=tmp_path, cache=avm_cache).code == 0
    )
    answers = yaml.safe_load((out / ".copier-answers.yml").read_text())
    jsonschema.validate(answers, schema)


@pytest.mark.parametrize(
    "answers",
    [
        {"module_class": "resource", "language": "bicep", "colour": "blue"},
        {"module_class": "resource", "language": "bicep"},
        {"module_class": "pattern", "language": "bicep", "module_name": "a/b", "provider_namespace": "Microsoft.X"},
        {"module_class": "utility", "language": "cobol", "module_name": "a/b"},
    ],
    ids=["unknown-key", "resource-without-type", "pattern-with-provider", "language"],
)
def test_the_schema_rejects_bad_answers(answers: dict, schema: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answers, schema)
