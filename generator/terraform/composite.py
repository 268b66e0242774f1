"""The model of a Terraform pattern or utility module, its example and unit test: what the shared
Terraform template prints for a module that composes published AVM resource modules (pattern) or
computes values (utility).

A pattern calls each module of `spec.uses` (pinned exactly) in the resource group `parent_id` names,
passes `enable_telemetry` and `tags` through, and reports its own usage through `main.telemetry.tf`.
A utility is a small working function module, `resource_id` in and `resource_name` out, with no
provider and no telemetry; one that deploys something (`--deploys`) is `generator.terraform.script`'s.

The classes extend the resource-module model (`TerraformModel`, `TerraformModule`, `Example`) and
replace only what differs, so headers, READMEs, file naming, pins and footers stay shared; `assemble.py`
puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from generator import naming
from generator.scope import CompositeScope
from generator.spec import UsedModule
from generator.terraform import hcl
from generator.terraform.examples import LOCATION, RESOURCE_GROUP, Example
from generator.terraform.hcl import Attr, Block, quote, with_blanks
from generator.terraform.model import (
    RESOURCE_GROUP_TYPE,
    Output,
    TerraformModel,
    TerraformModule,
    Variable,
    module_block,
    ordered_variables,
    telemetry_variable,
    terraform_block,
)

PARSE_PARENT_ID = f'provider::azapi::parse_resource_id("{RESOURCE_GROUP_TYPE}", var.parent_id)'
SUBSCRIPTION_ID = "/subscriptions/00000000-0000-0000-0000-000000000000"
UNIT_RESOURCE_GROUP = f"{SUBSCRIPTION_ID}/resourceGroups/rg-unit-test"
EXAMPLE_RESOURCE_ID = f"{SUBSCRIPTION_ID}/resourceGroups/rg-example/providers/Microsoft.KeyVault/vaults/kv-example"
UNIT_RESOURCE_ID = f"{UNIT_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/kv-unit"
REGION = "module.regions.regions[random_integer.region_index.result].name"
# The blocks of the standard example that pick a random region, without the resource group and names.
REGION_BLOCKS = {
    ("terraform", ()),
    ("provider", ("azapi",)),
    ("module", ("regions",)),
    ("resource", ("random_integer", "region_index")),
}
UNIT_PROVIDERS = ("azapi", "modtm", "random")


# ---------------------------------------------------------------------------------------------------------------------
# Used modules
# ---------------------------------------------------------------------------------------------------------------------


def used_label(used: UsedModule) -> str:
    """The label of the module call of a used module: `keyVault` -> `key_vault`."""
    return naming.snake(used.symbol)


def name_variable(used: UsedModule) -> str:
    return f"{used_label(used)}_name"


def used_call(used: UsedModule) -> Block:
    """`module "<label>"`: source, version, then the required and the optional inputs, each alphabetical."""
    required = {"name": f"var.{name_variable(used)}"}
    if used.location:
        required["location"] = "var.location"
    if used.legacy:
        required["resource_group_name"] = "local.resource_group_name"
    else:
        required["parent_id"] = "var.parent_id"
    return module_block(
        used_label(used),
        used.source,
        version=used.version,
        required=required,
        optional={"enable_telemetry": "var.enable_telemetry", "tags": "var.tags"},
    )


def example_prefixes(uses: Sequence[UsedModule]) -> dict[str, str]:
    """A short lower-case name prefix per used module (its initials), unique within the pattern."""
    prefixes: dict[str, str] = {}
    for used in uses:
        initials = "".join(word[0] for word in used_label(used).split("_") if word) or "m"
        prefix, number = initials, 1
        while prefix in prefixes.values():
            number += 1
            prefix = f"{initials}{number}"
        prefixes[used_label(used)] = prefix
    return prefixes


def version_block(required_version: str) -> Block:
    """A `terraform {}` block without providers: a module that declares no resources."""
    return Block("terraform", (), (Attr("required_version", quote(required_version)),))


# ---------------------------------------------------------------------------------------------------------------------
# The module root
# ---------------------------------------------------------------------------------------------------------------------


class CompositeRoot(CompositeScope, TerraformModule):
    """The root of a pattern or utility module; header, README and file naming are the resource root's."""

    @cached_property
    def legacy(self) -> bool:
        """Some used module is scoped by `resource_group_name` (an AzureRM-era module)."""
        return any(u.legacy for u in self.spec.uses)

    # ---- variables and outputs
    @cached_property
    def variables(self) -> list[Variable]:
        variables = self._pattern_variables() if self.pattern else self._utility_variables()
        if self.location:
            variables.append(
                Variable("location", "string", "The Azure region where the resources are deployed.", nullable=False)
            )
        if self.telemetry:
            variables.append(telemetry_variable(self.facts.enable_telemetry_description))
        return ordered_variables(variables)

    def _pattern_variables(self) -> list[Variable]:
        if not self.spec.uses:
            return []
        variables = [
            Variable(
                "parent_id",
                "string",
                "The resource ID of the resource group in which to create the resources, e.g. "
                f"`{SUBSCRIPTION_ID}/resourceGroups/example`.",
                nullable=False,
                validations=(
                    (
                        f"can({PARSE_PARENT_ID})",
                        f"The parent_id must be the resource ID of a {RESOURCE_GROUP_TYPE} resource.",
                    ),
                ),
            ),
            Variable("tags", "map(string)", "(Optional) Tags of the resources.", default="null"),
        ]
        variables += [
            Variable(name_variable(u), "string", f"The name of the {u.display_name}.", nullable=False)
            for u in self.spec.uses
        ]
        return variables

    @staticmethod
    def _utility_variables() -> list[Variable]:
        return [Variable("resource_id", "string", "The resource ID to read the name from.", nullable=False)]

    @cached_property
    def outputs(self) -> list[Output]:
        if not self.pattern:
            return [
                Output(
                    "resource_name",
                    "The name of the resource: the last segment of its resource ID.",
                    "basename(var.resource_id)",
                )
            ]
        outputs = [
            Output(
                f"{used_label(u)}_resource_id",
                f"The resource ID of the {u.display_name}.",
                f"module.{used_label(u)}.resource_id",
            )
            for u in self.spec.uses
        ]
        return sorted(outputs, key=lambda o: o.name)

    # ---- blocks and files
    @cached_property
    def module_calls(self) -> list[Block]:
        return [used_call(u) for u in self.spec.uses]

    @cached_property
    def locals(self) -> dict[str, tuple[str, str]]:
        if not self.legacy:
            return {}
        return {
            "resource_group_name": (
                "The name of the resource group of `parent_id`, for the modules scoped by `resource_group_name`.",
                f"{PARSE_PARENT_ID}.name",
            )
        }

    @cached_property
    def terraform(self) -> Block:
        if not self.telemetry:
            return version_block(self.facts.required_version)
        return terraform_block(self.facts.required_version, self.facts.providers)

    @cached_property
    def files(self) -> dict[str, list[Block]]:
        """Every `.tf` file of the root: the four standard ones always (an empty `main.tf` and `outputs.tf`
        included), `main.telemetry.tf` and `locals.tf` only when they hold blocks."""
        optional = {
            "main.telemetry.tf": list(self.telemetry_blocks),
            "locals.tf": [self.locals_block] if self.locals_block is not None else [],
        }
        return {
            "terraform.tf": [self.terraform],
            "main.tf": list(self.module_calls),
            **{name: blocks for name, blocks in optional.items() if blocks},
            "variables.tf": [v.block for v in self.variables],
            "outputs.tf": [o.block for o in self.outputs],
        }


