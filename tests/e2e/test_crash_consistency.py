"""Crash consistency: `avm new` and `avm update` killed with SIGKILL at random moments.

After any kill the module folder is in one of the states a user can reason about: for `avm new`, absent (or
the empty folder it was) or complete; for `avm update`, exactly as before the update or exactly as after it.
Stray temporary folders beside the module (`.OUT.avm-*`) may be left behind by a SIGKILL; they are counted,
and never mistaken for the module.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from generator import __version__
from generator.releases import snapshot
from tests.support.cli import THOROUGH, run_avm, tree
from tests.support.versions import CHANGELOG_EDIT, later_version

# AVM_THOROUGH=1 runs twice as many kills and interrupts as the everyday run.
NEW_TRIALS = 24 if THOROUGH else 12
UPDATE_TRIALS = 22 if THOROUGH else 11
NEW_ARGS = (
    "new",
    "resource",
    "--lang",
    "bicep",
    "--provider",
    "Microsoft.Storage",
    "--type",
    "storageAccounts",
    "--child",
    "blobServices/containers",
    "--child",
    "fileServices/shares",
    "--interfaces",
    "all",
    "--index",
    "none",
    "--defaults",
)
LATER = "99.0.0"


def _env(cache: Path, releases: Path | None = None) -> dict[str, str]:
    """The environment of a run; its temp folder is the test's (`tmp` beside the cache): killed runs cannot
    clean up their scratch folders, which must not pile up in the system temp folder."""
    temp = cache.parent / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AVM_CACHE_DIR": str(cache), "NO_COLOR": "1", "TMPDIR": str(temp)}
    env.pop("CI", None)
    if releases is not None:
        env["AVM_RELEASES_DIR"] = str(releases)
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run to completion; the wall time it took."""
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def _delay(rng: random.Random, trial: int, duration: float) -> float:
    """A random moment within the normal run: every other trial in its last 40%, where the files are written."""
    return rng.uniform(0, duration) if trial % 2 == 0 else rng.uniform(0.6 * duration, duration)


def _kill_after(args: list[str], cwd: Path, env: dict[str, str], delay: float) -> int | None:
    """Start the CLI, SIGKILL it after `delay` seconds; its exit code if it finished first, else None."""
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    finished = process.poll()
    if finished is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return finished


def git(*args: str, cwd: Path) -> None:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True)


def files(module: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(module).items() if not k.startswith(".git/")}


def test_new_killed_at_any_moment_leaves_no_module_or_a_complete_one(tmp_path: Path) -> None:
    env = _env(tmp_path / "cache")
    reference = tmp_path / "reference"
    duration = _run(_command(*NEW_ARGS, "-o", str(reference)), tmp_path, env)
    expected = tree(reference)
    assert len(expected) > 10
    outcomes: Counter[str] = Counter()
    strays = 0
    for trial in range(NEW_TRIALS):
        rng = random.Random(trial)
        work = tmp_path / f"trial{trial}"
        work.mkdir()
        out = work / "OUT"
        if rng.random() < 0.25:
            out.mkdir()  # an empty output folder is allowed too, and must stay empty or become the module
        finished = _kill_after(_command(*NEW_ARGS, "-o", str(out)), work, env, _delay(rng, trial, duration))
        found = tree(out)
        if not found:
            outcomes["absent" if not out.exists() else "empty"] += 1
        else:
            assert found == expected, (
                f"trial {trial}: half a module in OUT: missing {sorted(expected.keys() - found.keys())}, "
                f"different {sorted(k for k in found.keys() & expected.keys() if found[k] != expected[k])}"
            )
            outcomes["complete" if finished is None else "finished"] += 1
        for stray in work.glob(".OUT.avm-*"):
            strays += 1
            assert stray.is_dir()
        assert sorted(p.name for p in work.iterdir() if not p.name.startswith(".OUT.avm-")) == (
            ["OUT"] if out.exists() else []
        )
    print(f"\navm new: {NEW_TRIALS} kills within {duration:.2f} s: {dict(outcomes)}; {strays} stray .OUT.avm-* left")


def _make_later_version(releases: Path) -> None:
    """A later release whose Bicep template changes every module file (main.bicep of the module and of each
    child), the CHANGELOG entry, and adds SUPPORT.md: an update writes many files, so a half-applied one shows."""
    edits = {
        **CHANGELOG_EDIT,
        "bicep/_partials/module.bicep.jinja": (b"", b"\n// Rendered by the later template version.\n"),
    }
    later_version(releases, LATER, edits)


