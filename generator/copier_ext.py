"""The Jinja extension our copier templates load: it hands the templates their render model.

Templates call `avm_model()` and render what it returns; all computing happens in Python. Copier
loads this extension by name (`_jinja_extensions`), so rendering needs `avm` installed and the
template trusted (`avm` trusts its own templates; plain copier needs `--trust`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jinja2 import pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

from generator import __version__
from generator.bicep import values
from generator.paths import template_url  # not releases: rendering needs none of its machinery
from generator.spec import ModuleSpec


def render_model(spec: ModuleSpec) -> Any:
    """The render model the templates print for `spec`: each language's `assemble` puts model, tests
    (scenarios or examples) and READMEs together, by module class. Only the module's own language is
    imported: a render needs one of the two."""
    if spec.language == "terraform":
        from generator.terraform import assemble as terraform_assemble

        return terraform_assemble.render_model(spec)
    from generator.bicep import assemble as bicep_assemble

    return bicep_assemble.render_model(spec)


@lru_cache(maxsize=32)
def _model_for(answers_json: str) -> Any:
    return render_model(ModuleSpec.from_answers(json.loads(answers_json)))


def avm_template_source(language: str) -> str:
    """Recorded as `_src_path` instead of the machine path copier would write: the template's canonical
    address, which avm (and git configured as docs/commands/update.md says) maps to the local versions."""
    return template_url(language)


def avm_template_version() -> str:
    """Recorded as `_commit`: the tag of this template version in the local template repositories."""
    return f"v{__version__}"


def avm_schema_record(namespace: str, resource_type: str, api_version: str) -> str:
    """The default of the `resource_schema` answer (JSON, which is YAML): the record `avm new` writes today."""
    from generator.azure_types.lookup import resource_schema

    resolved = resource_schema(namespace, resource_type, api_version)
    return json.dumps(resolved.record if resolved is not None else {})


@pass_context
def avm_model(context: Context) -> Any:
    answers = {k: v for k, v in context["_copier_answers"].items() if not k.startswith("_")}
    return _model_for(json.dumps(answers, sort_keys=True, default=str))


class AvmExtension(Extension):
    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.globals["avm_model"] = avm_model
        environment.globals["avm_template_source"] = avm_template_source
        environment.globals["avm_template_version"] = avm_template_version
        environment.globals["avm_schema_record"] = avm_schema_record
        environment.filters["bicep_string"] = values.string
        environment.filters["bicep"] = values.render
        environment.filters["bicep_json"] = values.to_json
