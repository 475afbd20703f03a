"""Issue 13's start-up targets on this repository: a warm `vrlcat lint` against its floor.

    python benchmarks/bench_startup.py [--runs 21]

The floor is `python -c "import vrlcat.cli"`; "warm" is `vrlcat lint` (the console script
beside this Python, else `python -m vrlcat lint`) on this repository after a run that filled
the cache. Each is a separate process, run alternately `--runs` times; the medians of the
wall times are compared. Targets: warm lint at most 0.08 s, and at most 1.5x the floor
measured in the same run. The cache is a temporary folder (never the user's), and Python's
bytecode is compiled first, as in an installed vrlcat. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MOST_SECONDS = 0.08
MOST_RATIO = 1.5


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: lint found errors, still a whole run
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode()}")
    return wall


def lint_command() -> list[str]:
    script = Path(sys.executable).parent / ("vrlcat.exe" if os.name == "nt" else "vrlcat")
    return [str(script), "lint"] if script.exists() else [sys.executable, "-m", "vrlcat", "lint"]


def fill_cache(lint: list[str], env: dict[str, str], cache: Path) -> None:
    """Run lint until it has stored its result (a file changed less than a second ago is not stored)."""
    for _ in range(5):
        timed(lint, env)
        if any((cache / "lint").glob("*.json")):
            return
        time.sleep(1.1)
    raise SystemExit("lint stored no result in the cache: is a file of the catalog being changed?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each (default 21)")
    runs = parser.parse_args().runs
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "vrlcat")], check=True)
    floor_args, lint = [sys.executable, "-c", "import vrlcat.cli"], lint_command()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VRLCAT_CACHE_DIR": folder, "NO_COLOR": "1"}
        env.pop("VRLCAT_CATALOG", None)
        fill_cache(lint, env, Path(folder))
        floors, warms = [], []
        for _ in range(runs):
            floors.append(timed(floor_args, env))
            warms.append(timed(lint, env))
    floor, warm = statistics.median(floors), statistics.median(warms)
    ratio = warm / floor
    print(f"runs: {runs} of each, alternated; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg")
          else f"runs: {runs} of each, alternated")
    print(f"floor  `python -c \"import vrlcat.cli\"`: median {floor:.3f} s (fastest {min(floors):.3f} s)")
    print(f"warm   `{' '.join(Path(lint[0]).name if i == 0 else a for i, a in enumerate(lint))}`: "
          f"median {warm:.3f} s (fastest {min(warms):.3f} s)")
    print(f"ratio  warm / floor: {ratio:.2f} (fastest / fastest: {min(warms) / min(floors):.2f})")
    seconds_met, ratio_met = warm <= MOST_SECONDS, ratio <= MOST_RATIO
    print(f"target warm lint <= {MOST_SECONDS} s: {'met' if seconds_met else 'NOT met'}")
    print(f"target warm lint <= {MOST_RATIO}x the floor: {'met' if ratio_met else 'NOT met'}")


if __name__ == "__main__":
    main()
