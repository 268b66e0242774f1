"""Which read-only properties of a resource a module outputs, in either language (docs/bicep-resource.md, "Outputs").

The rule works on the type's schema and on no list per type: a property at the top of the body or directly in
`properties`, read-only (or set by the service, `data/resource_outputs.yaml`), of a kind an output can have, always
there, named with one of the rule's runs of words and none of its excluded words, and no secret. The Bicep outputs
(`generator.bicep.model`) and the Terraform outputs (`generator.terraform.properties`) are both written from
`output_properties`, each in its own language's names.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from generator import naming
from generator.azure_types.schema import PROPERTIES, ResourceSchema, SchemaProperty
from generator.paths import read_data

# The kinds an output can have; other kinds (enums, arrays, `any`) are not output.
OUTPUT_KINDS = ("string", "int", "bool", "object")


@cache
def output_rules() -> dict:
    """`data/resource_outputs.yaml`: the rule's words, and per type the names and exceptions real modules settled."""
    return read_data("resource_outputs.yaml")


def output_properties(schema: ResourceSchema) -> Iterator[tuple[SchemaProperty, str]]:
    """The properties the rule outputs, in schema order, each with its output's camelCase name (the table's name
    where real modules settled another than the property's)."""
    entries = output_rules()["types"].get(schema.type_name, {})
    top = [p for p in schema.body_properties if p.name != PROPERTIES]
    for prop in (*top, *schema.children(PROPERTIES)):
        entry = entries.get(prop.path, {})
        if (prop.read_only or entry.get("server_set")) and is_output(prop):
            yield prop, entry.get("name") or camel(prop.name)


def is_output(prop: SchemaProperty) -> bool:
    """Whether the rule outputs the property: a kind an output can have, always there (not only for some
    `kind`s), a name with one of the rule's runs of words and none of its excluded words, and no secret."""
    if prop.kind not in OUTPUT_KINDS or prop.conditional or prop.secret:
        return False
    rule = output_rules()["rule"]
    words = [w.lower() for w in naming.split_words(prop.name)]
    if set(words) & set(rule["excluded_words"]) or words[-1] in rule["secret_last_words"]:
        return False
    if any(has_run(words, phrase) for phrase in rule["secret_words"]):
        return False
    return any(has_run(words, phrase) for phrase in rule["words"])


def has_run(words: list[str], phrase: str) -> bool:
    """Whether the words of `phrase` follow one another in `words`."""
    run = phrase.split()
    return any(words[i : i + len(run)] == run for i in range(len(words) - len(run) + 1))


def camel(name: str) -> str:
    """A property's name as an output's: `TenantId` -> `tenantId`; `privateFQDN` stays."""
    first, *rest = naming.split_words(name)
    return first.lower() + "".join(rest) if first[:1].isupper() else name
