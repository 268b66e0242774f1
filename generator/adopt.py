"""Inferring, from a hand-written module, the answers `avm new` would have needed to make it (`avm adopt`).

`infer(path)` reads a Bicep or Terraform module folder with the readers of `avm check` and returns the user
answers (the keys of `generator.spec.USER_KEYS`), the names recorded in the module itself (fields of
`generator.spec.ModuleNames`) and one note per answer that could not be inferred or was guessed. An answer
that cannot be inferred is left out of `raw`, so that `build_spec` reports it or uses its default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from generator import naming, property_selection, scopes
from generator.check import bicep_reader, hcl_reader
from generator.check.discover import CLASS_IN_PATH, SKIPPED_DIRS, is_bicep_module, is_terraform_module
from generator.errors import InvalidInputError
from generator.interfaces import INTERFACE_KEYS, INTERFACES
from generator.spec import API_VERSION_RE, USER_KEYS, VERSION_RE, ModuleNames, category_optional

CLASS_NAMES = {"res": "resource", "ptn": "pattern", "utl": "utility"}
NAME_FIELDS = tuple(f.name for f in fields(ModuleNames))

# The interface parameters (Bicep) and variables (Terraform) whose presence means the interface is offered.
BICEP_INTERFACE_PARAMS = {INTERFACES[k].bicep["param"]: k for k in INTERFACE_KEYS}
TERRAFORM_INTERFACE_VARIABLES = {naming.snake(INTERFACES[k].bicep["param"]): k for k in INTERFACE_KEYS}

# Resources a module deploys besides its primary resource (the AVM interfaces and usage telemetry).
SUPPORT_TYPES = (
    "microsoft.resources/deployments",
    "microsoft.authorization/locks",
    "microsoft.authorization/roleassignments",
    "microsoft.insights/diagnosticsettings",
    "microsoft.network/privateendpoints",
)

TELEMETRY_RE = re.compile(r"46d3xbcp\.(res|ptn|utl)\.([A-Za-z0-9_-]+)\.")
ARM_TYPE_RE = re.compile(r"^'([A-Za-z][\w.]*/[^'@]+)@([^']+)'\s*(existing\b)?")
NAME_IS_NAME_RE = re.compile(r"^\s+name:\s*name\s*(\?\?.*)?(//.*)?$", re.M)  # `name: name`, `name: name ?? guid(...)`
REGISTRY_MODULE_RE = re.compile(r"^'br/public:(avm/[a-z0-9-]+(?:/[a-z0-9-]+)+):([^']+)'")
REPO_RE = re.compile(r"^terraform-azure(?:rm)?-(avm-(res|ptn|utl)-[a-z0-9]+(?:-[a-z0-9]+)*)$")
TF_SOURCE_RE = re.compile(
    r"^(?:registry\.terraform\.io/)?azure/(avm-(res|ptn|utl)-[a-z0-9-]+)/(azurerm|azure|azapi)$", re.I
)
TF_RESOURCE_TYPE_RE = re.compile(r"^\$\{var\.resource_types\.(\w+)\}$")
TF_ARM_TYPE_RE = re.compile(r"^([A-Za-z][\w.]*/[^@\s]+)@(\S+)$")
DESCRIPTION_LIMIT = 300
BICEP_VERSION_RE = re.compile(r"^\d+\.\d+$")  # version.json holds MAJOR.MINOR
FIRST_VERSION = "0.1"
TERRAFORM_DECLARATIONS = ("resource", "data", "module", "output")

# The default descriptions `build_spec` writes, which name the display name.
DEFAULT_DESCRIPTIONS = {
    "resource": re.compile(r"^This module deploys an? (.+)\.$"),
    "pattern": re.compile(r"^This module deploys the (.+) pattern\.$"),
    "utility": re.compile(r"^This module provides the (.+) utility\.$"),
}


@dataclass
class Inference:
    raw: dict[str, Any]  # user answers, keys of generator.spec.USER_KEYS only
    names: dict[str, str]  # names found in the module itself, keys of ModuleNames fields
    notes: list[str] = field(default_factory=list)  # what could not be inferred, or was guessed, and why
    child_api_versions: dict[str, str] = field(default_factory=dict)  # child type path -> version in its own file
    module_version: str = ""  # a Bicep module's version.json version when it is past the first (0.1)


def infer(path: Path) -> Inference:
    """The answers that reproduce the module in `path` (a Bicep or Terraform module folder)."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise InvalidInputError.single("path", f"{path} is not a folder")
    folder = folder.resolve()
    if is_bicep_module(folder):
        notes = ["language: the folder has both main.bicep and Terraform files; read as Bicep"]
        result = _infer_bicep(folder, notes if is_terraform_module(folder) else [])
        result.module_version = _bicep_version(folder, result.notes)
    elif is_terraform_module(folder):
        result = _infer_terraform(folder, [])
    else:
        raise InvalidInputError.single(
            "path", f"{path} is not a Bicep or Terraform module folder (no main.bicep, main.tf or terraform.tf)"
        )
    result.raw["owner"] = ""
    result.notes.append("owner: not recorded in a module; give --owner")
    result.raw = {k: result.raw[k] for k in USER_KEYS if k in result.raw}
    result.names = {k: result.names[k] for k in NAME_FIELDS if k in result.names}
    return result


