"""The HCL writer against `terraform fmt`, the terraform-docs text rules, and the references of the
generated code (what tflint's unused-declaration and undefined-reference checks would report)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.docs.markdown_text import sanitize_document
from generator.render import render_module
from generator.terraform import hcl
from generator.terraform.hcl import Attr, Blank, Block, Comment, Heredoc, call, listing, obj
from tests.unit.test_terraform_model import SPECS

# Outputs of Azure/avm-utl-interfaces/azure v0.7.0.
INTERFACE_OUTPUTS = {
    "customer_managed_key_azapi",
    "customer_managed_key_azapi_v2",
    "diagnostic_settings_azapi",
    "diagnostic_settings_azapi_v2",
    "lock_azapi",
    "lock_private_endpoint_azapi",
    "managed_identities_azapi",
    "private_dns_zone_groups_azapi",
    "private_endpoints_azapi",
    "role_assignments_azapi",
    "role_assignments_private_endpoint_azapi",
}


def sample() -> str:
    return hcl.file_text(
        [
            Block(
                "variable",
                ("x",),
                (
                    Attr("type", obj([("a", "string"), ("bbbb", f"optional(object({obj([('c', 'string')])}), {{}})")])),
                    Attr("default", "null"),
                    Attr("description", Heredoc("line one\nline two")),
                    Attr("nullable", "false"),
                    Blank(),
                    Block("validation", (), (Attr("condition", "true"), Attr("error_message", '"x"'))),
                ),
            ),
            Block(
                "resource",
                ("azapi_resource", "this"),
                (
                    Attr("for_each", "var.things"),
                    Blank(),
                    Attr("name", "each.value.name"),
                    Attr("parent_id", "var.parent_id"),
                    Attr("body", obj([("properties", call("merge", ["{}", obj([("long_key", "1"), ("k", "2")])]))])),
                    Comment("a comment"),
                    Attr("response_export_values", listing(['"a"', '"b"'])),
                    Attr("retry", "var.retry"),
                    Blank(),
                    Block("dynamic", ("timeouts",), (Attr("for_each", "[]"), Blank(), Block("content", (), ()))),
                    Blank(),
                    Attr("depends_on", listing(["azapi_resource.a"], multiline=True)),
                ),
                comments=("leading",),
            ),
            Block("data", ("azapi_client_config", "current")),
        ]
    )


def test_writer_output_is_fmt_clean(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: `terraform fmt` not run")
    path = tmp_path / "sample.tf"
    path.write_text(sample())
    result = subprocess.run(
        [terraform, "fmt", "-check", "-diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_writer_alignment() -> None:
    text = sample()
    # a heredoc stays in its run; a multi-line object type starts its own
    assert "  type = {\n    a = string\n    bbbb = optional(object({\n      c = string\n    }), {})\n  }\n" in text
    assert (
        "  default     = null\n  description = <<DESCRIPTION\nline one\nline two\nDESCRIPTION\n  nullable    = false\n"
        in text
    )
    assert "  name      = each.value.name\n  parent_id = var.parent_id\n  body = {\n" in text
    assert '  # a comment\n  response_export_values = ["a", "b"]\n  retry                  = var.retry\n' in text
    assert '# leading\nresource "azapi_resource" "this" {\n' in text
    assert 'data "azapi_client_config" "current" {}\n' in text


def test_strings_are_escaped() -> None:
    assert hcl.quote('a "b" ${c} %{d}') == '"a \\"b\\" $${c} %%{d}"'
    assert hcl.description("one") == '"one"'
    assert hcl.description("one\n${two}") == Heredoc("one\n$${two}")


def test_description_text_follows_terraform_docs() -> None:
    assert sanitize_document("first line\nsecond line\n- `a_b` - item\n", True) == (
        "first line  \nsecond line\n- `a_b` - item\n"
    )
    assert sanitize_document("snake_case words", True) == "snake\\_case words"
    assert sanitize_document("list:\n\n- `x`", True) == "list:\n\n- `x`"


# ---------------------------------------------------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("terraform-refs")
    return {key: render_module(spec, root / key).output for key, spec in SPECS.items()}


def _code(scope: Path) -> str:
    """The scope's `.tf` text without heredoc descriptions and comments."""
    text = "\n".join(p.read_text() for p in sorted(scope.glob("*.tf")))
    text = re.sub(r"<<DESCRIPTION\n.*?\nDESCRIPTION", '""', text, flags=re.S)
    return re.sub(r"^\s*#.*$", "", text, flags=re.M)


def test_every_reference_is_declared_and_every_declaration_used(rendered: dict[str, Path]) -> None:
    for root in rendered.values():
        modules = root / "modules"
        for scope in [root, *(p for p in modules.iterdir() if p.is_dir())]:
            code = _code(scope)
            declared_variables = set(re.findall(r'^variable "(\w+)"', code, re.M))
            used_variables = set(re.findall(r"\bvar\.(\w+)", code))
            assert used_variables == declared_variables, (scope, used_variables ^ declared_variables)
            declared_locals = set(
                re.findall(r"^  (\w+) += ", "\n".join(re.findall(r"^locals \{\n(.*?)^\}", code, re.M | re.S)), re.M)
            )
            used_locals = set(re.findall(r"\blocal\.(\w+)", code))
            assert used_locals <= declared_locals, (scope, used_locals - declared_locals)
            assert declared_locals - used_locals <= {"avm_azapi_header"}, scope  # tflint-ignore'd when unused
            assert set(re.findall(r"module\.avm_interfaces\.(\w+)", code)) <= INTERFACE_OUTPUTS
            for module, source in re.findall(r'^module "(\w+)" \{\n  source += "(\.[^"]+)"', code, re.M):
                target = (scope / source).resolve()
                assert (target / "variables.tf").is_file(), (scope, module)
                inputs = set(re.findall(rf'^module "{module}" \{{\n(.*?)^\}}', code, re.M | re.S)[0].split("\n"))
                names = {m.group(1) for line in inputs if (m := re.match(r"^  (\w+) += ", line))}
                target_variables = set(re.findall(r'^variable "(\w+)"', (target / "variables.tf").read_text(), re.M))
                assert names - {"source", "for_each"} <= target_variables, (scope, module)
