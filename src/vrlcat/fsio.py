"""Writing files so that nothing is lost: the one place vrlcat replaces a file.

A batch of files is staged as temporary files beside their targets, then
swapped in by renames. A failure part-way puts the old files back. Under a
`Guard` (a command holding the catalog lock) a journal beside the catalog
records the batch first, so a run killed mid-swap is finished (or undone) by
the next command, and leftover temporary files are removed. Each write keeps
the target's mode and line endings, follows a symlink to its target, and
refuses what is not a writable regular file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from .errors import VrlcatError

TMP_SUFFIX = ".vrlcat-tmp"
OLD_SUFFIX = ".vrlcat-old"
JOURNAL = ".vrlcat-journal.json"
_SIDE_NAME = re.compile(r"^\..+\.[0-9a-f]{8}(?:\.vrlcat-tmp|\.vrlcat-old)$")
# what vrlcat before 0.2 left: .NAME.XXXXXXXX.tmp
_OLD_SIDE_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
_NAME_PART = 48  # characters of a target's name kept in its temporary file's name (255-byte limit)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _default_mode()


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Guard:
    """A writing command's view of the catalog: the files as they were when it read
    them (by digest), so a file changed on disk since then is never overwritten."""

    root: Path
    digests: dict[Path, str | None] = field(default_factory=dict)

    @classmethod
    def snapshot(cls, root: Path) -> Guard:
        root = Path(os.path.realpath(root))
        guard = cls(root)
        for folder, _, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                if not is_leftover(Path(folder), name) and name != JOURNAL and path.is_file():
                    guard.digests[Path(os.path.realpath(path))] = digest(path.read_bytes())
        return guard

    def covers(self, path: Path) -> bool:
        return path.is_relative_to(self.root)

    def journals(self, path: Path) -> bool:
        """Writes beside the catalog (catalog files, README) go through the journal."""
        return path.is_relative_to(self.root.parent)

    def check_unchanged(self, path: Path) -> None:
        if not self.covers(path):
            return
        now = digest(path.read_bytes()) if path.is_file() else None
        if now != self.digests.get(path):
            raise VrlcatError("changed on disk while vrlcat was working; nothing was written: run the "
                              "command again", str(path))


ACTIVE_GUARD: ContextVar[Guard | None] = ContextVar("vrlcat_guard", default=None)


@dataclass
class _Item:
    target: Path  # the real path (symlinks followed)
    data: bytes | None  # None: remove the target
    mode: int = _NEW_FILE_MODE
    owner: tuple[int, int] | None = None
    temp: Path | None = None
    backup: Path | None = None

    def to_json(self) -> dict[str, object]:
        return {"target": str(self.target), "temp": self.temp and str(self.temp),
                "backup": self.backup and str(self.backup), "remove": self.data is None}


def is_leftover(folder: Path, name: str) -> bool:
    """A temporary or old copy a killed vrlcat left in `folder` (an older vrlcat's only
    beside the file it was writing, so a user's own `.x.tmp` files are safe)."""
    if _SIDE_NAME.match(name):
        return True
    old = _OLD_SIDE_NAME.match(name)
    return old is not None and (folder / old.group("name")).exists()


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _plan(path: Path, content: str | bytes) -> _Item:
    """Where and how `content` goes: through symlinks, with the old file's mode,
    owner and (for text) line endings; refuses what vrlcat must not replace."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        return _Item(target, content if isinstance(content, bytes) else content.encode("utf-8"))
    kind = _kind(info.st_mode)
    if kind:
        raise VrlcatError(f"is {kind}, not a regular file; vrlcat only replaces files: choose another path", str(path))
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise VrlcatError("is read-only; make it writable (chmod u+w) if vrlcat may change it", str(path))
    if isinstance(content, str):
        with open(target, "rb") as handle:
            head = handle.read(65536)
        if b"\r\n" in head:
            content = content.replace("\r\n", "\n").replace("\n", "\r\n")
        content = content.encode("utf-8")
    return _Item(target, content, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid))


def _side_name(target: Path, suffix: str) -> Path:
    """A fresh name beside `target` for its temporary or old copy (not created here)."""
    import secrets  # here, not at the top: read-only commands (tidy's check) do not pay for it

    return target.parent / f".{target.name[:_NAME_PART]}.{secrets.token_hex(4)}{suffix}"


def _stage(item: _Item) -> None:
    item.target.parent.mkdir(parents=True, exist_ok=True)
    assert item.temp is not None
    with open(os.open(item.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(item.data or b"")
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(item.temp, item.mode)
    if item.owner and os.geteuid() == 0:
        try:
            os.chown(item.temp, *item.owner)
        except OSError:
            pass  # keeping the owner is a courtesy; the content is what matters


def _back_up(item: _Item) -> None:
    """Keep the old file under a side name (a hard link: no copy, no window)."""
    if not item.target.exists():
        item.backup = None
        return
    assert item.backup is not None
    try:
        os.link(item.target, item.backup)
    except OSError:
        shutil.copy2(item.target, item.backup)


def _write_journal(folder: Path, state: str, items: list[_Item]) -> None:
    journal = folder / JOURNAL
    temp = _side_name(journal, TMP_SUFFIX)
    temp.write_text(json.dumps({"state": state, "items": [i.to_json() for i in items]}), encoding="utf-8")
    os.replace(temp, journal)


def write_files(files: Mapping[Path, str | bytes], remove: Iterable[Path] = ()) -> None:
    """Replace every file in `files` (text, or bytes such as a PNG) and delete every path
    in `remove`, all or nothing.
    An OSError leaves every file as it was and propagates (it names the path)."""
    items = [_plan(Path(p), text) for p, text in files.items()]
    items += [_Item(Path(os.path.realpath(p)), None) for p in remove if os.path.lexists(p)]
    if not items:
        return
    for item in items:
        item.temp = _side_name(item.target, TMP_SUFFIX) if item.data is not None else None
        item.backup = _side_name(item.target, OLD_SUFFIX)
    guard = ACTIVE_GUARD.get()
    journal = guard.root if guard and any(guard.journals(i.target) for i in items) else None
    try:
        if journal:
            _write_journal(journal, "staging", items)
        for item in items:
            if item.data is not None:
                _stage(item)
        if guard:
            for item in items:
                guard.check_unchanged(item.target)
        for item in items:
            _back_up(item)
        if journal:
            _write_journal(journal, "committed", items)
        _swap(items)
    except BaseException:
        _discard(items)
        if journal:
            (journal / JOURNAL).unlink(missing_ok=True)
        raise
    if journal:
        (journal / JOURNAL).unlink(missing_ok=True)
    _discard(items)
    if guard:
        for item in items:
            if guard.covers(item.target):
                guard.digests[item.target] = digest(item.data) if item.data is not None else None


def _swap(items: list[_Item]) -> None:
    """Rename every staged file into place; on a failure, put back the files already swapped."""
    done: list[_Item] = []
    try:
        for item in items:
            if item.data is None:
                item.target.unlink()
            else:
                os.replace(item.temp, item.target)  # type: ignore[arg-type]
            done.append(item)
    except BaseException:
        for item in reversed(done):
            if item.backup:
                os.replace(item.backup, item.target)
            else:
                item.target.unlink(missing_ok=True)
        raise


def _discard(items: list[_Item]) -> None:
    """Remove the side files of a batch (after it is swapped in, or undone)."""
    for item in items:
        for side in (item.temp, item.backup):
            if side is not None:
                side.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    write_files({path: text})


def recover(root: Path) -> list[Path]:
    """Finish or undo a batch a killed run left half-done (its journal says which),
    then remove leftover temporary files. Call only while holding the catalog lock.
    Returns the files removed."""
    root = Path(os.path.realpath(root))
    journal = root / JOURNAL
    folders = {root, root / "sections", root / "prose", root.parent}
    if journal.is_file():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {"state": "staging", "items": []}
        for item in record.get("items", []):
            target = Path(item["target"])
            folders.add(target.parent)
            if record.get("state") == "committed":
                if item.get("remove"):
                    target.unlink(missing_ok=True)
                elif item.get("temp") and os.path.exists(item["temp"]):
                    os.replace(item["temp"], target)
            for side in (item.get("temp"), item.get("backup")):
                if side:
                    Path(side).unlink(missing_ok=True)
        journal.unlink()
    removed = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if is_leftover(folder, name) and os.path.isfile(folder / name):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


def has_leftovers(root: Path) -> bool:
    """Whether a killed run left a journal or temporary files (cheap: lists four folders)."""
    root = Path(os.path.realpath(root))
    if (root / JOURNAL).exists():
        return True
    for folder in (root, root / "sections", root / "prose", root.parent):
        try:
            if any(is_leftover(folder, name) for name in os.listdir(folder)):
                return True
        except OSError:
            continue
    return False
