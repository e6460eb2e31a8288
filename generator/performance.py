"""The Performance page's input: benchmarks/results.yaml, which `make bench` writes (benchmarks/report.py),
read and checked like a catalog file, so a broken hand edit is reported with its file, line and column."""

from __future__ import annotations

from pathlib import Path

from .load import LoadError, Problem, load_file
from .records import validate
from .schema import BenchmarkResults

RESULTS = Path("benchmarks") / "results.yaml"


def read_results(root: Path) -> tuple[BenchmarkResults | None, list[Problem]]:
    """The recorded benchmark results of the project at `root`; None when `make bench` never ran there."""
    file = root / RESULTS
    if not file.is_file():
        return None, []
    try:
        doc = load_file(file, RESULTS.as_posix())
    except LoadError as exc:
        return None, [exc.problem]
    return validate(doc, BenchmarkResults)  # type: ignore[return-value]


def figure(value: float) -> str:
    """A measured figure as the page shows it: whole numbers with thousands separators, else 2 to 3
    significant digits."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
