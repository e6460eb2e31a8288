"""The selector widget and the cost calculator in real Chromium, on the site built from the real catalog,
opened from file://."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from helpers import REAL_SITE_GROUP

from generator.model import costs

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.xdist_group(REAL_SITE_GROUP)]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(real_site):
    return real_site / "site"


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    page.close()


def results(page) -> list[dict]:
    items = page.locator("[data-atlas-results] li")
    return [
        {
            "name": items.nth(i).locator(".atlas-selector__name").inner_text(),
            "href": items.nth(i).locator(".atlas-selector__name").get_attribute("href"),
            "badges": items.nth(i).locator(".atlas-badge").all_inner_texts(),
            "licence": items.nth(i).locator("[class*=atlas-badge--licence-]").get_attribute("class"),
        }
        for i in range(items.count())
    ]


def test_eight_gb_coding_commercial_use(site, page):
    page.goto((site / "selector.html").as_uri())
    page.get_by_label("Task").select_option("coding")
    page.get_by_label("Memory budget (GB)").fill("8")
    page.get_by_label("Memory budget (GB)").dispatch_event("change")
    page.get_by_label("Commercial use allowed").check()
    found = results(page)
    assert len(found) >= 3
    for r in found:
        memory = next(b for b in r["badges"] if b.endswith(" GB"))
        assert float(memory.removesuffix(" GB")) <= 8
        assert "licence-no" not in r["licence"] and "licence-unknown" not in r["licence"]
        assert (site / r["href"]).is_file()
    assert re.search(r"task=coding", page.url) and "com=1" in page.url and "mem=8" in page.url
    assert page.errors == []


def test_url_round_trips_and_back_button_restores(site, page, browser):
    url = (site / "selector.html").as_uri() + "#task=reasoning&hw=rtx-4090&ctx=32768&osi=1"
    page.goto(url)
    assert page.get_by_label("Task").input_value() == "reasoning"
    assert page.get_by_label("Hardware").input_value() == "rtx-4090"
    assert page.get_by_label("Context needed (tokens)").input_value() == "32768"
    assert page.get_by_label("OSI-approved licence").is_checked()
    assert page.get_by_label("Memory budget (GB)").is_disabled()
    first = results(page)
    assert first and all(any(b.startswith("~") for b in r["badges"]) for r in first)  # speed shown with hardware
    # The same URL in a fresh page shows the same ranking.
    other = browser.new_page()
    other.goto(url)
    assert results(other) == first
    other.close()
    page.get_by_label("Task").select_option("chat")
    assert "task=chat" in page.url and results(page) != first
    page.go_back()
    page.wait_for_function("location.hash.includes('task=reasoning')")
    assert page.get_by_label("Task").input_value() == "reasoning"
    assert results(page) == first
    assert page.errors == []


def test_speech_models_need_no_context(site, page):
    page.goto((site / "selector.html").as_uri() + "#task=speech&mem=8&ctx=0")
    assert any("Whisper" in r["name"] for r in results(page))
    assert page.errors == []


def test_controls_are_labelled_and_keyboard_usable(site, page):
    page.goto((site / "selector.html").as_uri())
    for control in page.locator(".atlas-selector select, .atlas-selector input").all():
        assert control.evaluate("el => el.labels.length") >= 1
    page.get_by_label("Task").focus()
    page.keyboard.press("ArrowDown")  # "Any task" -> first task
    assert page.get_by_label("Task").input_value() == "chat"
    page.get_by_label("Native tool calling").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Native tool calling").is_checked() and "tools=1" in page.url
    assert page.errors == []


def test_catalog_text_is_never_parsed_as_html(site, page):
    page.goto((site / "selector.html").as_uri())
    source = (site / "selector.html").read_text()
    assert "innerHTML" not in (site / "assets" / "atlas" / "selector.js").read_text()
    data = source.split("data-atlas-selector-data>", 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data


def cost_rows(calc) -> list[list[str]]:
    rows = calc.locator("[data-atlas-cost-results] tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def test_cost_calculator_answers_for_the_readers_numbers(site, page):
    """Each model's calculator, opened: the cheapest option it names at the middle of every range the page states
    is the one the Python twin finds; the reader's own numbers change the answer."""
    page.goto((site / "cost.html").as_uri())
    calcs = page.locator("[data-atlas-cost]")
    assert calcs.count() == page.locator("details.atlas-cost__details").count() >= 3
    for k in range(calcs.count()):
        calc = calcs.nth(k)
        assert not calc.is_visible()  # folded until the reader asks for it
        page.locator("details.atlas-cost__details > summary").nth(k).click()
        data = json.loads(calc.locator("[data-atlas-cost-data]").text_content())
        assert [r[0].split(":")[0] for r in cost_rows(calc)] == ["Buy", "Rent"] + ["API"] * len(data["apis"])
        found = costs.options(data)
        lo, hi = data["volume_range_m"]
        ranges = costs.cheapest_ranges(found, lo, hi)
        volume = calc.get_by_label("Tokens generated a month (millions)")
        for r in ranges:
            volume.fill(f"{math.sqrt(r['from_m'] * r['to_m']):.6g}")
            label = next(o.label for o in found if o.key == r["key"])
            assert f"the cheapest is {label}," in calc.locator("[data-atlas-cost-summary]").inner_text()
        assert calc.locator("[data-atlas-cost-evens] li").count() == len(costs.break_evens(found, lo, hi))
    calc = calcs.first
    volume = calc.get_by_label("Tokens generated a month (millions)")
    # Free electricity and a free card: buying costs nothing at any volume.
    volume.fill("1")
    calc.get_by_label("Price (USD)").fill("0.000001")
    calc.get_by_label("Electricity (USD per kWh)").fill("0.000001")
    assert cost_rows(calc)[0][1] == "$0.00" and cost_rows(calc)[0][3] == "1"
    capacity = costs.options(json.loads(calc.locator("[data-atlas-cost-data]").text_content()))[0].capacity_m
    volume.fill(f"{capacity * 2.5:.6g}")  # more than two cards generate in a month
    assert cost_rows(calc)[0][3] == "3"
    calc.get_by_label("Price (USD)").fill("")  # an empty field falls back to the page's value
    assert cost_rows(calc)[0][1] != "$0.00"
    assert calc.locator(".atlas-cost__cheapest").count() == 1
    assert page.errors == []


