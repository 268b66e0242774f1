"""The resource's own parameters of Bicep modules, over every catalog type and child (issue 12, items 3 and 5).

Each module is built as a model, not rendered: every schema-required writable property is set in the body;
the body writes no property the schema does not have; a child whose schema fixes its name is deployed with it;
the `defaults` test passes every required parameter with a valid value; `max` every parameter, `waf-aligned`
the security settings of `data/waf_settings.yaml` (checked also with every writable property a parameter).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import naming
from generator.azure_types.facts import TypeFacts
from generator.azure_types.lookup import resource_schema
from generator.azure_types.schema import PROPERTIES, ResourceSchema
from generator.bicep.model import BicepModule, child_param
from generator.bicep.scenario_values import PASSWORD
from generator.bicep.scenarios import Scenarios
from generator.bicep.values import Expr
from generator.catalog import Catalog
from generator.property_rules import OWNED_BY_INTERFACE, conditionally_required, needed, property_defaults
from generator.property_samples import LEFT_OUT_OF_MAX, from_pattern, sample_string, waf_settings
from generator.property_selection import NOT_SELECTABLE
from generator.spec import ChildSpec, ModuleNames, ModuleSpec

CATALOG = yaml.safe_load((Path(__file__).parents[2] / "generator" / "data" / "catalog.yaml").read_text())
TYPES = sorted(CATALOG["resource_types"])
NAMES = ModuleNames("avm/res/x/y", "46d3xbcp.res.x-y", "xy", "team", "avm-res-x-y", "repo", "registry")


def spec_of(full_type: str) -> ModuleSpec:
    facts = CATALOG["resource_types"][full_type]
    namespace, _, resource_type = full_type.partition("/")
    children = tuple(
        ChildSpec(path, child["api_version"], bool(child.get("tags")), naming.child_folder(path))
        for path, child in (facts.get("children") or {}).items()
    )
    return ModuleSpec(
        module_class="resource",
        language="bicep",
        provider_namespace=namespace,
        resource_type=resource_type,
        api_version=facts["api_version"],
        display_name=facts.get("display_name") or resource_type,
        description="A module.",
        owner="someone",
        interfaces=tuple(facts.get("interfaces") or ()),
        children=children,
        names=NAMES,
        location=Catalog.load().facts(namespace, resource_type).location,  # the schema's where one is shipped
        global_location=Catalog.load().facts(namespace, resource_type).global_location,
        identity_kinds=tuple(facts.get("identity") or ("system", "user")),
    )


def modules_of(full_type: str) -> list[BicepModule]:
    spec = spec_of(full_type)
    return [BicepModule(spec), *(BicepModule(spec, child) for child in spec.children)]


def body_paths(m: BicepModule) -> set[str]:
    """The body properties the module's resource declaration writes."""
    paths = {"name"}
    if m.resource_location:
        paths.add("location")
    if m.tags:
        paths.add("tags")
    if m.has("managed-identities"):
        paths.add("identity")
    paths.update(key.strip("'") for key, _ in m.body_top)
    if m.has_properties or m.empty_properties:
        paths.add(PROPERTIES)
    paths.update(PROPERTIES + "." + key.strip("'") for key, _ in m.body_properties)
    if m.customer_managed_key is not None:
        paths.update(m.customer_managed_key.written_paths())
    if m.public_network_access:
        paths.add(OWNED_BY_INTERFACE["private-endpoints"])
    return paths


def required_paths(schema: ResourceSchema) -> set[str]:
    top = {p.path for p in schema.writable_properties if p.always_required}
    inner = {p.path for p in schema.flattened_properties if p.always_required and "." in p.path}
    return top | inner


@pytest.mark.parametrize("full_type", TYPES)
def test_every_required_property_is_set_and_every_written_one_exists(full_type: str) -> None:
    for m in modules_of(full_type):
        assert m.schema is not None, f"{m.resource_ref}: no schema in the bundle"
        written = body_paths(m)
        missing = required_paths(m.schema) - written
        assert not missing, f"{m.resource_ref} leaves out required {sorted(missing)}"
        unknown = {p for p in written if m.schema.at(p) is None}
        assert not unknown, f"{m.resource_ref} writes {sorted(unknown)}, which its schema does not have"


