"""ModuleSpec: the validated description of one module, built from flags, answers files and prompts.

Everything the tool accepts from a user passes through `build_spec`, which reports every problem at
once as field errors. A spec serialises to the copier answers (`to_answers`) and back
(`from_answers`), so that a module's answers file alone reproduces it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from generator import naming, property_selection, scopes
from generator.api_versions import canonical_version, is_stable
from generator.errors import FieldError, InvalidInputError
from generator.interfaces import INTERFACE_KEYS
from generator.property_selection import Selection

MODULE_CLASSES = ("resource", "pattern", "utility")
CLASS_SEGMENTS = {"resource": "res", "pattern": "ptn", "utility": "utl"}
LANGUAGES = ("bicep", "terraform")

NAMESPACE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$")
TYPE_SEGMENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
API_VERSION_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(-(preview|privatepreview|beta|alpha|rc))?$")
OWNER_RE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
KEBAB = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
MODULE_NAME_RE = re.compile(rf"^{KEBAB}/{KEBAB}$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
IDENTITY_KINDS = ("system", "user")

# The answer keys a user may set (flags, --set, --data-file); everything else is derived.
RESOURCE_KEYS = (
    "provider_namespace",
    "resource_type",
    "children",
    "published_children",
    "interfaces",
    "api_version",
    "properties",
    "location",
    "scope",
)
COMPOSITE_KEYS = ("module_name", "uses", "deploys")
USER_KEYS = (
    "module_class",
    "language",
    *RESOURCE_KEYS,
    *COMPOSITE_KEYS,
    "display_name",
    "description",
    "owner",
)
# The answers that record catalog facts: `avm update` brings them to what `avm new` would record today.
CATALOG_FACT_KEYS = (
    "private_endpoint_service",
    "private_dns_zone",
    "private_endpoint_multi_service",
    "identity_kinds",
    "roles",
    "extends",
)


# Answers an avm answers file records besides the user's own; accepted and recomputed on input.
DERIVED_KEYS = (
    *CATALOG_FACT_KEYS,
    "resource_schema",
    "bicep_path",
    "telemetry_id_prefix",
    "service_short",
    "owners_team",
    "terraform_module",
    "terraform_repo",
    "terraform_registry",
    "module_version",
)
REQUIRED_KEYS = {
    "resource": ("module_class", "language", "provider_namespace", "resource_type"),
    "pattern": ("module_class", "language", "module_name"),
    "utility": ("module_class", "language", "module_name"),
}


@dataclass(frozen=True)
class ChildSpec:
    """A child resource type, relative to the module's primary type (`blobServices/containers`)."""

    type_path: str
    api_version: str
    tags: bool
    folder: str
    published: bool = False
    telemetry_id_prefix: str = ""  # published children only

    @property
    def segments(self) -> list[str]:
        return self.type_path.split("/")

    @property
    def parent_path(self) -> str | None:
        head, _, _ = self.type_path.rpartition("/")
        return head or None

    @property
    def depth(self) -> int:
        return len(self.segments)


@dataclass(frozen=True)
class UsedModule:
    """A published AVM resource module that a pattern deploys, pinned to one version."""

    module: str  # Bicep: avm/res/key-vault/vault; Terraform: avm-res-keyvault-vault
    version: str
    source: str  # Bicep: br/public:avm/res/key-vault/vault; Terraform: Azure/avm-res-keyvault-vault/azurerm
    display_name: str
    symbol: str  # lowerCamel; the Terraform label is its snake_case
    location: bool = True

    @property
    def legacy(self) -> bool:
        """A Terraform module of the AzureRM era: scoped by `resource_group_name` instead of `parent_id`."""
        return self.source.endswith("/azurerm")


@dataclass(frozen=True)
class ModuleNames:
    """Names fixed when a module is created; recorded as answers so they never change later."""

    bicep_path: str
    telemetry_id_prefix: str
    service_short: str
    owners_team: str
    terraform_module: str
    terraform_repo: str
    terraform_registry: str


