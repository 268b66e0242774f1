"""A test's module parameters as a README usage example shows them, the way BRM's `Set-ModuleReadMe.ps1` does.

The script works on the text of the test's `params: {...}` block. It first drops `${namePrefix}` (and one
`-`, `.` or `_` after it), writes the test's `serviceShort` into the names and shows `location` as
`'<location>'`. It then turns each line into JSON: a property whose value is anything but a literal
(a reference, a function call, an interpolated string, a condition, `null`) is shown as `'<property>'`; an
array item that is a reference shows its last segment (`'<subnetResourceId>'`), a bare name shows itself
(`'<addressPrefix>'`), an interpolated string has its `${...}` replaced by `<value>`. The checks are
textual, so they are made here on the same text (a member's value with the comment ending its line), member
by member of the `bicep_values` tree.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.docs import bicep_values as bv
from generator.docs.bicep_values import Member, Value

TOP_LEVEL_KEY_RE = re.compile(r"[0-9a-zA-Z]+")
# The script's line checks (ConvertTo-FormattedJSONParameterObject), on a line already turned to JSON quotes.
HAS_VALUE_RE = re.compile(r"^\s*.+?:\s+")
EMPTY_OBJECT_RE = re.compile(r"^.+:\s*{\s*}\s*$")
PROPERTY_REFERENCE_RE = re.compile(r'(?<=[^"])\b\.\b(?=[^"]*$)')
NESTED_REFERENCE_RE = re.compile(r"['|\"]{1}.*(?<!\\)\$\{.+")
STRING_VALUE_RE = re.compile(r'^".+"$')
FUNCTION_RE = re.compile(r"^[a-zA-Z0-9]+\(.+")
PLAIN_VALUE_RE = re.compile(r"^\w+$")
PRIMITIVE_VALUE_RE = re.compile(r"^\s*(true|false|[0-9])+$")
CONDITION_RE = re.compile(r"^\w+ [=!?|&]{2} .+\?.+\:.+$")
OPEN_FUNCTION_RE = re.compile(r"[a-zA-Z]+\s*\([^\)]*\s*$")
BARE_NAME_RE = re.compile(r"^\s*[a-zA-Z]+\s*$")
INTERPOLATED_ITEM_RE = re.compile(r"['|\"]{1}.*\$\{.+")
INTERPOLATION_RE = re.compile(r"\$\{.+\}")
KEY_END = '}"'
SERVICE_SHORT_RE = re.compile(r"(?m)^param serviceShort string = '(.+)'\s*$")


class NotLiteral(ValueError):
    """A value the README cannot show as JSON."""


def service_short(test_source: str) -> str:
    """The test's `serviceShort` parameter default ('' when it has none)."""
    found = SERVICE_SHORT_RE.search(test_source)
    return found.group(1).rstrip("\r") if found else ""


def with_placeholders(params_text: str, short: str) -> str:
    """The textual replacements the script makes before reading the block."""
    text = params_text.replace("${serviceShort}", short)
    text = re.sub(r"\$\{namePrefix\}[-|\.|_]?", "", text)
    return re.sub(r"(?m):\s*location\s*$", ": '<location>'", text)


def shown_params(params_text: str, short: str = "") -> dict[str, Any]:
    """The module parameters of a test's `params` object text, keyed by name, as the README shows them.

    Only the parameters whose name is letters and digits are kept, as the script keeps them."""
    block = bv.read(with_placeholders(params_text, short))
    if block.kind != bv.OBJECT:
        raise bv.BicepSyntaxError("the test's params are not an object")
    shown = shown_object(block)
    names = [bv.key_text(m.key) for m in block.members if m.key and TOP_LEVEL_KEY_RE.fullmatch(m.key)]
    return {name: shown[name] for name in names if name in shown}


def shown_object(value: Value) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for member in value.members:
        key, shown = shown_property(member)
        found[key] = shown
    return found


