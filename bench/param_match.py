"""How many parameter names of real AVM Bicep resource modules `avm new` writes for the same resource.

    python bench/param_match.py REGISTRY [--schemas BICEP_TYPES_AZ] [--write]

REGISTRY: a bicep-registry-modules work tree, or its bare git directory (the modules of MODULES are
taken from its HEAD with `git archive`). BICEP_TYPES_AZ: a bicep-types-az work tree, its `generated/`
folder, or its bare git directory; it gives avm the schema at each real module's API version (without
it, a version the shipped bundle lacks has no schema). `--write` replaces the "Parameters of real
modules" section of docs/performance.md.

For each module of MODULES, the real module's `main.bicep` gives the API version of its resource and
its interfaces (the interface parameters it declares); every child module folder gives a child type
(the shortest non-`existing` resource type under the module's type that it declares), published when
the folder has a `version.json`. `avm new resource --lang bicep` then writes a module of the same type
with that API version, those interfaces and those children (`--publish-child` for the published ones),
and the `param` names of each file pair (the main modules, and the child modules of the same
type in both) are compared. Nothing is left out of the headline share; a second share leaves out the
parameters that match by construction (STANDARD).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.interfaces import INTERFACES

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "docs" / "performance.md"
SECTION = "## Parameters of real modules"

MODULES = {
    "app-configuration/configuration-store": "Microsoft.AppConfiguration/configurationStores",
    "cache/redis": "Microsoft.Cache/redis",
    "cognitive-services/account": "Microsoft.CognitiveServices/accounts",
    "compute/disk": "Microsoft.Compute/disks",
    "container-registry/registry": "Microsoft.ContainerRegistry/registries",
    "document-db/database-account": "Microsoft.DocumentDB/databaseAccounts",
    "event-hub/namespace": "Microsoft.EventHub/namespaces",
    "insights/component": "Microsoft.Insights/components",
    "key-vault/vault": "Microsoft.KeyVault/vaults",
    "managed-identity/user-assigned-identity": "Microsoft.ManagedIdentity/userAssignedIdentities",
    "network/network-security-group": "Microsoft.Network/networkSecurityGroups",
    "network/private-dns-zone": "Microsoft.Network/privateDnsZones",
    "network/virtual-network": "Microsoft.Network/virtualNetworks",
    "operational-insights/workspace": "Microsoft.OperationalInsights/workspaces",
    "recovery-services/vault": "Microsoft.RecoveryServices/vaults",
    "search/search-service": "Microsoft.Search/searchServices",
    "service-bus/namespace": "Microsoft.ServiceBus/namespaces",
    "sql/server": "Microsoft.Sql/servers",
    "storage/storage-account": "Microsoft.Storage/storageAccounts",
    "web/site": "Microsoft.Web/sites",
}
INTERFACE_PARAMS = {spec.bicep["param"]: key for key, spec in INTERFACES.items()}
# Parameters that match whenever the module has them at all: the interfaces (avm is told which the real
# module has), the name, the location and the telemetry switch.
STANDARD = frozenset({*INTERFACE_PARAMS, "name", "location", "enableTelemetry"})

PARAM_RE = re.compile(r"^param\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
RESOURCE_RE = re.compile(r"^resource\s+\w+\s+'([^'@]+)@([^']+)'\s+(existing\b)?", re.MULTILINE)


def param_names(text: str) -> list[str]:
    return PARAM_RE.findall(text)


def declared_types(text: str) -> list[tuple[str, str]]:
    """The (type, API version) of each resource a Bicep file deploys (`existing` references left out)."""
    return [(kind, version) for kind, version, existing in RESOURCE_RE.findall(text) if not existing]


@dataclass
class ChildModule:
    type_path: str  # relative to the module's type: `blobServices/containers`
    params: list[str]
    published: bool  # it has a `version.json` of its own


@dataclass
class BicepModule:
    """A module folder read for the comparison: its resource's API version, parameters and child modules."""

    api_version: str
    params: list[str]
    children: dict[str, ChildModule] = field(default_factory=dict)  # by lower-case type path

    @property
    def interfaces(self) -> list[str]:
        return [INTERFACE_PARAMS[p] for p in self.params if p in INTERFACE_PARAMS]


def read_module(folder: Path, full_type: str) -> BicepModule:
    """The module in `folder` (its `main.bicep`, and child modules in sub-folders other than `tests`)."""
    text = (folder / "main.bicep").read_text(encoding="utf-8")
    versions = [v for t, v in declared_types(text) if t.lower() == full_type.lower()]
    if not versions:
        raise SystemExit(f"{folder / 'main.bicep'} deploys no {full_type}")
    module = BicepModule(versions[0], param_names(text))
    prefix = f"{full_type.lower()}/"
    for child in sorted(folder.rglob("main.bicep")):
        relative = child.relative_to(folder)
        if relative.parent == Path(".") or "tests" in relative.parts:
            continue
        child_text = child.read_text(encoding="utf-8")
        below = [t for t, _ in declared_types(child_text) if t.lower().startswith(prefix)]
        if below:
            type_path = min(below, key=lambda t: t.count("/"))[len(prefix) :]
            published = (child.parent / "version.json").is_file()
            module.children[type_path.lower()] = ChildModule(type_path, param_names(child_text), published)
    return module


