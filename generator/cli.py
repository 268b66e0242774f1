"""The `avm` command line. Thin: parse options, build a spec, call one action, report.

Heavy imports (copier, questionary, jinja2) happen inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from generator import __version__, completion
from generator.errors import EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, AvmError

app = typer.Typer(
    name="avm",
    help="Create Azure Verified Modules (Bicep and Terraform).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
new_app = typer.Typer(help="Create a new module.", no_args_is_help=False, invoke_without_command=True)
catalog_app = typer.Typer(
    help="The resource-type catalog: show what avm knows about a resource type, refresh the API versions of "
    "every Azure resource type.",
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")
app.add_typer(catalog_app, name="catalog")
ide_app = typer.Typer(help="Editor integration.", no_args_is_help=True)
app.add_typer(ide_app, name="ide")
templates_app = typer.Typer(help="The template versions avm carries, for plain copier.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")
add_app = typer.Typer(
    help="Grow a module made by avm: a child type, an interface, a property, a used module. Your edits stay "
    "(three-way merge); exit 1 on conflicts.",
    no_args_is_help=True,
)
app.add_typer(add_app, name="add")
remove_app = typer.Typer(
    help="Take a part out of a module made by avm: only what the generator wrote for it and you did not edit goes.",
    no_args_is_help=True,
)
app.add_typer(remove_app, name="remove")


def _version(value: bool) -> None:
    if value:
        print(f"avm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Create Azure Verified Modules (Bicep and Terraform)."""


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Module language: bicep or terraform.", show_default=False, autocompletion=completion.languages
    ),
]
ProviderOption = Annotated[
    str | None,
    typer.Option(
        "--provider",
        help="Resource provider namespace, e.g. Microsoft.KeyVault.",
        show_default=False,
        autocompletion=completion.provider_namespaces,
    ),
]
TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        help="Top-level resource type, e.g. vaults.",
        show_default=False,
        autocompletion=completion.resource_types,
    ),
]
ChildOption = Annotated[
    list[str] | None,
    typer.Option(
        "--child",
        help="Child type path relative to the resource (secrets, blobServices/containers); repeatable. "
        "A nested path implies its parents; TYPE@API-VERSION pins the child's API version.",
        show_default=False,
        autocompletion=completion.child_types,
    ),
]
InterfacesOption = Annotated[
    str | None,
    typer.Option(
        "--interfaces",
        help="Comma-separated interfaces (lock, role-assignments, diagnostic-settings, private-endpoints, "
        "managed-identities, customer-managed-key, tags), or all, or none. Default: those the catalog "
        "lists for the type that its schema can carry at the module's scope.",
        show_default=False,
        autocompletion=completion.interfaces,
    ),
]


DisplayNameOption = Annotated[
    str | None, typer.Option("--display-name", help="Display name, e.g. 'Key Vault' or 'AZD - Monitoring'.")
]
DescriptionOption = Annotated[str | None, typer.Option("--description", help="One-line module description.")]
OwnerOption = Annotated[str | None, typer.Option("--owner", help="GitHub handle of the module owner.")]
IndexOption = Annotated[
    str | None,
    typer.Option("--index", help="Module index CSV (FILE or URL), or none. Default: the cached copy."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="The module's own folder. Default: avm/<res|ptn|utl>/<path> (Bicep) or the repository name "
        "(Terraform) in the current folder.",
    ),
]
DefaultsOption = Annotated[bool, typer.Option("--defaults", help="Accept defaults; ask only what has none.")]
DataFileOption = Annotated[
    Path | None, typer.Option("--data-file", help="YAML file with answers (same keys as --set).")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="An answer as KEY=VALUE; repeatable.", show_default=False),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Write into a non-empty output folder.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Write nothing; list what would be written.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object as the result.")]
