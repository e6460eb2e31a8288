"""A local OpenAI-compatible server that misbehaves on purpose, for the runner's tests and `make bench`.

The model name picks the behaviour:
  ok            streams "<reply>" after `delay` seconds, with usage in the last chunk
  flaky-500     answers HTTP 500 to the first attempt at each prompt, then like ok
  always-500    always HTTP 500
  limit-429     answers 429 with Retry-After: 1 to the first attempt at each prompt, then like ok
  malformed     a stream whose data line is not JSON
  null-content  a stream whose chunks all carry content: null
  trickle       one chunk every 0.2 s, for a minute
  hang          headers, then silence for a minute
  drop          closes the connection halfway through the stream
  empty         a stream with no chunk at all, only [DONE]
  endless       a model that never stops: words every 10 ms, whatever max_tokens says, for a minute
  tool          streams a tool call (get_weather, arguments {"city": "Paris"}) in fragments, no text
  gone-after-2  answers two requests like ok, then closes every connection at once (a server that went away)
The reply is "The answer is 42." unless the prompt contains "REPLY:", whose rest of line is the reply (a backslash
followed by n in it is a line break).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODELS = ("ok", "flaky-500", "always-500", "limit-429", "malformed", "null-content", "trickle", "hang", "drop",
          "empty", "endless", "tool", "gone-after-2")  # fmt: skip


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, delay: float = 0.0):
        super().__init__(("127.0.0.1", 0), Handler)
        self.delay = delay
        self.attempts: Counter = Counter()
        self.lock = threading.Lock()
        self.requests = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: FakeServer

    def log_message(self, *args):  # quiet
        pass

    def _json(self, status: int, body: object, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/") == "/v1/models":
            self._json(
                200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "fake"} for m in MODELS]}
            )
        else:
            self._json(404, {"error": {"message": "not found"}})

    def _event(self, payload: str) -> None:
        self.wfile.write(f"data: {payload}\n\n".encode())
        self.wfile.flush()

    def _chunk(self, content: str | None, *, finish: str | None = None, usage: dict | None = None) -> str:
        choices = [] if usage else [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]
        body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake", "choices": choices}
        if usage:
            body["usage"] = usage
        return json.dumps(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length))
        model, prompt = request.get("model"), request["messages"][-1]["content"]
        with self.server.lock:
            self.server.requests += 1
            self.server.attempts[(model, prompt)] += 1
            attempt = self.server.attempts[(model, prompt)]
        if model not in MODELS:
            return self._json(404, {"error": {"message": f"model '{model}' not found"}})
        if model == "gone-after-2":
            with self.server.lock:
                self.server.served = getattr(self.server, "served", 0) + 1
                gone = self.server.served > 2 and not getattr(self.server, "back", False)
            if gone:
                self.connection.shutdown(2)
                return None
        if model == "always-500" or (model == "flaky-500" and attempt == 1):
            return self._json(500, {"error": {"message": "internal error"}})
        if model == "limit-429" and attempt == 1:
            return self._json(429, {"error": {"message": "slow down"}}, {"Retry-After": "1"})
        reply = prompt.split("REPLY:", 1)[1].splitlines()[0].strip() if "REPLY:" in prompt else "The answer is 42."
        reply = reply.replace("\\n", "\n")  # a literal \n in the prompt: a line break in the reply
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            if model == "malformed":
                self._event("{not json")
            elif model == "null-content":
                self._event(self._chunk(None))
                self._event(self._chunk(None, finish="stop"))
            elif model == "trickle":
                for _ in range(300):
                    self._event(self._chunk("."))
                    time.sleep(0.2)
            elif model == "hang":
                time.sleep(60)
            elif model == "empty":
                pass
            elif model == "endless":
                for _ in range(6000):
                    self._event(self._chunk(" more"))
                    time.sleep(0.01)
            elif model == "tool":
                call = {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
                for delta in (
                    {"tool_calls": [call]},
                    {"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]},
                    {"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]},
                ):
                    body = {
                        "id": "c1",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "fake",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                    self._event(json.dumps(body))
                self._event(self._chunk(None, finish="tool_calls"))
            elif model == "drop":
                self._event(self._chunk(reply[:5]))
                self.connection.shutdown(2)
                return
            else:
                words = reply.split(" ")
                for i, word in enumerate(words):
                    self._event(self._chunk(word if i == 0 else " " + word))
                self._event(self._chunk("", finish="stop"))
                if (request.get("stream_options") or {}).get("include_usage"):
                    usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(words),
                             "total_tokens": len(prompt.split()) + len(words)}  # fmt: skip
                    self._event(self._chunk(None, usage=usage))
            self._event("[DONE]")
        except (BrokenPipeError, ConnectionResetError):
            pass
