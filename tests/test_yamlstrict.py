"""Strict YAML: plain strings, located values, and every dangerous construct refused."""

from __future__ import annotations

import pytest
import yaml

import timeline.load.yamlstrict as ys
from timeline.load.yamlstrict import MAX_DEPTH, Pos, YamlData, YamlProblem, parse_yaml

HAS_LIBYAML = hasattr(yaml, "CSafeLoader")


def ok(text: str) -> YamlData:
    """Parse text that must produce no problem."""
    data, problems = parse_yaml(text)
    assert problems == []
    return data


# --- scalars ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "no",
        "yes",
        "on",
        "off",
        "y",
        "n",
        "12:30",
        "0123",
        "1.10",
        "2023-12-10",
        "2023-12-10T14:30:00Z",
        "1e3",
        ".inf",
        ".nan",
        "0x1F",
        "0o17",
        "-0",
        "+12",
        "1_000",
        "True",
        "FALSE",
        "Null",
        "NULL",
        "nothing",
    ],
)
def test_plain_scalars_other_than_true_false_null_stay_strings_as_written(raw: str) -> None:
    assert ok(f"value: {raw}\n").data == {"value": raw}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("false", False), ("null", None), ("~", None), ("", None)],
)
def test_plain_true_false_null_tilde_and_empty(raw: str, expected: object) -> None:
    data = ok(f"value: {raw}\n").data
    assert data == {"value": expected}
    assert type(data["value"]) is type(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"true"', "true"),
        ("'false'", "false"),
        ('"null"', "null"),
        ("'~'", "~"),
        ('""', ""),
        ("''", ""),
        ('"12:30"', "12:30"),
        ("'0123'", "0123"),
    ],
)
def test_quoted_scalars_are_always_strings(raw: str, expected: str) -> None:
    assert ok(f"value: {raw}\n").data == {"value": expected}


def test_scalars_inside_lists_and_flow_collections_follow_the_same_rules() -> None:
    data = ok("a: [true, no, 1.10, ~, '']\nb:\n  - false\n  - 0123\n  - null\n").data
    assert data == {"a": [True, "no", "1.10", None, ""], "b": [False, "0123", None]}


def test_block_scalars_are_strings_even_when_they_read_true() -> None:
    data = ok("a: |\n  true\nb: >-\n  12:30\n").data
    assert data == {"a": "true\n", "b": "12:30"}


def test_non_specific_tag_is_allowed_without_a_problem() -> None:
    assert ok("value: ! some text\n").data == {"value": "some text"}


def test_empty_and_comment_only_documents_hold_no_data() -> None:
    for text in ("", "   \n", "# only a comment\n"):
        data, problems = parse_yaml(text)
        assert (data.data, data.positions, problems) == (None, {}, [])


# --- duplicate keys ------------------------------------------------------------------------


def test_duplicate_key_is_located_at_the_second_key_with_a_hint_naming_the_first_line() -> None:
    data, problems = parse_yaml("title: one\nsummary: s\ntitle: two\n")
    assert problems == [
        YamlProblem(
            Pos(3, 1),
            "duplicate key `title`",
            "it is already set on line 1; keep one of them",
            ("title",),
        )
    ]
    # The first value wins; the second one is dropped, not merged.
    assert data.data == {"title": "one", "summary": "s"}
    assert data.key_positions[("title",)] == Pos(1, 1)
    assert data.positions[("title",)] == Pos(1, 8)


def test_duplicate_key_in_a_nested_mapping_has_its_full_path() -> None:
    data, problems = parse_yaml("sources:\n  - ref: a\n    note: x\n    ref: b\n")
    assert problems == [
        YamlProblem(
            Pos(4, 5),
            "duplicate key `ref`",
            "it is already set on line 2; keep one of them",
            ("sources", 0, "ref"),
        )
    ]
    assert data.data == {"sources": [{"ref": "a", "note": "x"}]}


def test_duplicate_key_in_a_flow_mapping() -> None:
    data, problems = parse_yaml("a: {b: 1, b: 2}\n")
    assert [(p.pos, p.message, p.path) for p in problems] == [
        (Pos(1, 11), "duplicate key `b`", ("a", "b"))
    ]
    assert data.data == {"a": {"b": "1"}}


