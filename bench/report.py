"""What the benchmark scripts share: where they ran, what code they measured, and how a script
puts its section into docs/benchmarks.md."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    cores = os.cpu_count()
    return f"{cores} cores, {platform.system()} {platform.machine()}, Python " + (
        platform.python_version()
    )


def code_state() -> dict[str, str]:
    """The commit checked out, a hash of the timeline package's files (uncommitted edits
    included) and the load average, to tell whether the code measured changed during the run."""
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    digest = hashlib.sha256()
    for path in sorted((ROOT / "timeline").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"head": head, "code": digest.hexdigest()[:12], "load": load}


def wrap(text: str) -> str:
    return textwrap.fill(text, width=96, break_long_words=False, break_on_hyphens=False)


def update(path: Path, title: str, text: str) -> None:
    """Put `text` in place of the section starting with `title` (up to the next `## ` line or
    the end), or at the end when there is none."""
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    if title in lines:
        start = lines.index(title)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = ["", *lines[end:]] if end < len(lines) else []
        lines = lines[:start] + text.splitlines() + tail
    else:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *text.splitlines()] if lines else text.splitlines()
    path.write_text("\n".join(lines) + "\n", "utf-8")
