"""A small catalog with what a bibliography export must survive: shared keys, LaTeX
characters, hidden and cross-listed entries, old-style arXiv ids, DOIs, venues."""

from __future__ import annotations

from pathlib import Path

from conftest import write

LIST = """title: Tiny List
page:
  - text: "Intro <!-- vrlcat:counts {papers} papers in {sections} sections -->0 papers<!-- /vrlcat:counts -->"
  - sections
sections:
  - id: vision
    title: Vision & RL
    level: 2
    children:
      - id: images
        title: Images
        level: 3
      - id: videos
        title: Videos
        level: 3
  - id: robots
    title: Robots
    level: 2
"""

IMAGES = """entries:
  - title: 'Visual Reasoning with RL: 100% of $x_1$ & {braces} #1 ~ ^'
    arxiv: '2503.21776'
    date: 2025-03
    venue: CVPR 2025
    authors: [Kaituo Feng, José Núñez]
    doi: 10.1000/xyz_1
  - title: Visual Reasoning Again
    arxiv: '2504.00001'
    date: 2025-04
    authors: [Ann Feng]
    code: https://github.com/o/r
  - title: A Visual Thing
    url: https://example.org/paper
    date: 2025-01
    authors: [Bo Feng]
    venue: TPAMI 2025
  - title: Hidden Paper
    arxiv: '2505.00002'
    date: 2025-05
    hidden: true
"""

VIDEOS = """entries:
  - title: Old Style Paper
    arxiv: hep-th/9901001
    date: 1999-01
    also_in: [robots]
    website: https://example.org/site
  - title: A Blog Post
    url: https://example.org/blog
    date: '2024'
    venue: Blog
"""

ROBOTS = """entries:
  - title: Robots Learn
    arxiv: '2402.00003'
    date: 2024-02-10
    venue: ICRA 2024
    authors: [Mononym]
"""


def tiny_catalog(root: Path) -> Path:
    write(root / "list.yaml", LIST)
    write(root / "sections" / "images.yaml", IMAGES)
    write(root / "sections" / "videos.yaml", VIDEOS)
    write(root / "sections" / "robots.yaml", ROBOTS)
    return root