NoRepoWiringOption = Annotated[
    bool,
    typer.Option(
        "--no-repo-wiring",
        help="Inside a bicep-registry-modules checkout, do not add the workflow, CODEOWNERS, issue-template "
        "and allow-list entries.",
    ),
]
SchemasOption = Annotated[
    Path | None,
    typer.Option(
        "--schemas",
        help="A local bicep-types-az checkout (or its generated/ folder) to read schemas from. Default: AVM_SCHEMAS.",
        show_default=False,
    ),
]
PropertiesOption = Annotated[
    str | None,
    typer.Option(
        "--properties",
        help="Which of the resource's own properties become parameters: all, required, none, or comma-separated "
        "names (the required ones and these). Default: all.",
        show_default=False,
    ),
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        help="The module's CATEGORY/NAME, e.g. azd/monitoring; a Terraform utility's NAME, e.g. regions.",
        show_default=False,
    ),
]


@new_app.callback()
def new(ctx: typer.Context) -> None:
    """Create a new module. Without a class on a terminal, asks which class to create."""
    if ctx.invoked_subcommand is not None:
        return
    from generator import prompts

    if not prompts.interactive():
        raise _usage("class: is required (avm new resource|pattern|utility)")
    command = {"resource": new_resource, "pattern": new_pattern, "utility": new_utility}[prompts.ask_class()]
    ctx.invoke(command)


def _run_new(module_class: str, flags: dict[str, Any], shared: dict[str, Any]) -> None:
    from generator.commands.new import NewOptions, run_new

    options = NewOptions(
        module_class=module_class,
        flags={k: v for k, v in flags.items() if v not in (None, [], False)},
        data_file=shared["data_file"],
        sets=list(shared["set_"] or []),
        index=shared["index"],
        output=shared["output"],
        defaults=shared["defaults"],
        force=shared["force"],
        dry_run=shared["dry_run"],
        json_output=shared["json_output"],
        repo_wiring=not shared["no_repo_wiring"],
        schemas=shared.get("schemas"),
    )
    raise typer.Exit(run_new(options))


@new_app.command("resource")
def new_resource(
    lang: LangOption = None,
    provider: ProviderOption = None,
    type_: TypeOption = None,
    child: ChildOption = None,
    publish_child: Annotated[
        list[str] | None,
        typer.Option(
            "--publish-child",
            help="A child type (path as for --child) published on its own: version.json, CHANGELOG.md, telemetry "
            "and the publish allow-list entry (Bicep only); repeatable.",
            show_default=False,
            autocompletion=completion.child_types,
        ),
    ] = None,
    interfaces: InterfacesOption = None,
    api_version: Annotated[
        str | None,
        typer.Option("--api-version", help="API version of the primary resource.", show_default=False),
    ] = None,
    properties: PropertiesOption = None,
    location: Annotated[
        str | None,
        typer.Option(
            "--location",
            help="The resource's location: true (regional, an input of the module), global, or false (none). "
            "Default: what the type's schema has.",
            show_default=False,
        ),
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            help="Where the module deploys: resourceGroup, subscription, managementGroup, tenant or extension; a "
            "Bicep module several, comma-separated, one module folder each (the multi-scope layout). Default: a Bicep "
            "module of a type writable at several of the first three gets each; any other the first the schema allows.",
            show_default=False,
        ),
    ] = None,
    display_name: DisplayNameOption = None,
    description: DescriptionOption = None,
    owner: OwnerOption = None,
    index: IndexOption = None,
    schemas: SchemasOption = None,
    output: OutputOption = None,
    defaults: DefaultsOption = False,
    data_file: DataFileOption = None,
    set_: SetOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
    no_repo_wiring: NoRepoWiringOption = False,
) -> None:
    """Create a resource module.

    Example: avm new resource --lang bicep --provider Microsoft.KeyVault --type vaults --child secrets --defaults
    """
    flags: dict[str, Any] = {
        "language": lang,
        "provider_namespace": provider,
        "resource_type": type_,
        "children": list(child or []),
        "published_children": list(publish_child or []),
        "interfaces": interfaces,
        "api_version": api_version,
        "properties": properties,
        "location": location,
        "scope": scope,
        "display_name": display_name,
        "description": description,
        "owner": owner,
    }
    _run_new("resource", flags, locals())


