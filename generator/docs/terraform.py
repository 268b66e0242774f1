"""`avm docs` for Terraform: the BEGIN_TF_DOCS block of every README a module owns, from its own code.

A module owns the README of its root, of each `modules/*` submodule and of each `examples/*` example (each
folder holding `.tf` files). Each folder is rendered as terraform-docs renders it with the `.terraform-docs.yml`
that applies to it: for submodules and examples the one in `modules/` or `examples/` (as AVM's tooling runs
terraform-docs), else the folder's own, else the root's. Only the text between the markers changes; everything around them is kept byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from generator.check.hcl_reader import parse
from generator.docs.document import Document
from generator.docs.terraform_config import ConfigError, DocsConfig, read_config
from generator.docs.terraform_markdown import Page, TemplateError, render_block
from generator.docs.terraform_module import ModuleReadError, locked_versions, read_module
from generator.errors import InvalidInputError, environment

CONFIG = ".terraform-docs.yml"
README = "README.md"
LOCK_FILE = ".terraform.lock.hcl"


def _is_tf(name: str) -> bool:
    """A file terraform-config-inspect reads (`.tf.json` files are not read here)."""
    return name.endswith(".tf") and not name.startswith(".") and not name.endswith("~") and not name.startswith("#")


def tf_order(names: list[str]) -> list[str]:
    """The `.tf` files of a folder in the order terraform reads them: by name, override files last."""
    tf = sorted(n for n in names if _is_tf(n))

    def is_override(name: str) -> bool:
        base = name.removesuffix(".tf")
        return base == "override" or base.endswith("_override")

    return [n for n in tf if not is_override(n)] + [n for n in tf if is_override(n)]


def header_text(file_name: str, text: str) -> str:
    """A header or footer read from a file: a Markdown file as it is, a `.tf` file's leading `/* */` comment."""
    if not file_name.endswith((".tf", ".tofu")):
        return text
    found: list[str] = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped.startswith(("/*", "*", "*/")):
            break
        if stripped.startswith(("/*", "*/")):
            continue
        if stripped == "*":
            found.append("")
            continue
        found.append(line.lstrip(" ").rstrip("\r\n").removeprefix("* "))
    return "\n".join(found)


def _section_file(config: DocsConfig, name: str, read: Callable[[str], str | None], where: str) -> str:
    """The header (or footer) text; a missing file is an error unless it is terraform-docs' default `main.tf`."""
    file_name = config.header_from if name == "header" else config.footer_from
    if not file_name:
        return ""
    if not file_name.endswith((".adoc", ".md", ".tf", ".tofu", ".txt")):
        raise InvalidInputError.single(f"{where}/{CONFIG}", f"{name}-from: {file_name} is not .md, .tf or .txt")
    text = read(file_name)
    if text is None:
        if name == "header" and file_name == "main.tf":
            return ""
        raise InvalidInputError.single(f"{where}/{file_name}", f"does not exist ({name}-from of {CONFIG})")
    return header_text(file_name, text)


def render_folder(files: Mapping[str, str], read: Callable[[str], str | None], config: DocsConfig, where: str) -> str:
    """The generated block of one folder: `files` are its `.tf` files in reading order, `read` gives any other
    file of the folder (None when it is not there); `where` names the folder in errors."""
    lock_file = read(LOCK_FILE) if config.lockfile else None
    try:
        docs = read_module(files, locked_versions(lock_file) if lock_file else None, config.read_comments)
    except ModuleReadError as exc:
        raise InvalidInputError.single(f"{where}/{exc.file}", str(exc).removeprefix(f"{exc.file}: ")) from None

    def include(name: str) -> str:
        text = read(name)
        if text is None:
            raise InvalidInputError.single(f"{where}/{name}", f"does not exist (included by {CONFIG})")
        return text

    page = Page(
        docs=docs,
        header=_section_file(config, "header", read, where) if "header" in config.sections else "",
        footer=_section_file(config, "footer", read, where) if "footer" in config.sections else "",
        include=include,
    )
    try:
        return render_block(page, config)
    except TemplateError as exc:
        raise InvalidInputError.single(f"{where}/{CONFIG}", str(exc)) from None


def config_of(text: str, where: str) -> DocsConfig:
    try:
        return read_config(text)
    except ConfigError as exc:
        raise InvalidInputError.single(where, str(exc)) from None


def replace_block(readme: str, block: str, config: DocsConfig, where: str) -> str:
    """The README with the text from the BEGIN marker to the END marker replaced by `block`."""
    begin, end = readme.find(config.begin), readme.find(config.end)
    if begin < 0 or end < 0:
        missing = config.begin if begin < 0 else config.end
        raise InvalidInputError.single(where, f"has no {missing} marker; add the markers where the generated part goes")
    if end < begin:
        raise InvalidInputError.single(where, f"{config.end} comes before {config.begin}")
    return readme[:begin] + block + readme[end + len(config.end) :]


# ---- a module on disk


def _read_text(path: Path) -> str | None:
    if not path.is_file():
        return None
    with environment(str(path)):
        data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError.single(str(path), "is not UTF-8 text") from None


def module_folders(module: Path) -> list[tuple[Path, list[Path]]]:
    """Each folder with a README, and where its `.terraform-docs.yml` may be, nearest first."""
    root_config = [module / CONFIG]
    found = [(module, root_config)]
    for group in ("modules", "examples"):
        parent = module / group
        if not parent.is_dir():
            continue
        for folder in sorted(p for p in parent.iterdir() if p.is_dir()):
            if any(_is_tf(p.name) for p in folder.iterdir() if p.is_file()):
                found.append((folder, [parent / CONFIG, folder / CONFIG, *root_config]))
    return found


def _check_parses(folder: Path, names: list[str], texts: dict[str, str]) -> None:
    for name in names:
        parsed = parse(texts[name], name)
        if parsed.error is not None:
            where = f" (line {parsed.error_line})" if parsed.error_line else ""
            raise InvalidInputError.single(str(folder / name), f"is not valid HCL{where}: {parsed.error}")


def folder_document(folder: Path, configs: list[Path]) -> Document:
    """The README of one module folder with its generated block rewritten."""
    config_path = next((c for c in configs if c.is_file()), None)
    if config_path is None:
        raise InvalidInputError.single(str(folder), f"no {CONFIG} applies to this folder")
    config = config_of(_read_text(config_path) or "", str(config_path))
    names = tf_order([p.name for p in folder.iterdir() if p.is_file()])
    texts = {name: _read_text(folder / name) or "" for name in names}
    _check_parses(folder, names, texts)
    block = render_folder(texts, lambda name: _read_text(folder / name), config, str(folder))
    readme_path = folder / README
    readme = _read_text(readme_path)
    if readme is None:
        return Document(readme_path, block)
    return Document(readme_path, replace_block(readme, block, config, str(readme_path)))


def terraform_documents(module: Path) -> list[Document]:
    """One Document per README the module owns: the root's, each submodule's and each example's."""
    return [folder_document(folder, configs) for folder, configs in module_folders(module)]
