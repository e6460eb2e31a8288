"""Escaping of contributor text for each place it lands. Contributor text is data, never markup.

Markdown pages are rendered with `pymdownx.escapeall`, so a backslash makes any punctuation
literal; `<`, `>` and `&` become entities, so no raw HTML can form.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from urllib.parse import quote

import markupsafe

_CONTROL = {"Cc", "Cf"}  # control and format (bidi overrides, zero-width) characters


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Every control and format character but tab, newline and carriage return, as one character class
    (built once, from the Unicode database Python ships)."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in _CONTROL]
    return re.compile("[" + "".join(re.escape(c) for c in chars if c not in "\t\n\r") + "]")


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(text: str) -> str:
    """Drop control and bidi-format characters; keep newlines and tabs as spaces."""
    if text.isprintable():  # the common case, checked in C: no control or format character at all
        return text
    if text.isascii():
        return _ASCII_CONTROL.sub("", text)
    return _invisible().sub("", text)


_MD_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char) or "\\" + char


def md(text: object) -> str:
    """Inline Markdown text that renders exactly as `text` (one line): every ASCII punctuation character
    gets a backslash (escapeall makes it literal), and &, < and > become entities."""
    return _MD_PUNCT.sub(_md_char, " ".join(visible(str(text)).split()))


def paragraphs(text: object) -> str:
    """Block Markdown: paragraphs (separated by blank lines) kept, everything else literal."""
    parts = re.split(r"\n\s*\n", visible(str(text)).strip())
    return "\n\n".join(md(p) for p in parts if p.strip())


def html(text: object) -> str:
    """Text for HTML the theme inserts as it is (the nav's section titles): one line, &, <, > and quotes as
    entities."""
    return str(markupsafe.escape(" ".join(visible(str(text)).split())))


_PRE_ENTITIES = str.maketrans({"`": "&#96;", "~": "&#126;"})


def preformatted(text: object) -> str:
    """Text for a raw <pre> block, lines kept: HTML-escaped, and the backticks and tildes that would open a
    fenced code block (SuperFences reads fences before raw HTML is set aside) as entities."""
    return str(markupsafe.escape(visible(str(text)))).translate(_PRE_ENTITIES)


def link_target(url: object) -> str:
    """An https: URL made safe as a Markdown link target; anything else becomes '#'."""
    value = str(url)
    if not value.startswith("https://"):
        return "#"
    return quote(value, safe="/:?#@!$&'*+,;=%~-._[]")


def link(text: object, url: object) -> str:
    return f"[{md(text)}]({link_target(url)})"


_HTML_FORBIDDEN = re.compile("[\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")  # control characters JSON leaves raw


def script_json(data: object) -> str:
    """JSON safe to inline in <script>: no '</script>', '<!--' or HTML specials survive, and no character
    HTML forbids (DEL, C1 controls, noncharacters; JSON escapes the C0 ones itself)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    raw = _HTML_FORBIDDEN.sub(lambda found: f"\\u{ord(found.group()):04x}", raw)
    return (
        raw.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
