"""Settings read from the environment: every VRLCAT_* number in one table, checked in one place.

A value that is not a number, or out of range, is refused with one line naming
the variable: a silently ignored `VRLCAT_HTTP_TIMEOUT=nan` would mean no deadline at all."""

from __future__ import annotations

import math
import os

from .errors import VrlcatError

# variable: (lowest, highest, whole number)
NUMBERS = {
    "VRLCAT_HTTP_TIMEOUT": (0.1, 3600.0, False),
    "VRLCAT_HTTP_BUDGET": (0.1, 86400.0, False),
    "VRLCAT_ARXIV_DELAY": (0.0, 3600.0, False),
    "VRLCAT_HTTP_RETRIES": (0.0, 100.0, True),
    "VRLCAT_HTTP_BACKOFF": (0.0, 3600.0, False),
    "VRLCAT_HTTP_MAX_WAIT": (0.0, 86400.0, False),
    "VRLCAT_HTTP_PER_HOST": (1.0, 1000.0, True),
    "VRLCAT_HTTP_BREAKER": (1.0, 1000.0, True),
    "VRLCAT_HTTP_CACHE_AGE": (0.0, 1e9, False),
    "VRLCAT_LOCK_TIMEOUT": (0.0, 86400.0, False),
    "VRLCAT_CACHE_SIZE": (0.01, 1e6, False),  # megabytes per cache folder
}
FLAGS = ("VRLCAT_ALLOW_PRIVATE",)


def number(name: str, default: float) -> float:
    """A numeric setting from the environment, or one error naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    lowest, highest, whole = NUMBERS[name]
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and lowest <= value <= highest) or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise VrlcatError(f"{name}={raw!r} in the environment must be {kind} from {lowest:g} to {highest:g}; "
                          "fix or unset it")
    return value


def flag(name: str) -> bool:
    """A yes/no variable: 1/true/yes/on are yes; unset, empty, 0/false/no/off are no."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("", "0", "false", "no", "off"):
        return False
    raise VrlcatError(f"{name}={raw!r} in the environment must be 1 or 0; fix or unset it")


def check() -> None:
    """Refuse a bad value before a command starts, whichever command it is."""
    for name in NUMBERS:
        number(name, 0.0)
    for name in FLAGS:
        flag(name)
