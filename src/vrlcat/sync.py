"""`vrlcat sync README.md`: take a README edited by hand back into the catalog.

Contributors edit README.md and open a pull request, as they always have. Sync
reads that README against the catalog's own house style, matches its entries
to the catalog's (arXiv id, else link, else title), and applies what changed:
entries added, edited, removed, or moved between sections. Fields the README
does not show (authors, DOI, cross-listings, lint-ignore) are kept, and the
section files are edited in place, so their comments survive.

The catalog stays the source of truth: what sync cannot take (prose, the
generated table of contents, a hand edit of CONTRIBUTING.md) is reported line
by line with the catalog file to edit instead, and the pages are then left as
they are rather than rendered over the edit; live counts are generated, never
an edit. In a git checkout, `undone_edit` finds a catalog file whose changes not
yet committed sync would undo (a README not rendered since), so the command
refuses it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .entrytext import render_entry
from .errors import VrlcatError
from .headings import heading_text
from .model import Catalog, Chart, Entry, Prose, RawBlock, Section, Settings, Toc, normalise_title
from .pages import files_beside, one_page_from_files
from .sort import sorted_entries
from .store import LIST_FILE, Loaded
from .yamledit import edit_yaml

# Fields a README shows: sync takes them from the README; the rest stay as the catalog has them.
_SHOWN = ("title", "nickname", "arxiv", "url", "date", "venue", "code", "website", "badges", "description", "hidden",
          "style", "label", "gap", "source")


@dataclass
class Left:
    """A line of a page sync cannot take into the catalog: text outside the entries (prose, a
    heading, the generated table of contents) or a page the catalog renders from its prose."""

    page: Path  # the page that says it (README.md, CONTRIBUTING.md)
    line: int | None  # its line there (None: the README and its section pages, read as one page)
    text: str  # the page's line, or (taken_out) the catalog's line the page no longer has
    taken_out: bool = False
    source: Path | None = None  # the catalog file to edit instead, when known


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)  # lines of the pages the catalog cannot take
    sorted: list[str] = field(default_factory=list)  # sections put back in their declared order
    files: dict[Path, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.edited or self.removed or self.moved)


def _keys(entry: Entry) -> list[str]:
    """What identifies a paper across edits, strongest first."""
    keys = []
    if entry.arxiv:
        keys.append(f"arxiv:{entry.arxiv}")
    if entry.url:
        keys.append(f"url:{entry.url.rstrip('/')}")
    if entry.title:
        keys.append(f"title:{normalise_title(entry.title)}")
    return keys


def _match_sections(old: Catalog, new: Catalog) -> dict[int, Section]:
    """New section (by id()) -> the catalog's section with the same heading text, in page order."""
    waiting: dict[str, list[Section]] = {}
    for section in old.walk():
        waiting.setdefault(heading_text(section.title), []).append(section)
    matched = {}
    for section in new.walk():
        candidates = waiting.get(heading_text(section.title))
        if candidates:
            matched[id(section)] = candidates.pop(0)
    return matched


