"""The commands that run a recommendation: its runtime, its format and its context, from real repositories.

A recommendation is a model in a format at a context with a KV cache type. These functions turn one into the
lines a reader pastes: llama.cpp's llama-server and Ollama download a GGUF repository the catalog names (a
model's `downloads`, sourced); MLX-LM serves an MLX repository; vLLM serves the publisher's own repository. Every
option and environment variable written here is one the runtime's documentation lists (catalog/runtimes/<id>.yaml
`flags` and `environment`; tests/test_commands.py holds the two together). Where no repository with the format
is known, there is no command, and the page says so rather than guess a name.

The selector's widget writes the same lines (overrides/assets/atlas/selector.js, `commandsOf`); the parity tests
hold the two to the same text.
"""

from __future__ import annotations

from ..catalog.schema import Model

# The repositories a command prefers, after the publisher's own: llama.cpp's maintainers, then the most-used
# quantizers (the catalog order decides between the rest).
PREFERRED_OWNERS = ("ggml-org", "unsloth", "bartowski", "lmstudio-community", "mlx-community")


def download_rows(model: Model) -> dict[str, list]:
    """A model's downloads as the widget's data holds them: per format, [repo, {QUANT: GB or None}] rows, best
    repository first (the publisher's own, then PREFERRED_OWNERS, then the catalog's order); "safetensors": the
    publisher's own repository (what vLLM serves), or None."""
    publisher = (model.hf_repo or "").split("/")[0].lower()

    def rank(repo: str) -> int:
        owner = repo.split("/")[0].lower()
        if owner == publisher:
            return 0
        return 1 + (PREFERRED_OWNERS.index(owner) if owner in PREFERRED_OWNERS else len(PREFERRED_OWNERS))

    out: dict = {"gguf": [], "mlx": [], "safetensors": model.hf_repo}
    for d in sorted(model.downloads, key=lambda d: rank(d.repo)):
        out[d.format].append([d.repo, {q.upper() if d.format == "gguf" else q: gb for q, gb in d.quants.items()}])
    return out


def gguf_repo(rows: dict[str, list], quant: str) -> tuple[str, float | None] | None:
    """The first GGUF repository holding `quant`, and that file's size in GB when the catalog has it."""
    for repo, quants in rows["gguf"]:
        if quant.upper() in quants:
            return repo, quants[quant.upper()]
    return None


def llama_server(
    repo: str, quant: str, context: int, cache: str = "f16", experts_on_cpu: bool = False, gpu_layers: int | None = None
) -> str:
    parts = ["llama-server", "-hf", f"{repo}:{quant}"]
    if context:
        parts += ["-c", str(context)]
    if cache != "f16":
        parts += ["--cache-type-k", cache, "--cache-type-v", cache]
    if experts_on_cpu:
        parts += ["--cpu-moe"]
    if gpu_layers is not None:
        parts += ["--n-gpu-layers", str(gpu_layers)]
    return " ".join(parts)


def ollama(repo: str, quant: str, context: int, cache: str = "f16") -> str:
    env = ([f"OLLAMA_CONTEXT_LENGTH={context}"] if context else []) + (
        [f"OLLAMA_KV_CACHE_TYPE={cache}"] if cache != "f16" else []
    )
    serve = " ".join([*env, "ollama serve"])
    return f"{serve}\nollama run hf.co/{repo}:{quant}"


def lm_studio(repo: str, quant: str, context: int) -> str:
    """LM Studio's CLI: `lms get` a Hugging Face URL, asking for the quantization (-a), then `lms load` it. LM Studio
    names downloaded models by its own keys, so both commands ask the reader to pick (the comments say what)."""
    load = ["lms", "load"] + (["--context-length", str(context)] if context else []) + ["--gpu", "max"]
    return f"lms get https://huggingface.co/{repo} -a  # choose {quant}\n{' '.join(load)}  # choose that model"


def mlx_server(repo: str) -> str:
    return f"mlx_lm.server --model {repo}"


def vllm_serve(hf_repo: str, context: int, cache: str = "f16", gpus: int = 1) -> str:
    parts = ["vllm", "serve", hf_repo]
    if context:
        parts += ["--max-model-len", str(context)]
    if cache == "fp8":
        parts += ["--kv-cache-dtype", "fp8"]
    if gpus > 1:
        parts += ["--tensor-parallel-size", str(gpus)]
    return " ".join(parts)


def for_rows(
    rows: dict[str, list],
    quant: str,
    context: int,
    cache: str = "f16",
    experts_on_cpu: bool = False,
    gpu_layers: int | None = None,
) -> list[tuple[str, str]]:
    """(runtime id, command) for a GGUF recommendation from a model's download rows; empty when no repository
    with that format is known. With part of the model in system RAM (experts or layers), llama.cpp's command
    only: Ollama and LM Studio have no documented way to place them. LM Studio's has no cache-type option."""
    found = gguf_repo(rows, quant)
    if found is None:
        return []
    repo = found[0]
    server = ("llama-cpp", llama_server(repo, quant, context, cache, experts_on_cpu, gpu_layers))
    if experts_on_cpu or gpu_layers is not None:
        return [server]
    lines = [server, ("ollama", ollama(repo, quant, context, cache))]
    return lines + ([("lm-studio", lm_studio(repo, quant, context))] if cache == "f16" else [])


def for_format(model: Model, quant: str, context: int, cache: str = "f16") -> list[tuple[str, str]]:
    """(runtime id, command) for a GGUF recommendation of a model; empty when no repository holds the format."""
    return for_rows(download_rows(model), quant, context, cache)


def options(command: str) -> list[str]:
    """The options and environment variables a command sets (for the test against runtime documentation)."""
    out = []
    for line in command.splitlines():
        for token in line.split("#")[0].split():  # after a #, a comment
            if token.startswith("-"):
                out.append(token)
            elif "=" in token and token.split("=")[0].isupper():
                out.append(token.split("=")[0])
    return out