@dataclass(frozen=True)
class ModuleSpec:
    module_class: str
    language: str
    provider_namespace: str
    resource_type: str
    api_version: str
    display_name: str
    description: str
    owner: str
    interfaces: tuple[str, ...]
    children: tuple[ChildSpec, ...]
    names: ModuleNames
    location: bool = True  # a regional location, the module's input
    global_location: bool = False  # a location that is always 'global' (then `location` is False)
    scope: str = "resourceGroup"  # where the module deploys (`scopes.SCOPES`); a multi-scope parent: the widest
    # A Bicep module of a type writable at several scopes: one published module folder per scope under an unpublished
    # parent (`scopes.MULTI_SCOPES`); () for a module at one scope.
    scopes: tuple[str, ...] = ()
    scope_folder: str = ""  # set on the spec of one scope folder of a multi-scope module (`rg-scope`), never recorded
    extends: str = ""  # an extension-scope module's target: `Namespace/type@api-version`
    private_endpoint_service: str = ""
    private_dns_zone: str = ""
    private_endpoint_multi_service: bool = False
    identity_kinds: tuple[str, ...] = ("system", "user")
    roles: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    module_name: str = ""
    uses: tuple[UsedModule, ...] = ()
    deploys: bool = False
    module_version: str = ""  # an adopted Bicep module's version.json version (MAJOR.MINOR) when it is not 0.1
    properties: Selection = property_selection.ALL  # which of the resource's own properties become parameters
    # The schema the resource's parameters came from: {type: Type@version, source, revision}; {} when none was found.
    resource_schema: Mapping[str, str] = field(default_factory=dict)

    @property
    def full_type(self) -> str:
        return f"{self.provider_namespace}/{self.resource_type}" if self.resource_type else ""

    @property
    def class_segment(self) -> str:
        return CLASS_SEGMENTS[self.module_class]

    @property
    def telemetry(self) -> bool:
        """Utility modules report usage only when they deploy something."""
        return self.module_class != "utility" or self.deploys

    def has(self, interface: str) -> bool:
        return interface in self.interfaces

    def to_answers(self) -> dict[str, Any]:
        """The copier answers: user choices, recorded names and the catalog facts the output uses."""
        common = {
            "module_class": self.module_class,
            "language": self.language,
            "display_name": self.display_name,
            "description": self.description,
            "owner": self.owner,
            **asdict(self.names),
            **({"module_version": self.module_version} if self.module_version else {}),
        }
        if self.module_class == "pattern":
            return {**common, "module_name": self.module_name, "uses": [asdict(u) for u in self.uses]}
        if self.module_class == "utility":
            return {**common, "module_name": self.module_name, "deploys": self.deploys}
        return {
            **common,
            "provider_namespace": self.provider_namespace,
            "resource_type": self.resource_type,
            "api_version": self.api_version,
            "display_name": self.display_name,
            "description": self.description,
            "owner": self.owner,
            "interfaces": list(self.interfaces),
            "children": [
                {
                    "type": c.type_path,
                    "api_version": c.api_version,
                    "tags": c.tags,
                    "folder": c.folder,
                    **({"published": True, "telemetry_id_prefix": c.telemetry_id_prefix} if c.published else {}),
                }
                for c in self.children
            ],
            "location": "global" if self.global_location else self.location,
            "scope": ",".join(self.scopes) if self.scopes else self.scope,
            "extends": self.extends,
            "private_endpoint_service": self.private_endpoint_service,
            "private_dns_zone": self.private_dns_zone,
            "private_endpoint_multi_service": self.private_endpoint_multi_service,
            "identity_kinds": list(self.identity_kinds),
            "roles": {name: guid for name, guid in self.roles},
            "properties": property_selection.to_answer(self.properties),
            "resource_schema": dict(self.resource_schema),
        }

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> ModuleSpec:
        """Rebuild a spec from a recorded answers mapping (no catalog or index involved)."""
        return cls(
            module_class=answers["module_class"],
            language=answers["language"],
            provider_namespace=answers.get("provider_namespace") or "",
            resource_type=answers.get("resource_type") or "",
            api_version=answers.get("api_version") or "",
            display_name=answers["display_name"],
            description=answers["description"],
            owner=answers.get("owner") or "",
            interfaces=tuple(answers.get("interfaces") or ()),
            children=tuple(
                ChildSpec(
                    c["type"],
                    c["api_version"],
                    bool(c["tags"]),
                    c["folder"],
                    bool(c.get("published")),
                    c.get("telemetry_id_prefix") or "",
                )
                for c in answers.get("children") or ()
            ),
            names=ModuleNames(**{f.name: answers[f.name] for f in fields(ModuleNames)}),
            location=answers.get("location", True) is True,
            global_location=answers.get("location") == "global",
            **_recorded_scopes(answers.get("scope") or scopes.RESOURCE_GROUP),
            extends=answers.get("extends") or "",
            private_endpoint_service=answers.get("private_endpoint_service") or "",
            private_dns_zone=answers.get("private_dns_zone") or "",
            private_endpoint_multi_service=bool(answers.get("private_endpoint_multi_service")),
            identity_kinds=tuple(answers.get("identity_kinds") or IDENTITY_KINDS),
            roles=tuple((answers.get("roles") or {}).items()),
            module_name=answers.get("module_name") or "",
            uses=tuple(UsedModule(**u) for u in answers.get("uses") or ()),
            deploys=bool(answers.get("deploys")),
            module_version=str(answers.get("module_version") or ""),
            properties=property_selection.parse(answers.get("properties")),
            resource_schema=dict(answers.get("resource_schema") or {}),
        )


def _recorded_scopes(answer: str) -> dict[str, Any]:
    """`scope` and `scopes` of a recorded `scope` answer: one scope, or a multi-scope module's comma-separated ones."""
    several = tuple(s.strip() for s in answer.split(",") if s.strip())
    if len(several) > 1:
        return {"scope": scopes.parent_scope(several), "scopes": several}
    return {"scope": answer.strip()}


