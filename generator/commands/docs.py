"""`avm docs`: rewrite the generated parts of the READMEs of one or more modules, or of every module under a root."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.commands.lifecycle import SKIPPED_DIRS, end_with_parent, print_summary, progress
from generator.docs.document import Document
from generator.errors import EXIT_FINDINGS, EXIT_OK, AvmError, InvalidInputError, environment
from generator.paths import shown

SKIPPED_FOLDERS = SKIPPED_DIRS | {"tests"}


@dataclass
class ModuleDocs:
    module: Path
    drifted: list[Path] = field(default_factory=list)  # READMEs that differ from what the code gives
    unchanged: list[Path] = field(default_factory=list)
    error: str | None = None

    def as_json(self, written: bool) -> dict:
        readmes = [{"path": str(p), "state": "written" if written else "drift"} for p in self.drifted]
        readmes += [{"path": str(p), "state": "unchanged"} for p in self.unchanged]
        return {"module": str(self.module), "error": self.error, "readmes": readmes}


def module_docs(module: Path) -> tuple[ModuleDocs, list[Document]]:
    from generator.docs.readmes import documents

    with environment("module"):
        found = documents(module)
    result, changed = ModuleDocs(module), []
    for document in found:
        drifted = document.drifted()
        (result.drifted if drifted else result.unchanged).append(document.path)
        if drifted:
            changed.append(document)
    return result, changed


def write(changed: list[Document]) -> None:
    from generator.scratch import write_text

    with environment("README.md"):
        for document in changed:
            write_text(document.path, document.text)


def run_docs(paths: list[Path], root: Path | None, *, check: bool, json_output: bool) -> int:
    if root is not None:
        if paths:
            raise InvalidInputError.single("all", "give PATHs or --all ROOT, not both")
        if not root.is_dir():
            raise InvalidInputError.single("all", f"{root} is not a folder")
        return run_all(root.resolve(), check=check, json_output=json_output)
    results: list[ModuleDocs] = []
    changed: list[Document] = []
    for path in paths or [Path.cwd()]:
        module = path.resolve()
        if not module.is_dir():
            raise InvalidInputError.single("path", f"{path} is not a module folder")
        result, documents = module_docs(module)  # every module is read before anything is written
        results.append(result)
        changed += documents
    if not check:
        write(changed)
    report(results, check=check, json_output=json_output)
    return EXIT_FINDINGS if check and changed else EXIT_OK


def report(results: list[ModuleDocs], *, check: bool, json_output: bool) -> None:
    if json_output:
        print(json.dumps([r.as_json(written=not check) for r in results], indent=2))
        return
    for result in results:
        for path in result.drifted:
            print(f"{shown(path)}: {'would change' if check else 'written'}")
        if not result.drifted:
            print(f"{shown(result.module)}: up to date")


def modules_under(root: Path) -> list[Path]:
    """Every module below `root`: a folder with a `main.bicep` or `.tf` files, outermost only (a module's child
    modules, submodules and examples are its own)."""
    found = []
    for current, dirs, files in os.walk(root):
        here = Path(current)
        if "main.bicep" in files or any(f.endswith(".tf") for f in files):
            found.append(here)
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
    return found


def docs_of(module: Path, *, check: bool) -> ModuleDocs:
    """One module of a bulk run: written (unless `check`), or its one-line error (the run goes on)."""
    try:
        result, changed = module_docs(module)
        if not check:
            write(changed)
    except AvmError as exc:
        return ModuleDocs(module, error=" ".join(exc.lines()))
    return result


def run_all(root: Path, *, check: bool, json_output: bool) -> int:
    """Every module under `root`, spread over the cores (a worker keeps what it parsed for its next modules)."""
    modules = modules_under(root)
    if not modules:
        raise InvalidInputError.single("all", f"no Bicep or Terraform module under {root}")
    results: list[ModuleDocs] = []
    workers = min(os.cpu_count() or 1, len(modules))
    pool = ProcessPoolExecutor(workers, initializer=end_with_parent, initargs=(os.getpid(),)) if workers > 1 else None
    mapper = partial(pool.map, chunksize=8) if pool is not None else map
    try:
        for index, result in enumerate(mapper(partial(docs_of, check=check), modules), start=1):
            results.append(result)
            progress(index, len(modules), result.module.name)
    finally:
        if pool is not None:
            pool.shutdown()
    if json_output:
        print(json.dumps([r.as_json(written=not check) for r in results], indent=2))
    else:
        rows = []
        for result in results:
            name = os.path.relpath(result.module, root)
            if result.error is not None:
                rows.append((name, "error", result.error))
            elif result.drifted:
                state = "would change" if check else "written"
                rows.append((name, state, ", ".join(os.path.relpath(p, result.module) for p in result.drifted)))
            else:
                rows.append((name, "ok", f"{len(result.unchanged)} README{'s' if len(result.unchanged) != 1 else ''}"))
        print_summary(rows)
    failed = any(r.error is not None for r in results)
    drifted = any(r.drifted for r in results)
    return EXIT_FINDINGS if failed or (check and drifted) else EXIT_OK
