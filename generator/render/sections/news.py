"""What's new: the latest catalog changes as a reader says them (a model added, a fact corrected from one
value to another, each linked to its page), newest first, and the same as an Atom feed. Commits that
changed no catalog fact are left out."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree as ET

from ... import routes
from ...catalog.edits import Edit
from ...catalog.history import Commit
from .. import escape
from ..format import edit_fields
from ..inputs import Inputs
from ..jinja import Renderer

NEWS_COMMITS = 50  # commits on the What's new page and in its feed
KIND_WORDS = {"models": "model", "families": "family", "licences": "licence", "hardware": "machine",
              "prices": "price", "runtimes": "runtime", "suites": "suite", "runs": "run", "glossary": "glossary"}  # fmt: skip
ATOM = "http://www.w3.org/2005/Atom"


def edit_line(edit: Edit) -> str:
    """One change as plain text (the feed's entries)."""
    what = f"{edit.action.capitalize()} {KIND_WORDS.get(edit.kind, edit.kind)} {edit.name}"
    return f"{what}: {edit_fields(edit)}" if edit.fields else what


def feed(inputs: Inputs, commits: list[tuple[Commit, list[Edit]]]) -> str:
    """Atom 1.0: one entry per catalog commit; without history, an empty feed dated by the catalog."""
    site = inputs.site.site_url or ""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = escape.visible(text)
        return node

    root = ET.Element(f"{{{ATOM}}}feed")
    add(root, "title", "Open LLM Atlas: what's new in the catalog")
    add(root, "id", f"{site}{routes.FEED}" if site else "tag:open-llm-atlas.github.io,2024:feed")
    add(root, "link", rel="self", href=f"{site}{routes.FEED}")
    add(root, "link", rel="alternate", href=f"{site}{routes.html(routes.WHATS_NEW)}")
    models = inputs.catalog.models.values()
    newest = (
        commits[0][0].date.isoformat()
        if commits
        else f"{max((e.model.verified for e in models), default='1970-01-01')}T00:00:00Z"
    )
    add(root, "updated", newest)
    add(add(root, "author"), "name", "Open LLM Atlas contributors")
    for commit, edits in commits:
        entry = add(root, "entry")
        add(entry, "title", commit.subject)
        add(entry, "id", inputs.commit_url(commit) or f"tag:open-llm-atlas.github.io,2024:commit-{commit.sha}")
        add(entry, "link", rel="alternate", href=f"{site}{routes.html(routes.WHATS_NEW)}#commit-{commit.short}")
        add(entry, "updated", commit.date.isoformat())
        add(entry, "content", "\n".join(edit_line(e) for e in edits), type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    history = inputs.history.commits if inputs.history else []
    commits = [(c, inputs.edits[c.sha]) for c in history if inputs.edits.get(c.sha)][:NEWS_COMMITS]
    yield render("whats-new.md.j2", routes.WHATS_NEW, commits=commits, has_history=inputs.history is not None,
                 page_of=inputs.page_of, commit_url=inputs.commit_url, kinds=KIND_WORDS)  # fmt: skip
    yield routes.FEED, feed(inputs, commits)
