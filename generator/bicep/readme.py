"""The README.md of a Bicep module, laid out the way BRM's `Set-ModuleReadMe.ps1` lays it out.

BRM generates a module's README from its compiled `main.json` and its e2e tests. A freshly generated
module has neither built yet, so this module derives the same sections from our own models: the
`BicepModule` (parameters, outputs, child types) and, for the top-level module, its `Scenarios`; for a
pattern or utility the `CompositeModule` and its `CompositeScenarios`. What an interface parameter's
common type holds comes from `data/common_types.yaml`.

`build_readme` and `composite_readme` return a `Readme`; `readme_text.render_readme` prints it (for `avm new`,
`avm add` and `avm docs` alike) and decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from generator.bicep import values
from generator.bicep.composite import CompositeModule
from generator.bicep.examples import Example as Example  # the README model shows it
from generator.bicep.examples import ExampleSource, Usage, collation_key, examples, symbol_of
from generator.bicep.model import BicepModule, Param
from generator.bicep.multi_scope import parent_description, parent_name
from generator.bicep.scenarios import CompositeScenarios, ImportScenario, Scenario, Scenarios
from generator.docs import example_params
from generator.interfaces import DEPLOYMENT_SCRIPT, INTERFACES, PRIVATE_ENDPOINT_MODULE_REF
from generator.paths import read_data
from generator.spec import ModuleSpec

SECTION_ORDER = (
    "Resource Types",
    "Usage examples",
    "Parameters",
    "Outputs",
    "Cross-referenced modules",
    "Data Collection",
)
CATEGORY_ORDER = ("Required", "Conditional", "Optional", "Generated")
PRIMITIVE_TYPES = ("string", "bool", "int", "object", "array")
TEMPLATES_URL = "https://learn.microsoft.com/en-us/azure/templates"
AZADVERTIZER_URL = "https://www.azadvertizer.net/azresourcetypes"
TARGET_VERSION = "<version>"
QUOTED_RE = re.compile(r"'((?:[^'\\]|\\.)*)'")


# ---------------------------------------------------------------------------------------------------------------------
# The README model
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    anchor: str


@dataclass(frozen=True)
class ModuleReference:
    """The 'You can reference the module as follows' block of a published module."""

    symbol: str
    registry_ref: str


@dataclass(frozen=True)
class ResourceTypeRow:
    type: str
    api_version: str

    @property
    def azadvertizer_url(self) -> str:
        return f"{AZADVERTIZER_URL}/{self.type.lower().replace('/', '_')}.html"

    @property
    def reference_url(self) -> str:
        namespace, _, path = self.type.partition("/")
        return f"{TEMPLATES_URL}/{namespace}/{self.api_version}/{path}"


@dataclass(frozen=True)
class ParamRow:
    name: str
    anchor: str
    type: str
    description: str


@dataclass(frozen=True)
class ParamTable:
    """`**<category> parameters**` and its table."""

    category: str
    rows: tuple[ParamRow, ...]
    kind: str = "table"


@dataclass(frozen=True)
class ParamBlock:
    """A `### Parameter: <path>` block; `nested` holds the properties of its type, if any."""

    path: str
    description: str
    required: bool
    type: str
    default: str | None = None
    allowed: tuple[str, ...] = ()  # lines of the Bicep array of allowed values
    roles: tuple[str, ...] = ()
    nested: ParamSection | None = None
    kind: str = "block"
    min_value: int | None = None
    max_value: int | None = None
    example: tuple[str, ...] = ()  # lines of the parameter's `metadata.example`
    discriminator: str | None = None
    variant_tables: tuple[tuple[ParamRow, ...], ...] = ()  # the 'available variants' tables of a discriminated type
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True)
class Variant:
    """One member of a discriminated union type: `### Variant: `<path>`` and its properties."""

    path: str  # `<parameter>.<discriminator>-<value>`
    discriminator: str
    value: str
    description: str
    section: ParamSection | None


@dataclass(frozen=True)
class ParamSection:
    """One level of parameters: a table per category, then a block per parameter."""

    tables: tuple[ParamTable, ...]
    blocks: tuple[ParamBlock, ...]

    def entries(self) -> Iterator[ParamTable | ParamBlock]:
        """Tables and blocks in document order, each block followed by its nested section."""
        yield from self.tables
        for block in self.blocks:
            yield block
            if block.nested is not None:
                yield from block.nested.entries()


@dataclass(frozen=True)
class OutputRow:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class CrossReference:
    reference: str
    kind: str  # 'Local reference' or 'Remote reference'


@dataclass(frozen=True)
class Readme:
    name: str
    resource_type: str
    description: str
    reference: ModuleReference | None
    resource_types: tuple[ResourceTypeRow, ...]
    usage: Usage | None
    parameters: ParamSection
    outputs: tuple[OutputRow, ...]
    cross_references: tuple[CrossReference, ...]
    data_collection: bool
    notices: tuple[str, ...] = ()  # DEPRECATED.md, ORPHANED.md, MOVED-TO-AVM.md quoted under the title

    @property
    def sections(self) -> list[str]:
        """The `##` sections after Navigation, in order."""
        optional = {
            "Usage examples": self.usage is not None,
            "Cross-referenced modules": bool(self.cross_references),
            "Data Collection": self.data_collection,
        }
        return [s for s in SECTION_ORDER if optional.get(s, True)]

    @property
    def navigation(self) -> list[Link]:
        return [Link(s, f"#{s.replace(' ', '-').replace('.', '')}") for s in self.sections]

    @property
    def parameter_entries(self) -> list[ParamTable | ParamBlock]:
        return list(self.parameters.entries())


# ---------------------------------------------------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------------------------------------------------


def build_readme(module: BicepModule, scenarios: Scenarios | None = None) -> Readme:
    """The README of `module`; `scenarios` (a `Scenarios`) adds the usage examples."""
    published = not module.is_child or module.child.published
    return Readme(
        name=module.metadata_name,
        resource_type=module.full_type,
        description=module.metadata_description,
        reference=ModuleReference(module_symbol(module), registry_ref(module)) if published else None,
        resource_types=resource_types(module),
        usage=usage(module, scenarios) if scenarios is not None else None,
        parameters=parameter_section(module_fields(module), ""),
        outputs=outputs(module),
        cross_references=cross_references(module),
        data_collection=any(p.name == "enableTelemetry" for p in module.params),
    )


def multi_scope_readme(spec: ModuleSpec, scope_folders: list[str]) -> Readme:
    """The README of a multi-scope module's unpublished parent: no resources, parameters or outputs of its own; its
    usage examples are in the scope folders' READMEs."""
    return Readme(
        name=parent_name(spec),
        resource_type=spec.full_type,
        description=parent_description(spec),
        reference=None,
        resource_types=(),
        usage=Usage("", (), tuple(scope_folders)),
        parameters=parameter_section([], ""),
        outputs=(),
        cross_references=(),
        data_collection=False,
    )


