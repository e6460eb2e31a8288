"""The Jinja environment every page is rendered with, and `Renderer`, which renders one template as one page.

All markup lives in the templates (render/templates/). Every `{{ value }}` is escaped as Markdown text
unless a filter below marked it `Safe` (links, paragraphs, internal paths it built itself), so contributor
text can never become markup by accident. Templates see `url` (routes: every page's path), `href` and
`internal` (links relative to the page being rendered), `catalog`, `benchmarks` and `hardware`.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markupsafe
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import routes
from ..catalog.fields import BENCHMARKS
from ..catalog.resolve import Catalog
from ..model import hardware
from . import escape
from . import format as fmt

TEMPLATES = Path(__file__).parent / "templates"

# Markdown the generator built itself (or a template macro produced from escaped parts): emitted as is.
Safe = Markup


def verbatim(value: object) -> Safe:
    """For code spans and blocks, where escapes do not apply: only values of a plain shape."""
    text = str(value)
    if not re.fullmatch(r"[A-Za-z0-9._/:-]+", text):
        raise ValueError(f"{text!r} cannot be shown as code")
    return Safe(text)


def command(value: object) -> Safe:
    """A generated command line in a code span: words of a plain shape separated by spaces (no backtick, pipe or
    newline can reach it: repositories and quantizations are schema-checked names)."""
    text = str(value)
    if not re.fullmatch(r"[A-Za-z0-9._/:=-]+( [A-Za-z0-9._/:=-]+)*", text):
        raise ValueError(f"{text!r} cannot be shown as a command")
    return Safe(text)


def code_block(text: str, indent: int) -> Safe:
    """Contributor text inside a fenced code block, where Markdown does not apply: indented, literal.
    The schema forbids backticks in it, so it cannot close the fence."""
    if "`" in text:
        raise ValueError("a code block cannot hold backticks")
    return Safe("\n".join((" " * indent + line).rstrip() for line in text.strip("\n").splitlines()))


def inline_svg(svg: str) -> Markup:
    """An SVG drawing the generator rendered itself (text escaped by the browser's serialiser), on one line."""
    if not svg.startswith("<svg") or "<script" in svg.lower():
        raise ValueError("not a generated SVG drawing")
    return Markup(svg)


def _finalize(value: object) -> Markup:
    """Applied to every {{ value }}: Markdown-escape it unless it is already Safe."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("unknown")
    return Markup(escape.md(value))


def environment(template_cache: Path | None = None) -> Environment:
    """The Jinja environment of every page; `template_cache` keeps compiled templates between builds."""
    if template_cache is not None:
        template_cache.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=FileSystemBytecodeCache(str(template_cache)) if template_cache is not None else None,
        undefined=StrictUndefined,
        # Autoescape marks macro output as safe; _finalize escapes every other value as Markdown
        # text (it runs first, so the HTML escaper then leaves its Markup alone).
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=lambda v: Safe(escape.md(v)),
        para=lambda v: Safe(escape.paragraphs(v)),
        link=lambda text, url: Safe(escape.link(text, url)),
        cell=lambda v: Safe(escape.md(v)),
        params=fmt.params,
        context=fmt.context,
        yesno=fmt.yes_no,
        host=fmt.host,
        verbatim=verbatim,
        command=command,
        size_class=fmt.size_class,
        html=lambda v: Markup(markupsafe.escape(escape.visible(str(v)))),  # control characters dropped too
        pre=lambda v: Markup(escape.preformatted(v)),
        svg=inline_svg,
        code_block=code_block,
        tab_label=lambda v: Safe(escape.md(v).replace('"', "'")),
        gb=fmt.gb,
    )
    env.globals.update(url=routes, benchmarks=BENCHMARKS, hardware=hardware, edit_fields=fmt.edit_fields)
    return env


class Renderer:
    """Renders a template as one page of the site, with links relative to that page."""

    def __init__(self, catalog: Catalog, template_cache: Path | None = None):
        self.catalog = catalog
        self.env = environment(template_cache)

    def __call__(self, template: str, page: str, **context: object) -> tuple[str, str]:
        here = posixpath.dirname(page)

        def href(target: str, anchor: str = "") -> Safe:
            return Safe(posixpath.relpath(target, here or ".") + (f"#{anchor}" if anchor else ""))

        def internal(text: object, target: str, anchor: str = "") -> Safe:
            return Safe(f"[{escape.md(text)}]({href(target, anchor)})")

        text = self.env.get_template(template).render(
            catalog=self.catalog, href=href, internal=internal, page=page, **context
        )
        return page, text
