"""The one error hierarchy of the tool. The CLI catches `AvmError` in one place."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 70


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
    """Something outside the user's input is wrong (a missing file, an unreachable URL)."""

    exit_code = EXIT_ENVIRONMENT
