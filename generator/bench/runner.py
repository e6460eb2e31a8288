"""Running a suite: every prompt (times `repeats`) against one served model, `concurrency` at a time.

Each result is appended to a journal as soon as it arrives (flushed, so a crash or Ctrl-C loses nothing);
`resume` continues from the journal without repeating a prompt. When every prompt is done, the run is
written to catalog/runs/<model>/<date>-<suite>.yaml with its provenance and summary, checked against the
schema, and the journal is removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import yaml
from tqdm import tqdm

from ..catalog import schemafiles
from ..catalog.authored import validate
from ..catalog.parse import ParseError, parse_file, plain_scalar
from ..catalog.schema_runs import Run, Suite
from . import client as server
from . import machine
from .score import passes
from .stats import percentile, wilson

RUNNER_VERSION = "atlas-bench 0.1"


# libyaml's dumper when PyYAML has it (5x faster on big runs); a base chosen at run time, which a checker cannot follow
class RunDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """PyYAML writes by YAML 1.1's rules and the catalog is read by 1.2's (load.plain_scalar): a text the reader
    would take for something else unquoted (an answer of 0o17, 1:20 or 2024-01-01 10:00) is written quoted."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    try:
        reads_back = plain_scalar(value) == value
    except ValueError:  # the reader refuses it unquoted
        reads_back = False
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if reads_back else '"')


RunDumper.add_representer(str, _text)
ANSWER_LIMIT = 4000  # characters of each answer kept in the run file
GONE_AFTER = 3  # connection failures in a row that mean the server went away: stop, keep the journal


class BenchError(Exception):
    """A problem the person running the benchmark can fix; its message says what and where."""


@dataclass
class Options:
    base_url: str
    model: str
    suite_path: Path
    root: Path
    api_key: str = "not-needed"
    concurrency: int = 1
    repeats: int = 1
    resume: bool = False
    timeout_s: float = 120.0
    deadline_s: float | None = None
    retries: int = 3
    hardware: str = "not described"
    hardware_id: str | None = None  # the catalog/hardware machine
    weights: Path | None = None  # the weights file the server loaded: its digest is stored
    catalog_id: str | None = None
    quantization: str | None = None
    example: bool = False
    note: str | None = None
    out: Path | None = None
    progress: bool | None = None  # None: only on a terminal


@dataclass
class Finished:
    path: Path | None  # the run file, or None when the run stopped early (journal kept)
    summary: dict
    done: int
    total: int
    stopped: str | None = None  # why it stopped early
    journal: Path | None = None


def load_suite(path: Path) -> tuple[Suite, str]:
    """The suite and the SHA-256 of its file; BenchError listing every problem, located."""
    try:
        doc = parse_file(path, str(path))
    except ParseError as exc:
        raise BenchError(str(exc.problem)) from None
    suite, problems = validate(doc, Suite)
    ids = [p.id for p in suite.prompts] if suite else []
    for i, prompt_id in enumerate(ids):
        if prompt_id in ids[:i]:
            problems.append(doc.problem(("prompts", i, "id"), f"prompt id '{prompt_id}' is used twice"))
    if problems or suite is None:
        raise BenchError("\n".join(str(p) for p in problems))
    return suite, hashlib.sha256(path.read_bytes()).hexdigest()


def read_json(path: Path) -> object:
    """A JSON file's value, or a BenchError naming the file (and the line and column of bad JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BenchError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BenchError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    return data


def digest(path: Path) -> str:
    """A weights file's SHA-256, as a run records it."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return f"sha256:{h.hexdigest()}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.") or "model"


def _journal_path(o: Options, suite_hash: str, sampling: dict) -> Path:
    key = json.dumps([o.base_url, o.model, suite_hash, o.repeats, sampling], sort_keys=True)
    return o.root / ".atlas-cache" / "bench" / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsonl"


def _read_journal(path: Path) -> tuple[dict | None, dict[tuple[str, int], dict]]:
    meta, results = None, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: that prompt simply runs again
        if "meta" in entry:
            meta = entry["meta"]
        elif "result" in entry:
            r = entry["result"]
            results[(r["prompt"], r["repeat"])] = r
    return meta, results


