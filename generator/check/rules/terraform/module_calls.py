"""Terraform module calls: pinned versions and refs, AVM or local sources, argument order."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.core import Hit, Module
from generator.check.hcl_reader import Block, expr
from generator.check.rules.terraform.common import AVM_SOURCE, blocks_of, var_rule

_REGISTRY = re.compile(
    r"^([a-z0-9.-]+\.[a-z]{2,}(:\d+)?/)?[A-Za-z0-9][\w-]*/[A-Za-z0-9][\w-]*/[A-Za-z0-9][\w-]*(//.*)?$"
)
_EXACT = re.compile(r"^\s*=?\s*v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?\s*$")


def _source(b: Block) -> str | None:
    source = b.body.get("source")
    return source if isinstance(source, str) and expr(source) is None else None


@var_rule(
    "terraform_module_version",
    "TFFR1",
    "error",
    "Registry module calls pin an exact version.",
    'Set version = "<x.y.z>".',
    example=('module "key_vault" {\n  source  = "Azure/avm-res-keyvault-vault/azurerm"\n  version = "0.10.0"\n}'),
)
def module_version(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "module"):
        source = _source(b)
        if source is None or not _REGISTRY.match(source):
            continue
        version = b.body.get("version")
        if version is None:
            yield Hit(f'module "{b.name}": no version for registry source {source}', file, b.line)
        elif isinstance(version, str) and expr(version) is None and not _EXACT.match(version):
            yield Hit(f'module "{b.name}": version "{version}" is not exact', file, b.attr_line("version"))


@var_rule(
    "terraform_module_pinned_source",
    "TFFR1",
    "error",
    "Git module sources pin a ref.",
    "Add ?ref=<tag> to the source, or use the registry with an exact version.",
    example=(
        'module "key_vault" {\n'
        '  source = "git::https://github.com/Azure/terraform-azurerm-avm-res-keyvault-vault.git?ref='
        'v0.10.0"\n'
        "}"
    ),
)
def module_pinned_source(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "module"):
        source = _source(b)
        if source is None:
            continue
        if re.match(r"^(git::|git@|github\.com/|bitbucket\.org/|hg::)", source) and not re.search(
            r"[?&](ref|rev)=", source
        ):
            yield Hit(f'module "{b.name}": source {source} is not pinned to a ref', file, b.attr_line("source"))


@var_rule(
    "required_module_source_tffr1",
    "TFFR1",
    "error",
    "Module calls use published AVM modules (Azure/avm-...) or local submodules (./modules/<name>).",
    "Call the published AVM module, or move the code into ./modules/<name>.",
    example=(
        'module "key_vault" {\n'
        '  source  = "Azure/avm-res-keyvault-vault/azurerm"\n'
        '  version = "0.10.0"\n'
        "}\n"
        "\n"
        'module "secret" {\n'
        '  source = "./modules/secret"\n'
        "}"
    ),
)
def module_source(module: Module) -> Iterator[Hit]:
    local = r"^\./modules/[\w.-]+/?$" if not module.is_child else r"^(\./modules/[\w.-]+|\.\./[\w.-]+)/?$"
    for file, b in blocks_of(module, "module"):
        source = _source(b)
        if source is None or AVM_SOURCE.match(source) or re.match(local, source):
            continue
        if re.match(r"^(git::)?(https://|ssh://git@)?github\.com[/:][Aa]zure/terraform-azure(rm)?-avm-", source):
            continue
        yield Hit(
            f'module "{b.name}": source {source} is neither an AVM module nor ./modules/<name>',
            file,
            b.attr_line("source"),
        )


_MODULE_HEAD = ("source", "version", "providers", "count", "for_each")


@var_rule(
    "TFNFR9",
    "TFNFR9",
    "warning",
    "Module calls start with source, version, providers, count, for_each (in that order) and end with depends_on.",
    "Reorder the arguments of the module call.",
    example=(
        'module "secret" {\n'
        '  source   = "./modules/secret"\n'
        "  for_each = var.secrets\n"
        "\n"
        "  name = each.value.name\n"
        "\n"
        "  depends_on = [azapi_resource.this]\n"
        "}"
    ),
)
def module_argument_order(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "module"):
        keys = list(b.attr_lines)
        head = [k for k in keys if k in _MODULE_HEAD]
        expected_head = sorted(head, key=_MODULE_HEAD.index)
        if keys[: len(head)] != expected_head:
            wrong = next(k for k, w in zip(keys, [*expected_head, *keys][: len(keys)], strict=True) if k != w)
            yield Hit(
                f'module "{b.name}": argument {wrong} out of order (source, version, providers, count, for_each first)',
                file,
                b.attr_line(wrong),
            )
        elif "depends_on" in keys and keys[-1] != "depends_on":
            yield Hit(f'module "{b.name}": depends_on must come last', file, b.attr_line("depends_on"))
