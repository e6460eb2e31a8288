"""The generated pages, the exports and a real strict MkDocs build of a tiny catalog (one build, shared by
the tests that read its HTML; tests of page text read the generated Markdown, made in process)."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from bs4 import BeautifulSoup
from helpers import generate_docs, make_project, minimal_catalog, model_yaml, run_generator

# Builds draw charts and trees in Chromium; one xdist group, so the module's site is built once.
pytestmark = [pytest.mark.build, pytest.mark.browser, pytest.mark.xdist_group("test_site")]


RUNTIME = """\
name: {name}
kind: runtime
description: Runs models.
homepage: https://example.org/{id}
licence: MIT
formats: [gguf]
platforms: [linux]
accelerators: [cpu]
openai_compatible_api: true
quickstart:
  needs: {needs}
  kinds: [instruct]
  command: {command}
sources:
  - url: https://example.org/{id}/docs
    supports: [licence, formats, platforms, accelerators, openai_compatible_api, quickstart]
verified: 2025-01-01
"""


GPU_YAML = """\
name: Test GPU <24 GB>
kind: gpu
vendor: Example
segment: consumer
memory_gb: 24
bandwidth_gb_s: 1000
sources:
  - url: https://example.org/gpu
    supports: [memory_gb, bandwidth_gb_s]
