"""The one expected-error type: what went wrong, and where."""

from __future__ import annotations


class VrlcatError(Exception):
    """A failure the user can fix (bad input, bad catalog, unreachable service).

    The CLI prints it as one line, `file:line: message`, and exits 2; anything
    else that escapes is a bug and keeps its traceback.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 exit_code: int = 2, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.exit_code = exit_code
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:" + "".join(f"{n}:" for n in (self.line, self.column) if n) + " "
        return f"{where}{self.message}"
