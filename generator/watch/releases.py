"""Which repositories on the Hub are new releases of a family, and the family's watch report.

A family's file says where its releases appear (`watch:` organisations and name patterns). For each
organisation the Hub lists repositories newest first; the watch stops at those created more than LOOKBACK before
the family's newest catalogued release, and passes over what the catalog holds (by `hf_repo`), quantized copies,
adapters, other families' repositories and names the family ignores. What is left is a release the catalog
lacks: the report keeps what its metadata says (catalog/watch/<family>.yaml, shown on the Freshness page).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..catalog import schemafiles
from ..catalog.resolve import Catalog
from ..catalog.scaffold import config_block, invalid_config_keys
from ..catalog.schema import Family, HubWatch, UpstreamRelease, WatchReport
from ..render import escape
from .hub import Hub, HubProblem, Listed

# Repositories are often created (private) weeks before the weights go public, so a release can have an earlier
# creation date than the newest catalogued one: look this far back, and let the catalogued ones be passed over.
LOOKBACK = dt.timedelta(days=30)
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
SHA = re.compile(r"^[0-9a-f]{40}$")
TAG = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,63}$")
PIPELINE = re.compile(r"^[a-z0-9-]{1,64}$")
# Name endings of quantized or converted copies (the Hub's base_model:quantized: tag says so too, when set).
QUANTIZED_NAME = re.compile(
    r"[-_.](gguf|awq|gptq|fp8|fp8-dynamic|int4|int8|w4a16|w8a8|mlx(-[a-z0-9]+)?|bnb(-[a-z0-9]+)?|[248]bit|nvfp4|"
    r"exl2|onnx|openvino)$",
    re.I,
)
GGUF_NAME = re.compile(r"[-_.]gguf$", re.I)


@dataclass
class Release:
    """A new release: the report's entry (`facts`, gathered while the watch reads the Hub) and what a draft needs
    beyond it."""

    facts: dict
    dtypes: dict = field(default_factory=dict)
    hf_config: dict | None = None

    @functools.cached_property
    def entry(self) -> UpstreamRelease:
        """The facts, checked (read once they are all gathered)."""
        return UpstreamRelease.model_validate(self.facts)


@dataclass
class FamilyWatch:
    family_id: str
    report: WatchReport
    releases: list[Release]


def since(catalog: Catalog, family_id: str) -> dt.date | None:
    dates = [e.model.release_date for e in catalog.models_of_family(family_id) if e.model.release_date]
    return max(dates) - LOOKBACK if dates else None


def catalogued(catalog: Catalog) -> set[str]:
    """Every repository the catalog names (official repositories and ready-made downloads), lowercased."""
    repos = {e.model.hf_repo.lower() for e in catalog.models.values() if e.model.hf_repo}
    return repos | {d.repo.lower() for e in catalog.models.values() for d in e.model.downloads}


def _matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


def passed_over(listed: Listed, watch: HubWatch, known: set[str]) -> str | None:
    """Why the repository is not a new release of the family, or None when it is one."""
    if not REPO.fullmatch(listed.repo):
        return "malformed"
    name = listed.repo.split("/", 1)[1]
    if not _matches(name, watch.names):
        return "other-family"
    if _matches(name, watch.ignore):
        return "ignored"
    if listed.repo.lower() in known:
        return "catalogued"
    quantized = any(t.startswith("base_model:quantized:") for t in listed.tags) or "gguf" in listed.tags
    if quantized or QUANTIZED_NAME.search(name) or listed.library == "gguf":
        return "quantized"
    if any(t.startswith("base_model:adapter:") for t in listed.tags) or listed.library == "peft":
        return "adapter"
    return "malformed" if listed.created is None else None


def _gated(value: object) -> str | None:
    return {False: "no", "auto": "auto", "manual": "manual"}.get(value) if isinstance(value, (bool, str)) else None


def _tag(value: object) -> str | None:
    return value if isinstance(value, str) and TAG.fullmatch(value) else None


def facts(listed: Listed) -> dict:
    """The report's entry for a listed repository: each value kept only when it has the shape it should."""
    notes = []
    params = listed.params if isinstance(listed.params, int) and not isinstance(listed.params, bool) else None
    if params is None or params < 1:
        params = None
        notes.append("no safetensors metadata: the parameter count is not known")
    licence = _tag(listed.licence)
    if listed.licence is not None and licence is None:
        notes.append("the card's licence tag is not a licence identifier")
    return {
        "repo": listed.repo,
        "created": listed.created,
        "revision": listed.sha if isinstance(listed.sha, str) and SHA.fullmatch(listed.sha) else None,
        "gated": _gated(listed.gated),
        "licence": licence,
        "licence_name": _tag(listed.licence_name) if licence == "other" else None,
        "pipeline": listed.pipeline
        if isinstance(listed.pipeline, str) and PIPELINE.fullmatch(listed.pipeline)
        else None,
        "params": params,
        "config": None,
        "gguf_repo": None,
        "gguf": [],
        "notes": notes,
    }


