"""The CHANGELOG entries and version.json `avm release` writes, in the registry's layout (Bicep) and Keep a
Changelog's (Terraform), and the version a Bicep module's files say is released."""

from __future__ import annotations

from generator.module_release import changelog
from generator.module_release.bump import Version
from generator.module_release.classify import BREAKING, FEATURE, Change
from generator.module_release.history import version_of

REGISTRY = """\
# Changelog

The latest version of the changelog can be found [here](https://github.com/Azure/bicep-registry-modules/blob/main/avm/res/a/b/CHANGELOG.md).

## 0.1.0

### Changes

- Initial version

### Breaking Changes

- None
"""
CLASSIFIED = (
    Change(FEATURE, "added (optional)", "parameter zone"),
    Change(BREAKING, "removed", "parameter sku"),
)


def test_bicep_entry_goes_above_the_newest_in_the_registry_layout() -> None:
    notes = changelog.Notes(classified=CLASSIFIED)
    text = changelog.bicep_changelog(REGISTRY, "avm/res/a/b", Version(0, 2, 0), notes)
    head, _, rest = text.partition("## 0.2.0\n")
    assert head == REGISTRY[: REGISTRY.index("## 0.1.0")]
    assert rest.startswith(
        "\n### Changes\n\n- Added (optional): `parameter zone`\n\n"
        "### Breaking Changes\n\n- Removed: `parameter sku`\n\n## 0.1.0\n"
    )


def test_the_users_lines_replace_the_classified_ones() -> None:
    notes = changelog.Notes(changes=("Added zones",), classified=CLASSIFIED)
    entry = changelog.bicep_entry(Version(0, 2, 0), notes)
    assert "- Added zones\n\n### Breaking Changes\n\n- Removed: `parameter sku`" in entry


def test_a_missing_bicep_changelog_gets_the_registry_header() -> None:
    text = changelog.bicep_changelog(None, "avm/res/a/b", Version(0, 1, 0), changelog.Notes(first=True))
    assert text == REGISTRY


def test_terraform_entry_in_keep_a_changelog_sections() -> None:
    notes = changelog.Notes(classified=CLASSIFIED)
    text = changelog.terraform_changelog(None, Version(0, 3, 0), "2026-12-01", notes)
    assert text.startswith("# Changelog\n\nAll notable changes")
    assert text.endswith(
        "## [0.3.0] - 2026-12-01\n\n### Added\n\n- Added (optional): `parameter zone`\n\n"
        "### Removed\n\n- **Breaking:** Removed: `parameter sku`\n"
    )
    assert changelog.has_entry(text, Version(0, 3, 0)) and not changelog.has_entry(text, Version(0, 3, 1))


def test_version_json_keeps_its_own_layout() -> None:
    registry_style = (
        '{\n  "$schema": "https://aka.ms/bicep-registry-module-version-file-schema#",\n  "version": "0.14"\n}'
    )
    assert changelog.version_json(registry_style, Version(0, 15, 0)) == registry_style.replace("0.14", "0.15")
    assert changelog.version_json(None, Version(0, 1, 0)).endswith('"version": "0.1"\n}\n')


def test_the_released_version_of_a_bicep_module() -> None:
    patched = REGISTRY.replace("## 0.1.0", "## 0.1.2\n\n## 0.1.1\n\n## 0.1.0")
    assert version_of('{"version": "0.1"}', patched) == Version(0, 1, 2)
    assert version_of('{"version": "0.2"}', patched) == Version(0, 2, 0)
    assert version_of("not json", patched) is None
