"""`avm docs` for a Bicep module: the README built from main.bicep and merged into the one on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.docs.readme_merge import split_sections
from generator.docs.readmes import documents
from generator.errors import InvalidInputError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "docs" / "avm" / "res" / "widget" / "store"


@pytest.fixture
def module(tmp_path: Path) -> Path:
    target = tmp_path / "avm" / "res" / "widget" / "store"
    shutil.copytree(FIXTURE, target)
    return target


def headings(text: str) -> list[str]:
    return [s.heading for s in split_sections(text)][1:]


def section(text: str, heading: str) -> str:
    return "\n".join(next(s.lines for s in split_sections(text) if s.heading == heading))


def test_the_module_and_its_child_module_have_a_readme(module: Path) -> None:
    found = documents(module)
    assert [d.path for d in found] == [module / "README.md", module / "child" / "README.md"]
    assert all(d.drifted() for d in found)


def test_title_description_and_reference_come_from_the_code(module: Path) -> None:
    text = documents(module)[0].text
    assert text.startswith("# Widget Stores `[Microsoft.Widget/stores]`\n\nThis module deploys a Widget Store.\n")
    assert "module store 'br/public:avm/res/widget/store:<version>' = {" in text


def test_a_custom_section_stays_byte_for_byte_and_is_listed(module: Path) -> None:
    text = documents(module)[0].text
    assert "## Notes\n\nKeep   this *exactly*   as written.\n" in text
    assert headings(text) == [
        "## Navigation",
        "## Resource Types",
        "## Parameters",
        "## Outputs",
        "## Notes",
        "## Data Collection",
    ]
    assert "- [Notes](#Notes)" in section(text, "## Navigation")


def test_resource_types_include_the_child_modules_and_leave_existing_ones_out(module: Path) -> None:
    lines = section(documents(module)[0].text, "## Resource Types").split("\n")
    assert [line.split("|")[1].strip() for line in lines[4:]] == [
        "`Microsoft.Authorization/locks`",
        "`Microsoft.Widget/stores`",
        "`Microsoft.Widget/stores/shelves`",
    ]


def test_parameters_show_categories_defaults_allowed_values_limits_roles_and_nested_types(module: Path) -> None:
    text = section(documents(module)[0].text, "## Parameters")
    assert text.index("**Required parameters**") < text.index("**Optional parameters**")
    assert "| [`name`](#parameter-name) | string | Name of the widget store. |" in text
    assert "- Default: `[resourceGroup().location]`" in text
    assert "- Default: `[format('{0}-store', parameters('name'))]`" in text
    assert "- Default: `'Standard'`\n- Allowed:\n  ```Bicep\n  [\n    'Premium'\n    'Standard'\n  ]\n  ```" in text
    assert "- Default: `3`\n- MinValue: 1\n- MaxValue: 10" in text
    assert "- Default: `True`" in text
    assert "- Roles configurable by name:\n  - `'Contributor'`\n  - `'Reader'`" in text
    assert "### Parameter: `shelves.size`" in text
    assert "| [`kind`](#parameter-lockkind) | string | Specify the type of lock. |" in text
    assert "- Example:\n  ```Bicep\n  {\n    color: 'red'\n  }\n  ```" in text


def test_outputs_are_sorted_with_their_descriptions(module: Path) -> None:
    assert section(documents(module)[0].text, "## Outputs").split("\n")[4:] == [
        "| `name` | string | The name of the widget store. |",
        "| `resourceId` | string | The resource ID of the widget store. |",
    ]


def test_a_readme_rebuilt_from_its_own_output_does_not_change(module: Path) -> None:
    for document in documents(module):
        document.path.write_text(document.text, encoding="utf-8")
    assert not any(d.drifted() for d in documents(module))


def test_usage_examples_nobody_rebuilds_are_kept(module: Path) -> None:
    readme = module / "README.md"
    usage = "## Usage examples\n\nHand-kept example text.\n"
    readme.write_text(readme.read_text().replace("## Parameters", usage + "\n## Parameters"))
    text = documents(module)[0].text
    assert usage in text
    assert headings(text).index("## Usage examples") == headings(text).index("## Resource Types") + 1


def test_a_readme_without_generated_sections_is_refused(module: Path) -> None:
    (module / "README.md").write_text("# My module\n\nWritten by hand.\n")
    with pytest.raises(InvalidInputError, match=r"README\.md: .* has no generated sections"):
        documents(module)


def test_a_main_bicep_that_does_not_parse_is_refused(module: Path) -> None:
    main = module / "main.bicep"
    main.write_text(main.read_text().replace("param capacity int = 3", "param capacity int = 3 +"))
    with pytest.raises(InvalidInputError, match=r"^main.bicep: .*main.bicep:\d+: param capacity: "):
        documents(module)


def test_a_missing_readme_is_written_whole(module: Path) -> None:
    (module / "child" / "README.md").unlink()
    (module / "README.md").unlink()
    text = documents(module)[0].text
    assert headings(text) == ["## Navigation", "## Resource Types", "## Parameters", "## Outputs", "## Data Collection"]


def test_a_deprecation_notice_is_quoted_under_the_title(module: Path) -> None:
    (module / "DEPRECATED.md").write_text("This module is deprecated.\nUse the other one.\n")
    text = documents(module)[0].text
    assert text.startswith(
        "# Widget Stores `[Microsoft.Widget/stores]`\n\n> This module is deprecated.\n> Use the other one.\n\n"
        "This module deploys a Widget Store.\n"
    )
