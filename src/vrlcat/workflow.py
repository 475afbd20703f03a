"""What every command does around its own work, in one place.

A command that writes holds the catalog lock from before it reads the catalog
until it ends: one writer at a time, and a second one waits a few seconds,
then stops with "the catalog is busy". Under the lock a run killed earlier is
finished or undone (`fsio.recover`), and the files are fingerprinted, so a
file changed on disk since it was read is never overwritten. Every command
first checks its environment and the catalog's YAML, and every expected
failure becomes one `VrlcatError` line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import environment
from .errors import VrlcatError
from .fsio import ACTIVE_GUARD, Guard, has_leftovers, recover
from .locate import shown_in_repository, typed_path
from .scope import hold
from .store import (
    LIST_FILE,
    PENDING_WRITES,
    PROSE_DIR,
    SECTIONS_DIR,
    Loaded,
    find_catalog,
    load_catalog,
    repository_root,
)

if TYPE_CHECKING:
    from .model import Catalog

LOCK_FILE = ".vrlcat.lock"
DEFAULT_LOCK_TIMEOUT = 5.0


@contextmanager
def writing(root: Path) -> Iterator[Guard]:
    """Hold the catalog lock; finish a killed run's batch; fingerprint the files."""
    from filelock import FileLock, Timeout

    timeout = environment.number("VRLCAT_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)
    lock = FileLock(str(root / LOCK_FILE), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise VrlcatError(f"the catalog is busy: another vrlcat command is writing it (waited {timeout:g} s); "
                          "run this one again when it ends", str(root)) from None
    try:
        recover(root)
        guard = Guard.snapshot(root)
        token = ACTIVE_GUARD.set(guard)
        try:
            yield guard
        finally:
            ACTIVE_GUARD.reset(token)
    finally:
        lock.release()


def tidy(root: Path) -> None:
    """For a command that only reads: clean up after a killed run, if the lock is free."""
    if not has_leftovers(root):
        return
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(root / LOCK_FILE), timeout=0):
            recover(root)
    except (Timeout, OSError):
        pass  # a writer is at work (it cleans up itself) or the folder is read-only


@dataclass
class Batch:
    """A writing command's files, written at its end by `finish`, and the pages
    that differed from the catalog before it began (a person edited them)."""

    repository: Path
    files: dict[Path, str | bytes] = field(default_factory=dict)
    stale_before: set[Path] = field(default_factory=set)


@dataclass
class Outcome:
    """What `finish` did: files written, sections re-sorted, and what it leaves to a person."""

    written: list[str] = field(default_factory=list)
    sorted: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


_BATCH: ContextVar[Batch | None] = ContextVar("vrlcat_batch", default=None)


@contextmanager
def _collecting(batch: Batch) -> Iterator[None]:
    tokens = (_BATCH.set(batch), PENDING_WRITES.set((batch.repository, batch.files)))
    try:
        yield
    finally:
        PENDING_WRITES.reset(tokens[1])
        _BATCH.reset(tokens[0])


def load(option: str | os.PathLike[str] | None, write: bool = False, strict: bool = True) -> Loaded:
    """Find and read the catalog; with `write`, under the lock for the rest of the
    command, its writes gathered for `finish`."""
    from .outputs import page_texts, stale_pages
    from .yaml_guard import check_catalog_yaml

    root = find_catalog(option)
    if write:
        hold(writing(root))
    else:
        tidy(root)
    check_catalog_yaml(root)
    loaded = load_catalog(root, strict=strict)
    if write:
        batch = Batch(repository_root(root), stale_before={p for p in stale_pages(page_texts(loaded)) if p.exists()})
        hold(_collecting(batch))
    return loaded


def finish(loaded: Loaded, regenerate: bool = False, readme: Path | None = None) -> Outcome:
    """End a writing command: re-sort the sections it touched, re-render the pages
    (README, CONTRIBUTING.md) and their stale chart pictures, and write all of it with
    its own files in one batch.

    A page a person had edited before the command began is left as it is and
    named, unless `regenerate` (sync, lint --fix, render) says to replace it;
    `readme` puts the README elsewhere (render -o)."""
    from .outputs import page_texts, stale_pages
    from .store import write_files_atomically

    batch = _BATCH.get()
    if batch is None:
        raise RuntimeError("workflow.finish runs after workflow.load(write=True)")
    outcome = Outcome(sorted=_resort_touched(loaded, batch.files))
    pages = page_texts(loaded, readme)
    for path in stale_pages(pages):
        if path in batch.stale_before and not regenerate:
            typed = typed_path(path)
            outcome.left.append(f"{loaded.display(path)} differs from the catalog (edited by hand?): `vrlcat sync "
                                f"{typed}` takes the edit into the catalog, `vrlcat render -o {typed}` drops it")
            batch.files.pop(path, None)
        else:
            batch.files[path] = pages[path]
    from .charts import stale_chart_pictures
    from .outputs import readme_path
    from .pages import leftover_pages

    readme = readme or readme_path(loaded)
    batch.files.update(stale_chart_pictures(loaded.catalog, readme.parent))  # the page's charts, drawn again
    files = dict(batch.files)
    batch.files.clear()
    gone = leftover_pages(pages, readme)  # section pages of a list back under its limit
    token = PENDING_WRITES.set(None)
    try:
        write_files_atomically(files, remove=gone)
    finally:
        PENDING_WRITES.reset(token)
    outcome.written = sorted(loaded.display(p) for p in files)
    outcome.left += _lint_errors_left(loaded.root, skip={"readme-stale"} if outcome.left else set())
    return outcome


def _resort_touched(loaded: Loaded, files: dict[Path, str | bytes]) -> list[str]:
    """Put each section whose file the command changed back in its declared order."""
    from .sort import first_misplaced, sorted_entries

    resorted = []
    for section in loaded.catalog.walk():
        order = loaded.catalog.sort_order(section)
        if loaded.section_path(section.id) in files and first_misplaced(section.entries, order) is not None:
            section.entries = sorted_entries(section.entries, order)
            path, text = loaded.rewritten_section(section)
            files[path] = text
            resorted.append(section.id)
    return resorted


def _lint_errors_left(root: Path, skip: set[str]) -> list[str]:
    """Lint's errors after the write, the ones `vrlcat lint --fix` mends apart from the decisions no
    command can take alone."""
    from collections import Counter

    from .lint import ERROR, catalog_context, run_rules

    findings = [f for f in run_rules(catalog_context(load_catalog(root, strict=False)))
                if f.severity == ERROR and f.rule not in skip]
    left = []
    for fixable, what in ((True, "lint errors `vrlcat lint --fix` mends"),
                          (False, "lint errors no command can settle alone")):
        counts = Counter(f.rule for f in findings if f.fixable == fixable)
        if counts:
            rules = ", ".join(f"{rule} ({n})" for rule, n in sorted(counts.items()))
            left.append(f"{what}: {rules}; `vrlcat lint` shows them")
    return left


def stale_files(root: Path, files: Mapping[Path, str]) -> list[Path]:
    """The files of the catalog at `root` (list.yaml, sections/*.yaml, prose/*.md) that a
    new catalog made of `files` does not own: replacing a catalog removes them."""
    owned = [root / LIST_FILE] if (root / LIST_FILE).is_file() else []
    owned += sorted((root / SECTIONS_DIR).glob("*.yaml")) + sorted((root / PROSE_DIR).glob("*.md"))
    kept = {os.path.realpath(p) for p in files}
    return [p for p in owned if os.path.realpath(p) not in kept]


def write_catalog(catalog: Catalog, target: Path, force: bool = False) -> None:
    """Write an imported catalog under the lock; with `force` it replaces the old one
    whole (files it does not own are removed in the same swap)."""
    from .store import catalog_files, write_files_atomically

    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        with writing(target):
            if (target / LIST_FILE).exists() and not force:
                raise VrlcatError("a catalog already exists here; pass --force to replace it", str(target))
            files = catalog_files(catalog, target)
            write_files_atomically(files, stale_files(target, files))
    except BaseException:
        if created:
            (target / LOCK_FILE).unlink(missing_ok=True)
            _remove_empty_tree(target)
        raise


def _remove_empty_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def expected_error(exc: BaseException) -> VrlcatError | None:
    """The one-line error for a failure the user can act on, its path relative to
    the repository (`locate.shown_in_repository`); None for a bug."""
    error = _as_expected(exc)
    if error is not None and error.path:
        error.path = shown_in_repository(error.path)
    return error


def _as_expected(exc: BaseException) -> VrlcatError | None:
    if isinstance(exc, VrlcatError):
        return exc
    if isinstance(exc, OSError):
        where = exc.filename and os.fsdecode(exc.filename)
        reason = exc.strerror or str(exc)
        return VrlcatError(f"{reason}; check that it exists, is the right kind of file, and that you may read "
                           "and write it", where)
    if isinstance(exc, UnicodeError):
        return VrlcatError(f"not UTF-8 text ({exc}); save the file as UTF-8")
    if isinstance(exc, RecursionError):
        return VrlcatError("the input is nested too deeply to read; flatten it")
    if isinstance(exc, MemoryError):
        return VrlcatError("out of memory reading the input; is a file much larger than a catalog should be?")
    try:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError
    except ImportError:  # pragma: no cover - ruamel is a dependency
        return None
    if isinstance(exc, YAMLError):
        mark = getattr(exc, "problem_mark", None) if isinstance(exc, MarkedYAMLError) else None
        return VrlcatError(f"invalid YAML: {str(exc).splitlines()[0]}", mark and mark.name,
                           mark and mark.line + 1)
    return None
