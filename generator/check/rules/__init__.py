"""The rules of `avm check`: a package a language, a module a rule family; importing a package registers its rules."""

from __future__ import annotations

BOTH = ("top", "child")
"""The scopes of a rule that checks child modules (Bicep) or submodules (Terraform) as well."""
