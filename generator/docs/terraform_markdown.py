"""The generated block of a Terraform README, as terraform-docs' "markdown document" formatter renders it.

Each section is laid out as terraform-docs' template lays it out, then cleaned up by `sanitize`; the
`content` template of `.terraform-docs.yml` puts the sections (and included files) together, and the output
template wraps them in the BEGIN/END markers. `avm new`, `avm add` and `avm docs` all render through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.docs.hcl_constants import go_json
from generator.docs.markdown_text import sanitize, sanitize_document, sanitize_section
from generator.docs.terraform_config import DocsConfig
from generator.docs.terraform_module import Input, ModuleCall, ModuleDocs, Output

_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.DOTALL)
_INCLUDE = re.compile(r'include\s+"((?:[^"\\]|\\.)*)"')


class TemplateError(ValueError):
    """A `content` template using more than sections and `include`."""


@dataclass(frozen=True)
class Page:
    """Everything one README's block is made of."""

    docs: ModuleDocs
    header: str
    footer: str
    include: Callable[[str], str]  # the text of a file of the module folder, for `{{ include "..." }}`


class _Renderer:
    def __init__(self, config: DocsConfig) -> None:
        self.config = config

    def heading(self, extra: int) -> str:
        return "#" * (self.config.indent + extra)

    def anchor(self, prefix: str, name: str) -> str:
        shown = name.replace("_", "\\_") if self.config.escape else name
        if not self.config.anchor:
            return shown
        target = f"{prefix}_{name}"
        escaped = target.replace("_", "\\_") if self.config.escape else target
        return f'<a name="{target}"></a> [{shown}](#{escaped})'

    def empty(self, title: str, nothing: str) -> str:
        return "" if self.config.hide_empty else f"{self.heading(0)} {title}\n\nNo {nothing}.\n"

    def description(self, text: str) -> str:
        return sanitize_document(text, self.config.escape)

    # ---- sections, each as terraform-docs' template writes it before `sanitize`
    def header(self, text: str) -> str:
        return f"{sanitize_section(text, self.config.escape)}\n\n" if text else ""

    def listing(self, title: str, nothing: str, intro: str, entries: list[str]) -> str:
        """A section of entries under a heading and an introduction, or the line saying there are none."""
        if not entries:
            return self.empty(title, nothing)
        return f"{self.heading(0)} {title}\n\n{intro}" + "".join(entries) + "\n"

    def requirements(self, docs: ModuleDocs) -> str:
        entries = [
            f"\n\n- {self.anchor('requirement', r.name)}{f' ({r.version})' if r.version else ''}"
            for r in docs.requirements
        ]
        return self.listing(
            "Requirements", "requirements", "The following requirements are needed by this module:", entries
        )

    def providers(self, docs: ModuleDocs) -> str:
        entries = [
            f"\n\n- {self.anchor('provider', f'{p.name}.{p.alias}' if p.alias else p.name)}"
            f"{f' ({p.version})' if p.version else ''}"
            for p in docs.providers
        ]
        return self.listing("Providers", "providers", "The following providers are used by this module:", entries)

    def resources(self, docs: ModuleDocs) -> str:
        wanted = {"managed": "resources" in self.config.sections, "data": "data-sources" in self.config.sections}
        shown = sorted(
            (r for r in docs.resources if wanted[r.mode]), key=lambda r: (r.mode != "managed", r.spec, r.name)
        )
        entries = [
            f"\n- {f'[{r.spec}]({r.url})' if r.url else r.spec} ({'resource' if r.mode == 'managed' else 'data source'})"
            for r in shown
        ]
        return self.listing("Resources", "resources", "The following resources are used by this module:\n", entries)

    def _input(self, item: Input) -> str:
        text = f"\n\n\n{self.heading(1)} {self.anchor('input', item.name)}\n\nDescription: {self.description(item.description)}\n\n"
        if self.config.type:
            text += f"Type: {_fenced(item.type, 'hcl')}"
        text += "\n\n"
        if self.config.default:
            text += "\n"
            if item.has_default or not self.config.required:
                text += f"\nDefault: {_default_text(item)}"
        return text

    def inputs(self, docs: ModuleDocs) -> str:
        items = self.sorted_inputs(docs.inputs)
        if not self.config.required:
            entries = [self._input(i) for i in items]
            return self.listing("Inputs", "inputs", "The following input variables are supported:", entries)
        required = [self._input(i) for i in items if not i.has_default]
        optional = [self._input(i) for i in items if i.has_default]
        text = self.listing(
            "Required Inputs", "required inputs", "The following input variables are required:", required
        )
        if text and not required:  # the template leaves a blank line after "No required inputs."
            text += "\n"
        intro = "The following input variables are optional (have default values):"
        return text + self.listing("Optional Inputs", "optional inputs", intro, optional)

    def outputs(self, docs: ModuleDocs) -> str:
        items = sorted(docs.outputs, key=lambda o: o.name) if self.config.sort else _by_position(docs.outputs)
        entries = [
            f"\n\n{self.heading(1)} {self.anchor('output', o.name)}\n\nDescription: {self.description(o.description)}\n\n\n"
            for o in items
        ]
        return self.listing("Outputs", "outputs", "The following outputs are exported:", entries)

    def modules(self, docs: ModuleDocs) -> str:
        entries = [
            f"\n\n{self.heading(1)} {self.anchor('module', m.name)}\n\nSource: {m.source}\n\nVersion: {m.version}\n\n"
            for m in self.sorted_modules(docs.modules)
        ]
        return self.listing("Modules", "modules", "The following Modules are called:", entries)

    # ---- order
    def sorted_inputs(self, inputs: Sequence[Input]) -> list[Input]:
        if not self.config.sort:
            return _by_position(inputs)
        if self.config.sort_by == "required":
            return sorted(inputs, key=lambda i: (i.has_default, i.name))
        if self.config.sort_by == "type":
            return sorted(inputs, key=lambda i: (i.type, i.name))
        return sorted(inputs, key=lambda i: i.name)

    def sorted_modules(self, modules: Sequence[ModuleCall]) -> list[ModuleCall]:
        if not self.config.sort:
            return _by_position(modules)
        if self.config.sort_by == "type":  # terraform-docs sorts module calls "by type" by their source
            return sorted(modules, key=lambda m: (m.source, m.name))
        return sorted(modules, key=lambda m: m.name)


