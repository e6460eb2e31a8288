"""The YAML reader: narrow on purpose, every problem located, nothing silently reinterpreted."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from generator.catalog.parse import MAX_BYTES, ParseError, decode, parse_file, parse_text, plain_scalar


def problem_of(text: str):
    with pytest.raises(ParseError) as caught:
        parse_text("f.yaml", text)
    return caught.value.problem


def test_positions_of_keys_and_values():
    doc = parse_text("f.yaml", "name: x\nconfig:\n  layers: 32\nlist:\n  - a\n  - b\n")
    assert doc.data == {"name": "x", "config": {"layers": 32}, "list": ["a", "b"]}
    assert doc.key_marks[("config", "layers")] == (3, 3)
    assert doc.value_marks[("config", "layers")] == (3, 11)
    assert doc.value_marks[("list", 1)] == (6, 5)
    # a missing key is reported where its parent mapping starts
    assert doc.where(("config", "hidden_size")) == (3, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", (2, 1, "duplicate key 'a'")),
        ("a: &x 1\nb: 2\n", (1, 4, "anchors (&name) are not allowed: write values out in full")),
        (
            "a: !!python/object:os.system 1\n",
            (1, 4, "tags like 'tag:yaml.org,2002:python/object:os.system' are not allowed"),
        ),
        ("a: 1\n---\nb: 2\n", (2, 1, "only one YAML document per file (remove the '---' separator)")),
        (
            "a: no\n",
            (
                1,
                4,
                "a: 'no' is ambiguous (YAML 1.1 read it as a boolean): write true or false, or quote it if you mean the text",
            ),
        ),
        (
            "a: 010\n",
            (1, 4, "a: '010' has a leading zero (YAML 1.1 read it as octal): drop the zero, or quote it if it is text"),
        ),
        ("a: 1:20\n", (1, 4, "a: '1:20' looks like a base-60 number to YAML 1.1: quote it")),
        ("a: 2024-02-30\n", (1, 4, "a: '2024-02-30' is not a real calendar date")),
        (
            "a: 2024-01-01 10:00:00\n",
            (1, 4, "a: '2024-01-01 10:00:00' is a timestamp: write a date (YYYY-MM-DD), or quote it if it is text"),
        ),
        ("", (1, 1, "the file is empty")),
    ],
)
def test_refused_with_location(text, expected):
    p = problem_of(text)
    assert (p.line, p.col, p.message) == expected


def test_alias_bomb_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(20)]
    start = time.perf_counter()
    p = problem_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1
    assert "anchors" in p.message


def test_deep_nesting_refused():
    p = problem_of("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nesting deeper than" in p.message


def test_tab_indentation_refused():
    p = problem_of("a:\n\tb: 1\n")
    assert p.line == 2 and "tab" in p.message


def test_syntax_error_is_located():
    p = problem_of("a: [1, 2\nb: 3\n")
    assert p.message.startswith("invalid YAML:") and p.line >= 2


def test_quoted_values_stay_text():
    doc = parse_text("f.yaml", 'a: "no"\nb: "010"\nc: "2024-01-01"\nd: "1.10"\ne: 1.10\n')
    assert doc.data == {"a": "no", "b": "010", "c": "2024-01-01", "d": "1.10", "e": 1.1}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("12", 12),
        ("-3", -3),
        ("0x1F", 31),
        ("1e3", 1000.0),
        ("8.03", 8.03),
        ("2024-07-23", dt.date(2024, 7, 23)),
        ("hello world", "hello world"),
    ],
)
def test_plain_scalars_follow_yaml_12(text, value):
    assert plain_scalar(text) == value


def test_bom_is_dropped_and_invalid_utf8_located(tmp_path):
    assert decode("f.yaml", "\ufeffa: 1\n".encode()) == "a: 1\n"
    with pytest.raises(ParseError) as caught:
        decode("f.yaml", b"a: 1\nb: caf\xe9\n")
    assert (caught.value.problem.line, caught.value.problem.col) == (2, 7)
    assert "UTF-8" in caught.value.problem.message


def test_oversized_file_refused_without_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10) + b"\n")
    start = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        parse_file(big, "big.yaml")
    assert time.perf_counter() - start < 1
    assert "the limit is 1,000,000" in caught.value.problem.message
