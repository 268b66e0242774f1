"""The Terraform values `avm check` reads with its own reader are python-hcl2's, exactly: over snippets of every
construct, over generated modules and over real Terraform repositories when this machine has them. Text outside
what the reader mirrors falls back to python-hcl2."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.check.hcl_reader import _hcl2_parse, parse
from generator.check.hcl_values import read_values
from tests.support.cli import PROJECT_ROOT, THOROUGH, run_avm

GOLDEN = PROJECT_ROOT / "tests" / "golden" / "terraform-key-vault"
MIRRORS = (
    PROJECT_ROOT.parent / ".mirror"
)  # read-only git mirrors of real repositories, beside the project on some machines
REPOS_VARIABLE = "AVM_TERRAFORM_REPOS"  # folders holding Terraform repository checkouts, separated by os.pathsep
MIRRORED = [  # the everyday run compares these; AVM_THOROUGH=1 every mirrored Terraform repository
    "Azure+terraform-azure-avm-res-appconfiguration-configurationstore",
    "Azure+terraform-azure-avm-res-keyvault-managedhsm",
    "Azure+terraform-azure-avm-res-fabric-capacity",
    "Azure+terraform-azure-avm-res-kubernetesconfiguration-extension",
    "Azure+terraform-azurerm-avm-res-storage-storageaccount",
]


def hcl2_values(source: str) -> object:
    try:
        return _hcl2_parse(source)
    except Exception:
        return "python-hcl2 refuses it"


READ_THE_SAME = [
    'a = 1\nb = 1.50\nc = 1e5\nd = "x"\ne = true\nf = null\ng = name\nh = 007\n',
    "a = -1\nb = - 1\nc = -1.5\nd = -1e5\ne = -var.x\nf = -(1)\ng = -true\n",
    "a = x == -1\nb = [-1, 2]\nc = {k = -1}\nd = f(-1)\ne = x - -1\nf = [-1.5e3]\n",
    'a = "${-1}"\nb = (-1)\nc = x.0.y\nd = x.00\ne = 1 - 1\n',
    'a = (true)\nb = ([1, "x"])\nc = ({k = 1})\nd = ("${x}")\ne = (null)\nf = (1.5)\n',
    'a = {(k) = 1, "q" = 2, 3 = 4, true = 5, in = 6, for_each = 7, 1.5 = 8}\nb = {for = 1}\n',
    'a = f({(k) = 1, "q" = 2, 3 = 4, true = 5, in = 6})\n',
    'a = "\\u00e9\\x \\n \\t \\" $${x} %%{y} \\\\ ${ f( 1 , 2 ) } \\U0001F600 \\uD800 \\u12"\n',
    'a = f("\\u00e9\\x \\n $${x} \\\\", "${x}")\n',
    'a = <<-EOT\n   a "q" \\\n     b $${x}\n   EOT\nb = <<EOT\nx\n\n  EOT\nc = <<EOT\nEOT\n',
    "a = x.*.y[0][*].z\nb = x[*]\nc = x.*\nd = x[var.i].y\n",
    "a = [for k, v in x : v if k != 1]\nb = {for k, v in x : k => v... if true}\nc = [for x in y : {a = x}]\n",
    "a = f(x...)\nb = f()\nc = f(\n  1,\n  2,\n)\nd = provider::azapi::parse(1)\n",
    "a = x\n  ? 1\n  : 2\nb = x # c\n  ? 1 : 2\nc = (\n  a\n  || b\n)\nd = a &&\n  b\n",
    "a = 1 # c\n// d\nb {\n}\nb {\n  x = 1\n}\nb = 2\n",
    'l "a" b {\n x = 1 }\nm "${x}" {}\nn "\\u00e9" {\n  inner {\n    y = [1,\n      2]\n  }\n}\n',
    "a = {a=1,b=2,}\nb = {\n a = 1\n b = 2\n}\nc = {\n  a: 1,\n  b: 2\n}\nd = x[\n1\n]\n",
    'a = !x\nb = !f(x)\nc = a < b && c >= d || e % 2 == 0\nd = "${a}-${b.c}"\ne = ""\n',
    "a = 1",
    "a = <<EOT\nx\nEOT",
    "a = <<-EOT\n  x\n  EOT",
    "",
    "# only a comment",
    "a = 1 b = 2\n",  # python-hcl2 reads two statements on one line; this reader leaves it to python-hcl2
]

LEFT_TO_PYTHON_HCL2 = [
    "a = 1 /* c */\n",
    'a = "%{ if x }y%{ endif }"\n',
    "a = f(<<EOT\nx\nEOT\n)\n",
    "a = 1\r\nb = 2\r\n",
    "a = <<EOT\nx\nEOT  \n",
    "a = x.0.1\n",
    "a = - -1\n",
    "a = !-1\n",
    "a = x == -\n1\n",
    "b = 1\nb {\n}\n",
    "a = x\n\n? 1 : 2\n",
    "a = f(\n  1\n  ,\n)\n",
    "a = x\n- y\n",
    "a = in\n",
    "a = 1 -1\n",
    'a = "unterminated\n',
    "a = [\n",
    "b {\n",
    "}\n",
]


@pytest.mark.parametrize("source", READ_THE_SAME)
def test_the_reader_gives_python_hcl2s_values(source: str) -> None:
    ours = read_values(source)
    if source == "a = 1 b = 2\n":
        assert ours is None
        return
    assert ours is not None
    assert ours == hcl2_values(source)
    assert repr(ours) == repr(hcl2_values(source))  # the same types too: 1 is not 1.0, True is not 1


@pytest.mark.parametrize("source", LEFT_TO_PYTHON_HCL2)
def test_text_outside_the_subset_is_left_to_python_hcl2(source: str) -> None:
    assert read_values(source) is None
    fallback = parse(source, "main.tf")  # still read, by python-hcl2, or reported as python-hcl2 reports it
    if hcl2_values(source) == "python-hcl2 refuses it":
        assert fallback.error is not None and not fallback.blocks_all
    else:
        assert fallback.error is None


def test_a_file_python_hcl2_cannot_parse_is_still_reported_as_before() -> None:
    read = parse('variable "x" {\n  type = string\n', "variables.tf")
    assert read.error is not None and read.error_line is not None
    assert read.blocks_all == []


def assert_same_values(files: Iterator[tuple[str, str]]) -> int:
    """Compares both readers on every file; returns how many were read by ours (the others fell back)."""
    ours_read = 0
    seen: set[str] = set()
    for name, source in files:
        ours = read_values(source)
        if ours is None or source in seen:
            continue
        seen.add(source)
        reference = hcl2_values(source)
        assert reference != "python-hcl2 refuses it", f"{name}: read, though python-hcl2 refuses it"
        assert repr(ours) == repr(reference), name
        ours_read += 1
    return ours_read


def tf_files(root: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(root.rglob("*.tf")):
        if ".terraform" not in path.parts:
            yield str(path.relative_to(root)), path.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hcl-values")
    kinds = {
        "kv": ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets"),
        "web": ("resource", "--provider", "Microsoft.Web", "--type", "sites", "--child", "config"),
        "ptn": ("pattern", "--name", "app/stack", "--uses", "avm-res-keyvault-vault@0.10.0"),
        "utl": ("utility", "--name", "general/resource-name", "--deploys"),
    }
    for name, args in kinds.items():
        interfaces = ("--interfaces", "all") if args[0] == "resource" else ()
        result = run_avm(
            "new",
            *args,
            "--lang",
            "terraform",
            *interfaces,
            "--defaults",
            "--index",
            "none",
            "-o",
            str(base / name),
            cwd=base,
            cache=base / "cache",
        )
        assert result.code == 0, result.stderr
    return base


def test_every_generated_terraform_file_is_read_by_our_reader_as_python_hcl2_reads_it(generated: Path) -> None:
    files = list(tf_files(generated)) + list(tf_files(GOLDEN))
    distinct = len({source for _, source in files})
    assert distinct > 30
    assert assert_same_values(iter(files)) == distinct  # none falls back: a check of generated modules is fast


def mirrored_tf_files(mirror: Path) -> Iterator[tuple[str, str]]:
    """The `.tf` files at HEAD of a bare git mirror, read without a checkout."""
    git = ["git", f"--git-dir={mirror}"]
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True).stdout
    entries = [line.split(b"\t", 1) for line in listing.split(b"\0") if line]
    blobs = [(meta.split()[2], path.decode()) for meta, path in entries if path.endswith(b".tf")]
    batch = subprocess.run(
        [*git, "cat-file", "--batch"], input=b"".join(b + b"\n" for b, _ in blobs), capture_output=True, check=True
    ).stdout
    offset = 0
    for _, path in blobs:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        content = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        yield f"{mirror.parent.name}/{path}", content.decode("utf-8-sig", errors="replace")


def mirrors() -> list[Path]:
    found = sorted(MIRRORS.glob("*terraform-azure*/repo")) if THOROUGH else [MIRRORS / n / "repo" for n in MIRRORED]
    return [mirror for mirror in found if mirror.is_dir()]


def real_repositories() -> Iterator[tuple[str, str]]:
    for folder in filter(None, os.environ.get(REPOS_VARIABLE, "").split(os.pathsep)):
        yield from tf_files(Path(folder))
    for mirror in mirrors():
        yield from mirrored_tf_files(mirror)


@pytest.mark.skipif(
    not os.environ.get(REPOS_VARIABLE) and not mirrors(),
    reason=f"no real Terraform repositories on this machine (set {REPOS_VARIABLE} to folders of checkouts)",
)
def test_real_terraform_repositories_are_read_as_python_hcl2_reads_them() -> None:
    files = list(real_repositories())
    distinct = len({source for _, source in files})
    assert assert_same_values(iter(files)) >= 0.9 * distinct  # the few files outside the subset fall back
