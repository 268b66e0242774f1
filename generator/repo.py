"""Registry wiring: the files outside a new module's folder that a Azure/bicep-registry-modules checkout needs."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import EnvironmentProblemError, InvalidInputError, OutputConflictError

CODEOWNERS = ".github/CODEOWNERS"
ISSUE_TEMPLATE = ".github/ISSUE_TEMPLATE/avm_module_issue.yml"
ALLOWED_LIST = "utilities/pipelines/staticValidation/compliance/helper/child-module-publish-allowed-list.json"
ALLOWED_KEY = "allowed-child-modules"
REVIEWERS = "@Azure/avm-module-reviewers-bicep"
MODULE_CLASSES = ("res", "ptn", "utl")
TOP_LEVEL_DEPTH = 4

_ROOT_DIRS = ("avm", ".github/workflows", "utilities/pipelines/staticValidation/compliance")
_ROOT_FILES = (CODEOWNERS, ISSUE_TEMPLATE)

_DROPDOWN_ID = re.compile(r"^\s*id:\s*[\"']?module-name-dropdown[\"']?\s*$")
_NEXT_BODY_ITEM = re.compile(r"^\s*-\s+type:")
_DROPDOWN_ENTRY = re.compile(r'^(?P<indent>\s*)(?P<comment>#\s*)?-\s+"(?P<path>avm/[^"]+)"')
_CODEOWNERS_MODULE_LINE = re.compile(r"^#?/avm/(res|ptn|utl)/\S")

# ICU (en-US) root collation order of the ASCII punctuation, then digits, then letters (case-insensitive at first).
_COLLATION_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
_COLLATION_RANK = {char: rank for rank, char in enumerate(_COLLATION_ORDER)}

_WORKFLOW_TEMPLATE = """\
name: "{name}"

on:
  workflow_dispatch:
    inputs:
      staticValidation:
        type: boolean
        description: "Execute static validation"
        required: false
        default: true
      deploymentValidation:
        type: boolean
        description: "Execute deployment validation"
        required: false
        default: true
      removeDeployment:
        type: boolean
        description: "Remove deployed module"
        required: false
        default: true
      customLocation:
        type: string
        description: "Default location overwrite (e.g., eastus)"
        required: false
  push:
    branches:
      - main
    paths:
      - "{workflow_path}"
      - "{module_path}/**"
      - "!*/**/README.md"

env:
  modulePath: "{module_path}"
  workflowPath: "{workflow_path}"

concurrency:
  group: ${{ github.workflow }}

jobs:
  ###########################
  #   Initialize pipeline   #
  ###########################
  job_initialize_pipeline:
    runs-on: ubuntu-latest
    name: "Initialize pipeline"
    if: ${{ !cancelled() && !(github.repository != 'Azure/bicep-registry-modules' && github.event_name != 'workflow_dispatch') }}
    steps:
      - name: "Checkout"
        uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - name: "Set input parameters to output variables"
        id: get-workflow-param
        uses: ./.github/actions/templates/avm-getWorkflowInput
        with:
          workflowPath: "${{ env.workflowPath}}"
      - name: "Get module test file paths"
        id: get-module-test-file-paths
        uses: ./.github/actions/templates/avm-getModuleTestFiles
        with:
          modulePath: "${{ env.modulePath }}"
    outputs:
      workflowInput: ${{ steps.get-workflow-param.outputs.workflowInput }}
      moduleTestFilePaths: ${{ steps.get-module-test-file-paths.outputs.moduleTestFilePaths }}
      psRuleModuleTestFilePaths: ${{ steps.get-module-test-file-paths.outputs.psRuleModuleTestFilePaths }}
      modulePath: "${{ env.modulePath }}"

  ##############################
  #   Call reusable workflow   #
  ##############################
  call-workflow-passing-data:
    name: "Run"
    permissions:
      id-token: write # For OIDC
      contents: write # For release tags
    needs:
      - job_initialize_pipeline
    uses: ./.github/workflows/avm.template.module.yml
    with:
      workflowInput: "${{ needs.job_initialize_pipeline.outputs.workflowInput }}"
      moduleTestFilePaths: "${{ needs.job_initialize_pipeline.outputs.moduleTestFilePaths }}"
      psRuleModuleTestFilePaths: "${{ needs.job_initialize_pipeline.outputs.psRuleModuleTestFilePaths }}"
      modulePath: "${{ needs.job_initialize_pipeline.outputs.modulePath}}"
    secrets: inherit