# ---------------------------------------------------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------------------------------------------------


class CompositeExample(Example):
    """`examples/default`: the resource module's example layout, calling the composite as `module "test"`."""

    @property
    def root(self) -> CompositeRoot:
        return self.model.root  # type: ignore[return-value]

    @cached_property
    def dependencies(self) -> list[Block]:
        return []

    @cached_property
    def variables(self) -> list[Variable]:
        return super().variables if self.root.telemetry else []

    @cached_property
    def inputs(self) -> dict[str, str]:
        """The required inputs of the module call."""
        if not self.root.pattern:
            return {"resource_id": quote(EXAMPLE_RESOURCE_ID)}  # a deploying utility is script.py's
        if not self.spec.uses:
            return {"location": REGION}
        inputs = {"location": LOCATION, "parent_id": f"{RESOURCE_GROUP}.id"}
        for label, prefix in example_prefixes(self.spec.uses).items():
            inputs[f"{label}_name"] = f'"{prefix}${{random_string.suffix.result}}"'
        return inputs

    @cached_property
    def module_call(self) -> Block:
        optional = {"enable_telemetry": "var.enable_telemetry"} if self.root.telemetry else {}
        return module_block(
            "test",
            "../../",
            source_comment=f'source = "{self.spec.names.terraform_registry}"',
            required=self.inputs,
            optional=optional,
        )

    @cached_property
    def blocks(self) -> list[Block]:
        if not self.root.telemetry:
            return [version_block(self.facts.required_version), self.module_call]
        standard = super().blocks
        if self.spec.uses:
            return standard
        return [b for b in standard if (b.type, b.labels) in REGION_BLOCKS] + [self.module_call]


