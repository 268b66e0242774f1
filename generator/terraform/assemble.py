"""The render model the Terraform template prints: the one place that puts a module's parts together.

The parts depend on each other one way only: the model of the module root and submodules (`model.py`,
or `composite.py` and `script.py` for patterns and utilities), the examples and unit test built from the
model (`examples.py`, and the same two modules), and the READMEs rendered from the files of each folder
(`readme.py`, the renderer of `avm docs`).
`render_model` picks the parts for the module's class; `TerraformRenderModel` answers the names the
templates use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

from generator.spec import ModuleSpec
from generator.terraform import composite, hcl
from generator.terraform.composite import TerraformCompositeModel, composite_examples
from generator.terraform.examples import Example, resource_examples, unit_test_blocks
from generator.terraform.hcl import Block
from generator.terraform.model import TerraformModel, TerraformModule
from generator.terraform.readme import folder_readme
from generator.terraform.script import TerraformScriptModel, script_examples, script_unit_test_blocks


class TerraformRenderModel:
    """Everything the Terraform template renders: the module root and submodules, the examples and the
    unit test, and the README of each."""

    def __init__(self, model: TerraformModel, examples: Mapping[str, Example], unit_test: Sequence[Block]) -> None:
        self.model = model
        self.spec = model.spec
        self.examples = dict(examples)
        self.unit_test_blocks = list(unit_test)

    # ---- the module
    @property
    def root(self) -> TerraformModule:
        return self.model.root

    @property
    def submodule_names(self) -> list[str]:
        return self.model.submodule_names

    def submodule(self, name: str) -> TerraformModule:
        return self.model.submodule(name)

    @property
    def footer(self) -> str:
        return self.model.footer

    @property
    def external_files(self) -> tuple[str, ...]:
        return self.model.external_files

    # ---- examples and unit test
    @property
    def example_names(self) -> list[str]:
        return list(self.examples)

    def example(self, name: str) -> Example:
        return self.examples[name]

    @cached_property
    def unit_test(self) -> str:
        """The text of `tests/unit/main.tftest.hcl`."""
        return hcl.file_text(self.unit_test_blocks)

    # ---- READMEs: rendered from the files the template writes beside them
    def _docs_files(self, tf_files: Mapping[str, Sequence[Block]], header: str) -> dict[str, str]:
        texts = {name: hcl.file_text(blocks) for name, blocks in tf_files.items()}
        return {**texts, "_header.md": f"{header}\n", "_footer.md": f"{self.footer}\n"}

    def readme(self, name: str | None = None) -> str:
        """The README of the module root, or of the submodule `name`."""
        module = self.model.module(name)
        files = self._docs_files(module.files, module.header)
        return folder_readme(files, "submodule" if name else "root", f"modules/{name}" if name else ".")

    def example_readme(self, name: str) -> str:
        example = self.examples[name]
        return folder_readme(self._docs_files(example.files, example.header), "example", f"examples/{name}")


def render_model(spec: ModuleSpec) -> TerraformRenderModel:
    """The render model of a Terraform module of any class."""
    if spec.module_class == "utility" and spec.deploys:
        script = TerraformScriptModel(spec)
        return TerraformRenderModel(script, script_examples(script), script_unit_test_blocks(script))
    if spec.module_class != "resource":
        model = TerraformCompositeModel(spec)
        return TerraformRenderModel(model, composite_examples(model), composite.unit_test_blocks(model.root))
    resource = TerraformModel(spec)
    return TerraformRenderModel(resource, resource_examples(resource), unit_test_blocks(resource))