def comparable(answers: Mapping[str, Any]) -> dict[str, Any]:
    """User answers in the form `infer` gives them: recorded `uses` entries (mappings) as `MODULE@VERSION`."""
    result = dict(answers)
    uses = result.get("uses")
    if isinstance(uses, list):
        result["uses"] = [f"{u['module']}@{u['version']}" if isinstance(u, Mapping) else u for u in uses]
    return result


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


def _relative_type(full_type: str, parent_type: str) -> str | None:
    """`Microsoft.KeyVault/vaults/secrets` under `Microsoft.KeyVault/vaults` -> `secrets`."""
    prefix = parent_type.lower() + "/"
    return full_type[len(prefix) :] if full_type.lower().startswith(prefix) else None


def _ordered_children(paths: list[str]) -> list[str]:
    """Child type paths once each, parents implied by nested paths, in the order `build_spec` records them."""
    found: list[str] = []
    for path in paths:
        segments = path.split("/")
        for depth in range(1, len(segments) + 1):
            implied = "/".join(segments[:depth])
            if implied.lower() not in (f.lower() for f in found):
                found.append(implied)
    return sorted(found, key=lambda p: p.lower().split("/"))


def _singular_display(metadata_name: str) -> str:
    """`Key Vaults` -> `Key Vault`: the Bicep `metadata name` is the plural of the display name."""
    head, sep, last = metadata_name.strip().rpartition(" ")
    return f"{head}{sep}{naming.singular(last)}"


def _composite_name(
    segments: list[str], display: str | None, notes: list[str], source: str, category_optional: bool = False
) -> str | None:
    """`category/name` from kebab tokens; a hyphen in either part is resolved by the display name when possible.
    Where the category is optional (Terraform utilities), a name the display name does not split has none."""
    if len(segments) == 2 and not category_optional:
        return "/".join(segments)
    tokens = "-".join(segments).split("-")
    if len(tokens) < 2 and not category_optional:
        notes.append(f"module_name: {source} has no CATEGORY/NAME; give --name")
        return None
    candidates = [("-".join(tokens[:i]), "-".join(tokens[i:])) for i in range(1, len(tokens))]
    for category, short in candidates:
        if display and display == f"{naming.pascal_words(category)} - {naming.pascal_words(short)}":
            return f"{category}/{short}"
    if category_optional:
        return "-".join(tokens)
    category, short = candidates[0]
    notes.append(
        f"module_name: guessed {category}/{short} from {source}; the split between category and name is ambiguous"
    )
    return f"{category}/{short}"


def _catalog_display(namespace: str, resource_type: str) -> str:
    from generator.catalog import Catalog

    facts = Catalog.load().facts(namespace, resource_type)
    return facts.display_name or naming.display_name(resource_type)


def _display_from_description(description: str | None, module_class: str) -> str | None:
    match = DEFAULT_DESCRIPTIONS[module_class].match(description or "")
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------------------------------
# Bicep
# ---------------------------------------------------------------------------------------------------------------------


