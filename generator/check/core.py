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
    classes: Iterable[str] = CLASSES,
    scopes: Iterable[str] = ("top",),
) -> Callable[[Callable[[Module], Iterable[Hit]]], Callable[[Module], Iterable[Hit]]]:
    """Register a rule function under `id`."""
    if severity not in SEVERITIES:
        raise ValueError(severity)

    def register(check: Callable[[Module], Iterable[Hit]]) -> Callable[[Module], Iterable[Hit]]:
        if (language, id) in RULES:
            raise ValueError(f"{language} rule {id} is registered twice")
        RULES[(language, id)] = Rule(
            id, spec, language, frozenset(classes), severity, title, fix, check, frozenset(scopes)
        )
        return check

    return register


@dataclass
class Module:
    """One module folder to check: a Bicep module (top-level or child) or a Terraform module (root or submodule)."""

    root: Path
    language: str
    module_class: str  # res | ptn | utl
    is_child: bool = False
    registry_root: Path | None = None  # the bicep-registry-modules checkout it lies in
    parent: Module | None = None
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
        key = f"text:{name}"
        if key not in self._cache:
            path = self.root / name
            try:
                self._cache[key] = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._cache[key] = None
        return self._cache[key]

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


def run_rules(module: Module, selected: Iterable[Rule]) -> Iterator[tuple[Rule, Hit]]:
    for item in selected:
        if item.applies_to(module):
            for hit in item.check(module):
                yield item, hit
