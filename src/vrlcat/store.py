"""Reading and writing `catalog/`: finding it, loading it, writing it.

Reading uses PyYAML's C parser with YAML 1.2 core scalars (yaml_read.py; ruamel's
C safe loader reads what that leaves aside), recording the line of every mapping
and key, and caches each file's parsed data as JSON keyed by a hash of its
bytes, so a warm run parses nothing that has not changed; schema.py turns the
data into the model. Rewriting one file (add, sort, fix) goes through
yamledit.py so comments and layout survive. Every write goes through `fsio`
(staged, then swapped in, all or nothing).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# cache_dir, LIST_FILE, find_catalog and repository_root live in light modules (the lint cache uses them
# before anything is read) and are re-exported here, where the catalog's other modules find them.
from .cachecap import cache_dir as cache_dir
from .errors import VrlcatError
from .locate import LIST_FILE as LIST_FILE
from .locate import find_catalog as find_catalog
from .locate import repository_root as repository_root
from .locate import shown_path
from .model import SECTIONS, Catalog, Chart, Prose, Section, Settings, Toc
from .schema import LINE, LINES, SETTINGS_KEYS, Checker, Problem, entry_data, gap_to_yaml, with_gap
from .yamledit import dump_yaml, edit_yaml, sync_entries

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, ScalarNode

SECTIONS_DIR = "sections"
PROSE_DIR = "prose"
CACHE_VERSION = "2"
# While a writing command runs, its writes inside the repository (the first item) gather in the
# second item; vrlcat.workflow.finish writes them as one batch. Cache files are written at once.
PENDING_WRITES: ContextVar[tuple[Path, dict[Path, str | bytes]] | None] = ContextVar("vrlcat_pending_writes",
                                                                                   default=None)


@dataclass
class Loaded:
    catalog: Catalog
    root: Path
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str | None = None  # a digest of every file read: the same catalog on disk, the same fingerprint

    def section_path(self, section_id: str) -> Path:
        return section_path(self.root, section_id)

    def rewritten_section(self, section: Section) -> tuple[Path, str]:
        """The section file's new text after its entries changed in the model
        (comments and layout kept); nothing is written."""
        path = self.section_path(section.id)
        problem = next((p for p in self.problems if p.path == str(path)), None)
        if problem is not None:
            raise VrlcatError(f"not rewritten while the file has a schema problem: {problem.message}; "
                              "fix that first", problem.path, problem.line)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return path, edit_yaml(text or "entries: []\n", lambda data: sync_entries(data, section), str(path))

    def display(self, path: Path) -> str:
        """`path` relative to the repository root, as hints and GitHub annotations need it."""
        return shown_path(path, repository_root(self.root))


def section_path(root: Path, section_id: str) -> Path:
    return root / SECTIONS_DIR / f"{section_id}.yaml"


# --- finding the catalog (where it is: locate.py) ----------------------------

def default_import_target(option: str | os.PathLike[str] | None) -> Path:
    return Path(option or os.environ.get("VRLCAT_CATALOG") or "catalog")


# --- reading -----------------------------------------------------------------

def _safe_yaml() -> YAML:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class LineConstructor(SafeConstructor):
        """Records where each mapping and key is; keeps timestamps as text."""

        def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE] = node.start_mark.line + 1
            mapping[LINES] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
            return mapping

        def construct_yaml_timestamp(self, node: ScalarNode, values: Any = None) -> Any:
            return self.construct_scalar(node)

    LineConstructor.add_constructor("tag:yaml.org,2002:timestamp", LineConstructor.construct_yaml_timestamp)
    yaml = YAML(typ="safe", pure=False)
    yaml.Constructor = LineConstructor
    return yaml


def read_yaml(path: Path, digests: list[str] | None = None) -> Any:
    """Parsed data of a YAML file with `__line__`/`__lines__` marks, from cache when unchanged;
    the digest of its bytes is added to `digests`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VrlcatError("file not found", str(path)) from None
    digest = hashlib.blake2b(raw + CACHE_VERSION.encode(), digest_size=16).hexdigest()
    if digests is not None:
        digests.append(f"{path.name} {digest}")
    cached = cache_dir() / "parsed" / f"{digest}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass
    data = parse_yaml(raw.decode("utf-8", errors="replace"), str(path))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(cached, json.dumps(data, ensure_ascii=False))
        from .cachecap import evict_oldest

        evict_oldest(cached.parent)
    except OSError:
        pass  # a read-only cache only costs speed
    return data