def sync_readme(loaded: Loaded, readme: Path) -> SyncReport:
    """Apply a hand-edited README's entry changes to the catalog; nothing is written."""
    from .importer import import_markdown
    from .render import render, section_settings

    try:
        text = readme.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise VrlcatError("file not found", str(readme)) from None
    except UnicodeDecodeError as exc:
        raise VrlcatError(f"not UTF-8 text (byte {exc.start})", str(readme)) from None
    readme = Path(os.path.abspath(readme))  # as finish names the pages: each file is written (and named) once
    catalog = loaded.catalog
    report = SyncReport(left=_contributing_left(loaded))
    written = files_beside(catalog, readme)
    one_page = False
    if len(written) > 1 and any(path.exists() for path in written if path != readme):
        if all(path.exists() and path.read_bytes().decode("utf-8", "replace") == want
               for path, want in written.items()):
            return report
        text = _one_page(catalog, readme)  # the section pages hold the entries: sync reads them as one page
        one_page = True
    if _without_counts(text) == _without_counts(render(catalog)):
        return report
    edited, _ = import_markdown(text, str(readme), settings=catalog.settings)
    sections = _match_sections(catalog, edited)
    for section in edited.walk():
        if id(section) not in sections and section.entries:
            raise VrlcatError(f"section '{heading_text(section.title)}' is not in the catalog: add it to "
                              f"{LIST_FILE} first (vrlcat sections lists the catalog's)", str(readme), section.line)
    index: dict[str, tuple[Section, Entry]] = {}
    for owner, entry in catalog.entries():
        for key in _keys(entry):
            index.setdefault(key, (owner, entry))
    placed: set[int] = set()
    changed: set[str] = set()
    restyled = False
    before = list(catalog.entries())
    for new_section in edited.walk():
        target = sections.get(id(new_section))
        if target is None:
            continue
        settings = section_settings(catalog, target)
        entries, touched = _apply_section(new_section, target, index, placed, report, settings)
        target.entries = entries
        if _raw_text(target, settings) != _raw_text(new_section, settings):
            target.raw = new_section.raw
            for block in target.raw:
                block.line = None
            touched = True
        target.anchor_raw()
        if touched:
            changed.add(target.id)
        if target.style != new_section.style:
            target.style, restyled = dict(new_section.style), True
    for owner, entry in before:
        if id(entry) not in placed:
            report.removed.append(entry.key)
            changed.add(owner.id)
            owner.entries = [e for e in owner.entries if e is not entry]
    report.left += _left_lines(readme, text, render(catalog), _line_sources(loaded), one_page)
    for section in catalog.walk():
        if section.id in changed:
            order = [id(e) for e in section.entries]
            section.entries = sorted_entries(section.entries, catalog.sort_order(section))
            if [id(e) for e in section.entries] != order:
                report.sorted.append(section.id)
            path, new_text = loaded.rewritten_section(section)
            report.files[path] = new_text
    if restyled:
        styles = {s.id: s.style for s in catalog.walk()}
        list_path = loaded.root / LIST_FILE
        report.files[list_path] = edit_yaml(list_path.read_text(encoding="utf-8"),
                                            lambda data: _set_styles(data, styles), str(list_path))
    if not report.left:  # else the pages stay as they are: rendering them would drop what was not taken
        report.files.update(files_beside(catalog, readme))
    return report


def _without_counts(text: str) -> str:
    """The page with each live count left empty: render fills them; a count is never a hand edit."""
    return _COUNT_RE.sub(lambda match: match.group(1) + match.group(2), text)


_COUNT_RE = re.compile(r"(<!-- vrlcat:counts (?:(?!-->).)*? -->)(?:(?!<!--).)*?(<!-- /vrlcat:counts -->)")


def _left_lines(page: Path, have: str, want: str, sources: list[Path | None] | Path | None,
                one_page: bool = False) -> list[Left]:
    """The page's lines that differ from what the catalog renders (`want`), one per line; `sources`
    is the catalog file of each rendered line (or one file for the whole page)."""
    ours, theirs = _without_counts(have).splitlines(), _without_counts(want).splitlines()
    shown = have.splitlines()
    left = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        where = min(j1, len(theirs) - 1)
        source = sources if not isinstance(sources, list) else (sources[where] if 0 <= where < len(sources)
                                                                 else None)
        # blank lines are layout, which render restores (an entry deleted by hand leaves its gap behind)
        if tag == "insert":
            left += [Left(page, None if one_page else i1 + 1, theirs[j], True, source) for j in range(j1, j2)
                     if theirs[j].strip()]
        else:
            left += [Left(page, None if one_page else i + 1, shown[i], False, source) for i in range(i1, i2)
                     if shown[i].strip()]
    return left


def _line_sources(loaded: Loaded) -> list[Path | None]:
    """The catalog file each line of the rendered page comes from (None where there is none to edit)."""
    from .render import _pieces, rendered_pieces

    catalog, root = loaded.catalog, loaded.root
    sources: list[Path | None] = []
    for (owner, _, _, _, section), (text, _) in zip(_pieces(catalog), rendered_pieces(catalog), strict=True):
        source: Path | None = root / LIST_FILE
        if isinstance(owner, Prose) and owner.file:
            source = root / owner.file
        elif isinstance(owner, Toc):
            source = root / owner.file if owner.file else None  # generated from the headings
        elif isinstance(owner, Chart):
            source = None
        elif section is not None and isinstance(owner, (Entry, RawBlock)):
            source = loaded.section_path(section.id)
        sources += [source] * text.count("\n")
    return sources


