"""A small bicep-registry-modules checkout with the shapes of the real files, written here (not copied)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.repo import ALLOWED_LIST, CODEOWNERS, ISSUE_TEMPLATE

REVIEWERS = "@Azure/avm-module-reviewers-bicep"
VERSION_SCHEMA = "https://aka.ms/bicep-registry-module-version-file-schema#"

CODEOWNERS_TEXT = f"""\
* @Azure/avm-core-team-technical-bicep
/.github/ @Azure/avm-core-team-technical-bicep
/avm/ @Azure/avm-core-team-technical-bicep
/avm/ptn/alpha/one/ @Azure/avm-ptn-alpha-one-module-owners-bicep {REVIEWERS}
/avm/ptn/app/zeta/ @Azure/avm-ptn-app-zeta-module-owners-bicep {REVIEWERS}
/avm/res/key-vault/vault/ @Azure/avm-res-keyvault-vault-module-owners-bicep {REVIEWERS}
/avm/res/network/vnet/ @Azure/avm-res-network-vnet-module-owners-bicep {REVIEWERS}
*avm.core.team.tests.ps1 @Azure/avm-core-team-technical-bicep
"""

ISSUE_TEMPLATE_TEXT = """\
name: AVM - Module Issue
description: Tell us!
body:
  - type: dropdown
    id: issue-type
    attributes:
      label: Issue Type?
      options:
        - ""
        - "Feature Request"
        - "Bug"
  - type: dropdown
    id: module-name-dropdown
    attributes:
      label: Module Name
      options:
        - ""
        - "avm/ptn/alpha/one"
        - "avm/ptn/app/zeta"
        # - "avm/ptn/beta/old"
        - "avm/res/key-vault/vault"
        - "avm/res/network/vnet"
    validations:
      required: true
  - type: input
    id: module-version
"""

ALLOWED_TEXT = """\
{
  "allowed-child-modules": [
    "avm/res/key-vault/vault/key",
    "avm/res/key-vault/vault/secret"
  ]
}
"""


def make_registry(root: Path, newline: str = "\n") -> Path:
    (root / "avm" / "res").mkdir(parents=True)
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    (root / "utilities/pipelines/staticValidation/compliance/helper").mkdir(parents=True)
    for path, text in (
        (CODEOWNERS, CODEOWNERS_TEXT),
        (ISSUE_TEMPLATE, ISSUE_TEMPLATE_TEXT),
        (ALLOWED_LIST, ALLOWED_TEXT),
    ):
        (root / path).write_bytes(text.replace("\n", newline).encode())
    return root


def release(module: Path, version: str, earlier: tuple[str, ...] = ()) -> None:
    """Give a module made by `avm new` the marks of a released BRM module: version.json at `version` (MAJOR.MINOR)
    and a CHANGELOG whose entries, newest first, are `version` and the `earlier` releases (not the scaffold's)."""
    (module / "version.json").write_text(json.dumps({"$schema": VERSION_SCHEMA, "version": version}, indent=2) + "\n")
    changelog = module / "CHANGELOG.md"
    header = changelog.read_text().split("\n## ", 1)[0]
    entries = "".join(
        f"\n## {v}.0\n\n### Changes\n\n- Release {v}.0 of the module\n\n### Breaking Changes\n\n- None\n"
        for v in (version, *earlier)
    )
    changelog.write_text(header + entries)


def pin_api_version(bicep_file: Path, full_type: str, api_version: str) -> None:
    """Make a module's file deploy `full_type` at `api_version`, as a released module keeps the version it was
    tested with while the catalog moves on."""
    text = bicep_file.read_text()
    pinned = re.sub(rf"'{re.escape(full_type)}@[^']+'", f"'{full_type}@{api_version}'", text)
    assert pinned != text, f"{bicep_file} deploys no {full_type}"
    bicep_file.write_text(pinned)