@pytest.mark.parametrize("full_type", TYPES)
def test_required_properties_are_required_parameters_unless_defaulted(full_type: str) -> None:
    for m in modules_of(full_type):
        defaults = property_defaults().get(m.schema.type_name, {})
        params = {p.name: p for p in m.params}
        for rp in m.resource_params:
            param = params[rp.name]
            if rp.path in defaults:
                assert param.default == defaults[rp.path]["default"] and param.requirement == "Optional"
            elif needed(rp.prop):
                assert param.default is None and param.requirement == "Required", rp.name
                assert not param.type.endswith("?")
            else:
                category = "Conditional" if conditionally_required(rp.prop) else "Optional"
                assert param.default is None and param.requirement == category, rp.name
                assert param.type.endswith("?"), rp.name
            if rp.prop.closed_enum:
                assert any(d.startswith("@allowed(") for d in param.decorators)
            if rp.prop.kind in ("object", "array") and param.type.startswith("resourceInput<"):
                assert param.type.removesuffix("?") == f"resourceInput<'{m.resource_ref}'>.{rp.path}"
        names = [p.name for p in m.params]
        assert len(names) == len(set(names)), f"{m.resource_ref}: a parameter name twice"


def test_every_property_default_has_a_reason_and_names_a_required_property() -> None:
    for full_type, entries in property_defaults().items():
        namespace, primary = full_type.split("/")[:2]
        module = next(m for m in modules_of(f"{namespace}/{primary}") if m.full_type == full_type)
        for path, entry in entries.items():
            assert entry.get("reason"), f"{full_type} {path}: no reason"
            found = module.schema.at(path)
            assert found is not None and found.always_required, f"{full_type} {path}"


@pytest.mark.parametrize("full_type", TYPES)
def test_fixed_child_names_are_fixed(full_type: str) -> None:
    root, *children = modules_of(full_type)
    for m in children:
        fixed = m.schema.fixed_name
        names = {p.name: p for p in m.params}
        parent = root if m.child.depth == 1 else next(c for c in children if c.child.type_path == m.child.parent_path)
        call = next(c for c in parent.calls if c.param == child_param(m.child))
        if not fixed:
            assert "name" in names and m.name_expr == "name" and not call.single
        elif len(fixed) == 1:
            assert "name" not in names, f"{m.resource_ref}: a name parameter for the fixed name {fixed[0]}"
            assert m.name_expr == f"'{fixed[0]}'"
            assert call.single and "name" not in dict(call.args)
        else:
            allowed = next(d for d in names["name"].decorators if d.startswith("@allowed("))
            assert re.findall(r"'([^']*)'", allowed) == list(fixed)
            assert (names["name"].default == f"'{fixed[0]}'") == (len(fixed) <= 3)


def valid(schema: ResourceSchema, path: str, value: Any) -> bool:
    """Whether `value` fits the property at `path`: enum, pattern, length and range; objects by their members."""
    if isinstance(value, Expr):
        return True
    prop = schema.at(path)
    if prop is None:
        return False
    if prop.kind == "enum":
        return value in prop.enum or prop.open_enum
    if prop.kind == "string":
        ok = isinstance(value, str) and len(value) >= (prop.min_length or 0)
        ok = ok and (prop.max_length is None or len(value) <= prop.max_length)
        return ok and (not prop.pattern or re.search(prop.pattern, value) is not None)
    if prop.kind == "int":
        low, high = prop.min_value, prop.max_value
        return isinstance(value, int) and (low is None or value >= low) and (high is None or value <= high)
    if prop.kind == "bool":
        return isinstance(value, bool)
    if prop.kind == "object":
        return valid_members(schema, path, value)
    if prop.kind == "array":
        item = prop.item
        if not isinstance(value, list):
            return False
        if item is not None and item.kind == "object":
            return all(valid_members(schema, path, i) for i in value)
        return item is None or not item.pattern or all(re.search(item.pattern, i) for i in value)
    return True


def valid_members(schema: ResourceSchema, path: str, value: Any) -> bool:
    required = {p.name for p in schema.children(path) if p.required and not p.conditional and not p.read_only}
    return (
        isinstance(value, dict)
        and required <= set(value)
        and all(valid(schema, f"{path}.{k}", v) for k, v in value.items())
    )


