"""What an `azapi_resource` sends, as `body.Body`, for the schema rules: its `body` object as far as it is literal,
with the attributes AzAPI puts into the request beside it (`name`, `location`, `tags`, the `identity` block).

The type is the `type` attribute: a literal `"Namespace/type@version"`, `var.resource_types.<key>` whose value is
the default the module's `resource_types` variable gives that key, or a variable whose default is a literal type.
Python-hcl2 gives the values, and `hcl_reader.object_key_positions` the lines of the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from generator.check.body import Body, Field
from generator.check.hcl_reader import Block, expr, object_key_positions
from generator.check.rules.terraform.type_parser import parse_type

TYPE_RE = re.compile(r"^(?P<type>[A-Za-z][\w.-]*(?:/[\w.-]+)+)@(?P<version>\d{4}-\d{2}-\d{2}(?:-[A-Za-z]+)?)$")
VARIABLE_RE = re.compile(r"^var\.([A-Za-z_][\w-]*)$")
RESOURCE_TYPES_RE = re.compile(r"^var\.resource_types\.([A-Za-z_][\w-]*)$")
BESIDE_BODY = ("name", "location", "tags")  # attributes AzAPI sends as the top-level properties of that name


@dataclass(frozen=True)
class AzapiResource:
    type_name: str
    api_version: str
    body: Body  # `body` and `sensitive_body` merged, as AzAPI merges them, with the attributes sent beside them
    sensitive: Body | None  # `sensitive_body`, when it is a literal object


def resource_type(block: Block, variables: dict[str, Block]) -> tuple[str, str] | None:
    """(`Namespace/type`, API version) of an azapi_resource, when the module tells it without evaluation."""
    written = block.body.get("type")
    text = expr(written)
    if text is None:
        value = written
    elif key := RESOURCE_TYPES_RE.match(text):
        value = _resource_types_default(variables.get("resource_types"), key.group(1))
    else:
        variable = VARIABLE_RE.match(text)
        value = (
            variables[variable.group(1)].body.get("default") if variable and variable.group(1) in variables else None
        )
    match = TYPE_RE.match(value.strip()) if isinstance(value, str) else None
    return (match.group("type"), match.group("version")) if match else None


def _resource_types_default(variable: Block | None, key: str) -> str | None:
    """The default of `key` in the `resource_types` variable: `optional(string, "...")` in its type, else its
    `default`."""
    if variable is None:
        return None
    parsed = parse_type(variable.body.get("type"))
    if isinstance(parsed, tuple) and parsed[0] == "object" and key in parsed[1]:
        _, _, default = parsed[1][key]
        if default is not None and default.startswith('"') and default.endswith('"'):
            return default[1:-1]
    default = variable.body.get("default")
    value = default.get(key) if isinstance(default, dict) else None
    return value if isinstance(value, str) and expr(value) is None else None


def read(block: Block, resolved: tuple[str, str]) -> AzapiResource:
    """What the resource of that type (`resource_type`) sends."""
    body, sensitive = (_sent(block, attribute) for attribute in ("body", "sensitive_body"))
    merged = _merged(Body(tuple(_beside_body(block)), line=block.line), _merged(body, sensitive))
    return AzapiResource(
        *resolved, replace(merged, line=body.line, col=body.col), sensitive if sensitive.closed else None
    )


def _sent(block: Block, attribute: str) -> Body:
    """What `body` or `sensitive_body` sends: nothing when it is absent, an open body when it is an expression."""
    if attribute not in block.body:
        return Body((), line=block.line)
    return _attribute_body(block, attribute) or Body((), closed=False, line=block.attr_line(attribute))


def _merged(first: Body, second: Body) -> Body:
    """`second` merge-patched into `first`, as AzAPI sends `sensitive_body` within `body`."""
    fields = list(first.fields)
    for item in second.fields:
        index = next((i for i, f in enumerate(fields) if f.key.lower() == item.key.lower()), None)
        if index is None:
            fields.append(item)
        elif fields[index].object is not None and item.object is not None:
            fields[index] = replace(fields[index], object=_merged(fields[index].object, item.object))
        elif item.object is None:  # an expression patched into a literal: what it sends is not known
            fields[index] = item
    return Body(tuple(fields), first.closed and second.closed, first.line, first.col)


def _beside_body(block: Block) -> list[Field]:
    fields = [
        _field(name, block.body[name], (block.attr_line(name), 3), None) for name in BESIDE_BODY if name in block.body
    ]
    dynamic = block.body.get("dynamic", [])
    labels = {k for d in (dynamic if isinstance(dynamic, list) else [dynamic]) if isinstance(d, dict) for k in d}
    if "identity" in block.body or "identity" in labels:
        fields.append(Field("identity", block.attr_line("identity" if "identity" in block.body else "dynamic"), 3))
    return fields


def _attribute_body(block: Block, attribute: str) -> Body | None:
    """The object literal assigned to `attribute`, or None when it is absent or an expression."""
    value = block.body.get(attribute)
    if not isinstance(value, dict):
        return None
    positions = object_key_positions(block, attribute)
    return _object(value, (), positions, positions.get((), (block.attr_line(attribute), 3)))


def _object(value: dict[str, Any], path: tuple[str, ...], positions: dict, where: tuple[int, int]) -> Body:
    fields = []
    closed = True
    for key, item in value.items():
        if expr(key) is not None or key.startswith("("):
            closed = False  # a key computed from an expression
            continue
        fields.append(_field(key, item, positions.get((*path, key), where), (path, positions)))
    return Body(tuple(fields), closed, *where)


def _field(key: str, value: Any, where: tuple[int, int], inside: tuple[tuple[str, ...], dict] | None) -> Field:
    text = expr(value)
    inner = None
    if isinstance(value, dict) and inside is not None:
        path, positions = inside
        inner = _object(value, (*path, key), positions, where)
    literal = value if isinstance(value, str) and text is None and "${" not in value else None
    variable = VARIABLE_RE.match(text) if text is not None else None
    return Field(key, where[0], where[1], inner, literal, variable.group(1) if variable else None)
