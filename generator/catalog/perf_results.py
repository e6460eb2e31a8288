"""The atlas's own performance figures: benchmarks/results.yaml, which `make bench` writes
(benchmarks/report.py) and the Performance page shows. Its schema is here, and it is read and checked like
a catalog file, so a broken hand edit is reported with its file, line and column. ("Perf" names these
build-speed figures; "bench" is the prompt-suite runner; "benchmarks" on a model are published scores.)"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from ..routes import PERF_RESULTS
from .authored import validate
from .fields import Count, Date, Id, ShortText, Strict
from .parse import ParseError, Problem, parse_file


class Machine(Strict):
    """The machine a benchmark ran on."""

    cpu: ShortText
    cores: Count
    memory_gb: Annotated[float, Field(ge=0, strict=False)]
    system: ShortText
    python: ShortText
    chromium: ShortText | None = None


class MeasuredFigure(Strict):
    """One figure of a benchmark: what was measured, its target, and whether it met it."""

    label: ShortText
    measured: Annotated[float, Field(strict=False)]
    target: Annotated[float, Field(strict=False)] | None = None
    passed: bool | None = Field(default=None, description="None: reported, not judged against a target.")


class PerfReport(Strict):
    """One benchmark's last run."""

    title: ShortText
    measured_on: Date
    commit: ShortText | None = None
    machine: Machine
    figures: list[MeasuredFigure] = Field(min_length=1)


class PerfResults(Strict):
    """benchmarks/results.yaml: the last `make bench`, written by benchmarks/report.py, one report per script."""

    reports: dict[Id, PerfReport]


def read_results(root: Path) -> tuple[PerfResults | None, list[Problem]]:
    """The recorded figures of the project at `root`; None when `make bench` never ran there."""
    file = root / PERF_RESULTS
    if not file.is_file():
        return None, []
    try:
        doc = parse_file(file, PERF_RESULTS.as_posix())
    except ParseError as exc:
        return None, [exc.problem]
    return validate(doc, PerfResults)
