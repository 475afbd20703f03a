"""Whole-process timings of vrlcat commands, as ratios to a parse floor measured in the same run.

    python benchmarks/bench.py [--sizes 200 2000 20000] [--commands lint render dedup] [--runs 3]

The floor is a fresh Python process that reads every catalog file and parses it with
PyYAML's C loader (`yaml.CSafeLoader`). "cold" runs with an empty parse cache (every
CI run, the first run after a pull), "warm" with a filled one; each is the median of
`--runs` runs, each cold run with a new cache folder (always a temporary one, never the
user's). Synthetic catalogs have 30 sections, entries in their declared order with a
rendered README beside them (lint measures a clean catalog), and titles drawn from the
repository's own title vocabulary, so rare words recur and dedup's fuzzy comparison does
real work (the count is reported). The network commands are in bench_network.py.
Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = 30
FLOOR = ("import glob, sys, yaml\n"
         "for name in sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True)):\n"
         "    with open(name, 'rb') as f:\n"
         "        yaml.load(f.read(), Loader=yaml.CSafeLoader)\n")


def title_vocabulary() -> tuple[list[str], list[int]]:
    """The words of the repository's titles and how often each occurs."""
    words: Counter[str] = Counter()
    for path in (REPO / "catalog" / "sections").glob("*.yaml"):
        for title in re.findall(r"^  - title: '?(.*?)'?$", path.read_text(encoding="utf-8"), re.MULTILINE):
            words.update(re.findall(r"[A-Za-z][A-Za-z0-9-]*", title))
    vocabulary = sorted(words)
    return vocabulary, [words[w] for w in vocabulary]


def make_title(rng: random.Random, vocabulary: list[str], weights: list[int], number: int) -> str:
    """A name, a colon and 5-11 words drawn by their frequency in the repository's titles."""
    name = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.randint(2, 5))) + f"-{number % 997}"
    return f"{name}: " + " ".join(rng.choices(vocabulary, weights, k=rng.randint(5, 11)))


def make_catalog(root: Path, size: int, seed: int = 7) -> Path:
    """Write a synthetic catalog of `size` entries; returns its folder."""
    rng = random.Random(seed)
    vocabulary, weights = title_vocabulary()
    (root / "sections").mkdir(parents=True)
    per_section: list[list[tuple[str, str, int]]] = [[] for _ in range(SECTIONS)]
    for i in range(size):
        year, month = 2018 + (i % 96) // 12, (i % 96) % 12 + 1
        per_section[i % SECTIONS].append((f"{year}-{month:02d}", make_title(rng, vocabulary, weights, i), i))
    for s, papers in enumerate(per_section):
        papers.sort(key=lambda p: re.sub(r"[\W_]+", "", p[1].casefold()))
        papers.sort(key=lambda p: p[0], reverse=True)  # the declared order: newest first, ties by title
        entries = []
        for date, title, i in papers:
            authors = ", ".join(f"Author{i}x{k} Name" for k in range(5))
            entries.append(f"  - title: '{title}'\n    arxiv: '{date[2:4]}{date[5:7]}.{i:05d}'\n    date: '{date}'\n"
                           f"    venue: ICML {date[:4]}\n    code: https://github.com/owner{i}/repo{i}\n"
                           f"    website: https://site{i}.example.org/\n    authors: [{authors}]\n")
        (root / "sections" / f"s{s:02d}.yaml").write_text("entries:\n" + "".join(entries), encoding="utf-8")
    sections = "".join(f"  - id: s{s:02d}\n    title: Section {s}\n    level: 3\n" for s in range(SECTIONS))
    (root / "list.yaml").write_text("title: Synthetic\npage:\n  - toc:\n      heading: Contents\n  - sections\n"
                                    "sections:\n" + sections, encoding="utf-8")
    return root


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user's run: Python's bytecode cache on (an installed vrlcat has one;
    PYTHONDONTWRITEBYTECODE makes every process compile each module again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def timed(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def cpu_timed(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    """The child's CPU time (user + system): less disturbed than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed(args, env, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def cold_and_warm(args: list[str], runs: int, cwd: Path | None = None) -> tuple[float, float]:
    """Medians: each cold run in a new, empty cache folder; warm runs after one that filled it."""
    def cold() -> float:
        with tempfile.TemporaryDirectory() as cache:
            return timed(args, user_env(VRLCAT_CACHE_DIR=cache), cwd)

    with tempfile.TemporaryDirectory() as cache:
        env = user_env(VRLCAT_CACHE_DIR=cache)
        timed(args, env, cwd)
        warm = median_of(runs, lambda: timed(args, env, cwd))
    return median_of(runs, cold), warm


def fuzzy_comparisons(catalog: Path) -> int:
    """How many title pairs `vrlcat dedup` scores with rapidfuzz on this catalog."""
    sys.path.insert(0, str(REPO / "src"))
    from vrlcat.dedup import fuzzy_candidates
    from vrlcat.store import load_catalog

    with tempfile.TemporaryDirectory() as cache:
        os.environ["VRLCAT_CACHE_DIR"] = cache
        loaded = load_catalog(catalog, strict=False)
    titles: list[str] = []
    sections = list(loaded.catalog.sections)
    while sections:  # depth first, in page order, as dedup reads them
        section = sections.pop(0)
        titles += [entry.title for entry in section.entries]
        sections[:0] = section.children
    return len(fuzzy_candidates(titles))


def exponent(sizes: list[int], costs: list[float]) -> float:
    """The slope of log(cost) against log(size), by least squares."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(c, 1e-3)) for c in costs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def repository(runs: int) -> None:
    """This repository: warm `vrlcat lint` whole process against `python -c "import vrlcat.cli"`,
    alternated, as the fastest and the median wall time and the median CPU time of each."""
    python = sys.executable
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "src" / "vrlcat")], check=True)
    with tempfile.TemporaryDirectory() as cache:
        env = user_env(VRLCAT_CACHE_DIR=cache)
        commands = {"`vrlcat lint`": [python, "-m", "vrlcat", "lint"], "`import vrlcat.cli`": [python, "-c",
                                                                                            "import vrlcat.cli"]}
        timed(commands["`vrlcat lint`"], env, REPO)  # fills the cache
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs * 5):
            for name, args in commands.items():
                walls[name].append(timed(args, env, REPO))
                cpus[name].append(cpu_timed(args, env, REPO))
    print("\n| this repository, warm | fastest wall (s) | median wall (s) | median CPU (s) |\n|---|---|---|---|")
    for name in commands:
        print(f"| {name} | {min(walls[name]):.3f} | {statistics.median(walls[name]):.3f} | "
              f"{statistics.median(cpus[name]):.3f} |")
    lint, imports = "`vrlcat lint`", "`import vrlcat.cli`"
    print(f"| ratio | {min(walls[lint]) / min(walls[imports]):.2f} | "
          f"{statistics.median(walls[lint]) / statistics.median(walls[imports]):.2f} | "
          f"{statistics.median(cpus[lint]) / statistics.median(cpus[imports]):.2f} |\n", flush=True)