"""


@dataclass(frozen=True)
class RepoChange:
    path: str
    action: str
    text: str


def culture_key(text: str) -> tuple[tuple[int, ...], tuple[bool, ...], str]:
    """Approximates PowerShell `Sort-Object -Culture 'en-US'` on Linux (ICU): case-insensitive first, lower before upper."""
    unknown = len(_COLLATION_ORDER)
    primary = tuple(_COLLATION_RANK.get(char.lower(), unknown + ord(char)) for char in text)
    tertiary = tuple(char.isupper() for char in text)
    return primary, tertiary, text


def find_registry_root(start: Path) -> Path | None:
    here = start.resolve()
    while not here.exists() and here != here.parent:
        here = here.parent
    for folder in (here, *here.parents):
        if _is_registry_root(folder):
            return folder
    return None


def _is_registry_root(folder: Path) -> bool:
    return all((folder / d).is_dir() for d in _ROOT_DIRS) and all((folder / f).is_file() for f in _ROOT_FILES)


def workflow_path(module_path: str) -> str:
    return f".github/workflows/{module_path.replace('/', '.')}.yml"


def render_workflow(module_path: str) -> str:
    values = {
        "name": module_path.replace("/", "."),
        "module_path": module_path,
        "workflow_path": workflow_path(module_path),
    }
    text = _WORKFLOW_TEMPLATE
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def plan_wiring(
    root: Path, module_path: str, owners_team: str, published_children: Sequence[str] = ()
) -> list[RepoChange]:
    segments = _module_segments(module_path)
    module_path = "/".join(segments)
    planned: list[RepoChange | None] = []
    if len(segments) == TOP_LEVEL_DEPTH:
        planned.append(_plan_workflow(root, module_path))
        team = owners_team.strip().removeprefix("@Azure/")
        planned.append(_plan_edit(root, CODEOWNERS, lambda lines: _add_codeowner(lines, module_path, team)))
        planned.append(_plan_edit(root, ISSUE_TEMPLATE, lambda lines: _add_dropdown_entry(lines, module_path)))
    children = [c.strip().strip("/") for c in published_children if c.strip().strip("/")]
    if children:
        planned.append(_plan_allowed_children(root, children))
    return [change for change in planned if change is not None]


def _module_segments(module_path: str) -> list[str]:
    segments = [s for s in module_path.strip().strip("/").split("/") if s]
    if len(segments) < TOP_LEVEL_DEPTH or segments[0] != "avm" or segments[1] not in MODULE_CLASSES:
        raise InvalidInputError.single(
            "module_path", f"expected avm/<res|ptn|utl>/<group>/<name>[/...], got {module_path!r}"
        )
    return segments


def _plan_workflow(root: Path, module_path: str) -> RepoChange | None:
    path = workflow_path(module_path)
    if (root / path).exists():
        return None
    return RepoChange(path, "create", render_workflow(module_path))


def _plan_edit(root: Path, path: str, edit: Callable[[list[str]], list[str]]) -> RepoChange | None:
    target = root / path
    if not target.is_file():
        raise EnvironmentProblemError(f"registry: {path} not found under {root}")
    old = _read_text(target, path)
    lines, newline, trailing = _split_lines(old)
    new = _join_lines(edit(lines), newline, trailing)
    return None if new == old else RepoChange(path, "update", new)


def _add_codeowner(lines: list[str], module_path: str, team: str) -> list[str]:
    entry = f"/{module_path}/"
    if any(_first_token(line) == entry for line in lines):
        return lines
    class_prefix = "/".join(module_path.split("/")[:2])
    same_class = [i for i, line in enumerate(lines) if line.startswith(f"/{class_prefix}/")]
    if same_class:
        later = [i for i in same_class if culture_key(_first_token(lines[i])) > culture_key(entry)]
        index = later[0] if later else same_class[-1] + 1
    else:
        module_lines = [i for i, line in enumerate(lines) if _CODEOWNERS_MODULE_LINE.match(line)]
        index = module_lines[-1] + 1 if module_lines else len(lines)
    return [*lines[:index], f"{entry} @Azure/{team} {REVIEWERS}", *lines[index:]]


def _first_token(line: str) -> str:
    parts = line.split(maxsplit=1)
    return parts[0] if parts else ""


def _add_dropdown_entry(lines: list[str], module_path: str) -> list[str]:
    start, end = _dropdown_run(lines)
    entries = [_DROPDOWN_ENTRY.match(line) for line in lines[start:end]]
    for offset, match in enumerate(entries):
        if match and match["path"] == module_path:
            if not match["comment"]:
                return lines
            return [*lines[: start + offset], f'{match["indent"]}- "{module_path}"', *lines[start + offset + 1 :]]
    key = culture_key(module_path)
    later = [offset for offset, match in enumerate(entries) if match and culture_key(match["path"]) > key]
    offset = later[0] if later else len(entries)
    neighbour = entries[min(offset, len(entries) - 1)]
    indent = neighbour["indent"] if neighbour else ""
    index = start + offset
    return [*lines[:index], f'{indent}- "{module_path}"', *lines[index:]]


def _dropdown_run(lines: list[str]) -> tuple[int, int]:
    problem = EnvironmentProblemError(f"registry: {ISSUE_TEMPLATE} has no module-name-dropdown list")
    block = next((i for i, line in enumerate(lines) if _DROPDOWN_ID.match(line)), None)
    if block is None:
        raise problem
    start = None
    for i in range(block + 1, len(lines)):
        if _NEXT_BODY_ITEM.match(lines[i]):
            break
        if _DROPDOWN_ENTRY.match(lines[i]):
            start = i
            break
    if start is None:
        raise problem
    end = start
    while end < len(lines) and _DROPDOWN_ENTRY.match(lines[end]):
        end += 1
    return start, end


def _plan_allowed_children(root: Path, children: Sequence[str]) -> RepoChange | None:
    target = root / ALLOWED_LIST
    if not target.exists():
        listed = sorted(dict.fromkeys(children), key=culture_key)
        return RepoChange(ALLOWED_LIST, "create", _dump_json({ALLOWED_KEY: listed}))
    old = _read_text(target, ALLOWED_LIST)
    data = _load_allowed_list(old)
    listed = data.setdefault(ALLOWED_KEY, [])
    missing = [child for child in dict.fromkeys(children) if child not in listed]
    if not missing:
        return None
    for child in missing:
        key = culture_key(child)
        index = next((i for i, item in enumerate(listed) if culture_key(item) > key), len(listed))
        listed.insert(index, child)
    _, newline, _ = _split_lines(old)
    return RepoChange(ALLOWED_LIST, "update", _dump_json(data).replace("\n", newline))


def _load_allowed_list(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise EnvironmentProblemError(f"registry: {ALLOWED_LIST} is not valid JSON ({error.msg})") from error
    listed = data.get(ALLOWED_KEY, []) if isinstance(data, dict) else None
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise EnvironmentProblemError(
            f'registry: {ALLOWED_LIST} must hold an object with a "{ALLOWED_KEY}" string list'
        )
    return data


def _dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def apply_wiring(root: Path, changes: Sequence[RepoChange]) -> None:
    for change in changes:
        target = root / _safe_relative(change.path)
        text = change.text
        if target.exists():
            if change.action == "create":
                raise OutputConflictError(f"registry: {change.path} already exists")
            text = _match_style(text, _read_text(target, change.path))
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, text)


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"registry: {path!r} is not a repository-relative path")
    return relative


def _match_style(text: str, existing: str) -> str:
    lines, _, _ = _split_lines(text)
    _, newline, trailing = _split_lines(existing)
    return _join_lines(lines, newline, trailing)


def _write_atomically(target: Path, text: str) -> None:
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _read_text(target: Path, path: str) -> str:
    try:
        return target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EnvironmentProblemError(f"registry: cannot read {path}: {error}") from error


def _split_lines(text: str) -> tuple[list[str], str, bool]:
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    trailing = body.endswith("\n") or not body
    if trailing:
        body = body[:-1]
    return (body.split("\n") if body else []), newline, trailing


def _join_lines(lines: list[str], newline: str, trailing: bool) -> str:
    if not lines:
        return ""
    return newline.join(lines) + (newline if trailing else "")
