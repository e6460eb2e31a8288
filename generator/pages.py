"""Markdown pages from the resolved catalog, through Jinja2 templates in generator/templates/.

All markup lives in the templates. Every `{{ value }}` is escaped as Markdown text unless a
filter below marked it `Safe` (links, paragraphs, internal paths it built itself), so
contributor text can never become markup by accident.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import posixpath
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import markupsafe
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import charts, checks, costs, escape, exports, hardware, resolve, selector, trees
from .compare import comparator_data
from .edition import Edition
from .history import Commit, History
from .performance import figure
from .resolve import Catalog, ModelEntry
from .schema import BENCHMARKS, BenchmarkResults, ExportLicence, ExportModel, Licence

TEMPLATES = Path(__file__).parent / "templates"

STALE_AFTER_DAYS = 365  # an entry not verified for this long is listed on the freshness page

SIZE_CLASSES = (  # upper bound in billions (exclusive), label
    (3, "Tiny (< 3B)"),
    (10, "Small (3–10B)"),
    (40, "Medium (10–40B)"),
    (100, "Large (40–100B)"),
    (float("inf"), "Frontier (≥ 100B)"),
)


# Markdown the generator built itself (or a template macro produced from escaped parts): emitted as is.
Safe = Markup


def size_class(params_b: float | None) -> str:
    if params_b is None:
        return "Unknown size"
    return next(label for bound, label in SIZE_CLASSES if params_b < bound)


def fmt_params(value: float | None) -> str:
    if value is None:
        return "unknown"
    return f"{value:,.0f}B" if value >= 100 else f"{value:g}B"


def fmt_context(value: int | None) -> str:
    if value is None:
        return "unknown"
    if value % 1024 == 0 and value >= 2048:
        return f"{value:,} ({value // 1024}K)"
    return f"{value:,}"


def fmt_bool(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def verbatim(value: object) -> Safe:
    """For code spans and blocks, where escapes do not apply: only values of a plain shape."""
    text = str(value)
    if not re.fullmatch(r"[A-Za-z0-9._/:-]+", text):
        raise ValueError(f"{text!r} cannot be shown as code")
    return Safe(text)


def code_block(text: str, indent: int) -> Safe:
    """Contributor text inside a fenced code block, where Markdown does not apply: indented, literal.
    The schema forbids backticks in it, so it cannot close the fence."""
    if "`" in text:
        raise ValueError("a code block cannot hold backticks")
    return Safe("\n".join((" " * indent + line).rstrip() for line in text.strip("\n").splitlines()))


def abbreviations(terms) -> str:
    """The glossary as Markdown abbreviation definitions, appended to every page for hover text."""
    return "".join(f"*[{t.term}]: {t.definition}\n" for t in terms)


def quickstarts(model, runtimes: dict) -> list[tuple[str, object, str, str]]:
    """(runtime id, runtime, language, command) for every runtime whose quickstart fits this model."""
    out = []
    for runtime_id, runtime in runtimes.items():
        q = runtime.quickstart
        value = getattr(model, q.needs) if q else None
        if q is None or value is None or model.kind not in q.kinds:
            continue
        command = q.command.replace("{" + q.needs + "}", str(verbatim(value)))
        out.append((runtime_id, runtime, q.language, command))
    return out


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
        params=fmt_params,
        context=fmt_context,
        yesno=fmt_bool,
        host=host,
        verbatim=verbatim,
        size_class=size_class,
        html=lambda v: Markup(markupsafe.escape(escape.visible(str(v)))),  # control characters dropped too
        svg=inline_svg,
        code_block=code_block,
        tab_label=lambda v: Safe(escape.md(v).replace('"', "'")),
        gb=lambda v: "unknown" if v is None else f"{selector.round_half_up(v, 1):.1f}",
    )
    return env


def harness_boards(catalog: Catalog) -> list[tuple[tuple[str, str, str], list]]:
    """One table per top-level lm-eval (task, metric, filter): every imported run that has it, best first."""
    boards: dict[tuple[str, str, str], list] = {}
    for run_id, r in catalog.harness_runs.items():
        for t in r.tasks:
            if t.group is None:
                boards.setdefault((t.task, t.metric, t.filter), []).append((run_id, r, t))
    for rows in boards.values():
        rows.sort(key=lambda row: row[2].value, reverse=rows[0][2].higher_is_better is not False)
    return sorted(boards.items())


class Pages:
    """Renders every page of the catalog into a {relative path: text} mapping."""

    def __init__(
        self,
        catalog: Catalog,
        ranking_data: dict,
        figures: list[charts.Chart],
        decision_trees,
        cost_inputs=None,
        history: History | None = None,
        site: dict[str, str | None] | None = None,
        edition: Edition | None = None,
        template_cache: Path | None = None,
        results: BenchmarkResults | None = None,
    ):
        self.catalog = catalog
        self.edition = edition  # None: the home page and the PDF's cover leave the edition out
        self.history = history  # None: built without git history (a tarball or a shallow clone)
        self.site = site or {"site_url": None, "repo_url": None}
        self.cost_inputs = cost_inputs  # costs.inputs(catalog): None when the catalog lacks a price it needs
        self.ranking_data = ranking_data  # selector.selector_data(catalog), computed once per build
        self.figures = {c.name: c for c in figures}
        self.trees = {tree.name: (tree, svg) for tree, svg in decision_trees}
        self.env = environment(template_cache)
        self.results = results  # benchmarks/results.yaml: None when `make bench` never ran

    def _render(self, template: str, page: str, **context) -> tuple[str, str]:
        here = posixpath.dirname(page)

        def href(target: str, anchor: str = "") -> Safe:
            return Safe(posixpath.relpath(target, here or ".") + (f"#{anchor}" if anchor else ""))

        def internal(text: object, target: str, anchor: str = "") -> Safe:
            return Safe(f"[{escape.md(text)}]({href(target, anchor)})")

        text = self.env.get_template(template).render(
            catalog=self.catalog,
            href=href,
            internal=internal,
            page=page,
            benchmarks=BENCHMARKS,
            hardware=hardware,
            **context,
        )
        return page, text

    def model_page(self, entry: ModelEntry, stale_ids: set[str]) -> tuple[str, str]:
        c = self.catalog
        return self._render(
            "model.md.j2",
            entry.url,
            e=entry,
            m=entry.model,
            memory=memory_table(entry, c),
            stale=entry.id in stale_ids,
            stale_after_days=STALE_AFTER_DAYS,
            supported_by=lambda field: [s for s in entry.sources if field in s.supports],
            quickstarts=quickstarts(entry.model, c.runtimes),
            runs=[(rid, r) for rid, r in c.runs.items() if r.model.catalog_id == entry.id],
            harness_runs=[(rid, r) for rid, r in c.harness_runs.items() if r.model.catalog_id == entry.id],
            changes=self.history.of(entry.path) if self.history else [],
            commit_url=self.commit_url,
        )

    def model_pages(self, stale_ids: set[str]) -> list[tuple[str, str]]:
        """Every model page; a large catalog's are rendered by one forked worker per core (the workers
        inherit this object, so nothing but the page text crosses between processes)."""
        ids = list(self.catalog.models)
        workers = min(os.cpu_count() or 1, len(ids) // PARALLEL_MIN_MODELS)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [self.model_page(self.catalog.models[i], stale_ids) for i in ids]
        global _forked
        _forked = (self, stale_ids)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                chunks = pool.map(_model_pages_of, [ids[k::workers] for k in range(workers)])
        finally:
            _forked = None
        rendered = dict(page for chunk in chunks for page in chunk)
        return [(self.catalog.models[i].url, rendered[self.catalog.models[i].url]) for i in ids]

    def models_of_family(self, family_id: str) -> list[ModelEntry]:
        return [e for e in self.catalog.models.values() if e.family_id == family_id]

    def models_of_licence(self, licence_id: str) -> list[ModelEntry]:
        return [e for e in self.catalog.models.values() if e.model.licence == licence_id]

    def landscape(self) -> dict[str, Counter]:
        models = list(self.catalog.models.values())
        order = {label: i for i, (_, label) in enumerate(SIZE_CLASSES)}
        sizes = Counter(size_class(e.model.params_b) for e in models)
        return {
            "by_family": Counter((e.family.name if e.family else e.family_id) for e in models),
            "by_licence": Counter((e.licence.name if e.licence else "unknown") for e in models),
            "by_size": Counter(dict(sorted(sizes.items(), key=lambda kv: order.get(kv[0], 99)))),
        }

    def freshness(self) -> dict[str, object]:
        """Every model with the age of its facts, oldest first, and those past STALE_AFTER_DAYS."""
        today = checks.today()
        ages = sorted(
            ((e, (today - e.model.verified).days) for e in self.catalog.models.values()),
            key=lambda pair: (-pair[1], pair[0].id),
        )
        return {
            "today": today,
            "stale_after_days": STALE_AFTER_DAYS,
            "stale": [(e, days) for e, days in ages if days > STALE_AFTER_DAYS],
            "ages": ages,
        }

    def corrections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Family and licence 'common mistakes', each text once, with the pages that state it."""
        found: dict[str, list[tuple[str, str]]] = {}
        for family_id, family in self.catalog.families.items():
            for text in family.common_mistakes:
                found.setdefault(text, []).append((family.name, f"models/{family_id}/index.md"))
        for licence_id, licence in self.catalog.licences.items():
            for text in licence.common_mistakes:
                found.setdefault(text, []).append((licence.name, f"licences/{licence_id}.md"))
        return list(found.items())

    def all(self) -> dict[str, str]:
        c = self.catalog
        freshness = self.freshness()
        stale_ids = {e.id for e, _ in freshness["stale"]}
        pages = [
            self._render(
                "home.md.j2",
                "index.md",
                landscape=self.landscape(),
                corrections=self.corrections(),
                edition=self.edition,
                site=self.site,
            ),
            self._render("corrections.md.j2", "models/corrections.md", corrections=self.corrections()),
            self._render("families.md.j2", "models/index.md", models_of=self.models_of_family),
            self._render("licences.md.j2", "licences/index.md", models_of=self.models_of_licence),
            self._render("freshness.md.j2", "models/freshness.md", **freshness),
        ]
        for family_id, family in c.families.items():
            pages.append(
                self._render(
                    "family.md.j2",
                    f"models/{family_id}/index.md",
                    family_id=family_id,
                    family=family,
                    models=self.models_of_family(family_id),
                    chart=self.figures.get(f"family-{family_id}"),
                )
            )
        pages += self.model_pages(stale_ids)
        for licence_id, licence in c.licences.items():
            pages.append(
                self._render(
                    "licence.md.j2",
                    f"licences/{licence_id}.md",
                    licence_id=licence_id,
                    licence=licence,
                    models=self.models_of_licence(licence_id),
                    terms=licence_terms(licence),
                )
            )
        pages += self.hardware_pages()
        pages += self.use_case_pages()
        site_charts = [c for c in self.figures.values() if not c.name.startswith(("family-", "use-case-", "runs-"))]
        pages.append(self._render("charts.md.j2", "charts/index.md", charts=site_charts))
        pages.append(self.cost_page())
        pages.append(self.performance_page())
        pages.append(self._render("runtimes.md.j2", "runtimes/index.md", runtimes=c.runtimes))
        pages += self.run_pages()
        pages += self.news_pages()
        terms = c.glossary.terms if c.glossary else []
        pages.append(self._render("glossary.md.j2", "glossary.md", terms=terms))
        pages.append((".atlas-abbreviations.md", abbreviations(terms)))
        pages.append(
            self._render(
                "api.md.j2",
                "api/index.md",
                schema_files=sorted(exports.json_schemas()),
                model_fields=schema_fields(ExportModel),
                licence_fields=schema_fields(ExportLicence),
                merge_rules=(resolve.__doc__ or "").split("\n", 2)[2],
            )
        )
        return dict(pages)

    def hardware_pages(self) -> list[tuple[str, str]]:
        """The hardware reference, one tier page per memory size, and the selector."""
        c = self.catalog
        data = self.ranking_data
        pages = [
            self._render(
                "hardware.md.j2",
                "hardware/index.md",
                machines=c.hardware,
                usable=hardware.usable_gb,
                share=hardware.DEFAULT_USABLE_SHARE,
                formats=hardware.FORMATS,
                overhead=hardware.OVERHEAD_GB,
                quantize_table=hardware.QUANTIZE_TABLE,
                tiers=TIER_BUDGETS_GB,
            ),
            self._render(
                "selector.md.j2",
                "selector.md",
                base="",
                tasks=selector.TASKS,
                contexts=[(0, "No requirement (speech, short texts)")]
                + [(n, fmt_context(n)) for n in SELECTOR_CONTEXTS],
                data=Safe(escape.script_json(data)),
                ladder=hardware.LADDER,
                overhead=hardware.OVERHEAD_GB,
                tier_budgets=TIER_BUDGETS_GB,
            ),
        ]
        for budget in TIER_BUDGETS_GB:
            sections = []
            for key, label in selector.TASKS:
                query = selector.Query(budget_gb=budget, task=key, context=selector.task_context(key), limit=TIER_TOP)
                sections.append((key, label, selector.rank(data, query)))
            pages.append(
                self._render(
                    "tier.md.j2",
                    f"hardware/tier-{budget}gb.md",
                    budget=budget,
                    sections=sections,
                    default_context=selector.DEFAULT_CONTEXT,
                    task_contexts=[(dict(selector.TASKS)[k], v) for k, v in selector.TASK_CONTEXT.items()],
                )
            )
        return pages

    def run_pages(self) -> list[tuple[str, str]]:
        """The runs page (a leaderboard and chart per suite, a table per lm-eval task), a page per stored run
        with its raw answers or task scores, and a comparator per suite."""
        c = self.catalog
        suites = [
            (sid, suite, [(rid, r) for rid, r in sorted(c.runs.items(), key=lambda kv: -kv[1].summary.accuracy)
                          if r.suite == sid])
            for sid, suite in c.suites.items()
        ]  # fmt: skip
        categories = {
            sid: ", ".join(f"{n} {k}" for k, n in sorted(Counter(p.category for p in s.prompts).items()))
            for sid, s in c.suites.items()
        }
        pages = [
            self._render(
                "runs.md.j2",
                "runs/index.md",
                suites=suites,
                categories=categories,
                charts={sid: self.figures.get(f"runs-accuracy-vs-speed-{sid}") for sid in c.suites},
                harness_boards=harness_boards(c),
                label_of=charts.run_label,
            )
        ]
        for run_id, r in c.runs.items():
            name = c.suites[r.suite].name if r.suite in c.suites else r.suite
            pages.append(self._render("run.md.j2", f"runs/{run_id}.md", r=r, suite_name=name))
        for run_id, r in c.harness_runs.items():
            pages.append(self._render("harness-run.md.j2", f"runs/{run_id}.md", r=r))
        for sid, suite, runs in suites:
            pages.append(
                self._render(
                    "compare.md.j2",
                    f"runs/compare-{sid}.md",
                    suite_id=sid,
                    suite=suite,
                    runs=runs,
                    categories=sorted({p.category for p in suite.prompts}),
                    data=Safe(escape.script_json(comparator_data(c, sid))),
                    label_of=charts.run_label,
                )
            )
        return pages

    def commit_url(self, commit: Commit) -> str | None:
        repo = self.site["repo_url"]
        return f"{repo}commit/{commit.sha}" if repo else None

    def page_of(self, path: str) -> str | None:
        """The site page of a catalog file (by its path from the project root), if it has one now."""
        parts = path.split("/")
        if len(parts) == 4 and parts[:2] == ["catalog", "models"] and parts[3][:-5] in self.catalog.models:
            return self.catalog.models[parts[3][:-5]].url
        if len(parts) == 3 and parts[1] == "licences" and parts[2][:-5] in self.catalog.licences:
            return f"licences/{parts[2][:-5]}.md"
        if len(parts) == 3 and parts[1] == "families" and parts[2][:-5] in self.catalog.families:
            return f"models/{parts[2][:-5]}/index.md"
        run_id = "/".join(parts[2:])[:-5]
        if parts[1:2] == ["runs"] and (run_id in self.catalog.runs or run_id in self.catalog.harness_runs):
            return f"runs/{run_id}.md"
        return None

    def news_pages(self) -> list[tuple[str, str]]:
        """What's new (the latest catalog commits, each file linked to its page) and its Atom feed."""
        commits = self.history.commits[:NEWS_COMMITS] if self.history else []
        page = self._render(
            "whats-new.md.j2",
            "models/whats-new.md",
            commits=commits,
            has_history=self.history is not None,
            page_of=self.page_of,
            commit_url=self.commit_url,
            verbs=FILE_VERBS,
        )
        return [page, ("feed.xml", self.feed(commits))]

    def feed(self, commits: list[Commit]) -> str:
        """Atom 1.0: one entry per catalog commit; without history, an empty feed dated by the catalog."""
        site = self.site["site_url"] or ""
        atom = "http://www.w3.org/2005/Atom"
        ET.register_namespace("", atom)

        def add(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
            node = ET.SubElement(parent, f"{{{atom}}}{tag}", attrs)
            if text is not None:
                node.text = escape.visible(text)
            return node

        root = ET.Element(f"{{{atom}}}feed")
        add(root, "title", "Open LLM Atlas: what's new in the catalog")
        add(root, "id", f"{site}feed.xml" if site else "tag:open-llm-atlas.github.io,2024:feed")
        add(root, "link", rel="self", href=f"{site}feed.xml")
        add(root, "link", rel="alternate", href=f"{site}models/whats-new.html")
        newest = (
            commits[0].date.isoformat()
            if commits
            else f"{max((e.model.verified for e in self.catalog.models.values()), default='1970-01-01')}T00:00:00Z"
        )
        add(root, "updated", newest)
        add(add(root, "author"), "name", "Open LLM Atlas contributors")
        for commit in commits:
            entry = add(root, "entry")
            add(entry, "title", commit.subject)
            add(entry, "id", self.commit_url(commit) or f"tag:open-llm-atlas.github.io,2024:commit-{commit.sha}")
            add(entry, "link", rel="alternate", href=f"{site}models/whats-new.html#commit-{commit.short}")
            add(entry, "updated", commit.date.isoformat())
            files = [f"{FILE_VERBS.get(status, 'changed')} {path}" for status, path in commit.files]
            add(entry, "content", "\n".join(files), type="text")
        ET.indent(root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def performance_page(self) -> tuple[str, str]:
        """The last `make bench`: each benchmark's figures beside their targets, and the machine (once,
        when every benchmark ran on the same one)."""
        found = self.results.reports if self.results else {}
        reports = sorted(
            found.items(), key=lambda kv: (BENCHMARK_ORDER.index(kv[0]) if kv[0] in BENCHMARK_ORDER else 99, kv[0])
        )
        machines = {r.machine for _, r in reports}
        judged = [f for _, r in reports for f in r.figures if f.passed is not None]
        return self._render(
            "performance.md.j2",
            "engineering/performance.md",
            reports=reports,
            machine=next(iter(machines)) if len(machines) == 1 else None,
            judged=len(judged),
            passed=sum(f.passed for f in judged),
            figure=lambda value: Safe(figure(value)),  # digits, commas and a point: nothing to escape
        )

    def cost_page(self) -> tuple[str, str]:
        """Buy, rent or pay per token: the chart, its inputs with their sources, and the calculator."""
        i = self.cost_inputs
        if i is None:
            return self._render("cost.md.j2", "cost.md", inputs=None)
        found = costs.options(i)
        lo, hi = i["volume_range_m"]
        prices = self.catalog.prices
        used = [i["local"]["price"], i["rented"]["price"], *(a["price"] for a in i["apis"]), i["electricity"]]
        own, hired = (self.catalog.hardware[prices[p].hardware] for p in used[:2])

        def backing(machine, name):
            return [s for s in machine.sources if name in s.supports]

        machine_facts = [
            (f"{own.name}: power at full load", f"{own.power_w:g} W", backing(own, "power_w")),
            (f"{own.name}: memory bandwidth", f"{own.bandwidth_gb_s:g} GB/s", backing(own, "bandwidth_gb_s")),
            (f"{hired.name}: memory bandwidth", f"{hired.bandwidth_gb_s:g} GB/s", backing(hired, "bandwidth_gb_s")),
        ]
        return self._render(
            "cost.md.j2",
            "cost.md",
            inputs=i,
            options=found,
            evens=costs.break_evens(found, lo, hi),
            labels={o.key: o.label for o in found},
            chart=self.figures.get("cost-by-volume"),
            prices=[(p, prices[p]) for p in used],
            machine_facts=machine_facts,
            data=Safe(escape.script_json(i)),
            days=costs.DAYS_PER_MONTH,
            tokens=charts.tokens,
        )

    def use_case_pages(self) -> list[tuple[str, str]]:
        """The start tree, and per use case: its tree, the ranked table at each tier, its ranking chart."""
        data = self.ranking_data
        labels = dict(selector.TASKS)
        pages = [self._render("use-cases.md.j2", "use-cases/index.md", tree=self.trees["tree-start"],
                              tasks=[(t, labels[t]) for t in trees.USE_CASES])]  # fmt: skip
        for task in trees.USE_CASES:
            context = selector.task_context(task)
            tiers = [(b, selector.rank(data, selector.Query(budget_gb=b, task=task, context=context, limit=TIER_TOP)))
                     for b in TIER_BUDGETS_GB]  # fmt: skip
            pages.append(
                self._render(
                    "use-case.md.j2",
                    f"use-cases/{task}.md",
                    label=labels[task],
                    tree=self.trees[f"tree-{task}"],
                    tiers=tiers,
                    context=context,
                    chart=self.figures.get(f"use-case-{task}"),
                )
            )
        return pages

    def nav(self) -> dict[str, list]:
        """Children of each generated section index, for mkdocs.yml's top-level nav."""
        c = self.catalog
        # Families sit one level down, under "By family": the theme renders a level that deep folded, and
        # (navigation.prune) leaves out every folded family's models, so a page carries the models of its own
        # family only, not the whole catalog's: the nav's weight per page stays flat as the catalog grows.
        families = []
        for family_id, family in c.families.items():
            models = self.models_of_family(family_id)
            families.append({escape.html(family.name): [f"models/{family_id}/index.md", *nav_groups(models)]})
        return {
            "models/index.md": [
                "models/index.md",
                "models/whats-new.md",
                "models/corrections.md",
                "models/freshness.md",
                {"By family": families},
            ],
            "licences/index.md": ["licences/index.md"] + [f"licences/{k}.md" for k in c.licences],
            "hardware/index.md": ["hardware/index.md"] + [f"hardware/tier-{b}gb.md" for b in TIER_BUDGETS_GB],
            "use-cases/index.md": ["use-cases/index.md"] + [f"use-cases/{t}.md" for t in trees.USE_CASES],
            "runs/index.md": ["runs/index.md"]
            + [f"runs/compare-{sid}.md" for sid in c.suites]
            + [f"runs/{run_id}.md" for run_id in sorted((*c.runs, *c.harness_runs))],
        }


PARALLEL_MIN_MODELS = 250  # below this many models per core, forking costs more than it saves
_forked: tuple[Pages, set[str]] | None = None  # what a forked model-page worker renders from


def _model_pages_of(ids: list[str]) -> list[tuple[str, str]]:
    pages, stale_ids = _forked  # type: ignore[misc]
    return [pages.model_page(pages.catalog.models[i], stale_ids) for i in ids]


NAV_GROUP_MAX = 40  # a family with more models than this is split in the nav by size class, then in runs
# With navigation.prune, a page's nav shows the links of its own run and one folded entry for each other run
# of its family. A link costs about 150 bytes and a folded run about 230, so runs of about
# sqrt(family's pages x 230 / 150) pages make that the fewest bytes (at 5,000 models: 2 KB a page fewer than
# runs of 40, and than runs sized by the size class alone, which makes too many runs in a big family).
LINK_BYTES, FOLDED_RUN_BYTES = 150, 230


def run_length(family_size: int) -> int:
    return min(NAV_GROUP_MAX, max(1, round(math.sqrt(family_size * FOLDED_RUN_BYTES / LINK_BYTES))))


def runs_of(urls: list[str], length: int) -> list[list[str]]:
    """`urls` in consecutive runs of near-equal length, none longer than `length`."""
    count = math.ceil(len(urls) / length)
    bounds = [round(i * len(urls) / count) for i in range(count + 1)]
    return [urls[a:b] for a, b in itertools.pairwise(bounds)]


def nav_groups(models: list[ModelEntry]) -> list:
    """A family's model pages for the nav: as they are when few; else grouped by size class, each class in
    numbered runs of run_length(family's size) pages at most."""
    if len(models) <= NAV_GROUP_MAX:
        return [e.url for e in models]
    order = {label: i for i, (_, label) in enumerate(SIZE_CLASSES)}
    classes: dict[str, list[str]] = {}
    for e in sorted(models, key=lambda e: (order.get(size_class(e.model.params_b), 99), e.model.name.lower())):
        classes.setdefault(size_class(e.model.params_b), []).append(e.url)
    groups, length = [], run_length(len(models))
    for label, urls in classes.items():
        runs = runs_of(urls, length)
        for number, run in enumerate(runs, 1):
            title = label if len(runs) == 1 else f"{label}, {number} of {len(runs)}"
            groups.append({escape.html(title): run})  # the theme shows nav titles as HTML
    return groups


BENCHMARK_ORDER = ("scale", "selector", "charts", "runner", "pdf")  # the Performance page's order, build first
NEWS_COMMITS = 50  # commits on the What's new page and in its feed
FILE_VERBS = {"A": "added", "M": "changed", "D": "removed"}
TIER_BUDGETS_GB = (8, 12, 16, 24, 48, 80)
TIER_TOP = 5
SELECTOR_CONTEXTS = (2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 1048576)
FIT_CONTEXT = 8192  # context the "which hardware runs it" table assumes (or the model's maximum, if less)


def memory_table(entry: ModelEntry, catalog: Catalog) -> dict[str, object]:
    """Totals per format and context, KV rate, and the best fit on each listed machine."""
    m = entry.model
    weights, shape = hardware.weights_gb(m), hardware.kv_shape(m)
    contexts = hardware.contexts(m) if shape else []
    rows = [
        {"format": fmt, "weights": gb, "totals": [hardware.total_gb(gb, shape, c) for c in contexts]}
        for fmt, gb in weights.items()
        if gb is not None
    ]
    notes = []
    if shape and shape.window:
        notes.append(f" (sliding-window layers hold at most {shape.window:,} tokens, so long contexts cost less)")
    if m.config.kv_lora_rank:
        notes.append(" (MLA: one compressed latent per layer instead of per-head keys and values)")
    fit_context = min(FIT_CONTEXT, m.context_length or FIT_CONTEXT)
    text_out = m.modalities is not None and "text" in m.modalities.output
    return {
        "rows": rows,
        "contexts": contexts,
        "overhead": hardware.OVERHEAD_GB,
        "kv_per_1k": hardware.kv_cache_gb_per_1k_tokens(m),
        "kv_unknown": text_out and shape is None,
        "kv_note": "".join(notes),
        "fit_context": fit_context,
        "fits": hardware.fits(m, catalog.hardware, fit_context) if rows else [],
    }


def licence_terms(licence: Licence) -> list[tuple[str, str, str | None]]:
    """(term, answer, detail) rows shared by the licence page and the matrix."""
    return [
        ("Commercial use", licence.commercial_use, licence.commercial_use_note),
        ("User or revenue cap", "yes" if licence.user_cap else "none", licence.user_cap),
        (
            "Limits on training other models with outputs",
            "yes" if licence.output_training_restriction else "none",
            licence.output_training_restriction,
        ),
        ("Attribution or naming duties", "yes" if licence.attribution else "none", licence.attribution),
        ("Redistribution", licence.redistribution, licence.redistribution_note),
        ("Acceptable-use policy", "yes" if licence.acceptable_use_policy else "none", None),
        ("Gated download", "yes" if licence.gated_download else "no", None),
    ]


def _type_of(prop: dict) -> str:
    if "anyOf" in prop:
        return " or ".join(_type_of(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " / ".join(str(v) for v in prop["enum"])
    if "$ref" in prop:
        return "object"
    return str(prop.get("type", "any"))


def schema_fields(cls) -> list[tuple[str, dict[str, str]]]:
    """(field, {type, description}) rows documenting an export record, from its JSON Schema."""
    props = cls.model_json_schema()["properties"]
    return [(name, {"type": _type_of(p), "description": p.get("description", "")}) for name, p in props.items()]
