"""The model of a Terraform (AzAPI) resource module: every block, variable and output of the module
root and its submodules.

Built from a `ModuleSpec` only, and knowing nothing of the examples, unit test and READMEs built from it
(`examples.py`; READMEs are rendered from the files, `readme.py`); `assemble.py` puts them together. HCL text comes from
`generator.terraform.hcl`, which writes it `terraform fmt` clean; the canonical orders of mapotf
(TFNFR8/9/15/41) are applied here: variables required then optional, each alphabetical; outputs
alphabetical; resource arguments head (`count`/`for_each`), required, optional, nested blocks,
`depends_on`; module arguments `source`, `version`, `count`/`for_each`, inputs, `depends_on`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from generator import catalog, naming, scopes
from generator.azure_types.lookup import schema_for
from generator.azure_types.schema import PROPERTIES, ResourceSchema
from generator.property_rules import OWNED_BY_INTERFACE, FixedName, fixed_name
from generator.scope import ModuleScope
from generator.spec import ChildSpec, ModuleSpec
from generator.terraform import cmk, hcl, parents
from generator.terraform import facts as facts_mod
from generator.terraform.hcl import Attr, Blank, Block, Comment, call, listing, obj, quote, with_blanks
from generator.terraform.properties import (
    PropertyOutput,
    PropertyVariable,
    name_validations,
    property_outputs,
    property_variables,
    scalar_checks,
)

HEADERS = 'var.enable_telemetry ? { "User-Agent" : local.avm_azapi_header } : null'
HEADER_ATTRIBUTES = ("create_headers", "delete_headers", "read_headers", "update_headers")
RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups"
MAP_KEY_NOTE = "The map key is deliberately arbitrary to avoid issues where map keys maybe unknown at plan time."
NAME_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$"
NAME_RULE = (
    "must be 1 to 80 characters long, start with a letter or a number, end with a letter, a number or an "
    "underscore, and contain only letters, numbers, periods, underscores and hyphens"
)

# What the interface resources of a module are, by their `resource_types` key.
INTERFACE_LABELS = {
    "authorization_locks": "resource locks",
    "authorization_role_assignments": "role assignments",
    "insights_diagnostic_settings": "diagnostic settings",
    "network_private_endpoints": "private endpoints",
    "network_private_endpoints_private_dns_zone_groups": "private DNS zone groups of the private endpoints",
}

# Names no resource-property variable takes: those a module call keeps for itself, and those TFNFR14 forbids.
RESERVED_NAMES = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on", "lifecycle", "enabled", "module_depends_on"}
)

# Interface keys whose inputs go through the avm-utl-interfaces module.
UTILITY_INTERFACES = (
    "lock",
    "role-assignments",
    "diagnostic-settings",
    "private-endpoints",
    "managed-identities",
    "customer-managed-key",
)


# ---------------------------------------------------------------------------------------------------------------------
# Variables and outputs
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """One `variable` block. `default` is HCL text; `None` makes the variable required."""

    name: str
    type: str
    description: str
    default: str | None = None
    nullable: bool | None = None  # False writes `nullable = false`; None leaves the attribute out
    sensitive: bool = False
    validations: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def block(self) -> Block:
        attributes: list[Attr] = [Attr("type", self.type)]
        if self.default is not None:
            attributes.append(Attr("default", self.default))
        attributes.append(Attr("description", hcl.description(self.description)))
        if self.nullable is False:
            attributes.append(Attr("nullable", "false"))
        if self.sensitive:
            attributes.append(Attr("sensitive", "true"))
        validations = [
            Block("validation", (), (Attr("condition", condition), Attr("error_message", quote(message))))
            for condition, message in self.validations
        ]
        return Block("variable", (self.name,), with_blanks(attributes, validations))


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    value: str
    sensitive: bool = False

    @property
    def block(self) -> Block:
        attributes = [Attr("description", hcl.description(self.description))]
        if self.sensitive:
            attributes.append(Attr("sensitive", "true"))
        attributes.append(Attr("value", self.value))
        return Block("output", (self.name,), tuple(attributes))


def ordered_variables(variables: Sequence[Variable]) -> list[Variable]:
    """Required variables first, then optional ones, each alphabetical (TFNFR15)."""
    return sorted(variables, key=lambda v: (not v.required, v.name))


def property_variable(p: PropertyVariable) -> Variable:
    """A resource property's variable block."""
    return Variable(
        p.name,
        p.type,
        p.description,
        default=p.default,
        nullable=None if p.nullable else False,
        sensitive=p.secret,
        validations=p.validations,
    )


def secret_version_variable(p: PropertyVariable) -> Variable:
    """The version of a secret: `sensitive_body` is not stored in the state, so a change of the secret is sent
    only when this changes."""
    return Variable(
        p.version_name,
        "string",
        f"The version of `{p.name}`: as `{p.name}` is never stored in the state, a change of it is sent only when "
        "this changes too. When null, it is sent with every create and update.",
        default="null",
    )


def telemetry_variable(description: str) -> Variable:
    return Variable("enable_telemetry", "bool", description, default="true", nullable=False)


# ---------------------------------------------------------------------------------------------------------------------
# Block builders
# ---------------------------------------------------------------------------------------------------------------------


def timeouts_block() -> Block:
    content = Block(
        "content",
        (),
        tuple(Attr(op, f"timeouts.value.{op}") for op in ("create", "delete", "read", "update")),
    )
    return Block(
        "dynamic",
        ("timeouts",),
        (Attr("for_each", "var.timeouts == null ? [] : [var.timeouts]"), Blank(), content),
    )


def resource_block(
    resource_type: str,
    label: str,
    *,
    head: Sequence[Attr] = (),
    required: dict[str, str] | None = None,
    optional: dict[str, str] | None = None,
    blocks: Sequence[Block] = (),
    depends_on: Sequence[str] = (),
    comments: Sequence[str] = (),
    kind: str = "resource",
) -> Block:
    """A resource (or data) block in mapotf order: head, required and optional arguments (each
    alphabetical), nested blocks, `depends_on`."""
    arguments = [Attr(k, v) for k, v in sorted((required or {}).items())]
    arguments += [Attr(k, v) for k, v in sorted((optional or {}).items())]
    groups: list[Sequence[hcl.Item]] = [head, arguments, *([b] for b in blocks)]
    if depends_on:
        groups.append([Attr("depends_on", listing(list(depends_on), multiline=True))])
    return Block(kind, (resource_type, label), with_blanks(*groups), tuple(comments))


