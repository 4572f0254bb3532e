"""The commands of `timeline`, one module each; what they share is here.

Exit codes: 0 success (warnings allowed unless --strict), 1 content problems, 2 usage errors.
"""

from __future__ import annotations

from pathlib import Path

from timeline.problems import Problem, format_problems

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def site_dir(value: str) -> Path:
    root = Path(value)
    if not root.is_dir():
        raise UsageError(f"--site {value}: no such directory")
    if not (root / "site.yaml").is_file():
        raise UsageError(f"--site {value}: not a timeline site (no site.yaml)")
    return root


def report(problems: list[Problem], fmt: str) -> None:
    if fmt == "json":
        print(format_problems(problems, "json"))
    elif problems:
        print(format_problems(problems, fmt))
