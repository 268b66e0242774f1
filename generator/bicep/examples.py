"""A Bicep README's "Usage examples" section, written the way BRM's `Set-ModuleReadMe.ps1` writes it.

Each example is a test's module parameters, already in the form the README shows (`generator.docs.
example_params`), written three ways. The script orders them with `ConvertTo-OrderedHashtable`, prints them
with PowerShell's `ConvertTo-Json` and derives the Bicep forms from that JSON text line by line; the same
steps are taken here, so that a quirk of theirs shows the same way (a `"` in a value becomes `'`, dates lose
a zero fraction, the `// Non-required parameters` line follows the last required parameter the module has).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
INTRO = (
    "The following section provides usage examples for the module, which were used to validate and deploy the "
    "module successfully. For a full reference, please review the module's test folder in its repository."
)
ORDER_NOTE = ">**Note**: Each example lists all the required parameters first, followed by the rest - each in alphabetical order."
MULTI_SCOPE_NOTE = (
    "**Note**: This is a multi-scoped module. This means, you will find the 'Usage Examples' in the documentation "
    "of the correspondingly scoped child modules:"
)
SKIP_NOTE = (
    "> **Note**: This test is skipped from the CI deployment validation due to the presence of a `.e2eignore` file "
    "in the test folder. The reason for skipping the deployment is:"
)
SPECIAL_SYMBOLS = {"public-ip-addresses": "publicIPAddresses", "public-ip-prefixes": "publicIPPrefixes"}
# ICU's order of ASCII punctuation and symbols (PowerShell's `Sort-Object -Culture 'en-US'` on Linux).
SYMBOL_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
DATE_RE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?(Z|[+-]\d\d:\d\d)?")


# ---------------------------------------------------------------------------------------------------------------------
# The section's model
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One usage example: an e2e test written three ways."""

    number: int
    title: str
    description: str
    folder: str
    bicep_module: str
    json_parameters: str  # empty for a test that deploys no module (its file is shown as it is)
    bicep_parameters: str
    skip_reason: str = ""  # the test folder's `.e2eignore`

    @property
    def heading(self) -> str:
        return f"Example {self.number}: _{self.title}_"

    @property
    def anchor(self) -> str:
        return example_anchor(f"### {self.heading}")

    @property
    def test_path(self) -> str:
        return f"/tests/e2e/{self.folder}"


@dataclass(frozen=True)
class Usage:
    registry_ref: str
    examples: tuple[Example, ...]
    scoped_modules: tuple[str, ...] = ()  # a multi-scope module's scope folders, which hold its examples

    @property
    def markdown(self) -> str:
        """The section, from its `## Usage examples` heading to its last line."""
        return "\n".join(["## Usage examples", "", *section_lines(self)])


def example_anchor(header: str) -> str:
    """An example heading's anchor: `### Example 1: _Using only defaults_` -> `#example-1-using-only-defaults`."""
    text = re.sub(r"</?.+?>|[^A-Za-z0-9\s-]", "", header).strip()
    return "#" + re.sub(r"\s+", "-", text).lower()


def symbol_of(name: str) -> str:
    """The symbol examples give a module: its name's last segment in camelCase (`key-vault/vault` -> vault)."""
    segment = name.rsplit("/", 1)[-1]
    if segment in SPECIAL_SYMBOLS:
        return SPECIAL_SYMBOLS[segment]
    first, _, rest = segment.partition("-")
    return first.lower() + "".join(word[:1].upper() + word[1:].lower() for word in rest.split("-"))


def section_lines(usage: Usage) -> list[str]:
    if usage.scoped_modules:
        return [MULTI_SCOPE_NOTE, *(f"- `/{folder}/README.md`" for folder in usage.scoped_modules)]
    lines = [
        INTRO,
        "",
        ORDER_NOTE,
        "",
        f">**Note**: To reference the module, please use the following syntax `{usage.registry_ref}`.",
        "",
    ]
    lines += [f"- [{e.title}]({e.anchor})" for e in usage.examples]
    lines.append("")
    for e in usage.examples:
        lines += [f"### {e.heading}", *(["", e.description, ""] if e.description else [])]
        lines += [
            f"You can find the full example and the setup of its dependencies in the deployment test folder path [{e.test_path}]",
            "",
        ]
        if e.skip_reason:
            lines += [SKIP_NOTE, "```text", e.skip_reason, "```"]
        lines += details("via Bicep module", "bicep", e.bicep_module)
        if e.json_parameters:
            lines += details("via JSON parameters file", "json", e.json_parameters)
            lines += details("via Bicep parameters file", "bicep-params", e.bicep_parameters)
        lines.append("")
    return lines[:-1]


