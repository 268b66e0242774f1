"""The machine in the way: a full disk, a permission, a file where a folder belongs, a closed or full stdout.

Each is one line on standard error naming what and where, exit code 3, no traceback, and no scratch file left.
Real failures where the machine allows them (a small tmpfs, /dev/full, chattr), simulations in-process besides.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import cli
from tests.support.cli import avm_command, run_avm, tree

KV = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults")
NEW = (*KV, "--defaults", "--index", "none")
SCRATCH = re.compile(r"^avm-\d+-|\.avm-\d+-|\.avm-tmp$")


def _env(cache: Path, tmp: Path) -> dict[str, str]:
    env = {**os.environ, "AVM_CACHE_DIR": str(cache), "NO_COLOR": "1", "TMPDIR": str(tmp)}
    env.pop("CI", None)
    return env


def _one_line(stderr: str, start: str) -> str:
    """The one error line (notes may come before it)."""
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("avm: note: ")]
    assert len(lines) == 1 and lines[0].startswith(start), stderr
    assert "Traceback" not in stderr
    return lines[0]


def _scratch(root: Path) -> list[str]:
    """Scratch files and folders of avm under `root`: staging folders, `avm-*` folders, `*.avm-tmp` files."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if SCRATCH.search(p.name))


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    return int(exited.value.code or 0), capsys.readouterr().err


# --- a file where a folder belongs -------------------------------------------------------------------------------


def test_vscode_that_is_a_file_is_exit_3_and_leaves_nothing(tmp_path: Path, avm_cache: Path) -> None:
    (tmp_path / ".vscode").write_text("not a folder")
    result = run_avm("ide", "vscode", cwd=tmp_path, cache=avm_cache)
    assert result.code == 3, result.stderr
    line = _one_line(result.stderr, "avm: error: tasks: Not a directory")
    assert str(tmp_path / ".vscode") in line
    assert _scratch(tmp_path) == []
    assert (tmp_path / ".vscode").read_text() == "not a folder"


def test_output_whose_parent_is_a_file_is_exit_3(tmp_path: Path, avm_cache: Path) -> None:
    (tmp_path / "afile").write_text("x")
    before = tree(tmp_path)
    result = run_avm(*NEW, "-o", "afile/kv", cwd=tmp_path, cache=avm_cache)
    assert result.code == 3, result.stderr
    _one_line(result.stderr, f"avm: error: output: Not a directory ({tmp_path / 'afile'})")
    assert tree(tmp_path) == before


# --- a full disk -------------------------------------------------------------------------------------------------


