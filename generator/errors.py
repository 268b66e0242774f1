"""The one error hierarchy of the tool. The CLI catches `AvmError` in one place."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The one rule for exit codes (docs/index.md#exit-codes).
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, conflicts, drift: something to look at
EXIT_USAGE = 2  # anything the user gave: options, answers, named files (also one that does not exist)
EXIT_ENVIRONMENT = 3  # the machine: disk, permissions, network, missing git
EXIT_INTERNAL = 70  # a bug
EXIT_INTERRUPTED = 130  # Ctrl-C

# A named file that is not there (or not a file) is the user's to fix; any other failure to read it is the machine's.
NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EISDIR)


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class AvmError(Exception):
    """Base of every expected failure; carries the exit code the CLI returns."""

    exit_code = EXIT_USAGE

    def lines(self) -> list[str]:
        return [str(self)]


class InvalidInputError(AvmError):
    """One or more input fields are invalid or missing; every problem is reported at once."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInputError:
        return cls([FieldError(field, message)])


class OutputConflictError(AvmError):
    """The destination cannot be written without losing something."""


class EnvironmentProblemError(AvmError):
    """The machine is in the way: a full disk, a permission, an unreachable URL, no git."""

    exit_code = EXIT_ENVIRONMENT


def os_error_line(what: str, exc: OSError) -> str:
    """`what: strerror (path)` for an OSError; a file where a folder belongs reads `Not a directory`."""
    reason = exc.strerror
    if not reason:  # a command that failed (plumbum's error, an OSError): the last line it wrote
        lines = [line.strip() for line in str(getattr(exc, "stderr", None) or exc).splitlines() if line.strip()]
        reason = lines[-1] if lines else type(exc).__name__
    path = exc.filename
    if exc.errno == errno.EEXIST and path is not None and os.path.lexists(path) and not os.path.isdir(path):
        reason = os.strerror(errno.ENOTDIR)
    paths = [str(p) for p in (path, exc.filename2) if p is not None]
    return f"{what}: {reason}" + (f" ({' -> '.join(paths)})" if paths else "")


def unreadable(field: str, path: Path | str, exc: OSError) -> AvmError:
    """The error for a file the user named that cannot be read: missing is exit 2, the machine's fault exit 3."""
    if exc.errno in NOT_THERE:
        what = "is a folder, not a file" if exc.errno == errno.EISDIR else "does not exist"
        return InvalidInputError.single(field, f"{path} {what}")
    return EnvironmentProblemError(os_error_line(field, exc))


@contextmanager
def environment(field: str) -> Iterator[None]:
    """OSErrors inside the block are the machine's problem with `field`: exit 3, one line."""
    try:
        yield
    except OSError as exc:
        raise EnvironmentProblemError(os_error_line(field, exc)) from exc
