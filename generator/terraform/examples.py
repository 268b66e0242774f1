"""The examples (`examples/default`, `examples/max`) and the unit test of a Terraform resource module.

Examples are roots of their own: a `terraform {}` block, the `azapi` provider configuration, a
random region (`avm-utl-regions`) and CAF names (`naming`), a resource group and the dependencies
the chosen interfaces need, all through AzAPI, then the module called with `source = "../../"`.

Built from the module's model (`model.py`); their READMEs are rendered from their files (`readme.py`).
"""

from __future__ import annotations

import re
from functools import cached_property

from generator import naming, scopes
from generator.property_samples import sample_string
from generator.spec import ChildSpec
from generator.terraform import hcl, parents
from generator.terraform.hcl import Attr, Block, listing, obj, quote, with_blanks
from generator.terraform.model import (
    NAME_PATTERN,
    TerraformModel,
    TerraformModule,
    Variable,
    child_variable,
    module_block,
    resource_block,
    submodule_name,
    telemetry_variable,
    terraform_block,
)
from generator.terraform.properties import name_validations, re2_pattern
from generator.terraform.values import (
    EXAMPLE_SECRET,
    EXAMPLE_SPECIALS,
    UNIT_TEST_SPECIALS,
    Secret,
    hcl_value,
    max_values,
    required_values,
    unit_test_secret,
)

RESOURCE_GROUP = "azapi_resource.resource_group"
LOCATION = f"{RESOURCE_GROUP}.location"
REGION = "module.regions.regions[random_integer.region_index.result].name"
SUBSCRIPTION = "/subscriptions/${data.azapi_client_config.current.subscription_id}"
EXAMPLE_PROVIDERS = ("azapi", "random")

HEADERS = {
    "default": ("Default example", "This deploys the module in its simplest form."),
    "max": (
        "Max example",
        "This deploys the module with every interface it implements and one instance of each child resource, "
        "together with the resources those interfaces need.",
    ),
}


