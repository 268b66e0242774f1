"""The reader of Bicep values (`generator.docs.bicep_values`): what each kind of expression reads as."""

from __future__ import annotations

import pytest

from generator.docs import bicep_values as bv

OBJECT_TEXT = """{
  name: '${namePrefix}${serviceShort}001' // the resource name
  'hidden-title': 'It\\'s visible'
  count: -3
  enabled: true
  missing: null
  subnet: nestedDependencies.outputs.subnetResourceId
  /* a block
     comment */
  role: subscriptionResourceId(
    'Microsoft.Authorization/roleDefinitions',
    'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  )
  mode: iteration == 'init' ? 'Create' : 'Update'
  nested: {
    items: [
      'a'
      {
        deep: [
          []
        ]
      }
    ]
  }
  inline: { type: 'rdb', frequency: '6h' }
  list: ['x', 'y']
  script: '''
first line
second 'line'
'''
}"""


@pytest.fixture(scope="module")
def value() -> bv.Value:
    return bv.read(OBJECT_TEXT)


def member(value: bv.Value, key: str) -> bv.Member:
    return next(m for m in value.members if m.key is not None and bv.key_text(m.key) == key)


def test_an_object_reads_member_by_member_with_keys_as_written(value: bv.Value) -> None:
    assert value.kind == bv.OBJECT and value.multiline
    keys = [m.key for m in value.members]
    assert keys == [
        "name",
        "'hidden-title'",
        "count",
        "enabled",
        "missing",
        "subnet",
        "role",
        "mode",
        "nested",
        "inline",
        "list",
        "script",
    ]
    assert bv.key_text("'hidden-title'") == "hidden-title"


def test_each_expression_keeps_its_text_and_kind(value: bv.Value) -> None:
    kinds = {bv.key_text(m.key or ""): (m.value.kind, m.value.text) for m in value.members}
    assert kinds["name"] == (bv.STRING, "'${namePrefix}${serviceShort}001'")
    assert kinds["hidden-title"] == (bv.STRING, "'It\\'s visible'")
    assert kinds["count"] == (bv.NUMBER, "-3")
    assert kinds["enabled"] == (bv.BOOL, "true")
    assert kinds["missing"] == (bv.NULL, "null")
    assert kinds["subnet"] == (bv.REFERENCE, "nestedDependencies.outputs.subnetResourceId")
    assert kinds["mode"] == (bv.EXPRESSION, "iteration == 'init' ? 'Create' : 'Update'")
    role_kind, role_text = kinds["role"]
    assert role_kind == bv.CALL and role_text.startswith("subscriptionResourceId(\n") and role_text.endswith(")")


def test_a_line_comment_belongs_to_its_member_and_block_comments_are_skipped(value: bv.Value) -> None:
    assert member(value, "name").comment == "the resource name"
    assert all(m.comment == "" for m in value.members if m.key != "name")


def test_nested_objects_and_arrays(value: bv.Value) -> None:
    nested = member(value, "nested").value
    items = nested.get("items")
    assert items is not None and items.kind == bv.ARRAY
    assert [m.key for m in items.members] == [None, None]
    assert items.members[0].value.text == "'a'"
    deep = items.members[1].value.get("deep")
    assert deep is not None and deep.members[0].value.kind == bv.ARRAY and deep.members[0].value.members == ()


def test_single_line_objects_and_arrays_are_read_by_commas(value: bv.Value) -> None:
    inline = member(value, "inline").value
    assert not inline.multiline
    assert [(m.key, m.value.text) for m in inline.members] == [("type", "'rdb'"), ("frequency", "'6h'")]
    assert [m.value.text for m in member(value, "list").value.members] == ["'x'", "'y'"]


def test_multi_line_strings(value: bv.Value) -> None:
    script = member(value, "script").value
    assert script.kind == bv.STRING
    assert bv.string_value(script.text) == "first line\nsecond 'line'\n"


def test_string_values_resolve_escapes() -> None:
    assert bv.string_value("'It\\'s \\${x} a\\ttab'") == "It's ${x} a\ttab"


def test_interpolations_may_hold_strings_and_braces() -> None:
    text = "{\n  id: '${split(x.id, '/')[4]}-${{ a: 1 }.a}'\n  next: 1\n}"
    found = bv.read(text)
    assert [m.value.text for m in found.members] == ["'${split(x.id, '/')[4]}-${{ a: 1 }.a}'", "1"]


def test_loops_and_conditions() -> None:
    loop = bv.read("[\n  for iteration in ['init', 'idem']: if (true) {\n    params: {}\n  }\n]")
    assert loop.kind == bv.LOOP
    body = bv.read(bv.unconditioned(bv.loop_body(loop)))
    params = body.get("params")
    assert params is not None and params.kind == bv.OBJECT and params.members == ()


@pytest.mark.parametrize(
    "text",
    ["{\n  name: 'open\n}", "{\n  name 'x'\n}", "[\n  'a'\n", "{\n  ...spread\n}", "{ a: 1 } trailing"],
)
def test_what_it_cannot_read_is_a_syntax_error(text: str) -> None:
    with pytest.raises(bv.BicepSyntaxError):
        bv.read(text)
