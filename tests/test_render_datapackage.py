"""render/datapackage.py: the chronology as a Frictionless Data Package, valid with its foreign
keys checked, and read as a researcher would, in one step."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import SITES
from frictionless import Package, validate

from timeline.engine.build import build_site


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    site = Path(shutil.copytree(SITES / "minimal", tmp_path_factory.mktemp("dp") / "site"))
    out = site.parent / "out"
    assert build_site(site, out).ok
    return out


def test_the_package_is_valid_with_its_keys_checked(out):
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(out / "datapackage.json")
    assert [r.name for r in package.resources] == ["events", "sources", "event_sources"]
    citations = package.get_resource("event_sources").schema
    assert citations.primary_key == ["event_id", "position"]
    assert [key["reference"]["resource"] for key in citations.foreign_keys] == ["events", "sources"]


def test_the_tables_join_each_citation_to_its_entry_and_source(out):
    package = Package(out / "datapackage.json")
    rows = package.get_resource("event_sources").read_rows()
    first = [
        (r["position"], r["source_id"], r["quote"])
        for r in rows
        if r["event_id"] == "2023-10-16-first-call"
    ]
    assert first == [
        (1, "wire-report", "a frank conversation"),
        (2, "2023-10-16-first-call#2", None),
    ]
    sources = {r["id"]: r for r in package.get_resource("sources").read_rows()}
    assert sources["wire-report"]["publisher"] == "Example Wire Service"
    assert sources["2023-10-16-first-call#2"]["publisher"] == "Another Paper"  # written inline
    events = {r["id"] for r in package.get_resource("events").read_rows()}
    assert {r["event_id"] for r in rows} == events


def test_a_citation_of_a_source_the_package_lacks_is_caught(out, tmp_path):
    copy = Path(shutil.copytree(out, tmp_path / "copy"))
    table = copy / "sources.csv"
    with table.open(newline="", encoding="utf-8") as file:
        rows = [row for row in csv.reader(file) if row[0] != "wire-report"]
    with table.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}
