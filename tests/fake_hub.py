"""A stand-in for the Hugging Face Hub that answers with recorded responses (tests/data/hub/, SOURCES.md there says
where each was recorded), so the watch runs against the real huggingface_hub client without the network.

`FakeHub(routes)` serves, for each request path (an organisation's listing is "/api/models?author=<org>"), the
answers queued for it in order, the last one again for every later request. An answer is a status and a body, or
the name of a recorded raw response (`http_*.txt`: status line, headers, blank line, body), replayed as recorded.
Anything not routed is the recorded 401 the Hub gives an anonymous request for something that does not exist.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "hub"
HOP = {"connection", "content-length", "transfer-encoding", "keep-alive"}
NOT_FOUND = "http_401_router_invalid-credentials.txt"


def recorded(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def listing(*names: str) -> str:
    """An organisation's listing made of recorded repository objects (each file one object or a list)."""
    items = []
    for name in names:
        data = json.loads(recorded(name))
        items += data if isinstance(data, list) else [data]
    return json.dumps(items)


def raw(name: str) -> tuple[int, list[tuple[str, str]], bytes]:
    head, _, body = recorded(name).partition("\n\n")
    status_line, *header_lines = head.splitlines()
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in header_lines]
    return int(status_line.split()[1]), [h for h in headers if h[0].lower() not in HOP], body.encode()


class FakeHub:
    def __init__(self, routes: dict[str, list]):
        self.routes = {path: list(answers) for path, answers in routes.items()}
        self.seen: dict[str, int] = defaultdict(int)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # the name http.server calls
                url = urlsplit(self.path)
                key = url.path
                if url.path == "/api/models":
                    key += "?author=" + parse_qs(url.query).get("author", [""])[0]
                hub.seen[key] += 1
                answers = hub.routes.get(key) or [NOT_FOUND]
                answer = answers[min(hub.seen[key], len(answers)) - 1]
                if isinstance(answer, str) and answer.startswith("http_"):
                    status, headers, body = raw(answer)
                else:
                    status, body = answer if isinstance(answer, tuple) else (200, answer)
                    headers, body = [("Content-Type", "application/json")], body.encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
