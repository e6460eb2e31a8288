"""The one schema of the catalog: pydantic models for every file kind, and the export records.

Everything else (validation messages, the JSON Schema files editors use, the schema reference
on the Data API page) is derived from these classes. Vocabularies are closed on purpose:
a new value is a change to this file, reviewed like code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# ---------------------------------------------------------------- shared pieces

HttpsUrl = Annotated[
    str,
    StringConstraints(pattern=r"^https://[^\s<>\"'`]+$", max_length=2000),
    Field(description="An https: URL a reader can follow."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=80)]
# Dates may be written bare (2024-07-23) or quoted; both mean a calendar date.
Date = Annotated[dt.date, Field(strict=False, description="A calendar date, YYYY-MM-DD.")]
Count = Annotated[int, Field(ge=1)]

Modality = Literal["text", "image", "audio", "video", "embedding"]
Kind = Literal["base", "instruct", "reasoning", "code", "vision", "embedding", "speech"]
UseCase = Literal[
    "chat",
    "coding",
    "reasoning",
    "math",
    "vision",
    "agents",
    "long-context",
    "multilingual",
    "summarisation",
    "extraction",
    "rag",
    "embedding",
    "speech-recognition",
    "on-device",
    "fine-tuning",
]
SourceKind = Literal["publisher", "independent"]

# Benchmark vocabulary: name -> (what it measures, highest possible score).
BENCHMARKS: dict[str, tuple[str, float]] = {
    "MMLU": ("Multiple-choice knowledge across 57 subjects (accuracy %)", 100),
    "MMLU-Pro": ("Harder 10-option successor of MMLU (accuracy %)", 100),
    "HellaSwag": ("Commonsense sentence completion (accuracy %)", 100),
    "TruthfulQA": ("Avoiding common misconceptions (%)", 100),
    "HumanEval": ("Python function synthesis, pass@1 (%)", 100),
    "MBPP": ("Basic Python programming problems, pass@1 (%)", 100),
    "GSM8K": ("Grade-school math word problems (accuracy %)", 100),
    "MATH": ("Competition mathematics (accuracy %)", 100),
    "GPQA": ("Graduate-level science questions, Diamond set unless noted (accuracy %)", 100),
    "ARC-Challenge": ("Grade-school science questions, challenge set (accuracy %)", 100),
    "IFEval": ("Verifiable instruction following (%)", 100),
    "AIME 2024": ("American Invitational Mathematics Examination 2024 (pass@1 %)", 100),
    "LiveCodeBench": ("Recent competitive programming problems (pass@1 %)", 100),
    "MT-Bench": ("Multi-turn chat judged by GPT-4 (score out of 10)", 10),
    "MTEB": ("Massive Text Embedding Benchmark, average (score)", 100),
    "LibriSpeech WER": ("Word error rate on LibriSpeech test-clean (%; lower is better)", 100),
}
BenchmarkName = Literal[tuple(BENCHMARKS)]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Base of every catalog record: unknown keys rejected, values typed strictly, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Strict):
    """Where facts come from. `supports` names the fields this source backs."""

    url: HttpsUrl
    supports: list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] = Field(min_length=1)
    kind: SourceKind = "publisher"
    title: ShortText | None = None
    note: Text | None = None


class Link(Strict):
    title: ShortText
    url: HttpsUrl


# ---------------------------------------------------------------- licences

Ternary = Literal["yes", "no", "conditional"]


class Licence(Strict):
    """catalog/licences/<id>.yaml: the terms of one licence, as fields."""

    name: ShortText
    spdx: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]+$")] | None = Field(
        description="SPDX identifier, or null when the licence has none."
    )
    text_url: HttpsUrl
    summary: Text
    commercial_use: Ternary
    commercial_use_note: Text | None = None
    user_cap: Text | None = Field(
        description="Monthly-active-user or revenue threshold above which another licence is needed; "
        "null when there is none."
    )
    output_training_restriction: Text | None = Field(
        description="Limits on using the model's outputs to train or improve other models; null when none."
    )
    attribution: Text | None = Field(description="Attribution or naming duties; null when none.")
    redistribution: Ternary
    redistribution_note: Text | None = None
    acceptable_use_policy: HttpsUrl | None = Field(
        description="URL of the acceptable-use policy the licence binds users to; null when none."
    )
    gated_download: bool = Field(
        description="True when downloading the weights requires accepting terms (e.g. on Hugging Face)."
    )
    common_mistakes: list[Text] = Field(
        default_factory=list, description="Errors popular guides make about this licence."
    )
    sources: list[Source] = Field(min_length=1)


# ---------------------------------------------------------------- families and models


class Modalities(Strict):
    input: list[Modality] = Field(min_length=1)
    output: list[Modality] = Field(min_length=1)


class Config(Strict):
    """Architecture numbers from the model's config.json; null where they do not apply or are unknown."""

    layers: Count | None = None
    hidden_size: Count | None = None
    intermediate_size: Count | None = None
    attention_heads: Count | None = None
    kv_heads: Count | None = None
    head_dim: Count | None = None
    vocab_size: Count | None = None
    experts: Count | None = None
    experts_per_token: Count | None = None
    shared_experts: Annotated[int, Field(ge=0)] | None = None
    sliding_window: Count | None = Field(default=None, description="Tokens a sliding-window layer attends to.")
    full_attention_every: Count | None = Field(
        default=None,
        description="With sliding_window: one layer in this many attends to the whole context and the others "
        "to the window (Gemma 2: 2, Gemma 3: 6); null means every layer uses the window.",
    )
    kv_lora_rank: Count | None = Field(default=None, description="MLA latent KV rank (DeepSeek).")
    qk_rope_head_dim: Count | None = Field(default=None, description="MLA decoupled RoPE head dim.")
    tie_word_embeddings: bool | None = None


