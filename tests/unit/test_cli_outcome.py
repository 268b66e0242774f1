"""How the CLI ends a command: an error that Ctrl-C left behind is the interrupt, not the machine's problem."""

from __future__ import annotations

import pytest

from generator import cli
from generator.errors import EXIT_INTERRUPTED, environment


def bad_descriptor_after_ctrl_c() -> None:
    """What shutil.rmtree can do when Ctrl-C cuts through it: close a descriptor twice in a `finally`."""
    with environment("path"):
        try:
            raise KeyboardInterrupt
        finally:
            raise OSError(9, "Bad file descriptor")


def test_an_error_raised_while_ctrl_c_unwinds_ends_as_the_interrupt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "app", lambda **_: bad_descriptor_after_ctrl_c())
    assert cli._outcome(["update"]) == EXIT_INTERRUPTED
    assert "Bad file descriptor" not in capsys.readouterr().err


def test_the_same_error_without_ctrl_c_is_the_machine_s_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bad_descriptor() -> None:
        with environment("path"):
            raise OSError(9, "Bad file descriptor")

    monkeypatch.setattr(cli, "app", lambda **_: bad_descriptor())
    assert cli._outcome(["update"]) == 3
    assert capsys.readouterr().err == "avm: error: path: Bad file descriptor\n"
