"""Talking to an OpenAI-compatible server with the official `openai` client: one streamed chat request with
its timings (ask), and what the server says about itself (probe).

Retries on 429 and 5xx, with backoff and honouring Retry-After, are the openai client's own (max_retries).
A request also has a wall-clock limit, so a server trickling bytes forever still ends in an error.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import httpx2 as httpx  # the HTTP library the openai client is built on
import openai


class ServerProblem(Exception):
    """The server cannot be used for this run (unreachable, or it does not serve the model)."""


@dataclass
class Outcome:
    """What one request gave: the answer and its timings, or the error that ended it."""

    answer: str = ""
    error: str | None = None
    latency_s: float | None = None
    ttft_s: float | None = None
    output_tokens: int | None = None
    prompt_tokens: int | None = None
    tool_calls: list[dict] | None = None  # [{name, arguments}] as the server streamed them


def make_http(timeout_s: float, base_url: str) -> httpx.Client:
    """One HTTP connection pool for the whole run, shared by the openai client and probe(). Certificates are
    loaded only for an https: server (loading them costs about 50 ms that a local http: server never uses)."""
    timeout = httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    return httpx.Client(timeout=timeout, limits=limits, verify=base_url.startswith("https:"))


def make_client(base_url: str, api_key: str, retries: int, http: httpx.Client) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=retries, http_client=http)


def ask(client: openai.OpenAI, model: str, messages: list[dict], sampling: dict, timeout_s: float) -> Outcome:
    """One streamed chat completion. An empty or garbled answer is an error, never a pass."""
    start = time.perf_counter()
    out = Outcome()
    parts: list[str] = []
    calls: dict[int, dict] = {}  # tool calls by their index, their pieces joined as they stream
    chunks = 0
    finished = False
    try:
        # The raw event stream, parsed here: the client's per-chunk model objects cost more CPU than the
        # rest of the runner together (see benchmarks/runner.py).
        # messages and sampling are plain dicts from the suite file, not the client's typed parameters
        with client.chat.completions.with_streaming_response.create(  # type: ignore[call-overload]
            model=model, messages=messages, stream=True, stream_options={"include_usage": True}, **sampling
        ) as response:
            for line in response.iter_lines():
                if time.perf_counter() - start > timeout_s:
                    raise TimeoutError(f"no complete answer within {timeout_s:g} s")
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if not isinstance(chunk, dict):
                    raise ValueError("an event is not a JSON object")
                if "error" in chunk:
                    raise ValueError(f"the server reported an error mid-stream: {chunk['error']}")
                usage = chunk.get("usage")
                if usage:
                    out.output_tokens = usage.get("completion_tokens")
                    out.prompt_tokens = usage.get("prompt_tokens")
                for choice in chunk.get("choices") or ():
                    finished = finished or choice.get("finish_reason") is not None
                    delta = choice.get("delta") or {}
                    for piece in delta.get("tool_calls") or ():
                        _add_call_piece(calls, piece)
                        if out.ttft_s is None:
                            out.ttft_s = time.perf_counter() - start
                    text = delta.get("content")
                    if text:
                        if out.ttft_s is None:
                            out.ttft_s = time.perf_counter() - start
                        parts.append(text)
                        chunks += 1
    except openai.APIStatusError as exc:
        out.error = f"HTTP {exc.status_code}: {_short(exc.message)}"
    except (openai.APITimeoutError, httpx.TimeoutException):
        out.error = f"timed out after {timeout_s:g} s"
    except openai.APIConnectionError as exc:
        out.error = f"connection failed: {_short(str(exc.__cause__ or exc))}"
    except (openai.APIError, httpx.HTTPError, ValueError, TypeError, AttributeError) as exc:
        out.error = f"bad response: {_short(str(exc))}"
    except TimeoutError as exc:
        out.error = str(exc)
    out.latency_s = time.perf_counter() - start
    out.answer = "".join(parts)
    out.tool_calls = [calls[k] for k in sorted(calls)] or None
    if out.error is None and not finished:
        out.error = "the stream ended before the answer finished (connection dropped?)"
    if out.error is None and not out.answer.strip() and not out.tool_calls:
        out.error = "empty answer"
    if out.output_tokens is None and chunks:
        out.output_tokens = chunks  # the stream carried no usage: one token per content chunk, as servers send them
    return out


def _add_call_piece(calls: dict[int, dict], piece: object) -> None:
    """One streamed fragment of a tool call: the name arrives once, the arguments' JSON text in pieces."""
    if not isinstance(piece, dict):
        raise ValueError("a tool call fragment is not a JSON object")
    index = piece.get("index", 0)
    call = calls.setdefault(index if isinstance(index, int) else 0, {"name": "", "arguments": ""})
    function = piece.get("function") or {}
    if isinstance(function.get("name"), str):
        call["name"] += function["name"]
    if isinstance(function.get("arguments"), str):
        call["arguments"] += function["arguments"]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _get_json(http: httpx.Client, url: str, timeout_s: float = 5.0) -> object | None:
    try:
        response = http.get(url, timeout=timeout_s)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def server_root(base_url: str) -> str:
    return base_url.rstrip("/").removesuffix("/v1")


def check_model(client: openai.OpenAI, base_url: str, model: str) -> None:
    """Fail early, with a plain message, when the server is unreachable or does not know the model."""
    try:
        served = [m.id for m in client.models.list()]
    except openai.APIConnectionError as exc:
        raise ServerProblem(f"cannot reach {base_url}: {_short(str(exc.__cause__ or exc))}") from None
    except openai.APIStatusError as exc:
        if exc.status_code in (401, 403):
            raise ServerProblem(f"{base_url} refused the API key (HTTP {exc.status_code})") from None
        return  # some servers do not list models; the first request will tell
    if served and model not in served:
        raise ServerProblem(f"{base_url} does not serve model '{model}'; it serves: {', '.join(sorted(served))}")


def probe(http: httpx.Client, base_url: str, model: str) -> dict:
    """The server's kind and version, and the model's digest and quantization when the server reports them."""
    root = server_root(base_url)
    found: dict = {"kind": "openai-compatible", "version": None, "digest": None, "quantization": None}
    ollama = _get_json(http, f"{root}/api/version")
    if isinstance(ollama, dict) and "version" in ollama:
        found.update(kind="ollama", version=str(ollama["version"]))
        tags = _get_json(http, f"{root}/api/tags")
        for entry in (tags or {}).get("models", []) if isinstance(tags, dict) else []:
            if entry.get("name") == model or entry.get("model") == model:
                found["digest"] = entry.get("digest")
                found["quantization"] = (entry.get("details") or {}).get("quantization_level")
        return found
    vllm = _get_json(http, f"{root}/version")
    if isinstance(vllm, dict) and "version" in vllm:
        found.update(kind="vllm", version=str(vllm["version"]))
        return found
    props = _get_json(http, f"{root}/props")
    if isinstance(props, dict) and ("build_info" in props or "default_generation_settings" in props):
        found.update(kind="llama.cpp", version=props.get("build_info"))
    return found
