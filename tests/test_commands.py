"""The commands the atlas writes (generator/model/commands.py) use only options and environment variables the
runtimes' documentation lists (catalog/runtimes/<id>.yaml, sourced), and only repositories the catalog names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.catalog import authored, resolve
from generator.catalog.schema import Download
from generator.model import commands

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog():
    return resolve.resolve(authored.read_authored(ROOT / "catalog"))


def documented(catalog, runtime: str) -> set[str]:
    r = catalog.runtimes[runtime]
    return set(r.flags) | set(r.environment)


def every_command(catalog):
    """Every command the site can write for the catalog's downloads, with every option switched on."""
    for entry in catalog.models.values():
        m = entry.model
        rows = commands.download_rows(m)
        for repo, quants in rows["gguf"]:
            for quant in quants:
                for cache in ("f16", "q8_0", "q4_0"):
                    yield "llama-cpp", commands.llama_server(repo, quant, 32768, cache)
                    yield "llama-cpp", commands.llama_server(repo, quant, 32768, cache, experts_on_cpu=True)
                    yield "llama-cpp", commands.llama_server(repo, quant, 32768, cache, gpu_layers=20)
                    yield "ollama", commands.ollama(repo, quant, 32768, cache)
                yield "lm-studio", commands.lm_studio(repo, quant, 32768)
        for repo, _ in rows["mlx"]:
            yield "mlx-lm", commands.mlx_server(repo)
        if m.hf_repo:
            yield "vllm", commands.vllm_serve(m.hf_repo, 131072, "fp8", gpus=4)


def test_every_option_a_command_uses_is_documented(catalog):
    written = list(every_command(catalog))
    assert any(runtime == "vllm" for runtime, _ in written)
    for runtime, command in written:
        unknown = set(commands.options(command)) - documented(catalog, runtime)
        assert not unknown, f"{runtime}: {command!r} uses {sorted(unknown)}, not in catalog/runtimes/{runtime}.yaml"


def test_commands_for_a_quantization_come_from_a_repository_that_holds_it(catalog):
    held = {
        (d.repo, q.upper()) for e in catalog.models.values() for d in e.model.downloads if d.format == "gguf"
        for q in d.quants
    }  # fmt: skip
    for entry in catalog.models.values():
        for quant in ("Q4_K_M", "Q8_0", "MXFP4"):
            for _, command in commands.for_format(entry.model, quant, 8192):
                for repo in re.findall(r"(?:hf\.co/|-hf |huggingface\.co/)([^\s:]+)", command):
                    assert (repo, quant) in held


def test_the_publishers_own_repository_comes_first(catalog):
    model = next(iter(catalog.models.values())).model.model_copy(
        update={
            "hf_repo": "Org/Model",
            "downloads": [
                Download(repo="someone/Model-GGUF", format="gguf", quants={"Q4_K_M": 4.1}),
                Download(repo="bartowski/Model-GGUF", format="gguf", quants={"Q4_K_M": 4.2}),
                Download(repo="Org/Model-GGUF", format="gguf", quants={"Q4_K_M": 4.0, "Q8_0": None}),
            ],
        }
    )
    assert commands.gguf_repo(commands.download_rows(model), "Q4_K_M") == ("Org/Model-GGUF", 4.0)
    assert commands.for_format(model, "Q8_0", 8192, "q8_0")[0] == (
        "llama-cpp",
        "llama-server -hf Org/Model-GGUF:Q8_0 -c 8192 --cache-type-k q8_0 --cache-type-v q8_0",
    )
    assert commands.for_format(model, "Q2_K", 8192) == []


def test_ollama_sets_the_context_it_was_fitted_for():
    assert commands.ollama("a/B-GGUF", "Q4_K_M", 32768, "q8_0") == (
        "OLLAMA_CONTEXT_LENGTH=32768 OLLAMA_KV_CACHE_TYPE=q8_0 ollama serve\nollama run hf.co/a/B-GGUF:Q4_K_M"
    )
