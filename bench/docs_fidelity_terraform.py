"""How closely `avm docs` reproduces terraform-docs: the share of committed BEGIN_TF_DOCS blocks it
regenerates byte for byte.

    python bench/docs_fidelity_terraform.py PATH... [--markdown]

Each PATH is a Terraform module repository (a folder with a `.terraform-docs.yml`) or a folder of them.
For every README with the markers (root, `modules/*`, `examples/*`) the regenerated block is compared with
the committed one. Prints each README that differs with the first differing line of each side, the share
identical per repository, for the AzAPI-era and AzureRM repositories and overall, a tally of the sections the
differences start in, and the time taken (python-hcl2's parse cache makes a second run faster).
`--markdown` adds the table of docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from param_match import percent, revision_of

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


@dataclass
class RepoResult:
    name: str
    revision: str
    same: int = 0
    total: int = 0
    differences: list[tuple[str, str, int, str, str]] = field(default_factory=list)  # path, section, line, ours, theirs


def compare(repo: Path) -> RepoResult:
    result = RepoResult(repo.name, revision_of(repo))
    for folder, configs in module_folders(repo):
        readme = folder / "README.md"
        if not readme.is_file() or block(readme.read_bytes().decode("utf-8")) is None:
            continue  # no generated block to compare
        result.total += 1
        relative = readme.relative_to(repo).as_posix()
        try:
            document = folder_document(folder, configs)
        except AvmError as exc:
            result.differences.append((relative, "error", 0, str(exc), ""))
            continue
        committed = block(readme.read_bytes().decode("utf-8")) or ""
        ours = block(document.text) or ""
        if ours == committed:
            result.same += 1
            continue
        line, mine, theirs = first_difference(ours, committed)
        result.differences.append((relative, kind(ours, committed), line, mine, theirs))
    return result


def text_report(results: list[RepoResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.name} ({r.revision}): {percent((r.same, r.total))} identical")
        for path, section, line, mine, theirs in r.differences:
            lines.append(f"  DIFF {path} [{section}] line {line}")
            lines.append(f"      ours:   {mine[:160]!r}")
            lines.append(f"      theirs: {theirs[:160]!r}")
    return "\n".join(lines)


def markdown_table(results: list[RepoResult]) -> str:
    rows = ["| Repository (commit) | READMEs | Byte-identical | Differing READMEs (section of the first difference) |"]
    rows.append("| --- | ---: | ---: | --- |")
    for r in results:
        differing = ", ".join(f"`{path}` ({section})" for path, section, *_ in r.differences) or "—"
        rows.append(f"| `{r.name}` (`{r.revision}`) | {r.total} | {percent((r.same, r.total))} | {differing} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--markdown", action="store_true", help="also print the table for docs/performance.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = [compare(repo) for repo in repositories(args.paths)]
    elapsed = time.perf_counter() - started
    print(text_report(results))
    groups = {
        "AzAPI-era (terraform-azure-avm-*)": [r for r in results if "terraform-azure-avm-" in r.name],
        "AzureRM (terraform-azurerm-avm-*)": [r for r in results if "terraform-azurerm-avm-" in r.name],
        "all": results,
    }
    for label, group in groups.items():
        same, total = sum(r.same for r in group), sum(r.total for r in group)
        print(f"{label}: {len(group)} repositories, {percent((same, total))} READMEs identical")
    tally = Counter(section for r in results for _, section, *_ in r.differences)
    for section, count in tally.most_common():
        print(f"  first difference in {section}: {count}")
    readmes = sum(r.total for r in results)
    print(f"{readmes} READMEs in {elapsed:.2f} s ({elapsed / max(readmes, 1) * 1000:.0f} ms each)")
    if args.markdown:
        print()
        print(markdown_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
