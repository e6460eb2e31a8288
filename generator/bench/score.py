"""Scoring an answer against its suite rule: contains, regex, exact, one-of, JSON valid against a schema, a
number within a tolerance, a word count, a tool call with valid arguments, and all-of / none-of combinations.
Pure functions of the text (and of the tool calls the server returned); nothing in an answer is ever run."""

from __future__ import annotations

import json
import re

import jsonschema

from ..catalog.schema_runs import (
    AllOf,
    Check,
    Contains,
    Exact,
    JsonValid,
    NoneOf,
    Numeric,
    OneOf,
    Regex,
    ToolCall,
    Words,
)

NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?")
FENCED = re.compile(r"```(?:json)?\s*\n(.*?)\n\s*```", re.S | re.I)


def _plain(text: str) -> str:
    return text.strip().casefold()


def last_number(text: str) -> float | None:
    found = NUMBER.findall(text)
    return float(found[-1].replace(",", "")) if found else None


def json_in(text: str) -> object:
    """The answer as JSON, or its single fenced code block as JSON; ValueError when neither parses."""
    try:
        return json.loads(text)
    except ValueError:
        blocks = FENCED.findall(text)
        if len(blocks) != 1:
            raise ValueError("the answer is not JSON and holds no single fenced JSON block") from None
        return json.loads(blocks[0])


def first_call(answer: str, calls: list[dict] | None) -> tuple[str, object] | None:
    """The model's first tool call as (name, arguments): the server's own tool call, or else an answer that is a
    JSON object {"name": ..., "arguments": {...}} (alone or in one fenced block); None when there is neither."""
    if calls:
        try:
            return str(calls[0]["name"]), json.loads(calls[0]["arguments"] or "{}")
        except ValueError:
            return str(calls[0]["name"]), None  # arguments that are not JSON fail the schema below
    try:
        found = json_in(answer)
    except ValueError:
        return None
    if isinstance(found, list) and found:
        found = found[0]
    if isinstance(found, dict) and isinstance(found.get("name"), str) and "arguments" in found:
        return found["name"], found["arguments"]
    return None


def passes(check: Check, answer: str, calls: list[dict] | None = None) -> bool:
    if isinstance(check, AllOf):
        return all(passes(c, answer, calls) for c in check.all_of)
    if isinstance(check, NoneOf):
        return not any(passes(c, answer, calls) for c in check.none_of)
    if isinstance(check, Words):
        count = len(answer.split())
        low, high = check.words.min, check.words.max
        return (low is None or count >= low) and (high is None or count <= high)
    if isinstance(check, ToolCall):
        call = first_call(answer, calls)
        if call is None or call[0] != check.tool_call.name:
            return False
        try:
            jsonschema.validate(call[1], check.tool_call.arguments)
        except jsonschema.ValidationError:
            return False
        return True
    if isinstance(check, Contains):
        return check.contains.casefold() in answer.casefold()
    if isinstance(check, Regex):
        return re.search(check.regex, answer, re.I | re.S) is not None
    if isinstance(check, Exact):
        return _plain(answer) == _plain(check.exact)
    if isinstance(check, OneOf):
        return _plain(answer) in {_plain(option) for option in check.one_of}
    if isinstance(check, JsonValid):
        try:
            jsonschema.validate(json_in(answer), check.json_schema)
        except (ValueError, jsonschema.ValidationError):
            return False
        return True
    if isinstance(check, Numeric):
        value = last_number(answer)
        return value is not None and abs(value - check.number) <= check.tolerance + 1e-9
    raise TypeError(f"unknown check {check!r}")


def describe(check: Check) -> str:
    """The rule in words, as the comparator shows it beside the answers."""
    if isinstance(check, Contains):
        return f"the answer contains “{check.contains}” (any case)"
    if isinstance(check, Regex):
        return f"the answer matches the pattern {check.regex} (any case)"
    if isinstance(check, Exact):
        return f"the answer is exactly “{check.exact}” (any case, trimmed)"
    if isinstance(check, OneOf):
        return "the answer is exactly one of " + ", ".join(f"“{o}”" for o in check.one_of)
    if isinstance(check, JsonValid):
        return "the answer is JSON valid against the suite's schema"
    if isinstance(check, Numeric):
        within = f" ± {check.tolerance:g}" if check.tolerance else ""
        return f"the last number in the answer is {check.number:g}{within}"
    if isinstance(check, Words):
        low, high = check.words.min, check.words.max
        if low is not None and high is not None:
            return f"the answer has {low} to {high} words"
        return f"the answer has at least {low} words" if low is not None else f"the answer has at most {high} words"
    if isinstance(check, ToolCall):
        return f"the first tool call is {check.tool_call.name} with arguments valid against the suite's schema"
    if isinstance(check, AllOf):
        return "; and ".join(describe(c) for c in check.all_of)
    if isinstance(check, NoneOf):
        return "none of: " + "; ".join(describe(c) for c in check.none_of)
    raise TypeError(f"unknown check {check!r}")
