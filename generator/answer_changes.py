"""What `avm add` and `avm remove` change in a module's answers.

A change names one part: a child type, an interface, one of the resource's own properties, or a module a
pattern uses. The module's answers with the part added or removed pass through `build_spec`, as `avm new`'s
do, so a change is refused (exit 2, one line) exactly when `avm new` would refuse that module. Everything
else the answers record stays as recorded: names, catalog facts, the children already there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator import property_selection
from generator.answers import user_answers
from generator.errors import InvalidInputError
from generator.interfaces import INTERFACE_KEYS
from generator.spec import SpecContext, build_spec

KINDS = ("child", "interface", "property", "uses")
ANSWER_KEY = {"child": "children", "interface": "interfaces", "property": "properties", "uses": "uses"}
CLASS_OF_KIND = {"child": "resource", "interface": "resource", "property": "resource", "uses": "pattern"}


@dataclass(frozen=True)
class Change:
    action: str  # add | remove
    kind: str  # one of KINDS
    value: str
    publish: bool = False  # add child: publish it as a module of its own (Bicep)

    @property
    def field(self) -> str:
        return self.kind


def changed_answers(recorded: Mapping[str, Any], change: Change, ctx: SpecContext) -> tuple[dict[str, Any], str]:
    """The module's answers after the change, and a line saying what it does. InvalidInputError (exit 2) when the
    change is not possible: a part the module has already or does not have, one the type cannot carry."""
    module_class = recorded.get("module_class")
    wanted_class = CLASS_OF_KIND[change.kind]
    if module_class != wanted_class:
        raise InvalidInputError.single(
            change.field,
            f"{change.action} {change.kind} applies to {wanted_class} modules; this is a {module_class} module",
        )
    raw = user_answers(recorded)
    value = change.value.strip()
    if change.kind == "child":
        summary = _child(raw, recorded, change, value, ctx)
    elif change.kind == "interface":
        summary = _interface(raw, recorded, change, value, ctx)
    elif change.kind == "property":
        summary = _property(raw, recorded, change, value)
    else:
        summary = _uses(raw, recorded, change, value)
    fresh = build_spec(raw, ctx).to_answers()
    answers = {k: v for k, v in recorded.items() if not k.startswith("_")}
    key = ANSWER_KEY[change.kind]
    answers[key] = _kept_children(recorded, fresh["children"]) if key == "children" else fresh[key]
    return answers, summary


# ---- children


def _child_types(recorded: Mapping[str, Any]) -> list[str]:
    return [c["type"] for c in recorded.get("children") or ()]


def _kept_children(recorded: Mapping[str, Any], fresh: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The children after the change: those already there as recorded, the new ones as `avm new` records them."""
    known = {c["type"].lower(): c for c in recorded.get("children") or ()}
    return [known.get(c["type"].lower(), c) for c in fresh]


def _child(raw: dict[str, Any], recorded: Mapping[str, Any], change: Change, path: str, ctx: SpecContext) -> str:
    namespace, resource_type = recorded["provider_namespace"], recorded["resource_type"]
    here = _child_types(recorded)
    lowered = {t.lower(): t for t in here}
    if change.action == "remove":
        if change.publish:
            raise InvalidInputError.single("publish", "applies to avm add child only")
        if path.lower() not in lowered:
            has = ", ".join(here) or "none"
            raise InvalidInputError.single("child", f"{path!r} is not a child of the module (it has: {has})")
        gone = [t for t in here if t.lower() == path.lower() or t.lower().startswith(f"{path.lower()}/")]
        raw["children"] = [t for t in here if t not in gone]
        raw["published_children"] = [t for t in raw.get("published_children") or () if t not in gone]
        return f"removes the child {', '.join(gone)}"
    if path.lower() in lowered:
        raise InvalidInputError.single("child", f"{lowered[path.lower()]} is already a child of the module")
    segments = path.split("/")
    for depth in range(1, len(segments) + 1):
        implied = "/".join(segments[:depth])
        if implied.lower() in lowered:
            continue
        if ctx.catalog.child_facts(namespace, resource_type, implied) is None:
            known = ", ".join(c.type_path for c in ctx.catalog.facts(namespace, resource_type).children) or "none known"
            raise InvalidInputError.single(
                "child", f"{implied!r} is not a child type of {namespace}/{resource_type} (child types: {known})"
            )
    if change.publish and recorded.get("language") != "bicep":
        raise InvalidInputError.single("publish", "Terraform submodules are not published on their own")
    raw["children"] = [*here, path]
    if change.publish:
        raw["published_children"] = [*(raw.get("published_children") or ()), path]
    added = [p for p in ("/".join(segments[: d + 1]) for d in range(len(segments))) if p.lower() not in lowered]
    return f"adds the child {', '.join(added)}" + (" (published)" if change.publish else "")


