"""What the Terraform rules share: rule registration, the parsed files, their blocks, variables and resources."""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from generator.check.core import Module, rule
from generator.check.hcl_reader import Block, HclFile, expr
from generator.check.rules import BOTH

tf_rule = partial(rule, language="terraform")


def var_rule(rule_id: str, spec: str, severity: str, title: str, fix: str, example: str):
    return tf_rule(rule_id, spec=spec, severity=severity, title=title, fix=fix, example=example, scopes=BOTH)


def parsed_files(module: Module) -> list[tuple[str, HclFile]]:
    key = "tf:files"
    if key not in module._cache:
        parsed = [(name, module.hcl(name)) for name in module.files("*.tf")]
        module._cache[key] = [(name, f) for name, f in parsed if f is not None]
    return module._cache[key]


def complete(module: Module) -> bool:
    """Whether every Terraform file of the module was read: rules about absence need it."""
    files = parsed_files(module)
    return (
        not module.files("*.tf.json")
        and len(files) == len(module.files("*.tf"))  # none unreadable
        and all(f.error is None for _, f in files)
    )


def blocks_of(module: Module, kind: str) -> list[tuple[str, Block]]:
    return [(name, b) for name, f in parsed_files(module) for b in f.blocks(kind)]


def variables_of(module: Module) -> dict[str, tuple[str, Block]]:
    found: dict[str, tuple[str, Block]] = {}
    for name, b in blocks_of(module, "variable"):
        found.setdefault(b.name, (name, b))
    return found


def resources_of(module: Module, rtype: str | None = None) -> list[tuple[str, Block]]:
    return [(n, b) for n, b in blocks_of(module, "resource") if len(b.labels) == 2 and rtype in (None, b.labels[0])]


def norm(value: Any) -> str:
    """An expression or literal as whitespace-free text, for comparisons."""
    text = expr(value)
    if text is None:
        text = json.dumps(value) if not isinstance(value, str) else value
    return re.sub(r"\s+", "", text)


def _is_telemetry(b: Block) -> bool:
    return b.labels[-1] == "telemetry" and b.labels[0] in ("modtm_telemetry", "random_uuid")


def deploys(module: Module) -> bool:
    """Whether the module deploys something beyond its telemetry (so it must carry telemetry)."""
    if any(not _is_telemetry(b) for _, b in resources_of(module)):
        return True
    return module.module_class == "ptn" and bool(blocks_of(module, "module"))


AVM_SOURCE = re.compile(
    r"^(registry\.(terraform|opentofu)\.io/)?azure/(terraform-azure(rm)?-)?avm-[^/]+/[^/]+(//.*)?$", re.I
)
