"""A module's published interface: its inputs and outputs with their types, read from the module's files (a map
of relative path to text, so that the work tree and a commit read alike).

Bicep: the parameters and outputs of the folder's `main.bicep` (types resolved through its own `type`
statements and local imports). Child folders are reached only through the parent's parameters, and a child
published on its own has a version of its own, so they are not part of the parent's interface.
Terraform: the variables and outputs of the root `*.tf` files, and of each `modules/<name>/` submodule, which
callers can use on their own (`source = ".../azure//modules/<name>"`).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.check import bicep_reader, hcl_reader
from generator.check.bicep_reader import KEYWORDS, Statement, strip_comments
from generator.module_release import bicep_types, hcl_types
from generator.module_release.tokens import TypeSyntaxError
from generator.module_release.types import Named, Type


class InterfaceError(ValueError):
    """A module file that does not parse."""


@dataclass(frozen=True)
class Input:
    name: str
    type: Type
    required: bool
    default: str | None = None
    description: str | None = None
    nullable: bool = True
    sensitive: bool = False
    conditions: frozenset[str] = frozenset()  # validation conditions avm compares as text only


@dataclass(frozen=True)
class Output:
    name: str
    type: Type | None
    description: str | None = None
    sensitive: bool = False
    value: str | None = None


@dataclass
class Interface:
    language: str
    inputs: dict[str, Input] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    submodules: dict[str, Interface] = field(default_factory=dict)

    @property
    def input_word(self) -> str:
        return "parameter" if self.language == "bicep" else "variable"


def read_interface(language: str, files: Mapping[str, str]) -> Interface:
    return read_bicep(files) if language == "bicep" else read_terraform(files)


# --- Bicep -------------------------------------------------------------------------------------------------------

_REGISTRY_IMPORT = re.compile(r"^import\s*\{(?P<names>[^}]*)\}\s*from\s*'(?P<source>[^']*)'", re.S)
MAIN_BICEP = "main.bicep"


def _check_bicep_syntax(source: str, name: str) -> None:
    """The few things the tolerant statement reader lets pass: unbalanced brackets, a line that starts no
    statement."""
    depth = 0
    state: dict = {}
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        opens = depth == 0 and not state.get("multiline") and not state.get("comment")
        if opens and stripped and not line[0].isspace() and not stripped.startswith(("#", "//", "/*")):
            word = re.match(r"@?[A-Za-z_]\w*", stripped)
            if word is None or not (word.group(0).startswith("@") or word.group(0) in (*KEYWORDS, "extension")):
                raise InterfaceError(f"{name}:{number}: does not parse: {stripped[:40]!r} starts no statement")
        depth += bicep_reader._depth_changes(line, state)  # the reader's own bracket counting (strings, comments)
        if depth < 0:
            raise InterfaceError(f"{name}:{number}: does not parse: a bracket closes that was never opened")
    if depth:
        raise InterfaceError(f"{name}: does not parse: a bracket is never closed")


class _BicepTypes:
    """Resolves the type names a Bicep file uses: its own `type` statements, named imports of local files."""

    def __init__(self, files: Mapping[str, str], path: str, stack: tuple[str, ...] = ()) -> None:
        self.files, self.path, self.stack = files, path, stack
        source = files[path]
        _check_bicep_syntax(source, path)
        self.parsed = bicep_reader.parse(source)
        self.types = {s.name: s for s in self.parsed.of("type")}
        self.imports: dict[str, tuple[str, str]] = {}  # local name -> (source, name there)
        for statement in self.parsed.of("import"):
            match = _REGISTRY_IMPORT.match(strip_comments(statement.text))
            if match is None:
                continue
            for entry in match.group("names").split(","):
                original, _, alias = (part.strip() for part in entry.partition(" as "))
                if original:
                    self.imports[alias or original] = (match.group("source"), original)
        self.cache: dict[str, Type] = {}

    def resolve(self, name: str) -> Type | None:
        return self._resolve(name, self.stack)

    def _resolve(self, name: str, stack: tuple[str, ...]) -> Type | None:
        if name in stack:  # a recursive type: compared by name below this point
            return Named(name)
        if not stack and name in self.cache:
            return self.cache[name]
        if name in self.types:
            statement = self.types[name]
            deeper = (*stack, name)
            found = parse_bicep_type(statement.type, lambda inner: self._resolve(inner, deeper), statement)
        elif name in self.imports:
            found = self._imported(*self.imports[name])
        else:
            return None
        if not stack:
            self.cache[name] = found
        return found

    def _imported(self, source: str, name: str) -> Type:
        if ":" in source or source.startswith("br/"):  # the registry: compared by name and version
            location, _, version = source.rpartition(":")
            return Named(f"{name} from {location}", version)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(self.path), source))
        if path not in self.files:  # a file of another module: compared by name
            return Named(f"{name} from {source}")
        return _BicepTypes(self.files, path, self.stack).resolve(name) or Named(f"{name} from {source}")


def parse_bicep_type(text: str, resolve: bicep_types.Resolver, statement: Statement) -> Type:
    try:
        return bicep_types.parse_type(text, resolve, statement.decorators)
    except TypeSyntaxError as exc:
        raise InterfaceError(f"line {statement.line}: does not parse: {statement.name}: {exc}") from exc


def read_bicep(files: Mapping[str, str]) -> Interface:
    if MAIN_BICEP not in files:
        raise InterfaceError(f"{MAIN_BICEP} is missing")
    types = _BicepTypes(files, MAIN_BICEP)
    interface = Interface("bicep")
    for statement in types.parsed.of("param"):
        text = statement.type.removesuffix("?") if statement.nullable else statement.type
        interface.inputs[statement.name] = Input(
            name=statement.name,
            type=parse_bicep_type(text, types.resolve, statement),
            required=not statement.nullable and statement.value is None,
            default=statement.value,
            description=statement.description,
            sensitive=statement.decorator("secure") is not None,
        )
    for statement in types.parsed.of("output"):
        interface.outputs[statement.name] = Output(
            name=statement.name,
            type=parse_bicep_type(statement.type, types.resolve, statement),
            description=statement.description,
            sensitive=statement.decorator("secure") is not None,
            value=statement.value,
        )
    return interface


# --- Terraform ---------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return hcl_reader.expr(value) or str(value) if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _terraform_input(block: hcl_reader.Block, where: str) -> Input:
    body = block.body
    type_text = _text(body["type"]) if "type" in body else "any"
    try:
        node = hcl_types.parse_type(type_text)
    except TypeSyntaxError as exc:
        raise InterfaceError(f"{where}:{block.line}: does not parse: variable {block.name} type: {exc}") from exc
    conditions: set[str] = set()
    for validation in body.get("validation") or []:
        condition = _text(validation.get("condition", ""))
        facts, rest = hcl_types.condition_facts(condition, block.name)
        applied: Type | None = node
        for path, kind, value in facts:
            applied = hcl_types.with_fact(applied, path, kind, value) if applied is not None else None
        if applied is None:  # a fact about a path the type does not have: the whole condition is text
            rest = condition
        else:
            node = applied
        if rest.strip() != hcl_types.STATED:
            conditions.add(" ".join(rest.split()))
    return Input(
        name=block.name,
        type=node,
        required="default" not in body,
        default=json.dumps(body["default"], sort_keys=True) if "default" in body else None,
        description=body.get("description"),
        nullable=body.get("nullable", True) is not False,
        sensitive=body.get("sensitive") is True,
        conditions=frozenset(conditions),
    )


def _terraform_folder(files: Mapping[str, str], folder: str) -> Interface:
    interface = Interface("terraform")
    prefix = f"{folder}/" if folder else ""
    for path in sorted(files):
        rest = path[len(prefix) :]
        if not path.startswith(prefix) or "/" in rest or not rest.endswith(".tf"):
            continue
        parsed = hcl_reader.parse(files[path], path)
        if parsed.error is not None:
            line = f":{parsed.error_line}" if parsed.error_line else ""
            raise InterfaceError(f"{path}{line}: does not parse: {parsed.error}")
        for block in parsed.blocks("variable"):
            interface.inputs[block.name] = _terraform_input(block, path)
        for block in parsed.blocks("output"):
            body = block.body
            interface.outputs[block.name] = Output(
                name=block.name,
                type=None,
                description=body.get("description"),
                sensitive=body.get("sensitive") is True,
                value=_text(body["value"]) if "value" in body else None,
            )
    return interface


def read_terraform(files: Mapping[str, str]) -> Interface:
    interface = _terraform_folder(files, "")
    submodules = sorted({p.split("/")[1] for p in files if p.startswith("modules/") and p.count("/") == 2})
    for name in submodules:
        folder = f"modules/{name}"
        if any(p.startswith(f"{folder}/") and p.endswith(".tf") for p in files):
            interface.submodules[folder] = _terraform_folder(files, folder)
    return interface


def interface_files(language: str, paths: list[str]) -> list[str]:
    """Which of a module's files its interface is read from."""
    if language == "bicep":
        return [p for p in paths if p.endswith(".bicep") and not p.startswith("tests/")]
    return [
        p
        for p in paths
        if p.endswith(".tf") and (p.count("/") == 0 or (p.startswith("modules/") and p.count("/") == 2))
    ]
