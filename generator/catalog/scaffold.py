"""`python -m generator new-model <family>/<id> [--from-hf-config config.json]`: a model file to fill in.

The skeleton (new-model.yaml.j2, beside this file) validates apart from the lines marked FILL, which are null (or
empty) so that `validate` names each one until it is filled. From a Hugging Face config.json the
architecture block is filled; the values a config cannot state for sure (context, parameters) are only
given as hints in comments.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jinja2
import yaml
from pydantic import ValidationError

from . import schemafiles
from .fields import ID_PATTERN
from .schema import Config

TEMPLATES = Path(__file__).resolve().parent  # new-model.yaml.j2
# Config field -> the keys Hugging Face configs use for it, in order of preference.
HF_KEYS: dict[str, tuple[str, ...]] = {
    "layers": ("num_hidden_layers", "n_layer", "num_layers"),
    "hidden_size": ("hidden_size", "n_embd", "d_model"),
    "intermediate_size": ("intermediate_size", "ffn_dim", "n_inner"),
    "attention_heads": ("num_attention_heads", "n_head"),
    "kv_heads": ("num_key_value_heads", "num_kv_heads"),
    "head_dim": ("head_dim",),
    "vocab_size": ("vocab_size",),
    "experts": ("num_local_experts", "num_experts", "n_routed_experts"),
    "experts_per_token": ("num_experts_per_tok", "moe_topk"),
    "shared_experts": ("n_shared_experts",),
    "sliding_window": ("sliding_window",),
    "kv_lora_rank": ("kv_lora_rank",),
    "qk_rope_head_dim": ("qk_rope_head_dim",),
    "tie_word_embeddings": ("tie_word_embeddings",),
}


class ScaffoldError(Exception):
    """A problem the contributor can fix; the message says what."""


def read_hf_config(path: Path) -> dict:
    """config.json as a dict (a multimodal model's text_config when the top level has no layers)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaffoldError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise ScaffoldError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise ScaffoldError(f"{path}: a config.json is a JSON object")
    if not any(k in data for k in HF_KEYS["layers"]) and isinstance(data.get("text_config"), dict):
        return {**data["text_config"], "_name_or_path": data.get("_name_or_path")}
    return data


def config_block(hf: dict, skip_invalid: bool = False) -> dict[str, object]:
    """The catalog's config fields found in a Hugging Face config, checked against the schema. A value of the wrong
    type or range is an error, or with `skip_invalid` left out (the caller says so): the watch keeps the rest."""
    found: dict[str, object] = {}
    for field, keys in HF_KEYS.items():
        value = next((hf[k] for k in keys if hf.get(k) is not None), None)
        if field == "sliding_window" and hf.get("use_sliding_window") is False:
            value = None
        if value is not None:
            found[field] = value
    while True:
        try:
            checked = Config.model_validate(found)
            break
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0])
            if not skip_invalid:
                keys = HF_KEYS[field]
                raise ScaffoldError(
                    f"config.json: {'/'.join(k for k in keys if k in hf)} = {first['input']!r}: {first['msg']}"
                ) from None
            del found[field]
    return {k: v for k, v in checked.model_dump().items() if v is not None}


def invalid_config_keys(hf: dict) -> list[str]:
    """The config.json keys config_block(hf, skip_invalid=True) leaves out, for a note."""
    kept = config_block(hf, skip_invalid=True)
    return [next(k for k in keys if hf.get(k) is not None) for field, keys in HF_KEYS.items()
            if field not in kept and any(hf.get(k) is not None for k in keys)
            and not (field == "sliding_window" and hf.get("use_sliding_window") is False)]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Prefilled:
    """Facts a draft starts with (the watch's, from a Hub repository's metadata): each field's YAML value and
    where it came from, and the sources that state them. Every value is already YAML text of a checked shape."""

    repo: str
    filled: dict[str, str] = dataclasses.field(default_factory=dict)
    origin: dict[str, str] = dataclasses.field(default_factory=dict)
    sources: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)
    downloads: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (repo, quants as a YAML flow mapping)
    hints: dict[str, str] = dataclasses.field(default_factory=dict)  # created, licence, pipeline: comment text
    unread: list[str] = dataclasses.field(default_factory=list)  # what the metadata could not give, and why


def render(
    family_id: str,
    model_id: str,
    catalog_root: Path,
    hf: dict | None,
    config_from: str | None,
    prefilled: Prefilled | None = None,
) -> str:
    family = _family_defaults(catalog_root / "families" / f"{family_id}.yaml")

    def default(field: str) -> str:
        value = family.get(field)
        return "" if value is None else f" (the family's default: {json.dumps(value)})"

    repo = hf.get("_name_or_path") if hf else None
    repo = repo if isinstance(repo, str) and re.fullmatch(r"[\w.-]+/[\w.-]+", repo) else None
    positions = hf.get("max_position_embeddings") if hf else None
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)  # fmt: skip
    target = catalog_root / "models" / family_id / f"{model_id}.yaml"
    given = prefilled or Prefilled(repo="")
    hint = given.hints
    return env.get_template("new-model.yaml.j2").render(
        schema_line=schemafiles.line_for(target, "models", catalog_root),
        family_id=family_id,
        model_id=model_id,
        default=default,
        config=[
            (k, json.dumps(v)) for k, v in (config_block(hf, skip_invalid=prefilled is not None) if hf else {}).items()
        ],
        config_from=config_from,
        hint_context=f"; config.json's max_position_embeddings is {positions}" if isinstance(positions, int) else "",
        hint_repo=f"; config.json names {repo}" if repo and not prefilled else "",
        hint_config_url=f", e.g. https://huggingface.co/{repo}/blob/main/config.json" if repo and config_from else "",
        hint_created=hint.get("created", ""),
        hint_licence=hint.get("licence", ""),
        hint_pipeline=hint.get("pipeline", ""),
        drafted_from=given.repo,
        unread=[" ".join(n.split()) for n in given.unread],  # one line each: they land in YAML comments
        filled=given.filled,
        origin=given.origin,
        sources=given.sources,
        downloads=given.downloads,
    )


def _family_defaults(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    defaults = data.get("defaults") if isinstance(data, dict) else None
    return defaults if isinstance(defaults, dict) else {}


def new_model(root: Path, target: str, hf_config: Path | None = None) -> tuple[Path, list[str]]:
    """Write catalog/models/<family>/<id>.yaml; returns its path and notes for the contributor."""
    family_id, _, model_id = target.partition("/")
    for part, what in ((family_id, "family"), (model_id, "model id")):
        if not re.fullmatch(ID_PATTERN, part or ""):
            raise ScaffoldError(
                f"'{target}': the {what} must be lowercase letters, digits, '.' and '-' (as in llama/llama-3.1-8b)"
            )
    catalog_root = root / "catalog"
    path = catalog_root / "models" / family_id / f"{model_id}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root)} already exists; edit it instead")
    clash = list((catalog_root / "models").glob(f"*/{model_id}.yaml"))
    if clash:
        raise ScaffoldError(f"the id '{model_id}' is already used by {clash[0].relative_to(root)}")
    hf = read_hf_config(hf_config) if hf_config else None
    text = render(family_id, model_id, catalog_root, hf, hf_config.name if hf_config else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    notes = []
    if not (catalog_root / "families" / f"{family_id}.yaml").is_file():
        notes.append(f"there is no catalog/families/{family_id}.yaml yet: add the family too (see CONTRIBUTING.md)")
    return path, notes