def _arm_type(statement: bicep_reader.Statement) -> tuple[str, str, bool] | None:
    """A resource statement's full type, API version and whether it is `existing`."""
    match = ARM_TYPE_RE.match(bicep_reader.strip_comments(statement.head))
    return (match.group(1), match.group(2), bool(match.group(3))) if match else None


def _deployed(bicep: bicep_reader.BicepFile) -> list[tuple[bicep_reader.Statement, str, str]]:
    """The resources a file deploys (not `existing`), with their full type and API version."""
    found = []
    for statement in bicep.of("resource"):
        typed = _arm_type(statement)
        if typed is not None and not typed[2]:
            found.append((statement, typed[0], typed[1]))
    return found


def _is_telemetry(statement: bicep_reader.Statement, full_type: str) -> bool:
    return full_type.lower() == "microsoft.resources/deployments" and (
        statement.name == "avmTelemetry" or "46d3xbcp." in statement.text
    )


def _bicep_primary(bicep: bicep_reader.BicepFile, parent_type: str | None = None) -> tuple[str, str] | None:
    """The primary resource: deployed with `name: name` (a role assignment module's own role assignment too), else
    the only candidate that is not an interface or telemetry."""
    deployed = [(s, t, v) for s, t, v in _deployed(bicep) if parent_type is None or _relative_type(t, parent_type)]
    named = [c for c in deployed if NAME_IS_NAME_RE.search(c[0].text)]
    chosen = named or [c for c in deployed if c[1].lower() not in SUPPORT_TYPES]
    return (chosen[0][1], chosen[0][2]) if chosen else None


def _bicep_path(folder: Path) -> str | None:
    from generator.repo import find_registry_root

    root = find_registry_root(folder)
    relative = folder.relative_to(root).as_posix() if root is not None else folder.as_posix()
    match = CLASS_IN_PATH.search(relative)
    if match is None:
        return None
    return relative[match.start() :].lstrip("/")


def _telemetry(bicep: bicep_reader.BicepFile) -> str | None:
    for statement, full_type, _ in _deployed(bicep):
        if _is_telemetry(statement, full_type):
            match = TELEMETRY_RE.search(statement.text)
            if match:
                return f"46d3xbcp.{match.group(1)}.{match.group(2)}"
    return None


def _service_short(folder: Path, notes: list[str], tested: bool, test: str = "defaults") -> str | None:
    """The e2e `serviceShort` of the `test` folder without its `min` suffix; `tested`: the module is expected to have
    e2e tests."""
    relative = f"tests/e2e/{test}/main.test.bicep"
    path = folder / relative
    if not path.is_file():
        if tested:
            notes.append(f"service_short: no {relative}; derived from the module path")
        return None
    param = bicep_reader.parse(_read(path)).params.get("serviceShort")
    value = bicep_reader.string_value(param.value or "") if param is not None else None
    if not value:
        notes.append(f"service_short: {relative} sets no serviceShort; derived from the path")
        return None
    if not value.endswith("min"):
        notes.append(f"service_short: {value!r} in the defaults test has no 'min' suffix; taken as it is")
        return value
    return value.removesuffix("min")


def _check_bicep_module(folder: Path, main: bicep_reader.BicepFile) -> None:
    """An AVM Bicep module has at least a metadata name or description, a resource (the telemetry deployment
    included) or a module; anything less (an empty or one-word main.bicep) is not one."""
    if main.metadata("name") or main.metadata("description") or main.of("resource") or main.of("module"):
        return
    raise InvalidInputError.single(
        "path",
        f"{folder / 'main.bicep'} is not an AVM module: it has no metadata name or description, "
        "no resource (not even the telemetry deployment) and no module",
    )


def _bicep_version(folder: Path, notes: list[str]) -> str:
    """The module's own version from its version.json, when it is past the first: recorded, so that a
    regenerated version.json never goes back to 0.1."""
    path = folder / "version.json"
    if not path.is_file():
        return ""
    try:
        version = json.loads(_read(path)).get("version")
    except (ValueError, AttributeError):
        version = None
    if not (isinstance(version, str) and BICEP_VERSION_RE.match(version)):
        notes.append("module_version: version.json holds no MAJOR.MINOR version; not recorded")
        return ""
    if version == FIRST_VERSION:
        return ""
    notes.append(f"module_version: {version} from version.json; recorded, and version.json stays the module's own")
    return version


