"""The GitHub side of contributing: workflows (zizmor, least privilege, pinned actions), pull-request and
issue templates, and the pre-commit hooks, run for real in a throwaway git repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
BIN = Path(sys.executable).parent  # the project's .venv/bin: zizmor and pre-commit are pinned there
ZIZMOR = BIN / "zizmor"
PRE_COMMIT = BIN / "pre-commit"

# The only actions the workflows may use, each at the commit its release tag pointed to when it was checked.
ACTIONS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "peter-evans/create-pull-request": ("5f6978faf089d4d20b00c7766989d076bb2fc7f1", "v8.1.1"),
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*['\"]?([^@\s'\"]+)@([^\s'\"#]+)['\"]?\s*(?:#\s*(\S+))?")
# Scopes a job may write to, and only in a job that deploys to Pages, or that opens pull requests and runs none of
# the project's code (the watch: what it proposes was made by a read-only job).
DEPLOY_WRITES = {"pages", "id-token"}
PROPOSE_WRITES = {"contents", "pull-requests"}


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(text: str) -> dict:
    data = yaml.safe_load(text)
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def workflow_problems(text: str) -> list[str]:
    """Everything that breaks the workflows' rules, as sentences (empty when the workflow is fine)."""
    problems = []
    if "pull_request_target" in text:
        problems.append("pull_request_target runs fork code with the base repository's token")
    for n, line in enumerate(text.splitlines(), 1):
        if not re.match(r"^\s*(?:-\s+)?uses:", line):
            continue
        match = USES.match(line)
        if not match:
            problems.append(f"line {n}: 'uses:' must be owner/name@<40-hex commit> # <version>")
            continue
        action, ref, comment = match.groups()
        if not re.fullmatch(r"[0-9a-f]{40}", ref):
            problems.append(f"line {n}: {action}@{ref} is not pinned to a full commit SHA")
        elif action not in ACTIONS:
            problems.append(f"line {n}: {action} is not one of the allowed actions")
        elif (ref, comment) != ACTIONS[action]:
            problems.append(f"line {n}: {action} must be @{ACTIONS[action][0]} # {ACTIONS[action][1]}")
    data = load(text)
    if data.get("permissions") != {}:
        problems.append("the workflow must start from no permissions: top-level 'permissions: {}'")
    for name, job in data.get("jobs", {}).items():
        steps = job.get("steps", [])
        uses = [str(step.get("uses", "")).split("@")[0] for step in steps]
        permissions = job.get("permissions")
        if not isinstance(permissions, dict):
            problems.append(f"job {name}: needs its own 'permissions:' mapping (only what it uses)")
            permissions = {}
        runs_project_code = any(re.search(r"\bmake\b|python|\.venv/", str(step.get("run", ""))) for step in steps)
        proposes = "peter-evans/create-pull-request" in uses and not runs_project_code
        for scope, level in permissions.items():
            if level not in ("read", "write", "none"):
                problems.append(f"job {name}: permission {scope}: {level!r}")
            deploys = scope in DEPLOY_WRITES and "actions/deploy-pages" in uses
            if level == "write" and not (deploys or (scope in PROPOSE_WRITES and proposes)):
                problems.append(f"job {name}: may not write {scope}")
        for step in steps:
            if "${{" in str(step.get("run", "")):
                problems.append(f"job {name}: an expression inside 'run:' (pass it through 'env:')")
            checkout = str(step.get("uses", "")).startswith("actions/checkout@")
            if checkout and (step.get("with") or {}).get("persist-credentials") is not False:
                problems.append(f"job {name}: checkout must set persist-credentials: false")
    return problems


def test_the_workflows_exist():
    assert [p.name for p in workflow_files()] == ["ci.yml", "pages.yml", "watch.yml"]


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_follows_the_rules(path):
    assert workflow_problems(path.read_text(encoding="utf-8")) == []


def test_the_rules_catch_what_they_are_for():
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    sha, version = ACTIONS["actions/checkout"]
    assert f"actions/checkout@{sha} # {version}" in text
    broken = text.replace("permissions: {}", "permissions: write-all", 1)
    broken = broken.replace("on:\n", "on:\n  pull_request_target:\n", 1)
    broken = broken.replace(f"actions/checkout@{sha} # {version}", "actions/checkout@v4", 1)
    broken = broken.replace("persist-credentials: false", "persist-credentials: true", 1)
    broken = broken.replace('--base "$BASE_SHA"', "--base ${{ github.event.pull_request.base.sha }}")
    broken = broken.replace("contents: read", "contents: write", 1)
    found = workflow_problems(broken)
    for expected in (
        "pull_request_target",
        "not pinned to a full commit SHA",
        "top-level 'permissions: {}'",
        "may not write contents",
        "persist-credentials: false",
        "an expression inside 'run:'",
    ):
        assert any(expected in p for p in found), (expected, found)


