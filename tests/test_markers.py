"""The markers are true, so the fast lane (`pytest -m "not build and not browser and not server"`) runs no
build and no browser: a build or a Chromium launch in a test without the marker fails that test at once
(helpers.run_generator, conftest.pytest_configure). These tests carry no marker, and prove it."""

from __future__ import annotations

import helpers
import pytest
from helpers import run_generator


@pytest.mark.parametrize("command", sorted(helpers.BUILDS))
def test_a_build_command_fails_a_test_not_marked_build(tmp_path, command):
    with pytest.raises(AssertionError, match=r"runs `generator .*`: mark it @pytest\.mark\.build$"):
        run_generator(command, root=tmp_path)
    assert not (tmp_path / "docs").exists() and not (tmp_path / "site").exists()  # stopped before it ran


def test_a_build_that_draws_fails_a_test_marked_build_only(tmp_path, monkeypatch):
    monkeypatch.setattr(helpers, "current_markers", {"build"})
    with pytest.raises(AssertionError, match=r"in process: mark it @pytest\.mark\.browser$"):
        helpers.generate_docs(tmp_path)
    helpers.require_markers("build", doing="checks")  # what the test carries is enough for what needs only it


def test_kaleido_fails_a_test_not_marked_browser():
    import kaleido

    with pytest.raises(
        AssertionError, match=r"starts Chromium \(Kaleido draws charts\): mark it @pytest\.mark\.browser"
    ):
        kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)


def test_playwright_fails_a_test_not_marked_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, pytest.raises(AssertionError, match=r"starts Chromium \(Playwright\)"):
        p.chromium.launch(executable_path="/nonexistent/chromium")  # refused before Playwright looks for it