class Score(Strict):
    score: Annotated[float, Field(ge=0)]
    source: HttpsUrl
    setting: ShortText | None = Field(default=None, description="Evaluation setting, e.g. '5-shot'.")
    kind: SourceKind = "publisher"


class ModelFacts(Strict):
    """Facts a family may set as defaults for its models (every field optional here)."""

    licence: Id | None = None
    architecture: Literal["dense", "moe"] | None = None
    kind: Kind | None = None
    context_length: Count | None = None
    modalities: Modalities | None = None
    tool_calling: bool | None = None
    use_cases: list[UseCase] | None = None


class Family(Strict):
    """catalog/families/<id>.yaml: a model family and the defaults its models inherit."""

    name: ShortText
    publisher: ShortText
    country: ShortText | None = Field(default=None, description="Where the publisher is based; null when unsourced.")
    description: Text
    history: Text | None = None
    strengths: list[ShortText] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    common_mistakes: list[Text] = Field(
        default_factory=list, description="Errors popular guides make about this family, each with the truth."
    )
    defaults: ModelFacts = Field(default_factory=ModelFacts)
    sources: list[Source] = Field(
        default_factory=list, description="Sources for the family's defaults (fields in `supports`)."
    )


class Model(Strict):
    """catalog/models/<family>/<id>.yaml: one model variant. The id and family are its path."""

    name: ShortText
    release_date: Date | None
    licence: Id | None = None
    kind: Kind | None = None
    architecture: Literal["dense", "moe"] | None = None
    params_b: Annotated[float, Field(gt=0, description="Total parameters, billions.")] | None
    active_params_b: (
        Annotated[float, Field(gt=0, description="Parameters used per token, billions (MoE); dense: the total.")] | None
    ) = None
    context_length: Count | None = None
    context_note: Text | None = None
    modalities: Modalities | None = None
    tool_calling: bool | None = None
    hf_repo: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")] | None
    ollama_tag: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._/-]+(:[a-z0-9._-]+)?$")] | None = None
    config: Config = Field(default_factory=Config)
    benchmarks: dict[BenchmarkName, Score] = Field(default_factory=dict)
    description: Text
    strengths: list[ShortText] = Field(default_factory=list)
    use_cases: list[UseCase] | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date = Field(description="When the facts were last checked against their sources.")


# ---------------------------------------------------------------- hardware


class Hardware(Strict):
    """catalog/hardware/<id>.yaml: a GPU or machine a model can run on, with its memory and bandwidth."""

    name: ShortText
    kind: Literal["gpu", "unified", "cpu"] = Field(
        description="gpu: discrete GPU memory; unified: CPU and GPU share memory (Apple silicon); cpu: system RAM."
    )
    vendor: ShortText
    segment: Literal["consumer", "workstation", "data-centre", "laptop-desktop"] = Field(
        description="Who buys it: consumer GPUs, data-centre accelerators, personal computers."
    )
    memory_gb: Annotated[float, Field(gt=0)] = Field(
        description="Memory as the spec sheet states it (GPU and Apple sheets mean GiB, 2^30 bytes)."
    )
    usable_memory_gb: Annotated[float, Field(gt=0)] | None = Field(
        default=None,
        description="Memory a model may use when less than memory_gb (e.g. macOS's default GPU limit, or "
        "system RAM minus the operating system); null means all of it.",
    )
    bandwidth_gb_s: Annotated[float, Field(gt=0)] | None = Field(description="Peak memory bandwidth, GB/s.")
    power_w: Annotated[float, Field(gt=0)] | None = Field(
        default=None,
        description="What it draws at full load in watts (a GPU's total board power); used for electricity cost.",
    )
    note: Text | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date


