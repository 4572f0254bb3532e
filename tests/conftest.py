from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run the real command line as a subprocess, as an editor or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def cli():
    return run_cli
