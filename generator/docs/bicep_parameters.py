"""The Parameters section of a Bicep README, from parameters compiled to `main.json`'s shape.

The layout is Set-ModuleReadMe's: one table per category (the description's first word: Required,
Conditional, Optional, Generated, then any other), then one block per parameter, each followed by the
properties of its user-defined type, nested as deep as the types go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.bicep import values
from generator.bicep.readme import (
    CATEGORY_ORDER,
    ParamBlock,
    ParamRow,
    ParamSection,
    ParamTable,
    Variant,
    header_anchor,
    one_line,
)
from generator.docs.collation import culture_sort_key

ANY_PROPERTY = ">Any_other_property<"
EXPRESSION_RE = re.compile(r"\[\w+\(.*\).*\]")


@dataclass(frozen=True)
class Roles:
    top: list[str] | None  # the module's own built-in role names (None: it declares none)
    symbols: list[tuple[str, list[str] | None]]  # every deployed symbolic name, with a called module's roles
    scope: RoleScope | None = None  # the level being written


@dataclass
class RoleScope:
    """The role names a level of the Parameters section last found. Set-ModuleReadMe keeps them in a variable
    that a nested level reads from its caller until it finds names of its own (PowerShell's dynamic scope)."""

    parent: RoleScope | None = None
    names: list[str] | None = None
    assigned: bool = False

    def current(self) -> list[str]:
        scope: RoleScope | None = self
        while scope is not None:
            if scope.assigned:
                return scope.names or []
            scope = scope.parent
        return []


def parameter_section(
    params: Mapping[str, dict[str, Any]], definitions: Mapping[str, dict[str, Any]], roles: Roles, parent: str = ""
) -> ParamSection:
    named = dict(params)
    roles = replace(roles, scope=RoleScope(roles.scope))
    categories = list(dict.fromkeys(description(s).split(".")[0] for s in named.values()))
    ordered = [c for c in CATEGORY_ORDER if c in categories] + [c for c in categories if c not in CATEGORY_ORDER]
    tables: list[ParamTable] = []
    blocks: list[ParamBlock] = []
    variant_tables: list[tuple[ParamRow, ...]] = []  # never reset within a level, as Set-ModuleReadMe does
    for category in ordered:
        members = sorted(
            (n for n, s in named.items() if description(s).startswith(f"{category}. ")), key=culture_sort_key
        )
        rows = []
        for name in members:
            block = parameter_block(name, named[name], definitions, roles, parent, category)
            if block.variants:
                variant_tables.append(
                    tuple(
                        ParamRow(v.value, header_anchor(f"### Variant: `{v.path}`"), "", v.description)
                        for v in block.variants
                    )
                )
                block = replace(block, variant_tables=tuple(variant_tables))
            path = block.path
            rows.append(ParamRow(name, header_anchor(f"### Parameter: `{path}`"), block.type, block.description))
            blocks.append(block)
        tables.append(ParamTable(category, tuple(rows)))
    return ParamSection(tuple(tables), tuple(blocks))


def description(schema: Mapping[str, Any]) -> str:
    return str((schema.get("metadata") or {}).get("description") or "")


def resolve(schema: Mapping[str, Any], definitions: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return definitions.get(ref.rsplit("/", 1)[-1], {}) if ref else {}


def parameter_block(
    name: str,
    schema: dict[str, Any],
    definitions: Mapping[str, dict[str, Any]],
    roles: Roles,
    parent: str,
    category: str,
) -> ParamBlock:
    path = f"{parent}.{name}" if parent else name
    items = schema.get("items") or {}
    definition: dict[str, Any] | None
    if "$ref" in schema:
        definition = resolve(schema, definitions)
        kind, allowed = definition.get("type"), definition.get("allowedValues")
    elif items.get("type") in ("object", "array") or schema.get("type") == "object":
        definition, kind, allowed = schema, schema.get("type"), schema.get("allowedValues")
    elif "$ref" in items:
        definition = resolve(items, definitions)
        kind, allowed = schema.get("type"), definition.get("allowedValues")
    else:
        definition, kind, allowed = None, schema.get("type"), schema.get("allowedValues")
    required = (
        "defaultValue" not in schema
        and not schema.get("nullable")
        and not ("$ref" in schema and (definition or {}).get("nullable"))
    )
    example = (schema.get("metadata") or {}).get("example")
    return ParamBlock(
        path=path,
        description=one_line(description(schema)[len(category) + 2 :]),
        required=required,
        type=str(kind or ""),
        default=default_text(name, schema["defaultValue"]) if "defaultValue" in schema else None,
        allowed=tuple(bicep_lines(name, allowed)) if isinstance(allowed, list) else (),
        roles=tuple(role_names(name, parent, roles)),
        nested=nested_section(definition, definitions, roles, path),
        min_value=schema.get("minValue"),
        max_value=schema.get("maxValue"),
        example=example_lines(example),
        discriminator=((definition or {}).get("discriminator") or {}).get("propertyName"),
        variants=variants(definition, definitions, roles, path),
    )


def variants(
    definition: dict[str, Any] | None, definitions: Mapping[str, dict[str, Any]], roles: Roles, path: str
) -> tuple[Variant, ...]:
    """The members of a discriminated union type (only when the type has no properties of its own)."""
    if not definition or "items" in definition or definition.get("properties"):
        return ()
    discriminator = definition.get("discriminator") or {}
    prop = discriminator.get("propertyName")
    if definition.get("type") not in ("object", "secureObject") or not prop:
        return ()
    found = []
    for member in discriminator.get("mapping") or []:
        resolved = resolve(member, definitions) if "$ref" in member else member
        properties = resolved.get("properties") or {}
        value = str(((properties.get(prop) or {}).get("allowedValues") or [""])[0])
        variant_path = f"{path}.{prop}-{value}"
        text = description(resolved).replace("\r\n", "<p>").replace("\n", "<p>")
        section = parameter_section(properties, definitions, roles, variant_path) if properties else None
        found.append(Variant(variant_path, prop, value, text, section))
    return tuple(found)


def nested_section(
    definition: dict[str, Any] | None, definitions: Mapping[str, dict[str, Any]], roles: Roles, path: str
) -> ParamSection | None:
    """The properties of a parameter's type: of its items for an array, else of the object itself."""
    if not definition:
        return None
    if "items" in definition:
        holder = definition["items"] or {}
    elif definition.get("type") in ("object", "secureObject"):
        holder = definition
    else:
        return None
    parts = []
    if holder.get("properties"):
        parts.append(parameter_section(holder["properties"], definitions, roles, path))
    if isinstance(holder.get("additionalProperties"), dict) and holder["additionalProperties"]:
        parts.append(parameter_section({ANY_PROPERTY: holder["additionalProperties"]}, definitions, roles, path))
    if not parts:
        return None
    return ParamSection(
        tuple(t for part in parts for t in part.tables), tuple(b for part in parts for b in part.blocks)
    )


def role_names(name: str, parent: str, roles: Roles) -> list[str]:
    """The roles a `roleAssignments` property lists: the module's own at the top level; below it, those of the
    one called module whose symbol ends in `_<parent>` (none when several do), else what the level above last
    found."""
    if name != "roleAssignments" or roles.top is None or roles.scope is None:
        return []
    if not parent:
        roles.scope.names, roles.scope.assigned = roles.top, True
    else:
        pattern = re.compile(f"^.*_{re.escape(parent)}$", re.I)
        matches = [names for symbol, names in roles.symbols if pattern.match(symbol)]
        if matches:
            roles.scope.names, roles.scope.assigned = (matches[0] if len(matches) == 1 else None), True
    return roles.scope.current()


def default_text(name: str, value: Any) -> str | None:
    """A default as Set-ModuleReadMe writes it: arrays and objects as Bicep, plain strings quoted, expressions
    (`[resourceGroup().location]`) as they are."""
    if isinstance(value, list):
        return "[]" if not value else "\n".join(bicep_lines(name, value))
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = values.render(sorted_value(value)).split("\n")[1:-1]
        return "\n".join(["{", *(f"  {line}" for line in inner), "}"])
    if value is None:
        return None
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str) and not EXPRESSION_RE.search(value):
        return f"'{value}'"
    return str(value)


def bicep_lines(name: str, items: list[Any]) -> list[str]:
    """An array as Bicep lines. Set-ModuleReadMe writes it as a property and then takes the `name: ` off
    again, which leaves a name that needs quotes (`'odata.type': [`) in place."""
    lines = values.render(sorted_value(items)).split("\n")
    if not re.fullmatch(r"\w+", name):
        lines[0] = f"'{name}': {lines[0]}"
    return lines


def sorted_value(value: Any) -> Any:
    """Keys and primitive items in the order Set-ModuleReadMe prints them."""
    if isinstance(value, dict):
        return {k: sorted_value(value[k]) for k in sorted(value, key=culture_sort_key)}
    if isinstance(value, list):
        items = [sorted_value(v) for v in value]
        arrays = [i for i in items if isinstance(i, list)]
        objects = [i for i in items if isinstance(i, dict)]
        primitives = [i for i in items if not isinstance(i, (list, dict))]
        if all(isinstance(i, int) and not isinstance(i, bool) for i in primitives):
            primitives.sort()
        else:
            primitives.sort(key=lambda i: culture_sort_key(str(i)))
        return [*arrays, *objects, *primitives]
    return value


def example_lines(example: Any) -> tuple[str, ...]:
    """`metadata.example` as Set-ModuleReadMe prints it: a string as written, less the first line's indent; the
    items of an array one a line; an object as PowerShell names its type."""
    if isinstance(example, dict):
        return ("System.Management.Automation.OrderedHashtable",)
    if isinstance(example, list):
        example = "\n".join(str(item) for item in example)
    if not isinstance(example, str) or not example:
        return ()
    lines = example.split("\n")
    first_indent = re.match(r"^(\s+)\S", example)
    trim = len(first_indent.group(1)) if first_indent else 0
    shown = [re.sub(rf"^\s{{{trim}}}", "", f"  {line}") if trim else f"  {line}" for line in lines if line]
    text = "\n".join(shown).rstrip()
    if len(lines) == 1:
        return (text.lstrip(),)
    return tuple(line[2:] if line.startswith("  ") else line for line in text.split("\n"))
