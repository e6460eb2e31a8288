"""generator/routes.py is the one place that knows the site's shape: git ignores exactly the paths under
docs/ that it says the generator writes, and no other module or template spells a site path by hand."""

from __future__ import annotations

import ast
import re
import subprocess

from helpers import ROOT

from generator import routes

GENERATOR = ROOT / "generator"
GITIGNORE = ROOT / ".gitignore"


def ignored(paths: list[str]) -> dict[str, bool]:
    """Whether git ignores each path (relative to the project root), by the project's .gitignore."""
    done = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "--verbose", "--non-matching", *paths],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr  # 1: none of them is ignored
    verdicts = {}
    for line in done.stdout.splitlines():
        source, path = line.split("\t", 1)
        verdicts[path] = source != "::"  # "::" is check-ignore's "no pattern matched"
    return verdicts


def test_git_ignores_every_path_the_generator_writes_under_docs():
    """A file inside each generated folder, and each generated file: a generated page can never be committed
    by mistake (a tracked file would show as not ignored)."""
    wanted = [f"docs/{folder}/any/page.md" for folder in routes.GENERATED_DIRS]
    wanted += [f"docs/{name}" for name in routes.GENERATED_FILES]
    verdicts = ignored(wanted)
    assert [path for path in wanted if not verdicts[path]] == []


def test_git_ignores_nothing_else_under_docs():
    """Every .gitignore line under docs/ is a path routes generates, so a hand-written page is never hidden
    from git and a path routes dropped leaves no stale line."""
    lines = [line.strip() for line in GITIGNORE.read_text(encoding="utf-8").splitlines()]
    under_docs = [line.lstrip("/").removeprefix("docs/") for line in lines if line.lstrip("/").startswith("docs/")]
    assert under_docs, ".gitignore lists no generated path under docs/"
    strays = [
        line
        for line in under_docs
        if not (line.endswith("/") and line.rstrip("/") in routes.GENERATED_DIRS) and line not in routes.GENERATED_FILES
    ]
    assert strays == [], "listed in .gitignore but not generated (routes.GENERATED_DIRS, GENERATED_FILES)"
    hand_written = ignored([p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md")
                            if not routes.generated(p.relative_to(ROOT / "docs").as_posix())])  # fmt: skip
    assert [path for path, hidden in hand_written.items() if hidden] == []


# ---------------------------------------------------------------- no site path spelt outside routes.py

# A site path is a literal that, after any leading "./" or "../", starts with a folder the generator writes
# (routes.GENERATED_DIRS) and a slash, or that ends in a page's suffix (".md", its source under docs/, or
# ".html", its published address) after a name. Python: every string constant but docstrings (comments are
# not constants), f-strings' literal parts included. Templates: the quoted strings inside {{ }} and {% %},
# and the link targets written into the page (Markdown "](…)", HTML href="…" and src="…") that are not an
# expression, an anchor or another site's https: address. Jinja comments are left out.
SECTION = re.compile(rf"^(?:\.\.?/)*(?:{'|'.join(map(re.escape, routes.GENERATED_DIRS))})/")
PAGE = re.compile(r"[\w}]\.(?:md|html)$")
TEMPLATE_STRING = re.compile(r"""(["'])((?:(?!\1).)*)\1""")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LINK = re.compile(r"""\]\(([^)\s]+)\)|\b(?:href|src)=["']([^"']+)["']""")

# Literals that look like site paths and are not, each with its reason (module, literal).
NOT_SITE_PATHS = {
    ("catalog/authored.py", "models/*"): "the catalog's own models/ folder (a glob under catalog/), not the site's",
    ("__main__.py", "{}.md"): "watch --summary: a pull request's text, <family>.md in a folder the workflow names",
    ("watch/draft.py", "{}/{}/blob/{}/README.md"): "a model card on the Hugging Face Hub (a draft's source)",
}
# Site paths spelt by hand that should ask routes instead: reported to the generator's owners. The test
# fails when one is gone, so the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {}  # site paths still spelt by hand, each with its fix (none now)


def site_path(text: str) -> bool:
    return bool(SECTION.search(text) or PAGE.search(text))


def docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str)
    }  # fmt: skip


def python_literals(source: str) -> list[tuple[int, str]]:
    """Every string constant but docstrings; an f-string as one text, "{}" where each value goes."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
            found.append((node.lineno, "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found.append((node.lineno, node.value))
    return found


def template_literals(source: str) -> list[tuple[int, str]]:
    """The quoted strings inside {{ }} and {% %}, and the link targets the page gets that are not an
    expression, an anchor or another site's address (each expression in them as "{{}}")."""
    text = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    found = []
    for tag in JINJA.finditer(text):
        line = text.count("\n", 0, tag.start()) + 1
        found += [(line, m.group(2)) for m in TEMPLATE_STRING.finditer(tag.group())]
    page = JINJA.sub("{{}}", text)
    for link in LINK.finditer(page):
        target = link.group(1) or link.group(2)
        if not target.startswith(("{{", "#", "https:", "http:", "mailto:")):
            found.append((page.count("\n", 0, link.start()) + 1, target))
    return found


def spelt_site_paths() -> dict[tuple[str, str], list[int]]:
    """(module or template under generator/, literal) -> the lines it is on, for every site path found."""
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted(GENERATOR.rglob("*")):
        rel = path.relative_to(GENERATOR).as_posix()
        if path.suffix == ".py" and rel != "routes.py":
            literals = python_literals(path.read_text(encoding="utf-8"))
        elif path.suffix == ".j2":
            literals = template_literals(path.read_text(encoding="utf-8"))
        else:
            continue
        for line, text in literals:
            if site_path(text):
                found.setdefault((rel, text), []).append(line)
    return found


def test_no_module_or_template_spells_a_site_path():
    """Pages, links and output paths come from generator/routes.py (in templates: `url`, `href`, `internal`).
    The rule is the one above SECTION; NOT_SITE_PATHS are look-alikes, KNOWN the ones still to move."""
    found = spelt_site_paths()
    new = {f"generator/{rel}:{lines[0]}: {text!r}" for (rel, text), lines in found.items()
           if (rel, text) not in NOT_SITE_PATHS and (rel, text) not in KNOWN}  # fmt: skip
    assert sorted(new) == [], "ask generator/routes.py for these paths"
    gone = [key for key in (*NOT_SITE_PATHS, *KNOWN) if key not in found]
    assert gone == [], "no longer in generator/: drop them from NOT_SITE_PATHS or KNOWN"


def test_the_site_path_rule_catches_what_it_is_for():
    hand_built = ['f"models/{family}/{id}.md"', 'f"{page}.html"', '"../licences/" + lid', '"hardware/tier-8gb.md"',
                  '"../use-cases/coding.html"', '"api/models.json"', 'f"runs/{run_id}.md"']  # fmt: skip
    for source in hand_built:
        assert any(site_path(text) for _, text in python_literals(f"x = {source}")), source
    fine = ['"""A docstring naming models/x.md."""', '"/api/version"', '"catalog/models/<family>/<id>.yaml"',
            '"model.md.j2"', 'name.endswith(".html")', '"see guides/x.md."', '"models"', "x = 1  # models/x.md"]  # fmt: skip
    assert [source for source in fine if any(site_path(text) for _, text in python_literals(source))] == []
    template = '{# "models/x.md" #}[a]({{ href(url.model(e)) }}) [b](../runs/{{ id }}.md) {{ x | replace("api/", "") }}'
    assert [text for _, text in template_literals(template) if site_path(text)] == ["api/", "../runs/{{}}.md"]