def zizmor(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    env["NO_COLOR"] = "1"
    command = [str(ZIZMOR), "--offline", "--no-progress", "--color", "never", *map(str, args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_only_jobs_that_run_no_project_code_may_open_pull_requests():
    """The watch: the job that reads the Hub runs the project's code read-only; the jobs that push run none."""
    text = (WORKFLOWS / "watch.yml").read_text(encoding="utf-8")
    assert workflow_problems(text) == []
    writing_watch = text.replace("      contents: read\n    outputs:", "      contents: write\n    outputs:", 1)
    assert "job watch: may not write contents" in workflow_problems(writing_watch)
    running_code = text.replace("run: mkdir -p catalog/watch", "run: make validate && mkdir -p catalog/watch", 1)
    assert "job report: may not write contents" in workflow_problems(running_code)
    data = load(text)
    assert data["on"]["schedule"] and "workflow_dispatch" in data["on"]
    assert data["jobs"]["watch"]["permissions"] == {"contents": "read"}


def test_zizmor_finds_nothing():
    # Exit codes: 0 no findings, 1 an error, 10-14 findings (the highest severity: unknown .. high).
    result = zizmor(".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_would_report_an_injection_and_an_unpinned_action(tmp_path):
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    sha, version = ACTIONS["actions/checkout"]
    text = text.replace(f"actions/checkout@{sha} # {version}", "actions/checkout@v4")
    text = text.replace('--base "$BASE_SHA"', '--base "$BASE_SHA" --title "${{ github.event.pull_request.title }}"')
    (tmp_path / "ci.yml").write_text(text, encoding="utf-8")
    result = zizmor("--format", "json", tmp_path / "ci.yml")
    assert result.returncode >= 10, result.stdout + result.stderr
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"template-injection", "unpinned-uses"} <= found


def test_ci_runs_the_checks_through_the_makefile():
    ci = load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))
    assert "pull_request" in ci["on"]
    runs = {name: "\n".join(str(s.get("run", "")) for s in job["steps"]) for name, job in ci["jobs"].items()}
    assert "make validate" in runs["validate"]
    assert "make test" in runs["test"]
    assert "make site" in runs["site"]
    for job in ci["jobs"].values():
        assert job["container"] == "python:3.11-bookworm"

    changes = ci["jobs"]["changes"]
    assert changes["if"] == "github.event_name == 'pull_request'"
    checkout = changes["steps"][0]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    (summary,) = [s for s in changes["steps"] if "generator changes" in str(s.get("run", ""))]
    assert summary["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    assert summary["run"] == '.venv/bin/python -m generator changes --base "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"'
    assert "make .venv/.installed" in runs["changes"]


def test_pages_builds_then_deploys_with_the_least_it_needs():
    pages = load((WORKFLOWS / "pages.yml").read_text(encoding="utf-8"))
    assert pages["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert pages["concurrency"]["group"] == "pages"
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    runs = [s.get("run") for s in build["steps"]]
    assert "make pdf" in runs  # make pdf builds the site, then prints it: the PDF is published with the site
    assert "make offline && cp dist/atlas-offline.zip site/atlas-offline.zip" in runs
    assert runs.index("make pdf") < runs.index("make offline && cp dist/atlas-offline.zip site/atlas-offline.zip")
    assert build["steps"][0]["with"] == {"fetch-depth": 0, "persist-credentials": False}  # history for the pages
    assert 'git config --global --add safe.directory "$GITHUB_WORKSPACE"' in [s.get("run") for s in build["steps"]]
    (upload,) = [s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert upload["with"] == {"path": "site"}
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_every_github_yaml_file_parses():
    files = sorted([*GITHUB.rglob("*.yml"), *GITHUB.rglob("*.yaml")])
    assert len(files) >= 5
    for path in files:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


def test_nothing_under_github_uses_pull_request_target():
    for path in GITHUB.rglob("*"):
        if path.is_file():
            assert "pull_request_target" not in path.read_text(encoding="utf-8"), path


def test_pull_request_templates():
    default = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    for name in ("new-model.md", "correction.md", "new-run.md"):
        text = (GITHUB / "PULL_REQUEST_TEMPLATE" / name).read_text(encoding="utf-8")
        assert f"template={name}" in default
        assert "- [ ] `make validate` passes locally" in text, name
    model = (GITHUB / "PULL_REQUEST_TEMPLATE" / "new-model.md").read_text(encoding="utf-8")
    for rule in ("catalog/models/<family>/<id>.yaml", "supports", "https://", "catalog/licences/", "verified:"):
        assert rule in model, rule
    run = (GITHUB / "PULL_REQUEST_TEMPLATE" / "new-run.md").read_text(encoding="utf-8")
    for rule in ("python -m generator bench", "python -m generator import lm-eval", "example: true", "hardware"):
        assert rule in run, rule


ISSUE_FORMS = {
    "wrong-fact.yml": {"model", "field", "current", "correct", "source", "kind"},
    "missing-model.yml": {"name", "hf_repo", "licence", "source"},
}


@pytest.mark.parametrize("name", sorted(ISSUE_FORMS))
def test_issue_form(name):
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    assert form["name"] and form["description"]
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    assert len(ids) == len(set(ids))
    required = {item["id"] for item in fields if item.get("validations", {}).get("required")}
    assert required == ISSUE_FORMS[name]
    for item in fields:
        assert item["type"] in ("input", "textarea", "dropdown", "checkboxes")
        assert item["attributes"]["label"]


def test_issue_chooser_has_no_blank_issues():
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False


def test_dev_tools_are_pinned_in_both_lists():
    lock = (ROOT / "requirements-test.lock").read_text(encoding="utf-8").splitlines()  # test tools: the test lock
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name, locked in (("pre-commit", "pre_commit"), ("zizmor", "zizmor")):
        (pin,) = [line for line in lock if line.startswith(f"{locked}==")]
        assert f'"{name}=={pin.split("==")[1]}"' in project


# ---------------------------------------------------------------- pre-commit, for real


def test_pre_commit_hooks_are_local_and_use_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {hook["id"] for hook in hooks} == {"catalog", "ruff-check", "ruff-format"}
    for hook in hooks:
        assert hook["language"] == "system"
        assert hook["entry"].startswith(".venv/bin/")


@pytest.fixture
def hook_repo(tmp_path):
    """A git repository with the hooks, a copy of the catalog, and the project's .venv and generator/ linked in."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    shutil.copy(ROOT / "pyproject.toml", repo)  # ruff's settings
    shutil.copytree(ROOT / "catalog", repo / "catalog")
    (repo / "tests").mkdir()
    (repo / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    (repo / "generator").symlink_to(ROOT / "generator", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "GITHUB_ACTIONS"}
    env |= {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_CONFIG_GLOBAL": os.devnull, "NO_COLOR": "1"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    def pre_commit(*files: str) -> subprocess.CompletedProcess:
        git("add", "--", *files)
        command = [str(PRE_COMMIT), "run", "--color", "never", "--files", *files]
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)

    git("init", "-q")
    git("add", ".pre-commit-config.yaml", "pyproject.toml", "catalog")
    return repo, pre_commit


def line_of(text: str, prefix: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix))


def test_pre_commit_catalog_hook(hook_repo):
    repo, pre_commit = hook_repo
    rel = "catalog/models/llama/llama-3.1-8b-instruct.yaml"
    path = repo / rel
    good = path.read_text(encoding="utf-8")

    path.write_text(good + "# checked again\n", encoding="utf-8")
    result = pre_commit(rel)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"catalog check.*Passed", result.stdout)

    broken = re.sub(r"(?m)^params_b: .*$", "params_b: -8", good)
    path.write_text(broken, encoding="utf-8")
    result = pre_commit(rel)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"catalog check.*Failed", result.stdout)
    line = line_of(broken, "params_b:")
    assert re.search(rf"^{re.escape(rel)}:{line}:11: params_b: .*greater than 0", result.stdout, re.MULTILINE)
    assert "1 problem(s) found" in result.stdout


def test_pre_commit_ruff_hooks(hook_repo):
    repo, pre_commit = hook_repo
    (repo / "tests" / "test_good.py").write_text('"""Fine."""\n\nVALUE = 1\n', encoding="utf-8")
    result = pre_commit("tests/test_good.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"ruff check.*Passed", result.stdout) and re.search(r"ruff format.*Passed", result.stdout)

    (repo / "tests" / "test_bad.py").write_text("import os\nVALUE = [1,2]\n", encoding="utf-8")
    result = pre_commit("tests/test_bad.py")
    assert result.returncode == 1, result.stdout + result.stderr
    checked, formatted = result.stdout.split("ruff format", 1)
    assert re.search(r"F401 .* imported but unused\n --> tests/test_bad.py:1:8", checked)
    assert re.search(r"^.*Failed", formatted)
    assert "--> tests/test_bad.py:2:1" in formatted
