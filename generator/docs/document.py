"""One README a module owns, as `avm docs` would write it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    path: Path  # the README.md file
    text: str  # its whole new content: the generated parts from the code, everything else kept byte for byte

    def drifted(self) -> bool:
        """Whether the file on disk differs from `text` (an absent file differs)."""
        try:
            return self.path.read_bytes() != self.text.encode()
        except FileNotFoundError:
            return True
