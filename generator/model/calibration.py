"""Measured beside estimated: for a stored speed run of a catalog model on a catalog machine, the atlas's decode
estimate for the same model, weights file and machine (hardware.py's formula: achievable bandwidth over the bytes
read per token), and the ratio measured / estimated at each prompt length. One run is one calibration point."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.resolve import Catalog
from ..catalog.schema_runs import SpeedRun
from . import hardware


@dataclass(frozen=True)
class Calibration:
    prompt_tokens: int
    measured: float  # decode tokens/s, one request at a time
    estimated: float
    ratio: float  # measured / estimated


def estimate(catalog: Catalog, run: SpeedRun, context: int) -> float | None:
    """The decode estimate for the run's weights file on its machine at `context` tokens; None when unknown."""
    entry = catalog.models.get(run.model.catalog_id or "")
    machine = catalog.hardware.get(run.hardware or "")
    if entry is None or machine is None or not machine.bandwidth_gb_s or not run.model.file_bytes:
        return None
    model = entry.model
    if not model.params_b:
        return None
    active_share = (model.active_params_b or model.params_b) / model.params_b
    held = hardware.context_gb(model, context)
    if held is None:
        return None
    read_gb = run.model.file_bytes / 1e9 * active_share + held
    return round(machine.bandwidth_gb_s * hardware.BANDWIDTH_SHARE / read_gb, 1)


def calibrate(catalog: Catalog, run: SpeedRun) -> list[Calibration]:
    """One row per prompt length measured with one request at a time and an estimate to compare."""
    rows = []
    for p in run.points:
        if p.concurrency != 1 or p.decode_tokens_per_s is None:
            continue
        guess = estimate(catalog, run, p.prompt_tokens + int(p.output_tokens or 0))
        if guess:
            rows.append(
                Calibration(p.prompt_tokens, p.decode_tokens_per_s, guess, round(p.decode_tokens_per_s / guess, 2))
            )
    return rows
