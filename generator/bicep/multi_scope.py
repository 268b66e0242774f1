"""A Bicep module of a type writable at several scopes, laid out as bicep-registry-modules lays one out (BCPRMNFR4).

The module's folder is an unpublished parent: a `main.bicep` with only its metadata and `targetScope`, a README
that points to the scope folders, and the e2e tests of every scope (`tests/e2e/rg-scope.defaults`). Each scope
folder (`rg-scope`, `sub-scope`, `mg-scope`) is a published module of its own, the module `ModuleSpec` describes
deployed at that scope: `scope_spec` gives its spec.
"""

from __future__ import annotations

from dataclasses import replace

from generator import naming, scopes
from generator.spec import ModuleSpec

DEFAULT_OPENING = "This module deploys "


def scope_spec(spec: ModuleSpec, scope: str) -> ModuleSpec:
    """The module of one scope folder: its path, telemetry id and test names extend the parent's recorded ones
    (`avm/res/authorization/role-assignment/rg-scope`, `46d3xbcp.res.authz-roleassignment_rgscope`, `ararg`), as
    the AVM module index names them."""
    folder = scopes.SCOPE_FOLDERS[scope]
    names = replace(
        spec.names,
        bicep_path=f"{spec.names.bicep_path}/{folder}",
        telemetry_id_prefix=f"{spec.names.telemetry_id_prefix}_{folder.replace('-', '')}",
        service_short=f"{spec.names.service_short}{folder.removesuffix('-scope')}",
    )
    return replace(
        spec,
        scope=scope,
        scopes=(),
        scope_folder=folder,
        names=names,
        interfaces=scopes.possible_at(spec.interfaces, scope),
        description=scoped_description(spec.description, scope),
    )


def scoped_description(description: str, scope: str) -> str:
    """`This module deploys a Role Assignment.` -> `This module deploys a Role Assignment at a Resource Group
    scope.`: the scope joins the first sentence of a description in the AVM form; another stays as it is."""
    if not description.startswith(DEFAULT_OPENING):
        return description
    end = description.find(". ")
    end = end if end >= 0 else len(description) - 1 if description.endswith(".") else len(description)
    return f"{description[:end]} at a {scopes.SCOPE_TITLES[scope]} scope{description[end:]}"


def scope_title(scope: str) -> str:
    """`(Resource Group scope)`: what a scope folder's metadata name and test titles end with."""
    return f"({scopes.SCOPE_TITLES[scope]} scope)"


def parent_name(spec: ModuleSpec) -> str:
    return f"{naming.plural_display_name(spec.display_name)} (Multi-Scope)"


def parent_description(spec: ModuleSpec) -> str:
    """What the parent's metadata and README say: which scope folders hold the published modules, widest first."""
    widest_first = [s for s in reversed(scopes.MULTI_SCOPES) if s in spec.scopes]
    named = [f"{scopes.SCOPE_TITLES[s]} ({scopes.SCOPE_FOLDERS[s]})" for s in widest_first]
    listed = f"{', '.join(named[:-1])} or {named[-1]}"
    thing = f"{naming.indefinite_article(spec.display_name)} {spec.display_name}"
    lines = [
        f"This module's child-modules deploy {thing} at a {listed} scope.",
        "",
        "> While this template is **not** published, you can find the actual published modules in the subfolders",
        *(f"> - `{scopes.SCOPE_FOLDERS[s]}`" for s in widest_first),
    ]
    return "\n".join(lines) + "\n"
