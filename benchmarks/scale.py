"""Build speed and scale: synthetic catalogs of 100, 1,000 and 5,000 models (benchmarks/synthetic.py), each
built the way `make site` builds (generate, then MkDocs --strict), beside a plain MkDocs build of the same
generated Markdown (the engine's floor).

Targets (issue 10): full build <= 1.25x the plain build; time(1,000)/time(100) <= 11 and
time(5,000)/time(1,000) <= 5.5; a rebuild after editing one model file <= 1.1x the plain build with 0 charts
re-rendered; <= 60 KB of HTML per model page and <= 3 KB of search index per model; peak memory of the
5,000-model build <= 2 GB. Full builds are timed with warm caches (the cold first build is shown too). Plain
builds, full builds and rebuilds take turns, REPEATS times per size, and each is its fastest turn: a build
time on a shared machine varies by several percent from one run to the next, more than a 1.1x target allows.
The search index per model is what the model pages put in it; the whole index per model is shown too.
`python benchmarks/scale.py 100 1000` runs fewer sizes. Exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import report  # noqa: E402
from synthetic import write_catalog  # noqa: E402

from generator.routes import CHART_CACHE, GENERATED_DIRS, GENERATED_FILES  # noqa: E402

SIZES = (100, 1000, 5000)
REPEATS = {100: 3, 1000: 3, 5000: 1}  # turns of plain build, full build and rebuild per size
TARGETS = {"full/plain": 1.25, "1000/100": 11.0, "5000/1000": 5.5, "rebuild/plain": 1.1,
           "html_kb": 60.0, "search_kb": 3.0, "peak_gb": 2.0}  # fmt: skip


def make_project(dest: Path, n: int) -> Path:
    """The project's site config and hand-written docs (guides included) with a synthetic catalog of n models."""
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    skip = {*GENERATED_DIRS, *GENERATED_FILES}
    top = ROOT / "docs"
    shutil.copytree(top, dest / "docs", ignore=lambda d, names: [x for x in names if Path(d) == top and x in skip])
    (dest / "generator").symlink_to(ROOT / "generator")
    (dest / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    write_catalog(dest, n)
    return dest


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (GB, the largest process of the tree) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1e6  # ru_maxrss is in KB on Linux


def measure(project: Path, n: int) -> dict[str, float]:
    site = [sys.executable, "-m", "generator", "--root", str(project), "site"]
    plain = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
             "-d", str(project / "plain")]  # fmt: skip
    pregenerated = {"ATLAS_PREGENERATED": "1", "NO_MKDOCS_2_WARNING": "1"}
    cold, _ = timed(site)
    models = sorted((project / "catalog" / "models").glob("*/*.yaml"))
    cached = set((project / CHART_CACHE).iterdir())
    floors, fulls, rebuilds, peak = [], [], [], 0.0
    turns = REPEATS.get(n, 3 if n <= 1000 else 1)
    for turn in range(turns):
        floors.append(timed(plain, pregenerated)[0])
        seconds, memory = timed(site)
        fulls.append(seconds)
        peak = max(peak, memory)
        edited = models[turn * len(models) // turns]  # a different model each turn
        schema_line, text = edited.read_text(encoding="utf-8").split("\n", 1)  # the editor's schema comment
        facts = yaml.safe_load(text)
        facts["description"] = f"Edited for the benchmark. {facts['description']}"
        edited.write_text(f"{schema_line}\n{yaml.safe_dump(facts, sort_keys=False, allow_unicode=True)}", "utf-8")
        rebuilds.append(timed(site)[0])
    rendered = len(set((project / CHART_CACHE).iterdir()) - cached)
    pages = [p for p in (project / "site" / "models").glob("*/*.html") if p.name != "index.html"]
    html_kb = sum(p.stat().st_size for p in pages) / len(pages) / 1000
    index = project / "site" / "search" / "search_index.json"
    entries = json.loads(index.read_text(encoding="utf-8"))["docs"]
    of_models = [e for e in entries if re.match(r"models/[^/]+/(?!index\.html)[^/#]+\.html", e["location"])]
    search_kb = len(json.dumps(of_models, ensure_ascii=False).encode()) / len(pages) / 1000
    site_mb = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file()) / 1e6
    return {"cold": cold, "full": min(fulls), "plain": min(floors), "rebuild": min(rebuilds), "rendered": rendered,
            "peak": peak, "html_kb": html_kb, "search_kb": search_kb, "index_kb": index.stat().st_size / n / 1000,
            "site_mb": site_mb, "pages": len(pages), "turns": turns}  # fmt: skip


def main() -> int:
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    results = {}
    with tempfile.TemporaryDirectory(prefix="atlas-scale-") as tmp:
        for n in sizes:
            results[n] = measure(make_project(Path(tmp) / str(n), n), n)
            shutil.rmtree(Path(tmp) / str(n))
    rows = []
    for n, r in results.items():
        rows += [
            (f"{n:>5} models: full build s (warm caches, best of {r['turns']}; cold {r['cold']:.1f} s)", r["full"], None),
            (f"{n:>5} models: plain MkDocs build of the same Markdown, s", r["plain"], None),
            (f"{n:>5} models: full / plain", r["full"] / r["plain"], TARGETS["full/plain"]),
            (f"{n:>5} models: rebuild after editing one model / plain", r["rebuild"] / r["plain"], TARGETS["rebuild/plain"]),
            (f"{n:>5} models: charts re-rendered by that rebuild", r["rendered"], 0),
            (f"{n:>5} models: HTML per model page, KB ({r['pages']} pages)", r["html_kb"], TARGETS["html_kb"]),
            (f"{n:>5} models: search index per model page, KB", r["search_kb"], TARGETS["search_kb"]),
            (f"{n:>5} models: whole search index / models, KB", r["index_kb"], None),
            (f"{n:>5} models: site size, MB", r["site_mb"], None),
            (f"{n:>5} models: peak memory of the build, GB", r["peak"], TARGETS["peak_gb"] if n == 5000 else None),
        ]  # fmt: skip
    if 100 in results and 1000 in results:
        rows.append(
            ("scaling: full build 1,000 / 100", results[1000]["full"] / results[100]["full"], TARGETS["1000/100"])
        )
    if 1000 in results and 5000 in results:
        rows.append(
            ("scaling: full build 5,000 / 1,000", results[5000]["full"] / results[1000]["full"], TARGETS["5000/1000"])
        )
    return report("scale", "build speed and scale benchmark", rows)


if __name__ == "__main__":
    sys.exit(main())
