"""Cross-file and plausibility checks on the resolved catalog, each a small function yielding problems.

Every check points at the line a contributor has to change. `CHECKS` is the list run by
`python -m generator validate` and by every build.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from pydantic import BaseModel

from ..model import hardware
from .authored import Authored, Record
from .fields import BENCHMARKS, Source, sourced_fields
from .history import build_epoch
from .parse import Problem
from .resolve import Catalog, ModelEntry
from .schema import PRICE_FIELDS, Licence, Model, ModelFacts, Price
from .schema_runs import HarnessRun, SpeedRun

MIN_CONTEXT, MAX_CONTEXT = 256, 20_000_000
PARAMS_TOLERANCE = 0.15  # stated parameters may differ this much from the count the config implies
# What a source's `supports` may name: the facts (fields marked Sourced) and, per kind, the prose it backs.
SUPPORTABLE_MODEL_FIELDS = frozenset((*sourced_fields(Model), "kind", "use_cases", "description", "context_note"))
SUPPORTABLE_FAMILY_FIELDS = frozenset(
    (*ModelFacts.model_fields, "publisher", "country", "description", "history", "common_mistakes")
)
SUPPORTABLE_LICENCE_FIELDS = frozenset(
    (*sourced_fields(Licence), "commercial_use_note", "redistribution_note", "summary", "spdx", "common_mistakes")
)


def today() -> dt.date:
    """The build's 'now': SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = build_epoch()
    return dt.date.today() if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def known_context_size(tokens: int) -> bool:
    """Real context lengths are multiples of 1,024 tokens (of 64 below 4,096); round thousands
    such as 128,000 are usually a '128K' misread (131,072), unless they are multiples of 4,096."""
    rounded = tokens % 1000 == 0 and tokens % 4096 != 0
    return tokens % (1024 if tokens >= 4096 else 64) == 0 and not rounded


