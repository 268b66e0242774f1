"""Bicep registry wiring, only inside a bicep-registry-modules checkout: workflow, CODEOWNERS, issue template."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.core import Hit, Module, rule
from generator.check.rules.bicep.common import B


@rule(
    "AVMB030",
    spec="",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, the module has its workflow .github/workflows/avm.<class>.<path>.yml "
    "with the module's path and triggers.",
    fix="Create the workflow (avm new does, inside a registry checkout).",
    example=".github/workflows/avm.res.key-vault.vault.yml",
)
def workflow(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    import yaml

    from generator.repo import workflow_path

    path = workflow_path(module.module_path)
    text = _registry_text(module, path)
    if text is None:
        yield Hit(f"{path} is missing", ".")
        return
    try:
        data = yaml.safe_load(text)
        env, push = data.get("env") or {}, (data.get(True) or data.get("on") or {}).get("push") or {}
    except (yaml.YAMLError, AttributeError):
        yield Hit(f"{path} is not a valid workflow", ".")
        return
    if env.get("modulePath") != module.module_path:
        yield Hit(f"{path}: env.modulePath is not {module.module_path}", ".")
    if env.get("workflowPath") != path:
        yield Hit(f"{path}: env.workflowPath is not {path}", ".")
    if f"{module.module_path}/**" not in (push.get("paths") or []):
        yield Hit(f"{path}: the push trigger does not watch {module.module_path}/**", ".")


def wired(module: Module) -> bool:
    """Registry wiring applies to live modules inside a checkout; deprecated ones are being retired."""
    return module.registry_root is not None and not module.exists("DEPRECATED.md")


@rule(
    "SNFR20",
    spec="SNFR20",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, CODEOWNERS assigns the module folder to its owners team and the reviewers.",
    fix="Add `/<module path>/ @Azure/<owners team> @Azure/avm-module-reviewers-bicep` to .github/CODEOWNERS.",
    example=(
        "/avm/res/key-vault/vault/ @Azure/avm-res-keyvault-vault-module-owners-bicep @Azure/avm-module-reviewers-bicep"
    ),
)
def codeowners(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    text = _registry_text(module, ".github/CODEOWNERS") or ""
    line = next((x for x in text.splitlines() if x.split(" ", 1)[0] == f"/{module.module_path}/"), None)
    team = "avm-" + "-".join(s.replace("-", "") for s in module.module_path.split("/")[1:]) + "-module-owners-bicep"
    if line is None:
        yield Hit(f"CODEOWNERS has no line for /{module.module_path}/", ".")
    elif "@Azure/avm-module-reviewers-bicep" not in line or f"@Azure/{team}" not in line.split():
        yield Hit(
            f"CODEOWNERS line is not `/{module.module_path}/ @Azure/{team} @Azure/avm-module-reviewers-bicep`", "."
        )


@rule(
    "BCPNFR15",
    spec="BCPNFR15",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, the module issue template lists the module, not commented out.",
    fix='Add `        - "<module path>"` to the module-name-dropdown of .github/ISSUE_TEMPLATE/avm_module_issue.yml.',
    example='        - "avm/res/key-vault/vault"',
)
def issue_template(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    text = _registry_text(module, ".github/ISSUE_TEMPLATE/avm_module_issue.yml") or ""
    entry = re.search(rf'^(\s*#?)\s*-\s+"{re.escape(module.module_path)}"', text, re.M)
    if entry is None:
        yield Hit(f"the issue template does not list {module.module_path}", ".")
    elif "#" in entry.group(1):
        yield Hit(f"the issue template lists {module.module_path} commented out", ".")


def _registry_text(module: Module, path: str) -> str | None:
    try:
        return (module.registry_root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, TypeError):
        return None
