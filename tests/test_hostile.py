"""Hostile input: no traceback, no injection, nothing lost.

Each case of tests/hostile/expected.yaml drops one file (or folder, or symlink) into a fresh copy
of tests/sites/minimal and runs the real command line, `timeline check --format json` and
`timeline build`, as subprocesses with a 10 s timeout and a 1 GB address-space cap. Both must
exit 0 or 1 as the case expects, never with a traceback, and print valid UTF-8. A reported
problem must carry the expected file, line, field and message; a failed build must leave the
previous output exactly as it was; a site that builds must be harmless (tests/harmless.py).
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, SITES
from harmless import embed_html_problems, site_problems
from htmlwalk import parse_html

HOSTILE = ROOT / "tests" / "hostile"
CASES = HOSTILE / "cases"
TIMEOUT = 10  # seconds, for each command
MEMORY = 1 << 30  # bytes of address space, for each command and what it runs
BASE_URL = "https://example.org/chronology/"
PREVIOUS = b"the output of an earlier build\n"


def _load_cases() -> dict[str, dict[str, Any]]:
    with open(HOSTILE / "expected.yaml", encoding="utf-8") as stream:
        return yaml.safe_load(stream)


SPEC = _load_cases()


def _params() -> list[Any]:
    params = []
    for name, case in SPEC.items():
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


@dataclass
class Run:
    code: int | None  # None: killed at the timeout
    stdout: bytes
    stderr: bytes

    def describe(self) -> str:
        code = "timed out" if self.code is None else f"exit {self.code}"
        return f"{code}\nstderr:\n{self.stderr.decode('utf-8', 'replace')[-3000:]}"


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_timeline(*args: str, cwd: Path) -> Run:
    """The real CLI, in its own process group (so Pagefind dies with it at the timeout)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        code = None
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    with contextlib.suppress(ProcessLookupError):  # anything it left running in its group
        os.killpg(process.pid, signal.SIGKILL)
    return Run(code, out, err)


def _dest(name: str, case: dict[str, Any]) -> str:
    file = case.get("file", f"{name}.md")
    return case.get("dest") or f"content/events/2023/2023-10-20-{name}{Path(file).suffix}"


def _fs_path(site: Path, dest: str) -> Path:
    """`dest` in the site; `\\xNN` in it is a raw byte (for file names that are not UTF-8)."""
    raw = re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), dest.encode())
    return Path(os.fsdecode(bytes(site) + b"/" + raw))


def _case_bytes(case: dict[str, Any], file: str) -> bytes:
    text = (CASES / file).read_text("utf-8")
    for item in case.get("repeat", ()):
        if "{i}" in item["text"]:
            block = "".join(item["text"].replace("{i}", str(i)) for i in range(item["times"]))
        else:
            block = item["text"] * item["times"]
        text = text.replace(item["marker"], block)
    data = text.encode("utf-8")
    for transform in case.get("bytes", ()):
        if transform == "bom":
            data = b"\xef\xbb\xbf" + data
        elif transform == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif transform == "latin-1":
            data = text.encode("latin-1")
        elif transform == "nul":
            data = data.replace(b"<NUL>", b"\x00")
        else:
            raise ValueError(f"unknown transform {transform}")
    return data


def make_site(tmp_path: Path, name: str, case: dict[str, Any]) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    dest = _fs_path(site, _dest(name, case))
    dest.parent.mkdir(parents=True, exist_ok=True)
    kind = case.get("kind")
    if kind == "directory":
        dest.mkdir()
    elif kind in ("symlink-to-itself", "symlink-to-folder"):
        try:
            dest.symlink_to(dest.name if kind == "symlink-to-itself" else ".")
        except OSError as exc:  # a platform or file system without symlinks
            pytest.skip(f"cannot make a symlink here: {exc}")
    elif kind is not None:
        raise ValueError(f"unknown kind {kind}")
    else:
        dest.unlink(missing_ok=True)
        dest.write_bytes(_case_bytes(case, case.get("file", f"{name}.md")))
    for file, other in case.get("also", {}).items():
        target = _fs_path(site, other)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_case_bytes({}, file))
    return site


