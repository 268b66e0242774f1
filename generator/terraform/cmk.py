"""The customer-managed key in a Terraform module's body, at the paths the catalog names for the type.

`data/catalog.yaml` names, per type, the body paths of the key vault (its ID or URI), the key's name and version
or its URL in one property, the identity that reads the key and the constant values the type needs with it
(`catalog.CustomerManagedKey`; `bicep/cmk.py` writes the same paths in Bicep). Here they become one HCL object
of the `properties` entries, merged into the body when `customer_managed_key` is given. The values come from the
interfaces utility's `customer_managed_key_azapi` output and the variable itself; a value that is null (no key
version given, no user-assigned identity) is not sent, as the resource sets `ignore_null_property`.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.azure_types.schema import PROPERTIES
from generator.catalog import CustomerManagedKey
from generator.terraform.hcl import obj, quote

OUTPUT = "module.avm_interfaces.customer_managed_key_azapi"
IDENTITY_ID = "try(var.customer_managed_key.user_assigned_identity.resource_id, null)"
IDENTITY_VALUES = {"resource-id": IDENTITY_ID, "client-id": f"{OUTPUT}.identity_client_id"}


def values(cmk: CustomerManagedKey) -> list[tuple[str, str]]:
    """Each path the catalog names with the HCL value written there."""
    found = [(path, quote(value)) for path, value in cmk.constants]
    if cmk.key_vault_id:
        found.append((cmk.key_vault_id, "var.customer_managed_key.key_vault_resource_id"))
    if cmk.key_vault_uri:
        found.append((cmk.key_vault_uri, f"{OUTPUT}.key_vault_uri"))
    if cmk.key_uri:
        versionless = f"{OUTPUT}.versionless_key_uri"
        found.append((cmk.key_uri, versionless if cmk.versionless else f"coalesce({OUTPUT}.key_uri, {versionless})"))
    if cmk.key_name:
        found.append((cmk.key_name, f"{OUTPUT}.key_name"))
    if cmk.key_version:
        found.append((cmk.key_version, f"{OUTPUT}.key_version"))
    if cmk.identity:
        identity = IDENTITY_VALUES[cmk.identity_value]
        if cmk.identity_prefix:
            identity = f'{identity} == null ? null : "{cmk.identity_prefix}${{{identity}}}"'
        found.append((cmk.identity, identity))
    if cmk.system_identity:
        found.append((cmk.system_identity, f"{IDENTITY_ID} == null"))
    return found


def properties_object(cmk: CustomerManagedKey, is_list: Callable[[str], bool]) -> str:
    """The `properties` entries that set the key, as one HCL object; an object where the schema has a list is
    the list's one item. `is_list(path)`: whether the schema has a list at the body path."""
    tree: dict[str, object] = {}
    for path, value in values(cmk):
        *parents, leaf = path.removeprefix(f"{PROPERTIES}.").split(".")
        node = tree
        for name in parents:
            child = node.setdefault(name, {})
            assert isinstance(child, dict), f"{path}: a value and an object at one path"
            node = child
        node[leaf] = value
    return _write(tree, PROPERTIES, is_list)


def _write(node: dict[str, object], path: str, is_list: Callable[[str], bool]) -> str:
    entries = []
    for key, value in node.items():
        inner = f"{path}.{key}"
        if isinstance(value, dict):
            written = _write(value, inner, is_list)
            written = f"[{written}]" if is_list(inner) else written
            only = next(iter(value.values())) if len(value) == 1 else None
            if isinstance(only, str) and only.startswith(IDENTITY_ID):  # an object for the identity alone
                written = f"{IDENTITY_ID} == null ? null : {written}"
            entries.append((key, written))
        else:
            entries.append((key, str(value)))
    return obj(entries)
