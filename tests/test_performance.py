"""The Performance page: what `make bench` records (benchmarks/report.py) is what the site shows, checked like
a catalog file and escaped like contributor text. The page's text is read from the generated Markdown
(made in process); a broken results file is reported by the commands a contributor runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import generate_docs, make_project, minimal_catalog, run_generator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import report  # noqa: E402

from generator.render.escape import md  # noqa: E402

PAGE = Path("docs/engineering/performance.md")
pytestmark = [pytest.mark.build, pytest.mark.browser]  # builds draw charts and trees in Chromium


def test_recorded_benchmarks_become_the_performance_page(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())
    results = project / "benchmarks" / "results.yaml"
    results.parent.mkdir()
    generate_docs(project)
    assert "No measurements are recorded yet" in (project / PAGE).read_text(encoding="utf-8")

    report.record("scale", "build speed", [("full / plain", 1.04, 1.25), ("site size, MB", 104.2, None)], results)
    report.record("runner", "runner benchmark", [("overhead per request, ms", 2.5, 2.0)], results)
    report.record("scale", "build speed", [("full / plain", 1.06, 1.25), ("site size, MB", 1234.5, None)], results)
    generate_docs(project)
    page = (project / PAGE).read_text(encoding="utf-8")
    assert "**1 of 2** judged figures meet their targets" in page  # the re-recorded scale run replaced the first
    assert f"| {md('full / plain')} | 1.06 | 1.25 | PASS |" in page
    assert f"| {md('overhead per request, ms')} | 2.50 | 2 | **FAIL** |" in page
    assert f"| {md('site size, MB')} | 1,234 | – | reported |" in page
    machine = report.machine()
    assert f"| Processor | {md(machine['cpu'])} |" in page and f"| Cores | {machine['cores']} |" in page
    assert page.index("## Build speed") < page.index("## Runner benchmark")  # the build's figures first


def test_a_broken_results_file_is_located_and_its_text_escaped(tmp_path):
    project = make_project(tmp_path / "p", minimal_catalog())
    results = project / "benchmarks" / "results.yaml"
    results.parent.mkdir()
    report.record("scale", "build speed", [("<script>alert(1)</script> | *x*", 1.0, 2.0)], results)
    generate_docs(project)
    page = (project / PAGE).read_text(encoding="utf-8")
    assert "<script>" not in page and md("<script>alert(1)</script> | *x*") in page

    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace("measured: 1.0", "measured: fast"), encoding="utf-8")
    line = next(i for i, row in enumerate(results.read_text().splitlines(), 1) if "measured: fast" in row)
    for command in ("build", "validate"):
        done = run_generator(command, root=project)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert f"benchmarks/results.yaml:{line}:" in done.stderr and "measured" in done.stderr
    assert "<script>" not in (project / PAGE).read_text(encoding="utf-8")  # the page built before is kept
