"""The static rules of the AVM Bicep compliance suite that need no compiler, stated independently.

Written from the digest of `module.tests.ps1` (shared/spec/bicep-modules.md section 6), not from our
templates: each check returns messages for what it finds wrong. Used by the e2e tests as a judge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

DESCRIPTION_RE = re.compile(r"(?s)^[A-Z][a-zA-Z]+\. .+\.$")
OUTPUT_DESCRIPTION_RE = re.compile(r"(?s)^[A-Z].+\.$")
CATEGORIES = {"Required", "Optional", "Conditional", "Generated"}
INTERFACE_PARAMS = (
    "diagnosticSettings",
    "roleAssignments",
    "lock",
    "managedIdentities",
    "privateEndpoints",
    "customerManagedKey",
)
SCENARIO_SUFFIX = {"defaults": "min", "waf-aligned": "waf", "max": "max"}
TELEMETRY_PARAM = (
    "@description('Optional. Enable/Disable usage telemetry for module.')\nparam enableTelemetry bool = true"
)
TELEMETRY_OUTPUT = "value: 'For more information, see https://aka.ms/avm/TelemetryInfo'"
CHANGELOG_RE = re.compile(
    r"\A# Changelog\n\nThe latest version of the changelog can be found "
    r"\[here\]\(https://github\.com/Azure/bicep-registry-modules/blob/main/(?P<path>avm/(res|ptn|utl)/[a-z0-9/-]+)"
    r"/CHANGELOG\.md\)\.\n\n(## \d+\.\d+\.\d+\n\n### Changes\n\n(- .+\n)+\n### Breaking Changes\n\n(- .+\n)+\n?)+\Z"
)
PARAM_LINE_RE = re.compile(r"^param (\w+) ([^=]+?)(?: = (.+))?$")
DESCRIPTION_DECORATOR_RE = re.compile(r"@description\('((?:[^'\\]|\\.)*)'\)")
OUTPUT_RE = re.compile(r"@description\('((?:[^'\\]|\\.)*)'\)\noutput (\w+) ([^=\n]+?) = (.+)")
TYPE_RE = re.compile(r"^type (\w+) = (.*)$", re.M)


def _unescape(text: str) -> str:
    return text.replace("\\'", "'").replace("\\\\", "\\")


def module_folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("main.bicep") if "tests" not in p.relative_to(root).parts)


def check_files(root: Path, module_class: str = "res") -> list[str]:
    found = []
    published = published_children(root)
    for name in ("main.bicep", "README.md", "version.json", "CHANGELOG.md"):
        if not (root / name).is_file():
            found.append(f"{name} is missing")
    for folder in module_folders(root):
        if folder == root:
            continue
        rel = folder.relative_to(root).as_posix()
        if not (folder / "README.md").is_file():
            found.append(f"{rel}/README.md is missing")
        if (folder / "version.json").exists() and rel not in published:
            found.append(f"{rel}/version.json exists but the child is not on the publish allow-list")
        if (folder / "version.json").exists() and not (folder / "CHANGELOG.md").is_file():
            found.append(f"{rel}/CHANGELOG.md is missing beside its version.json")
        if not re.fullmatch(r"[a-z0-9-/]+", rel):
            found.append(f"{rel}: module folder names must be lower case without camelCase")
    e2e = root / "tests" / "e2e"
    if module_class == "res" and not any(p.name.endswith("waf-aligned") for p in e2e.iterdir()):
        found.append("tests/e2e has no *waf-aligned test")
    if module_class == "res" and not any(p.name.endswith("defaults") for p in e2e.iterdir()):
        found.append("tests/e2e has no *defaults test")
    if not any(e2e.iterdir()):
        found.append("tests/e2e has no test")
    for scenario in e2e.iterdir():
        if not (scenario / "main.test.bicep").is_file():
            found.append(f"tests/e2e/{scenario.name}/main.test.bicep is missing")
        if scenario.name.endswith(("defaults", "waf-aligned")) and (scenario / ".e2eignore").exists():
            found.append(f"tests/e2e/{scenario.name} must not be skipped")
    return found


def check_version_and_changelog(root: Path) -> list[str]:
    found = []
    version = json.loads((root / "version.json").read_text())
    if not re.fullmatch(r"0\.\d+", version.get("version", "")):
        found.append(f"version.json version {version.get('version')!r} is not 0.MINOR")
    if version.get("$schema") != "https://aka.ms/bicep-registry-module-version-file-schema#":
        found.append("version.json has the wrong $schema")
    changelog = (root / "CHANGELOG.md").read_text()
    if not CHANGELOG_RE.match(changelog):
        found.append("CHANGELOG.md is not in the required format")
    elif "## 0.1.0" not in changelog:
        found.append("CHANGELOG.md has no entry for the target version 0.1.0")
    return found


def parameters(source: str) -> list[dict]:
    """Each `param` with the decorators written above it (up to the previous blank line)."""
    result, decorators = [], []
    for line in source.splitlines():
        if not line.strip():
            decorators = []
            continue
        match = PARAM_LINE_RE.match(line)
        if match is None:
            decorators.append(line)
            continue
        descriptions = DESCRIPTION_DECORATOR_RE.findall("\n".join(decorators))
        result.append(
            {
                "name": match.group(1),
                "type": match.group(2).strip(),
                "default": match.group(3),
                "description": _unescape(descriptions[0]) if descriptions else None,
            }
        )
        decorators = []
    return result


def check_parameters(source: str, where: str, top_level: bool) -> list[str]:
    found = []
    params = parameters(source)
    by_name = {p["name"]: p for p in params}
    for p in params:
        name, description = p["name"], p["description"]
        if "-" in name or "_" in name or not name[0].islower():
            found.append(f"{where}: parameter {name} is not camelCase")
        if description is None or not DESCRIPTION_RE.match(description):
            found.append(f"{where}: parameter {name} description {description!r} has no category prefix or final dot")
            continue
        category = description.split(".", 1)[0]
        required = p["default"] is None and not p["type"].endswith("?")
        if category not in CATEGORIES:
            found.append(f"{where}: parameter {name} has unknown category {category}")
        if category == "Conditional" and "Required if" not in description:
            found.append(f"{where}: conditional parameter {name} does not say 'Required if'")
        if required and category not in ("Required", "Conditional"):
            found.append(f"{where}: required parameter {name} is described as {category}")
        if not required and category == "Required":
            found.append(f"{where}: optional parameter {name} is described as Required")
    if "location" in by_name and by_name["location"]["default"] not in ("resourceGroup().location", "'global'"):
        found.append(f"{where}: location default is {by_name['location']['default']}")
    if "tags" in by_name and not by_name["tags"]["type"].endswith("?"):
        found.append(f"{where}: tags is not nullable")
    for name in INTERFACE_PARAMS:
        if name in by_name and not re.fullmatch(r"\w+Type(\[\])?\??", by_name[name]["type"]):
            found.append(f"{where}: {name} does not use a user-defined type")
    if top_level and TELEMETRY_PARAM not in source:
        found.append(f"{where}: enableTelemetry is missing or not exact")
    return found


def check_imports(source: str, where: str) -> list[str]:
    found = []
    lines = source.splitlines()
    versions = set()
    for i, line in enumerate(lines):
        match = re.match(r"import \{ (\w+) \} from 'br/public:avm/utl/types/avm-common-types:(\d+\.\d+\.\d+)'$", line)
        if line.startswith("import") and "avm-common-types" in line and not match:
            found.append(f"{where}: common types must be imported one per line: {line}")
            continue
        if match:
            versions.add(match.group(2))
            following = next((x for x in lines[i + 1 :] if x.startswith("param ")), "")
            if match.group(1) not in following:
                found.append(f"{where}: {match.group(1)} is not imported directly above its parameter")
    if len(versions) > 1:
        found.append(f"{where}: several avm-common-types versions {sorted(versions)}")
    return found


def check_variables_and_resources(source: str, where: str, prefix: str | None, module_class: str = "res") -> list[str]:
    found = []
    for name in re.findall(r"^var (\w+)", source, re.M):
        if not re.fullmatch(r"[a-z]+[a-zA-Z0-9]+", name):
            found.append(f"{where}: variable {name} is not camelCase")
    references = re.findall(r"^module \w+ '(br/public:[^']+|[^']+\.bicep)'", source, re.M)
    if module_class != "res" and references:
        if source.count("enableTelemetry: enableTelemetry") < len(references):
            found.append(f"{where}: referenced modules do not all get enableTelemetry: enableTelemetry")
    elif any(r.startswith("br/public:avm/res/") for r in references):
        if not re.search(r"^var enableReferencedModulesTelemetry = false$", source, re.M):
            found.append(f"{where}: enableReferencedModulesTelemetry = false is missing")
        if "enableTelemetry: enableReferencedModulesTelemetry" not in source:
            found.append(f"{where}: referenced modules do not get enableReferencedModulesTelemetry")
    for reference in references:
        if reference.startswith("br/public:") and not re.search(r":\d+\.\d+\.\d+$", reference):
            found.append(f"{where}: module reference {reference} is not pinned")
    if prefix is not None:
        telemetry = re.search(
            r"resource avmTelemetry 'Microsoft\.Resources/deployments@[\d-]+' = if \(enableTelemetry\) \{(.*?)\n\}",
            source,
            re.S,
        )
        if telemetry is None:
            found.append(f"{where}: no avmTelemetry resource conditioned on enableTelemetry")
        else:
            body = telemetry.group(1)
            if f"'{prefix}." not in body or "46d3xbcp" not in body:
                found.append(f"{where}: telemetry name does not carry the prefix {prefix}")
            if TELEMETRY_OUTPUT not in body:
                found.append(f"{where}: telemetry template output is not the standard text")
    for name in re.findall(r"^\s+name: '\$\{uniqueString\(([^)]*)\)\}", source, re.M):
        if "deployment().name" in name or "utcNow" in name:
            found.append(f"{where}: a module deployment name is seeded with {name}")
    return found


def check_outputs(source: str, where: str, top_level: bool, module_class: str = "res") -> list[str]:
    found = []
    outputs = {name: (description, type_, value) for description, name, type_, value in OUTPUT_RE.findall(source)}
    declared = re.findall(r"^output (\w+) ", source, re.M)
    for name in declared:
        if name not in outputs:
            found.append(f"{where}: output {name} has no description")
        elif not OUTPUT_DESCRIPTION_RE.match(_unescape(outputs[name][0])):
            found.append(f"{where}: output {name} description does not start with a capital and end with a dot")
        if "-" in name or "_" in name:
            found.append(f"{where}: output {name} is not camelCase")
    if module_class != "res":
        return found
    for required in ("resourceId", "name", "resourceGroupName"):
        if required not in declared:
            found.append(f"{where}: output {required} is missing")
    if top_level and "location" not in declared:
        found.append(f"{where}: output location is missing")
    supports_system = re.search(
        r"param managedIdentities (managedIdentityAllType|managedIdentityOnlySysAssignedType)", source
    )
    if supports_system:
        if "systemAssignedMIPrincipalId" not in outputs:
            found.append(f"{where}: output systemAssignedMIPrincipalId is missing")
        else:
            _, type_, value = outputs["systemAssignedMIPrincipalId"]
            if type_.strip() != "string?" or "coalesce" in value or "?? ''" in value:
                found.append(f"{where}: systemAssignedMIPrincipalId must be a nullable string without coalescing")
    return found


def check_types(source: str, where: str) -> list[str]:
    found = []
    for name, body in TYPE_RE.findall(source):
        if not re.fullmatch(r"[a-z].*Type", name):
            found.append(f"{where}: type {name} is not named ...Type")
        if body.rstrip().endswith(("[]", "?")):
            found.append(f"{where}: type {name} is an array or nullable")
    return found


def check_tests(root: Path) -> list[str]:
    found = []
    shorts = {}
    for test in sorted((root / "tests" / "e2e").glob("*/main.test.bicep")):
        where = test.relative_to(root).as_posix()
        source = test.read_text()
        for required in (r"^metadata name = '.+'$", r"^metadata description = '.+'$"):
            if not re.search(required, source, re.M):
                found.append(f"{where}: {required} is missing")
        if not source.startswith("targetScope = 'subscription'"):
            found.append(f"{where}: tests deploy at subscription scope")
        if not re.search(r"^module ", source, re.M):
            continue  # a test without deployments (a utility's import test) needs none of the rest
        match = re.search(r"^param serviceShort string = '([a-z0-9]+)'$", source, re.M)
        if match is None:
            found.append(f"{where}: no serviceShort parameter")
        else:
            short = match.group(1)
            suffix = SCENARIO_SUFFIX.get(test.parent.name)
            if suffix and not short.endswith(suffix):
                found.append(f"{where}: serviceShort {short} does not end with {suffix}")
            if short in shorts.values():
                found.append(f"{where}: serviceShort {short} is not unique")
            shorts[where] = short
        if not re.search(r"^param namePrefix string = '#_namePrefix_#'$", source, re.M):
            found.append(f"{where}: namePrefix is not the CI token")
        if not re.search(r"^module testDeployment '\.\.\/.*main\.bicep' = .*[\[|\{]$", source, re.M):
            found.append(f"{where}: no testDeployment module line")
        if not re.search(r"name: .*-test-", source):
            found.append(f"{where}: no deployment name containing -test-")
    return found


def check_children_referenced(root: Path) -> list[str]:
    found = []
    for folder in module_folders(root):
        source = (folder / "main.bicep").read_text()
        for child in sorted(p.parent for p in folder.glob("*/main.bicep") if p.parent.name != "tests"):
            if f"'{child.name}/main.bicep'" not in source:
                found.append(f"{folder.relative_to(root).as_posix() or '.'}: does not reference child {child.name}")
    return found


def published_children(root: Path) -> set[str]:
    """Child folders marked published in the answers file: our stand-in for the registry's allow-list."""
    path = root / ".copier-answers.yml"
    answers = yaml.safe_load(path.read_text()) if path.is_file() else {}
    return {c["folder"] for c in answers.get("children") or () if c.get("published")}


