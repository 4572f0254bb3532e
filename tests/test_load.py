"""Loading files: decoding, front matter, absolute positions, and the site's file layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.load.files import (
    Document,
    decode,
    dotted,
    list_event_files,
    load_site,
    parse_document,
)
from timeline.load.yamlstrict import Pos
from timeline.problems import ERROR, WARNING, Problem

MD = (
    b"---\n"  # 1
    b"title: A call\n"  # 2
    b"date: 2023-12-10\n"  # 3
    b"sources:\n"  # 4
    b"  - ref: tass\n"  # 5
    b"---\n"  # 6
    b"First paragraph.\n"  # 7
    b"\n"
    b"Second paragraph.\n"
)


def parse_md(raw: bytes) -> tuple[Document | None, list[Problem]]:
    return parse_document(raw, "content/events/x.md", front_matter=True)


# --- front matter ----------------------------------------------------------------------------


def test_front_matter_data_positions_are_absolute_file_lines() -> None:
    doc, problems = parse_md(MD)
    assert problems == []
    assert doc is not None
    assert doc.path == "content/events/x.md"
    assert doc.stem == "x"
    assert doc.data == {"title": "A call", "date": "2023-12-10", "sources": [{"ref": "tass"}]}
    assert doc.yaml.key_pos(("date",)) == Pos(3, 1)
    assert doc.pos(("date",)) == Pos(3, 7)
    assert doc.pos(("title",)) == Pos(2, 8)
    assert doc.pos(("sources", 0, "ref")) == Pos(5, 10)
    assert doc.yaml.key_pos(("sources", 0, "ref")) == Pos(5, 5)


def test_front_matter_body_and_body_line() -> None:
    doc, _problems = parse_md(MD)
    assert doc is not None
    assert doc.body == "First paragraph.\n\nSecond paragraph."
    assert doc.body_line == 7


def test_front_matter_with_empty_body() -> None:
    doc, problems = parse_md(b"---\ntitle: T\n---\n")
    assert problems == []
    assert doc is not None
    assert (doc.data, doc.body, doc.body_line) == ({"title": "T"}, "", 4)


def test_front_matter_may_close_with_dots_and_fences_may_have_trailing_spaces() -> None:
    doc, problems = parse_md(b"--- \ntitle: T\n... \t\nBody\n")
    assert problems == []
    assert doc is not None
    assert (doc.data, doc.body, doc.body_line) == ({"title": "T"}, "Body", 4)


def test_a_later_fence_in_the_body_belongs_to_the_body() -> None:
    doc, problems = parse_md(b"---\ntitle: T\n---\nabove\n---\nbelow\n")
    assert problems == []
    assert doc is not None
    assert doc.body == "above\n---\nbelow"


def test_body_is_normalised_to_nfc() -> None:
    doc, _problems = parse_md("---\ntitle: T\n---\ncafe\u0301\n".encode())
    assert doc is not None
    assert doc.body == "caf\u00e9"


def test_yaml_problem_in_front_matter_is_located_on_the_file_line() -> None:
    doc, problems = parse_md(b"---\ntitle: T\nsummary: S\ntitle: again\n---\nbody\n")
    assert doc is not None
    assert problems == [
        Problem(
            "content/events/x.md",
            4,
            1,
            ERROR,
            "title",
            "duplicate key `title`",
            "it is already set on line 2; keep one of them",
        )
    ]


def test_syntax_error_in_front_matter_is_located_and_gives_no_document() -> None:
    doc, problems = parse_md(b"---\ntitle: T\nsummary: a: b\n---\nbody\n")
    assert doc is None
    assert [(p.line, p.column, p.severity) for p in problems] == [(3, 11, ERROR)]
    assert problems[0].message.startswith("YAML syntax: ")


def test_yaml_file_positions_and_no_body() -> None:
    doc, problems = parse_document(
        b"title: T\nactors: [a, b]\n", "content/events/y.yaml", front_matter=False
    )
    assert problems == []
    assert doc is not None
    assert (doc.body, doc.body_line) == (None, 0)
    assert doc.pos(("actors", 1)) == Pos(2, 13)


# --- decoding --------------------------------------------------------------------------------


def _summary(doc: Document | None) -> tuple[object, ...]:
    assert doc is not None
    return doc.data, doc.yaml.positions, doc.yaml.key_positions, doc.body, doc.body_line


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + MD,
        MD.replace(b"\n", b"\r\n"),
        b"\xef\xbb\xbf" + MD.replace(b"\n", b"\r\n"),
        MD.replace(b"\n", b"\r"),
    ],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
def test_bom_and_crlf_give_the_same_document_as_lf(raw: bytes) -> None:
    doc, problems = parse_md(raw)
    assert problems == []
    expected, _ = parse_md(MD)
    assert _summary(doc) == _summary(expected)
    assert doc is not None
    assert "\r" not in doc.body  # type: ignore[operator]


def test_decode_turns_every_line_end_into_lf() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n", "f") == ("a\nb\nc\n", [])


def test_invalid_utf8_gives_a_problem_naming_the_byte_offset_with_its_line_and_column() -> None:
    raw = b"title: ok\nsummary: caf\xe9 au lait\n"  # Latin-1 "é" at offset 22
    doc, problems = parse_document(raw, "content/events/x.yaml", front_matter=False)
    assert doc is None
    assert problems == [
        Problem(
            "content/events/x.yaml",
            2,
            13,
            ERROR,
            "",
            "byte 0xE9 at offset 22 is not valid UTF-8",
            "save the file as UTF-8",
        )
    ]


def test_invalid_utf8_on_the_first_line() -> None:
    _doc, problems = parse_md(b"\xff---\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 1, "byte 0xFF at offset 0 is not valid UTF-8")
    ]


def test_truncated_utf8_sequence_at_end_of_file() -> None:
    _doc, problems = parse_md(b"---\na: \xc3")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 4, "byte 0xC3 at offset 7 is not valid UTF-8")
    ]


def test_invalid_utf8_after_a_bom_names_the_right_byte_and_offset() -> None:
    _doc, problems = parse_document(b"\xef\xbb\xbftitle: \xff\n", "x.yaml", front_matter=False)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 8, "byte 0xFF at offset 10 is not valid UTF-8")
    ]


def test_invalid_utf8_column_counts_characters_like_yaml_positions() -> None:
    _doc, problems = parse_document(
        "title: caf\u00e9 ".encode() + b"\xff\n", "x.yaml", front_matter=False
    )
    assert [(p.line, p.column) for p in problems] == [(1, 13)]


def test_invalid_utf8_line_counts_cr_line_ends() -> None:
    _doc, problems = parse_document(b"a: 1\rb: \xff\r", "x.yaml", front_matter=False)
    assert [(p.line, p.column) for p in problems] == [(2, 4)]


# --- files that are not entries --------------------------------------------------------------


EMPTY = ("the file is empty", "write the entry, or delete the file")
NO_OPENING = (
    "a Markdown entry must start with a `---` line (front matter)",
    "put the YAML fields between two `---` lines at the top of the file",
)
NO_CLOSING = ("the front matter has no closing `---` line", "add a line `---` after the last field")


@pytest.mark.parametrize(
    ("raw", "front_matter", "expected"),
    [
        (b"", True, EMPTY),
        (b"", False, EMPTY),
        (b" \n\t\r\n\n", True, EMPTY),
        (b" \n\t\r\n\n", False, EMPTY),
        (b"\xef\xbb\xbf", True, EMPTY),
        (b"title: T\n---\nbody\n", True, NO_OPENING),
        (b"# A heading\n\nText\n", True, NO_OPENING),
        (b"...\ntitle: T\n---\n", True, NO_OPENING),
        (b"---\ntitle: T\nsummary: S\n", True, NO_CLOSING),
        (b"---\n", True, NO_CLOSING),
        (b"---\n---\nbody\n", True, ("the file holds no fields", "")),
        (b"# just a comment\n", False, ("the file holds no fields", "")),
    ],
    ids=[
        "empty-md",
        "empty-yaml",
        "blank-md",
        "blank-yaml",
        "bom-only",
        "no-opening",
        "plain-markdown",
        "dots-opening",
        "no-closing",
        "only-opening",
        "empty-front-matter",
        "comment-only",
    ],
)
def test_unusable_file_gives_exactly_one_problem(
    raw: bytes, front_matter: bool, expected: tuple[str, str]
) -> None:
    doc, problems = parse_document(raw, "f.md", front_matter=front_matter)
    assert doc is None
    assert problems == [Problem("f.md", 1, 1, ERROR, "", *expected)]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("date",), "date"),
        (("sources", 0, "ref"), "sources[0].ref"),
        ((0, "id"), "[0].id"),
        (("a", 1, 2), "a[1][2]"),
    ],
)
def test_dotted(path: tuple[str | int, ...], text: str) -> None:
    assert dotted(path) == text


# --- load_site -------------------------------------------------------------------------------


def write(root: Path, rel: str, data: bytes | str) -> None:
    file = root / rel
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(tmp_path, "site.yaml", "title: T\nbase_url: https://example.org/\nlanguage: en\n")
    write(tmp_path, "content/actors.yaml", "- id: russia\n  name: Russia\n")
    write(tmp_path, "content/topics.yaml", "- id: un\n  name: United Nations\n")
    write(
        tmp_path,
        "content/events/2023/x.md",
        "---\ntitle: X\ndate: 2023-12-10\n---\nThe body.\n",
    )
    write(tmp_path, "content/events/2023/a.yml", "title: A\ndate: 2023-10-07\n")
    write(tmp_path, "content/events/2024/b.yaml", "title: B\ndate: 2024-01-01\n")
    write(tmp_path, "content/events/nested/deeper/y.yaml", "title: Y\ndate: 2023\n")
    write(tmp_path, "content/sources/s.yaml", "publisher: TASS\n")
    write(tmp_path, "content/events/notes.txt", "not an entry\n")
    # Dotfiles and dot-directories are invisible: invalid content proves they are never read.
    write(tmp_path, "content/events/.hidden.md", b"\xff\xfe broken")
    write(tmp_path, "content/events/2023/.draft.yaml", b"a: [")
    write(tmp_path, "content/events/.git/objects/z.md", b"\xff")
    write(tmp_path, "content/sources/.swap.yaml", b"\xff")
    return tmp_path


def test_load_site_finds_events_at_any_depth_in_sorted_order(site: Path) -> None:
    loaded = load_site(site)
    assert [e.path for e in loaded.events] == [
        "content/events/2023/a.yml",
        "content/events/2023/x.md",
        "content/events/2024/b.yaml",
        "content/events/nested/deeper/y.yaml",
    ]
    assert [e.data["title"] for e in loaded.events] == ["A", "X", "B", "Y"]


def test_load_site_reads_markdown_with_front_matter_and_yaml_without(site: Path) -> None:
    events = {e.path: e for e in load_site(site).events}
    md = events["content/events/2023/x.md"]
    assert (md.body, md.body_line, md.pos(("date",))) == ("The body.", 5, Pos(3, 7))
    assert events["content/events/nested/deeper/y.yaml"].body is None


def test_load_site_reads_site_vocabularies_and_sources(site: Path) -> None:
    loaded = load_site(site)
    assert loaded.root == site
    assert loaded.site is not None and loaded.site.path == "site.yaml"
    assert loaded.site.data == {"title": "T", "base_url": "https://example.org/", "language": "en"}
    assert loaded.actors is not None and loaded.actors.data == [{"id": "russia", "name": "Russia"}]
    assert loaded.topics is not None and loaded.topics.path == "content/topics.yaml"
    assert [s.path for s in loaded.sources] == ["content/sources/s.yaml"]
    assert loaded.sources[0].data == {"publisher": "TASS"}


def test_load_site_ignores_dotfiles_and_warns_about_other_files(site: Path) -> None:
    assert load_site(site).problems == [
        Problem(
            "content/events/notes.txt",
            1,
            1,
            WARNING,
            "",
            "ignored: `.txt` is not an entry file",
            "entries are .md (front matter + body) or .yaml/.yml files",
        )
    ]


def test_list_event_files_separates_entries_from_other_files(site: Path) -> None:
    write(site, "content/events/README", "notes\n")
    entries, others, unreadable = list_event_files(site)
    assert unreadable == []
    events = site / "content" / "events"
    assert [p.relative_to(events).as_posix() for p in entries] == [
        "2023/a.yml",
        "2023/x.md",
        "2024/b.yaml",
        "nested/deeper/y.yaml",
    ]
    assert [p.relative_to(events).as_posix() for p in others] == ["README", "notes.txt"]


def test_load_site_reports_broken_files_and_keeps_the_good_ones(site: Path) -> None:
    write(site, "content/events/2023/broken.md", "title: no front matter\n")
    write(site, "content/events/2023/latin1.yaml", b"title: caf\xe9\n")
    write(site, "content/sources/notes.md", "not a source\n")
    loaded = load_site(site)
    assert len(loaded.events) == 4
    assert sorted((p.file, p.line, p.column, p.severity, p.message) for p in loaded.problems) == [
        (
            "content/events/2023/broken.md",
            1,
            1,
            ERROR,
            "a Markdown entry must start with a `---` line (front matter)",
        ),
        (
            "content/events/2023/latin1.yaml",
            1,
            11,
            ERROR,
            "byte 0xE9 at offset 10 is not valid UTF-8",
        ),
        ("content/events/notes.txt", 1, 1, WARNING, "ignored: `.txt` is not an entry file"),
        ("content/sources/notes.md", 1, 1, WARNING, "ignored: a source record is a .yaml file"),
    ]


def test_load_site_without_site_yaml_or_content(tmp_path: Path) -> None:
    loaded = load_site(tmp_path)
    assert (loaded.site, loaded.actors, loaded.topics, loaded.events, loaded.sources) == (
        None,
        None,
        None,
        [],
        [],
    )
    assert loaded.problems == [
        Problem(
            "site.yaml",
            1,
            1,
            ERROR,
            "",
            "site.yaml is missing",
            "run `timeline init` to create a site",
        )
    ]


def test_load_site_with_an_unreadable_site_yaml_reports_it_once(tmp_path: Path) -> None:
    write(tmp_path, "site.yaml", b"")
    loaded = load_site(tmp_path)
    assert loaded.site is None
    assert [(p.file, p.message) for p in loaded.problems] == [("site.yaml", "the file is empty")]