@dataclass
class Comparison:
    real: list[str]
    generated: list[str]

    @property
    def matched(self) -> list[str]:
        return [p for p in self.real if p in self.generated]

    @property
    def missing(self) -> list[str]:
        return [p for p in self.real if p not in self.generated]


def compare(real: BicepModule, generated: BicepModule) -> tuple[Comparison, dict[str, Comparison], list[str]]:
    """The main files' comparison, each common child's (by type path), and the real children avm did not write."""
    children = {
        child.type_path: Comparison(child.params, generated.children[key].params)
        for key, child in real.children.items()
        if key in generated.children
    }
    unpaired = [child.type_path for key, child in real.children.items() if key not in generated.children]
    return Comparison(real.params, generated.params), children, unpaired


def share(comparisons: Iterable[Comparison], leave_out: frozenset[str] = frozenset()) -> tuple[int, int]:
    matched = total = 0
    for comparison in comparisons:
        counted = [p for p in comparison.real if p not in leave_out]
        total += len(counted)
        matched += sum(1 for p in counted if p in comparison.generated)
    return matched, total


def percent(pair: tuple[int, int]) -> str:
    matched, total = pair
    return f"{matched}/{total} ({100 * matched / total:.1f} %)" if total else "—"


# --- where the inputs come from ----------------------------------------------------------------------


