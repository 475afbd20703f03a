"""The site's files: what `vrlcat site` writes, without a browser."""

from __future__ import annotations

import json
import re

from conftest import REPO
from generated import generated_catalog
from vrlcat.model import Catalog, Entry, Section
from vrlcat.site import entry_key, site_data, site_files
from vrlcat.store import load_catalog


def test_site_command_writes_the_page_and_its_assets(run, repo_catalog, tmp_path):
    result = run("site", "-o", tmp_path / "out", "--catalog", repo_catalog)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["data.js", "index.html", "site.css", "site.js"]
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'type="search"' in page and "http://" not in page and "https://" not in page  # no CDN, no network


def test_the_page_for_this_list_weighs_under_300_kb(tmp_path):
    files = site_files(load_catalog(REPO / "catalog").catalog)
    weight = sum(len(text.encode("utf-8")) for text in files.values())
    assert weight < 300_000, weight


def test_same_catalog_same_bytes():
    assert site_files(generated_catalog(300)) == site_files(generated_catalog(300))


def test_catalog_text_cannot_become_markup():
    evil = Entry(title="</script><script>alert(1)</script>", venue="<img src=x onerror=alert(2)>",
                 url="javascript:alert(3)", code="https://github.com/a/b")
    catalog = Catalog(title="<b>List</b>", sections=[Section(id="s", title="<i>S</i>", level=2, entries=[evil])])
    files = site_files(catalog)
    assert "<script>alert" not in files["data.js"] and "<img" not in files["data.js"]
    assert "<b>List</b>" not in files["index.html"]
    data = json.loads(re.sub(r"^window\.VRLCAT_DATA=|;\n$", "", files["data.js"]))
    row = data["entries"][0]
    assert row[1] == "</script><script>alert(1)</script>"
    assert row[6] == "" and row[7] == "https://github.com/a/b"  # no javascript: link to follow


def test_each_shown_entry_once_with_its_sections_and_keys():
    cross = Entry(title="Cross", arxiv="2501.00001", also_in=["b"])
    hidden = Entry(title="Hidden", url="https://example.org/h", hidden=True)
    plain = Entry(title="Plain", url="https://example.org/p")
    catalog = Catalog(sections=[Section(id="a", title="A", level=2, entries=[cross, hidden]),
                                Section(id="b", title="B", level=2, entries=[plain])])
    rows = site_data(catalog)["entries"]
    assert [(row[0], row[10]) for row in rows] == [("2501.00001", [0, 1]), ("https://example.org/p", [1])]
    assert entry_key(cross) == "2501.00001" and entry_key(plain) == "https://example.org/p"
