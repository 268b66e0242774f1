"""`avm docs` for Terraform: the BEGIN_TF_DOCS block as terraform-docs renders it, from a module's own code.

The fixture module (tests/fixtures/terraform_docs/module) has a root, a submodule and an example, and
variables, outputs, resources and module calls of every kind the renderer distinguishes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.check.hcl_reader import _scan
from generator.docs.hcl_constants import NotConstant, constant, go_json
from generator.docs.markdown_text import escape_characters, sanitize, sanitize_document
from generator.docs.terraform import terraform_documents
from generator.docs.terraform_config import ConfigError, read_config
from generator.docs.terraform_module import locked_versions, read_module
from generator.errors import EXIT_USAGE, InvalidInputError
from tests.support.cli import FIXTURES, tree

MODULE = FIXTURES / "terraform_docs" / "module"


@pytest.fixture(scope="module")
def root_readme() -> str:
    documents = {d.path.relative_to(MODULE).as_posix(): d.text for d in terraform_documents(MODULE)}
    assert set(documents) == {"README.md", "modules/child/README.md", "examples/basic/README.md"}
    return documents["README.md"]


def entry(readme: str, kind: str, name: str) -> str:
    """The text of one input, output or module entry, up to the next heading."""
    start = readme.index(f'<a name="{kind}_{name}"></a>')
    following = [readme.find(mark, start + 1) for mark in ("\n### ", "\n## ")]
    return readme[start : min(f for f in following if f > 0)]


def value(source: str) -> object:
    return constant(_scan(source)[0])


# ---- types: printed from the source


def test_a_one_line_type_is_a_code_span(root_readme: str) -> None:
    assert "Type: `string`" in entry(root_readme, "input", "name")
    assert "Type: `map(string)`" in entry(root_readme, "input", "labels")


def test_a_multi_line_type_is_its_source_text_in_an_hcl_block(root_readme: str) -> None:
    expected = (
        "Type:\n\n```hcl\nobject({\n    sku  = string\n    tags = optional(map(string), {})\n"
        "    network = optional(object({\n      public = optional(bool, false)\n    }))\n  })\n```"
    )
    assert expected in entry(root_readme, "input", "settings")


def test_a_quoted_type_is_the_string_it_holds_and_a_missing_type_comes_from_the_default(root_readme: str) -> None:
    assert "Type: `string`" in entry(root_readme, "input", "legacy")
    assert "Type: `list`" in entry(root_readme, "input", "untyped_list")
    assert "Type: `any`" in entry(root_readme, "input", "untyped")


# ---- defaults: evaluated, then printed as Go's JSON encoder writes them


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("nothing", "Default: `null`"),
        ("empty_text", 'Default: `""`'),
        ("quoted", 'Default: `"say \\"hi\\"\\nthen <go> & ${stay}"`'),
        ("ratio", "Default: `1.5`"),
        ("offset", "Default: `-3`"),
        ("enabled", "Default: `true`"),
        ("labels", "Default: `{}`"),
        ("script", 'Default: `"echo one\\n  echo two\\n"`'),
        ("zones", 'Default:\n\n```json\n[\n  "3",\n  "1"\n]\n```'),
        ("limits", 'Default:\n\n```json\n{\n  "alpha": {\n    "max": 10\n  },\n  "zeta": {\n    "max": 2\n  }\n}\n```'),
    ],
)
def test_defaults(root_readme: str, name: str, shown: str) -> None:
    assert shown in entry(root_readme, "input", name)


def test_a_required_input_shows_no_default_and_sensitive_changes_nothing(root_readme: str) -> None:
    secret = entry(root_readme, "input", "secret_value")
    assert "Default" not in secret
    assert secret.endswith("Description: A secret.\n\nType: `string`\n")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1e21", "1e+21"),
        ("0.0000001", "1e-7"),
        ("0.00001", "0.00001"),
        ("100", "100"),
        ('"\\u2028\\t"', '"\\u2028\\t"'),
        ('{ "b" = [true, null], a = 1 }', '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}'),
        ('{ (1) = "x" }', '{\n  "1": "x"\n}'),
        ("(-2)", "-2"),
    ],
)
def test_go_json_of_constants(source: str, expected: str) -> None:
    assert go_json(value(source)) == expected


@pytest.mark.parametrize("source", ["var.x", 'upper("a")', '"${var.x}"', "1 + 2", "[for x in y : x]"])
def test_expressions_that_need_evaluation_are_not_constants(source: str) -> None:
    with pytest.raises(NotConstant):
        value(source)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('"a\\\\%%{b} $${c}"', "a\\%{b} ${c}"),  # a quoted string: `\\` is one backslash
        ("<<EOT\na\\%%{b} $${c}\nEOT\n", "a\\%{b} ${c}\n"),  # a heredoc: a backslash is itself
    ],
)
def test_escaped_template_marks_after_a_backslash_are_text(source: str, text: str) -> None:
    assert value(source) == text


# ---- descriptions


def test_descriptions_escape_underscores_outside_code_and_break_lines_before_words(root_readme: str) -> None:
    assert "Description: The name of the gadget; see `gadget_name` rules." in entry(root_readme, "input", "name")
    parent = entry(root_readme, "input", "parent_id")
    assert "Description: The ID of the resource group.  \nIt must already exist.\n\nExample: `/subscriptions" in parent
    assert parent.startswith('<a name="input_parent_id"></a> [parent\\_id](#input\\_parent\\_id)')


def test_an_empty_description_is_read_from_the_comment_above(root_readme: str) -> None:
    assert "Description: Taken from the comment above." in entry(root_readme, "input", "commented")
    assert "Description: The name, from a comment." in entry(root_readme, "output", "name")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a_b `c_d` e_f", "a\\_b `c_d` e\\_f"),
        ("use _emphasis here_ please", "use _emphasis here_ please"),
        ("_ leading", "_ leading"),
        ("see https://example.com/a_b", "see https://example.com/a_b"),
    ],
)
def test_underscore_escaping(text: str, expected: str) -> None:
    assert sanitize_document(text, escape=True) == expected
    assert escape_characters("x_y") == "x\\_y"


def test_code_blocks_in_descriptions_are_kept_and_a_word_after_one_gets_a_line_break() -> None:
    text = "Example:\n```hcl\nname_x = 1\n```\nafter_it"
    assert sanitize_document(text, escape=True) == "Example:\n```hcl\nname_x = 1\n```  \nafter\\_it"


def test_sanitize_trims_blanks_and_blank_line_runs_but_keeps_markdown_line_breaks() -> None:
    assert sanitize("a  \nb \n\n\n\nc   \n  \nd\n\n") == "a  \nb\n\nc   \nd"


# ---- order, resources, modules, requirements, outputs


def test_required_inputs_come_first_then_optional_each_by_name(root_readme: str) -> None:
    names = [line.split('"')[1] for line in root_readme.splitlines() if line.startswith('### <a name="input_')]
    required = [
        "input_commented",
        "input_name",
        "input_parent_id",
        "input_secret_value",
        "input_settings",
        "input_untyped",
    ]
    assert names[: len(required)] == required
    assert names[len(required) :] == sorted(names[len(required) :])
    assert root_readme.index("## Required Inputs") < root_readme.index("## Optional Inputs")


def test_resources_then_data_sources_with_registry_links(root_readme: str) -> None:
    section = root_readme[root_readme.index("## Resources") : root_readme.index("## Required Inputs")]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert lines == [
        "- [azapi_resource.this](https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource) (resource)",
        "- [modtm_telemetry.telemetry](https://registry.terraform.io/providers/Azure/modtm/latest/docs/resources/telemetry) (resource)",
        "- [random_string.suffix](https://registry.terraform.io/providers/hashicorp/random/3.6.2/docs/resources/string) (resource)",
        "- [time_sleep.settle](https://registry.terraform.io/providers/hashicorp/time/latest/docs/resources/sleep) (resource)",
        "- [azapi_client_config.current](https://registry.terraform.io/providers/Azure/azapi/latest/docs/data-sources/client_config) (data source)",
        "- [modtm_module_source.telemetry](https://registry.terraform.io/providers/Azure/modtm/latest/docs/data-sources/module_source) (data source)",
    ]  # fmt: skip
    assert "random_uuid" not in root_readme  # its comment says terraform-docs-ignore


def test_module_calls_show_source_and_version(root_readme: str) -> None:
    assert entry(root_readme, "module", "registry").endswith(
        "Source: Azure/avm-utl-interfaces/azure\n\nVersion: 0.2.0\n"
    )
    assert entry(root_readme, "module", "child").endswith("Source: ./modules/child\n\nVersion:\n")
    assert "Source: git::https://example.com/modules.git\n\nVersion: v1.2.3" in entry(root_readme, "module", "pinned")


def test_requirements_are_terraform_then_providers_by_name(root_readme: str) -> None:
    section = root_readme[root_readme.index("## Requirements") : root_readme.index("## Resources")]
    assert [line.split("[")[1].split("]")[0] for line in section.splitlines() if line.startswith("- ")] == [
        "terraform",
        "azapi",
        "modtm",
        "random",
    ]
    assert '- <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) (>= 1.9, < 2.0)' in section


def test_outputs_by_name_and_sensitive_ones_shown_alike(root_readme: str) -> None:
    names = [line.split('"')[1] for line in root_readme.splitlines() if line.startswith('### <a name="output_')]
    assert names == ["output_keys", "output_name", "output_resource_id"]
    assert "Description: The access keys:\n- primary\\_key\n- secondary\\_key" in entry(root_readme, "output", "keys")


def test_header_and_footer_come_from_their_files(root_readme: str) -> None:
    assert "with snake\\_case words\nand a link: https://example.com/some_page." in root_readme
    assert '```hcl\nmodule "gadget" {\n  source = "x_y"\n}\n```' in root_readme
    assert root_readme.rstrip().endswith("## Data Collection\n\nSee the\\_terms.\n<!-- END_TF_DOCS -->\n\nAlso kept.")


def test_an_example_includes_its_main_tf() -> None:
    example = next(d for d in terraform_documents(MODULE) if d.path.parent.name == "basic")
    main_tf = (MODULE / "examples/basic/main.tf").read_text()
    assert f"Deploys one gadget.\n\n```hcl\n{main_tf.rstrip(chr(10))}\n```\n\n## Requirements" in example.text


def test_everything_outside_the_markers_is_kept(root_readme: str) -> None:
    assert root_readme.startswith("Written by hand, kept as it is.\n\n<!-- BEGIN_TF_DOCS -->\n<!-- Generated")
    assert root_readme.endswith("<!-- END_TF_DOCS -->\n\nAlso kept.\n")
    assert "stale" not in root_readme


def test_read_comments_off_leaves_an_empty_description_empty(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    config = module / ".terraform-docs.yml"
    config.write_text(config.read_text().replace("read-comments: true", "read-comments: false"))
    readme = next(d.text for d in terraform_documents(module) if d.path == module / "README.md")
    assert "Description: n/a" in entry(readme, "input", "commented")


def test_without_a_content_template_every_section_comes_in_terraform_docs_order(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    config = module / ".terraform-docs.yml"
    text = config.read_text()
    config.write_text(text[: text.index("content:")] + text[text.index("output:") :])
    readme = next(d.text for d in terraform_documents(module) if d.path == module / "README.md")
    headings = [line for line in readme.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Requirements",
        "## Providers",
        "## Modules",
        "## Resources",
        "## Required Inputs",
        "## Optional Inputs",
        "## Outputs",
        "## Data Collection",
    ]
    assert "<!-- BEGIN_TF_DOCS -->\n# terraform-azure-avm-res-contoso-gadget\n" in readme
    assert '- <a name="provider_time"></a> [time](#provider\\_time)\n' in readme  # no version: not required


def test_regenerating_twice_gives_the_same_text(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    for document in terraform_documents(module):
        document.path.write_text(document.text, encoding="utf-8")
    assert not any(d.drifted() for d in terraform_documents(module))


# ---- bad input: one line naming the file, exit 2, nothing written


def failure(module: Path) -> InvalidInputError:
    before = tree(module)
    with pytest.raises(InvalidInputError) as caught:
        terraform_documents(module)
    assert tree(module) == before
    assert caught.value.exit_code == EXIT_USAGE
    assert len(caught.value.lines()) == 1
    return caught.value


def test_a_readme_without_markers_is_refused(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    (module / "modules/child/README.md").write_text("# Hand-written\n", encoding="utf-8")
    assert str(module / "modules/child/README.md") in str(failure(module))


def test_a_tf_file_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    (module / "broken.tf").write_text('variable "x" {\n  type = string\n', encoding="utf-8")
    assert "broken.tf" in str(failure(module))


def test_a_default_that_is_not_a_constant_is_refused(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    (module / "extra.tf").write_text('variable "x" {\n  default = upper("a")\n}\n', encoding="utf-8")
    message = str(failure(module))
    assert "extra.tf" in message and "variable x" in message


def test_a_content_template_beyond_sections_and_include_is_refused(tmp_path: Path) -> None:
    module = shutil.copytree(MODULE, tmp_path / "module")
    config = module / ".terraform-docs.yml"
    config.write_text(config.read_text().replace("{{ .Footer }}", "{{ range .Module.Inputs }}{{ end }}"))
    assert ".terraform-docs.yml" in str(failure(module))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('formatter: "json"', "formatter"),
        ('formatter: "markdown document"\nsort:\n  by: size', "sort.by"),
        ('formatter: "markdown document"\nsettings:\n  escape: maybe', "settings.escape"),
    ],
)
def test_config_errors_name_the_field(text: str, field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        read_config(text)


# ---- providers


REQUIRED_PROVIDERS = """terraform {
  required_providers {
    azurerm = {
      source                = "hashicorp/azurerm"
      configuration_aliases = [azurerm.alt]
      version               = ">= 3.0"
    }
    legacy = "~> 1.0"
  }
}

resource "azurerm_thing" "a" {
  provider = azurerm.alt
}
"""

LOCK_FILE = """provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "3.117.1"
  constraints = ">= 3.0"
}
"""


def test_required_providers_with_aliases_and_the_legacy_string_form() -> None:
    docs = read_module({"terraform.tf": REQUIRED_PROVIDERS})
    assert [(r.name, r.version) for r in docs.requirements] == [("azurerm", ">= 3.0"), ("legacy", "~> 1.0")]
    assert [(p.name, p.alias, p.version) for p in docs.providers] == [("azurerm", "alt", ">= 3.0")]
    assert (
        docs.resources[0].url == "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/thing"
    )


def test_the_lock_file_gives_provider_versions_when_the_config_asks() -> None:
    docs = read_module({"terraform.tf": REQUIRED_PROVIDERS}, locked_versions(LOCK_FILE))
    assert [(p.name, p.version) for p in docs.providers] == [("azurerm", "3.117.1")]
