"""A build killed at any moment (SIGKILL: no clean-up runs) leaves the output either as it was or
as the new build, never a mixture; and the next build gives a cold build's bytes.

Two ways to pick the moment: at random times during a real `timeline build` (the process is
killed from outside), and at every step that changes a file (the process kills itself just
before its n-th rename, link, unlink, write or exchange), so that no step is missed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SITES
from test_incremental import EVENTS, add_entry, edit_title, tree

from timeline.engine.build import build_site

# Kill the process just before the n-th step that changes a file (n from the environment);
# with n = 0, count the steps and print how many there were.
KILL_AT_STEP = """
import atexit, os, pathlib, signal, sys
import timeline.write.output as output
limit, steps = int(os.environ["KILL_AT_STEP"]), [0]
def step():
    steps[0] += 1
    if steps[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
def watched(function):
    def call(*args, **kwargs):
        step()
        return function(*args, **kwargs)
    return call
for name in ("rename", "link", "unlink", "rmdir", "mkdir"):
    setattr(output.os, name, watched(getattr(os, name)))
pathlib.Path.write_bytes = watched(pathlib.Path.write_bytes)
output.exchange = watched(output.exchange)
output._RENAMEAT2 = output._RENAMEAT2 and watched(output._RENAMEAT2)
atexit.register(lambda: limit or print("steps", steps[0], file=sys.stderr))
from timeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def build_command(site: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "timeline", "build", "--site", str(site), "--output", str(out)]


def cold(site: Path, scratch: Path) -> dict[str, bytes | None]:
    shutil.rmtree(scratch, ignore_errors=True)
    assert build_site(site, scratch, incremental=False).ok
    return tree(scratch)


class Versions:
    """A site that goes back and forth between two versions, with each version's cold build."""

    def __init__(self, tmp_path: Path) -> None:
        self.site = tmp_path / "site"
        shutil.copytree(SITES / "minimal", self.site)
        self.out = tmp_path / "out"
        self.entry = self.site / EVENTS / "2023/2023-11-vote.yaml"
        self.texts = [self.entry.read_text()]
        self.expected = [cold(self.site, tmp_path / "cold")]
        edit_title(self.site)
        add_entry(self.site)
        self.texts.append(self.entry.read_text())
        self.expected.append(cold(self.site, tmp_path / "cold"))
        self.current = 1
        assert build_site(self.site, self.out).ok and tree(self.out) == self.expected[1]

    def switch(self) -> tuple[dict[str, bytes | None], dict[str, bytes | None]]:
        """Go to the other version: (the output's tree now, the one the next build makes)."""
        before = self.expected[self.current]
        self.current = 1 - self.current
        self.entry.write_text(self.texts[self.current])
        new = self.site / EVENTS / "2023/2023-12-01-new.md"
        if self.current == 0:
            new.unlink()
        else:
            add_entry(self.site)
        return before, self.expected[self.current]

    def check_after_kill(self, before: dict, after: dict) -> None:
        found = tree(self.out)
        assert found in (before, after), "a killed build left a mixture of two builds"
        assert list((self.out / "pagefind").glob("*/pagefind-entry.json"))
        finished = subprocess.run(build_command(self.site, self.out), capture_output=True)
        assert finished.returncode == 0, finished.stderr
        assert tree(self.out) == after


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_at_random_moments(tmp_path):
    versions = Versions(tmp_path)
    before, after = versions.switch()
    started = time.perf_counter()
    subprocess.run(build_command(versions.site, versions.out), check=True, capture_output=True)
    duration = time.perf_counter() - started
    versions.check_after_kill(before, after)
    shuffle = random.Random(20261203)
    for trial in range(24):
        before, after = versions.switch()
        process = subprocess.Popen(build_command(versions.site, versions.out))
        # Spread over the whole build, start-up included, and a little past it.
        time.sleep(duration * (trial + shuffle.random()) / 20)
        process.send_signal(signal.SIGKILL)
        process.wait()
        versions.check_after_kill(before, after)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_before_each_step_that_changes_a_file(tmp_path):
    versions = Versions(tmp_path)
    for _warm_up in range(2):  # an update after an update: the spare folder is there
        before, after = versions.switch()
        versions.check_after_kill(before, after)
    before, after = versions.switch()
    counted = _run_killed(versions, 0)
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stderr.split("steps ")[-1])
    assert steps > 10  # writes, renames, links and the exchange of an update
    versions.check_after_kill(before, after)
    kills = 0
    for step in range(1, steps + 1):
        before, after = versions.switch()
        killed = _run_killed(versions, step)
        # The way back may take fewer steps, or more when the last kill left no spare folder.
        assert killed.returncode in (0, -signal.SIGKILL), (step, killed.stderr)
        kills += killed.returncode == -signal.SIGKILL
        versions.check_after_kill(before, after)
    assert kills > steps / 2


def _run_killed(versions: Versions, step: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", KILL_AT_STEP, *build_command(versions.site, versions.out)[3:]]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "KILL_AT_STEP": str(step)},
        timeout=120,
    )