@dataclass
class SpecContext:
    """What `build_spec` consults besides the user's answers."""

    catalog: Any  # generator.catalog.Catalog
    index: Any  # generator.index.ModuleIndex
    warnings: list[str] = field(default_factory=list)


def valid_api_version(value: Any) -> bool:
    """An ARM API version: a real calendar date, optionally with a pre-release suffix (2024-11-01-preview)."""
    import datetime

    match = API_VERSION_RE.match(value) if isinstance(value, str) else None
    if match is None:
        return False
    try:
        datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return False
    return True


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value]
    raise TypeError(type(value).__name__)


def _text(raw: Mapping[str, Any], key: str, errors: list[FieldError], limit: int = 200) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.append(FieldError(key, f"must be text, got {type(value).__name__}"))
        return None
    value = value.strip()
    if len(value.splitlines()) > 1:  # any line break, \u2028 and \x85 included
        errors.append(FieldError(key, "must be a single line"))
        return None
    if len(value) > limit:
        errors.append(FieldError(key, f"must be at most {limit} characters"))
        return None
    return value


def parse_interfaces(value: Any, supported: tuple[str, ...], errors: list[FieldError]) -> tuple[str, ...]:
    """`all`, `none`, or a comma-separated list / sequence of interface keys."""
    try:
        items = _as_list(value)
    except TypeError as exc:
        errors.append(FieldError("interfaces", f"must be a list or a comma-separated string, got {exc}"))
        return ()
    if items == ["all"]:
        return tuple(k for k in INTERFACE_KEYS if k in supported)
    if items == ["none"] or items == []:
        return ()
    unknown = [i for i in items if i not in INTERFACE_KEYS]
    if unknown:
        errors.append(
            FieldError(
                "interfaces",
                f"unknown interface {', '.join(repr(u) for u in unknown)}; "
                f"expected any of {', '.join(INTERFACE_KEYS)}, or all, or none",
            )
        )
        return ()
    return tuple(k for k in INTERFACE_KEYS if k in items)


def _children(
    raw_children: Any,
    raw_published: Any,
    namespace: str,
    resource_type: str,
    ctx: SpecContext,
    errors: list[FieldError],
) -> tuple[ChildSpec, ...]:
    try:
        paths = _as_list(raw_children)
        published = _as_list(raw_published)
    except TypeError as exc:
        errors.append(FieldError("children", f"must be a list of child type paths, got {exc}"))
        return ()
    wanted: list[str] = []
    pinned: dict[str, str] = {}
    published = [p.partition("@")[0] for p in published]
    for entry in [*paths, *published]:
        path, at, version = entry.partition("@")
        if at:
            version = canonical_version(version.strip())
            if not valid_api_version(version):
                errors.append(FieldError("child", f"{entry!r}: {version!r} is not an API version like 2024-11-01"))
                continue
            pinned[path.lower()] = version
        segments = path.split("/")
        if not path or not all(TYPE_SEGMENT_RE.match(s) for s in segments):
            errors.append(
                FieldError(
                    "child",
                    f"{path!r} is not a child type path; expected segments of letters and digits "
                    "separated by '/', e.g. secrets or blobServices/containers",
                )
            )
            continue
        for depth in range(1, len(segments) + 1):  # a nested path implies its parents
            implied = "/".join(segments[:depth])
            if implied.lower() not in (w.lower() for w in wanted):
                wanted.append(implied)
    children = []
    for path in sorted(wanted, key=lambda p: p.lower().split("/")):
        facts = ctx.catalog.child_facts(namespace, resource_type, path)
        if facts is None:
            ctx.warnings.append(
                f"child: {path!r} is not a known child type of {namespace}/{resource_type}; "
                "its API version is taken from the parent"
            )
            api_version, tags, type_path = None, False, path
        else:
            api_version, tags, type_path = facts.api_version, facts.tags, facts.type_path
        children.append(
            ChildSpec(
                type_path=type_path,
                api_version=pinned.get(path.lower()) or api_version or "",
                tags=tags,
                folder=naming.child_folder(type_path),
                published=path.lower() in (p.lower() for p in published),
            )
        )
    return tuple(children)


def _pinned_children(raw: Mapping[str, Any]) -> set[str]:
    """The child types the answers pin to an API version (`secrets@2024-11-01`), lower case."""
    try:
        entries = _as_list(raw.get("children"))
    except TypeError:
        return set()
    return {entry.partition("@")[0].lower() for entry in entries if "@" in entry}


def _parent_versions(
    namespace: str, resource_type: str, api_version: str, children: tuple[ChildSpec, ...], pinned: set[str]
) -> tuple[ChildSpec, ...]:
    """A Terraform submodule deploys its child type at the parent's API version (one version for the whole
    module, as the AzAPI modules keep it), where the type definitions have the child at that version; a child the
    user pinned keeps its version."""
    from generator.azure_types.lookup import resource_schema

    kept = []
    for child in children:
        if child.type_path.lower() not in pinned and child.api_version != api_version:
            found = resource_schema(namespace, f"{resource_type}/{child.type_path}", api_version)
            if found is not None and found.exact:
                child = replace(child, api_version=api_version)
        kept.append(child)
    return tuple(kept)


