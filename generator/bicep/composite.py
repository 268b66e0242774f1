"""The render model of a Bicep pattern or utility module: `main.bicep`, its e2e tests and its README.

A pattern deploys published AVM resource modules, each pinned (`br/public:avm/res/...:<version>`), and passes
its own `enableTelemetry` to them (SFR4). A utility exports functions; it deploys something, and then has
telemetry, only when created with `--deploys` (SFR3).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.bicep import readme as readme_mod
from generator.bicep.model import Output, Param
from generator.bicep.scenarios import DEFAULTS_TEXT, WAF_TEXT, Scenario
from generator.bicep.values import Expr
from generator.interfaces import DEPLOYMENT_SCRIPT, E2E_API_VERSIONS, TELEMETRY_DESCRIPTION
from generator.scope import CompositeScope
from generator.spec import ModuleSpec, UsedModule

SAMPLE_RESOURCE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-example"
    "/providers/Microsoft.KeyVault/vaults/kv-example"
)
DEPLOY_PARTIAL = "_partials/main.test.bicep.jinja"
IMPORT_PARTIAL = "_partials/import.test.bicep.jinja"


@dataclass(frozen=True)
class ModuleCall:
    """One published module the pattern deploys."""

    symbol: str
    reference: str
    deployment_name: str
    params: dict[str, Expr]


@dataclass(frozen=True)
class ResourceDeclaration:
    symbol: str
    type_ref: str
    body: dict[str, Any]


@dataclass(frozen=True)
class ExportedFunction:
    name: str
    description: str
    signature: str
    body: str


@dataclass(frozen=True)
class ImportScenario:
    """A utility test that imports the module's exported functions and calls them."""

    folder: str
    metadata_name: str
    metadata_description: str
    imports: tuple[str, ...]
    outputs: tuple[tuple[str, str, str], ...]  # name, type, expression
    partial: str = IMPORT_PARTIAL


def descriptor(symbol: str) -> str:
    return symbol[:1].upper() + symbol[1:]


class CompositeModule(CompositeScope):
    """The `main.bicep` of a pattern or utility module."""

    composite = True
    child = None

    def __init__(self, spec: ModuleSpec) -> None:
        self.spec = spec

    @property
    def metadata_name(self) -> str:
        return self.spec.display_name

    @property
    def metadata_description(self) -> str:
        return self.spec.description

    @property
    def telemetry_prefix(self) -> str:
        return self.spec.names.telemetry_id_prefix

    @property
    def telemetry_seed(self) -> str:
        return "deployment().name, location"

    @property
    def title_type(self) -> str:
        """What the README title shows in brackets: the module path in title case (`Azd/Monitoring`)."""
        return self.spec.module_name.title()

    @property
    def script(self) -> bool:
        """A utility that deploys something deploys a deployment script."""
        return not self.pattern and self.spec.deploys

    @cached_property
    def params(self) -> list[Param]:
        params = [
            Param(f"{u.symbol}Name", "string", f"Required. The name of the {u.display_name}.") for u in self.spec.uses
        ]
        if self.script:
            params += [
                Param("name", "string", "Required. Name of the deployment script."),
                Param(
                    "scriptContent",
                    "string",
                    "Required. The PowerShell script to run. What it puts in `$DeploymentScriptOutputs` becomes the "
                    "module's `outputs`.",
                ),
            ]
        if self.location:
            params.append(
                Param("location", "string", "Optional. Location for all resources.", "resourceGroup().location")
            )
        if self.spec.uses or self.script:
            params.append(Param("tags", "object?", "Optional. Tags of all resources."))
        if self.telemetry:
            params.append(Param("enableTelemetry", "bool", TELEMETRY_DESCRIPTION, "true"))
        return params

    @cached_property
    def calls(self) -> list[ModuleCall]:
        return [self._call(u) for u in self.spec.uses]

    def _call(self, used: UsedModule) -> ModuleCall:
        params = {"name": Expr(f"{used.symbol}Name")}
        if used.location:
            params["location"] = Expr("location")
        params["tags"] = Expr("tags")
        params["enableTelemetry"] = Expr("enableTelemetry")
        return ModuleCall(
            symbol=used.symbol,
            reference=f"{used.source}:{used.version}",
            deployment_name=f"'${{uniqueString(deployment().name, location)}}-{descriptor(used.symbol)}'",
            params=params,
        )

    @cached_property
    def resources(self) -> list[ResourceDeclaration]:
        if not self.script:
            return []
        script = DEPLOYMENT_SCRIPT
        return [
            ResourceDeclaration(
                symbol="deploymentScript",
                type_ref=f"{script['type']}@{script['api_version']}",
                body={
                    "name": Expr("name"),
                    "location": Expr("location"),
                    "tags": Expr("tags"),
                    "kind": script["kind"],
                    "properties": {
                        "azPowerShellVersion": script["az_powershell_version"],
                        "retentionInterval": script["retention_interval"],
                        "cleanupPreference": "OnSuccess",
                        "scriptContent": Expr("scriptContent"),
                    },
                },
            )
        ]

    @cached_property
    def functions(self) -> list[ExportedFunction]:
        if self.pattern or self.script:
            return []
        return [
            ExportedFunction(
                name="resourceName",
                description="Returns the name of a resource: the last segment of its resource ID.",
                signature="(resourceId string) string",
                body="last(split(resourceId, '/'))",
            )
        ]

    @cached_property
    def outputs(self) -> list[Output]:
        outputs = [
            Output(
                f"{u.symbol}ResourceId",
                "string",
                f"{u.symbol}.outputs.resourceId",
                f"The resource ID of the {u.display_name}.",
            )
            for u in self.spec.uses
        ]
        if self.script:
            outputs += [
                Output("name", "string", "deploymentScript.name", "The name of the deployment script."),
                Output("resourceId", "string", "deploymentScript.id", "The resource ID of the deployment script."),
                Output(
                    "outputs",
                    "object",
                    "deploymentScript.properties.outputs",
                    "The outputs of the script: what it put in `$DeploymentScriptOutputs`.",
                ),
            ]
        if self.spec.uses or self.script:
            outputs.append(
                Output(
                    "resourceGroupName",
                    "string",
                    "resourceGroup().name",
                    "The name of the resource group the module was deployed into.",
                )
            )
        return outputs

    @property
    def cross_references(self) -> list[str]:
        return [f"{u.source}:{u.version}" for u in self.spec.uses]


