"""Bicep usage telemetry: the enableTelemetry parameter, the telemetry deployment and its id."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.bicep_reader import BicepFile
from generator.check.core import Hit, Module, rule
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import B, has_version, line_in, main
from generator.interfaces import TELEMETRY_DESCRIPTION, TELEMETRY_NOTICE


def deploys(bicep: BicepFile) -> bool:
    """Whether the file deploys anything besides its usage telemetry."""
    return any(s.keyword in ("resource", "module") and "46d3xbcp" not in s.text for s in bicep.statements)


@rule(
    "SFR4",
    spec="SFR4",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A published module that deploys resources has `enableTelemetry`, exactly as the spec writes it.",
    fix=f"Declare `@description('{TELEMETRY_DESCRIPTION}')` and `param enableTelemetry bool = true`.",
    example=("@description('Optional. Enable/Disable usage telemetry for module.')\nparam enableTelemetry bool = true"),
)
def telemetry_parameter(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return
    telemetry = any(s.keyword == "resource" and "46d3xbcp" in s.text for s in bicep.statements)
    if not deploys(bicep) and (module.module_class == "utl" or not telemetry):
        return  # nothing to report usage of (a utility's stray telemetry is SFR3's)
    param = bicep.params.get("enableTelemetry")
    if param is None:
        yield Hit("parameter enableTelemetry is missing")
    elif (
        param.type != "bool"
        or param.value != "true"
        or (param.description or "").lower() != TELEMETRY_DESCRIPTION.lower()  # the suite compares case-blind
    ):
        yield Hit(f"enableTelemetry must be `bool = true` described as '{TELEMETRY_DESCRIPTION}'", line=param.line)


@rule(
    "SFR3",
    spec="SFR3",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A published module that deploys resources has the `avmTelemetry` deployment, conditioned on "
    "enableTelemetry, named `46d3xbcp.<res|ptn|utl>.<id>...`, with the standard output; one that deploys "
    "nothing has no telemetry.",
    fix="Copy the telemetry resource of the spec (avm new writes it) with the module's TelemetryIdPrefix.",
    example=(
        "#disable-next-line no-deployments-resources\n"
        "resource avmTelemetry 'Microsoft.Resources/deployments@2025-04-01' = if (enableTelemetry) "
        "{\n"
        "  name: '46d3xbcp.res.keyvault-vault.${replace('-..--..-', '.', "
        "'-')}.${substring(uniqueString(deployment().name, location), 0, 4)}'\n"
        "  properties: {\n"
        "    mode: 'Incremental'\n"
        "    template: {\n"
        "      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate"
        ".json#'\n"
        "      contentVersion: '1.0.0.0'\n"
        "      resources: []\n"
        "      outputs: {\n"
        "        telemetry: {\n"
        "          type: 'String'\n"
        "          value: 'For more information, see https://aka.ms/avm/TelemetryInfo'\n"
        "        }\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}"
    ),
)
def telemetry_resource(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return
    telemetry = next((r for r in bicep.of("resource") if "46d3xbcp" in r.text), None)
    if not deploys(bicep):
        if telemetry is not None and module.module_class == "utl":
            yield Hit("a utility that deploys nothing must not send telemetry", line=telemetry.line)
        return
    if telemetry is None:
        yield Hit("no telemetry deployment (a resource named '46d3xbcp...')")
        return
    if not re.search(r"=\s*if\s*\(\s*enableTelemetry\s*\)", telemetry.head):
        yield Hit("the telemetry deployment is not conditioned on `if (enableTelemetry)`", line=telemetry.line)
    if not re.search(rf"46d3xbcp\.{module.module_class}\.", telemetry.text):
        yield Hit(f"the telemetry name does not start with 46d3xbcp.{module.module_class}.", line=telemetry.line)
    if TELEMETRY_NOTICE not in telemetry.text:
        yield Hit("the telemetry template's output is not the standard notice", line=telemetry.line)


TELEMETRY_ID_RE = re.compile(r"46d3xbcp\.[^'$]*")


@rule(
    "SFR3-id",
    spec="SFR3",
    language=B,
    severity="error",
    scopes=BOTH,
    title="The telemetry deployment's name starts with the module's telemetry id: the TelemetryIdPrefix of "
    ".copier-answers.yml, else the module index's inside bicep-registry-modules (not compared when neither "
    "is known).",
    fix="Name the telemetry deployment `'<TelemetryIdPrefix>.${replace('-..--..-', '.', '-')}...'` with the "
    "module's TelemetryIdPrefix.",
    example="name: '46d3xbcp.res.keyvault-vault.${replace('-..--..-', '.', '-')}.${substring(uniqueString("
    "deployment().name, location), 0, 4)}'  // in avm/res/key-vault/vault",
)
def telemetry_id(module: Module) -> Iterator[Hit]:
    from generator.check.expected import bicep_telemetry_id

    bicep = main(module)
    if bicep is None or not deploys(bicep):
        return  # nothing to report usage of (stray telemetry is SFR3's)
    telemetry = next((r for r in bicep.of("resource") if "46d3xbcp" in r.text), None)
    match = TELEMETRY_ID_RE.search(telemetry.text) if telemetry is not None else None
    if match is None:
        return  # no telemetry to name: SFR3's
    expected = bicep_telemetry_id(module)
    actual = match.group(0).rstrip(".")
    if expected is not None and not expected.accepts(actual):
        yield Hit(
            f"the telemetry id is {actual}, but {expected.source} gives {expected.shown()}",
            line=line_in(telemetry, r"46d3xbcp"),
        )
