"""Which of a resource's own properties a module makes parameters of: `--properties all|required|none|NAME,...`.

- `all` (the default): every writable property the module offers;
- `required`: only those the schema requires (always, or for some `kind`);
- `none`: none of the resource's own properties (the module's author writes them);
- `NAME,...`: the required ones and these.

Recorded in the module's answers as `properties`: the word, or the list of names.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.paths import read_data

if TYPE_CHECKING:
    from generator.azure_types.schema import ResourceSchema, SchemaProperty

ALL, REQUIRED, NONE = "all", "required", "none"
WORDS = (ALL, REQUIRED, NONE)

Selection = str | tuple[str, ...]


def parse(value: Any) -> Selection:
    """The selection a flag, an answers file or a data file gives; ValueError says what is wrong."""
    if value is None or value == "":
        return ALL
    if isinstance(value, str):
        if value.strip().lower() in WORDS:
            return value.strip().lower()
        names = [name.strip() for name in value.split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(name, str) for name in value):
        names = [name.strip() for name in value]
    else:
        raise ValueError(f"must be {', '.join(WORDS)} or a list of property names, not {value!r}")
    if not names or any(not name for name in names):
        raise ValueError(f"{value!r} has an empty property name")
    return tuple(dict.fromkeys(names))


def to_answer(selection: Selection) -> str | list[str]:
    return selection if isinstance(selection, str) else list(selection)


def wants(selection: Selection, name: str, required: bool) -> bool:
    """Whether a property of that name, required or not (for some `kind` included), becomes a parameter."""
    if selection == NONE:
        return False
    if selection == ALL or required:
        return True
    return selection != REQUIRED and name in selection


# Body properties that are the module's own parameters or an interface's, never a selectable property.
NOT_SELECTABLE = frozenset({"name", "location", "tags", "identity", "properties"})
# Properties the service sets, by name, wherever the schema forgets to flag them read-only; and literals.
NEVER_PARAMETERS = frozenset({"provisioningState", "true", "false", "null"})
# A parameter is named from the property's words: a property whose name has other characters is left out.
WORDY_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@cache
def server_set_paths(type_name: str) -> frozenset[str]:
    """The properties of a type the service sets although its schema calls them writable (`data/resource_outputs.yaml`,
    `server_set`): output, never sent."""
    entries = (read_data("resource_outputs.yaml") or {}).get("types", {}).get(type_name, {})
    return frozenset(path for path, entry in entries.items() if entry.get("server_set"))


def selectable(schema: ResourceSchema) -> list[SchemaProperty]:
    """The properties a module may make parameters of: writable, `properties.*` flattened, neither the module's nor
    an interface's own, not set by the service, named in words."""
    server_set = server_set_paths(schema.type_name)
    return [
        p
        for p in schema.flattened_properties
        if not p.read_only
        and p.name not in NOT_SELECTABLE | NEVER_PARAMETERS
        and p.path not in server_set
        and WORDY_NAME.match(p.name)
    ]


def offerable(schema: ResourceSchema) -> set[str]:
    """The names a selection may list."""
    return {p.name for p in selectable(schema)}
