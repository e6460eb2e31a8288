"""Escaping of contributor text for each place it lands. Contributor text is data, never markup.

Markdown pages are rendered with `pymdownx.escapeall`, so a backslash makes any punctuation
literal; `<`, `>` and `&` become entities, so no raw HTML can form.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote

_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_CONTROL = {"Cc", "Cf"}  # control and format (bidi overrides, zero-width) characters


def visible(text: str) -> str:
    """Drop control and bidi-format characters; keep newlines and tabs as spaces."""
    out = []
    for ch in text:
        if ch in "\n\t\r" or unicodedata.category(ch) not in _CONTROL:
            out.append(ch)
    return "".join(out)


def md(text: object) -> str:
    """Inline Markdown text that renders exactly as `text` (one line)."""
    flat = " ".join(visible(str(text)).split())
    out = []
    for ch in flat:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif _MD_PUNCT.match(ch):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def paragraphs(text: object) -> str:
    """Block Markdown: paragraphs (separated by blank lines) kept, everything else literal."""
    parts = re.split(r"\n\s*\n", visible(str(text)).strip())
    return "\n\n".join(md(p) for p in parts if p.strip())


def link_target(url: object) -> str:
    """An https: URL made safe as a Markdown link target; anything else becomes '#'."""
    value = str(url)
    if not value.startswith("https://"):
        return "#"
    return quote(value, safe="/:?#@!$&'*+,;=%~-._[]")


def link(text: object, url: object) -> str:
    return f"[{md(text)}]({link_target(url)})"


def script_json(data: object) -> str:
    """JSON safe to inline in <script>: no '</script>', '<!--' or HTML specials survive."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        raw.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