@new_app.command("pattern")
def new_pattern(
    lang: LangOption = None,
    name: NameOption = None,
    uses: Annotated[
        list[str] | None,
        typer.Option(
            "--uses",
            help="A published AVM resource module the pattern deploys, pinned: MODULE@VERSION "
            "(avm/res/key-vault/vault@0.13.0, or avm-res-keyvault-vault@0.10.0 for Terraform); repeatable.",
            show_default=False,
        ),
    ] = None,
    deploys: Annotated[bool, typer.Option("--deploys", hidden=True)] = False,
    display_name: DisplayNameOption = None,
    description: DescriptionOption = None,
    owner: OwnerOption = None,
    index: IndexOption = None,
    output: OutputOption = None,
    defaults: DefaultsOption = False,
    data_file: DataFileOption = None,
    set_: SetOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
    no_repo_wiring: NoRepoWiringOption = False,
) -> None:
    """Create a pattern module that composes published AVM modules.

    Example: avm new pattern --lang bicep --name azd/monitoring --uses avm/res/key-vault/vault@0.13.0 --defaults
    """
    flags = {
        "language": lang,
        "module_name": name,
        "uses": list(uses or []),
        "deploys": deploys,  # refused with a clear message: only utilities take it
        "display_name": display_name,
        "description": description,
        "owner": owner,
    }
    _run_new("pattern", flags, locals())


@new_app.command("utility")
def new_utility(
    lang: LangOption = None,
    name: NameOption = None,
    deploys: Annotated[
        bool,
        typer.Option(
            "--deploys", help="The utility deploys a deployment script (and so has telemetry and enableTelemetry)."
        ),
    ] = False,
    uses: Annotated[list[str] | None, typer.Option("--uses", hidden=True)] = None,
    display_name: DisplayNameOption = None,
    description: DescriptionOption = None,
    owner: OwnerOption = None,
    index: IndexOption = None,
    output: OutputOption = None,
    defaults: DefaultsOption = False,
    data_file: DataFileOption = None,
    set_: SetOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
    no_repo_wiring: NoRepoWiringOption = False,
) -> None:
    """Create a utility module (exported types and functions; resources only with --deploys).

    Example: avm new utility --lang bicep --name general/get-environment --defaults
    """
    flags = {
        "language": lang,
        "module_name": name,
        "deploys": deploys,
        "uses": list(uses or []),  # refused with a clear message: only patterns take it
        "display_name": display_name,
        "description": description,
        "owner": owner,
    }
    _run_new("utility", flags, locals())


@catalog_app.command("refresh")
def catalog_refresh(
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The AVM apiSpecsList.json: a FILE or an http(s) URL. Default: the official list, "
            "https://azure.github.io/Azure-Verified-Modules/governance/apiSpecsList.json.",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object as the result.")] = False,
) -> None:
    """Read the AVM API-versions list into the user cache. avm ships a copy of it, so every Azure type is known
    offline; a refresh brings the API versions published since."""
    from generator.commands.catalog import run_refresh

    raise typer.Exit(run_refresh(source, json_output))


@catalog_app.command("show")
def catalog_show(
    type_: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="A resource type or child type, e.g. Microsoft.KeyVault/vaults or Microsoft.KeyVault/vaults/secrets.",
            show_default=False,
        ),
    ],
    json_output: JsonOption = False,
    api_version: Annotated[
        str | None,
        typer.Option(
            "--api-version", help="The API version to show. Default: the one avm new uses.", show_default=False
        ),
    ] = None,
    schemas: SchemasOption = None,
) -> None:
    """What avm knows about a resource type: the catalog's facts (API version, location, tags, identity,
    interfaces, private endpoint group ids, roles, children) and its schema (scopes, fixed names, every property
    with its type and flags).

    Example: avm catalog show Microsoft.KeyVault/vaults
    """
    from generator.commands.catalog import run_show

    raise typer.Exit(run_show(type_, json_output, api_version, schemas))


