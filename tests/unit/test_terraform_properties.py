"""The resource's own variables of Terraform modules, over every catalog type and child (issue 13, items 1 to 6).

Each module is built as a model, not rendered: every schema-required property is in the body, and the body (nested
attributes too) writes only writable properties the schema has; the variables follow the rules (required unless
defaulted, secrets sensitive without a default, closed enums validated); the files parse with python-hcl2 and
`terraform fmt -check` leaves them unchanged; the values the unit test and the examples pass satisfy the
validations, evaluated here (`tests/support/hcl_conditions.py`) since providers cannot be downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import hcl2
import pytest

from generator import catalog
from generator.azure_types.schema import PROPERTIES
from generator.property_rules import conditionally_required, needed, property_defaults
from generator.terraform.examples import invalid_name, name_fits, resource_examples, unit_test_blocks
from generator.terraform.hcl import file_text
from generator.terraform.model import TerraformModel, TerraformModule, child_variable, submodule_name
from generator.terraform.types import Shape
from tests.support.hcl_conditions import EvalError, evaluate
from tests.unit.test_bicep_schema_params import TYPES, required_paths, spec_of

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
UNKNOWN = object()  # a value the test cannot know (a reference to another resource)


def model_of(full_type: str) -> TerraformModel:
    return TerraformModel(replace(spec_of(full_type), language="terraform"))


def scopes_of(model: TerraformModel) -> list[TerraformModule]:
    return [model.root, *model.submodules.values()]


def written_paths(m: TerraformModule) -> set[str]:
    """The body properties `azapi_resource.this` writes (body, sensitive_body and its own arguments)."""
    paths = {"name"} | {p.path for p in m.property_variables}
    if m.location or (m.is_root and m.spec.global_location):
        paths.add("location")
    if m.tags:
        paths.add("tags")
    if m.has("managed-identities"):
        paths.add("identity")
    if m.schema.at(PROPERTIES) is not None and not m.schema.at(PROPERTIES).read_only:
        paths.add(PROPERTIES)
    if m.public_network_access:
        paths.add("properties.publicNetworkAccess")
    if m.customer_managed_key is not None:
        paths |= m.customer_managed_key.written_paths()
    return paths


def nested_paths(shape: Shape, path: str) -> list[str]:
    """The body paths of an object variable's attributes, every level."""
    if shape.kind in ("list", "map") and shape.item is not None and shape.kind == "list":
        return nested_paths(shape.item, path)
    found = []
    for a in shape.attributes:
        found.append(f"{path}.{a.key}")
        found += nested_paths(a.shape, f"{path}.{a.key}")
    return found


@pytest.mark.parametrize("full_type", TYPES)
def test_every_required_property_is_sent_and_nothing_unknown_or_read_only(full_type: str) -> None:
    for m in scopes_of(model_of(full_type)):
        assert m.schema is not None, f"{m.type_ref}: no schema in the bundle"
        written = written_paths(m)
        missing = required_paths(m.schema) - written
        assert not missing, f"{m.type_ref} leaves out required {sorted(missing)}"
        for p in m.property_variables:
            written.update(nested_paths(p.shape, p.path))
        unknown = {p for p in written if m.schema.at(p) is None}
        assert not unknown, f"{m.type_ref} writes {sorted(unknown)}, which its schema does not have"
        read_only = {p for p in written if p != "name" and m.schema.at(p).read_only}
        assert not read_only, f"{m.type_ref} writes read-only {sorted(read_only)}"
        for p in m.property_variables:
            assert re.search(rf"^ *{p.key} += ", m.body, re.M) or p.secret, (m.type_ref, p.path)