def _infer_bicep(folder: Path, notes: list[str]) -> Inference:
    found = [s for s in scopes.MULTI_SCOPES if (folder / scopes.SCOPE_FOLDERS[s] / "main.bicep").is_file()]
    if found:
        return _infer_multi_scope(folder, found, notes)
    main = bicep_reader.parse(_read(folder / "main.bicep"))
    _check_bicep_module(folder, main)
    bicep_path = _bicep_path(folder)
    telemetry = _telemetry(main)
    primary = _bicep_primary(main)
    if bicep_path is not None:
        segment = bicep_path.split("/")[1]
    elif telemetry is not None:
        segment = telemetry.split(".")[1]
    elif primary is None:
        segment = "utl"
        notes.append("module_class: no avm/<class>/ path, no telemetry and no resource; taken as a utility")
    else:
        segment = "res"
        notes.append("module_class: no avm/<class>/ path and no telemetry id; taken as a resource module")
    module_class = CLASS_NAMES[segment]

    names: dict[str, str] = {}
    if bicep_path is not None:
        names["bicep_path"] = bicep_path
    else:
        notes.append(
            "bicep_path: the folder is not under avm/<class>/; the tool derives it (or takes it from the index)"
        )
    if telemetry is not None:
        names["telemetry_id_prefix"] = telemetry
    elif module_class != "utility":
        notes.append("telemetry_id_prefix: no avmTelemetry deployment named '46d3xbcp.<class>.<id>...' in main.bicep")
    # a utility that deploys nothing has no telemetry and no e2e tests
    short = _service_short(folder, notes, tested=module_class != "utility" or telemetry is not None)
    if short is not None:
        names["service_short"] = short

    raw: dict[str, Any] = {"module_class": module_class, "language": "bicep"}
    versions: dict[str, str] = {}
    metadata_name = main.metadata("name")
    description = main.metadata("description")
    if description:
        raw["description"] = description
    else:
        notes.append("description: main.bicep has no `metadata description`")

    if module_class == "resource":
        if primary is None:
            notes.append(
                "provider_namespace, resource_type, api_version: main.bicep deploys no resource named by "
                "`name: name`; give --provider and --type"
            )
        else:
            _resource_type(primary, raw, folder)
            raw["children"], published, versions = _bicep_children(folder, primary[0], notes)
            if published:
                raw["published_children"] = published
        raw["interfaces"] = [BICEP_INTERFACE_PARAMS[p] for p in BICEP_INTERFACE_PARAMS if p in main.params]
        raw["interfaces"] = [k for k in INTERFACE_KEYS if k in raw["interfaces"]]
        if primary is not None:
            raw["properties"] = _bicep_properties(raw, set(main.params))
            raw.update(_bicep_placement(main))
        if metadata_name:
            display = _singular_display(metadata_name)
            if naming.plural_display_name(display) != metadata_name.strip():
                notes.append(f"display_name: {display!r} guessed as the singular of metadata name {metadata_name!r}")
            raw["display_name"] = display
        elif primary is not None:
            raw["display_name"] = _catalog_display(raw["provider_namespace"], raw["resource_type"])
            notes.append(f"display_name: main.bicep has no `metadata name`; {raw['display_name']!r} from the catalog")
        return Inference(raw, names, notes, child_api_versions=versions)

    if metadata_name:
        raw["display_name"] = metadata_name
    else:
        notes.append("display_name: main.bicep has no `metadata name`")
    if bicep_path is not None:
        parts = bicep_path.split("/")[2:]
        name = _composite_name(parts, metadata_name, notes, f"the path {bicep_path}")
    elif telemetry is not None:
        source = f"the telemetry id {telemetry}"
        name = _composite_name(telemetry.split(".")[2].split("-"), metadata_name, notes, source)
        notes.append(f"module_name: the folder is not under avm/<class>/; {name} read from {source}")
    else:
        source = f"the folder names {'/'.join(folder.parts[-2:])}"
        name = _composite_name(list(folder.parts[-2:]), metadata_name, notes, source)
        notes.append(
            "module_name: the folder is not under avm/<class>/ and has no telemetry id; taken from its folders"
        )
    if name is not None:
        raw["module_name"] = name
    if module_class == "pattern":
        raw["uses"] = _bicep_uses(main, notes)
    else:
        raw["deploys"] = any(not _is_telemetry(s, t) for s, t, _ in _deployed(main)) or bool(main.of("module"))
    return Inference(raw, names, notes)


