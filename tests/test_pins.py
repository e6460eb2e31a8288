"""Every dependency is pinned: pyproject.toml's direct dependencies exactly, requirements.lock holds every
package the virtualenv has (and nothing else) at one version, and package.json names exact npm versions that
package-lock.json locks with an integrity hash. `make lock` and `make audit` (README) keep them fresh."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==([^\s;=<>!~*]+)$")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock() -> dict[str, str]:
    lines = [line for line in (ROOT / "requirements.lock").read_text().splitlines() if line and line[0] != "#"]
    assert all(PIN.match(line) for line in lines), [line for line in lines if not PIN.match(line)]
    return {normal(PIN.match(line)[1]): PIN.match(line)[3] for line in lines}


def test_direct_dependencies_are_pinned_exactly_and_locked_at_that_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    loose = [d for d in direct if not PIN.match(d)]
    assert loose == []
    locked = lock()
    assert {normal(PIN.match(d)[1]): PIN.match(d)[3] for d in direct}.items() <= locked.items()


def test_the_virtualenv_holds_exactly_the_locked_packages():
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--all"],
                            capture_output=True, text=True, check=True).stdout.splitlines()  # fmt: skip
    installed = {normal(PIN.match(line)[1]): PIN.match(line)[3] for line in frozen if PIN.match(line)}
    installed = {name: v for name, v in installed.items() if name not in {"pip", "setuptools", "wheel"}}
    assert installed == lock()


def test_npm_packages_are_exact_and_locked_with_integrity():
    package = json.loads((ROOT / "package.json").read_text())
    wanted = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert wanted and all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in wanted.values()), wanted
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        entry = locked[f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-"), name
    assert all(p.get("integrity") for path, p in locked.items() if path and not p.get("link")), "unhashed package"
