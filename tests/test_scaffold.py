"""Editor workflow: `timeline init`, `timeline new`, prompts, schema staleness, CI files."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from htmlwalk import parse_html

from timeline.commands.new import slugify
from timeline.validate.schemas import SCHEMAS, schema_text


def test_init_new_check_build_as_an_editor_would(cli, tmp_path):
    site = tmp_path / "chronology"
    made = cli("init", str(site))
    assert made.returncode == 0, made.stderr
    assert (site / "site.yaml").is_file() and (site / "README.md").is_file()
    assert cli("check", "--site", str(site), "--strict").returncode == 0

    args = ["new", "Встреча в Москве", "--date", "2024-02-03", "--site", str(site)]
    first = cli(*args, "--actor", "example-state", "--source-url", "https://www.example.org/r")
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path == site / "content/events/2024/2024-02-03-vstrecha-v-moskve.md"
    written = path.read_text()

    second = cli(*args)
    assert second.returncode == 2
    assert "already exists" in second.stderr
    assert path.read_text() == written  # not overwritten

    checked = cli("check", "--site", str(site), "--format", "json")
    assert checked.returncode == 0  # placeholders are warnings...
    warnings = json.loads(checked.stdout)
    assert {p["field"] for p in warnings} == {"summary", "sources[0].title", "body"}
    assert all(p["severity"] == "warning" and "TODO" in p["message"] for p in warnings)
    assert cli("check", "--site", str(site), "--strict").returncode == 1  # ...until filled in

    built = cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    page = site / "output/events/2024-02-03-vstrecha-v-moskve/index.html"
    assert "Встреча в Москве" in " ".join(parse_html(page.read_text()).text)


def test_new_refuses_bad_input_with_usage_errors(cli, tmp_path):
    site = tmp_path / "s"
    cli("init", str(site))
    bad_date = cli("new", "Title", "--date", "10/12/2023", "--site", str(site))
    assert bad_date.returncode == 2 and "ambiguous" in bad_date.stderr
    bad_url = cli("new", "T", "--date", "2024", "--source-url", "javascript:x", "--site", str(site))
    assert bad_url.returncode == 2
    no_title = subprocess.run(
        [sys.executable, "-m", "timeline", "new", "--site", str(site)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert no_title.returncode == 2 and "title" in no_title.stderr
    assert cli("init", str(site)).returncode == 2  # not empty


def test_new_prompts_in_a_terminal(tmp_path, cli):
    site = tmp_path / "s"
    cli("init", str(site))
    pid, fd = pty.fork()
    if pid == 0:  # the child runs the command on a terminal
        os.execv(sys.executable, [sys.executable, "-m", "timeline", "new", "--site", str(site)])
    answers = iter(["A meeting in Jerusalem", "2024-03-05", "https://example.org/m"])
    output = b""
    status = None
    while status is None:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            chunk = b""
        output += chunk
        if chunk.rstrip().endswith(b":"):
            os.write(fd, (next(answers) + "\n").encode())
        if not chunk:
            _, status = os.waitpid(pid, 0)
    if status is None:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    text = output.decode()
    assert "Title:" in text and "Date" in text and "source" in text
    entry = site / "content/events/2024/2024-03-05-a-meeting-in-jerusalem.md"
    assert "url: https://example.org/m" in entry.read_text()


def test_slugify_transliterates_to_ascii():
    assert slugify("Netanyahu–Putin call: “tense”") == "netanyahu-putin-call-tense"
    assert slugify("שיחת טלפון") == "syht-tlfvn"
    assert slugify("مكالمة هاتفية") == "mklmh-htfyh"
    assert slugify("???") == "event"
    assert len(slugify("word " * 40)) <= 60


def test_committed_schemas_are_generated_from_the_source_of_truth(cli):
    for name in SCHEMAS:
        committed = (ROOT / "timeline" / "schema" / f"{name}.schema.json").read_text()
        assert committed == schema_text(name), f"run `timeline schema --write` ({name} is stale)"
    printed = cli("schema")
    assert printed.returncode == 0
    assert json.loads(printed.stdout) == json.loads(schema_text("event"))


def test_vscode_settings_point_at_the_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    for schema, globs in settings["yaml.schemas"].items():
        assert (ROOT / schema).is_file()
        assert globs


def readme_commands() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    commands = set()
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line:
                commands.add(line)
    return commands


def test_workflows_parse_and_run_the_readme_commands():
    commands = readme_commands()
    assert {"make site", "make test"} <= commands
    runs_by_file = {}
    for name in ("check.yml", "pages.yml"):
        workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
        steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
        runs = [s["run"].strip() for s in steps if "run" in s]
        assert runs, name
        for run in runs:
            assert run in commands, f"{name} runs `{run}`, which the README does not give"
        uses = {step.get("uses", "").split("@")[0] for step in steps}
        runs_by_file[name] = (runs, uses)
    check_runs, check_uses = runs_by_file["check.yml"]
    assert any("--format github --against" in run for run in check_runs)
    assert "actions/upload-artifact" in check_uses
    _pages_runs, pages_uses = runs_by_file["pages.yml"]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= pages_uses


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in readme_commands()


def test_pre_commit_hook_runs_check():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "timeline-check"
    assert hooks[0]["entry"] == "timeline check"
    assert hooks[0]["pass_filenames"] is False


def test_probable_duplicates_are_warned_unless_related(cli, tmp_path):
    site = tmp_path / "s"
    cli("init", str(site))
    made = []
    for title in ("Ministers meet in Cairo", "Ministers met in Cairo"):
        result = cli("new", title, "--date", "2024-03-05", "--summary", "S.", "--site", str(site))
        assert result.returncode == 0, result.stderr
        made.append(Path(result.stdout.strip()))

    def duplicates() -> list[dict]:
        result = cli("check", "--site", str(site), "--format", "json")
        return [p for p in json.loads(result.stdout) if "probably the same" in p["message"]]

    found = duplicates()
    assert len(found) == 1
    assert "near-identical title" in found[0]["message"]
    assert found[0]["field"] == "title"
    assert found[0]["file"] == "content/events/2024/2024-03-05-ministers-met-in-cairo.md"

    # Distinct titles, same source address on the same day: still a probable duplicate.
    made[1].write_text(made[1].read_text().replace("Ministers met in Cairo", "Talks end"))
    for path in made:
        text = path.read_text().replace("TODO: who published the source", "Wire")
        path.write_text(
            text.replace(
                'note: "TODO: its headline and address, or why there are none"',
                "url: https://example.org/same",
            )
        )
    found = duplicates()
    assert len(found) == 1 and "both cite https://example.org/same" in found[0]["message"]

    # Linked by `related:`, the editors know of both: no warning.
    made[1].write_text(
        made[1]
        .read_text()
        .replace("summary:", "related: [2024-03-05-ministers-meet-in-cairo]\nsummary:")
    )
    assert duplicates() == []


WORKFLOW_SETS = {
    "the repository's": ROOT / ".github" / "workflows",
    "timeline init's": ROOT / "timeline" / "scaffold" / "github" / "workflows",
}


@pytest.mark.parametrize("which", WORKFLOW_SETS)
def test_workflows_pass_githubs_schema_and_zizmor_with_no_findings(which):
    files = sorted(str(p) for p in WORKFLOW_SETS[which].glob("*.yml"))
    assert len(files) == 2
    bin_dir = Path(sys.executable).parent
    schema = subprocess.run(
        [bin_dir / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [bin_dir / "zizmor", "--offline", "--format", "plain", *files],
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "No findings to report" in audit.stdout + audit.stderr


def test_zizmor_finds_what_the_workflows_avoid(tmp_path):
    """The audit above can fail: the old workflow's template expansion is an injection to it."""
    bad = tmp_path / "check.yml"
    text = (WORKFLOW_SETS["the repository's"] / "check.yml").read_text()
    bad.write_text(text.replace('"origin/$BASE_REF"', '"origin/${{ github.base_ref }}"'))
    audit = subprocess.run(
        [Path(sys.executable).parent / "zizmor", "--offline", "--format", "plain", str(bad)],
        capture_output=True,
        text=True,
    )
    assert audit.returncode != 0 and "template-injection" in audit.stdout


def test_init_writes_the_workflows_of_a_new_site(cli, tmp_path):
    site = tmp_path / "chronology"
    assert cli("init", str(site)).returncode == 0
    for name in ("check.yml", "pages.yml"):
        written = (site / ".github" / "workflows" / name).read_text()
        assert written == (WORKFLOW_SETS["timeline init's"] / name).read_text()
        runs = [
            step["run"]
            for job in yaml.safe_load(written)["jobs"].values()
            for step in job.get("steps", [])
            if "run" in step
        ]
        assert runs[0] == "python -m pip install timeline"
        assert all(run.startswith(("python -m pip", "timeline ")) for run in runs)
    assert not (site / "github").exists()