def composite_readme(module: CompositeModule, scenarios: CompositeScenarios) -> Readme:
    """The README of a pattern or utility module: no child types and no common types to expand."""
    return Readme(
        name=module.metadata_name,
        resource_type=module.title_type,
        description=module.metadata_description,
        reference=ModuleReference(module_symbol(module), registry_ref(module)),
        resource_types=composite_resource_types(module),
        usage=usage(module, scenarios) if scenarios.scenarios else None,
        parameters=parameter_section([plain_field(p) for p in module.params], ""),
        outputs=tuple(
            sorted(
                (OutputRow(o.name, o.type, o.description) for o in module.outputs), key=lambda r: culture_key(r.name)
            )
        ),
        cross_references=tuple(
            CrossReference(r, "Remote reference") for r in sorted(module.cross_references, key=culture_key)
        ),
        data_collection=module.telemetry,
    )


def composite_resource_types(module: CompositeModule) -> tuple[ResourceTypeRow, ...]:
    """What a pattern or utility deploys itself: a utility's deployment script (the modules a pattern uses are
    not known here)."""
    if not module.script:
        return ()
    return (ResourceTypeRow(DEPLOYMENT_SCRIPT["type"], DEPLOYMENT_SCRIPT["api_version"]),)


def registry_ref(module: BicepModule | CompositeModule) -> str:
    suffix = f"/{module.child.folder}" if module.child else ""
    return f"br/public:{module.spec.names.bicep_path}{suffix}:{TARGET_VERSION}"


