"""MkDocs hook: a thin adapter so `mkdocs build` and `mkdocs serve` run the generator.

- on_config (first of all plugins' on_config, so before the macros plugin imports the generator): stop with
  one line per missing prerequisite (prerequisites.py) as MkDocs' one "Error: ..." line; then generate
  docs/ from catalog/ (skipped when ATLAS_PREGENERATED=1, which site/engine.py sets when it runs MkDocs
  right after generating; the engine's own prerequisites are still checked), expand each generated section
  of mkdocs.yml's nav with the pages the generator lists, and hand the catalog's edition to the PDF's cover.
  The generator's heavy modules are imported only then, so a half set-up checkout gets the lines, not a
  traceback.
- on_post_page: give each page its Content-Security-Policy (csp.py), and squeeze the blank runs,
  repeated abbreviation titles and inline cell alignments out of its HTML (minify.py).
- on_post_template, on_post_build: the policy for the pages rendered outside on_post_page (404.html, and
  the print-site plugin's print page, which it writes in its own post_build; hooks run after plugins).
- on_serve: also watch catalog/ and the templates, so editing a YAML file rebuilds the site.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent.parent  # mkdocs.yml loads this file by path, not as a package
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator import prerequisites, routes  # noqa: E402
from generator.site import csp  # noqa: E402
from generator.site.minify import aligned_cells, first_abbreviations, squeeze  # noqa: E402


def _expand(items: list, sections: dict[str, list]) -> list:
    out = []
    for item in items:
        if isinstance(item, dict):
            (title, value), *_ = item.items()
            if isinstance(value, str) and value in sections:
                out.append({title: sections[value]})
            elif isinstance(value, list):
                out.append({title: _expand(value, sections)})
            else:
                out.append(item)
        else:
            out.append(item)
    return out


@event_priority(100)
def on_config(config):
    docs = Path(config["docs_dir"])
    root = docs.parent
    pregenerated = os.environ.get("ATLAS_PREGENERATED") == "1"
    stages = frozenset({prerequisites.MKDOCS}) if pregenerated else prerequisites.SITE
    if lines := prerequisites.missing(routes.ROOT, stages):
        untouched = "site/ is as it was" if pregenerated else "docs/ and site/ are as they were"
        raise PluginError("\n".join([*lines, f"nothing was written: {untouched}"]))
    if not pregenerated:
        from generator.build import generate
        from generator.catalog.load import CatalogInvalid

        try:
            generate(root)
        except CatalogInvalid as exc:
            raise PluginError("the catalog is invalid:\n" + "\n".join(map(str, exc.problems))) from None
    edition_file = docs / routes.EDITION
    if edition_file.is_file():  # the PDF's cover (overrides/print-cover.html) shows it
        config["extra"]["atlas_edition"] = json.loads(edition_file.read_text(encoding="utf-8"))
    nav_file = docs / routes.NAV
    if config.get("nav") and nav_file.is_file():
        config["nav"] = _expand(config["nav"], json.loads(nav_file.read_text(encoding="utf-8")))
    return config


def on_post_page(output, page, config):
    return squeeze(aligned_cells(first_abbreviations(csp.protect(output))))


def on_post_template(output, template_name, config):
    return csp.protect(output) if template_name.endswith(".html") else output  # 404.html


def on_post_build(config):
    print_page = Path(config["site_dir"]) / routes.PRINT_PAGE  # written by the print-site plugin's own post_build
    if print_page.is_file():
        print_page.write_text(csp.protect(print_page.read_text(encoding="utf-8")), encoding="utf-8")


def on_serve(server, config, builder):
    root = Path(config["docs_dir"]).parent
    server.watch(str(root / "catalog"))
    server.watch(str(root / "generator" / "render" / "templates"))
    return server
