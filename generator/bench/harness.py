"""Importing EleutherAI lm-evaluation-harness results: `python -m generator import lm-eval RESULTS.json`.

Stages: `read_results` loads the harness's results_<date>.json (a clear, located message for anything else),
`harness_tasks` flattens its per-task "<metric>,<filter>" keys into rows, `harness_record` adds provenance
(the harness's version and arguments, the model, the date), and `import_lm_eval` stores it beside the runs
of `python -m generator bench` as catalog/runs/<model>/<date>-lm-eval.yaml, checked against the schema.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..catalog.schema_runs import HarnessRun
from .runner import BenchError, free_path, read_json, slug, write_run

IMPORTER_VERSION = "atlas-import-lm-eval 0.1"
MODEL_ARG_KEYS = ("peft", "delta", "pretrained", "model", "path", "engine")  # the harness's own order


@dataclass
class ImportOptions:
    results: Path
    root: Path
    catalog_id: str | None = None
    model_name: str | None = None
    hardware: str = "not described"
    quantization: str | None = None
    example: bool = False
    note: str | None = None
    out: Path | None = None


def read_results(path: Path) -> dict:
    """The results file as a dict, or a BenchError naming the file (and the line and column of bad JSON)."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict) or not data["results"]:
        raise BenchError(
            f"{path}: no 'results' object with tasks in it; pass the harness's results_<date>.json "
            "(written by lm_eval --output_path), not a samples_*.jsonl file"
        )
    return data


def _number(value: object) -> float | None:
    """A finite number, or None for the harness's "N/A", null, NaN and anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _per_task(data: dict, key: str) -> dict:
    found = data.get(key)
    return found if isinstance(found, dict) else {}


def harness_tasks(data: dict, path: Path) -> list[dict]:
    """One row per (task, metric, filter) with its stderr, shots, sample count and the group it belongs to."""
    n_shot, samples, versions = _per_task(data, "n-shot"), _per_task(data, "n-samples"), _per_task(data, "versions")
    higher = _per_task(data, "higher_is_better")
    group_of = {
        sub: group
        for group, subs in _per_task(data, "group_subtasks").items()
        if isinstance(subs, list)
        for sub in subs
        if isinstance(sub, str) and sub != group
    }
    rows = []
    for task, metrics in data["results"].items():
        if not isinstance(metrics, dict):
            raise BenchError(f"{path}: results.{task} is not an object of metrics")
        for key, raw in metrics.items():
            metric, _, filter_ = key.partition(",")
            value = _number(raw)
            if not filter_ or metric.endswith("_stderr") or value is None:
                continue  # alias, name, sample_len, stderr columns, "N/A"
            shots = n_shot.get(task)
            counted = samples.get(task, {})
            effective = counted.get("effective") if isinstance(counted, dict) else None
            version = versions.get(task)
            wants_higher = higher.get(task, {}).get(metric) if isinstance(higher.get(task), dict) else None
            rows.append({
                "task": task,
                "group": group_of.get(task),
                "metric": metric,
                "filter": filter_,
                "value": value,
                "stderr": _number(metrics.get(f"{metric}_stderr,{filter_}")),
                "n_shot": shots if isinstance(shots, int) and not isinstance(shots, bool) and shots >= 0 else None,
                "samples": effective if isinstance(effective, int) and effective >= 1 else None,
                "higher_is_better": wants_higher if isinstance(wants_higher, bool) else None,
                "version": None if version is None or isinstance(version, dict | list) else str(version),
            })  # fmt: skip
    if not rows:
        raise BenchError(f"{path}: no numeric '<metric>,<filter>' results in any task")
    return rows


def _model_args(config: dict) -> str | None:
    args = config.get("model_args")
    if isinstance(args, dict):
        return ",".join(f"{k}={v}" for k, v in args.items())
    return args if isinstance(args, str) and args else None


def model_name(data: dict) -> str | None:
    """The evaluated model as the harness names it: model_name, else the model argument of model_args."""
    if isinstance(data.get("model_name"), str) and data["model_name"]:
        return data["model_name"]
    args = _model_args(_per_task(data, "config")) or ""
    pairs = dict(part.split("=", 1) for part in args.split(",") if "=" in part)
    return next((pairs[k] for k in MODEL_ARG_KEYS if pairs.get(k)), None)


def catalog_match(name: str, root: Path) -> str | None:
    """The catalog model whose hf_repo is `name` (case-insensitive), found by reading only that key."""
    wanted = name.lower()
    for file in sorted((root / "catalog" / "models").glob("*/*.yaml")):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and str(data.get("hf_repo", "")).lower() == wanted:
            return file.stem
    return None


def harness_record(data: dict, path: Path, o: ImportOptions) -> dict:
    """The stored run: provenance from the results file and the options, and the task rows."""
    tasks = harness_tasks(data, path)
    config = _per_task(data, "config")
    name = o.model_name or model_name(data)
    if not name:
        raise BenchError(f"{path}: the file names no model (model_name or model_args); pass --model-name")
    stamp = _number(data.get("date"))
    if stamp is None:
        raise BenchError(f"{path}: the file has no 'date' (a Unix time); was it written by lm_eval 0.4 or later?")
    batch = config.get("batch_size")
    limit = _number(config.get("limit"))
    seed = config.get("random_seed")
    wall = data.get("total_evaluation_time_seconds")
    try:
        wall_s = float(wall) if wall is not None else None
    except (TypeError, ValueError):
        wall_s = None
    return {
        "source": "lm-eval",
        "model": {
            "served_name": name,
            "catalog_id": o.catalog_id or catalog_match(name, o.root),
            "digest": None,
            "quantization": o.quantization,
        },
        "harness": {
            "name": "lm-evaluation-harness",
            "version": str(data["lm_eval_version"]) if data.get("lm_eval_version") else None,
            "git_hash": str(data["git_hash"]) if data.get("git_hash") else None,
            "model_type": str(config["model"]) if isinstance(config.get("model"), str) else None,
            "model_args": _model_args(config),
            "batch_size": None if batch is None else str(batch),
            "limit": limit if limit and limit > 0 else None,
            "seed": seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        },
        "hardware": o.hardware,
        "date": dt.datetime.fromtimestamp(stamp, dt.UTC).replace(microsecond=0).isoformat(),
        "wall_s": round(wall_s, 1) if wall_s is not None and math.isfinite(wall_s) and wall_s >= 0 else None,
        "imported_by": IMPORTER_VERSION,
        "example": o.example,
        "note": o.note,
        "tasks": tasks,
    }


def import_lm_eval(o: ImportOptions) -> tuple[Path, dict]:
    """Read, convert, check and store; returns where the run went and the record."""
    data = read_results(o.results)
    record = harness_record(data, o.results, o)
    try:
        HarnessRun.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BenchError(f"{o.results}: would store an invalid run ({where}: {first['msg']})") from None
    folder = o.root / "catalog" / "runs" / (record["model"]["catalog_id"] or slug(record["model"]["served_name"]))
    path = o.out or free_path(folder, f"{record['date'][:10]}-lm-eval")
    write_run(record, path, "imported by `python -m generator import lm-eval`", o.root / "catalog")
    return path, record
