"""How many variable names of real AzAPI-era Terraform resource modules `avm new` writes for the same resource.

    python bench/variable_match.py REPO... [--schemas BICEP_TYPES_AZ] [--write]

REPO: a real module's repository, a work tree or its bare git directory (its `.tf` files are taken from HEAD with
`git archive`). BICEP_TYPES_AZ: as for bench/param_match.py, the schemas at each module's API version (without it,
a version the shipped bundle lacks is written from an older schema, or none). `--write` replaces the "Variables
of real modules" section of docs/performance.md.

For each repository, `azapi_resource "this"` of the root gives the resource type and API version (a literal
`type`, or the default of the `resource_types` entry it reads); the interface variables it declares give its
interfaces; every submodule whose AzAPI resource is of a child type gives a child. `avm new resource --lang
terraform` then writes a module of the same type, version, interfaces and children, and the variable names of the
root modules and of the submodules of the same type are compared. A submodule of another type (private endpoints,
role assignments, a data-plane resource through AzureRM) has nothing to pair with and is listed, not counted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from param_match import Comparison, extract, is_bare, percent, revision_of, schema_folder, share, write_section

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Variables of real modules"
# The variables each interface adds (terraform-modules.md section 4).
INTERFACE_VARIABLES = {
    "lock": "lock",
    "role_assignments": "role-assignments",
    "diagnostic_settings": "diagnostic-settings",
    "private_endpoints": "private-endpoints",
    "managed_identities": "managed-identities",
    "customer_managed_key": "customer-managed-key",
    "tags": "tags",
}

VARIABLE_RE = re.compile(r'^variable\s+"([^"]+)"', re.MULTILINE)
TYPE_REF_RE = re.compile(r'"((?:Microsoft|[A-Z][A-Za-z]+)\.[A-Za-z]+/[A-Za-z/]+)@([0-9]{4}-[0-9]{2}-[0-9]{2}[^"]*)"')
THIS_RE = re.compile(r'^resource\s+"azapi_resource"\s+"this"\s*\{(.*?)^\}', re.MULTILINE | re.DOTALL)
TYPE_ARG_RE = re.compile(r"^\s*type\s*=\s*(.+)$", re.MULTILINE)


def variable_names(text: str) -> list[str]:
    return VARIABLE_RE.findall(text)


@dataclass
class Folder:
    """A module folder: its variables, and the AzAPI type and version of its `this` resource."""

    variables: list[str]
    resource_type: str | None
    api_version: str | None


def read_folder(folder: Path) -> Folder:
    """The variables of `variables*.tf`, and the type `azapi_resource "this"` (or else the folder's first AzAPI
    resource, an `azapi_update_resource` too) deploys: a literal, or the default of the variable entry it reads."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.tf"))}
    variables = [n for name, text in texts.items() if name.startswith("variables") for n in variable_names(text)]
    everything = "\n".join(texts.values())
    found = THIS_RE.search(everything) or re.search(
        r'resource\s+"azapi_(?:update_)?resource"\s+"\w+"\s*\{(.*?)^\}', everything, re.M | re.S
    )
    kind = version = None
    if found is not None:
        argument = TYPE_ARG_RE.search(found.group(1))
        value = argument.group(1).strip() if argument else ""
        literal = TYPE_REF_RE.search(value)
        if literal is None and value.startswith("var."):
            key = value.split(".")[-1]
            declared = re.search(rf'\b{re.escape(key)}\s*=\s*optional\(string,\s*("[^"]+")', everything)
            default = re.search(rf'variable\s+"{re.escape(key)}"\s*\{{[^}}]*?default\s*=\s*("[^"]+")', everything, re.S)
            literal = TYPE_REF_RE.search((declared or default).group(1)) if (declared or default) else None
        if literal is not None:
            kind, version = literal.group(1), literal.group(2)
    return Folder(variables, kind, version)