def _problems(run: Run, what: str) -> list[dict[str, Any]]:
    try:
        text = run.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        pytest.fail(f"{what} printed bytes that are not UTF-8: {exc}")
    try:
        return json.loads(text) if text.strip() else []
    except ValueError as exc:
        pytest.fail(f"{what} printed something that is not JSON ({exc}): {text[:500]!r}")


def _matches(problem: dict[str, Any], want: dict[str, Any], dest: str) -> bool:
    return (
        problem["severity"] == "error"
        and fnmatch.fnmatchcase(problem["file"], want.get("file", dest))
        and problem["line"] == want["line"]
        and problem["field"] == want["field"]
        and want["message"] in problem["message"]
    )


def _sane(run: Run, what: str) -> None:
    assert run.code is not None, f"{what} did not finish in {TIMEOUT} s"
    assert b"Traceback" not in run.stderr, f"{what} crashed:\n{run.describe()}"
    assert run.code in (0, 1), f"{what}: {run.describe()}"


@pytest.mark.parametrize("name", _params())
def test_hostile_case(name: str, tmp_path: Path) -> None:
    case = SPEC[name]
    site = make_site(tmp_path, name, case)
    dest = _dest(name, case)
    output = tmp_path / "out"
    output.mkdir()
    (output / "previous.txt").write_bytes(PREVIOUS)

    check_args = ("check", "--site", str(site), "--format", "json")
    build_args = ("build", "--site", str(site), "--output", str(output), "--format", "json")
    if "repeat" in case:  # a big case gets the machine to itself: one command at a time
        check = run_timeline(*check_args, cwd=site)
        _sane(check, "check")
        build = run_timeline(*build_args, cwd=site)
    else:  # both commands only read the site, so they run side by side
        with ThreadPoolExecutor(2) as pool:
            checking = pool.submit(run_timeline, *check_args, cwd=site)
            building = pool.submit(run_timeline, *build_args, cwd=site)
            check, build = checking.result(), building.result()
    _sane(check, "check")
    checked = _problems(check, "check")
    _sane(build, "build")
    built = _problems(build, "build")
    assert not list(tmp_path.rglob("PWNED")), "a YAML tag ran a command"

    if case["expect"] == "problem":
        want = case["problem"]
        assert check.code == 1, f"check accepted the case:\n{json.dumps(checked, indent=1)}"
        assert any(_matches(p, want, dest) for p in checked), (
            f"expected {want} in {dest}; check reported:\n{json.dumps(checked, indent=1)}"
        )
        assert build.code == 1, f"build accepted the case: {build.describe()}"
        assert any(_matches(p, want, dest) for p in built), json.dumps(built, indent=1)
        # Nothing lost: the previous output is untouched, and nothing is left beside it.
        assert sorted(p.name for p in output.iterdir()) == ["previous.txt"]
        assert (output / "previous.txt").read_bytes() == PREVIOUS
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
    else:
        assert case["expect"] == "renders", name
        errors = [p for p in checked if p["severity"] == "error"]
        assert check.code == 0 and not errors, json.dumps(errors, indent=1)
        assert build.code == 0, build.describe()
        assert not (output / "previous.txt").exists()
        _assert_harmless(output, case)


def _assert_harmless(output: Path, case: dict[str, Any]) -> None:
    site = json.loads((output / "events.json").read_text("utf-8"))["site"]
    base_url = site["base_url"]
    assert site_problems(output, base_url) == []
    for oembed in sorted(output.glob("events/*/oembed.json")):
        html = json.loads(oembed.read_text("utf-8"))["html"]
        assert embed_html_problems(html, base_url) == [], oembed
    for page, strings in case.get("text", {}).items():
        text = "".join(parse_html((output / page).read_text("utf-8")).text)
        for string in strings:
            assert string in text, f"{page} lost {string!r}"
    for string in case.get("absent", ()):
        for file in output.rglob("*.html"):
            assert string not in file.read_text("utf-8"), f"{file} holds {string!r}"


def test_there_are_enough_cases() -> None:
    assert len(SPEC) >= 40
    files = {case.get("file", f"{name}.md") for name, case in SPEC.items() if "kind" not in case}
    files |= {file for case in SPEC.values() for file in case.get("also", {})}
    assert files == {p.name for p in CASES.iterdir()}, "every case file is used, and exists"
