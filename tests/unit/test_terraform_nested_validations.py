"""Validations at every depth of a Terraform variable, and the schema's descriptions of nested attributes (issue 13).

Every scalar and every list of a variable is validated where it is (an object's attribute, a list's item, a map's
value, any combination), each rule once, its message naming the path as the caller writes it (`[*]` for every item
or value); a null passes and an `any` value is not looked into. Checked on a small schema of the tests' own, on
catalog types with limits deep inside lists and maps, and with Terraform itself where it is on PATH: a plan over a
module of every catalog type given the values its examples and unit test pass, and one given wrong nested values,
which must fail with exactly the expected messages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from generator.azure_types.schema import ResourceSchema, TypeGraph
from generator.terraform.examples import resource_examples, unit_test_blocks
from generator.terraform.hcl import file_text, quote
from generator.terraform.model import TerraformModel, TerraformModule, child_variable, property_variable, submodule_name
from generator.terraform.properties import PropertyVariable, property_variables
from tests.support.hcl_conditions import EvalError, evaluate
from tests.unit.test_bicep_schema_params import TYPES
from tests.unit.test_terraform_properties import known, model_of, unquote

WIDGET = "Contoso.Widgets/widgets@2026-01-01"


def ref(number: int) -> dict[str, str]:
    return {"$ref": f"#/{number}"}


# A widget whose properties hold limits inside lists, maps, lists of lists and a type that contains itself.
WIDGET_NODES: list[dict[str, Any]] = [
    {"$type": "StringType"},
    {"$type": "StringLiteralType", "value": "Allow"},
    {"$type": "StringLiteralType", "value": "Deny"},
    {"$type": "UnionType", "elements": [ref(1), ref(2)]},
    {"$type": "IntegerType", "minValue": 1, "maxValue": 10},
    {"$type": "StringType", "maxLength": 5},
    {"$type": "ArrayType", "itemType": ref(5), "maxLength": 3},
    {"$type": "ArrayType", "itemType": ref(6)},
    {
        "$type": "ObjectType",
        "name": "Rule",
        "properties": {
            "action": {"type": ref(3), "flags": 0, "description": "  what the rule does\n  with a request "},
            "port": {"type": ref(4), "flags": 1},
            "labels": {"type": ref(6), "flags": 0, "description": 'Labels such as `${name}`, "quoted" or \\ text'},
            "matrix": {"type": ref(7), "flags": 0},
            "tree": {"type": ref(9), "flags": 0},
        },
    },
    {
        "$type": "ObjectType",
        "name": "Node",
        "properties": {"name": {"type": ref(5), "flags": 0}, "children": {"type": ref(10), "flags": 0}},
    },
    {"$type": "ArrayType", "itemType": ref(9)},
    {"$type": "ArrayType", "itemType": ref(8), "minLength": 1},
    {"$type": "ObjectType", "name": "RuleMap", "additionalProperties": ref(8)},
    {
        "$type": "ObjectType",
        "name": "Properties",
        "properties": {
            "rules": {"type": ref(11), "flags": 0},
            "ruleMap": {"type": ref(12), "flags": 0},
            "mode": {"type": ref(3), "flags": 0, "description": "How it runs"},
        },
    },
    {
        "$type": "ObjectType",
        "name": "Contoso.Widgets/widgets",
        "properties": {"name": {"type": ref(0), "flags": 9}, "properties": {"type": ref(13), "flags": 0}},
    },
    {"$type": "ResourceType", "name": WIDGET, "body": ref(14), "writableScopes": 8},
]


def widget_schema() -> ResourceSchema:
    return TypeGraph.from_nodes(WIDGET_NODES).resource(WIDGET)


def widget_variables() -> dict[str, PropertyVariable]:
    return {p.name: p for p in property_variables(widget_schema(), (), set(), "widget")}


def failing(variable: PropertyVariable, value: Any) -> list[str]:
    """The messages of the variable's validations that `value` fails (an error in a condition fails the test)."""
    found = []
    for condition, message in variable.validations:
        try:
            result = evaluate(condition, {variable.name: value})
        except EvalError as error:
            raise AssertionError(f"{variable.name} = {value!r}: {condition}: {error}") from error
        if result is not True:
            found.append(message)
    return found