@dataclass
class TerraformModule:
    """A module read for the comparison: the root folder and its submodules by child type path (lower case)."""

    root: Folder
    children: dict[str, tuple[str, Folder]] = field(default_factory=dict)  # type path (lower) -> (path, folder)
    unpaired: list[str] = field(default_factory=list)  # submodules of no child type

    @property
    def interfaces(self) -> list[str]:
        return [key for name, key in INTERFACE_VARIABLES.items() if name in self.root.variables]


def read_module(folder: Path) -> TerraformModule:
    module = TerraformModule(read_folder(folder))
    if module.root.resource_type is None:
        raise SystemExit(f"{folder}: no azapi_resource of a known type")
    prefix = f"{module.root.resource_type.lower()}/"
    for sub in sorted(p for p in (folder / "modules").glob("*") if p.is_dir()):
        found = read_folder(sub)
        if found.resource_type and found.resource_type.lower().startswith(prefix):
            path = found.resource_type[len(prefix) :]
            module.children.setdefault(path.lower(), (path, found))
            if module.children[path.lower()][1] is not found:
                module.unpaired.append(f"{sub.name} (a second {path})")
        else:
            module.unpaired.append(sub.name)
    return module


def compare(real: TerraformModule, generated: TerraformModule) -> tuple[Comparison, dict[str, Comparison]]:
    children = {
        path: Comparison(folder.variables, generated.children[key][1].variables)
        for key, (path, folder) in real.children.items()
        if key in generated.children
    }
    return Comparison(real.root.variables, generated.root.variables), children


# --- generating ----------------------------------------------------------------------------------------


