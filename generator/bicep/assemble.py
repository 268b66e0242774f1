"""The render model the Bicep template prints: the one place that puts a module's parts together.

The parts depend on each other one way only: the model of the module (`model.py`, `composite.py`), the
e2e scenarios built from the model (`scenarios.py`), and the README built from both (`readme.py`).
`BicepModel` and `BicepCompositeModel` hold one of each and answer the names the templates use.
"""

from __future__ import annotations

from functools import cached_property

from generator.bicep.composite import CompositeModule
from generator.bicep.examples import collation_key
from generator.bicep.model import BicepModule
from generator.bicep.multi_scope import parent_description, parent_name, scope_spec
from generator.bicep.readme import Readme, build_readme, composite_readme, multi_scope_readme
from generator.bicep.readme_text import render_readme
from generator.bicep.scenarios import CompositeScenarios, ImportScenario, Scenario, Scenarios
from generator.interfaces import E2E_API_VERSIONS
from generator.scopes import SCOPE_FOLDERS
from generator.spec import ModuleSpec


class BicepModel:
    """Everything the Bicep template renders for a resource module: the module and each child module,
    its e2e tests and the READMEs."""

    composite = False
    multi_scope = False

    def __init__(self, spec: ModuleSpec) -> None:
        self.spec = spec

    @cached_property
    def root(self) -> BicepModule:
        return BicepModule(self.spec)

    @cached_property
    def modules(self) -> dict[str, BicepModule]:
        """Child modules keyed by their folder."""
        return {c.folder: BicepModule(self.spec, c) for c in self.spec.children}

    def module(self, folder: str | None) -> BicepModule:
        return self.modules[folder] if folder else self.root

    @cached_property
    def tests(self) -> Scenarios:
        return Scenarios(self.root)

    @property
    def scenario_folders(self) -> list[str]:
        return [s.folder for s in self.tests.scenarios]

    @property
    def dependency_folders(self) -> list[str]:
        return [s.folder for s in self.tests.scenarios if s.dependencies]

    @property
    def nested_folders(self) -> list[str]:
        """`modules`, when the module deploys interfaces through a nested module (`BicepModule.nested_interfaces`)."""
        return ["modules"] if self.root.nested_interfaces else []

    def scenario(self, folder: str) -> Scenario | ImportScenario:
        return next(s for s in self.tests.scenarios if s.folder == folder)

    def tests_of(self, folder: str) -> Scenarios | CompositeScenarios:
        """The tests the e2e test in `folder` is one of."""
        return self.tests

    @property
    def scope_folders(self) -> list[str]:
        return []

    def readme(self, folder: str | None = None) -> Readme:
        """The README of the module (or of the child module in `folder`); only the top-level one shows examples."""
        module = self.module(folder)
        return build_readme(module, None if module.is_child else self.tests)

    def readme_text(self, folder: str | None = None) -> str:
        """The README.md text, from the one renderer `avm docs` uses too."""
        return render_readme(self.readme(folder))

    @property
    def e2e_api(self) -> dict[str, str]:
        return E2E_API_VERSIONS


class BicepCompositeModel(BicepModel):
    """Everything the Bicep template renders for a pattern or utility module (no child modules)."""

    composite = True

    @cached_property
    def root(self) -> CompositeModule:  # type: ignore[override]
        return CompositeModule(self.spec)

    @cached_property
    def modules(self) -> dict[str, BicepModule]:
        return {}

    @cached_property
    def tests(self) -> CompositeScenarios:  # type: ignore[override]
        return CompositeScenarios(self.root)

    @property
    def dependency_folders(self) -> list[str]:
        return []  # patterns bring their own resources

    @property
    def nested_folders(self) -> list[str]:
        return []

    def readme(self, folder: str | None = None) -> Readme:
        return composite_readme(self.root, self.tests)


class BicepMultiScopeModel(BicepModel):
    """Everything the Bicep template renders for a resource module at several scopes (`multi_scope.py`): the
    unpublished parent, and a module of its own in each scope folder, whose tests the parent holds."""

    multi_scope = True

    @cached_property
    def scopes(self) -> dict[str, BicepModel]:
        """The model of each scope folder, by folder (`rg-scope`)."""
        return {SCOPE_FOLDERS[s]: BicepModel(scope_spec(self.spec, s)) for s in self.spec.scopes}

    @property
    def scope_folders(self) -> list[str]:
        return list(self.scopes)

    @property
    def metadata_name(self) -> str:
        return parent_name(self.spec)

    @property
    def metadata_description(self) -> str:
        return parent_description(self.spec)

    @cached_property
    def modules(self) -> dict[str, BicepModule]:
        return {folder: model.root for folder, model in self.scopes.items()}

    def _scope_of(self, folder: str) -> BicepModel:
        """The scope folder's model, for a scope folder or a test folder (`rg-scope.defaults`)."""
        return self.scopes[folder.split(".", 1)[0]]

    @property
    def scenario_folders(self) -> list[str]:
        return [folder for model in self.scopes.values() for folder in model.scenario_folders]

    @property
    def dependency_folders(self) -> list[str]:
        return [folder for model in self.scopes.values() for folder in model.dependency_folders]

    @property
    def nested_folders(self) -> list[str]:
        return []  # only a resource group's module deploys interfaces through a nested module, at one scope

    def scenario(self, folder: str) -> Scenario | ImportScenario:
        return self._scope_of(folder).scenario(folder)

    def tests_of(self, folder: str) -> Scenarios | CompositeScenarios:
        return self._scope_of(folder).tests

    def readme(self, folder: str | None = None) -> Readme:
        """The parent's README points to the scope folders' READMEs, which show the examples of their tests."""
        if folder:
            return self._scope_of(folder).readme()
        return multi_scope_readme(self.spec, sorted(self.scope_folders, key=collation_key))


def render_model(spec: ModuleSpec) -> BicepModel:
    """The render model of a Bicep module of any class."""
    if spec.module_class != "resource":
        return BicepCompositeModel(spec)
    return BicepMultiScopeModel(spec) if spec.scopes else BicepModel(spec)
