"""Bicep references to other modules: versions, patterns, children, telemetry passed on, deployment names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.bicep_reader import Statement
from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import SCOPES, B, has_version, line_in, main


def reference(statement: Statement) -> str | None:
    """The quoted target of a `module` or `resource` statement."""
    match = re.match(r"\s*'([^']*)'", statement.head)
    return match.group(1) if match else None


def body_params(statement: Statement) -> str:
    """The text of a module call's `params: {...}` (the statement text after `params:`)."""
    _, _, rest = statement.text.partition("params:")
    return rest


def child_folders(module: Module) -> list[str]:
    return sorted(
        p.parent.name for p in module.root.glob("*/main.bicep") if p.parent.name not in ("tests", "modules", "src")
    )


@rule(
    "BCPFR1",
    spec="BCPFR1",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Modules are referenced from the public registry as AVM modules pinned to a version, or locally.",
    fix="Reference `br/public:avm/<res|ptn|utl>/<path>:<x.y.z>`.",
    example=(
        "module privateEndpoint 'br/public:avm/res/network/private-endpoint:0.12.1' = { ... }\n"
        "module secret 'secret/main.bicep' = { ... }"
    ),
)
def module_references(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for call in bicep.of("module"):
        target = reference(call)
        if target is None:
            continue
        if target.startswith("br/public:") or target.startswith("br:mcr.microsoft.com/bicep/"):
            path = target.removeprefix("br/public:").removeprefix("br:mcr.microsoft.com/bicep/")
            if not re.fullmatch(r"avm/(res|ptn|utl)/[a-z0-9/-]+:\d+\.\d+\.\d+", path):
                yield Hit(f"module {call.name}: {target} is not an AVM module pinned to x.y.z", line=call.line)
        elif target.startswith(("br:", "ts:", "br/")):
            yield Hit(f"module {call.name}: {target} is not in the public AVM registry", line=call.line)


@rule(
    "RMFR8",
    spec="RMFR8",
    language=B,
    severity="warning",
    classes=("res",),
    scopes=BOTH,
    title="A resource module does not reference pattern modules.",
    fix="Deploy the resource directly or through its AVM resource module; patterns compose resource modules, "
    "not the other way round.",
    example=(
        "module privateEndpoint 'br/public:avm/res/network/private-endpoint:0.12.1' = { ... }  // a resource module"
    ),
)
def no_pattern_references(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for call in bicep.of("module"):
        if re.match(r"br(/public:|:mcr\.microsoft\.com/bicep/)avm/ptn/", reference(call) or ""):
            yield Hit(f"module {call.name}: a resource module references the pattern {reference(call)}", line=call.line)


@rule(
    "BCPFR6",
    spec="BCPFR6",
    language=B,
    severity="warning",
    classes=("res",),
    scopes=BOTH,
    title="A module references the main.bicep of every direct child module folder.",
    fix="Call each child with `module <x> '<child>/main.bicep' = ...`.",
    example=("module keyVault_secrets 'secret/main.bicep' = [for (secret, index) in (secrets ?? []): { ... }]"),
)
def children_referenced(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or (not module.is_child and not has_version(module)):
        return  # a multi-scope parent deploys nothing itself
    targets = {reference(call) for call in bicep.of("module")}
    for folder in child_folders(module):
        if folder in SCOPES:
            continue
        if f"{folder}/main.bicep" not in targets:
            yield Hit(f"child module {folder} is never referenced", line=1)


@rule(
    "BCPFR7",
    spec="BCPFR7",
    language=B,
    severity="error",
    classes=("res",),
    scopes=BOTH,
    title="A resource module that calls modules with telemetry declares `var enableReferencedModulesTelemetry = false` "
    "and passes it as their `enableTelemetry`.",
    fix="Add the variable and pass `enableTelemetry: enableReferencedModulesTelemetry` to every module call.",
    example=(
        "var enableReferencedModulesTelemetry = false\n"
        "\n"
        "module privateEndpoint 'br/public:avm/res/network/private-endpoint:0.12.1' = {\n"
        "  params: {\n"
        "    enableTelemetry: enableReferencedModulesTelemetry\n"
        "  }\n"
        "}"
    ),
)
def referenced_telemetry(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or (not module.is_child and not has_version(module)):
        return
    calls = [c for c in bicep.of("module") if re.search(r"^\s+enableTelemetry\s*:", body_params(c), re.M)]
    if not calls:
        return
    variable = bicep.get("var", "enableReferencedModulesTelemetry")
    if variable is None or variable.value != "false":
        yield Hit("var enableReferencedModulesTelemetry = false is missing", line=calls[0].line)
    for call in calls:
        value = re.search(r"^\s+enableTelemetry\s*:\s*(.+)$", body_params(call), re.M).group(1).strip()
        if value != "enableReferencedModulesTelemetry":
            yield Hit(
                f"module {call.name} gets enableTelemetry: {value}, not enableReferencedModulesTelemetry",
                line=line_in(call, r"^\s+enableTelemetry\s*:"),
            )


@rule(
    "SFR4-pass",
    spec="SFR4",
    language=B,
    severity="error",
    classes=("ptn", "utl"),
    title="A pattern or utility passes its own `enableTelemetry` to the modules it calls.",
    fix="Pass `enableTelemetry: enableTelemetry` to every module call.",
    example=(
        "module vault 'br/public:avm/res/key-vault/vault:0.13.0' = {\n"
        "  params: {\n"
        "    enableTelemetry: enableTelemetry\n"
        "  }\n"
        "}"
    ),
)
def passed_telemetry(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for call in bicep.of("module"):
        match = re.search(r"^\s+enableTelemetry\s*:\s*(.+)$", body_params(call), re.M)
        if match and match.group(1).strip() != "enableTelemetry":
            yield Hit(
                f"module {call.name} gets enableTelemetry: {match.group(1).strip()}, not enableTelemetry",
                line=line_in(call, r"^\s+enableTelemetry\s*:"),
            )


@rule(
    "BCPNFR24",
    spec="BCPNFR24",
    language=B,
    severity="warning",
    classes=("res",),
    scopes=BOTH,
    title="Child module deployment names are deterministic: not seeded with deployment().name or utcNow().",
    fix="Seed the deployment name with the parent's ID: `'${uniqueString(<parent>.id, location)}-<Child>-${index}'`.",
    example=(
        "module keyVault_secrets 'secret/main.bicep' = [for (secret, index) in (secrets ?? []): {\n"
        "  name: '${uniqueString(keyVault.id, location)}-KeyVault-Secret-${index}'\n"
        "}]"
    ),
)
def deterministic_names(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for call in bicep.of("module"):
        target = reference(call) or ""
        if target.startswith("br"):
            continue
        match = re.search(r"^\s+name:\s*(.+)$", call.text, re.M)
        if match and ("deployment().name" in match.group(1) or "utcNow" in match.group(1)):
            yield Hit(
                f"module {call.name}: deployment name is seeded with deployment().name",
                line=line_in(call, r"^\s+name:"),
            )