def synthetic(sizes: list[int], commands: list[str], runs: int) -> None:
    python = sys.executable
    print("| entries | floor (s) | command | cold (s) | cold / floor | warm (s) | warm / floor |\n"
          "|---|---|---|---|---|---|---|", flush=True)
    whole: dict[str, list[float]] = {c: [] for c in commands}
    marginal: dict[str, list[float]] = {c: [] for c in commands}
    with tempfile.TemporaryDirectory() as folder:
        empty = make_catalog(Path(folder) / "empty" / "catalog", 1)
        start_up = {c: cold_and_warm([python, "-m", "vrlcat", c, "--catalog", str(empty)], runs)[0] for c in commands}
        for size in sizes:
            catalog = make_catalog(Path(folder) / str(size) / "catalog", size)
            subprocess.run([python, "-m", "vrlcat", "-q", "render", "--catalog", str(catalog), "-o",
                            str(catalog.parent / "README.md")], check=True,
                           env=user_env(VRLCAT_CACHE_DIR=str(Path(folder) / "render-cache")))
            floor_args = [python, "-c", FLOOR, str(catalog)]
            floor = median_of(runs, lambda: timed(floor_args, user_env()))  # noqa: B023 (used at once)
            for command in commands:
                cold, warm = cold_and_warm([python, "-m", "vrlcat", command, "--catalog", str(catalog)], runs)
                whole[command].append(cold)
                marginal[command].append(cold - start_up[command])
                print(f"| {size:,} | {floor:.2f} | {command} | {cold:.2f} | {cold / floor:.2f} | {warm:.2f} | "
                      f"{warm / floor:.2f} |", flush=True)
            if size == max(sizes) and "dedup" in commands:
                print(f"| {size:,} | | dedup's fuzzy comparisons: {fuzzy_comparisons(catalog):,} | | | | |", flush=True)
    if len(sizes) > 1:
        large = [i for i, size in enumerate(sizes) if size >= 2000] or list(range(len(sizes)))
        print(f"\nexponent of cold time against entries, whole process ({sizes[0]:,} to {sizes[-1]:,}): "
              + ", ".join(f"{c} {exponent(sizes, whole[c]):.2f}" for c in commands), flush=True)
        print("exponent of cold time above a 1-entry catalog's (where it is more than start-up noise, "
              f"{sizes[large[0]]:,} to {sizes[large[-1]]:,}): "
              + ", ".join(f"{c} {exponent([sizes[i] for i in large], [marginal[c][i] for i in large]):.2f}"
                          for c in commands), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 2000, 20000])
    parser.add_argument("--commands", nargs="*", default=["lint", "render", "dedup"])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    repository(options.runs)
    synthetic(options.sizes, options.commands, options.runs)


if __name__ == "__main__":
    main()
