"""`avm catalog show TYPE`: what the generator knows about one resource type, as a model, text and JSON.

The facts come from the same places `avm new` asks: the catalog (`generator.catalog`, with the API-versions
list behind it) and the schema layer (`generator.azure_types.lookup`).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog import Catalog
from generator.errors import InvalidInputError

FIELD = "TYPE"
ENVELOPE = ("type", "apiVersion")  # constants of every resource body, not outputs
EXAMPLE = "Microsoft.KeyVault/vaults"


@dataclass(frozen=True)
class PropertyRow:
    path: str
    type: str  # `string`, `enum`, `array<string>`, `object (Sku)`, `map`
    required: bool  # always required: at its level and every level above, under no condition
    conditional: bool  # required only with some discriminator value (or below an optional parent)
    read_only: bool
    write_only: bool
    secret: bool
    enum: tuple[str, ...] = ()
    open_enum: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    pattern: str | None = None

    @property
    def flags(self) -> list[str]:
        """The facts of the property, each a few words, for the text table."""
        found = [
            name
            for name, on in (
                ("required", self.required),
                ("conditional", self.conditional),
                ("read-only", self.read_only),
                ("write-only", self.write_only and not self.read_only),
                ("secret", self.secret and not self.write_only),
            )
            if on
        ]
        if self.enum:
            found.append(f"{'open ' if self.open_enum else ''}enum: {' | '.join(self.enum)}")
        for label, low, high in (
            ("length", self.min_length, self.max_length),
            ("value", self.min_value, self.max_value),
        ):
            if low is not None or high is not None:
                found.append(f"{label} {'' if low is None else low}..{'' if high is None else high}")
        if self.pattern:
            found.append(f"pattern {self.pattern}")
        return found


@dataclass(frozen=True)
class SchemaView:
    type: str  # `Microsoft.KeyVault/vaults@2026-02-01`, as the schemas spell it
    api_version: str
    exact: bool  # the version asked for (else the nearest older one)
    source: str  # cache, checkout, bundle, download
    source_location: str  # the folder, the address or the shipped file
    revision: str | None
    scopes: tuple[str, ...]
    fixed_name: tuple[str, ...]
    location: str  # `yes`, `read-only` or `no`
    tags: str
    identity: str
    identity_kinds: tuple[str, ...]
    properties: tuple[PropertyRow, ...]
    read_only_properties: tuple[PropertyRow, ...]


@dataclass(frozen=True)
class ChildRow:
    type_path: str  # relative to the type shown
    api_version: str
    tags: bool
    location: bool


@dataclass(frozen=True)
class CatalogView:
    """What the catalog holds; for a child type only what it holds about children."""

    display_name: str | None
    in_catalog: bool
    location: bool | str | None  # True, False, "global"; None for a child type
    tags: bool
    identity: tuple[str, ...]
    interfaces: tuple[str, ...]
    private_endpoint_group_ids: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    children: tuple[ChildRow, ...]
    parent: str | None = None  # `Microsoft.KeyVault/vaults` for a child type


@dataclass(frozen=True)
class TypeReport:
    type: str  # canonical spelling: `Microsoft.KeyVault/vaults/secrets`
    namespace: str
    type_path: str  # `vaults/secrets`
    api_version: str | None
    api_version_source: str  # `--api-version`, `catalog pin`, `API-versions list (shipped)`, ...
    listed_in: str  # `catalog`, `API-versions list` or `schemas` (a type only a schema source knows)
    catalog: CatalogView
    schema: SchemaView | None
    schema_problem: str | None = None  # a download problem met while looking, told once
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["catalog"]["roles"] = [{"name": n, "id": i} for n, i in self.catalog.roles]
        return data


def split_type(text: str) -> tuple[str, str]:
    """`Microsoft.KeyVault/vaults/secrets` -> (`Microsoft.KeyVault`, `vaults/secrets`); exit 2 otherwise."""
    parts = [part.strip() for part in text.strip().strip("/").split("/")]
    if len(parts) < 2 or not all(parts) or "." not in parts[0]:
        raise InvalidInputError.single(FIELD, f"expected Namespace/type[/child], e.g. {EXAMPLE}; got {text!r}")
    return parts[0], "/".join(parts[1:])


def checked_api_version(value: str) -> str:
    from generator.api_versions import canonical_version
    from generator.spec import valid_api_version

    version = canonical_version(value.strip())
    if not valid_api_version(version):
        raise InvalidInputError.single(
            "--api-version", f"{value!r} is not an API version: a real date YYYY-MM-DD, like 2024-11-01"
        )
    return version


def known_types(catalog: Catalog, namespace: str | None) -> list[str]:
    """Every `Namespace/type/path` the catalog and the API-versions list know (of one namespace when given)."""
    namespaces = [namespace] if namespace else catalog.namespaces()
    found: dict[str, str] = {}
    for ns in namespaces:
        for top in catalog.types(ns):
            found.setdefault(f"{ns}/{top}".lower(), f"{ns}/{top}")
            for child in catalog.facts(ns, top).children if namespace else ():
                full = f"{ns}/{top}/{child.type_path}"
                found.setdefault(full.lower(), full)
    return list(found.values())


def unknown_type(catalog: Catalog, text: str, namespace: str | None) -> InvalidInputError:
    candidates = known_types(catalog, namespace)
    by_lower = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(text.lower(), list(by_lower), n=3, cutoff=0.6)
    hint = f"; closest known: {', '.join(by_lower[c] for c in close)}" if close else ""
    return InvalidInputError.single(FIELD, f"unknown resource type {text}{hint}")


def property_row(prop: Any) -> PropertyRow:
    return PropertyRow(
        path=prop.path,
        type=type_label(prop),
        required=prop.always_required,
        conditional=prop.required and not prop.always_required,
        read_only=prop.read_only,
        write_only=prop.write_only,
        secret=prop.secret,
        enum=tuple(prop.enum),
        open_enum=prop.open_enum,
        min_length=prop.min_length,
        max_length=prop.max_length,
        min_value=prop.min_value,
        max_value=prop.max_value,
        pattern=prop.pattern,
    )


def type_label(facts: Any) -> str:
    if facts.kind == "array":
        return f"array<{type_label(facts.item)}>" if facts.item is not None else "array"
    if facts.kind == "object":
        if facts.is_map:
            return "map"
        return f"object ({facts.object_name})" if facts.object_name else "object"
    return facts.kind


def presence(schema: Any, path: str) -> str:
    found = schema.at(path)
    return "no" if found is None else "read-only" if found.read_only else "yes"


def schema_view(resolved: Any) -> SchemaView:
    schema = resolved.schema
    read_only = [p for p in schema.read_only_properties if p.name not in ("properties", *ENVELOPE)]
    inner = schema.at("properties")
    if inner is not None and not inner.read_only:
        read_only += [p for p in schema.children("properties") if p.read_only]
    found = resolved.found
    return SchemaView(
        type=found.name,
        api_version=found.api_version,
        exact=found.exact,
        source=found.source.kind,
        source_location=found.source.location,
        revision=found.source.revision,
        scopes=tuple(schema.scopes),
        fixed_name=tuple(schema.fixed_name),
        location=presence(schema, "location"),
        tags=presence(schema, "tags"),
        identity=presence(schema, "identity"),
        identity_kinds=tuple(schema.identity_kinds),
        properties=tuple(property_row(p) for p in schema.flattened_properties),
        read_only_properties=tuple(property_row(p) for p in read_only),
    )


def _api_version(catalog: Catalog, namespace: str, type_path: str, given: str | None) -> tuple[str | None, str]:
    if given:
        return given, "--api-version"
    version = catalog.newest(namespace, type_path)
    pinned = catalog.pinned(namespace, type_path)
    if pinned is not None and version == pinned:
        return version, "catalog pin"
    return version, f"{'refreshed' if catalog.refreshed else 'shipped'} API-versions list"


def _catalog_view(catalog: Catalog, namespace: str, type_path: str) -> tuple[CatalogView, str] | None:
    """The catalog's view of a type or child type and its canonical type path; None when nothing lists it."""
    top, _, rest = type_path.partition("/")
    facts = catalog.facts(namespace, top)
    if not rest:
        if not facts.listed:
            return None
        location: bool | str = "global" if facts.global_location else facts.location
        view = CatalogView(
            display_name=facts.display_name,
            in_catalog=facts.known,
            location=location,
            tags=facts.tags,
            identity=facts.identity if "managed-identities" in facts.interfaces else (),
            interfaces=facts.interfaces,
            private_endpoint_group_ids=facts.private_endpoint_group_ids,
            roles=facts.roles,
            children=tuple(ChildRow(c.type_path, c.api_version, c.tags, c.location) for c in facts.children),
        )
        return view, facts.resource_type
    child = catalog.child_facts(namespace, facts.resource_type, rest) if facts.listed else None
    if child is None:
        return None
    prefix = f"{child.type_path.lower()}/"
    below = tuple(
        ChildRow(c.type_path[len(prefix) :], c.api_version, c.tags, c.location)
        for c in facts.children
        if c.type_path.lower().startswith(prefix)
    )
    view = CatalogView(
        display_name=None,
        in_catalog=facts.known and catalog.pinned(namespace, f"{facts.resource_type}/{child.type_path}") is not None,
        location=None,
        tags=child.tags,
        identity=(),
        interfaces=(),
        private_endpoint_group_ids=(),
        roles=(),
        children=below,
        parent=f"{facts.namespace}/{facts.resource_type}",
    )
    return view, f"{facts.resource_type}/{child.type_path}"