def has_resources(source: str) -> bool:
    return bool(re.search(r"^(resource|module) ", source, re.M))


def findings(root: Path, telemetry_prefix: str, module_class: str = "res") -> list[str]:
    """Every rule violation found in the module at `root` (and its child modules)."""
    found = check_files(root, module_class) + check_version_and_changelog(root) + check_tests(root)
    found += check_children_referenced(root)
    for folder in module_folders(root):
        top = folder == root
        where = (folder.relative_to(root) / "main.bicep").as_posix()
        source = (folder / "main.bicep").read_text()
        deploys = has_resources(source)
        telemetry = deploys if top else (folder / "version.json").is_file()
        found += check_parameters(source, where, telemetry)
        found += check_imports(source, where)
        if top and not deploys and ("enableTelemetry" in source or "avmTelemetry" in source):
            found.append(f"{where}: a module without resources must not have telemetry")
        prefix = telemetry_prefix if top else child_prefix(root, folder)
        found += check_variables_and_resources(source, where, prefix if telemetry else None, module_class)
        found += check_outputs(source, where, top, module_class)
        found += check_types(source, where)
    return found


def child_prefix(root: Path, folder: Path) -> str:
    """A published child's telemetry prefix: the parent's with the child's folders, hyphens dropped."""
    answers = (root / ".copier-answers.yml").read_text()
    parent = re.search(r"^telemetry_id_prefix: (\S+)$", answers, re.M).group(1)
    rel = folder.relative_to(root).parts
    return "-".join([parent, *(part.replace("-", "") for part in rel)])