def module_block(
    label: str,
    source: str,
    *,
    version: str | None = None,
    count: str | None = None,
    for_each: str | None = None,
    required: dict[str, str] | None = None,
    optional: dict[str, str] | None = None,
    depends_on: Sequence[str] = (),
    source_comment: str | None = None,
    comments: Sequence[str] = (),
) -> Block:
    """A module call in mapotf order: source, version, count, for_each; required then optional inputs."""
    meta: list[hcl.Item] = [Attr("source", quote(source))]
    if version is not None:
        meta.append(Attr("version", quote(version)))
    if count is not None:
        meta.append(Attr("count", count))
    if for_each is not None:
        meta.append(Attr("for_each", for_each))
    if source_comment:
        meta.append(Comment(source_comment))
    inputs = [Attr(k, v) for k, v in sorted((required or {}).items())]
    inputs += [Attr(k, v) for k, v in sorted((optional or {}).items())]
    groups: list[Sequence[hcl.Item]] = [meta, inputs]
    if depends_on:
        groups.append([Attr("depends_on", listing(list(depends_on), multiline=True))])
    return Block("module", (label,), with_blanks(*groups), tuple(comments))


def terraform_block(required_version: str, providers: dict[str, facts_mod.Pin]) -> Block:
    entries = tuple(
        Attr(name, obj([("source", quote(pin.source)), ("version", quote(pin.version))]))
        for name, pin in sorted(providers.items())
    )
    return Block(
        "terraform",
        (),
        (Attr("required_version", quote(required_version)), Blank(), Block("required_providers", (), entries)),
    )


