"""The watch (generator/watch/): the real huggingface_hub client against a stand-in Hub replaying recorded responses
(tests/data/hub/SOURCES.md): a new release found and drafted, one already catalogued, quantized copies passed over,
a gated repository, missing safetensors metadata, a 429 then success, retries that run out, a malformed config.json,
an organisation that is gone, and hostile metadata."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from fake_hub import FakeHub, listing, recorded
from helpers import LICENCE, minimal_catalog, model_yaml, run_generator, write_tree

from generator.catalog.load import load_catalog
from generator.catalog.scaffold import config_block
from generator.render import escape
from generator.watch import draft, releases
from generator.watch.hub import Hub

LLAMA_8B = "model_info_meta-llama_Llama-3.1-8B-Instruct_gated-manual.json"
LLAMA_70B = "model_info_meta-llama_Meta-Llama-3-70B-Instruct_gated-manual.json"
ZEPHYR = "model_info_HuggingFaceH4_zephyr-7b-beta_finetune-tag.json"
BART = "model_info_sshleifer_distilbart-cnn-12-6_pytorch-bin-only_no-safetensors.json"
MLX = "list_models_author-mlx-community_search-Qwen3.5-9B-4bit_expand.json"
RATE_LIMITED = "http_429_api-inference_rate-limit.txt"
ZEPHYR_SHA = "892b3d7a7b1cf10c7a701c60881cd93df615734c"


def family(name: str, org: str, names: str) -> str:
    return (f"name: {name}\npublisher: {name} Labs\ndescription: A family the watch tests.\n"
            "defaults: {licence: example}\nsources: [{url: https://example.org/family, supports: [licence]}]\n"
            f"watch:\n  - org: {org}\n    names: [{names}]\n")  # fmt: skip


def project(tmp_path):
    catalog = minimal_catalog()
    catalog["licences/llama3.1.yaml"] = LICENCE
    catalog["families/llama.yaml"] = family("Llama", "meta-llama", '"*llama*"')
    catalog["models/llama/meta-llama-3-70b-instruct.yaml"] = model_yaml(
        "Meta Llama 3 70B Instruct", release_date="2024-04-18", hf_repo="meta-llama/Meta-Llama-3-70B-Instruct"
    )
    catalog["families/zephyr.yaml"] = family("Zephyr", "HuggingFaceH4", '"zephyr-*"')
    catalog["families/bart.yaml"] = family("BART", "sshleifer", '"distilbart-*"')
    catalog["families/qwen.yaml"] = family("Qwen", "mlx-community", '"qwen3.5-*"')
    catalog["families/gone.yaml"] = family("Gone", "no-such-org", '"*"')
    return write_tree(tmp_path, {f"catalog/{k}": v for k, v in catalog.items()})


ROUTES = {
    "/api/models?author=meta-llama": [RATE_LIMITED, listing(LLAMA_8B, LLAMA_70B)],  # a 429, then the listing
    "/api/models?author=HuggingFaceH4": [listing(ZEPHYR)],
    f"/HuggingFaceH4/zephyr-7b-beta/resolve/{ZEPHYR_SHA}/config.json": [
        (200, recorded("config_Hunyuan-A13B_from-github-Tencent-Hunyuan-A13B.json")[:700])  # cut: not JSON
    ],
    "/api/models?author=sshleifer": [listing(BART)],
    "/api/models?author=mlx-community": [listing(MLX)],
    "/api/models?author=no-such-org": [(200, "[]")],
}


def watch(root, hub_url, family_id):
    catalog, problems = load_catalog(root / "catalog", root)
    assert problems == []
    return releases.watch_family(Hub(endpoint=hub_url), catalog, family_id, catalog.families[family_id],
                                 dt.date(2026, 12, 5))  # fmt: skip


def test_a_new_release_is_found_beside_a_catalogued_one_after_a_429(tmp_path):
    root = project(tmp_path)
    with FakeHub(ROUTES) as hub:
        found = watch(root, hub.url, "llama")
        assert hub.seen["/api/models?author=meta-llama"] == 2  # the 429, retried
    report = found.report
    assert report.since == dt.date(2024, 3, 19)  # a month before the newest catalogued release
    assert [r.repo for r in report.releases] == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert report.skipped == {"catalogued": 1} and report.not_checked == []
    new = report.releases[0]
    assert (new.created, new.gated, new.licence, new.params) == (dt.date(2024, 7, 18), "manual", "llama3.1", 8030261248)
    assert new.pipeline == "text-generation" and new.revision == "0e9e39f249a16976918f6564b8830bc894c89659"
    # The config of a gated repository, asked for without a token: the Hub's 401, said in the report.
    assert new.config is None and any("config.json could not be read" in n for n in new.notes)


def test_quantized_copies_are_passed_over_and_missing_metadata_is_said(tmp_path):
    root = project(tmp_path)
    with FakeHub(ROUTES) as hub:
        qwen = watch(root, hub.url, "qwen").report
        bart = watch(root, hub.url, "bart").report
        zephyr = watch(root, hub.url, "zephyr").report
    assert qwen.releases == [] and qwen.skipped == {"quantized": 2}  # base_model:quantized: tags
    (distilbart,) = bart.releases
    assert distilbart.params is None and "no safetensors metadata" in distilbart.notes[0]
    (z,) = zephyr.releases
    assert z.params == 7241732096 and z.gated == "no" and z.licence == "mit"
    assert z.config is None and any("config.json is not valid JSON" in n for n in z.notes)


def test_a_vanished_organisation_is_reported_not_fatal(tmp_path):
    root = project(tmp_path)
    with FakeHub(ROUTES) as hub:
        report = watch(root, hub.url, "gone").report
        assert hub.seen["/api/organizations/no-such-org/overview"] == 1
    assert report.releases == []
    assert [(n.what, n.reason) for n in report.not_checked] == [
        ("no-such-org", "no organisation or user of that name on the Hub (renamed or removed?)")
    ]


def test_retries_are_bounded_with_backoff_then_the_report_says_what_was_not_checked(tmp_path, monkeypatch):
    from huggingface_hub.utils import _http

    slept = []
    monkeypatch.setattr(_http.time, "sleep", slept.append)
    root = project(tmp_path)
    with FakeHub({**ROUTES, "/api/models?author=meta-llama": [RATE_LIMITED]}) as hub:
        report = watch(root, hub.url, "llama").report
        assert hub.seen["/api/models?author=meta-llama"] == 6  # the first try and five retries
    assert slept == [1, 2, 4, 8, 8]  # exponential backoff, capped
    assert report.releases == [] and report.not_checked[0].what == "meta-llama"
    assert "HTTP 429 after every retry" in report.not_checked[0].reason


def test_hostile_metadata_is_data(tmp_path):
    """Names, tags and numbers of the wrong shape are dropped or passed over, never executed or trusted."""
    root = project(tmp_path)
    evil = json.loads(recorded(ZEPHYR))
    hostile = [
        {**evil, "id": "HuggingFaceH4/zephyr-$(touch pwned)`x`\n"},
        {**evil, "id": "HuggingFaceH4/zephyr-ok", "sha": "not a sha", "gated": "sometimes", "pipeline_tag": "a\nb",
         "cardData": {"license": "<script>alert(1)</script>"}, "safetensors": {"parameters": {}, "total": "lots"}},
    ]  # fmt: skip
    with FakeHub({"/api/models?author=HuggingFaceH4": [json.dumps(hostile)]}) as hub:
        found = watch(root, hub.url, "zephyr")
    report = found.report
    assert report.skipped == {"malformed": 1}
    (ok,) = report.releases
    assert (ok.revision, ok.gated, ok.pipeline, ok.licence, ok.params) == (None, None, None, None, None)
    assert "not a licence identifier" in " ".join(ok.notes)
    text = releases.report_text(found, root / "catalog")
    assert "<script>" not in text and "pwned" not in text
    assert not (root / "pwned").exists()


def test_the_command_writes_reports_and_drafts_that_validate_but_for_their_fill_lines(tmp_path):
    root = project(tmp_path)
    with FakeHub(ROUTES) as hub:
        done = run_generator("watch", "--draft", "--summary", str(tmp_path / "out"), "--endpoint", hub.url, root=root)
    assert done.returncode == 0, done.stderr
    assert "gone: not checked: no-such-org" in done.stdout
    report = yaml.safe_load((root / "catalog" / "watch" / "llama.yaml").read_text())
    assert [r["repo"] for r in report["releases"]] == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert json.loads((tmp_path / "out" / "drafted.json").read_text()) == ["bart", "llama", "zephyr"]
    body = (tmp_path / "out" / "llama.md").read_text()
    repo = "meta-llama/Llama-3.1-8B-Instruct"
    assert f"[{escape.md(repo)}](https://huggingface.co/{repo})" in body and "Drafted" in body
    path = root / "catalog" / "models" / "llama" / "llama-3.1-8b-instruct.yaml"
    text = path.read_text()
    data = yaml.safe_load(text)
    assert data["hf_repo"] == "meta-llama/Llama-3.1-8B-Instruct" and data["params_b"] == 8.03
    assert data["gated"] is True and data["licence"] == "llama3.1" and data["weights_precision"] == "BF16"
    assert data["release_date"] is None and "created on 2024-07-18" in text  # a hint, not a fact
    assert "\n# Not read: config.json could not be read" in text and data["config"] == {}
    sha = "0e9e39f249a16976918f6564b8830bc894c89659"
    assert {s["url"]: s["supports"] for s in data["sources"]} == {
        "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct": ["hf_repo", "gated"],
        f"https://huggingface.co/api/models/meta-llama/Llama-3.1-8B-Instruct/revision/{sha}": ["params_b",
                                                                                              "weights_precision"],
        f"https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/{sha}/README.md": ["licence"],
    }  # fmt: skip
    _, problems = load_catalog(root / "catalog", root)
    fill_lines = {i for i, line in enumerate(text.splitlines(), 1) if "# FILL:" in line}
    mine = [p for p in problems if p.path.endswith("llama-3.1-8b-instruct.yaml")]
    assert mine and {p.line for p in mine} <= fill_lines, mine
    filled = text.replace("description: null", "description: A model.").replace(
        "verified: null", "verified: 2026-12-05"
    )
    path.write_text(filled)
    _, problems = load_catalog(root / "catalog", root)
    assert not [p for p in problems if p.path.endswith("llama-3.1-8b-instruct.yaml")]


def test_a_draft_takes_the_architecture_and_gguf_sizes_it_is_given(tmp_path):
    """Drafting alone, on a real config.json (Tencent's Hunyuan-A13B, from its GitHub repository) and GGUF
    file names as llama.cpp's tools write them."""
    root = project(tmp_path)
    catalog, _ = load_catalog(root / "catalog", root)
    hf = json.loads(recorded("config_Hunyuan-A13B_from-github-Tencent-Hunyuan-A13B.json"))
    facts = {"repo": "tencent/Hunyuan-A13B-Instruct", "created": dt.date(2025, 6, 27), "revision": None,
             "gated": "no", "licence": "other", "licence_name": "tencent-hunyuan-a13b", "pipeline": "text-generation",
             "params": None, "config": config_block(hf, skip_invalid=True), "gguf_repo": "tencent/Hunyuan-A13B-Instruct-GGUF",
             "gguf": [{"name": "Hunyuan-A13B-Instruct-Q4_K_M.gguf", "bytes": 48_000_000_000},
                      {"name": "Q8_0/Hunyuan-A13B-Instruct-Q8_0-00001-of-00002.gguf", "bytes": 45_000_000_000},
                      {"name": "Q8_0/Hunyuan-A13B-Instruct-Q8_0-00002-of-00002.gguf", "bytes": 40_000_000_000},
                      {"name": "mmproj-F16.gguf", "bytes": 1_000_000}],
             "notes": []}  # fmt: skip
    release = releases.Release(facts, hf_config=hf)
    path, _said = draft.write(release, catalog, root / "catalog", "hunyuan")
    data = yaml.safe_load(path.read_text())
    assert data["architecture"] == "moe" and data["config"]["experts"] == hf["num_experts"]
    assert data["downloads"] == [{"repo": "tencent/Hunyuan-A13B-Instruct-GGUF", "format": "gguf",
                                  "quants": {"Q4_K_M": 48.0, "Q8_0": 85.0}}]  # fmt: skip
    assert data["licence"] is None and "license other (license_name tencent-hunyuan-a13b)" in path.read_text()
    assert draft.write(release, catalog, root / "catalog", "hunyuan")[0] is None  # never overwrites


@pytest.mark.build
@pytest.mark.browser
def test_the_freshness_page_shows_what_the_last_watch_found(tmp_path):
    from bs4 import BeautifulSoup
    from helpers import make_project

    root = project(tmp_path / "p")
    with FakeHub(ROUTES) as hub:
        assert run_generator("watch", "--endpoint", hub.url, root=root).returncode == 0
    catalog = {str(p.relative_to(root / "catalog")): p.read_text() for p in (root / "catalog").rglob("*.yaml")}
    site = make_project(tmp_path / "site", catalog)
    done = run_generator("site", root=site)
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup((site / "site" / "models" / "freshness.html").read_text(), "html.parser")
    table = page.find("h2", id="released-upstream-not-yet-in-the-atlas").find_next("table")
    rows = {r.find("td").get_text(strip=True): r.find_all("td") for r in table.find_all("tr")[1:]}
    assert set(rows) == {"Llama", "Zephyr", "BART", "Qwen", "Gone"}
    llama = rows["Llama"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", llama[1].get_text())  # the day the watch ran
    link = llama[2].find("a")
    assert link.get_text() == "meta-llama/Llama-3.1-8B-Instruct"
    assert link["href"] == "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"
    assert "Meta-Llama-3-70B" not in llama[2].get_text()  # catalogued: not a gap
    assert rows["Qwen"][2].get_text(strip=True) == "none"
    assert rows["Gone"][2].get_text(" ", strip=True).startswith("Not checked: no-such-org")
    assert next(iter(rows)) in ("BART", "Llama", "Zephyr")  # the families with gaps first