def test_duplicate_key_whose_value_is_a_mapping_is_dropped_whole() -> None:
    data, problems = parse_yaml("a:\n  x: 1\na:\n  y: 2\nb: 3\n")
    assert [(p.pos, p.message) for p in problems] == [(Pos(3, 1), "duplicate key `a`")]
    assert data.data == {"a": {"x": "1"}, "b": "3"}
    assert data.positions[("b",)] == Pos(5, 4)


def test_keys_that_differ_only_in_unicode_normalisation_are_duplicates() -> None:
    data, problems = parse_yaml("caf\u00e9: 1\ncafe\u0301: 2\n")
    assert [(p.pos, p.message) for p in problems] == [(Pos(2, 1), "duplicate key `caf\u00e9`")]
    assert data.data == {"caf\u00e9": "1"}


def test_a_key_that_is_not_a_string_is_a_problem() -> None:
    data, problems = parse_yaml("true: 1\nname: x\n")
    assert problems == [YamlProblem(Pos(1, 1), "a key must be a plain name", "write `name: value`")]
    assert data.data == {"name": "x"}


# --- anchors, aliases, tags, documents -----------------------------------------------------


def test_anchor_and_alias_are_both_problems_and_the_alias_is_not_expanded() -> None:
    data, problems = parse_yaml("a: &x hello\nb: *x\n")
    assert problems == [
        YamlProblem(Pos(1, 4), "anchors (&x) are not allowed", "write the value out in full"),
        YamlProblem(
            Pos(2, 4), "aliases (*x) are not allowed", "write the value out in full", ("b",)
        ),
    ]
    assert data.data == {"a": "hello", "b": None}


def test_anchor_on_a_mapping_and_merge_key_alias() -> None:
    _data, problems = parse_yaml("base: &b\n  x: 1\nother:\n  <<: *b\n")
    assert [p.message for p in problems] == [
        "anchors (&b) are not allowed",
        "aliases (*b) are not allowed",
    ]
    assert [p.pos for p in problems] == [Pos(1, 7), Pos(4, 7)]


def test_python_object_tag_is_a_problem() -> None:
    data, problems = parse_yaml("a: !!python/object:os.system echo\n")
    assert problems == [
        YamlProblem(
            Pos(1, 4),
            "tags (tag:yaml.org,2002:python/object:os.system) are not allowed",
            "remove the tag",
        )
    ]
    # Nothing is constructed: the value is the plain text.
    assert data.data == {"a": "echo"}


@pytest.mark.parametrize(
    ("text", "tag", "pos"),
    [
        ("a: !!str true\n", "tag:yaml.org,2002:str", Pos(1, 4)),
        ("a: !custom x\n", "!custom", Pos(1, 4)),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "tag:yaml.org,2002:python/object/apply:os.system",
            Pos(1, 4),
        ),
        ("a: !!map\n  b: 1\n", "tag:yaml.org,2002:map", Pos(1, 4)),
    ],
)
def test_explicit_tags_are_problems(text: str, tag: str, pos: Pos) -> None:
    _data, problems = parse_yaml(text)
    assert [(p.pos, p.message) for p in problems] == [(pos, f"tags ({tag}) are not allowed")]


def test_explicitly_tagged_true_is_not_a_boolean() -> None:
    data, _problems = parse_yaml("a: !!bool true\n")
    assert data.data == {"a": "true"}


def test_more_than_one_document_is_a_problem_at_the_second_marker() -> None:
    data, problems = parse_yaml("a: 1\n---\nb: 2\n")
    assert problems == [
        YamlProblem(
            Pos(2, 1),
            "more than one YAML document in this file",
            "remove the extra `---` line; one file holds one entry",
        )
    ]
    assert data.data == {"a": "1"}


def test_one_explicit_document_with_end_marker_is_fine() -> None:
    data = ok("---\na: 1\n...\n")
    assert data.data == {"a": "1"}
    assert data.positions[("a",)] == Pos(2, 4)


# --- depth -----------------------------------------------------------------------------------