@app.command("check")
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Module folders, registry checkouts or folders of Terraform repositories. Default: the current folder."
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text, json or sarif.", autocompletion=completion.check_formats)
    ] = "text",
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rule or spec IDs (comma-separated; repeatable).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these rule or spec IDs (comma-separated; repeatable).")
    ] = None,
    min_severity: Annotated[
        str,
        typer.Option(
            "--min-severity",
            help="Report only findings at least this severe: error, warning, info.",
            autocompletion=completion.severities,
        ),
    ] = "info",
    json_output: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="RULE", help="Tell what a rule (or spec ID) checks, how to fix it, with an example."
        ),
    ] = None,
    schemas: SchemasOption = None,
) -> None:
    """Check modules against the AVM specification. Exit 0 when clean, 1 with findings, 2 on usage errors,
    3 when the machine stops the run.

    Output lines read `path:line:col: severity: RULE-ID message`; `avm check --explain RULE-ID` explains a rule.
    """
    from generator.commands.check import run_check_command, run_explain_command

    if explain is not None:
        raise typer.Exit(run_explain_command(explain, json_output or output_format == "json"))
    output_format = "json" if json_output else output_format
    raise typer.Exit(run_check_command(list(paths or []), output_format, select, ignore, min_severity, schemas))


ModulePathArgument = Annotated[
    Path | None,
    typer.Argument(help="The module folder (holding .copier-answers.yml). Default: the current folder."),
]
AllOption = Annotated[
    Path | None,
    typer.Option(
        "--all",
        help="Every module made by avm under this folder (a registry checkout, a folder of Terraform repositories).",
        show_default=False,
    ),
]
AllowDirtyOption = Annotated[
    bool, typer.Option("--allow-dirty", help="Go ahead although the module has uncommitted changes.")
]
ConflictOption = Annotated[
    str,
    typer.Option(
        "--conflict",
        help="How conflicts are marked: inline (in the file) or rej (.rej files).",
        autocompletion=completion.conflict_styles,
    ),
]
DiffOption = Annotated[bool, typer.Option("--diff", help="Print the changes as a unified diff.")]


@app.command("update")
def update(
    path: ModulePathArgument = None,
    dry_run: DryRunOption = False,
    diff: DiffOption = False,
    conflict: ConflictOption = "inline",
    allow_dirty: AllowDirtyOption = False,
    all_root: AllOption = None,
    json_output: JsonOption = False,
) -> None:
    """Upgrade a module to the newest templates, keeping your edits (three-way merge). Exit 1 on conflicts."""
    from generator.commands.lifecycle import Job, run_lifecycle

    job = Job("update", dry_run=dry_run, conflict=conflict, allow_dirty=allow_dirty)
    raise typer.Exit(run_lifecycle(path, all_root, job, show_diff=diff, check=False, json_output=json_output))


@app.command("regenerate")
def regenerate(
    path: ModulePathArgument = None,
    dry_run: DryRunOption = False,
    allow_dirty: AllowDirtyOption = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Outside git: overwrite hand edits to generated files (else refused)."),
    ] = False,
    all_root: AllOption = None,
    json_output: JsonOption = False,
) -> None:
    """Render a module again from its answers at its own template version (undoes edits to generated files)."""
    from generator.commands.lifecycle import Job, run_lifecycle

    job = Job("regenerate", dry_run=dry_run, allow_dirty=allow_dirty, force=force)
    raise typer.Exit(run_lifecycle(path, all_root, job, show_diff=dry_run, check=False, json_output=json_output))


