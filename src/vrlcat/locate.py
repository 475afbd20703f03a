"""Where the catalog is, which repository holds it, and how paths in it are shown.

Apart from store.py (which imports the model and the schema) so that a command can
find its catalog without them: the lint cache looks up a result before anything is read.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import VrlcatError

LIST_FILE = "list.yaml"


def find_catalog(option: str | os.PathLike[str] | None = None) -> Path:
    """`--catalog DIR`, else $VRLCAT_CATALOG, else the nearest `catalog/` upward."""
    chosen = option or os.environ.get("VRLCAT_CATALOG")
    if chosen:
        root = Path(chosen)
        if not (root / LIST_FILE).is_file():
            raise VrlcatError(f"no {LIST_FILE} in catalog directory", str(root))
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "catalog" / LIST_FILE).is_file():
            return folder / "catalog"
    raise VrlcatError("no catalog/ found here or above; pass --catalog DIR or set VRLCAT_CATALOG")


def repository_root(root: Path) -> Path:
    """The repository holding the catalog folder `root`: the nearest folder upward with
    `.git`, else the catalog folder's parent."""
    root = Path(os.path.abspath(root))
    return next((f for f in root.parents if (f / ".git").exists()), root.parent)


def shown_path(path: Path, base: Path) -> str:
    """`path` relative to `base` when inside it (POSIX separators), else as given."""
    try:
        return Path(os.path.abspath(path)).relative_to(base).as_posix()
    except ValueError:
        return str(path)


def shown_in_repository(path: str) -> str:
    """`path` as an error line shows it: relative to the git repository holding it
    (the same form as lint's findings and GitHub's annotations), else to the
    working folder when inside it, else as given."""
    where = Path(os.path.abspath(path))
    base = next((f for f in where.parents if (f / ".git").exists()), Path.cwd())
    return shown_path(where, base) if where != base else path


def typed_path(path: Path) -> str:
    """`path` as the user types it in a suggested command: relative to the working
    folder, so the hint does what it says wherever it is printed."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive
        return str(path)
