"""The charts page: every chart of the catalog as a whole (family, use-case and runs charts sit on their
own pages)."""

from __future__ import annotations

from collections.abc import Iterator

from ... import routes
from ..inputs import Inputs
from ..jinja import Renderer

ELSEWHERE = ("family-", "use-case-", "runs-")  # charts shown on a family's, a use case's or the runs page


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    shown = [c for c in inputs.figures.values() if not c.name.startswith(ELSEWHERE)]
    yield render("charts.md.j2", routes.CHARTS, charts=shown)
