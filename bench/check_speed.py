"""How fast `avm check` is: modules per second over a large tree (target: at least 20 modules/s).

    python bench/check_speed.py [TREE ...]

Without a tree it generates 40 modules (20 Bicep, 20 Terraform, with children and all interfaces) into a
temporary folder first. Each measurement is one `avm check` process, as an editor or CI runs it; the
median of five runs is reported, "cold" with an empty parse cache each time (a first run, a CI job) and
"warm" with the cache of the previous run (an editor re-checking).
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


def avm(*args: str, cwd: Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"AVM_CACHE_DIR": str(cache)} if cache else {})}
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


def run_once(trees: list[Path], cache: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = avm("check", "--format", "json", *map(str, trees), cwd=Path.cwd(), cache=cache)
    return time.perf_counter() - start, json.loads(result.stdout)["modules"]


def measure(trees: list[Path]) -> dict[str, float]:
    cold, warm, modules = [], [], 0
    with tempfile.TemporaryDirectory() as caches:
        for index in range(5):
            seconds, modules = run_once(trees, Path(caches) / f"cold{index}")
            cold.append(seconds)
        for _ in range(5):
            seconds, modules = run_once(trees, Path(caches) / "cold0")
            warm.append(seconds)
    return {
        "modules": modules,
        "cold_seconds": round(statistics.median(cold), 3),
        "cold_modules_per_second": round(modules / statistics.median(cold), 1),
        "warm_seconds": round(statistics.median(warm), 3),
        "warm_modules_per_second": round(modules / statistics.median(warm), 1),
    }


def main(argv: list[str]) -> int:
    if argv:
        figures = measure([Path(a).resolve() for a in argv])
    else:
        with tempfile.TemporaryDirectory() as folder:
            generate(Path(folder), 40)
            figures = measure([Path(folder)])
    print(json.dumps(figures))
    return 0 if figures["cold_modules_per_second"] >= 20 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
