"""The Bicep rules of `avm check`: the static MUSTs of the AVM spec and the compliance-suite items of
bicep-registry-modules that need no compiler. Each rule names the spec ID it checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from generator.check.bicep_reader import BicepFile, Statement, string_value
from generator.check.core import CANNOT_READ_FIX, CANNOT_READ_TITLE, Hit, Module, rule, unreadable_files
from generator.interfaces import INTERFACES, MANDATORY_ROLES, TELEMETRY_DESCRIPTION, TELEMETRY_NOTICE

B = "bicep"
BOTH = ("top", "child")
CAMEL_RE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
VARIABLE_RE = re.compile(r"^[a-z]+[a-zA-Z0-9]+$|^\$fxv#\d+$")
DESCRIPTION_RE = re.compile(r"(?s)^[A-Z][a-zA-Z]+\. .+\.$")
OUTPUT_DESCRIPTION_RE = re.compile(r"(?s)^[A-Z].+\.$")
CATEGORIES = ("Required", "Optional", "Conditional", "Generated")
INTERFACE_PARAMS = tuple(i.bicep["param"] for key, i in INTERFACES.items() if key != "tags")
COMPULSORY_ROLES = tuple(MANDATORY_ROLES)
CHANGELOG_HEAD_RE = re.compile(
    r"\A# Changelog\r?\n\r?\nThe latest version of the changelog can be found \[here\]\("
    r"https://github\.com/Azure/bicep-registry-modules/blob/main/(?P<path>avm/(?:res|ptn|utl)/[^)]+)/CHANGELOG\.md\)\.\r?\n",
    re.IGNORECASE,
)
SCOPES = ("rg-scope", "sub-scope", "mg-scope")  # the child folders of a multi-scope module
SCENARIO_SUFFIXES = (("defaults", "min"), ("waf-aligned", "waf"), ("max", "max"))


# ---------------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------------


def main(module: Module) -> BicepFile | None:
    return module.bicep("main.bicep")


def has_version(module: Module) -> bool:
    return module.exists("version.json")


def deploys(bicep: BicepFile) -> bool:
    """Whether the file deploys anything besides its usage telemetry."""
    return any(s.keyword in ("resource", "module") and "46d3xbcp" not in s.text for s in bicep.statements)


def test_files(module: Module) -> list[str]:
    return module.files("tests/e2e/*/main.test.bicep")


def is_required(param: Statement) -> bool:
    return param.value is None and not param.nullable


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


def line_in(statement: Statement, pattern: str) -> int:
    match = re.search(pattern, statement.text, re.M)
    return statement.line + (statement.text.count("\n", 0, match.start()) if match else 0)


# ---------------------------------------------------------------------------------------------------------------------
# Files and folders
# ---------------------------------------------------------------------------------------------------------------------


@rule(
    "AVMB000",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    runs_last=True,
    title=CANNOT_READ_TITLE,
    fix=CANNOT_READ_FIX,
    example="main.bicep, the tests' main.test.bicep, README.md, CHANGELOG.md and version.json: UTF-8 text "
    "(a byte order mark is allowed).",
)
def cannot_read(module: Module) -> Iterator[Hit]:
    yield from unreadable_files(module, ("main.bicep", *test_files(module)))


@rule(
    "BCPNFR23",
    spec="BCPNFR23",
    language=B,
    severity="error",
    scopes=BOTH,
    title="A module folder holds main.bicep and README.md; a top-level module also version.json and CHANGELOG.md.",
    fix="Add the missing files (Set-AVMModule creates the README; avm new writes all of them).",
    example=(
        "avm/res/key-vault/vault/\n"
        "  main.bicep  main.json  README.md  version.json  CHANGELOG.md\n"
        "  secret/\n"
        "    main.bicep  main.json  README.md"
    ),
)
def required_files(module: Module) -> Iterator[Hit]:
    names = (
        ("main.bicep", "README.md") if module.is_child else ("main.bicep", "README.md", "version.json", "CHANGELOG.md")
    )
    multi_scope = not module.is_child and any((module.root / s / "version.json").is_file() for s in SCOPES)
    for name in names:
        if name in ("version.json", "CHANGELOG.md") and multi_scope:
            continue  # a multi-scope parent is not published; its scopes are
        if not module.exists(name):
            yield Hit(f"{name} is missing", name)


@rule(
    "BCPNFR2",
    spec="BCPNFR2",
    language=B,
    severity="error",
    scopes=BOTH,
    title="README.md has the generated sections (Parameters, Outputs) and, when the module has telemetry, ends "
    "with the Data Collection notice (SFR3).",
    fix="Regenerate the README with Set-AVMModule (avm new writes it in the same layout).",
    example=(
        "## Parameters\n"
        "...\n"
        "## Outputs\n"
        "...\n"
        "## Data Collection\n"
        "\n"
        "The software may collect information about you and your use of the software ..."
    ),
)
def readme_sections(module: Module) -> Iterator[Hit]:
    text = module.text("README.md")
    bicep = main(module)
    if text is None or bicep is None:
        return
    headings = re.findall(r"^## (.+?)\s*$", text, re.M)
    for wanted in ("Parameters", "Outputs"):
        if wanted not in headings:
            yield Hit(f"README.md has no `## {wanted}` section", "README.md")
    if "enableTelemetry" in bicep.params and (not headings or headings[-1] != "Data Collection"):
        yield Hit("README.md does not end with the `## Data Collection` notice", "README.md")


@rule(
    "BCPNFR23-build",
    spec="BCPNFR23",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Every module folder holds main.json, the compiled main.bicep that is published.",
    fix="Run `bicep build main.bicep` (or Set-AVMModule) in the module folder.",
    example="bicep build main.bicep   # writes main.json beside main.bicep",
)
def compiled_template(module: Module) -> Iterator[Hit]:
    if module.exists("main.bicep") and not module.exists("main.json"):
        yield Hit("main.json is missing: build it from main.bicep", "main.json")


@rule(
    "BCPNFR22",
    spec="BCPNFR22",
    language=B,
    severity="error",
    scopes=BOTH,
    title="CHANGELOG.md exists wherever version.json does, in the AVM format with descending `## x.y.z` sections.",
    fix="Start CHANGELOG.md with `# Changelog` and the standard link, then `## 0.1.0` / `### Changes` / "
    "`### Breaking Changes` sections, newest first.",
    example=(
        "# Changelog\n"
        "\n"
        "The latest version of the changelog can be found "
        "[here](https://github.com/Azure/bicep-registry-modules/blob/main/avm/res/key-vault/vault/CH"
        "ANGELOG.md).\n"
        "\n"
        "## 0.1.0\n"
        "\n"
        "### Changes\n"
        "\n"
        "- Initial version\n"
        "\n"
        "### Breaking Changes\n"
        "\n"
        "- None"
    ),
)
def changelog(module: Module) -> Iterator[Hit]:
    if not has_version(module):
        return
    text = module.text("CHANGELOG.md")
    if text is None:
        yield Hit("CHANGELOG.md is missing beside version.json", "CHANGELOG.md")
        return
    head = CHANGELOG_HEAD_RE.match(text)
    if head is None:
        yield Hit("CHANGELOG.md does not start with `# Changelog` and the link to its file on main", "CHANGELOG.md")
        return
    if module.registry_root is not None and head.group("path") != module.module_path:
        yield Hit(f"CHANGELOG.md links to {head.group('path')}, not to {module.module_path}", "CHANGELOG.md", 3)
    versions = [(int(a), int(b), int(c)) for a, b, c in re.findall(r"^## (\d+)\.(\d+)\.(\d+)\s*$", text, re.M)]
    if not versions:
        yield Hit("CHANGELOG.md has no `## x.y.z` section", "CHANGELOG.md")
    elif versions != sorted(versions, reverse=True):
        yield Hit("CHANGELOG.md sections are not in descending version order", "CHANGELOG.md")


@rule(
    "BCPNFR14",
    spec="BCPNFR14",
    language=B,
    severity="error",
    scopes=BOTH,
    title="version.json has the AVM schema and a `0.MINOR` version.",
    fix='Write {"$schema": "https://aka.ms/bicep-registry-module-version-file-schema#", "version": "0.1"}.',
    example=('{\n  "$schema": "https://aka.ms/bicep-registry-module-version-file-schema#",\n  "version": "0.1"\n}'),
)
def version_file(module: Module) -> Iterator[Hit]:
    text = module.text("version.json")
    if text is None:
        return
    try:
        data = json.loads(text)
    except ValueError:
        yield Hit("version.json is not valid JSON", "version.json")
        return
    version = str(data.get("version", "")) if isinstance(data, dict) else ""
    if not re.fullmatch(r"0\.\d+", version) and module.module_path != "avm/res/network/nat-gateway":
        yield Hit(f"version {version!r} is not MAJOR.MINOR with MAJOR 0", "version.json")
    if isinstance(data, dict) and data.get("$schema") != "https://aka.ms/bicep-registry-module-version-file-schema#":
        yield Hit("$schema is not https://aka.ms/bicep-registry-module-version-file-schema#", "version.json")


@rule(
    "AVMB010",
    spec="",
    language=B,
    severity="error",
    scopes=("child",),
    title="A child module has version.json only when it is on the registry's publish allow-list.",
    fix="Add the child to utilities/pipelines/staticValidation/compliance/helper/child-module-publish-allowed-list.json "
    "(avm new --publish-child does), or remove its version.json.",
    example=('{\n  "allowed-child-modules": [\n    "avm/res/key-vault/vault/secret"\n  ]\n}'),
)
def published_child(module: Module) -> Iterator[Hit]:
    if module.registry_root is None or not has_version(module):
        return
    if any(module.root.name == s for s in SCOPES):
        return  # multi-scope children are published by design
    allowed = module.registry_root / "utilities/pipelines/staticValidation/compliance/helper"
    try:
        listed = json.loads((allowed / "child-module-publish-allowed-list.json").read_text())["allowed-child-modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if module.module_path not in listed:
        yield Hit(f"{module.module_path} has version.json but is not on the publish allow-list", "version.json")


@rule(
    "BCPRMNFR3",
    spec="BCPRMNFR3",
    language=B,
    severity="error",
    classes=("res",),
    scopes=BOTH,
    title="Child module folders are named in lower-case kebab case (no camelCase).",
    fix="Rename the folder to the kebab-case singular child type, e.g. `blob-service`.",
    example="avm/res/storage/storage-account/blob-service/container/main.bicep",
)
def folder_names(module: Module) -> Iterator[Hit]:
    if not re.fullmatch(r"[a-z0-9.-]+", module.root.name):
        yield Hit(f"module folder {module.root.name!r} is not lower-case kebab case", ".")


@rule(
    "BCPNFR10",
    spec="BCPNFR10",
    language=B,
    severity="error",
    title="tests/e2e holds one folder per test, each with a main.test.bicep.",
    fix="Add tests/e2e/<scenario>/main.test.bicep.",
    example=(
        "tests/e2e/defaults/main.test.bicep\ntests/e2e/waf-aligned/main.test.bicep\ntests/e2e/max/main.test.bicep"
    ),
)
def test_layout(module: Module) -> Iterator[Hit]:
    e2e = module.root / "tests" / "e2e"
    if not e2e.is_dir() or not any(p.is_dir() for p in e2e.iterdir()):
        yield Hit("tests/e2e has no test folder", "tests/e2e")
        return
    for folder in sorted(p for p in e2e.iterdir() if p.is_dir()):
        if not (folder / "main.test.bicep").is_file():
            yield Hit(f"tests/e2e/{folder.name} has no main.test.bicep", f"tests/e2e/{folder.name}")
        ignore = folder / ".e2eignore"
        if ignore.is_file() and not ignore.read_text(errors="replace").strip():
            yield Hit(f"tests/e2e/{folder.name}/.e2eignore does not say why", f"tests/e2e/{folder.name}/.e2eignore")


@rule(
    "BCPRMNFR1",
    spec="BCPRMNFR1",
    language=B,
    severity="error",
    classes=("res",),
    title="A resource module has a `defaults` and a `waf-aligned` e2e test, neither skipped with .e2eignore.",
    fix="Add tests/e2e/defaults and tests/e2e/waf-aligned (avm new writes both).",
    example=("tests/e2e/defaults/main.test.bicep\ntests/e2e/waf-aligned/main.test.bicep"),
)
def standard_tests(module: Module) -> Iterator[Hit]:
    e2e = module.root / "tests" / "e2e"
    if not e2e.is_dir():
        return
    folders = [p.name for p in e2e.iterdir() if p.is_dir()]
    for wanted in ("defaults", "waf-aligned"):
        if not any(f == wanted or f.endswith(f".{wanted}") for f in folders):
            yield Hit(f"tests/e2e has no {wanted} test", "tests/e2e")
    exempt = module.module_path.startswith(("avm/res/azure-stack-hci/", "avm/res/cache/redis"))
    for folder in folders:
        if folder.endswith(("defaults", "waf-aligned")) and (e2e / folder / ".e2eignore").is_file() and not exempt:
            yield Hit(f"tests/e2e/{folder} must not be skipped with .e2eignore", f"tests/e2e/{folder}/.e2eignore")


# ---------------------------------------------------------------------------------------------------------------------
# main.bicep: metadata, parameters, telemetry
# ---------------------------------------------------------------------------------------------------------------------


@rule(
    "AVMB001",
    spec="",
    language=B,
    severity="error",
    scopes=BOTH,
    title="main.bicep declares `metadata name` and `metadata description`.",
    fix="Add `metadata name = '<Plural display name>'` and `metadata description = 'This module deploys ...'`.",
    example=("metadata name = 'Key Vaults'\nmetadata description = 'This module deploys a Key Vault.'"),
)
def metadata(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for name in ("name", "description"):
        if not bicep.metadata(name):
            yield Hit(f"metadata {name} is missing or empty")


@rule(
    "BCPNFR7",
    spec="BCPNFR7",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Every parameter is described with a category prefix (Required., Optional., Conditional., Generated.) "
    "that matches whether it is required, and ends with a dot.",
    fix="Write `@description('Required. ...')` for required parameters and `Optional. ...` for the others; "
    "`Conditional.` descriptions say `Required if ...`.",
    example=(
        "@description('Required. Name of the Key Vault.')\n"
        "param name string\n"
        "\n"
        "@description('Optional. Location for all resources.')\n"
        "param location string = resourceGroup().location"
    ),
)
def parameter_descriptions(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for param in bicep.of("param"):
        description = param.description
        if description is None or not DESCRIPTION_RE.match(description):
            yield Hit(
                f"parameter {param.name}: description has no `Category. ` prefix or no final dot", line=param.line
            )
            continue
        category = description.split(".", 1)[0]
        if category not in CATEGORIES:
            yield Hit(f"parameter {param.name}: unknown category {category!r}", line=param.line)
        elif category == "Conditional" and "Required if" not in description:
            yield Hit(f"parameter {param.name}: a Conditional description must say `Required if ...`", line=param.line)
        elif is_required(param) and category not in ("Required", "Conditional"):
            yield Hit(f"parameter {param.name} is required but described as {category}", line=param.line)
        elif not is_required(param) and category == "Required":
            yield Hit(
                f"parameter {param.name} has a default or is nullable but is described as Required", line=param.line
            )


@rule(
    "BCPNFR8",
    spec="BCPNFR8",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Parameters, user-defined type properties, variables and outputs are named in lowerCamelCase.",
    fix="Rename to lowerCamelCase (no `-` or `_`).",
    example=(
        "param publicNetworkAccess string?\nvar formattedRoleAssignments = []\noutput resourceId string = keyVault.id"
    ),
)
def camel_case(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for param in bicep.of("param"):
        if not CAMEL_RE.match(param.name):
            yield Hit(f"parameter {param.name} is not lowerCamelCase", line=param.line)
    for var in bicep.of("var"):
        if not VARIABLE_RE.match(var.name):
            yield Hit(f"variable {var.name} is not lowerCamelCase", line=var.line)
    for output in bicep.of("output"):
        if not CAMEL_RE.match(output.name):
            yield Hit(f"output {output.name} is not lowerCamelCase", line=output.line)
    for definition in bicep.of("type"):
        for offset, prop in type_properties(definition.text):
            if not CAMEL_RE.match(prop):
                yield Hit(
                    f"type {definition.name}: property {prop} is not lowerCamelCase", line=definition.line + offset
                )


PROPERTY_RE = re.compile(r"^\s+([A-Za-z_$][\w$-]*)\s*:\s", re.M)


def type_properties(text: str) -> Iterator[tuple[int, str]]:
    """Property names declared in a type's object body (any depth), with their line offsets. Quoted names
    (`'odata.type'`) are the API's own and are not ours to rename."""
    for match in PROPERTY_RE.finditer(text):
        name = match.group(1)
        if name != "*":
            yield text.count("\n", 0, match.start()) + 1, name


