"""The one report format of `make bench`: each figure, its target, their ratio and PASS or FAIL, printed and
recorded (with a description of the machine) in benchmarks/results.yaml, from which the site's Performance
page is generated. Exit status 1 when a figure missed its target."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.yaml"


def report(
    name: str, title: str, rows: list[tuple[str, float, float | None]], *, width: int = 70, digits: int = 2
) -> int:
    """rows: (label, measured, target). A figure passes when measured <= target; a target of None is shown
    and not judged. Prints the table and the verdict, records it as benchmark `name`; returns the exit status."""
    failed = False
    print(f"{title:<{width}} {'measured':>9} {'target':>7} {'ratio':>6}")
    for label, value, target in rows:
        ratio = f"{value / target:.2f}" if target else "-"
        shown = "-" if target is None else f"{target:g}"
        missed = target is not None and value > target
        verdict = "" if target is None else ("FAIL" if missed else "PASS")
        print(f"{label:<{width}} {value:>9.{digits}f} {shown:>7} {ratio:>6} {verdict}".rstrip())
        failed |= missed
    print("FAILED: a target was missed" if failed else "all targets met")
    record(name, title, rows)
    return 1 if failed else 0


def record(name: str, title: str, rows: list[tuple[str, float, float | None]], results: Path = RESULTS) -> None:
    """Replace benchmark `name`'s entry in `results` (the schema is generator/schema.py's BenchmarkResults)."""
    loaded = yaml.safe_load(results.read_text(encoding="utf-8")) if results.is_file() else None
    reports = (loaded or {}).get("reports") or {}
    reports[name] = {
        "title": title,
        "measured_on": dt.date.today().isoformat(),
        "commit": commit(),
        "machine": machine(),
        "figures": [
            {"label": label, "measured": round(float(value), 4),
             "target": None if target is None else float(target),
             "passed": None if target is None else bool(value <= target)}
            for label, value, target in rows
        ],
    }  # fmt: skip
    text = "# Written by `make bench` (benchmarks/report.py); the site's Performance page is made from it.\n"
    text += yaml.safe_dump({"reports": dict(sorted(reports.items()))}, sort_keys=False, allow_unicode=True, width=110)
    results.write_text(text, encoding="utf-8")


def commit() -> str | None:
    """The checkout measured: its short commit, marked when it had uncommitted changes."""
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty=-modified", "--abbrev=12"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or None


def machine() -> dict[str, object]:
    """What the figures were measured on: processor, cores, memory, system, Python and Chromium."""
    cpu, memory_gb, system = platform.processor() or platform.machine(), 0.0, platform.platform()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name"))
        memory_kb = next(int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal"))
        memory_gb = round(memory_kb / 1024**2, 1)
        system = f"{platform.freedesktop_os_release()['PRETTY_NAME']}, Linux {platform.release()}"
    except (OSError, StopIteration, KeyError):
        pass  # not Linux: the portable descriptions above
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip() if chromium else ""
    return {"cpu": cpu, "cores": os.cpu_count() or 1, "memory_gb": memory_gb, "system": system,
            "python": platform.python_version(), "chromium": version or None}  # fmt: skip


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()
