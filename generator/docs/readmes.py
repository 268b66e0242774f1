"""The READMEs a module owns, by the module's language."""

from __future__ import annotations

from pathlib import Path

from generator.docs.bicep import bicep_documents
from generator.docs.document import Document
from generator.docs.terraform import terraform_documents
from generator.errors import InvalidInputError


def documents(module: Path) -> list[Document]:
    """Every README `module` owns, as `avm docs` would write it (Bicep: the module's and its child modules';
    Terraform: the module's, its submodules' and its examples')."""
    if (module / "main.bicep").is_file():
        return bicep_documents(module)
    if any(module.glob("*.tf")):
        return terraform_documents(module)
    raise InvalidInputError.single("path", f"{module} holds no main.bicep and no .tf file")
