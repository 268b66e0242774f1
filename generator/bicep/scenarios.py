"""The e2e test scenarios of a Bicep module: a resource module's `defaults`, `waf-aligned` and `max`,
a pattern's or utility's `defaults` (and `waf-aligned`) or `import`.

Built from the module's model (`model.py`, `composite.py`); one description feeds both
`tests/e2e/<scenario>/main.test.bicep` and the README's usage examples (`readme.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator import naming, scopes
from generator.bicep import values
from generator.bicep.composite import CompositeModule
from generator.bicep.model import BicepModule, child_param, children_of
from generator.bicep.multi_scope import scope_title
from generator.bicep.scenario_values import PASSWORD, max_values, required_values, waf_values
from generator.bicep.values import Call, Expr
from generator.scopes import ExtensionTarget
from generator.spec import ChildSpec, ModuleSpec

TAGS = {
    "hidden-title": "This is visible in the resource name",
    "Environment": "Non-Prod",
    "Role": "DeploymentValidation",
}


# The metadata name and description of the standard e2e tests (BCPNFR13).
DEFAULTS_TEXT = ("Using only defaults", "This instance deploys the module with the minimum set of required parameters.")
WAF_TEXT = (
    "WAF-aligned",
    "This instance deploys the module in alignment with the best-practices of the Azure Well-Architected Framework.",
)
IMPORT_PARTIAL = "_partials/import.test.bicep.jinja"
SAMPLE_RESOURCE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example"
    "/providers/Microsoft.KeyVault/vaults/kv-example"
)


@dataclass(frozen=True)
class Dependencies:
    """What a scenario's `dependencies.bicep` deploys."""

    network: bool = False
    dns_zone: str = ""
    identity: bool = False
    key_vault: bool = False
    diagnostics: bool = False
    target: ExtensionTarget | None = None  # the resource an extension-scope module deploys onto

    def __bool__(self) -> bool:
        return self.network or self.identity or self.key_vault or self.diagnostics or self.target is not None

    @property
    def target_body(self) -> list[tuple[str, Any]]:
        """The target's body besides its name and location, as `key: value` pairs."""
        return list(self.target.body.items()) if self.target is not None else []

    @property
    def nested_params(self) -> dict[str, Any]:
        """The parameters the test passes to `dependencies.bicep`."""
        params: dict[str, Any] = {}
        if self.network:
            params["virtualNetworkName"] = Expr("'dep-${namePrefix}-vnet-${serviceShort}'")
        if self.identity:
            params["managedIdentityName"] = Expr("'dep-${namePrefix}-msi-${serviceShort}'")
        if self.key_vault:
            params["keyVaultName"] = Expr(
                "'dep-${namePrefix}-kv-${serviceShort}-${substring(uniqueString(baseTime), 0, 3)}'"
            )
        if self.target is not None:
            params[f"{self.target.symbol}Name"] = Expr(f"'dep-${{namePrefix}}-{self.target.symbol}-${{serviceShort}}'")
        if self.diagnostics:
            params["logAnalyticsWorkspaceName"] = Expr("'dep-${namePrefix}-law-${serviceShort}'")
            params["storageAccountName"] = Expr("'dep${namePrefix}diasa${serviceShort}01'")
            params["eventHubNamespaceName"] = Expr("'dep-${namePrefix}-evhns-${serviceShort}'")
            params["eventHubNamespaceEventHubName"] = Expr("'dep-${namePrefix}-evh-${serviceShort}'")
        params["location"] = Expr("resourceLocation")
        return params


def dependency(output: str) -> Expr:
    return Expr(f"nestedDependencies.outputs.{output}", shown=f"<{output}>")


@dataclass(frozen=True)
class Scenario:
    folder: str
    metadata_name: str
    metadata_description: str
    suffix: str
    params: dict[str, Any]
    dependencies: Dependencies
    service_short: str

    @property
    def resource_name(self) -> str:
        return f"{self.service_short}001"

    @property
    def password(self) -> bool:
        """Whether a parameter takes the test's own secure `password` parameter."""
        return holds_password(self.params)