@pytest.mark.parametrize("full_type", TYPES)
def test_the_defaults_test_passes_every_required_parameter_a_valid_value(full_type: str) -> None:
    root = BicepModule(spec_of(full_type))
    scenarios = Scenarios(root)
    required = {p.name for p in root.params if p.default is None and not p.type.endswith("?")}
    by_name = {rp.name: rp for rp in root.resource_params}
    for scenario in scenarios.all:
        assert required <= set(scenario.params), f"{scenario.folder}: {sorted(required - set(scenario.params))}"
        for name, value in scenario.params.items():
            if name in by_name:
                assert valid(root.schema, by_name[name].path, value), f"{scenario.folder}: {name} = {value!r}"


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        (r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", 36, 36),
        (r"^[a-z][a-z0-9]{0,11}$", 1, 12),
        (r"^(?=.{2,60}$)[a-z0-9][a-z0-9]+(-[a-z0-9]+)*$", None, None),
        (r"^[A-Z]{3}[0-9]{5}$", 8, 8),
        (r"^[^*#&+:<>?]+$", 1, 80),
    ],
)
def test_sample_strings_match_pattern_and_length(pattern: str, low: int | None, high: int | None) -> None:
    text = sample_string(TypeFacts(kind="string", pattern=pattern, min_length=low, max_length=high))
    assert re.search(pattern, text) and len(text) >= (low or 0) and (high is None or len(text) <= high)
    assert from_pattern(r"^[A-Z]{3}[0-9]{5}$", 8) == "AAA00000"


