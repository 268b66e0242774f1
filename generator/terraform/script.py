"""The render model of a Terraform utility created with `--deploys`: it deploys a deployment script.

A utility may deploy nothing but deployment scripts (avm-spec section 1), so this is a resource module
over `Microsoft.Resources/deploymentScripts` in all but its names: the resource model's variables, AzAPI
controls, telemetry, example and unit test, plus the script's own input and output.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from generator.interfaces import DEPLOYMENT_SCRIPT
from generator.spec import ModuleSpec
from generator.terraform.examples import LOCATION, RESOURCE_GROUP, Example, unit_test_blocks
from generator.terraform.hcl import Attr, Block, obj, quote
from generator.terraform.model import Output, TerraformModel, TerraformModule, Variable, module_block, ordered_variables

SCRIPT_VARIABLE = "script_content"
SAMPLE_SCRIPT = "$DeploymentScriptOutputs = @{ greeting = 'Hello' }"


def script_spec(spec: ModuleSpec) -> ModuleSpec:
    """The utility's spec as a resource module over the deployment script (its names and description kept)."""
    provider, _, resource_type = DEPLOYMENT_SCRIPT["type"].partition("/")
    return replace(
        spec,
        provider_namespace=provider,
        resource_type=resource_type,
        api_version=DEPLOYMENT_SCRIPT["api_version"],
        display_name="Deployment Script",
        interfaces=("tags",),
        children=(),
        location=True,
    )


class ScriptRoot(TerraformModule):
    @cached_property
    def body(self) -> str:
        properties = obj(
            [
                ("azPowerShellVersion", quote(DEPLOYMENT_SCRIPT["az_powershell_version"])),
                ("cleanupPreference", quote("OnSuccess")),
                ("retentionInterval", quote(DEPLOYMENT_SCRIPT["retention_interval"])),
                ("scriptContent", f"var.{SCRIPT_VARIABLE}"),
            ]
        )
        return obj([("kind", quote(DEPLOYMENT_SCRIPT["kind"])), ("properties", properties)])

    def _controls(self, key: str) -> dict[str, str]:
        return {**super()._controls(key), "response_export_values": '["properties.outputs"]'}

    @cached_property
    def variables(self) -> list[Variable]:
        script = Variable(
            SCRIPT_VARIABLE,
            "string",
            "The PowerShell script to run. What it puts in `$DeploymentScriptOutputs` becomes the `script_outputs` "
            "output.",
            nullable=False,
        )
        return ordered_variables([*super().variables, script])

    @cached_property
    def outputs(self) -> list[Output]:
        script = Output(
            "script_outputs",
            "The outputs of the script: what it put in `$DeploymentScriptOutputs`.",
            "try(azapi_resource.this.output.properties.outputs, null)",
        )
        return sorted([*super().outputs, script], key=lambda o: o.name)


class ScriptExample(Example):
    @cached_property
    def module_call(self) -> Block:
        return module_block(
            self.module_label,
            "../../",
            source_comment=f'source = "{self.spec.names.terraform_registry}"',
            required={
                "location": LOCATION,
                "name": f'"{self.spec.names.service_short or "avm"}${{random_string.suffix.result}}"',
                "parent_id": f"{RESOURCE_GROUP}.id",
                SCRIPT_VARIABLE: quote(SAMPLE_SCRIPT),
            },
            optional={"enable_telemetry": "var.enable_telemetry", "tags": obj([("environment", '"example"')])},
        )


class TerraformScriptModel(TerraformModel):
    """The root of a utility that deploys a deployment script (no submodules)."""

    def __init__(self, spec: ModuleSpec) -> None:
        super().__init__(script_spec(spec))

    @cached_property
    def root(self) -> ScriptRoot:
        return ScriptRoot(self)

    @cached_property
    def submodules(self) -> dict[str, TerraformModule]:
        return {}


def script_examples(model: TerraformScriptModel) -> dict[str, Example]:
    return {"default": ScriptExample(model, "default")}


def script_unit_test_blocks(model: TerraformScriptModel) -> list[Block]:
    """The resource module's unit test, with the script among the file's variables."""
    return [
        Block(b.type, b.labels, (*b.items, Attr(SCRIPT_VARIABLE, quote(SAMPLE_SCRIPT))))
        if b.type == "variables" and not b.labels
        else b
        for b in unit_test_blocks(model)
    ]