@app.command("diff")
def diff(
    path: ModulePathArgument = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when the module differs (for CI).")] = False,
    all_root: AllOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show how a module differs from what the newest templates render from its answers."""
    from generator.commands.lifecycle import Job, run_lifecycle

    raise typer.Exit(run_lifecycle(path, all_root, Job("diff"), show_diff=True, check=check, json_output=json_output))


@app.command("docs")
def docs(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Module folders (Bicep or Terraform). Default: the current folder.", show_default=False),
    ] = None,
    all_root: Annotated[
        Path | None,
        typer.Option(
            "--all",
            help="Every module under this folder (a registry checkout's avm/ tree, a folder of Terraform "
            "repositories).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when a README would change (for CI).")
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON array: each module's READMEs and their state.")
    ] = False,
) -> None:
    """Rewrite the generated parts of each module's README.md from the module's code (no external tool)."""
    from generator.commands.docs import run_docs

    raise typer.Exit(run_docs(list(paths or []), all_root, check=check, json_output=json_output))


def _change(action: str, kind: str, value: str, path: Path | None, **options: Any) -> None:
    from generator.answer_changes import Change
    from generator.commands.grow import run_change

    change = Change(action, kind, value, publish=options.pop("publish", False))
    raise typer.Exit(run_change(path, change, show_diff=options.pop("diff"), **options))


def _change_command(action: str, kind: str, argument_help: str, summary: str, completer: Any = None) -> None:
    """Register `avm <action> <kind> VALUE [PATH]` with the options every change takes."""

    def command(
        value: str,
        path: ModulePathArgument = None,
        dry_run: DryRunOption = False,
        diff: DiffOption = False,
        json_output: JsonOption = False,
        allow_dirty: AllowDirtyOption = False,
        conflict: ConflictOption = "inline",
        index: IndexOption = None,
    ) -> None:
        _change(
            action, kind, value, path, dry_run=dry_run, diff=diff, json_output=json_output,
            allow_dirty=allow_dirty, conflict=conflict, index=index,
        )  # fmt: skip

    command.__doc__ = summary
    # Set here, not written in the signature: annotations are text resolved in the module, where these are unknown.
    command.__annotations__["value"] = Annotated[
        str, typer.Argument(help=argument_help, autocompletion=completer, show_default=False, metavar=kind.upper())
    ]
    (add_app if action == "add" else remove_app).command(kind)(command)


@add_app.command("child")
def add_child(
    child_type: Annotated[
        str, typer.Argument(help="The child type, relative to the resource: secrets, blobServices/containers.")
    ],
    path: ModulePathArgument = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish the child as a module of its own (Bicep).")
    ] = False,
    dry_run: DryRunOption = False,
    diff: DiffOption = False,
    json_output: JsonOption = False,
    allow_dirty: AllowDirtyOption = False,
    conflict: ConflictOption = "inline",
    index: IndexOption = None,
) -> None:
    """Add a child resource type (and the parents it needs) to a resource module."""
    _change(
        "add", "child", child_type, path, dry_run=dry_run, diff=diff, json_output=json_output,
        allow_dirty=allow_dirty, conflict=conflict, index=index, publish=publish,
    )  # fmt: skip


_change_command(
    "add",
    "interface",
    "The interface: lock, role-assignments, ...",
    "Add a standard interface the resource type can carry to a resource module.",
    completion.interfaces,
)
_change_command(
    "add",
    "property",
    "The property, as the schema names it: sku, enableRbacAuthorization.",
    "Make one of the resource's own properties a parameter (variable) of a resource module.",
)
_change_command(
    "add",
    "uses",
    "A published resource module: MODULE@VERSION.",
    "Make a pattern module deploy one more published resource module.",
)
_change_command(
    "remove",
    "child",
    "The child type, relative to the resource (the child types below it go too).",
    "Remove a child resource type, and the child types below it, from a resource module.",
)
_change_command(
    "remove",
    "interface",
    "The interface to remove.",
    "Remove a standard interface from a resource module.",
    completion.interfaces,
)
_change_command(
    "remove",
    "property",
    "The property whose parameter (variable) goes.",
    "Stop offering one of the resource's own optional properties as a parameter (variable).",
)
_change_command(
    "remove",
    "uses",
    "A module the pattern deploys: MODULE or MODULE@VERSION.",
    "Make a pattern module stop deploying a resource module.",
)


@app.command("release")
def release(
    path: Annotated[
        Path | None, typer.Argument(help="The module folder, in a git repository. Default: the current folder.")
    ] = None,
    bump: Annotated[
        str | None,
        typer.Option(
            "--bump",
            help="major, minor or patch. Default: the smallest the change needs (below 1.0, breaking changes and "
            "features bump the minor version). Required for a first release (--bump minor makes 0.1.0).",
            show_default=False,
            metavar="major|minor|patch",
        ),
    ] = None,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change", help="A line for the CHANGELOG's changes; repeatable.", show_default=False, metavar="TEXT"
        ),
    ] = None,
    breaking: Annotated[
        list[str] | None,
        typer.Option(
            "--breaking",
            help="A breaking change avm cannot see, for the CHANGELOG; repeatable.",
            show_default=False,
            metavar="TEXT",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Accept a bump smaller than the change needs, or one to 1.0.")
    ] = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Compare a module with its last release (git tag or version.json commit), classify the change (breaking,
    feature, fix), bump the version by the AVM rules and write the CHANGELOG entry (and Bicep's version.json);
    prints the next tag.

    Example: avm release avm/res/key-vault/vault --change 'Added the sku parameter'
    """
    from generator.commands.release import ReleaseOptions, run_release

    options = ReleaseOptions(path, bump, list(change or []), list(breaking or []), dry_run, force, json_output)
    raise typer.Exit(run_release(options))


@app.command("adopt")
def adopt(
    path: Annotated[Path, typer.Argument(help="The hand-written module's folder.")],
    set_: SetOption = None,
    index: IndexOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing answers file.")] = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Infer the answers of a hand-written AVM module and write its .copier-answers.yml (notes say what was
    guessed); fill or correct answers with --set KEY=VALUE."""
    from generator.commands.adopt import run_adopt

    raise typer.Exit(run_adopt(path, list(set_ or []), index, force=force, dry_run=dry_run, json_output=json_output))


@ide_app.command("vscode")
def ide_vscode(
    path: Annotated[Path | None, typer.Argument(help="The workspace folder. Default: the current folder.")] = None,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Write or merge .vscode/tasks.json: tasks to create modules (with input pickers), check them with a
    problem matcher, regenerate, update and diff them, add a child or an interface. Your own tasks and inputs
    are kept."""
    import json

    from generator.ide import merged, read_tasks, workspace_child_types, write_tasks

    workspace = (path or Path.cwd()).resolve()
    if not workspace.is_dir():
        raise _usage(f"path: {workspace} is not a folder")
    target = workspace / ".vscode" / "tasks.json"
    existing, had_comments = read_tasks(target)
    document = merged(existing, workspace_child_types(workspace))
    changed = document != existing
    if changed and not dry_run:
        write_tasks(target, document)
    if json_output:
        print(json.dumps({"tasks_file": str(target), "changed": changed, "dry_run": dry_run, "document": document}))
    else:
        verb = ("would write" if dry_run else "wrote") if changed else "unchanged:"
        print(f"{verb} {target} ({len(document['tasks'])} tasks)")
        if had_comments and changed:
            print("note: the comments of the old tasks.json are not kept", file=sys.stderr)
    raise typer.Exit(0)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the answers file (.copier-answers.yml and --data-file), for editors."""
    import json

    from generator.schema import answers_schema

    print(json.dumps(answers_schema(), indent=2))


@templates_app.command("env")
def templates_env(
    lang: Annotated[
        str,
        typer.Option("--lang", help="bicep or terraform.", show_default=False, autocompletion=completion.languages),
    ],
    json_output: JsonOption = False,
) -> None:
    """Print the shell exports with which plain `copier update` and `copier recopy` find every template version
    offline: eval "$(avm templates env --lang bicep)"."""
    import shlex

    from generator.releases import LANGUAGE_TEMPLATES, plain_copier_environment

    if lang not in LANGUAGE_TEMPLATES:
        raise _usage(f"lang: {lang!r} is not bicep or terraform")
    environment = plain_copier_environment(lang)
    if json_output:
        import json

        print(json.dumps(environment, indent=2))
        return
    for name, value in environment.items():
        print(f"export {name}={shlex.quote(value)}")


def _usage(message: str) -> AvmError:
    return AvmError(message)


def _usage_line(exc: Exception, message: str) -> str:
    """Name the field of a command-line usage error where typer's own message does not."""
    import re

    unknown = re.match(r"No such command '([^']*)'", message)
    context = getattr(exc, "ctx", None)
    if unknown and context is not None and context.command_path.endswith(" new"):
        return f"class: {unknown.group(1)!r} is not a module class; expected resource, pattern or utility"
    if unknown:
        return f"command: {unknown.group(1)!r} is not an avm command; `avm --help` lists them"
    return message


def _report(lines: list[str]) -> None:
    for line in lines:
        try:
            print(f"avm: error: {line}", file=sys.stderr)
        except (OSError, ValueError):  # stderr is gone too: the exit code is all that is left
            return


def _stdout_healthy() -> bool:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return False
    return True


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's own flush at exit fails no more (no traceback)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's capture): nothing to silence
        pass


