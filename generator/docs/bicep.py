"""`avm docs` for a Bicep module: its README and those of its child modules, rebuilt from the code.

The README is the `Readme` that `avm new` renders too (`generator.bicep.readme_text`), built here from the
module's `main.bicep` (`bicep_module.read_module`) instead of from answers, and merged into the README on
disk so that sections nobody generates stay as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.bicep.examples import symbol_of
from generator.bicep.readme import (
    CrossReference,
    ModuleReference,
    OutputRow,
    Readme,
    ResourceTypeRow,
    Usage,
    one_line,
)
from generator.bicep.readme_text import readme_sections
from generator.docs.bicep_examples import usage_from_tests
from generator.docs.bicep_module import ModuleFacts, ModuleReadError, read_module
from generator.docs.bicep_parameters import Roles, parameter_section
from generator.docs.collation import culture_sort_key, unstable_sorted
from generator.docs.document import Document
from generator.docs.readme_merge import merged
from generator.errors import InvalidInputError
from generator.naming import title_words

REFERENCE_RE = re.compile(r"'br/public:avm/(res|ptn|utl)/([^':]+):")
CLASS_RE = re.compile(r"[\\/]avm[\\/](res|ptn|utl)[\\/](.+)$")
NOTICE_FILES = ("DEPRECATED.md", "ORPHANED.md", "MOVED-TO-AVM.md")
SKIPPED = {"tests", ".git", "node_modules", ".terraform"}


def bicep_documents(module: Path) -> list[Document]:
    """The README of `module` and of each child module below it (a folder with a `main.bicep` and a README)."""
    return [module_document(folder) for folder in (module, *child_modules(module))]


def child_modules(module: Path) -> list[Path]:
    found = []
    for current, dirs, files in os.walk(module):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        here = Path(current)
        if here != module and "main.bicep" in files and "README.md" in files:
            found.append(here)
    return found


def module_document(root: Path) -> Document:
    path = root / "README.md"
    try:
        facts = read_module(root)
    except ModuleReadError as exc:
        raise InvalidInputError.single("main.bicep", str(exc)) from exc
    try:
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
    except UnicodeDecodeError as exc:
        raise InvalidInputError.single("README.md", f"{path} is not UTF-8 text") from exc
    module_class, module_id = identifier(root, existing)
    usage = usage_from_tests(root, registry_ref(module_class, module_id), reference_symbol(module_id))
    readme = module_readme(facts, existing, usage, (module_class, module_id))
    kept = ("## Usage examples",) if usage is None else ()
    return Document(path, merged(existing, readme_sections(readme), str(path), kept))


def identifier(root: Path, existing: str | None = None) -> tuple[str, str]:
    """The module's class (res, ptn, utl) and identifier (`key-vault/vault`, `key-vault/vault/key`): from where it
    lives in a registry checkout (`avm/res/key-vault/vault`), else from the reference its README shows."""
    match = CLASS_RE.search(str(root.resolve()))
    if match is not None:
        return match.group(1), match.group(2).replace("\\", "/")
    shown = REFERENCE_RE.search(existing or "")
    if shown is not None:
        return shown.group(1), shown.group(2)
    return "res", root.name


def module_readme(facts: ModuleFacts, existing: str | None, usage: Usage | None, named: tuple[str, str]) -> Readme:
    """`named`: the module's class and identifier (`identifier`)."""
    module_class, module_id = named
    roles = Roles(facts.role_names, facts.symbols)
    return Readme(
        name=facts.name,
        resource_type=title_type(facts, module_class, module_id, existing),
        description=facts.description,
        reference=reference(facts.root, module_class, module_id),
        resource_types=tuple(
            ResourceTypeRow(t, api)
            for t, api in unstable_sorted(facts.resource_types, key=lambda r: culture_sort_key(r[0]))
        ),
        usage=usage,
        parameters=parameter_section(facts.params, facts.definitions, roles),
        outputs=tuple(
            OutputRow(name, str(schema.get("type", "")), one_line(description(schema)))
            for name, schema in sorted(facts.outputs.items(), key=lambda kv: culture_sort_key(kv[0]))
        ),
        cross_references=(
            *(CrossReference(r, "Local reference") for r in sorted(facts.local_references, key=culture_sort_key)),
            *(CrossReference(r, "Remote reference") for r in sorted(facts.remote_references, key=culture_sort_key)),
        ),
        data_collection="enableTelemetry" in facts.params,
        notices=notices(facts.root),
    )


def description(schema: dict) -> str:
    return str((schema.get("metadata") or {}).get("description") or "")


def title_type(facts: ModuleFacts, module_class: str, module_id: str, existing: str | None) -> str:
    """`[Microsoft.KeyVault/vaults]` for a resource module: the type the README names, as the code spells it,
    else the first resource the module deploys; `[Lz/SubVending]` for a pattern or utility."""
    if module_class != "res":
        parent, _, child = module_id.partition("/")
        return f"{title_words(parent)}/{title_words(child)}"
    deployed = {t.lower(): t for t, _ in facts.resource_types}
    if existing:
        match = re.search(r"^# .*`\[(.+?)\]`", existing, re.M)
        if match and match.group(1).lower() in deployed:
            return deployed[match.group(1).lower()]
        if match:
            return match.group(1)
    return facts.resource_types[0][0] if facts.resource_types else module_id


def reference(root: Path, module_class: str, module_id: str) -> ModuleReference | None:
    """The reference block of a published module (one with a `version.json`)."""
    if not (root / "version.json").is_file():
        return None
    return ModuleReference(reference_symbol(module_id), registry_ref(module_class, module_id))


def reference_symbol(module_id: str) -> str:
    """The symbol examples give the module: its name's second segment (`vault` for key-vault/vault/secret)."""
    return symbol_of(module_id.split("/")[1] if "/" in module_id else module_id)


def registry_ref(module_class: str, module_id: str) -> str:
    return f"br/public:avm/{module_class}/{module_id}:<version>"


def notices(root: Path) -> tuple[str, ...]:
    found = []
    for name in NOTICE_FILES:
        path = root / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            quoted = [f"> {line}".strip() if name == "ORPHANED.md" else f"> {line}" for line in lines]
            found.append("\n".join(quoted))
    return tuple(found)
