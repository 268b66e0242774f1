"""What the schema rules of both languages share: a resource a module deploys with the schema of its type, and the
findings about its body, worded the same in Bicep and Terraform.

Each finding is placed where the fix goes: a missing property at the object that lacks it, any other at its key.
Where no source has the schema of the declared API version, the nearest older one still tells a secret (a
property does not stop being one), but nothing else: a newer version may relax a requirement, add a property or
a name, or make a read-only property writable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.check import body as bodies
from generator.check.body import Body

if TYPE_CHECKING:
    from generator.azure_types.lookup import ResolvedSchema
    from generator.azure_types.schema import ResourceSchema


@dataclass(frozen=True)
class Sent:
    """A resource the module deploys (not `existing`), its body and the schema of its type."""

    label: str  # `resource keyVault`, `resource "azapi_resource" "this"`
    file: str
    asked: str  # `Microsoft.KeyVault/vaults@2024-11-01`, as declared
    body: Body
    resolved: ResolvedSchema
    unseen: Body | None = None  # what it sends that plans and logs do not show (Terraform's `sensitive_body`)

    @property
    def schema(self) -> ResourceSchema:
        return self.resolved.schema

    @property
    def exact(self) -> bool:
        return self.resolved.exact

    @property
    def named(self) -> str:
        """The resource and the schema it is compared with: the declared version's, or the nearest older one's."""
        used = self.schema.name
        return f"{self.label} ({used})" if self.exact else f"{self.label} ({self.asked}, compared with {used})"


@dataclass(frozen=True)
class Problem:
    message: str
    line: int
    col: int


def missing_required(sent: Sent, skip: tuple[str, ...] = ()) -> Iterator[Problem]:
    if sent.exact:
        for path, body in bodies.missing_required(sent.schema, sent.body, skip):
            yield Problem(f"{sent.named}: required property {path} is not set", body.line, body.col)


def unknown_keys(sent: Sent) -> Iterator[Problem]:
    if sent.exact:
        for path, item in bodies.unknown_keys(sent.schema, sent.body):
            where = path[: -len(item.key) - 1] or "the body"
            yield Problem(f"{sent.named}: {where} has no property {item.key}", item.line, item.col)


def read_only_keys(sent: Sent) -> Iterator[Problem]:
    if sent.exact:
        for placed in bodies.read_only_keys(sent.schema, sent.body):
            message = f"{sent.named}: {placed.path} is read-only: Azure sets it, a deployment cannot"
            yield Problem(message, placed.field.line, placed.field.col)


def wrong_name(sent: Sent) -> Iterator[Problem]:
    found = bodies.wrong_name(sent.schema, sent.body) if sent.exact else None
    if found is not None:
        name, allowed = found
        choices = ", ".join(f"'{value}'" for value in allowed)
        yield Problem(
            f"{sent.named}: name '{name.literal}' is not one the type allows ({choices})", name.line, name.col
        )


def interfaces_without_schema(sent: Sent) -> Iterator[Problem]:
    if sent.exact:
        for item in bodies.interfaces_without_schema(sent.schema, sent.body):
            yield Problem(f"{sent.named}: sets {item.key}, which the type does not have", item.line, item.col)