def build(
    text: str,
    *,
    api_version: str | None = None,
    schemas_dir: Path | None = None,
    catalog: Catalog | None = None,
    allow_download: bool = True,
) -> TypeReport:
    """The report on one type; InvalidInputError (exit 2) for a type nobody knows."""
    from generator.azure_types import lookup, sources

    given_namespace, given_path = split_type(text)
    if api_version is not None:
        api_version = checked_api_version(api_version)
    catalog = catalog or Catalog.load()
    namespace = catalog.canonical_namespace(given_namespace)
    if namespace is None:
        raise unknown_type(catalog, text, None)
    viewed = _catalog_view(catalog, namespace, given_path)
    if viewed is None and api_version is None:
        raise unknown_type(catalog, f"{namespace}/{given_path}", namespace)
    view, type_path = viewed or (CatalogView(None, False, None, False, (), (), (), (), ()), given_path)
    version, version_source = _api_version(catalog, namespace, type_path, api_version)
    resolved = (
        lookup.resource_schema(namespace, type_path, version, schemas_dir=schemas_dir, allow_download=allow_download)
        if version
        else None
    )
    if viewed is None and resolved is None:
        raise unknown_type(catalog, f"{namespace}/{given_path}", namespace)
    if viewed is None:  # known only to the schema: its spelling
        type_path = resolved.found.name.rpartition("@")[0].split("/", 1)[1]
    notes: list[str] = []
    if resolved is not None and not resolved.exact:
        notes.append(f"no schema for {version}: the nearest older one, {resolved.found.api_version}, is shown")
    return TypeReport(
        type=f"{namespace}/{type_path}",
        namespace=namespace,
        type_path=type_path,
        listed_in="catalog" if view.in_catalog else "API-versions list" if viewed else "schemas",
        api_version=version,
        api_version_source=version_source,
        catalog=view,
        schema=schema_view(resolved) if resolved is not None else None,
        schema_problem=sources.download_problem(),
        notes=tuple(notes),
    )