def missing_keys(raw: Mapping[str, Any]) -> list[str]:
    required = REQUIRED_KEYS.get(raw.get("module_class") or "resource", REQUIRED_KEYS["resource"])
    return [k for k in required if raw.get(k) in (None, "")]


def build_spec(raw: Mapping[str, Any], ctx: SpecContext) -> ModuleSpec:
    """Validate user answers and complete them from the catalog and the module index."""
    errors: list[FieldError] = [FieldError(k, "is required") for k in missing_keys(raw)]
    unknown = sorted(set(raw) - set(USER_KEYS))
    errors += [FieldError(k, f"is not a known answer; expected one of {', '.join(USER_KEYS)}") for k in unknown]

    module_class = raw.get("module_class")
    if module_class and module_class not in MODULE_CLASSES:
        errors.append(
            FieldError("module_class", f"{module_class!r} is not a module class; expected {', '.join(MODULE_CLASSES)}")
        )
    language = raw.get("language")
    if language and language not in LANGUAGES:
        errors.append(FieldError("language", f"{language!r} is not supported; expected bicep or terraform"))
    display_name = _text(raw, "display_name", errors, limit=100)
    description = _text(raw, "description", errors, limit=300)
    owner = _text(raw, "owner", errors, limit=40)
    if owner and not OWNER_RE.match(owner):
        errors.append(FieldError("owner", f"{owner!r} is not a GitHub handle"))
    common = {"display_name": display_name, "description": description, "owner": (owner or "").lstrip("@")}
    if module_class in ("pattern", "utility"):
        return _composite_spec(raw, ctx, errors, module_class, language, common)
    return _resource_spec(raw, ctx, errors, module_class, language, common)


def _not_for(raw: Mapping[str, Any], keys: tuple[str, ...], what: str, errors: list[FieldError]) -> None:
    errors += [FieldError(k, f"applies to {what} only") for k in keys if raw.get(k) not in (None, "", [], False)]


def _resource_spec(
    raw: Mapping[str, Any],
    ctx: SpecContext,
    errors: list[FieldError],
    module_class: str,
    language: str,
    common: dict[str, str],
) -> ModuleSpec:
    _not_for(raw, COMPOSITE_KEYS, "pattern and utility modules", errors)
    display_name, description, owner = common["display_name"], common["description"], common["owner"]
    if raw.get("published_children") and language == "terraform":
        errors.append(
            FieldError(
                "publish-child", "Terraform submodules are not published on their own; only Bicep child modules are"
            )
        )
    namespace = raw.get("provider_namespace")
    if namespace is not None and not isinstance(namespace, str):
        errors.append(FieldError("provider", "must be text"))
        namespace = None
    if namespace and not NAMESPACE_RE.match(namespace):
        errors.append(
            FieldError(
                "provider",
                f"{namespace!r} is not a resource provider namespace; "
                "expected <Vendor>.<Service>, e.g. Microsoft.KeyVault",
            )
        )
        namespace = None
    resource_type = raw.get("resource_type")
    if resource_type is not None and not isinstance(resource_type, str):
        errors.append(FieldError("type", "must be text"))
        resource_type = None
    if resource_type and not TYPE_SEGMENT_RE.match(resource_type):
        hint = " (give child types with --child)" if "/" in resource_type else ""
        errors.append(
            FieldError(
                "type",
                f"{resource_type!r} is not a top-level resource type; "
                f"expected letters and digits only, e.g. vaults{hint}",
            )
        )
        resource_type = None

    api_version = raw.get("api_version") or None
    if isinstance(api_version, str):
        api_version = canonical_version(api_version.strip())
    if api_version is not None and not valid_api_version(api_version):
        errors.append(
            FieldError(
                "api_version",
                f"{api_version!r} is not an API version: a real date YYYY-MM-DD with an optional -preview or -beta "
                "suffix, like 2024-11-01",
            )
        )
        api_version = None

    if not (namespace and resource_type) or errors:
        # Interfaces and children can still be checked for shape without catalog facts.
        parse_interfaces(raw.get("interfaces"), INTERFACE_KEYS, errors)
        if errors:
            raise InvalidInputError(errors)

    facts = ctx.catalog.facts(namespace, resource_type)
    namespace, resource_type = facts.namespace, facts.resource_type
    if not facts.known:
        listed = (
            "its API version comes from the AVM API-versions list"
            if facts.listed
            else "it is not in the AVM API-versions list either (check the spelling)"
        )
        ctx.warnings.append(
            f"type: {namespace}/{resource_type} is not in the catalog: all interfaces but customer-managed-key are "
            f"offered, location and tags are assumed, and {listed}"
        )
    children = _children(raw.get("children"), raw.get("published_children"), namespace, resource_type, ctx, errors)
    try:
        selection = property_selection.parse(raw.get("properties"))
    except ValueError as exc:
        errors.append(FieldError("properties", str(exc)))
        selection = property_selection.ALL
    if api_version is None and facts.api_version and not is_stable(facts.api_version):
        ctx.warnings.append(
            f"api_version: {namespace}/{resource_type} has no stable API version; the newest preview, "
            f"{facts.api_version}, is used"
        )
    api_version = api_version or facts.api_version
    if not api_version:
        errors.append(FieldError("api_version", f"no API version is known for {namespace}/{resource_type}; give one"))
    if errors:
        raise InvalidInputError(errors)
    children = tuple(c if c.api_version else replace(c, api_version=api_version) for c in children)
    if language == "terraform":
        children = _parent_versions(namespace, resource_type, api_version, children, _pinned_children(raw))
    resolved = _resolved_schema(namespace, resource_type, api_version, selection, ctx)
    placement = _placement(raw, facts, resolved.schema if resolved is not None else None, ctx, errors)
    if errors:
        raise InvalidInputError(errors)

    entry = ctx.index.lookup(language, namespace, resource_type)
    bicep_path = naming.bicep_module_path(namespace, resource_type)
    telemetry_prefix = naming.telemetry_id_prefix(bicep_path)
    tf_module = naming.terraform_module_name(namespace, resource_type)
    index_display = None
    if entry is not None:
        index_display = entry.display_name
        if language == "bicep":
            bicep_path = entry.module_name
            telemetry_prefix = entry.telemetry_id_prefix or telemetry_prefix
        else:
            tf_module = entry.module_name
    display = display_name or index_display or facts.display_name or naming.display_name(resource_type)
    children = tuple(
        replace(c, telemetry_id_prefix=_child_telemetry_prefix(ctx, f"{bicep_path}/{c.folder}")) if c.published else c
        for c in children
    )
    names = ModuleNames(
        bicep_path=bicep_path,
        telemetry_id_prefix=telemetry_prefix,
        service_short=naming.service_short(bicep_path),
        owners_team=(entry.owners_team if entry is not None and entry.owners_team else None)
        or naming.owners_team(bicep_path),
        terraform_module=tf_module,
        terraform_repo=f"terraform-azure-{tf_module}",
        terraform_registry=f"Azure/{tf_module}/azure",
    )
    return ModuleSpec(
        module_class=module_class,
        language=language,
        provider_namespace=namespace,
        resource_type=resource_type,
        api_version=api_version,
        display_name=display,
        description=description or f"This module deploys {naming.indefinite_article(display)} {display}.",
        owner=owner,
        children=children,
        names=names,
        **{**fact_fields(facts), **placement},
        properties=selection,
        resource_schema=resolved.record if resolved is not None else {},
    )