def _nested_flow(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


def test_nesting_exactly_max_depth_is_accepted() -> None:
    data = ok(_nested_flow(MAX_DEPTH)).data
    depth = 0
    while isinstance(data, list):
        (data,) = data
        depth += 1
    assert (depth, data) == (MAX_DEPTH, "x")


def test_nesting_one_deeper_than_max_depth_is_refused_at_the_offending_container() -> None:
    data, problems = parse_yaml(_nested_flow(MAX_DEPTH + 1))
    assert data.data is None
    assert problems == [
        YamlProblem(
            Pos(1, MAX_DEPTH + 1),
            f"nested more than {MAX_DEPTH} levels deep",
            "flatten the structure",
        )
    ]


DEPTH_REFUSED = f"nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize(
    ("loader", "text", "expected"),
    [
        ("C", "[" * 100_000, (Pos(1, 1001), "YAML syntax: exceeded maximum nesting depth")),
        ("C", "{a: " * 100_000, (Pos(1, 161), DEPTH_REFUSED)),
        ("C", "".join(f"{' ' * (2 * i)}k:\n" for i in range(2_000)), (Pos(41, 81), DEPTH_REFUSED)),
        ("Python", "[" * 100_000, (Pos(1, 41), DEPTH_REFUSED)),
        ("Python", "{a: " * 100_000, (Pos(1, 161), DEPTH_REFUSED)),
        (
            "Python",
            "".join(f"{' ' * (2 * i)}k:\n" for i in range(2_000)),
            (Pos(41, 81), DEPTH_REFUSED),
        ),
    ],
    ids=["c-flow-list", "c-flow-map", "c-block", "py-flow-list", "py-flow-map", "py-block"],
)
def test_hostile_nesting_is_refused_without_recursion_error(
    loader: str, text: str, expected: tuple[Pos, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if loader == "C":
        if not HAS_LIBYAML:
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(ys, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    # libyaml stops a flow list at its own limit (1000) before parse_yaml sees level 41:
    # either way the file is refused with one located problem and no data.
    data, problems = parse_yaml(text)
    assert data.data is None
    assert [(p.pos, p.message) for p in problems] == [expected]


def test_block_nesting_depth_problem_is_located() -> None:
    text = "".join(f"{' ' * (2 * i)}k:\n" for i in range(MAX_DEPTH + 1)) + " " * 82 + "v\n"
    data, problems = parse_yaml(text)
    assert data.data is None
    # The 41st mapping starts at the key of line 41 (indented by 80 spaces).
    assert [p.pos for p in problems] == [Pos(MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)]


# --- syntax and reader errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pos", "hint"),
    [
        ("title: a: b\n", Pos(1, 9), "a value containing `: ` must be quoted"),
        ("a: [1, 2\n", Pos(2, 1), "check quoting and indentation around this line"),
        ("a: b\n\tc: d\n", Pos(2, 1), "indent with spaces, not tabs"),
        ("a: 1\n- b\n", Pos(2, 1), "check the indentation of this line and the one above"),
        ("a: 'x\nb: 1\n", Pos(1, 4), "check quoting and indentation around this line"),
    ],
)
def test_syntax_error_gives_one_located_problem(text: str, pos: Pos, hint: str) -> None:
    data, problems = parse_yaml(text)
    assert data.data is None
    assert len(problems) == 1
    assert problems[0].pos == pos
    assert problems[0].message.startswith("YAML syntax: ")
    assert problems[0].hint == hint


def test_syntax_error_line_is_shifted_by_line_offset() -> None:
    _data, problems = parse_yaml("a: 1\nb: c: d\n", line_offset=10)
    assert [p.pos for p in problems] == [Pos(12, 5)]


@pytest.mark.parametrize(
    ("text", "pos", "code"),
    [
        ("a: x\x01y\n", Pos(1, 5), "0001"),
        ("title: ok\nsummary: bad\x07\n", Pos(2, 13), "0007"),
        ("a: 1\nb: 2\nc: \x7f\n", Pos(3, 4), "007F"),
        ("a: \x00\n", Pos(1, 4), "0000"),
    ],
)
def test_control_character_gives_a_located_problem(text: str, pos: Pos, code: str) -> None:
    data, problems = parse_yaml(text)
    assert data.data is None
    assert problems == [
        YamlProblem(pos, f"YAML: character U+{code} is not allowed", "remove the character")
    ]


def test_control_character_line_is_shifted_by_line_offset() -> None:
    _data, problems = parse_yaml("a: 1\nb: \x01\n", line_offset=3)
    assert [p.pos for p in problems] == [Pos(5, 4)]


def test_control_character_after_non_ascii_text_with_pure_python_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reference behaviour; the C parser is checked by the test below."""
    monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    _data, problems = parse_yaml("titl\u00e9: \u00fc\u00fc\nb: \x01\n")
    assert [(p.pos, p.message) for p in problems] == [
        (Pos(2, 4), "YAML: character U+0001 is not allowed")
    ]


def test_control_character_after_non_ascii_text_is_located_by_characters_with_c_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not HAS_LIBYAML:
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(ys, "_Loader", yaml.CSafeLoader)
    _data, problems = parse_yaml("titl\u00e9: \u00fc\u00fc\nb: \x01\n")
    assert [(p.pos, p.message) for p in problems] == [
        (Pos(2, 4), "YAML: character U+0001 is not allowed")
    ]


def test_lone_surrogate_is_a_problem_not_an_exception_with_c_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not HAS_LIBYAML:
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(ys, "_Loader", yaml.CSafeLoader)
    data, problems = parse_yaml("a: \ud800\n")
    assert data.data is None
    assert [(p.pos, p.message) for p in problems] == [
        (Pos(1, 4), "YAML: character U+D800 is not allowed")
    ]


# --- positions -------------------------------------------------------------------------------


def test_positions_of_keys_and_values_in_nested_maps_and_lists() -> None:
    text = (
        "title: T\n"  # 1
        "sources:\n"  # 2
        "  - ref: a\n"  # 3
        "    note: n\n"  # 4
        "  - publisher: P\n"  # 5
        "    tags: [x, y]\n"  # 6
        "meta:\n"  # 7
        "  inner:\n"  # 8
        "    deep: 'v'\n"  # 9
    )
    data = ok(text)
    assert data.data == {
        "title": "T",
        "sources": [{"ref": "a", "note": "n"}, {"publisher": "P", "tags": ["x", "y"]}],
        "meta": {"inner": {"deep": "v"}},
    }
    assert data.positions == {
        (): Pos(1, 1),
        ("title",): Pos(1, 8),
        ("sources",): Pos(3, 3),
        ("sources", 0): Pos(3, 5),
        ("sources", 0, "ref"): Pos(3, 10),
        ("sources", 0, "note"): Pos(4, 11),
        ("sources", 1): Pos(5, 5),
        ("sources", 1, "publisher"): Pos(5, 16),
        ("sources", 1, "tags"): Pos(6, 11),
        ("sources", 1, "tags", 0): Pos(6, 12),
        ("sources", 1, "tags", 1): Pos(6, 15),
        ("meta",): Pos(8, 3),
        ("meta", "inner"): Pos(9, 5),
        ("meta", "inner", "deep"): Pos(9, 11),
    }
    assert data.key_positions == {
        ("title",): Pos(1, 1),
        ("sources",): Pos(2, 1),
        ("sources", 0, "ref"): Pos(3, 5),
        ("sources", 0, "note"): Pos(4, 5),
        ("sources", 1, "publisher"): Pos(5, 5),
        ("sources", 1, "tags"): Pos(6, 5),
        ("meta",): Pos(7, 1),
        ("meta", "inner"): Pos(8, 3),
        ("meta", "inner", "deep"): Pos(9, 5),
    }


def test_positions_count_characters_not_bytes() -> None:
    data = ok("\u00e9t\u00e9: \u00e0 la une\nna\u00efve: [\U0001f600, x]\n")
    assert data.positions[("\u00e9t\u00e9",)] == Pos(1, 6)
    assert data.positions[("na\u00efve", 1)] == Pos(2, 12)


def test_pos_and_key_pos_fall_back_to_the_nearest_ancestor() -> None:
    data = ok("a:\n  b: 1\nc: [x]\n")
    assert data.pos(("a", "b")) == Pos(2, 6)
    assert data.pos(("a", "missing", "deeper")) == Pos(2, 3)
    assert data.pos(("nothing",)) == Pos(1, 1)
    assert data.key_pos(("a", "b")) == Pos(2, 3)
    # A list item has no key: key_pos falls back to the value's position.
    assert data.key_pos(("c", 0)) == Pos(3, 5)
    assert YamlData(None).pos(("x",)) == Pos(1, 1)


def test_line_offset_shifts_every_position() -> None:
    data, problems = parse_yaml("a:\n  - b\n", line_offset=4)
    assert problems == []
    assert data.positions == {(): Pos(5, 1), ("a",): Pos(6, 3), ("a", 0): Pos(6, 5)}
    assert data.key_positions == {("a",): Pos(5, 1)}


# --- normalisation ---------------------------------------------------------------------------


def test_strings_are_normalised_to_nfc() -> None:
    decomposed = "cafe\u0301"
    data = ok(f'{decomposed}: "{decomposed}"\nlist: [{decomposed}]\nblock: |\n  {decomposed}\n')
    assert data.data == {
        "caf\u00e9": "caf\u00e9",
        "list": ["caf\u00e9"],
        "block": "caf\u00e9\n",
    }
    assert data.positions[("caf\u00e9",)] == Pos(1, 8)


# --- C parser and pure-Python parser ---------------------------------------------------------

AGREEING_DOCUMENTS = [
    "",
    "# comment\n",
    "title: T\n",
    "a: no\nb: yes\nc: 12:30\nd: 0123\ne: 1.10\nf: 2023-12-10\n",
    "a: true\nb: false\nc: null\nd: ~\ne:\nf: 'true'\ng: \"\"\n",
    "- a\n- - b\n  - c\n- {x: 1, y: [2, 3]}\n",
    "sources:\n  - ref: a\n    note: n\n  - publisher: P\n    tags: [x, y]\n",
    "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |+\n  keep\n\n",
    "a: 'it''s'\nb: \"esc \\t \\u00e9 \\\"q\\\"\"\n",
    "long: this is\n  a multi-line\n  plain scalar\n",
    "\u00e9t\u00e9: \u00e0 la une\nna\u00efve: [\U0001f600, x]\nemoji\U0001f600: \u4e2d\u6587\n",
    "cafe\u0301: cafe\u0301\n",
    "? complex\n: value\n",
    "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !!python/object:os.system x\nb: !local y\n",
    "a: ! true\n",
    "true: 1\nb: 2\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "\ufeffa: 1\n",
    "a: x\x01\n",
    "a: 1\nb: [1, 2\n",
    "a: b: c\n",
    "a: b\n\tc: d\n",
    "a:\n  - 1\n  b: 2\n",
    "a: 'unterminated\n",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
]


def _comparable(text: str) -> tuple[object, ...]:
    data, problems = parse_yaml(text)
    # Syntax messages are the two libraries' own wording; their positions and paths must agree.
    described = [
        (p.pos, p.path)
        if p.message.startswith("YAML syntax: ")
        else (p.pos, p.path, p.message, p.hint)
        for p in problems
    ]
    return data.data, data.positions, data.key_positions, described


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without libyaml")
def test_c_and_pure_python_parsers_give_identical_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ys, "_Loader", yaml.CSafeLoader)
    with_c = [_comparable(text) for text in AGREEING_DOCUMENTS]
    monkeypatch.setattr(ys, "_Loader", yaml.SafeLoader)
    with_python = [_comparable(text) for text in AGREEING_DOCUMENTS]
    for text, c, py in zip(AGREEING_DOCUMENTS, with_c, with_python, strict=True):
        assert c == py, text
    # The comparison is not vacuous: the list covers data, problems and syntax errors.
    assert sum(1 for c in with_c if c[3]) >= 10
    assert sum(1 for c in with_c if c[0] is not None) >= 15


def test_default_loader_is_the_c_one_when_available() -> None:
    assert ys._Loader is (yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader)
