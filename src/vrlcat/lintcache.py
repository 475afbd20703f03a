"""A lint result kept in the cache and replayed while nothing lint reads has changed.

A warm `vrlcat lint` on an unchanged catalog prints the stored report and exits with the
stored code without importing the catalog's modules (store, schema, model, the rules,
render, dedup, charts): start-up is most of its time (issue 13). Like ruff's or mypy's
cache it must never answer wrongly, so its key covers every input lint reads:

- the catalog folder as found (--catalog, else $VRLCAT_CATALOG, else upward from the
  working directory), its real path, and the repository holding it (findings name paths
  relative to it), and the working directory itself (messages may name paths from it);
- every file under the catalog folder by the digest of its bytes (list.yaml, sections/,
  prose/ and any file a page block names), every folder and symbolic link in it: an added,
  deleted or renamed section file, or an edit that keeps the size within one clock tick,
  is seen; links are followed, as lint follows them;
- the pages lint compares, outside the catalog folder and named by list.yaml (so they are
  listed in the stored result and checked when it is read): the README (settings.readme),
  the section pages folder beside it (lists/) and every file in it, CONTRIBUTING.md
  (settings.contributing) and each chart picture of the page, each by digest or as missing;
- the options: --select, --ignore, --format and -q; and the month (date-range finds dates
  "in the future"), vrlcat's version, Python's version and environment (sys.prefix), and vrlcat's code
  (cachecap.code_stamp). Like the parse cache, it assumes the libraries (PyYAML) of one
  Python executable read the same bytes the same way.

Colour is decided when the report is shown, as in a cold run. Never cached: --fix (a fixing
run always runs), a Markdown file, -v (it names the catalog as it is loaded), a run that
ends in an error, a catalog with a killed run's leftovers (a cold run finishes or skips
them), and a run whose inputs changed while it read them or less than a second before it
began (a write stamped within the file system's clock granularity): a concurrent writer
never leaves a result that a cold run would not give. An unreadable or corrupt entry is
a miss; entries are written atomically into the cache folder, under its size cap.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cachecap import cache_dir, code_stamp
from .errors import VrlcatError
from .locate import find_catalog, repository_root

if TYPE_CHECKING:
    from .lint import Context

KEY_VERSION = "vrlcat lint cache 1"  # change when what an entry holds changes
SETTLED_NS = 1_000_000_000  # an input changed more recently than this before the run may change under it


@dataclass
class Output:
    """What `vrlcat lint` prints, and its exit code: shown the same way when it ran and when it is replayed."""

    lines: list[str] | None  # --format text: the report's lines (terminal.print_report shows them)
    text: str | None  # json or github: echoed, unless None (github with no findings prints nothing)
    exit_code: int

    def to_json(self) -> dict[str, Any]:
        return {"lines": self.lines, "text": self.text, "exit_code": self.exit_code}

    @classmethod
    def from_json(cls, data: Any) -> Output:
        lines, text, exit_code = data["lines"], data["text"], data["exit_code"]
        if not (lines is None or isinstance(lines, list) and all(isinstance(line, str) for line in lines)) \
                or not (text is None or isinstance(text, str)) or exit_code not in (0, 1) \
                or lines is not None and text is not None or lines is None and text is None and exit_code:
            raise ValueError("not a lint result")
        return cls(lines, text, exit_code)


def describe(path: str, follow: bool = True) -> tuple[str, int]:
    """What lint would find at `path` (a file's digest, a folder's names, a link and what it leads to,
    or nothing), and the newest change time (ns) that says so: the parent folder's when nothing is there."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        try:
            return "missing", os.stat(os.path.dirname(path) or ".").st_ctime_ns
        except FileNotFoundError:
            return "missing", 0
    if stat.S_ISLNK(info.st_mode):
        if not follow:
            return "link loop", info.st_ctime_ns
        target, changed = describe(os.path.realpath(path), follow=False)
        return f"link {os.readlink(path)} to {target}", max(info.st_ctime_ns, changed)
    if stat.S_ISDIR(info.st_mode):
        names = "\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogatepass")
        return f"folder {hashlib.blake2b(names, digest_size=16).hexdigest()}", info.st_ctime_ns
    if not stat.S_ISREG(info.st_mode):
        return "special", info.st_ctime_ns
    with open(path, "rb") as file:
        digest = hashlib.blake2b(file.read(), digest_size=16).hexdigest()
        return f"file {digest}", max(info.st_ctime_ns, os.fstat(file.fileno()).st_ctime_ns)


