"""Stored runs beyond the runner: importing lm-evaluation-harness results, the leaderboards and the
accuracy-vs-speed chart on the site, and the head-to-head comparator (its logic in node, the page in Chromium).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fake_openai import FakeServer
from helpers import make_project, minimal_catalog, run_generator

from generator.bench.harness import ImportOptions, import_lm_eval
from generator.bench.runner import BenchError, Options, run
from generator.catalog.authored import read_authored, validate, variant
from generator.catalog.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
LM_EVAL = ROOT / "tests" / "data" / "lm-eval-results.json"
MINI = ROOT / "tests" / "data" / "mini-suite.yaml"
NODE = shutil.which("node")
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} </pre> | pipe"


def test_lm_eval_results_become_a_run_with_every_score_and_its_provenance(tmp_path):
    path, _ = import_lm_eval(ImportOptions(results=LM_EVAL, root=ROOT, hardware="A100 80GB", out=tmp_path / "r.yaml"))
    doc = parse_file(path, str(path))
    schema, problems = variant("runs", doc)
    data, more = validate(doc, schema)
    assert problems == more == [] and type(data).__name__ == "HarnessRun"
    assert data.model.served_name == "meta-llama/Llama-3.1-8B-Instruct"
    assert data.model.catalog_id == "llama-3.1-8b-instruct"  # found by the catalog's hf_repo
    assert data.harness.version == "0.4.5" and data.harness.model_type == "hf" and data.harness.limit == 100
    assert data.harness.model_args == "pretrained=meta-llama/Llama-3.1-8B-Instruct,dtype=bfloat16"
    assert data.date.isoformat() == "2024-11-12T08:26:40+00:00" and data.wall_s == 1640.8
    rows = {(t.task, t.metric, t.filter): t for t in data.tasks}
    assert len(rows) == 10  # arc_easy 2, gsm8k 2 filters, mmlu and 2 subgroups, wikitext 3
    gsm = rows[("gsm8k", "exact_match", "flexible-extract")]
    assert (gsm.value, gsm.n_shot, gsm.samples, gsm.version) == (0.77, 5, 100, "3.0")
    assert rows[("mmlu_stem", "acc", "none")].stderr is None  # the harness's "N/A"
    assert rows[("mmlu_humanities", "acc", "none")].group == "mmlu" and rows[("mmlu", "acc", "none")].group is None
    assert rows[("wikitext", "word_perplexity", "none")].higher_is_better is False
    assert path.read_text().splitlines()[1].startswith("# A stored benchmark run, imported by")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ('{"results": {"a": {"acc,none": 0.5}},\n  "date": 17,, }', "r.json:2:14: not valid JSON"),
        ('{"doc_id": 0, "resps": []}', "no 'results' object"),
        ('{"results": {"a": {"alias": "a"}}, "date": 1}', "no numeric '<metric>,<filter>' results"),
        ('{"results": {"a": {"acc,none": 0.5}}, "date": 1}', "names no model"),
        ('{"results": {"a": {"acc,none": 0.5}}, "model_name": "m"}', "has no 'date'"),
        ('{"results": {"a": [1]}, "model_name": "m", "date": 1}', "results.a is not an object"),
    ],
)
def test_import_problems_are_plain_messages_naming_the_file(tmp_path, content, message):
    results = tmp_path / "r.json"
    if content is not None:
        results.write_text(content)
    with pytest.raises(BenchError, match=message):
        import_lm_eval(ImportOptions(results=results, root=tmp_path))
    assert not (tmp_path / "catalog").exists()


def test_import_command_stores_under_the_model_and_reports(tmp_path):
    shutil.copytree(ROOT / "catalog" / "models" / "llama", tmp_path / "catalog" / "models" / "llama")
    done = run_generator("import", "lm-eval", str(LM_EVAL), root=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "6 tasks, 10 scores of meta-llama/Llama-3.1-8B-Instruct (catalog model llama-3.1-8b-instruct)" in done.stdout
    assert (tmp_path / "catalog" / "runs" / "llama-3.1-8b-instruct" / "2024-11-12-lm-eval.yaml").is_file()
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    done = run_generator("import", "lm-eval", str(broken), root=tmp_path)
    assert done.returncode == 2 and "broken.json:1:2: not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_run_file_of_an_unknown_source_is_rejected_at_its_line(tmp_path):
    catalog = tmp_path / "catalog"
    (catalog / "runs" / "m").mkdir(parents=True)
    (catalog / "runs" / "m" / "x.yaml").write_text("model: {served_name: m}\nsource: helm\n")
    problems = read_authored(catalog).problems
    assert [(p.line, p.col) for p in problems] == [(2, 9)]
    assert "source: 'helm' is not allowed; use one of 'bench', 'lm-eval'" in problems[0].message


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A small catalog with two runs of one suite from the fake server (one with a hostile answer, one that
    only errs), and the lm-eval fixture imported for a catalog model; built once."""
    catalog = minimal_catalog()
    catalog["suites/mini-suite.yaml"] = MINI.read_text().replace("REPLY: Milan", "REPLY: " + HOSTILE)
    project = make_project(tmp_path_factory.mktemp("runs"), catalog)
    suite = project / "catalog" / "suites" / "mini-suite.yaml"
    with FakeServer(delay=0.01) as server:
        for model in ("ok", "null-content"):
            run(Options(base_url=server.base_url, model=model, suite_path=suite, root=project, timeout_s=2,
                        retries=0, catalog_id="example-8b-instruct" if model == "ok" else None))  # fmt: skip
    import_lm_eval(ImportOptions(results=LM_EVAL, root=project, catalog_id="example-8b-instruct", example=True))
    result = run_generator("site", root=project)
    assert result.returncode == 0, result.stderr
    return project


