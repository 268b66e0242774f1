"""The model of a Bicep resource module: every name, parameter and output of one `main.bicep`.

Built from a `ModuleSpec` only, and knowing nothing of the tests and READMEs built from it
(`scenarios.py`, `readme.py`); `assemble.py` puts the three together for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace

from generator import catalog, naming, scopes
from generator.azure_types.lookup import schema_for
from generator.azure_types.schema import PROPERTIES, ResourceSchema
from generator.bicep import cmk, values
from generator.bicep.multi_scope import scope_title
from generator.bicep.properties import ResourceParam, allowed, limit_decorators, literal_union, resource_params
from generator.interfaces import (
    INTERFACES,
    MANDATORY_ROLES,
    PRIVATE_ENDPOINT_MODULE_REF,
    TELEMETRY_DESCRIPTION,
    common_type_import,
)
from generator.property_outputs import output_properties
from generator.property_rules import OWNED_BY_INTERFACE, FixedName, fixed_name
from generator.property_text import describe_name
from generator.scope import ModuleScope
from generator.spec import ChildSpec, ModuleSpec

RESERVED = {"name", "location", "tags", "lock", "index", "enableTelemetry", "identity", "resourceGroup"}
# The variables and resources the module template declares besides the resource's own symbols.
TEMPLATE_SYMBOLS = frozenset(
    {
        "avmTelemetry",
        "builtInRoleNames",
        "cMKKeyVault",
        "cMKUserAssignedIdentity",
        "enableReferencedModulesTelemetry",
        "formattedRoleAssignments",
        "formattedUserAssignedIdentities",
        "identity",
    }
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None
    decorators: tuple[str, ...] = ()
    import_line: str | None = None
    readme_kind: str | None = None  # the ARM JSON type a README shows, where the Bicep type does not say

    @property
    def requirement(self) -> str:
        return self.description.split(".", 1)[0]


@dataclass(frozen=True)
class Output:
    name: str
    type: str
    value: str
    description: str
    path: str | None = None  # the body property it reads, for an output of the resource's own properties


@dataclass(frozen=True)
class TypeField:
    name: str
    type: str
    description: str
    decorators: tuple[str, ...] = ()
    readme_kind: str | None = None  # the ARM JSON type a README shows, where the Bicep type does not say


@dataclass(frozen=True)
class TypeDef:
    name: str
    description: str
    fields: tuple[TypeField, ...]
    imports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ancestor:
    """A parent resource a child module references as `existing`."""

    symbol: str
    type_ref: str  # full type for the outermost ancestor, the last segment for nested ones
    api_version: str
    name_param: str
    display_name: str


@dataclass(frozen=True)
class ChildCall:
    """One direct child as its parent calls it: a module looped over a typed array parameter."""

    param: str
    item: str
    symbol: str
    path: str
    descriptor: str
    args: tuple[tuple[str, str], ...]
    single: bool = False  # one object, not an array: the child's schema fixes its one name


@dataclass
class BicepModule(ModuleScope):
    """One `main.bicep`: the module's own file or a child module's."""

    spec: ModuleSpec
    child: ChildSpec | None = None

    # ---- identity of the resource this file deploys
    @cached_property
    def slug(self) -> str:
        return naming.type_slug(self.full_type.rsplit("/", 1)[1])

    @cached_property
    def display_name(self) -> str:
        if self.child is None:
            return self.spec.display_name
        return naming.display_name(self.child.segments[-1])

    @cached_property
    def symbol(self) -> str:
        return resource_symbol(self.spec, self.child)

    @cached_property
    def descriptor(self) -> str:
        return self.symbol[0].upper() + self.symbol[1:]

    @property
    def is_child(self) -> bool:
        return self.child is not None

    @property
    def resource_ref(self) -> str:
        return f"{self.full_type}@{self.api_version}"

    @cached_property
    def metadata_name(self) -> str:
        if self.child is None:
            plural = naming.plural_display_name(self.spec.display_name)
            return f"{plural} {scope_title(self.spec.scope)}" if self.spec.scope_folder else plural
        parent_display = self.ancestors[-1].display_name
        return f"{parent_display} {naming.plural_display_name(self.display_name)}"

    @cached_property
    def metadata_description(self) -> str:
        if self.child is None:
            return self.spec.description
        display = f"{self.ancestors[-1].display_name} {self.display_name}"
        return f"This module deploys {naming.indefinite_article(display)} {display}."

    # ---- the resource type's schema (None: a generic module)
    @cached_property
    def schema(self) -> ResourceSchema | None:
        resolved = schema_for(self.spec, self.child)
        return resolved.schema if resolved is not None else None

    @cached_property
    def fixed_name(self) -> FixedName | None:
        """The names a child's schema allows it; None when free (and for the top-level module)."""
        return fixed_name(self.schema) if self.child is not None else None

    @property
    def name_expr(self) -> str:
        """What the body's `name` is: the parameter, or the one name the schema allows."""
        if self.fixed_name is not None and self.fixed_name.single:
            return values.string(self.fixed_name.values[0])
        return "name"

    @cached_property
    def resource_params(self) -> list[ResourceParam]:
        if self.schema is None:
            return []
        interfaces = self.spec.interfaces if self.child is None else ()
        return resource_params(
            self.schema,
            self.resource_ref,
            interfaces,
            set(self._base_param_names) | self._symbols,
            self.lower_display,
            self.spec.properties,
        )

    @cached_property
    def customer_managed_key(self) -> catalog.CustomerManagedKey | None:
        """Where the body takes the customer-managed key (None without the interface, or paths to write it)."""
        return catalog.customer_managed_key(self.spec.full_type) if self.has("customer-managed-key") else None

    @cached_property
    def cmk_properties(self) -> list[tuple[str, str]]:
        """The `properties.*` that set the customer-managed key, as `key: value` pairs."""
        if self.customer_managed_key is None:
            return []
        schema = self.schema

        def is_list(path: str) -> bool:
            found = schema.at(path) if schema is not None else None
            return found is not None and found.kind == "array"

        return cmk.body_properties(self.customer_managed_key, is_list)

    @property
    def cmk_identity(self) -> bool:
        """Whether the customer-managed key is read with a user-assigned identity the module is given."""
        return self.customer_managed_key is not None and self.customer_managed_key.identity is not None

    @cached_property
    def _symbols(self) -> set[str]:
        """The names of the file's variables and resources, which no parameter may take (the symbols of its
        modules and extension resources hold an underscore, which no property name has)."""
        return {self.symbol, *(a.symbol for a in self.ancestors)} | TEMPLATE_SYMBOLS

    @cached_property
    def body_top(self) -> list[tuple[str, str]]:
        """The resource's own top-level body properties (`sku`, `kind`), as `key: value` pairs."""
        return [(values.key(p.prop.name), p.name) for p in self.resource_params if p.top_level]

    @cached_property
    def body_properties(self) -> list[tuple[str, str]]:
        """The resource's own `properties.*`, as `key: value` pairs."""
        return [(values.key(p.prop.name), p.name) for p in self.resource_params if p.path.startswith(f"{PROPERTIES}.")]

    @property
    def has_properties(self) -> bool:
        """Whether the body sets something in `properties`."""
        return bool(self.body_properties) or bool(self.cmk_properties) or self.public_network_access

    @property
    def public_network_access(self) -> bool:
        """Whether the module sets `properties.publicNetworkAccess` from its private endpoints: it has them, and
        the schema has that property there (MySQL's is elsewhere; without a schema, as always)."""
        if not self.has("private-endpoints"):
            return False
        return self.schema is None or self.schema.at(OWNED_BY_INTERFACE["private-endpoints"]) is not None

    @property
    def empty_properties(self) -> bool:
        """Whether the body sends an empty `properties`: the schema requires one, and nothing sets it."""
        required = self.schema.at(PROPERTIES) if self.schema is not None else None
        return not self.has_properties and required is not None and required.always_required

    def child_module(self, child: ChildSpec) -> BicepModule:
        """The model of a direct child's own module (what its parent passes it depends on it)."""
        if child.type_path not in self._child_modules:
            self._child_modules[child.type_path] = BicepModule(self.spec, child)
        return self._child_modules[child.type_path]

    @cached_property
    def _child_modules(self) -> dict[str, BicepModule]:
        return {}

    # ---- relations
    @cached_property
    def ancestors(self) -> list[Ancestor]:
        if self.child is None:
            return []
        chain = [
            Ancestor(
                symbol=resource_symbol(self.spec, None),
                type_ref=self.spec.full_type,
                api_version=self.spec.api_version,
                name_param=f"{resource_symbol(self.spec, None)}Name",
                display_name=self.spec.display_name,
            )
        ]
        for parent in parent_chain(self.spec, self.child):
            chain.append(
                Ancestor(
                    symbol=resource_symbol(self.spec, parent),
                    type_ref=parent.segments[-1],
                    api_version=parent.api_version,
                    name_param=f"{resource_symbol(self.spec, parent)}Name",
                    display_name=naming.display_name(parent.segments[-1]),
                )
            )
        return chain

    @property
    def parent_ref(self) -> str:
        return "::".join(a.symbol for a in self.ancestors)

    # ---- scope
    @property
    def scope(self) -> str:
        """Where the file deploys: the module's scope; a child module deploys in its parent's resource group."""
        return self.spec.scope if self.child is None else scopes.RESOURCE_GROUP

    @property
    def target_scope(self) -> str | None:
        """`targetScope` of a module deployed at subscription, management group or tenant scope."""
        return self.scope if self.scope in scopes.DEPLOYMENT_SCOPES else None

    @cached_property
    def extension_target(self) -> scopes.ExtensionTarget | None:
        """The resource an extension-scope module deploys onto, referenced as `existing` by its name."""
        return scopes.extension_target(self.spec.extends) if self.child is None else None

    @property
    def in_resource_group(self) -> bool:
        return self.scope in (scopes.RESOURCE_GROUP, scopes.EXTENSION)

    @property
    def nested_interfaces(self) -> bool:
        """A resource group's lock and role assignments deploy in it, through `modules/nested_interfaces.bicep`: a
        subscription-scope file cannot deploy into a resource group itself."""
        return self.full_type.lower() == scopes.RESOURCE_GROUP_TYPE.lower() and (
            self.has("lock") or self.has("role-assignments")
        )

    @property
    def lock_import_line(self) -> str:
        return common_type_import(INTERFACES["lock"].bicep["type"])

    # ---- switches
    @property
    def resource_location(self) -> bool:
        """Whether the resource is given a location: the top-level one as its spec says (a regional or a 'global'
        one), a child one where its schema has a writable `location` (SQL databases, registry replications)."""
        if self.child is None:
            return self.spec.location or self.spec.global_location
        found = self.schema.at("location") if self.schema is not None else None
        return found is not None and not found.read_only

    @property
    def location(self) -> bool:
        """Whether the file takes `location`: for its resource, or for the telemetry deployment a subscription,
        management group or tenant deployment must place."""
        return self.resource_location or (self.telemetry and self.target_scope is not None)

    @property
    def location_default(self) -> str:
        if self.child is None and self.spec.global_location:
            return "'global'"
        return "deployment().location" if self.target_scope else "resourceGroup().location"

    @property
    def location_expr(self) -> str:
        """What deployment names are seeded with besides the resource ID."""
        return ", location" if self.location else ""

    @property
    def references_telemetry_modules(self) -> bool:
        return self.has("private-endpoints") or any(c.published for c in self.direct_children)

    @property
    def telemetry_prefix(self) -> str:
        return self.child.telemetry_id_prefix if self.child else self.spec.names.telemetry_id_prefix

    @property
    def telemetry_seed(self) -> str:
        """Child modules and resources without a location have none to seed the telemetry deployment name with."""
        return "deployment().name" if self.child or not self.location else "deployment().name, location"

    @property
    def telemetry_location(self) -> bool:
        """A deployment at subscription, management group or tenant scope is placed in a location."""
        return self.target_scope is not None

    @cached_property
    def identity_type(self) -> str:
        kinds = "+".join(self.spec.identity_kinds)
        return INTERFACES["managed-identities"].bicep["type_by_kinds"][kinds]

    @cached_property
    def roles(self) -> list[tuple[str, str]]:
        """`builtInRoleNames`: the mandatory roles and every service role, no cap, sorted by name."""
        service = [(n, g) for n, g in self.spec.roles if n not in MANDATORY_ROLES]
        return sorted([*MANDATORY_ROLES.items(), *service], key=lambda r: r[0].lower())

    @property
    def private_endpoint_service(self) -> str:
        """The group id a private endpoint uses when it names none; empty when it must name one."""
        return "" if self.spec.private_endpoint_multi_service else self.spec.private_endpoint_service

    # ---- parameters, outputs, definitions
    @cached_property
    def _base_param_names(self) -> list[str]:
        """Every parameter name besides the resource's own properties."""
        return [p.name for p in self._params(with_resource=False)]

    @cached_property
    def params(self) -> list[Param]:
        return self._params(with_resource=True)

    def _name_param(self) -> Param | None:
        fixed = self.fixed_name
        if fixed is None:
            return Param(
                "name", "string", f"Required. The name of the {self.lower_display}.", decorators=self._name_limits
            )
        if fixed.single:
            return None
        category = "Optional" if fixed.default is not None else "Required"
        return Param(
            "name",
            "string",
            f"{category}. The name of the {self.lower_display}.",
            values.string(fixed.default) if fixed.default is not None else None,
            decorators=(allowed(fixed.values),),
        )

    @property
    def _name_limits(self) -> tuple[str, ...]:
        """`@minLength`/`@maxLength` of a free name, as the schema limits it."""
        found = self.schema.at("name") if self.schema is not None else None
        return tuple(limit_decorators(found)) if found is not None else ()

    def _params(self, with_resource: bool) -> list[Param]:
        target = self.extension_target
        params: list[Param] = [
            Param(
                f"{target.symbol}Name",
                "string",
                f"Required. The name of the {naming.display_name(target.full_type.rsplit('/', 1)[1]).lower()} "
                f"(`{target.full_type}`) to deploy the {self.lower_display} onto, in the resource group of the "
                "deployment.",
            )
            for target in ([target] if target is not None else [])
        ]
        params += [
            Param(
                a.name_param,
                "string",
                f"Conditional. The name of the parent {a.display_name}. "
                "Required if the template is used in a standalone deployment.",
            )
            for a in self.ancestors
        ]
        name = self._name_param()
        if name is not None:
            params.append(name)
        own = [as_param(p) for p in self.resource_params] if with_resource else []
        params.extend(p for p in own if p.requirement == "Required")
        if self.location:
            params.append(
                Param(
                    "location",
                    "string",
                    "Optional. Location for all resources."
                    if self.resource_location
                    else "Optional. Location of the deployment's metadata.",
                    self.location_default,
                )
            )
        params.extend(p for p in own if p.requirement != "Required")
        for child in self.direct_children:
            display = naming.display_name(child.segments[-1])
            if self.child_module(child).single:
                params.append(
                    Param(
                        child_param(child),
                        f"{child_type_name(child)}?",
                        f"Optional. The {lower_display(display)} to create.",
                    )
                )
                continue
            params.append(
                Param(
                    child_param(child),
                    f"{child_type_name(child)}[]?",
                    f"Optional. The {lower_display(naming.plural_display_name(display))} to create.",
                )
            )
        if self.public_network_access:
            params.append(
                Param(
                    "publicNetworkAccess",
                    "string?",
                    "Optional. Whether or not public network access is allowed for this resource. For security "
                    "reasons it should be disabled. If not specified, it will be disabled by default if private "
                    "endpoints are set.",
                    decorators=("@allowed([\n  'Enabled'\n  'Disabled'\n])",),
                )
            )
        for key, interface in INTERFACES.items():
            if key == "tags" or not self.has(key):
                continue
            bicep = interface.bicep
            type_name = self.identity_type if key == "managed-identities" else bicep["type"]
            if key == "private-endpoints" and not self.private_endpoint_service:
                type_name = bicep["multi_service_type"]  # `service` becomes required
            suffix = ("[]" if bicep["array"] else "") + ("?" if bicep["nullable"] else "")
            params.append(
                Param(
                    bicep["param"],
                    type_name + suffix,
                    bicep["description"],
                    import_line=common_type_import(type_name),
                )
            )
        if self.tags:
            params.append(
                Param(
                    "tags",
                    f"resourceInput<'{self.resource_ref}'>.tags?",
                    INTERFACES["tags"].bicep["description"],
                )
            )
        if self.telemetry:
            params.append(Param("enableTelemetry", "bool", TELEMETRY_DESCRIPTION, "true"))
        return params

    @cached_property
    def outputs(self) -> list[Output]:
        thing = lower_display(self.display_name)
        outputs = [
            Output("resourceId", "string", f"{self.symbol}.id", f"The resource ID of the {thing}."),
            Output("name", "string", f"{self.symbol}.name", f"The name of the {thing}."),
        ]
        if self.in_resource_group:
            outputs.append(
                Output(
                    "resourceGroupName",
                    "string",
                    "resourceGroup().name",
                    f"The name of the resource group the {thing} was created in.",
                )
            )
        if self.resource_location:
            outputs.append(
                Output(
                    "location",
                    "string",
                    f"{self.symbol}.location",
                    "The location the resource was deployed into.",
                )
            )
        if self.system_identity:
            outputs.append(
                Output(
                    "systemAssignedMIPrincipalId",
                    "string?",
                    f"{self.symbol}.?identity.?principalId",
                    "The principal ID of the system assigned identity.",
                )
            )
        if self.schema is not None:
            outputs.extend(property_outputs(self.schema, self.symbol, thing, set(STANDARD_OUTPUTS)))
        if self.has("private-endpoints"):
            each = f"{self.symbol}_privateEndpoints[index].outputs"
            outputs.append(
                Output(
                    "privateEndpoints",
                    "privateEndpointOutputType[]",
                    "[\n"
                    "  for (item, index) in (privateEndpoints ?? []): {\n"
                    f"    name: {each}.name\n"
                    f"    resourceId: {each}.resourceId\n"
                    f"    groupId: {each}.?groupId!\n"
                    f"    customDnsConfigs: {each}.customDnsConfigs\n"
                    f"    networkInterfaceResourceIds: {each}.networkInterfaceResourceIds\n"
                    "  }\n"
                    "]",
                    f"The private endpoints of the {thing}.",
                )
            )
        return outputs

    @cached_property
    def definitions(self) -> list[TypeDef]:
        defs = []
        for child in self.direct_children:
            module = self.child_module(child)
            child_display = lower_display(naming.display_name(child.segments[-1]))
            fields = []
            name = module.fixed_name
            if name is None:
                fields.append(TypeField("name", "string", f"Required. The name of the {child_display}."))
            elif not name.single:
                optional = name.default is not None
                union = literal_union(name.values)
                fields.append(
                    TypeField(
                        "name",
                        f"({union})?" if optional else union,
                        f"{'Optional' if optional else 'Required'}. The name of the {child_display}.",
                    )
                )
            fields.extend(type_field(p) for p in module.resource_params)
            if module.location:
                fields.append(TypeField("location", "string?", "Optional. Location for all resources."))
            if child.tags:
                fields.append(
                    TypeField(
                        "tags",
                        f"resourceInput<'{self.spec.full_type}/{child.type_path}@{child.api_version}'>.tags?",
                        INTERFACES["tags"].bicep["description"],
                    )
                )
            imports = []
            for grandchild in children_of(self.spec, child):
                fields.append(
                    TypeField(
                        child_param(grandchild),
                        f"{child_type_name(grandchild)}{'' if module.child_module(grandchild).single else '[]'}?",
                        f"Optional. The "
                        f"{lower_display(naming.plural_display_name(naming.display_name(grandchild.segments[-1])))} "
                        "to create.",
                    )
                )
                imports.append(
                    f"import {{ {child_type_name(grandchild)} }} from '{relative_folder(child, self.child)}/main.bicep'"
                )
            defs.append(
                TypeDef(
                    name=child_type_name(child),
                    description=f"The type for {naming.indefinite_article(naming.display_name(child.segments[-1]))} "
                    f"{lower_display(naming.display_name(child.segments[-1]))}.",
                    fields=tuple(fields),
                    imports=tuple(imports),
                )
            )
        return defs

    @property
    def single(self) -> bool:
        """A child deployed once with the one name its schema allows: its parent passes an object."""
        return self.fixed_name is not None and self.fixed_name.single

    @cached_property
    def calls(self) -> list[ChildCall]:
        calls = []
        for child in self.direct_children:
            module = self.child_module(child)
            single = module.single
            item = child_param(child) if single else child_item(child)

            def required(key: str, item: str = item, single: bool = single) -> str:
                return f"{item}!.{key}" if single else f"{item}.{key}"

            def optional(key: str, item: str = item) -> str:
                return f"{item}.?{key}"

            args = [(a.name_param, f"{a.symbol}.name") for a in self.ancestors]
            args.append((f"{self.symbol}Name", f"{self.symbol}.name"))
            if module.fixed_name is None:
                args.append(("name", required("name")))
            elif not single:
                args.append(("name", optional("name") if module.fixed_name.default is not None else required("name")))
            for p in module.resource_params:
                args.append((p.name, required(p.name) if p.required else optional(p.name)))
            if module.location:
                args.append(
                    ("location", f"{optional('location')} ?? location" if self.location else optional("location"))
                )
            if child.tags:
                args.append(("tags", f"{optional('tags')} ?? tags" if self.tags else optional("tags")))
            for grandchild in children_of(self.spec, child):
                args.append((child_param(grandchild), optional(child_param(grandchild))))
            if child.published:
                args.append(("enableTelemetry", "enableReferencedModulesTelemetry"))
            child_descriptor = naming.pascal(naming.type_slug(child.segments[-1]))
            calls.append(
                ChildCall(
                    param=child_param(child),
                    item=item,
                    symbol=f"{self.symbol}_{child_param(child)}",
                    path=f"{relative_folder(child, self.child)}/main.bicep",
                    descriptor=f"{self.descriptor}-{child_descriptor}",
                    args=tuple(args),
                    single=single,
                )
            )
        return calls

    @property
    def lower_display(self) -> str:
        return lower_display(self.display_name)

    def interface(self, key: str) -> SimpleNamespace:
        return SimpleNamespace(**INTERFACES[key].bicep)

    @property
    def cmk(self) -> SimpleNamespace:
        return self.interface("customer-managed-key")

    @property
    def private_endpoint_module(self) -> str:
        return PRIVATE_ENDPOINT_MODULE_REF

    @property
    def has_variables(self) -> bool:
        return self.references_telemetry_modules or any(self.has(k) for k in ("role-assignments", "managed-identities"))

    @cached_property
    def role_entries(self) -> list[str]:
        """`builtInRoleNames` entries, wrapped the way `bicep format` wraps lines over 120 characters."""
        entries = []
        for role, guid in self.roles:
            label = values.key(role)
            line = f"{label}: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{guid}')"
            if len(line) + 2 > 120:
                line = (
                    f"{label}: subscriptionResourceId(\n"
                    "    'Microsoft.Authorization/roleDefinitions',\n"
                    f"    '{guid}'\n"
                    "  )"
                )
            entries.append(line)
        return entries