@dataclass(frozen=True)
class ImportScenario:
    """A utility test that imports the module's exported functions and calls them."""

    folder: str
    metadata_name: str
    metadata_description: str
    imports: tuple[str, ...]
    outputs: tuple[tuple[str, str, str], ...]  # name, type, expression
    partial: str = IMPORT_PARTIAL

    @property
    def source(self) -> str:
        """The test file, which the README also shows as it is (the test deploys no module)."""
        lines = [
            "targetScope = 'subscription'",
            "",
            f"metadata name = {values.string(self.metadata_name)}",
            f"metadata description = {values.string(self.metadata_description)}",
            "",
            "// ============== //",
            "// Test Execution //",
            "// ============== //",
            "",
            f"import {{ {', '.join(self.imports)} }} from '../../../main.bicep'",
        ]
        for name, type_, value in self.outputs:
            lines += ["", f"output {name} {type_} = {value}"]
        return "\n".join(lines)


@dataclass
class Scenarios:
    """The e2e tests of a resource module; each deploys it, so each is a README usage example too."""

    module: BicepModule

    @property
    def spec(self) -> ModuleSpec:
        return self.module.spec

    @cached_property
    def all(self) -> list[Scenario]:
        """The scenarios the README shows as usage examples."""
        return [self._defaults(), self._waf_aligned(), self._max()]

    @property
    def scenarios(self) -> list[Scenario]:
        """Every e2e test, one folder each."""
        return self.all

    @property
    def module_path(self) -> str:
        """What a test deploys: the module, or the scope folder's of a multi-scope module (`tests/e2e/rg-scope.max`
        beside `rg-scope/main.bicep`)."""
        folder = f"{self.spec.scope_folder}/" if self.spec.scope_folder else ""
        return f"../../../{folder}main.bicep"

    @property
    def resource_group_stem(self) -> str:
        namespace = self.spec.provider_namespace.removeprefix("Microsoft.").lower()
        return f"{namespace}.{self.spec.resource_type.lower()}"

    def _scenario(self, folder: str, name: str, description: str, suffix: str, chosen: set[str]) -> Scenario:
        if self.module.target_scope in (scopes.MANAGEMENT_GROUP, scopes.TENANT):
            chosen = chosen & {"lock", "tags"}  # what needs no resources of its own
        deps = self._dependencies(chosen)
        params: dict[str, Any] = {
            "name": Expr("'${namePrefix}${serviceShort}001'", shown=f"{self.spec.names.service_short}{suffix}001"),
        }
        if self.module.schema is not None and self.module.schema.guid_named:
            params["name"] = Expr("guid(namePrefix, serviceShort)", shown="<name>")  # a GUID, the same per test
        if self.module.location:
            params["location"] = Expr("resourceLocation", shown="<location>")
        if deps.target is not None:
            params[f"{deps.target.symbol}Name"] = dependency(f"{deps.target.symbol}Name")
        extra = self._interface_params(chosen, deps)
        extra.update(OWN_VALUES[folder](self.module.schema, self.module.resource_params))
        if folder == "max":
            extra.update(self._children_params())
        params.update(dict(sorted(extra.items(), key=lambda kv: kv[0].lower())))
        return Scenario(
            folder=f"{self.spec.scope_folder}.{folder}" if self.spec.scope_folder else folder,
            metadata_name=f"{name} {scope_title(self.spec.scope)}" if self.spec.scope_folder else name,
            metadata_description=description,
            suffix=suffix,
            params=params,
            dependencies=deps,
            service_short=f"{self.spec.names.service_short}{suffix}",
        )

    def _defaults(self) -> Scenario:
        return self._scenario("defaults", *DEFAULTS_TEXT, "min", set())

    def _waf_aligned(self) -> Scenario:
        waf = {"diagnostic-settings", "private-endpoints", "tags"}
        return self._scenario("waf-aligned", *WAF_TEXT, "waf", {k for k in self.spec.interfaces if k in waf})

    def _max(self) -> Scenario:
        return self._scenario(
            "max",
            "Using large parameter set",
            "This instance deploys the module with most of its features enabled.",
            "max",
            set(self.spec.interfaces),
        )

    @property
    def target_scope(self) -> str:
        """The test's `targetScope`: the module's own at management group or tenant scope, else subscription (it
        creates the resource group a module in one deploys to)."""
        scope = self.module.target_scope
        return scope if scope in (scopes.MANAGEMENT_GROUP, scopes.TENANT) else scopes.SUBSCRIPTION

    @property
    def module_in_resource_group(self) -> bool:
        return self.module.in_resource_group

    def resource_group(self, scenario: Scenario) -> bool:
        """Whether the test creates a resource group: for the module, or for its dependencies."""
        return self.module_in_resource_group or bool(scenario.dependencies)

    def _dependencies(self, chosen: set[str]) -> Dependencies:
        if self.module.target_scope in (scopes.MANAGEMENT_GROUP, scopes.TENANT):
            return Dependencies()  # no resource group to create them in
        return Dependencies(
            network="private-endpoints" in chosen,
            dns_zone=self.spec.private_dns_zone if "private-endpoints" in chosen else "",
            identity=bool(chosen & {"role-assignments", "managed-identities", "customer-managed-key"}),
            key_vault="customer-managed-key" in chosen,
            diagnostics="diagnostic-settings" in chosen,
            target=self.module.extension_target,
        )

    def _interface_params(self, chosen: set[str], deps: Dependencies) -> dict[str, Any]:
        m = self.module
        params: dict[str, Any] = {}
        if "lock" in chosen:
            params["lock"] = {"kind": "CanNotDelete", "name": "myCustomLockName"}
        if "role-assignments" in chosen:
            principal = dependency("managedIdentityPrincipalId")
            params["roleAssignments"] = [
                {
                    "roleDefinitionIdOrName": "Owner",
                    "principalId": principal,
                    "principalType": "ServicePrincipal",
                },
                {
                    "roleDefinitionIdOrName": "b24988ac-6180-42a0-ab88-20f7382dd24c",
                    "principalId": principal,
                    "principalType": "ServicePrincipal",
                },
                {
                    "roleDefinitionIdOrName": Call(
                        "subscriptionResourceId",
                        (
                            "'Microsoft.Authorization/roleDefinitions'",
                            "'acdd72a7-3385-48ef-bd42-f606fba81ae7'",
                        ),
                    ),
                    "principalId": principal,
                    "principalType": "ServicePrincipal",
                },
            ]
        if "diagnostic-settings" in chosen:
            setting: dict[str, Any] = {
                "eventHubAuthorizationRuleResourceId": dependency("eventHubAuthorizationRuleId"),
                "eventHubName": dependency("eventHubNamespaceEventHubName"),
                "storageAccountResourceId": dependency("storageAccountResourceId"),
                "workspaceResourceId": dependency("logAnalyticsWorkspaceResourceId"),
            }
            if "lock" in chosen:  # the max scenario names categories explicitly
                setting |= {
                    "logCategoriesAndGroups": [{"categoryGroup": "allLogs"}],
                    "metricCategories": [{"category": "AllMetrics"}],
                }
                setting = {"name": "customSetting", **dict(sorted(setting.items()))}
            params["diagnosticSettings"] = [setting]
        if "private-endpoints" in chosen:
            endpoint: dict[str, Any] = {}
            if deps.dns_zone:
                endpoint["privateDnsZoneGroup"] = {
                    "privateDnsZoneGroupConfigs": [{"privateDnsZoneResourceId": dependency("privateDNSZoneResourceId")}]
                }
            endpoint["service"] = self.spec.private_endpoint_service or self.spec.resource_type
            endpoint["subnetResourceId"] = dependency("subnetResourceId")
            if "tags" in chosen:
                endpoint["tags"] = dict(TAGS)
            params["privateEndpoints"] = [endpoint]
        if "managed-identities" in chosen:
            identities: dict[str, Any] = {}
            if m.system_identity:
                identities["systemAssigned"] = True
            if m.user_identity:
                identities["userAssignedResourceIds"] = [dependency("managedIdentityResourceId")]
            params["managedIdentities"] = identities
        if "customer-managed-key" in chosen:
            params["customerManagedKey"] = {
                "keyName": dependency("keyVaultKeyName"),
                "keyVaultResourceId": dependency("keyVaultResourceId"),
            }
            if m.cmk_identity:  # the identity the resource holds (`managedIdentities`) reads the key
                params["customerManagedKey"]["userAssignedIdentityResourceId"] = dependency("managedIdentityResourceId")
        if "tags" in chosen:
            params["tags"] = dict(TAGS)
        return params

    def _children_params(self) -> dict[str, Any]:
        return {child_param(c): self._child_value(self.module, c) for c in self.module.direct_children}

    def _child_value(self, parent: BicepModule, child: ChildSpec) -> Any:
        """One child as its parent takes it: an object when the schema fixes its one name, else a list of one."""
        module = parent.child_module(child)
        item: dict[str, Any] = {}
        if module.fixed_name is None:
            item["name"] = f"{naming.type_slug(child.segments[-1]).replace('-', '')}001"
        elif module.fixed_name.default is None and not module.single:
            item["name"] = module.fixed_name.values[0]  # one of the names the schema allows
        name = item.get("name") or (module.fixed_name.values[0] if module.fixed_name is not None else None)
        item.update(max_values(module.schema, module.resource_params, name))
        for grandchild in children_of(self.spec, child):
            item[child_param(grandchild)] = self._child_value(module, grandchild)
        return item if module.single else [item]