def _update_setup(tmp_path: Path) -> tuple[dict[str, str], Path, dict[str, bytes], dict[str, bytes], float]:
    """A committed module (`seed`) a later template version changes: the environment, the seed, its files before
    and after `avm update`, and how long an update takes once the template repositories are built."""
    releases = tmp_path / "releases"
    releases.mkdir()
    snapshot(releases, __version__)
    _make_later_version(releases)
    env = _env(tmp_path / "cache", releases)

    seed = tmp_path / "seed" / "OUT"
    _run(_command(*NEW_ARGS, "-o", str(seed)), tmp_path, env)
    git("init", "-q", "-b", "main", cwd=seed)
    git("add", "-A", cwd=seed)
    git("commit", "-q", "-m", "generated", cwd=seed)
    before = files(seed)

    reference = tmp_path / "reference" / "OUT"
    shutil.copytree(seed.parent, reference.parent, symlinks=True)
    _run(_command("update", str(reference)), reference.parent, env)  # also builds the template repositories
    duration = min(  # the normal duration, once the template repositories are built
        _run(_command("update", str(shutil.copytree(seed, tmp_path / f"timed{i}" / "OUT"))), tmp_path, env)
        for i in range(2)
    )
    return env, seed, before, files(reference), duration


def test_update_killed_at_any_moment_leaves_the_module_before_or_after(tmp_path: Path) -> None:
    env, seed, before, after, duration = _update_setup(tmp_path)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert len(changed) >= 5 and "SUPPORT.md" in changed, changed

    outcomes: Counter[str] = Counter()
    strays = 0
    for trial in range(UPDATE_TRIALS):
        rng = random.Random(1000 + trial)
        work = tmp_path / f"trial{trial}"
        module = work / "OUT"
        shutil.copytree(seed, module, symlinks=True)
        finished = _kill_after(_command("update", str(module)), work, env, _delay(rng, trial, duration))
        found = files(module)
        if found == before:
            outcomes["before"] += 1
        elif found == after:
            outcomes["after" if finished is None else "finished"] += 1
        else:
            new = sorted(k for k in changed if found.get(k) == after.get(k))
            old = sorted(k for k in changed if found.get(k) == before.get(k))
            every = found.keys() | before.keys() | after.keys()
            other = sorted(k for k in every if found.get(k) not in (before.get(k), after.get(k)))
            pytest.fail(f"trial {trial}: a mix after SIGKILL: new {new}, old {old}, neither {other}")
        strays += sum(1 for p in work.iterdir() if p.name != "OUT")
    print(f"\navm update: {UPDATE_TRIALS} kills within {duration:.2f} s: {dict(outcomes)}; {strays} stray folders left")


