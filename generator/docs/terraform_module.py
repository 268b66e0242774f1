"""What terraform-docs knows of a Terraform module, read from its `.tf` files the way
terraform-config-inspect reads them: requirements, providers, resources, inputs, outputs and module calls.

Types are the source text of the `type` expression (or the string a quoted type holds); defaults and
descriptions are evaluated; a variable with no `default` is required. A description left empty is taken
from the `#` or `//` comment lines right above the block (terraform-docs' `read-comments`), and an item
whose comment says `terraform-docs-ignore` is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.docs.hcl_constants import NotConstant, constant, constant_entries, constant_string
from generator.docs.hcl_structure import Block, Expression, StructureError, structure

IGNORE = "terraform-docs-ignore"


class ModuleReadError(ValueError):
    """A `.tf` file that terraform-docs could not read; `file` names it."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file


@dataclass(frozen=True)
class Position:
    file: str
    line: int


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    description: str
    default: Any  # plain JSON-like value; None for null or no default
    required: bool  # no `default` attribute
    position: Position

    @property
    def has_default(self) -> bool:
        return self.default is not None or not self.required


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    sensitive: bool
    position: Position


@dataclass(frozen=True)
class Resource:
    mode: str  # "managed" or "data"
    type: str  # without the provider prefix
    name: str
    provider: str
    source: str  # the provider's registry source, hashicorp/<name> unless required_providers says
    version: str  # the version in the documentation URL: an exact pin, else "latest"

    @property
    def spec(self) -> str:
        return f"{self.provider}_{self.type}.{self.name}"

    @property
    def url(self) -> str:
        if self.source.count("/") > 1:
            return ""
        kind = "resources" if self.mode == "managed" else "data-sources"
        return f"https://registry.terraform.io/providers/{self.source}/{self.version}/docs/{kind}/{self.type}"


@dataclass(frozen=True)
class ModuleCall:
    name: str
    source: str
    version: str
    position: Position


@dataclass(frozen=True)
class Requirement:
    name: str
    version: str


@dataclass(frozen=True)
class Provider:
    name: str
    alias: str
    version: str


@dataclass
class ModuleDocs:
    requirements: list[Requirement] = field(default_factory=list)
    providers: list[Provider] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    modules: list[ModuleCall] = field(default_factory=list)


@dataclass
class _ProviderRequirement:
    source: str = ""
    versions: list[str] = field(default_factory=list)


@dataclass
class _Collected:
    core: list[str] = field(default_factory=list)
    providers: dict[str, _ProviderRequirement] = field(default_factory=dict)
    variables: dict[str, Input] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    resources: dict[tuple[str, str], tuple[Block, Position, str]] = field(default_factory=dict)
    modules: dict[str, ModuleCall] = field(default_factory=dict)


def comment_above(lines: list[str], line: int) -> str:
    """The `#`/`//` lines directly above 1-based `line`, their markers and blanks stripped, joined by spaces."""
    found: list[str] = []
    for text in lines[: max(line - 1, 0)]:
        if text.startswith(("#", "//")):
            found.append(text.strip().removeprefix("#").removeprefix("//").strip())
        else:
            found = []
    return " ".join(found)