def _contributing_left(loaded: Loaded) -> list[Left]:
    """CONTRIBUTING.md's lines that are not what render writes: it is rendered from the prose file
    settings.contributing names, so its edits are that file's to take."""
    from .outputs import contributing_path, contributing_text

    page = contributing_path(loaded)
    if page is None or not page.is_file():
        return []
    try:
        have = page.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return [Left(page, None, "(not UTF-8 text)", source=loaded.root / str(loaded.catalog.settings.contributing))]
    return _left_lines(page, have, contributing_text(loaded.catalog),
                       loaded.root / str(loaded.catalog.settings.contributing))


def _one_page(catalog: Catalog, readme: Path) -> str:
    try:
        return one_page_from_files(catalog, readme)
    except UnicodeDecodeError as exc:
        raise VrlcatError(f"a section page is not UTF-8 text (byte {exc.start})", str(readme.parent)) from None


def _raw_text(section: Section, settings: Settings) -> dict[int, str]:
    """The verbatim blocks as the page shows them, by the entry they stand before."""
    shown: dict[int, str] = {}
    for block, position in section.raw_positions():
        shown[position] = shown.get(position, "") + block.text + "\n" + (block.gap if block.gap is not None else "\n")
    return shown


def _apply_section(new_section: Section, target: Section, index: dict[str, tuple[Section, Entry]],
                   placed: set[int], report: SyncReport, settings: Settings) -> tuple[list[Entry], bool]:
    """The section's entries as the README has them, and whether anything in it changed."""
    entries: list[Entry] = []
    touched = False
    for new in new_section.entries:
        found = next((index[key] for key in _keys(new) if key in index), None)
        if found is not None and id(found[1]) in placed and target.id in found[1].also_in:
            continue  # the cross-listed copy of an entry already placed
        if found is None or id(found[1]) in placed:
            new.line = None
            entries.append(new)
            placed.add(id(new))
            report.added.append(new.key)
            touched = True
            continue
        owner, old = found
        if render_entry(old, settings) != render_entry(new, settings) or old.gap != new.gap:
            report.edited.append(new.key)
            touched = True
            for key in _SHOWN:
                setattr(old, key, getattr(new, key))
        if new.authors and new.authors != old.authors:
            old.authors = new.authors
        if owner is not target:
            report.moved.append(f"{old.key}: {owner.id} -> {target.id}")
            old.line = None  # its map lives in another file
            touched = True
        placed.add(id(old))
        entries.append(old)
    if [id(e) for e in entries] != [id(e) for e in target.entries]:
        touched = True
    return entries, touched


def _set_styles(data: Any, styles: dict[str, dict[str, str]]) -> None:
    def visit(items: Any) -> None:
        for item in items or []:
            style = styles.get(item.get("id"))
            if style:
                item["style"] = dict(style)
            elif "style" in item and style is not None:
                del item["style"]
            visit(item.get("children"))

    visit(data.get("sections"))


def undone_edit(loaded: Loaded, report: SyncReport) -> Path | None:
    """A catalog file sync would write whose changes not yet committed to git it would undo, if any.

    The README is read as the truth; when it was not rendered since the catalog was
    edited, sync would put the catalog back as the README shows it. Outside a git
    checkout (or without git) nothing is known, and None is returned."""
    catalog_files = [path for path in report.files if path.suffix == ".yaml" and path.is_file()]
    if not catalog_files or shutil.which("git") is None:
        return None
    for path in sorted(catalog_files):
        folder, name = path.parent, path.name
        status = _git(folder, "status", "--porcelain", "--", name)
        if status is None:
            return None  # not a git checkout
        if not status.strip():
            continue
        committed = _git(folder, "show", f"HEAD:./{name}") or ""
        working = Counter(path.read_text(encoding="utf-8").splitlines())
        before = Counter(committed.splitlines())
        after = Counter(report.files[path].splitlines())
        if any(after[line] < count for line, count in (working - before).items()) or \
                any(after[line] > working[line] for line in before - working):
            return path
    return None