def shown_array(value: Value) -> list[Any]:
    return [shown_item(member) for member in value.members]


def json_quotes(text: str) -> str:
    """Bicep text with the script's quote swap: `"` escaped, `'` made `"`."""
    return text.replace('"', '\\"').replace("'", '"')


def with_comment(text: str, comment: str) -> str:
    """A member's line: its value and the comment ending it, both with the quote swap."""
    return f"{text} // {json_quotes(comment)}" if comment else text


def shown_property(member: Member) -> tuple[str, Any]:
    """One object property: its key and its value as shown."""
    assert member.key is not None
    key_json = json_quotes(member.key) if member.key.startswith("'") else f'"{member.key}"'
    key = json_key(key_json)
    value = member.value
    if value.multiline:
        return key, shown_container(value) if value.kind in (bv.OBJECT, bv.ARRAY) else f"<{key}>"
    line = with_comment(f"{key_json}: {json_quotes(value.text)}", member.comment)
    line_value = line[HAS_VALUE_RE.match(line).end() :].strip()  # type: ignore[union-attr]
    plain = PLAIN_VALUE_RE.search(line_value) and not PRIMITIVE_VALUE_RE.search(line_value)
    reference = PROPERTY_REFERENCE_RE.search(line_value) and not STRING_VALUE_RE.search(line_value)
    empty_object = EMPTY_OBJECT_RE.search(line)
    if (
        OPEN_FUNCTION_RE.search(line_value)
        or (reference and not empty_object)
        or NESTED_REFERENCE_RE.search(line_value)
        or FUNCTION_RE.search(line_value)
        or plain
        or CONDITION_RE.search(line_value)
    ):
        return key, f"<{key}>"
    if empty_object and "." in key_json:
        return f"<{key_json.split('.')[-1].rstrip(KEY_END)}>", {}
    try:
        return key, literal(value)
    except NotLiteral:
        return key, f"<{key}>"


def shown_container(value: Value) -> Any:
    return shown_object(value) if value.kind == bv.OBJECT else shown_array(value)


def json_key(key_json: str) -> str:
    try:
        return json_string(key_json)
    except NotLiteral:
        return bv.key_text(key_json)


def shown_item(member: Member) -> Any:
    """One array item as shown."""
    value = member.value
    if value.multiline:
        return shown_container(value) if value.kind in (bv.OBJECT, bv.ARRAY) else "<value>"
    text = json_quotes(value.text)
    line = with_comment(text, member.comment)
    if not HAS_VALUE_RE.search(line):
        if not re.search(r'".*"', line) and "." in line:
            return f"<{line.split('.')[-1].strip()}>"
        if BARE_NAME_RE.search(line):
            return f"<{line.strip()}>"
    try:
        if INTERPOLATED_ITEM_RE.search(text) and not HAS_VALUE_RE.search(line):
            return json_string(INTERPOLATION_RE.sub("<value>", text))
        return literal(value)
    except NotLiteral:
        return "<value>"


def json_string(text: str) -> str:
    """A string literal already in JSON quotes, read as the script's JSON reader reads it."""
    try:
        return json.loads(text.replace("\\$", "\\\\$"), strict=False)
    except json.JSONDecodeError as error:
        raise NotLiteral(text) from error


def literal(value: Value) -> Any:
    """A literal value (a string, number, bool, null, or an object or array of them) as JSON data."""
    if value.kind == bv.STRING:
        if value.text.startswith("'''"):
            return bv.string_value(value.text)
        return json_string(json_quotes(value.text))
    if value.kind == bv.NUMBER:
        return int(value.text)
    if value.kind == bv.BOOL:
        return value.text == "true"
    if value.kind == bv.NULL:
        return None
    if value.kind == bv.OBJECT:
        return {bv.key_text(m.key): literal(m.value) for m in value.members if m.key is not None}
    if value.kind == bv.ARRAY:
        return [literal(m.value) for m in value.members]
    raise NotLiteral(value.text)
