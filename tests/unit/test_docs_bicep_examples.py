"""The usage examples `avm docs` writes from a Bicep module's tests, as `Set-ModuleReadMe.ps1` writes them.

The fixtures under `tests/fixtures/docs_bicep/` are small modules of our own: `widget` has a test of each kind
(defaults, a large parameter set with every kind of value, a test that deploys no module, one with no
parameters), `scoped` is a multi-scope module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bicep import examples as ex
from generator.docs import example_params as ep
from generator.docs.bicep_examples import required_params, usage_from_tests
from generator.errors import InvalidInputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docs_bicep"
WIDGET = FIXTURES / "widget"
REF = "br/public:avm/res/widget/widget:<version>"


@pytest.fixture(scope="module")
def usage() -> ex.Usage:
    found = usage_from_tests(WIDGET, REF, "widget")
    assert found is not None
    return found


# ---- the parameters as shown


def shown(body: str, short: str = "") -> dict:
    return ep.shown_params("{\n" + body + "\n}", short)


def test_names_lose_the_prefix_and_gain_the_service_short() -> None:
    assert shown(
        "  name: '${namePrefix}${serviceShort}001'\n  dns: '${namePrefix}-${serviceShort}.example.com'", "kv"
    ) == {
        "name": "kv001",
        "dns": "kv.example.com",
    }


def test_references_calls_conditions_and_interpolations_show_the_property_name() -> None:
    found = shown(
        "  a: nestedDependencies.outputs.subnetResourceId\n"
        "  b: password\n"
        "  c: tenant().tenantId\n"
        "  d: iteration == 'init' ? 'x' : 'y'\n"
        "  e: 'in ${resourceGroupName}'\n"
        "  f: null\n"
        "  g: location\n"
        "  h: subscriptionResourceId(\n    'x',\n    'y'\n  )"
    )
    assert found == {k: f"<{k}>" for k in "abcdefh"} | {"g": "<location>"}


def test_a_comment_with_a_dotted_word_hides_the_value_as_the_script_does() -> None:
    assert shown("  mode: 'Deny' // see docs.example.com") == {"mode": "<mode>"}
    assert shown("  mode: 'Deny' // see 'docs.example.com'") == {"mode": "Deny"}


def test_array_items_show_the_last_segment_their_own_name_or_value_in_place_of_interpolations() -> None:
    found = shown("  items: [\n    x.outputs.subnetId\n    prefix\n    true\n    'a-${b}-c'\n    'plain'\n    7\n  ]")
    assert found == {"items": ["<subnetId>", "<prefix>", "<true>", "a-<value>-c", "plain", 7]}


def test_a_reference_key_of_an_empty_object_shows_its_last_segment() -> None:
    assert shown("  ids: {\n    '${x.outputs.identityId}': {}\n  }") == {"ids": {"<identityId>": {}}}


def test_strings_take_the_script_quote_swap() -> None:
    assert shown("  a: 'It\\'s \"so\"'\n  b: 'a\\\\b'\n  c: '\\${literal}'") == {
        "a": 'It"s "so"',
        "b": "a\\b",
        "c": "\\${literal}",
    }


def test_only_parameters_named_by_letters_and_digits_are_kept() -> None:
    assert shown("  name: 'x'\n  'quoted': 1\n  snake_case: 2") == {"name": "x"}


def test_the_service_short_comes_from_the_test() -> None:
    assert ep.service_short("param serviceShort string = 'kvvmin'\n") == "kvvmin"
    assert ep.service_short("param other string = 'x'\n") == ""


# ---- ordering and the three forms


def test_collation_puts_symbols_digits_then_letters_ignoring_case_lower_case_first() -> None:
    assert sorted(["b", "B", "a-c", "ab", "_x", "1", "a"], key=ex.collation_key) == [
        "_x",
        "1",
        "a",
        "a-c",
        "ab",
        "b",
        "B",
    ]
    assert sorted(["ab", "a-c", "aB", "Ab"], key=ex.collation_key) == ["a-c", "ab", "aB", "Ab"]
    assert sorted(["b", "_a", "1"], key=ex.collation_key) == ["_a", "1", "b"]


def test_values_are_ordered_recursively_and_required_parameters_come_first() -> None:
    params = ex.ordered_params(
        {"zeta": [3, 1, 2], "name": "n", "alpha": {"b": 1, "A": [{"y": 1, "x": 2}, "q", "p"]}}, ["name"]
    )
    assert params == [("name", "n"), ("alpha", {"A": [{"x": 2, "y": 1}, "p", "q"], "b": 1}), ("zeta", [1, 2, 3])]


def test_dates_lose_a_zero_fraction_as_the_json_round_trip_does() -> None:
    assert ex.as_read_back(["2030-01-31T10:00:00.000Z", "2030-01-31T10:00:00.120Z", "2030-01-31T10:00"]) == [
        "2030-01-31T10:00:00Z",
        "2030-01-31T10:00:00.12Z",
        "2030-01-31T10:00",
    ]


def test_comments_follow_the_module_last_required_parameter_even_when_the_example_lacks_it() -> None:
    params = [("name", "x"), ("tags", {"a": "b"}), ("zones", 1)]
    assert ex.bicep_module_example(params, ["name", "sku"], "s", "ref").split("\n")[2:6] == [
        "    // Required parameters",
        "    // Non-required parameters",
        "    name: 'x'",
        "    tags: {",
    ]
    assert ex.bicep_module_example(params[:2], ["name", "sku"], "s", "ref").split("\n")[2:4] == [
        "    // Required parameters",
        "    name: 'x'",
    ]
    with_both = ex.bicep_module_example([("sku", {"a": 1}), ("tags", 1)], ["sku"], "s", "ref").split("\n")
    assert with_both[2:8] == [
        "    // Required parameters",
        "    sku: {",
        "      a: 1",
        "    }",
        "    // Non-required parameters",
        "    tags: 1",
    ]


def test_one_parameter_gets_no_comments() -> None:
    assert "//" not in ex.bicep_module_example([("name", "x")], ["name"], "s", "ref")
    assert "// Required" not in ex.json_parameters_example([("name", "x")], ["name"])


def test_a_parameter_named_keys_hides_the_json_comments_as_in_the_script() -> None:
    params = [("name", "x"), ("keys", [])]
    assert "// Required" not in ex.json_parameters_example(params, ["name"])
    assert "// Non-required parameters" in ex.bicep_module_example(params, ["name"], "s", "ref")


def test_no_parameters() -> None:
    assert ex.bicep_module_example([], ["name"], "s", "ref") == "module s 'ref' = {\n  params: {\n\n  }\n}"
    assert ex.bicep_parameters_example([], ["name"], "ref") == "using 'ref'\n\n"
    assert ex.json_parameters_example([], ["name"]).endswith('"parameters": {}\n}')


def test_symbols() -> None:
    assert ex.symbol_of("key-vault/vault") == "vault"
    assert ex.symbol_of("network/application-gateway") == "applicationGateway"
    assert ex.symbol_of("public-ip-addresses") == "publicIPAddresses"


# ---- reading a module's tests


def test_the_widget_section_is_written_as_reviewed(usage: ex.Usage) -> None:
    assert usage.markdown + "\n" == (FIXTURES / "widget-usage.md").read_text(encoding="utf-8")


def test_one_example_per_test_file_in_path_order(usage: ex.Usage) -> None:
    assert [(e.number, e.folder, e.title) for e in usage.examples] == [
        (1, "defaults", "Using only defaults"),
        (2, "max", "Using large parameter set"),
        (3, "plain-import", "Import the exported functions"),
        (4, "quiet", "Quiet"),
    ]
    assert usage.examples[1].anchor == "#example-2-using-large-parameter-set"


def test_the_large_example_in_bicep(usage: ex.Usage) -> None:
    text = usage.examples[1].bicep_module
    for line in (
        "    // Required parameters\n    name: 'wdgmax001'\n    skuName: 'Standard'\n    // Non-required parameters\n",
        "    addressPrefixes: [\n      '<addressPrefix>'\n      '<subnetPrefix>'\n      'A-prefix'\n      'b-prefix'\n"
        "      'https://example.com/<value>'\n    ]\n",
        "    description: 'It\\'s a \\'quoted\\' widget'\n",
        "    expiresOn: '2030-01-31T10:00:00Z'\n",
        "    roleDefinitionIdOrName: '<roleDefinitionIdOrName>'\n",
        "    tags: {\n      Environment: 'Non-Prod'\n      'hidden-title': 'This is visible in the resource name'\n",
        "    userAssignedIdentities: {\n      '<identityResourceId>': {}\n    }\n",
        "    zones: [\n      1\n      2\n      3\n    ]\n",
    ):
        assert line in text


def test_the_large_example_as_parameter_files(usage: ex.Usage) -> None:
    example = usage.examples[1]
    assert '    "description": {\n      "value": "It\\"s a \\"quoted\\" widget"\n    },' in example.json_parameters
    assert example.bicep_parameters.startswith(f"using '{REF}'\n\n// Required parameters\nparam name = 'wdgmax001'\n")
    assert "\nparam persistence = {\n  frequency: '6h'\n  type: 'rdb'\n}\n" in example.bicep_parameters


def test_a_test_deploying_no_module_is_shown_as_it_is_with_its_skip_reason(usage: ex.Usage) -> None:
    example = usage.examples[2]
    assert example.bicep_module == (WIDGET / "tests/e2e/plain-import/main.test.bicep").read_text().rstrip("\n")
    assert (example.json_parameters, example.skip_reason) == ("", "The test needs a capacity reservation.")
    assert "```text\nThe test needs a capacity reservation.\n```\n\n<details>" in usage.markdown


def test_a_test_with_no_parameters_repeats_the_last_bicep_parameters_file(usage: ex.Usage) -> None:
    quiet = usage.examples[3]
    assert quiet.bicep_module == "module widget 'br/public:avm/res/widget/widget:<version>' = {\n  params: {\n\n  }\n}"
    assert quiet.bicep_parameters == usage.examples[1].bicep_parameters
    assert "### Example 4: _Quiet_\nYou can find" in usage.markdown


def test_required_parameters_come_from_the_module() -> None:
    assert required_params(WIDGET / "main.bicep") == ["name", "skuName"]
    assert required_params(WIDGET / "absent.bicep") == []


def test_a_multi_scope_module_points_to_its_scopes_and_each_scope_shows_its_tests() -> None:
    parent = usage_from_tests(FIXTURES / "scoped", "br/public:avm/res/x/scoped:<version>", "scoped")
    assert parent is not None and parent.scoped_modules == ("rg-scope", "sub-scope")
    assert parent.markdown.endswith("child modules:\n- `/rg-scope/README.md`\n- `/sub-scope/README.md`")
    scope = usage_from_tests(
        FIXTURES / "scoped" / "rg-scope", "br/public:avm/res/x/scoped/rg-scope:<version>", "scoped"
    )
    assert scope is not None
    assert [(e.folder, e.title) for e in scope.examples] == [("rg-scope.defaults", "Resource group scope")]
    assert "    // Non-required parameters\n    roleName: 'Owner'" in scope.examples[0].bicep_module


def test_a_module_without_tests_has_no_examples(tmp_path: Path) -> None:
    (tmp_path / "main.bicep").write_text("param name string\n")
    assert usage_from_tests(tmp_path, REF, "widget") is None


def test_an_unreadable_test_is_one_error_naming_the_file(tmp_path: Path) -> None:
    test = tmp_path / "tests" / "e2e" / "broken" / "main.test.bicep"
    test.parent.mkdir(parents=True)
    test.write_text("module testDeployment '../../../main.bicep' = {\n  params: {\n    name: 'open\n  }\n}\n")
    with pytest.raises(InvalidInputError) as raised:
        usage_from_tests(tmp_path, REF, "widget")
    assert str(raised.value).startswith("tests/e2e/broken/main.test.bicep: cannot read the test deployment's params")