def details(summary: str, language: str, text: str) -> list[str]:
    return [
        "",
        "<details>",
        "",
        f"<summary>{summary}</summary>",
        "",
        f"```{language}",
        text,
        "```",
        "",
        "</details>",
        "<p>",
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Ordering (ConvertTo-OrderedHashtable)
# ---------------------------------------------------------------------------------------------------------------------


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    """en-US collation: symbols, then digits, then letters ignoring case; on a tie lower case first."""
    primary = []
    for char in text:
        lower = char.lower()
        if char in SYMBOL_ORDER:
            primary.append(SYMBOL_ORDER.index(char))
        elif char.isdigit() or char.isalpha():
            primary.append(100 + ord(lower))
        else:
            primary.append(ord(lower) + 0x10000)
    return tuple(primary), tuple(char.isupper() for char in text)


def sorted_primitives(items: Sequence[Any]) -> list[Any]:
    """`Sort-Object -Culture 'en-US'`: numbers by value, strings by collation, false before true."""

    def key(item: Any) -> tuple[int, Any]:
        if isinstance(item, bool):
            return (0, (int(item),))
        if isinstance(item, (int, float)):
            return (1, item)
        return (2, collation_key(str(item)))

    if any(isinstance(i, (dict, list)) or i is None for i in items):
        return list(items)
    kinds = {key(i)[0] for i in items}
    return sorted(items, key=key) if len(kinds) == 1 else list(items)


def ordered_params(shown: Mapping[str, Any], required: Sequence[str]) -> list[tuple[str, Any]]:
    """The parameters ordered recursively, the module's required ones first (Get-OrderedParametersJSON)."""
    top = ordered(as_read_back(dict(shown)))
    first = [(k, v) for k, v in top.items() if k in required]
    return first + [(k, v) for k, v in top.items() if k not in required]


def ordered(value: Any) -> Any:
    """Object keys sorted at every level, array items ordered by `ordered_items`."""
    if not isinstance(value, dict):
        return value
    return {
        key: ordered_items(value[key]) if isinstance(value[key], list) else ordered(value[key])
        for key in sorted(value, key=collation_key)
    }


def ordered_items(items: list[Any]) -> list[Any]:
    """Array items as the script orders them: nested arrays (each sorted), then objects as given, then the
    primitives sorted."""
    arrays = [sorted_primitives(i) for i in items if isinstance(i, list)]
    objects = [ordered(i) for i in items if isinstance(i, dict)]
    return [*arrays, *objects, *sorted_primitives([i for i in items if not isinstance(i, (list, dict))])]


def as_read_back(value: Any) -> Any:
    """The value after a JSON round trip through PowerShell: date-time strings reformatted."""
    if isinstance(value, dict):
        return {k: as_read_back(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_read_back(v) for v in value]
    if isinstance(value, str):
        match = DATE_RE.fullmatch(value)
        if match:
            fraction = (match.group(2) or "").rstrip("0")
            return f"{match.group(1)}{'.' + fraction if fraction else ''}{match.group(3) or ''}"
    return value


# ---------------------------------------------------------------------------------------------------------------------
# The three forms
# ---------------------------------------------------------------------------------------------------------------------


def json_text(value: Any) -> str:
    """PowerShell's `ConvertTo-Json`: two-space indent, `"key": value`, non-ASCII as it is."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def bicep_lines(params: Sequence[tuple[str, Any]]) -> list[str]:
    """The parameters as Bicep object members, derived from their JSON text (ConvertTo-FormattedBicep)."""
    if not params:
        return []
    lines = []
    for line in json_text(dict(params)).split("\n")[1:-1]:
        line = line.replace("'", "\\'").replace('"', "'")
        line = re.sub(r",$", "", line)
        line = re.sub(r"'(\w+)':", r"\1:", line)
        lines.append("  " + line.replace("\\\\$", "\\$"))
    return lines


def indent_of(line: str | None) -> int:
    return len(line) - len(line.lstrip()) if line else 0


def with_comments(lines: list[str], required: Sequence[str], count: int) -> list[str]:
    """`// Required parameters` first and `// Non-required parameters` after the module's last required
    parameter (Add-BicepParameterTypeComment); `count` is the number of parameters the example has."""
    if not required or count < 2:
        return lines
    indent = indent_of(lines[0])
    pad = " " * indent
    found = [f"{pad}// Required parameters", *lines]
    if count <= len(required):
        return found
    pattern = re.compile(rf"^\s{{{indent}}}{re.escape(required[-1])}:.+", re.I)
    start = next((i for i, line in enumerate(found) if pattern.search(line)), 0)
    end = start
    if indent_of(found[start + 1] if start + 1 < len(found) else None) > indent:
        closing = re.compile(rf"^\s{{{indent}}}\S+")
        end = next((i for i in range(start + 1, len(found)) if closing.search(found[i])), start)
    return [*found[: end + 1], f"{pad}// Non-required parameters", *found[end + 1 :]]


def bicep_module_example(params: Sequence[tuple[str, Any]], required: Sequence[str], symbol: str, ref: str) -> str:
    body = with_comments(bicep_lines(params), required, len(params)) or [""]
    lines = [f"module {symbol} '{ref}' = {{", "  params: {", *body, "  }", "}"]
    return "\n".join(line.rstrip() for line in lines)


def bicep_parameters_example(params: Sequence[tuple[str, Any]], required: Sequence[str], ref: str) -> str:
    """The Bicep parameters file; a test with no parameters gets an empty line (the script prints nothing)."""
    body = with_comments(bicep_lines(params), required, len(params))
    if not body:
        return f"using '{ref}'\n\n"
    indent = indent_of(body[0])
    pattern = re.compile(rf"^(\s{{{indent}}})([a-zA-Z]*)(:)(.*)")
    lines = [re.sub(rf"^\s{{{indent}}}", "", pattern.sub(r"param \2 =\4", line)) for line in body]
    return "\n".join(line.rstrip() for line in [f"using '{ref}'", "", *lines])


def parameter_count(params: Sequence[tuple[str, Any]]) -> int:
    """How many parameters the script counts for the JSON file: its `.Keys` is the value of a parameter named
    `keys` when there is one (a one-property `{value: ...}` object)."""
    return 1 if any(name.lower() == "keys" for name, _ in params) else len(params)


def json_parameters_example(params: Sequence[tuple[str, Any]], required: Sequence[str]) -> str:
    """The JSON parameters file (Build-OrderedJSONObject)."""
    document = {
        "$schema": PARAMETERS_SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {name: {"value": value} for name, value in params},
    }
    lines = json_text(document).split("\n")
    count = parameter_count(params)
    if not required or count < 2:
        return "\n".join(lines)
    start = next(i for i, line in enumerate(lines) if '"parameters": {' in line)
    indent = indent_of(lines[start + 1])
    pad = " " * indent
    lines = [*lines[: start + 1], f"{pad}// Required parameters", *lines[start + 1 :]]
    if count > len(required):
        pattern = re.compile(rf'^\s{{{indent}}}"{re.escape(required[-1])}": \{{.*', re.I)
        first = next((i for i, line in enumerate(lines) if pattern.search(line)), 0)
        closing = re.compile(rf"^\s{{{indent}}}\}}")
        end = next(i for i in range(first + 1, len(lines)) if closing.search(lines[i]))
        lines = [*lines[: end + 1], f"{pad}// Non-required parameters", *lines[end + 1 :]]
    return "\n".join(lines)


def example(
    number: int,
    test: ExampleSource,
    symbol: str,
    ref: str,
    required: Sequence[str],
    previous_file: str | None = None,
) -> Example:
    """One example from a test's shown parameters; `previous_file` is the Bicep parameters file written last,
    which a test with no parameters shows again (the script keeps it)."""
    params = ordered_params(test.params, required)
    bicep_parameters = bicep_parameters_example(params, required, ref)
    if not params and previous_file is not None:
        bicep_parameters = previous_file
    return Example(
        number=number,
        title=test.title,
        description=test.description,
        folder=test.folder,
        bicep_module=bicep_module_example(params, required, symbol, ref),
        json_parameters=json_parameters_example(params, required),
        bicep_parameters=bicep_parameters,
        skip_reason=test.skip_reason,
    )


@dataclass(frozen=True)
class ExampleSource:
    """What an example takes from one test: its metadata, folder and module parameters as shown."""

    title: str
    description: str
    folder: str
    params: Mapping[str, Any]
    skip_reason: str = ""
    source: str | None = None  # a test deploying no module: its file, shown as it is


def examples(tests: Sequence[ExampleSource], symbol: str, ref: str, required: Sequence[str]) -> tuple[Example, ...]:
    found: list[Example] = []
    last_file = None
    for number, test in enumerate(tests, start=1):
        if test.source is not None:
            found.append(
                Example(number, test.title, test.description, test.folder, test.source, "", "", test.skip_reason)
            )
            continue
        found.append(example(number, test, symbol, ref, required, last_file))
        if test.params:
            last_file = found[-1].bicep_parameters
    return tuple(found)