# What each test passes the resource's own parameters (`scenario_values.py`).
OWN_VALUES = {"defaults": required_values, "waf-aligned": waf_values, "max": max_values}


def holds_password(value: Any) -> bool:
    if value == PASSWORD:
        return True
    if isinstance(value, dict):
        return any(holds_password(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_password(v) for v in value)
    return False


@dataclass
class CompositeScenarios:
    """The e2e tests of a pattern or utility module: deployments, or the import of its exported functions."""

    module: CompositeModule

    @property
    def spec(self) -> ModuleSpec:
        return self.module.spec

    @property
    def module_path(self) -> str:
        return "../../../main.bicep"

    @property
    def resource_group_stem(self) -> str:
        return self.spec.module_name.replace("/", ".")

    # A pattern or utility module deploys into a resource group its tests create.
    target_scope = scopes.SUBSCRIPTION
    module_in_resource_group = True

    def resource_group(self, scenario: Scenario | ImportScenario) -> bool:
        return True

    @cached_property
    def scenarios(self) -> list[Scenario | ImportScenario]:
        """Every e2e test, one folder each."""
        if self.spec.module_class == "pattern":
            return [
                self._deployment("defaults", "min", *DEFAULTS_TEXT),
                self._deployment("waf-aligned", "waf", *WAF_TEXT),
            ]
        if self.spec.deploys:
            return [self._deployment("defaults", "min", *DEFAULTS_TEXT)]
        return [self._imports()]

    @property
    def all(self) -> list[Scenario]:
        """The scenarios that deploy the module."""
        return [s for s in self.scenarios if isinstance(s, Scenario)]

    def _deployment(self, folder: str, suffix: str, name: str, description: str) -> Scenario:
        short = f"{self.spec.names.service_short}{suffix}"
        params: dict[str, Any] = {}
        if self.module.script:
            params["name"] = Expr("'${namePrefix}${serviceShort}001'", shown=f"{short}001")
            params["scriptContent"] = "$DeploymentScriptOutputs = @{ greeting = 'Hello' }"
        for index, used in enumerate(self.spec.uses, start=1):
            params[f"{used.symbol}Name"] = Expr(
                f"'${{namePrefix}}${{serviceShort}}{index:03d}'", shown=f"{short}{index:03d}"
            )
        if self.module.location:
            params["location"] = Expr("resourceLocation", shown="<location>")
        return Scenario(
            folder=f"{self.spec.scope_folder}.{folder}" if self.spec.scope_folder else folder,
            metadata_name=f"{name} {scope_title(self.spec.scope)}" if self.spec.scope_folder else name,
            metadata_description=description,
            suffix=suffix,
            params=params,
            dependencies=None,  # type: ignore[arg-type]  # patterns bring their own resources
            service_short=short,
        )

    def _imports(self) -> ImportScenario:
        names = tuple(f.name for f in self.module.functions)
        return ImportScenario(
            folder="import",
            metadata_name="Import the exported functions",
            metadata_description="This instance imports the functions of the module and calls them.",
            imports=names,
            outputs=(("resourceName", "string", f"resourceName('{SAMPLE_RESOURCE_ID}')"),),
        )
