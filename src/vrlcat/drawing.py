"""Drawing the charts with matplotlib: imported only when a picture is drawn.

Same data, same SVG bytes: a fixed font (DejaVu Sans ships with matplotlib)
drawn as paths, a fixed hash salt for the ids, no date or version in the
metadata; the data's fingerprint goes into the metadata instead.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
LIGHT = ("#dbe4ee", "#fce3ca", "#d5e8d2", "#f8d4d5", "#dcefed", "#fbf1d1", "#ebdde8", "#ffe6e9", "#e6dcd7",
         "#eeebe9")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DPI = 150
_STYLE: dict[str, Any] = {"svg.hashsalt": "vrlcat", "svg.fonttype": "path", "font.family": "DejaVu Sans",
                          "font.size": 9, "axes.unicode_minus": False, "path.simplify": False}
# Taxonomy layout, in inches.
COLUMN, BOX, ROW, MARGIN, HEADER = 2.6, 2.2, 0.5, 0.2, 0.5


def _tex_safe(text: str) -> str:
    """Titles with `$` would be read as mathtext."""
    return text.replace("$", r"\$")


def draw(kind: str, data: dict[str, Any], file_format: str, stamp: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # rcParams keys are typed as literals
        figure = _timeline(data) if kind == "timeline" else _taxonomy(data)
        metadata: dict[str, str | None] = {"Description": stamp}
        if file_format == "svg":
            metadata.update({"Date": None, "Creator": "vrlcat"})
        else:
            metadata.update({"Software": "vrlcat"})
        buffer = io.BytesIO()
        figure.savefig(buffer, format=file_format, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _month_label(month: str, first: bool) -> str:
    """`Jan` under a bar, with the year under January and under the first label."""
    year, number = month[:4], int(month[5:7])
    name = _MONTH_NAMES[number - 1]
    return f"{name}\n{year}" if first or number == 1 else name


def _timeline(data: dict[str, Any]) -> Figure:
    from matplotlib.figure import Figure  # noqa: F811
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 5.6), layout="constrained")
    axes = figure.add_subplot()
    months, series = data["months"], data["series"]
    offset = 2 if data["earlier"] else 0  # the `earlier` bar, then a gap
    positions = list(range(offset, offset + len(months)))
    bottoms = [0] * len(months)
    earlier_bottom = 0
    for number, row in enumerate(series):
        color = PALETTE[number % len(PALETTE)]
        axes.bar(positions, row["counts"], bottom=bottoms, width=0.8, color=color, edgecolor="white",
                 linewidth=0.4, label=_tex_safe(row["title"]))
        bottoms = [b + c for b, c in zip(bottoms, row["counts"], strict=True)]
        if data["earlier"]:
            axes.bar([0], [row["earlier"]], bottom=[earlier_bottom], width=0.8, color=color, edgecolor="white",
                     linewidth=0.4)
            earlier_bottom += row["earlier"]
    totals = list(zip(positions, bottoms, strict=True)) + ([(0, earlier_bottom)] if data["earlier"] else [])
    top = max([total for _, total in totals] + [1])
    for position, total in totals:
        if total:
            axes.text(position, total + top * 0.01, str(total), ha="center", va="bottom", fontsize=7)
    quarters = [(p, m) for p, m in zip(positions, months, strict=True) if int(m[5:7]) in (1, 4, 7, 10)] or \
        [(offset, months[0])] if months else []
    ticks = [p for p, _ in quarters]
    labels = [_month_label(m, n == 0) for n, (_, m) in enumerate(quarters)]
    if data["earlier"]:
        ticks, labels = [0] + ticks, [f"before\n{_month_label(data['earlier'], True).replace(chr(10), ' ')}"] + labels
    axes.set_xticks(ticks, labels)
    axes.set_xticks(positions, minor=True)
    axes.set_xlim(-0.8, offset + max(len(months), 1) - 0.2)
    axes.set_ylim(0, top * 1.12)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylabel("papers per month")
    title = f"{data['title']}: papers per month" if data["title"] else "Papers per month"
    axes.set_title(_tex_safe(title), fontsize=11, loc="left")
    if data["not_shown"]:
        axes.set_xlabel(f"{data['not_shown']} entries dated by year only (or undated) are not shown",
                        fontsize=7, color="#666666", loc="right")
    if series:
        figure.legend(loc="outside lower center", ncol=2 if len(series) > 3 else len(series), frameon=False,
                      fontsize=8)
    return figure


def _leaf_rows(nodes: list[dict[str, Any]]) -> list[float]:
    """Each node's row: a leaf takes the next row, a parent sits midway along its children."""
    rows: list[float] = [0.0] * len(nodes)
    next_row = 0

    def place(index: int) -> int:
        nonlocal next_row
        depth = nodes[index]["depth"]
        children = []
        child = index + 1
        while child < len(nodes) and nodes[child]["depth"] > depth:
            if nodes[child]["depth"] == depth + 1:
                children.append(child)
            child += 1
        for one in children:
            place(one)
        if children:
            rows[index] = (rows[children[0]] + rows[children[-1]]) / 2
        else:
            rows[index] = next_row
            next_row += 1
        return child

    index = 0
    while index < len(nodes):
        index = place(index)
    return rows


