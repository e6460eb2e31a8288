"""Shared fixtures: tiny catalogs written inline, one render cache per session, a built site for targeted
assertions, a real Chromium; and the markers kept true. What tests import (catalogs, projects, running the
generator) is in helpers.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import helpers
import pytest
from helpers import ROOT, make_project, run_generator, write_tree

from generator import chromium

# ---------------------------------------------------------------- markers are true


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tell helpers which markers the test about to run carries (before its fixtures, module-scoped ones
    too, are set up): builds and Chromium launches check them."""
    helpers.current_markers = {mark.name for mark in item.iter_markers()}
    helpers.current_test = item.nodeid


def pytest_configure(config):
    """A Chromium launch (Playwright's, or Kaleido's for charts) fails a test not marked `browser`."""
    import kaleido
    from playwright.sync_api import BrowserType

    launch, start_sync_server = BrowserType.launch, kaleido.start_sync_server

    def checked_launch(self, *args, **kwargs):
        helpers.require_markers("browser", doing="starts Chromium (Playwright)")
        return launch(self, *args, **kwargs)

    def checked_start(*args, **kwargs):
        helpers.require_markers("browser", doing="starts Chromium (Kaleido draws charts)")
        return start_sync_server(*args, **kwargs)

    BrowserType.launch = checked_launch
    kaleido.start_sync_server = checked_start


# ---------------------------------------------------------------- xdist groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep each xdist_group on one worker under `--dist loadgroup`. pytest-xdist 3.8 names a test's group in
    its node id ("…::test@group", which its scheduler reads) by setting `item._nodeid`, which pytest 9.2 no
    longer reads (node ids are `item._id`, a NodeId): without this every group is split between workers,
    and REAL_SITE_GROUP's site (and test_hostile's crawl) is made once per worker. Does nothing where xdist's
    own renaming worked."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        marks = item.iter_markers("xdist_group")
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
        if groups and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


# ---------------------------------------------------------------- catalogs and projects


@pytest.fixture
def write_catalog(tmp_path):
    """write_catalog({relative path under catalog/: text}) -> project root holding catalog/."""

    def write(files: dict[str, str | bytes]) -> Path:
        write_tree(tmp_path / "catalog", files)
        return helpers.share_render_cache(tmp_path) if not (tmp_path / ".atlas-cache").exists() else tmp_path

    return write


@pytest.fixture(scope="session", autouse=True)
def shared_render_cache(tmp_path_factory) -> Path:
    """The session's render cache (helpers.SHARED_CACHE), which every test project links to. Under xdist
    it sits beside the workers' own temporary folders, in the run's, so the workers share it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/ holds popen-gw0/, popen-gw1/, ...: one per run, shared by its workers
    helpers.SHARED_CACHE = base / "render-cache"
    helpers.SHARED_CACHE.mkdir(exist_ok=True)
    return helpers.SHARED_CACHE


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The project built from the real catalog (guides included) by the commands `make offline` runs: site/,
    its PDF and dist/atlas-offline.zip. Modules using it join xdist group REAL_SITE_GROUP, so it is built once."""
    project = make_project(tmp_path_factory.mktemp("real-site"), {}, guides=True)
    shutil.rmtree(project / "catalog", ignore_errors=True)
    shutil.copytree(ROOT / "catalog", project / "catalog")
    for command in ("site", "pdf", "offline"):
        result = run_generator(command, root=project)
        assert result.returncode == 0, f"{command}: {result.stderr}"
    return project


# ---------------------------------------------------------------- Chromium

# The generator's own arguments (generator/chromium.py), and what a test browser needs besides: no
# background traffic, no first-run work.
CHROMIUM_ARGS = [
    *chromium.ARGS,
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Real Chromium through Playwright, one per test module (the Debian package, never a download)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium.executable(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_terminal_summary(terminalreporter):
    """Tests that measure something record a one-line "summary" (record_property); it is printed at the end
    of the run (under xdist too: the property travels with the test's report)."""
    lines = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        for name, value in report.user_properties
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
