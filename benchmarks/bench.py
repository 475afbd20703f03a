"""Whole-process timings of vrlcat commands on synthetic and real catalogs.

    python benchmarks/bench.py [--sizes 200 2000 20000] [--commands render lint dedup] [--runs 3]

The network commands are measured by benchmarks/bench_network.py.

Each synthetic catalog has ~30 sections and entries with title, arxiv, date,
venue, code, website and five authors. "cold" runs with an empty parse cache,
"warm" is the median of the following runs. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = 30
WORDS = ("visual reinforcement learning policy reward model agent vision language action world "
         "diffusion reasoning grounding video image robot navigation manipulation preference").split()


def make_catalog(root: Path, size: int, seed: int = 7) -> Path:
    """Write a synthetic catalog of `size` entries; returns its folder."""
    rng = random.Random(seed)
    (root / "sections").mkdir(parents=True)
    section_lines = []
    per_section = [[] for _ in range(SECTIONS)]
    for i in range(size):
        per_section[i % SECTIONS].append(i)
    for s in range(SECTIONS):
        section_lines.append(f"  - id: s{s:02d}\n    title: Section {s}\n    level: 3\n")
        papers = []
        for i in per_section[s]:
            year, month = 2018 + (i % 96) // 12, (i % 96) % 12 + 1
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"
            papers.append((f"{year}-{month:02d}", title, i, year, month))
        papers.sort(key=lambda p: p[1].casefold().replace(" ", ""))
        papers.sort(key=lambda p: p[0], reverse=True)  # the declared order: newest first, ties by title
        entries = []
        for _, title, i, year, month in papers:
            authors = ", ".join(f"Author{i}x{k} Name" for k in range(5))
            entries.append(
                f"  - title: {title}\n"
                f"    arxiv: '{year % 100:02d}{month:02d}.{i:05d}'\n"
                f"    date: '{year}-{month:02d}'\n"
                f"    venue: ICML {year}\n"
                f"    code: https://github.com/owner{i}/repo{i}\n"
                f"    website: https://site{i}.example.org/\n"
                f"    authors: [{authors}]\n")
        (root / "sections" / f"s{s:02d}.yaml").write_text("entries:\n" + "".join(entries))
    (root / "list.yaml").write_text("title: Synthetic\npage:\n  - toc:\n      heading: Contents\n  - sections\n"
                                    "sections:\n" + "".join(section_lines))
    return root


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def measure(command: str, catalog: Path, runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "VRLCAT_CACHE_DIR": cache}
        args = [sys.executable, "-m", "vrlcat", command, "--catalog", str(catalog)]
        cold = timed(args, env)
        warm = statistics.median(timed(args, env) for _ in range(runs))
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 2000, 20000])
    parser.add_argument("--commands", nargs="*", default=["render"])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    print("| command | catalog | entries | cold (s) | warm (s) |\n|---|---|---|---|---|")
    for command in options.commands:
        cold, warm = measure(command, REPO / "catalog", options.runs)
        entries = sum(p.read_text().count("\n  - ") for p in (REPO / "catalog" / "sections").glob("*.yaml"))
        print(f"| {command} | repository | {entries} | {cold:.2f} | {warm:.2f} |", flush=True)
        for size in options.sizes:
            with tempfile.TemporaryDirectory() as folder:
                catalog = make_catalog(Path(folder) / "catalog", size)
                subprocess.run([sys.executable, "-m", "vrlcat", "render", "--catalog", str(catalog), "-o",
                                str(catalog.parent / "README.md")], check=True)
                cold, warm = measure(command, catalog, options.runs)
            print(f"| {command} | synthetic | {size:,} | {cold:.2f} | {warm:.2f} |", flush=True)


if __name__ == "__main__":
    main()