# ---------------------------------------------------------------------------------------------------------------------
# The unit test
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One `run` block of a `.tftest.hcl` file."""

    name: str
    command: str
    inputs: tuple[Attr, ...] = ()
    asserts: tuple[tuple[str, str], ...] = ()
    expect_failures: str = ""

    @property
    def block(self) -> Block:
        groups: list[list[hcl.Item]] = [[Attr("command", self.command)]]
        if self.inputs:
            groups.append([Block("variables", (), self.inputs)])
        groups.append(
            [Block("assert", (), (Attr("condition", c), Attr("error_message", quote(m)))) for c, m in self.asserts]
        )
        if self.expect_failures:
            groups.append([Attr("expect_failures", f"[{self.expect_failures}]")])
        return Block("run", (self.name,), with_blanks(*groups))


def unit_test_variables(root: CompositeRoot) -> list[Attr]:
    values = {"resource_id": quote(UNIT_RESOURCE_ID)} if not root.pattern else {}
    if root.location:
        values["location"] = quote("eastus")
    if root.pattern and root.spec.uses:
        values["parent_id"] = quote(UNIT_RESOURCE_GROUP)
        values.update(
            {f"{label}_name": quote(f"{prefix}unit01") for label, prefix in example_prefixes(root.spec.uses).items()}
        )
    return [Attr(k, v) for k, v in sorted(values.items())]


def unit_test_runs(root: CompositeRoot) -> list[Run]:
    runs: list[Run] = []
    if root.telemetry:
        runs += [
            Run(
                "telemetry_enabled",
                "apply",
                (Attr("enable_telemetry", "true"),),
                (("length(modtm_telemetry.telemetry) == 1", "Telemetry must be sent when enable_telemetry is true."),),
            ),
            Run(
                "telemetry_disabled",
                "apply",
                (Attr("enable_telemetry", "false"),),
                (
                    (
                        "length(modtm_telemetry.telemetry) == 0",
                        "No telemetry may be sent when enable_telemetry is false.",
                    ),
                ),
            ),
        ]
    if root.pattern and root.spec.uses:
        runs.append(
            Run(
                "invalid_parent_id",
                "plan",
                (Attr("parent_id", quote(SUBSCRIPTION_ID)),),
                expect_failures="var.parent_id",
            )
        )
    if not root.pattern:
        runs.append(
            Run(
                "resource_name",
                "plan",
                asserts=(
                    ('output.resource_name == "kv-unit"', "The name must be the last segment of the resource ID."),
                ),
            )
        )
    return runs


def unit_test_blocks(root: CompositeRoot) -> list[Block]:
    """`tests/unit/main.tftest.hcl`: mocked providers (only when the module declares any), the required
    inputs, and assertions on the telemetry switch, the `parent_id` validation or the utility's result."""
    providers = list(UNIT_PROVIDERS) if root.telemetry else []
    if root.legacy:
        providers.append("azurerm")  # the AzureRM-era modules the pattern calls
    blocks = [Block("mock_provider", (p,)) for p in sorted(providers)]
    blocks.append(Block("variables", (), tuple(unit_test_variables(root))))
    return blocks + [run.block for run in unit_test_runs(root)]


# ---------------------------------------------------------------------------------------------------------------------
# The whole module
# ---------------------------------------------------------------------------------------------------------------------


class TerraformCompositeModel(TerraformModel):
    """The root of a pattern or utility module (no submodules)."""

    @cached_property
    def root(self) -> CompositeRoot:  # type: ignore[override]
        return CompositeRoot(self)

    @cached_property
    def submodules(self) -> dict[str, TerraformModule]:
        return {}


def composite_examples(model: TerraformCompositeModel) -> dict[str, Example]:
    return {"default": CompositeExample(model, "default")}
