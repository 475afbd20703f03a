"""One command's lifetime: what it takes (the catalog lock, its batch of writes) is given back when it ends.

Apart from workflow.py, which imports the store, so that a command answered without
the catalog's modules (a lint replayed from its cache) starts without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from contextvars import ContextVar

from . import environment

_COMMAND: ContextVar[ExitStack | None] = ContextVar("vrlcat_command", default=None)


@contextmanager
def command_scope() -> Iterator[None]:
    """Run one command: what it takes (the catalog lock) is given back when it ends."""
    environment.check()
    with ExitStack() as stack:
        token = _COMMAND.set(stack)
        try:
            yield
        finally:
            _COMMAND.reset(token)


def hold(manager: AbstractContextManager[object]) -> None:
    """Enter `manager` until the running command ends."""
    stack = _COMMAND.get()
    if stack is None:
        raise RuntimeError("workflow.load(write=True) runs inside scope.command_scope()")
    stack.enter_context(manager)
