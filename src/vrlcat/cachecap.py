"""A size cap for vrlcat's disk caches (parsed YAML, HTTP answers): the oldest files go first.

Each cache folder is checked only when a new file is written into it, which
happens after a parse or a request, so the check costs little next to them."""

from __future__ import annotations

import os
from pathlib import Path

from .environment import number

DEFAULT_MEGABYTES = 64.0


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