def _infer_multi_scope(folder: Path, found: list[str], notes: list[str]) -> Inference:
    """A multi-scope module (`avm/res/authorization/role-assignment`): the module its scope folders deploy, read from
    the first of them, with the parent's names and tests, the scopes of every folder and the interfaces of any."""
    first = scopes.SCOPE_FOLDERS[found[0]]
    inner: list[str] = []
    result = _infer_bicep(folder / first, inner)
    if result.raw.get("module_class") != "resource":
        raise InvalidInputError.single("path", f"{folder / first / 'main.bicep'} deploys no resource")
    notes += [note for note in inner if not note.startswith(("service_short:", "bicep_path:", "display_name:"))]
    mains = [bicep_reader.parse(_read(folder / scopes.SCOPE_FOLDERS[s] / "main.bicep")) for s in found]
    names = {k: v for k, v in result.names.items() if k != "service_short"}
    bicep_path = _bicep_path(folder)
    if bicep_path is not None:
        names["bicep_path"] = bicep_path
    telemetry = names.get("telemetry_id_prefix", "")  # `46d3xbcp.res.authz-roleassignment_rgscope`
    suffixes = [f"_{folder.replace('-', '')}" for folder in scopes.SCOPE_FOLDERS.values()]
    suffix = next((s for s in suffixes if telemetry.endswith(s)), "")
    if suffix:  # a scope folder may send another's (consumption/budget's rg-scope sends `_mgscope`)
        names["telemetry_id_prefix"] = telemetry.removesuffix(suffix)
    short = _service_short(folder, notes, tested=True, test=f"{first}.defaults")  # `arargmin`
    if short is not None:
        names["service_short"] = short.removesuffix(first.removesuffix("-scope"))
    raw = {**result.raw, "scope": ",".join(found)}
    title = f"{scopes.SCOPE_TITLES[found[0]]} scope"
    metadata_name = mains[0].metadata("name") or ""
    if metadata_name.endswith(f" ({title})"):
        plural = metadata_name.removesuffix(f" ({title})")
        raw["display_name"] = _singular_display(plural)
        if naming.plural_display_name(raw["display_name"]) != plural:
            notes.append(f"display_name: {raw['display_name']!r} guessed as the singular of {plural!r}")
    if raw.get("description"):
        raw["description"] = raw["description"].replace(f" at a {title}", "", 1)
    params = {name for main in mains for name in main.params}
    raw["interfaces"] = [k for k in INTERFACE_KEYS if any(BICEP_INTERFACE_PARAMS.get(p) == k for p in params)]
    return Inference(raw, names, notes, child_api_versions=result.child_api_versions)


EXTENSION_SCOPE = re.compile(r"^  scope: \w+$", re.MULTILINE)
GLOBAL_LOCATION = re.compile(r"""\blocation\s*[:=]\s*['"]global['"]""")


def _bicep_placement(main: bicep_reader.BicepFile) -> dict[str, Any]:
    """The scope `targetScope` declares (none: left to the type's schema, as `avm new` leaves it) and the
    location: a `location` parameter, a resource deployed to 'global', or none."""
    placement: dict[str, Any] = {"location": _location("location" in main.params, main.source)}
    declared = next((s.value for s in main.of("targetScope") if s.value), None)
    if declared is not None:
        placement["scope"] = declared.strip("'\"")
    else:  # deployed into a resource group, or onto a resource there (`scope:` on the resource itself)
        primary = _bicep_primary(main)
        statement = next((s for s, t, _ in _deployed(main) if primary and t == primary[0]), None)
        extends = statement is not None and EXTENSION_SCOPE.search(statement.text) is not None
        placement["scope"] = scopes.EXTENSION if extends else scopes.RESOURCE_GROUP
    return placement


