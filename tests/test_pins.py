"""Every dependency is pinned: pyproject.toml's direct dependencies exactly; requirements.lock holds exactly the
packages its runtime dependencies need (what `make site` installs: no test tool, nothing to compile) and
requirements-test.lock exactly what the test extras add, each at one version; the virtualenv holds the two;
package.json names exact npm versions that package-lock.json locks with an integrity hash. `make lock` and
`make audit` (README) keep them fresh."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==([^\s;=<>!~*]+)$")
RUNTIME_LOCK, TEST_LOCK = "requirements.lock", "requirements-test.lock"
PIP_ITSELF = {"pip", "setuptools", "wheel"}  # a virtualenv's own; pip freeze leaves them out of the locks


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock(name: str) -> dict[str, str]:
    lines = [line for line in (ROOT / name).read_text().splitlines() if line and line[0] != "#"]
    assert all(PIN.match(line) for line in lines), [line for line in lines if not PIN.match(line)]
    return {normal(PIN.match(line)[1]): PIN.match(line)[3] for line in lines}


def project() -> tuple[list[str], list[str]]:
    """pyproject.toml's runtime dependencies and its test extras."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return table["dependencies"], [d for group in table["optional-dependencies"].values() for d in group]


def pins(requirements: list[str]) -> dict[str, str]:
    return {normal(PIN.match(d)[1]): PIN.match(d)[3] for d in requirements}


def needed(requirements: list[str]) -> set[str]:
    """Every package the requirements pull in, read from the installed packages' metadata (extras and
    markers honoured)."""
    names: set[str] = set()
    todo, done = [Requirement(r) for r in requirements], set()
    while todo:
        requirement = todo.pop()
        key = (normal(requirement.name), frozenset(requirement.extras))
        if key in done:
            continue
        done.add(key)
        names.add(key[0])
        for line in metadata.requires(requirement.name) or []:
            dep = Requirement(line)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in {"", *requirement.extras}):
                todo.append(dep)
    return names - PIP_ITSELF


def test_direct_dependencies_are_pinned_exactly_and_locked_at_that_version():
    runtime, test = project()
    loose = [d for d in runtime + test if not PIN.match(d)]
    assert loose == []
    assert pins(runtime).items() <= lock(RUNTIME_LOCK).items()
    assert pins(test).items() <= (lock(RUNTIME_LOCK) | lock(TEST_LOCK)).items()


def test_the_runtime_lock_holds_what_the_site_needs_and_the_test_lock_the_rest():
    runtime, test = project()
    assert not lock(RUNTIME_LOCK).keys() & lock(TEST_LOCK).keys()
    assert lock(RUNTIME_LOCK).keys() == needed(runtime)
    assert lock(RUNTIME_LOCK).keys() | lock(TEST_LOCK).keys() == needed(runtime + test)
    assert "llama-cpp-python" in lock(TEST_LOCK)  # built from source: make site must never install it


def test_the_virtualenv_holds_exactly_the_locked_packages():
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--all"],
                            capture_output=True, text=True, check=True).stdout.splitlines()  # fmt: skip
    installed = {normal(PIN.match(line)[1]): PIN.match(line)[3] for line in frozen if PIN.match(line)}
    installed = {name: v for name, v in installed.items() if name not in PIP_ITSELF}
    assert installed == lock(RUNTIME_LOCK) | lock(TEST_LOCK)


def test_npm_packages_are_exact_and_locked_with_integrity():
    package = json.loads((ROOT / "package.json").read_text())
    wanted = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert wanted and all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in wanted.values()), wanted
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        entry = locked[f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-"), name
    assert all(p.get("integrity") for path, p in locked.items() if path and not p.get("link")), "unhashed package"