def module_symbol(module: BicepModule | CompositeModule) -> str:
    """The symbol examples use: the module identifier's second segment in camelCase (`vault`)."""
    return symbol_of(module.spec.names.bicep_path.split("/")[3])


# ---- helpers shared by the sections


def culture_key(text: str) -> tuple[str, str]:
    """An approximation of PowerShell's `Sort-Object -Culture 'en-US'`: case-insensitive, lower case first."""
    return (text.casefold(), text.swapcase())


def header_anchor(header: str) -> str:
    """A parameter heading's anchor: `### Parameter: `lock.kind`` -> `#parameter-lockkind`."""
    text = re.sub(r"^#+ ", "", header)
    text = re.sub(r"\s", "-", text)
    return "#" + re.sub(r"`|:|\.", "", text).lower()


def one_line(text: str) -> str:
    return text.replace("\n- ", "<li>").replace("\r\n", "<p>").replace("\n", "<p>")


def strip_category(description: str) -> tuple[str, str]:
    category, _, rest = description.partition(". ")
    return category, rest


def readme_type(bicep_type: str, decorators: Iterable[str] = ()) -> str:
    """The ARM JSON type a README shows for a Bicep type: `lockType?` -> object, `secretType[]?` -> array."""
    base = bicep_type.strip().removesuffix("?")
    secure = any(d.strip().startswith("@secure(") for d in decorators)
    if base.endswith("]"):
        kind = "array"
    elif base in PRIMITIVE_TYPES:
        kind = base
    elif base.startswith("'") or "|" in base:
        kind = "string"
    else:
        kind = "object"  # user-defined types and `resourceInput<...>.tags`
    if secure and kind in ("string", "object"):
        return "securestring" if kind == "string" else "secureObject"
    return kind


def type_name(bicep_type: str) -> str:
    """The user-defined type a parameter uses: `roleAssignmentType[]?` -> roleAssignmentType."""
    return bicep_type.strip().removesuffix("?").removesuffix("[]")


def readme_default(default: str | None) -> str | None:
    """A Bicep default as the compiled template shows it: `true` -> True, `resourceGroup().location` -> [...]."""
    if default is None:
        return None
    code = default.strip()
    if code in ("true", "false"):
        return code.capitalize()
    if re.fullmatch(r"-?\d+|'(?:[^'\\]|\\.)*'|\[\]|\{\}", code):
        return code
    return f"[{code}]"


def allowed_lines(allowed: Iterable[str]) -> tuple[str, ...]:
    items = sorted(allowed, key=culture_key)
    return tuple(values.render(items).split("\n")) if items else ()


def union_values(bicep_type: str) -> tuple[str, ...]:
    """The values of a union of string literals (`('Blob' | 'None')?`), else ()."""
    text = bicep_type.strip().removesuffix("?").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    members = [m.strip() for m in text.split("|")]
    if len(members) < 2 or not all(QUOTED_RE.fullmatch(m) for m in members):
        return ()
    return tuple(re.sub(r"\\(.)", r"\1", m[1:-1]) for m in members)


def decorator_allowed(decorators: Iterable[str]) -> list[str]:
    for decorator in decorators:
        if decorator.strip().startswith("@allowed("):
            return [re.sub(r"\\(.)", r"\1", m) for m in QUOTED_RE.findall(decorator)]
    return []


def decorator_number(decorators: Iterable[str], name: str) -> int | None:
    """The bound of a `@minValue(1)` or `@maxValue(365)` decorator, which the README shows as MinValue/MaxValue."""
    for decorator in decorators:
        match = re.fullmatch(rf"@{name}\((-?\d+)\)", decorator.strip())
        if match:
            return int(match.group(1))
    return None


# ---- parameters


