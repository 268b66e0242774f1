"""How closely `avm docs` reproduces terraform-docs: the share of committed BEGIN_TF_DOCS blocks it
regenerates byte for byte.

    python bench/docs_fidelity_terraform.py PATH... [--show N]

Each PATH is a Terraform module repository (a folder with a `.terraform-docs.yml`) or a folder of them.
For every README with the markers (root, `modules/*`, `examples/*`) the regenerated block is compared with
the committed one. Prints one line per README that differs with the first differing line of each side,
the share identical per repository, overall, and a tally of the kinds of difference.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from generator.docs.terraform import CONFIG, folder_document, module_folders
from generator.errors import AvmError

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def repositories(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if (path / CONFIG).is_file():
            found.append(path)
        else:
            found += sorted(p for p in path.iterdir() if (p / CONFIG).is_file())
    return found


def block(text: str) -> str | None:
    begin, end = text.find(BEGIN), text.find(END)
    return text[begin : end + len(END)] if 0 <= begin < end else None


def first_difference(ours: str, theirs: str) -> tuple[int, str, str]:
    a, b = ours.split("\n"), theirs.split("\n")
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index + 1, x, y
    index = min(len(a), len(b))
    return index + 1, (a[index] if index < len(a) else "<end>"), (b[index] if index < len(b) else "<end>")


def kind(ours: str, theirs: str) -> str:
    """A coarse label for a difference, from the section of the first differing line."""
    line, _, _ = first_difference(ours, theirs)
    section = "header"
    for text in theirs.split("\n")[:line]:
        if text.startswith("## "):
            section = text[3:].strip()
    return section


def compare(repo: Path, show: int) -> tuple[int, int, Counter[str]]:
    tally: Counter[str] = Counter()
    same = total = 0
    for folder, configs in module_folders(repo):
        readme = folder / "README.md"
        if not readme.is_file() or block(readme.read_bytes().decode("utf-8")) is None:
            continue  # no generated block to compare
        try:
            document = folder_document(folder, configs)
        except AvmError as exc:
            print(f"  ERROR {folder.relative_to(repo.parent)}: {exc}")
            tally["error"] += 1
            total += 1
            continue
        committed = block(readme.read_bytes().decode("utf-8")) or ""
        total += 1
        ours = block(document.text) or ""
        if ours == committed:
            same += 1
            continue
        label = kind(ours, committed)
        tally[label] += 1
        if show:
            line, mine, theirs = first_difference(ours, committed)
            print(f"  DIFF {document.path.relative_to(repo.parent)} [{label}] line {line}")
            print(f"      ours:   {mine[:160]!r}")
            print(f"      theirs: {theirs[:160]!r}")
    return same, total, tally


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=1, help="print the first difference of each README (0: off)")
    args = parser.parse_args(argv)
    all_same = all_total = 0
    tally: Counter[str] = Counter()
    for repo in repositories(args.paths):
        same, total, differences = compare(repo, args.show)
        all_same, all_total = all_same + same, all_total + total
        tally += differences
        share = f"{100 * same / total:.0f} %" if total else "-"
        print(f"{repo.name}: {same}/{total} identical ({share})")
    if all_total:
        print(f"ALL: {all_same}/{all_total} identical ({100 * all_same / all_total:.1f} %)")
    for label, count in tally.most_common():
        print(f"  differs in {label}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
