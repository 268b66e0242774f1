"""`avm check` over real modules: how many top-level modules have no error-level finding, and which rules fire.

    python bench/real_modules.py [--schemas DIR] PATH...

PATH: a bicep-registry-modules checkout's `avm` folder, Terraform module repositories, or folders of them.
`--schemas DIR`: a bicep-types-az checkout for the schema rules (as `avm check --schemas`); without it they
compare with the schemas in the user cache and the package's bundle only. The figures go into docs/rules.md
("Real modules").
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from generator.check import run_check
from generator.check.discover import discover
from generator.check.schemas import use


def main(argv: list[str]) -> int:
    schemas = None
    if argv[:1] == ["--schemas"]:
        schemas, argv = Path(argv[1]).resolve(), argv[2:]
        use(schemas)
    paths = [Path(a).resolve() for a in argv]
    tops = [m for m in discover(paths) if not m.is_child]
    result = run_check(paths, schemas=schemas)
    owners = sorted((m.root for m in tops), key=lambda p: len(p.parts), reverse=True)

    def top_of(path: str) -> Path:
        resolved = Path(path).resolve()
        return next(root for root in owners if resolved.is_relative_to(root))

    failing = {top_of(f.path) for f in result.findings if f.severity == "error"}
    for language in ("bicep", "terraform"):
        mine = [m.root for m in tops if m.language == language]
        if not mine:
            continue
        bad = [p for p in mine if p in failing]
        clean = 100 * (len(mine) - len(bad)) / len(mine)
        print(f"{language}: {len(mine)} top-level modules, {len(mine) - len(bad)} without errors ({clean:.1f} %)")
        counts = Counter(
            (f.rule, f.severity) for f in result.findings if any(Path(f.path).resolve().is_relative_to(m) for m in mine)
        )
        for (rule, severity), count in sorted(counts.items()):
            print(f"  {rule} ({severity}): {count}")
        for path in bad:
            print(f"  with errors: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
