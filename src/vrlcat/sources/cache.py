"""Answers of the services kept on disk for a while, so a re-run within the age asks nothing."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_AGE = 24 * 3600.0
CACHEABLE = frozenset({200, 404, 410})  # answers that stay true for a day (callers cache only checked ones)


@dataclass
class Cached:
    status: int
    headers: dict[str, str]
    body: bytes


class HttpCache:
    """GET answers by URL, each a JSON file named by a hash of the URL, fresh for `age` seconds."""

    def __init__(self, folder: Path, age: float = DEFAULT_AGE, enabled: bool = True):
        self.folder = folder
        self.age = age
        self.enabled = enabled

    @classmethod
    def from_env(cls, enabled: bool = True) -> HttpCache:
        from ..environment import number
        from ..store import cache_dir

        return cls(cache_dir() / "http", number("VRLCAT_HTTP_CACHE_AGE", DEFAULT_AGE), enabled)

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}.json"

    def get(self, key: str) -> Cached | None:
        if not self.enabled:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if time.time() - data.get("at", 0) > self.age or data.get("key") != key:
            return None
        return Cached(data["status"], data["headers"], data["body"].encode("latin-1"))

    def put(self, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        if not self.enabled or status not in CACHEABLE:
            return
        from ..store import write_text_atomically

        record = {"key": key, "at": time.time(), "status": status, "body": body.decode("latin-1"),
                  "headers": {k: v for k, v in headers.items() if k.lower() in ("content-type", "location")}}
        try:
            write_text_atomically(self._path(key), json.dumps(record))
            from ..cachecap import evict_oldest

            evict_oldest(self.folder)
        except OSError:
            pass  # an unwritable cache only costs requests
