"""Benchmark runner throughput: 200 requests at concurrency 16 against a local server that answers in 100 ms.

Targets (issue 7): the run finishes within 1.25 x the ideal 1.25 s (200 / 16 x 0.1 s), and the runner's own
overhead is under 2 ms per request. The overhead is CPU time in the runner's process (the server runs in
another): the runner's, minus what the same 200 streamed requests cost through the official openai client
alone (the floor any runner on that client pays), divided by the requests. Both totals are printed too.
Prints each figure, its target and their ratio; exits 1 when a target is missed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from report import report  # noqa: E402

from generator.bench import client  # noqa: E402
from generator.bench.runner import Options, run  # noqa: E402

REQUESTS, CONCURRENCY, DELAY_S = 200, 16, 0.1
IDEAL_S = REQUESTS / CONCURRENCY * DELAY_S
# A lean asyncio server (keep-alive, one task per connection) so the measurement is of the runner, not of a
# thread-per-request test server: it answers every chat request after DELAY_S with a short event stream.
SERVER = r"""
import asyncio, json, sys
DELAY = float(sys.argv[1])
CHUNK = lambda text, finish=None: {"id": "b", "object": "chat.completion.chunk", "created": 0, "model": "ok",
                                   "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]}
EVENTS = [CHUNK("The"), CHUNK(" answer"), CHUNK(" is"), CHUNK(" 42."), CHUNK("", "stop"),
          {"id": "b", "object": "chat.completion.chunk", "created": 0, "model": "ok", "choices": [],
           "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}}]
STREAM = "".join(f"data: {json.dumps(e)}\n\n" for e in EVENTS).encode() + b"data: [DONE]\n\n"
MODELS = json.dumps({"object": "list", "data": [{"id": "ok", "object": "model", "owned_by": "bench"}]}).encode()

def reply(status, kind, body):
    head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body

async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            method, path, _ = line.decode().split(" ", 2)
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            if method == "POST" and path.endswith("/chat/completions"):
                await asyncio.sleep(DELAY)
                writer.write(reply("200 OK", "text/event-stream", STREAM))
            elif path.rstrip("/").endswith("/v1/models"):
                writer.write(reply("200 OK", "application/json", MODELS))
            else:
                writer.write(reply("404 Not Found", "application/json", b"{}"))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
    print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1", flush=True)
    await server.serve_forever()

asyncio.run(main())
"""
SUITE = "name: Throughput\ndescription: 25 short prompts.\nsampling: {max_tokens: 16}\nprompts:\n" + "".join(
    f"  - {{id: p{i}, category: reasoning, prompt: 'Question {i}?', check: {{number: 42}}}}\n" for i in range(25)
)


def client_alone_ms(base_url: str) -> float:
    """CPU per request of the same streamed requests made with the openai client and nothing else."""
    http = client.make_http(30, base_url)
    bare = client.make_client(base_url, "x", 0, http)

    def one(i: int) -> None:
        with bare.chat.completions.with_streaming_response.create(
            model="ok",
            messages=[{"role": "user", "content": f"Question {i % 25}?"}],
            stream=True,
            stream_options={"include_usage": True},
            max_tokens=16,
            temperature=0.0,
            top_p=1.0,
            seed=0,
        ) as response:
            for _ in response.iter_lines():
                pass

    one(0)  # warm: connection pool and lazy imports
    cpu = time.process_time()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        list(pool.map(one, range(REQUESTS)))
    return (time.process_time() - cpu) * 1000 / REQUESTS


def main() -> int:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(DELAY_S)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        base_url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            suite = Path(tmp) / "throughput.yaml"
            suite.write_text(SUITE)
            options = Options(base_url=base_url, model="ok", suite_path=suite, root=Path(tmp), concurrency=CONCURRENCY,
                              repeats=REQUESTS // 25, progress=False)  # fmt: skip
            cpu, wall = time.process_time(), time.perf_counter()
            done = run(options)
            wall = time.perf_counter() - wall
            cpu_ms = (time.process_time() - cpu) * 1000 / REQUESTS
            floor_ms = client_alone_ms(base_url)
    finally:
        server.terminate()
    assert done.summary["prompts"] == REQUESTS and done.summary["errors"] == 0, done.summary
    rows = [
        (
            f"{REQUESTS} requests at concurrency {CONCURRENCY}, 100 ms each: wall s (ideal {IDEAL_S:g})",
            wall,
            IDEAL_S * 1.25,
        ),
        ("runner's own CPU per request beyond the openai client, ms", max(cpu_ms - floor_ms, 0.0), 2.0),
        ("  runner process CPU per request, ms (no target)", cpu_ms, None),
        ("  the openai client alone, same requests, ms (no target)", floor_ms, None),
    ]
    return report("runner", "runner benchmark", rows, digits=3)


if __name__ == "__main__":
    sys.exit(main())
