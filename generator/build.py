"""The short orchestrator: catalog -> checks -> pages and exports -> files under docs/.

Everything is rendered in memory first; docs/ is touched only when the whole catalog is valid
and every page rendered, and then only files whose bytes changed are rewritten (so MkDocs'
live reload sees real changes only). Generated paths are owned by the generator: a stale file
in them is removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import charts, costs, schemafiles, selector, trees
from .checks import run_checks
from .edition import edition_of
from .exports import all_exports
from .history import commit_time, read_history
from .load import Problem
from .pages import Pages
from .performance import read_results
from .records import read_catalog
from .resolve import Catalog, resolve
from .schema import BenchmarkResults

ROOT = Path(__file__).resolve().parent.parent
GENERATED_DIRS = ("models", "licences", "api", "hardware", "charts", "use-cases", "runtimes", "runs")
CHART_CACHE = Path(".atlas-cache") / "charts"
TREE_CACHE = Path(".atlas-cache") / "trees"
PARSE_CACHE = Path(".atlas-cache") / "parsed"
TEMPLATE_CACHE = Path(".atlas-cache") / "templates"  # compiled Jinja templates
GENERATED_FILES = (
    "index.md", "selector.md", "cost.md", "glossary.md", "feed.xml", ".atlas-abbreviations.md", ".atlas-nav.json",
    ".atlas-edition.json", "engineering/performance.md",
)  # fmt: skip


class SiteBuildFailed(Exception):
    """MkDocs refused the generated docs (e.g. a broken link under --strict)."""


class CatalogInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int
    removed: int


def load_catalog(
    catalog_dir: Path, display_root: Path | None = None, parse_cache: Path | None = None
) -> tuple[Catalog, list[Problem]]:
    """Read, validate, resolve and check; every problem found, sorted by file and line."""
    authored = read_catalog(catalog_dir, display_root, parse_cache)
    catalog = resolve(authored)
    base = display_root if display_root is not None else catalog_dir.parent
    problems = authored.problems + run_checks(authored, catalog)
    problems += schemafiles.line_problems(catalog_dir, base) + schemafiles.stale(catalog_dir, base)
    return catalog, sorted(set(problems))


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its plain settings; tags such as !relative are read as null."""


_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_settings(root: Path) -> dict[str, str | None]:
    """site_url and repo_url from mkdocs.yml (the feed's absolute links, commit links, the offline zip's link)."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except (OSError, yaml.YAMLError):
        config = {}
    config = config if isinstance(config, dict) else {}
    return {key: (str(config[key]).rstrip("/") + "/" if config.get(key) else None) for key in ("site_url", "repo_url")}


def render(catalog: Catalog, cache_root: Path, results: BenchmarkResults | None = None) -> dict[str, str | bytes]:
    """Every generated file of the project at `cache_root` (its caches, git history and mkdocs.yml), with the
    benchmark results `make bench` recorded, if any."""
    ranking_data = selector.selector_data(catalog)
    cost_inputs = costs.inputs(catalog)
    figures, svgs, _report = charts.build(catalog, ranking_data, cost_inputs, cache_root / CHART_CACHE)
    decision_trees = trees.trees(catalog, ranking_data)
    tree_svgs = trees.render(decision_trees, cache_root / TREE_CACHE)
    history = read_history(cache_root)
    edition = edition_of(catalog, history, cache_root)
    pages = Pages(catalog, ranking_data, figures, [(t, tree_svgs[t.name]) for t in decision_trees], cost_inputs,
                  history=history, site=site_settings(cache_root), edition=edition,
                  template_cache=cache_root / TEMPLATE_CACHE, results=results)  # fmt: skip
    files: dict[str, str | bytes] = {f"charts/{name}.svg": svg for name, svg in svgs.items()}
    files.update(pages.all())
    files.update(all_exports(catalog))
    files[".atlas-nav.json"] = json.dumps(pages.nav(), indent=1, sort_keys=True) + "\n"
    files[".atlas-edition.json"] = json.dumps(edition.summary(catalog), indent=1, sort_keys=True) + "\n"
    return files


def write_generated(files: dict[str, str | bytes], docs_dir: Path) -> Written:
    changed = unchanged = removed = 0
    for rel, text in sorted(files.items()):
        target = docs_dir / rel
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed += 1
    wanted = {docs_dir / rel for rel in files}
    for folder in GENERATED_DIRS:
        for path in sorted((docs_dir / folder).rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return Written(changed, unchanged, removed)


def pin_build_date(root: Path) -> None:
    """SOURCE_DATE_EPOCH from the checked-out commit, unless it is set already. Every date the build shows
    that is not a fact (the freshness page's 'today', the sitemap's, the edition's without history) is then
    the commit's, and two builds of one commit are byte-identical. Outside git the clock stays."""
    if "SOURCE_DATE_EPOCH" not in os.environ and (epoch := commit_time(root)) is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def generate(root: Path = ROOT) -> Written:
    """Validate the catalog under `root` and write the generated docs. Raises CatalogInvalid."""
    pin_build_date(root)
    catalog, problems = load_catalog(root / "catalog", root, root / PARSE_CACHE)
    results, result_problems = read_results(root)
    if problems or result_problems:
        raise CatalogInvalid(problems + result_problems)
    return write_generated(render(catalog, root, results), root / "docs")


class _Collected(logging.Handler):
    """The warnings and errors MkDocs logs during one build, for SiteBuildFailed's message."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextlib.contextmanager
def _pregenerated():
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


def build_site(root: Path = ROOT, site_dir: Path | None = None) -> Written:
    """Generate, build with MkDocs (strict) into a temporary folder, then swap it in.

    A failure at any stage leaves the previous site folder exactly as it was.
    """
    site_dir = site_dir or root / "site"
    written = generate(root)
    staging = site_dir.with_name(site_dir.name + ".tmp")
    run_mkdocs(root, staging)
    swap_in(staging, site_dir)
    return written
