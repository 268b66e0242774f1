"""Scratch files and folders of one run, and how a run ends when it is interrupted.

Every scratch name carries the process id: `avm-<pid>-...` in the system temp folder, `.<name>.avm-<pid>-...`
beside an output, `.<name>.<pid>.avm-tmp` beside a file being replaced. A run removes its own in `finally`;
when Ctrl-C cuts through a `finally`, `sweep()` removes what is left; a killed run's are removed by a later
run once its process is gone. `wrote()` records what a run has changed for good, so that an interrupted run
can say so.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from generator.errors import EXIT_INTERRUPTED

PREFIX = "avm-"
TEMP_SUFFIX = ".avm-tmp"

_swept: list[tuple[Path, str]] = []  # (folder, glob) of this run's scratch
_written: list[str] = []


def prefix(kind: str = "") -> str:
    """The name prefix of a scratch folder of this run in the system temp folder."""
    return f"{PREFIX}{os.getpid()}-{kind}"


def temp_folder(kind: str = "") -> tempfile.TemporaryDirectory[str]:
    """A scratch folder of this run in the system temp folder (`avm-<pid>-<kind>...`), removed on exit."""
    root = Path(tempfile.gettempdir())
    remove_abandoned(root, PREFIX)
    watch(root, f"{prefix()}*")
    return tempfile.TemporaryDirectory(prefix=prefix(kind))


@contextmanager
def temp_root(folder: Path) -> Iterator[None]:
    """Temporary files of the libraries we call (copier's clones of a template) go into `folder`, one of our
    own scratch folders: removed with it, even when Ctrl-C stops a library before it cleans up."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved


def watch(folder: Path, pattern: str) -> None:
    """Scratch of this run matching `pattern` in `folder`: `sweep()` removes it if a `finally` did not."""
    if (folder, pattern) not in _swept:
        _swept.append((folder, pattern))


def sweep() -> None:
    """Remove every scratch file and folder of this run that is still there."""
    for folder, pattern in _swept:
        for path in folder.glob(pattern):
            _remove(path)
    _swept.clear()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError):  # another user's process, or no way to ask (Windows)
        return True
    return True


def remove_abandoned(folder: Path, name_prefix: str) -> None:
    """Scratch of runs that were killed before they could clean up: `<name_prefix><pid>-...` of dead pids."""
    try:
        candidates = list(folder.glob(f"{name_prefix}*-*"))
    except OSError:
        return
    for path in candidates:
        pid = path.name[len(name_prefix) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            _remove(path)


def temp_file(target: Path) -> Path:
    """The scratch file beside `target` that becomes `target` in one rename."""
    return target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")


@contextmanager
def replacing(target: Path, *, record: bool = True) -> Iterator[Path]:
    """A scratch file to write; it replaces `target` when the block ends without an error (recorded as written
    unless `record` is false), and is removed whatever happens."""
    temporary = temp_file(target)
    watch(temporary.parent, temporary.name)
    try:
        yield temporary
        with deferred_interrupts():
            os.replace(temporary, target)
            if record:
                wrote(str(target))
    finally:
        temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    """Replace `target` with `text` in one step: readers see the old file or the new one, never half."""
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


def wrote(what: str) -> None:
    """`what` is changed for good: an interrupted run says so instead of `nothing written`."""
    _written.append(what)


def reset() -> None:
    """A new run in the same process (tests) starts with nothing recorded."""
    _swept.clear()
    _written.clear()


def written() -> list[str]:
    return list(_written)


def interrupted_line() -> str:
    if not _written:
        return "avm: interrupted; nothing written"
    shown = ", ".join(_written[:3]) + (f" and {len(_written) - 3} more" if len(_written) > 3 else "")
    return f"avm: interrupted after writing {shown}; nothing else written"


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C waits until the block is done: a step and the record of it happen together or not at all."""
    blockable = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if blockable:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if blockable:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def ignored_interrupts() -> Iterator[None]:
    """While an interrupted run cleans up and reports, a second Ctrl-C does not cut it short."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        yield
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def end_interrupted() -> int:
    """Clean up after Ctrl-C and say what was written; the exit code."""
    with ignored_interrupts():
        sweep()
        with suppress(OSError, ValueError):
            print(interrupted_line(), file=sys.stderr)
    return EXIT_INTERRUPTED


def finishing(code: int) -> None:
    """The avm command is done: Ctrl-C from now on is ignored (Python's own exit would die of it, exit -2).
    After an interrupt the process ends here: CPython remembers a KeyboardInterrupt that escaped an `exec` of a
    string (dataclasses, typing) and would end with SIGINT (exit -2) although avm handled it."""
    if not _running_avm() or threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED:
        with suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def caused_by_interrupt(exc: BaseException | None) -> bool:
    """Ctrl-C, possibly wrapped by the code it interrupted (Python wraps errors in `__set_name__`)."""
    for _ in range(20):
        if exc is None:
            return False
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def interrupted_hook() -> None:
    """Called for a Ctrl-C nobody caught: when the process is the avm command, end it as `cli.main` would."""
    if _running_avm():
        os._exit(end_interrupted())


def _running_avm() -> bool:
    """The process is the `avm` command (its script, or `python -m generator`), not a program importing us."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name in ("generator.__main__", "generator"):
        return True
    return Path(getattr(main, "__file__", "") or "").stem in ("avm", "avm-script")