class _FileReader:
    def __init__(self, name: str, source: str, collected: _Collected, read_comments: bool) -> None:
        self.name = name
        self.read_comments = read_comments
        self.lines = source.replace("\r\n", "\n").split("\n")
        self.collected = collected

    def fail(self, block: Block, what: str) -> ModuleReadError:
        return ModuleReadError(self.name, f"line {block.line}: {what}")

    def string(self, block: Block, attribute: str, default: str = "") -> str:
        expression = block.body.attributes.get(attribute)
        if expression is None:
            return default
        try:
            return constant_string(expression.tokens)
        except NotConstant as exc:
            raise self.fail(
                block, f"{attribute} of {' '.join(block.labels)} must be a constant string ({exc})"
            ) from None

    def flag(self, block: Block, attribute: str) -> bool:
        expression = block.body.attributes.get(attribute)
        if expression is None:
            return False
        try:
            value = constant(expression.tokens)
        except NotConstant as exc:
            raise self.fail(block, f"{attribute} must be a constant ({exc})") from None
        return value is True

    def ignored(self, block: Block) -> tuple[bool, str]:
        comment = comment_above(self.lines, block.line)
        return IGNORE in comment, comment if self.read_comments else ""

    def read(self, blocks: list[Block]) -> None:
        handlers = {
            "terraform": self._terraform,
            "provider": self._provider,
            "variable": self._variable,
            "output": self._output,
            "resource": self._resource,
            "data": self._data,
            "module": self._module,
        }
        for block in blocks:
            if (handler := handlers.get(block.kind)) is not None:
                handler(block)

    def _terraform(self, block: Block) -> None:
        if "required_version" in block.body.attributes:
            self.collected.core.append(self.string(block, "required_version"))
        for inner in block.body.blocks:
            if inner.kind == "required_providers":
                self._required_providers(inner)

    def _required_providers(self, block: Block) -> None:
        for name, expression in block.body.attributes.items():
            requirement = self.collected.providers.setdefault(name, _ProviderRequirement())
            try:
                value = constant(expression.tokens)
            except NotConstant:
                value = constant_entries(expression.tokens)
            if isinstance(value, str):
                requirement.versions.append(value)
                continue
            if not isinstance(value, dict):
                raise self.fail(block, f"required_providers entry {name} must be a string or an object")
            source = value.get("source")
            if isinstance(source, str) and source:
                if requirement.source and requirement.source != source:
                    raise self.fail(block, f"provider {name} has two sources")
                requirement.source = source
            if isinstance(value.get("version"), str):
                requirement.versions.append(value["version"])

    def _provider(self, block: Block) -> None:
        if not block.labels:
            return
        requirement = self.collected.providers.setdefault(block.labels[0], _ProviderRequirement())
        if "version" in block.body.attributes:
            requirement.versions.append(self.string(block, "version"))

    def _variable(self, block: Block) -> None:
        if len(block.labels) != 1:
            raise self.fail(block, "a variable block takes one label")
        ignored, comment = self.ignored(block)
        if ignored:
            return
        name = block.labels[0]
        attributes = block.body.attributes
        type_text = ""
        if (type_expression := attributes.get("type")) is not None:
            type_text = _type_text(type_expression)
        description = self.string(block, "description").replace("\r\n", "\n") or comment
        default: Any = None
        if (default_expression := attributes.get("default")) is not None:
            try:
                default = constant(default_expression.tokens)
            except NotConstant as exc:
                raise self.fail(block, f"the default of variable {name} is not a constant ({exc})") from None
        self.collected.variables[name] = Input(
            name=name,
            type=type_text or _inferred_type(default),
            description=description,
            default=default,
            required=default_expression is None,
            position=Position(self.name, block.line),
        )

    def _output(self, block: Block) -> None:
        if len(block.labels) != 1:
            raise self.fail(block, "an output block takes one label")
        ignored, comment = self.ignored(block)
        if ignored:
            return
        name = block.labels[0]
        description = self.string(block, "description").replace("\r\n", "\n") or comment
        self.collected.outputs[name] = Output(
            name, description, self.flag(block, "sensitive"), Position(self.name, block.line)
        )

    def _resource(self, block: Block, mode: str = "managed") -> None:
        if len(block.labels) != 2:
            raise self.fail(block, f"a {block.kind} block takes two labels")
        ignored, _ = self.ignored(block)
        if ignored:
            return
        provider = _provider_of(block)
        self.collected.resources[(mode, ".".join(block.labels))] = (block, Position(self.name, block.line), provider)

    def _data(self, block: Block) -> None:
        self._resource(block, "data")

    def _module(self, block: Block) -> None:
        if len(block.labels) != 1:
            raise self.fail(block, "a module block takes one label")
        ignored, _ = self.ignored(block)
        if ignored:
            return
        name = block.labels[0]
        earlier = self.collected.modules.get(name)
        source = self.string(block, "source") or (earlier.source if earlier else "")
        source, version = split_source(source, self.string(block, "version"))
        self.collected.modules[name] = ModuleCall(name, source, version, Position(self.name, block.line))


def split_source(source: str, version: str) -> tuple[str, str]:
    """A module call's source and version as terraform-docs shows them: without a `version`, a `?ref=` in the
    source is taken for it."""
    if version:
        return source, version
    at = source.rfind("?ref=")
    if at < 0 or at + len("?ref=") >= len(source):
        return source, version
    return source[:at], source[at + len("?ref=") :]