@pytest.mark.parametrize("full_type", TYPES)
def test_variables_follow_the_rules(full_type: str) -> None:
    for m in scopes_of(model_of(full_type)):
        defaults = property_defaults().get(m.schema.type_name, {})
        names = [v.name for v in m.variables]
        assert len(names) == len(set(names)), f"{m.type_ref}: a variable name twice"
        by_name = {v.name: v for v in m.variables}
        for p in m.property_variables:
            v = by_name[p.name]
            assert SNAKE.match(p.name), p.name
            if p.secret:
                assert v.sensitive and v.default is None, (m.type_ref, p.name)
                assert p.version_name in by_name
            elif p.path in defaults:
                assert v.default == "null" and p.fallback, (m.type_ref, p.name)
            elif needed(p.prop):
                assert v.default is None and v.nullable is False, (m.type_ref, p.name)
            else:
                assert v.default is not None, (m.type_ref, p.name)
                if conditionally_required(p.prop) and p.prop.conditions:
                    assert "Required if " in v.description, (m.type_ref, p.name)
            if p.prop.closed_enum and p.shape.kind == "string":
                assert any("contains([" in c for c, _ in v.validations), (m.type_ref, p.name)
            if p.prop.kind in ("object", "array") and p.shape.kind != "any":
                assert v.type.startswith(("object(", "list(", "map(")), (m.type_ref, p.name, v.type)
        if m.single:
            assert "name" not in by_name and '"' in m.resource.text.split("name", 1)[1].split("\n", 1)[0]
        if not m.is_root:
            assert ("location" in by_name) == m.location


