"""kill -9 writing commands at random moments, hundreds of times, and count the outcomes.

    python benchmarks/kill_bench.py [--kills-per-command 40] [--seed 10]

Five commands (lint --fix, sort, dedup --merge --yes, render -o, add) on the
imported seed list; each run is killed at a moment drawn uniformly from a
whole run's duration, then `vrlcat sections` runs (the next command). A kill
passes when every file was old or new right after it, the next command left
the whole set old or new (never a mix), and no temporary file survived.
The result goes to docs/reliability.md.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from killing import SCENARIOS, kill_many


def next_command(project: Path) -> None:
    subprocess.run([sys.executable, "-m", "vrlcat", "sections", "--catalog", str(project / "catalog")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills-per-command", type=int, default=40)
    parser.add_argument("--seed", type=int, default=10)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["VRLCAT_CACHE_DIR"] = str(Path(folder) / "cache")
        for scenario in SCENARIOS:
            work = Path(folder) / scenario.replace(" ", "_")
            outcomes = kill_many(scenario, REPO / "tests" / "data" / "seed.md", work, options.kills_per_command,
                                 rng, next_command)
            results = Counter(o.result for o in outcomes)
            rows.append((scenario, len(outcomes), sum(o.finished for o in outcomes),
                         sum(o.mid_write for o in outcomes), sum(o.mid_write and o.result == "new" for o in outcomes),
                         results["old"], results["new"], sum(not o.ok for o in outcomes)))
            print(f"{scenario}: {rows[-1][1:]}", file=sys.stderr)
    print("| command | kills | ended before the kill | killed mid-write | of those, finished by the next command "
          "| left old | left new | failures |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")
    total = [sum(r[i] for r in rows) for i in range(1, 8)]
    print("| **all** | " + " | ".join(str(v) for v in total) + " |")


if __name__ == "__main__":
    main()
