"""How fast `avm check` is: modules per second over a large tree (target: at least 20 modules/s).

    python bench/check_speed.py [--baseline CHECKOUT] [TREE ...]

Without a tree it generates 40 modules (20 Bicep, 20 Terraform, with children and all interfaces) into a
temporary folder first. Each measurement is one `avm check` process, as an editor or CI runs it; the
median of five runs is reported, "cold" with an empty parse cache each time (a first run, a CI job) and
"warm" with the cache of the previous run (an editor re-checking).

`--baseline CHECKOUT`: also measure the code of another checkout of this project (an earlier commit, say),
run for run alternately with this one, so that both see the same load; prints both and the speed-up.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = [
    ("Microsoft.KeyVault", "vaults", "secrets"),
    ("Microsoft.Storage", "storageAccounts", "blobServices/containers"),
    ("Microsoft.Network", "virtualNetworks", "subnets"),
    ("Microsoft.Sql", "servers", "databases"),
    ("Microsoft.Web", "sites", "config"),
]


CURRENT = Path(__file__).resolve().parents[1]
RUNS = 5


def avm(*args: str, cwd: Path, cache: Path | None = None, code: Path = CURRENT) -> subprocess.CompletedProcess[str]:
    """`avm` as the code in the checkout `code` runs it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(code), os.environ.get("PYTHONPATH"))))}
    env.update({"AVM_CACHE_DIR": str(cache)} if cache else {})
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env)


def generate(root: Path, count: int) -> None:
    for index in range(count):
        provider, type_, child = TYPES[index % len(TYPES)]
        lang = "bicep" if index % 2 == 0 else "terraform"
        out = root / f"m{index:03d}"
        args = ("new", "resource", "--lang", lang, "--provider", provider, "--type", type_, "--child", child)
        result = avm(*args, "--interfaces", "all", "--defaults", "--index", "none", "-o", str(out), cwd=root)
        if result.returncode != 0:
            raise SystemExit(result.stderr)


def run_once(trees: list[Path], cache: Path, code: Path = CURRENT) -> tuple[float, int]:
    start = time.perf_counter()
    # not from a checkout: `python -m` would import the code of the current folder, whatever PYTHONPATH says
    result = avm("check", "--format", "json", *map(str, trees), cwd=cache.parent, cache=cache, code=code)
    return time.perf_counter() - start, json.loads(result.stdout)["modules"]


def figures(modules: int, cold: list[float], warm: list[float]) -> dict[str, float]:
    return {
        "modules": modules,
        "cold_seconds": round(statistics.median(cold), 3),
        "cold_modules_per_second": round(modules / statistics.median(cold), 1),
        "warm_seconds": round(statistics.median(warm), 3),
        "warm_modules_per_second": round(modules / statistics.median(warm), 1),
    }


def measure(trees: list[Path], codes: tuple[Path, ...] = (CURRENT,)) -> list[dict[str, float]]:
    """The figures of each checkout's code; with several, their runs alternate."""
    cold: dict[Path, list[float]] = {code: [] for code in codes}
    warm: dict[Path, list[float]] = {code: [] for code in codes}
    modules = 0
    with tempfile.TemporaryDirectory() as caches:
        for index in range(RUNS):
            for number, code in enumerate(codes):
                seconds, modules = run_once(trees, Path(caches) / f"cold{number}-{index}", code)
                cold[code].append(seconds)
        for _ in range(RUNS):
            for number, code in enumerate(codes):
                seconds, modules = run_once(trees, Path(caches) / f"cold{number}-0", code)
                warm[code].append(seconds)
    return [figures(modules, cold[code], warm[code]) for code in codes]


def compare(trees: list[Path], baseline: Path) -> dict[str, object]:
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"
    before, after = measure(trees, (baseline, CURRENT))
    return {
        "load_average_at_start": load,
        "baseline": before,
        "current": after,
        "cold_speedup": round(before["cold_seconds"] / after["cold_seconds"], 2),
        "warm_speedup": round(before["warm_seconds"] / after["warm_seconds"], 2),
    }


def main(argv: list[str]) -> int:
    baseline = None
    if argv[:1] == ["--baseline"]:
        baseline, argv = Path(argv[1]).resolve(), argv[2:]
    with tempfile.TemporaryDirectory() as folder:
        trees = [Path(a).resolve() for a in argv]
        if not trees:
            generate(Path(folder), 40)
            trees = [Path(folder)]
        result: dict[str, object] = measure(trees)[0] if baseline is None else compare(trees, baseline)
    print(json.dumps(result))
    current = result if baseline is None else result["current"]
    return 0 if current["cold_modules_per_second"] >= 20 else 1  # type: ignore[index]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
