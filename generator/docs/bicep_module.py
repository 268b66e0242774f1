"""What a Bicep module's README is made from, read from its `main.bicep` and the files it uses.

`read_module(root)` gives a `ModuleFacts`: metadata, the parameters and outputs compiled to the shape
`main.json` holds (with the `definitions` of the user-defined types they use, local or imported), the
resource types it deploys (its own, nested and child resources, and those of the modules it calls), its
remote references and its built-in role names. Files are parsed once per process, so a run over a whole
registry checkout reads each shared file (the common types, a child module) a single time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.check.bicep_reader import BicepFile, Statement, parse, strip_comments
from generator.docs.arm_expressions import BicepSyntaxError, Parser, arm_value, reference_kinds
from generator.docs.bicep_types import Decorator, TypeCompiler, parse_decorators
from generator.docs.published import common_types_template, private_endpoint_module, registry_source

RESOURCE_HEAD_RE = re.compile(r"^'([^'@]+)@([^']+)'")
NESTED_RESOURCE_RE = re.compile(r"^\s+resource\s+\w+\s+'([^'@]+)(?:@([^']+))?'", re.M)
MODULE_LINE_RE = re.compile(r"^module .+ '(.+:.+?)' .+$", re.M)
IMPORT_LINE_RE = re.compile(r"^import .+ '(.+:.+?)'$", re.M)
IMPORT_RE = re.compile(
    r"^import\s+(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<alias>\w+))\s+from\s+'(?P<source>[^']+)'", re.S
)
EXCLUDED_TYPES = {"Microsoft.Resources/deployments"}
LATEST = "9999-12-31"
DERIVED_KINDS = {
    "enum": "string",
    "string": "string",
    "securestring": "securestring",
    "int": "int",
    "bool": "bool",
    "array": "array",
    "object": "object",
    "secureObject": "secureObject",
    "any": "",
}


class ModuleReadError(ValueError):
    """A file of the module that cannot be read (a syntax it does not know, an import it cannot find)."""


_files: dict[Path, SourceFile] = {}
_templates: dict[Path, dict[str, Any] | None] = {}


def source_file(path: Path) -> SourceFile:
    """The parsed file at `path`, parsed once per process."""
    key = path.resolve()
    if key not in _files:
        try:
            text = key.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ModuleReadError(f"{path} does not exist") from exc
        except UnicodeDecodeError as exc:
            raise ModuleReadError(f"{path} is not UTF-8 text") from exc
        _files[key] = SourceFile(key, parse(text))
    return _files[key]


@dataclass
class SourceFile:
    path: Path
    bicep: BicepFile
    compiled_types: dict[str, dict[str, Any]] = field(default_factory=dict)

    @cached_property
    def types(self) -> dict[str, Statement]:
        return {s.name: s for s in self.bicep.of("type")}

    @cached_property
    def variables(self) -> dict[str, Statement]:
        return {s.name: s for s in self.bicep.of("var")}

    @cached_property
    def imports(self) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
        """Named imports (local name -> reference and name there) and wildcard imports (alias -> reference)."""
        named: dict[str, tuple[str, str]] = {}
        wildcard: dict[str, str] = {}
        for statement in self.bicep.of("import"):
            match = IMPORT_RE.match(statement.text)
            if match is None:
                continue
            source = match.group("source")
            if match.group("alias"):
                wildcard[match.group("alias")] = source
                continue
            for entry in strip_comments(match.group("names")).replace("\n", ",").split(","):
                words = entry.split()
                if words:
                    named[words[-1]] = (source, words[0])
        return named, wildcard

    def decorators(self, statement: Statement) -> list[Decorator]:
        found: list[Decorator] = []
        for decorator in statement.decorators:
            found += parse_decorators(f"@{decorator.name}({decorator.args})")
        return found

    @staticmethod
    def declared_resources(statement: Statement) -> list[tuple[str, str]]:
        """The resource types a `resource` statement deploys: itself and the child resources declared in its
        body, `existing` ones left out."""
        match = RESOURCE_HEAD_RE.match(statement.head)
        if match is None:
            return []
        full_type, api = match.groups()
        found = []
        if not re.match(r"^'[^']+'\s+existing\b", statement.head):
            found.append((full_type, api))
        for nested in NESTED_RESOURCE_RE.finditer(statement.text):
            if re.match(r"'?\s+existing\b", statement.text[nested.end() :]):
                continue
            nested_type, nested_api = nested.groups()
            if not nested_type.startswith("Microsoft."):
                nested_type = f"{full_type}/{nested_type}"
            found.append((nested_type, nested_api or api))
        return found


def resolve_reference(origin: Path, reference: str) -> Path | None:
    """The file a module or import reference means: a relative path, or a `br/public:` reference found in the
    registry checkout the module lives in (its `main.bicep`, whatever version the checkout holds)."""
    if reference.startswith("br/public:") or reference.startswith("br:mcr.microsoft.com/bicep/"):
        path = reference.split(":", 1)[1].removeprefix("mcr.microsoft.com/bicep/").rsplit(":", 1)[0]
        for folder in origin.parents:
            candidate = folder / path / "main.bicep"
            if (folder / "avm").is_dir() and candidate.is_file():
                return candidate
        return None
    if ":" in reference:
        return None
    return (origin.parent / reference).resolve()


@dataclass
class ModuleFacts:
    root: Path
    name: str
    description: str
    params: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    definitions: dict[str, dict[str, Any]]
    resource_types: list[tuple[str, str]]
    remote_references: list[str]
    local_references: list[str]
    role_names: list[str] | None
    symbols: list[tuple[str, list[str] | None]]  # every resource's symbolic name, with a called module's roles


def read_module(root: Path) -> ModuleFacts:
    return ModuleReader(source_file(root / "main.bicep")).facts(root)


@contextmanager
def located(file: SourceFile, statement: Statement) -> Iterator[None]:
    """A syntax error in `statement` as a read error naming the file, line and statement."""
    try:
        yield
    except BicepSyntaxError as exc:
        raise ModuleReadError(f"{file.path}:{statement.line}: {statement.keyword} {statement.name}: {exc}") from exc


class ModuleReader:
    def __init__(self, main: SourceFile) -> None:
        self.main = main
        self.keys: dict[tuple[Path, str], str] = {}
        self.compiler = TypeCompiler(named=lambda name: self.named(main, name), derived=self.derived)

    def compiler_for(self, file: SourceFile) -> TypeCompiler:
        compiler = TypeCompiler(named=lambda name: self.named(file, name), derived=self.derived)
        compiler.definitions = self.compiler.definitions
        return compiler

    def named(self, file: SourceFile, name: str) -> str | None:
        """The definition key of the type `name` means in `file`, compiled into the definitions on first use."""
        if name in file.types:
            return self.declared(file, name)
        named, wildcard = file.imports
        alias, _, rest = name.partition(".")
        if name in named:
            reference, original = named[name]
        elif rest and alias in wildcard:
            reference, original = wildcard[alias], rest
        else:
            return None
        if ":" in reference and (key := self.published_type(reference, original)) is not None:
            return key
        target = resolve_reference(file.path, reference)
        if target is None or not target.is_file():
            return self.published_type(reference, original, any_version=True) if ":" in reference else None
        return self.named(source_file(target), original)

    def declared(self, declaring: SourceFile, original: str) -> str:
        identity = (str(declaring.path), original)
        if identity not in self.keys:
            key = original if original not in self.compiler.definitions else f"{len(self.keys)}.{original}"
            self.keys[identity] = key
            self.compiler.definitions[key] = {}
            statement = declaring.types[original]
            with located(declaring, statement):
                schema = self.compiler_for(declaring).compile(statement.type, declaring.decorators(statement))
            self.compiler.definitions[key] = schema
        return self.keys[identity]

    def published_type(self, reference: str, original: str, *, any_version: bool = False) -> str | None:
        """A type imported from a registry module at a given version, as the module's compiled template embeds
        it (the published version's own text) or as avm knows it; None when neither has it."""
        source = registry_source(reference)
        for template in (self.template, common_types_template()):
            for key, definition in ((template or {}).get("definitions") or {}).items():
                imported = (definition.get("metadata") or {}).get("__bicep_imported_from!") or {}
                found = str(imported.get("sourceTemplate", ""))
                if found != source and not (any_version and found.rsplit(":", 1)[0] == source.rsplit(":", 1)[0]):
                    continue
                if (imported.get("originalIdentifier") or key.rsplit(".", 1)[-1]) == original:
                    return self.adopted(template, key)  # type: ignore[arg-type]
        return None

    def adopted(self, template: dict[str, Any], key: str) -> str:
        """The template's definition `key` (and those it refers to) among the definitions."""
        identity = (str(id(template)), key)
        if identity not in self.keys:
            own = f"{len(self.keys)}.{key}"
            self.keys[identity] = own
            self.compiler.definitions[own] = {}
            self.compiler.definitions[own] = self.with_own_refs(template, template["definitions"][key])
        return self.keys[identity]

    def with_own_refs(self, template: dict[str, Any], value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                return {**value, "$ref": f"#/definitions/{self.adopted(template, ref.rsplit('/', 1)[-1])}"}
            return {k: self.with_own_refs(template, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.with_own_refs(template, v) for v in value]
        return value

    def derived(self, reference: str, path: str) -> str:
        """The ARM type of `resourceInput<'reference'>.path`: from the resource type's schema at that version (or
        the nearest older one), else as the compiled template records that same type, else from the latest
        schema the schema layer has (a property's kind rarely changes between versions)."""
        if path == "tags":
            return "object"
        found = schema_kind(reference, path, latest=False)
        if found is None:
            source = reference + "#" + "/".join("items" if p == "[*]" else f"properties/{p}" for p in path.split("."))
            found = self.derived_types.get(source)
            if found is not None:
                return found
            found = schema_kind(reference, path, latest=True)
        return DERIVED_KINDS.get(found or "object", "object")

    @cached_property
    def derived_types(self) -> dict[str, str]:
        """`Microsoft.X/y@version#properties/z` -> the type the compiled template gives it."""
        found: dict[str, str] = {}

        def visit(value: Any) -> None:
            if isinstance(value, dict):
                derived = (
                    (value.get("metadata") or {}).get("__bicep_resource_derived_type!")
                    if isinstance(value.get("metadata"), dict)
                    else None
                )
                if isinstance(derived, dict):
                    found.setdefault(str(derived.get("source")), str(value.get("type", "")))
                for item in value.values():
                    visit(item)
            elif isinstance(value, list):
                for item in value:
                    visit(item)

        visit(self.template)
        return found

    @cached_property
    def template(self) -> dict[str, Any] | None:
        return compiled_template(self.main.path.parent)

    def facts(self, root: Path) -> ModuleFacts:
        main = self.main
        kinds = reference_kinds(main.bicep.params, main.variables)
        params: dict[str, dict[str, Any]] = {}
        for name, statement in main.bicep.params.items():
            with located(main, statement):
                schema = self.compiler.compile(statement.type, main.decorators(statement))
                if statement.value is not None:
                    schema["defaultValue"] = arm_value(statement.value, kinds)
            params[name] = schema
        outputs = {}
        for name, statement in main.bicep.outputs.items():
            with located(main, statement):
                outputs[name] = self.compiler.compile(statement.type, main.decorators(statement))
        resources, remote, symbols, local = self.walk(main)
        return ModuleFacts(
            root=root,
            name=main.bicep.metadata("name") or "",
            description=main.bicep.metadata("description") or "",
            params=params,
            outputs=outputs,
            definitions=self.compiler.definitions,
            resource_types=resources,
            remote_references=remote,
            local_references=local,
            role_names=role_names(main),
            symbols=symbols,
        )

    def walk(
        self, file: SourceFile
    ) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, list[str] | None]], list[str]]:
        """What `file` deploys, itself and through the modules it calls: the resource types; the remote
        references of `file` and of the local modules it calls (the lines Set-ModuleReadMe reads); and every
        resource's symbolic name with the built-in role names of the module it is, if any (a module called
        twice is there twice, as in the compiled template). A registry module is read from the compiled
        template's copy of the published version when there is one, else from the registry checkout."""
        resources: list[tuple[str, str]] = []
        remote: list[str] = []
        symbols: list[tuple[str, list[str] | None]] = []
        active: list[Path] = []
        involved: list[Path] = []

        def visit(current: SourceFile, local: bool, template: dict[str, Any] | None) -> None:
            if current.path in active:
                return
            active.append(current.path)
            if local:
                remote.extend(m.group(1) for m in MODULE_LINE_RE.finditer(current.bicep.source))
                remote.extend(m.group(1) for m in IMPORT_LINE_RE.finditer(current.bicep.source))
            for statement in current.bicep.statements:
                if statement.keyword == "resource":
                    resources.extend(current.declared_resources(statement))
                    symbols.append((statement.name, None))
                elif statement.keyword == "module":
                    call(current, statement, local, template)
            active.pop()

        def call(current: SourceFile, statement: Statement, local: bool, template: dict[str, Any] | None) -> None:
            match = re.match(r"^'([^']+)'", statement.head)
            if match is None:
                return
            reference = match.group(1)
            embedded = nested_template(template, statement.name)
            if ":" in reference and embedded is not None:
                resources.extend(template_resources(embedded))
                symbols.append((statement.name, template_roles(embedded)))
                symbols.extend(template_symbols(embedded))
                return
            target = resolve_reference(current.path, reference)
            if (target is None or not target.is_file()) and (known := private_endpoint_module(reference)):
                resources.extend(known[0])
                symbols.append((statement.name, known[1]))
                return
            if target is None or not target.is_file():
                symbols.append((statement.name, None))
                return
            if target.suffix.lower() == ".json":  # an ARM template called as a module
                arm = json_template(target) or {}
                resources.extend(template_resources(arm))
                symbols.append((statement.name, template_roles(arm)))
                symbols.extend(template_symbols(arm))
                return
            symbols.append((statement.name, role_names(source_file(target))))
            if local and ":" not in reference:
                involved.append(target)
            visit(source_file(target), local and ":" not in reference, embedded)

        visit(file, True, self.template)
        unique = [r for r in dict.fromkeys(resources) if r[0] not in EXCLUDED_TYPES]
        return unique, sorted(set(remote)), symbols, local_references(file.path, involved)