def unquote(value: Any) -> Any:
    """python-hcl2's values as Python: string literals unquoted, references UNKNOWN."""
    if isinstance(value, str):
        value = value.replace("${random_string.suffix.result}", "abcd1234")  # 8 lower-case letters and digits
        if "${" in value:
            return UNKNOWN
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return value
    if isinstance(value, dict):
        return {k: unquote(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [unquote(v) for v in value]
    return value


def known(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(known(v) for v in value.values())
    if isinstance(value, list):
        return all(known(v) for v in value)
    return True


def assert_valid(m: TerraformModule, values: dict[str, Any], where: str) -> int:
    """Every validation of every variable `values` sets holds; returns how many were evaluated."""
    checked = 0
    own = {p.name for p in m.property_variables} | {"name"}
    for v in m.variables:
        if v.name not in own or v.name not in values or not known(values[v.name]):
            continue
        for condition, message in v.validations:
            try:
                result = evaluate(condition, {v.name: values[v.name]})
            except EvalError as error:
                raise AssertionError(f"{where}: {v.name} = {values[v.name]!r}: {condition}: {error}") from error
            assert result is True, f"{where}: {v.name} = {values[v.name]!r} fails {condition} ({message})"
            checked += 1
    return checked


@pytest.mark.parametrize("full_type", TYPES)
def test_the_unit_test_and_examples_pass_valid_values(full_type: str) -> None:
    model = model_of(full_type)
    root = model.root
    unit = hcl2.loads(file_text(unit_test_blocks(model)))
    variables = unquote(unit["variables"][0])
    required = {v.name for v in root.variables if v.required}
    assert required <= set(variables), f"{full_type}: the unit test leaves out {sorted(required - set(variables))}"
    assert_valid(root, variables, f"{full_type} unit test")
    assert name_fits(root, variables["name"])
    bad = invalid_name(root)
    assert bad is None or not name_fits(root, bad)
    for name, example in resource_examples(model).items():
        parsed = hcl2.loads(example.main_tf)
        label = f'"{example.module_label}"'
        call = unquote(next(b[label] for b in parsed["module"] if label in b))
        assert required - {"enable_telemetry"} <= set(call), f"{full_type} {name}: {sorted(required - set(call))}"
        assert_valid(root, call, f"{full_type} {name}")
        if name == "max":
            check_children(model, root, call, f"{full_type} max")


def check_children(model: TerraformModel, parent: TerraformModule, call: dict[str, Any], where: str) -> None:
    for child in parent.direct_children:
        sub = model.submodule(submodule_name(child))
        given = call.get(child_variable(child))
        assert given is not None, f"{where}: no {child_variable(child)}"
        instances = [given] if sub.single else list(given.values())
        for instance in instances:
            required = {v.name for v in sub.variables if v.required} - {"parent_id", "location"}
            assert required <= set(instance), f"{where} {sub.name}: {sorted(required - set(instance))}"
            assert_valid(sub, instance, f"{where} {sub.name}")
            check_children(model, sub, instance, f"{where} {sub.name}")


def module_files(model: TerraformModel) -> dict[str, str]:
    files = {}
    for m in scopes_of(model):
        prefix = f"modules/{m.name}/" if m.name else ""
        files.update({f"{prefix}{name}": m.tf_file(name) for name in m.files})
    for name, example in resource_examples(model).items():
        files[f"examples/{name}/main.tf"] = example.main_tf
    files["tests/unit/main.tftest.hcl"] = file_text(unit_test_blocks(model))
    return files


@pytest.mark.parametrize("full_type", TYPES)
def test_the_files_parse(full_type: str) -> None:
    for path, text in module_files(model_of(full_type)).items():
        if path.endswith(("main.tf", "variables.tf", ".tftest.hcl")):
            assert isinstance(hcl2.loads(text), dict), f"{full_type}: {path}"


def test_terraform_fmt_leaves_every_type_unchanged(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: `terraform fmt -check` not run")
    for full_type in TYPES:
        folder = tmp_path / full_type.replace("/", "_")
        for path, text in module_files(model_of(full_type)).items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout[:4000] + result.stderr


def test_the_evaluator_reads_the_forms_written() -> None:
    condition = 'var.x == null ? true : contains(["a", "b"], var.x)'
    assert evaluate(condition, {"x": "a"}) is True
    assert evaluate(condition, {"x": None}) is True
    assert evaluate(condition, {"x": "c"}) is False
    assert evaluate('can(regex("^[a-z]{3}$", var.x))', {"x": "abc"}) is True
    assert evaluate('can(regex("^[a-z]{3}$", var.x))', {"x": "abcd"}) is False
    assert evaluate("try(var.x.y, null) == null ? true : var.x.y >= 1 && var.x.y <= 3", {"x": None}) is True
    assert evaluate("alltrue([for v in var.x : length(v) <= 2])", {"x": ["ab", "c"]}) is True
    with pytest.raises(EvalError):
        evaluate("true || length(var.x) > 1", {"x": None})  # no short circuit, as in Terraform


def test_schema_lengths_and_patterns_validate_the_name() -> None:
    model = model_of("Microsoft.Storage/storageAccounts")
    name = next(v for v in model.root.variables if v.name == "name")
    assert any("length(var.name) >= 3 && length(var.name) <= 24" in c for c, _ in name.validations)


def test_body_maps_nested_attributes_to_camel_case() -> None:
    model = model_of("Microsoft.KeyVault/vaults")
    body = model.root.body
    assert "defaultAction = var.network_acls.default_action" in body
    assert re.search(r"tenantId += coalesce\(var\.tenant_id, data\.azapi_client_config\.current\.tenant_id\)", body)
    assert 'data "azapi_client_config" "current" {}' in model.root.tf_file("main.tf")
    assert "ignore_null_property" in model.root.resource.text
    secret = model.submodule("secret")
    assert "sensitive_body" in secret.resource.text and "value = var.value" in secret.sensitive_body
    assert "value =" not in secret.body
    assert '"properties.secretUri"' in secret.response_export_values


def test_a_child_with_one_fixed_name_is_an_object() -> None:
    model = model_of("Microsoft.Storage/storageAccounts")
    root = model.root
    blob = next(c for c in root.child_calls if c.variable == "blob_services")
    assert re.search(r"count += var\.blob_services == null \? 0 : 1", blob.block.text)
    variable = next(v for v in root.variables if v.name == "blob_services")
    assert variable.type.startswith("object(") and variable.default == "null"
    assert 'name      = "default"' in model.submodule("blob-service").resource.text


@pytest.mark.parametrize("full_type", [t for t in TYPES if catalog.customer_managed_key(t) is not None])
def test_the_customer_managed_key_goes_where_the_catalog_says_the_type_takes_it(full_type: str) -> None:
    root = model_of(full_type).root
    if not root.has("customer-managed-key"):
        pytest.skip("the catalog offers no customer-managed key for the type")
    body = root.body
    for path in root.customer_managed_key.paths:
        assert re.search(rf"\b{re.escape(path.rsplit('.', 1)[-1])} += ", body), (full_type, path)
