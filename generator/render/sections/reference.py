"""Reference pages: the runtimes, the glossary (and its terms as hover text on every page), the Data API
(its field tables read from the export records' JSON Schema) and the Performance page (make bench's
figures)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from ... import routes
from ...catalog import resolve
from ...catalog.schema import GlossaryTerm
from ..exports import ExportLicence, ExportModel, json_schemas
from ..format import figure
from ..inputs import Inputs
from ..jinja import Renderer, Safe

PERF_ORDER = ("scale", "selector", "charts", "runner", "pdf")  # the Performance page's order, build first


def abbreviations(terms: list[GlossaryTerm]) -> str:
    """The glossary as Markdown abbreviation definitions, appended to every page for hover text."""
    return "".join(f"*[{t.term}]: {t.definition}\n" for t in terms)


def _type_of(prop: dict) -> str:
    if "anyOf" in prop:
        return " or ".join(_type_of(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " / ".join(str(v) for v in prop["enum"])
    if "$ref" in prop:
        return "object"
    return str(prop.get("type", "any"))


def schema_fields(cls: type[BaseModel]) -> list[tuple[str, dict[str, str]]]:
    """(field, {type, description}) rows documenting an export record, from its JSON Schema."""
    props = cls.model_json_schema()["properties"]
    return [(name, {"type": _type_of(p), "description": p.get("description", "")}) for name, p in props.items()]


def performance_page(inputs: Inputs, render: Renderer) -> tuple[str, str]:
    """The last `make bench`: each benchmark's figures beside their targets, and the machine (once, when
    every benchmark ran on the same one)."""
    found = inputs.results.reports if inputs.results else {}
    reports = sorted(found.items(), key=lambda kv: (PERF_ORDER.index(kv[0]) if kv[0] in PERF_ORDER else 99, kv[0]))
    machines = {r.machine for _, r in reports}
    judged = [f for _, r in reports for f in r.figures if f.passed is not None]
    return render(
        "performance.md.j2",
        routes.PERFORMANCE,
        reports=reports,
        machine=next(iter(machines)) if len(machines) == 1 else None,
        judged=len(judged),
        passed=sum(bool(f.passed) for f in judged),
        figure=lambda value: Safe(figure(value)),  # digits, commas and a point: nothing to escape
    )


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    c = inputs.catalog
    yield render("runtimes.md.j2", routes.RUNTIMES, runtimes=c.runtimes)
    terms = c.glossary.terms if c.glossary else []
    yield render("glossary.md.j2", routes.GLOSSARY, terms=terms)
    yield routes.ABBREVIATIONS, abbreviations(terms)
    yield render("api.md.j2", routes.API, schema_files=sorted(json_schemas()), model_fields=schema_fields(ExportModel),
                 licence_fields=schema_fields(ExportLicence),
                 merge_rules=(resolve.__doc__ or "").split("\n", 2)[2])  # fmt: skip
    yield performance_page(inputs, render)
