"""The Hugging Face Hub, through huggingface_hub: an organisation's newest repositories, a repository's config.json
and the files of a GGUF repository.

The library retries 429 and 5xx answers (and dropped connections) with exponential backoff, honouring the Hub's
Retry-After; an answer that still fails, or cannot be read, becomes a HubProblem whose message is one sentence for
the report, never a traceback. Nothing here trusts what the Hub returns: callers check every value's shape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx2
from huggingface_hub import HfApi
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)
from huggingface_hub.hf_api import ExpandModelProperty_T, RepoFile
from huggingface_hub.utils import build_hf_headers, hf_raise_for_status, http_backoff

# What a listing asks the Hub to include for each repository (the `expand` parameter).
EXPANDED: list[ExpandModelProperty_T] = [
    "createdAt",
    "gated",
    "cardData",
    "pipeline_tag",
    "tags",
    "safetensors",
    "sha",
    "library_name",
]
MOST_LISTED = 1000  # repositories read per organisation at most, newest first
TIMEOUT_S = 30


class HubProblem(Exception):
    """A question the Hub did not answer; the message says which and why, in one sentence."""


@dataclass(frozen=True)
class Listed:
    """One repository as the organisation's listing gave it; None where the Hub said nothing."""

    repo: str
    created: dt.date | None
    sha: str | None
    gated: object  # False, "auto" or "manual" when well formed
    licence: object
    licence_name: object
    pipeline: object
    tags: tuple[str, ...]
    library: object
    params: object  # safetensors total
    dtypes: dict = field(default_factory=dict)  # safetensors parameters by dtype


def _why(exc: Exception) -> str:
    """The reason a request failed, as a short phrase."""
    if isinstance(exc, GatedRepoError):
        return "it is gated: accepting its terms and setting HF_TOKEN would let the watch read it"
    if isinstance(exc, RepositoryNotFoundError):
        return "the Hub says it does not exist (or it is private)"
    if isinstance(exc, EntryNotFoundError):
        return "the file is not in the repository"
    if isinstance(exc, OfflineModeIsEnabled):
        return "HF_HUB_OFFLINE is set"
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else None
        return f"the Hub answered HTTP {status}" + (" after every retry" if status in (429, 500, 502, 503, 504) else "")
    if isinstance(exc, httpx2.HTTPError):
        return f"no answer from the Hub ({type(exc).__name__})"
    return f"the Hub's answer could not be read ({type(exc).__name__})"


# Failures of one request; anything else is a bug in the watch and should be seen as one.
FAILURES = (HfHubHTTPError, OfflineModeIsEnabled, httpx2.HTTPError, OSError, ValueError, TypeError, KeyError,
            AttributeError)  # fmt: skip


class Hub:
    def __init__(self, endpoint: str | None = None, token: str | None = None):
        self.api = HfApi(endpoint=endpoint, token=token)
        self.endpoint = self.api.endpoint.rstrip("/")
        self.token = token

    def newest(self, org: str, since: dt.date | None) -> Iterator[Listed]:
        """The organisation's repositories created on or after `since`, newest first. Raises HubProblem when the
        listing fails (the repositories read before the failure have been yielded)."""
        try:
            listing = self.api.list_models(author=org, sort="created_at", expand=EXPANDED, limit=MOST_LISTED)
            count = 0
            for info in listing:
                count += 1
                listed = _listed(info)
                if since is not None and listed.created is not None and listed.created < since:
                    return
                yield listed
            if count == 0 and not self.exists(org):
                raise HubProblem("no organisation or user of that name on the Hub (renamed or removed?)")
        except FAILURES as exc:
            raise HubProblem(f"listing its repositories failed: {_why(exc)}") from None

    def exists(self, org: str) -> bool:
        """Whether the name is an organisation or a user on the Hub (an empty listing does not say). The Hub
        answers 404 for a name it does not know, or 401 to a request without a token."""
        for ask in (self.api.get_organization_overview, self.api.get_user_overview):
            try:
                ask(org)
                return True
            except HfHubHTTPError as exc:
                if exc.response is None or exc.response.status_code not in (401, 404):
                    raise
        return False

    def config(self, repo: str, revision: str) -> dict:
        """config.json at a revision, as a JSON object."""
        url = f"{self.endpoint}/{repo}/resolve/{revision}/config.json"
        try:
            response = http_backoff("GET", url, headers=build_hf_headers(token=self.token), timeout=TIMEOUT_S)
            hf_raise_for_status(response)
        except FAILURES as exc:
            raise HubProblem(f"config.json could not be read: {_why(exc)}") from None
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            raise HubProblem(f"config.json is not valid JSON ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise HubProblem("config.json is not a JSON object")
        return data

    def files(self, repo: str) -> list[tuple[str, int]]:
        """(path, bytes) of every file in the repository."""
        try:
            entries = list(self.api.list_repo_tree(repo, recursive=True))
        except FAILURES as exc:
            raise HubProblem(f"its file list could not be read: {_why(exc)}") from None
        return [(e.path, e.size) for e in entries if isinstance(e, RepoFile) and isinstance(e.size, int)]


def _listed(info: object) -> Listed:
    card = getattr(info, "card_data", None)
    safetensors = getattr(info, "safetensors", None)
    created = getattr(info, "created_at", None)
    tags = getattr(info, "tags", None) or ()
    return Listed(
        repo=str(getattr(info, "id", "")),
        created=created.date() if isinstance(created, dt.datetime) else None,
        sha=getattr(info, "sha", None),
        gated=getattr(info, "gated", None),
        licence=card.get("license") if card is not None else None,
        licence_name=card.get("license_name") if card is not None else None,
        pipeline=getattr(info, "pipeline_tag", None),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        library=getattr(info, "library_name", None),
        params=getattr(safetensors, "total", None),
        dtypes=dict(getattr(safetensors, "parameters", None) or {}),
    )