def _messages(prompt, suite: Suite) -> list[dict]:
    said = prompt.system or suite.system
    system = [{"role": "system", "content": said}] if said else []
    return [*system, {"role": "user", "content": prompt.prompt}]


def _progress(enabled: bool | None, total: int, initial: int) -> tqdm:
    return tqdm(total=total, initial=initial, unit="prompt", disable=None if enabled is None else not enabled,
                file=sys.stderr, dynamic_ncols=True)  # fmt: skip


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def summarize(results: list[dict], wall_s: float) -> dict:
    n = len(results)
    passed = sum(r["passed"] for r in results)
    ok = [r for r in results if r["error"] is None]
    speeds = [
        r["output_tokens"] / (r["latency_s"] - r["ttft_s"])
        for r in ok
        if r["output_tokens"] and r["ttft_s"] is not None and r["latency_s"] > r["ttft_s"]
    ]
    tokens = sum(r["output_tokens"] or 0 for r in ok)

    def rounded(x: float | None, digits: int = 4) -> float | None:
        return None if x is None else round(x, digits)

    low, high = wilson(passed, n)
    return {
        "prompts": n,
        "passed": passed,
        "errors": n - len(ok),
        "accuracy": rounded(passed / n if n else 0.0),
        "accuracy_ci95": [rounded(low), rounded(high)],
        "latency_p50_s": rounded(percentile([r["latency_s"] for r in ok], 50)),
        "latency_p95_s": rounded(percentile([r["latency_s"] for r in ok], 95)),
        "ttft_p50_s": rounded(percentile([r["ttft_s"] for r in ok if r["ttft_s"] is not None], 50)),
        "output_tokens_per_s_p50": rounded(percentile(speeds, 50), 2),
        "throughput_tokens_per_s": rounded(tokens / wall_s, 2) if wall_s > 0 and tokens else None,
        "wall_s": rounded(wall_s, 3),
    }