class _Key:
    """The key's lines, hashed at the end, and the newest change time of the inputs described."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.newest = 0

    def add(self, *words: str) -> None:
        self.lines.append("\0".join(words))

    def path(self, path: str, shown: str) -> None:
        description, changed = describe(path)
        self.add(shown, description)
        self.newest = max(self.newest, changed)

    def tree(self, folder: str, shown: str, seen: set[str]) -> None:
        """Every name under `folder`, depth first in name order; a folder seen before is not entered again."""
        real = os.path.realpath(folder)
        if real in seen:
            self.add(shown, "seen")
            return
        seen.add(real)
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
        for name in names:
            path = os.path.join(folder, name)
            self.path(path, f"{shown}/{name}")
            if os.path.isdir(path):  # a link to a folder too: lint's globs follow it
                self.tree(path, f"{shown}/{name}", seen)

    def digest(self) -> str:
        text = "\n".join(self.lines).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(text, digest_size=16).hexdigest()


def _catalog_key(root: Path, options: dict[str, Any]) -> _Key:
    key = _Key()
    key.add(KEY_VERSION, __version__, sys.version, sys.prefix, code_stamp())
    key.add(os.getcwd(), str(root), os.path.realpath(root), str(repository_root(root)))
    key.add(json.dumps(options, sort_keys=True), datetime.date.today().strftime("%Y-%m"))
    key.path(str(root), ".")
    key.tree(str(root), ".", set())
    return key


def outside_inputs(context: Context) -> list[Path]:
    """The files lint read outside the catalog folder: the pages it compares and the chart pictures."""
    from .charts import page_charts
    from .pages import PAGES_FOLDER

    if context.readme is None:
        return []
    folder = context.readme.parent
    pages = folder / PAGES_FOLDER
    listed = sorted(pages.iterdir()) if pages.is_dir() else []
    charts = [folder / block.file for block in page_charts(context.catalog)]
    return [context.readme, pages, *listed, *([context.contributing] if context.contributing else []), *charts]


@dataclass
class LintCache:
    """The cache entry of one lint run: looked up before the run, written after it."""

    root: Path
    options: dict[str, Any]
    key: str
    started: int  # time.time_ns() before anything was read

    @classmethod
    def open(cls, catalog: Path | None, options: dict[str, Any]) -> LintCache | None:
        """The entry for this catalog and these options; None when the run must not use the cache."""
        from .fsio import has_leftovers

        started = time.time_ns()
        try:
            root = find_catalog(catalog)
            if has_leftovers(root):
                return None
            return cls(root, options, _catalog_key(root, options).digest(), started)
        except (OSError, VrlcatError):
            return None  # the run itself says what is wrong

    @property
    def path(self) -> Path:
        return cache_dir() / "lint" / f"{self.key}.json"

    def stored(self) -> Output | None:
        """The stored result, if there is one and the pages it compared are as they were."""
        try:
            entry = json.loads(self.path.read_bytes())
            if any(describe(path)[0] != description for path, description in entry["inputs"]):
                return None
            return Output.from_json(entry["output"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no entry, or one this vrlcat cannot read: run

    def save(self, output: Output, context: Context) -> None:
        """Keep `output` when no input changed while the run read it (nor just before)."""
        from .cachecap import evict_oldest
        from .store import write_text_atomically

        try:
            key = _catalog_key(self.root, self.options)
            inputs = []
            for path in outside_inputs(context):
                description, changed = describe(str(path))
                key.newest = max(key.newest, changed)
                inputs.append([str(path), description])
            if key.digest() != self.key or key.newest > self.started - SETTLED_NS:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(self.path, json.dumps({"inputs": inputs, "output": output.to_json()},
                                                        ensure_ascii=False))
            evict_oldest(self.path.parent)
        except (OSError, VrlcatError):
            pass  # a read-only cache only costs speed
