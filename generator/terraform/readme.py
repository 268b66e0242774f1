"""README.md of a generated Terraform module root, submodule or example.

The model supplies only the folder's files (the `.tf` texts, `_header.md`, `_footer.md`); the README is the
block `avm docs` renders from those files with the `.terraform-docs.yml` the template ships for the folder
(`generator.docs.terraform`), so a new module passes `avm docs --check` by construction and needs no
terraform-docs run.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from generator.docs.terraform import CONFIG, config_of, render_folder, tf_order
from generator.docs.terraform_config import DocsConfig
from generator.paths import templates_dir

# Where the template keeps the `.terraform-docs.yml` of each kind of folder.
CONFIG_FOLDERS = {"root": "", "submodule": "modules", "example": "examples"}


@cache
def template_config(kind: str) -> DocsConfig:
    path = templates_dir() / "terraform" / CONFIG_FOLDERS[kind] / CONFIG
    return config_of(path.read_text(encoding="utf-8"), str(path))


def folder_readme(files: Mapping[str, str], kind: str, where: str) -> str:
    """The README of one generated folder from its files by name; `kind` is root, submodule or example."""
    tf_files = {name: files[name] for name in tf_order(list(files))}
    return render_folder(tf_files, files.get, template_config(kind), where)
