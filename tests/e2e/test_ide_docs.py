"""docs/ide.md says what the command line does on a terminal: plain help, and which option values complete."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.test_wizard import drive
from tests.support.cli import PROJECT_ROOT

IDE_DOC = PROJECT_ROOT / "docs" / "ide.md"


def _section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_help_on_a_terminal_is_plain_as_documented(
    tmp_path: Path, avm_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, screen = drive(["new", "resource", "--help"], [], tmp_path, avm_cache)
    assert code == 0, screen
    assert "--provider" in screen and "\x1b[" not in screen
    colour = _section(IDE_DOC.read_text(encoding="utf-8"), "Colour and progress")
    assert "is coloured" not in colour and "`--help` included" in colour


def _options_with_value_completion() -> set[str]:
    import typer.main

    from generator.cli import app

    found: set[str] = set()
    pending = [typer.main.get_command(app)]
    while pending:
        command = pending.pop()
        completing = [p for p in command.params if getattr(p, "_custom_shell_complete", None)]
        found |= {p.opts[0] if p.opts[0].startswith("-") else p.metavar for p in completing}
        pending += list(getattr(command, "commands", {}).values())
    return found


def test_every_option_whose_values_complete_is_documented() -> None:
    completion = _section(IDE_DOC.read_text(encoding="utf-8"), "Shell completion")
    options = _options_with_value_completion()
    assert {"--lang", "--provider", "--type", "--child", "--interfaces", "--conflict"} <= options
    assert [o for o in sorted(options) if f"`{o}`" not in completion] == []
