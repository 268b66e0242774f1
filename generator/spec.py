"""ModuleSpec: the validated description of one module, built from flags, answers files and prompts.

Everything the tool accepts from a user passes through `build_spec`, which reports every problem at
once as field errors. A spec serialises to the copier answers (`to_answers`) and back
(`from_answers`), so that a module's answers file alone reproduces it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from generator import naming
from generator.errors import FieldError, InvalidInputError
from generator.interfaces import INTERFACE_KEYS

MODULE_CLASSES = ("resource",)
LANGUAGES = ("bicep", "terraform")

NAMESPACE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$")
TYPE_SEGMENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
API_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(-(preview|beta|alpha|privatepreview))?$")
OWNER_RE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
IDENTITY_KINDS = ("system", "user")

# The answer keys a user may set (flags, --set, --data-file); everything else is derived.
USER_KEYS = (
    "module_class",
    "language",
    "provider_namespace",
    "resource_type",
    "children",
    "interfaces",
    "api_version",
    "display_name",
    "description",
    "owner",
)
# Answers an avm answers file records besides the user's own; accepted and recomputed on input.
DERIVED_KEYS = (
    "location",
    "private_endpoint_service",
    "private_dns_zone",
    "private_endpoint_multi_service",
    "identity_kinds",
    "roles",
    "bicep_path",
    "telemetry_id_prefix",
    "service_short",
    "owners_team",
    "terraform_module",
    "terraform_repo",
    "terraform_registry",
)
REQUIRED_KEYS = ("module_class", "language", "provider_namespace", "resource_type")


@dataclass(frozen=True)
class ChildSpec:
    """A child resource type, relative to the module's primary type (`blobServices/containers`)."""

    type_path: str
    api_version: str
    tags: bool
    folder: str

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
    location: bool = True
    private_endpoint_service: str = ""
    private_dns_zone: str = ""
    private_endpoint_multi_service: bool = False
    identity_kinds: tuple[str, ...] = ("system", "user")
    roles: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def full_type(self) -> str:
        return f"{self.provider_namespace}/{self.resource_type}"

    def has(self, interface: str) -> bool:
        return interface in self.interfaces

    def to_answers(self) -> dict[str, Any]:
        """The copier answers: user choices, recorded names and the catalog facts the output uses."""
        return {
            "module_class": self.module_class,
            "language": self.language,
            "provider_namespace": self.provider_namespace,
            "resource_type": self.resource_type,
            "api_version": self.api_version,
            "display_name": self.display_name,
            "description": self.description,
            "owner": self.owner,
            "interfaces": list(self.interfaces),
            "children": [
                {"type": c.type_path, "api_version": c.api_version, "tags": c.tags, "folder": c.folder}
                for c in self.children
            ],
            "location": self.location,
            "private_endpoint_service": self.private_endpoint_service,
            "private_dns_zone": self.private_dns_zone,
            "private_endpoint_multi_service": self.private_endpoint_multi_service,
            "identity_kinds": list(self.identity_kinds),
            "roles": {name: guid for name, guid in self.roles},
            **asdict(self.names),
        }

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> ModuleSpec:
        """Rebuild a spec from a recorded answers mapping (no catalog or index involved)."""
        return cls(
            module_class=answers["module_class"],
            language=answers["language"],
            provider_namespace=answers["provider_namespace"],
            resource_type=answers["resource_type"],
            api_version=answers["api_version"],
            display_name=answers["display_name"],
            description=answers["description"],
            owner=answers.get("owner") or "",
            interfaces=tuple(answers.get("interfaces") or ()),
            children=tuple(
                ChildSpec(c["type"], c["api_version"], bool(c["tags"]), c["folder"])
                for c in answers.get("children") or ()
            ),
            names=ModuleNames(**{f.name: answers[f.name] for f in fields(ModuleNames)}),
            location=bool(answers.get("location", True)),
            private_endpoint_service=answers.get("private_endpoint_service") or "",
            private_dns_zone=answers.get("private_dns_zone") or "",
            private_endpoint_multi_service=bool(answers.get("private_endpoint_multi_service")),
            identity_kinds=tuple(answers.get("identity_kinds") or IDENTITY_KINDS),
            roles=tuple((answers.get("roles") or {}).items()),
        )


