"""The text of a Bicep module's README: the one renderer of a `Readme`, for `avm new`/`avm add` and `avm docs`.

`readme_sections` gives the README as its head (title, notices, description, reference block) and its `##`
sections, so `avm docs` can replace the generated sections of a README and keep the others; `render_readme`
joins them into the file's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.bicep.readme import ParamBlock, ParamSection, ParamTable, Readme

NONE = "_None_"
CROSS_REFERENCE_INTRO = (
    "This section gives you an overview of all local-referenced module files (i.e., other modules that are referenced "
    "in this module) and all remote-referenced files (i.e., Bicep modules that are referenced from a Bicep Registry or "
    "Template Specs)."
)
DATA_COLLECTION = (
    "The software may collect information about you and your use of the software and send it to Microsoft. "
    "Microsoft may use this information to provide services and improve our products and services. You may turn off "
    "the telemetry as described in the [repository](https://aka.ms/avm/telemetry). There are also some features in "
    "the software that may enable you and Microsoft to collect data from users of your applications. If you use these "
    "features, you must comply with applicable law, including providing appropriate notices to users of your "
    "applications together with a copy of Microsoft's privacy statement. Our privacy statement is located at "
    "<https://go.microsoft.com/fwlink/?LinkID=824704>. You can learn more about data collection and use in the help "
    "documentation and our privacy statement. Your use of the software operates as your consent to these practices."
)


@dataclass(frozen=True)
class Section:
    heading: str  # '## Parameters'; '' for the head before the first section
    lines: tuple[str, ...]  # the heading line and everything up to the next section, without trailing blank lines

    @property
    def title(self) -> str:
        return self.heading.removeprefix("## ").strip()


def render_readme(readme: Readme) -> str:
    return join_sections(readme_sections(readme))


def join_sections(sections: list[Section]) -> str:
    return "\n\n".join("\n".join(s.lines) for s in sections if s.lines) + "\n"


def navigation_section(titles: list[str]) -> Section:
    links = [f"- [{t}](#{t.replace(' ', '-').replace('.', '')})" for t in titles]
    return Section("## Navigation", ("## Navigation", "", *links))


def readme_sections(readme: Readme) -> list[Section]:
    """The head, Navigation, then every generated section the README has, in order."""
    body = [
        Section("## Resource Types", ("## Resource Types", "", *resource_type_lines(readme))),
        *([usage_section(readme)] if readme.usage is not None else []),
        Section("## Parameters", ("## Parameters", "", *parameter_lines(readme.parameters))),
        Section("## Outputs", ("## Outputs", "", *output_lines(readme))),
    ]
    if readme.cross_references:
        rows = [f"| `{r.reference}` | {r.kind} |" for r in readme.cross_references]
        lines = ("## Cross-referenced modules", "", CROSS_REFERENCE_INTRO, "", "| Reference | Type |", "| :-- | :-- |")
        body.append(Section("## Cross-referenced modules", (*lines, *rows)))
    if readme.data_collection:
        body.append(Section("## Data Collection", ("## Data Collection", "", DATA_COLLECTION)))
    return [head_section(readme), navigation_section([s.title for s in body]), *body]


def head_section(readme: Readme) -> Section:
    lines = [f"# {readme.name} `[{readme.resource_type}]`", ""]
    for notice in readme.notices:
        lines += [*notice.split("\n"), ""]
    lines.append(readme.description)
    if readme.reference is not None:
        ref = readme.reference
        lines += [
            "",
            "You can reference the module as follows:",
            "```bicep",
            f"module {ref.symbol} '{ref.registry_ref}' = {{",
            "  params: { (...) }",
            "}",
            "```",
            "For examples, please refer to the [Usage Examples](#usage-examples) section.",
        ]
    return Section("", tuple(lines))


def resource_type_lines(readme: Readme) -> list[str]:
    if not readme.resource_types:
        return [NONE]
    lines = ["| Resource Type | API Version | References |", "| :-- | :-- | :-- |"]
    for row in readme.resource_types:
        links = f"<li>[AzAdvertizer]({row.azadvertizer_url})</li><li>[Template reference]({row.reference_url})</li>"
        lines.append(f'| `{row.type}` | {row.api_version} | <ul style="padding-left: 0px;">{links}</ul> |')
    return lines


def usage_section(readme: Readme) -> Section:
    assert readme.usage is not None
    return Section("## Usage examples", tuple(readme.usage.markdown.rstrip("\n").split("\n")))


def parameter_lines(section: ParamSection) -> list[str]:
    entries = list(section.entries())
    if not entries:
        return [NONE]
    lines: list[str] = []
    for entry in entries:
        if lines:
            lines.append("")
        lines += table_lines(entry) if isinstance(entry, ParamTable) else block_lines(entry)
    return lines


def table_lines(table: ParamTable) -> list[str]:
    rows = [f"| [`{r.name}`]({r.anchor}) | {r.type} | {r.description} |" for r in table.rows]
    return [f"**{table.category} parameters**", "", "| Parameter | Type | Description |", "| :-- | :-- | :-- |", *rows]


def block_lines(block: ParamBlock) -> list[str]:
    lines = [f"### Parameter: `{block.path}`", "", block.description, ""]
    lines += [f"- Required: {'Yes' if block.required else 'No'}", f"- Type: {block.type}"]
    if block.default is not None:
        lines += value_lines("Default", block.default.split("\n"))
    if block.allowed:
        lines += value_lines("Allowed", list(block.allowed))
    if block.min_value is not None:
        lines.append(f"- MinValue: {block.min_value}")
    if block.max_value is not None:
        lines.append(f"- MaxValue: {block.max_value}")
    if block.roles:
        lines += ["- Roles configurable by name:", *(f"  - `'{role}'`" for role in block.roles)]
    if block.example:
        lines += value_lines("Example", list(block.example))
    if block.discriminator:
        lines.append(f"- Discriminator: `{block.discriminator}`")
    for rows in block.variant_tables:
        lines += ["", "<h4>The available variants are:</h4>", "", "| Variant | Description |", "| :-- | :-- |"]
        lines += [f"| [`{r.name}`]({r.anchor}) | {r.description} |" for r in rows]
    for variant in block.variants:
        lines += ["", f"### Variant: `{variant.path}`", variant.description, ""]
        lines.append(f"To use this variant, set the property `{variant.discriminator}` to `{variant.value}`.")
        if variant.section is not None:
            lines += ["", *parameter_lines(variant.section)]
    return lines


def value_lines(label: str, values: list[str]) -> list[str]:
    """`- Default: `x`` on one line, or a fenced Bicep block for several lines."""
    if len(values) == 1 and label != "Allowed":
        return [f"- {label}: `{values[0]}`"]
    return [f"- {label}:", "  ```Bicep", *(f"  {v}" for v in values), "  ```"]


def output_lines(readme: Readme) -> list[str]:
    if not readme.outputs:
        return [NONE]
    if not any(row.description for row in readme.outputs):
        return ["| Output | Type |", "| :-- | :-- |", *(f"| `{r.name}` | {r.type} |" for r in readme.outputs)]
    rows = [f"| `{r.name}` | {r.type} | {r.description} |" for r in readme.outputs]
    return ["| Output | Type | Description |", "| :-- | :-- | :-- |", *rows]