# ---------------------------------------------------------------------------------------------------------------------
# The evaluator
# ---------------------------------------------------------------------------------------------------------------------


def test_the_evaluator_reads_maps_and_nested_for_expressions_as_terraform_does() -> None:
    assert evaluate("values(var.m)", {"m": {"b": 1, "a": 2}}) == [2, 1]  # in the order of the keys
    assert evaluate("[for v in var.m : v]", {"m": {"b": 1, "a": 2}}) == [2, 1]  # a map's values
    with pytest.raises(EvalError):
        evaluate("values(var.m)", {"m": None})
    with pytest.raises(EvalError):
        evaluate("values(var.m)", {"m": [1]})
    nested = "alltrue([for v in var.x : alltrue([for v2 in v : v2 > 0])])"
    assert evaluate(nested, {"x": [[1, 2], [3]]}) is True
    assert evaluate(nested, {"x": [[1, 2], [0]]}) is False
    with pytest.raises(EvalError):
        evaluate(nested, {"x": [[1], None]})  # iterating over null
    guarded = "alltrue([for v in values(var.m) : try(v.a, null) == null ? true : v.a < 3])"
    assert evaluate(guarded, {"m": {"k": {"a": 1}, "l": {}, "n": None}}) is True
    assert evaluate(guarded, {"m": {"k": {"a": 3}}}) is False


# ---------------------------------------------------------------------------------------------------------------------
# A schema of the tests' own
# ---------------------------------------------------------------------------------------------------------------------


def test_every_depth_is_validated_once_a_rule_with_its_path() -> None:
    rules = widget_variables()["rules"]
    assert list(rules.validations) == [
        ("length(var.rules) >= 1", "rules must have at least 1 item."),
        (
            'alltrue([for v in var.rules : try(v.action, null) == null ? true : contains(["Allow", "Deny"], v.action)])',
            "rules[*].action must be one of: `Allow`, `Deny`.",
        ),
        (
            "alltrue([for v in var.rules : try(v.port, null) == null ? true : v.port >= 1 && v.port <= 10])",
            "rules[*].port must be from 1 to 10.",
        ),
        (
            "alltrue([for v in var.rules : try(v.labels, null) == null ? true : length(v.labels) <= 3])",
            "rules[*].labels must have at most 3 items.",
        ),
        (
            "alltrue([for v in var.rules : try(v.labels, null) == null ? true "
            ": alltrue([for v2 in v.labels : v2 == null ? true : length(v2) <= 5])])",
            "rules[*].labels[*] must be at most 5 characters long.",
        ),
        (
            "alltrue([for v in var.rules : try(v.matrix, null) == null ? true "
            ": alltrue([for v2 in v.matrix : v2 == null ? true : length(v2) <= 3])])",
            "rules[*].matrix[*] must have at most 3 items.",
        ),
        (
            "alltrue([for v in var.rules : try(v.matrix, null) == null ? true "
            ": alltrue([for v2 in v.matrix : v2 == null ? true "
            ": alltrue([for v3 in v2 : v3 == null ? true : length(v3) <= 5])])])",
            "rules[*].matrix[*][*] must be at most 5 characters long.",
        ),
        (
            "alltrue([for v in var.rules : try(v.tree.name, null) == null ? true : length(v.tree.name) <= 5])",
            "rules[*].tree.name must be at most 5 characters long.",
        ),
    ]  # `tree.children` is `any` (a node holds nodes): not looked into


def test_a_map_s_values_are_validated_and_a_nullable_variable_is_guarded() -> None:
    variables = widget_variables()
    rule_map = variables["rule_map"]
    assert [m for _, m in rule_map.validations] == [
        m.replace("rules", "rule_map") for _, m in variables["rules"].validations[1:]
    ]
    assert rule_map.validations[0][0].startswith("alltrue([for v in values(var.rule_map) : ")
    assert variables["mode"].validations == (
        ('var.mode == null ? true : contains(["Allow", "Deny"], var.mode)', "mode must be one of: `Allow`, `Deny`."),
    )


