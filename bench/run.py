"""All of avm's speed budgets in one run, side by side, written to docs/performance.md.

    python bench/run.py

Measures on this machine, each as the processes a user or CI would start (medians; 5 repetitions for
the fast measurements):

1. `avm --version` against `copier --version` (budget: avm at most 0.4 x copier);
2. `avm new` of a Bicep resource with two children against a bare `copier copy` of the same template
   with the same answers (budget: avm at most 1.1 x copier);
3. `avm check` over 40 modules, cold parse cache (bench/check_speed.py; budget: at least 20 modules/s);
4. `avm update --all` over 50 modules (bench/update_speed.py; budget: at most 1.5 s per module);
5. `avm add child` on a Bicep module with 10 children (budget: under 2 s);
6. 200 `avm new` runs (Bicep and Terraform resources, patterns, utilities) in a pool of one worker per
   core (a figure, no budget).

Prints the table, overwrites docs/performance.md, and exits 0 when every budget holds, 1 otherwise.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import check_speed
import update_speed
import yaml

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "docs" / "performance.md"
# Written from bench/check_speed.py --baseline, bench/param_match.py and bench/variable_match.py; kept when the page
# is rewritten.
KEPT_SECTIONS = ("## Check speed against a baseline", "## Parameters of real modules", "## Variables of real modules")
AVM = Path(sys.executable).with_name("avm")
COPIER = Path(sys.executable).with_name("copier")
FAST_REPEATS = 5
CHECK_MODULES = 40
BULK_MODULES = 200
NEW_ARGS = (
    "resource", "--lang", "bicep", "--provider", "Microsoft.Storage", "--type", "storageAccounts",
    "--child", "blobServices/containers", "--child", "fileServices/shares",
)  # fmt: skip
ADD_MODULE = (
    "resource", "--lang", "bicep", "--provider", "Microsoft.Storage", "--type", "storageAccounts",
    "--child", "blobServices/containers/immutabilityPolicies", "--child", "fileServices/shares",
    "--child", "localUsers", "--child", "managementPolicies", "--child", "queueServices/queues",
    "--child", "tableServices",
)  # fmt: skip
ADDED_CHILD = "tableServices/tables"
BULK_KINDS = [
    *update_speed.KINDS,
    ("resource", "--lang", "terraform", "--provider", "Microsoft.Storage", "--type", "storageAccounts"),
    ("pattern", "--lang", "terraform", "--name", "app/stack", "--uses", "avm-res-keyvault-vault@0.10.0"),
    ("utility", "--lang", "terraform", "--name", "general/resource-name"),
]


@dataclass
class Row:
    """One line of the table: what avm took, what it is compared with, and the budget if there is one."""

    name: str
    seconds: float
    reference: str = "—"
    figure: str = "—"
    budget: str = "—"
    holds: bool | None = None

    def cells(self) -> list[str]:
        mark = {True: "✓", False: "✗", None: "—"}[self.holds]
        return [self.name, f"{self.seconds:.3f}", self.reference, self.figure, self.budget, mark]


# --- running and timing processes -------------------------------------------------------------------


def run(command: Sequence[str | Path]) -> tuple[float, str]:
    """Run one process to completion; its wall time and standard output. A failure stops the benchmark."""
    start = time.perf_counter()
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stderr}")
    return seconds, result.stdout


def timed(command: Sequence[str | Path]) -> float:
    return run(command)[0]


def medians(commands: dict[str, Callable[[int], float]], repeats: int = FAST_REPEATS) -> dict[str, float]:
    """Median seconds of each timed callable, interleaved so that both sides see the same machine load.

    Each callable gets the repetition number (for a fresh output folder) and returns its seconds; one
    untimed warm-up round comes first (byte-code compilation, file-system caches).
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for repetition in range(-1, repeats):
        for name, timed in commands.items():
            seconds = timed(repetition)
            if repetition >= 0:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


# --- the measurements -------------------------------------------------------------------------------


def measure_version() -> Row:
    took = medians({"avm": lambda _: timed([AVM, "--version"]), "copier": lambda _: timed([COPIER, "--version"])})
    ratio = took["avm"] / took["copier"]
    return Row(
        "`avm --version`",
        took["avm"],
        reference=f"`copier --version` {took['copier']:.3f} s",
        figure=f"{ratio:.2f}x copier",
        budget="≤ 0.4x copier",
        holds=ratio <= 0.4,
    )


