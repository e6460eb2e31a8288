"""The catalog's edition: the date and version a reader can cite (the home page, the PDF's cover).

The date is that of the newest commit touching catalog/; the version is the project's version plus that
commit's short hash, marked "-modified" when catalog/ has uncommitted changes. Without git history (a
tarball, a shallow clone) the date is SOURCE_DATE_EPOCH's when set, else the newest date the catalog itself
states (a release, a check of the facts, a run, a price), and the version is the project's alone: never
the build machine's clock.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .history import History, build_epoch, catalog_modified
from .resolve import Catalog


@dataclass(frozen=True)
class Edition:
    date: dt.date
    version: str
    commit: str | None  # full hash of the newest catalog commit, when known

    def summary(self, catalog: Catalog) -> dict[str, object]:
        """What the PDF's cover shows (overrides/print-cover.html reads it from .atlas-edition.json)."""
        return {
            "date": self.date.isoformat(),
            "version": self.version,
            "commit": self.commit,
            "models": len(catalog.models),
            "families": len(catalog.families),
            "licences": len(catalog.licences),
            "runs": len(catalog.runs) + len(catalog.harness_runs),
        }


def project_version(root: Path) -> str:
    try:
        return str(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return "unversioned"


def newest_stated_date(catalog: Catalog) -> dt.date | None:
    dates = [d for e in catalog.models.values() for d in (e.model.release_date, e.model.verified) if d]
    dates += [r.date.date() for r in catalog.runs.values()] + [h.date.date() for h in catalog.harness_runs.values()]
    dates += [p.as_of for p in catalog.prices.values() if p.as_of]
    return max(dates, default=None)


def edition_of(catalog: Catalog, history: History | None, root: Path) -> Edition:
    version = project_version(root)
    if history and history.commits:
        newest = history.commits[0]
        suffix = "-modified" if catalog_modified(root) else ""
        return Edition(newest.date.date(), f"{version}+{newest.short}{suffix}", newest.sha)
    epoch = build_epoch()
    if epoch is not None:
        return Edition(dt.datetime.fromtimestamp(epoch, dt.UTC).date(), version, None)
    return Edition(newest_stated_date(catalog) or dt.date(1970, 1, 1), version, None)
