"""The Terraform shape of a resource property, from its Azure type definition: the variable's exact `type`, the
"- `attr` - ..." lines of its description, and the expression that maps the variable back to the body.

A variable's nested attributes are the snake_case of the body's camelCase keys (`ip_rules` for `ipRules`), so
the body maps them back; where every name of a subtree reads the same in both cases the variable is sent as it
is. Objects are `object({...})` with `optional()` for the attributes the schema does not require, maps
(additionalProperties) `map(...)`, arrays `list(...)`; a discriminated object takes the attributes of every
variant, the discriminator required. A type that contains itself is `any` where it recurs, and its value is sent
as given (in the body's camelCase).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator import naming
from generator.azure_types.facts import TypeFacts, describe
from generator.azure_types.nodes import ArrayType, DiscriminatedObjectType, ObjectType, Property, TypeRef
from generator.property_selection import WORDY_NAME
from generator.property_text import description_sentence, words_of
from generator.terraform.hcl import obj

SCALARS = {"string": "string", "enum": "string", "int": "number", "bool": "bool"}


@dataclass(frozen=True)
class Attribute:
    key: str  # the body's camelCase key
    name: str  # the variable's snake_case attribute
    shape: Shape
    required: bool
    description: str | None = None  # the schema's, when it came with descriptions


@dataclass(frozen=True)
class Shape:
    kind: str  # string, number, bool, any, list, map, object
    facts: TypeFacts | None = None  # of a scalar: enum, limits, pattern
    item: Shape | None = None  # what a list or a map holds
    attributes: tuple[Attribute, ...] = ()
    secret: bool = False  # holds a sensitive or write-only value somewhere

    @property
    def collection(self) -> bool:
        return self.kind in ("list", "map")

    @property
    def renamed(self) -> bool:
        """Whether some attribute of the subtree is named otherwise in the variable than in the body."""
        if self.kind == "object":
            return any(a.key != a.name or a.shape.renamed for a in self.attributes)
        return self.item is not None and self.item.renamed


ANY = Shape("any")


def attribute_name(key: str) -> str:
    return naming.snake(key)


# ---------------------------------------------------------------------------------------------------------------------
# From the schema
# ---------------------------------------------------------------------------------------------------------------------


def shape_of(refs: Sequence[TypeRef], stack: frozenset[int] = frozenset()) -> Shape:
    """The shape of a value of one of the types `refs` (a property's variants: of one kind, or merged objects)."""
    refs = [r for r in dict.fromkeys(refs)]
    if any(r.index in stack for r in refs):
        return ANY
    inner = stack | {r.index for r in refs}
    nodes = [r.resolve() for r in refs]
    if all(isinstance(n, (ObjectType, DiscriminatedObjectType)) for n in nodes):
        maps = [n for n in nodes if isinstance(n, ObjectType) and not n.properties]
        if maps and len(maps) == len(nodes):
            values = [n.additional_properties for n in maps if n.additional_properties is not None]
            item = shape_of(values, inner) if values else ANY
            return Shape("map", item=item, secret=item.secret)
        return object_shape(nodes, inner)
    first = nodes[0]
    if isinstance(first, ArrayType):
        items = [n.item_type for n in nodes if isinstance(n, ArrayType)]
        item = shape_of(items, inner)
        return Shape("list", facts=describe(refs[0]), item=item, secret=item.secret)
    facts = describe(refs[0])
    if facts.kind in SCALARS:
        return Shape(SCALARS[facts.kind], facts=facts, secret=facts.sensitive)
    return ANY


def object_shape(nodes: Sequence[ObjectType | DiscriminatedObjectType], stack: frozenset[int]) -> Shape:
    """The attributes of every object (every variant of a discriminated one), required where all require them."""
    sources: list[tuple[Mapping[str, Property], bool]] = []
    discriminators: dict[str, list[str]] = {}
    for node in nodes:
        if isinstance(node, ObjectType):
            sources.append((node.properties, True))
            continue
        sources.append((node.base_properties, True))
        discriminators.setdefault(node.discriminator, []).extend(node.elements)
        for ref in node.elements.values():
            element = ref.resolve()
            if isinstance(element, ObjectType):
                sources.append((element.properties, False))
    gathered: dict[str, list[tuple[Property, bool]]] = {}
    for properties, always in sources:
        for key, prop in properties.items():
            gathered.setdefault(key, []).append((prop, always))
    attributes: list[Attribute] = []
    names: set[str] = set()
    secret = False
    for key, found in gathered.items():
        if all(p.read_only for p, _ in found) or not WORDY_NAME.match(key) or attribute_name(key) in names:
            continue
        names.add(attribute_name(key))
        if key in discriminators:
            shape = Shape("string", facts=TypeFacts(kind="enum", enum=tuple(dict.fromkeys(discriminators[key]))))
            required = True
        else:
            shape = shape_of([p.type for p, _ in found], stack)
            required = all(p.required and always for p, always in found) and len(found) == len(nodes)
        write_only = any(p.write_only for p, _ in found)
        secret = secret or shape.secret or write_only
        described = next((p.description for p, _ in found if p.description), None)
        attributes.append(Attribute(key, attribute_name(key), shape, required, described))
    if not attributes:
        return ANY
    return Shape("object", attributes=tuple(attributes), secret=secret)


# ---------------------------------------------------------------------------------------------------------------------
# As Terraform
# ---------------------------------------------------------------------------------------------------------------------


def type_text(shape: Shape) -> str:
    """The Terraform type: `string`, `list(string)`, `object({ ... })` written one attribute a line."""
    if shape.kind == "list":
        return f"list({type_text(shape.item or ANY)})"
    if shape.kind == "map":
        return f"map({type_text(shape.item or ANY)})"
    if shape.kind == "object":
        fields = [
            (a.name, type_text(a.shape) if a.required else f"optional({type_text(a.shape)})") for a in shape.attributes
        ]
        return f"object({obj(fields)})"
    return shape.kind


def attribute_lines(shape: Shape, thing: str, depth: int = 0) -> list[str]:
    """The "- `attr` - (Required|Optional) ..." lines of an object's attributes (of what a list or map holds),
    nested attributes indented below their object; the schema's description of an attribute where it has one."""
    if shape.kind in ("list", "map") and shape.item is not None:
        return attribute_lines(shape.item, thing, depth)
    lines = []
    pad = "  " * depth
    for a in shape.attributes:
        kind = a.shape.facts.kind if a.shape.facts is not None else a.shape.kind
        sentence = description_sentence(a.description, a.key, kind, thing)
        values = allowed_text(a.shape)
        lines.append(f"{pad}- `{a.name}` - ({'Required' if a.required else 'Optional'}) {sentence}{values}")
        lines += attribute_lines(a.shape, " ".join(words_of(a.key)), depth + 1)
    return lines


def allowed_text(shape: Shape) -> str:
    """` Possible values are `A` and `B`.` for a closed set of values; `` otherwise."""
    facts = shape.facts
    if facts is None or not facts.closed_enum:
        return ""
    listed = [f"`{v}`" for v in facts.enum]
    joined = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
    return f" Possible values are {joined}." if len(listed) > 1 else f" The only possible value is {joined}."


def body_value(shape: Shape, source: str, nullable: bool, taken: frozenset[str] = frozenset()) -> str:
    """The expression that writes `source` (a variable, or an attribute of one) in the body's camelCase; null
    stays null (`ignore_null_property` leaves it out of the request)."""
    if not shape.renamed:
        return source
    if shape.kind == "object":
        fields = [(a.key, body_value(a.shape, f"{source}.{a.name}", not a.required, taken)) for a in shape.attributes]
        value = obj(fields)
    elif shape.kind == "list":
        item = loop_name(taken)
        value = f"[for {item} in {source} : {body_value(shape.item or ANY, item, False, taken | {item})}]"
    else:
        item = loop_name(taken)
        inner = body_value(shape.item or ANY, item, False, taken | {item})
        value = f"{{ for k{len(taken)}, {item} in {source} : k{len(taken)} => {inner} }}"
    return f"{source} == null ? null : {value}" if nullable else value


def loop_name(taken: frozenset[str]) -> str:
    return "item" if not taken else f"item{len(taken)}"
