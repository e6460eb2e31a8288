"""Every page of the site, section by section. SECTIONS lists them in page order, the way catalog/checks.py's
CHECKS lists the checks: each is a `pages(inputs, render)` function in render/sections/ yielding (path
under docs/, Markdown). `render_pages` runs them all over one Inputs (render/inputs.py)."""

from __future__ import annotations

from pathlib import Path

from .inputs import Inputs
from .jinja import Renderer
from .sections import charts, cost, hardware, home, licences, models, news, reference, runs, use_cases

SECTIONS = (
    home.pages,
    models.pages,
    licences.pages,
    hardware.pages,
    use_cases.pages,
    charts.pages,
    cost.pages,
    runs.pages,
    news.pages,
    reference.pages,
)


def render_pages(inputs: Inputs, template_cache: Path | None = None) -> dict[str, str]:
    """{path under docs/: Markdown} for every page; `template_cache` keeps compiled templates between builds."""
    render = Renderer(inputs.catalog, template_cache)
    return dict(page for section in SECTIONS for page in section(inputs, render))
