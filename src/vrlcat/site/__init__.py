"""`vrlcat site`: the list as one static, searchable page for its readers.

The page is index.html, a stylesheet, a script and the catalog as data
(`data.js`, a script rather than JSON so that it loads from file:// too).
Everything the catalog says reaches the page as JSON and is put on screen
with textContent, so no title or venue is ever read as HTML.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

from ..entryread import badges_in
from ..entrytext import title_link
from ..headings import heading_text
from ..model import Catalog, Entry, Section

ASSETS = ("site.css", "site.js")
_WEB_SCHEMES = ("https://", "http://")


def _web_link(url: str | None) -> str:
    """The URL when a reader may follow it (http or https), else empty: no javascript: links."""
    return url if url and url.startswith(_WEB_SCHEMES) else ""


def _extra_links(entry: Entry) -> list[list[str]]:
    """The targets of an entry's own badges (Hugging Face, a dataset, ...), with the badge's alt text."""
    links: list[list[str]] = []
    for markdown in entry.badges:
        for badge in badges_in(markdown) or []:
            target = _web_link(badge.target)
            if target:
                links.append([badge.alt.strip() or "Link", target])
    return links


def entry_key(entry: Entry) -> str:
    """What names an entry on the page (`data-key`): its arXiv id, else its URL, else its title."""
    return entry.arxiv or entry.url or entry.title


def _entry_row(entry: Entry, sections: list[int], catalog: Catalog) -> list[object]:
    return [entry_key(entry), " ".join(entry.title.split()), entry.nickname or "", ", ".join(entry.authors),
            entry.venue or "", entry.date or "", _web_link(title_link(entry, catalog.settings)),
            _web_link(entry.code), _web_link(entry.website), _extra_links(entry), sections]


def _tree(sections: list[Section]) -> list[Section]:
    """Every section, depth first, in page order."""
    return [each for section in sections for each in [section, *_tree(section.children)]]


def site_data(catalog: Catalog) -> dict[str, object]:
    """The catalog as the page reads it: sections in tree order, each shown entry once."""
    walk = _tree(catalog.sections)
    index = {section.id: number for number, section in enumerate(walk)}
    parents = {child.id: section.id for section in walk for child in section.children}
    section_rows = [[s.id, heading_text(s.title) or s.id, index.get(parents.get(s.id, ""), -1), s.level]
                    for s in walk]
    rows: list[list[object]] = []
    for section, entry in ((owner, entry) for owner in walk for entry in owner.entries):
        if entry.hidden:
            continue
        listed = [index[section.id]] + [index[other] for other in entry.also_in
                                        if other in index and other != section.id]
        rows.append(_entry_row(entry, listed, catalog))
    return {"title": heading_text(catalog.title or "") or "Paper list", "sections": section_rows, "entries": rows}


def data_script(catalog: Catalog) -> str:
    """data.js: the data as one assignment; `<` escaped so no text can close a script."""
    text = json.dumps(site_data(catalog), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.VRLCAT_DATA={text};\n"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def site_files(catalog: Catalog) -> dict[str, str]:
    """Every file of the site by name: the same catalog gives the same bytes."""
    title = html.escape(heading_text(catalog.title or "") or "Paper list")
    page = _asset("index.html").replace("{{title}}", title)
    files = {"index.html": page, "data.js": data_script(catalog)}
    files.update({name: _asset(name) for name in ASSETS})
    return files


def write_site(catalog: Catalog, directory: Path) -> list[Path]:
    """Write the site into `directory` (made if missing); returns the files written."""
    from ..store import write_files_atomically

    directory.mkdir(parents=True, exist_ok=True)
    files = {directory / name: text for name, text in site_files(catalog).items()}
    write_files_atomically(files)
    return list(files)
