"""Terraform and provider versions: required_version, required_providers and constraints, no provider blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.core import Hit, Module
from generator.check.hcl_reader import Block
from generator.check.rules import BOTH
from generator.check.rules.terraform.common import blocks_of, resources_of, tf_rule


def _version(text: str) -> tuple[int, ...] | None:
    m = re.fullmatch(r"v?(\d+(?:\.\d+){0,2})(?:-[0-9A-Za-z.-]+)?", text.strip())
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _pad(v: tuple[int, ...]) -> tuple[int, ...]:
    return (*v, 0, 0, 0)[:3]


def _constraints(text: str) -> list[tuple[str, tuple[int, ...]]] | None:
    parts = []
    for raw in text.split(","):
        m = re.fullmatch(r"\s*(~>|>=|<=|!=|>|<|=)?\s*(\S+)\s*", raw)
        version = _version(m.group(2)) if m else None
        if m is None or version is None:
            return None
        parts.append((m.group(1) or "=", version))
    return parts


def _admits(text: str, wanted: str) -> bool | None:
    """Whether a Terraform version constraint admits `wanted`; None when it cannot be read."""
    parts = _constraints(text)
    target = _version(wanted)
    if parts is None or target is None:
        return None
    t = _pad(target)
    for op, v in parts:
        p = _pad(v)
        if op == "~>":
            upper = (v[0] + 1,) if len(v) <= 2 else (v[0], v[1] + 1)
            ok = p <= t < _pad(upper)
        else:
            ok = {"=": t == p, "!=": t != p, ">": t > p, ">=": t >= p, "<": t < p, "<=": t <= p}[op]
        if not ok:
            return False
    return True


def _bounded(text: str) -> bool | None:
    parts = _constraints(text)
    if parts is None:
        return None
    return any(op in ("<", "<=", "=") or (op == "~>" and len(v) >= 2) for op, v in parts)


def _terraform_block(module: Module) -> tuple[str, Block] | None:
    found = blocks_of(module, "terraform")
    return found[0] if found else None


def _required_providers(b: Block) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    entries = b.body.get("required_providers", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, dict):
            merged.update(entry)
    return merged


@tf_rule(
    "terraform_required_version_declaration",
    spec="TFNFR25",
    severity="error",
    title="The terraform block declares required_version as its first argument.",
    fix='Put required_version = ">= 1.9, < 2.0" first in the terraform block.',
    scopes=BOTH,
    example=('terraform {\n  required_version = ">= 1.9, < 2.0"\n\n  required_providers { ... }\n}'),
)
def required_version(module: Module) -> Iterator[Hit]:
    found = _terraform_block(module)
    if found is None:
        return
    file, b = found
    if "required_version" not in b.body:
        yield Hit("terraform: no required_version", file, b.line)
    elif next(iter(b.attr_lines), None) != "required_version":
        yield Hit("terraform: required_version must come first", file, b.attr_line("required_version"))


@tf_rule(
    "AVMT010",
    spec="TFNFR25",
    severity="error",
    title="required_version has an upper bound.",
    fix='Bound the version, e.g. required_version = ">= 1.9, < 2.0".',
    scopes=BOTH,
    example='required_version = ">= 1.9, < 2.0"',
)
def bounded_version(module: Module) -> Iterator[Hit]:
    found = _terraform_block(module)
    if found is None or not isinstance(found[1].body.get("required_version"), str):
        return
    file, b = found
    if _bounded(b.body["required_version"]) is False:
        yield Hit(
            f'terraform: required_version "{b.body["required_version"]}" has no upper bound',
            file,
            b.attr_line("required_version"),
        )


@tf_rule(
    "terraform_required_providers_declaration",
    spec="TFNFR26",
    severity="error",
    title="required_providers lists each provider with source and version, alphabetically.",
    fix="Sort the providers in required_providers and give each a source and a version.",
    scopes=BOTH,
    example=(
        "required_providers {\n"
        "  azapi = {\n"
        '    source  = "Azure/azapi"\n'
        '    version = "~> 2.12"\n'
        "  }\n"
        "  modtm = {\n"
        '    source  = "Azure/modtm"\n'
        '    version = "~> 0.3"\n'
        "  }\n"
        "}"
    ),
)
def providers_declaration(module: Module) -> Iterator[Hit]:
    found = _terraform_block(module)
    if found is None:
        return
    file, b = found
    providers = _required_providers(b)
    names = list(providers)
    line = b.attr_line("required_providers")
    if names != sorted(names):
        yield Hit(f"terraform: required_providers must be sorted ({', '.join(sorted(names))})", file, line)
    for name, spec in providers.items():
        if isinstance(spec, dict):
            missing = [k for k in ("source", "version") if k not in spec]
            if missing:
                yield Hit(f"terraform: provider {name} has no {' or '.join(missing)}", file, line)


def _provider_constraint_rule(
    provider: str, source: str, wanted: str, spec: str, required_when_telemetry: bool
) -> None:
    @tf_rule(
        f"provider_{provider}_version_constraint",
        spec=spec,
        severity="error",
        title=f"The {provider} provider ({source}) has a version constraint that admits {wanted}.",
        fix=f'Declare {provider} = {{ source = "{source}", version = "~> {".".join(wanted.split(".")[:2])}" }}.',
        example=f'required_providers {{\n  {provider} = {{\n    source  = "{source}"\n'
        f'    version = "~> {".".join(wanted.split(".")[:2])}"\n  }}\n}}',
        scopes=BOTH,
    )
    def check(module: Module) -> Iterator[Hit]:
        found = _terraform_block(module)
        telemetry = required_when_telemetry and bool(resources_of(module, "modtm_telemetry"))
        if found is None:
            return
        file, b = found
        spec_ = _required_providers(b).get(provider)
        line = b.attr_line("required_providers")
        if spec_ is None:
            if telemetry:
                yield Hit(f"terraform: provider {provider} is not declared", file, line)
            return
        if not isinstance(spec_, dict):
            return
        if required_when_telemetry and str(spec_.get("source", "")).lower() != source.lower():
            yield Hit(f'terraform: provider {provider} must have source "{source}"', file, line)
        version = spec_.get("version")
        if isinstance(version, str) and _admits(version, wanted) is False:
            yield Hit(f'terraform: provider {provider} version "{version}" does not admit {wanted}', file, line)


_provider_constraint_rule("modtm", "Azure/modtm", "0.3.0", "SFR3", True)
_provider_constraint_rule("azapi", "Azure/azapi", "2.999.0", "TFFR3", False)
_provider_constraint_rule("azurerm", "hashicorp/azurerm", "4.999.0", "TFFR3", False)


@tf_rule(
    "terraform_module_provider_declaration",
    spec="TFNFR27",
    severity="error",
    title="The module declares no provider blocks (alias-only blocks are allowed).",
    fix="Remove the provider block; the caller configures providers.",
    scopes=BOTH,
    example=('provider "azapi" {\n  alias = "secondary"   # an alias only, no settings\n}'),
)
def no_provider_blocks(module: Module) -> Iterator[Hit]:
    for file, b in blocks_of(module, "provider"):
        if set(b.attr_lines) - {"alias"}:
            yield Hit(f'provider "{b.name}": modules must not configure providers', file, b.line)
