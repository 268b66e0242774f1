"""The usage examples of a Bicep module's README, read from its e2e tests (`tests/e2e/*/main.test.bicep`).

As `Set-ModuleReadMe.ps1` does: every `main.test.bicep` under the module, in path order, makes one example,
titled by the test's `metadata name` and described by its `metadata description`; the parameters come from
its `module testDeployment '../../../main.bicep'` and are shown as `example_params` says. A multi-scope
module (`rg-scope`, `sub-scope`, `mg-scope` folders) points to its scope folders instead; each scope folder
shows the parent's tests whose folder names it (`rg-scope.defaults`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from generator.bicep.examples import ExampleSource, Usage, collation_key, examples
from generator.check import bicep_reader
from generator.docs import bicep_values, example_params
from generator.errors import InvalidInputError

TEST_FILE = "main.test.bicep"
SCOPE_FOLDER_RE = re.compile(r"(rg|sub|mg)-scope")
DEPLOYMENT_RE = re.compile(r"^module testDeployment '..\/.*main.bicep' = ", re.M)


def usage_from_tests(module_root: Path, registry_ref: str, symbol: str) -> Usage | None:
    """The module's usage examples; None when it has no tests."""
    scoped = sorted(
        (p.name for p in module_root.iterdir() if p.is_dir() and p.name.endswith("-scope")), key=collation_key
    )
    if any(SCOPE_FOLDER_RE.fullmatch(name) for name in scoped):
        return Usage(registry_ref, (), tuple(scoped)) if test_files(module_root) else None
    if SCOPE_FOLDER_RE.fullmatch(module_root.name):
        scope = module_root.name
        pattern = re.compile(rf"/{scope}.*/{TEST_FILE}$")
        files = [
            p
            for p in test_files(module_root.parent)
            if pattern.search("/" + p.relative_to(module_root.parent).as_posix())
        ]
    else:
        files = test_files(module_root)
    if not files:
        return None
    required = required_params(module_root / "main.bicep")
    return Usage(
        registry_ref, examples([read_test_or_fail(p, module_root) for p in files], symbol, registry_ref, required)
    )


def read_test_or_fail(path: Path, module_root: Path) -> ExampleSource:
    try:
        return read_test(path)
    except bicep_values.BicepSyntaxError as error:
        field = path.relative_to(module_root.parent if SCOPE_FOLDER_RE.fullmatch(module_root.name) else module_root)
        raise InvalidInputError.single(
            field.as_posix(), f"cannot read the test deployment's params: {error}"
        ) from error


def test_files(root: Path) -> list[Path]:
    return sorted(root.rglob(TEST_FILE), key=lambda p: collation_key(p.relative_to(root).as_posix()))


def required_params(main: Path) -> list[str]:
    """The module's parameters with no default that are not nullable, in collation order."""
    if not main.is_file():
        return []
    parsed = bicep_reader.parse(read_text(main))
    nullable_types = {t.name for t in parsed.of("type") if t.type.endswith("?")}
    names = [
        p.name
        for p in parsed.of("param")
        if p.value is None and not p.nullable and p.type.removesuffix("[]") not in nullable_types
    ]
    return sorted(names, key=collation_key)


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def read_test(path: Path) -> ExampleSource:
    source = read_text(path)
    parsed = bicep_reader.parse(source)
    folder = path.parent.name
    title = parsed.metadata("name")
    if title is None:
        title = title_case(folder if folder != ".test" else path.stem.replace(".", " ").replace(" parameters", ""))
    skip = path.parent / ".e2eignore"
    test = ExampleSource(
        title=title,
        description=parsed.metadata("description") or "",
        folder=folder,
        params={},
        skip_reason=read_text(skip).strip() if skip.is_file() else "",
    )
    if not DEPLOYMENT_RE.search(source):
        return replace(test, source=source.removesuffix("\n"))  # the file's lines, as `Get-Content` reads them
    params = deployment_params(parsed)
    if params is None:
        return test
    return replace(test, params=example_params.shown_params(params, example_params.service_short(source)))


def title_case(text: str) -> str:
    """.NET's `TextInfo.ToTitleCase`: each word capitalised, words in capitals kept."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0) if m.group(0).isupper() else m.group(0).capitalize(), text)


def deployment_params(parsed: bicep_reader.BicepFile) -> str | None:
    """The text of the test deployment's `params` object; None when it passes none."""
    statement = parsed.get("module", "testDeployment")
    value = bicep_reader.split_assignment(statement.text)[1] if statement is not None else None
    if value is None:
        return None
    body = bicep_values.read(bicep_values.unconditioned(value))
    if body.kind == bicep_values.LOOP:
        body = bicep_values.read(bicep_values.unconditioned(bicep_values.loop_body(body)))
    params = body.get("params") if body.kind == bicep_values.OBJECT else None
    return params.text if params is not None else None
