"""Running MkDocs: `run_mkdocs` builds the generated docs strictly into a staging folder in this process,
and `swap_in` makes that folder the site in one step, so a failed or killed build leaves the previous site.
`site_addresses` reads mkdocs.yml's site_url and repo_url for the pages that link out."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..render.inputs import SiteAddresses


class SiteBuildFailed(Exception):
    """MkDocs refused the generated docs (e.g. a broken link under --strict)."""


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its plain settings; tags such as !relative are read as null."""


_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_addresses(root: Path) -> SiteAddresses:
    """site_url and repo_url from mkdocs.yml (the feed's absolute links, commit links, the offline zip's link)."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except (OSError, yaml.YAMLError):
        config = {}
    config = config if isinstance(config, dict) else {}
    found = {key: (str(config[key]).rstrip("/") + "/" if config.get(key) else None) for key in ("site_url", "repo_url")}
    return SiteAddresses(**found)


class _Collected(logging.Handler):
    """The warnings and errors MkDocs logs during one build, for SiteBuildFailed's message."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextlib.contextmanager
def _pregenerated() -> Iterator[None]:
    """The hook must not generate again: docs/ was generated a moment ago by this process."""
    before = {k: os.environ.get(k) for k in ("ATLAS_PREGENERATED", "NO_MKDOCS_2_WARNING")}
    os.environ.update(ATLAS_PREGENERATED="1", NO_MKDOCS_2_WARNING="1")
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_mkdocs(root: Path, dest: Path) -> None:
    """`mkdocs build --strict` of the generated docs into `dest` (removed on failure). Raises SiteBuildFailed.

    It runs in this process, as `mkdocs build` would (startup, build, shutdown events): the generator's
    modules, which the hook and the macros use, are loaded once per build instead of twice."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(dest, ignore_errors=True)
    collected = _Collected()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    try:
        with _pregenerated():
            config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(dest))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except Exception as exc:  # any failure of the build is reported as a message, never a traceback
        shutil.rmtree(dest, ignore_errors=True)
        output = "\n".join([*collected.messages, str(exc)])
        # A guide's macro naming something the catalog lacks: its own message (page and call), not the
        # traceback mkdocs-macros logs around it.
        macro_errors = sorted(set(re.findall(r"MacroError: (.+)", output)))
        raise SiteBuildFailed("\n".join(macro_errors) or output) from None
    finally:
        logger.removeHandler(collected)


AT_FDCWD, RENAME_EXCHANGE = -100, 2  # linux/fcntl.h, linux/fs.h


def swap_in(staging: Path, site_dir: Path) -> None:
    """Make `staging` the site folder. On Linux one renameat2(RENAME_EXCHANGE) swaps the two folders, so at
    no moment is there no site folder, whenever the build is killed; the old one is then removed from where
    the new one was. Elsewhere: two renames, with a moment between them without a site folder."""
    if site_dir.exists():
        exchange = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
        paths = (os.fsencode(staging), os.fsencode(site_dir))
        if exchange is not None and exchange(AT_FDCWD, paths[0], AT_FDCWD, paths[1], RENAME_EXCHANGE) == 0:
            shutil.rmtree(staging, ignore_errors=True)
            return
        retired = site_dir.with_name(site_dir.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        site_dir.rename(retired)
        staging.rename(site_dir)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(site_dir)