def _tf_placement(folder: Path, variables: set[str]) -> dict[str, Any]:
    """The scope the `parent_id` validation names, and the location, as for Bicep."""
    from generator.terraform import parents

    text = "\n".join(_read(file) for file in sorted(folder.glob("*.tf")))
    placement: dict[str, Any] = {"location": _location("location" in variables, text)}
    scope = next((scope for scope, rule in parents.RULES.items() if rule.condition in text), None)
    if scope is not None:
        placement["scope"] = scope
    return placement


def _location(has_input: bool, source: str) -> bool | str:
    if has_input:
        return True
    return "global" if GLOBAL_LOCATION.search(source) else False


def _resource_type(primary: tuple[str, str], raw: dict[str, Any], folder: Path) -> None:
    full_type, api_version = primary
    namespace, _, resource_type = full_type.partition("/")
    if "/" in resource_type:
        raise InvalidInputError.single(
            "path",
            f"{folder} deploys the child type {full_type}; adopt the module of its top-level type instead",
        )
    raw["provider_namespace"] = namespace
    raw["resource_type"] = resource_type
    raw["api_version"] = api_version


def _bicep_properties(raw: Mapping[str, Any], params: set[str]) -> str | list[str]:
    """Which of the resource's own properties the module has as parameters, as `--properties` says it: all of
    those the generator offers, the required ones only, none, or the optional ones it has by name."""
    from generator.azure_types.lookup import resource_schema
    from generator.bicep.properties import parameter_name
    from generator.property_rules import offered

    resolved = resource_schema(raw["provider_namespace"], raw["resource_type"], raw["api_version"])
    if resolved is None:
        return property_selection.ALL
    candidates = offered(resolved.schema, tuple(raw.get("interfaces") or ()))
    optional = [p.name for p in candidates if not p.required]
    chosen = [name for name in optional if parameter_name(name) in params]
    if len(chosen) == len(optional):
        return property_selection.ALL
    if chosen:
        return chosen
    if any(parameter_name(p.name) in params for p in candidates if p.required):
        return property_selection.REQUIRED
    return property_selection.NONE


def _bicep_children(folder: Path, parent_type: str, notes: list[str]) -> tuple[list[str], list[str], dict[str, str]]:
    """The child type paths, those published (with a version.json), and each child's API version in its file."""
    paths: list[str] = []
    published: list[str] = []
    versions: dict[str, str] = {}
    for child in sorted(folder.rglob("main.bicep")):
        sub = child.parent
        relative = sub.relative_to(folder)
        if sub == folder or any(p in SKIPPED_DIRS or p == "modules" or p.startswith(".") for p in relative.parts):
            continue
        primary = _bicep_primary(bicep_reader.parse(_read(child)), parent_type)
        type_path = _relative_type(primary[0], parent_type) if primary else None
        if not type_path:
            notes.append(f"children: {relative.as_posix()}/main.bicep deploys no child type of {parent_type}; skipped")
            continue
        paths.append(type_path)
        _child_version(versions, type_path, primary[1], f"{relative.as_posix()}/main.bicep", notes)
        if (sub / "version.json").is_file():
            published.append(type_path)
    children = _ordered_children(paths)
    return children, [c for c in children if c in published], versions


def _child_version(versions: dict[str, str], type_path: str, version: str, source: str, notes: list[str]) -> None:
    """Record the API version a child's own file deploys (the module's choice, kept over the catalog's newest)."""
    if API_VERSION_RE.match(version):
        versions[type_path] = version
    else:
        notes.append(
            f"children: {source} deploys {type_path} at {version!r}, not an API version; the catalog's is used"
        )


def _bicep_uses(main: bicep_reader.BicepFile, notes: list[str]) -> list[str]:
    uses: list[str] = []
    for statement in main.of("module"):
        match = REGISTRY_MODULE_RE.match(bicep_reader.strip_comments(statement.head))
        if match is None:
            continue
        module, version = match.groups()
        _add_use(uses, module, version, module.startswith("avm/res/"), f"{module}:{version}", notes)
    return uses


