"""Bicep e2e test files: metadata, the test deployment, serviceShort and namePrefix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.bicep_reader import BicepFile
from generator.check.core import Hit, Module, rule
from generator.check.rules.bicep.common import B, test_files

SCENARIO_SUFFIXES = (("defaults", "min"), ("waf-aligned", "waf"), ("max", "max"))


def deploying_tests(module: Module) -> Iterator[tuple[str, BicepFile]]:
    for name in test_files(module):
        bicep = module.bicep(name)
        if bicep is not None and bicep.of("module"):
            yield name, bicep


@rule(
    "BCPNFR13",
    spec="BCPNFR13",
    language=B,
    severity="error",
    title="Every e2e test declares `metadata name` and `metadata description`.",
    fix="Add `metadata name = 'Using only defaults'` and a `metadata description` to the test.",
    example=(
        "metadata name = 'Using only defaults'\n"
        "metadata description = 'This instance deploys the module with the minimum set of required "
        "parameters.'"
    ),
)
def test_metadata(module: Module) -> Iterator[Hit]:
    for name in test_files(module):
        bicep = module.bicep(name)
        for key in ("name", "description"):
            if bicep is not None and not bicep.metadata(key):
                yield Hit(f"metadata {key} is missing", name)


@rule(
    "BCPNFR12",
    spec="BCPNFR12",
    language=B,
    severity="error",
    title="An e2e test that deploys calls the module as `module testDeployment '../../../main.bicep'` with a "
    "deployment name containing `-test-`.",
    fix="Deploy the module under test with `module testDeployment '../../../main.bicep' = ...` and a name with `-test-`.",
    example=(
        "module testDeployment '../../../main.bicep' = {\n"
        "  name: '${uniqueString(deployment().name, resourceLocation)}-test-${serviceShort}'\n"
        "}"
    ),
)
def test_deployment(module: Module) -> Iterator[Hit]:
    for name, bicep in deploying_tests(module):
        if not re.search(r"^module testDeployment '\.\./.*main\.bicep' = .*[\[{]$", bicep.source, re.M):
            yield Hit("no `module testDeployment '../../../main.bicep' = ...` line", name)
        elif not re.search(r"name: .*-test-", bicep.source):
            yield Hit("no deployment name containing -test-", name, bicep.line_of(r"^module testDeployment"))


@rule(
    "AVMB020",
    spec="",
    language=B,
    severity="error",
    title="An e2e test that deploys has `param serviceShort string = '...'` ending in min (defaults), waf "
    "(waf-aligned) or max (max), unique within the module, and `param namePrefix string = '#_namePrefix_#'`.",
    fix="Declare serviceShort with the folder's suffix, e.g. `'kvvmin'`, and the CI namePrefix token.",
    example=("param serviceShort string = 'kvvmin'  // tests/e2e/defaults\nparam namePrefix string = '#_namePrefix_#'"),
)
def test_parameters(module: Module) -> Iterator[Hit]:
    seen: dict[str, str] = {}
    for name, bicep in deploying_tests(module):
        match = re.search(r"^param serviceShort string = '([^']*)'", bicep.source, re.M)
        if match is None:
            yield Hit("no `param serviceShort string = '...'`", name)
        else:
            short, line = match.group(1), bicep.line_of(r"^param serviceShort ")
            folder = name.split("/")[2]
            for scenario, suffix in SCENARIO_SUFFIXES:
                if (folder == scenario or folder.endswith(f".{scenario}")) and not short.endswith(suffix):
                    yield Hit(f"serviceShort {short!r} of a {scenario} test does not end with {suffix}", name, line)
            if short in seen:
                yield Hit(f"serviceShort {short!r} is also used by {seen[short]}", name, line)
            seen[short] = name
        if not re.search(r"^param namePrefix string = '#_namePrefix_#'", bicep.source, re.M):
            yield Hit("namePrefix is not `param namePrefix string = '#_namePrefix_#'`", name)
