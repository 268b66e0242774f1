"""What a module is expected to call itself: its telemetry id and registry source, from the module's
`.copier-answers.yml`, else from the module index (the copy in the user cache) inside a bicep-registry-modules
checkout. When neither knows, the rules compare nothing: they do not guess."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.check.core import Module
from generator.paths import load_yaml

ANSWERS_FILE = ".copier-answers.yml"
SCOPE_FOLDERS = ("rg-scope", "sub-scope", "mg-scope")  # the children of a multi-scope module


@dataclass(frozen=True)
class Expected:
    """The accepted values and where they come from, for the message."""

    values: tuple[str, ...]
    source: str

    def shown(self) -> str:
        return " or ".join(self.values)

    def accepts(self, value: str) -> bool:
        """Case-blind, as Azure compares deployment names and the compliance suite compares ids."""
        return value.casefold() in {v.casefold() for v in self.values}


def top_module(module: Module) -> Module:
    while module.parent is not None:
        module = module.parent
    return module


def answers(module: Module) -> dict[str, Any]:
    """The answers avm recorded for the module's top-level module; {} when there are none or they do not parse."""
    top = top_module(module)
    key = "answers"
    if key not in top._cache:
        top._cache[key] = _parse_answers(top.text(ANSWERS_FILE))
    return top._cache[key]


def _parse_answers(text: str | None) -> dict[str, Any]:
    import yaml

    if not text:
        return {}
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


@cache  # once per process: every module of a registry checkout asks
def _module_index() -> Any:
    from generator.index import load_index

    return load_index(None)


def _answered_telemetry_id(module: Module) -> str | None:
    recorded = answers(module)
    if not module.is_child:
        value = recorded.get("telemetry_id_prefix")
        return value if isinstance(value, str) and value else None
    folder = module.root.relative_to(top_module(module).root).as_posix()
    for child in recorded.get("children") or ():
        if isinstance(child, dict) and child.get("folder") == folder and child.get("telemetry_id_prefix"):
            return str(child["telemetry_id_prefix"])
    return None


def _indexed_telemetry_ids(module: Module) -> tuple[str, ...]:
    if module.registry_root is None:
        return ()
    index = _module_index()
    names = [module.module_path]
    if module.is_child and module.root.name in SCOPE_FOLDERS and module.parent is not None:
        names.append(module.parent.module_path)  # the compliance suite looks a scope child up by its parent
    found = (index.by_name(name, "bicep") for name in names)
    return tuple(entry.telemetry_id_prefix for entry in found if entry is not None and entry.telemetry_id_prefix)


def bicep_telemetry_id(module: Module) -> Expected | None:
    """The telemetry id (`46d3xbcp.res.keyvault-vault`) the Bicep module must send, or None when unknown."""
    answered = _answered_telemetry_id(module)
    if answered:
        return Expected((answered,), ANSWERS_FILE)
    indexed = _indexed_telemetry_ids(module)
    if indexed:
        return Expected(indexed, f"the module index for {module.module_path}")
    return None


def terraform_registry_source(module: Module) -> Expected | None:
    """The registry source (`Azure/avm-res-keyvault-vault/azure`) the module's telemetry reports, or None."""
    value = answers(module).get("terraform_registry")
    return Expected((value,), ANSWERS_FILE) if isinstance(value, str) and value else None
