"""Scoring an answer against its suite rule: contains, regex, exact, one-of, JSON valid against a schema, or
a number within a tolerance. Pure functions of the text; nothing in an answer is ever run."""

from __future__ import annotations

import json
import re

import jsonschema

from ..catalog.schema_runs import Check, Contains, Exact, JsonValid, Numeric, OneOf, Regex

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


def passes(check: Check, answer: str) -> bool:
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
    raise TypeError(f"unknown check {check!r}")
