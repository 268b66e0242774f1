"""Tests of `generator.repo`: wiring a new module into a bicep-registry-modules checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.errors import EnvironmentProblemError
from generator.repo import (
    ALLOWED_LIST,
    CODEOWNERS,
    ISSUE_TEMPLATE,
    RepoChange,
    apply_wiring,
    culture_key,
    find_registry_root,
    plan_wiring,
)
from tests.support.brm_fixture import CODEOWNERS_TEXT, ISSUE_TEMPLATE_TEXT, REVIEWERS, make_registry


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "brm")


def changes_by_path(changes: list[RepoChange]) -> dict[str, RepoChange]:
    return {change.path: change for change in changes}


def module_options(root: Path) -> list[str]:
    text = (root / ISSUE_TEMPLATE).read_text()
    return [line.strip() for line in text.splitlines() if '"avm/' in line]


# --- root detection -------------------------------------------------------------------------------------------------


def test_root_found_from_a_nested_folder_that_does_not_exist_yet(registry: Path) -> None:
    assert find_registry_root(registry / "avm" / "ptn" / "new" / "module") == registry.resolve()
    assert find_registry_root(registry) == registry.resolve()


def test_no_root_outside_a_checkout(tmp_path: Path) -> None:
    assert find_registry_root(tmp_path / "somewhere" / "else") is None


def test_no_root_when_a_marker_is_missing(registry: Path) -> None:
    (registry / ISSUE_TEMPLATE).unlink()
    assert find_registry_root(registry / "avm") is None


# --- workflow file --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module_path", "workflow"),
    [
        ("avm/res/storage/storage-account", ".github/workflows/avm.res.storage.storage-account.yml"),
        ("avm/ptn/azd/monitoring", ".github/workflows/avm.ptn.azd.monitoring.yml"),
        ("avm/utl/types/avm-common-types", ".github/workflows/avm.utl.types.avm-common-types.yml"),
    ],
)
def test_workflow_file_is_created(registry: Path, module_path: str, workflow: str) -> None:
    change = changes_by_path(plan_wiring(registry, module_path, "team"))[workflow]
    assert change.action == "create"
    parsed = yaml.safe_load(change.text)
    assert parsed["name"] == workflow.removeprefix(".github/workflows/").removesuffix(".yml")
    assert parsed["env"] == {"modulePath": module_path, "workflowPath": workflow}
    on = parsed[True]  # YAML 1.1 reads the bare key `on` as a boolean
    assert on["push"]["branches"] == ["main"]
    assert on["push"]["paths"] == [workflow, f"{module_path}/**", "!*/**/README.md"]
    inputs = on["workflow_dispatch"]["inputs"]
    assert list(inputs) == ["staticValidation", "deploymentValidation", "removeDeployment", "customLocation"]
    assert inputs["staticValidation"]["default"] is True
    assert inputs["deploymentValidation"]["default"] is True
    assert "default" not in inputs["customLocation"]
    condition = parsed["jobs"]["job_initialize_pipeline"]["if"]
    assert "!cancelled()" in condition
    assert "github.repository != 'Azure/bicep-registry-modules'" in condition
    assert 'workflowPath: "${{ env.workflowPath}}"' in change.text
    assert 'modulePath: "${{ needs.job_initialize_pipeline.outputs.modulePath}}"' in change.text
    assert change.text.endswith("    secrets: inherit\n")


def test_existing_workflow_is_never_overwritten(registry: Path) -> None:
    workflow = registry / ".github/workflows/avm.ptn.azd.monitoring.yml"
    workflow.write_text("custom\n")
    assert ".github/workflows/avm.ptn.azd.monitoring.yml" not in changes_by_path(
        plan_wiring(registry, "avm/ptn/azd/monitoring", "team")
    )


# --- CODEOWNERS -----------------------------------------------------------------------------------------------------


def test_codeowners_line_inserted_at_sorted_position(registry: Path) -> None:
    change = changes_by_path(plan_wiring(registry, "avm/ptn/app-lza/hosting", "avm-ptn-applza-hosting-owners"))[
        CODEOWNERS
    ]
    lines = change.text.splitlines()
    expected = f"/avm/ptn/app-lza/hosting/ @Azure/avm-ptn-applza-hosting-owners {REVIEWERS}"
    # "-" sorts before "/", so app-lza comes before app/zeta
    assert (
        lines.index(expected)
        == lines.index(f"/avm/ptn/app/zeta/ @Azure/avm-ptn-app-zeta-module-owners-bicep {REVIEWERS}") - 1
    )
    assert change.action == "update"
    assert change.text == CODEOWNERS_TEXT.replace("/avm/ptn/app/zeta/", expected + "\n/avm/ptn/app/zeta/", 1)


def test_codeowners_line_appended_after_last_of_its_class(registry: Path) -> None:
    change = changes_by_path(plan_wiring(registry, "avm/res/web/site", "@Azure/web-owners"))[CODEOWNERS]
    lines = change.text.splitlines()
    assert lines[-2] == f"/avm/res/web/site/ @Azure/web-owners {REVIEWERS}"
    assert lines[-1].startswith("*avm.core.team.tests.ps1")


def test_codeowners_first_line_of_a_new_class_follows_the_module_lines(registry: Path) -> None:
    change = changes_by_path(plan_wiring(registry, "avm/utl/types/common", "utl-owners"))[CODEOWNERS]
    lines = change.text.splitlines()
    assert lines[lines.index(f"/avm/utl/types/common/ @Azure/utl-owners {REVIEWERS}") - 1].startswith(
        "/avm/res/network/vnet/"
    )


def test_codeowners_untouched_when_the_path_has_other_owners(registry: Path) -> None:
    assert CODEOWNERS not in changes_by_path(plan_wiring(registry, "avm/res/key-vault/vault", "someone-else"))


# --- issue template dropdown ----------------------------------------------------------------------------------------


def test_dropdown_entry_inserted_at_sorted_position(registry: Path) -> None:
    apply_wiring(registry, plan_wiring(registry, "avm/ptn/app-lza/hosting", "team"))
    assert module_options(registry) == [
        '- "avm/ptn/alpha/one"',
        '- "avm/ptn/app-lza/hosting"',
        '- "avm/ptn/app/zeta"',
        '# - "avm/ptn/beta/old"',
        '- "avm/res/key-vault/vault"',
        '- "avm/res/network/vnet"',
    ]
    assert '        - "avm/ptn/app-lza/hosting"\n' in (registry / ISSUE_TEMPLATE).read_text()


def test_dropdown_ordering_includes_commented_entries(registry: Path) -> None:
    apply_wiring(registry, plan_wiring(registry, "avm/ptn/beta/new", "team"))
    options = module_options(registry)
    assert options.index('- "avm/ptn/beta/new"') == options.index('# - "avm/ptn/beta/old"') - 1
    apply_wiring(registry, plan_wiring(registry, "avm/utl/types/zz", "team"))
    assert module_options(registry)[-1] == '- "avm/utl/types/zz"'


def test_commented_dropdown_entry_is_uncommented(registry: Path) -> None:
    change = changes_by_path(plan_wiring(registry, "avm/ptn/beta/old", "team"))[ISSUE_TEMPLATE]
    assert change.text == ISSUE_TEMPLATE_TEXT.replace('        # - "avm/ptn/beta/old"', '        - "avm/ptn/beta/old"')


def test_malformed_issue_template_raises_one_line_error(registry: Path) -> None:
    (registry / ISSUE_TEMPLATE).write_text(ISSUE_TEMPLATE_TEXT.replace("id: module-name-dropdown", "id: other"))
    with pytest.raises(EnvironmentProblemError) as caught:
        plan_wiring(registry, "avm/ptn/new/module", "team")
    message = str(caught.value)
    assert message.startswith("registry: ") and "module-name-dropdown" in message and "\n" not in message


def test_dropdown_without_entries_raises(registry: Path) -> None:
    text = "\n".join(line for line in ISSUE_TEMPLATE_TEXT.splitlines() if '"avm/' not in line) + "\n"
    (registry / ISSUE_TEMPLATE).write_text(text)
    with pytest.raises(EnvironmentProblemError, match=r"^registry: .*module-name-dropdown list$"):
        plan_wiring(registry, "avm/ptn/new/module", "team")


# --- publish allow-list ---------------------------------------------------------------------------------------------


def test_allow_list_insertion_keeps_order_and_format(registry: Path) -> None:
    children = ["avm/res/key-vault/vault/access-policy", "avm/res/key-vault/vault/secret"]
    change = changes_by_path(plan_wiring(registry, "avm/res/key-vault/vault", "team", children))[ALLOWED_LIST]
    assert change.action == "update"
    assert change.text.endswith("]\n}\n") and '\n  "allowed-child-modules": [\n    "' in change.text
    assert json.loads(change.text)["allowed-child-modules"] == [
        "avm/res/key-vault/vault/access-policy",
        "avm/res/key-vault/vault/key",
        "avm/res/key-vault/vault/secret",
    ]


def test_allow_list_created_when_missing(registry: Path) -> None:
    (registry / ALLOWED_LIST).unlink()
    children = ["avm/res/a/b/z", "avm/res/a/b/c-d", "avm/res/a/b/c/e"]
    change = changes_by_path(plan_wiring(registry, "avm/res/a/b", "team", children))[ALLOWED_LIST]
    assert change.action == "create"
    assert json.loads(change.text) == {"allowed-child-modules": ["avm/res/a/b/c-d", "avm/res/a/b/c/e", "avm/res/a/b/z"]}


def test_allow_list_unchanged_when_all_listed(registry: Path) -> None:
    changes = plan_wiring(registry, "avm/res/key-vault/vault", "team", ["avm/res/key-vault/vault/key"])
    assert ALLOWED_LIST not in changes_by_path(changes)


# --- whole plan -----------------------------------------------------------------------------------------------------


def test_plan_apply_plan_is_idempotent(registry: Path) -> None:
    changes = plan_wiring(registry, "avm/ptn/new/module", "team", ["avm/ptn/new/module/child"])
    assert sorted(change.path for change in changes) == sorted(
        [".github/workflows/avm.ptn.new.module.yml", CODEOWNERS, ISSUE_TEMPLATE, ALLOWED_LIST]
    )
    apply_wiring(registry, changes)
    for change in changes:
        assert (registry / change.path).read_text() == change.text
    assert plan_wiring(registry, "avm/ptn/new/module", "team", ["avm/ptn/new/module/child"]) == []


def test_fully_wired_module_needs_nothing(registry: Path) -> None:
    (registry / ".github/workflows/avm.res.key-vault.vault.yml").write_text("x\n")
    assert plan_wiring(registry, "avm/res/key-vault/vault", "team", ["avm/res/key-vault/vault/key"]) == []


def test_child_module_only_touches_the_allow_list(registry: Path) -> None:
    assert plan_wiring(registry, "avm/res/key-vault/vault/new-child", "team") == []
    changes = plan_wiring(registry, "avm/res/key-vault/vault/new-child", "team", ["avm/res/key-vault/vault/new-child"])
    assert [change.path for change in changes] == [ALLOWED_LIST]


def test_crlf_files_keep_crlf(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "brm", newline="\r\n")
    changes = plan_wiring(root, "avm/ptn/new/module", "team", ["avm/ptn/new/module/child"])
    apply_wiring(root, changes)
    for path in (CODEOWNERS, ISSUE_TEMPLATE, ALLOWED_LIST):
        data = (root / path).read_bytes()
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), path
    assert b"\r" not in (root / ".github/workflows/avm.ptn.new.module.yml").read_bytes()
    assert plan_wiring(root, "avm/ptn/new/module", "team", ["avm/ptn/new/module/child"]) == []


def test_apply_keeps_a_missing_trailing_newline(registry: Path) -> None:
    (registry / CODEOWNERS).write_text(CODEOWNERS_TEXT.rstrip("\n"))
    apply_wiring(registry, [RepoChange(CODEOWNERS, "update", CODEOWNERS_TEXT + "/x/ @Azure/y\n")])
    assert (registry / CODEOWNERS).read_text() == CODEOWNERS_TEXT + "/x/ @Azure/y"


def test_apply_creates_parents_and_leaves_no_temp_files(registry: Path) -> None:
    changes = [*plan_wiring(registry, "avm/ptn/new/module", "team"), RepoChange("new/dir/file.txt", "create", "hi\n")]
    before = {path for path in registry.rglob("*") if path.is_file()}
    apply_wiring(registry, changes)
    after = {path for path in registry.rglob("*") if path.is_file()}
    assert after - before == {registry / ".github/workflows/avm.ptn.new.module.yml", registry / "new/dir/file.txt"}
    assert not [path for path in registry.rglob("*") if path.name.endswith(".tmp")]


# --- sort key -------------------------------------------------------------------------------------------------------


def test_culture_key_orders_like_en_us() -> None:
    items = [
        "avm/ptn/app/container",
        "avm/ptn/App-Service-lza/x",
        "avm/ptn/ai-ml/x",
        "avm/ptn/aca-lza/x",
        "a.b",
        "a_b",
        "a1",
    ]
    assert sorted(items, key=culture_key) == [
        "a_b",
        "a.b",
        "a1",
        "avm/ptn/aca-lza/x",
        "avm/ptn/ai-ml/x",
        "avm/ptn/App-Service-lza/x",
        "avm/ptn/app/container",
    ]