def run(o: Options) -> Finished:
    suite, suite_hash = load_suite(o.suite_path)
    sampling = suite.sampling.model_dump()
    http = server.make_http(o.timeout_s, o.base_url)
    bench_client = server.make_client(o.base_url, o.api_key, o.retries, http)
    server.check_model(bench_client, o.base_url, o.model)
    journal = _journal_path(o, suite_hash, sampling)
    results: dict[tuple[str, int], dict] = {}  # (prompt id, repeat) -> result; only this thread writes it
    meta = None
    if journal.exists():
        if not o.resume:
            raise BenchError(f"an unfinished run of this suite and model is in {journal}: add --resume to continue "
                             "it, or delete that file to start again")  # fmt: skip
        meta, results = _read_journal(journal)
    if meta is None:
        found = server.probe(http, o.base_url, o.model)
        meta = {
            "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "server": {"kind": found["kind"], "version": found["version"]},
            "digest": digest(o.weights) if o.weights else found["digest"],
            "quantization": o.quantization or found["quantization"],
            "elapsed_s": 0.0,
        }
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_text(json.dumps({"meta": meta}) + "\n", encoding="utf-8")
    by_id = {p.id: p for p in suite.prompts}
    tools = [t.model_dump() for t in suite.tools] if suite.tools else None
    todo = [(p.id, k) for k in range(o.repeats) for p in suite.prompts if (p.id, k) not in results]
    total = len(suite.prompts) * o.repeats
    start = time.perf_counter()
    deadline = start + o.deadline_s if o.deadline_s else None
    stopped = None

    def one(prompt_id: str, repeat: int) -> dict | None:
        if deadline is not None and time.perf_counter() > deadline:
            return None
        prompt = by_id[prompt_id]
        params = {k: v for k, v in sampling.items() if v is not None}
        if prompt.max_tokens:
            params["max_tokens"] = prompt.max_tokens
        if tools:
            params["tools"] = tools
        got = server.ask(bench_client, o.model, _messages(prompt, suite), params, o.timeout_s)
        return {
            "prompt": prompt_id, "repeat": repeat,
            "passed": got.error is None and passes(prompt.check, got.answer, got.tool_calls),
            "error": got.error, "latency_s": _round(got.latency_s), "ttft_s": _round(got.ttft_s),
            "output_tokens": got.output_tokens, "prompt_tokens": got.prompt_tokens,
            "answer": got.answer[:ANSWER_LIMIT],
            **({"tool_calls": got.tool_calls} if got.tool_calls else {}),
        }  # fmt: skip

    bar = _progress(o.progress, total, total - len(todo))
    passed = sum(r["passed"] for r in results.values())
    failed_in_a_row, dropped = 0, None
    with journal.open("a", encoding="utf-8") as log, ThreadPoolExecutor(max_workers=o.concurrency) as pool:
        pending = {pool.submit(one, *task) for task in todo}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    if future.cancelled():  # after the server went away
                        continue
                    result = future.result()
                    if result is None:
                        stopped = stopped or "the deadline passed"
                        continue
                    if (result["error"] or "").startswith("connection failed"):
                        failed_in_a_row, dropped = failed_in_a_row + 1, result["error"]  # runs again on --resume
                        if failed_in_a_row >= GONE_AFTER and not stopped:
                            stopped = f"the server stopped answering ({result['error']})"
                            for future in pending:
                                future.cancel()
                        continue
                    failed_in_a_row = 0
                    results[(result["prompt"], result["repeat"])] = result
                    log.write(json.dumps({"result": result}) + "\n")
                    log.flush()
                    passed += result["passed"]
                    bar.set_postfix(passed=passed, refresh=False)
                    bar.update(1)
        except KeyboardInterrupt:
            for future in pending:
                future.cancel()
            stopped = "interrupted"
            pool.shutdown(wait=False, cancel_futures=True)
        finally:
            bar.close()
            meta["elapsed_s"] = meta.get("elapsed_s", 0.0) + (time.perf_counter() - start)
            log.write(json.dumps({"meta": meta}) + "\n")
            log.flush()
    order = {prompt_id: i for i, prompt_id in enumerate(by_id)}
    ordered = sorted(results.values(), key=lambda r: (r["repeat"], order[r["prompt"]]))
    summary = summarize(ordered, meta["elapsed_s"])
    if dropped and not stopped and len(results) < total:
        stopped = f"the server stopped answering ({dropped})"
    if stopped or len(results) < total:
        return Finished(None, summary, len(results), total, stopped or "not every prompt ran", journal)
    record = {
        "source": "bench",
        "suite": o.suite_path.stem,
        "suite_sha256": suite_hash,
        "model": {"served_name": o.model, "catalog_id": o.catalog_id, "digest": meta["digest"],
                  "quantization": meta["quantization"]},
        "server": meta["server"],
        "hardware": o.hardware,
        "hardware_id": o.hardware_id,
        "machine": machine.describe() if machine.is_local(o.base_url) else None,
        "date": meta["date"],
        "runner_version": RUNNER_VERSION,
        "sampling": sampling,
        "repeats": o.repeats,
        "concurrency": o.concurrency,
        "example": o.example,
        "note": o.note,
        "summary": summary,
        "results": ordered,
    }  # fmt: skip
    path = o.out or free_path(o.root / "catalog" / "runs" / (o.catalog_id or slug(o.model)),
                               f"{meta['date'][:10]}-{o.suite_path.stem}")  # fmt: skip
    store(record, path, o.root / "catalog")
    journal.unlink()
    return Finished(path, summary, len(results), total)


def free_path(folder: Path, stem: str) -> Path:
    """<stem>.yaml, or <stem>-2.yaml, -3 … when a run of the same suite was stored the same day."""
    path, n = folder / f"{stem}.yaml", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.yaml", n + 1
    return path


def store(record: dict, path: Path, catalog_root: Path) -> None:
    """Write the run file, refusing to write one the catalog check would reject."""
    Run.model_validate(record)
    write_run(record, path, "written by `python -m generator bench`", catalog_root)


def write_run(record: dict, path: Path, origin: str, catalog_root: Path) -> None:
    """A run file, written whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = schemafiles.line_for(path, "runs", catalog_root) + "\n"
    text += f"# A stored benchmark run, {origin}. Do not edit the results by hand.\n"
    text += yaml.dump(record, Dumper=RunDumper, sort_keys=False, allow_unicode=True, width=120)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
