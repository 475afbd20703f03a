"""Import speed against its floor: markdown-it-py parsing the same list, measured in the same run.

    python benchmarks/bench_import.py [--entries 20000] [--runs 3]

The list is generated in the family's style (sections, `+ [Title](url) (Mon. YYYY)`,
badge lines, some strays: other date forms, descriptions, trailing spaces,
commented-out entries). Reports the median of each, the ratio, and checks that
the first render is the list itself. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

WORDS = ("visual reinforcement learning policy reward model agent vision language action world "
         "diffusion reasoning grounding video image robot navigation manipulation preference").split()
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def make_list(entries: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    out = ["# Awesome Synthetic List\n\nA generated list.\n\n## Table of Contents\n"]
    sections = max(1, entries // 700)
    out.extend(f"- [Section {s}](#section-{s})\n" for s in range(sections))
    out.append("\n")
    for s in range(sections):
        out.append(f"## Section {s}\n\n")
        for i in range(s, entries, sections):
            year, month = 2018 + (i % 96) // 12, (i % 96) % 12 + 1
            arxiv = f"{year % 100:02d}{month:02d}.{i:05d}"
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"
            label = f"{MONTHS[month - 1]}. {year}" if rng.random() < 0.9 else f"{MONTHS[month - 1]}., {year}"
            lines = [f"+ [{title}](https://arxiv.org/abs/{arxiv}) ({label})",
                     f"  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/{arxiv})"]
            if rng.random() < 0.5:
                lines.append(f"  [![Star](https://img.shields.io/github/stars/owner{i}/repo{i}.svg?style=social"
                             f"&label=Star)](https://github.com/owner{i}/repo{i})")
            if rng.random() < 0.3:
                lines.append(f"  [![Website](https://img.shields.io/badge/Website-9cf)](https://site{i}.example.org/)")
            if rng.random() < 0.05:
                lines.append("  A short description of what the paper does.")
            if rng.random() < 0.05:
                lines[-1] += " "
            text = "\n".join(lines)
            if rng.random() < 0.01:
                text = f"<!-- {text} -->"
            out.append(text + "\n\n")
    return "".join(out)


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from markdown_it import MarkdownIt

    from vrlcat.importer import import_markdown
    from vrlcat.render import render

    text = make_list(args.entries)
    catalog, report = import_markdown(text)
    assert render(catalog) == text, "the first render is not the list itself"
    floor = median_time(lambda: MarkdownIt("commonmark").parse(text), args.runs)
    imported = median_time(lambda: import_markdown(text), args.runs)
    print(f"{args.entries} entries, {len(text) / 1e6:.1f} MB, {report.own_form} in their own form")
    print(f"markdown-it-py parse (floor): {floor:.2f} s")
    print(f"vrlcat import (in memory, render and compare included): {imported:.2f} s = {imported / floor:.2f}x the floor")


if __name__ == "__main__":
    main()
