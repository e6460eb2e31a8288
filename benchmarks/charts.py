"""Chart rendering cost: a cold render of every chart (one Kaleido browser), then a rebuild with no data change.

Targets (issue 5): at most 0.5 s per chart amortized when cold; a rebuild with unchanged data renders 0 charts.
Prints each figure, its target and their ratio; exits 1 when a target is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import report  # noqa: E402

from generator.catalog import authored, resolve  # noqa: E402
from generator.model import costs, selector  # noqa: E402
from generator.render.charts import svg as charts  # noqa: E402

TARGET_S_PER_CHART = 0.5


def main() -> int:
    catalog = resolve.resolve(authored.read_authored(ROOT / "catalog"))
    figures = charts.figures(catalog, selector.Rankings(selector.selector_data(catalog)), costs.inputs(catalog))
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        _, cold = charts.render(figures, Path(cache))
        per_chart = (time.perf_counter() - start) / len(figures)
        _, warm = charts.render(
            charts.figures(catalog, selector.Rankings(selector.selector_data(catalog)), costs.inputs(catalog)),
            Path(cache),
        )
    rows = [
        (f"cold render, s per chart ({cold.rendered} charts, browser start included)", per_chart, TARGET_S_PER_CHART),
        ("rebuild with no data change, charts rendered", warm.rendered, 0),
    ]
    return report("charts", "chart benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
