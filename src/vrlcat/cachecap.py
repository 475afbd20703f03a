"""Where vrlcat's disk caches (parsed YAML, HTTP answers, lint results) live, and their size
cap: the oldest files go first.

Each cache folder is checked only when a new file is written into it, which
happens after a parse or a request, so the check costs little next to them."""

from __future__ import annotations

import os
from pathlib import Path

from .environment import number

DEFAULT_MEGABYTES = 64.0


def cache_dir() -> Path:
    """$VRLCAT_CACHE_DIR, else the platform's cache folder for vrlcat."""
    configured = os.environ.get("VRLCAT_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs
    return Path(platformdirs.user_cache_dir("vrlcat"))


def code_stamp() -> str:
    """This vrlcat's code, as the size, mtime and inode of each of its modules: part of the key of a
    cached answer that depends on what the code does. A new install or checkout, or any edit that changes
    a module's size or time, changes it (stat is cheap: reading ~70 modules' bytes would cost more)."""
    rows: list[str] = []

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    visit(entry.path, f"{prefix}{entry.name}/")
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    rows.append(f"{prefix}{entry.name} {info.st_size} {info.st_mtime_ns} {info.st_ino}")

    visit(os.path.dirname(os.path.abspath(__file__)), "")
    return "\n".join(sorted(rows))


def cap_bytes() -> int:
    """The most bytes one cache folder may hold: $VRLCAT_CACHE_SIZE megabytes, else 64."""
    return int(number("VRLCAT_CACHE_SIZE", DEFAULT_MEGABYTES) * 1024 * 1024)


def evict_oldest(folder: Path, limit: int | None = None) -> list[Path]:
    """Remove the least recently written files until `folder` holds at most `limit` bytes."""
    limit = cap_bytes() if limit is None else limit
    files = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    files.append((info.st_mtime_ns, info.st_size, Path(entry.path)))
    except OSError:
        return []
    total = sum(size for _, size, _ in files)
    removed = []
    for _, size, path in sorted(files):
        if total <= limit:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed.append(path)
    return removed
