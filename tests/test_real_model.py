"""The runner and the speed runner against a real model: SmolLM2-135M-Instruct (Q4_1, fetched by `make models`)
served by llama-cpp-python's OpenAI-compatible server, as the stored runs were made."""

from __future__ import annotations

from pathlib import Path

import models
import pytest
import yaml
from llama_server import serving

from generator.bench.runner import Options, run
from generator.bench.speed import SpeedOptions, measure
from generator.catalog.schema_runs import Run, SpeedRun

pytestmark = pytest.mark.server  # starts llama-cpp-python's server

SUITE = """\
name: Capitals
description: Two questions a 135M model answers.
sampling: {temperature: 0, top_p: 1, max_tokens: 24, seed: 0}
prompts:
  - id: australia
    category: knowledge
    prompt: What is the capital city of Australia?
    check: {contains: Canberra}
  - id: sum
    category: reasoning
    prompt: What is 2 + 2? Answer with the number only.
    check: {number: 4}
"""


@pytest.fixture(scope="module")
def smollm2():
    model = models.fetch()
    with serving(
        model, models.SERVED_NAME, "--n_ctx", "2048", "--n_threads", "2", "--interrupt_requests", "false"
    ) as base:
        yield base, model


def test_a_real_model_answers_and_the_run_records_its_weights(smollm2, tmp_path):
    base, model = smollm2
    suite = tmp_path / "capitals.yaml"
    suite.write_text(SUITE)
    done = run(Options(base_url=base, model=models.SERVED_NAME, suite_path=suite, root=tmp_path, weights=model,
                       catalog_id="smollm2-135m-instruct", quantization="Q4_1"))  # fmt: skip
    data = yaml.safe_load(done.path.read_text())
    Run.model_validate(data)
    australia = next(r for r in data["results"] if r["prompt"] == "australia")
    assert australia["passed"], australia["answer"]  # a real model: "The capital city of Australia is Canberra."
    assert data["model"]["digest"] == f"sha256:{models.SHA256}"
    assert data["machine"]["cores"] >= 1 and data["machine"]["memory_gb"] > 0


def test_a_speed_run_measures_prefill_decode_and_queueing(smollm2, tmp_path):
    base, model = smollm2
    path, _record = measure(SpeedOptions(base_url=base, model=models.SERVED_NAME, root=tmp_path, prompt_tokens=(128, 384),
                                        concurrency=(1, 2), output_tokens=16, weights=model,
                                        engine_flags={"n_ctx": 2048}))  # fmt: skip
    speed = SpeedRun.model_validate(yaml.safe_load(Path(path).read_text()))
    assert [(p.concurrency) for p in speed.points] == [1, 2, 1, 2]
    lengths = [p.prompt_tokens for p in speed.points]
    assert 100 <= lengths[0] <= 180 and 330 <= lengths[2] <= 440  # the server's own count, near what was asked
    one, two = speed.points[0], speed.points[1]
    assert one.prefill_tokens_per_s and one.decode_tokens_per_s and one.ttft_s
    assert two.prefill_tokens_per_s is None  # only measured with the server to itself
    # Timings themselves are not compared: on a loaded 2-core machine (the other tests run beside this one) a
    # shorter prompt can start later than a longer one. What they are derived from is checked.
    assert one.prefill_tokens_per_s == round(one.prompt_tokens / one.ttft_s, 1)
    assert all(p.ttft_s > 0 and p.output_tokens == 16 for p in speed.points)
    assert speed.model.file_bytes == model.stat().st_size and speed.engine.flags == {"n_ctx": 2048}
