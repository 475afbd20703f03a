"""vrlcat chart, and charts on the page: same catalog, same SVG bytes; stale pictures are caught."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import write
from exportdata import LIST, tiny_catalog


def png_size(path):
    """The size of a PNG as an image library opens it (Pillow, which matplotlib brings)."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG"
        return image.size


@pytest.mark.parametrize("kind", ["timeline", "taxonomy"])
def test_same_catalog_same_svg_bytes(run, tmp_path, kind):
    catalog = tiny_catalog(tmp_path / "catalog")
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    assert run("chart", kind, "-o", first, "--catalog", catalog).exit_code == 0
    assert run("chart", kind, "-o", second, "--catalog", catalog).exit_code == 0
    svg = first.read_bytes()
    assert svg == second.read_bytes() and svg.startswith(b"<?xml")
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg


def test_png_opens_with_the_expected_size(run, repo_catalog, tmp_path):
    timeline, taxonomy = tmp_path / "t.png", tmp_path / "x.png"
    assert run("chart", "timeline", "-o", timeline, "--catalog", repo_catalog).exit_code == 0
    assert run("chart", "taxonomy", "-o", taxonomy, "--catalog", repo_catalog).exit_code == 0
    assert png_size(timeline) == (1500, 840)  # 10 x 5.6 in at 150 dpi
    # 4 columns of 2.6 in + margins; 22 leaf rows of 0.5 in + header and margin, at 150 dpi
    assert png_size(taxonomy) == (1620, 1755)


def test_timeline_data_folds_old_months_and_counts_year_only_dates(tmp_path):
    from vrlcat.charts import timeline_data
    from vrlcat.store import load_catalog

    data = timeline_data(load_catalog(tiny_catalog(tmp_path / "catalog")).catalog)
    assert data["months"][0] == "2023-05" and data["months"][-1] == "2025-04" and len(data["months"]) == 24
    assert [s["title"] for s in data["series"]] == ["Vision & RL", "Robots"]
    assert data["series"][0]["earlier"] == 1 and data["not_shown"] == 1  # 1999-01; the blog dated 2024


def test_unknown_suffix_is_refused(run, tmp_path):
    result = run("chart", "timeline", "-o", tmp_path / "t.jpg", "--catalog", tiny_catalog(tmp_path / "catalog"))
    assert result.exit_code == 2 and ".svg or .png" in result.stderr


def chart_page(root):
    tiny_catalog(root)
    text = LIST.replace("  - sections\n", "  - sections\n  - {chart: timeline, file: docs/img/timeline.svg}\n"
                        "  - {chart: taxonomy, file: docs/img/taxonomy.png, alt: Our tree, width: 600}\n")
    write(root / "list.yaml", text)
    return root


def test_page_block_renders_image_links_and_render_draws_the_pictures(run, tmp_path):
    catalog = chart_page(tmp_path / "catalog")
    readme = tmp_path / "README.md"
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    text = readme.read_text(encoding="utf-8")
    assert "![Papers per month](docs/img/timeline.svg)" in text
    assert '<img src="docs/img/taxonomy.png" alt="Our tree" width="600">' in text
    assert (tmp_path / "docs/img/timeline.svg").read_bytes().startswith(b"<?xml")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "docs/img/timeline.svg").stat().st_mode) == 0o666 & ~umask
    assert png_size(tmp_path / "docs/img/taxonomy.png")[0] > 0
    assert run("render", "--catalog", catalog, "--check", readme).exit_code == 0
    assert run("lint", "--catalog", catalog, "--select", "chart-stale").exit_code == 0


