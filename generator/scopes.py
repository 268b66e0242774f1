"""Where a module deploys and what its resource can carry: the deployment scope, the location and the interfaces
possible there.

The facts come from the type's schema where one is found (its writable scopes, a writable `location`, `tags`
and `identity`), else from the catalog (`catalog.ResourceFacts`, which holds the shipped schema's facts for its own
types). An interface the type cannot carry is never chosen by default, and asking for one is an input error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.catalog import CUSTOMER_MANAGED_KEY, IDENTITY_KINDS, ResourceFacts, writable

RESOURCE_GROUP, SUBSCRIPTION, MANAGEMENT_GROUP, TENANT, EXTENSION = (
    "resourceGroup",
    "subscription",
    "managementGroup",
    "tenant",
    "extension",
)
# The scopes a Bicep file declares as its `targetScope` (a resource group is the default, extensions deploy in one).
DEPLOYMENT_SCOPES = (SUBSCRIPTION, MANAGEMENT_GROUP, TENANT)
# Every deployment scope, in the order a module of a type writable at several is given one by default.
SCOPES = (RESOURCE_GROUP, SUBSCRIPTION, MANAGEMENT_GROUP, TENANT, EXTENSION)
SCOPE_WORDS = {
    RESOURCE_GROUP: "resource group",
    SUBSCRIPTION: "subscription",
    MANAGEMENT_GROUP: "management group",
    TENANT: "tenant",
    EXTENSION: "extension",
}
# The Bicep module folder of one scope of a type writable at several (`avm/res/authorization/role-assignment`).
SCOPE_FOLDERS = {
    RESOURCE_GROUP: "rg-scope",
    SUBSCRIPTION: "sub-scope",
    MANAGEMENT_GROUP: "mg-scope",
    TENANT: "tenant-scope",
    EXTENSION: "extension-scope",
}
# The scopes a Bicep module of a type writable at several of them is written for, each in a folder of its own under
# one unpublished parent (BCPRMNFR4: `avm/res/authorization/role-assignment/{rg,sub,mg}-scope`).
MULTI_SCOPES = (RESOURCE_GROUP, SUBSCRIPTION, MANAGEMENT_GROUP)
# How a multi-scope module's metadata and tests name each scope (`Role Assignments (Resource Group scope)`).
SCOPE_TITLES = {RESOURCE_GROUP: "Resource Group", SUBSCRIPTION: "Subscription", MANAGEMENT_GROUP: "Management Group"}
LOCATION_KINDS = ("regional", "global", "none")
# The words an answer may give the location in: true/false as YAML reads them, or a kind.
LOCATION_WORDS = {"true": "regional", "yes": "regional", "false": "none", "no": "none"}
RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups"
# Interfaces whose resources are only possible in a resource group deployment.
RESOURCE_GROUP_ONLY = ("private-endpoints",)


@dataclass(frozen=True)
class Carried:
    """What a resource type can carry, and where it deploys."""

    location: bool  # a writable `location`
    location_required: bool
    tags: bool
    identity: tuple[str, ...]  # of IDENTITY_KINDS
    scopes: tuple[str, ...]  # writable scopes, in SCOPES order; () when unknown
    from_schema: bool  # the facts are the schema's (else the catalog's guesses)


def carried(facts: ResourceFacts, schema: Any | None) -> Carried:
    """The type's facts from `schema` (an `azure_types.schema.ResourceSchema`) when one was found, else from the
    catalog."""
    if schema is None:
        return Carried(
            location=facts.location or facts.global_location,
            location_required=False,
            tags=facts.tags,
            identity=facts.identity,
            scopes=tuple(s for s in SCOPES if s in facts.scopes),
            from_schema=facts.schema is not None,
        )
    location = schema.at("location")
    identity_kinds = schema.identity_kinds if writable(schema, "identity") else ()
    return Carried(
        location=location is not None and not location.read_only,
        location_required=location is not None and not location.read_only and location.always_required,
        tags=writable(schema, "tags"),
        identity=tuple(k for k in IDENTITY_KINDS if k in identity_kinds or "both" in identity_kinds),
        scopes=tuple(s for s in SCOPES if s in schema.scopes),
        from_schema=True,
    )


def default_scope(scopes: tuple[str, ...]) -> str:
    """The scope a module gets when none is asked for: the first of SCOPES the type is writable at."""
    return next((s for s in SCOPES if s in scopes), RESOURCE_GROUP)


def parse_scope(value: Any, full_type: str, scopes: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(scope, None), or (None, the problem) when `value` is no scope or one the type is not writable at."""
    if value in (None, ""):
        return default_scope(scopes), None
    wanted = next((s for s in SCOPES if isinstance(value, str) and s.lower() == value.strip().lower()), None)
    if wanted is None:
        return None, f"{value!r} is not a deployment scope; expected one of {', '.join(SCOPES)}"
    if scopes and wanted not in scopes:
        return None, f"{full_type} cannot be deployed at {wanted} scope; it can at {', '.join(scopes)}"
    return wanted, None


