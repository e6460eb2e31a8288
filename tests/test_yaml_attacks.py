"""YAML attacks and mistakes in a contributed model file, through `python -m generator validate`: each is
refused with a message naming file, line and column (never a traceback), or read as its writer meant; and
reading the catalog with it takes under a second."""

from __future__ import annotations

import time

import pytest
from helpers import minimal_catalog, model_yaml, run_generator

from generator.catalog.authored import read_authored

FILE = "models/example/attack.yaml"
SHOWN = f"catalog/{FILE}"
VALID = model_yaml("Attack Model", hf_repo="example/attack")


def nested_block(depth: int) -> str:
    return "".join(f"{'  ' * i}a:\n" for i in range(depth)) + f"{'  ' * depth}b: 1\n"


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(20)
)

# (name, file content, what the report must say: file:line:col: message)
REFUSED = [
    ("alias bomb", ALIAS_BOMB, "1:4: anchors (&name) are not allowed"),
    ("merge key", "base: &b {kind: base}\n<<: *b\n", "1:7: anchors (&name) are not allowed"),
    ("deep flow nesting", "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nesting deeper than"),
    ("deep block nesting", nested_block(500), "nesting deeper than"),
    ("10 MB file", "description: " + "x" * 10_000_000 + "\n", "1:1: file is 10,000,014 bytes; the limit is 1,000,000"),
    ("duplicate key", VALID + "name: Other\n", "19:1: duplicate key 'name'"),
    ("duplicate key, quoted", VALID + '"name": Other\n', "19:1: duplicate key 'name'"),
    ("duplicate nested key", VALID.replace("layers: 32,", "layers: 32, layers: 40,"), "duplicate key 'layers'"),
    ("tab indentation", "name: x\nconfig:\n\tlayers: 32\n", "3:1: "),
    (
        "invalid UTF-8",
        VALID.replace("A test model.", "caf\udce9").encode("utf-8", "surrogateescape"),
        "11:17: not valid UTF-8",
    ),
    ("UTF-16", VALID.encode("utf-16"), "1:1: not valid UTF-8"),
    (
        "YAML 1.1 boolean",
        VALID.replace("tool_calling: true", "tool_calling: on"),
        "7:15: tool_calling: 'on' is ambiguous",
    ),
    (
        "YAML 1.1 boolean y",
        VALID.replace("tool_calling: true", "tool_calling: y"),
        "7:15: tool_calling: 'y' is ambiguous",
    ),
    (
        "YAML 1.1 octal",
        VALID.replace("context_length: 131072", "context_length: 0400000"),
        "6:17: context_length: '0400000' has a leading zero",
    ),
    (
        "sexagesimal",
        VALID.replace("params_b: 8.03", "params_b: 190:20:30"),
        "5:11: params_b: '190:20:30' looks like a base-60 number",
    ),
    (
        "a date where text belongs",
        VALID.replace("description: A test model.", "description: 2024-07-23"),
        "11:14: description: expected text, got a date 2024-07-23: quote it if it is text",
    ),
    ("timestamp", VALID.replace("verified: 2024-08-01", "verified: 2024-08-01 10:00:00"), "is a timestamp"),
    ("not a number", VALID.replace("params_b: 8.03", "params_b: .nan"), "5:11: params_b: expected a number"),
    ("python tag", VALID + "x: !!python/object/apply:os.system [echo pwned]\n", "19:4: tags like"),
    ("two documents", VALID + "---\nname: second\n", "19:1: only one YAML document per file"),
]

# (name, file content, the model's value that must be read as meant)
READ_AS_MEANT = [
    ("byte order mark", ("\ufeff" + VALID).encode("utf-8"), ("name", "Attack Model")),
    (
        "dates inside text",
        VALID.replace("A test model.", "Released 2024-07-23, updated 2024-08-01."),
        ("description", "Released 2024-07-23, updated 2024-08-01."),
    ),
    ("quoted date as a name", VALID.replace("name: Attack Model", 'name: "2024-07-23"'), ("name", "2024-07-23")),
    ("quoted YAML 1.1 words", VALID.replace("A test model.", '"no"'), ("description", "no")),
    ("version-like text", VALID.replace("A test model.", '"3.10"'), ("description", "3.10")),
    ("tab inside a value", VALID.replace("A test model.", '"a\\tb"'), ("description", "a\tb")),
    ("CRLF line ends", VALID.replace("\n", "\r\n"), ("name", "Attack Model")),
]


def write(root, content: str | bytes) -> None:
    path = root / "catalog" / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize(("name", "content", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_file_line_and_column_within_a_second(write_catalog, name, content, expected):
    root = write_catalog(minimal_catalog())
    write(root, content)
    start = time.perf_counter()
    problems = read_authored(root / "catalog").problems
    assert time.perf_counter() - start < 1, f"{name}: reading the catalog took over a second"
    assert problems, name
    result = run_generator("validate", root=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{SHOWN}:{expected}" in result.stderr if expected[0].isdigit() else expected in result.stderr, result.stderr
    assert all(line.startswith(f"{SHOWN}:") for line in result.stderr.splitlines()[:-1]), result.stderr


@pytest.mark.parametrize(("name", "content", "field_value"), READ_AS_MEANT, ids=[r[0] for r in READ_AS_MEANT])
def test_read_as_meant(write_catalog, name, content, field_value):
    root = write_catalog(minimal_catalog())
    write(root, content)
    start = time.perf_counter()
    read = read_authored(root / "catalog")
    assert time.perf_counter() - start < 1
    assert read.problems == [], read.problems
    key, value = field_value
    model = read.models["attack"].data
    assert getattr(model, key) == value