# ---- interfaces


def _interface(raw: dict[str, Any], recorded: Mapping[str, Any], change: Change, name: str, ctx: SpecContext) -> str:
    if name not in INTERFACE_KEYS:
        raise InvalidInputError.single(
            "interface", f"{name!r} is not an interface; expected one of {', '.join(INTERFACE_KEYS)}"
        )
    here = list(recorded.get("interfaces") or ())
    full_type = f"{recorded['provider_namespace']}/{recorded['resource_type']}"
    if change.action == "remove":
        if name not in here:
            raise InvalidInputError.single(
                "interface", f"the module has no {name} interface (it has: {', '.join(here) or 'none'})"
            )
        raw["interfaces"] = [k for k in here if k != name]
        return f"removes the interface {name}"
    if name in here:
        raise InvalidInputError.single("interface", f"the module has the {name} interface already")
    facts = ctx.catalog.facts(recorded["provider_namespace"], recorded["resource_type"])
    if name not in facts.interfaces:
        raise InvalidInputError.single("interface", f"{name}: {full_type} cannot carry it")
    raw["interfaces"] = [k for k in INTERFACE_KEYS if k in (*here, name)]
    return f"adds the interface {name}"


# ---- the resource's own properties


def _property(raw: dict[str, Any], recorded: Mapping[str, Any], change: Change, name: str) -> str:
    from generator.azure_types.lookup import schema_for
    from generator.spec import ModuleSpec

    selection = property_selection.parse(recorded.get("properties"))
    resolved = schema_for(ModuleSpec.from_answers(recorded))
    if resolved is None:
        raise InvalidInputError.single(
            "property",
            f"no schema of {recorded['provider_namespace']}/{recorded['resource_type']} is known; the module has none of its properties",
        )
    offered = {p.name: p for p in property_selection.selectable(resolved.schema)}
    prop = offered.get(name)
    if prop is None:
        names = ", ".join(sorted(offered, key=str.lower))
        raise InvalidInputError.single(
            "property", f"{name!r} is not a writable property of {resolved.found.name}; it has {names}"
        )
    has = property_selection.wants(selection, name, prop.required)
    if change.action == "add":
        if has:
            raise InvalidInputError.single(
                "property", f"the module has {name} already (properties: {_shown(selection)})"
            )
        listed = selection if isinstance(selection, tuple) else ()
        raw["properties"] = [*listed, name]
        return f"adds the property {name}" + (" and the required ones" if selection == property_selection.NONE else "")
    if not has:
        raise InvalidInputError.single(
            "property", f"the module has no {name} parameter (properties: {_shown(selection)})"
        )
    if prop.required:
        raise InvalidInputError.single(
            "property", f"{name} is required by {resolved.found.name}; every module of it has {name}"
        )
    if selection == property_selection.ALL:
        rest = [p for p, found in offered.items() if not found.required and p != name]
    else:
        rest = [p for p in selection if p != name]
    raw["properties"] = rest or property_selection.REQUIRED
    return f"removes the property {name}"


def _shown(selection: property_selection.Selection) -> str:
    return selection if isinstance(selection, str) else ", ".join(selection)


# ---- modules a pattern uses


def _uses(raw: dict[str, Any], recorded: Mapping[str, Any], change: Change, value: str) -> str:
    here = list(recorded.get("uses") or ())
    module = value.rpartition("@")[0] if "@" in value else value
    match = [u for u in here if u["module"].lower() == module.lower() or u["source"].lower().endswith(module.lower())]
    if change.action == "remove":
        if not match:
            names = ", ".join(u["module"] for u in here) or "none"
            raise InvalidInputError.single("uses", f"the pattern does not use {module} (it uses: {names})")
        raw["uses"] = [u for u in here if u not in match]
        return f"removes {match[0]['module']}@{match[0]['version']}"
    if match:
        raise InvalidInputError.single("uses", f"the pattern uses {match[0]['module']}@{match[0]['version']} already")
    raw["uses"] = [*here, value]
    return f"adds {value}"