def _add_use(uses: list[str], module: str, version: Any, resource: bool, named: str, notes: list[str]) -> None:
    """Add `module@version` to `uses` when it is a resource module pinned exactly, once per module."""
    if not resource:
        notes.append(f"uses: {module} is not a resource module; left out")
    elif not (isinstance(version, str) and VERSION_RE.match(version)):
        notes.append(f"uses: {named} is not pinned to an exact version; left out")
    elif f"{module}@{version}" not in uses:
        if any(u.startswith(f"{module}@") for u in uses):
            notes.append(f"uses: {module} is used in more than one version; the first is kept")
        else:
            uses.append(f"{module}@{version}")


# ---------------------------------------------------------------------------------------------------------------------
# Terraform
# ---------------------------------------------------------------------------------------------------------------------


def _tf_blocks(folder: Path) -> list[hcl_reader.Block]:
    blocks: list[hcl_reader.Block] = []
    for file in sorted(folder.glob("*.tf")):
        blocks += hcl_reader.parse(_read(file), file.name).blocks()
    return blocks


def _tf_primary(blocks: list[hcl_reader.Block]) -> tuple[str, str] | None:
    """The full type and API version of `azapi_resource "this"`, literal or through `var.resource_types`."""
    this = next((b for b in blocks if b.kind == "resource" and b.labels == ("azapi_resource", "this")), None)
    if this is None:
        return None
    value = this.body.get("type")
    if not isinstance(value, str):
        return None
    key = TF_RESOURCE_TYPE_RE.match(value)
    if key is not None:
        variable = next((b for b in blocks if b.kind == "variable" and b.labels == ("resource_types",)), None)
        if variable is None:
            return None
        default = re.search(rf"\b{key.group(1)}\s*=\s*optional\(\s*string\s*,\s*\"([^\"]+)\"", variable.text)
        if default is None:
            return None
        value = default.group(1)
    match = TF_ARM_TYPE_RE.match(value)
    return (match.group(1), match.group(2)) if match else None


def _header(folder: Path) -> tuple[str | None, str | None]:
    """The title of `_header.md` and the first line of its first paragraph."""
    lines = _read(folder / "_header.md").splitlines()
    title = None
    description = None
    for index, line in enumerate(lines):
        if line.startswith("# "):
            title = line[2:].strip()
            for rest in lines[index + 1 :]:
                if rest.strip():
                    description = rest.strip() if not rest.lstrip().startswith(("#", "<!--", "!", ">")) else None
                    break
            break
    return title, description


def _short_description(description: str | None, notes: list[str]) -> str | None:
    if not description:
        notes.append("description: _header.md has no description paragraph under its title")
        return None
    if len(description) <= DESCRIPTION_LIMIT:
        return description
    sentence = re.split(r"(?<=\.)\s", description, maxsplit=1)[0]
    if len(sentence) <= DESCRIPTION_LIMIT:
        notes.append("description: the first line of _header.md is too long; its first sentence is used")
        return sentence
    notes.append(f"description: the first line of _header.md is longer than {DESCRIPTION_LIMIT} characters; give one")
    return None