def soup(project: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / page).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.xdist_group("test_runs")  # the module's project, built once
def test_runs_page_has_a_chart_per_suite_and_a_table_per_lm_eval_task(project):
    page = soup(project, "runs/index.html")
    headings = [h.get_text(" ", strip=True).rstrip("¶ ") for h in page.find_all("h3")]
    assert "arc_easy: acc_norm" in headings and "gsm8k: exact_match (strict-match)" in headings
    assert "wikitext: word_perplexity, lower is better" in headings
    assert not any(h.startswith("mmlu_") for h in headings)  # subtasks stay on the run's own page
    chart = page.find("img", src="../charts/runs-accuracy-vs-speed-mini-suite.svg")
    assert chart is not None and "2 runs" not in chart["alt"]  # the erring run has no speed: one point
    svg = (project / "site" / "charts" / "runs-accuracy-vs-speed-mini-suite.svg").read_text()
    assert "ok" in svg and "<script" not in svg
    assert page.find("a", href="compare-mini-suite.html") is not None
    harness = soup(project, "runs/example-8b-instruct/2024-11-12-lm-eval.html")
    cells = [td.get_text(strip=True) for td in harness.find_all("td")]
    assert "mmlu_humanities" in cells and "0.7700" in cells and "lm-evaluation-harness 0.4.5, commit 8138fd52" in cells
    model = (project / "site" / "models" / "example" / "example-8b-instruct.html").read_text()
    assert 'href="../../runs/example-8b-instruct/2024-11-12-lm-eval.html"' in model
    exported = json.loads((project / "site" / "api" / "runs.json").read_text())
    assert sorted(r["source"] for r in exported) == ["bench", "bench", "lm-eval"]


def comparator_data(project: Path) -> dict:
    page = soup(project, "runs/compare-mini-suite.html")
    return json.loads(page.find("script", attrs={"data-atlas-compare-data": True}).string)


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.xdist_group("test_runs")  # the module's project, built once
@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_comparator_logic_picks_filters_and_hides_in_blind_mode(project):
    data = comparator_data(project)
    assert [r["label"] for r in data["runs"]] == ["ok", "null-content"]  # best first
    first, second = (r["id"] for r in data["runs"])
    states = [
        {"a": first, "b": second},
        {"a": first, "b": second, "differ": "1"},
        {"a": first, "b": second, "cat": "knowledge"},
        {"a": first, "b": second, "blind": "1"},
        {"a": first, "b": first},
    ]
    script = """
      const compare = require(process.argv[1]);
      const [data, states] = JSON.parse(require("fs").readFileSync(0, "utf8"));
      process.stdout.write(JSON.stringify(states.map((s) => {
        const v = compare.view(data, s, [1, 2, 0]);
        return {titles: v.columns.map((c) => c.title), only: v.columns.map((c) => c.onlyPassed),
                prompts: v.rows.map((r) => r.prompt.id), hash: compare.writeState(s)};
      })));
    """
    done = subprocess.run([NODE, "-e", script, str(ROOT / "overrides/assets/atlas/compare.js")],
                          input=json.dumps([data, states]), capture_output=True, text=True, check=True)  # fmt: skip
    both, differ, knowledge, blind, same = json.loads(done.stdout)
    assert both["titles"] == ["ok", "null-content"] and both["only"] == [3, 0]
    assert both["prompts"] == ["number", "json", "wrong", "regex"]
    assert differ["prompts"] == ["number", "json", "regex"]  # both fail "wrong"
    assert knowledge["prompts"] == ["wrong"]
    assert blind["titles"] == ["Answer A", "Answer B"] and blind["only"] == [0, 3]  # order [1, 2, 0] → second first
    assert same["titles"] == ["ok"]  # one run chosen twice is one run
    assert both["hash"].startswith("#a=") and "&b=" in both["hash"]


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.xdist_group("test_runs")  # the module's project, built once
def test_comparator_in_chromium_shows_answers_as_text_and_blinds(project, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: errors.append("dialog: " + d.message))
    page.goto((project / "site" / "runs" / "compare-mini-suite.html").as_uri())
    status = page.locator("[data-atlas-compare-status]")
    assert status.inner_text() == "4 of 4 prompts shown."
    rows = page.locator("[data-atlas-compare-summary] tr").all_inner_texts()
    assert rows[0].split("\t")[:2] == ["ok", "75.0 %"] and len(rows) == 2
    answers = page.locator(".atlas-compare__prompt pre.atlas-answer").all_inner_texts()
    assert HOSTILE in answers  # shown as typed, never run
    page.get_by_label("Only prompts where the results differ").check()
    assert status.inner_text() == "3 of 4 prompts shown."
    page.get_by_label("Blind: hide which run is which").check()
    assert "blind" in status.inner_text()
    assert sorted(page.locator(".atlas-compare__head strong").all_inner_texts()[:2]) == ["Answer A", "Answer B"]
    assert page.locator(".atlas-compare__mark").count() == 0 and page.locator(".atlas-compare__rule").count() == 0
    assert "blind=1" in page.url and "differ=1" in page.url
    page.get_by_role("button", name="Reveal which run is which").click()
    assert page.locator(".atlas-compare__mark").count() == 6
    page.reload()  # the choice survives in the address bar
    assert status.inner_text() == "3 of 4 prompts shown."
    assert errors == []
    page.close()
