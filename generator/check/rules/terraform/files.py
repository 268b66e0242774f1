"""Terraform files and folders: readable and parsing files, required files, terraform.tf, docs, examples, tests."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.core import CANNOT_READ_FIX, CANNOT_READ_TITLE, Hit, Module, unreadable_files
from generator.check.rules import BOTH
from generator.check.rules.terraform.common import blocks_of, complete, parsed_files, tf_rule


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
    for name, f in parsed_files(module):
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
    if complete(module) and not f.blocks("terraform"):
        yield Hit("terraform.tf: no terraform block", "terraform.tf")
    for b in f.blocks():
        if b.kind != "terraform":
            yield Hit(f"terraform.tf: {b.kind} block does not belong in terraform.tf", "terraform.tf", b.line)
    for b in f.blocks("terraform")[1:]:
        yield Hit("terraform.tf: more than one terraform block", "terraform.tf", b.line)
    for name, b in blocks_of(module, "terraform"):
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
