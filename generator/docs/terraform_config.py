"""The settings of a `.terraform-docs.yml` that shape the "markdown document" output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.paths import load_yaml

SECTIONS = (
    "header",
    "requirements",
    "providers",
    "modules",
    "resources",
    "data-sources",
    "inputs",
    "outputs",
    "footer",
)
FORMATTERS = ("markdown document", "markdown doc", "md document", "md doc")
DEFAULT_OUTPUT = "<!-- BEGIN_TF_DOCS -->\n{{ .Content }}\n<!-- END_TF_DOCS -->"


class ConfigError(ValueError):
    """A setting this renderer cannot honour; the message names the field."""


@dataclass(frozen=True)
class DocsConfig:
    header_from: str = "main.tf"
    footer_from: str = ""
    content: str = ""
    output_template: str = DEFAULT_OUTPUT
    sections: frozenset[str] = frozenset(SECTIONS)
    sort: bool = True
    sort_by: str = "name"
    anchor: bool = True
    default: bool = True
    escape: bool = True
    hide_empty: bool = False
    indent: int = 2
    lockfile: bool = True
    read_comments: bool = True
    required: bool = False
    type: bool = True

    @property
    def begin(self) -> str:
        return self.output_template.split("{{", 1)[0].strip()

    @property
    def end(self) -> str:
        return self.output_template.rsplit("}}", 1)[-1].strip()


def _mapping(data: Any, field: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{field} must be a mapping")
    return data


def _flag(settings: dict[str, Any], name: str, default: bool) -> bool:
    value = settings.get(name, default)
    if not isinstance(value, bool):
        raise ConfigError(f"settings.{name} must be true or false")
    return value


def _sections(data: dict[str, Any]) -> frozenset[str]:
    hide = data.get("hide") or []
    show = data.get("show") or []
    if not isinstance(hide, list) or not isinstance(show, list):
        raise ConfigError("sections.hide and sections.show must be lists")
    if hide and show:
        raise ConfigError("sections: hide and show cannot both be given")
    for name in (*hide, *show):
        if name not in ("all", *SECTIONS):
            raise ConfigError(f"sections: unknown section {name}")
    if show:
        return frozenset(SECTIONS if "all" in show else show)
    return frozenset(() if "all" in hide else set(SECTIONS) - set(hide))


def read_config(text: str) -> DocsConfig:
    """The settings of a `.terraform-docs.yml` text. Raises ConfigError naming the field it cannot use."""
    try:
        data = _mapping(load_yaml(text), "the file")
    except ConfigError:
        raise
    except Exception as exc:  # yaml raises its own error classes
        raise ConfigError(f"not YAML ({str(exc).splitlines()[0]})") from None
    formatter = data.get("formatter", "")
    if formatter not in FORMATTERS:
        raise ConfigError(f'formatter: only "markdown document" is supported, not {formatter!r}')
    output = _mapping(data.get("output"), "output")
    if output.get("mode", "inject") not in ("inject", "replace"):
        raise ConfigError(f"output.mode: {output.get('mode')!r} is neither inject nor replace")
    template = output.get("template") or DEFAULT_OUTPUT
    if "{{ .Content }}" not in template:
        raise ConfigError("output.template must hold {{ .Content }}")
    sort = _mapping(data.get("sort"), "sort")
    sort_by = sort.get("by", "name")
    if sort_by not in ("name", "required", "type"):
        raise ConfigError(f"sort.by: {sort_by!r} is not name, required or type")
    settings = _mapping(data.get("settings"), "settings")
    indent = settings.get("indent", 2)
    if not isinstance(indent, int) or isinstance(indent, bool):
        raise ConfigError("settings.indent must be a number")
    for field in ("header-from", "footer-from", "content"):
        if not isinstance(data.get(field, ""), str):
            raise ConfigError(f"{field} must be a string")
    if data.get("footer-from") and data.get("footer-from") == (data.get("header-from") or "main.tf"):
        raise ConfigError("footer-from cannot be the header-from file")
    return DocsConfig(
        header_from=data.get("header-from") or "main.tf",
        footer_from=data.get("footer-from") or "",
        content=data.get("content") or "",
        output_template=template,
        sections=_sections(_mapping(data.get("sections"), "sections")),
        sort=_flag(sort, "enabled", True),
        sort_by=sort_by,
        anchor=_flag(settings, "anchor", True),
        default=_flag(settings, "default", True),
        escape=_flag(settings, "escape", True),
        hide_empty=_flag(settings, "hide-empty", False),
        indent=indent if 1 <= indent <= 5 else 2,
        lockfile=_flag(settings, "lockfile", True),
        read_comments=_flag(settings, "read-comments", True),
        required=_flag(settings, "required", False),
        type=_flag(settings, "type", True),
    )
