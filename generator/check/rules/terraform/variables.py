"""Terraform variables and outputs: types, descriptions, names, nullability, sensitivity, order, files."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.core import Hit, Module
from generator.check.hcl_reader import expr
from generator.check.rules.terraform.common import (
    blocks_of,
    complete,
    norm,
    parsed_files,
    tf_rule,
    var_rule,
    variables_of,
)
from generator.check.rules.terraform.interfaces import INTERFACE_VARIABLES

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@var_rule(
    "terraform_typed_variables",
    "TFNFR18",
    "error",
    "Every variable declares a type.",
    "Add a precise type.",
    example=('variable "sku_name" {\n  type = string\n}'),
)
def typed_variables(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        if "type" not in b.body:
            yield Hit(f'variable "{b.name}": no type', file, b.line)


@var_rule(
    "terraform_documented_variables",
    "TFNFR17",
    "error",
    "Every variable has a description.",
    "Add a description.",
    example=('variable "sku_name" {\n  type        = string\n  description = "The SKU of the Key Vault."\n}'),
)
def documented_variables(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        if not str(b.body.get("description", "")).strip():
            yield Hit(f'variable "{b.name}": no description', file, b.attr_line("description"))


@var_rule(
    "terraform_naming_convention",
    "TFNFR4",
    "error",
    "Variables, outputs, locals, resources, data sources and module calls have snake_case names.",
    "Rename to snake_case (lower case letters, digits and single underscores).",
    example=('variable "sku_name" { ... }\noutput "resource_id" { ... }'),
)
def naming_convention(module: Module) -> Iterator[Hit]:
    for _, f in parsed_files(module):
        for b in f.blocks():
            if b.kind in ("variable", "output", "module", "resource", "data") and b.labels and not _SNAKE.match(b.name):
                yield Hit(f'{b.kind} "{b.name}": name is not snake_case', f.name, b.line)
            if b.kind == "locals":
                for key, line in b.attr_lines.items():
                    if not _SNAKE.match(key):
                        yield Hit(f'local "{key}": name is not snake_case', f.name, line)


@var_rule(
    "terraform_variable_nullable_false",
    "TFNFR21",
    "error",
    "No variable sets nullable = true (it is the default).",
    "Remove nullable = true.",
    example=('variable "sku_name" {\n  type    = string\n  default = null\n}'),
)
def nullable_true(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        if b.body.get("nullable") is True:
            yield Hit(f'variable "{b.name}": remove nullable = true', file, b.attr_line("nullable"))


_COLLECTION = re.compile(r"^(map|set|list|object|tuple)\(")


@var_rule(
    "TFNFR20",
    "TFNFR20",
    "warning",
    "Collection variables (map, set, list, object) set nullable = false unless their default is null (or, "
    "sensitive, they have none: null is how an optional secret is left out).",
    "Add nullable = false (or default = null when null is meaningful).",
    example=('variable "network_acls" {\n  type     = map(string)\n  default  = {}\n  nullable = false\n}'),
)
def collections_not_nullable(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        text = norm(b.body.get("type", ""))
        if not _COLLECTION.match(text) or b.name in INTERFACE_VARIABLES:
            continue
        if "default" in b.body and b.body["default"] is None:
            continue
        if b.body.get("sensitive") is True and "default" not in b.body:
            continue
        if "nullable" not in b.body:
            yield Hit(f'variable "{b.name}": collection variable needs nullable = false', file, b.line)


@var_rule(
    "TFNFR22",
    "TFNFR22",
    "error",
    "No variable sets sensitive = false.",
    "Remove sensitive = false.",
    example=('variable "admin_password" {\n  type      = string\n  sensitive = true\n}'),
)
def sensitive_false(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        if b.body.get("sensitive") is False:
            yield Hit(f'variable "{b.name}": remove sensitive = false', file, b.attr_line("sensitive"))


@var_rule(
    "terraform_sensitive_variable_no_default",
    "TFNFR23",
    "error",
    "Sensitive variables have no default.",
    "Remove the default of the sensitive variable.",
    example=('variable "admin_password" {\n  type      = string\n  sensitive = true\n}'),
)
def sensitive_default(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        if b.body.get("sensitive") is True and "default" in b.body and b.body["default"] is not None:
            yield Hit(f'variable "{b.name}": sensitive variables must not have a default', file, b.attr_line("default"))


@var_rule(
    "TFNFR15",
    "TFNFR15",
    "warning",
    "In each file, required variables (no default) come first, alphabetically, then optional ones, alphabetically.",
    "Reorder the variables (mapotf/avm pre-commit does it).",
    example=(
        'variable "location" { ... }   # required, A-Z\n'
        'variable "name" { ... }\n'
        'variable "enable_telemetry" { default = true ... }   # then optional, A-Z\n'
        'variable "tags" { default = null ... }'
    ),
)
def variable_order(module: Module) -> Iterator[Hit]:
    for _, f in parsed_files(module):
        blocks = f.blocks("variable")
        keys = [("default" in b.body, b.name) for b in blocks]
        for b, key, want in zip(blocks, keys, sorted(keys), strict=True):
            if key != want:
                yield Hit(
                    f'variable "{b.name}": out of order; required variables first, then optional, each alphabetical',
                    f.name,
                    b.line,
                )
                break


_VAR_ATTR_ORDER = ("type", "default", "description", "nullable", "sensitive", "ephemeral", "validation")


@var_rule(
    "AVMT031",
    "TFNFR15",
    "warning",
    "Variable attributes come in the order type, default, description, nullable, sensitive, ephemeral, validation.",
    "Reorder the attributes of the variable.",
    example=(
        'variable "tags" {\n'
        "  type        = map(string)\n"
        "  default     = null\n"
        '  description = "Tags of the resource."\n'
        "}"
    ),
)
def variable_attribute_order(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "variable"):
        present = [k for k in b.attr_lines if k in _VAR_ATTR_ORDER]
        for key, want in zip(present, sorted(present, key=_VAR_ATTR_ORDER.index), strict=True):
            if key != want:
                yield Hit(
                    f'variable "{b.name}": attribute {key} out of order (type, default, description, nullable, sensitive, ephemeral, validation)',
                    file,
                    b.attr_line(key),
                )
                break


@var_rule(
    "TFNFR14",
    "TFNFR14",
    "error",
    "No `enabled` or `module_depends_on` variables.",
    "Remove the variable; use count/for_each on the module call and depends_on instead.",
    example=(
        'module "key_vault" {\n  count      = var.create_key_vault ? 1 : 0\n  depends_on = [azapi_resource.this]\n}'
    ),
)
def forbidden_variables(module: Module) -> Iterator[Hit]:
    for name, (file, b) in variables_of(module).items():
        if name in ("enabled", "module_depends_on"):
            yield Hit(f'variable "{name}": not allowed', file, b.line)


@var_rule(
    "terraform_variable_separate",
    "TFNFR39",
    "error",
    "Variables are declared only in variables*.tf, which hold nothing else.",
    "Move the block to the right file.",
    example="variables.tf: only variable blocks",
)
def variable_separate(module: Module) -> Iterator[Hit]:
    yield from _separate(module, "variable", "variables")


@var_rule(
    "terraform_output_separate",
    "TFNFR39",
    "error",
    "Outputs are declared only in outputs*.tf, which hold nothing else.",
    "Move the block to the right file.",
    example="outputs.tf: only output blocks",
)
def output_separate(module: Module) -> Iterator[Hit]:
    yield from _separate(module, "output", "outputs")


def _separate(module: Module, kind: str, stem: str) -> Iterator[Hit]:
    pattern = re.compile(rf"^(deprecated_)?{stem}(\.[a-z0-9_]+)?\.tf$")
    for name, f in parsed_files(module):
        own = bool(pattern.match(name))
        for b in f.blocks():
            if (b.kind == kind) != own:
                where = f"{stem}*.tf" if b.kind == kind else "main.tf or its own file"
                label = f'{b.kind} "{b.name}"' if b.labels else b.kind
                yield Hit(f"{label}: belongs in {where}, not {name}", name, b.line)


@var_rule(
    "terraform_documented_outputs",
    "SNFR26",
    "error",
    "Every output has a description.",
    "Add a description.",
    example=(
        'output "resource_id" {\n'
        '  description = "The resource ID of the Key Vault."\n'
        "  value       = azapi_resource.this.id\n"
        "}"
    ),
)
def documented_outputs(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "output"):
        if not str(b.body.get("description", "")).strip():
            yield Hit(f'output "{b.name}": no description', file, b.attr_line("description"))


@var_rule(
    "TFNFR41",
    "TFNFR41",
    "warning",
    "Outputs are sorted by name in each file.",
    "Sort the outputs alphabetically.",
    example=('output "name" { ... }\noutput "resource_id" { ... }'),
)
def output_order(module: Module) -> Iterator[Hit]:
    for _, f in parsed_files(module):
        blocks = f.blocks("output")
        for b, want in zip(blocks, sorted(b.name for b in blocks), strict=True):
            if b.name != want:
                yield Hit(f'output "{b.name}": out of alphabetical order', f.name, b.line)
                break


@tf_rule(
    "required_output_rmfr7",
    spec="RMFR7",
    severity="error",
    title="A resource module outputs resource_id.",
    fix='Add output "resource_id" { value = azapi_resource.this.id }.',
    classes=("res",),
    example=(
        'output "resource_id" {\n'
        '  description = "The resource ID of the Key Vault."\n'
        "  value       = azapi_resource.this.id\n"
        "}"
    ),
)
def resource_id_output(module: Module) -> Iterator[Hit]:
    if complete(module) and not any(b.name == "resource_id" for _, b in blocks_of(module, "output")):
        yield Hit('output "resource_id": missing', "outputs.tf")


_WHOLE_OBJECT = re.compile(r"^(module\.[\w-]+|data\.[\w-]+\.[\w-]+|[a-z0-9]+_[\w-]+\.[\w-]+)(\[[^\]]*\])?$")


@var_rule(
    "TFFR2",
    "TFFR2",
    "warning",
    "No output returns a whole resource or module object.",
    "Output discrete computed attributes instead, e.g. azapi_resource.this.id.",
    example=('output "resource_id" {\n  value = azapi_resource.this.id   # not azapi_resource.this\n}'),
)
def whole_object_output(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "output"):
        text = expr(b.body.get("value"))
        if text is not None and _WHOLE_OBJECT.match(re.sub(r"\s+", "", text)):
            yield Hit(f'output "{b.name}": outputs the whole object {text}', file, b.attr_line("value"))