class Example:
    """One example folder under `examples/`."""

    def __init__(self, model: TerraformModel, name: str) -> None:
        self.model = model
        self.spec = model.spec
        self.facts = model.facts
        self.name = name
        self.full = name == "max"

    def has(self, interface: str) -> bool:
        return self.full and self.spec.has(interface)

    @property
    def root(self) -> TerraformModule:
        return self.model.root

    @cached_property
    def module_label(self) -> str:
        return naming.snake(self.spec.display_name) or "test"

    # ---- dependencies
    def _azapi(
        self, label: str, kind: str, name: str, parent_id: str, body: str | None = None, **optional: str
    ) -> Block:
        type_ref = self.facts.example_resource_types[kind]
        required = {"name": name, "parent_id": parent_id, "type": quote(type_ref)}
        if "location" in optional:
            required["location"] = optional.pop("location")
        if body is not None:
            optional["body"] = body
        return resource_block("azapi_resource", label, required=required, optional=optional)

    @property
    def needs_identity(self) -> bool:
        return self.root.user_identity and self.full

    @property
    def cmk_identity(self) -> bool:
        return self.has("customer-managed-key") and self.needs_identity

    @cached_property
    def target_label(self) -> str:
        target = self.root.extension_target
        return naming.snake(target.symbol) if target is not None else ""

    @cached_property
    def target(self) -> Block | None:
        """The resource an extension-scope module is deployed onto, created by the example."""
        target = self.root.extension_target
        if target is None:
            return None
        body = {key: value for key, value in target.body.items() if key != "identity"}
        identity = target.body.get("identity")
        blocks = [Block("identity", (), (Attr("type", quote(identity["type"])),))] if identity else []
        return resource_block(
            "azapi_resource",
            self.target_label,
            required={
                "location": LOCATION,
                "name": '"target-${random_string.suffix.result}"',
                "parent_id": f"{RESOURCE_GROUP}.id",
                "type": quote(target.type_ref),
            },
            optional={"body": parents.hcl_value(body)},
            blocks=blocks,
            comments=(f"The {target.full_type} the module extends.",),
        )

    @cached_property
    def dependencies(self) -> list[Block]:
        blocks: list[Block] = [self.target] if self.target is not None else []
        if self.needs_identity:
            blocks.append(
                self._azapi(
                    "user_assigned_identity",
                    "user_assigned_identity",
                    "module.naming.user_assigned_identity.name_unique",
                    f"{RESOURCE_GROUP}.id",
                    location=LOCATION,
                    response_export_values=listing(['"properties.clientId"', '"properties.principalId"']),
                )
            )
        if self.has("private-endpoints"):
            blocks.append(
                self._azapi(
                    "virtual_network",
                    "virtual_network",
                    "module.naming.virtual_network.name_unique",
                    f"{RESOURCE_GROUP}.id",
                    obj([("properties", obj([("addressSpace", obj([("addressPrefixes", '["10.0.0.0/16"]')]))]))]),
                    location=LOCATION,
                )
            )
            blocks.append(
                self._azapi(
                    "subnet",
                    "subnet",
                    "module.naming.subnet.name_unique",
                    "azapi_resource.virtual_network.id",
                    obj([("properties", obj([("addressPrefix", '"10.0.1.0/24"')]))]),
                )
            )
            if self.spec.private_dns_zone:
                blocks.append(
                    self._azapi(
                        "private_dns_zone",
                        "private_dns_zone",
                        quote(self.spec.private_dns_zone),
                        f"{RESOURCE_GROUP}.id",
                        location='"global"',
                    )
                )
                blocks.append(
                    self._azapi(
                        "private_dns_zone_link",
                        "private_dns_zone_link",
                        '"vnet-link"',
                        "azapi_resource.private_dns_zone.id",
                        obj(
                            [
                                (
                                    "properties",
                                    obj(
                                        [
                                            ("registrationEnabled", "false"),
                                            ("virtualNetwork", obj([("id", "azapi_resource.virtual_network.id")])),
                                        ]
                                    ),
                                )
                            ]
                        ),
                        location='"global"',
                    )
                )
        if self.has("diagnostic-settings"):
            blocks.append(
                self._azapi(
                    "log_analytics_workspace",
                    "log_analytics_workspace",
                    "module.naming.log_analytics_workspace.name_unique",
                    f"{RESOURCE_GROUP}.id",
                    obj([("properties", obj([("retentionInDays", "30"), ("sku", obj([("name", '"PerGB2018"')]))]))]),
                    location=LOCATION,
                )
            )
        if self.has("customer-managed-key"):
            blocks.append(
                self._azapi(
                    "key_vault",
                    "key_vault",
                    "module.naming.key_vault.name_unique",
                    f"{RESOURCE_GROUP}.id",
                    obj(
                        [
                            (
                                "properties",
                                obj(
                                    [
                                        ("enablePurgeProtection", "true"),
                                        ("enableRbacAuthorization", "true"),
                                        ("softDeleteRetentionInDays", "7"),
                                        ("sku", obj([("family", '"A"'), ("name", '"standard"')])),
                                        ("tenantId", "data.azapi_client_config.current.tenant_id"),
                                    ]
                                ),
                            )
                        ]
                    ),
                    location=LOCATION,
                )
            )
            blocks.append(
                self._azapi(
                    "key_vault_key",
                    "key_vault_key",
                    '"cmk"',
                    "azapi_resource.key_vault.id",
                    obj(
                        [
                            (
                                "properties",
                                obj(
                                    [
                                        ("keyOps", '["unwrapKey", "wrapKey"]'),
                                        ("keySize", "2048"),
                                        ("kty", '"RSA"'),
                                    ]
                                ),
                            )
                        ]
                    ),
                )
            )
            if self.cmk_identity:
                role = self.facts.key_vault_crypto_service_encryption_user
                blocks.append(
                    self._azapi(
                        "key_vault_crypto_user",
                        "role_assignment",
                        'uuidv5("url", "${azapi_resource.key_vault.id}/${azapi_resource.user_assigned_identity.id}")',
                        "azapi_resource.key_vault.id",
                        obj(
                            [
                                (
                                    "properties",
                                    obj(
                                        [
                                            (
                                                "principalId",
                                                "azapi_resource.user_assigned_identity.output.properties.principalId",
                                            ),
                                            ("principalType", '"ServicePrincipal"'),
                                            (
                                                "roleDefinitionId",
                                                f'"{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{role}"',
                                            ),
                                        ]
                                    ),
                                )
                            ]
                        ),
                    )
                )
        return blocks

    # ---- the resource's own properties
    def property_values(self, module: TerraformModule) -> dict[str, object]:
        """What the example passes the scope's property variables: the required ones (`default`), and in `max`
        the others that can be set together."""
        if module.schema is None:
            return {}
        found = required_values(module.property_variables, module.schema)
        if self.full:
            found.update(max_values(module.property_variables, module.schema))
        return dict(sorted(found.items()))

    @cached_property
    def needs_password(self) -> bool:
        modules = [self.root, *(self.model.submodule(submodule_name(c)) for c in self.spec.children if self.full)]
        return any(isinstance(v, Secret) for m in modules for v in self.property_values(m).values())

    def _value(self, value: object) -> str:
        return hcl_value(value, EXAMPLE_SPECIALS, EXAMPLE_SECRET)

    # ---- the module call
    def _child_instances(self, child: ChildSpec) -> str:
        sub = self.model.submodule(submodule_name(child))
        fields: list[tuple[str, str]] = []
        if sub.fixed_name is None:
            fields.append(("name", quote(valid_name(sub, "example"))))
        elif not sub.single and sub.fixed_name.default is None:
            fields.append(("name", quote(sub.fixed_name.values[0])))
        if sub.location and not self.root.location:
            fields.append(("location", LOCATION))
        fields += [(name, self._value(value)) for name, value in self.property_values(sub).items()]
        for grandchild in self.model.children_of(child):
            fields.append((child_variable(grandchild), self._child_instances(grandchild)))
        return obj(fields) if sub.single else obj([("example", obj(fields))])

    @cached_property
    def module_call(self) -> Block:
        name = f'"{self.spec.names.service_short or "avm"}${{random_string.suffix.result}}"'
        if self.root.schema is not None and self.root.schema.guid_named:
            name = f'uuidv5("dns", {name})'  # a GUID, the same for the same run
        required = {"name": name}
        required["parent_id"] = parents.example_parent(self.spec.scope, RESOURCE_GROUP, self.target_label)
        if self.root.location:
            required["location"] = LOCATION if self.needs_resource_group else REGION
        optional = {"enable_telemetry": "var.enable_telemetry"}
        for name, value in self.property_values(self.root).items():
            target = required if self.root_required(name) else optional
            target[name] = self._value(value)
        depends_on: list[str] = []
        if self.has("customer-managed-key"):
            fields = [
                ("key_name", "azapi_resource.key_vault_key.name"),
                ("key_vault_resource_id", "azapi_resource.key_vault.id"),
            ]
            if self.cmk_identity:
                fields.append(
                    ("user_assigned_identity", obj([("resource_id", "azapi_resource.user_assigned_identity.id")]))
                )
                depends_on.append("azapi_resource.key_vault_crypto_user")
            optional["customer_managed_key"] = obj(fields)
        if self.has("diagnostic-settings"):
            optional["diagnostic_settings"] = obj(
                [
                    (
                        "to_workspace",
                        obj(
                            [
                                ("name", '"diag-to-workspace"'),
                                ("logs", '[{ category_group = "allLogs" }]'),
                                ("metrics", '[{ category = "AllMetrics" }]'),
                                ("workspace_resource_id", "azapi_resource.log_analytics_workspace.id"),
                            ]
                        ),
                    )
                ]
            )
        if self.has("lock"):
            optional["lock"] = obj([("kind", '"CanNotDelete"')])
        if self.has("managed-identities"):
            fields = []
            if self.root.system_identity:
                fields.append(("system_assigned", "true"))
            if self.needs_identity:
                fields.append(("user_assigned_resource_ids", "[azapi_resource.user_assigned_identity.id]"))
            optional["managed_identities"] = obj(fields)
        if self.has("private-endpoints"):
            fields = []
            if self.spec.private_dns_zone:
                fields.append(("private_dns_zone_resource_ids", "[azapi_resource.private_dns_zone.id]"))
            if not self.root.location:  # nothing to default the private endpoint's location to
                fields.insert(0, ("location", LOCATION))
            fields.append(("subnet_resource_id", "azapi_resource.subnet.id"))
            optional["private_endpoints"] = obj([("primary", obj(fields))])
        if self.has("role-assignments"):
            optional["role_assignments"] = obj(
                [
                    (
                        "reader",
                        obj(
                            [
                                ("principal_id", "data.azapi_client_config.current.object_id"),
                                ("role_definition_id_or_name", '"Reader"'),
                            ]
                        ),
                    )
                ]
            )
        if self.has("tags"):
            optional["tags"] = obj([("environment", '"example"')])
        if self.full:
            for child in self.root.direct_children:
                optional[child_variable(child)] = self._child_instances(child)
        return module_block(
            self.module_label,
            "../../",
            source_comment=f'source = "{self.spec.names.terraform_registry}"',
            required=required,
            optional=optional,
            depends_on=depends_on,
        )

    @property
    def needs_resource_group(self) -> bool:
        """A module at resource group or extension scope, and every dependency, needs a resource group."""
        return self.spec.scope in (scopes.RESOURCE_GROUP, scopes.EXTENSION) or bool(self.dependencies)

    def root_required(self, name: str) -> bool:
        return any(v.name == name and v.required for v in self.root.property_variables)

    @cached_property
    def password(self) -> list[Block]:
        """A random password for the secrets the example sets."""
        if not self.needs_password:
            return []
        return [
            resource_block(
                "random_password",
                "secret",
                required={"length": "24"},
                optional={"min_lower": "1", "min_numeric": "1", "min_special": "1", "min_upper": "1"},
            )
        ]

    # ---- files
    @cached_property
    def blocks(self) -> list[Block]:
        pins = self.facts.modules
        providers = {k: v for k, v in self.facts.providers.items() if k in EXAMPLE_PROVIDERS}
        return [
            terraform_block(self.facts.required_version, providers),
            Block("provider", ("azapi",)),
            Block("data", ("azapi_client_config", "current")),
            module_block(
                "regions",
                pins["regions"].source,
                version=pins["regions"].version,
                comments=("A random region, so that runs of the example do not collide.",),
            ),
            resource_block(
                "random_integer",
                "region_index",
                required={"max": "length(module.regions.regions) - 1", "min": "0"},
            ),
            module_block(
                "naming",
                pins["naming"].source,
                version=pins["naming"].version,
                comments=("Unique CAF-compliant names for the resources of the example.",),
            ),
            resource_block(
                "random_string",
                "suffix",
                required={"length": "8"},
                optional={"lower": "true", "numeric": "true", "special": "false", "upper": "false"},
            ),
            *self.resource_group,
            *self.dependencies,
            *self.password,
            self.module_call,
        ]

    @property
    def resource_group(self) -> list[Block]:
        if not self.needs_resource_group:
            return []
        return [
            self._azapi(
                "resource_group",
                "resource_group",
                "module.naming.resource_group.name_unique",
                f'"{SUBSCRIPTION}"',
                location=REGION,
            )
        ]

    @cached_property
    def variables(self) -> list[Variable]:
        return [telemetry_variable(self.facts.enable_telemetry_description)]

    @cached_property
    def files(self) -> dict[str, list[Block]]:
        """The `.tf` files of the example and their top-level blocks."""
        return {"main.tf": self.blocks, "variables.tf": [v.block for v in self.variables]}

    def tf_file(self, file_name: str) -> str:
        return hcl.file_text(self.files[file_name])

    @property
    def main_tf(self) -> str:
        return self.tf_file("main.tf")

    @property
    def header(self) -> str:
        title, text = HEADERS[self.name]
        return f"# {title}\n\n{text}"


