"""Bicep defaults written as the compiled ARM template writes them."""

from __future__ import annotations

import pytest

from generator.docs.arm_expressions import BicepSyntaxError, arm_value, reference_kinds

KINDS = reference_kinds({"name": 1, "sku": 1, "kind": 1, "id": 1}, {"suffix": 1})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("resourceGroup().location", "[resourceGroup().location]"),
        ("'${name}-pip1'", "[format('{0}-pip1', parameters('name'))]"),
        ("take('ME_${name}', 63)", "[take(format('ME_{0}', parameters('name')), 63)]"),
        ("sku == 'Free_F1'", "[equals(parameters('sku'), 'Free_F1')]"),
        ("kind != 'FileStorage'", "[not(equals(parameters('kind'), 'FileStorage'))]"),
        ("(kind == 'linux')", "[equals(parameters('kind'), 'linux')]"),
        ("last(split(az.managementGroup().id, '/'))!", "[last(split(managementGroup().id, '/'))]"),
        ("empty(id) ? 'a' : 'b'", "[if(empty(parameters('id')), 'a', 'b')]"),
        (
            "startsWith(sku, 'P') || startsWith(sku, 'E') ? true : false",
            "[if(or(startsWith(parameters('sku'), 'P'), startsWith(parameters('sku'), 'E')), true(), false())]",
        ),
        ("'.blob.${environment().suffixes.storage}/'", "[format('.blob.{0}/', environment().suffixes.storage)]"),
        ("'${suffix}-x'", "[format('{0}-x', variables('suffix'))]"),
        ("utcNow('yyyy-MM-dd')", "[utcNow('yyyy-MM-dd')]"),
        ("id.?name ?? 'none'", "[coalesce(tryGet(parameters('id'), 'name'), 'none')]"),
        ("!empty(id)", "[not(empty(parameters('id')))]"),
        ("'it\\'s'", "it's"),
    ],
)
def test_expressions_compile_as_arm_does(source: str, expected: str) -> None:
    assert arm_value(source, KINDS) == expected


def test_a_conditional_may_break_over_lines() -> None:
    source = "empty(id)\n  ? guid(name)\n  : guid(name, id)"
    assert (
        arm_value(source, KINDS)
        == "[if(empty(parameters('id')), guid(parameters('name')), guid(parameters('name'), parameters('id')))]"
    )


def test_literals_stay_values_with_expressions_inside_as_strings() -> None:
    source = "{\n  enabled: false\n  'a.b': [\n    1\n    2\n  ]\n  where: resourceGroup().location // a comment\n}"
    assert arm_value(source, KINDS) == {"enabled": False, "a.b": [1, 2], "where": "[resourceGroup().location]"}
    assert arm_value("['a', 'b']", KINDS) == ["a", "b"]
    assert arm_value("-5", KINDS) == -5
    assert arm_value("null", KINDS) is None
    assert arm_value("'''\nmulti\nline'''", KINDS) == "multi\nline"


@pytest.mark.parametrize("source", ["foo(", "'open", "a ? b", "{ a: }", "@"])
def test_what_it_cannot_read_is_a_syntax_error(source: str) -> None:
    with pytest.raises(BicepSyntaxError):
        arm_value(source, KINDS)


def test_multi_line_strings_as_compiled_templates_hold_them() -> None:
    indented = "'''Required. The name.\n  First rule.\n    Nested.\n  Last rule.'''"
    assert arm_value(indented, KINDS) == "Required. The name.\nFirst rule.\n  Nested.\nLast rule."
    example = "'''\n  {\n    a: 1\n  }\n  '''"
    assert arm_value(example, KINDS) == "  {\n    a: 1\n  }\n  "