def default_scopes(language: str, scopes: tuple[str, ...]) -> tuple[str, ...]:
    """The scopes a module gets when none are asked for: a Bicep module of a type writable at several of
    MULTI_SCOPES gets each of them (the multi-scope layout); any other module the first scope of SCOPES."""
    several = tuple(s for s in MULTI_SCOPES if s in scopes)
    return several if language == "bicep" and len(several) > 1 else (default_scope(scopes),)


def parse_scopes(
    value: Any, language: str, full_type: str, scopes: tuple[str, ...]
) -> tuple[tuple[str, ...], str | None]:
    """The scopes an answer names, in SCOPES order: one, or several (comma-separated text or a list) for a Bicep
    multi-scope module; `((), the problem)` when it names no scope, one the type is not writable at, or several that
    cannot make a multi-scope module."""
    if value in (None, "", []):
        return default_scopes(language, scopes), None
    words = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
    wanted: list[str] = []
    for word in words:
        scope, problem = parse_scope(word, full_type, scopes)
        if problem or scope is None:
            return (), problem
        if scope not in wanted:
            wanted.append(scope)
    ordered = tuple(s for s in SCOPES if s in wanted)
    if len(ordered) > 1:
        if language != "bicep":
            return (), "a Terraform module deploys at one scope, which its parent_id names; give one"
        outside = [s for s in ordered if s not in MULTI_SCOPES]
        if outside:
            return (), (
                f"a multi-scope module has a folder for each of {', '.join(MULTI_SCOPES)}; "
                f"{', '.join(outside)} cannot be one of several scopes"
            )
    return ordered, None


def parent_scope(multi: tuple[str, ...]) -> str:
    """The `targetScope` of a multi-scope module's unpublished parent: the widest of its scopes (BRM's
    role-assignment parent deploys at management group scope)."""
    return next(s for s in reversed(MULTI_SCOPES) if s in multi)


def parse_location(value: Any) -> str | None:
    """The location kind an answer gives (`true`, `false`, `global`, `regional`, `none`), or None when it is none."""
    if isinstance(value, bool):
        return "regional" if value else "none"
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    return LOCATION_WORDS.get(word, word if word in LOCATION_KINDS else None)


def location_problem(kind: str, full_type: str, type_carries: Carried) -> str | None:
    """Why the type cannot have a location of `kind` (as its schema says), or None."""
    if not type_carries.from_schema:
        return None
    if kind != "none" and not type_carries.location:
        return f"{full_type} has no location"
    if kind == "none" and type_carries.location_required:
        return f"{full_type} requires a location"
    return None


def default_location(facts: ResourceFacts, type_carries: Carried) -> str:
    if type_carries.from_schema and not type_carries.location:
        return "none"
    return "global" if facts.global_location else "regional"


def impossible(interface: str, full_type: str, type_carries: Carried, scope: str) -> str | None:
    """Why a module of the type at `scope` cannot have `interface`, or None when it can."""
    if interface == "managed-identities" and type_carries.from_schema and not type_carries.identity:
        return f"{full_type} has no identity"
    if interface == "tags" and type_carries.from_schema and not type_carries.tags:
        return f"{full_type} has no tags"
    if interface in RESOURCE_GROUP_ONLY and scope != RESOURCE_GROUP:
        return f"a module of {full_type} at {SCOPE_WORDS[scope]} scope has no resource group to put them in"
    return None


