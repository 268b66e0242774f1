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

    raw = answers.gather(options.data_file, options.sets, options.flags)
    raw.setdefault("module_class", options.module_class)
    catalog = Catalog.load()
    interactive = prompts.interactive() and not options.json_output
    if interactive:
        raw = prompts.complete(raw, catalog, ask_optional=not options.defaults)
    missing = missing_keys(raw)
    if missing:
        flag = {"language": "--lang", "provider_namespace": "--provider", "resource_type": "--type"}
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

    result = render_module(spec, output, force=options.force, dry_run=options.dry_run)
    report(spec, result, ctx.warnings, options)
    return EXIT_OK


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
    for note in result.notes:
        print(f"note: {note}")