def test_a_type_without_schema_stays_generic(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.bicep.model as model

    monkeypatch.setattr(model, "schema_for", lambda spec, child=None: None)
    m = BicepModule(spec_of("Microsoft.KeyVault/vaults"))
    assert m.resource_params == [] and m.body_top == [] and m.body_properties == []
    assert [p.name for p in m.params][:2] == ["name", "location"]


# ---- the values the e2e tests pass (issue 12, item 7), also with every writable property offered


@pytest.fixture(params=["all", "required"])
def offering(request: pytest.FixtureRequest) -> str:
    """The `--properties` selection the module is made with."""
    return request.param


def schema_of(full_type: str) -> ResourceSchema:
    namespace, _, type_path = full_type.partition("/")
    root, _, child = type_path.partition("/")
    facts = CATALOG["resource_types"][f"{namespace}/{root}"]
    version = facts["children"][child]["api_version"] if child else facts["api_version"]
    resolved = resource_schema(namespace, type_path, version, allow_download=False)
    assert resolved is not None, full_type
    return resolved.schema


def top_param_path(path: str) -> str:
    """The path of the parameter a setting belongs to: `properties.networkAcls.bypass` -> `properties.networkAcls`."""
    parts = path.split(".")
    return ".".join(parts[:2]) if parts[0] == PROPERTIES else parts[0]


def value_at(value: Any, path: str) -> Any:
    for step in path.split(".") if path else ():
        assert isinstance(value, dict) and step in value, (value, step)
        value = value[step]
    return value


@pytest.mark.parametrize("full_type", sorted(waf_settings()))
def test_every_waf_setting_is_a_writable_property_of_the_type_with_a_valid_value(full_type: str) -> None:
    schema = schema_of(full_type)
    for path, entry in waf_settings()[full_type].items():
        assert entry.get("reason") and "\n" not in entry["reason"].strip(), f"{full_type} {path}: no one-line reason"
        found = schema.at(path)
        assert found is not None, f"{full_type} {path}: not in the schema"
        assert not found.read_only and not found.conditional, f"{full_type} {path}"
        top = top_param_path(path)
        assert top in {p.path for p in schema.flattened_properties}, f"{full_type} {path}: not under a parameter"
        for step in range(len(top.split(".")), len(path.split("."))):
            holder = schema.at(".".join(path.split(".")[:step]))
            assert holder.kind == "object" and not holder.is_map, f"{full_type} {path}: crosses {holder.path}"
        assert top not in OWNED_BY_INTERFACE.values() and top.rpartition(".")[2] not in NOT_SELECTABLE
        assert valid(schema, path, entry["value"]), f"{full_type} {path} = {entry['value']!r}"


def test_every_property_max_leaves_out_exists() -> None:
    for full_type, path in LEFT_OUT_OF_MAX:
        assert schema_of(full_type).at(path) is not None, (full_type, path)


def param_values(module: BicepModule, values: dict[str, Any]) -> dict[str, Any]:
    return {rp.path: values[rp.name] for rp in module.resource_params if rp.name in values}


@pytest.mark.parametrize("full_type", TYPES)
def test_the_waf_and_max_tests_set_the_resource_parameters(full_type: str, offering: str) -> None:
    root = BicepModule(replace(spec_of(full_type), properties=offering))
    tests = {s.folder: s.params for s in Scenarios(root).all}
    settings = waf_settings().get(root.schema.type_name, {})
    by_path = {rp.path: rp for rp in root.resource_params}
    for folder in ("waf-aligned", "max"):
        for path, entry in settings.items():
            param = by_path.get(top_param_path(path))
            if param is not None:
                rest = path[len(param.path) + 1 :]
                assert value_at(tests[folder][param.name], rest) == entry["value"], (folder, path)
        for name, value in tests[folder].items():
            rp = next((p for p in root.resource_params if p.name == name), None)
            if rp is not None:
                assert valid(root.schema, rp.path, value), f"{folder}: {name} = {value!r}"
    left_out = {path for full, path in LEFT_OUT_OF_MAX if full == root.schema.type_name}
    for rp in root.resource_params:
        kept = rp.path not in left_out and not rp.prop.conditional
        assert (rp.name in tests["max"]) == kept, rp.name
        assert (rp.name in tests["waf-aligned"]) == (
            rp.required or top_param_path(rp.path) in map(top_param_path, settings)
        )
    if offering == "all":
        assert len(root.resource_params) >= len(settings) and all(
            top_param_path(path) in by_path for path in settings
        ), "every WAF setting is a parameter once every writable property is"


@pytest.mark.parametrize("full_type", TYPES)
def test_the_max_test_passes_each_child_its_parameters(full_type: str, offering: str) -> None:
    root = BicepModule(replace(spec_of(full_type), properties=offering))
    max_params = next(s for s in Scenarios(root).all if s.folder == "max").params

    def check(module: BicepModule, value: Any) -> None:
        item = value if module.single else value[0]
        name = item.get("name") or (module.fixed_name.values[0] if module.fixed_name else None)
        chosen = {"name": name, **param_values(module, item)}
        for rp in module.resource_params:
            expected = all(chosen.get(c.discriminator) in c.values for c in rp.prop.conditions)
            expected = expected and (module.schema.type_name, rp.path) not in LEFT_OUT_OF_MAX
            assert (rp.name in item) == expected, (module.resource_ref, rp.name)
            if rp.name in item:
                assert valid(module.schema, rp.path, item[rp.name]), (module.resource_ref, rp.name, item[rp.name])
        for grandchild in module.direct_children:
            check(module.child_module(grandchild), item[child_param(grandchild)])

    for child in root.direct_children:
        check(root.child_module(child), max_params[child_param(child)])


def test_a_secure_string_takes_the_tests_password(monkeypatch: pytest.MonkeyPatch) -> None:
    root = BicepModule(spec_of("Microsoft.Sql/servers"))
    tests = {s.folder: s for s in Scenarios(root).all}
    assert tests["max"].params["administratorLoginPassword"] == PASSWORD and tests["max"].password
    assert not tests["defaults"].password


def test_a_nested_waf_setting_sets_its_parameter_to_an_object_with_its_required_members(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    storage = BicepModule(spec_of("Microsoft.Storage/storageAccounts"))
    waf = next(s for s in Scenarios(storage).all if s.folder == "waf-aligned").params
    assert waf["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert waf["allowSharedKeyAccess"] is False and waf["minimumTlsVersion"] == "TLS1_2"
    assert "largeFileSharesState" not in waf  # optional, and no WAF setting
    vault = BicepModule(spec_of("Microsoft.KeyVault/vaults"))
    tests = {s.folder: s.params for s in Scenarios(vault).all}
    assert tests["waf-aligned"]["enableRbacAuthorization"] is True
    assert tests["max"]["enablePurgeProtection"] is False  # a sample `true` would keep the test vault unpurgeable
    assert tests["max"]["createMode"] == "default"  # `recover` needs a deleted vault
