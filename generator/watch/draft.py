"""Drafts: a new release as a model file (the new-model scaffold) with every fact the repository's metadata gives
filled and sourced to the file it came from, at the revision it was read at. What metadata cannot give (the
release day, a description, benchmarks, the terms of a licence the catalog lacks) stays null or FILL for the person
who finishes it; `make validate` names those lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..catalog.fields import ID_PATTERN
from ..catalog.resolve import Catalog
from ..catalog.scaffold import Prefilled, render
from ..catalog.schema import UpstreamRelease
from .releases import Release

HUB = "https://huggingface.co"
# Safetensors dtypes (as the Hub counts parameters) -> the catalog's weights_precision.
PRECISIONS = {"BF16": "BF16", "F16": "FP16", "F32": "FP32", "F8_E4M3": "FP8", "F8_E5M2": "FP8"}
MOST_OF = 0.9  # a precision is the weights' when it holds this share of the parameters
# A GGUF file's quantization, as llama.cpp's tools name it: the last such part of the file name.
GGUF_QUANT = re.compile(
    r"(?i)(?:^|[-_.])((?:IQ|Q)[0-9][A-Z0-9_]*|BF16|F16|F32|MXFP4(?:_MOE)?)(?=(?:-\d{5}-of-\d{5})?\.gguf$)"
)


def model_id(repo: str) -> str | None:
    """The catalog id a repository's name gives (Qwen/Qwen3.5-9B -> qwen3.5-9b), or None when it gives none."""
    name = re.sub(r"[^a-z0-9.-]+", "-", repo.split("/", 1)[1].lower()).strip("-.")
    name = re.sub(r"-{2,}", "-", name)[:80]
    return name if re.fullmatch(ID_PATTERN, name) else None


def licence_id(catalog: Catalog, tag: str | None, name: str | None) -> str | None:
    """The catalog licence a card's licence tag names: by id, or by SPDX identifier ('other': its license_name)."""
    wanted = name if tag == "other" else tag
    if wanted is None:
        return None
    for licence_id, licence in catalog.licences.items():
        if wanted == licence_id or (licence.spdx and wanted == licence.spdx.lower()):
            return licence_id
    return None


def prefilled(release: Release, catalog: Catalog) -> Prefilled:
    e: UpstreamRelease = release.entry
    at = e.revision or "main"
    page, card = f"{HUB}/{e.repo}", f"{HUB}/{e.repo}/blob/{at}/README.md"
    config_url, api = f"{HUB}/{e.repo}/blob/{at}/config.json", f"{HUB}/api/models/{e.repo}/revision/{at}"
    filled: dict[str, str] = {"name": json.dumps(e.repo.split("/", 1)[1]), "hf_repo": json.dumps(e.repo)}
    origin = {"name": "the repository's name: change it to the publisher's display name",
              "hf_repo": "the repository the watch found"}  # fmt: skip
    supports: dict[str, list[str]] = {page: ["hf_repo"]}
    if e.gated is not None:
        filled["gated"], origin["gated"] = json.dumps(e.gated != "no"), f"the Hub: gated {e.gated}"
        supports[page].append("gated")
    if e.params is not None:
        filled["params_b"] = json.dumps(round(e.params / 1e9, 3))
        origin["params_b"] = f"{e.params:,} parameters in the safetensors metadata"
        supports.setdefault(api, []).append("params_b")
    precision = _precision(release.dtypes, e.params)
    if precision is not None:
        filled["weights_precision"], origin["weights_precision"] = json.dumps(precision), "the safetensors dtypes"
        supports.setdefault(api, []).append("weights_precision")
    if e.config is not None:
        supports.setdefault(config_url, []).append("config")
        if e.config.experts is not None and e.config.experts > 1:
            filled["architecture"], origin["architecture"] = '"moe"', f"config.json: {e.config.experts} experts"
            supports[config_url].append("architecture")
    licence = licence_id(catalog, e.licence, e.licence_name)
    hints = {"created": f"; the repository was created on {e.created.isoformat()}"}
    if licence is not None:
        filled["licence"], origin["licence"] = json.dumps(licence), f"the card's metadata: license {e.licence}"
        supports.setdefault(card, []).append("licence")
    elif e.licence is not None:
        named = f" (license_name {e.licence_name})" if e.licence_name else ""
        hints["licence"] = f"; the card says license {e.licence}{named}, which has no licence file yet"
    if e.pipeline is not None:
        hints["pipeline"] = f"; the Hub's pipeline tag is {e.pipeline}"
    downloads = []
    quants = _quants(e)
    if quants and e.gguf_repo is not None:
        downloads.append((e.gguf_repo, "{" + ", ".join(f"{q}: {gb}" for q, gb in quants.items()) + "}"))
        supports.setdefault(f"{HUB}/{e.gguf_repo}/tree/main", []).append("downloads")
    return Prefilled(
        repo=e.repo,
        filled=filled,
        origin=origin,
        sources=[(url, fields) for url, fields in supports.items()],
        downloads=downloads,
        hints=hints,
        unread=list(e.notes),
    )


def _precision(dtypes: dict, total: int | None) -> str | None:
    counts = {k: v for k, v in dtypes.items() if isinstance(k, str) and isinstance(v, int) and v > 0}
    if not counts or not total:
        return None
    dtype, count = max(counts.items(), key=lambda kv: kv[1])
    return PRECISIONS.get(dtype) if count >= MOST_OF * total else None


def _quants(e: UpstreamRelease) -> dict[str, float]:
    """GB per quantization in the GGUF repository (a split file's parts added up)."""
    sizes: dict[str, int] = {}
    for f in e.gguf:
        if "mmproj" in f.name.lower():
            continue
        found = GGUF_QUANT.search(f.name.rsplit("/", 1)[-1])
        if found:
            quant = found.group(1).upper()
            sizes[quant] = sizes.get(quant, 0) + f.bytes
    return {q: round(b / 1e9, 2) for q, b in sorted(sizes.items())}


def write(release: Release, catalog: Catalog, catalog_root: Path, family_id: str) -> tuple[Path | None, str]:
    """Write the release's draft under catalog/models/<family>/; returns its path (None when not written) and
    a sentence saying what happened."""
    model = model_id(release.entry.repo)
    if model is None:
        return None, f"{release.entry.repo}: its name gives no catalog id; run new-model by hand"
    path = catalog_root / "models" / family_id / f"{model}.yaml"
    if model in catalog.models or path.exists():
        return None, f"{release.entry.repo}: the id '{model}' is taken; not drafted"
    text = render(family_id, model, catalog_root, release.hf_config, "config.json", prefilled(release, catalog))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, f"{release.entry.repo}: drafted as {path.relative_to(catalog_root.parent)}"