def test_check_and_lint_catch_a_stale_or_missing_picture(run, tmp_path):
    catalog = chart_page(tmp_path / "catalog")
    readme = tmp_path / "README.md"
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    robots = catalog / "sections" / "robots.yaml"
    robots.write_text(robots.read_text() + "  - {title: New One, arxiv: '2501.00009', date: 2025-01}\n")
    (tmp_path / "docs/img/taxonomy.png").unlink()
    write(tmp_path / "docs/img/timeline.svg", "<svg/>")
    check = run("render", "--catalog", catalog, "--check", readme)
    assert check.exit_code == 1
    assert "timeline.svg is not the timeline chart" in check.stderr and "taxonomy.png is missing" in check.stderr
    lint = run("lint", "--catalog", catalog, "--select", "chart-stale")
    assert lint.exit_code == 1 and "chart-stale" in lint.stdout and "taxonomy.png is missing" in lint.stdout


def test_a_catalog_change_makes_the_picture_stale(tmp_path):
    from vrlcat.charts import picture_is_fresh, write_chart
    from vrlcat.store import load_catalog

    catalog = tiny_catalog(tmp_path / "catalog")
    picture = tmp_path / "t.svg"
    write_chart(load_catalog(catalog).catalog, "timeline", picture)
    assert picture_is_fresh(picture, load_catalog(catalog).catalog, "timeline")
    robots = catalog / "sections" / "robots.yaml"
    robots.write_text(robots.read_text() + "  - {title: New One, arxiv: '2501.00009', date: 2025-01}\n")
    assert not picture_is_fresh(picture, load_catalog(catalog).catalog, "timeline")


def test_a_bad_chart_block_is_a_schema_error(run, tmp_path):
    root = tiny_catalog(tmp_path / "catalog")
    write(root / "list.yaml", LIST.replace("  - sections\n", "  - sections\n  - {chart: pie, file: x.svg}\n"))
    result = run("render", "--catalog", root)
    assert result.exit_code == 2 and "chart 'pie' must be timeline or taxonomy" in result.stderr


def test_only_drawing_imports_matplotlib(tmp_path):
    """lint, render --check, stats and export stay fast: the freshness check reads the fingerprint."""
    import subprocess
    import sys

    catalog = chart_page(tmp_path / "catalog")
    script = (
        "import sys\nfrom typer.testing import CliRunner\nfrom vrlcat.cli import app\nrunner = CliRunner()\n"
        f"for args in (['render', '--check', {str(tmp_path / 'README.md')!r}], ['lint'], ['stats'], ['export']):\n"
        f"    runner.invoke(app, args + ['--catalog', {str(catalog)!r}])\n"
        "print('matplotlib' in sys.modules)\n"
        f"runner.invoke(app, ['chart', 'timeline', '-o', {str(tmp_path / 't.svg')!r}, '--catalog', {str(catalog)!r}])\n"
        "print('matplotlib' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


def test_a_list_without_dates_or_sections_still_draws(run, tmp_path):
    root = write(tmp_path / "catalog" / "list.yaml", "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n")
    write(root.parent / "sections" / "a.yaml", "entries:\n  - {title: T, url: 'https://a.org/x'}\n")
    for kind in ("timeline", "taxonomy"):
        result = run("chart", kind, "-o", tmp_path / f"{kind}.png", "--catalog", root.parent)
        assert result.exit_code == 0, result.stderr


def test_add_with_render_on_add_draws_the_stale_charts_too(run, tmp_path):
    catalog = chart_page(tmp_path / "catalog")
    listing = catalog / "list.yaml"
    listing.write_text("settings:\n  render_on_add: README.md\n" + listing.read_text(encoding="utf-8"))
    assert run("render", "--catalog", catalog, "-o", tmp_path / "README.md").exit_code == 0
    result = run("add", "--catalog", catalog, "--section", "robots", "--url", "https://example.org/new",
                 "--title", "A New Robot Paper", "--date", "2025-04", "--code", "https://github.com/o/new",
                 "--website", "https://example.org/site")
    assert result.exit_code == 0, result.stderr
    assert run("lint", "--catalog", catalog, "--select", "chart-stale,readme-stale").exit_code == 0
