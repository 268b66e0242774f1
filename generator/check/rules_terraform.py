"""The Terraform rules of `avm check`: AVM file layout, tflint rules and interfaces, without `terraform init`.

Rule IDs are the tflint rule names where a rule mirrors one, the spec ID for file and structure rules, and
`AVMTnnn` for our own. Every rule stays silent when it cannot decide (a file that does not parse, an
expression it cannot evaluate).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from generator.check.core import CANNOT_READ_FIX, CANNOT_READ_TITLE, Hit, Module, rule, unreadable_files
from generator.check.hcl_reader import Block, HclFile, expr

tf_rule = partial(rule, language="terraform")
BOTH = ("top", "child")

# --------------------------------------------------------------------------------------------- helpers


def _files(module: Module) -> list[tuple[str, HclFile]]:
    key = "tf:files"
    if key not in module._cache:
        parsed = [(name, module.hcl(name)) for name in module.files("*.tf")]
        module._cache[key] = [(name, f) for name, f in parsed if f is not None]
    return module._cache[key]


def _complete(module: Module) -> bool:
    """Whether every Terraform file of the module was read: rules about absence need it."""
    files = _files(module)
    return (
        not module.files("*.tf.json")
        and len(files) == len(module.files("*.tf"))  # none unreadable
        and all(f.error is None for _, f in files)
    )


def _blocks(module: Module, kind: str) -> list[tuple[str, Block]]:
    return [(name, b) for name, f in _files(module) for b in f.blocks(kind)]


def _variables(module: Module) -> dict[str, tuple[str, Block]]:
    found: dict[str, tuple[str, Block]] = {}
    for name, b in _blocks(module, "variable"):
        found.setdefault(b.name, (name, b))
    return found


def _resources(module: Module, rtype: str | None = None) -> list[tuple[str, Block]]:
    return [(n, b) for n, b in _blocks(module, "resource") if len(b.labels) == 2 and rtype in (None, b.labels[0])]


def _norm(value: Any) -> str:
    """An expression or literal as whitespace-free text, for comparisons."""
    text = expr(value)
    if text is None:
        text = json.dumps(value) if not isinstance(value, str) else value
    return re.sub(r"\s+", "", text)


def _is_telemetry(b: Block) -> bool:
    return b.labels[-1] == "telemetry" and b.labels[0] in ("modtm_telemetry", "random_uuid")


def _deploys(module: Module) -> bool:
    """Whether the module deploys something beyond its telemetry (so it must carry telemetry)."""
    if any(not _is_telemetry(b) for _, b in _resources(module)):
        return True
    return module.module_class == "ptn" and bool(_blocks(module, "module"))


_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


# ------------------------------------------------------------------------------------ version constraints


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


# ------------------------------------------------------------------------------------------ type parser

_TYPE_TOKEN = re.compile(r'\s*("(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_-]*|-?[0-9.]+|.)', re.S)


class _TypeParser:
    def __init__(self, text: str) -> None:
        self.tokens = [t for t in _TYPE_TOKEN.findall(text) if t.strip() and t != ","]
        self.i = 0

    def peek(self) -> str:
        return self.tokens[self.i] if self.i < len(self.tokens) else ""

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if want is not None and tok != want:
            raise ValueError(f"expected {want!r}, got {tok!r}")
        self.i += 1
        return tok

    def type(self) -> Any:
        tok = self.take()
        if tok in ("string", "number", "bool", "any"):
            return tok
        if tok in ("list", "set", "map"):
            self.take("(")
            inner = self.type()
            self.take(")")
            return (tok, inner)
        if tok == "tuple":
            self.take("(")
            self.take("[")
            items = []
            while self.peek() not in ("]", ""):
                items.append(self.type())
            self.take("]")
            self.take(")")
            return ("tuple", tuple(items))
        if tok == "object":
            self.take("(")
            self.take("{")
            attrs: dict[str, tuple[Any, bool, str | None]] = {}
            while self.peek() not in ("}", ""):
                key = self.take().strip('"')
                if self.take() not in ("=", ":"):
                    raise ValueError("expected = in object type")
                attrs[key] = self.attribute()
            self.take("}")
            self.take(")")
            return ("object", attrs)
        raise ValueError(f"unknown type {tok!r}")

    def attribute(self) -> tuple[Any, bool, str | None]:
        if self.peek() != "optional":
            return (self.type(), False, None)
        self.take("optional")
        self.take("(")
        inner = self.type()
        default: list[str] = []
        depth = 0
        while self.peek() and not (depth == 0 and self.peek() == ")"):
            tok = self.take()
            depth += tok in "([{" and len(tok) == 1
            depth -= tok in ")]}" and len(tok) == 1
            default.append(tok)
        self.take(")")
        text = "".join(default)
        return (inner, True, None if text in ("", "null") else text)


def _parse_type(value: Any) -> Any:
    text = expr(value) if expr(value) is not None else value
    if not isinstance(text, str):
        return None
    try:
        parser = _TypeParser(text)
        result = parser.type()
        return result if parser.i == len(parser.tokens) else None
    except (ValueError, IndexError):
        return None


def _diff(actual: Any, expected: Any, path: str, tolerated: dict[str, str], missing: list[str]) -> str | None:
    """The first path where `actual` differs from `expected`; `tolerated` object attributes may be absent
    ("deprecated") or may have any type ("free"); absent deprecated ones are added to `missing`."""
    if isinstance(expected, str) or isinstance(actual, str):
        return None if actual == expected else (path or "type")
    if actual[0] != expected[0]:
        return path or "type"
    if expected[0] in ("list", "set", "map"):
        return _diff(actual[1], expected[1], path, tolerated, missing)
    if expected[0] == "tuple":
        if len(actual[1]) != len(expected[1]):
            return path or "type"
        for a, e in zip(actual[1], expected[1], strict=True):
            if found := _diff(a, e, path, tolerated, missing):
                return found
        return None
    for key in sorted(set(actual[1]) | set(expected[1])):
        sub = f"{path}.{key}" if path else key
        if key not in actual[1]:
            if tolerated.get(sub) in ("deprecated", "free"):
                if tolerated[sub] == "deprecated":
                    missing.append(sub)
                continue
            return sub
        if key not in expected[1]:
            return sub
        if tolerated.get(sub) == "free":
            continue
        (a_type, a_opt, a_def), (e_type, e_opt, e_def) = actual[1][key], expected[1][key]
        if a_opt != e_opt or a_def != e_def:
            return sub
        if found := _diff(a_type, e_type, sub, tolerated, missing):
            return found
    return None


# ------------------------------------------------------------------------------------------- interfaces

# The interface variables as the generator writes them (generator/data/terraform.yaml, the types of
# avm-utl-interfaces): one source of truth. Besides them the spec accepts the customer-managed-key variant
# that names the key by URI, and older forms that only earn a deprecation notice.
_CMK_BY_URI = (
    "object({ key_vault_key_uri = string, user_assigned_identity = optional(object({ client_id = string }), null) })"
)
_EXTRA_VARIANTS = {"customer_managed_key": (_CMK_BY_URI,)}
_TOLERATED = {
    "lock": {"notes": "deprecated"},
    "role_assignments": {"name": "deprecated"},
    "private_endpoints": {
        "role_assignments.name": "deprecated",
        "lock.notes": "deprecated",
        "subresource_name": "free",
        "ip_configurations.member_name": "free",
    },
}
_DEFAULTS = {"null": None, "{}": {}, "[]": [], "true": True, "false": False}


def _interface_table() -> dict[str, tuple[tuple[str, ...], Any, str, dict[str, str]]]:
    """name -> (accepted types, default, nullable "false"|"unset", tolerated attributes)."""
    from generator.terraform.facts import load

    table = {}
    for variables in load().interfaces.values():
        for v in variables:
            table[v.name] = (
                (v.type, *_EXTRA_VARIANTS.get(v.name, ())),
                _DEFAULTS.get(v.default, v.default),
                "false" if v.nullable is False else "unset",
                _TOLERATED.get(v.name, {}),
            )
    return table


_INTERFACES = _interface_table()
_PARSED_INTERFACES = {k: [_parse_type(t) for t in v[0]] for k, v in _INTERFACES.items()}


def _interface_problems(name: str, b: Block) -> tuple[list[tuple[str, int]], list[str]]:
    """(problems with their lines, deprecated attributes missing) of interface variable `name`."""
    _, default, nullable, tolerated = _INTERFACES[name]
    problems: list[tuple[str, int]] = []
    missing: list[str] = []
    if "type" in b.body:
        actual = _parse_type(b.body["type"])
        if actual is not None:
            diffs = []
            for expected in _PARSED_INTERFACES[name]:
                found: list[str] = []
                diffs.append((_diff(actual, expected, "", tolerated, found), found))
                if diffs[-1][0] is None:
                    missing = found
                    break
            else:
                where = diffs[0][0]
                at = "" if where == "type" else f" at `{where}`"
                problems.append((f"type does not match the AVM interface{at}", b.attr_line("type")))
    if "default" not in b.body:
        problems.append((f"default must be {_hcl_literal(default)}", b.line))
    elif b.body["default"] != default or isinstance(b.body["default"], bool) != isinstance(default, bool):
        problems.append((f"default must be {_hcl_literal(default)}", b.attr_line("default")))
    if nullable == "false" and b.body.get("nullable") is not False:
        problems.append(("must set nullable = false", b.attr_line("nullable")))
    if nullable == "unset" and b.body.get("nullable") is False:
        problems.append(("must not set nullable = false", b.attr_line("nullable")))
    return problems, missing


def _hcl_literal(value: Any) -> str:
    return "null" if value is None else json.dumps(value).lower() if isinstance(value, bool) else json.dumps(value)


def _interface_example(name: str) -> str:
    """The variable as the AVM interface writes it (the facts `avm new` renders from)."""
    from generator.terraform.facts import load

    variable = next(v for group in load().interfaces.values() for v in group if v.name == name)
    type_text = variable.type.replace("\n", "\n  ")
    nullable = "\n  nullable = false" if variable.nullable is False else ""
    return f'variable "{name}" {{\n  type     = {type_text}\n  default  = {variable.default}{nullable}\n}}'


def _interface_rule(name: str) -> None:
    @tf_rule(
        name,
        spec="RMFR4",
        severity="error",
        title=f"The `{name}` variable, when present, has the exact type, default and nullability of the AVM interface.",
        fix=f"Copy the `{name}` variable from the AVM interface specification.",
        example=_interface_example(name),
        scopes=BOTH,
    )
    def check(module: Module) -> Iterator[Hit]:
        found = _variables(module).get(name)
        if found is not None:
            for message, line in _interface_problems(name, found[1])[0]:
                yield Hit(f'variable "{name}": {message}', found[0], line)


for _name in _INTERFACES:
    _interface_rule(_name)


def _deprecated_rule(name: str) -> None:
    @tf_rule(
        f"deprecated_{name}_interface",
        spec="RMFR4",
        severity="info",
        title=f"The `{name}` variable uses the newest form of the AVM interface.",
        fix=f"Add the attributes of the newest `{name}` interface.",
        example=_interface_example(name),
        scopes=BOTH,
    )
    def check(module: Module) -> Iterator[Hit]:
        found = _variables(module).get(name)
        if found is not None:
            problems, missing = _interface_problems(name, found[1])
            if missing and not any("type" in m for m, _ in problems):
                where = ", ".join(f"`{m}`" for m in missing)
                yield Hit(
                    f'variable "{name}": older interface form without {where}', found[0], found[1].attr_line("type")
                )


for _name in ("lock", "role_assignments", "private_endpoints"):
    _deprecated_rule(_name)


@tf_rule(
    "private_endpoints_manage_dns_zone_group_required",
    spec="RMFR4",
    severity="error",
    title="A module with `private_endpoints` also has `private_endpoints_manage_dns_zone_group`.",
    fix='Add variable "private_endpoints_manage_dns_zone_group" (bool, default true, nullable = false).',
    scopes=BOTH,
    example=(
        'variable "private_endpoints_manage_dns_zone_group" {\n'
        "  type     = bool\n"
        "  default  = true\n"
        "  nullable = false\n"
        "}"
    ),
)
def pe_needs_dns_zone_group(module: Module) -> Iterator[Hit]:
    variables = _variables(module)
    if "private_endpoints" in variables and "private_endpoints_manage_dns_zone_group" not in variables:
        file, b = variables["private_endpoints"]
        yield Hit('variable "private_endpoints": no variable "private_endpoints_manage_dns_zone_group"', file, b.line)


# ---------------------------------------------------------------------------------------- file rules


@tf_rule(
    "AVMT000",
    spec="",
    severity="error",
    scopes=BOTH,
    runs_last=True,
    title=CANNOT_READ_TITLE,
    fix=CANNOT_READ_FIX,
    example="Every *.tf file of the module and its submodules, _header.md and _footer.md: UTF-8 text.",
)
def cannot_read(module: Module) -> Iterator[Hit]:
    yield from unreadable_files(module, module.files("*.tf"))


@tf_rule(
    "AVMT001",
    spec="",
    severity="error",
    title="Every Terraform file parses.",
    fix="Fix the syntax error (run `terraform fmt` to locate it).",
    scopes=BOTH,
    example=('variable "name" {\n  type        = string\n  description = "The name of the resource."\n}'),
)
def file_parses(module: Module) -> Iterator[Hit]:
    for name, f in _files(module):
        if f.error is not None:
            yield Hit(f"{name}: file does not parse: {f.error}", name, f.error_line or 1, f.error_col or 1)


@tf_rule(
    "TFNFR39",
    spec="TFNFR39",
    severity="error",
    title="The module has main.tf, variables.tf and outputs.tf, and no providers.tf.",
    fix="Create the missing file (it may be empty) and move provider requirements to terraform.tf.",
    scopes=BOTH,
    example="main.tf  variables.tf  outputs.tf  terraform.tf   # and no providers.tf",
)
def required_files(module: Module) -> Iterator[Hit]:
    for name in ("main.tf", "variables.tf", "outputs.tf"):
        split = module.files(f"{name[:-3]}.*.tf")  # variables.<topic>.tf alone is accepted: CI does not demand the file
        if not module.exists(name) and not (split and name != "main.tf"):
            yield Hit(f"{name}: missing", name)
    if module.exists("providers.tf"):
        yield Hit("providers.tf: modules must not have a providers.tf", "providers.tf")


@tf_rule(
    "AVMT002",
    spec="TFNFR39",
    severity="error",
    title="Variables and outputs files use the plural names variables.tf and outputs.tf.",
    fix="Rename variable.tf to variables.tf and output.tf to outputs.tf.",
    scopes=BOTH,
    example="variables.tf  outputs.tf   # not variable.tf, output.tf",
)
def singular_files(module: Module) -> Iterator[Hit]:
    for name, plural in (("variable.tf", "variables.tf"), ("output.tf", "outputs.tf")):
        if module.exists(name):
            yield Hit(f"{name}: rename to {plural}", name)


@tf_rule(
    "TFNFR26",
    spec="TFNFR26",
    severity="error",
    title="terraform.tf exists and holds the module's only terraform block and nothing else.",
    fix="Keep exactly one terraform {} block, in terraform.tf.",
    scopes=BOTH,
    example=(
        "terraform {\n"
        '  required_version = ">= 1.9, < 2.0"\n'
        "\n"
        "  required_providers {\n"
        "    azapi = {\n"
        '      source  = "Azure/azapi"\n'
        '      version = "~> 2.12"\n'
        "    }\n"
        "  }\n"
        "}"
    ),
)
def terraform_tf(module: Module) -> Iterator[Hit]:
    if not module.exists("terraform.tf"):
        yield Hit("terraform.tf: missing", "terraform.tf")
        return
    f = module.hcl("terraform.tf")
    if f is None or f.error is not None:
        return
    if _complete(module) and not f.blocks("terraform"):
        yield Hit("terraform.tf: no terraform block", "terraform.tf")
    for b in f.blocks():
        if b.kind != "terraform":
            yield Hit(f"terraform.tf: {b.kind} block does not belong in terraform.tf", "terraform.tf", b.line)
    for b in f.blocks("terraform")[1:]:
        yield Hit("terraform.tf: more than one terraform block", "terraform.tf", b.line)
    for name, b in _blocks(module, "terraform"):
        if name != "terraform.tf":
            yield Hit(f"{name}: terraform block outside terraform.tf", name, b.line)


@tf_rule(
    "TFNFR2",
    spec="TFNFR2",
    severity="error",
    title="The module has the terraform-docs inputs: _header.md, _footer.md and .terraform-docs.yml.",
    fix="Add the missing documentation file.",
    scopes=BOTH,
    example="_header.md  _footer.md  .terraform-docs.yml",
)
def docs_files(module: Module) -> Iterator[Hit]:
    names = ("_header.md",) if module.is_child else ("_header.md", "_footer.md", ".terraform-docs.yml")
    for name in names:
        if not module.exists(name):
            yield Hit(f"{name}: missing", name)


@tf_rule(
    "SNFR2",
    spec="SNFR2",
    severity="error",
    title="The module has at least one example: examples/<name>/main.tf.",
    fix='Add examples/default/main.tf that calls the module with source = "../../".',
    example=('examples/default/main.tf:\n\nmodule "test" {\n  source = "../../"\n}'),
)
def has_example(module: Module) -> Iterator[Hit]:
    if not module.files("examples/*/main.tf"):
        yield Hit("examples: no examples/<name>/main.tf", "examples")


@tf_rule(
    "TFNFR5",
    spec="TFNFR5",
    severity="error",
    title="The module has a tests/ folder.",
    fix="Add tests/unit/main.tftest.hcl (or at least tests/.gitkeep).",
    example="tests/unit/main.tftest.hcl",
)
def has_tests(module: Module) -> Iterator[Hit]:
    if not (module.root / "tests").is_dir():
        yield Hit("tests: missing folder", "tests")


@tf_rule(
    "TFRMNFR1",
    spec="TFRMNFR1",
    severity="error",
    title="Submodules and examples are one level deep: modules/<name>/ and examples/<name>/.",
    fix="Flatten nested submodules into modules/<parent-child>/ and nested examples into examples/<name>/.",
    example=("modules/secret/main.tf\nexamples/default/main.tf"),
)
def one_level_deep(module: Module) -> Iterator[Hit]:
    for folder in ("modules", "examples"):
        for path in module.files(f"{folder}/*/*/**/*.tf"):
            yield Hit(f"{path}: {folder} must be one level deep", path)


# ------------------------------------------------------------------------------------- terraform block


def _terraform_block(module: Module) -> tuple[str, Block] | None:
    found = _blocks(module, "terraform")
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
        telemetry = required_when_telemetry and bool(_resources(module, "modtm_telemetry"))
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
    for file, b in _blocks(module, "provider"):
        if set(b.attr_lines) - {"alias"}:
            yield Hit(f'provider "{b.name}": modules must not configure providers', file, b.line)


# ---------------------------------------------------------------------------------------- telemetry


@tf_rule(
    "SFR3",
    spec="SFR3",
    severity="error",
    title="A module that deploys resources has modtm_telemetry in main.telemetry.tf, counted on enable_telemetry; a utility deploying nothing has no telemetry.",
    fix="Add main.telemetry.tf as generated by `avm new` (or remove the telemetry of a utility that deploys nothing).",
    example=(
        'resource "modtm_telemetry" "telemetry" {\n'
        "  count = var.enable_telemetry ? 1 : 0\n"
        "\n"
        "  tags = merge({ ... }, { location = local.main_location })\n"
        "}   # in main.telemetry.tf"
    ),
)
def telemetry_resource(module: Module) -> Iterator[Hit]:
    if not _complete(module):
        return
    telemetry = _resources(module, "modtm_telemetry")
    if _deploys(module):
        if not telemetry:
            yield Hit('resource "modtm_telemetry": missing; add main.telemetry.tf', "main.telemetry.tf")
        for file, b in telemetry:
            if file != "main.telemetry.tf":
                yield Hit(f'resource "modtm_telemetry" "{b.name}": belongs in main.telemetry.tf', file, b.line)
            if _norm(b.body.get("count")) != "var.enable_telemetry?1:0":
                yield Hit(
                    f'resource "modtm_telemetry" "{b.name}": count must be var.enable_telemetry ? 1 : 0',
                    file,
                    b.attr_line("count"),
                )
    elif module.module_class == "utl" and not _blocks(module, "module"):
        for file, b in telemetry:
            yield Hit("a utility that deploys nothing must not send telemetry", file, b.line)
        found = _variables(module).get("enable_telemetry")
        if found is not None and not telemetry:
            yield Hit(
                'variable "enable_telemetry": a utility that deploys nothing carries no telemetry',
                found[0],
                found[1].line,
            )


_SOURCE_COMMENT = re.compile(r'^\s*#\s*source\s*=\s*"([^"]*)"', re.M)


@tf_rule(
    "SFR3-id",
    spec="SFR3",
    severity="error",
    title="The examples name the module by the registry source its telemetry reports (module_source): the "
    "terraform_registry of .copier-answers.yml (not compared without one).",
    fix="Write the module's registry source in each example's `# source = ...` comment.",
    example='module "test" {\n  source = "../../"\n  # source = "Azure/avm-res-keyvault-vault/azure"\n}',
)
def telemetry_source(module: Module) -> Iterator[Hit]:
    from generator.check.expected import terraform_registry_source

    expected = terraform_registry_source(module)
    if expected is None:
        return
    for name in module.files("examples/*/main.tf"):
        text = module.text(name) or ""
        for match in _SOURCE_COMMENT.finditer(text):
            if not expected.accepts(match.group(1)):
                line = text.count("\n", 0, match.start(1)) + 1
                yield Hit(
                    f"the example names the module {match.group(1)}, but {expected.source} gives {expected.shown()}",
                    name,
                    line,
                )


@tf_rule(
    "SFR4",
    spec="SFR4",
    severity="error",
    title="enable_telemetry is a bool variable, default true, nullable = false, in every module with telemetry.",
    fix='Add variable "enable_telemetry" { type = bool, default = true, nullable = false } with the standard description.',
    example=(
        'variable "enable_telemetry" {\n'
        "  type        = bool\n"
        "  default     = true\n"
        "  description = <<DESCRIPTION\n"
        "This variable controls whether or not telemetry is enabled for the module.\n"
        "For more information see <https://aka.ms/avm/telemetryinfo>.\n"
        "If it is set to false, then no telemetry will be collected.\n"
        "DESCRIPTION\n"
        "  nullable    = false\n"
        "}"
    ),
)
def telemetry_variable(module: Module) -> Iterator[Hit]:
    found = _variables(module).get("enable_telemetry")
    if found is None:
        if _complete(module) and (_deploys(module) or _resources(module, "modtm_telemetry")):
            yield Hit('variable "enable_telemetry": missing', "variables.tf")
        return
    file, b = found
    if b.body.get("type") != "bool":
        yield Hit('variable "enable_telemetry": type must be bool', file, b.attr_line("type"))
    if b.body.get("default", None) is not True:
        yield Hit('variable "enable_telemetry": default must be true', file, b.attr_line("default"))
    if b.body.get("nullable") is not False:
        yield Hit('variable "enable_telemetry": must set nullable = false', file, b.attr_line("nullable"))


_AVM_SOURCE = re.compile(
    r"^(registry\.(terraform|opentofu)\.io/)?azure/(terraform-azure(rm)?-)?avm-[^/]+/[^/]+(//.*)?$", re.I
)


@tf_rule(
    "AVMT020",
    spec="SFR4",
    severity="error",
    title="Calls of published AVM modules pass enable_telemetry = var.enable_telemetry.",
    fix="Add enable_telemetry = var.enable_telemetry to the module call.",
    scopes=BOTH,
    example=(
        'module "key_vault" {\n'
        '  source           = "Azure/avm-res-keyvault-vault/azurerm"\n'
        '  version          = "0.10.0"\n'
        "  enable_telemetry = var.enable_telemetry\n"
        "}"
    ),
)
def telemetry_pass_through(module: Module) -> Iterator[Hit]:
    if "enable_telemetry" not in _variables(module):
        return
    for file, b in _blocks(module, "module"):
        if not _AVM_SOURCE.match(str(b.body.get("source", ""))):
            continue
        if "enable_telemetry" not in b.body:
            yield Hit(f'module "{b.name}": pass enable_telemetry = var.enable_telemetry', file, b.line)
        elif "var.enable_telemetry" not in _norm(b.body["enable_telemetry"]):
            yield Hit(
                f'module "{b.name}": enable_telemetry must be var.enable_telemetry',
                file,
                b.attr_line("enable_telemetry"),
            )


# ---------------------------------------------------------------------------------------- variables


def _var_rule(rule_id: str, spec: str, severity: str, title: str, fix: str, example: str):
    return tf_rule(rule_id, spec=spec, severity=severity, title=title, fix=fix, example=example, scopes=BOTH)


@_var_rule(
    "terraform_typed_variables",
    "TFNFR18",
    "error",
    "Every variable declares a type.",
    "Add a precise type.",
    example=('variable "sku_name" {\n  type = string\n}'),
)
def typed_variables(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        if "type" not in b.body:
            yield Hit(f'variable "{b.name}": no type', file, b.line)


@_var_rule(
    "terraform_documented_variables",
    "TFNFR17",
    "error",
    "Every variable has a description.",
    "Add a description.",
    example=('variable "sku_name" {\n  type        = string\n  description = "The SKU of the Key Vault."\n}'),
)
def documented_variables(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        if not str(b.body.get("description", "")).strip():
            yield Hit(f'variable "{b.name}": no description', file, b.attr_line("description"))


@_var_rule(
    "terraform_naming_convention",
    "TFNFR4",
    "error",
    "Variables, outputs, locals, resources, data sources and module calls have snake_case names.",
    "Rename to snake_case (lower case letters, digits and single underscores).",
    example=('variable "sku_name" { ... }\noutput "resource_id" { ... }'),
)
def naming_convention(module: Module) -> Iterator[Hit]:
    for _, f in _files(module):
        for b in f.blocks():
            if b.kind in ("variable", "output", "module", "resource", "data") and b.labels and not _SNAKE.match(b.name):
                yield Hit(f'{b.kind} "{b.name}": name is not snake_case', f.name, b.line)
            if b.kind == "locals":
                for key, line in b.attr_lines.items():
                    if not _SNAKE.match(key):
                        yield Hit(f'local "{key}": name is not snake_case', f.name, line)


@_var_rule(
    "terraform_variable_nullable_false",
    "TFNFR21",
    "error",
    "No variable sets nullable = true (it is the default).",
    "Remove nullable = true.",
    example=('variable "sku_name" {\n  type    = string\n  default = null\n}'),
)
def nullable_true(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        if b.body.get("nullable") is True:
            yield Hit(f'variable "{b.name}": remove nullable = true', file, b.attr_line("nullable"))


_COLLECTION = re.compile(r"^(map|set|list|object|tuple)\(")


@_var_rule(
    "TFNFR20",
    "TFNFR20",
    "warning",
    "Collection variables (map, set, list, object) set nullable = false unless their default is null.",
    "Add nullable = false (or default = null when null is meaningful).",
    example=('variable "network_acls" {\n  type     = map(string)\n  default  = {}\n  nullable = false\n}'),
)
def collections_not_nullable(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        text = _norm(b.body.get("type", ""))
        if not _COLLECTION.match(text) or b.name in _INTERFACES:
            continue
        if "default" in b.body and b.body["default"] is None:
            continue
        if "nullable" not in b.body:
            yield Hit(f'variable "{b.name}": collection variable needs nullable = false', file, b.line)


@_var_rule(
    "TFNFR22",
    "TFNFR22",
    "error",
    "No variable sets sensitive = false.",
    "Remove sensitive = false.",
    example=('variable "admin_password" {\n  type      = string\n  sensitive = true\n}'),
)
def sensitive_false(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        if b.body.get("sensitive") is False:
            yield Hit(f'variable "{b.name}": remove sensitive = false', file, b.attr_line("sensitive"))


@_var_rule(
    "terraform_sensitive_variable_no_default",
    "TFNFR23",
    "error",
    "Sensitive variables have no default.",
    "Remove the default of the sensitive variable.",
    example=('variable "admin_password" {\n  type      = string\n  sensitive = true\n}'),
)
def sensitive_default(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        if b.body.get("sensitive") is True and "default" in b.body and b.body["default"] is not None:
            yield Hit(f'variable "{b.name}": sensitive variables must not have a default', file, b.attr_line("default"))


@_var_rule(
    "TFNFR15",
    "TFNFR15",
    "warning",
    "In each file, required variables (no default) come first, alphabetically, then optional ones, alphabetically.",
    "Reorder the variables (mapotf/avm pre-commit does it).",
    example=(
        'variable "location" { ... }   # required, A-Z\n'
        'variable "name" { ... }\n'
        'variable "enable_telemetry" { default = true ... }   # then optional, A-Z\n'
        'variable "tags" { default = null ... }'
    ),
)
def variable_order(module: Module) -> Iterator[Hit]:
    for _, f in _files(module):
        blocks = f.blocks("variable")
        keys = [("default" in b.body, b.name) for b in blocks]
        for b, key, want in zip(blocks, keys, sorted(keys), strict=True):
            if key != want:
                yield Hit(
                    f'variable "{b.name}": out of order; required variables first, then optional, each alphabetical',
                    f.name,
                    b.line,
                )
                break


_VAR_ATTR_ORDER = ("type", "default", "description", "nullable", "sensitive", "ephemeral", "validation")


@_var_rule(
    "AVMT031",
    "TFNFR15",
    "warning",
    "Variable attributes come in the order type, default, description, nullable, sensitive, ephemeral, validation.",
    "Reorder the attributes of the variable.",
    example=(
        'variable "tags" {\n'
        "  type        = map(string)\n"
        "  default     = null\n"
        '  description = "Tags of the resource."\n'
        "}"
    ),
)
def variable_attribute_order(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "variable"):
        present = [k for k in b.attr_lines if k in _VAR_ATTR_ORDER]
        for key, want in zip(present, sorted(present, key=_VAR_ATTR_ORDER.index), strict=True):
            if key != want:
                yield Hit(
                    f'variable "{b.name}": attribute {key} out of order (type, default, description, nullable, sensitive, ephemeral, validation)',
                    file,
                    b.attr_line(key),
                )
                break


@_var_rule(
    "TFNFR14",
    "TFNFR14",
    "error",
    "No `enabled` or `module_depends_on` variables.",
    "Remove the variable; use count/for_each on the module call and depends_on instead.",
    example=(
        'module "key_vault" {\n  count      = var.create_key_vault ? 1 : 0\n  depends_on = [azapi_resource.this]\n}'
    ),
)
def forbidden_variables(module: Module) -> Iterator[Hit]:
    for name, (file, b) in _variables(module).items():
        if name in ("enabled", "module_depends_on"):
            yield Hit(f'variable "{name}": not allowed', file, b.line)


@_var_rule(
    "terraform_variable_separate",
    "TFNFR39",
    "error",
    "Variables are declared only in variables*.tf, which hold nothing else.",
    "Move the block to the right file.",
    example="variables.tf: only variable blocks",
)
def variable_separate(module: Module) -> Iterator[Hit]:
    yield from _separate(module, "variable", "variables")


@_var_rule(
    "terraform_output_separate",
    "TFNFR39",
    "error",
    "Outputs are declared only in outputs*.tf, which hold nothing else.",
    "Move the block to the right file.",
    example="outputs.tf: only output blocks",
)
def output_separate(module: Module) -> Iterator[Hit]:
    yield from _separate(module, "output", "outputs")


def _separate(module: Module, kind: str, stem: str) -> Iterator[Hit]:
    pattern = re.compile(rf"^(deprecated_)?{stem}(\.[a-z0-9_]+)?\.tf$")
    for name, f in _files(module):
        own = bool(pattern.match(name))
        for b in f.blocks():
            if (b.kind == kind) != own:
                where = f"{stem}*.tf" if b.kind == kind else "main.tf or its own file"
                label = f'{b.kind} "{b.name}"' if b.labels else b.kind
                yield Hit(f"{label}: belongs in {where}, not {name}", name, b.line)


# ------------------------------------------------------------------------------------------- outputs


@_var_rule(
    "terraform_documented_outputs",
    "SNFR26",
    "error",
    "Every output has a description.",
    "Add a description.",
    example=(
        'output "resource_id" {\n'
        '  description = "The resource ID of the Key Vault."\n'
        "  value       = azapi_resource.this.id\n"
        "}"
    ),
)
def documented_outputs(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "output"):
        if not str(b.body.get("description", "")).strip():
            yield Hit(f'output "{b.name}": no description', file, b.attr_line("description"))


@_var_rule(
    "TFNFR41",
    "TFNFR41",
    "warning",
    "Outputs are sorted by name in each file.",
    "Sort the outputs alphabetically.",
    example=('output "name" { ... }\noutput "resource_id" { ... }'),
)
def output_order(module: Module) -> Iterator[Hit]:
    for _, f in _files(module):
        blocks = f.blocks("output")
        for b, want in zip(blocks, sorted(b.name for b in blocks), strict=True):
            if b.name != want:
                yield Hit(f'output "{b.name}": out of alphabetical order', f.name, b.line)
                break


@tf_rule(
    "required_output_rmfr7",
    spec="RMFR7",
    severity="error",
    title="A resource module outputs resource_id.",
    fix='Add output "resource_id" { value = azapi_resource.this.id }.',
    classes=("res",),
    example=(
        'output "resource_id" {\n'
        '  description = "The resource ID of the Key Vault."\n'
        "  value       = azapi_resource.this.id\n"
        "}"
    ),
)
def resource_id_output(module: Module) -> Iterator[Hit]:
    if _complete(module) and not any(b.name == "resource_id" for _, b in _blocks(module, "output")):
        yield Hit('output "resource_id": missing', "outputs.tf")


_WHOLE_OBJECT = re.compile(r"^(module\.[\w-]+|data\.[\w-]+\.[\w-]+|[a-z0-9]+_[\w-]+\.[\w-]+)(\[[^\]]*\])?$")


@_var_rule(
    "TFFR2",
    "TFFR2",
    "warning",
    "No output returns a whole resource or module object.",
    "Output discrete computed attributes instead, e.g. azapi_resource.this.id.",
    example=('output "resource_id" {\n  value = azapi_resource.this.id   # not azapi_resource.this\n}'),
)
def whole_object_output(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "output"):
        text = expr(b.body.get("value"))
        if text is not None and _WHOLE_OBJECT.match(re.sub(r"\s+", "", text)):
            yield Hit(f'output "{b.name}": outputs the whole object {text}', file, b.attr_line("value"))


# ------------------------------------------------------------------------------------ resource modules


@tf_rule(
    "TFRMFR1",
    spec="TFRMFR1",
    severity="error",
    title="A resource module takes parent_id (string, nullable = false) and no resource_group_name.",
    fix='Replace resource_group_name with variable "parent_id" { type = string, nullable = false }.',
    classes=("res",),
    scopes=BOTH,
    example=('variable "parent_id" {\n  type     = string\n  nullable = false\n}'),
)
def parent_id(module: Module) -> Iterator[Hit]:
    if module.is_child and not _resources(module, "azapi_resource"):
        return  # a data-plane submodule (or a documented AzureRM exception) has no ARM parent
    variables = _variables(module)
    for name in ("resource_group_name", "resource_group_resource_id"):
        if name in variables:
            yield Hit(
                f'variable "{name}": resource modules take parent_id instead',
                variables[name][0],
                variables[name][1].line,
            )
    if "parent_id" not in variables:
        if _complete(module):
            yield Hit('variable "parent_id": missing', "variables.tf")
        return
    file, b = variables["parent_id"]
    if b.body.get("type") != "string":
        yield Hit('variable "parent_id": type must be string', file, b.attr_line("type"))
    if b.body.get("nullable") is not False:
        yield Hit('variable "parent_id": must set nullable = false', file, b.attr_line("nullable"))
    if "default" in b.body:
        yield Hit('variable "parent_id": must be required (no default)', file, b.attr_line("default"))


@tf_rule(
    "TFRMNFR2",
    spec="TFRMNFR2",
    severity="error",
    title='The primary AzAPI resource of a resource module is labelled "this".',
    fix='Rename the primary resource to azapi_resource "this".',
    classes=("res",),
    scopes=BOTH,
    example=('resource "azapi_resource" "this" {\n  type = "Microsoft.KeyVault/vaults@2024-11-01"\n}'),
)
def primary_this(module: Module) -> Iterator[Hit]:
    azapi = _resources(module, "azapi_resource")
    if _complete(module) and azapi and not any(b.name == "this" for _, b in _resources(module)):
        file, b = azapi[0]
        yield Hit('resource "azapi_resource": no primary resource labelled "this"', file, b.line)


@_var_rule(
    "azapi_response_export_values",
    "TFFR4",
    "warning",  # new in tflint-ruleset-avm 0.21; current real modules do not all follow it yet
    "Every azapi_resource sets response_export_values (even []).",
    "Add response_export_values = [].",
    example=('resource "azapi_resource" "this" {\n  response_export_values = []\n}'),
)
def response_export_values(module: Module) -> Iterator[Hit]:
    for file, b in _resources(module, "azapi_resource"):
        if "response_export_values" not in b.attr_lines:
            yield Hit(f'resource "azapi_resource" "{b.name}": no response_export_values', file, b.line)


@_var_rule(
    "TFFR7",
    "TFFR7",
    "error",
    'Every azapi_resource sets retry = var.retry and a dynamic "timeouts" block.',
    'Add retry = var.retry and dynamic "timeouts" { for_each = var.timeouts == null ? [] : [var.timeouts] ... }.',
    example=(
        'resource "azapi_resource" "this" {\n'
        "  retry = var.retry\n"
        "\n"
        '  dynamic "timeouts" {\n'
        "    for_each = var.timeouts == null ? [] : [var.timeouts]\n"
        "\n"
        "    content {\n"
        "      create = timeouts.value.create\n"
        "      delete = timeouts.value.delete\n"
        "      read   = timeouts.value.read\n"
        "      update = timeouts.value.update\n"
        "    }\n"
        "  }\n"
        "}"
    ),
)
def retry_timeouts(module: Module) -> Iterator[Hit]:
    variables = _variables(module)
    for file, b in _resources(module, "azapi_resource"):
        if "retry" in variables and "var.retry" not in _norm(b.body.get("retry", "")):
            yield Hit(f'resource "azapi_resource" "{b.name}": set retry = var.retry', file, b.attr_line("retry"))
        dynamics = b.body.get("dynamic", [])
        labels = {k for d in (dynamics if isinstance(dynamics, list) else [dynamics]) if isinstance(d, dict) for k in d}
        static = "var.timeouts" in _norm(
            b.body.get("timeouts", "")
        )  # a plain block fed from var.timeouts also applies it
        if "timeouts" in variables and "timeouts" not in labels and not static:
            yield Hit(f'resource "azapi_resource" "{b.name}": add a dynamic "timeouts" block', file, b.line)


@_var_rule(
    "TFFR6",
    "TFFR6",
    "error",
    "When a resource_types variable exists, the module's own azapi_resource (`this`) takes its type from it.",
    "Set type = var.resource_types.<key>.",
    example=('resource "azapi_resource" "this" {\n  type = var.resource_types.keyvault_vaults\n}'),
)
def resource_types(module: Module) -> Iterator[Hit]:
    if "resource_types" not in _variables(module):
        return
    for file, b in _resources(module, "azapi_resource"):
        # Interface resources (locks, role assignments...) often take their type from avm-utl-interfaces.
        if b.name == "this" and not _norm(b.body.get("type", "")).startswith("var.resource_types"):
            yield Hit(
                f'resource "azapi_resource" "{b.name}": type must come from var.resource_types',
                file,
                b.attr_line("type"),
            )


@tf_rule(
    "azapi_resource_tag",
    spec="TFFR9",
    severity="error",
    title="When a tags variable exists, the primary azapi_resource sets tags = var.tags.",
    fix="Add tags = var.tags to the primary resource.",
    classes=("res",),
    scopes=BOTH,
    example=('resource "azapi_resource" "this" {\n  tags = var.tags\n}'),
)
def primary_tags(module: Module) -> Iterator[Hit]:
    if "tags" not in _variables(module):
        return
    for file, b in _resources(module, "azapi_resource"):
        if b.name == "this" and "var.tags" not in _norm(b.body.get("tags", "")):
            yield Hit('resource "azapi_resource" "this": set tags = var.tags', file, b.attr_line("tags"))


# --------------------------------------------------------------------------------------------- modules

_REGISTRY = re.compile(
    r"^([a-z0-9.-]+\.[a-z]{2,}(:\d+)?/)?[A-Za-z0-9][\w-]*/[A-Za-z0-9][\w-]*/[A-Za-z0-9][\w-]*(//.*)?$"
)
_EXACT = re.compile(r"^\s*=?\s*v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?\s*$")


def _source(b: Block) -> str | None:
    source = b.body.get("source")
    return source if isinstance(source, str) and expr(source) is None else None


@_var_rule(
    "terraform_module_version",
    "TFFR1",
    "error",
    "Registry module calls pin an exact version.",
    'Set version = "<x.y.z>".',
    example=('module "key_vault" {\n  source  = "Azure/avm-res-keyvault-vault/azurerm"\n  version = "0.10.0"\n}'),
)
def module_version(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "module"):
        source = _source(b)
        if source is None or not _REGISTRY.match(source):
            continue
        version = b.body.get("version")
        if version is None:
            yield Hit(f'module "{b.name}": no version for registry source {source}', file, b.line)
        elif isinstance(version, str) and expr(version) is None and not _EXACT.match(version):
            yield Hit(f'module "{b.name}": version "{version}" is not exact', file, b.attr_line("version"))


@_var_rule(
    "terraform_module_pinned_source",
    "TFFR1",
    "error",
    "Git module sources pin a ref.",
    "Add ?ref=<tag> to the source, or use the registry with an exact version.",
    example=(
        'module "key_vault" {\n'
        '  source = "git::https://github.com/Azure/terraform-azurerm-avm-res-keyvault-vault.git?ref='
        'v0.10.0"\n'
        "}"
    ),
)
def module_pinned_source(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "module"):
        source = _source(b)
        if source is None:
            continue
        if re.match(r"^(git::|git@|github\.com/|bitbucket\.org/|hg::)", source) and not re.search(
            r"[?&](ref|rev)=", source
        ):
            yield Hit(f'module "{b.name}": source {source} is not pinned to a ref', file, b.attr_line("source"))


@_var_rule(
    "required_module_source_tffr1",
    "TFFR1",
    "error",
    "Module calls use published AVM modules (Azure/avm-...) or local submodules (./modules/<name>).",
    "Call the published AVM module, or move the code into ./modules/<name>.",
    example=(
        'module "key_vault" {\n'
        '  source  = "Azure/avm-res-keyvault-vault/azurerm"\n'
        '  version = "0.10.0"\n'
        "}\n"
        "\n"
        'module "secret" {\n'
        '  source = "./modules/secret"\n'
        "}"
    ),
)
def module_source(module: Module) -> Iterator[Hit]:
    local = r"^\./modules/[\w.-]+/?$" if not module.is_child else r"^(\./modules/[\w.-]+|\.\./[\w.-]+)/?$"
    for file, b in _blocks(module, "module"):
        source = _source(b)
        if source is None or _AVM_SOURCE.match(source) or re.match(local, source):
            continue
        if re.match(r"^(git::)?(https://|ssh://git@)?github\.com[/:][Aa]zure/terraform-azure(rm)?-avm-", source):
            continue
        yield Hit(
            f'module "{b.name}": source {source} is neither an AVM module nor ./modules/<name>',
            file,
            b.attr_line("source"),
        )


_MODULE_HEAD = ("source", "version", "providers", "count", "for_each")


@_var_rule(
    "TFNFR9",
    "TFNFR9",
    "warning",
    "Module calls start with source, version, providers, count, for_each (in that order) and end with depends_on.",
    "Reorder the arguments of the module call.",
    example=(
        'module "secret" {\n'
        '  source   = "./modules/secret"\n'
        "  for_each = var.secrets\n"
        "\n"
        "  name = each.value.name\n"
        "\n"
        "  depends_on = [azapi_resource.this]\n"
        "}"
    ),
)
def module_argument_order(module: Module) -> Iterator[Hit]:
    for file, b in _blocks(module, "module"):
        keys = list(b.attr_lines)
        head = [k for k in keys if k in _MODULE_HEAD]
        expected_head = sorted(head, key=_MODULE_HEAD.index)
        if keys[: len(head)] != expected_head:
            wrong = next(k for k, w in zip(keys, [*expected_head, *keys][: len(keys)], strict=True) if k != w)
            yield Hit(
                f'module "{b.name}": argument {wrong} out of order (source, version, providers, count, for_each first)',
                file,
                b.attr_line(wrong),
            )
        elif "depends_on" in keys and keys[-1] != "depends_on":
            yield Hit(f'module "{b.name}": depends_on must come last', file, b.attr_line("depends_on"))


# ----------------------------------------------------------------------------------------------- style


@_var_rule(
    "terraform_comment_syntax",
    "SNFR6",
    "warning",
    "Single-line comments use #, not //.",
    "Replace // with #.",
    example="# a comment",
)
def comment_syntax(module: Module) -> Iterator[Hit]:
    for name, f in _files(module):
        for c in f.comments:
            if c.style == "//":
                yield Hit(f"{name}: use # instead of // for comments", name, c.line, c.col)


def _heredoc_format(text: str) -> str | None:
    m = re.match(r"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n(.*)\n[ \t]*\1\s*$", text, re.S)
    if m is None:
        return None
    marker, body = m.group(1).upper(), m.group(2).strip()
    if marker in ("JSON", "YAML", "YML"):
        return marker
    if body[:1] in ("{", "[") and "${" not in body:
        try:
            json.loads(body)
        except ValueError:
            return None
        return "JSON"
    return None


@_var_rule(
    "terraform_heredoc_usage",
    "TFNFR40",
    "error",
    "No JSON or YAML heredocs; use jsonencode()/yamlencode().",
    "Replace the heredoc with jsonencode({...}) or yamlencode({...}).",
    example=("body = jsonencode({\n  properties = { enabled = true }\n})"),
)
def heredoc_usage(module: Module) -> Iterator[Hit]:
    for name, f in _files(module):
        for t in f.heredocs:
            kind = _heredoc_format(t.value)
            if kind is not None:
                yield Hit(
                    f"{name}: {kind} heredoc; use {kind[:4].lower().replace('yml', 'yaml')}encode() instead",
                    name,
                    t.line,
                    t.col,
                )


# ------------------------------------------------------------------------------------ names and sources

_REPO_NAME = re.compile(r"^terraform-azure(rm)?-avm-(res|ptn|utl)-[a-z0-9]+(-[a-z0-9]+)*$")


@tf_rule(
    "RMNFR1",
    spec="RMNFR1",
    severity="error",
    title="A module repository is named terraform-azure-avm-<res|ptn|utl>-<name> in lower case (legacy: "
    "terraform-azurerm-avm-...).",
    fix="Use the name the module index approved for the module (avm new takes it from the index).",
    example="terraform-azure-avm-res-keyvault-vault",
)
def repository_name(module: Module) -> Iterator[Hit]:
    name = module.root.name
    if name.lower().startswith("terraform-") and not _REPO_NAME.match(name):
        yield Hit(f"repository {name!r} is not terraform-azure-avm-<res|ptn|utl>-<name> in lower case", ".")


_ID_VARIABLE = re.compile(r"(^|_)(resource_id|parent_id)$")


@_var_rule(
    "TFNFR38",
    "TFNFR38",
    "warning",
    "Variables holding a resource ID are validated with provider::azapi::parse_resource_id, not with regex.",
    'Validate with can(provider::azapi::parse_resource_id("<Provider>/<type>", var.<name>)).',
    example=(
        "validation {\n"
        '  condition     = can(provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroup'
        's", var.parent_id))\n'
        '  error_message = "The parent_id must be the resource ID of a resource group."\n'
        "}"
    ),
)
def resource_id_validation(module: Module) -> Iterator[Hit]:
    for name, (file, b) in _variables(module).items():
        if not _ID_VARIABLE.search(name) or _norm(b.body.get("type", "")) != "string":
            continue
        conditions = " ".join(_norm(v.get("condition", "")) for v in _as_list(b.body.get("validation")))
        if "regex(" in conditions and "parse_resource_id" not in conditions:
            yield Hit(f'variable "{name}": validated with a regex instead of parse_resource_id', file, b.line)


def _as_list(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value] if value else []
    return [v for v in items if isinstance(v, dict)]


@_var_rule(
    "required_module_source_tfnfr10",
    "TFNFR10",
    "error",
    "lifecycle ignore_changes lists references, not quoted strings.",
    'Write ignore_changes = [tags], not ["tags"].',
    example=("lifecycle {\n  ignore_changes = [tags]\n}"),
)
def unquoted_ignore_changes(module: Module) -> Iterator[Hit]:
    for file, b in _resources(module):
        match = re.search(r"ignore_changes\s*=\s*\[[^\]]*\"", b.text)
        if match:
            yield Hit(f'resource "{b.labels[0]}" "{b.name}": ignore_changes lists quoted strings', file, b.line)


@_var_rule(
    "TFFR3",
    "TFFR3",
    "warning",
    "Modules deploy with AzAPI; AzureRM resources are a documented exception only.",
    "Use azapi_resource; keep an AzureRM resource only for an operation AzAPI cannot do, and document why.",
    example=('resource "azapi_resource" "this" {\n  type = "Microsoft.KeyVault/vaults@2024-11-01"\n}'),
)
def azapi_only(module: Module) -> Iterator[Hit]:
    for file, b in _resources(module):
        if b.labels[0].startswith("azurerm_"):
            yield Hit(f'resource "{b.labels[0]}" "{b.name}": AzureRM resource in an AzAPI module', file, b.line)


@tf_rule(
    "SFR3-notice",
    spec="SFR3",
    severity="error",
    title="A module with telemetry ends its docs with the `## Data Collection` notice (the managed `_footer.md`).",
    fix="Restore the managed _footer.md (avm new writes it; the managed-files sync keeps it).",
    example=(
        "_footer.md:\n"
        "\n"
        "<!-- markdownlint-disable-next-line MD041 -->\n"
        "## Data Collection\n"
        "\n"
        "The software may collect information about you and your use of the software ..."
    ),
)
def data_collection_notice(module: Module) -> Iterator[Hit]:
    footer = module.text("_footer.md")
    if footer is not None and "enable_telemetry" in _variables(module) and "## Data Collection" not in footer:
        yield Hit("_footer.md has no `## Data Collection` notice", "_footer.md")