def _placement(
    raw: Mapping[str, Any], facts: Any, schema: Any, ctx: SpecContext, errors: list[FieldError]
) -> dict[str, Any]:
    """The ModuleSpec fields of where the module deploys and what its resource carries (`generator.scopes`):
    scope, the target of an extension, location, identity kinds and interfaces."""
    full_type = f"{facts.namespace}/{facts.resource_type}"
    carries = scopes.carried(facts, schema)
    chosen, problem = scopes.parse_scopes(raw.get("scope"), raw.get("language") or "", full_type, carries.scopes)
    if problem:
        errors.append(FieldError("scope", problem))
    chosen = chosen or (scopes.default_scope(carries.scopes),)
    multi = chosen if len(chosen) > 1 else ()
    scope = scopes.parent_scope(multi) if multi else chosen[0]
    if multi and raw.get("children"):
        errors.append(
            FieldError(
                "children",
                f"a module of {full_type} at several scopes ({', '.join(multi)}) has no child modules in avm; "
                "choose one scope with --scope to add them",
            )
        )
    extends = ""
    if scope == scopes.EXTENSION:
        target = ctx.catalog.pinned(*facts.extends.split("/", 1)) if facts.extends else None
        if target is None:
            errors.append(
                FieldError(
                    "scope",
                    f"{full_type} is deployed as an extension of another resource, and the catalog names no resource "
                    "type it extends",
                )
            )
        extends = f"{facts.extends}@{target}" if target else ""
    location = _location(raw, facts, carries, full_type, errors)
    identity = carries.identity if schema is not None else facts.identity
    return {
        "scope": scope,
        "scopes": multi,
        "extends": extends,
        "location": location == "regional",
        "global_location": location == "global",
        "identity_kinds": tuple(k for k in IDENTITY_KINDS if k in identity) or IDENTITY_KINDS,
        "interfaces": _interfaces(raw, facts, carries, multi or (scope,), ctx, errors),
    }


def _location(raw: Mapping[str, Any], facts: Any, carries: Any, full_type: str, errors: list[FieldError]) -> str:
    """The location kind: as answered (`true`, `false`, `global`), else the schema's and the catalog's."""
    if raw.get("location") in (None, ""):
        return scopes.default_location(facts, carries)
    kind = scopes.parse_location(raw["location"])
    if kind is None:
        errors.append(FieldError("location", f"{raw['location']!r} is not true, false or global"))
        return "none"
    problem = scopes.location_problem(kind, full_type, carries)
    if problem:
        errors.append(FieldError("location", problem))
    return kind