def answers_data_file(work: Path) -> Path:
    """Generate the module once with avm and keep its answers (without copier's `_` keys) as a data file."""
    out = work / "answers-source"
    _, printed = run([AVM, "new", *NEW_ARGS, "--defaults", "--index", "none", "-o", out, "--json"])
    module = Path(json.loads(printed)["module_path"])
    answers = yaml.safe_load((module / ".copier-answers.yml").read_text(encoding="utf-8"))
    data = work / "answers.yml"
    data.write_text(yaml.safe_dump({k: v for k, v in answers.items() if not k.startswith("_")}), encoding="utf-8")
    return data


def measure_new(work: Path) -> Row:
    work.mkdir()
    data = answers_data_file(work)
    template = REPO / "templates" / "bicep"

    def avm_new(repetition: int) -> float:
        out = work / f"avm-{repetition}"
        return timed([AVM, "new", *NEW_ARGS, "--defaults", "--index", "none", "-o", out])

    def copier_copy(repetition: int) -> float:
        out = work / f"copier-{repetition}"
        return timed([COPIER, "copy", "--trust", "--defaults", "--data-file", data, "--quiet", template, out])

    took = medians({"avm": avm_new, "copier": copier_copy})
    ratio = took["avm"] / took["copier"]
    return Row(
        "`avm new` (Bicep resource, 2 children)",
        took["avm"],
        reference=f"bare `copier copy` {took['copier']:.3f} s",
        figure=f"{ratio:.2f}x copier",
        budget="≤ 1.1x copier",
        holds=ratio <= 1.1,
    )


def measure_check(work: Path) -> list[Row]:
    """bench/check_speed.py's measurement: 40 generated modules, cold (fresh cache) and warm."""
    tree = work / "check-tree"
    tree.mkdir()
    check_speed.generate(tree, CHECK_MODULES)
    figures = check_speed.measure([tree])[0]
    modules = figures["modules"]
    cold_rate = figures["cold_modules_per_second"]
    return [
        Row(
            f"`avm check`, {modules} modules, cold cache",
            figures["cold_seconds"],
            figure=f"{cold_rate:.1f} modules/s",
            budget="≥ 20 modules/s",
            holds=cold_rate >= 20,
        ),
        Row(
            f"`avm check`, {modules} modules, warm cache",
            figures["warm_seconds"],
            figure=f"{figures['warm_modules_per_second']:.1f} modules/s",
        ),
    ]


def measure_update() -> Row:
    """bench/update_speed.py as it is: one `avm update --all` over 50 modules (about a minute)."""
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        update_speed.main()
    figures = json.loads(printed.getvalue())
    per_module = figures["seconds_per_module"]
    complete = figures["updated"] == figures["modules"] == 50
    return Row(
        f"`avm update --all`, {figures['modules']} modules ({figures['updated']} updated)",
        figures["seconds"],
        figure=f"{per_module:.2f} s/module",
        budget="≤ 1.5 s/module, all updated",
        holds=per_module <= 1.5 and complete,
    )


def measure_add(work: Path) -> Row:
    """`avm add child` on a storage account module with ten children (the eleventh arrives), median of the fast
    repetitions, each on a fresh copy of the module."""
    work.mkdir()
    module = work / "ten-children"
    run([AVM, "new", *ADD_MODULE, "--defaults", "--index", "none", "-o", module])
    times = []
    for repetition in range(-1, FAST_REPEATS):
        copy = work / f"copy-{repetition}"
        shutil.copytree(module, copy)
        seconds = timed([AVM, "add", "child", ADDED_CHILD, str(copy), "--index", "none"])
        if repetition >= 0:
            times.append(seconds)
    median = statistics.median(times)
    return Row(
        "`avm add child` (Bicep resource, 10 children)", median, figure=f"{median:.2f} s", budget="< 2 s",
        holds=median < 2,
    )  # fmt: skip


def new_module(job: tuple[tuple[str, ...], str]) -> None:
    """One `avm new` of the bulk run (a pool worker; module level so that it pickles)."""
    args, out = job
    run([AVM, "new", *args, "--defaults", "--index", "none", "-o", out])


def measure_bulk(work: Path) -> Row:
    workers = os.cpu_count() or 1
    jobs = [
        (BULK_KINDS[index % len(BULK_KINDS)], str(work / "bulk" / f"m{index:03d}")) for index in range(BULK_MODULES)
    ]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(new_module, jobs))
    seconds = time.perf_counter() - start
    return Row(
        f"{BULK_MODULES} x `avm new` (mixed), {workers} workers",
        seconds,
        figure=f"{BULK_MODULES / seconds:.1f} modules/s",
    )


