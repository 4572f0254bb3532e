"""Problems found in content: one located, human-readable message each.

Every stage that inspects content reports `Problem`s instead of raising, so a build can collect all
of them in one run and an editor never sees a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A located problem. Ordering (file, line, column, ...) gives a stable report order."""

    file: str
    line: int
    column: int
    severity: str
    field: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_text(self) -> str:
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {field}{self.message}{hint}"
        )

    def as_github(self) -> str:
        """A GitHub Actions workflow command, which annotates the file in a pull request."""
        level = "error" if self.is_error else "warning"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        props = f"file={_gh_prop(self.file)},line={self.line},col={self.column}"
        if self.field:
            props += f",title={_gh_prop(self.field)}"
        return f"::{level} {props}::{_gh_data(text)}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _gh_data(text: str) -> str:
    # Escaping rules of GitHub's workflow commands (toolkit/core/src/command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_problems(problems: Iterable[Problem], fmt: str) -> str:
    """Render problems as `text`, `json` or `github` output (see README, "timeline check")."""
    items = sorted(problems)
    if fmt == "json":
        return json.dumps([p.as_dict() for p in items], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.as_github() for p in items)
    return "\n".join(p.as_text() for p in items)


def summary_line(problems: Iterable[Problem]) -> str:
    items = list(problems)
    errors = sum(p.is_error for p in items)
    warnings = len(items) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
