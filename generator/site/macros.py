"""Catalog facts for hand-written pages (mkdocs-macros): a guide cites a fact through a macro, never as a
typed number, so it changes when the catalog does.

Pages opt in with `render_macros: true` in their front matter; generated pages never do (they hold
contributor text, which must not run as Jinja). Each macro returns Markdown with catalog text escaped and,
where there is one, a link to the page or source. A macro that names a model, field, licence, benchmark,
format or price the catalog does not have raises MacroError naming the page and the call, and the strict
build fails on it.
"""

from __future__ import annotations

import posixpath
import sys
from functools import wraps
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # mkdocs-macros loads this file by path, not as part of the package
    sys.path.insert(0, str(ROOT))

from generator import routes  # noqa: E402
from generator.catalog.load import load_catalog  # noqa: E402
from generator.catalog.resolve import Catalog, ModelEntry  # noqa: E402
from generator.model import costs, hardware  # noqa: E402
from generator.catalog import parse  # noqa: E402
from generator.render import escape, format, nav  # noqa: E402
from generator.render.sections import models as models_section  # noqa: E402


class MacroError(Exception):
    """A macro named something the catalog does not hold."""


MODEL_FIELDS = {
    "params_b": lambda m: format.params(m.params_b),
    "active_params_b": lambda m: format.params(m.active_params_b),
    "context_length": lambda m: format.context(m.context_length),
    "release_date": lambda m: m.release_date.isoformat() if m.release_date else None,
    "architecture": lambda m: m.architecture,
    "kind": lambda m: m.kind,
    "tool_calling": lambda m: None if m.tool_calling is None else format.yes_no(m.tool_calling),
    "input": lambda m: ", ".join(m.modalities.input) if m.modalities else None,
    "hf_repo": lambda m: m.hf_repo,
    "ollama_tag": lambda m: m.ollama_tag,
}
# The build's own numbers the Engineering page quotes, each read from the module that works by it.
SETTINGS: dict[str, int] = {
    "NAV_GROUP_MAX": nav.NAV_GROUP_MAX,
    "LINK_BYTES": nav.LINK_BYTES,
    "FOLDED_RUN_BYTES": nav.FOLDED_RUN_BYTES,
    "PARALLEL_MIN_MODELS": models_section.PARALLEL_MIN_MODELS,
    "MAX_FILE_BYTES": parse.MAX_BYTES,
    "MAX_DEPTH": parse.MAX_DEPTH,
}
CONFIG_FIELDS = ("layers", "hidden_size", "attention_heads", "kv_heads", "vocab_size", "experts", "experts_per_token")