def _infer_terraform(folder: Path, notes: list[str]) -> Inference:
    title, header_description = _header(folder)
    repo_match = REPO_RE.match(folder.name) or (REPO_RE.match(title) if title else None)
    if repo_match is not None:
        segment = repo_match.group(2)
    else:
        segment = "res"
        notes.append(
            "module_class: neither the folder nor the _header.md title is a terraform-azure-avm-<class>-... "
            "repository name; taken as a resource module"
        )
    module_class = CLASS_NAMES[segment]
    names: dict[str, str] = {}
    if repo_match is not None:
        names["terraform_repo"] = repo_match.group(0)
        names["terraform_module"] = repo_match.group(1)
    else:
        notes.append("terraform_module, terraform_repo: no repository name found; the tool derives them")

    raw: dict[str, Any] = {"module_class": module_class, "language": "terraform"}
    description = _short_description(header_description, notes)
    if description:
        raw["description"] = description
    display = title if title and not REPO_RE.match(title) else None
    blocks = _tf_blocks(folder)
    _check_terraform_module(folder, blocks, title)
    versions: dict[str, str] = {}
    variables = {b.name for b in blocks if b.kind == "variable"}

    if module_class == "resource":
        primary = _tf_primary(blocks)
        if primary is None:
            notes.append(
                'provider_namespace, resource_type, api_version: no azapi_resource "this" with a literal type or '
                "a var.resource_types default; give --provider and --type"
            )
        else:
            _resource_type(primary, raw, folder)
            raw["children"], versions = _tf_children(folder, primary[0], notes)
            display = display or _display_from_description(description, "resource")
            if display is None:
                display = _catalog_display(raw["provider_namespace"], raw["resource_type"])
                notes.append(f"display_name: not in _header.md; {display!r} taken from the catalog")
        raw["interfaces"] = [k for v, k in TERRAFORM_INTERFACE_VARIABLES.items() if v in variables]
        raw["interfaces"] = [k for k in INTERFACE_KEYS if k in raw["interfaces"]]
        if primary is not None:
            raw["properties"] = property_selection.ALL  # Terraform modules take none of them as variables yet
            raw.update(_tf_placement(folder, variables))
        if display:
            raw["display_name"] = display
        return Inference(raw, names, notes, child_api_versions=versions)

    display = display or _display_from_description(description, module_class)
    if repo_match is not None:
        tokens = repo_match.group(1).split("-")[2:]
        source = f"the repository name {repo_match.group(0)}"
        name = _composite_name(tokens, display, notes, source, category_optional(module_class, "terraform"))
    else:
        name = None
        notes.append("module_name: no repository name to read it from; give --name")
    if name is not None:
        raw["module_name"] = name
    if display is None and name is not None:
        category, _, short = name.partition("/")
        display = (
            f"{naming.pascal_words(category)} - {naming.pascal_words(short)}" if short else naming.pascal_words(name)
        )
        notes.append(f"display_name: not in _header.md; {display!r} derived from the module name")
    if display:
        raw["display_name"] = display
    if module_class == "pattern":
        raw["uses"] = _tf_uses(blocks, notes)
    else:
        raw["deploys"] = any(
            (b.kind == "resource" and b.name != "telemetry" and not b.labels[0].startswith("modtm_"))
            or b.kind == "module"
            for b in blocks
        )
    return Inference(raw, names, notes)


def _check_terraform_module(folder: Path, blocks: list[hcl_reader.Block], title: str | None) -> None:
    """An AVM Terraform module has at least a _header.md title or a resource, data source, module call or output
    (the telemetry resource included); anything less is not one."""
    if title or any(b.kind in TERRAFORM_DECLARATIONS for b in blocks):
        return
    raise InvalidInputError.single(
        "path",
        f"{folder} is not an AVM module: its .tf files declare no resource, data source, module or output "
        "(not even the telemetry resource) and it has no _header.md title",
    )


def _tf_children(folder: Path, parent_type: str, notes: list[str]) -> tuple[list[str], dict[str, str]]:
    """The submodules' child type paths, and each one's API version in its own files."""
    paths: list[str] = []
    versions: dict[str, str] = {}
    modules = folder / "modules"
    if not modules.is_dir():
        return [], {}
    for sub in sorted(p for p in modules.iterdir() if p.is_dir() and is_terraform_module(p)):
        primary = _tf_primary(_tf_blocks(sub))
        type_path = _relative_type(primary[0], parent_type) if primary else None
        if not type_path:
            notes.append(f'children: modules/{sub.name} has no azapi_resource "this" of a child type; skipped')
            continue
        paths.append(type_path)
        _child_version(versions, type_path, primary[1], f"modules/{sub.name}", notes)
    return _ordered_children(paths), versions


def _tf_uses(blocks: list[hcl_reader.Block], notes: list[str]) -> list[str]:
    uses: list[str] = []
    for block in blocks:
        if block.kind != "module":
            continue
        source, version = block.body.get("source"), block.body.get("version")
        match = TF_SOURCE_RE.match(source) if isinstance(source, str) else None
        if match is None:
            continue
        module = match.group(1).lower()
        _add_use(uses, module, version, match.group(2) == "res", f"module {block.name!r} ({module})", notes)
    return uses