def parse_yaml(text: str, name: str) -> Any:
    """The data of one YAML file: the fast reader, else ruamel (errors, tags, merge keys...)."""
    from .yaml_read import NotCoreYaml, load_core_yaml

    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk construction creates no cycles; collection only costs time
    try:
        return load_core_yaml(text)
    except NotCoreYaml:
        return _parse_with_ruamel(text, name)
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse_with_ruamel(text: str, name: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError

    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _safe_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise VrlcatError(f"invalid YAML: {exc.problem or exc.context}", name, mark and mark.line + 1,
                          column=mark and mark.column + 1) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def load_catalog(root: Path, strict: bool = True) -> Loaded:
    """Read a catalog. Strict: the first schema problem is raised as a VrlcatError;
    otherwise problems are collected (for lint) and bad values left out."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building the model makes no cycles: a collection (~60 ms at 20,000 entries) only costs time
    try:
        loaded = _read_catalog(root)
    finally:
        if gc_was_enabled:
            gc.enable()
    if strict and loaded.problems:
        raise loaded.problems[0].error()
    return loaded


def _read_catalog(root: Path) -> Loaded:
    list_path = root / LIST_FILE
    digests: list[str] = []
    data = read_yaml(list_path, digests)
    checker = Checker(str(list_path))
    catalog = checker.catalog(data)
    loaded = Loaded(catalog, root, checker.problems)
    for section in catalog.walk():
        path = section_path(root, section.id)
        if not path.exists():
            continue
        section_checker = Checker(str(path))
        section.entries, section.raw = section_checker.entries(read_yaml(path, digests))
        section.anchor_raw()
        loaded.problems.extend(section_checker.problems)
    known = {section.id for section in catalog.walk()}
    for section, entry in catalog.entries():
        for other in entry.also_in:
            if other not in known:
                loaded.problems.append(Problem(str(section_path(root, section.id)), entry.line,
                                               f"entry {entry.key!r}: also_in names unknown section id '{other}'",
                                               entry.key))
    for block in catalog.page:
        if isinstance(block, (Prose, Toc)) and block.file:
            prose_path = root / block.file
            if not prose_path.resolve().is_relative_to(root.resolve()):
                loaded.problems.append(Problem(str(list_path), None, f"prose file {block.file} leads outside the "
                                               "catalog folder (a symbolic link?)"))
                continue
            try:
                text = prose_path.read_bytes().decode("utf-8")
            except FileNotFoundError:
                loaded.problems.append(Problem(str(list_path), None, f"prose file {block.file} not found"))
                continue
            block.text = text[:-1] if text.endswith("\n") else text
            digests.append(f"{block.file} {hashlib.blake2b(text.encode('utf-8'), digest_size=16).hexdigest()}")
    loaded.fingerprint = hashlib.blake2b("\n".join(digests).encode("utf-8"), digest_size=16).hexdigest()
    return loaded


def orphan_section_files(root: Path, catalog: Catalog) -> list[Path]:
    """Files in sections/ that no section in list.yaml owns."""
    known = {section.id for section in catalog.walk()}
    folder = root / SECTIONS_DIR
    return sorted(p for p in folder.glob("*.yaml") if p.stem not in known) if folder.is_dir() else []


# --- writing -----------------------------------------------------------------

def write_text_atomically(path: Path, text: str) -> None:
    """Replace one file safely (see `fsio`)."""
    write_files_atomically({path: text})


def write_files_atomically(files: Mapping[Path, str | bytes], remove: Iterable[Path] = ()) -> None:
    """All or nothing: `fsio.write_files` stages every file, then swaps them in.
    YAML that vrlcat would refuse to read back is never written."""
    from .fsio import write_files
    from .yaml_guard import check_yaml_to_write

    for path, text in files.items():
        if path.suffix == ".yaml" and isinstance(text, str):
            check_yaml_to_write(text, path)
    pending = PENDING_WRITES.get()
    if pending is not None and not remove and all(Path(os.path.abspath(p)).is_relative_to(pending[0]) for p in files):
        pending[1].update(files)
        return
    write_files(files, remove)


def catalog_files(catalog: Catalog, root: Path) -> dict[Path, str]:
    """Every file of a catalog as text: list.yaml, one YAML per section with
    entries, one Markdown file per prose block."""
    files: dict[Path, str] = {}
    page: list[Any] = []

    def prose_file(name: str, text: str) -> str:
        name = name if name.endswith(".md") else f"{PROSE_DIR}/{name}.md"
        while root / name in files:
            name = name.removesuffix(".md") + "-2.md"
        files[root / name] = text + "\n"
        return name

    for block in catalog.page:
        if isinstance(block, Prose):
            item = {"file": prose_file(block.file, block.text)} if block.file else {"text": block.text}
            page.append(with_gap(item, block.gap))
        elif isinstance(block, Toc):
            toc: dict[str, Any] = {"heading": block.heading, "level": block.level}
            if block.intro:
                toc["intro"] = block.intro
            if block.text is not None:
                toc["file"] = prose_file(block.file or "table-of-contents", block.text)
            page.append({"toc": with_gap(toc, block.gap)})
        elif isinstance(block, Chart):
            chart: dict[str, Any] = {"chart": block.kind, "file": block.file}
            chart.update({key: value for key in ("alt", "width") if (value := getattr(block, key)) is not None})
            page.append(with_gap(chart, block.gap))
        else:
            page.append(SECTIONS)
    data: dict[str, Any] = {}
    if catalog.title:
        data["title"] = catalog.title
    data["settings"] = _settings_data(catalog.settings)
    data["page"] = page
    data["sections"] = [_section_data(s) for s in catalog.sections]
    files[root / LIST_FILE] = dump_yaml(data)
    for section in catalog.walk():
        if section.entries or section.raw:
            files[section_path(root, section.id)] = dump_yaml({"entries": section_items(section)})
    return files


def section_items(section: Section) -> list[dict[str, Any]]:
    """A section file's `entries` list: entries, and verbatim blocks where they stand."""
    items: list[dict[str, Any]] = [entry_data(e) for e in section.entries]
    for block, index in reversed(section.raw_positions()):
        items.insert(index, with_gap({"raw": block.text}, block.gap))
    return items


def _settings_data(settings: Settings) -> dict[str, Any]:
    """The settings that say something: the usual four, and any house style that differs from the default."""
    default = Settings()
    data: dict[str, Any] = {"date_style": settings.date_style, "bullet": settings.bullet,
                            "badges": list(settings.badges),
                            "sort": {"by": settings.sort.by, "order": settings.sort.order}}
    for key in SETTINGS_KEYS:
        value = getattr(settings, key)
        if key in data or value == getattr(default, key):
            continue
        if key == "badge_forms":
            value = {k: v for k, v in value.items() if v != default.badge_forms.get(k)}
        elif key in ("entry_gap", "end_gap"):
            value = gap_to_yaml(value)
        data[key] = value
    return data


def _section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"id": section.id, "title": section.title, "level": section.level}
    if section.heading is not None:
        data["heading"] = section.heading
    with_gap(data, section.gap)
    if section.description:
        data["description"] = section.description
    if section.description_gap is not None:
        data["description_gap"] = gap_to_yaml(section.description_gap)
    if section.style:
        data["style"] = dict(section.style)
    if section.sort:
        data["sort"] = {"by": section.sort.by, "order": section.sort.order}
    if section.children:
        data["children"] = [_section_data(c) for c in section.children]
    return data


