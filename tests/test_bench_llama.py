"""The runner against a real OpenAI-compatible server: llama.cpp (llama-cpp-python's server) serving a tiny
random-weight GGUF the test writes. Its answers are nonsense; protocol, streaming, timing and storage are real."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
import tiny_gguf
import yaml

from generator.bench.runner import Options, run
from generator.catalog.schema_runs import Run

MINI = Path(__file__).resolve().parent / "data" / "mini-suite.yaml"
pytestmark = pytest.mark.server  # starts llama-cpp-python's server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    model = tiny_gguf.write(tmp_path_factory.mktemp("gguf") / "tiny.gguf")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "atlas-tiny",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "512", "--seed", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                if httpx2.get(f"{base}/models", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                time.sleep(0.25)
        else:
            pytest.fail("llama-cpp-python's server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_suite_against_llama_cpp_is_streamed_timed_and_stored(llama_server, tmp_path):
    done = run(Options(base_url=llama_server, model="atlas-tiny", suite_path=MINI, root=tmp_path, concurrency=2,
                       hardware="CI runner, CPU", quantization="F32", example=True, catalog_id=None))  # fmt: skip
    data = yaml.safe_load(done.path.read_text())
    Run.model_validate(data)
    assert data["model"]["served_name"] == "atlas-tiny" and data["example"] is True
    results = data["results"]
    assert len(results) == 4
    answered = [r for r in results if r["error"] is None]
    assert answered, [r["error"] for r in results]
    for r in answered:
        assert r["answer"] and 0 < r["ttft_s"] <= r["latency_s"]
        assert 1 <= r["output_tokens"] <= 16 + 4  # max_tokens from the suite (a byte token may overshoot a little)
    assert data["summary"]["latency_p50_s"] > 0 and data["summary"]["throughput_tokens_per_s"] > 0


def test_temperature_zero_with_a_seed_repeats_exactly(llama_server, tmp_path):
    done = run(Options(base_url=llama_server, model="atlas-tiny", suite_path=MINI, root=tmp_path, repeats=2))
    results = yaml.safe_load(done.path.read_text())["results"]
    by_prompt: dict[str, set[str]] = {}
    for r in results:
        by_prompt.setdefault(r["prompt"], set()).add(r["answer"])
    assert all(len(answers) == 1 for answers in by_prompt.values()), by_prompt


def test_unknown_model_on_a_real_server(llama_server, tmp_path):
    from generator.bench.client import ServerProblem

    with pytest.raises(ServerProblem, match="does not serve model 'llama3'; it serves: atlas-tiny"):
        run(Options(base_url=llama_server, model="llama3", suite_path=MINI, root=tmp_path))