def telemetry_blocks(main_location: str) -> list[Block]:
    """`main.telemetry.tf` as mapotf keeps it (digest section 3)."""
    count = Attr("count", "var.enable_telemetry ? 1 : 0")
    tags = "\n".join(
        [
            "merge({",
            "  subscription_id = one(data.azapi_client_config.telemetry).subscription_id",
            "  tenant_id       = one(data.azapi_client_config.telemetry).tenant_id",
            "  module_source   = one(data.modtm_module_source.telemetry).module_source",
            "  module_version  = one(data.modtm_module_source.telemetry).module_version",
            "  random_id       = one(random_uuid.telemetry).result",
            "}, { location = local.main_location })",
        ]
    )
    headers = "\n".join(
        [
            "!var.enable_telemetry ? {} : (local.fork_avm ? {",
            '  fork_avm  = "true"',
            "  random_id = one(random_uuid.telemetry).result",
            "  } : {",
            '  avm                = "true"',
            "  random_id          = one(random_uuid.telemetry).result",
            "  avm_module_source  = one(data.modtm_module_source.telemetry).module_source",
            "  avm_module_version = one(data.modtm_module_source.telemetry).module_version",
            "})",
        ]
    )
    regexes = [
        '"registry.terraform.io/[A|a]zure/.+"',
        '"registry.opentofu.io/[A|a]zure/.+"',
        '"git::https://github\\\\.com/[A|a]zure/.+"',
        '"git::ssh:://git@github\\\\.com/[A|a]zure/.+"',
    ]
    return [
        Block("data", ("azapi_client_config", "telemetry"), (count,)),
        Block("data", ("modtm_module_source", "telemetry"), (count, Blank(), Attr("module_path", "path.module"))),
        Block("resource", ("random_uuid", "telemetry"), (count,)),
        Block("resource", ("modtm_telemetry", "telemetry"), (count, Blank(), Attr("tags", tags))),
        Block("locals", (), (Attr("main_location", main_location),)),
        Block("locals", (), (Attr("avm_azapi_headers", headers),)),
        Block(
            "locals",
            (),
            (
                Attr(
                    "fork_avm",
                    "!anytrue([for r in local.valid_module_source_regex : "
                    "can(regex(r, one(data.modtm_module_source.telemetry).module_source))])",
                ),
            ),
        ),
        Block("locals", (), (Attr("valid_module_source_regex", listing(regexes, multiline=True)),)),
        Block(
            "locals",
            (),
            (
                Comment("tflint-ignore: terraform_unused_declarations"),
                Attr("avm_azapi_header", 'join(" ", [for k, v in local.avm_azapi_headers : "${k}=${v}"])'),
            ),
        ),
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------------------------


def lower_display(display: str) -> str:
    """`Key Vault` -> `key vault`, keeping acronyms: `DNS Zone` -> `DNS zone`."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in display.split())


def submodule_name(child: ChildSpec) -> str:
    """The flattened submodule folder: `blobServices/containers` -> `blob-service-container`."""
    return "-".join(naming.type_slug(s) for s in child.segments)


def child_variable(child: ChildSpec) -> str:
    """The map variable a parent takes the child's instances in: `secrets`, `blob_services`."""
    return naming.snake(child.segments[-1])


def child_label(child: ChildSpec) -> str:
    """The label of the module call of a child: `secret`, `blob_service`."""
    return naming.snake(naming.type_slug(child.segments[-1]))


def ignore_expression(key: str) -> str:
    return f"length(var.ignore_body_changes.{key}) > 0 ? var.ignore_body_changes.{key} : null"


def replace_triggers(paths: Sequence[str]) -> str:
    """`replace_triggers_refs`: the body paths whose change replaces the resource, one a line (TFFR5)."""
    return listing([quote(p) for p in paths], multiline=True)


# ---------------------------------------------------------------------------------------------------------------------
# A module scope: the root module or one submodule
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildCall:
    """A parent's `for_each` call of a direct child submodule, written to `main.<variable>.tf`."""

    variable: str
    label: str
    source: str
    block: Block

    @property
    def file_name(self) -> str:
        return f"main.{self.variable}.tf"


class TerraformModule(ModuleScope):
    """One module scope: the root (`child is None`) or the submodule of one child type."""

    def __init__(self, model: TerraformModel, child: ChildSpec | None = None) -> None:
        self.model = model
        self.spec = model.spec
        self.child = child
        self.facts = model.facts

    # ---- identity
    @property
    def type_ref(self) -> str:
        return f"{self.full_type}@{self.api_version}"

    @cached_property
    def key(self) -> str:
        """The `resource_types` / `ignore_body_changes` key of this scope's primary resource (TFFR6)."""
        return naming.resource_types_key(self.full_type)

    @property
    def is_root(self) -> bool:
        return self.child is None

    @cached_property
    def name(self) -> str:
        """The folder under `modules/` (empty for the root)."""
        return submodule_name(self.child) if self.child else ""

    @cached_property
    def display_name(self) -> str:
        if self.child is None:
            return self.spec.display_name
        return naming.display_name(self.child.segments[-1])

    @cached_property
    def parent_display_name(self) -> str:
        """The display name of the resource this scope's resource lives in."""
        if self.child is None:
            return "resource group"
        if self.child.parent_path is None:
            return self.spec.display_name
        return naming.display_name(self.child.segments[-2])

    @cached_property
    def parent_type(self) -> str:
        if self.child is None:
            return RESOURCE_GROUP_TYPE
        return self.full_type.rsplit("/", 1)[0]

    @property
    def lower_display(self) -> str:
        return lower_display(self.display_name)

    @cached_property
    def long_display_name(self) -> str:
        """`Key Vault Secret` for a child, the display name for the root."""
        if self.child is None:
            return self.display_name
        return f"{self.parent_display_name} {self.display_name}"

    # ---- the resource type's schema (None: a generic module)
    @cached_property
    def schema(self) -> ResourceSchema | None:
        resolved = schema_for(self.spec, self.child)
        return resolved.schema if resolved is not None else None

    @cached_property
    def fixed_name(self) -> FixedName | None:
        """The names a child's schema allows it; None when free (and for the root)."""
        return fixed_name(self.schema) if self.child is not None else None

    @property
    def single(self) -> bool:
        """A child deployed once with the one name its schema allows: no name input, its parent passes an object."""
        return self.fixed_name is not None and self.fixed_name.single

    @cached_property
    def property_variables(self) -> list[PropertyVariable]:
        """The resource's own properties as variables (`properties.py`)."""
        if self.schema is None:
            return []
        interfaces = self.spec.interfaces if self.is_root else ()
        taken = {v.name for v in self._base_variables} | RESERVED_NAMES
        return property_variables(self.schema, interfaces, taken, self.lower_display, self.spec.properties)

    @cached_property
    def secrets(self) -> list[PropertyVariable]:
        return [p for p in self.property_variables if p.secret]

    @cached_property
    def property_outputs(self) -> list[PropertyOutput]:
        if self.schema is None:
            return []
        taken = {"name", "resource_id", "system_assigned_mi_principal_id", "private_endpoints"}
        return property_outputs(self.schema, self.lower_display, taken)

    @property
    def client_config(self) -> bool:
        """Whether a property falls back to the Azure client's facts (`data.azapi_client_config.current`)."""
        return any(p.fallback and "data.azapi_client_config.current" in p.fallback for p in self.property_variables)

    # ---- switches
    @property
    def location(self) -> bool:
        """The root where the type has one; a child where its schema has a writable `location` (replicas)."""
        if self.child is None:
            return self.spec.location
        found = self.schema.at("location") if self.schema is not None else None
        return found is not None and not found.read_only

    @cached_property
    def extension_target(self) -> scopes.ExtensionTarget | None:
        """The resource an extension-scope root deploys onto."""
        return scopes.extension_target(self.spec.extends) if self.child is None else None

    @cached_property
    def uses_interfaces_module(self) -> bool:
        return any(self.has(k) for k in UTILITY_INTERFACES)

    @property
    def role_definition_lookup(self) -> bool:
        return self.has("role-assignments") or self.has("private-endpoints")

    # ---- relations
    @cached_property
    def submodules(self) -> list[TerraformModule]:
        return [self.model.submodule(submodule_name(c)) for c in self.direct_children]

    # ---- the AzAPI types this scope declares
    @cached_property
    def interface_types(self) -> dict[str, str]:
        """Keys and `<type>@<api>` of the interface resources this scope declares."""
        it = self.facts.interface_resource_types
        wanted: list[str] = []
        if self.has("lock"):
            wanted.append(it["lock"])
        if self.has("role-assignments"):
            wanted.append(it["role_assignment"])
        if self.has("diagnostic-settings"):
            wanted.append(it["diagnostic_setting"])
        if self.has("private-endpoints"):
            wanted += [it["private_endpoint"], it["private_dns_zone_group"], it["lock"], it["role_assignment"]]
        return dict(sorted((naming.resource_types_key(t.split("@")[0]), t) for t in set(wanted)))

    def interface_key(self, name: str) -> str:
        return naming.resource_types_key(self.facts.interface_resource_types[name].split("@")[0])

    def _type_tree(self, leaf: str, with_defaults: bool) -> list[tuple[str, str]]:
        """The fields of `resource_types` (leaf `string`) or `ignore_body_changes` (leaf `list`)."""
        if leaf == "string":
            own = [(self.key, f'optional(string, "{self.type_ref}")' if with_defaults else "optional(string)")]
            own += [
                (k, f'optional(string, "{t}")' if with_defaults else "optional(string)")
                for k, t in self.interface_types.items()
            ]
        else:
            own = [(k, "optional(list(string), [])") for k in [self.key, *self.interface_types]]
        slots = [(s.key, f"optional(object({obj(s._type_tree(leaf, False))}), {{}})") for s in self.submodules]
        return own + slots

    # ---- variables
    @cached_property
    def variables(self) -> list[Variable]:
        """Every variable of the scope, the resource's own properties included, in canonical order."""
        own = [property_variable(p) for p in self.property_variables]
        versions = [secret_version_variable(p) for p in self.secrets]
        return ordered_variables([*self._base_variables, *own, *versions])

    @cached_property
    def _name_variables(self) -> list[Variable]:
        """`name`: validated by the schema's length and pattern (else the generic rule); for a child whose schema
        fixes its names, one of those (none at all for a single name)."""
        thing = self.lower_display
        fixed = self.fixed_name
        if fixed is not None:
            if fixed.single:
                return []
            default = quote(fixed.default) if fixed.default is not None else None
            checks = tuple(scalar_checks(self.schema.at("name"), "var.name", "The name"))
            return [
                Variable("name", "string", f"The name of the {thing}.", default, nullable=False, validations=checks)
            ]
        validations = name_validations(self.schema) or (
            (f'can(regex("{NAME_PATTERN}", var.name))', f"The name {NAME_RULE}."),
        )
        return [Variable("name", "string", f"The name of the {thing}.", nullable=False, validations=validations)]

    @cached_property
    def _base_variables(self) -> list[Variable]:
        """Every variable but the resource's own properties."""
        f = self.facts
        thing = self.lower_display
        variables = [
            *self._name_variables,
            Variable(
                "parent_id",
                "string",
                (
                    parents.root_description(self.spec.scope, thing, self.extension_target)
                    if self.is_root
                    else f"The resource ID of the {lower_display(self.parent_display_name)} "
                    f"(`{self.parent_type}`) in which to create the {thing}."
                ),
                nullable=False,
                validations=(
                    parents.root_validation(self.spec.scope)
                    if self.is_root
                    else (
                        f'can(provider::azapi::parse_resource_id("{self.parent_type}", var.parent_id))',
                        f"The parent_id must be the resource ID of a {self.parent_type} resource.",
                    ),
                ),
            ),
        ]
        if self.location:
            variables.append(
                Variable(
                    "location",
                    "string",
                    f"The Azure region where the {thing} is deployed.",
                    nullable=False,
                )
            )
        variables += [self._child_variable(c) for c in self.direct_children]
        if self.telemetry:
            variables.append(telemetry_variable(f.enable_telemetry_description))
        variables += [
            Variable(
                "resource_types",
                f"object({obj(self._type_tree('string', True))})",
                self._resource_types_description(),
                default="{}",
                nullable=False,
            ),
            Variable(
                "ignore_body_changes",
                f"object({obj(self._type_tree('list', True))})",
                self._ignore_body_changes_description(),
                default="{}",
                nullable=False,
            ),
            Variable("retry", f.retry["type"], f.retry["description"], default="null"),
            Variable("timeouts", f.timeouts["type"], f.timeouts["description"], default="null"),
        ]
        for key, interface_variables in f.interfaces.items():
            if not self.has(key):
                continue
            for v in interface_variables:
                variables.append(self._interface_variable(key, v))
        if self.tags and not self.is_root:
            variables.append(Variable("tags", "map(string)", f"(Optional) Tags of the {thing}.", default="null"))
        if self.public_network_access:
            variables.append(
                Variable(
                    "public_network_access_enabled",
                    "bool",
                    f"Whether the {thing} accepts traffic from public networks. When `null` (the default), public "
                    "network access is disabled if private endpoints are defined, and otherwise left to the "
                    "service default.",
                    default="null",
                )
            )
        if self.role_definition_lookup:
            variables.append(
                Variable(
                    "role_assignment_definition_lookup_enabled",
                    "bool",
                    "Whether role definitions given by name in `role_definition_id_or_name` are looked up by "
                    "the `avm_interfaces` module. Set it to `false` to supply role definition resource IDs only.",
                    default="true",
                    nullable=False,
                )
            )
        return variables

    def _interface_variable(self, key: str, v: facts_mod.InterfaceVariable) -> Variable:
        validations = list(v.validations)
        description = v.description
        if v.name == "managed_identities" and self.spec.identity_kinds == ("system",):
            validations.append(
                (
                    "length(var.managed_identities.user_assigned_resource_ids) == 0",
                    f"The {self.lower_display} supports a system-assigned identity only.",
                )
            )
        if v.name == "managed_identities" and self.spec.identity_kinds == ("user",):
            validations.append(
                (
                    "!var.managed_identities.system_assigned",
                    f"The {self.lower_display} supports user-assigned identities only.",
                )
            )
        if v.name == "private_endpoints" and not self.location:
            validations.append(
                (
                    "alltrue([for _, v in var.private_endpoints : v.location != null])",
                    f"Each private endpoint needs a `location`: the {self.lower_display} has none to default to.",
                )
            )
        if v.name == "private_endpoints" and self.spec.private_endpoint_service:
            description = description.replace(
                "(Optional) The name of the sub resource (group ID) for the private endpoint.",
                "(Optional) The name of the sub resource (group ID) for the private endpoint. "
                f"Defaults to `{self.spec.private_endpoint_service}`.",
            )
        return Variable(
            v.name,
            v.type,
            description,
            default=v.default,
            nullable=v.nullable,
            validations=tuple(validations),
        )

    def _child_fields(self, child: ChildSpec, parent_location: bool) -> list[tuple[str, str]]:
        """The attributes of one instance of a child: its name (unless fixed), location, tags, its own
        properties' variables and its children."""
        sub = self.model.submodule(submodule_name(child))
        fields = []
        if sub.fixed_name is None:
            fields.append(("name", "string"))
        elif not sub.single:
            default = sub.fixed_name.default
            fields.append(("name", f"optional(string, {quote(default)})" if default is not None else "string"))
        if sub.location:
            fields.append(("location", "optional(string)" if parent_location else "string"))
        if child.tags:
            fields.append(("tags", "optional(map(string), null)"))
        for p in sub.property_variables:
            if p.required:
                fields.append((p.name, p.type if not p.secret or not p.nullable else f"optional({p.type})"))
            else:
                fields.append(
                    (p.name, f"optional({p.type}, {p.default})" if p.default != "null" else f"optional({p.type})")
                )
        fields += [(p.version_name, "optional(string)") for p in sub.secrets]
        for grandchild in self.model.children_of(child):
            inner = obj(self._child_fields(grandchild, sub.location))
            if self.model.submodule(submodule_name(grandchild)).single:
                fields.append((child_variable(grandchild), f"optional(object({inner}))"))
            else:
                fields.append((child_variable(grandchild), f"optional(map(object({inner})), {{}})"))
        return fields

    def _child_lines(self, child: ChildSpec, parent_display: str, parent_tags: bool, depth: int) -> list[str]:
        sub = self.model.submodule(submodule_name(child))
        pad = "  " * depth
        thing = lower_display(naming.display_name(child.segments[-1]))
        lines = []
        if sub.fixed_name is None:
            lines.append(f"{pad}- `name` - The name of the {thing}.")
        elif not sub.single:
            default = f" Defaults to `{sub.fixed_name.default}`." if sub.fixed_name.default is not None else ""
            names = ", ".join(f"`{v}`" for v in sub.fixed_name.values)
            lines.append(f"{pad}- `name` - The name of the {thing}: one of {names}.{default}")
        if sub.location:
            lines.append(f"{pad}- `location` - The Azure region of the {thing}.")
        if child.tags:
            default = f" Defaults to the tags of the {lower_display(parent_display)}." if parent_tags else ""
            lines.append(f"{pad}- `tags` - (Optional) Tags of the {thing}.{default}")
        for p in sub.property_variables:
            sentence, _, attributes = p.description.partition("\n\n")
            lines.append(f"{pad}- `{p.name}` - ({'Optional' if p.nullable else 'Required'}) {sentence}")
            lines += [f"{pad}  {line}" for line in attributes.splitlines()]
        lines += [f"{pad}- `{p.version_name}` - (Optional) The version of `{p.name}`." for p in sub.secrets]
        for grandchild in self.model.children_of(child):
            display = naming.display_name(grandchild.segments[-1])
            if self.model.submodule(submodule_name(grandchild)).single:
                lines.append(
                    f"{pad}- `{child_variable(grandchild)}` - (Optional) The {lower_display(display)} of the {thing}:"
                )
            else:
                plural = lower_display(naming.plural_display_name(display))
                lines.append(
                    f"{pad}- `{child_variable(grandchild)}` - (Optional) A map of {plural} to create in the {thing}, "
                    "keyed arbitrarily:"
                )
            lines += self._child_lines(grandchild, naming.display_name(child.segments[-1]), child.tags, depth + 1)
        return lines

    def _child_variable(self, child: ChildSpec) -> Variable:
        display = naming.display_name(child.segments[-1])
        lines = self._child_lines(child, self.display_name, self.tags, 0)
        fields = obj(self._child_fields(child, self.location))
        if self.model.submodule(submodule_name(child)).single:
            intro = f"The {lower_display(display)} of the {self.lower_display}; none when null."
            return Variable(child_variable(child), f"object({fields})", "\n".join([intro, "", *lines]), "null")
        plural = lower_display(naming.plural_display_name(display))
        description = "\n".join(
            [f"A map of {plural} to create in the {self.lower_display}. {MAP_KEY_NOTE}", "", *lines]
        )
        return Variable(
            child_variable(child),
            f"map(object({fields}))",
            description,
            default="{}",
            nullable=False,
        )

    def _resource_types_description(self) -> str:
        lines = [
            "The AzAPI resource types (`<provider>/<type>@<api-version>`) of the resources the module deploys, "
            "keyed by ARM type. Override a key only to use another API version, e.g. in a sovereign cloud.",
            "",
            f"- `{self.key}` - (Optional) The {self.lower_display}. Defaults to `{self.type_ref}`.",
        ]
        for key, type_ref in self.interface_types.items():
            lines.append(f"- `{key}` - (Optional) The {INTERFACE_LABELS[key]}. Defaults to `{type_ref}`.")
        for sub in self.submodules:
            lines.append(
                f"- `{sub.key}` - (Optional) The resource types of the `{sub.name}` submodule; "
                "see its `resource_types` variable."
            )
        return "\n".join(lines)

    def _ignore_body_changes_description(self) -> str:
        lines = [
            "Body paths of each AzAPI resource whose changes are ignored, keyed like `resource_types`. Paths use "
            "dot notation relative to the resource body, e.g. `properties.publicNetworkAccess`; list items cannot "
            "be targeted. A change of this variable takes effect only after an apply, and a non-empty list needs "
            "Terraform 1.11 or later.",
            "",
            f"- `{self.key}` - (Optional) Paths of the {self.lower_display}.",
        ]
        lines += [f"- `{k}` - (Optional) Paths of the {INTERFACE_LABELS[k]}." for k in self.interface_types]
        lines += [
            f"- `{s.key}` - (Optional) Paths of the `{s.name}` submodule; see its `ignore_body_changes` variable."
            for s in self.submodules
        ]
        return "\n".join(lines)

    # ---- resources
    def _controls(self, key: str) -> dict[str, str]:
        """The AzAPI arguments every resource of the scope sets (TFFR4/7/8 and the telemetry headers)."""
        controls = {
            "ignore_body_changes": ignore_expression(key),
            "response_export_values": "[]",
            "retry": "var.retry",
        }
        if self.telemetry:
            controls.update(dict.fromkeys(HEADER_ATTRIBUTES, HEADERS))
        return controls

    @property
    def public_network_access(self) -> bool:
        """Whether the body sets `properties.publicNetworkAccess` from the private endpoints: the module has them,
        and the schema has that property (without a schema, as always)."""
        if not self.has("private-endpoints"):
            return False
        return self.schema is None or self.schema.at(OWNED_BY_INTERFACE["private-endpoints"]) is not None

    @property
    def identity_type(self) -> str:
        """The identity block's type: the interfaces utility's, where the type takes user-assigned identities only
        beside the system-assigned one with that one switched on too."""
        if self.user_identity_needs_system:
            return 'identity.value.type == "UserAssigned" ? "SystemAssigned, UserAssigned" : identity.value.type'
        return "identity.value.type"

    @cached_property
    def customer_managed_key(self) -> catalog.CustomerManagedKey | None:
        """Where the type takes the key (the catalog's entry), when the scope has the interface."""
        if not self.has("customer-managed-key"):
            return None
        return catalog.customer_managed_key(self.full_type)

    @cached_property
    def cmk_properties(self) -> str:
        """The `properties` entries that set the customer-managed key, as one HCL object."""
        assert self.customer_managed_key is not None
        schema = self.schema

        def is_list(path: str) -> bool:
            found = schema.at(path) if schema is not None else None
            return found is not None and found.kind == "array"

        return cmk.properties_object(self.customer_managed_key, is_list)

    @cached_property
    def body(self) -> str:
        """The body: the resource's own properties at their paths (`properties.*` merged with what the interfaces
        set there); `properties` itself wherever the schema has it writable (always without a schema)."""
        own = [p for p in self.property_variables if not p.secret]
        top = [(p.key, p.value) for p in own if not p.in_properties]
        inner = [(p.key, p.value) for p in own if p.in_properties]
        pieces: list[str] = [obj(inner)] if inner else []
        if self.public_network_access:
            pieces.append(
                "local.public_network_access == null ? {} : { publicNetworkAccess = local.public_network_access }"
            )
        if self.customer_managed_key is not None:
            pieces.append(f"var.customer_managed_key == null ? {{}} : {self.cmk_properties}")
        if not pieces:
            properties = "{}"
        elif len(pieces) == 1:
            properties = pieces[0]
        else:
            properties = call("merge", pieces)
        found = self.schema.at(PROPERTIES) if self.schema is not None else None
        if self.schema is not None and (found is None or found.read_only):
            return obj(sorted(top))
        return obj(sorted([*top, (PROPERTIES, properties)]))

    @cached_property
    def sensitive_body(self) -> str | None:
        """The secrets at their paths, each only when given (`sensitive_body` is merged into the body and never
        stored in the state)."""
        if not self.secrets:
            return None

        def given(found: list[PropertyVariable]) -> str:
            pieces = [f"var.{p.name} == null ? {{}} : {obj([(p.key, p.value)])}" for p in found]
            return pieces[0] if len(pieces) == 1 else call("merge", pieces)

        top = [p for p in self.secrets if not p.in_properties]
        inner = [p for p in self.secrets if p.in_properties]
        pieces = [given(top)] if top else []
        if inner:
            pieces.append(obj([(PROPERTIES, given(inner))]))
        return pieces[0] if len(pieces) == 1 else call("merge", pieces)

    @cached_property
    def sensitive_body_version(self) -> str | None:
        """The version of each secret that has one, by its path in `sensitive_body`."""
        if not self.secrets:
            return None
        versions = obj([(quote(p.path), f"var.{p.version_name}") for p in self.secrets])
        return f"{{ for path, version in {versions} : path => version if version != null }}"

    @cached_property
    def response_export_values(self) -> str:
        """Exactly the response paths the outputs read."""
        return listing([quote(o.path) for o in self.property_outputs], multiline=True)

    @cached_property
    def resource(self) -> Block:
        """`azapi_resource.this`, the primary resource of the scope."""
        name = quote(self.fixed_name.values[0]) if self.single else "var.name"
        required = {"name": name, "parent_id": "var.parent_id", "type": f"var.resource_types.{self.key}"}
        if self.location:
            required["location"] = "var.location"
        elif self.is_root and self.spec.global_location:
            required["location"] = '"global"'  # the one location the type takes
        optional = {"body": self.body, **self._controls(self.key)}
        optional["ignore_null_property"] = "true"
        optional["response_export_values"] = self.response_export_values
        if self.sensitive_body is not None:
            optional["sensitive_body"] = self.sensitive_body
            optional["sensitive_body_version"] = self.sensitive_body_version
        if self.tags:
            optional["tags"] = "var.tags"
        blocks = []
        if self.has("managed-identities"):
            identities = "module.avm_interfaces.managed_identities_azapi"
            blocks.append(
                Block(
                    "dynamic",
                    ("identity",),
                    (
                        Attr("for_each", f"{identities} == null ? [] : [{identities}]"),
                        Blank(),
                        Block(
                            "content",
                            (),
                            (Attr("type", self.identity_type), Attr("identity_ids", "identity.value.identity_ids")),
                        ),
                    ),
                )
            )
        blocks.append(timeouts_block())
        return resource_block("azapi_resource", "this", required=required, optional=optional, blocks=blocks)

    @cached_property
    def data_sources(self) -> list[Block]:
        """`data "azapi_client_config" "current"` where a property falls back to the client's tenant."""
        return [Block("data", ("azapi_client_config", "current"))] if self.client_config else []

    @cached_property
    def interfaces_module(self) -> Block | None:
        if not self.uses_interfaces_module:
            return None
        inputs = {"enable_telemetry": "var.enable_telemetry"}
        if self.has("customer-managed-key"):
            inputs["customer_managed_key"] = "var.customer_managed_key"
        if self.has("diagnostic-settings"):
            inputs["diagnostic_settings_v2"] = "var.diagnostic_settings"
        if self.has("lock"):
            inputs["lock"] = "var.lock"
        if self.has("managed-identities"):
            inputs["managed_identities"] = "var.managed_identities"
        if self.has("private-endpoints"):
            service = self.spec.private_endpoint_service
            inputs["private_endpoints"] = "local.private_endpoints" if service else "var.private_endpoints"
            inputs["private_endpoints_manage_dns_zone_group"] = "var.private_endpoints_manage_dns_zone_group"
            inputs["private_endpoints_scope"] = "azapi_resource.this.id"
        if self.has("role-assignments"):
            inputs["role_assignments"] = "var.role_assignments"
        if self.role_definition_lookup:
            inputs["role_assignment_definition_lookup_enabled"] = "var.role_assignment_definition_lookup_enabled"
            inputs["role_assignment_definition_scope"] = "azapi_resource.this.id"
        pin = self.facts.modules["interfaces"]
        return module_block(
            "avm_interfaces",
            pin.source,
            version=pin.version,
            optional=inputs,
            comments=("Renders the AzAPI bodies of the standard AVM interfaces chosen for this module.",),
        )

    def _extension(
        self,
        label: str,
        *,
        head: Sequence[Attr],
        type_name: str,
        name: str = "each.value.name",
        parent_id: str = "azapi_resource.this.id",
        body: str = "each.value.body",
        extra_required: dict[str, str] | None = None,
        extra_optional: dict[str, str] | None = None,
        depends_on: Sequence[str] = (),
        comments: Sequence[str] = (),
    ) -> Block:
        key = self.interface_key(type_name)
        required = {"name": name, "parent_id": parent_id, "type": f"var.resource_types.{key}", **(extra_required or {})}
        optional = {"body": body, **self._controls(key), **(extra_optional or {})}
        triggers = self.facts.interface_replace_triggers.get(type_name)
        if triggers:
            optional["replace_triggers_refs"] = replace_triggers(triggers)
        return resource_block(
            "azapi_resource",
            label,
            head=head,
            required=required,
            optional=optional,
            blocks=[timeouts_block()],
            depends_on=depends_on,
            comments=comments,
        )

    @cached_property
    def lock_resource(self) -> Block | None:
        if not self.has("lock"):
            return None
        depends_on = []
        if self.has("diagnostic-settings"):
            depends_on.append("azapi_resource.diagnostic_settings")
        if self.has("private-endpoints"):
            depends_on += ["azapi_resource.private_endpoint_locks", "azapi_resource.private_endpoints"]
        if self.has("role-assignments"):
            depends_on.append("azapi_resource.role_assignments")
        depends_on += [f"module.{call.label}" for call in self.child_calls]
        return self._extension(
            "lock",
            head=[Attr("count", "var.lock != null ? 1 : 0")],
            type_name="lock",
            name='coalesce(module.avm_interfaces.lock_azapi.name, "lock-${var.lock.kind}")',
            body="module.avm_interfaces.lock_azapi.body",
            depends_on=sorted(depends_on),
            comments=(
                "The lock is created last and removed first, so that it never blocks changes to the other resources.",
            ),
        )

    @cached_property
    def role_assignment_resource(self) -> Block | None:
        if not self.has("role-assignments"):
            return None
        return self._extension(
            "role_assignments",
            head=[Attr("for_each", "module.avm_interfaces.role_assignments_azapi")],
            type_name="role_assignment",
        )

    @cached_property
    def diagnostic_setting_resource(self) -> Block | None:
        if not self.has("diagnostic-settings"):
            return None
        return self._extension(
            "diagnostic_settings",
            head=[Attr("for_each", "module.avm_interfaces.diagnostic_settings_azapi_v2")],
            type_name="diagnostic_setting",
            name='coalesce(each.value.name, "diag-${var.name}")',
        )

    @cached_property
    def private_endpoint_resources(self) -> list[Block]:
        if not self.has("private-endpoints"):
            return []
        pe = "var.private_endpoints[each.key]"
        location = f"coalesce({pe}.location, var.location)" if self.location else f"{pe}.location"
        tags = "each.value.tags != null ? each.value.tags : var.tags" if self.tags else "each.value.tags"
        endpoints = self._extension(
            "private_endpoints",
            head=[Attr("for_each", "module.avm_interfaces.private_endpoints_azapi")],
            type_name="private_endpoint",
            parent_id="local.private_endpoint_parent_ids[each.key]",
            extra_required={"location": location},
            extra_optional={"tags": tags},
        )
        zone_groups = self._extension(
            "private_dns_zone_groups",
            head=[
                Attr(
                    "for_each",
                    "{\n"
                    "  for k, v in module.avm_interfaces.private_dns_zone_groups_azapi : k => v\n"
                    "  if length(var.private_endpoints[k].private_dns_zone_resource_ids) > 0\n"
                    "}",
                )
            ],
            type_name="private_dns_zone_group",
            parent_id="azapi_resource.private_endpoints[each.key].id",
            comments=("A zone group only for the private endpoints given private DNS zones.",),
        )
        role_assignments = self._extension(
            "private_endpoint_role_assignments",
            head=[Attr("for_each", "module.avm_interfaces.role_assignments_private_endpoint_azapi")],
            type_name="role_assignment",
            parent_id="azapi_resource.private_endpoints[each.value.pe_key].id",
        )
        locks = self._extension(
            "private_endpoint_locks",
            head=[Attr("for_each", "module.avm_interfaces.lock_private_endpoint_azapi")],
            type_name="lock",
            name='coalesce(each.value.name, "lock-${each.value.body.properties.level}")',
            parent_id="azapi_resource.private_endpoints[each.value.pe_key].id",
            depends_on=["azapi_resource.private_dns_zone_groups", "azapi_resource.private_endpoint_role_assignments"],
        )
        return [endpoints, zone_groups, role_assignments, locks]

    # ---- child submodule calls
    @cached_property
    def child_calls(self) -> list[ChildCall]:
        calls = []
        for child in self.direct_children:
            sub = self.model.submodule(submodule_name(child))
            source = f"./modules/{sub.name}" if self.is_root else f"../{sub.name}"
            item = f"var.{child_variable(child)}" if sub.single else "each.value"
            optional = {
                "ignore_body_changes": f"var.ignore_body_changes.{sub.key}",
                "resource_types": f"var.resource_types.{sub.key}",
                "retry": "var.retry",
                "timeouts": "var.timeouts",
            }
            required = {"parent_id": "azapi_resource.this.id"}
            if not sub.single:
                (required if sub.fixed_name is None or sub.fixed_name.default is None else optional)["name"] = (
                    f"{item}.name"
                )
            if sub.location:
                required["location"] = (
                    f"coalesce({item}.location, var.location)" if self.location else f"{item}.location"
                )
            if child.tags:
                optional["tags"] = f"{item}.tags != null ? {item}.tags : var.tags" if self.tags else f"{item}.tags"
            for p in sub.property_variables:
                (required if p.required else optional)[p.name] = f"{item}.{p.name}"
            for p in sub.secrets:
                optional[p.version_name] = f"{item}.{p.version_name}"
            for grandchild in self.model.children_of(child):
                optional[child_variable(grandchild)] = f"{item}.{child_variable(grandchild)}"
            block = module_block(
                child_label(child),
                source,
                count=f"var.{child_variable(child)} == null ? 0 : 1" if sub.single else None,
                for_each=None if sub.single else f"var.{child_variable(child)}",
                required=required,
                optional=optional,
            )
            calls.append(ChildCall(child_variable(child), child_label(child), source, block))
        return calls

    # ---- locals, outputs, files
    @cached_property
    def locals(self) -> dict[str, tuple[str, str]]:
        """Local values of `locals.tf`: name -> (comment, HCL value)."""
        values: dict[str, tuple[str, str]] = {}
        if self.has("private-endpoints"):
            service = self.spec.private_endpoint_service
            if service:
                values["private_endpoints"] = (
                    f"The private endpoints, their `subresource_name` defaulted to `{service}`.",
                    "{\n"
                    f'  for k, v in var.private_endpoints : k => merge(v, {{ subresource_name = coalesce(v.subresource_name, "{service}") }})\n'
                    "}",
                )
            values["private_endpoint_parent_ids"] = (
                "The resource group of each private endpoint: `resource_group_name` in the subscription of "
                "`parent_id`, or the resource group of this resource.",
                "{\n"
                "  for k, v in var.private_endpoints : k => v.resource_group_name == null ? var.parent_id : "
                '"${local.subscription_resource_id}/resourceGroups/${v.resource_group_name}"\n'
                "}",
            )
        if self.public_network_access:
            values["public_network_access"] = (
                "`publicNetworkAccess`: as asked, else disabled when private endpoints exist, else not sent.",
                "var.public_network_access_enabled == null ? (length(var.private_endpoints) > 0 ? "
                '"Disabled" : null) : (var.public_network_access_enabled ? "Enabled" : "Disabled")',
            )
        if self.has("private-endpoints"):
            values["subscription_resource_id"] = (
                "The subscription of `parent_id`, e.g. `/subscriptions/00000000-0000-0000-0000-000000000000`.",
                'join("/", slice(split("/", var.parent_id), 0, 3))',
            )
        return dict(sorted(values.items()))

    @cached_property
    def locals_block(self) -> Block | None:
        if not self.locals:
            return None
        items: list[hcl.Item] = []
        for name, (comment, value) in self.locals.items():
            items += [Comment(comment), Attr(name, value)]
        return Block("locals", (), tuple(items))

    @cached_property
    def outputs(self) -> list[Output]:
        thing = self.lower_display
        outputs = [
            Output("name", f"The name of the {thing}.", "azapi_resource.this.name"),
            Output("resource_id", f"The resource ID of the {thing}.", "azapi_resource.this.id"),
            *(Output(o.name, o.description, o.value) for o in self.property_outputs),
        ]
        if self.system_identity:
            outputs.append(
                Output(
                    "system_assigned_mi_principal_id",
                    f"The principal ID of the system-assigned managed identity of the {thing}, if enabled.",
                    "try(azapi_resource.this.identity[0].principal_id, null)",
                )
            )
        if self.has("private-endpoints"):
            outputs.append(
                Output(
                    "private_endpoints",
                    "\n".join(
                        [
                            "A map of the private endpoints created, keyed like `var.private_endpoints`. Each value "
                            "has the following attributes:",
                            "",
                            "- `name` - The name of the private endpoint.",
                            "- `resource_id` - The resource ID of the private endpoint.",
                        ]
                    ),
                    "{\n"
                    "  for k, v in azapi_resource.private_endpoints : k => {\n"
                    "    name        = v.name\n"
                    "    resource_id = v.id\n"
                    "  }\n"
                    "}",
                )
            )
        return sorted(outputs, key=lambda o: o.name)

    @cached_property
    def terraform(self) -> Block:
        providers = self.facts.providers
        if not self.is_root:
            providers = {k: v for k, v in providers.items() if k in self.facts.submodule_providers}
        return terraform_block(self.facts.required_version, providers)

    @cached_property
    def telemetry_blocks(self) -> list[Block]:
        return telemetry_blocks("var.location" if self.location else '"unknown"') if self.telemetry else []

    @cached_property
    def files(self) -> dict[str, list[Block]]:
        """Every `.tf` file of the scope and its top-level blocks, in file order."""
        files: dict[str, list[Block]] = {
            "terraform.tf": [self.terraform],
            "main.tf": [*self.data_sources, self.resource],
        }
        if self.interfaces_module is not None:
            files["main.interfaces.tf"] = [self.interfaces_module]
        for file_name, block in (
            ("main.lock.tf", self.lock_resource),
            ("main.role_assignments.tf", self.role_assignment_resource),
            ("main.diagnostic_settings.tf", self.diagnostic_setting_resource),
        ):
            if block is not None:
                files[file_name] = [block]
        if self.private_endpoint_resources:
            files["main.private_endpoints.tf"] = list(self.private_endpoint_resources)
        for child_call in self.child_calls:
            files[child_call.file_name] = [child_call.block]
        if self.telemetry_blocks:
            files["main.telemetry.tf"] = list(self.telemetry_blocks)
        if self.locals_block is not None:
            files["locals.tf"] = [self.locals_block]
        files["variables.tf"] = [v.block for v in self.variables]
        files["outputs.tf"] = [o.block for o in self.outputs]
        return files

    def tf_file(self, file_name: str) -> str:
        """The text of one `.tf` file of the scope."""
        return hcl.file_text(self.files[file_name])

    def file_name(self, file_name: str) -> str:
        """`file_name` when the scope has that file, else '' (copier then skips the templated path)."""
        return file_name if file_name in self.files else ""

    # ---- docs
    @cached_property
    def header(self) -> str:
        if self.is_root:
            return f"# {self.spec.names.terraform_repo}\n\n{self.spec.description}"
        display = self.long_display_name
        return (
            f"# {self.name}\n\n"
            f"This submodule deploys {naming.indefinite_article(display)} {display} (`{self.full_type}`)."
        )


# ---------------------------------------------------------------------------------------------------------------------
# The whole module: root and submodules
# ---------------------------------------------------------------------------------------------------------------------


class TerraformModel:
    """The module root and its submodules, with the pinned facts they share."""

    def __init__(self, spec: ModuleSpec) -> None:
        self.spec = spec
        self.facts = facts_mod.load()

    @cached_property
    def root(self) -> TerraformModule:
        return TerraformModule(self)

    @cached_property
    def submodules(self) -> dict[str, TerraformModule]:
        """Submodules keyed by their folder under `modules/`, one level deep for every child type."""
        return {submodule_name(c): TerraformModule(self, c) for c in self.spec.children}

    @property
    def submodule_names(self) -> list[str]:
        return list(self.submodules)

    def submodule(self, name: str) -> TerraformModule:
        return self.submodules[name]

    def module(self, name: str | None = None) -> TerraformModule:
        return self.submodule(name) if name else self.root

    def children_of(self, child: ChildSpec) -> list[ChildSpec]:
        return [c for c in self.spec.children if c.parent_path == child.type_path]

    @property
    def footer(self) -> str:
        return self.facts.footer

    @property
    def external_files(self) -> tuple[str, ...]:
        return self.facts.external_files
