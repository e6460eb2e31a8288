"""Speed runs: `python -m generator bench --speed` measures prefill tokens/s, decode tokens/s and time to first
token at several prompt lengths and concurrencies against an OpenAI-compatible server, and `python -m generator
import llama-bench RESULTS.json` turns llama.cpp's `llama-bench -o json` output into the same kind of run.

Stages: `calibrate` finds a prompt of about each length (the server's own token count, from a request's usage);
`point` sends `concurrency` streamed requests at once, each prompt made unique from its first word so no server
reuses a cached prefix, and keeps each request's time to first token and decode rate; `speed_record` adds the
provenance (server, engine and flags, the machine read off this computer when the server is local, the weights'
digest) and `store` writes catalog/runs/<model>/<date>-speed.yaml, checked against the schema.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..catalog.schema_runs import SpeedRun
from . import client as server
from . import machine
from .runner import RUNNER_VERSION, BenchError, digest, free_path, read_json, slug, write_run
from .stats import percentile

FILLER = (
    "The river keeps its own calendar. In spring it rises with the snowmelt and carries branches past the old "
    "mill; by late summer it slows to a green thread between the stones, and children cross it on foot. "
)
ASK = "\n\nContinue this text with a long, detailed story about the river and the people who live beside it."


@dataclass
class SpeedOptions:
    base_url: str
    model: str
    root: Path
    api_key: str = "not-needed"
    prompt_tokens: tuple[int, ...] = (128, 512, 1024)
    concurrency: tuple[int, ...] = (1, 4, 16)
    output_tokens: int = 64
    timeout_s: float = 600.0
    retries: int = 2
    catalog_id: str | None = None
    quantization: str | None = None
    hardware: str | None = None  # a catalog/hardware id
    weights: Path | None = None  # the weights file the server loaded, for its digest
    engine: str | None = None
    engine_version: str | None = None
    engine_flags: dict = field(default_factory=dict)
    example: bool = False
    note: str | None = None
    out: Path | None = None


def _prompt(repeats: int, tag: str) -> str:
    return f"Passage {tag}. " + FILLER * repeats + ASK


def _count(http, base_url: str, model: str, text: str) -> int | None:
    """The server's token count for one user message holding `text` (a non-streamed request's usage)."""
    try:
        response = http.post(f"{base_url.rstrip('/')}/chat/completions",
                             json={"model": model, "messages": [{"role": "user", "content": text}], "max_tokens": 1})  # fmt: skip
        usage = response.json().get("usage") if response.status_code == 200 else None
    except (server.httpx.HTTPError, ValueError, AttributeError):
        return None
    count = usage.get("prompt_tokens") if isinstance(usage, dict) else None
    return count if isinstance(count, int) and count > 0 else None


def calibrate(http, o: SpeedOptions) -> dict[int, tuple[int, int]]:
    """For each wanted length: (filler repeats, the prompt's token count as the server counts it)."""
    base = _count(http, o.base_url, o.model, _prompt(1, "0"))
    more = _count(http, o.base_url, o.model, _prompt(5, "0"))
    if base is None or more is None or more <= base:
        raise BenchError(f"{o.base_url} reports no prompt token counts (usage) for non-streamed requests, so "
                         "prompt lengths cannot be set; a speed run needs a server that reports usage")  # fmt: skip
    per_repeat = (more - base) / 4
    found = {}
    for wanted in o.prompt_tokens:
        repeats = max(1, round(1 + (wanted - base) / per_repeat))
        found[wanted] = (repeats, _count(http, o.base_url, o.model, _prompt(repeats, "0")) or wanted)
    return found


def point(bench_client, o: SpeedOptions, repeats: int, tokens: int, concurrency: int) -> dict:
    """`concurrency` requests at once; prefill rate only where one request had the server to itself."""
    params = {"temperature": 0.0, "max_tokens": o.output_tokens, "seed": 0}

    def one(i: int) -> server.Outcome:
        tag = f"{tokens}-{concurrency}-{i}-{time.monotonic_ns() % 100000}"
        messages = [{"role": "user", "content": _prompt(repeats, tag)}]
        return server.ask(bench_client, o.model, messages, params, o.timeout_s)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(one, range(concurrency)))
    wall = time.perf_counter() - start
    failed = [x.error for x in outcomes if x.error]
    if failed:
        raise BenchError(f"{len(failed)} of {concurrency} requests at {tokens} prompt tokens failed: {failed[0]}")
    ttft = percentile([x.ttft_s for x in outcomes if x.ttft_s is not None], 50)
    decode = percentile([
        (x.output_tokens - 1) / (x.latency_s - x.ttft_s)
        for x in outcomes
        if x.output_tokens and x.output_tokens > 1 and x.ttft_s is not None and x.latency_s and x.latency_s > x.ttft_s
    ], 50)  # fmt: skip
    generated = sum(x.output_tokens or 0 for x in outcomes)
    return {
        "prompt_tokens": tokens,
        "concurrency": concurrency,
        "requests": concurrency,
        "output_tokens": round(generated / concurrency, 1),
        "ttft_s": None if ttft is None else round(ttft, 4),
        "prefill_tokens_per_s": round(tokens / ttft, 1) if concurrency == 1 and ttft else None,
        "decode_tokens_per_s": None if decode is None else round(decode, 2),
        "throughput_tokens_per_s": round(generated / wall, 2) if generated and wall > 0 else None,
    }


