"""The model of a Bicep pattern or utility module's `main.bicep`: parameters, module calls, resources,
exported functions and outputs. Its e2e tests are `scenarios.CompositeScenarios`, its README
`readme.composite_readme`; `assemble.py` puts them together.

A pattern deploys published AVM resource modules, each pinned (`br/public:avm/res/...:<version>`), and passes
its own `enableTelemetry` to them (SFR4). A utility exports functions; it deploys something, and then has
telemetry, only when created with `--deploys` (SFR3).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.bicep.model import Output, Param
from generator.bicep.values import Expr
from generator.interfaces import DEPLOYMENT_SCRIPT, TELEMETRY_DESCRIPTION
from generator.naming import title_words
from generator.scope import CompositeScope
from generator.spec import ModuleSpec, UsedModule


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
        """What the README title shows in brackets: each segment of the module path in title case, without its
        dashes (`Azd/Monitoring`, `General/ResourceName`), as BRM's README script writes it."""
        return "/".join(title_words(part) for part in self.spec.module_name.split("/"))

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