verified: 2026-01-01
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The minimal catalog with two runtimes and a GPU, built into site/ once."""
    catalog = minimal_catalog()
    catalog["hardware/test-gpu.yaml"] = GPU_YAML
    catalog["runtimes/ollama.yaml"] = RUNTIME.format(name="Ollama", id="ollama", needs="ollama_tag",
                                                     command="ollama run {ollama_tag}")  # fmt: skip
    catalog["runtimes/vllm.yaml"] = RUNTIME.format(
        name="vLLM", id="vllm", needs="hf_repo", command="vllm serve {hf_repo}"
    )
    project = make_project(tmp_path_factory.mktemp("project"), catalog)
    result = run_generator("site", root=project)
    assert result.returncode == 0, result.stderr
    return project


def soup(project, page):
    return BeautifulSoup((project / "site" / page).read_text(encoding="utf-8"), "html.parser")


def row_values(table):
    return {
        tr.find_all(["td", "th"])[0].get_text(strip=True): [
            td.get_text(" ", strip=True) for td in tr.find_all("td")[1:]
        ]
        for tr in table.find_all("tr")[1:]
    }


def test_model_page_shows_every_fact_with_its_source(built):
    page = soup(built, "models/example/example-8b-instruct.html")
    assert page.h1.get_text(strip=True).rstrip("¶") == "Example 8B Instruct"
    facts = row_values(page.find("table"))
    assert facts["Parameters (total)"][0] == "8.03B"
    assert facts["Context length (tokens)"][0] == "131,072 (128K)"
    assert facts["Native tool calling"][0] == "yes"
    assert facts["Released"] == ["2024-07-23", "example.org"]
    links = {a.get_text(): a["href"] for a in page.find("table").find_all("a")}
    assert links["ollama.com"] == "https://ollama.com/library/example"
    assert "Facts last verified: 2024-08-01" in page.get_text(" ", strip=True)
    tabs = page.select(".tabbed-set .tabbed-labels label")
    assert sorted(t.get_text(strip=True) for t in tabs) == ["Ollama", "vLLM"]  # one tab per runtime that runs it
    commands = sorted(c.get_text().strip() for c in page.select(".tabbed-set pre code"))
    assert commands == [
        "# the publisher's BF16 weights, on GPUs\nvllm serve example/Example-8B-Instruct --max-model-len 8192",
        "ollama run example:8b",
    ]
    assert "No GGUF or MLX repository of this model is in the catalog yet" in page.get_text(" ", strip=True)
    # the inherited licence is shown, with the family's source
    assert "Example Community Licence" in facts["Licence"][0]
    assert facts["Licence"][1] == "example.org"


def test_unknown_facts_say_unknown(tmp_path):
    files = minimal_catalog()
    files["models/example/example-8b-instruct.yaml"] = model_yaml(context_length="null", tool_calling="null")
    project = make_project(tmp_path, files)
    generate_docs(project)
    text = (project / "docs/models/example/example-8b-instruct.md").read_text()
    assert "| Context length (tokens) | unknown |" in text
    assert "| Native tool calling | unknown |" in text


def test_freshness_lists_entries_not_verified_for_a_year(tmp_path):
    files = minimal_catalog()
    files["models/example/example-moe.yaml"] = (
        files["models/example/example-moe.yaml"]
        .replace("verified: 2024-08-01", "verified: 2023-06-01")
        .replace("release_date: 2024-07-23", "release_date: 2023-05-01")
    )
    project = make_project(tmp_path, files)
    now = "1735689600"  # 2025-01-01: the 8B (verified 2024-08-01) is fresh, the MoE (2023-06-01) is not
    generate_docs(project, epoch=now)
    page = (project / "docs/models/freshness.md").read_text().replace("\\-", "-")  # dates are escaped text
    stale = page.split("## Not verified")[1].split("## All entries")[0]
    assert "[Example MoE](example/example-moe.md) | Example Family | 2023-06-01 | 580 |" in stale
    assert "Example 8B" not in stale
    assert "| [Example 8B Instruct](example/example-8b-instruct.md) | 2024-08-01 | 153 |" in page
    assert "Not verified in over 365 days" in (project / "docs/models/example/example-moe.md").read_text()
    assert "Not verified in over" not in (project / "docs/models/example/example-8b-instruct.md").read_text()


def test_home_landscape_and_family_pages(built):
    home = soup(built, "index.html")
    tables = home.find_all("table")
    landscape = tables[-1]
    assert [th.get_text(strip=True) for th in landscape.find_all("th")][:4] == [
        "Model",
        "Parameters",
        "Active",
        "Context",
    ]
    assert set(row_values(landscape)) == {"Example 8B Instruct", "Example MoE"}
    assert row_values(landscape)["Example MoE"][:2] == ["46.7B", "12.9B"]
    family = soup(built, "models/example/index.html")
    assert family.h1.get_text(strip=True).rstrip("¶") == "Example Family"
    assert {"Example 8B Instruct", "Example MoE"} <= set(row_values(family.find("table")))


def test_licence_matrix_and_pages(built):
    matrix = row_values(soup(built, "licences/index.html").find("table"))
    assert matrix["Example Community Licence"][:2] == ["conditional", "yes"]  # commercial use, user cap first
    assert matrix["Apache License 2.0"][:2] == ["yes", "none"]
    page = soup(built, "licences/example.html")
    terms = row_values(page.find("table"))
    assert terms["User or revenue cap"] == ["yes", "700 million monthly active users"]
    assert "Example 8B Instruct" in page.get_text()


def test_exports_match_their_own_schema(built):
    api = built / "site" / "api"
    models = json.loads((api / "models.json").read_text())
    licences = json.loads((api / "licences.json").read_text())
    for records, schema in ((models, "models-export.json"), (licences, "licences-export.json")):
        item_schema = json.loads((api / "schema" / schema).read_text())
        assert records
        for record in records:
            jsonschema.validate(record, item_schema)
    moe = next(m for m in models if m["id"] == "example-moe")
    assert (moe["architecture"], moe["params_b"], moe["active_params_b"]) == ("moe", 46.7, 12.9)
    assert moe["config"]["experts"] == 8 and moe["license"] == "apache-2.0"
    q8_0_bits = 7.96 * 2**30 * 8 / 8.03e9  # llama.cpp: Q8_0 makes Llama-3-8B (8.03B) a 7.96 GiB file
    assert moe["memory"]["weights_gb"]["Q8_0"] == pytest.approx(46.7 * q8_0_bits / 8, abs=0.01)
    assert (api / "models.csv").read_text().splitlines()[0].startswith("id,name,family,publisher")
    for kind in ("model", "family", "licence"):
        schema = json.loads((api / f"schema/{kind}.json").read_text())
        assert schema["additionalProperties"] is False


def test_data_api_page_documents_every_field(built):
    page = soup(built, "api/index.html")
    documented = {code.get_text() for code in page.select("table code")}
    models = json.loads((built / "site/api/models.json").read_text())
    assert set(models[0]) <= documented


def test_site_loads_nothing_from_the_network(built):
    fetched_links = {"stylesheet", "preload", "modulepreload", "icon", "manifest", "preconnect"}
    pages = list((built / "site").rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(True):
            if tag.name == "link" and not fetched_links.intersection(tag.get("rel", [])):
                continue
            url = tag.get("src") or (tag.get("href") if tag.name == "link" else None)
            assert not url or not re.match(r"(?:https?:)?//", url), f"{page}: {url}"


def test_failed_build_leaves_previous_site(tmp_path):
    project = make_project(tmp_path, minimal_catalog())
    assert run_generator("site", root=project).returncode == 0
    index = project / "site/index.html"
    before = index.read_bytes()
    # a broken link in a hand-written page makes the strict MkDocs build fail
    (project / "docs/about.md").write_text("# About\n\n[gone](nowhere.md)\n")
    result = run_generator("site", root=project)
    assert result.returncode == 1
    assert "the previous site/ is untouched" in result.stderr
    assert "nowhere.md" in result.stderr and "Traceback" not in result.stderr  # the warning that failed it
    assert index.read_bytes() == before
    assert not (project / "site.tmp").exists()
    # an invalid catalog never reaches MkDocs
    (project / "catalog/models/example/example-moe.yaml").write_text("name: [\n")
    assert run_generator("site", root=project).returncode == 1
    assert index.read_bytes() == before


def test_memory_tables_hardware_fit_and_tier_pages(built):
    project = built
    page = soup(project, "models/example/example-8b-instruct.html")
    section = page.find(id="memory-and-hardware")
    memory, per_cache, machines = section.find_all_next("table")[:3]
    rows = row_values(memory)
    # 8.03B x 4.899 bits / 8 = 4.92 GB of weights; + 0.54 GB KV (4,096 x 131,072 bytes) + 1 GB overhead.
    assert rows["Q4_K_M"][:2] == ["4.9", "6.5"]
    assert [th.get_text(strip=True) for th in memory.find_all("th")][-1].startswith("131,072")
    assert "Memory per sequence: full attention on 32 layers." in section.find_next("p").find_next("p").get_text()
    assert row_values(per_cache)["4,096 (4K)"] == ["0.54", "0.29", "0.15"]  # f16, q8_0, q4_0
    fit = row_values(machines)["Test GPU <24 GB>"]
    # 24 GiB = 25.8 GB less 10 % headroom = 23.2: Q8_0 (8.55 + 1.07 KV at 8K + 1.0) is the top of the ladder;
    # speed: 86 % of 1000 GB/s / (8.55 + 1.07) = 89.
    assert fit == ["Q8_0", "10.6", "89"]  # fits and in which format, needs, speed
    tier = soup(project, "hardware/tier-8gb.html")
    assert tier.find("a", string="Example 8B Instruct")
    hardware_page = soup(project, "hardware/index.html").get_text(" ", strip=True)
    assert "Test GPU <24 GB>" in hardware_page and "IQ4_XS" in hardware_page
    selector_page = (project / "site" / "selector.html").read_text()
    assert "Test GPU <24 GB>" not in selector_page.split("data-atlas-selector-data>")[1].split("</script>")[0]


def test_a_model_page_offers_a_correction_and_a_comparison(built):
    page = soup(built, "models/example/example-8b-instruct.html")
    edit = page.find("a", string="Suggest a correction")
    assert edit["href"].endswith("/edit/main/catalog/models/example/example-8b-instruct.yaml")
    assert page.find("a", string="How facts are sourced")["href"].endswith("/blob/main/CONTRIBUTING.md")
    compare = page.find("a", attrs={"data-atlas-compare-with": True})
    assert compare["href"] == "../compare.html" and compare["data-atlas-compare-with"] == "m=example-8b-instruct"
