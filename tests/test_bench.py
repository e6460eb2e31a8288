"""The benchmark runner (generator/bench) against a fault-injecting OpenAI-compatible server
(tests/fake_openai.py): scoring, statistics, provenance, robustness, the journal and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from fake_openai import FakeServer
from helpers import make_project, minimal_catalog, run_generator

from generator.bench import score
from generator.bench.client import ServerProblem
from generator.bench.runner import BenchError, Options, load_suite, run
from generator.bench.stats import percentile, wilson
from generator.catalog.authored import validate
from generator.catalog.schema_runs import Contains, Exact, JsonValid, Numeric, OneOf, Regex, Run

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini-suite.yaml"


@pytest.fixture(scope="module")
def server():
    with FakeServer(delay=0.02) as s:
        yield s


def options(server, tmp_path, model="ok", **kw) -> Options:
    return Options(base_url=server.base_url, model=model, suite_path=kw.pop("suite", MINI), root=tmp_path,
                   timeout_s=kw.pop("timeout_s", 2.0), retries=kw.pop("retries", 2), **kw)  # fmt: skip


def stored(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_rules_pass_right_answers_and_fail_wrong_ones():
    cases = [
        (Contains(contains="Paris"), "It is paris.", "It is Lyon."),
        (Regex(regex=r"def\s+add\("), "def add(a, b):", "function add(a, b)"),
        (Exact(exact="Rome"), "  rome \n", "Rome, Italy"),
        (OneOf(one_of=["yes", "true"]), "True", "maybe"),
        (Numeric(number=1234.5, tolerance=0.01), "So the total is 1,234.5", "1234.5 or maybe 99"),
        (JsonValid(json_schema={"type": "object", "required": ["a"], "properties": {"a": {"const": 1}}}),
         'Here:\n```json\n{"a": 1}\n```', '{"a": 2}'),
    ]  # fmt: skip
    for check, right, wrong in cases:
        assert score.passes(check, right), (check, right)
        assert not score.passes(check, wrong), (check, wrong)
    assert not score.passes(JsonValid(json_schema={}), "not json at all")
    assert not score.passes(Numeric(number=3), "no number here")


def test_wilson_interval_and_percentiles():
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)  # the textbook values for 8 of 10
    assert wilson(0, 20)[0] == 0 and 0 < wilson(0, 20)[1] < 0.2 and wilson(20, 20)[1] == pytest.approx(1)
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)


def test_a_run_is_stored_with_its_provenance(server, tmp_path):
    done = run(options(server, tmp_path, concurrency=2, hardware="test box", quantization="Q4_K_M", repeats=2))
    assert done.path.parent == tmp_path / "catalog" / "runs" / "ok" and done.path.name.endswith("-mini-suite.yaml")
    data = stored(done.path)
    Run.model_validate(data)
    assert data["suite_sha256"] == load_suite(MINI)[1]
    assert data["sampling"] == {"temperature": 0.0, "top_p": 1.0, "max_tokens": 16, "seed": 7}
    assert data["server"] == {"kind": "openai-compatible", "version": None}
    assert data["model"]["quantization"] == "Q4_K_M" and data["hardware"] == "test box"
    assert data["runner_version"] and data["date"] and data["repeats"] == 2
    s = data["summary"]
    assert (s["prompts"], s["passed"], s["errors"]) == (8, 6, 0)  # "wrong" fails, twice
    assert s["accuracy_ci95"] == [round(x, 4) for x in wilson(6, 8)]
    assert s["latency_p50_s"] >= 0.02 and s["ttft_p50_s"] <= s["latency_p50_s"] and s["throughput_tokens_per_s"] > 0
    first = data["results"][0]
    assert first["answer"] == "The answer is 42." and first["output_tokens"] == 4 and first["prompt_tokens"]
    assert not (tmp_path / ".atlas-cache" / "bench").exists() or not any(
        (tmp_path / ".atlas-cache" / "bench").iterdir()
    )


@pytest.mark.parametrize(
    ("model", "error"),
    [
        ("always-500", "HTTP 500"),
        ("malformed", "bad response"),
        ("null-content", "empty answer"),
        ("trickle", "no complete answer within 1 s"),
        ("hang", "timed out after 1 s"),
        ("drop", "stream ended before the answer finished"),
    ],
)
def test_faults_are_errors_never_passes(server, tmp_path, model, error):
    done = run(options(server, tmp_path, model=model, concurrency=4, timeout_s=1.0, retries=1))
    results = stored(done.path)["results"]
    assert len(results) == 4 and not any(r["passed"] for r in results)
    assert all(error in r["error"] for r in results), [r["error"] for r in results]


def test_retries_with_backoff_and_retry_after(server, tmp_path):
    before = server.requests
    done = run(options(server, tmp_path, model="flaky-500"))
    assert stored(done.path)["summary"]["errors"] == 0 and server.requests - before == 8  # each prompt: 500, then OK
    start = time.perf_counter()
    done = run(options(server, tmp_path, model="limit-429", concurrency=4))
    assert time.perf_counter() - start >= 1.0  # waited for Retry-After: 1
    assert stored(done.path)["summary"]["passed"] == 3


def test_unreachable_server_and_unknown_model_are_plain_messages(server, tmp_path):
    with pytest.raises(ServerProblem, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        run(Options(base_url="http://127.0.0.1:9/v1", model="x", suite_path=MINI, root=tmp_path, retries=0))
    with pytest.raises(ServerProblem, match="does not serve model 'nope'; it serves: always-500, drop"):
        run(options(server, tmp_path, model="nope"))


def test_a_broken_suite_is_reported_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: Bad\ndescription: d\nprompts:\n  - id: a\n    category: poetry\n    prompt: p\n    check: {contains: x}\n"
    )
    with pytest.raises(BenchError, match=r"bad\.yaml:5:15: prompts\.0\.category: 'poetry' is not allowed"):
        load_suite(bad)


def test_deadline_then_resume_without_duplicates(server, tmp_path):
    slow = FakeServer(delay=0.3)
    with slow:
        first = run(options(slow, tmp_path, deadline_s=0.1))
        assert first.path is None and first.stopped == "the deadline passed" and first.done == 1
        with pytest.raises(BenchError, match="add --resume to continue"):
            run(options(slow, tmp_path))
        asked = slow.requests
        second = run(options(slow, tmp_path, resume=True, concurrency=4))
        assert slow.requests - asked == 3  # only the prompts not yet answered
    data = stored(second.path)
    assert sorted(r["prompt"] for r in data["results"]) == ["json", "number", "regex", "wrong"]
    assert data["summary"]["prompts"] == 4


def test_ctrl_c_keeps_every_result_and_the_cli_resumes(tmp_path):
    """A real Ctrl-C (SIGINT) to the command line runner, piped: plain output, no progress bar."""
    with FakeServer(delay=1.0) as slow:  # 4 s in all: time to interrupt it even on a loaded machine
        command = [sys.executable, "-m", "generator", "--root", str(tmp_path), "bench", "--base-url", slow.base_url,
                   "--model", "ok", "--suite", str(MINI)]  # fmt: skip
        # A shell's background job (make test started with `&`) ignores SIGINT, and its children inherit that:
        # give the runner the default disposition a terminal's Ctrl-C meets.
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
        # Interrupt once the first answer is journalled (not after a fixed sleep: how
        # long the command takes to start depends on the machine's load).
        journals = tmp_path / ".atlas-cache" / "bench"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any('"result"' in j.read_text() for j in journals.glob("*.jsonl")):
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "--resume" in err and "\r" not in err
        journal = next((tmp_path / ".atlas-cache" / "bench").glob("*.jsonl"))
        kept = [json.loads(line) for line in journal.read_text().splitlines() if '"result"' in line]
        assert 1 <= len(kept) < 4
        done = subprocess.run([*command, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "3/4 passed (75.0%" in done.stdout and "stored " in done.stdout
    runs = list((tmp_path / "catalog" / "runs" / "ok").glob("*.yaml"))
    data = stored(runs[0])
    assert len(data["results"]) == 4 and len({r["prompt"] for r in data["results"]}) == 4


def test_stored_runs_validate_as_catalog_files(server, tmp_path):
    from generator.catalog.parse import parse_file

    done = run(options(server, tmp_path))
    data, problems = validate(parse_file(done.path, str(done.path)), Run)
    assert problems == [] and data is not None
    assert os.path.getsize(done.path) < 20_000


@pytest.mark.build
@pytest.mark.browser
def test_stored_runs_are_rendered_with_answers_as_text(server, tmp_path):
    from bs4 import BeautifulSoup

    catalog = minimal_catalog()
    catalog["suites/mini-suite.yaml"] = MINI.read_text()
    project = make_project(tmp_path / "p", catalog)
    typed = "<script>alert(1)</script> {{ 7*7 }} </pre>\n```\n'fenced'\n```\n~~~\nx\n~~~\n--8<-- README.md\n[a](javascript:x) *em*"
    hostile = "REPLY: " + typed.replace("\n", "\\\\n")  # a \n the fake server turns into a line break
    suite = project / "catalog" / "suites" / "mini-suite.yaml"
    suite.write_text(suite.read_text().replace("REPLY: Milan", hostile))
    done = run(options(server, project, suite=suite, catalog_id="example-8b-instruct"))
    assert done.path.parent == project / "catalog" / "runs" / "example-8b-instruct"
    result = run_generator("site", root=project)
    assert result.returncode == 0, result.stderr
    board = BeautifulSoup((project / "site" / "runs" / "index.html").read_text(), "html.parser")
    row = board.find("table").find_all("tr")[1].get_text(" ", strip=True)
    assert "ok" in row and "75.0 %" in row
    page = (project / "site" / "runs" / "example-8b-instruct" / done.path.with_suffix(".html").name).read_text()
    soup = BeautifulSoup(page, "html.parser")
    answers = [pre.get_text() for pre in soup.select("pre.atlas-answer")]
    assert typed in answers  # shown as typed, on its lines: never run, rendered, fenced or included
    assert not any("alert(1)" in (s.string or "") for s in soup.find_all("script"))
    model_page = (project / "site" / "models" / "example" / "example-8b-instruct.html").read_text()
    assert f'href="../../runs/example-8b-instruct/{done.path.stem}.html"' in model_page  # the model's run history
    exported = json.loads((project / "site" / "api" / "runs.json").read_text())
    assert exported[0]["summary"]["passed"] == 3 and exported[0]["model"]["catalog_id"] == "example-8b-instruct"


@pytest.mark.parametrize(
    ("model", "error"),
    [("empty", "stream ended before the answer finished"), ("endless", "no complete answer within 1 s")],
)
def test_empty_and_endless_streams_are_errors(server, tmp_path, model, error):
    done = run(options(server, tmp_path, model=model, concurrency=4, timeout_s=1.0, retries=0))
    results = stored(done.path)["results"]
    assert all(not r["passed"] and error in r["error"] for r in results), [r["error"] for r in results]


def test_a_streamed_tool_call_is_scored(server, tmp_path):
    suite = tmp_path / "tools.yaml"
    suite.write_text(
        "name: Tools\ndescription: d\ntools:\n  - type: function\n    function:\n      name: get_weather\n"
        "      description: The weather now.\n      parameters: {type: object, properties: {city: {type: string}}}\n"
        "prompts:\n  - id: paris\n    category: tools\n    prompt: Weather in Paris?\n"
        "    check: {tool_call: {name: get_weather, arguments: {type: object, required: [city], properties: {city: {const: Paris}}}}}\n"
        "  - id: rome\n    category: tools\n    prompt: Weather in Rome?\n"
        "    check: {tool_call: {name: get_weather, arguments: {type: object, required: [city], properties: {city: {const: Rome}}}}}\n"
    )  # fmt: skip
    data = stored(run(options(server, tmp_path, model="tool", suite=suite)).path)
    assert [r["passed"] for r in data["results"]] == [True, False]
    assert data["results"][0]["tool_calls"] == [{"name": "get_weather", "arguments": '{"city": "Paris"}'}]


def test_a_server_that_goes_away_keeps_the_journal_and_resume_finishes(tmp_path):
    with FakeServer() as flaky:
        first = run(options(flaky, tmp_path, model="gone-after-2", retries=0))
        assert first.path is None and first.done == 2 and "stopped answering" in first.stopped
        flaky.back = True  # the server is back
        second = run(options(flaky, tmp_path, model="gone-after-2", retries=0, resume=True))
    data = stored(second.path)
    assert len(data["results"]) == 4 and data["summary"]["errors"] == 0


def test_an_api_key_is_never_written(server, tmp_path):
    secret = "sk-atlas-test-7f3a9c"
    done = run(options(server, tmp_path, api_key=secret))
    assert done.path is not None
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and not any(secret in p.read_text(errors="replace") for p in written)


def test_cli_arguments_that_name_things_are_checked_first(tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)

    done = cli("bench", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--suite", "nope.yaml")
    assert done.returncode == 2 and done.stderr.strip() == "--suite nope.yaml: no such file"
    done = cli(
        "bench", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--suite", str(MINI), "--hardware", "rtx4090"
    )
    assert done.returncode == 2 and "unknown machine 'rtx4090'" in done.stderr and "rtx-4090" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    done = cli(
        "bench",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--model",
        "m",
        "--suite",
        str(MINI),
        "--catalog-id",
        "llama-3.1-8b",
    )
    assert done.returncode == 2 and "llama-3.1-8b-instruct" in done.stderr
    done = cli("validate", "catalog/models/none.yaml")
    assert done.returncode == 2 and "no such file" in done.stderr and "catalog OK" not in done.stdout
    done = cli("import", "llama-bench", "missing.json")
    assert done.returncode == 2 and done.stderr.strip() == "llama-bench missing.json: no such file"


def test_llama_bench_output_is_imported(tmp_path):
    """llama.cpp's own example of `llama-bench -o json` (tools/llama-bench/README.md in the pinned llama.cpp)."""
    from generator.bench.speed import LlamaBenchOptions, import_llama_bench
    from generator.catalog.schema_runs import SpeedRun

    path, _record = import_llama_bench(
        LlamaBenchOptions(
            results=ROOT / "tests" / "data" / "llama-bench-readme.json", root=tmp_path, hardware="rtx-4090"
        )
    )
    run_ = SpeedRun.model_validate(stored(path))
    assert run_.engine.name == "llama.cpp (llama-bench)" and run_.engine.version == "b5163 (8cf427ff)"
    assert [(p.prompt_tokens, p.prefill_tokens_per_s, p.decode_tokens_per_s) for p in run_.points] == [
        (512, 7100.0, None), (0, None, 118.88)]  # fmt: skip
    assert run_.machine.gpus == ["NVIDIA GeForce RTX 4080"] and run_.model.file_bytes == 4677120000
    assert run_.engine.flags["n_gpu_layers"] == -1 and path.name.endswith("-llama-bench.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"n_prompt": 1,')
    with pytest.raises(BenchError, match=r"bad\.json:1:\d+: not valid JSON"):
        import_llama_bench(LlamaBenchOptions(results=bad, root=tmp_path))