# --- the machine and the report ---------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def terraform_version() -> str:
    terraform = shutil.which("terraform")
    if not terraform:
        return "not installed"
    result = subprocess.run([terraform, "version", "-json"], capture_output=True, text=True)
    with contextlib.suppress(ValueError, KeyError):
        return json.loads(result.stdout)["terraform_version"]
    return "unknown"


def load_average() -> str:
    with contextlib.suppress(OSError, AttributeError):
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    return "unknown"


def machine(load_at_start: str) -> dict[str, str]:
    return {
        "Platform": platform.platform(),
        "CPU": cpu_model(),
        "Cores (`os.cpu_count()`)": str(os.cpu_count()),
        "Python": platform.python_version(),
        "avm": run([AVM, "--version"])[1].split()[-1],  # the code that ran, whatever the installed metadata says
        "copier": metadata.version("copier"),
        "terraform": terraform_version(),
        "Load average (1/5/15 min) at start, at end": f"{load_at_start}; {load_average()}",
    }


def table(rows: list[Row]) -> str:
    header = ["Measurement", "avm median (s)", "Compared with", "Figure", "Budget", "Holds"]
    lines = [header, ["---", "---:", "---", "---:", "---", ":---:"], *(row.cells() for row in rows)]
    return "\n".join(f"| {' | '.join(cells)} |" for cells in lines)


def report(rows: list[Row], facts: dict[str, str]) -> str:
    failing = [row.name for row in rows if row.holds is False]
    verdict = f"**not every budget holds** ({', '.join(failing)})" if failing else "every budget holds"
    machine_lines = "\n".join(f"- **{key}**: {value}" for key, value in facts.items())
    return f"""# Performance

Measured on {datetime.date.today().isoformat()} with `python bench/run.py`: {verdict}.

## Machine

{machine_lines}

## Figures

{table(rows)}

Seconds are wall times of whole processes. `avm --version` and `avm new` are medians of {FAST_REPEATS}
repetitions, run alternately with their copier counterpart after one warm-up round; the bare
`copier copy` renders `templates/bicep` with the answers avm wrote for the same module (copier's own
`_` keys left out). `avm check` is the median of five runs (`bench/check_speed.py`) over
{CHECK_MODULES} generated modules, cold with an empty parse cache each time, warm with the cache of the
previous run; the cache holds python-hcl2's values of the Terraform files avm's own reader leaves to it (none
of the generated modules'), so the two differ by the load of the moment only. `avm update --all` is one run (`bench/update_speed.py`, about a minute) over 50 modules,
a process per core, moving them to a later template version. `avm add child` is the median of
{FAST_REPEATS} runs, each on a fresh copy of a storage account module with ten children, adding the
eleventh (`tableServices/tables`). The last line is a figure without a
budget: {BULK_MODULES} `avm new` runs in a pool of one worker per core. Wall times depend on whatever
else the machine runs: the load averages above tell how busy it was, and the two ratios, measured
alternately with copier, are the least sensitive to it.

## Running it

From a checkout with the development environment active (`pip install -e '.[test]'`), run
`python bench/run.py`. It takes about four minutes on two cores, works in temporary folders only
(its own `AVM_CACHE_DIR`, so the user cache is neither used nor changed), prints the table above,
overwrites this page (all but the section below), and exits 0 when every budget holds and 1 otherwise. `bench/check_speed.py` and
`bench/update_speed.py` measure the check and update budgets on their own.
"""


def kept_section(page: str) -> str:
    """The sections of `page` that the name-match benches wrote (each up to the next `## ` heading), or nothing."""
    kept = []
    for heading in KEPT_SECTIONS:
        start = page.find(f"\n{heading}\n")
        if start >= 0:
            end = page.find("\n## ", start + 1)
            kept.append(page[start : end + 1 if end >= 0 else None])
    return "".join(kept)


def main() -> int:
    started, load_at_start = time.perf_counter(), load_average()
    with tempfile.TemporaryDirectory(prefix="avm-bench-") as folder:
        work = Path(folder)
        os.environ["AVM_CACHE_DIR"] = str(work / "cache")  # every avm process below, pool workers too
        rows = [measure_version(), measure_new(work / "new")]
        rows += measure_check(work)
        rows.append(measure_update())
        rows.append(measure_add(work / "add"))
        rows.append(measure_bulk(work))
    facts = machine(load_at_start)
    kept = kept_section(REPORT.read_text(encoding="utf-8")) if REPORT.is_file() else ""
    REPORT.write_text(report(rows, facts) + kept, encoding="utf-8")
    print(table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s; written to {REPORT.relative_to(REPO)}")
    return 0 if all(row.holds is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