def test_staging_folders_of_killed_runs_are_removed_by_the_next_run(tmp_path: Path, avm_cache: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()  # a pid that no longer runs, as after a SIGKILL
    abandoned = tmp_path / f".OUT.avm-{finished.pid}-x1"
    (abandoned / "module").mkdir(parents=True)
    live = tmp_path / f".OUT.avm-{os.getpid()}-x2"  # a run still going on (this one) is left alone
    live.mkdir()
    result = run_avm(*NEW_ARGS, "-o", str(tmp_path / "OUT"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert not abandoned.exists() and live.is_dir()


# --- Ctrl-C ------------------------------------------------------------------------------------------------------

INTERRUPTED = re.compile(r"^avm: interrupted(; nothing written| after writing .+; nothing else written)$")
MOMENTS = (  # fractions of a normal run
    (0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.97) if THOROUGH else (0.0, 0.1, 0.25, 0.4, 0.7, 0.95)
)
STARTED = 0.15  # seconds: Python's own start, before any code of avm runs, is out of avm's reach


def _interrupt_after(args: list[str], cwd: Path, env: dict[str, str], delay: float) -> tuple[int, str, str]:
    """Start the CLI, send SIGINT (Ctrl-C) after `delay` seconds; exit code, stdout and stderr."""
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(max(delay, STARTED))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def _assert_interrupted_cleanly(code: int, err: str, temp: Path, beside: Path) -> bool:
    """Exit 130 with the one line (or 0 when the run finished first), no traceback, no scratch anywhere."""
    assert "Traceback" not in err, err
    assert sorted(p.name for p in temp.iterdir()) == [], "scratch left in the temp folder"
    assert sorted(p.name for p in beside.iterdir() if ".avm-" in p.name or p.name.endswith(".avm-tmp")) == []
    if code == 0:
        return False
    assert code == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and INTERRUPTED.match(lines[0]), err
    return True


def test_new_interrupted_at_any_moment_ends_with_one_line_and_no_scratch(tmp_path: Path) -> None:
    env = _env(tmp_path / "cache")
    temp = Path(env["TMPDIR"])
    reference = tmp_path / "reference"
    duration = _run(_command(*NEW_ARGS, "-o", str(reference)), tmp_path, env)
    expected = tree(reference)
    interrupted = 0
    for trial, moment in enumerate(MOMENTS):
        work = tmp_path / f"trial{trial}"
        work.mkdir()
        out = work / "OUT"
        code, _, err = _interrupt_after(_command(*NEW_ARGS, "-o", str(out)), work, env, moment * duration)
        interrupted += _assert_interrupted_cleanly(code, err, temp, work)
        found = tree(out)
        assert found in ({}, expected), f"trial {trial}: half a module"
        assert ("nothing written" in err) == (code == 130 and not found), err
    assert interrupted >= len(MOMENTS) // 2


def test_update_interrupted_at_any_moment_leaves_the_module_before_or_after(tmp_path: Path) -> None:
    env, seed, before, after, duration = _update_setup(tmp_path)
    temp = Path(env["TMPDIR"])
    interrupted = 0
    for trial, moment in enumerate(MOMENTS):
        work = tmp_path / f"trial{trial}"
        module = work / "OUT"
        shutil.copytree(seed, module, symlinks=True)
        code, _, err = _interrupt_after(_command("update", str(module)), work, env, moment * duration)
        interrupted += _assert_interrupted_cleanly(code, err, temp, work)
        found = files(module)
        assert found in (before, after), f"trial {trial}: a mix after Ctrl-C"
        assert ("nothing written" in err) == (code == 130 and found == before), err
    assert interrupted >= len(MOMENTS) // 2


def test_ctrl_c_at_a_prompt_ends_like_any_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """questionary answers Ctrl-C at a prompt with None: that is an interrupt too (exit 130), not an error."""
    import questionary

    from generator import cli, prompts

    class Cancelled:
        def ask(self) -> None:
            return None

    monkeypatch.setattr(prompts, "interactive", lambda: True)
    monkeypatch.setattr(questionary, "select", lambda *args, **kwargs: Cancelled())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(["new"])
    assert exited.value.code == 130
    assert capsys.readouterr().err.strip() == "avm: interrupted; nothing written"


# --- two runs into one folder ------------------------------------------------------------------------------------

VAULT_ARGS = (*NEW_ARGS[:4], "--provider", "Microsoft.KeyVault", "--type", "vaults", "--index", "none", "--defaults")


def test_two_runs_into_the_same_new_folder_one_wins_the_other_writes_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path / "cache")
    expected = {}
    for name, args in (("storage", NEW_ARGS), ("vault", VAULT_ARGS)):
        _run(_command(*args, "-o", str(tmp_path / "reference" / name)), tmp_path, env)
        expected[name] = tree(tmp_path / "reference" / name)
    for trial in range(3):
        out = tmp_path / f"trial{trial}" / "OUT"
        runs = {
            name: subprocess.Popen(
                _command(*args, "-o", str(out)), cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
            )
            for name, args in (("storage", NEW_ARGS), ("vault", VAULT_ARGS))
        }
        results = {name: (p.wait(timeout=120), p.stderr.read() if p.stderr else "") for name, p in runs.items()}
        codes = sorted(code for code, _ in results.values())
        assert codes == [0, 2], results
        winner = next(name for name, (code, _) in results.items() if code == 0)
        loser_err = next(err for code, err in results.values() if code == 2)
        assert len(loser_err.strip().splitlines()) == 1 and loser_err.startswith("avm: error: output: "), loser_err
        assert tree(out) == expected[winner], f"trial {trial}: a mixed module"
        assert [p.name for p in out.parent.iterdir()] == ["OUT"]


def test_a_folder_filled_between_render_and_move_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deterministic: the output folder (empty when checked) gets a file while the module renders."""
    from generator import cli, render

    out = tmp_path / "OUT"
    out.mkdir()
    listing = render._listing

    def meanwhile(root: Path) -> list[str]:
        (out / "theirs.txt").write_text("another run")
        return listing(root)

    monkeypatch.setattr(render, "_listing", meanwhile)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main([*NEW_ARGS, "-o", str(out)])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"avm: error: output: {out} was filled meanwhile") and "\n" not in err
    assert tree(out) == {"theirs.txt": b"another run"}
    assert [p.name for p in tmp_path.iterdir() if ".avm-" in p.name and p.name != ".avm-cache"] == []


# --- scratch of killed runs --------------------------------------------------------------------------------------


def test_scratch_folders_of_killed_runs_in_the_temp_folder_are_removed_by_the_next_run(tmp_path: Path) -> None:
    env = _env(tmp_path / "cache")
    temp = Path(env["TMPDIR"])
    module = tmp_path / "OUT"
    _run(_command(*NEW_ARGS, "-o", str(module)), tmp_path, env)
    finished = subprocess.Popen(["true"])
    finished.wait()  # a pid that no longer runs, as after a SIGKILL
    abandoned = temp / f"avm-{finished.pid}-abc"
    (abandoned / "module").mkdir(parents=True)
    live = temp / f"avm-{os.getpid()}-def"  # a run still going on (this one) is left alone
    live.mkdir()
    other = temp / "avm-cache-of-someone"  # not ours: no pid
    other.mkdir()
    _run(_command("diff", str(module)), tmp_path, env)
    assert sorted(p.name for p in temp.iterdir()) == sorted([live.name, other.name])