# ---------------------------------------------------------------- prices

PriceKind = Literal["purchase", "rental", "api", "electricity"]
# The amount fields each kind of price states (and no others); a check holds files to this.
PRICE_FIELDS: dict[str, tuple[str, ...]] = {
    "purchase": ("hardware", "usd"),
    "rental": ("hardware", "usd_per_hour"),
    "api": ("input_usd_per_m", "output_usd_per_m"),
    "electricity": ("usd_per_kwh",),
}
PRICE_AMOUNTS = ("usd", "usd_per_hour", "input_usd_per_m", "output_usd_per_m", "usd_per_kwh")
Usd = Annotated[float, Field(gt=0, strict=False)]


class Price(Strict):
    """catalog/prices/<id>.yaml: what one thing costs, as a seller stated it on a date.

    purchase: buying a machine in catalog/hardware (usd); rental: renting one by the hour (usd_per_hour);
    api: a paid API per million tokens (input_usd_per_m, output_usd_per_m; `model` when it serves a catalog
    model); electricity: a price per kWh for a region.
    """

    kind: PriceKind
    name: ShortText = Field(description="What is priced, as a reader would say it.")
    seller: ShortText = Field(description="Who sells at this price (vendor, cloud, API provider, or statistics body).")
    hardware: Id | None = Field(default=None, description="purchase and rental: the catalog/hardware id.")
    model: Id | None = Field(default=None, description="api: the catalog model it serves, if it is one.")
    usd: Usd | None = None
    usd_per_hour: Usd | None = None
    input_usd_per_m: Usd | None = Field(default=None, description="api: USD per million input tokens.")
    output_usd_per_m: Usd | None = Field(default=None, description="api: USD per million output tokens.")
    usd_per_kwh: Usd | None = None
    as_of: Date | None = Field(
        description="When the price held (the date of the price list or announcement); null when no source dates it."
    )
    note: Text | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date


# Fields of a model that are facts and so need a source (benchmarks carry their own).
SOURCED_MODEL_FIELDS = (
    "release_date",
    "licence",
    "architecture",
    "params_b",
    "active_params_b",
    "context_length",
    "modalities",
    "tool_calling",
    "hf_repo",
    "ollama_tag",
    "config",
)
SOURCED_LICENCE_FIELDS = (
    "commercial_use",
    "user_cap",
    "output_training_restriction",
    "attribution",
    "redistribution",
    "acceptable_use_policy",
    "gated_download",
)

# ---------------------------------------------------------------- runtimes

WeightFormat = Literal["gguf", "safetensors", "awq", "gptq", "exl2", "mlx", "fp8", "bitsandbytes", "onnx"]
Platform = Literal["linux", "macos", "windows", "docker"]
Accelerator = Literal["nvidia", "amd", "apple", "intel", "cpu"]
# A quickstart command fills these from the model file; nothing else in it is interpreted.
PLACEHOLDERS = ("{hf_repo}", "{ollama_tag}")


