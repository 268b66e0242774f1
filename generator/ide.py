"""`avm ide vscode`: the VS Code tasks that run avm, merged into `.vscode/tasks.json` beside the user's own."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.errors import InvalidInputError, environment, unreadable
from generator.paths import DATA_DIR
from generator.scratch import write_text

LABEL_PREFIX = "avm: "
INPUT_PREFIX = "avm"


def problem_matcher() -> dict[str, Any]:
    return json.loads((DATA_DIR / "vscode_problem_matcher.json").read_text(encoding="utf-8"))


def _task(label: str, command: str, *, group: str | None = None, matcher: bool = False) -> dict[str, Any]:
    task: dict[str, Any] = {
        "label": f"{LABEL_PREFIX}{label}",
        "type": "shell",
        "command": command,
        "options": {"cwd": "${workspaceFolder}"},
        "problemMatcher": problem_matcher() if matcher else [],
    }
    if group:
        task["group"] = group
    return task


def tasks() -> list[dict[str, Any]]:
    module = "${input:avmModule}"
    return [
        _task(
            "new resource module",
            "avm new resource --lang ${input:avmLanguage} --provider ${input:avmProvider} --type ${input:avmType}"
            " --defaults",
        ),
        _task("new pattern module", "avm new pattern --lang ${input:avmLanguage} --name ${input:avmName} --defaults"),
        _task("new utility module", "avm new utility --lang ${input:avmLanguage} --name ${input:avmName} --defaults"),
        _task("check", "avm check", group="test", matcher=True),
        _task("check module", f"avm check {module}", matcher=True),
        _task("regenerate", f"avm regenerate {module}"),
        _task("update", f"avm update {module}"),
        _task("diff", f"avm diff {module}"),
        _task("add child", f"avm add child ${{input:avmChildType}} {module}"),
        _task("add interface", f"avm add interface ${{input:avmInterface}} {module}"),
        _task("docs", f"avm docs {module}"),
        _task("docs check", f"avm docs --check {module}"),
        _task("release preview", f"avm release --dry-run {module}"),
    ]


def inputs(child_types: list[str] | None = None) -> list[dict[str, Any]]:
    """The pickers and prompts the tasks ask with. Child types are picked from `child_types` (those of the
    workspace's resource modules) when there are any, else typed."""
    from generator.interfaces import INTERFACE_KEYS

    child_input: dict[str, Any] = (
        {"id": "avmChildType", "type": "pickString", "description": "Child type to add", "options": child_types}
        if child_types
        else {"id": "avmChildType", "type": "promptString", "description": "Child type to add (e.g. secrets)"}
    )
    return [
        child_input,
        {"id": "avmInterface", "type": "pickString", "description": "Interface to add", "options": list(INTERFACE_KEYS)},
        {"id": "avmLanguage", "type": "pickString", "description": "Module language", "options": ["bicep", "terraform"],
         "default": "bicep"},
        {"id": "avmProvider", "type": "promptString", "description": "Resource provider namespace",
         "default": "Microsoft.KeyVault"},
        {"id": "avmType", "type": "promptString", "description": "Top-level resource type", "default": "vaults"},
        {"id": "avmName", "type": "promptString", "description": "CATEGORY/NAME of the module",
         "default": "category/name"},
        {"id": "avmModule", "type": "promptString", "description": "Module folder (relative to the workspace)",
         "default": "."},
    ]  # fmt: skip


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (what VS Code accepts) as plain JSON."""
    out, index, length = [], 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index : end + 1])
            index = end + 1
        elif text.startswith("//", index):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = length if close < 0 else close + 2
        else:
            out.append(char)
            index += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def workspace_child_types(workspace: Path) -> list[str]:
    """The child types of the resource types of every module made by avm in the workspace (a picker's options)."""
    import yaml

    from generator.catalog import Catalog
    from generator.commands.lifecycle import modules_under

    catalog, found = Catalog.load(), set()
    for module in modules_under(workspace):
        try:
            answers = yaml.safe_load((module / ".copier-answers.yml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(answers, dict) and answers.get("module_class") == "resource":
            namespace, resource_type = answers.get("provider_namespace"), answers.get("resource_type")
            if isinstance(namespace, str) and isinstance(resource_type, str):
                found.update(c.type_path for c in catalog.facts(namespace, resource_type).children)
    return sorted(found, key=str.lower)


def merged(existing: dict[str, Any] | None, child_types: list[str] | None = None) -> dict[str, Any]:
    """The user's tasks and inputs kept, ours (labels `avm: ...`, input ids `avm...`) replaced or added."""
    document = dict(existing or {})
    document.setdefault("version", "2.0.0")
    own_tasks = [t for t in document.get("tasks") or [] if not str(t.get("label", "")).startswith(LABEL_PREFIX)]
    own_inputs = [i for i in document.get("inputs") or [] if not str(i.get("id", "")).startswith(INPUT_PREFIX)]
    document["tasks"] = [*own_tasks, *tasks()]
    document["inputs"] = [*own_inputs, *inputs(child_types)]
    return document


def read_tasks(path: Path) -> tuple[dict[str, Any] | None, bool]:
    """The existing tasks.json (None when absent) and whether it had comments that rewriting drops."""
    if not path.exists():
        return None, False
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise unreadable("tasks", path, exc) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError.single("tasks", f"{path} is not text (UTF-8); fix it first") from exc
    plain = strip_jsonc(text)
    try:
        data = json.loads(plain) if plain.strip() else {}
    except json.JSONDecodeError as exc:
        raise InvalidInputError.single("tasks", f"{path} is not valid JSON (line {exc.lineno}); fix it first") from exc
    if not isinstance(data, dict) or not isinstance(data.get("tasks", []), list):
        raise InvalidInputError.single("tasks", f"{path} is not a VS Code tasks file (no tasks list)")
    return data, plain != text


def write_tasks(path: Path, document: dict[str, Any]) -> None:
    """Replace `path` in one step; a full disk or a `.vscode` that is a file is exit 3 and leaves nothing behind."""
    with environment("tasks"):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(document, indent=2) + "\n")
