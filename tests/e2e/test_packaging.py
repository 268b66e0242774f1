"""The wheel carries the templates and data the installed tool needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.support.cli import PROJECT_ROOT


def test_wheel_ships_templates_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(PROJECT_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(PROJECT_ROOT / "templates").as_posix()
        for p in (PROJECT_ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert {f"generator/_templates/{n}" for n in shipped} <= names
    assert {
        "generator/data/interfaces.yaml",
        "generator/data/catalog.yaml",
        "generator/data/common_types.yaml",
    } <= names

    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [
        line
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    for runtime in ("copier", "python-hcl2", "pyyaml", "questionary", "typer"):  # avm check reads HCL at run time
        assert any(line.split()[1].startswith(runtime) and "extra ==" not in line for line in requires), runtime

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    found = subprocess.run(
        [sys.executable, "-c", "from generator.paths import templates_dir; print(templates_dir())"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == unpacked / "generator" / "_templates"