def _git(folder: Path, *args: str) -> str | None:
    """git's output in `folder`, or None when git fails (not a checkout, no such commit)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def refuse_undoing(loaded: Loaded, report: SyncReport, readme: Path) -> None:
    """Stop (one line, nothing written) when sync would undo catalog changes: ones not yet committed, or
    committed after the README's last change (the README is then stale, not edited)."""
    from .locate import typed_path

    undone = undone_edit(loaded, report)
    if undone is not None:
        raise VrlcatError(f"has changes not committed that sync would undo ({loaded.display(readme)} was not "
                          f"rendered since): run `vrlcat render -o {typed_path(readme)}` instead",
                          loaded.display(undone))
    if report.files and _stale_not_edited(loaded.root, readme):
        raise VrlcatError("was last committed before the catalog's last commit and not edited since: it is stale, "
                          f"not edited by hand, and sync would undo the catalog's change; run `vrlcat render -o "
                          f"{typed_path(readme)}` instead", loaded.display(readme))


def _stale_not_edited(root: Path, readme: Path) -> bool:
    """In a git checkout: the README has no changes of its own (none uncommitted, and its last commit
    came before the catalog's last commit), so what differs from the catalog is the catalog's edit."""
    if shutil.which("git") is None or _git(readme.parent, "status", "--porcelain", "--", readme.name) != "":
        return False  # not a checkout, or the README has edits not committed: a hand edit
    readme_commit = (_git(readme.parent, "log", "-1", "--format=%H", "--", readme.name) or "").strip()
    catalog_commit = (_git(root, "log", "-1", "--format=%H", "--", ".") or "").strip()
    if not readme_commit or not catalog_commit or readme_commit == catalog_commit:
        return False
    return _git(root, "merge-base", "--is-ancestor", readme_commit, catalog_commit) is not None


def describe(loaded: Loaded, report: SyncReport, readme: Path, dry_run: bool) -> tuple[list[str], list[str]]:
    """What sync says: what it takes (for standard output), and each line it cannot take with the
    catalog file to edit instead (for standard error)."""
    from .locate import typed_path
    from .outputs import page_texts, readme_path, stale_pages

    said = [] if report.files or report.left else [f"{loaded.display(readme)} already is what the catalog renders"]
    verbs = ("would add", "would edit", "would move", "would remove") if dry_run else \
        ("added", "edited", "moved", "removed")
    for what, keys in zip(verbs, (report.added, report.edited, report.moved, report.removed), strict=True):
        said += [f"{what}: {key}" for key in keys]
    said += [f"would sort: section '{section_id}' back into its declared order (settings.sort)" if dry_run
             else f"sorted: section '{section_id}' is back in its declared order (settings.sort)"
             for section_id in report.sorted]
    problems = []
    for left in report.left:
        where = loaded.display(left.page) + (f":{left.line}" if left.line else "")
        what = f"a line taken out: {left.text}" if left.taken_out else left.text
        problems.append(f"{where}: not taken into the catalog: {what or '(a blank line)'}")
    kept = sorted({left.page for left in report.left}, key=str)
    for page in kept:
        sources = sorted({loaded.display(left.source) for left in report.left if left.page == page and left.source})
        instead = " or ".join(sources) if sources else "the catalog's prose files"
        problems.append(f"{loaded.display(page)}: edit {instead} instead (the catalog renders these lines from it), "
                        f"then `vrlcat render -o {typed_path(readme_path(loaded))}`; until then sync leaves the "
                        "pages as they are")
    if dry_run:
        would = set(report.files) | ({p for p in stale_pages(page_texts(loaded, readme)) if p not in kept}
                                     if report.files and not report.left else set())
        if would:
            said.append("would change " + ", ".join(sorted({loaded.display(p) for p in would})))
    return said, problems