def watch_family(hub: Hub, catalog: Catalog, family_id: str, family: Family, today: dt.date) -> FamilyWatch:
    """List the family's organisations and keep what is new; nothing the Hub returns stops the others."""
    start = since(catalog, family_id)
    known = catalogued(catalog)
    skipped: Counter[str] = Counter()
    not_checked: list[dict] = []
    releases: list[Release] = []
    gguf_repos: dict[str, str] = {}  # base repository (lowercased) -> its GGUF repository
    for watch in family.watch:
        try:
            for listed in hub.newest(watch.org, start):
                reason = passed_over(listed, watch, known)
                if reason == "quantized" and GGUF_NAME.search(listed.repo) and REPO.fullmatch(listed.repo):
                    gguf_repos[GGUF_NAME.sub("", listed.repo).lower()] = listed.repo
                if reason is not None:
                    skipped[reason] += 1
                    continue
                releases.append(Release(facts(listed), dict(listed.dtypes) if isinstance(listed.dtypes, dict) else {}))
        except HubProblem as exc:
            not_checked.append({"what": watch.org, "reason": str(exc)})
    for release in releases:
        _read_files(hub, release, gguf_repos)
        release.facts["notes"] = [n[:300] for n in release.facts["notes"]]
    releases.sort(key=lambda r: (-r.facts["created"].toordinal(), r.facts["repo"].lower()))
    report = WatchReport.model_validate(
        {
            "checked": today,
            "since": start,
            "watched": [w.org for w in family.watch],
            "releases": [r.entry for r in releases],
            "skipped": dict(sorted(skipped.items())),
            "not_checked": not_checked,
        }
    )
    return FamilyWatch(family_id, report, releases)


def _read_files(hub: Hub, release: Release, gguf_repos: dict[str, str]) -> None:
    """config.json at the listed revision, and the publisher's GGUF files of it, into the release."""
    found, notes = release.facts, release.facts["notes"]
    if found["revision"] is None:
        notes.append("the listing gave no revision: config.json not read")
    else:
        try:
            hf = hub.config(found["repo"], found["revision"])
            if not any(k in hf for k in ("num_hidden_layers", "n_layer", "num_layers")) and isinstance(
                hf.get("text_config"), dict
            ):
                hf = hf["text_config"]  # a multimodal model: the language model's numbers
            found["config"] = config_block(hf, skip_invalid=True) or None
            release.hf_config = hf
            if left := invalid_config_keys(hf):
                notes.append(f"config.json values of another shape, left for a person: {', '.join(left)}")
        except HubProblem as exc:
            notes.append(str(exc))
    gguf = gguf_repos.get(found["repo"].lower())
    if gguf is not None:
        found["gguf_repo"] = gguf
        try:
            found["gguf"] = [
                {"name": path, "bytes": size}
                for path, size in hub.files(gguf)
                if path.lower().endswith(".gguf") and size > 0 and len(path) <= 300
            ]
        except HubProblem as exc:
            notes.append(f"{gguf}: {exc}")


def report_text(found: FamilyWatch, catalog_root: Path) -> str:
    """The family's report as the YAML file catalog/watch/<family>.yaml holds."""
    path = catalog_root / "watch" / f"{found.family_id}.yaml"
    data = found.report.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("since", None)
    head = schemafiles.line_for(path, "watch", catalog_root)
    note = "# What the last watch found on the Hugging Face Hub, written by `python -m generator watch`. Do not edit."
    return f"{head}\n{note}\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def summary(found: FamilyWatch, drafted: list[str]) -> str:
    """Markdown for the family's pull request: the new releases, what was drafted, what was not checked."""
    r = found.report
    lines = [f"The watch of {r.checked.isoformat()} listed {', '.join(escape.md(o) for o in r.watched)} on the "
             "Hugging Face Hub" + (f" from {r.since.isoformat()} on" if r.since else "") + "."]  # fmt: skip
    if r.releases:
        lines += ["", "| Repository | Created | Gated | Licence tag | Parameters |", "|---|---|---|---|--:|"]
        for e in r.releases:
            params = f"{e.params / 1e9:.2f} B" if e.params else "unknown"
            lines.append(f"| {escape.link(e.repo, f'https://huggingface.co/{e.repo}')} | "
                         f"{e.created.isoformat()} | {e.gated or 'unknown'} | {escape.md(e.licence or 'none')} | "
                         f"{params} |")  # fmt: skip
    else:
        lines += ["", "No new release."]
    if drafted:
        lines += ["", "Drafted (finish each as CONTRIBUTING.md says, under *Finishing a drafted model*):", ""]
        lines += [f"- {escape.md(d)}" for d in drafted]
    if r.not_checked:
        lines += ["", "Not checked:", ""] + [f"- {escape.md(n.what)}: {escape.md(n.reason)}" for n in r.not_checked]
    return "\n".join(lines) + "\n"