class Facts:
    """The macros, bound to one catalog; `page` is the page being rendered (for links and messages)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.page = "?"
        self.cost_inputs = {i["id"]: i for i in costs.all_inputs(catalog)}

    # -------------------------------------------------------------- helpers

    def href(self, target: str, anchor: str = "") -> str:
        here = posixpath.dirname(self.page)
        return posixpath.relpath(target, here or ".") + (f"#{anchor}" if anchor else "")

    def entry(self, model_id: str) -> ModelEntry:
        if model_id not in self.catalog.models:
            raise MacroError(f"no model '{model_id}' in the catalog")
        return self.catalog.models[model_id]

    def known(self, value: object, what: str) -> object:
        if value is None:
            raise MacroError(f"the catalog does not know {what} (it is null)")
        return value

    # -------------------------------------------------------------- macros

    def model(self, model_id: str, text: str | None = None) -> str:
        """A link to the model's page, named as the catalog names it."""
        e = self.entry(model_id)
        return f"[{escape.md(text or e.model.name)}]({self.href(routes.model(e))})"

    def family(self, family_id: str) -> str:
        if family_id not in self.catalog.families:
            raise MacroError(f"no family '{family_id}' in the catalog")
        return f"[{escape.md(self.catalog.families[family_id].name)}]({self.href(routes.family(family_id))})"

    def licence(self, licence_id: str) -> str:
        if licence_id not in self.catalog.licences:
            raise MacroError(f"no licence '{licence_id}' in the catalog")
        return f"[{escape.md(self.catalog.licences[licence_id].name)}]({self.href(routes.licence(licence_id))})"

    def fact(self, model_id: str, field: str) -> str:
        """One fact of a model, formatted as on its page: fact('llama-3.1-8b-instruct', 'context_length')."""
        m = self.entry(model_id).model
        if field == "licence":
            return self.licence(str(self.known(m.licence, f"the licence of '{model_id}'")))
        if field.startswith("config."):
            name = field.removeprefix("config.")
            if name not in CONFIG_FIELDS:
                raise MacroError(f"no config field '{name}'; use one of {', '.join(CONFIG_FIELDS)}")
            value = getattr(m.config, name, None) if m.config else None
            return f"{self.known(value, f'{field} of {model_id}'):,}"
        if field not in MODEL_FIELDS:
            raise MacroError(
                f"no model field '{field}'; use one of {', '.join([*MODEL_FIELDS, 'licence', 'config.*'])}"
            )
        value = MODEL_FIELDS[field](m)
        if value in (None, "unknown"):
            raise MacroError(f"the catalog does not know {field} of '{model_id}' (it is null)")
        return escape.md(value)

    def term(self, licence_id: str, field: str) -> str:
        """A licence term as the catalog states it: term('llama-3.1', 'user_cap')."""
        if licence_id not in self.catalog.licences:
            raise MacroError(f"no licence '{licence_id}' in the catalog")
        lic = self.catalog.licences[licence_id]
        if field not in type(lic).model_fields:
            raise MacroError(f"no licence field '{field}'")
        return escape.md(self.known(getattr(lic, field), f"{field} of licence '{licence_id}'"))

    def score(self, model_id: str, benchmark: str) -> str:
        """A benchmark score, linked to its source: score('qwen2.5-72b-instruct', 'MMLU')."""
        m = self.entry(model_id).model
        if benchmark not in m.benchmarks:
            raise MacroError(f"'{model_id}' has no {benchmark} score in the catalog")
        b = m.benchmarks[benchmark]
        return escape.link(f"{b.score:g}", b.source)

    def quant_format(self, fmt: str):
        if fmt not in hardware.FORMAT:
            raise MacroError(f"no format '{fmt}'; use one of {', '.join(hardware.FORMAT)}")
        return hardware.FORMAT[fmt]

    def weights(self, model_id: str, fmt: str) -> str:
        """Weight memory in a format, as the hardware page computes it: weights('llama-3.1-8b-instruct', 'Q4_K_M')."""
        self.quant_format(fmt)
        value = hardware.weights_gb(self.entry(model_id).model)[fmt]
        return f"{self.known(value, f'the size of {model_id}'):.1f} GB"

    def bits(self, fmt: str) -> str:
        """Bits per weight of a quantization format: bits('Q4_K_M')."""
        return f"{self.quant_format(fmt).bits:g}"

    def ppl(self, fmt: str) -> str:
        """llama.cpp's measured perplexity increase for a format (as on the hardware page): ppl('Q2_K')."""
        value = self.quant_format(fmt).ppl_increase
        return f"+{self.known(value, f'the perplexity increase of {fmt}'):.4f}"

    def count(self, what: str) -> str:
        """How many models, families, licences, hardware, runtimes or prices the catalog holds."""
        if what not in ("models", "families", "licences", "hardware", "runtimes", "prices"):
            raise MacroError(f"cannot count '{what}'")
        return str(len(getattr(self.catalog, what)))

    def break_even(self, model: str, a: str, b: str) -> str:
        """The first volume at which the cheaper of two cost options for a model changes:
        break_even('<model id>', 'local', '<api price id>')."""
        if model not in self.cost_inputs:
            raise MacroError(f"the cost comparison has no model '{model}'; it has {', '.join(self.cost_inputs) or 'none'}")
        found = costs.options(self.cost_inputs[model])
        lo, hi = self.cost_inputs[model]["volume_range_m"]
        for e in costs.break_evens(found, lo, hi):
            if {e["a"], e["b"]} == {a, b}:
                return f"{format.tokens(e['volume_m'])} tokens a month"
        by_key = {o.key: o for o in found}
        if a not in by_key or b not in by_key:
            raise MacroError(f"no cost option '{a}' or '{b}'; options are {', '.join(by_key)}")
        cheaper = min((a, b), key=lambda k: costs.monthly_usd(by_key[k], lo))
        span = f"{format.tokens(lo)} to {format.tokens(hi)} tokens a month"
        return f"never: {by_key[cheaper].label.split(': ', 1)[-1]} is cheaper at every volume from {span}"

    def price(self, price_id: str) -> str:
        """A price as its file states it, linked to its first source."""
        if price_id not in self.catalog.prices:
            raise MacroError(f"no price '{price_id}' in the catalog")
        p = self.catalog.prices[price_id]
        text = {
            "purchase": lambda: f"${p.usd:,.0f}",
            "rental": lambda: f"${p.usd_per_hour:g} an hour",
            "api": lambda: f"${p.input_usd_per_m:g} / ${p.output_usd_per_m:g} per million input / output tokens",
            "electricity": lambda: f"${p.usd_per_kwh:g} per kWh",
        }[p.kind]()
        return escape.link(text, p.sources[0].url)

    def setting(self, name: str) -> str:
        """A number the build works by, read from the code that uses it: setting('NAV_GROUP_MAX')."""
        if name not in SETTINGS:
            raise MacroError(f"no setting '{name}'; use one of {', '.join(SETTINGS)}")
        return f"{SETTINGS[name]:,}"

    def runtime(self, runtime_id: str) -> str:
        """A link to a runtime's row on the runtimes page."""
        if runtime_id not in self.catalog.runtimes:
            raise MacroError(f"no runtime '{runtime_id}' in the catalog")
        return f"[{escape.md(self.catalog.runtimes[runtime_id].name)}]({self.href(routes.RUNTIMES, runtime_id)})"

    NAMES = ("model", "family", "licence", "fact", "term", "score", "weights", "bits", "ppl", "count", "break_even",
             "price", "runtime", "setting")  # fmt: skip


def define_env(env) -> None:
    """mkdocs-macros entry point: declare every macro, each reporting its page and call on failure."""
    project = Path(env.conf["config_file_path"]).resolve().parent  # the site being built, not this file's checkout
    catalog, problems = load_catalog(project / routes.CATALOG, project, project / routes.PARSE_CACHE)
    if problems:  # the generator reports them, file by file; the macros cannot answer from a broken catalog
        raise MacroError(f"{len(problems)} problem(s) in the catalog; run `python -m generator validate`")
    facts = Facts(catalog)

    def declare(name: str) -> None:
        method = getattr(facts, name)

        @wraps(method)
        def macro(*args, **kwargs):
            facts.page = env.page.file.src_uri if env.page else "?"
            try:
                return method(*args, **kwargs)
            except MacroError as exc:
                call = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
                raise MacroError(f"docs/{facts.page}: {{{{ {name}({call}) }}}}: {exc}") from None

        env.macro(macro, name)

    for name in Facts.NAMES:
        declare(name)
