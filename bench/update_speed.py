"""How fast `avm update --all` is: seconds per module over 50 modules (target: at most 1.5 s per module).

    python bench/update_speed.py

Builds two template versions in a temporary release folder (the running one, and a snapshot of it as a
later version whose Bicep CHANGELOG template changes and which adds a file), generates 50 modules with
the running version (Bicep and Terraform, resources, patterns and utilities), and times one
`avm update --all` over them, which runs a process per core.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator import __version__
from generator.releases import snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers
from tests.support.versions import later_version

LATER = "99.0.0"
KINDS = [
    ("resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets"),
    ("resource", "--lang", "bicep", "--provider", "Microsoft.Storage", "--type", "storageAccounts"),
    ("pattern", "--lang", "bicep", "--name", "app/stack", "--uses", "avm/res/key-vault/vault@0.13.0"),
    ("utility", "--lang", "bicep", "--name", "general/resource-name"),
    ("resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets"),
]


def avm(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "AVM_RELEASES_DIR": str(work / "releases"), "AVM_CACHE_DIR": str(work / "cache")}
        snapshot(work / "releases", __version__)
        later_version(work / "releases", LATER)
        root = work / "modules"
        for index in range(50):
            args = KINDS[index % len(KINDS)]
            out = root / f"m{index:02d}"
            result = avm("new", *args, "--defaults", "--index", "none", "-o", str(out), cwd=work, env=env)
            if result.returncode != 0:
                raise SystemExit(result.stderr)
        avm("templates", "env", "--lang", "bicep", cwd=work, env=env)  # build the template repositories once
        avm("templates", "env", "--lang", "terraform", cwd=work, env=env)
        start = time.perf_counter()
        result = avm("update", "--all", str(root), "--json", cwd=work, env=env)
        seconds = time.perf_counter() - start
        outcomes = json.loads(result.stdout)
    figures = {
        "modules": len(outcomes),
        "updated": sum(1 for o in outcomes if o.get("to_version") == LATER and not o.get("error")),
        "cores": os.cpu_count(),
        "seconds": round(seconds, 1),
        "seconds_per_module": round(seconds / len(outcomes), 2),
    }
    print(json.dumps(figures))
    return 0 if figures["seconds_per_module"] <= 1.5 and figures["updated"] == 50 else 1


if __name__ == "__main__":
    sys.exit(main())
