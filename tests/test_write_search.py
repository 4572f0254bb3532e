"""The search index on disk: each shard a whole Pagefind bundle, written by us."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from timeline.render.search import SearchRecord
from timeline.write.search import SearchIndexError, _write_bundle, write_shards


def _records(year: str, words: str) -> list[SearchRecord]:
    return [
        SearchRecord(
            url=f"/events/{year}-{n}/",
            content=f"{words} {n}",
            meta={"title": f"Entry {n} of {year}"},
            filters={"year": [year]},
            sort={"date": f"{year}-01-{n + 10}"},
        )
        for n in range(40)
    ]


def test_every_shard_is_a_whole_bundle(tmp_path: Path) -> None:
    """Every file Pagefind's entry point names is there, and whole: the gzip files end where
    gzip says they end (a bundle cut short by Pagefind's unflushed writes failed the page's
    search with an empty pagefind-entry.json)."""
    write_shards(
        {
            "2023": ("en", lambda: _records("2023", "talks in Moscow")),
            "ru/2023": ("ru", lambda: _records("2023", "переговоры в Москве")),
        },
        tmp_path,
    )
    for shard in ("2023", "ru/2023"):
        bundle = tmp_path / shard
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        for language, meta in entry["languages"].items():
            assert (bundle / f"pagefind.{meta['hash']}.pf_meta").is_file(), language
        packed = [p for p in bundle.rglob("*") if p.suffix.startswith(".pf_")]
        assert {p.suffix for p in packed} >= {".pf_meta", ".pf_fragment", ".pf_index"}
        for file in packed:
            assert gzip.decompress(file.read_bytes()).startswith(b"pagefind_dcd"), file
        assert (bundle / "pagefind.js").stat().st_size > 10_000


@pytest.mark.parametrize("path", ["../escape.js", "/etc/escape.js", "fragment/../../x"])
def test_a_file_outside_its_bundle_is_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(SearchIndexError, match="outside its bundle"):
        _write_bundle(tmp_path / "2023", [{"path": path, "content": ""}])
    assert not any(tmp_path.parent.glob("escape.js"))