def _environment_failure(exc: OSError) -> int:
    """An OSError nobody turned into an AvmError: the machine's problem (disk, permissions, stdout), exit 3."""
    import errno

    from generator.errors import os_error_line

    what = "system"
    if exc.filename is None and (exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EIO) or not _stdout_healthy()):
        what = "stdout"  # print() failed: a closed pipe, a full disk
        _silence_stdout()
    _report([os_error_line(what, exc)])
    return EXIT_ENVIRONMENT


def _stdout_closed_at(code: int) -> int:
    """Stdout could not take what was printed (a closed pipe, a full disk): one line, exit 3, no traceback."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        if isinstance(exc, OSError):
            from generator.errors import os_error_line

            _report([os_error_line("stdout", exc)])
        return code if code not in (0, 1) else EXIT_ENVIRONMENT
    return code


def _stdout_pacified() -> bool:
    """Click answers a closed stdout (EPIPE) by wrapping the streams and exiting 1."""
    return type(sys.stdout).__name__.endswith("PacifyFlushWrapper")


def _outcome(argv: list[str] | None) -> int:
    """Run the command; every expected failure as one line per problem, and the exit code."""
    import errno

    from typer.exceptions import TyperException

    from generator.scratch import caused_by_interrupt, end_interrupted, reset

    reset()
    try:
        code = app(args=argv, prog_name="avm", standalone_mode=False)
        if code == EXIT_INTERRUPTED:  # typer answers Ctrl-C (KeyboardInterrupt) with exit code 130, silently
            code = end_interrupted()
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C where typer does not catch it, or at a prompt
        code = end_interrupted()
    except SystemExit:  # click exits 1 when stdout was closed (EPIPE)
        if not _stdout_pacified():
            raise
        _silence_stdout()
        _report([f"stdout: {os.strerror(errno.EPIPE)}"])
        code = EXIT_ENVIRONMENT
    except TyperException as exc:  # usage errors found while parsing options
        if type(exc).__name__ == "NoArgsIsHelpError":  # plain `avm`: show the help
            print(exc.format_message())
            return 0
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _report([_usage_line(exc, " ".join(message.split()))])
        code = getattr(exc, "exit_code", EXIT_USAGE) or EXIT_USAGE
    except Exception as exc:
        # Ctrl-C that the interrupted code wrapped in an error of its own, or that a `finally` it cut through
        # answered with one (shutil.rmtree closing a descriptor twice: `Bad file descriptor`)
        if caused_by_interrupt(exc):
            return end_interrupted()
        code = _failure(exc)
    return code or 0


def _failure(exc: Exception) -> int:
    """The exit code of an error the command ended with, reported in one line."""
    if isinstance(exc, AvmError):
        _report(exc.lines())
        return exc.exit_code
    if isinstance(exc, OSError):  # the machine's problem: a full disk, a permission, a file where a folder belongs
        return _environment_failure(exc)
    if os.environ.get("AVM_DEBUG"):  # a bug: one line, and the traceback only when asked for
        raise exc
    print(f"avm: internal error: {type(exc).__name__}: {exc} (set AVM_DEBUG=1 for details)", file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure ends as one line per problem and a documented exit code (0 ok,
    1 findings, 2 the user's input, 3 the machine, 70 a bug, 130 interrupted)."""
    code = _stdout_closed_at(_outcome(argv))
    from generator.scratch import finishing

    finishing(code)  # the run is over: a Ctrl-C now would only kill Python while it exits
    sys.exit(code)