@rule(
    "RMNFR2",
    spec="RMNFR2",
    language=B,
    severity="error",
    title="`location` defaults to `resourceGroup().location` (or 'global').",
    fix="Declare `param location string = resourceGroup().location`.",
    example=("@description('Optional. Location for all resources.')\nparam location string = resourceGroup().location"),
)
def location_default(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    location = bicep.params.get("location") if bicep else None
    if location is None or location.value is None:
        return
    allowed = {"resourcegroup().location", "'global'"}
    if target_scope(bicep) != "resourceGroup":
        allowed.add("deployment().location")  # there is no resource group to take it from
    if location.value.lower() not in allowed:
        yield Hit(f"location defaults to {location.value}, not resourceGroup().location", line=location.line)


def target_scope(bicep: BicepFile) -> str:
    scope = bicep.get("targetScope", "")
    return string_value(scope.value or "") or "resourceGroup" if scope else "resourceGroup"


@rule(
    "RMNFR1",
    spec="RMNFR1",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, a module lives at avm/<res|ptn|utl>/<provider-or-category>/<name> in "
    "lower-case kebab case.",
    fix="Move the module to the path the module index approved for it (avm new takes it from the index).",
    example=("avm/res/key-vault/vault\navm/ptn/azd/monitoring\navm/utl/types/avm-common-types"),
)
def module_path(module: Module) -> Iterator[Hit]:
    if module.registry_root is None:
        return
    if not re.fullmatch(r"avm/(res|ptn|utl)/[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*", module.module_path):
        yield Hit(f"{module.module_path} is not avm/<res|ptn|utl>/<kebab-case>/<kebab-case>", ".")


@rule(
    "RMNFR2-name",
    spec="RMNFR2",
    language=B,
    severity="warning",  # published modules of singleton resources (network watchers) default the name
    classes=("res",),
    title="A resource module takes a required `name` parameter.",
    fix="Declare `@description('Required. Name of the <resource>.')` and `param name string`, without a default.",
    example=("@description('Required. Name of the Key Vault.')\nparam name string"),
)
def name_parameter(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return  # a multi-scope parent passes the name to its scopes
    name = bicep.params.get("name")
    if name is None:
        yield Hit("parameter name is missing")
    elif not is_required(name):
        yield Hit("parameter name must be required (no default, not nullable)", line=name.line)


@rule(
    "RMFR3",
    spec="RMFR3",
    language=B,
    severity="warning",
    classes=("res",),
    title="A resource module deploys at resource-group scope (no other targetScope).",
    fix="Remove targetScope, or make the module multi-scope (rg-scope, sub-scope, mg-scope children).",
    example=("// no targetScope line: resource group scope is the default\nmetadata name = 'Key Vaults'"),
)
def resource_group_scope(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module) or module.root.name in SCOPES:
        return
    if target_scope(bicep) != "resourceGroup":
        yield Hit(f"targetScope is {target_scope(bicep)}", line=bicep.line_of(r"^targetScope"))


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


# ---------------------------------------------------------------------------------------------------------------------
# Interfaces and outputs of resource modules
# ---------------------------------------------------------------------------------------------------------------------


@rule(
    "RMFR4",
    spec="RMFR4",
    language=B,
    severity="error",
    classes=("res",),
    title="Interface parameters (lock, roleAssignments, diagnosticSettings, managedIdentities, privateEndpoints, "
    "customerManagedKey) use a user-defined type, and `tags` is nullable.",
    fix="Type them with the avm-common-types types (`param lock lockType?`) and declare `tags` with `?`.",
    example=(
        "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'\n"
        "@description('Optional. The lock settings of the service.')\n"
        "param lock lockType?\n"
        "\n"
        "@description('Optional. Resource tags.')\n"
        "param tags resourceInput<'Microsoft.KeyVault/vaults@2024-11-01'>.tags?"
    ),
)
def interface_types(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for name in INTERFACE_PARAMS:
        param = bicep.params.get(name)
        if param is not None and not re.fullmatch(r"[\w.]+Type(\[\])?\??", param.type):
            yield Hit(f"parameter {name} is typed {param.type}, not with a user-defined type", line=param.line)
    tags = bicep.params.get("tags")
    if tags is not None and not tags.nullable:
        yield Hit("parameter tags is not nullable", line=tags.line)


@rule(
    "BCPRMNFR2",
    spec="BCPRMNFR2",
    language=B,
    severity="warning",
    classes=("res",),
    scopes=BOTH,
    title="Each avm-common-types type is imported on its own, directly above the parameter that uses it.",
    fix="Write `import { lockType } from 'br/public:avm/utl/types/avm-common-types:<version>'` right above `param lock`.",
    example=(
        "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'\n"
        "@description('Optional. The lock settings of the service.')\n"
        "param lock lockType?"
    ),
)
def common_type_imports(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    statements = bicep.statements
    for index, statement in enumerate(statements):
        if statement.keyword != "import" or "avm-common-types" not in statement.text:
            continue
        names = re.findall(r"\b(\w+Type)\b", statement.text.partition("from")[0])
        if len(names) != 1:
            continue  # types imported together serve several parameters or definitions
        following = statements[index + 1] if index + 1 < len(statements) else None
        if following is None or following.keyword not in ("param", "type", "output") or names[0] not in following.text:
            yield Hit(f"{names[0]} is not imported directly above the declaration that uses it", line=statement.line)


@rule(
    "RMFR7",
    spec="RMFR7",
    language=B,
    severity="error",
    classes=("res",),
    title="A resource module outputs `name`, `resourceId` and (at resource-group scope) `resourceGroupName`; "
    "with a system-assigned identity also `systemAssignedMIPrincipalId` as a nullable string.",
    fix="Add the outputs; declare `output systemAssignedMIPrincipalId string? = <res>.?identity.?principalId`.",
    example=(
        "@description('The name of the Key Vault.')\n"
        "output name string = keyVault.name\n"
        "\n"
        "@description('The resource ID of the Key Vault.')\n"
        "output resourceId string = keyVault.id\n"
        "\n"
        "@description('The name of the resource group the Key Vault was created in.')\n"
        "output resourceGroupName string = resourceGroup().name"
    ),
)
def resource_outputs(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None or not has_version(module):
        return
    scope = bicep.get("targetScope", "")
    wanted = ["name", "resourceId"]
    if scope is None or "resourceGroup" in (scope.value or ""):
        wanted.append("resourceGroupName")
    declared = {name.lower() for name in bicep.outputs}  # the suite compares case-blind
    for name in wanted:
        if name.lower() not in declared:
            yield Hit(f"output {name} is missing", line=len(bicep.source.splitlines()) or 1)
    identities = bicep.params.get("managedIdentities")
    if identities is not None and re.match(r"managedIdentity(All|OnlySysAssigned)Type", identities.type):
        output = bicep.outputs.get("systemAssignedMIPrincipalId")
        if output is None:
            yield Hit("output systemAssignedMIPrincipalId is missing", line=identities.line)
        elif output.type != "string?" or "coalesce" in (output.value or "") or "?? ''" in (output.value or ""):
            yield Hit("systemAssignedMIPrincipalId must be `string?` and never coalesced to ''", line=output.line)


@rule(
    "SNFR26",
    spec="SNFR26",
    language=B,
    severity="error",
    scopes=BOTH,
    title="Every output is described, starting with a capital letter and ending with a dot.",
    fix="Add `@description('The ... .')` above the output.",
    example=("@description('The resource ID of the Key Vault.')\noutput resourceId string = keyVault.id"),
)
def output_descriptions(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for output in bicep.of("output"):
        if output.description is None or not OUTPUT_DESCRIPTION_RE.match(output.description):
            yield Hit(
                f"output {output.name}: description missing, not capitalised or without a final dot", line=output.line
            )


@rule(
    "BCPNFR18",
    spec="BCPNFR18",
    language=B,
    severity="error",
    scopes=BOTH,
    title="User-defined types are named `...Type` in lowerCamelCase and are neither arrays nor nullable "
    "(the parameter carries `[]` and `?`).",
    fix="Rename the type to end in `Type`; move `[]`/`?` from the type to the parameter.",
    example=("@export()\ntype secretType = {\n  name: string\n  value: string\n}\n\nparam secrets secretType[]?"),
)
def user_defined_types(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    if bicep is None:
        return
    for definition in bicep.of("type"):
        if not re.fullmatch(r"[a-z]\w*Type", definition.name):
            yield Hit(f"type {definition.name} is not named ...Type in lowerCamelCase", line=definition.line)
        body = definition.type.rstrip()
        if body.endswith(("[]", "?")):
            yield Hit(f"type {definition.name} is itself an array or nullable", line=definition.line)


@rule(
    "BCPNFR5",
    spec="BCPNFR5",
    language=B,
    severity="warning",
    scopes=BOTH,
    title="The built-in role name map includes Owner, Contributor, Reader, User Access Administrator and Role Based "
    "Access Control Administrator, and has at most 15 entries.",
    fix="Add the compulsory roles to `builtInRoleNames`; keep the map to 15 roles.",
    example=(
        "var builtInRoleNames = {\n"
        "  Contributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
        "'b24988ac-6180-42a0-ab88-20f7382dd24c')\n"
        "  Owner: ...\n"
        "  Reader: ...\n"
        "  'Role Based Access Control Administrator': ...\n"
        "  'User Access Administrator': ...\n"
        "}"
    ),
)
def role_names(module: Module) -> Iterator[Hit]:
    bicep = main(module)
    roles = bicep.get("var", "builtInRoleNames") if bicep else None
    if roles is None:
        return
    keys = re.findall(r"^\s+(?:'([^']+)'|(\w+))\s*:", roles.text, re.M)
    names = {a or b for a, b in keys}
    missing = [r for r in COMPULSORY_ROLES if r not in names]
    if missing:
        yield Hit(f"builtInRoleNames lacks {', '.join(missing)}", line=roles.line)
    if len(names) > 15:
        yield Hit(f"builtInRoleNames has {len(names)} roles; at most 15 (BCPNFR6)", line=roles.line)


# ---------------------------------------------------------------------------------------------------------------------
# References to other modules
# ---------------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------------
# e2e test files
# ---------------------------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------------
# Registry wiring (only inside a bicep-registry-modules checkout)
# ---------------------------------------------------------------------------------------------------------------------


@rule(
    "AVMB030",
    spec="",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, the module has its workflow .github/workflows/avm.<class>.<path>.yml "
    "with the module's path and triggers.",
    fix="Create the workflow (avm new does, inside a registry checkout).",
    example=".github/workflows/avm.res.key-vault.vault.yml",
)
def workflow(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    import yaml

    from generator.repo import workflow_path

    path = workflow_path(module.module_path)
    text = _registry_text(module, path)
    if text is None:
        yield Hit(f"{path} is missing", ".")
        return
    try:
        data = yaml.safe_load(text)
        env, push = data.get("env") or {}, (data.get(True) or data.get("on") or {}).get("push") or {}
    except (yaml.YAMLError, AttributeError):
        yield Hit(f"{path} is not a valid workflow", ".")
        return
    if env.get("modulePath") != module.module_path:
        yield Hit(f"{path}: env.modulePath is not {module.module_path}", ".")
    if env.get("workflowPath") != path:
        yield Hit(f"{path}: env.workflowPath is not {path}", ".")
    if f"{module.module_path}/**" not in (push.get("paths") or []):
        yield Hit(f"{path}: the push trigger does not watch {module.module_path}/**", ".")


def wired(module: Module) -> bool:
    """Registry wiring applies to live modules inside a checkout; deprecated ones are being retired."""
    return module.registry_root is not None and not module.exists("DEPRECATED.md")


@rule(
    "SNFR20",
    spec="SNFR20",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, CODEOWNERS assigns the module folder to its owners team and the reviewers.",
    fix="Add `/<module path>/ @Azure/<owners team> @Azure/avm-module-reviewers-bicep` to .github/CODEOWNERS.",
    example=(
        "/avm/res/key-vault/vault/ @Azure/avm-res-keyvault-vault-module-owners-bicep @Azure/avm-module-reviewers-bicep"
    ),
)
def codeowners(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    text = _registry_text(module, ".github/CODEOWNERS") or ""
    line = next((x for x in text.splitlines() if x.split(" ", 1)[0] == f"/{module.module_path}/"), None)
    team = "avm-" + "-".join(s.replace("-", "") for s in module.module_path.split("/")[1:]) + "-module-owners-bicep"
    if line is None:
        yield Hit(f"CODEOWNERS has no line for /{module.module_path}/", ".")
    elif "@Azure/avm-module-reviewers-bicep" not in line or f"@Azure/{team}" not in line.split():
        yield Hit(
            f"CODEOWNERS line is not `/{module.module_path}/ @Azure/{team} @Azure/avm-module-reviewers-bicep`", "."
        )


@rule(
    "BCPNFR15",
    spec="BCPNFR15",
    language=B,
    severity="error",
    title="Inside bicep-registry-modules, the module issue template lists the module, not commented out.",
    fix='Add `        - "<module path>"` to the module-name-dropdown of .github/ISSUE_TEMPLATE/avm_module_issue.yml.',
    example='        - "avm/res/key-vault/vault"',
)
def issue_template(module: Module) -> Iterator[Hit]:
    if not wired(module):
        return
    text = _registry_text(module, ".github/ISSUE_TEMPLATE/avm_module_issue.yml") or ""
    entry = re.search(rf'^(\s*#?)\s*-\s+"{re.escape(module.module_path)}"', text, re.M)
    if entry is None:
        yield Hit(f"the issue template does not list {module.module_path}", ".")
    elif "#" in entry.group(1):
        yield Hit(f"the issue template lists {module.module_path} commented out", ".")


def _registry_text(module: Module, path: str) -> str | None:
    try:
        return (module.registry_root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, TypeError):
        return None