# ---- outputs of the resource's own properties (docs/bicep-resource.md, "Outputs")

# What every module may output besides: a property output never takes one of these names.
STANDARD_OUTPUTS = (
    "resourceId",
    "name",
    "resourceGroupName",
    "location",
    "systemAssignedMIPrincipalId",
    "privateEndpoints",
)
# The Bicep type of an output by the property's kind (`generator.property_outputs.OUTPUT_KINDS`).
OUTPUT_TYPES = {"string": "string", "int": "int", "bool": "bool", "object": "object"}


def property_outputs(schema: ResourceSchema, symbol: str, thing: str, taken: set[str]) -> list[Output]:
    """The read-only properties people use (URIs, endpoints, host names, IDs), at the top of the body or in
    `properties`, in schema order; a name already taken (a standard output, an earlier property) is left out."""
    found: list[Output] = []
    names = set(taken)
    for prop, name in output_properties(schema):
        if name in names:
            continue
        names.add(name)
        optional = prop.kind == "object" and not prop.always_required
        parent, _, key = f"{symbol}.{prop.path}".rpartition(".")
        found.append(
            Output(
                name,
                f"{OUTPUT_TYPES[prop.kind]}{'?' if optional else ''}",
                f"{parent}.{'?' if optional else ''}{key}",
                f"{describe_name(name)} of the {thing}.",
                path=prop.path,
            )
        )
    return found


