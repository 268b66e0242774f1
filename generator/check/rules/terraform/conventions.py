"""Terraform conventions: comments, heredocs, repository name, ID validation, ignore_changes, AzAPI, footer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from generator.check.core import Hit, Module
from generator.check.rules.terraform.common import norm, parsed_files, resources_of, tf_rule, var_rule, variables_of


@var_rule(
    "terraform_comment_syntax",
    "SNFR6",
    "warning",
    "Single-line comments use #, not //.",
    "Replace // with #.",
    example="# a comment",
)
def comment_syntax(module: Module) -> Iterator[Hit]:
    for name, f in parsed_files(module):
        for c in f.comments:
            if c.style == "//":
                yield Hit(f"{name}: use # instead of // for comments", name, c.line, c.col)


def _heredoc_format(text: str) -> str | None:
    m = re.match(r"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n(.*)\n[ \t]*\1\s*$", text, re.S)
    if m is None:
        return None
    marker, body = m.group(1).upper(), m.group(2).strip()
    if marker in ("JSON", "YAML", "YML"):
        return marker
    if body[:1] in ("{", "[") and "${" not in body:
        try:
            json.loads(body)
        except ValueError:
            return None
        return "JSON"
    return None


@var_rule(
    "terraform_heredoc_usage",
    "TFNFR40",
    "error",
    "No JSON or YAML heredocs; use jsonencode()/yamlencode().",
    "Replace the heredoc with jsonencode({...}) or yamlencode({...}).",
    example=("body = jsonencode({\n  properties = { enabled = true }\n})"),
)
def heredoc_usage(module: Module) -> Iterator[Hit]:
    for name, f in parsed_files(module):
        for t in f.heredocs:
            kind = _heredoc_format(t.value)
            if kind is not None:
                yield Hit(
                    f"{name}: {kind} heredoc; use {kind[:4].lower().replace('yml', 'yaml')}encode() instead",
                    name,
                    t.line,
                    t.col,
                )


_REPO_NAME = re.compile(r"^terraform-azure(rm)?-avm-(res|ptn|utl)-[a-z0-9]+(-[a-z0-9]+)*$")


@tf_rule(
    "RMNFR1",
    spec="RMNFR1",
    severity="error",
    title="A module repository is named terraform-azure-avm-<res|ptn|utl>-<name> in lower case (legacy: "
    "terraform-azurerm-avm-...).",
    fix="Use the name the module index approved for the module (avm new takes it from the index).",
    example="terraform-azure-avm-res-keyvault-vault",
)
def repository_name(module: Module) -> Iterator[Hit]:
    name = module.root.name
    if name.lower().startswith("terraform-") and not _REPO_NAME.match(name):
        yield Hit(f"repository {name!r} is not terraform-azure-avm-<res|ptn|utl>-<name> in lower case", ".")


_ID_VARIABLE = re.compile(r"(^|_)(resource_id|parent_id)$")


@var_rule(
    "TFNFR38",
    "TFNFR38",
    "warning",
    "Variables holding a resource ID are validated with provider::azapi::parse_resource_id, not with regex.",
    'Validate with can(provider::azapi::parse_resource_id("<Provider>/<type>", var.<name>)).',
    example=(
        "validation {\n"
        '  condition     = can(provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroup'
        's", var.parent_id))\n'
        '  error_message = "The parent_id must be the resource ID of a resource group."\n'
        "}"
    ),
)
def resource_id_validation(module: Module) -> Iterator[Hit]:
    for name, (file, b) in variables_of(module).items():
        if not _ID_VARIABLE.search(name) or norm(b.body.get("type", "")) != "string":
            continue
        conditions = " ".join(norm(v.get("condition", "")) for v in _as_list(b.body.get("validation")))
        if "regex(" in conditions and "parse_resource_id" not in conditions:
            yield Hit(f'variable "{name}": validated with a regex instead of parse_resource_id', file, b.line)


def _as_list(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value] if value else []
    return [v for v in items if isinstance(v, dict)]


@var_rule(
    "required_module_source_tfnfr10",
    "TFNFR10",
    "error",
    "lifecycle ignore_changes lists references, not quoted strings.",
    'Write ignore_changes = [tags], not ["tags"].',
    example=("lifecycle {\n  ignore_changes = [tags]\n}"),
)
def unquoted_ignore_changes(module: Module) -> Iterator[Hit]:
    for file, b in resources_of(module):
        match = re.search(r"ignore_changes\s*=\s*\[[^\]]*\"", b.text)
        if match:
            yield Hit(f'resource "{b.labels[0]}" "{b.name}": ignore_changes lists quoted strings', file, b.line)


@var_rule(
    "TFFR3",
    "TFFR3",
    "warning",
    "Modules deploy with AzAPI; AzureRM resources are a documented exception only.",
    "Use azapi_resource; keep an AzureRM resource only for an operation AzAPI cannot do, and document why.",
    example=('resource "azapi_resource" "this" {\n  type = "Microsoft.KeyVault/vaults@2024-11-01"\n}'),
)
def azapi_only(module: Module) -> Iterator[Hit]:
    for file, b in resources_of(module):
        if b.labels[0].startswith("azurerm_"):
            yield Hit(f'resource "{b.labels[0]}" "{b.name}": AzureRM resource in an AzAPI module', file, b.line)


@tf_rule(
    "SFR3-notice",
    spec="SFR3",
    severity="error",
    title="A module with telemetry ends its docs with the `## Data Collection` notice (the managed `_footer.md`).",
    fix="Restore the managed _footer.md (avm new writes it; the managed-files sync keeps it).",
    example=(
        "_footer.md:\n"
        "\n"
        "<!-- markdownlint-disable-next-line MD041 -->\n"
        "## Data Collection\n"
        "\n"
        "The software may collect information about you and your use of the software ..."
    ),
)
def data_collection_notice(module: Module) -> Iterator[Hit]:
    footer = module.text("_footer.md")
    if footer is not None and "enable_telemetry" in variables_of(module) and "## Data Collection" not in footer:
        yield Hit("_footer.md has no `## Data Collection` notice", "_footer.md")
