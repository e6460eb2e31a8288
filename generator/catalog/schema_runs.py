"""The schema of prompt suites and stored runs: catalog/suites/<id>.yaml, and catalog/runs/<model>/… made by
`python -m generator bench` (Run) or imported from lm-evaluation-harness (HarnessRun)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .fields import Id, ShortText, Strict, Text


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


class WordRange(Strict):
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=1)] | None = None


class Words(Strict):
    words: WordRange = Field(description="Passes if the answer's word count (runs of non-space) is within the range.")


class CallRule(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    arguments: dict = Field(description="A JSON Schema the call's arguments must be valid against.")


class ToolCall(Strict):
    tool_call: CallRule = Field(
        description="Passes if the model's first tool call names this tool with valid arguments: a call the server "
        'returned as a tool call, or else an answer that is a JSON object {"name": …, "arguments": {…}}.'
    )


class AllOf(Strict):
    all_of: list[Check] = Field(min_length=1, description="Passes if every rule passes.")


class NoneOf(Strict):
    none_of: list[Check] = Field(min_length=1, description="Passes if no rule passes.")


Check = Contains | Regex | Exact | OneOf | JsonValid | Numeric | Words | ToolCall | AllOf | NoneOf
AllOf.model_rebuild()
NoneOf.model_rebuild()

Category = Literal["coding", "reasoning", "instruction", "extraction", "knowledge", "multilingual", "tools"]


class ToolFunction(Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    description: Text
    parameters: dict = Field(description="The arguments' JSON Schema, as the OpenAI chat API takes it.")


class Tool(Strict):
    type: Literal["function"] = "function"
    function: ToolFunction


class SuitePrompt(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
    category: Category
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    system: Text | None = Field(default=None, description="The system message; the suite's `system` when absent.")
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
    system: Text | None = Field(default=None, description="The system message of every prompt that sets none.")
    tools: list[Tool] | None = Field(
        default=None, description="Tools offered with every prompt (the chat API's `tools`), for tool-calling suites."
    )
    prompts: list[SuitePrompt] = Field(min_length=1)


class Machine(Strict):
    """The computer a run measured, as the runner read it off that computer (not as a person describes it)."""

    cpu: ShortText | None = Field(default=None, description="The CPU's model name, as the operating system reports it.")
    cores: Annotated[int, Field(ge=1)] | None = Field(default=None, description="Logical CPUs the system offers.")
    memory_gb: Annotated[float, Field(gt=0, strict=False)] | None = Field(default=None, description="RAM, GiB.")
    gpus: list[ShortText] = Field(default_factory=list, description="GPUs with their memory, as nvidia-smi names them.")
    os: ShortText | None = None


class RunModel(Strict):
    served_name: ShortText = Field(description="The model name the server was asked for.")
    catalog_id: Id | None = Field(default=None, description="The catalog model it is, when it is one.")
    digest: ShortText | None = Field(default=None, description="The weights' digest, when the server reports one.")
    quantization: ShortText | None = None
    file_bytes: Annotated[int, Field(ge=1)] | None = Field(default=None, description="The weights file's size.")


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


class Called(Strict):
    name: str
    arguments: str = Field(description="As the server sent them: a JSON text.")


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
    tool_calls: list[Called] | None = Field(default=None, description="Tool calls the server returned as such.")


class Run(Strict):
    """catalog/runs/<model>/<date>-<suite>.yaml: one execution of a suite against one served model."""

    source: Literal["bench"] = Field(default="bench", description="Made by `python -m generator bench`.")
    suite: Id
    suite_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    model: RunModel
    server: RunServer
    hardware: ShortText = Field(description="What it ran on, as the person who ran it describes it.")
    hardware_id: Id | None = Field(default=None, description="The catalog/hardware machine it ran on, if one.")
    machine: Machine | None = Field(default=None, description="Read off the computer when the server was local.")
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


class Engine(Strict):
    name: ShortText = Field(description="The inference engine, e.g. llama.cpp (llama-bench), llama-cpp-python server.")
    version: ShortText | None = None
    flags: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="What it ran with: context, threads, batch, KV-cache type, …"
    )


class SpeedPoint(Strict):
    """One measurement: `concurrency` requests of `prompt_tokens` each, in flight together."""

    prompt_tokens: Annotated[int, Field(ge=0)]
    concurrency: Annotated[int, Field(ge=1)] = 1
    requests: Annotated[int, Field(ge=1)] = 1
    output_tokens: Annotated[float, Field(ge=0, strict=False)] | None = Field(
        default=None, description="Generated tokens per request (mean)."
    )
    ttft_s: Annotated[float, Field(ge=0, strict=False)] | None = Field(
        default=None, description="Time to first token, median over the requests."
    )
    prefill_tokens_per_s: Annotated[float, Field(gt=0, strict=False)] | None = Field(
        default=None, description="Prompt tokens per second of time to first token (one request at a time)."
    )
    decode_tokens_per_s: Annotated[float, Field(gt=0, strict=False)] | None = Field(
        default=None, description="Generated tokens per second after the first, per request (median)."
    )
    throughput_tokens_per_s: Annotated[float, Field(gt=0, strict=False)] | None = Field(
        default=None, description="All requests' generated tokens over the wall time they took together."
    )


class SpeedRun(Strict):
    """catalog/runs/<model>/<date>-speed.yaml: prefill, decode and time to first token measured by
    `python -m generator bench --speed`, or imported from llama.cpp's `llama-bench -o json`."""

    source: Literal["speed", "llama-bench"]
    model: RunModel
    hardware: Id | None = Field(default=None, description="The catalog/hardware machine it ran on, when it is one.")
    machine: Machine
    engine: Engine
    date: dt.datetime = Field(strict=False)
    runner_version: ShortText
    example: bool = Field(default=False, description="True for a demonstration, not a measurement.")
    note: Text | None = None
    points: list[SpeedPoint] = Field(min_length=1)