def local_references(main: Path, involved: list[Path]) -> list[str]:
    """The other modules of the registry a module calls by path (`avm/res/x/y/child`): every `main.bicep` it
    reaches through local module calls that lies outside its own folder and outside the folder of any other
    file it reaches."""
    folders = [main.parent, *(p.parent for p in involved)]
    found = []
    for path in involved:
        if path.name != "main.bicep" or any(path.parent.is_relative_to(f) and path.parent != f for f in folders):
            continue
        parts = path.parent.parts
        found.append(
            "/".join(parts[len(parts) - parts[::-1].index("avm") - 1 :]) if "avm" in parts else path.parent.name
        )
    return sorted(set(found))


def template_roles(template: dict[str, Any]) -> list[str] | None:
    names = (template.get("variables") or {}).get("builtInRoleNames")
    return list(names) if isinstance(names, dict) else None


def template_symbols(template: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    """The symbolic names of a compiled template's resources, nested deployments included, with their roles."""
    found: list[tuple[str, list[str] | None]] = []
    resources = template.get("resources")
    for symbol, resource in resources.items() if isinstance(resources, dict) else []:
        properties = resource.get("properties") if isinstance(resource, dict) else None
        nested = properties.get("template") if isinstance(properties, dict) else None
        if isinstance(nested, dict):
            found.append((symbol, template_roles(nested)))
            found.extend(template_symbols(nested))
        else:
            found.append((symbol, None))
    return found


def compiled_template(folder: Path) -> dict[str, Any] | None:
    """The compiled `main.json` beside a module's `main.bicep`, read once per process; None when absent."""
    return json_template(folder / "main.json")


def json_template(path: Path) -> dict[str, Any] | None:
    """An ARM template file, read once per process; None when absent or not JSON."""
    path = path.resolve()
    if path not in _templates:
        try:
            _templates[path] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _templates[path] = None
    return _templates[path]


def nested_template(template: dict[str, Any] | None, symbol: str) -> dict[str, Any] | None:
    """The template a module statement compiled to (symbolic-name templates only)."""
    resources = (template or {}).get("resources")
    if not isinstance(resources, dict):
        return None
    properties = (resources.get(symbol) or {}).get("properties")
    nested = properties.get("template") if isinstance(properties, dict) else None
    return nested if isinstance(nested, dict) else None


def template_resources(template: dict[str, Any]) -> list[tuple[str, str]]:
    """Every resource type a compiled template deploys, nested deployments included, `existing` ones left out."""
    found = []
    resources = template.get("resources") or []
    for resource in resources.values() if isinstance(resources, dict) else resources:
        if not isinstance(resource, dict) or resource.get("existing"):
            continue
        found.append((str(resource.get("type")), str(resource.get("apiVersion"))))
        properties = resource.get("properties")
        nested = properties.get("template") if isinstance(properties, dict) else None
        if isinstance(nested, dict):
            found.extend(template_resources(nested))
    return found


def role_names(file: SourceFile) -> list[str] | None:
    statement = file.variables.get("builtInRoleNames")
    if statement is None or statement.value is None:
        return None
    try:
        node = Parser(statement.value).whole()
    except BicepSyntaxError:
        return None
    if node.kind != "object":
        return None
    return [key for key, _ in node.parts]


def schema_kind(reference: str, path: str, *, latest: bool) -> str | None:
    """The kind of `path` in the schema of the resource type `reference` (`Microsoft.X/y@version`)."""
    from generator.azure_types.lookup import resource_schema

    full_type, _, api_version = reference.partition("@")
    namespace, _, type_path = full_type.partition("/")
    try:
        resolved = resource_schema(namespace, type_path, LATEST if latest else api_version, allow_download=False)
    except (OSError, LookupError, ValueError):
        return None
    found = resolved.schema.at(path) if resolved is not None and "[*]" not in path else None
    return found.kind if found is not None else None