def _model_checks(fn: Callable[[ModelEntry, Record, Authored], Iterator[Problem]]):
    def run(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
        for entry in catalog.models.values():
            yield from fn(entry, authored.models[entry.id], authored)

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


@_model_checks
def family_and_licence_exist(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """A model's folder names a family file, and its licence names a licence file."""
    doc = record.doc
    if not authored.exists("families", entry.family_id):
        yield doc.problem((), f"family '{entry.family_id}' has no file catalog/families/{entry.family_id}.yaml")
    if entry.family is None:  # missing or rejected: its defaults are unknown, so judge nothing else
        return
    licence = entry.model.licence
    if licence is None:
        yield doc.problem((), "no licence: set 'licence' here or in the family's defaults", key=True)
    elif not authored.exists("licences", licence):
        loc = ("licence",) if "licence" not in entry.inherited else ()
        yield doc.problem(loc, f"licence '{licence}' has no file catalog/licences/{licence}.yaml")


@_model_checks
def parameters_consistent(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Active <= total parameters; an MoE model has expert counts; a dense one has none."""
    m, doc = entry.model, record.doc
    if m.params_b is not None and m.active_params_b is not None and m.active_params_b > m.params_b:
        yield doc.problem(
            ("active_params_b",),
            f"active parameters ({m.active_params_b:g}B) exceed total parameters ({m.params_b:g}B)",
        )
    if m.architecture == "moe":
        if m.config.experts is None or m.config.experts_per_token is None:
            yield doc.problem(("config",), "an MoE model needs config.experts and config.experts_per_token")
        elif m.config.experts_per_token > m.config.experts:
            yield doc.problem(("config", "experts_per_token"), "experts_per_token is larger than experts")
        if m.active_params_b is None and m.params_b is not None:
            yield doc.problem(("params_b",), "an MoE model needs active_params_b (parameters used per token)")
    elif m.architecture == "dense" and m.config.experts is not None:
        yield doc.problem(("config", "experts"), "a dense model has no experts: set architecture: moe")


@_model_checks
def context_plausible(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Context length in a plausible range and of a known size, so a rounded '128K' written as
    128000 is caught; an unusual real value is explained in context_note."""
    ctx, doc = entry.model.context_length, record.doc
    if ctx is None:
        return
    if not MIN_CONTEXT <= ctx <= MAX_CONTEXT:
        yield doc.problem(("context_length",), f"context length {ctx:,} is outside {MIN_CONTEXT:,}–{MAX_CONTEXT:,}")
    elif not known_context_size(ctx) and entry.model.context_note is None:
        hint = f" ({ctx // 1000}K is usually {ctx // 1000 * 1024:,} tokens)" if ctx % 1000 == 0 else ""
        yield doc.problem(
            ("context_length",),
            f"context length {ctx:,} is not a known context size{hint}: check config.json, "
            "or explain it in context_note",
        )


@_model_checks
def parameters_match_config(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Stated parameters within 15 % of the count the config.json numbers imply (dense text models)."""
    implied, stated = hardware.implied_params_b(entry.model), entry.model.params_b
    if implied is None or stated is None:
        return
    low, high = implied
    if not low * (1 - PARAMS_TOLERANCE) <= stated <= high * (1 + PARAMS_TOLERANCE):
        yield record.doc.problem(
            ("params_b",),
            f"{stated:g}B parameters, but the config numbers imply {low:.2f}–{high:.2f}B "
            f"(more than {PARAMS_TOLERANCE:.0%} apart): check params_b and config",
        )


@_model_checks
def dates_not_in_future(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Release and verification dates are not in the future, and verification follows release."""
    m, doc, now = entry.model, record.doc, today()
    if m.release_date and m.release_date > now:
        yield doc.problem(("release_date",), f"release date {m.release_date} is in the future")
    if m.verified > now:
        yield doc.problem(("verified",), f"verified date {m.verified} is in the future")
    elif m.release_date and m.verified < m.release_date:
        yield doc.problem(("verified",), f"verified ({m.verified}) is before the release date ({m.release_date})")


@_model_checks
def benchmarks_in_range(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Every benchmark score lies within its benchmark's scale."""
    for name, score in entry.model.benchmarks.items():
        top = BENCHMARKS[name][1]
        if score.score > top:
            yield record.doc.problem(
                ("benchmarks", name, "score"), f"{name} score {score.score:g} is above the maximum {top:g}"
            )


def _supported(
    record: Record, sources: list[Source], supportable: frozenset[str], what: str
) -> tuple[set[str], list[Problem]]:
    """The fields `sources` back (by a name's first part), and a problem for each name they may not back."""
    supported: set[str] = set()
    problems = []
    for i, source in enumerate(sources):
        for j, name in enumerate(source.supports):
            root = name.split(".", 1)[0]
            if root not in supportable:
                problems.append(
                    record.doc.problem(
                        ("sources", i, "supports", j),
                        f"'{name}' is not {what}; use one of {', '.join(sorted(supportable))}",
                    )
                )
            supported.add(root)
    return supported, problems


def _stated(value: object) -> bool:
    """A value a file states: not null, not an empty list or mapping, and not a block of nulls only (an empty config)."""
    if isinstance(value, BaseModel):
        return any(v is not None for v in dict(value).values())
    return value is not None and value != [] and value != {}


def _facts_sourced(
    record: Record,
    supportable: frozenset[str] | None = None,
    *,
    what: str = "a field a source can support",
    nulls_too: bool = False,
) -> Iterator[Problem]:
    """Every fact (a field marked Sourced) the file states is backed by a source; with `nulls_too`, a null
    the file writes is a fact as well ("no user cap" needs the licence text as much as a cap does), while a
    key the file leaves out is unknown and needs none."""
    data = record.data
    facts = sourced_fields(type(data))
    supported, problems = _supported(record, data.sources, supportable or frozenset(facts), what)
    yield from problems
    for name in facts:
        written = nulls_too and name in data.model_fields_set
        if (written or _stated(getattr(data, name))) and name not in supported:
            yield record.doc.problem((name,), f"'{name}' has no source: add it to the 'supports' of a source")


@_model_checks
def model_facts_sourced(entry: ModelEntry, record: Record, authored: Authored) -> Iterator[Problem]:
    """Every fact a model file states is named in the `supports` list of one of its sources."""
    yield from _facts_sourced(record, SUPPORTABLE_MODEL_FIELDS)


def licence_terms_sourced(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Every licence term is backed by a source (usually the licence text itself)."""
    for record in authored.licences.values():
        yield from _facts_sourced(record, SUPPORTABLE_LICENCE_FIELDS, what="a licence term", nulls_too=True)


def licence_classified_by_the_rule(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """The Licences page's one rule: a user or revenue threshold, a bound use policy or a territory exclusion
    makes commercial use 'conditional' (or 'no'), never 'yes'."""
    for record in authored.licences.values():
        data = record.data
        if data.commercial_use != "yes":
            continue
        for name in ("user_cap", "acceptable_use_policy", "territory_restriction"):
            if getattr(data, name) is not None:
                yield record.doc.problem(
                    ("commercial_use",),
                    f"commercial_use is 'yes' but '{name}' is set: by the classification rule it is 'conditional'",
                )


def hardware_facts_sourced(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Memory and bandwidth figures of each machine are backed by a source (usually the spec sheet)."""
    for record in authored.hardware.values():
        yield from _facts_sourced(record)
        usable = record.data.usable_memory_gb
        if usable is not None and usable > record.data.memory_gb:
            yield record.doc.problem(("usable_memory_gb",), "usable_memory_gb is larger than memory_gb")


def prices_complete(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Each price states the amounts of its kind (and no others), refers to files that exist, and is sourced."""
    for record in authored.prices.values():
        data = record.data
        wanted = PRICE_FIELDS[data.kind]
        for name in wanted:
            if getattr(data, name) is None:
                yield record.doc.problem(("kind",), f"a price of kind '{data.kind}' needs '{name}'")
        for name in ("hardware", "model", *sourced_fields(Price)):
            if getattr(data, name) is not None and name not in wanted and not (name == "model" and data.kind == "api"):
                yield record.doc.problem(
                    (name,), f"'{name}' does not belong in a price of kind '{data.kind}'", key=True
                )
        if data.hardware is not None and not authored.exists("hardware", data.hardware):
            yield record.doc.problem(
                ("hardware",), f"hardware '{data.hardware}' has no file catalog/hardware/{data.hardware}.yaml"
            )
        if data.model is not None and data.model not in authored.models:
            yield record.doc.problem(("model",), f"model '{data.model}' is not in the catalog")
        yield from _facts_sourced(record)


def runtimes_sourced(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """A runtime's capabilities are sourced, and its quickstart uses exactly the placeholder it needs."""
    for record in authored.runtimes.values():
        data = record.data
        yield from _facts_sourced(record)
        if data.quickstart is not None:
            command = data.quickstart.command
            if "{" + data.quickstart.needs + "}" not in command:
                yield record.doc.problem(
                    ("quickstart", "command"), f"the command must contain {{{data.quickstart.needs}}}"
                )
            for stray in sorted(set(re.findall(r"\{[a-z_]+\}", command)) - {"{" + data.quickstart.needs + "}"}):
                yield record.doc.problem(
                    ("quickstart", "command"),
                    f"{stray} is not a placeholder here; use {{{data.quickstart.needs}}} only",
                )


def glossary_terms_unique(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Each term is defined once (hover text cannot choose between two definitions)."""
    if authored.glossary is None:
        return
    seen: set[str] = set()
    for i, term in enumerate(authored.glossary.data.terms):
        key = term.term.lower()
        if key in seen:
            yield authored.glossary.doc.problem(("terms", i, "term"), f"'{term.term}' is defined twice")
        seen.add(key)


def runs_refer_to_the_catalog(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """A stored run names a catalog model when it names one, and a suite run a suite in catalog/suites."""
    for record in authored.runs.values():
        run = record.data
        if run.model.catalog_id is not None and run.model.catalog_id not in authored.models:
            yield record.doc.problem(("model", "catalog_id"), f"model '{run.model.catalog_id}' is not in the catalog")
        machine = run.hardware if isinstance(run, SpeedRun) else getattr(run, "hardware_id", None)
        if machine is not None and not authored.exists("hardware", machine):
            key = "hardware" if isinstance(run, SpeedRun) else "hardware_id"
            yield record.doc.problem((key,), f"machine '{machine}' has no file catalog/hardware/{machine}.yaml")
        if isinstance(run, HarnessRun | SpeedRun):
            continue
        if not authored.exists("suites", run.suite):
            yield record.doc.problem(("suite",), f"suite '{run.suite}' has no file catalog/suites/{run.suite}.yaml")
        if len(run.results) != run.summary.prompts:
            yield record.doc.problem(("summary", "prompts"), "summary.prompts differs from the number of results")


def family_defaults_valid(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """A family's default licence exists and each default it sets is sourced."""
    for record in authored.families.values():
        data = record.data
        licence = data.defaults.licence
        if licence is not None and not authored.exists("licences", licence):
            yield record.doc.problem(
                ("defaults", "licence"), f"licence '{licence}' has no file catalog/licences/{licence}.yaml"
            )
        supported, problems = _supported(record, data.sources, SUPPORTABLE_FAMILY_FIELDS, "a family field")
        yield from problems
        for name, value in data.defaults:
            if value is not None and name not in supported:
                yield record.doc.problem(
                    ("defaults", name),
                    f"default '{name}' has no source: add it to the 'supports' of a source",
                )


SIZE_TOKEN = re.compile(r"(\d+(\.\d+)?[bmk]|\d+x\d+(\.\d+)?b|a\d+(\.\d+)?b|\d+e|e\d+b|mini|small|medium|large|tiny)")
VERSIONED_NAME = re.compile(r"([A-Za-z][A-Za-z -]*?)[ -]?(\d+(?:\.\d+)*)(?=$|[ -])")


def model_line(name: str) -> str:
    """A model's line: its name without size words ('Qwen2.5 72B Instruct' -> 'qwen2.5 instruct')."""
    return " ".join(t for t in re.split(r"[\s-]+", name.lower()) if not SIZE_TOKEN.fullmatch(t))


def name_version(name: str) -> tuple[str, tuple[int, ...]] | None:
    """('llama', (3, 1)) for 'Llama 3.1 8B Instruct'; None when the name carries no version."""
    match = VERSIONED_NAME.match(name)
    if not match:
        return None
    stem = re.sub(r"[ -]+v?$", "", match.group(1).lower().rstrip(" -"))
    return stem, tuple(int(part) for part in match.group(2).split("."))


def licences_consistent_in_line(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Sizes of one line share a licence, or the odd one out says why in its licence source's note.

    Qwen2.5 3B and 72B really are under other licences than their Apache 2.0 siblings; a copied
    wrong licence looks the same, so the difference must be stated where a reader sees it.
    """
    lines: dict[tuple[str, str], list[ModelEntry]] = defaultdict(list)
    for entry in catalog.models.values():
        lines[entry.family_id, model_line(entry.model.name)].append(entry)
    for entries in lines.values():
        counts = Counter(e.model.licence for e in entries)
        if len(counts) < 2:
            continue
        (first, n_first), *rest = counts.most_common()
        usual = first if not rest or n_first > rest[0][1] else None  # a tie has no usual licence
        for entry in entries:
            explained = any(s.note for s in entry.sources if "licence" in s.supports)
            if entry.model.licence == usual or explained:
                continue
            others = [e for e in entries if e.model.licence != entry.model.licence]
            listed = ", ".join(f"{e.model.name} ({e.model.licence})" for e in others)
            yield authored.models[entry.id].doc.problem(
                ("licence",) if "licence" not in entry.inherited else (),
                f"licence '{entry.model.licence}' differs from other sizes of this line: {listed}; if that "
                "is right, say so in the note of the source that supports 'licence'",
            )


def release_dates_in_order(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Within a family, a later version of a line (Llama 3.1 after Llama 3) was not released earlier."""
    by_stem: dict[tuple[str, str], list[tuple[tuple[int, ...], dt.date, ModelEntry]]] = defaultdict(list)
    for entry in catalog.models.values():
        named = name_version(entry.model.name)
        if named and entry.model.release_date:
            by_stem[entry.family_id, named[0]].append((named[1], entry.model.release_date, entry))
    for versions in by_stem.values():
        for version, released, entry in versions:
            earlier = [(d, e) for v, d, e in versions if v < version and d > released]
            if earlier:
                first_date, first = min(earlier, key=lambda pair: pair[0])
                yield authored.models[entry.id].doc.problem(
                    ("release_date",),
                    f"released {released}, before the earlier version {first.model.name} "
                    f"({first_date}): check both dates",
                )


def unique_across_models(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """Names and Hugging Face repos identify one model each."""
    for attr in ("name", "hf_repo"):
        seen: dict[str, str] = {}
        for record in authored.models.values():
            value = getattr(record.data, attr)
            if value is None:
                continue
            key = value.lower()
            if key in seen:
                yield record.doc.problem((attr,), f"{attr} '{value}' is already used by {seen[key]}")
            else:
                seen[key] = record.doc.path


def watch_covers_the_familys_repositories(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """A family that says where its releases appear covers its own catalogued repositories (else the watch would
    miss their successors)."""
    for record in authored.models.values():
        family = catalog.families.get(record.family_id or "")
        repo = record.data.hf_repo
        if family is None or not family.watch or repo is None:
            continue
        org, name = repo.split("/", 1)
        if not any(w.org == org and any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in w.names)
                   for w in family.watch):  # fmt: skip
            yield record.doc.problem(
                ("hf_repo",), f"{repo} is not covered by the `watch:` list of catalog/families/{record.family_id}.yaml"
            )


def watch_reports_name_families(authored: Authored, catalog: Catalog) -> Iterator[Problem]:
    """A watch report is named after a family that exists."""
    for record in authored.watch.values():
        if not authored.exists("families", record.id):
            yield record.doc.problem((), f"there is no family '{record.id}' (catalog/families/{record.id}.yaml)")


CHECKS = (
    family_and_licence_exist,
    parameters_consistent,
    context_plausible,
    parameters_match_config,
    dates_not_in_future,
    benchmarks_in_range,
    model_facts_sourced,
    licence_terms_sourced,
    licence_classified_by_the_rule,
    family_defaults_valid,
    hardware_facts_sourced,
    prices_complete,
    runtimes_sourced,
    glossary_terms_unique,
    runs_refer_to_the_catalog,
    unique_across_models,
    licences_consistent_in_line,
    release_dates_in_order,
    watch_covers_the_familys_repositories,
    watch_reports_name_families,
)


def run_checks(authored: Authored, catalog: Catalog) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(authored, catalog)]
