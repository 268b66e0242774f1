"""What a Bicep module's README is made from, read from its `main.bicep` and the files it uses.

`read_module(root)` gives a `ModuleFacts`: metadata, the parameters and outputs compiled to the shape
`main.json` holds (with the `definitions` of the user-defined types they use, local or imported), the
resource types it deploys (its own, nested and child resources, and those of the modules it calls), its
remote references and its built-in role names. Files are parsed once per process, so a run over a whole
registry checkout reads each shared file (the common types, a child module) a single time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.check.bicep_reader import BicepFile, Statement, parse
from generator.docs.arm_expressions import BicepSyntaxError, Parser, arm_value, reference_kinds
from generator.docs.bicep_types import Decorator, TypeCompiler, parse_decorators

RESOURCE_HEAD_RE = re.compile(r"^'([^'@]+)@([^']+)'")
NESTED_RESOURCE_RE = re.compile(r"^\s+resource\s+\w+\s+'([^'@]+)(?:@([^']+))?'", re.M)
MODULE_LINE_RE = re.compile(r"^module .+ '(.+?)' .+$", re.M)
IMPORT_LINE_RE = re.compile(r"^import .+ '(.+:.+?)'$", re.M)
IMPORT_RE = re.compile(
    r"^import\s+(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<alias>\w+))\s+from\s+'(?P<source>[^']+)'", re.S
)
EXCLUDED_TYPES = {"Microsoft.Resources/deployments"}


class ModuleReadError(ValueError):
    """A file of the module that cannot be read (a syntax it does not know, an import it cannot find)."""


_files: dict[Path, SourceFile] = {}


def source_file(path: Path) -> SourceFile:
    """The parsed file at `path`, parsed once per process."""
    key = path.resolve()
    if key not in _files:
        try:
            text = key.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ModuleReadError(f"{path} does not exist") from exc
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
    def imports(self) -> tuple[dict[str, tuple[Path, str]], dict[str, Path]]:
        """Named imports (local name -> file and name there) and wildcard imports (alias -> file)."""
        named: dict[str, tuple[Path, str]] = {}
        wildcard: dict[str, Path] = {}
        for statement in self.bicep.of("import"):
            match = IMPORT_RE.match(statement.text)
            if match is None:
                continue
            target = resolve_reference(self.path, match.group("source"))
            if target is None:
                continue
            if match.group("alias"):
                wildcard[match.group("alias")] = target
                continue
            for entry in match.group("names").replace("\n", ",").split(","):
                words = entry.split()
                if words:
                    named[words[-1]] = (target, words[0])
        return named, wildcard

    def find_type(self, name: str) -> tuple[SourceFile, str] | None:
        """The file declaring the type `name` refers to in this file, and its name there."""
        if name in self.types:
            return self, name
        named, wildcard = self.imports
        if name in named:
            path, original = named[name]
            return source_file(path).find_type(original)
        alias, _, rest = name.partition(".")
        if rest and alias in wildcard:
            return source_file(wildcard[alias]).find_type(rest)
        return None

    def decorators(self, statement: Statement) -> list[Decorator]:
        found: list[Decorator] = []
        for decorator in statement.decorators:
            found += parse_decorators(f"@{decorator.name}({decorator.args})")
        return found

    def resources(self) -> list[tuple[str, str]]:
        """Resource types this file deploys itself: top-level and nested declarations, `existing` ones left out."""
        found = []
        for statement in self.bicep.of("resource"):
            match = RESOURCE_HEAD_RE.match(statement.head)
            if match is None:
                continue
            full_type, api = match.groups()
            if not re.match(r"^'[^']+'\s+existing\b", statement.head):
                found.append((full_type, api))
            for nested in NESTED_RESOURCE_RE.finditer(statement.text):
                if re.search(r"'\s+existing\b", nested.group(0) + statement.text[nested.end() : nested.end() + 12]):
                    continue
                nested_type, nested_api = nested.groups()
                if "/" not in nested_type.split("@")[0] or not nested_type.startswith("Microsoft."):
                    nested_type = f"{full_type}/{nested_type}"
                found.append((nested_type, nested_api or api))
        return found

    def called_modules(self) -> list[str]:
        """The paths or registry references of the modules this file calls."""
        found = []
        for statement in self.bicep.of("module"):
            match = re.match(r"^'([^']+)'", statement.head)
            if match:
                found.append(match.group(1))
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
    role_names: list[str] | None
    nested_role_names: dict[str, list[str]]  # module symbol -> the role names of the module it calls


def read_module(root: Path) -> ModuleFacts:
    main = source_file(root / "main.bicep")
    try:
        return ModuleReader(main).facts(root)
    except BicepSyntaxError as exc:
        raise ModuleReadError(f"{root / 'main.bicep'}: {exc}") from exc


class ModuleReader:
    def __init__(self, main: SourceFile) -> None:
        self.main = main
        self.keys: dict[tuple[Path, str], str] = {}
        self.compiler = TypeCompiler(named=lambda name: self.named(main, name), derived=derived_type)

    def compiler_for(self, file: SourceFile) -> TypeCompiler:
        compiler = TypeCompiler(named=lambda name: self.named(file, name), derived=derived_type)
        compiler.definitions = self.compiler.definitions
        return compiler

    def named(self, file: SourceFile, name: str) -> str | None:
        found = file.find_type(name)
        if found is None:
            return None
        declaring, original = found
        identity = (declaring.path, original)
        if identity not in self.keys:
            key = original if original not in self.compiler.definitions else f"{len(self.keys)}.{original}"
            self.keys[identity] = key
            self.compiler.definitions[key] = {}
            statement = declaring.types[original]
            schema = self.compiler_for(declaring).compile(statement.type, declaring.decorators(statement))
            self.compiler.definitions[key] = schema
        return self.keys[identity]

    def facts(self, root: Path) -> ModuleFacts:
        main = self.main
        kinds = reference_kinds(main.bicep.params, main.variables)
        params: dict[str, dict[str, Any]] = {}
        for name, statement in main.bicep.params.items():
            schema = self.compiler.compile(statement.type, main.decorators(statement))
            if statement.value is not None:
                schema["defaultValue"] = arm_value(statement.value, kinds)
            params[name] = schema
        outputs = {
            name: self.compiler.compile(statement.type, main.decorators(statement))
            for name, statement in main.bicep.outputs.items()
        }
        resources, remote = self.walk(main)
        nested_roles = {}
        for statement in main.bicep.of("module"):
            match = re.match(r"^'([^']+)'", statement.head)
            target = resolve_reference(main.path, match.group(1)) if match else None
            if target is not None and target.is_file():
                roles = role_names(source_file(target))
                if roles is not None:
                    nested_roles[statement.name] = roles
        return ModuleFacts(
            root=root,
            name=main.bicep.metadata("name") or "",
            description=main.bicep.metadata("description") or "",
            params=params,
            outputs=outputs,
            definitions=self.compiler.definitions,
            resource_types=resources,
            remote_references=remote,
            role_names=role_names(main),
            nested_role_names=nested_roles,
        )

    def walk(self, file: SourceFile) -> tuple[list[tuple[str, str]], list[str]]:
        """Resource types deployed through `file` and the modules it calls; the remote references of `file`
        and of the local modules it calls (the lines Set-ModuleReadMe reads)."""
        resources: list[tuple[str, str]] = []
        remote: list[str] = []
        seen: set[Path] = set()

        def visit(current: SourceFile, local: bool) -> None:
            if current.path in seen:
                return
            seen.add(current.path)
            resources.extend(current.resources())
            if local:
                remote.extend(m.group(1) for m in MODULE_LINE_RE.finditer(current.bicep.source) if ":" in m.group(1))
                remote.extend(m.group(1) for m in IMPORT_LINE_RE.finditer(current.bicep.source))
            for reference in current.called_modules():
                target = resolve_reference(current.path, reference)
                if target is None or not target.is_file():
                    continue
                visit(source_file(target), local and ":" not in reference)

        visit(file, True)
        unique = sorted({r for r in resources if r[0] not in EXCLUDED_TYPES})
        return unique, sorted(set(remote))


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


def derived_type(reference: str, path: str) -> str:
    """The ARM type of `resourceInput<'reference'>.path`, from the resource type's schema."""
    if path in ("tags", "properties") or path.endswith(".tags"):
        return "object"
    from generator.azure_types.lookup import resource_schema

    full_type, _, api_version = reference.partition("@")
    namespace, _, type_path = full_type.partition("/")
    try:
        resolved = resource_schema(namespace, type_path, api_version, allow_download=False)
    except Exception:
        resolved = None
    found = resolved.schema.at(path.removeprefix("properties.")) if resolved is not None else None
    if found is None and resolved is not None:
        found = resolved.schema.at(path)
    kind = found.kind if found is not None else "object"
    return {"enum": "string", "int": "int", "bool": "bool", "array": "array", "string": "string"}.get(kind, "object")
