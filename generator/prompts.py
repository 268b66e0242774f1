"""The questionary wizard. Used only when both stdin and stdout are terminals."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

CLASSES = ("resource", "pattern", "utility")
LANGUAGES = ("bicep", "terraform")


def interactive() -> bool:
    if os.environ.get("AVM_NO_PROMPT") or os.environ.get("CI"):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def _answer(question: Any) -> Any:
    value = question.ask()
    if value is None:  # Ctrl-C inside questionary: ends as any Ctrl-C does (`avm: interrupted`, exit 130)
        raise KeyboardInterrupt
    return value


def ask_class() -> str:
    import questionary

    return _answer(questionary.select("Module class", choices=list(CLASSES), default="resource"))


def complete(raw: dict[str, Any], catalog: Any, ask_optional: bool) -> dict[str, Any]:
    """Ask for every missing answer, required ones always, optional ones unless --defaults."""
    import questionary

    raw = dict(raw)
    if not raw.get("language"):
        raw["language"] = _answer(questionary.select("Language", choices=list(LANGUAGES), default="bicep"))
    if raw.get("module_class") in ("pattern", "utility"):
        return _complete_composite(raw, ask_optional)
    if not raw.get("provider_namespace"):
        raw["provider_namespace"] = _answer(
            questionary.autocomplete(
                "Resource provider namespace",
                choices=catalog.namespaces(),
                validate=lambda text: bool(text.strip()) or "a namespace is required",
            )
        ).strip()
    namespace = raw["provider_namespace"]
    if not raw.get("resource_type"):
        types = catalog.types(namespace) if catalog.canonical_namespace(namespace) else []
        raw["resource_type"] = _answer(
            questionary.autocomplete(
                f"Resource type in {namespace}",
                choices=types,
                validate=lambda text: bool(text.strip()) or "a resource type is required",
            )
        ).strip()
    if not ask_optional:
        return raw
    facts = catalog.facts(namespace, raw["resource_type"])
    if raw.get("children") is None and facts.children:
        raw["children"] = _answer(
            questionary.checkbox("Child resource types", choices=[c.type_path for c in facts.children])
        )
    if raw.get("interfaces") is None:
        from generator.spec import INTERFACE_KEYS

        raw["interfaces"] = (
            _answer(
                questionary.checkbox(
                    "Interfaces",
                    choices=[questionary.Choice(k, checked=k in facts.interfaces) for k in INTERFACE_KEYS],
                )
            )
            or "none"
        )
    return raw


def _complete_composite(raw: dict[str, Any], ask_optional: bool) -> dict[str, Any]:
    import questionary

    if not raw.get("module_name"):
        raw["module_name"] = _answer(
            questionary.text(
                "Module name (CATEGORY/NAME, e.g. azd/monitoring)",
                validate=lambda text: "/" in text.strip() or "give a category and a name: CATEGORY/NAME",
            )
        ).strip()
    if not ask_optional:
        return raw
    if raw["module_class"] == "pattern" and raw.get("uses") is None:
        text = _answer(
            questionary.text("Resource modules it deploys (MODULE@VERSION, comma-separated; empty for none)")
        )
        raw["uses"] = [u.strip() for u in text.split(",") if u.strip()]
    if raw["module_class"] == "utility" and raw.get("deploys") is None:
        raw["deploys"] = _answer(questionary.confirm("Does it deploy resources?", default=False))
    return raw


def confirm(spec: Any, output: Path) -> bool:
    import questionary

    module = spec.names.bicep_path if spec.language == "bicep" else spec.names.terraform_module
    if spec.module_class == "resource":
        children = ", ".join(c.type_path for c in spec.children) or "none"
        details = [
            f"  type        {spec.full_type}@{spec.api_version}",
            f"  children    {children}",
            f"  interfaces  {', '.join(spec.interfaces) or 'none'}",
        ]
    elif spec.module_class == "pattern":
        details = [f"  uses        {', '.join(f'{u.module}@{u.version}' for u in spec.uses) or 'none'}"]
    else:
        details = [f"  deploys     {'yes' if spec.deploys else 'no'}"]
    print("\n".join([f"  module      {module}", *details, f"  output      {output}"]))
    return bool(_answer(questionary.confirm("Create this module?", default=True)))