def _interfaces(
    raw: Mapping[str, Any],
    facts: Any,
    carries: Any,
    module_scopes: tuple[str, ...],
    ctx: SpecContext,
    errors: list[FieldError],
) -> tuple[str, ...]:
    """The interfaces asked for, else those of the catalog's the type can carry; asking for one it cannot carry
    is an error naming the type. A multi-scope module has those it can carry at one of its scopes at least (each
    scope folder keeps the ones possible there: `scopes.possible_at`)."""
    full_type = f"{facts.namespace}/{facts.resource_type}"
    raw_interfaces = raw.get("interfaces")
    if raw_interfaces is None:
        return scopes.default_interfaces(facts, carries, module_scopes)
    possible = tuple(
        k for k in facts.interfaces if scopes.impossible_everywhere(k, full_type, carries, module_scopes) is None
    )
    interfaces = parse_interfaces(raw_interfaces, possible, errors)
    for key in interfaces:
        problem = scopes.impossible_everywhere(key, full_type, carries, module_scopes)
        if problem:
            errors.append(FieldError("interfaces", f"{key}: {problem}"))
        elif key not in facts.interfaces and facts.known:
            ctx.warnings.append(f"interfaces: the catalog does not list {key} for {full_type}")
    if "customer-managed-key" in interfaces and facts.customer_managed_key is None:
        errors.append(
            FieldError(
                "interfaces",
                f"customer-managed-key: no schema paths are known for the key of {full_type} "
                "(the catalog names them per type); leave it out",
            )
        )
    if "private-endpoints" in interfaces and not facts.private_endpoint_group_ids:
        ctx.warnings.append(
            "interfaces: no private endpoint group id is known for this type; "
            "the private endpoint 'service' must be given by the module's users"
        )
    return interfaces


def fact_fields(facts: Any) -> dict[str, Any]:
    """The ModuleSpec fields of a type's catalog facts (`catalog.ResourceFacts`)."""
    return {
        "private_endpoint_service": (facts.private_endpoint_group_ids or ("",))[0],
        "private_dns_zone": facts.private_dns_zone or "",
        "private_endpoint_multi_service": facts.private_endpoint_multi_service,
        "identity_kinds": tuple(k for k in IDENTITY_KINDS if k in facts.identity) or IDENTITY_KINDS,
        "roles": tuple(facts.roles),
    }


def refreshed_facts(answers: Mapping[str, Any], catalog: Any) -> dict[str, Any]:
    """A resource module's catalog-fact answers as `avm new` would record them today (new roles, a corrected
    private DNS zone); {} for other classes. Names and the user's own answers (the location among them) stay as
    recorded."""
    if answers.get("module_class") != "resource" or not answers.get("provider_namespace"):
        return {}
    facts = catalog.facts(answers["provider_namespace"], answers["resource_type"])
    current = replace(ModuleSpec.from_answers(answers), **fact_fields(facts)).to_answers()
    refreshed = {key: current[key] for key in CATALOG_FACT_KEYS if key in current}
    if answers.get("location") is False and facts.global_location:  # recorded before `global` was an answer
        refreshed["location"] = "global"
    return refreshed


def _resolved_schema(
    namespace: str, resource_type: str, api_version: str, selection: Selection, ctx: SpecContext
) -> Any:
    """The schema the resource's parameters come from (`lookup.ResolvedSchema`), or None; names the selection
    lists must be properties the module can offer (InvalidInputError, exit 2, when one is not)."""
    from generator.azure_types.lookup import resource_schema

    resolved = resource_schema(namespace, resource_type, api_version)
    if resolved is None:
        if selection != property_selection.NONE:
            ctx.warnings.append(
                f"api_version: no schema of {namespace}/{resource_type} at {api_version} or older was found; the "
                "module has none of the resource's own properties as parameters"
            )
        return None
    if not resolved.exact:
        ctx.warnings.append(
            f"api_version: no schema of {namespace}/{resource_type} at {api_version}; the properties come from "
            f"{resolved.found.name}, the nearest older version"
        )
    if isinstance(selection, tuple):
        offered = property_selection.offerable(resolved.schema)
        unknown = [name for name in selection if name not in offered]
        if unknown:
            raise InvalidInputError.single(
                "properties",
                f"{', '.join(map(repr, unknown))} "
                f"{'is not a writable property' if len(unknown) == 1 else 'are not writable properties'} of "
                f"{resolved.found.name}; it has {', '.join(sorted(offered, key=str.lower))}",
            )
    return resolved


def _child_telemetry_prefix(ctx: SpecContext, child_path: str) -> str:
    entry = ctx.index.by_name(child_path)
    return (entry.telemetry_id_prefix if entry is not None else None) or naming.telemetry_id_prefix(child_path)


# ---------------------------------------------------------------------------------------------------------------------
# Pattern and utility modules
# ---------------------------------------------------------------------------------------------------------------------


def category_optional(module_class: str | None, language: str | None) -> bool:
    """Terraform utility modules are named without a category, as the official ones are (avm-utl-regions)."""
    return module_class == "utility" and language == "terraform"