GOOD_RULE = {
    "action": "Allow",
    "port": 10,
    "labels": ["a", None],
    "matrix": [["ab", None], [], None],
    "tree": {"name": "t"},
}
WRONG_RULES = [
    ({"port": 1, "action": "Maybe"}, "rules[*].action must be one of: `Allow`, `Deny`."),
    ({"port": 11}, "rules[*].port must be from 1 to 10."),
    ({"port": 1, "labels": ["a", "b", "c", "d"]}, "rules[*].labels must have at most 3 items."),
    ({"port": 1, "labels": ["toolong"]}, "rules[*].labels[*] must be at most 5 characters long."),
    ({"port": 1, "matrix": [["a"], ["a", "b", "c", "d"]]}, "rules[*].matrix[*] must have at most 3 items."),
    ({"port": 1, "matrix": [["a"], ["toolong"]]}, "rules[*].matrix[*][*] must be at most 5 characters long."),
    ({"port": 1, "tree": {"name": "toolong", "children": [{"name": "any length here"}]}}, "rules[*].tree.name "),
]


def test_valid_and_null_nested_values_pass() -> None:
    variables = widget_variables()
    unset = {"action": None, "port": None, "labels": None, "matrix": None, "tree": None}
    assert failing(variables["rules"], [GOOD_RULE, unset, {"port": 1, "tree": {"name": None}}]) == []
    assert failing(variables["rule_map"], {"a": GOOD_RULE, "b": unset}) == []
    assert failing(variables["mode"], None) == []
    assert failing(variables["rules"], []) == ["rules must have at least 1 item."]


@pytest.mark.parametrize(("rule", "message"), WRONG_RULES)
def test_a_wrong_nested_value_fails_with_its_path(rule: dict[str, Any], message: str) -> None:
    variables = widget_variables()
    found = failing(variables["rules"], [GOOD_RULE, rule])
    assert len(found) == 1 and found[0].startswith(message), found
    found = failing(variables["rule_map"], {"good": GOOD_RULE, "wrong": rule})
    assert len(found) == 1 and found[0].startswith(message.replace("rules", "rule_map")), found


def test_nested_attributes_take_the_schema_s_descriptions(tmp_path: Path) -> None:
    variables = widget_variables()
    lines = variables["rules"].description.split("\n")
    assert "- `action` - (Optional) What the rule does with a request. Possible values are `Allow` and `Deny`." in lines
    assert '- `labels` - (Optional) Labels such as `${name}`, "quoted" or \\ text.' in lines
    assert "- `port` - (Required) The port of the rules." in lines  # none in the schema: the generated sentence
    assert "  - `name` - (Optional) The name of the tree." in lines
    assert variables["mode"].description == "How it runs. Possible values are `Allow` and `Deny`."
    text = file_text([property_variable(p).block for p in variables.values()])
    assert '- `labels` - (Optional) Labels such as `$${name}`, "quoted" or \\ text.\n' in text  # `${` taken literally
    assert {name for block in hcl2.loads(text)["variable"] for name in block} == {'"rules"', '"rule_map"', '"mode"'}
    terraform = shutil.which("terraform")
    if terraform is not None:
        (tmp_path / "variables.tf").write_text(text, encoding="utf-8")
        check = [terraform, "fmt", "-check", "-diff", str(tmp_path)]
        fmt = subprocess.run(check, capture_output=True, text=True, check=False)
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr


# ---------------------------------------------------------------------------------------------------------------------
# Catalog types
# ---------------------------------------------------------------------------------------------------------------------


def variable_of(full_type: str, child: str, name: str) -> PropertyVariable:
    """The property variable `name` of the catalog type's root module, or of its submodule `child`."""
    model = model_of(full_type)
    module = model.root if not child else model.submodule(child)
    return next(p for p in module.property_variables if p.name == name)


