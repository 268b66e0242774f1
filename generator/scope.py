"""What the render models of every language share: one module file set, the root or one child."""

from __future__ import annotations

from functools import cached_property

from generator.spec import ChildSpec, ModuleSpec


class ModuleScope:
    """The module's own files (`child is None`) or those of one child type.

    Subclasses set `spec` and `child`. Interfaces belong to the top-level module only.
    """

    spec: ModuleSpec
    child: ChildSpec | None

    @cached_property
    def full_type(self) -> str:
        suffix = f"/{self.child.type_path}" if self.child else ""
        return f"{self.spec.full_type}{suffix}"

    @property
    def api_version(self) -> str:
        return (self.child.api_version if self.child else "") or self.spec.api_version

    @cached_property
    def direct_children(self) -> list[ChildSpec]:
        depth = self.child.depth + 1 if self.child else 1
        prefix = f"{self.child.type_path}/" if self.child else ""
        return [c for c in self.spec.children if c.depth == depth and c.type_path.startswith(prefix)]

    def has(self, interface: str) -> bool:
        return self.child is None and self.spec.has(interface)

    @property
    def tags(self) -> bool:
        return self.child.tags if self.child else self.spec.has("tags")

    @property
    def telemetry(self) -> bool:
        """The module itself and the child modules published on their own report usage."""
        return self.child is None or self.child.published

    @property
    def system_identity(self) -> bool:
        return self.has("managed-identities") and "system" in self.spec.identity_kinds

    @property
    def user_identity(self) -> bool:
        return self.has("managed-identities") and "user" in self.spec.identity_kinds

    @property
    def user_identity_needs_system(self) -> bool:
        """The type takes user-assigned identities only beside the system-assigned one: its identity types are
        `SystemAssigned` and `SystemAssigned,UserAssigned`, without `UserAssigned` (a Synapse workspace)."""
        schema = getattr(self, "schema", None)
        kinds = schema.identity_kinds if schema is not None else ()
        return self.user_identity and "both" in kinds and "user" not in kinds


class CompositeScope:
    """What the pattern and utility models of every language share."""

    spec: ModuleSpec

    @property
    def pattern(self) -> bool:
        return self.spec.module_class == "pattern"

    @property
    def telemetry(self) -> bool:
        return self.spec.telemetry

    @property
    def location(self) -> bool:
        """A pattern and a deploying utility are deployed to a region (their telemetry reports it)."""
        return self.spec.telemetry