def _module_name(raw: Mapping[str, Any], errors: list[FieldError]) -> str | None:
    value = raw.get("module_name")
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors.append(FieldError("name", "must be text"))
        return None
    value = value.strip()
    if category_optional(raw.get("module_class"), raw.get("language")) and "/" not in value:
        if not re.fullmatch(KEBAB, value):
            errors.append(
                FieldError(
                    "name",
                    f"{value!r} is not a name in lower-case kebab case (letters, digits and single hyphens), "
                    "e.g. regions",
                )
            )
            return None
        return value
    if "/" not in value:
        errors.append(FieldError("name", f"{value!r} has no category; expected CATEGORY/NAME, e.g. azd/monitoring"))
        return None
    if not MODULE_NAME_RE.match(value):
        errors.append(
            FieldError(
                "name",
                f"{value!r} is not CATEGORY/NAME in lower-case kebab case (letters, digits and single hyphens), "
                "e.g. azd/monitoring",
            )
        )
        return None
    return value


def module_name_problem(value: str, module_class: str, language: str) -> str | None:
    """Why `value` is not a valid `--name` for the class and language, or None (for prompts)."""
    errors: list[FieldError] = []
    _module_name({"module_name": value, "module_class": module_class, "language": language}, errors)
    return errors[0].message if errors else None


def parse_uses(value: Any, language: str, ctx: SpecContext, errors: list[FieldError]) -> tuple[UsedModule, ...]:
    """`--uses MODULE@VERSION`: published AVM resource modules, each pinned to an exact version."""
    # An answers file records each module with the facts it was created with; they are kept as recorded.
    recorded = {}
    if isinstance(value, (list, tuple)):
        for entry in value:
            if (
                isinstance(entry, Mapping)
                and {f.name for f in fields(UsedModule)} == set(entry)
                and VERSION_RE.match(str(entry["version"]))
            ):
                recorded[f"{entry['module']}@{entry['version']}"] = UsedModule(**entry)
        value = [f"{v['module']}@{v['version']}" if isinstance(v, Mapping) and "module" in v else v for v in value]
    try:
        items = _as_list(value)
    except TypeError as exc:
        errors.append(FieldError("uses", f"must be a list of MODULE@VERSION, got {exc}"))
        return ()
    used: list[UsedModule] = []
    for item in items:
        if item in recorded:
            used.append(recorded[item])
            continue
        module, at, version = item.rpartition("@")
        if not at or not module:
            example = "avm/res/key-vault/vault@0.13.0" if language == "bicep" else "avm-res-keyvault-vault@0.10.0"
            errors.append(FieldError("uses", f"{item!r} has no version; expected MODULE@VERSION, e.g. {example}"))
            continue
        if not VERSION_RE.match(version):
            errors.append(FieldError("uses", f"{item!r}: {version!r} is not an exact version like 1.2.3"))
            continue
        entry = _used_module(module.strip(), version, language, ctx, errors)
        if entry is None:
            continue
        if any(u.module == entry.module for u in used):
            errors.append(FieldError("uses", f"{entry.module} is listed twice"))
            continue
        if any(u.symbol == entry.symbol for u in used):
            errors.append(FieldError("uses", f"{entry.module} and another module would share the name {entry.symbol}"))
            continue
        used.append(entry)
    return tuple(used)


def _used_module(
    module: str, version: str, language: str, ctx: SpecContext, errors: list[FieldError]
) -> UsedModule | None:
    name = module.removeprefix("br/public:").strip("/").lower()
    tf_source = re.match(r"^azure/(avm-[a-z0-9-]+)/([a-z0-9]+)$", name)
    if tf_source:
        name = tf_source.group(1)
    bicep_path = re.match(r"^avm/(res|ptn|utl)/([a-z0-9-]+(?:/[a-z0-9-]+)+)$", name)
    tf_name = re.match(r"^avm-(res|ptn|utl)-[a-z0-9]+(?:-[a-z0-9]+)+$", name)
    module_class = (bicep_path or tf_name).group(1) if (bicep_path or tf_name) else None
    if module_class is None or (language == "bicep" and not bicep_path):
        expected = "avm/res/<provider>/<type>" if language == "bicep" else "avm-res-<provider>-<type> or avm/res/..."
        errors.append(FieldError("uses", f"{module!r} is not an AVM module name; expected {expected}"))
        return None
    if module_class != "res":
        errors.append(
            FieldError("uses", f"{module!r} is not a resource module; --uses takes published AVM resource modules")
        )
        return None
    derived_display = _used_display(name.split("/")[2:]) if bicep_path else _terraform_used_display(name, ctx)
    if language == "terraform" and bicep_path:  # a Bicep path names the same module: avm-res-<rp>-<type>
        name = "avm-" + "-".join(s.replace("-", "") for s in name.split("/")[1:])
    entry = ctx.index.by_name(name, language)
    if entry is None:
        ctx.warnings.append(f"uses: {name} is not in the module index; its name is used as given")
    display = entry.display_name if entry is not None and entry.display_name else derived_display
    location = True
    if entry is not None and entry.provider_namespace and entry.resource_type:
        location = ctx.catalog.facts(entry.provider_namespace, entry.resource_type).location
    if language == "bicep":
        source = f"br/public:{entry.module_name if entry else name}"
        module_id = entry.module_name if entry else name
    else:
        module_id = entry.module_name if entry else name
        source = (entry.registry_source if entry else None) or f"Azure/{module_id}/azure"
    return UsedModule(
        module=module_id,
        version=version,
        source=source,
        display_name=display,
        symbol=naming.camel_symbol(display) or naming.camel_symbol(module_id.rsplit("/", 1)[-1]),
        location=location,
    )