def taxonomy_size(data: dict[str, Any]) -> tuple[float, float]:
    """The picture's size in inches: a column per depth, a row per leaf."""
    rows = max(_leaf_rows(data["nodes"]) + [0.0]) + 1
    depth = max([node["depth"] for node in data["nodes"]] + [0]) + 1
    return depth * COLUMN + 2 * MARGIN, rows * ROW + HEADER + MARGIN


def _box(axes: Axes, x: float, y: float, title: str, count: int, colors: tuple[str, str], bold: bool) -> None:
    from matplotlib.patches import FancyBboxPatch

    width = 26 if bold else 30  # characters that fit beside the count
    lines = textwrap.wrap(title, width, break_long_words=True) or [""]
    if len(lines) > 3:
        lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), width - 1, placeholder="…")]
    height = ROW * 0.86
    axes.add_patch(FancyBboxPatch((x, y - height / 2), BOX, height, boxstyle="round,pad=0,rounding_size=0.05",
                                  facecolor=colors[1], edgecolor=colors[0], linewidth=1.0))
    text = _tex_safe("\n".join(lines))
    axes.text(x + 0.08, y, text, ha="left", va="center", fontsize=7.5, linespacing=1.1,
              fontweight="bold" if bold else "normal")
    axes.text(x + BOX - 0.08, y, str(count), ha="right", va="center", fontsize=8, fontweight="bold",
              color="#333333")


def _taxonomy(data: dict[str, Any]) -> Figure:
    from matplotlib.figure import Figure

    width, height = taxonomy_size(data)
    figure = Figure(figsize=(width, height))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    nodes = [{"title": data["title"], "depth": 0, "entries": data["entries"], "family": -1}] + data["nodes"]
    rows = _leaf_rows(nodes)
    centre = [HEADER + row * ROW + ROW / 2 for row in rows]
    axes.text(MARGIN, HEADER / 2, _tex_safe(f"{data['title']}: {data['entries']} papers by section"),
              fontsize=11, va="center")
    parents: list[int] = []
    for index, node in enumerate(nodes):
        del parents[node["depth"]:]
        x = MARGIN + node["depth"] * COLUMN
        if parents:
            parent = parents[-1]
            joint = x - (COLUMN - BOX) / 2
            axes.plot([x - (COLUMN - BOX), joint, joint, x], [centre[parent], centre[parent], centre[index],
                                                             centre[index]], color="#999999", linewidth=0.8)
        family = node["family"]
        colors = ("#555555", "#eeeeee") if family < 0 else (PALETTE[family % 10], LIGHT[family % 10])
        _box(axes, x, centre[index], node["title"], node["entries"], colors, node["depth"] <= 1)
        parents.append(index)
    return figure
