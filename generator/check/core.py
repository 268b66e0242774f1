"""The rule registry of `avm check`: rules, the modules they look at, and what they find.

A rule is one small function tagged with its AVM spec ID (our own `AVM...` ID only where the spec has
none), the language and module classes it applies to, and a severity. It receives a `Module` and
yields `Hit`s; the runner turns hits into `Finding`s with the module's paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning", "info")
CLASSES = ("res", "ptn", "utl")
SPEC_URL = "https://azure.github.io/Azure-Verified-Modules/spec"


@dataclass(frozen=True)
class Hit:
    """What a rule found, relative to the module's folder."""

    message: str
    file: str = "main.bicep"
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str  # as the user should see it: relative to the current folder when inside it
    line: int
    col: int
    message: str
    spec: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    spec: str  # the AVM spec ID (or tflint rule) this rule checks; "" for our own
    language: str  # bicep | terraform
    classes: frozenset[str]
    severity: str
    title: str  # what it checks, one sentence
    fix: str  # how to fix it, one sentence
    check: Callable[[Module], Iterable[Hit]]
    scopes: frozenset[str] = frozenset({"top"})  # top | child (Bicep child modules, Terraform submodules)
    example: str = ""  # what the module should hold: a few lines of code, or the files and folders
    runs_last: bool = False  # after every other rule, to see what they did (the files they could not read)

    @property
    def link(self) -> str:
        """The AVM spec page of the rule's spec ID; "" for a rule of our own."""
        return f"{SPEC_URL}/{self.spec}" if self.spec else ""

    def applies_to(self, module: Module) -> bool:
        return (
            self.language == module.language
            and module.module_class in self.classes
            and ("child" if module.is_child else "top") in self.scopes
        )


RULES: dict[tuple[str, str], Rule] = {}
"""Every registered rule by (language, id): the same spec ID may name a Bicep and a Terraform rule."""


def rule(
    id: str,
    *,
    spec: str,
    language: str,
    severity: str,
    title: str,
    fix: str,
    example: str,
    classes: Iterable[str] = CLASSES,
    scopes: Iterable[str] = ("top",),
    runs_last: bool = False,
) -> Callable[[Callable[[Module], Iterable[Hit]]], Callable[[Module], Iterable[Hit]]]:
    """Register a rule function under `id`, with what `avm check --explain` and docs/rules.md say about it."""
    if severity not in SEVERITIES:
        raise ValueError(severity)
    if not (title.strip() and fix.strip() and example.strip()):
        raise ValueError(f"{language} rule {id} needs a title, a fix and an example: `avm check --explain` shows them")

    def register(check: Callable[[Module], Iterable[Hit]]) -> Callable[[Module], Iterable[Hit]]:
        if (language, id) in RULES:
            raise ValueError(f"{language} rule {id} is registered twice")
        RULES[(language, id)] = Rule(
            id=id,
            spec=spec,
            language=language,
            classes=frozenset(classes),
            severity=severity,
            title=title,
            fix=fix,
            check=check,
            scopes=frozenset(scopes),
            example=example,
            runs_last=runs_last,
        )
        return check

    return register


@dataclass(frozen=True)
class Unreadable:
    """Why a file of a module could not be read as text, and the line where that shows."""

    reason: str
    line: int = 1


@dataclass
class Module:
    """One module folder to check: a Bicep module (top-level or child) or a Terraform module (root or submodule)."""

    root: Path
    language: str
    module_class: str  # res | ptn | utl
    is_child: bool = False
    registry_root: Path | None = None  # the bicep-registry-modules checkout it lies in
    parent: Module | None = None
    unreadable: dict[str, Unreadable] = field(default_factory=dict, repr=False)
    """The files a rule asked for that exist but could not be read, by name."""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def module_path(self) -> str:
        """`avm/res/key-vault/vault` inside a registry checkout, else the folder name."""
        if self.registry_root is not None:
            return self.root.relative_to(self.registry_root).as_posix()
        return self.root.name

    def exists(self, name: str) -> bool:
        return (self.root / name).is_file()

    def text(self, name: str) -> str | None:
        """The text of a file of the module; None when it is absent or cannot be read (then in `unreadable`)."""
        key = f"text:{name}"
        if key not in self._cache:
            self._cache[key] = self._read(name)
        return self._cache[key]

    def _read(self, name: str) -> str | None:
        try:
            data = (self.root / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            self.unreadable[name] = Unreadable(exc.strerror or type(exc).__name__)
            return None
        if b"\x00" in data:
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            self.unreadable[name] = Unreadable("binary content (a NUL byte), not text", line)
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.unreadable[name] = Unreadable(f"not UTF-8 (byte 0x{data[exc.start]:02x})", line)
            return None

    def bicep(self, name: str = "main.bicep") -> Any:
        """The parsed Bicep file (generator.check.bicep_reader.BicepFile), or None when absent."""
        key = f"bicep:{name}"
        if key not in self._cache:
            from generator.check.bicep_reader import parse

            source = self.text(name)
            self._cache[key] = None if source is None else parse(source)
        return self._cache[key]

    def hcl(self, name: str) -> Any:
        """The parsed HCL file (generator.check.hcl_reader.HclFile), or None when absent."""
        key = f"hcl:{name}"
        if key not in self._cache:
            from generator.check.hcl_reader import parse

            source = self.text(name)
            self._cache[key] = None if source is None else parse(source, name)
        return self._cache[key]

    def files(self, pattern: str) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.glob(pattern) if p.is_file())


CANNOT_READ_TITLE = (
    "Every file the checks read is UTF-8 text that can be read: one that cannot is reported, never taken as empty "
    "or absent."
)
CANNOT_READ_FIX = (
    "Save the file as UTF-8 text (no NUL bytes, no other encoding) and make it readable; then check again."
)


def unreadable_files(module: Module, names: Iterable[str]) -> Iterator[Hit]:
    """One hit per file of the module that could not be read: `names`, read here, and any a rule asked for."""
    for name in names:
        module.text(name)
    for name, problem in sorted(module.unreadable.items()):
        yield Hit(f"cannot read {name}: {problem.reason}", name, problem.line)


def run_rules(module: Module, selected: Iterable[Rule]) -> Iterator[tuple[Rule, Hit]]:
    for item in sorted(selected, key=lambda r: r.runs_last):  # stable: registration order otherwise
        if item.applies_to(module):
            for hit in item.check(module):
                yield item, hit