def _terraform_used_display(name: str, ctx: SpecContext) -> str:
    """`avm-res-keyvault-vault` -> `Key Vault`, `avm-res-recoveryservices-vault` -> `Recovery Services Vault`:
    the provider's words unless the type's own words hold them, in the spelling of the catalog's type names."""
    provider, own = name.split("-")[2], "".join(name.split("-")[3:])
    namespace = next(
        (ns for ns in ctx.catalog.namespaces() if ns.removeprefix("Microsoft.").replace(".", "").lower() == provider),
        None,
    )
    types = ctx.catalog.types(namespace) if namespace else []
    resource_type = next((t for t in types if naming.singular(t).lower() == own), None)
    if namespace:
        provider_words = " ".join(w[:1].upper() + w[1:] for w in naming.split_words(namespace.split(".", 1)[-1]))
    else:
        provider_words = naming.pascal_words(provider)
    type_words = naming.display_name(resource_type) if resource_type else naming.pascal_words(own)
    p, t = provider_words.split(), type_words.split()
    if p[-len(t) :] == t:
        return provider_words
    if {w.lower() for w in p} <= {w.lower() for w in t}:
        return type_words
    return f"{provider_words} {type_words}"


def _used_display(segments: list[str]) -> str:
    """`key-vault`, `vault` -> `Key Vault`; `storage`, `storage-account` -> `Storage Account`."""
    provider, own = segments[0], segments[-1]
    words = provider if provider == own or provider.endswith(f"-{own}") else own
    return naming.pascal_words(words)


def _composite_spec(
    raw: Mapping[str, Any],
    ctx: SpecContext,
    errors: list[FieldError],
    module_class: str,
    language: str,
    common: dict[str, str],
) -> ModuleSpec:
    _not_for(raw, RESOURCE_KEYS, "resource modules", errors)
    if module_class == "pattern":
        _not_for(raw, ("deploys",), "utility modules", errors)
    if module_class == "utility" and raw.get("uses"):
        errors.append(FieldError("uses", "applies to pattern modules only"))
    deploys = raw.get("deploys", False)
    if isinstance(deploys, str) and deploys.lower() in ("true", "false", "yes", "no"):
        deploys = deploys.lower() in ("true", "yes")
    if not isinstance(deploys, bool):
        errors.append(FieldError("deploys", f"must be true or false, got {deploys!r}"))
        deploys = False
    name = _module_name(raw, errors)
    uses = parse_uses(raw.get("uses"), language, ctx, errors) if module_class == "pattern" and language else ()
    if errors or name is None:
        raise InvalidInputError(errors)

    segment = CLASS_SEGMENTS[module_class]
    bicep_path = f"avm/{segment}/{name}"
    tf_module = f"avm-{segment}-{name.replace('/', '-')}"
    entry = ctx.index.by_name(bicep_path if language == "bicep" else tf_module, language)
    telemetry_prefix = naming.telemetry_id_prefix(bicep_path)
    owners_team = naming.owners_team(bicep_path)
    if entry is not None and entry.module_class == segment:
        if language == "bicep":
            bicep_path = entry.module_name
            telemetry_prefix = entry.telemetry_id_prefix or telemetry_prefix
            owners_team = entry.owners_team or owners_team
        else:
            tf_module = entry.module_name
    category, _, short = name.partition("/")
    display = (
        common["display_name"]
        or (entry.display_name if entry is not None else "")
        or (f"{naming.pascal_words(category)} - {naming.pascal_words(short)}" if short else naming.pascal_words(name))
    )
    if module_class == "pattern":
        description = f"This module deploys the {display} pattern."
    else:
        description = f"This module provides the {display} utility."
    names = ModuleNames(
        bicep_path=bicep_path,
        telemetry_id_prefix=telemetry_prefix,
        service_short=naming.service_short(bicep_path),
        owners_team=owners_team,
        terraform_module=tf_module,
        terraform_repo=f"terraform-azure-{tf_module}",
        terraform_registry=f"Azure/{tf_module}/azure",
    )
    return ModuleSpec(
        module_class=module_class,
        language=language,
        provider_namespace="",
        resource_type="",
        api_version="",
        display_name=display,
        description=common["description"] or description,
        owner=common["owner"],
        interfaces=(),
        children=(),
        names=names,
        module_name=name,
        uses=uses,
        deploys=bool(deploys),
    )
