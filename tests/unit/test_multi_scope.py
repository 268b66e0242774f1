"""A Bicep module of a type writable at several scopes: an unpublished parent and one module folder per scope, as
bicep-registry-modules lays out `avm/res/authorization/role-assignment` (BCPRMNFR4). Contoso widgets (the tests'
own type definitions) deploy to a resource group or a subscription."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bicep.assemble import BicepMultiScopeModel, render_model
from generator.bicep.model import BicepModule
from generator.bicep.multi_scope import parent_description, scope_spec, scoped_description
from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.index import load_index
from generator.spec import ModuleSpec, SpecContext, build_spec
from generator.terraform.model import TerraformModel

FIXTURE = Path(__file__).parents[1] / "fixtures" / "azure_types" / "contoso.widgets-2025-01-01.types.json"
WIDGETS = {"provider_namespace": "Contoso.Widgets", "resource_type": "widgets", "api_version": "2025-01-01"}
# The parent description of bicep-registry-modules' role-assignment, as its main.bicep has it.
ROLE_ASSIGNMENT_PARENT = """This module's child-modules deploy a Role Assignment at a Management Group (mg-scope), \
Subscription (sub-scope) or Resource Group (rg-scope) scope.

> While this template is **not** published, you can find the actual published modules in the subfolders
> - `mg-scope`
> - `sub-scope`
> - `rg-scope`
"""


@pytest.fixture(autouse=True)
def widget_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.azure_types import sources

    target = tmp_path / "types" / "generated" / "contoso.widgets" / "contoso.widgets" / "2025-01-01" / "types.json"
    target.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, target)
    monkeypatch.setattr(sources, "_trees", {})
    monkeypatch.setenv(sources.CHECKOUT_VARIABLE, str(tmp_path / "types"))


def spec(language: str = "bicep", **raw: object) -> ModuleSpec:
    answers = {"module_class": "resource", "language": language, **WIDGETS, **raw}
    return build_spec(answers, SpecContext(catalog=Catalog.load(), index=load_index("none")))


def problems(language: str = "bicep", **raw: object) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        spec(language, **raw)
    return caught.value.lines()


def test_a_bicep_module_of_a_type_writable_at_several_scopes_has_a_folder_for_each() -> None:
    found = spec()
    assert (found.scopes, found.scope) == (("resourceGroup", "subscription"), "subscription")
    assert found.names.bicep_path == "avm/res/contosowidgets/widget"
    assert found.to_answers()["scope"] == "resourceGroup,subscription"
    assert ModuleSpec.from_answers(found.to_answers()) == found
    assert spec(scope="subscription, resourceGroup").scopes == found.scopes
    assert spec(scope=["resourceGroup", "subscription"]).scopes == found.scopes


def test_one_scope_asked_for_is_a_module_of_its_own() -> None:
    found = spec(scope="subscription")
    assert (found.scopes, found.scope, found.names.bicep_path) == ((), "subscription", "avm/res/contosowidgets/widget")
    assert found.to_answers()["scope"] == "subscription"
    assert BicepModule(found).target_scope == "subscription"


def test_a_terraform_module_deploys_at_one_scope() -> None:
    found = spec("terraform")
    assert (found.scopes, found.scope) == ((), "resourceGroup")
    terraform = TerraformModel(spec("terraform", scope="subscription")).root
    assert 'parse_resource_id("Microsoft.Resources/subscriptions", var.parent_id)' in terraform.tf_file("variables.tf")
    assert problems("terraform", scope="resourceGroup,subscription") == [
        "scope: a Terraform module deploys at one scope, which its parent_id names; give one"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"scope": "tenant"}, "scope: Contoso.Widgets/widgets cannot be deployed at tenant scope"),
        ({"scope": "resourceGroup,galaxy"}, "scope: 'galaxy' is not a deployment scope"),
        ({"children": ["gadgets"]}, "children: a module of Contoso.Widgets/widgets at several scopes"),
    ],
)
def test_what_a_multi_scope_module_cannot_be_is_refused_naming_the_field(raw: dict, expected: str) -> None:
    assert problems(**raw)[0].startswith(expected)


def test_each_scope_folder_is_named_as_the_module_index_names_role_assignments() -> None:
    parent = replace(
        spec(),
        display_name="Role Assignment",
        description="This module deploys a Role Assignment.",
        scopes=("resourceGroup", "subscription", "managementGroup"),
        scope="managementGroup",
    )
    parent = replace(
        parent,
        names=replace(
            parent.names,
            bicep_path="avm/res/authorization/role-assignment",
            telemetry_id_prefix="46d3xbcp.res.authz-roleassignment",
            service_short="ara",
        ),
    )
    assert parent_description(parent) == ROLE_ASSIGNMENT_PARENT
    in_group = scope_spec(parent, "resourceGroup")
    assert in_group.names.bicep_path == "avm/res/authorization/role-assignment/rg-scope"
    assert in_group.names.telemetry_id_prefix == "46d3xbcp.res.authz-roleassignment_rgscope"
    assert in_group.names.service_short == "ararg"
    assert in_group.description == "This module deploys a Role Assignment at a Resource Group scope."
    assert BicepModule(in_group).metadata_name == "Role Assignments (Resource Group scope)"
    in_group_model = render_model(in_group)
    assert render_model(parent).scope_folders == ["rg-scope", "sub-scope", "mg-scope"]
    assert in_group_model.tests.module_path == "../../../rg-scope/main.bicep"
    assert scope_spec(parent, "managementGroup").names.service_short == "aramg"


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("This module deploys a Widget.", "This module deploys a Widget at a Subscription scope."),
        (
            "This module deploys a Widget. It also assigns roles.",
            "This module deploys a Widget at a Subscription scope. It also assigns roles.",
        ),
        ("Widgets for everyone.", "Widgets for everyone."),
    ],
)
def test_a_scope_joins_the_first_sentence_of_a_description_in_the_avm_form(description: str, expected: str) -> None:
    assert scoped_description(description, "subscription") == expected


def test_the_parent_holds_every_scope_s_tests_and_renders_no_module_of_its_own() -> None:
    model = render_model(spec(interfaces="lock,private-endpoints"))
    assert isinstance(model, BicepMultiScopeModel)
    assert model.scenario_folders == [
        "rg-scope.defaults",
        "rg-scope.waf-aligned",
        "rg-scope.max",
        "sub-scope.defaults",
        "sub-scope.waf-aligned",
        "sub-scope.max",
    ]
    assert model.tests_of("sub-scope.max").module_path == "../../../sub-scope/main.bicep"
    assert model.scenario("sub-scope.max").metadata_name == "Using large parameter set (Subscription scope)"
    # private endpoints need a resource group: only the resource group's module has them
    assert model.module("rg-scope").has("private-endpoints")
    assert not model.module("sub-scope").has("private-endpoints")
    readme = model.readme()
    assert (readme.name, readme.resource_types, readme.outputs) == ("Widgets (Multi-Scope)", (), ())
    assert not list(readme.parameters.entries())
    assert readme.usage is not None and readme.usage.scoped_modules == ("rg-scope", "sub-scope")
