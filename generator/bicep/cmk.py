"""The customer-managed key in a Bicep module's body, from where the catalog says the type takes it.

`data/catalog.yaml` names, per type, the body paths of the key vault URI, key name and version (or the key's URL
in one property), the identity that reads the key and the constant values the type needs with it. Here they
become the `properties.*` entries the resource body writes: nested objects (a list of one where the schema has a
list), each top-level entry set only when `customerManagedKey` is given, and the values real modules write: the
given key version, else the latest one (`keyUriWithVersion`), the identity from `cMKUserAssignedIdentity`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.azure_types.schema import PROPERTIES
from generator.bicep.values import INDENT, string
from generator.catalog import CustomerManagedKey

GIVEN = "!empty(customerManagedKey)"
VERSION_GIVEN = "!empty(customerManagedKey.?keyVersion)"
IDENTITY_GIVEN = "!empty(customerManagedKey.?userAssignedIdentityResourceId)"
KEY_URI = "cMKKeyVault::cMKKey!.properties.keyUri"
LATEST_KEY_URI = "cMKKeyVault::cMKKey!.properties.keyUriWithVersion"
IDENTITY_VALUES = {
    "resource-id": "cMKUserAssignedIdentity.id",
    "client-id": "cMKUserAssignedIdentity!.properties.clientId",
}


@dataclass(frozen=True)
class Ternary:
    """`condition ? then : otherwise`, written over three lines as `bicep format` does."""

    condition: str
    then: Value
    otherwise: Value = "null"


@dataclass
class Node:
    """An object of the body; `listed`: the schema has a list here, which gets this one object."""

    entries: dict[str, Value]
    listed: bool = False


Value = str | Ternary | Node


def values(cmk: CustomerManagedKey) -> list[tuple[str, Value]]:
    """Each path the catalog names with the Bicep value written there."""
    found: list[tuple[str, Value]] = [(path, string(value)) for path, value in cmk.constants]
    if cmk.key_vault_id:
        found.append((cmk.key_vault_id, "cMKKeyVault.id"))
    if cmk.key_vault_uri:
        found.append((cmk.key_vault_uri, "cMKKeyVault!.properties.vaultUri"))
    if cmk.key_uri:
        versioned = Ternary(VERSION_GIVEN, f"'${{{KEY_URI}}}/${{customerManagedKey!.keyVersion!}}'", LATEST_KEY_URI)
        found.append((cmk.key_uri, KEY_URI if cmk.versionless else versioned))
    if cmk.key_name:
        found.append((cmk.key_name, "customerManagedKey!.keyName"))
    if cmk.key_version:
        latest = f"last(split({LATEST_KEY_URI}, '/'))"
        found.append((cmk.key_version, Ternary(VERSION_GIVEN, "customerManagedKey!.keyVersion!", latest)))
    if cmk.identity:
        identity = IDENTITY_VALUES[cmk.identity_value]
        if cmk.identity_prefix:
            identity = f"'{cmk.identity_prefix}${{{identity}}}'"
        found.append((cmk.identity, Ternary(IDENTITY_GIVEN, identity)))
    if cmk.system_identity:
        found.append((cmk.system_identity, "empty(customerManagedKey.?userAssignedIdentityResourceId)"))
    return found


def body_properties(cmk: CustomerManagedKey, is_list: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The `properties.*` entries that set the key, as `key: value` pairs whose values are written for an entry
    of `properties` (indented by two levels). `is_list(path)`: whether the schema has a list at the path."""
    root = Node({})
    for path, value in values(cmk):
        *parents, leaf = path.removeprefix(f"{PROPERTIES}.").split(".")
        node, walked = root, PROPERTIES
        for name in parents:
            walked = f"{walked}.{name}"
            child = node.entries.get(name)
            if not isinstance(child, Node):
                child = node.entries[name] = Node({}, listed=is_list(walked))
            node = child
        node.entries[leaf] = value
    return [(key, write(top_level(value), 2)) for key, value in root.entries.items()]


def top_level(value: Value) -> Value:
    """An entry of `properties` is set only with a key: an identity's own condition implies one."""
    if isinstance(value, Ternary) and value.condition == IDENTITY_GIVEN:
        return value
    return Ternary(GIVEN, value)


def write(value: Value, level: int) -> str:
    """The value as Bicep, for a line indented by `level` levels (where a closing bracket goes)."""
    pad = INDENT * level
    if isinstance(value, Ternary):
        branch = INDENT * (level + 1)
        return f"{value.condition}\n{branch}? {write(value.then, level + 2)}\n{branch}: {write(value.otherwise, level + 2)}"
    if isinstance(value, Node):
        inner = level + 2 if value.listed else level + 1
        lines = "\n".join(f"{INDENT * inner}{key}: {write(item, inner)}" for key, item in value.entries.items())
        body = f"{{\n{lines}\n{INDENT * (inner - 1)}}}"
        return f"[\n{INDENT * (level + 1)}{body}\n{pad}]" if value.listed else body
    return value