@dataclass(frozen=True)
class Field:
    """A parameter or a property of a parameter's type, before it is laid out."""

    name: str
    type: str
    description: str  # with its category prefix
    required: bool
    default: str | None = None
    allowed: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    min_value: int | None = None
    max_value: int | None = None

    @property
    def category(self) -> str:
        return strip_category(self.description)[0]


def parameter_section(fields: Iterable[Field], parent: str) -> ParamSection:
    by_category: dict[str, list[Field]] = {}
    for f in fields:
        by_category.setdefault(f.category, []).append(f)
    categories = [c for c in CATEGORY_ORDER if c in by_category]
    categories += [c for c in by_category if c not in CATEGORY_ORDER]
    tables, blocks = [], []
    for category in categories:
        members = sorted(by_category[category], key=lambda f: culture_key(f.name))
        tables.append(ParamTable(category, tuple(param_row(f, parent) for f in members)))
        blocks.extend(param_block(f, parent) for f in members)
    return ParamSection(tuple(tables), tuple(blocks))


def param_path(f: Field, parent: str) -> str:
    return f"{parent}.{f.name}" if parent else f.name


def param_row(f: Field, parent: str) -> ParamRow:
    anchor = header_anchor(f"### Parameter: `{param_path(f, parent)}`")
    return ParamRow(f.name, anchor, f.type, one_line(strip_category(f.description)[1]))


def param_block(f: Field, parent: str) -> ParamBlock:
    path = param_path(f, parent)
    return ParamBlock(
        path=path,
        description=one_line(strip_category(f.description)[1]),
        required=f.required,
        type=f.type,
        default=f.default,
        allowed=allowed_lines(f.allowed),
        roles=f.roles,
        nested=parameter_section(f.fields, path) if f.fields else None,
        min_value=f.min_value,
        max_value=f.max_value,
    )


def module_fields(module: BicepModule) -> list[Field]:
    return [param_field(module, p) for p in module.params]


def is_required(p: Param) -> bool:
    """Required in the README's sense: no default and not nullable."""
    return p.default is None and not p.type.strip().endswith("?")


def plain_field(p: Param) -> Field:
    """A parameter of a primitive type: no roles and no properties to expand."""
    return Field(
        name=p.name,
        type=readme_type(p.readme_kind or p.type, p.decorators),
        description=p.description,
        required=is_required(p),
        default=readme_default(p.default),
        allowed=tuple(decorator_allowed(p.decorators)),
        min_value=decorator_number(p.decorators, "minValue"),
        max_value=decorator_number(p.decorators, "maxValue"),
    )


def param_field(module: BicepModule, p: Param) -> Field:
    roles: tuple[str, ...] = ()
    if p.name == "roleAssignments" and module.has("role-assignments"):
        roles = tuple(name for name, _ in module.roles)
    # Set-ModuleReadMe lists a private endpoint's roles only in a module that has roles of its own to look them up in
    own_roles = module.has("role-assignments")
    nested_roles = {"roleAssignments": private_endpoint_roles()} if p.name == "privateEndpoints" and own_roles else {}
    return replace(plain_field(p), roles=roles, fields=tuple(type_fields(module, type_name(p.type), nested_roles)))


def type_fields(module: BicepModule, name: str, roles: Mapping[str, tuple[str, ...]]) -> list[Field]:
    """The properties of a common type or of one of the module's child types; none for other types."""
    if name in common_types():
        return common_type_fields(name, roles)
    for definition, child in zip(module.definitions, module.direct_children, strict=True):
        if definition.name == name:
            scope = BicepModule(module.spec, child)
            return [
                Field(
                    name=f.name,
                    type=readme_type(f.readme_kind or f.type, f.decorators),
                    description=f.description,
                    required=not f.type.strip().endswith("?"),
                    allowed=union_values(f.type),
                    fields=tuple(type_fields(scope, type_name(f.type), {})),
                    min_value=decorator_number(f.decorators, "minValue"),
                    max_value=decorator_number(f.decorators, "maxValue"),
                )
                for f in definition.fields
            ]
    return []