def generate(real: TerraformModule, out: Path, env: dict[str, str]) -> TerraformModule:
    namespace, resource_type = (real.root.resource_type or "").split("/", 1)
    args = ["--provider", namespace, "--type", resource_type, "--api-version", real.root.api_version or ""]
    args += ["--interfaces", ",".join(real.interfaces) or "none"]
    for path, _ in real.children.values():
        args += ["--child", path]
    command = [sys.executable, "-m", "generator", "new", "resource", "--lang", "terraform", *args]
    command += ["--defaults", "--index", "none", "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return read_module(out)


@dataclass
class Result:
    name: str
    full_type: str
    api_version: str
    main: Comparison
    children: dict[str, Comparison]
    unpaired: list[str]


def repository_name(repository: Path) -> str:
    name = repository.name if repository.name not in ("repo", ".git") else repository.parent.name
    return name.split("+")[-1]


def measure(repositories: list[Path], schemas: Path | None, work: Path) -> list[Result]:
    reals = {}
    for repository in repositories:
        folder = repository
        if is_bare(repository):
            folder = work / "real" / repository_name(repository)
            extract(repository, [":(glob)**/*.tf"], folder)
        reals[repository_name(repository)] = read_module(folder)
    env = {**os.environ, "AVM_CACHE_DIR": str(work / "cache"), "AVM_SCHEMAS_URL": "http://127.0.0.1:9/"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    if schemas is not None:
        types = {r.root.resource_type: r.root.api_version for r in reals.values()}
        env["AVM_SCHEMAS"] = str(schema_folder(schemas, types, work))
    results = []
    for name, real in reals.items():
        generated = generate(real, work / "generated" / name, env)
        main, children = compare(real, generated)
        unpaired = real.unpaired + [path for key, (path, _) in real.children.items() if key not in generated.children]
        results.append(
            Result(name, real.root.resource_type or "", real.root.api_version or "", main, children, unpaired)
        )
    return results


# The repositories of modules written for AzAPI from the start (AVM's `terraform-azure-` naming); the others moved
# from AzureRM and keep the AzureRM provider's variable names (`account_tier`, `min_tls_version`).
AZAPI_NATIVE = "terraform-azure-"


def totals(results: list[Result]) -> dict[str, tuple[int, int]]:
    mains = [r.main for r in results]
    children = [c for r in results for c in r.children.values()]
    native = [c for r in results if r.name.startswith(AZAPI_NATIVE) for c in (r.main, *r.children.values())]
    return {
        "root modules": share(mains),
        "submodules": share(children),
        "all": share([*mains, *children]),
        f"all, `{AZAPI_NATIVE}*` modules only": share(native),
    }


def text_report(results: list[Result]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.name} ({r.full_type}@{r.api_version}): root {percent(share([r.main]))}")
        if r.main.missing:
            lines.append(f"  missing: {', '.join(r.main.missing)}")
        for path, comparison in r.children.items():
            lines.append(f"  submodule {path}: {percent(share([comparison]))}")
            if comparison.missing:
                lines.append(f"    missing: {', '.join(comparison.missing)}")
        if r.unpaired:
            lines.append(f"  submodules of no child type (not counted): {', '.join(r.unpaired)}")
    lines.append("")
    lines += [f"{name}: {percent(pair)}" for name, pair in totals(results).items()]
    return "\n".join(lines)


def section(results: list[Result], revisions: dict[str, str], schemas_revision: str) -> str:
    rows = [f"| {name} | {percent(pair)} |" for name, pair in totals(results).items()]
    per_module = [
        f"| `{r.name}` (`{revisions.get(r.name, 'unknown')}`) | {r.full_type}@{r.api_version} | "
        f"{percent(share([r.main]))} | {percent(share(r.children.values()))} | {', '.join(r.unpaired) or '—'} |"
        for r in results
    ]
    return f"""{SECTION}

Measured on {datetime.date.today().isoformat()} with `python bench/variable_match.py`: of the variable names of
{len(results)} real AzAPI-era Terraform resource modules (root and submodules), the share that the module `avm new`
writes for the same resource has too (schemas of bicep-types-az commit `{schemas_revision}`).

| Files | Variable names found |
| --- | ---: |
{chr(10).join(rows)}

| Module (commit) | Resource type and API version | Root module | Submodules | Submodules not counted |
| --- | --- | ---: | ---: | --- |
{chr(10).join(per_module)}

For each module, `azapi_resource "this"` gives the resource type and API version, the interface variables it
declares its interfaces, and each submodule whose AzAPI resource is of a child type a child. `avm new resource
--lang terraform --defaults` writes a module of the same type with that API version, those interfaces and those
children, and the `variable` names are compared by exact name: the two root modules, and the submodules of the
same type in both. The last row of the first table counts the modules written for AzAPI from the start
(`{AZAPI_NATIVE}*` repositories): a module moved from AzureRM keeps the AzureRM provider's names
(`account_tier`, `min_tls_version`, `https_traffic_only_enabled`), which no schema has. A submodule of no child type (private endpoints, role assignments, diagnostic settings, a
data-plane resource through AzureRM) or a second one of a type has nothing to pair with: it is listed in the last
column and not counted.

To measure again, with the modules' repositories and a clone of `bicep-types-az` (work trees or bare
repositories), run `python bench/variable_match.py REPO... --schemas BICEP_TYPES_AZ --write`. It prints every
file's missing names and replaces this section (`bench/run.py` keeps it).
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("repositories", type=Path, nargs="+", help="real module repositories (work trees or bare)")
    parser.add_argument("--schemas", type=Path, help="bicep-types-az work tree, generated/ folder or bare git dir")
    parser.add_argument("--write", action="store_true", help="replace the section of docs/performance.md")
    options = parser.parse_args(argv)
    repositories = [r.resolve() for r in options.repositories]
    with tempfile.TemporaryDirectory(prefix="avm-variable-match-") as folder:
        results = measure(repositories, options.schemas and options.schemas.resolve(), Path(folder))
    print(text_report(results))
    if options.write:
        revisions = {repository_name(r): revision_of(r) for r in repositories}
        schemas = revision_of(options.schemas) if options.schemas else "none"
        write_section(section(results, revisions, schemas), SECTION)
        print("written to docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
