"""The built site in real Chromium, opened from file:// with no network: search finds a model."""

from __future__ import annotations

import pytest
from helpers import make_project, minimal_catalog, run_generator

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.xdist_group("test_browser")]  # one site, built once


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("browser"), minimal_catalog())
    result = run_generator("site", root=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_search_from_file_url_finds_a_model(site, browser):
    page = browser.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(("file://", "data:", "blob:")) else outside.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "index.html").as_uri())
    page.locator(".md-search__input").first.click()
    page.keyboard.type("Example MoE")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15_000)
    assert "Example MoE" in page.locator(".md-search-result__list").inner_text()
    result.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("models/example/example-moe.html")
    assert page.locator("h1").first.inner_text().startswith("Example MoE")
    assert outside == []
    assert errors == []


def test_landscape_table_sorts_by_a_column(site, browser):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    table = page.locator("article table").last
    heading = table.locator("th", has_text="Parameters")
    first_model = lambda: table.locator("tbody tr td").first.inner_text()  # noqa: E731
    heading.click()
    smallest_first = first_model()
    heading.click()
    largest_first = first_model()
    assert {smallest_first, largest_first} == {"Example 8B Instruct", "Example MoE"}
    assert smallest_first != largest_first
