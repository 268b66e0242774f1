"""End to end: `avm check` as editors, CI and pre-commit run it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.paths import DATA_DIR
from tests.support.cli import PROJECT_ROOT, run_avm

MATCHER = json.loads((DATA_DIR / "vscode_problem_matcher.json").read_text())


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a Bicep module and a Terraform module repository, both fresh from `avm new`."""
    root = tmp_path_factory.mktemp("modules")
    cache = root.parent / f"{root.name}-cache"
    for args in (
        ("resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "-o", "kv-bicep"),
        ("resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults", "-o", "kv-tf"),
    ):
        result = run_avm("new", *args, "--defaults", "--index", "none", cwd=root, cache=cache)
        assert result.code == 0, result.stderr
    for source in (root / "kv-bicep").rglob("main.bicep"):  # stands in for `bicep build`: no compiler here
        if "tests" not in source.parts:
            source.with_suffix(".json").write_text("{}\n")
    return root


def check(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_avm("check", *args, cwd=root, cache=root / ".cache")
    return result.code, result.stdout, result.stderr


def test_generated_modules_are_clean_and_exit_0(modules: Path) -> None:
    code, out, err = check(modules)
    assert (code, err) == (0, ""), out
    assert out.strip() == "2 modules checked: no findings"


def test_findings_are_problem_matcher_lines_and_exit_1(modules: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kv-bicep"
    shutil.copytree(modules / "kv-bicep", copy)
    (copy / "README.md").unlink()
    text = (copy / "main.bicep").read_text().replace("'Optional. Location for all resources.'", "'Location.'")
    (copy / "main.bicep").write_text(text)
    code, out, _ = check(tmp_path)
    assert code == 1
    lines = out.strip().splitlines()
    pattern = re.compile(MATCHER["pattern"]["regexp"])
    findings = [pattern.match(line) for line in lines[:-1]]
    assert all(findings), lines
    assert {m.group(5) for m in findings} == {"BCPNFR23", "BCPNFR7"}
    location = next(m for m in findings if m.group(5) == "BCPNFR7")
    assert location.group(1) == "kv-bicep/main.bicep" and location.group(4) == "error"
    assert (copy / "main.bicep").read_text().splitlines()[int(location.group(2)) - 1].startswith("param location")
    assert lines[-1] == "1 module checked: 2 errors"


def test_json_and_sarif_carry_the_same_findings(modules: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kv-tf"
    shutil.copytree(modules / "kv-tf", copy)
    (copy / "_header.md").unlink()
    code, out, _ = check(tmp_path, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["modules"] == 1 and report["summary"]["error"] == len(report["findings"]) >= 1
    code, out, _ = check(tmp_path, "--format", "sarif")
    sarif = json.loads(out)
    assert code == 1 and sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]
    ] == [(f["rule"], f["path"]) for f in report["findings"]]
    assert {d["id"] for d in run["tool"]["driver"]["rules"]} == {f["rule"] for f in report["findings"]}


def test_select_ignore_and_min_severity(modules: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kv-bicep"
    shutil.copytree(modules / "kv-bicep", copy)
    (copy / "README.md").unlink()
    assert check(tmp_path, "--ignore", "BCPNFR23")[0] == 0
    assert check(tmp_path, "--select", "BCPNFR7,SFR3")[0] == 0
    assert check(tmp_path, "--select", "BCPNFR23")[0] == 1
    assert check(tmp_path, "--min-severity", "error")[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "format: 'xml' is not one of text, json, sarif"),
        (("--select", "NOPE1"), "select: unknown rule NOPE1"),
        (("--min-severity", "fatal"), "min-severity: 'fatal' is not one of error, warning, info"),
        (("does-not-exist",), "path: does-not-exist does not exist"),
        (("--schemas", "nowhere"), "--schemas: nowhere does not exist"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    code, out, err = check(tmp_path, *args)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"avm: error: {message}" + err.strip().split(message, 1)[1]]


WIDGET_TYPES = [
    {"$type": "StringType"},
    {"$type": "ObjectType", "name": "WidgetProperties", "properties": {"color": {"type": {"$ref": "#/0"}, "flags": 1}}},
    {
        "$type": "ObjectType",
        "name": "Contoso.Widgets/widgets",
        "properties": {
            "name": {"type": {"$ref": "#/0"}, "flags": 9},
            "properties": {"type": {"$ref": "#/1"}, "flags": 1},
        },
    },
    {
        "$type": "ResourceType",
        "name": "Contoso.Widgets/widgets@2025-01-01",
        "body": {"$ref": "#/2"},
        "writableScopes": 8,
    },
]


def test_schemas_from_a_checkout(tmp_path: Path) -> None:
    """A type only the checkout has is compared with `--schemas` and not without: no download, no guess."""
    version = tmp_path / "types" / "generated" / "widgets" / "contoso.widgets" / "2025-01-01"
    version.mkdir(parents=True)
    (version / "types.json").write_text(json.dumps(WIDGET_TYPES))
    (tmp_path / "module").mkdir()
    widget = "resource widget 'Contoso.Widgets/widgets@2025-01-01' = {\n  name: 'w'\n  properties: {}\n}\n"
    (tmp_path / "module" / "main.bicep").write_text(widget)
    assert check(tmp_path, "--select", "AVMB100", "module")[:2] == (0, "1 module checked: no findings\n")
    code, out, _ = check(tmp_path, "--select", "AVMB100", "--schemas", "types", "module")
    assert (code, out.splitlines()[0]) == (
        1,
        "module/main.bicep:3:15: error: AVMB100 resource widget (Contoso.Widgets/widgets@2025-01-01): required "
        "property properties.color is not set",
    )


def test_pre_commit_hook_runs_avm_check() -> None:
    hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "avm-check" and hooks[0]["entry"] == "avm check"
    assert hooks[0]["pass_filenames"] is False


def test_a_path_that_is_a_file_or_holds_no_module_is_exit_2(modules: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = check(modules, "kv-bicep/main.bicep")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["avm: error: path: kv-bicep/main.bicep is a file; give the folder of a module"]
    code, out, err = check(tmp_path, "empty")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["avm: error: path: empty holds no module (no main.bicep, main.tf or terraform.tf)"]
    code, out, err = check(tmp_path)  # the current folder by default
    assert code == 2 and err.startswith("avm: error: path: . holds no module")


def test_any_bad_path_among_several_is_exit_2(modules: Path) -> None:
    code, out, err = check(modules, "kv-bicep", "kv-tf/main.tf", "kv-tf")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["avm: error: path: kv-tf/main.tf is a file; give the folder of a module"]


def test_a_file_that_cannot_be_read_is_a_finding_not_an_empty_file(modules: Path, tmp_path: Path) -> None:
    bicep, terraform = tmp_path / "kv-bicep", tmp_path / "kv-tf"
    shutil.copytree(modules / "kv-bicep", bicep)
    shutil.copytree(modules / "kv-tf", terraform)
    (bicep / "main.bicep").write_bytes(b"\x00\x01\x02 binary")
    (terraform / "variables.tf").write_bytes((terraform / "variables.tf").read_bytes() + b"\n# caf\xe9\n")
    code, out, _ = check(tmp_path, "--format", "json")
    report = json.loads(out)
    assert code == 1
    unreadable = [(f["rule"], f["path"], f["severity"]) for f in report["findings"] if f["rule"].endswith("000")]
    assert unreadable == [("AVMB000", "kv-bicep/main.bicep", "error"), ("AVMT000", "kv-tf/variables.tf", "error")]
    messages = {f["path"]: f["message"] for f in report["findings"] if f["rule"].endswith("000")}
    assert messages["kv-bicep/main.bicep"].startswith("cannot read main.bicep: binary")
    assert messages["kv-tf/variables.tf"].startswith("cannot read variables.tf: not UTF-8")


def test_a_wrong_telemetry_id_names_both_ids(modules: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kv-bicep"
    shutil.copytree(modules / "kv-bicep", copy)
    text = (copy / "main.bicep").read_text()
    (copy / "main.bicep").write_text(text.replace("'46d3xbcp.res.keyvault-vault.", "'46d3xbcp.res.keyvault-vaults."))
    line = text[: text.index("'46d3xbcp.res.keyvault-vault.")].count("\n") + 1
    code, out, _ = check(tmp_path)
    assert code == 1
    assert out.splitlines()[:-1] == [
        f"kv-bicep/main.bicep:{line}:1: error: SFR3-id the telemetry id is 46d3xbcp.res.keyvault-vaults, "
        "but .copier-answers.yml gives 46d3xbcp.res.keyvault-vault"
    ]


def test_explain_tells_what_a_rule_checks_how_to_fix_it_and_an_example(tmp_path: Path) -> None:
    code, out, err = check(tmp_path, "--explain", "SFR3-id")
    assert (code, err) == (0, "")
    assert out.startswith("SFR3-id (bicep, error): The telemetry deployment's name")
    assert "Spec: SFR3 https://azure.github.io/Azure-Verified-Modules/spec/SFR3\n" in out
    assert "Fix: Name the telemetry deployment" in out
    assert "Example:\n    name: '46d3xbcp.res.keyvault-vault." in out
    assert "SFR3-id (terraform, error)" in out  # the same ID in both languages


def test_explain_by_spec_id_and_as_json(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "--explain", "TFNFR2", "--json")
    report = json.loads(out)
    assert code == 0 and report["query"] == "TFNFR2"
    assert [r["id"] for r in report["rules"]] == ["TFNFR2"]
    assert set(report["rules"][0]) == {
        "id",
        "language",
        "spec",
        "link",
        "severity",
        "applies_to",
        "title",
        "fix",
        "example",
    }
    assert report["rules"][0]["link"] == "https://azure.github.io/Azure-Verified-Modules/spec/TFNFR2"
    assert all(report["rules"][0][key] for key in ("title", "fix", "example"))


def test_explain_an_unknown_rule_is_exit_2(tmp_path: Path) -> None:
    code, out, err = check(tmp_path, "--explain", "SFR33")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["avm: error: explain: unknown rule SFR33 (did you mean SFR3, SFR4, SFR3-id?)"]


def test_help_points_to_explain_not_to_a_file_outside_the_package(tmp_path: Path) -> None:
    code, out, _ = check(tmp_path, "--help")
    assert code == 0 and "--explain" in out and "docs/rules.md" not in out