def impossible_everywhere(
    interface: str, full_type: str, type_carries: Carried, module_scopes: tuple[str, ...]
) -> str | None:
    """Why a module at `module_scopes` cannot have `interface` at any of them (the first scope's reason), or None
    when one of them can carry it (a multi-scope module's other folders leave it out: `possible_at`)."""
    found = [impossible(interface, full_type, type_carries, scope) for scope in module_scopes]
    return None if None in found else found[0]


def possible_at(interfaces: tuple[str, ...], scope: str) -> tuple[str, ...]:
    """The interfaces of a multi-scope module that one of its scope folders has: those its scope allows."""
    return tuple(k for k in interfaces if k not in RESOURCE_GROUP_ONLY or scope == RESOURCE_GROUP)


def default_interfaces(facts: ResourceFacts, type_carries: Carried, module_scopes: tuple[str, ...]) -> tuple[str, ...]:
    """The interfaces a module gets when none are asked for: the catalog's (for a type outside it: every one
    but the customer-managed key, and outside a resource group no diagnostic settings), those it can carry at one
    of its scopes at least."""
    full_type = f"{facts.namespace}/{facts.resource_type}"

    def offered_at(interface: str, scope: str) -> bool:
        guessed_out = (
            not facts.known and scope != RESOURCE_GROUP and interface in ("diagnostic-settings", CUSTOMER_MANAGED_KEY)
        )
        return not guessed_out and impossible(interface, full_type, type_carries, scope) is None

    return tuple(k for k in facts.interfaces if any(offered_at(k, scope) for scope in module_scopes))


def chosen_scopes(
    facts: ResourceFacts, api_version: str | None, scope_answer: Any, language: str
) -> tuple[Carried, tuple[str, ...]]:
    """What the type can carry, and the scopes a module of it gets from the `scope` answer (the default ones
    when the answer is none or names no scope the type allows)."""
    type_carries = type_carried(facts, api_version)
    full_type = f"{facts.namespace}/{facts.resource_type}"
    chosen = parse_scopes(scope_answer, language, full_type, type_carries.scopes)[0]
    return type_carries, chosen or (default_scope(type_carries.scopes),)


def interface_choices(
    facts: ResourceFacts, api_version: str | None, scope_answer: Any, language: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the wizard offers: every interface the type can carry at one of the module's scopes at least, and
    those chosen by default."""
    from generator.interfaces import INTERFACE_KEYS

    type_carries, chosen = chosen_scopes(facts, api_version, scope_answer, language)
    full_type = f"{facts.namespace}/{facts.resource_type}"
    possible = tuple(k for k in INTERFACE_KEYS if impossible_everywhere(k, full_type, type_carries, chosen) is None)
    if facts.customer_managed_key is None:
        possible = tuple(k for k in possible if k != CUSTOMER_MANAGED_KEY)
    return possible, default_interfaces(facts, type_carries, chosen)


def type_carried(facts: ResourceFacts, api_version: str | None) -> Carried:
    """What the type can carry, from its schema at `api_version` (else the catalog's version) where one is found."""
    from generator.azure_types.lookup import resource_schema

    version = api_version or facts.api_version
    resolved = resource_schema(facts.namespace, facts.resource_type, version) if version else None
    return carried(facts, resolved.schema if resolved is not None else None)


@dataclass(frozen=True)
class ExtensionTarget:
    """The resource an extension-scope module deploys onto (`ModuleSpec.extends`)."""

    full_type: str  # `Microsoft.ContainerService/managedClusters`
    api_version: str
    body: dict[str, Any]  # what its tests and examples create it with, besides the name and the location

    @property
    def type_ref(self) -> str:
        return f"{self.full_type}@{self.api_version}"

    @property
    def symbol(self) -> str:
        """`managedCluster`: the resource's symbol, and with `Name` the parameter of its name."""
        from generator import naming

        return naming.camel_symbol(naming.type_slug(self.full_type.rsplit("/", 1)[1]))


def extension_target(extends: str) -> ExtensionTarget | None:
    """The target recorded as `Namespace/type@api-version`; None for a module at another scope."""
    if not extends:
        return None
    from generator.paths import read_data

    full_type, _, api_version = extends.partition("@")
    bodies = read_data("extension_targets.yaml")
    body = next((b for t, b in bodies.items() if t.lower() == full_type.lower()), {})
    return ExtensionTarget(full_type, api_version, body)