_Positioned = TypeVar("_Positioned", Input, Output, ModuleCall)


def _by_position(items: Sequence[_Positioned]) -> list[_Positioned]:
    """terraform-docs' order with sorting off: file by file, then line by line."""
    return sorted(items, key=lambda item: (item.position.file, item.position.line))


def _fenced(code: str, language: str) -> str:
    """terraform-docs' `type` and `value` functions: one line in backticks, more in a fenced block."""
    if "\n" in code:
        return f"\n\n```{language}\n{code}\n```\n"
    return f"`{code}`\n"


def _default_text(item: Input) -> str:
    value = go_json(item.default)
    if value == "null" and item.required:
        return "n/a"
    return _fenced(value, "json")


def _raw_sections(renderer: _Renderer, page: Page) -> dict[str, str]:
    """Each section as its template writes it, ending with the blank line every section template ends with."""
    config, docs = renderer.config, page.docs
    enabled = config.sections
    raw = {
        "Header": renderer.header(page.header) if "header" in enabled else "",
        "Footer": renderer.header(page.footer) if "footer" in enabled else "",
        "Requirements": renderer.requirements(docs) if "requirements" in enabled else "",
        "Providers": renderer.providers(docs) if "providers" in enabled else "",
        "Resources": renderer.resources(docs) if enabled & {"resources", "data-sources"} else "",
        "Inputs": renderer.inputs(docs) if "inputs" in enabled else "",
        "Outputs": renderer.outputs(docs) if "outputs" in enabled else "",
        "Modules": renderer.modules(docs) if "modules" in enabled else "",
    }
    return {name: f"{text}\n\n" if text else "" for name, text in raw.items()}


_DEFAULT_ORDER = ("Header", "Requirements", "Providers", "Modules", "Resources", "Inputs", "Outputs", "Footer")


def _content(template: str, sections: dict[str, str], include: Callable[[str], str]) -> str:
    """The `content` template with its actions replaced: `{{ .Section }}` and `{{ include "file" }}`."""
    pieces: list[str] = []
    position = 0
    for match in _ACTION.finditer(template):
        before = template[position : match.start()]
        if match.group(1):
            before = before.rstrip(" \t\r\n")
        pieces.append(before)
        action = match.group(2)
        if action.startswith(".") and action[1:] in sections:
            pieces.append(sections[action[1:]])
        elif (found := _INCLUDE.fullmatch(action)) is not None:
            pieces.append(include(found.group(1).encode().decode("unicode_escape")).removesuffix("\n"))
        else:
            raise TemplateError(f"content: {{{{ {action} }}}} is not supported")
        position = match.end()
        if match.group(3):
            rest = template[position:]
            position += len(rest) - len(rest.lstrip(" \t\r\n"))
    pieces.append(template[position:])
    return "".join(pieces)


def render_block(page: Page, config: DocsConfig) -> str:
    """The BEGIN_TF_DOCS ... END_TF_DOCS text of one README (without what surrounds it)."""
    raw = _raw_sections(_Renderer(config), page)
    if config.content:
        content = _content(config.content, {name: sanitize(text) for name, text in raw.items()}, page.include)
    else:  # terraform-docs' own template: every section in a fixed order, cleaned up as one
        content = sanitize("".join(raw[name] for name in _DEFAULT_ORDER))
    content = content.removesuffix("\n")
    return config.output_template.replace("{{ .Content }}", content)
