"""Property-based: `avm new` over generated valid specs, with display names and descriptions full of the
characters that break templates, string literals, YAML and Markdown.

Every generated module must: exit 0; parse (tree-sitter-bicep, python-hcl2); pass `terraform fmt -check`; check
clean with `avm check`; and carry the description through every escaping layer unchanged (Bicep `metadata`,
the Bicep README, the Terraform `_header.md`, the YAML answers file).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import hcl2
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.catalog import Catalog
from generator.check import bicep_reader
from tests.support.bicep_parser import parse_file
from tests.support.checked import assert_checks_clean
from tests.support.cli import THOROUGH, run_avm, tree

TYPES = (
    ("Microsoft.KeyVault", "vaults"),
    ("Microsoft.Storage", "storageAccounts"),
    ("Microsoft.Network", "virtualNetworks"),
    ("Microsoft.Sql", "servers"),
    ("Microsoft.Web", "sites"),
)
INTERFACES = (
    "lock",
    "role-assignments",
    "diagnostic-settings",
    "private-endpoints",
    "managed-identities",
    "customer-managed-key",
    "tags",
)
USES = ("avm/res/key-vault/vault@0.13.0", "avm/res/storage/storage-account@0.20.0")
# Fragments that mean something to Jinja, Bicep and HCL strings and templates, YAML, Markdown and shells.
NASTY = ("'", '"', "${", "%{", "{{", "}}", "{%", "%}", "\\", "#", "*", "|", "<", ">", "`", ": ", "- ", "&", "!")
WORDS = ("a", "Key", "vault", "x1", "é", "ñ", "Ünïcödé", "漢字", "Ωmega", "straße", " ", " ")


def _children() -> dict[tuple[str, str], list[str]]:
    catalog = Catalog.load()
    return {(ns, rt): [child.type_path for child in catalog.facts(ns, rt).children] for ns, rt in TYPES}


CHILDREN = _children()
# The interfaces each type offers (the customer-managed key only where the catalog names its paths).
OFFERED = {(ns, rt): [key for key in INTERFACES if key in Catalog.load().facts(ns, rt).interfaces] for ns, rt in TYPES}

nasty_text = (
    st.lists(st.sampled_from(NASTY + WORDS), min_size=1, max_size=30)
    .map("".join)
    .map(str.strip)
    .filter(lambda s: 1 <= len(s) <= 60)
)
kebab = st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), min_size=1, max_size=3).map("-".join)
module_name = st.tuples(kebab, kebab).map("/".join)


@st.composite
def resource_args(draw: st.DrawFn) -> list[str]:
    namespace, resource_type = draw(st.sampled_from(TYPES))
    offered = OFFERED[namespace, resource_type]
    interfaces = draw(st.lists(st.sampled_from(offered), unique=True, max_size=len(offered))) if offered else []
    children = draw(st.lists(st.sampled_from(CHILDREN[namespace, resource_type]), unique=True, max_size=3))
    args = ["resource", "--provider", namespace, "--type", resource_type]
    args += ["--interfaces", ",".join(interfaces) if interfaces else "none"]
    for child in children:
        args += ["--child", child]
    return args


@st.composite
def pattern_args(draw: st.DrawFn) -> list[str]:
    args = ["pattern", "--name", draw(module_name)]
    for used in draw(st.lists(st.sampled_from(USES), unique=True, max_size=2)):
        args += ["--uses", used]
    return args


@st.composite
def utility_args(draw: st.DrawFn) -> list[str]:
    return ["utility", "--name", draw(module_name), *(["--deploys"] if draw(st.booleans()) else [])]


module_args = st.one_of(resource_args(), pattern_args(), utility_args())

PROPERTY_SETTINGS = settings(
    max_examples=16 if THOROUGH else 8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no `.hypothesis/` folder in the checkout
    # Each example is a subprocess: shrinking one failure took over five minutes, so a failure is printed as drawn.
    phases=(Phase.explicit, Phase.generate),
)
_counter = itertools.count()


# python-hcl2 8 lexes the escapes `$${` and `%%{` (a literal `${`, `%{`) only when a `}` closes them, so valid HCL
# such as `"the $${x."` fails to parse (terraform's own parser, run by `terraform fmt`, accepts it). As
# tests/support/bicep_parser.py does for tree-sitter-bicep, the gap is bridged by a rewrite of the same length to
# private-use characters, which `_hcl_string` turns back into the literal text.
HCL_ESCAPES = {"$${": "\ue000\ue001{", "%%{": "\ue002\ue003{"}


def hcl_loads(text: str) -> dict:
    for escape, bridge in HCL_ESCAPES.items():
        text = text.replace(escape, bridge)
    return hcl2.loads(text)


def _hcl_string(literal: str) -> str:
    """Decode an HCL quoted template or heredoc as `hcl_loads` returns it (`'"..."'`): it must be a plain literal,
    with no interpolation and no directive."""
    assert literal.startswith('"') and literal.endswith('"'), literal
    body, out, index = literal[1:-1], [], 0
    heredoc = re.fullmatch(r"<<-?([A-Za-z_]\w*)\n(.*\n)\s*\1", body, re.S)
    if heredoc:  # no escapes but the template ones
        body = heredoc.group(2)[:-1]
        assert "${" not in body and "%{" not in body, f"unescaped template sequence in {literal!r}"
        for escape, bridge in HCL_ESCAPES.items():
            body = body.replace(bridge, escape[1:])
        return body
    while index < len(body):
        bridged = next((e for e, b in HCL_ESCAPES.items() if body.startswith(b, index)), None)
        if bridged:
            out.append(bridged[1:])
            index += 3
        elif body.startswith(("${", "%{"), index):
            raise AssertionError(f"unescaped template sequence in {literal!r}")
        elif body[index] == "\\":
            code = body[index + 1]
            if code == "u":
                out.append(chr(int(body[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append({"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}[code])
            index += 2
        else:
            assert body[index] != '"', f"unescaped quote in {literal!r}"
            out.append(body[index])
            index += 1
    return "".join(out)


def _descriptions(node: object) -> list[str]:
    """Every `description` attribute anywhere in a python-hcl2 tree."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                found.append(value)
            else:
                found += _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            found += _descriptions(item)
    return found