def test_cost_calculator_inputs_are_labelled_and_data_is_inert(site, page):
    page.goto((site / "cost.html").as_uri())
    for control in page.locator(".atlas-cost input").all():
        assert control.evaluate("el => el.labels.length") == 1
    assert "innerHTML" not in (site / "assets" / "atlas" / "cost.js").read_text()
    source = (site / "cost.html").read_text()
    blocks = re.findall(r"data-atlas-cost-data>(.*?)</script>", source, re.S)
    assert len(blocks) >= 3
    for data in blocks:
        assert "<" not in data and ">" not in data
        assert (site / "charts" / f"cost-by-volume-{json.loads(data)['id']}.svg").is_file()


def test_compare_two_models_from_a_link(site, page):
    """The compare page, opened from a shared link: two columns, every fact with its source, the fit on the chosen
    machine from the selector's own functions, and a benchmark measured in different modes flagged."""
    page.goto((site / "models" / "compare.html").as_uri() + "#m=qwen3-32b,gemma-3-27b-it&hw=rtx-4090&ctx=32768")
    table = page.locator(".atlas-compare__table")
    heads = table.locator("thead th").all_inner_texts()
    assert heads[1:] == ["Qwen3-32B", "Gemma 3 27B Instruct"]
    for name in ("Qwen3-32B", "Gemma 3 27B Instruct"):
        assert (site / "models" / table.locator("thead a", has_text=name).get_attribute("href")).is_file()
    released = table.locator("tr", has=page.locator("th", has_text="Released"))
    assert released.locator("a.atlas-compare__source").count() == 2
    fits = table.locator("tr", has=page.locator("th", has_text="Fits?")).locator("td").all_inner_texts()
    assert all(f.startswith("yes: ") for f in fits), fits
    gpqa = table.locator("tr", has=page.locator("th", has_text="GPQA"))
    assert "⚠" in gpqa.locator("th").inner_text()  # thinking mode against 0-shot without thinking
    assert gpqa.locator("td.atlas-compare--differs").count() == 2
    page.get_by_label("Model 3").select_option("gpt-oss-120b")
    assert "gpt-oss-120b" in page.url and table.locator("thead th").count() == 4
    assert page.errors == []


def test_the_selector_links_its_top_results_to_the_compare_page(site, page):
    page.goto((site / "selector.html").as_uri() + "#task=reasoning&hw=h100-sxm")
    link = page.locator("[data-atlas-compare-top]")
    ids = [r["href"].rsplit("/", 1)[-1].removesuffix(".html") for r in results(page)[:3]]
    assert link.get_attribute("href").endswith("models/compare.html#m=" + ",".join(ids))
    link.click()
    page.wait_for_selector(".atlas-compare__table")
    assert page.locator(".atlas-compare__table thead th").count() == 4
    assert page.errors == []


def test_a_glossary_term_shows_its_definition_when_tapped(site, browser):
    """On a phone there is no hover: tapping a term shows its definition, tapping again hides it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto((site / "hardware" / "index.html").as_uri())
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    term.tap()
    tip = page.locator(".atlas-abbr-tip").first
    assert tip.inner_text() == definition and term.get_attribute("aria-expanded") == "true"
    term.tap()
    assert page.locator(".atlas-abbr-tip").count() == 0
    context.close()


def test_a_model_page_opens_the_compare_page_with_itself_chosen(site, page):
    page.goto((site / "models" / "qwen" / "qwen3-32b.html").as_uri())
    page.get_by_role("link", name="Compare with other models").click()
    page.wait_for_selector("[data-atlas-compare-table] p")
    assert page.get_by_label("Model 1").input_value() == "qwen3-32b"
    page.get_by_label("Model 2").select_option("gemma-3-27b-it")
    assert "m=qwen3-32b%2Cgemma-3-27b-it" in page.url or "m=qwen3-32b,gemma-3-27b-it" in page.url
    assert page.locator(".atlas-compare__table thead th").count() == 3
    assert page.errors == []


def test_search_puts_models_above_tier_and_hardware_pages(site, page):
    """A model-like query finds model pages first (models and families are boosted, tier pages lowered)."""
    page.goto((site / "index.html").as_uri())
    page.locator(".md-search__input").first.click()
    page.keyboard.type("embedding")
    page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    links = page.locator(".md-search-result__item > a")
    top = [links.nth(i).get_attribute("href") for i in range(5)]
    assert all("/models/" in href for href in top), top