@dataclass
class SpecContext:
    """What `build_spec` consults besides the user's answers."""

    catalog: Any  # generator.catalog.Catalog
    index: Any  # generator.index.ModuleIndex
    warnings: list[str] = field(default_factory=list)


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
    if "\n" in value or "\r" in value:
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
    raw_children: Any, namespace: str, resource_type: str, ctx: SpecContext, errors: list[FieldError]
) -> tuple[ChildSpec, ...]:
    try:
        paths = _as_list(raw_children)
    except TypeError as exc:
        errors.append(FieldError("children", f"must be a list of child type paths, got {exc}"))
        return ()
    wanted: list[str] = []
    for path in paths:
        path = path.strip("/")
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
                api_version=api_version or "",
                tags=tags,
                folder=naming.child_folder(type_path),
            )
        )
    return tuple(children)


def missing_keys(raw: Mapping[str, Any]) -> list[str]:
    return [k for k in REQUIRED_KEYS if raw.get(k) in (None, "")]


def build_spec(raw: Mapping[str, Any], ctx: SpecContext) -> ModuleSpec:
    """Validate user answers and complete them from the catalog and the module index."""
    errors: list[FieldError] = [FieldError(k, "is required") for k in missing_keys(raw)]
    unknown = sorted(set(raw) - set(USER_KEYS))
    errors += [FieldError(k, f"is not a known answer; expected one of {', '.join(USER_KEYS)}") for k in unknown]

    module_class = raw.get("module_class")
    if module_class and module_class not in MODULE_CLASSES:
        errors.append(FieldError("module_class", f"{module_class!r} is not supported; expected resource"))
    language = raw.get("language")
    if language and language not in LANGUAGES:
        errors.append(FieldError("language", f"{language!r} is not supported; expected bicep or terraform"))

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
    if api_version is not None and not (isinstance(api_version, str) and API_VERSION_RE.match(api_version)):
        errors.append(FieldError("api_version", f"{api_version!r} is not an API version like 2024-11-01"))
        api_version = None
    display_name = _text(raw, "display_name", errors, limit=100)
    description = _text(raw, "description", errors, limit=300)
    owner = _text(raw, "owner", errors, limit=40)
    if owner and not OWNER_RE.match(owner):
        errors.append(FieldError("owner", f"{owner!r} is not a GitHub handle"))

    if not (namespace and resource_type) or errors:
        # Interfaces and children can still be checked for shape without catalog facts.
        parse_interfaces(raw.get("interfaces"), INTERFACE_KEYS, errors)
        if errors:
            raise InvalidInputError(errors)

    facts = ctx.catalog.facts(namespace, resource_type)
    namespace, resource_type = facts.namespace, facts.resource_type
    if not facts.known:
        ctx.warnings.append(
            f"type: {namespace}/{resource_type} is not in the catalog; all interfaces are offered "
            "and its facts (location, tags, API version) are assumed"
        )
    raw_interfaces = raw.get("interfaces")
    interfaces = (
        tuple(k for k in INTERFACE_KEYS if k in facts.interfaces)
        if raw_interfaces is None
        else parse_interfaces(raw_interfaces, facts.interfaces, errors)
    )
    for key in interfaces:
        if key not in facts.interfaces and facts.known:
            ctx.warnings.append(f"interfaces: the catalog does not list {key} for {namespace}/{resource_type}")
    if "private-endpoints" in interfaces and not facts.private_endpoint_group_ids:
        ctx.warnings.append(
            "interfaces: no private endpoint group id is known for this type; "
            "the private endpoint 'service' must be given by the module's users"
        )
    children = _children(raw.get("children"), namespace, resource_type, ctx, errors)
    api_version = api_version or facts.api_version
    if not api_version:
        errors.append(FieldError("api_version", f"no API version is known for {namespace}/{resource_type}; give one"))
    if errors:
        raise InvalidInputError(errors)
    children = tuple(c if c.api_version else ChildSpec(c.type_path, api_version, c.tags, c.folder) for c in children)

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
        owner=(owner or "").lstrip("@"),
        interfaces=interfaces,
        children=children,
        names=names,
        location=facts.location,
        private_endpoint_service=(facts.private_endpoint_group_ids or ("",))[0],
        private_dns_zone=facts.private_dns_zone or "",
        private_endpoint_multi_service=facts.private_endpoint_multi_service,
        identity_kinds=tuple(k for k in IDENTITY_KINDS if k in facts.identity) or IDENTITY_KINDS,
        roles=tuple(facts.roles),
    )