# Text


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    """Aligned columns; the last column is left as it is."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        (
            indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1]
        ).rstrip()
        for row in rows
    ]


def _child_flags(child: ChildRow) -> list[str]:
    return [name for name, on in (("location", child.location), ("tags", child.tags)) if on]


def _section(title: str, rows: list[tuple[str, ...]]) -> list[str]:
    return ["", title, *_table(rows)]


def render_text(report: TypeReport) -> str:
    view = report.catalog
    title = report.type + (f" ({view.display_name})" if view.display_name else "")
    lines = [title]
    facts: list[tuple[str, str]] = []
    if view.parent:
        facts.append(("child of", view.parent))
    facts.append(("listed in", report.listed_in))
    facts.append(("API version", f"{report.api_version or '-'} ({report.api_version_source})"))
    if view.location is not None:
        location = "global" if view.location == "global" else _yes(bool(view.location))
        facts.append(("location", location))
    facts.append(("tags", _yes(view.tags)))
    if view.parent is None:
        facts.append(("identity", ", ".join(view.identity) or "-"))
        facts.append(("interfaces", ", ".join(view.interfaces) or "-"))
        facts.append(("private endpoint", ", ".join(view.private_endpoint_group_ids) or "-"))
    lines += _section("Catalog", facts)
    if view.roles:
        lines += _section(f"Roles ({len(view.roles)})", [(name, guid) for name, guid in view.roles])
    if view.children:
        lines += _section(
            f"Children ({len(view.children)})",
            [(c.type_path, c.api_version, ", ".join(_child_flags(c))) for c in view.children],
        )
    schema = report.schema
    if schema is None:
        problem = f" ({report.schema_problem})" if report.schema_problem else ""
        lines += ["", f"Schema: none found for {report.type}@{report.api_version or '-'}{problem}"]
    else:
        found = "exact" if schema.exact else f"nearest older than {report.api_version}"
        source = schema.source + (f", revision {schema.revision}" if schema.revision else "")
        rows = [
            ("type", f"{schema.type} ({found})"),
            ("source", source),
            ("scopes", ", ".join(schema.scopes) or "-"),
            ("fixed name", " | ".join(schema.fixed_name) or "-"),
            ("location", schema.location),
            ("tags", schema.tags),
            ("identity", ", ".join(schema.identity_kinds) or schema.identity),
        ]
        lines += _section("Schema", rows)
        lines += _section(
            f"Properties ({len(schema.properties)})",
            [("PATH", "TYPE", "FLAGS"), *((p.path, p.type, ", ".join(p.flags)) for p in schema.properties)],
        )
        if schema.read_only_properties:
            lines += _section(
                f"Read-only properties ({len(schema.read_only_properties)})",
                [(p.path, p.type, "") for p in schema.read_only_properties],
            )
    if report.schema_problem and schema is not None:
        lines += ["", f"Download problem: {report.schema_problem}"]
    lines += [f"Note: {note}" for note in report.notes]
    return "\n".join(lines)
