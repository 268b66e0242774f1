"""`avm docs` fidelity for Bicep usage examples: the "## Usage examples" section written from each top-level
resource module's tests against the section its committed README holds.

    python bench/docs_examples_fidelity.py [--show N] AVM_FOLDER

AVM_FOLDER: a bicep-registry-modules checkout's `avm` folder. Prints the share of modules whose section is
identical and a tally of the kinds of differences (the first differing line of each module, classified);
`--show N` prints the first N differing modules with their first differing lines.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from generator.bicep.examples import symbol_of
from generator.docs.bicep_examples import usage_from_tests

HEADING = "## Usage examples"


def committed_section(readme: Path) -> str | None:
    lines = readme.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    if HEADING not in lines:
        return None
    start = lines.index(HEADING)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])


def written_section(module: Path, avm: Path) -> str | None:
    name = module.relative_to(avm).as_posix()
    usage = usage_from_tests(module, f"br/public:avm/{name}:<version>", symbol_of(name.split("/")[2]))
    return f"{usage.markdown}\n" if usage is not None else None


def difference_kind(expected: str, actual: str) -> tuple[str, int, str, str]:
    """What the first differing line is about, its number and the two lines."""
    old, new = expected.split("\n"), actual.split("\n")
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    a = old[index] if index < len(old) else "<end>"
    b = new[index] if index < len(new) else "<end>"
    if "<end>" in (a, b):
        kind = "length"
    elif ".e2eignore" in a + b:
        kind = "skipped-test note"
    elif "// " in a + b and "parameters" in a + b:
        kind = "required/non-required comment"
    elif a.strip().startswith(("### Example", "- [")) or b.strip().startswith(("### Example", "- [")):
        kind = "titles or order of examples"
    elif re.sub(r"'<\w+>'|\"<\w+>\"", "", a) != a or re.sub(r"'<\w+>'|\"<\w+>\"", "", b) != b:
        kind = "placeholder"
    elif a.strip() == b.strip():
        kind = "indentation"
    elif a.split(":")[0].strip() != b.split(":")[0].strip():
        kind = "key order or set"
    else:
        kind = "value"
    return kind, index, a, b


def main(argv: list[str]) -> int:
    show = 0
    if argv[:1] == ["--show"]:
        show, argv = int(argv[1]), argv[2:]
    avm = Path(argv[0]).resolve()
    modules = sorted(p.parent for p in avm.glob("res/*/*/main.bicep"))
    same = 0
    kinds: Counter[str] = Counter()
    shown = 0
    for module in modules:
        expected = committed_section(module / "README.md")
        try:
            actual = written_section(module, avm)
        except Exception as error:
            kinds[f"error: {type(error).__name__}"] += 1
            if shown < show:
                shown += 1
                print(f"--- {module.relative_to(avm)}: {error}")
            continue
        if expected == actual:
            same += 1
            continue
        if expected is None or actual is None:
            kinds["section missing on one side"] += 1
            continue
        kind, index, a, b = difference_kind(expected, actual)
        kinds[kind] += 1
        if shown < show:
            shown += 1
            print(f"--- {module.relative_to(avm)} line {index + 1} ({kind})\n  README: {a!r}\n  ours:   {b!r}")
    print(
        f"{same} of {len(modules)} top-level resource modules have the same usage examples ({100 * same / len(modules):.1f} %)"
    )
    for kind, count in kinds.most_common():
        print(f"  {kind}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
