"""A synthetic catalog of N models for the scale benchmark: valid, and shaped like the real one.

Everything but the models is the real catalog (licences, families, hardware, prices, runtimes, suites,
runs, glossary). The models are the real ones, then variants of them until there are N: each variant is a
real model file (picked in turn, so families, sizes, licences, contexts, architectures, sources and text
lengths keep the real catalog's distribution) under a new id, name and Hugging Face repo, as a fine-tune or
a quantization of it would be. Run alone it writes one: `python benchmarks/synthetic.py DEST N`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("instruct-ft", "chat-ft", "code-ft", "long-ft", "awq", "gptq", "distill", "merge")


def write_catalog(dest: Path, n: int) -> int:
    """Write catalog/ for N models under `dest` (a project folder); returns the number of model files."""
    source = ROOT / "catalog"
    catalog = dest / "catalog"
    shutil.rmtree(catalog, ignore_errors=True)
    shutil.copytree(source, catalog, ignore=shutil.ignore_patterns("models"))
    real = sorted((source / "models").glob("*/*.yaml"))

    # Models that stored runs name, and that the guides cite (as "id" in a macro call), are always kept.
    needed = {p.parent.name for p in (source / "runs").glob("*/*.yaml")}
    hand_written = [*(ROOT / "docs" / "guides").rglob("*.md"), ROOT / "docs" / "about.md"]
    cited = " ".join(p.read_text(encoding="utf-8") for p in hand_written)
    needed |= {p.stem for p in real if f'"{p.stem}"' in cited}
    keep = [p for p in real if p.stem in needed] + [p for p in real if p.stem not in needed]
    keep = keep[: max(n, len(needed))]
    for path in keep:
        target = catalog / "models" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    templates = [(p, p.read_text(encoding="utf-8")) for p in real]
    for i in range(n - len(keep)):
        path, text = templates[i % len(templates)]
        first_line, _, body = text.partition("\n")
        data = yaml.safe_load(body)
        variant = VARIANTS[(i // len(templates)) % len(VARIANTS)]
        tag = f"{variant}-{i}"
        data["name"] = f"{data['name']} {variant.upper()} {i}"
        if data.get("hf_repo"):
            data["hf_repo"] = f"{data['hf_repo']}-{tag}"
        target = catalog / "models" / path.parent.name / f"{path.stem}-{tag}.yaml"
        target.write_text(
            first_line + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120),
            encoding="utf-8",
        )
    return max(n, len(keep))


if __name__ == "__main__":
    print(write_catalog(Path(sys.argv[1]), int(sys.argv[2])), "models written")