def measure(o: SpeedOptions) -> tuple[Path, dict]:
    http = server.make_http(o.timeout_s, o.base_url)
    bench_client = server.make_client(o.base_url, o.api_key, o.retries, http)
    server.check_model(bench_client, o.base_url, o.model)
    found = server.probe(http, o.base_url, o.model)
    date = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    lengths = calibrate(http, o)
    server.ask(bench_client, o.model, [{"role": "user", "content": "Hello"}], {"max_tokens": 4}, o.timeout_s)  # warm-up
    points = [point(bench_client, o, repeats, tokens, c) for repeats, tokens in lengths.values() for c in o.concurrency]
    record = speed_record(o, found, date, points)
    path = store(record, o, date)
    return path, record


def speed_record(o: SpeedOptions, found: dict, date: str, points: list[dict]) -> dict:
    local = machine.is_local(o.base_url)
    return {
        "source": "speed",
        "model": {"served_name": o.model, "catalog_id": o.catalog_id,
                  "digest": digest(o.weights) if o.weights else found["digest"],
                  "quantization": o.quantization or found["quantization"],
                  "file_bytes": o.weights.stat().st_size if o.weights else None},
        "hardware": o.hardware,
        "machine": machine.describe() if local else {},
        "engine": {"name": o.engine or found["kind"], "version": o.engine_version or found["version"],
                   "flags": dict(sorted(o.engine_flags.items()))},
        "date": date,
        "runner_version": RUNNER_VERSION,
        "example": o.example,
        "note": o.note,
        "points": points,
    }  # fmt: skip


def store(record: dict, o, date: str) -> Path:
    try:
        SpeedRun.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BenchError(
            f"would store an invalid speed run ({'.'.join(map(str, first['loc']))}: {first['msg']})"
        ) from None
    folder = o.root / "catalog" / "runs" / (record["model"]["catalog_id"] or slug(record["model"]["served_name"]))
    path = o.out or free_path(folder, f"{date[:10]}-{record['source']}")
    write_run(record, path, f"written by `python -m generator {'bench --speed' if record['source'] == 'speed' else 'import llama-bench'}`",
              o.root / "catalog")  # fmt: skip
    return path


# ---------------------------------------------------------------- llama-bench -o json


@dataclass
class LlamaBenchOptions:
    results: Path
    root: Path
    catalog_id: str | None = None
    hardware: str | None = None
    example: bool = False
    note: str | None = None
    out: Path | None = None


FLAG_KEYS = ("n_batch", "n_ubatch", "n_threads", "type_k", "type_v", "n_gpu_layers", "flash_attn", "split_mode",
             "use_mmap", "no_kv_offload", "backends")  # fmt: skip


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        return None
    return float(value)


def read_llama_bench(path: Path) -> list[dict]:
    data = read_json(path)
    if not isinstance(data, list) or not data or not all(isinstance(t, dict) for t in data):
        raise BenchError(f"{path}: expected llama-bench's `-o json` output, a list of test objects")
    for i, test in enumerate(data):
        if not all(isinstance(test.get(k), int) for k in ("n_prompt", "n_gen")) or _finite(test.get("avg_ts")) is None:
            raise BenchError(f"{path}: test {i + 1} has no n_prompt/n_gen counts or no avg_ts")
    return data


def llama_bench_record(tests: list[dict], o: LlamaBenchOptions) -> dict:
    first = tests[0]
    points = []
    for t in tests:
        depth = t.get("n_depth") if isinstance(t.get("n_depth"), int) else 0
        if t["n_gen"] == 0:  # a prompt-processing test (pp): prompt tokens per second
            points.append({"prompt_tokens": t["n_prompt"] + depth, "prefill_tokens_per_s": round(t["avg_ts"], 2)})
        else:  # a generation test (tg), after n_depth tokens of context
            points.append({"prompt_tokens": depth + t["n_prompt"], "output_tokens": t["n_gen"],
                           "decode_tokens_per_s": round(t["avg_ts"], 2)})  # fmt: skip
    gpus = [g.strip() for g in str(first.get("gpu_info") or "").split(",") if g.strip()]
    stamp = str(first.get("test_time") or "")
    try:
        date = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(microsecond=0).isoformat()
    except ValueError:
        raise BenchError(f"{o.results}: the first test has no test_time in ISO form") from None
    name = Path(str(first.get("model_filename") or "model")).name
    return {
        "source": "llama-bench",
        "model": {"served_name": name[:120], "catalog_id": o.catalog_id, "digest": None,
                  "quantization": str(first.get("model_type") or "")[:120] or None,
                  "file_bytes": first["model_size"] if isinstance(first.get("model_size"), int) and first["model_size"] > 0 else None},
        "hardware": o.hardware,
        "machine": {"cpu": (str(first.get("cpu_info") or "").strip() or None), "gpus": gpus},
        "engine": {"name": "llama.cpp (llama-bench)",
                   "version": f"b{first.get('build_number')} ({first.get('build_commit')})",
                   "flags": {k: first[k] for k in FLAG_KEYS if isinstance(first.get(k), str | int | float | bool)}},
        "date": date,
        "runner_version": "atlas-import-llama-bench 0.1",
        "example": o.example,
        "note": o.note,
        "points": points,
    }  # fmt: skip


def import_llama_bench(o: LlamaBenchOptions) -> tuple[Path, dict]:
    record = llama_bench_record(read_llama_bench(o.results), o)
    return store(record, o, record["date"]), record