def test_disk_full_while_rendering_is_exit_3_without_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator import render

    def full(spec: object, destination: Path) -> None:
        destination.mkdir(parents=True)
        (destination / "main.bicep").write_text("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination / "main.bicep"))

    monkeypatch.setattr(render, "_copy", full)
    monkeypatch.chdir(tmp_path)
    code, err = _main(capsys, *NEW, "-o", str(tmp_path / "kv"))
    assert code == 3
    _one_line(err, "avm: error: output: No space left on device (")
    assert _scratch(tmp_path) == []
    assert not (tmp_path / "kv").exists()


@pytest.mark.parametrize("command", ["ide", "adopt"])
def test_disk_full_while_writing_a_file_leaves_no_avm_tmp(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`avm ide vscode` and `avm adopt` write through a scratch file: a failed write removes it."""
    if command == "adopt":
        _generated_module(tmp_path / "kv", capsys)
        (tmp_path / "kv" / ".copier-answers.yml").unlink()
    written = Path.write_text

    def half_then_full(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if self.name.endswith(".avm-tmp"):
            written(self, data[: len(data) // 2], encoding="utf-8")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return written(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", half_then_full)
    args = ("ide", "vscode", str(tmp_path)) if command == "ide" else ("adopt", str(tmp_path / "kv"))
    code, err = _main(capsys, *args)
    assert code == 3
    _one_line(err, "avm: error: ")
    assert "No space left on device" in err
    assert _scratch(tmp_path) == []
    assert not (tmp_path / ".vscode" / "tasks.json").exists()
    assert not (tmp_path / "kv" / ".copier-answers.yml").exists()


def _generated_module(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _main(capsys, *NEW, "-o", str(output))
    assert code == 0, err


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 48 KiB tmpfs (half a Key Vault module), when this machine lets the tests mount one (root in a container); else skipped."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here; the in-process simulations cover a full disk")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"x" * 4096)
        except OSError:
            pass


def test_a_real_full_disk_is_exit_3_for_new_and_ide(small_disk: Path, tmp_path: Path, avm_cache: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = _env(avm_cache, scratch)
    new = subprocess.run(
        [*avm_command(), *NEW, "-o", str(small_disk / "kv")], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert new.returncode == 3, new.stderr
    assert "No space left on device" in _one_line(new.stderr, "avm: error: output: ")
    assert sorted(p.name for p in small_disk.iterdir()) == []
    _fill(small_disk)
    ide = subprocess.run(
        [*avm_command(), "ide", "vscode", str(small_disk)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ide.returncode == 3, ide.stderr
    _one_line(ide.stderr, "avm: error: tasks: No space left on device")
    assert _scratch(small_disk) == [] and not (small_disk / ".vscode" / "tasks.json").exists()
    assert list(scratch.iterdir()) == []


# --- permissions -------------------------------------------------------------------------------------------------


def test_permission_denied_is_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = os.replace

    def denied(source: object, target: object) -> None:
        if str(source).endswith(".avm-tmp"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", denied)
    code, err = _main(capsys, "ide", "vscode", str(tmp_path))
    assert code == 3
    _one_line(err, f"avm: error: tasks: Permission denied ({tmp_path / '.vscode' / 'tasks.json'})")
    assert _scratch(tmp_path) == []


def test_a_read_only_folder_is_exit_3(tmp_path: Path, avm_cache: Path) -> None:
    """A folder no one may write: chmod for a user, the immutable attribute for root (who ignores modes)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(locked)]).returncode != 0:
            pytest.skip("root, and no immutable attribute here; test_permission_denied_is_exit_3 simulates it")
    else:
        locked.chmod(0o555)
    try:
        result = run_avm("ide", "vscode", str(locked), cwd=tmp_path, cache=avm_cache)
        output = run_avm(*NEW, "-o", str(locked / "kv"), cwd=tmp_path, cache=avm_cache)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(locked)], check=False)
        locked.chmod(0o755)
    assert result.code == 3, result.stderr
    _one_line(result.stderr, "avm: error: tasks: ")
    assert output.code == 3, output.stderr
    _one_line(output.stderr, "avm: error: output: ")
    assert list(locked.iterdir()) == []


# --- stdout ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("schema",), ("--version",), NEW], ids=["schema", "version", "new"])
def test_closed_stdout_is_exit_3_without_a_traceback(args: tuple[str, ...], tmp_path: Path, avm_cache: Path) -> None:
    """`avm ... | head -0`: the reader is gone before avm writes (EPIPE)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [*avm_command(), *args, *(("-o", "kv") if args == NEW else ())],
            cwd=tmp_path,
            env=_env(avm_cache, tmp_path),
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert done.returncode == 3, done.stderr
    _one_line(done.stderr, "avm: error: stdout: Broken pipe")
    assert _scratch(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [("schema",), ("--version",), NEW], ids=["schema", "version", "new"])
def test_full_stdout_is_exit_3_without_a_traceback(args: tuple[str, ...], tmp_path: Path, avm_cache: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*avm_command(), *args, *(("-o", "kv") if args == NEW else ())],
            cwd=tmp_path,
            env=_env(avm_cache, tmp_path),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 3, done.stderr
    _one_line(done.stderr, "avm: error: stdout: No space left on device")
    assert _scratch(tmp_path) == []
