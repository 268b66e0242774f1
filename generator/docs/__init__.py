"""`avm docs`: the READMEs a module owns, rebuilt from its code."""

from __future__ import annotations

from pathlib import Path

from generator.docs.document import Document
from generator.errors import InvalidInputError


def documents(module: Path) -> list[Document]:
    """Every README `module` owns, as `avm docs` would write it (Bicep: the module's and its child modules';
    Terraform: the module's, its submodules' and its examples')."""
    if (module / "main.bicep").is_file():
        from generator.docs.bicep import bicep_documents

        return bicep_documents(module)
    if any(module.glob("*.tf")):
        try:
            from generator.docs.terraform import terraform_documents  # type: ignore[import-not-found]
        except ImportError as exc:
            raise InvalidInputError.single("path", f"{module}: this avm cannot write Terraform READMEs") from exc
        return terraform_documents(module)
    raise InvalidInputError.single("path", f"{module} holds no main.bicep and no .tf file")
