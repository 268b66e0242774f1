"""Bicep files and folders: required files, README, main.json, CHANGELOG.md, version.json, folders, e2e folders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from generator.check.core import CANNOT_READ_FIX, CANNOT_READ_TITLE, Hit, Module, rule, unreadable_files
from generator.check.rules import BOTH
from generator.check.rules.bicep.common import SCOPES, B, has_version, main, test_files

CHANGELOG_HEAD_RE = re.compile(
    r"\A# Changelog\r?\n\r?\nThe latest version of the changelog can be found \[here\]\("
    r"https://github\.com/Azure/bicep-registry-modules/blob/main/(?P<path>avm/(?:res|ptn|utl)/[^)]+)/CHANGELOG\.md\)\.\r?\n",
    re.IGNORECASE,
)


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