# (type, submodule, variable, a valid value, a value wrong deep inside, the message it fails with)
CATALOG_CASES: list[tuple[str, str, str, Any, Any, str]] = [
    (
        "Microsoft.Storage/storageAccounts",
        "",
        "network_acls",
        {"default_action": "Deny", "ip_rules": [{"value": "10.0.0.1", "action": "Allow"}, {"value": "10.0.0.2"}]},
        {"default_action": "Deny", "ip_rules": [{"value": "10.0.0.1"}, {"value": "10.0.0.2", "action": "Deny"}]},
        "network_acls.ip_rules[*].action must be one of: `Allow`.",
    ),
    (
        "Microsoft.Network/routeTables",
        "",
        "routes",
        [
            {"name": "r1", "properties": {"next_hop_type": "Internet"}},
            {
                "name": "r2",
                "properties": {
                    "next_hop_type": "VirtualAppliance",
                    "next_hop": {"next_hop_ip_addresses": ["10.0.0.4", "10.0.0.5"]},
                },
            },
        ],
        [
            {
                "name": "r2",
                "properties": {
                    "next_hop_type": "VirtualAppliance",
                    "next_hop": {"next_hop_ip_addresses": ["10.0.0.4"]},
                },
            }
        ],
        "routes[*].properties.next_hop.next_hop_ip_addresses must have 2 to 64 items.",
    ),
    (
        "Microsoft.RecoveryServices/vaults",
        "backup-policy",
        "sub_protection_policy",
        [{"schedule_policy": {"schedule_policy_type": "SimpleSchedulePolicy", "schedule_run_days": ["Monday"]}}],
        [{"schedule_policy": {"schedule_policy_type": "SimpleSchedulePolicy", "schedule_run_days": ["Funday"]}}],
        "sub_protection_policy[*].schedule_policy.schedule_run_days[*] must be one of: `Sunday`, ",
    ),
    (
        "Microsoft.ContainerService/managedClusters",
        "maintenance-configuration",
        "time_in_week",
        [{"day": "Monday", "hour_slots": [0, 23]}],
        [{"day": "Monday", "hour_slots": [1, 24]}],
        "time_in_week[*].hour_slots[*] must be from 0 to 23.",
    ),
    (
        "Microsoft.ApiManagement/service",
        "backend",
        "circuit_breaker",
        {"rules": [{"name": "r", "failure_condition": {"count": 1, "error_reasons": ["timeout"] * 10}}]},
        {"rules": [{"name": "r", "failure_condition": {"count": 1, "error_reasons": ["timeout"] * 11}}]},
        "circuit_breaker.rules[*].failure_condition.error_reasons must have at most 10 items.",
    ),
]


@pytest.mark.parametrize(("full_type", "child", "name", "good", "wrong", "message"), CATALOG_CASES)
def test_catalog_types_validate_deep_inside_lists_and_maps(
    full_type: str, child: str, name: str, good: Any, wrong: Any, message: str
) -> None:
    variable = variable_of(full_type, child, name)
    assert any(m.startswith(message) for _, m in variable.validations), [m for _, m in variable.validations]
    assert failing(variable, good) == []
    found = failing(variable, wrong)
    assert len(found) == 1 and found[0].startswith(message), found


