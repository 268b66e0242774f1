"""One model of the types of module inputs and outputs, for Bicep and Terraform alike, and how two of them
differ: whether the new type narrows what the old one accepted, widens it, or cannot be compared."""

from __future__ import annotations

from dataclasses import dataclass, field

# How a type change moves what the type accepts.
NARROWS = "narrows"  # fewer values pass
WIDENS = "widens"  # more values pass
INCOMPARABLE = "incomparable"  # neither: a different type
REVISED = "revised"  # a type avm cannot see into now names another version (same name)
REMOVED_ATTRIBUTE = "removed attribute"
ADDED_REQUIRED_ATTRIBUTE = "added required attribute"
ADDED_OPTIONAL_ATTRIBUTE = "added optional attribute"
DEFAULT_CHANGED = "default changed"


class Type:
    """Base of the type nodes; every node is a frozen dataclass, so equal types compare equal."""


@dataclass(frozen=True)
class Primitive(Type):
    name: str  # string, int, number, bool, any, object (untyped), array (untyped)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Literals(Type):
    """An allowed set of values (Bicep `@allowed`/literal unions, Terraform `contains([...], var.x)`)."""

    values: frozenset[str]  # each value as JSON text

    def __str__(self) -> str:
        return " | ".join(sorted(self.values))


@dataclass(frozen=True)
class Collection(Type):
    kind: str  # list, set, map, array
    item: Type

    def __str__(self) -> str:
        return f"{self.item}[]" if self.kind == "array" else f"{self.kind}({self.item})"


@dataclass(frozen=True)
class Attribute:
    type: Type
    optional: bool
    default: str | None = None  # Terraform `optional(T, default)`


@dataclass(frozen=True)
class Object(Type):
    attributes: tuple[tuple[str, Attribute], ...]
    sealed: bool = False

    @property
    def by_name(self) -> dict[str, Attribute]:
        return dict(self.attributes)

    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}{'?' if a.optional else ''}: {a.type}" for k, a in self.attributes) + "}"


@dataclass(frozen=True)
class Tuple(Type):
    items: tuple[Type, ...]

    def __str__(self) -> str:
        return "[" + ", ".join(str(t) for t in self.items) + "]"


@dataclass(frozen=True)
class Union(Type):
    options: frozenset[Type]

    def __str__(self) -> str:
        return " | ".join(sorted(str(o) for o in self.options))


@dataclass(frozen=True)
class Named(Type):
    """A type avm cannot see into: from the registry, `resourceInput<>` of a resource type."""

    name: str
    version: str = ""

    def __str__(self) -> str:
        return f"{self.name}@{self.version}" if self.version else self.name


@dataclass(frozen=True)
class Nullable(Type):
    inner: Type

    def __str__(self) -> str:
        return f"{self.inner}?"


@dataclass(frozen=True)
class Bounded(Type):
    """Length (`minLength`, `length(var.x) >= n`) or value (`minValue`) bounds on a type."""

    inner: Type
    length: tuple[int | None, int | None] = (None, None)
    value: tuple[int | None, int | None] = (None, None)

    def __str__(self) -> str:
        return f"{self.inner} {_bounds_text(self)}"


def _bounds_text(node: Bounded) -> str:
    parts = [
        f"{what} {lo}..{'' if hi is None else hi}"
        for what, (lo, hi) in (("length", node.length), ("value", node.value))
        if (lo, hi) != (None, None)
    ]
    return "(" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class TypeChange:
    """One way two types differ, at a path inside them (`''` is the type itself, `.a[*].b` an attribute)."""

    effect: str
    path: str
    detail: str