def is_bare(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def extract(git_dir: Path, pathspecs: list[str], into: Path) -> None:
    """Files of the bare repository's HEAD, written below `into` (globs allowed)."""
    archive = subprocess.run(
        ["git", "--git-dir", str(git_dir), "archive", "--format=tar", "HEAD", "--", *pathspecs],
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


def registry_modules(registry: Path, work: Path) -> Path:
    """The folder holding `avm/res/<module>` for every module of MODULES."""
    if not is_bare(registry):
        return registry
    extract(registry, [f"avm/res/{m}" for m in MODULES], work / "registry")
    return work / "registry"


def schema_folder(schemas: Path, types: dict[str, str], work: Path) -> Path:
    """The bicep-types-az folder avm reads (`AVM_SCHEMAS`); from a bare repository, only the type files of the
    namespaces and versions needed (`types`: full type -> API version)."""
    if not is_bare(schemas):
        return schemas
    wanted = sorted({f"{t.split('/')[0].lower()}/{v.lower()}" for t, v in types.items()})
    extract(schemas, [f":(glob)generated/*/{w}/types.json" for w in wanted], work / "bicep-types-az")
    return work / "bicep-types-az" / "generated"


# --- generating ----------------------------------------------------------------------------------------


def generate(full_type: str, real: BicepModule, out: Path, env: dict[str, str]) -> tuple[BicepModule, list[str]]:
    """The module avm writes for the real one, and avm's warnings."""
    namespace, resource_type = full_type.split("/", 1)
    args = ["--provider", namespace, "--type", resource_type, "--api-version", real.api_version]
    args += ["--interfaces", ",".join(real.interfaces) or "none"]
    for child in real.children.values():
        args += ["--publish-child" if child.published else "--child", child.type_path]
    command = [sys.executable, "-m", "generator", "new", "resource", "--lang", "bicep", *args]
    command += ["--defaults", "--index", "none", "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("avm: warning:")]
    return read_module(out, full_type), warnings


# --- the report ------------------------------------------------------------------------------------------


@dataclass
class Result:
    module: str
    api_version: str
    main: Comparison
    children: dict[str, Comparison]
    unpaired: list[str]
    warnings: list[str]


def measure(registry: Path, schemas: Path | None, work: Path) -> list[Result]:
    root = registry_modules(registry, work)
    reals = {m: read_module(root / "avm" / "res" / m, t) for m, t in MODULES.items()}
    env = {**os.environ, "AVM_CACHE_DIR": str(work / "cache"), "AVM_SCHEMAS_URL": "http://127.0.0.1:9/"}
    if schemas is not None:
        env["AVM_SCHEMAS"] = str(schema_folder(schemas, {t: reals[m].api_version for m, t in MODULES.items()}, work))
    results = []
    for module, full_type in MODULES.items():
        real = reals[module]
        generated, warnings = generate(full_type, real, work / "generated" / module, env)
        main, children, unpaired = compare(real, generated)
        results.append(Result(module, real.api_version, main, children, unpaired, warnings))
    return results


def totals(results: list[Result], leave_out: frozenset[str] = frozenset()) -> dict[str, tuple[int, int]]:
    mains = [r.main for r in results]
    children = [c for r in results for c in r.children.values()]
    return {
        "main modules": share(mains, leave_out),
        "child modules": share(children, leave_out),
        "all": share([*mains, *children], leave_out),
    }


def text_report(results: list[Result]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.module} @{r.api_version}: main {percent(share([r.main]))}")
        if r.main.missing:
            lines.append(f"  missing: {', '.join(r.main.missing)}")
        for path, comparison in r.children.items():
            lines.append(f"  child {path}: {percent(share([comparison]))}")
            if comparison.missing:
                lines.append(f"    missing: {', '.join(comparison.missing)}")
        if r.unpaired:
            lines.append(f"  real child modules avm did not write (not counted): {', '.join(r.unpaired)}")
        lines.extend(f"  {warning}" for warning in r.warnings)
    lines.append("")
    for name, pair in totals(results).items():
        lines.append(f"{name}: {percent(pair)}")
    lines.append(f"leaving out {', '.join(sorted(STANDARD))}:")
    for name, pair in totals(results, STANDARD).items():
        lines.append(f"  {name}: {percent(pair)}")
    missing = Counter(p for r in results for c in [r.main, *r.children.values()] for p in c.missing)
    lines.append("most often missing: " + ", ".join(f"{p} ({n})" for p, n in missing.most_common(25)))
    return "\n".join(lines)


def section(results: list[Result], registry_revision: str, schemas_revision: str) -> str:
    everything, standard_out = totals(results), totals(results, STANDARD)
    rows = [f"| {name} | {percent(everything[name])} | {percent(standard_out[name])} |" for name in everything]
    per_module = [
        f"| `{r.module}` | {MODULES[r.module]}@{r.api_version} | {percent(share([r.main]))} | "
        f"{percent(share(r.children.values()))} | {', '.join(r.unpaired) or '—'} |"
        for r in results
    ]
    standard = ", ".join(f"`{p}`" for p in sorted(STANDARD))
    return f"""{SECTION}

Measured on {datetime.date.today().isoformat()} with `python bench/param_match.py`: of the parameter names
of {len(results)} real resource modules of `bicep-registry-modules` (commit `{registry_revision}`), the
share that the module `avm new` writes for the same resource has too (schemas of bicep-types-az commit
`{schemas_revision}`).

| Files | Parameter names found | Leaving out the standard ones |
| --- | ---: | ---: |
{chr(10).join(rows)}

| Module | Resource type and API version | Main module | Child modules | Real child modules avm did not write |
| --- | --- | ---: | ---: | --- |
{chr(10).join(per_module)}

For each module, the real `main.bicep` gives the API version of its resource and its interfaces (the
interface parameters it declares), and each child module folder gives a child type (the shortest type
under the module's type that the folder deploys), published when the folder has a `version.json`.
`avm new resource --lang bicep --defaults` writes a module of the same type with that API version,
those interfaces and those children (`--publish-child` for the published ones); its child modules get
the catalog's API version, as `avm new` has no option for a child's version. The `param` names of each
pair of files are compared by exact name: the two main modules, and the child modules of the same type
in both. A real child module of a type that avm writes no child module for would be listed in the last
column and not counted. The first column counts every parameter; the second leaves out those that match
by construction whenever the real module has them: {standard}.

To measure again, with a clone of `bicep-registry-modules` and one of `bicep-types-az` (work trees or
bare repositories; only the files needed are read), run
`python bench/param_match.py REGISTRY --schemas BICEP_TYPES_AZ --write`. It takes about half a minute,
prints every file's missing names and the names missing most often, and replaces this section
(`bench/run.py` keeps it). Without `--schemas`, a module whose API version the shipped schema bundle
lacks is written from an older version of its schema, or without one.
"""


def write_section(text: str, heading: str = SECTION) -> None:
    """Replace the section `heading` in docs/performance.md (up to the next `## ` heading), or append it."""
    page = REPORT.read_text(encoding="utf-8")
    start = page.find(f"\n{heading}\n")
    if start < 0:
        page = page.rstrip("\n") + "\n\n" + text
    else:
        end = page.find("\n## ", start + 1)
        page = page[: start + 1] + text + (page[end:] if end >= 0 else "")
    REPORT.write_text(page, encoding="utf-8")


def revision_of(repository: Path) -> str:
    git = ["git", "--git-dir", str(repository)] if is_bare(repository) else ["git", "-C", str(repository)]
    result = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("registry", type=Path, help="bicep-registry-modules work tree or bare git directory")
    parser.add_argument("--schemas", type=Path, help="bicep-types-az work tree, generated/ folder or bare git dir")
    parser.add_argument("--write", action="store_true", help="replace the section of docs/performance.md")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="avm-param-match-") as folder:
        results = measure(options.registry.resolve(), options.schemas and options.schemas.resolve(), Path(folder))
    print(text_report(results))
    if options.write:
        schemas = revision_of(options.schemas) if options.schemas else "none"
        write_section(section(results, revision_of(options.registry), schemas))
        print(f"written to {REPORT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
