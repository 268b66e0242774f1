"""Bicep type expressions compiled to the parameter schema a compiled ARM template holds."""

from __future__ import annotations

import pytest

from generator.docs.arm_expressions import BicepSyntaxError
from generator.docs.bicep_types import TypeCompiler, parse_decorators


def compiler(derived: str = "array") -> TypeCompiler:
    known = {"lockType": "lockType", "types.shelfType": "shelfType"}
    return TypeCompiler(named=known.get, derived=lambda reference, path: derived)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("string", {"type": "string"}),
        ("int?", {"type": "int", "nullable": True}),
        ("'a' | 'b'", {"type": "string", "allowedValues": ["a", "b"]}),
        ("('a' | 'b')?", {"type": "string", "allowedValues": ["a", "b"], "nullable": True}),
        ("'a' | 'b'?", {"type": "string", "allowedValues": ["a", "b"], "nullable": True}),
        ("'a' | null", {"type": "string", "allowedValues": ["a"], "nullable": True}),
        ("('x' | 'y')[]", {"type": "array", "allowedValues": ["x", "y"]}),
        ("lockType?", {"$ref": "#/definitions/lockType", "nullable": True}),
        ("types.shelfType[]", {"type": "array", "items": {"$ref": "#/definitions/shelfType"}}),
        ("string[]?", {"type": "array", "items": {"type": "string"}, "nullable": True}),
        ("[string, int]", {"type": "array", "prefixItems": [{"type": "string"}, {"type": "int"}], "items": False}),
        ("resourceInput<'Microsoft.X/y@2024-01-01'>.properties.rules", {"type": "array"}),
        ("| 'one'\n| 'two'", {"type": "string", "allowedValues": ["one", "two"]}),
        (
            "{ cpu: '0.25', memory: '0.5Gi' } | { cpu: '1', memory: '2Gi' }",
            {"type": "object", "allowedValues": [{"cpu": "0.25", "memory": "0.5Gi"}, {"cpu": "1", "memory": "2Gi"}]},
        ),
    ],
)
def test_types_compile_as_the_template_holds_them(text: str, expected: dict) -> None:
    assert compiler().compile(text) == expected


def test_object_types_keep_their_decorated_properties() -> None:
    text = """{
  @description('Required. The name.')
  name: string

  #disable-next-line no-unused
  @secure()
  @description('Optional. A secret.')
  secret: string?

  @minValue(1)
  @sys.maxValue(5) // the service's limit
  count: int?

  @description('Optional. Anything else.')
  *: string
}"""
    schema = compiler().compile(text)
    assert schema["properties"]["name"] == {"type": "string", "metadata": {"description": "Required. The name."}}
    assert schema["properties"]["secret"]["type"] == "securestring"
    assert schema["properties"]["count"] == {"type": "int", "nullable": True, "minValue": 1, "maxValue": 5}
    assert schema["additionalProperties"] == {"type": "string", "metadata": {"description": "Optional. Anything else."}}


def test_a_discriminated_union_keeps_its_members() -> None:
    decorators = parse_decorators("@discriminator('kind')")
    schema = compiler().compile("lockType | types.shelfType", decorators)
    assert schema["discriminator"]["propertyName"] == "kind"
    assert [m["$ref"] for m in schema["discriminator"]["mapping"]] == [
        "#/definitions/lockType",
        "#/definitions/shelfType",
    ]


def test_parameter_decorators_add_allowed_values_and_example() -> None:
    decorators = parse_decorators("@allowed([\n  'B'\n  'A'\n])\n@metadata({ example: 'x' })")
    assert compiler().compile("string", decorators) == {
        "type": "string",
        "allowedValues": ["B", "A"],
        "metadata": {"example": "x"},
    }


@pytest.mark.parametrize("text", ["unknownType", "{ name string }", "string[", "<"])
def test_unreadable_types_are_syntax_errors(text: str) -> None:
    with pytest.raises(BicepSyntaxError):
        compiler().compile(text)
