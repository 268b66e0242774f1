"""The questionary wizard. Used only when both stdin and stdout are terminals."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any

from generator.errors import InvalidInputError

CLASSES = ("resource", "pattern", "utility")
LANGUAGES = ("bicep", "terraform")
CLOSEST_COUNT = 3
CLOSEST_CUTOFF = 0.6  # difflib's similarity ratio, 0 to 1
CLOSEST_MARGIN = 0.1  # how far behind the best a name may be and still be offered
TYPE_AGAIN = ""  # the choice to type a rejected name again


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
    _refuse_malformed_answers(raw, catalog)
    if not raw.get("provider_namespace"):
        raw["provider_namespace"] = ask_namespace(catalog)
    namespace = raw["provider_namespace"]
    if not raw.get("resource_type"):
        raw["resource_type"] = ask_resource_type(catalog, namespace)
    facts = catalog.facts(namespace, raw["resource_type"])
    if not facts.known and not raw.get("api_version"):
        version = ask_api_version(catalog, facts, ask_optional)
        if version:
            raw["api_version"] = version
    if not ask_optional:
        return raw
    if raw.get("children") is None and facts.children and not _several_scopes(facts, raw):
        raw["children"] = _answer(
            questionary.checkbox("Child resource types", choices=[c.type_path for c in facts.children])
        )
    if raw.get("interfaces") is None:
        from generator.scopes import interface_choices

        possible, checked = interface_choices(facts, raw.get("api_version"), raw.get("scope"), raw["language"])
        raw["interfaces"] = (
            _answer(
                questionary.checkbox(
                    "Interfaces", choices=[questionary.Choice(k, checked=k in checked) for k in possible]
                )
            )
            or "none"
        )
    return raw


def closest(text: str, known: list[str], count: int = CLOSEST_COUNT) -> list[str]:
    """The known names most like `text`, best first, ignoring case. A name without a dot is also compared with
    the last part of each known one, so that `KeyVault` finds `Microsoft.KeyVault`."""
    wanted = text.strip().lower()

    def likeness(name: str) -> float:
        parts = {name.lower()} if "." in wanted else {name.lower(), name.lower().split(".")[-1]}
        return max(difflib.SequenceMatcher(None, wanted, part).ratio() for part in parts)

    scored = sorted(((likeness(name), name) for name in known), key=lambda pair: -pair[0])
    best = scored[0][0] if scored else 0.0
    return [name for score, name in scored[:count] if score >= max(CLOSEST_CUTOFF, best - CLOSEST_MARGIN)]


def _suggestion(text: str, known: list[str]) -> str:
    names = closest(text, known)
    return f"; did you mean {' or '.join(names)}?" if names else ""


def namespace_problem(text: str, catalog: Any) -> str | None:
    """Why `text` cannot be a namespace, or None: a namespace the catalog knows, or a new well-formed one."""
    from generator.spec import NAMESPACE_RE

    name = text.strip()
    if not name:
        return "a namespace is required"
    if catalog.canonical_namespace(name) or NAMESPACE_RE.match(name):
        return None
    hint = _suggestion(name, catalog.namespaces()) or ", e.g. Microsoft.KeyVault"
    return f"{name!r} is not a resource provider namespace <Vendor>.<Service>{hint}"


def type_problem(text: str, known_types: list[str]) -> str | None:
    """Why `text` cannot be a top-level resource type, or None."""
    from generator.spec import TYPE_SEGMENT_RE

    name = text.strip()
    if not name:
        return "a resource type is required"
    if "/" in name:
        return f"{name!r} is a child type path; give the top-level type (child types are asked next)"
    if not TYPE_SEGMENT_RE.match(name):
        hint = _suggestion(name, known_types) or ", e.g. vaults"
        return f"{name!r} is not a resource type: letters and digits only{hint}"
    return None


def api_version_problem(text: str) -> str | None:
    from generator.spec import valid_api_version

    version = text.strip()
    if not version:
        return "an API version is required, e.g. 2024-11-01"
    if not valid_api_version(version):
        return f"{version!r} is not an API version: a real date YYYY-MM-DD, optionally -preview or -beta"
    return None


def _refuse_malformed_answers(raw: dict[str, Any], catalog: Any) -> None:
    """A namespace or type given on the command line that can never be right stops before any question."""
    namespace, resource_type = raw.get("provider_namespace"), raw.get("resource_type")
    if isinstance(namespace, str) and namespace:
        problem = namespace_problem(namespace, catalog)
        if problem:
            raise InvalidInputError.single("provider", problem)
    if isinstance(resource_type, str) and resource_type:
        known_types = catalog.types(namespace) if isinstance(namespace, str) and namespace else []
        problem = type_problem(resource_type, known_types)
        if problem:
            raise InvalidInputError.single("type", problem)


def _ask_name(message: str, known: list[str], problem: Any, default: str) -> str:
    """Free text checked by `problem` as it is typed, with the known names offered as completions."""
    import questionary

    def validate(text: str) -> bool | str:
        return problem(text) or True

    if known:
        question = questionary.autocomplete(
            message, choices=known, default=default, validate=validate, validate_while_typing=False
        )
    else:
        question = questionary.text(message, default=default, validate=validate, validate_while_typing=False)
    return _answer(question).strip()


def _confirm_unknown(kind: str, name: str, known: list[str]) -> str:
    """A well-formed name the catalog does not know: take a close known one, keep it as new, or type again."""
    import questionary

    names = closest(name, known)
    choices = [
        *names,
        questionary.Choice(f"use {name} as a new {kind}", value=name),
        questionary.Choice("type it again", value=TYPE_AGAIN),
    ]
    return _answer(
        questionary.select(f"{name} is not a {kind} the catalog knows", choices=choices, default=(names or [name])[0])
    )


def ask_namespace(catalog: Any) -> str:
    known = catalog.namespaces()
    typed = ""
    while True:
        typed = _ask_name("Resource provider namespace", known, lambda t: namespace_problem(t, catalog), typed)
        chosen = catalog.canonical_namespace(typed) or _confirm_unknown("namespace", typed, known)
        if chosen != TYPE_AGAIN:
            return catalog.canonical_namespace(chosen) or chosen


def ask_resource_type(catalog: Any, namespace: str) -> str:
    """A type of the namespace; for a namespace the catalog does not know, any well-formed type."""
    known = catalog.types(namespace) if catalog.canonical_namespace(namespace) else []
    spelled = {t.lower(): t for t in known}
    typed = ""
    while True:
        typed = _ask_name(f"Resource type in {namespace}", known, lambda t: type_problem(t, known), typed)
        chosen = spelled.get(typed.lower()) or (_confirm_unknown("resource type", typed, known) if known else typed)
        if chosen != TYPE_AGAIN:
            return chosen


def ask_api_version(catalog: Any, facts: Any, ask_optional: bool) -> str | None:
    """The API version of a type outside the catalog. The default is the newest stable version the catalog knows
    (else the newest preview one); None, with --defaults, keeps that default without asking."""
    import questionary

    namespace, resource_type = facts.namespace, facts.resource_type
    newest = catalog.latest_stable(namespace, resource_type) or facts.api_version
    if newest and not ask_optional:
        return None
    question = questionary.text(
        f"API version of {namespace}/{resource_type}",
        default=newest or "",
        validate=lambda text: api_version_problem(text) or True,
        validate_while_typing=False,
    )
    return _answer(question).strip()


def _complete_composite(raw: dict[str, Any], ask_optional: bool) -> dict[str, Any]:
    import questionary

    if not raw.get("module_name"):
        from generator.spec import category_optional, module_name_problem

        module_class, language = raw["module_class"], raw["language"]
        shape = (
            "NAME, e.g. regions" if category_optional(module_class, language) else "CATEGORY/NAME, e.g. azd/monitoring"
        )
        raw["module_name"] = _answer(
            questionary.text(
                f"Module name ({shape})",
                validate=lambda text: module_name_problem(text.strip(), module_class, language) or True,
                validate_while_typing=False,
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


def _several_scopes(facts: Any, raw: dict[str, Any]) -> bool:
    """Whether the module is a multi-scope one, which has no child modules."""
    from generator.scopes import chosen_scopes

    return len(chosen_scopes(facts, raw.get("api_version"), raw.get("scope"), raw["language"])[1]) > 1