def test_a_map_of_objects_in_an_object_is_validated() -> None:
    site_config = variable_of("Microsoft.Web/sites", "", "site_config")
    message = "site_config.azure_storage_accounts[*].type must be one of: `AzureFiles`, `AzureBlob`."
    assert message in [m for _, m in site_config.validations]
    good = {"azure_storage_accounts": {"a": {"type": "AzureFiles"}, "b": {"type": None}}}
    assert failing(site_config, good) == []
    assert failing(site_config, {"azure_storage_accounts": {"a": {"type": "AzureFiles"}, "b": {"type": "Nfs"}}}) == [
        message
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Terraform itself
# ---------------------------------------------------------------------------------------------------------------------


def hcl_literal(value: Any) -> str:
    """A Python value (from JSON or python-hcl2) as an HCL literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote(k)} = {hcl_literal(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(hcl_literal(v) for v in value) + "]"


class Calls:
    """A root configuration calling small modules, each declaring only the variables its call gives."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blocks: list[str] = []

    def add(self, variables: list[PropertyVariable], values: dict[str, Any]) -> None:
        given = [p for p in variables if p.name in values and known(values[p.name])]
        if not given:
            return
        label = f"m{len(self.blocks)}"
        (self.folder / label).mkdir(parents=True)
        (self.folder / label / "variables.tf").write_text(
            file_text([property_variable(p).block for p in given]), encoding="utf-8"
        )
        inputs = "\n".join(f"  {p.name} = {hcl_literal(values[p.name])}" for p in given)
        self.blocks.append(f'module "{label}" {{\n  source = "./{label}"\n{inputs}\n}}')

    def plan_errors(self) -> list[str]:
        """The details of the errors of `terraform plan` (a variable's error message first)."""
        (self.folder / "main.tf").write_text("\n\n".join(self.blocks) + "\n", encoding="utf-8")
        env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
        terraform = shutil.which("terraform") or "terraform"
        run = [terraform, f"-chdir={self.folder}"]
        init = subprocess.run([*run, "init", "-input=false"], capture_output=True, text=True, check=False, env=env)
        assert init.returncode == 0, init.stdout + init.stderr
        plan = subprocess.run(
            [*run, "plan", "-input=false", "-json"], capture_output=True, text=True, check=False, env=env
        )
        errors = []
        for line in plan.stdout.splitlines():
            diagnostic = json.loads(line).get("diagnostic") or {}
            if diagnostic.get("severity") == "error":
                errors.append(f"{diagnostic.get('summary')}: {diagnostic.get('detail')}")
        assert errors or plan.returncode == 0, plan.stdout[-4000:] + plan.stderr
        return errors


def given_values(model: TerraformModel) -> list[tuple[TerraformModule, dict[str, Any]]]:
    """The values the unit test gives the root module, and those the `max` example gives it and its children."""
    unit = unquote(hcl2.loads(file_text(unit_test_blocks(model)))["variables"][0])
    found = [(model.root, unit)]
    example = resource_examples(model).get("max")
    if example is None:
        return found
    label = f'"{example.module_label}"'
    call = unquote(next(b[label] for b in hcl2.loads(example.main_tf)["module"] if label in b))
    pending = [(model.root, call)]
    while pending:
        module, values = pending.pop()
        found.append((module, values))
        for child in module.direct_children:
            sub = model.submodule(submodule_name(child))
            given = values.get(child_variable(child))
            if isinstance(given, dict):
                pending += [(sub, instance) for instance in ([given] if sub.single else given.values())]
    return found


needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


@needs_terraform
def test_terraform_accepts_the_values_of_every_catalog_type_s_examples_and_unit_test(tmp_path: Path) -> None:
    calls = Calls(tmp_path)
    for full_type in TYPES:
        for module, values in given_values(model_of(full_type)):
            calls.add(module.property_variables, values)
    assert len(calls.blocks) > len(TYPES)
    assert calls.plan_errors() == []


@needs_terraform
def test_terraform_refuses_wrong_nested_values_with_their_messages(tmp_path: Path) -> None:
    calls = Calls(tmp_path)
    expected = []
    for full_type, child, name, good, wrong, message in CATALOG_CASES:
        variable = variable_of(full_type, child, name)
        calls.add([variable], {name: good})
        calls.add([variable], {name: wrong})
        if variable.nullable:
            calls.add([variable], {name: None})
        expected.append(message)
    widget = widget_variables()
    unset = {"port": None, "action": None, "labels": None, "matrix": None, "tree": {"name": None}}
    calls.add(list(widget.values()), {"rules": [GOOD_RULE, unset], "rule_map": {"a": GOOD_RULE, "b": unset}})
    calls.add([widget["mode"]], {"mode": None})
    for rule, message in WRONG_RULES:  # alone: a list's objects must agree on what `any` holds
        calls.add([widget["rules"]], {"rules": [rule]})
        expected.append(message)
    errors = sorted(calls.plan_errors())
    assert len(errors) == len(expected), errors
    for error, message in zip(errors, sorted(expected), strict=True):
        assert error.startswith(f"Invalid value for variable: {message}"), (error, message)
