"""What's new: the latest catalog commits, each file linked to its page, and the same as an Atom feed."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree as ET

from ... import routes
from ...catalog.history import Commit
from .. import escape
from ..inputs import Inputs
from ..jinja import Renderer

NEWS_COMMITS = 50  # commits on the What's new page and in its feed
FILE_VERBS = {"A": "added", "M": "changed", "D": "removed"}
ATOM = "http://www.w3.org/2005/Atom"


def feed(inputs: Inputs, commits: list[Commit]) -> str:
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
        commits[0].date.isoformat()
        if commits
        else f"{max((e.model.verified for e in models), default='1970-01-01')}T00:00:00Z"
    )
    add(root, "updated", newest)
    add(add(root, "author"), "name", "Open LLM Atlas contributors")
    for commit in commits:
        entry = add(root, "entry")
        add(entry, "title", commit.subject)
        add(entry, "id", inputs.commit_url(commit) or f"tag:open-llm-atlas.github.io,2024:commit-{commit.sha}")
        add(entry, "link", rel="alternate", href=f"{site}{routes.html(routes.WHATS_NEW)}#commit-{commit.short}")
        add(entry, "updated", commit.date.isoformat())
        files = [f"{FILE_VERBS.get(status, 'changed')} {path}" for status, path in commit.files]
        add(entry, "content", "\n".join(files), type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def pages(inputs: Inputs, render: Renderer) -> Iterator[tuple[str, str]]:
    commits = inputs.history.commits[:NEWS_COMMITS] if inputs.history else []
    yield render("whats-new.md.j2", routes.WHATS_NEW, commits=commits, has_history=inputs.history is not None,
                 page_of=inputs.page_of, commit_url=inputs.commit_url, verbs=FILE_VERBS)  # fmt: skip
    yield routes.FEED, feed(inputs, commits)
