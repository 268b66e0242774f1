"""`avm new`: from options to a written module (or a dry-run listing)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.errors import EXIT_OK, FieldError, InvalidInputError


@dataclass
class NewOptions:
    module_class: str
    flags: dict[str, Any]
    data_file: Path | None
    sets: list[str]
    index: str | None
    output: Path | None
    defaults: bool
    force: bool
    dry_run: bool
    json_output: bool
    repo_wiring: bool = True
    schemas: Path | None = None  # a bicep-types-az checkout to read schemas from


def default_output(spec: Any) -> Path:
    if spec.language == "terraform":
        return Path.cwd() / spec.names.terraform_repo
    return Path.cwd() / spec.names.bicep_path


def run_new(options: NewOptions) -> int:
    from generator import answers, prompts
    from generator.catalog import Catalog
    from generator.index import load_index
    from generator.render import check_destination, render_module
    from generator.spec import SpecContext, build_spec, missing_keys

    if options.schemas is not None:
        from generator.azure_types import sources

        sources.use_checkout(options.schemas)
    raw = answers.gather(options.data_file, options.sets, options.flags)
    given = raw.get("module_class")
    if given not in (None, "", options.module_class):
        raise InvalidInputError.single(
            "module_class",
            f"{given!r} disagrees with the command `avm new {options.module_class}`; the command is the module class",
        )
    raw["module_class"] = options.module_class
    catalog = Catalog.load()
    interactive = prompts.interactive() and not options.json_output
    if interactive:
        raw = prompts.complete(raw, catalog, ask_optional=not options.defaults)
    missing = missing_keys(raw)
    if missing:
        flag = {
            "language": "--lang",
            "provider_namespace": "--provider",
            "resource_type": "--type",
            "module_name": "--name",
        }
        raise InvalidInputError(
            [FieldError(flag.get(k, k).lstrip("-"), f"is required (give {flag.get(k, k)})") for k in missing]
        )
    ctx = SpecContext(catalog=catalog, index=load_index(options.index))
    spec = build_spec(raw, ctx)
    output = (options.output or default_output(spec)).expanduser()
    check_destination(output.resolve(), options.force)  # before asking for a confirmation
    if interactive and not options.defaults and not prompts.confirm(spec, output):
        print("avm: nothing written", file=sys.stderr)
        return EXIT_OK

    wiring = plan_repo_wiring(spec, output.resolve(), ctx.warnings) if options.repo_wiring else None
    result = render_module(spec, output, force=options.force, dry_run=options.dry_run)
    if wiring is not None:
        from generator.repo import apply_wiring

        root, changes = wiring
        if not options.dry_run:
            apply_wiring(root, changes)
        result.repo_files = [f"{c.action} {c.path}" for c in changes]
    report(spec, result, ctx.warnings, options)
    return EXIT_OK


def plan_repo_wiring(spec: Any, output: Path, warnings: list[str]) -> tuple[Path, list[Any]] | None:
    """The registry files to add or edit when a Bicep module is created inside a bicep-registry-modules checkout.

    Planned before anything is written, so that a malformed registry file stops the run with nothing written.
    """
    if spec.language != "bicep":
        return None
    from generator.repo import find_registry_root, plan_wiring

    root = find_registry_root(output)
    if root is None:
        return None
    module_path = output.relative_to(root).as_posix()
    if not module_path.startswith(f"avm/{spec.class_segment}/") or module_path.count("/") < 3:
        warnings.append(
            f"output: {module_path} is not a {spec.module_class} module folder of the registry "
            f"(avm/{spec.class_segment}/...); registry wiring skipped"
        )
        return None
    if module_path != spec.names.bicep_path:
        warnings.append(f"output: the folder {module_path} differs from the module's name {spec.names.bicep_path}")
    published = [f"{module_path}/{c.folder}" for c in spec.children if c.published]
    return root, plan_wiring(root, module_path, spec.names.owners_team, published)


def report(spec: Any, result: Any, warnings: list[str], options: NewOptions) -> None:
    if options.json_output:
        print(
            json.dumps(
                {
                    "module_path": str(result.output),
                    "dry_run": options.dry_run,
                    "files": result.files,
                    "names": asdict(spec.names),
                    "warnings": warnings,
                    "notes": result.notes,
                    "registry_files": result.repo_files,
                },
                indent=2,
            )
        )
        return
    for warning in warnings:
        print(f"avm: warning: {warning}", file=sys.stderr)
    verb = "would write" if options.dry_run else "wrote"
    print(f"{verb} {len(result.files)} files to {result.output}")
    for name in result.files:
        print(f"  {name}")
    if result.repo_files:
        print(f"{'would update' if options.dry_run else 'updated'} the registry checkout:")
        for line in result.repo_files:
            print(f"  {line}")
    for note in result.notes:
        print(f"note: {note}")