class BicepCompositeModel:
    """Everything the Bicep template renders for a pattern or utility module."""

    composite = True

    def __init__(self, spec: ModuleSpec) -> None:
        self.spec = spec
        self.root = CompositeModule(spec)

    @property
    def resource_group_stem(self) -> str:
        return self.spec.module_name.replace("/", ".")

    @property
    def tests(self) -> BicepCompositeModel:
        return self

    @cached_property
    def scenarios(self) -> list[Any]:
        if self.spec.module_class == "pattern":
            return [
                self._deployment("defaults", "min", *DEFAULTS_TEXT),
                self._deployment("waf-aligned", "waf", *WAF_TEXT),
            ]
        if self.spec.deploys:
            return [self._deployment("defaults", "min", *DEFAULTS_TEXT)]
        return [self._imports()]

    def _deployment(self, folder: str, suffix: str, name: str, description: str) -> Scenario:
        short = f"{self.spec.names.service_short}{suffix}"
        params: dict[str, Any] = {}
        if self.root.script:
            params["name"] = Expr("'${namePrefix}${serviceShort}001'", shown=f"{short}001")
            params["scriptContent"] = "$DeploymentScriptOutputs = @{ greeting = 'Hello' }"
        for index, used in enumerate(self.spec.uses, start=1):
            params[f"{used.symbol}Name"] = Expr(
                f"'${{namePrefix}}${{serviceShort}}{index:03d}'", shown=f"{short}{index:03d}"
            )
        if self.root.location:
            params["location"] = Expr("resourceLocation", shown="<location>")
        return Scenario(
            folder=folder,
            metadata_name=name,
            metadata_description=description,
            suffix=suffix,
            params=params,
            dependencies=None,  # type: ignore[arg-type]  # patterns bring their own resources
            service_short=short,
        )

    def _imports(self) -> ImportScenario:
        names = tuple(f.name for f in self.root.functions)
        return ImportScenario(
            folder="import",
            metadata_name="Import the exported functions",
            metadata_description="This instance imports the functions of the module and calls them.",
            imports=names,
            outputs=(("resourceName", "string", f"resourceName('{SAMPLE_RESOURCE_ID}')"),),
        )

    @property
    def scenario_folders(self) -> list[str]:
        return [s.folder for s in self.scenarios]

    @property
    def dependency_folders(self) -> list[str]:
        return []

    @property
    def all(self) -> list[Any]:
        return [s for s in self.scenarios if isinstance(s, Scenario)]

    def scenario(self, folder: str) -> Any:
        return next(s for s in self.scenarios if s.folder == folder)

    @property
    def e2e_api(self) -> dict[str, str]:
        return E2E_API_VERSIONS

    def readme(self, folder: str | None = None) -> readme_mod.Readme:
        module = self.root
        return readme_mod.Readme(
            name=module.metadata_name,
            resource_type=module.title_type,
            description=module.metadata_description,
            reference=readme_mod.ModuleReference(readme_mod.module_symbol(module), readme_mod.registry_ref(module)),
            resource_types=(),
            usage=readme_mod.usage(module, self) if self.all else None,
            parameters=readme_mod.parameter_section([readme_mod.plain_field(p) for p in module.params], ""),
            outputs=tuple(
                sorted(
                    (readme_mod.OutputRow(o.name, o.type, o.description) for o in module.outputs),
                    key=lambda r: readme_mod.culture_key(r.name),
                )
            ),
            cross_references=tuple(
                readme_mod.CrossReference(r, "Remote reference")
                for r in sorted(module.cross_references, key=readme_mod.culture_key)
            ),
            data_collection=module.telemetry,
        )