def common_type_fields(name: str, roles: Mapping[str, tuple[str, ...]]) -> list[Field]:
    return [fact_field(prop, fact, roles) for prop, fact in common_types()[name]["properties"].items()]


def fact_field(name: str, fact: Mapping[str, Any], roles: Mapping[str, tuple[str, ...]]) -> Field:
    if "ref" in fact:
        nested = common_type_fields(fact["ref"], {})
    else:
        nested = [fact_field(n, f, {}) for n, f in (fact.get("properties") or {}).items()]
    return Field(
        name=name,
        type=fact["type"],
        description=fact["description"],
        required=bool(fact.get("required", False)),
        allowed=tuple(str(a) for a in fact.get("allowed") or ()),
        roles=tuple(roles.get(name, ())),
        fields=tuple(nested),
    )


# ---- resource types, outputs, cross-references


def descendants(module: BicepModule) -> list[BicepModule]:
    prefix = f"{module.child.type_path}/" if module.child else ""
    return [BicepModule(module.spec, c) for c in module.spec.children if c.type_path.startswith(prefix)]


def resource_types(module: BicepModule) -> tuple[ResourceTypeRow, ...]:
    """What the module deploys (its own type, children, interface resources), sorted and unique."""
    found = {(module.full_type, module.api_version)}
    found |= {(d.full_type, d.api_version) for d in descendants(module)}
    for key in ("lock", "role-assignments", "diagnostic-settings"):
        if module.has(key):
            full_type, _, api = INTERFACES[key].bicep["resource_type"].partition("@")
            found.add((full_type, api))
    if module.has("private-endpoints"):
        found |= set(private_endpoint_facts()["resource_types"].items())
    rows = sorted(found, key=lambda r: (culture_key(r[0]), r[1]))
    return tuple(ResourceTypeRow(t, api) for t, api in rows)


def outputs(module: BicepModule) -> tuple[OutputRow, ...]:
    rows = [OutputRow(o.name, readme_type(o.type), one_line(o.description)) for o in module.outputs]
    return tuple(sorted(rows, key=lambda r: culture_key(r.name)))


def cross_references(module: BicepModule) -> tuple[CrossReference, ...]:
    """Registry references of the module and its children: the common types and the private endpoint module."""
    remote = set()
    for m in (module, *descendants(module)):
        for p in m.params:
            match = QUOTED_RE.search(p.import_line or "")
            if match:
                remote.add(match.group(1))
        if m.has("private-endpoints"):
            remote.add(PRIVATE_ENDPOINT_MODULE_REF)
    return tuple(CrossReference(r, "Remote reference") for r in sorted(remote, key=culture_key))


# ---- usage examples


def usage(module: BicepModule | CompositeModule, scenarios: Scenarios | CompositeScenarios) -> Usage:
    """The examples of the module's tests, written as `avm docs` writes them from the rendered test files."""
    ref = registry_ref(module)
    required = sorted((p.name for p in module.params if is_required(p)), key=collation_key)
    ordered = sorted(scenarios.scenarios, key=lambda s: collation_key(s.folder))
    return Usage(ref, examples([example(sc) for sc in ordered], module_symbol(module), ref, required))


def example(scenario: Scenario | ImportScenario) -> ExampleSource:
    """What an example takes from a test: its parameters pass through the text its test file holds; a test that
    imports the module's functions is shown as it is."""
    source = ExampleSource(scenario.metadata_name, scenario.metadata_description, scenario.folder, {})
    if isinstance(scenario, ImportScenario):
        return replace(source, source=scenario.source)
    return replace(
        source, params=example_params.shown_params(values.render(scenario.params, 2), scenario.service_short)
    )


# ---- facts


@cache
def _facts() -> dict[str, Any]:
    return read_data("common_types.yaml")


def common_types() -> dict[str, Any]:
    return _facts()["types"]


def common_types_ref() -> str:
    data = _facts()["common_types"]
    return f"{data['module']}:{data['version']}"


def private_endpoint_facts() -> dict[str, Any]:
    return _facts()["private_endpoint_module"]


def private_endpoint_roles() -> tuple[str, ...]:
    return tuple(private_endpoint_facts()["roles"])