def _type_text(expression: Expression) -> str:
    """A type as terraform-config-inspect keeps it: the string a quoted type holds, else the source text."""
    try:
        return constant_string(expression.tokens)
    except NotConstant:
        return expression.source


def _inferred_type(default: Any) -> str:
    """terraform-docs' type of an untyped variable, from its default."""
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, str):
        return "string"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, list):
        return "list"
    if isinstance(default, dict):
        return "map"
    return "any"


def _provider_of(block: Block) -> str:
    """The local name of the provider of a resource: its `provider` reference, else the type's prefix."""
    expression = block.body.attributes.get("provider")
    if expression is not None and expression.tokens:
        first = expression.tokens[0]
        if first.kind == "ident":
            return first.value
        if first.kind == "string":
            return first.value[1:-1].split(".")[0]
    return block.labels[0].split("_", 1)[0]


def _resource_version(constraints: list[str]) -> str:
    """The version terraform-docs puts in a resource's documentation URL."""
    if not constraints:
        return "latest"
    parts = constraints[-1].split(" ")
    if len(parts) == 1:
        first = parts[0][:1]
        if first.isdigit():
            return parts[0]
        return parts[0][1:] if first == "=" else "latest"
    if len(parts) == 2 and parts[0] == "=":
        return parts[1]
    return "latest"


def locked_versions(lock_file: str) -> dict[str, str]:
    """The provider versions of a `.terraform.lock.hcl`, by the last part of each provider address."""
    try:
        blocks = structure(lock_file).blocks
    except StructureError:
        return {}  # terraform-docs ignores a lock file it cannot read
    versions: dict[str, str] = {}
    for block in blocks:
        version = block.body.attributes.get("version")
        if block.kind != "provider" or len(block.labels) != 1 or version is None:
            continue
        try:
            versions[block.labels[0].split("/")[-1]] = constant_string(version.tokens)
        except NotConstant:
            continue
    return versions


def read_module(
    files: Mapping[str, str], locked: Mapping[str, str] | None = None, read_comments: bool = True
) -> ModuleDocs:
    """The documentation data of a module from its `.tf` files (name -> text), in the order given; `locked`
    are the provider versions of its lock file, when terraform-docs is told to read it; `read_comments`
    takes an empty description from the comment above the block.

    Raises `ModuleReadError` for a file that is not HCL or holds what terraform-docs cannot evaluate."""
    collected = _Collected()
    for name, source in files.items():
        try:
            blocks = structure(source).blocks
        except StructureError as exc:
            raise ModuleReadError(name, str(exc)) from None
        _FileReader(name, source, collected, read_comments).read(blocks)
    return _module_docs(collected, locked or {})


def _module_docs(collected: _Collected, locked: Mapping[str, str]) -> ModuleDocs:
    docs = ModuleDocs()
    docs.requirements = [Requirement("terraform", version) for version in collected.core]
    for name in sorted(collected.providers):
        docs.requirements += [Requirement(name, v) for v in collected.providers[name].versions]
    providers: dict[str, Provider] = {}
    resources: dict[str, Resource] = {}
    for (mode, _), (block, _position, provider) in collected.resources.items():
        requirement = collected.providers.get(provider, _ProviderRequirement())
        alias_expression = block.body.attributes.get("provider")
        alias = ""
        if alias_expression is not None and len(alias_expression.tokens) >= 3:
            alias = alias_expression.tokens[2].value
        version = locked.get(provider, " ".join(requirement.versions))
        providers.setdefault(f"{provider}.{alias}", Provider(provider, alias, version))
        short = block.labels[0].removeprefix(f"{provider}_")
        resource = Resource(
            mode=mode,
            type=short,
            name=block.labels[1],
            provider=provider,
            source=requirement.source or f"hashicorp/{provider}",
            version=_resource_version(requirement.versions),
        )
        resources[f"{provider}.{mode}.{short}.{block.labels[1]}"] = resource
    docs.providers = [providers[key] for key in sorted(providers)]
    docs.resources = [resources[key] for key in sorted(resources)]
    docs.inputs = list(collected.variables.values())
    docs.outputs = list(collected.outputs.values())
    docs.modules = list(collected.modules.values())
    return docs
