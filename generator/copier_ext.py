"""The Jinja extension our copier templates load: it hands the templates their render model.

Templates call `avm_model()` and render what it returns; all computing happens in Python. Copier
loads this extension by name (`_jinja_extensions`), so rendering needs `avm` installed and the
template trusted (`avm` trusts its own templates; plain copier needs `--trust`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from types import CodeType
from typing import Any

from jinja2 import Environment, pass_context
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


# Compiled Jinja code by the template text and the settings that shape it: copier builds an environment per run and
# compiles every file, path and question default again; a render compiles the same child templates once per child,
# and an update renders twice. Code objects carry no environment (Jinja binds one when it runs them).
_COMPILED: dict[tuple[Any, ...], CodeType] = {}


def _settings(environment: Environment) -> tuple[Any, ...]:
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        repr(environment.autoescape),
        tuple(sorted(environment.extensions)),
        type(environment).__qualname__,
    )


def _caching(environment: Environment) -> Callable[..., Any]:
    """`environment.compile`, looked up in `_COMPILED` first. The settings are read when the first text is
    compiled: extensions (this one among them) are still being added when the environment hands itself to them."""
    compile_once = environment.compile

    def compile(
        source: Any, name: str | None = None, filename: str | None = None, raw: bool = False, defer_init: bool = False
    ) -> Any:
        if raw or not isinstance(source, str):
            return compile_once(source, name, filename, raw, defer_init)
        key = (source, name, filename, defer_init, _settings(environment))
        code = _COMPILED.get(key)
        if code is None:
            code = _COMPILED[key] = compile_once(source, name, filename, raw, defer_init)
        else:
            environment.preprocess(source, name, filename)  # the hooks' side effects: copier's yield resets its state
        return code

    return compile


@pass_context
def avm_model(context: Context) -> Any:
    answers = {k: v for k, v in context["_copier_answers"].items() if not k.startswith("_")}
    return _model_for(json.dumps(answers, sort_keys=True, default=str))


class AvmExtension(Extension):
    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.compile = _caching(environment)  # type: ignore[method-assign]
        environment.globals["avm_model"] = avm_model
        environment.globals["avm_template_source"] = avm_template_source
        environment.globals["avm_template_version"] = avm_template_version
        environment.globals["avm_schema_record"] = avm_schema_record
        environment.filters["bicep_string"] = values.string
        environment.filters["bicep"] = values.render
        environment.filters["bicep_json"] = values.to_json