def lower_display(display: str) -> str:
    """`Key Vault` -> `key vault`, keeping acronyms: `DNS Zone` -> `DNS zone`."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in display.split())


def resource_symbol(spec: ModuleSpec, child: ChildSpec | None) -> str:
    if child is not None:
        return naming.camel_symbol(naming.type_slug(child.segments[-1]))
    provider = naming.provider_slug(spec.provider_namespace)
    own = naming.type_slug(spec.resource_type)
    # `key-vault/vault` reads better as `keyVault` than as `vault`.
    if provider == own or provider.endswith(f"-{own}"):
        return naming.camel_symbol(provider)
    return naming.camel_symbol(own)


def child_param(child: ChildSpec) -> str:
    segment = child.segments[-1]
    return segment[0].lower() + segment[1:]


def child_item(child: ChildSpec) -> str:
    item = naming.camel_symbol(naming.type_slug(child.segments[-1]))
    return f"{item}Item" if item in RESERVED or item == child_param(child) else item


def child_type_name(child: ChildSpec) -> str:
    return f"{naming.camel_symbol(naming.type_slug(child.segments[-1]))}Type"


def parent_chain(spec: ModuleSpec, child: ChildSpec) -> list[ChildSpec]:
    """The child's intermediate parents, outermost first (excluding the module's primary resource)."""
    by_path = {c.type_path: c for c in spec.children}
    segments = child.segments
    return [by_path["/".join(segments[:i])] for i in range(1, len(segments))]


def children_of(spec: ModuleSpec, child: ChildSpec) -> list[ChildSpec]:
    return [c for c in spec.children if c.parent_path == child.type_path]


def relative_folder(child: ChildSpec, caller: ChildSpec | None) -> str:
    """The child's folder as seen from the caller's folder."""
    if caller is None:
        return child.folder
    return child.folder[len(caller.folder) + 1 :]


def as_param(p: ResourceParam) -> Param:
    return Param(p.name, p.type, p.description, p.default, p.decorators, readme_kind=p.readme_kind)


def type_field(p: ResourceParam) -> TypeField:
    """The parameter as a property of the type its parent passes: `@allowed` is for parameters only, so a closed
    enum is a literal union; a parameter with a default is optional."""
    optional = not p.required
    base = p.type.removesuffix("?")
    if p.prop.closed_enum:
        base = literal_union(p.prop.enum)
        base = f"({base})" if optional else base
    decorators = tuple(d for d in p.decorators if not d.startswith("@allowed("))
    return TypeField(p.name, f"{base}?" if optional else base, p.description, decorators, p.readme_kind)