def generate(language: str, args: list[str], display_name: str, description: str, base: Path, cache: Path) -> Path:
    out = Path(tempfile.mkdtemp(prefix=f"m{next(_counter)}-", dir=base)) / "module"
    result = run_avm(
        "new",
        *args,
        "--lang",
        language,
        "--display-name",
        display_name,
        "--description",
        description,
        "--index",
        "none",
        "--defaults",
        "-o",
        str(out),
        cwd=base,
        cache=cache,
    )
    assert result.code == 0, (args, display_name, description, result.stderr)
    assert out.is_dir() and tree(out)
    return out


def assert_bicep_properties(out: Path, description: str) -> None:
    for path in sorted(out.rglob("*.bicep")):
        assert parse_file(path) == [], path.relative_to(out)
    source = (out / "main.bicep").read_text(encoding="utf-8")
    assert bicep_reader.parse(source).metadata("description") == description
    head = (out / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    assert description in head, head


def assert_terraform_properties(out: Path, description: str) -> None:
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and p.name.endswith((".tf", ".tftest.hcl"))]
    assert files
    for path in files:
        parsed = hcl_loads(path.read_text(encoding="utf-8"))
        assert isinstance(parsed, dict), path.relative_to(out)
        if path.name == "variables.tf":
            for literal in _descriptions(parsed):
                _hcl_string(literal)
    terraform = shutil.which("terraform")
    if terraform:
        fmt = subprocess.run(
            [terraform, "fmt", "-check", "-recursive", "-diff", str(out)], capture_output=True, text=True, check=False
        )
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    title, _, rest = (out / "_header.md").read_text(encoding="utf-8").partition("\n")
    assert title.startswith("# ")
    assert description in rest.splitlines(), rest


@pytest.mark.parametrize("language", ["bicep", "terraform"])
@PROPERTY_SETTINGS
@given(args=module_args, display_name=nasty_text, description=nasty_text)
def test_any_valid_spec_generates_a_clean_module(
    language: str, args: list[str], display_name: str, description: str, tmp_path: Path, avm_cache: Path
) -> None:
    out = generate(language, args, display_name, description, tmp_path, avm_cache)
    if language == "bicep":
        assert_bicep_properties(out, description)
    else:
        assert_terraform_properties(out, description)
    answers = yaml.safe_load((out / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["description"] == description
    assert answers["display_name"] == display_name
    if language == "bicep":
        assert_checks_clean(out)
    else:
        assert_checks_clean(out)


def test_the_hcl_decoder_rejects_interpolation() -> None:
    parsed = hcl_loads('x = "a $${b %%{c \\"d\\" \\\\ \\u00e9"\ny = <<EOT\n"$${q\nEOT\n')
    assert _hcl_string(parsed["x"]) == 'a ${b %{c "d" \\ é'
    assert _hcl_string(parsed["y"]) == '"${q'
    with pytest.raises(AssertionError):
        _hcl_string(hcl_loads('x = "a ${b}"\n')["x"])


@pytest.mark.parametrize(
    "how",
    ["flag", "set", "data-file"],
)
def test_a_description_with_a_newline_is_refused_and_nothing_is_written(
    how: str, tmp_path: Path, avm_cache: Path
) -> None:
    out = tmp_path / "module"
    source: list[str]
    if how == "flag":
        source = ["--description", "a\nb"]
    elif how == "set":
        source = ["--set", "description=a\nb"]
    else:
        data = tmp_path / "answers.yml"
        data.write_text(yaml.safe_dump({"description": "a\nb"}), encoding="utf-8")
        source = ["--data-file", str(data)]
    args = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults")
    result = run_avm(*args, *source, "--index", "none", "--defaults", "-o", str(out), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "description" in lines[0], lines
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["answers.yml"] if how == "data-file" else [])


@pytest.mark.parametrize("display_name", ["%{", "Key ${x"])
def test_check_parses_escaped_template_sequences(display_name: str, tmp_path: Path, avm_cache: Path) -> None:
    args = ["resource", "--provider", "Microsoft.Network", "--type", "virtualNetworks", "--interfaces", "none"]
    out = generate("terraform", args, display_name, "A description.", tmp_path, avm_cache)
    variables = (out / "variables.tf").read_text(encoding="utf-8")
    assert "$${" in variables or "%%{" in variables
    terraform = shutil.which("terraform")
    if terraform:
        fmt = subprocess.run([terraform, "fmt", "-check", "-recursive", str(out)], capture_output=True, check=False)
        assert fmt.returncode == 0  # the real HCL parser accepts the module
    assert_checks_clean(out)