@dataclass
class _Differ:
    changes: list[TypeChange] = field(default_factory=list)

    def add(self, effect: str, path: str, detail: str) -> None:
        self.changes.append(TypeChange(effect, path, detail))

    def diff(self, old: Type, new: Type, path: str) -> None:
        if old == new:
            return
        if isinstance(old, Nullable) or isinstance(new, Nullable):
            self._nullable(old, new, path)
        elif isinstance(old, Bounded) or isinstance(new, Bounded):
            self._bounds(old, new, path)
        elif isinstance(old, Primitive) and old.name == "any":
            self.add(NARROWS, path, f"{old} -> {new}")
        elif isinstance(new, Primitive) and new.name == "any":
            self.add(WIDENS, path, f"{old} -> {new}")
        elif isinstance(old, Literals) or isinstance(new, Literals):
            self._literals(old, new, path)
        elif isinstance(old, Named) and isinstance(new, Named) and old.name == new.name:
            self.add(REVISED, path, f"{old} -> {new}")
        elif isinstance(old, Collection) and isinstance(new, Collection) and old.kind == new.kind:
            self.diff(old.item, new.item, f"{path}[*]")
        elif isinstance(old, Object) and isinstance(new, Object):
            self._objects(old, new, path)
        elif isinstance(old, Tuple) and isinstance(new, Tuple) and len(old.items) == len(new.items):
            for index, (a, b) in enumerate(zip(old.items, new.items, strict=True)):
                self.diff(a, b, f"{path}[{index}]")
        elif isinstance(old, Union) and isinstance(new, Union):
            self._sets(old.options, new.options, path, "option")
        elif _untyped_form(old) == new or _untyped_form(new) == old:
            self.add(NARROWS if _untyped_form(new) == old else WIDENS, path, f"{old} -> {new}")
        else:
            self.add(INCOMPARABLE, path, f"{old} -> {new}")

    def _nullable(self, old: Type, new: Type, path: str) -> None:
        if isinstance(old, Nullable) and not isinstance(new, Nullable):
            self.add(NARROWS, path, "no longer takes null")
        elif isinstance(new, Nullable) and not isinstance(old, Nullable):
            self.add(WIDENS, path, "now takes null")
        self.diff(_unwrap(old, Nullable), _unwrap(new, Nullable), path)

    def _bounds(self, old: Type, new: Type, path: str) -> None:
        before = old if isinstance(old, Bounded) else Bounded(old)
        after = new if isinstance(new, Bounded) else Bounded(new)
        for what, (lo0, hi0), (lo1, hi1) in (
            ("length", before.length, after.length),
            ("value", before.value, after.value),
        ):
            if lo0 != lo1:
                raised = lo1 is not None and (lo0 is None or lo1 > lo0)
                self.add(NARROWS if raised else WIDENS, path, f"minimum {what} {_bound(lo0)} -> {_bound(lo1)}")
            if hi0 != hi1:
                lowered = hi1 is not None and (hi0 is None or hi1 < hi0)
                self.add(NARROWS if lowered else WIDENS, path, f"maximum {what} {_bound(hi0)} -> {_bound(hi1)}")
        self.diff(before.inner, after.inner, path)

    def _literals(self, old: Type, new: Type, path: str) -> None:
        if isinstance(old, Literals) and isinstance(new, Literals):
            self._sets(old.values, new.values, path, "allowed value")
        elif isinstance(new, Literals):
            self.add(NARROWS, path, f"now restricted to {new}")
        else:
            self.add(WIDENS, path, f"no longer restricted to {old}")

    def _sets(self, old: frozenset, new: frozenset, path: str, what: str) -> None:
        removed, added = sorted(str(v) for v in old - new), sorted(str(v) for v in new - old)
        if removed:
            self.add(NARROWS, path, f"{what}s removed: {', '.join(removed)}")
        if added:
            self.add(WIDENS, path, f"{what}s added: {', '.join(added)}")

    def _objects(self, old: Object, new: Object, path: str) -> None:
        before, after = old.by_name, new.by_name
        for name, attribute in before.items():
            inner = f"{path}.{name}"
            if name not in after:
                self.add(REMOVED_ATTRIBUTE, inner, "attribute removed")
                continue
            changed = after[name]
            if attribute.optional and not changed.optional:
                self.add(NARROWS, inner, "attribute now required")
            elif changed.optional and not attribute.optional:
                self.add(WIDENS, inner, "attribute now optional")
            elif attribute.default != changed.default:
                self.add(DEFAULT_CHANGED, inner, f"default {attribute.default} -> {changed.default}")
            self.diff(attribute.type, changed.type, inner)
        for name, attribute in after.items():
            if name not in before:
                effect = ADDED_OPTIONAL_ATTRIBUTE if attribute.optional else ADDED_REQUIRED_ATTRIBUTE
                self.add(effect, f"{path}.{name}", effect)
        if old.sealed != new.sealed:
            self.add(NARROWS if new.sealed else WIDENS, path, "sealed" if new.sealed else "no longer sealed")


def _bound(value: int | None) -> str:
    return "none" if value is None else str(value)


def _unwrap(node: Type, kind: type) -> Type:
    return node.inner if isinstance(node, kind) else node  # type: ignore[attr-defined]


def _untyped_form(node: Type) -> Type | None:
    """`object` for an object type, `array` for an array type: the untyped form a typed one narrows."""
    if isinstance(node, Object):
        return Primitive("object")
    if isinstance(node, Collection) and node.kind == "array":
        return Primitive("array")
    return None


def type_changes(old: Type, new: Type) -> list[TypeChange]:
    """Every way `new` differs from `old`, each with its effect on what the type accepts."""
    differ = _Differ()
    differ.diff(old, new, "")
    return differ.changes