class Quickstart(Strict):
    """How to run one model with this runtime: a command with {hf_repo} or {ollama_tag} filled in."""

    needs: Literal["hf_repo", "ollama_tag"] = Field(description="The model field the command needs.")
    kinds: list[Kind] = Field(min_length=1, description="Model kinds the command works for.")
    language: Literal["bash", "python"] = "bash"
    command: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^`]*$")] = Field(
        description="Shown as a code block; no backticks. {hf_repo} / {ollama_tag} are replaced by the model's."
    )


class Runtime(Strict):
    """catalog/runtimes/<id>.yaml: software that runs open models (or a front end to those that do)."""

    name: ShortText
    kind: Literal["runtime", "front-end"] = Field(
        description="runtime: loads and runs weights; front-end: a UI over runtimes."
    )
    description: Text
    homepage: HttpsUrl
    repo: HttpsUrl | None = None
    licence: ShortText = Field(description="SPDX id of the software's licence, or a short phrase when it has none.")
    formats: list[WeightFormat] = Field(description="Weight formats it loads.")
    platforms: list[Platform]
    accelerators: list[Accelerator]
    openai_compatible_api: bool = Field(description="Serves an OpenAI-compatible HTTP API (/v1/chat/completions).")
    quickstart: Quickstart | None = None
    sources: list[Source] = Field(min_length=1)
    verified: Date


class GlossaryTerm(Strict):
    term: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\]\[\n*]+$")]
    definition: Annotated[str, StringConstraints(min_length=1, max_length=400, pattern=r"^[^\n]+$")] = Field(
        description="One plain sentence or two, on one line: it is also the hover text wherever the term appears."
    )
    more: Annotated[str, StringConstraints(pattern=r"^[a-z0-9./_-]+\.md(#[a-z0-9-]+)?$")] | None = Field(
        default=None, description="A page of the site that explains it further, e.g. guides/reading-model-names.md."
    )


class Glossary(Strict):
    """catalog/glossary.yaml: the terms the site uses, defined once: the Glossary page and hover definitions."""

    terms: list[GlossaryTerm] = Field(min_length=1)


SOURCED_RUNTIME_FIELDS = ("licence", "formats", "platforms", "accelerators", "openai_compatible_api", "quickstart")

# ---------------------------------------------------------------- benchmark suites and stored runs

Category = Literal["coding", "reasoning", "instruction", "extraction", "knowledge", "multilingual"]


class Contains(Strict):
    contains: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Passes if the answer contains it (case-insensitive)."
    )


class Regex(Strict):
    regex: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Passes if it matches anywhere (Python re, case-insensitive)."
    )


class Exact(Strict):
    exact: str = Field(description="Passes if the answer, trimmed, equals it (case-insensitive).")


class OneOf(Strict):
    one_of: list[str] = Field(
        min_length=2, description="Passes if the trimmed answer equals one of them (case-insensitive)."
    )


class JsonValid(Strict):
    json_schema: dict = Field(
        description="Passes if the answer (or its one fenced code block) is JSON valid against this schema."
    )


class Numeric(Strict):
    number: float = Field(
        strict=False, description="Passes if the last number in the answer is within `tolerance` of it."
    )
    tolerance: Annotated[float, Field(ge=0, strict=False)] = 0.0


Check = Contains | Regex | Exact | OneOf | JsonValid | Numeric


class SuitePrompt(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
    category: Category
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    system: Text | None = None
    max_tokens: Annotated[int, Field(ge=1, le=32768)] | None = None
    check: Check


class Sampling(Strict):
    temperature: Annotated[float, Field(ge=0, le=2, strict=False)] = 0.0
    top_p: Annotated[float, Field(gt=0, le=1, strict=False)] = 1.0
    max_tokens: Annotated[int, Field(ge=1, le=32768)] = 512
    seed: int | None = 0


class Suite(Strict):
    """catalog/suites/<id>.yaml: prompts, each with the rule that scores its answer. Generated code is never run."""

    name: ShortText
    description: Text
    sampling: Sampling = Field(default_factory=Sampling)
    prompts: list[SuitePrompt] = Field(min_length=1)


class RunModel(Strict):
    served_name: ShortText = Field(description="The model name the server was asked for.")
    catalog_id: Id | None = Field(default=None, description="The catalog model it is, when it is one.")
    digest: ShortText | None = Field(default=None, description="The weights' digest, when the server reports one.")
    quantization: ShortText | None = None


class RunServer(Strict):
    kind: Literal["llama.cpp", "vllm", "ollama", "openai-compatible"]
    version: ShortText | None = None


class RunSummary(Strict):
    prompts: int
    passed: int
    errors: int
    accuracy: float
    accuracy_ci95: list[float] = Field(min_length=2, max_length=2, description="95 % Wilson score interval.")
    latency_p50_s: float | None
    latency_p95_s: float | None
    ttft_p50_s: float | None
    output_tokens_per_s_p50: float | None = Field(description="Per request, while streaming.")
    throughput_tokens_per_s: float | None = Field(description="All output tokens over the run's wall time.")
    wall_s: float


class RunResult(Strict):
    prompt: ShortText
    repeat: Annotated[int, Field(ge=0)] = 0
    passed: bool
    error: ShortText | None = None
    latency_s: float | None = None
    ttft_s: float | None = None
    output_tokens: int | None = None
    prompt_tokens: int | None = None
    answer: str = ""


class Run(Strict):
    """catalog/runs/<model>/<date>-<suite>.yaml: one execution of a suite against one served model."""

    source: Literal["bench"] = Field(default="bench", description="Made by `python -m generator bench`.")
    suite: Id
    suite_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    model: RunModel
    server: RunServer
    hardware: ShortText = Field(description="What it ran on, as the person who ran it describes it.")
    date: dt.datetime = Field(strict=False)
    runner_version: ShortText
    sampling: Sampling
    repeats: Annotated[int, Field(ge=1)] = 1
    concurrency: Annotated[int, Field(ge=1)] = 1
    example: bool = Field(
        default=False, description="True for a demonstration run (e.g. a tiny random-weight test model)."
    )
    note: Text | None = None
    summary: RunSummary
    results: list[RunResult]


class HarnessConfig(Strict):
    name: Literal["lm-evaluation-harness"] = "lm-evaluation-harness"
    version: ShortText | None = Field(default=None, description="lm_eval's version, as the results file states it.")
    git_hash: ShortText | None = None
    model_type: ShortText | None = Field(default=None, description="The harness's model backend, e.g. hf, vllm.")
    model_args: Text | None = Field(default=None, description="The backend's arguments, as passed.")
    batch_size: ShortText | None = None
    limit: Annotated[float, Field(gt=0, strict=False)] | None = Field(
        default=None, description="Examples per task when the run used only part of each task; null for all."
    )
    seed: int | None = None


class HarnessTask(Strict):
    task: ShortText
    group: ShortText | None = Field(default=None, description="The harness group it is a subtask of, if any.")
    metric: ShortText = Field(description="The harness's metric name, e.g. acc_norm, exact_match.")
    filter: ShortText = Field(default="none", description="The harness's answer filter, e.g. strict-match.")
    value: float = Field(strict=False)
    stderr: Annotated[float, Field(ge=0, strict=False)] | None = None
    n_shot: Annotated[int, Field(ge=0)] | None = None
    samples: Annotated[int, Field(ge=1)] | None = Field(default=None, description="Examples scored.")
    higher_is_better: bool | None = None
    version: ShortText | None = Field(default=None, description="The task's version in the harness.")


class HarnessRun(Strict):
    """catalog/runs/<model>/<date>-lm-eval.yaml: results of EleutherAI's lm-evaluation-harness, imported
    with `python -m generator import lm-eval RESULTS.json`."""

    source: Literal["lm-eval"]
    model: RunModel
    harness: HarnessConfig
    hardware: ShortText = Field(description="What it ran on, as the person who ran it describes it.")
    date: dt.datetime = Field(strict=False)
    wall_s: Annotated[float, Field(ge=0, strict=False)] | None = Field(
        default=None, description="The evaluation's total time, as the harness measured it."
    )
    imported_by: ShortText = Field(description="The importer's version.")
    example: bool = Field(default=False, description="True for a demonstration, not a measurement.")
    note: Text | None = None
    tasks: list[HarnessTask] = Field(min_length=1)


# File kinds: folder under catalog/ -> schema. A kind whose files come in variants names the key telling
# them apart in FILE_VARIANTS: kind -> (key, value when the key is absent, {value: schema}).
FILE_VARIANTS: dict[str, tuple[str, str, dict[str, type[Strict]]]] = {
    "runs": ("source", "bench", {"bench": Run, "lm-eval": HarnessRun}),
}
FILE_KINDS: dict[str, type[Strict]] = {
    "licences": Licence,
    "families": Family,
    "models": Model,
    "hardware": Hardware,
    "prices": Price,
    "runtimes": Runtime,
    "suites": Suite,
    "runs": Run,
}
SOURCED_HARDWARE_FIELDS = ("memory_gb", "usable_memory_gb", "bandwidth_gb_s", "power_w")


# ---------------------------------------------------------------- benchmark results (benchmarks/results.yaml)


class Machine(Strict):
    """The machine a benchmark ran on."""

    cpu: ShortText
    cores: Count
    memory_gb: Annotated[float, Field(ge=0, strict=False)]
    system: ShortText
    python: ShortText
    chromium: ShortText | None = None


class MeasuredFigure(Strict):
    """One figure of a benchmark: what was measured, its target, and whether it met it."""

    label: ShortText
    measured: Annotated[float, Field(strict=False)]
    target: Annotated[float, Field(strict=False)] | None = None
    passed: bool | None = Field(default=None, description="None: reported, not judged against a target.")


class BenchmarkReport(Strict):
    """One benchmark's last run."""

    title: ShortText
    measured_on: Date
    commit: ShortText | None = None
    machine: Machine
    figures: list[MeasuredFigure] = Field(min_length=1)


class BenchmarkResults(Strict):
    """benchmarks/results.yaml: the last `make bench`, written by benchmarks/report.py, one report per script."""

    reports: dict[Id, BenchmarkReport]


# ---------------------------------------------------------------- exports (api/*.json)


class ExportConfig(Strict):
    layers: int | None
    hidden_size: int | None
    attention_heads: int | None
    kv_heads: int | None
    head_dim: int | None
    vocab_size: int | None
    experts: int | None
    experts_per_token: int | None
    sliding_window: int | None


class ExportMemory(Strict):
    weights_gb: dict[str, float | None] = Field(description="Weights in GB (10^9 bytes) per quantization.")
    kv_cache_gb_per_1k_tokens: float | None = Field(description="FP16 KV cache per 1,000 tokens of context.")


class ExportScore(Strict):
    score: float
    source: str
    setting: str | None
    kind: SourceKind


class ExportModel(Strict):
    """One object of api/models.json. Unknown is null, never a guess."""

    id: str = Field(description="The file name without .yaml; unique across the catalog.")
    name: str = Field(description="Display name.")
    family: str = Field(description="Family id (folder under catalog/models/).")
    publisher: str = Field(description="Who released the weights.")
    release_date: str | None = Field(description="First public release of the weights, YYYY-MM-DD.")
    license: str | None = Field(description="Licence id (file under catalog/licences/).")
    license_name: str | None = Field(description="The licence's name.")
    commercial_use: Ternary | None = Field(description="What the licence says about commercial use.")
    kind: Kind | None = Field(description="base, instruct, reasoning, code, vision, embedding or speech.")
    params_b: float | None = Field(description="Total parameters, billions.")
    active_params_b: float | None = Field(
        description="Parameters used per token, billions (MoE); equals params_b for dense models."
    )
    architecture: Literal["dense", "moe"] | None = Field(description="dense or moe (mixture of experts).")
    context_length: int | None = Field(description="Officially supported context, tokens.")
    modalities: dict[Literal["input", "output"], list[Modality]] | None = Field(
        description="Input and output modalities."
    )
    tool_calling: bool | None = Field(description="Native function/tool calling documented by the publisher.")
    hf_repo: str | None = Field(description="Official Hugging Face repository, owner/name.")
    ollama_tag: str | None = Field(description="Tag in Ollama's library, when one exists.")
    url: str = Field(description="Path of the model's page, relative to the site root.")
    config: ExportConfig = Field(description="Architecture numbers from config.json.")
    memory: ExportMemory = Field(description="Computed memory needs (see the model page for the method).")
    benchmarks: dict[str, ExportScore] = Field(description="Benchmark name -> score with its source.")
    use_cases: list[UseCase] = Field(description="Tasks the model suits.")
    verified: str = Field(description="When the facts were last checked against their sources, YYYY-MM-DD.")
    sources: list[dict[str, object]] = Field(description="Sources: url, kind, and the fields each supports.")


class ExportLicence(Strict):
    """One object of api/licences.json: the licence file's terms plus where it is used."""

    id: str = Field(description="The licence file name without .yaml.")
    name: str = Field(description="The licence's name.")
    spdx: str | None = Field(description="SPDX identifier, or null when the licence has none.")
    text_url: str = Field(description="Where the licence text is published.")
    summary: str = Field(description="A plain-language summary.")
    commercial_use: Ternary = Field(description="yes, no or conditional.")
    commercial_use_note: str | None = Field(description="The conditions, when conditional.")
    user_cap: str | None = Field(description="User or revenue threshold; null when none.")
    output_training_restriction: str | None = Field(
        description="Limits on training other models with outputs; null when none."
    )
    attribution: str | None = Field(description="Attribution or naming duties; null when none.")
    redistribution: Ternary = Field(description="Whether the weights may be redistributed.")
    redistribution_note: str | None = Field(description="Conditions on redistribution.")
    acceptable_use_policy: str | None = Field(description="URL of the acceptable-use policy; null when none.")
    gated_download: bool = Field(description="Whether downloading requires accepting terms.")
    url: str = Field(description="Path of the licence's page, relative to the site root.")
    models: list[str] = Field(description="Ids of the catalog's models under this licence.")
    sources: list[dict[str, object]] = Field(description="Sources of the terms.")