def resource_examples(model: TerraformModel) -> dict[str, Example]:
    """The examples of a resource module by folder: `default`, and `max` when there is more to show."""
    names = ["default"]
    if model.spec.interfaces or model.spec.children:
        names.append("max")
    return {name: Example(model, name) for name in names}


def unit_test_blocks(model: TerraformModel) -> list[Block]:
    """`tests/unit/main.tftest.hcl`: mocked providers, the required inputs, and assertions on the
    telemetry switch and on what flows into `azapi_resource.this`."""
    root = model.root
    spec = model.spec
    valid_parent, invalid_parent = parents.unit_test_ids(spec.scope, root.extension_target)
    variables = [
        Attr("name", quote(valid_name(root, f"{spec.names.service_short or 'avm'}unit01"))),
        Attr("parent_id", quote(valid_parent)),
    ]
    if root.location:
        variables.insert(0, Attr("location", quote("eastus")))
    secrets = {v.name: unit_test_secret(v) for v in root.property_variables if v.secret}
    if root.schema is not None:
        for name, value in sorted(required_values(root.property_variables, root.schema).items()):
            variables.append(Attr(name, hcl_value(value, UNIT_TEST_SPECIALS, secrets.get(name, "null"))))

    def run(name: str, command: str, inputs: list[Attr], asserts: list[tuple[str, str]], failures: str = "") -> Block:
        items: list[hcl.Item] = [Attr("command", command)]
        body: list[list[hcl.Item]] = [items]
        if inputs:
            body.append([Block("variables", (), tuple(inputs))])
        if asserts:
            body.append(
                [
                    Block("assert", (), (Attr("condition", condition), Attr("error_message", quote(message))))
                    for condition, message in asserts
                ]
            )
        if failures:
            body.append([Attr("expect_failures", f"[{failures}]")])
        return Block("run", (name,), with_blanks(*body))

    return [
        Block("mock_provider", ("azapi",)),
        Block("mock_provider", ("modtm",)),
        Block("mock_provider", ("random",)),
        Block("variables", (), tuple(variables)),
        run(
            "telemetry_enabled",
            "apply",
            [Attr("enable_telemetry", "true")],
            [
                ("length(modtm_telemetry.telemetry) == 1", "Telemetry must be sent when enable_telemetry is true."),
                ("azapi_resource.this.name == var.name", "The name must flow to the primary resource."),
                ("azapi_resource.this.parent_id == var.parent_id", "The parent_id must flow to the primary resource."),
                (
                    f'azapi_resource.this.type == "{root.type_ref}"',
                    "The primary resource must default to the pinned API version.",
                ),
            ],
        ),
        run(
            "telemetry_disabled",
            "apply",
            [Attr("enable_telemetry", "false")],
            [
                ("length(modtm_telemetry.telemetry) == 0", "No telemetry may be sent when enable_telemetry is false."),
                (
                    "azapi_resource.this.create_headers == null",
                    "No telemetry header may be sent when enable_telemetry is false.",
                ),
            ],
        ),
        run(
            "invalid_parent_id",
            "plan",
            [Attr("parent_id", quote(invalid_parent))],
            [],
            failures="var.parent_id",
        ),
        *(
            [run("invalid_name", "plan", [Attr("name", quote(invalid))], [], failures="var.name")]
            if (invalid := invalid_name(root)) is not None
            else []
        ),
    ]


def name_fits(module: TerraformModule, text: str) -> bool:
    """Whether the `name` variable's validations accept `text` (the schema's limits, else the generic rule)."""
    facts = module.schema.at("name") if module.schema is not None else None
    checks = name_validations(module.schema)
    if not checks or facts is None:
        return re.search(NAME_PATTERN, text) is not None
    low, high = facts.min_length or 0, facts.max_length
    pattern = re2_pattern(facts.pattern)
    return low <= len(text) and (high is None or len(text) <= high) and (pattern is None or re.search(pattern, text))


def valid_name(module: TerraformModule, preferred: str) -> str:
    """`preferred` when the name's validations accept it, else a sample of the schema's name."""
    if name_fits(module, preferred) or module.schema is None or module.schema.at("name") is None:
        return preferred
    return sample_string(module.schema.at("name"))


def invalid_name(module: TerraformModule) -> str | None:
    """A name the validations refuse, for the unit test's `expect_failures`; None when none is found."""
    facts = module.schema.at("name") if module.schema is not None else None
    candidates = ["-invalid-", "invalid name!", ""]
    if facts is not None and facts.max_length is not None:
        candidates.append("a" * (facts.max_length + 1))
    return next((c for c in candidates if not name_fits(module, c)), None)
