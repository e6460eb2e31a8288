"""llama-cpp-python's OpenAI-compatible server, started the way the tests and the stored runs start it.

`python tests/llama_server.py --model FILE --model_alias NAME ...` takes the arguments of
`python -m llama_cpp.server`, with one change: weight repacking into the CPU's extra buffer types is off
(llama.cpp's `--no-repack`). On a CPU with AMX (e.g. a Sapphire Rapids Xeon) the pinned build's AMX kernel
crashes with a segmentation fault on the first Q4_1 matrix product (ggml_backend_amx_mul_mat); without
repacking the same weights run on the AVX-512 kernels. `serving()` starts it on a free port for a test.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ENGINE_FLAGS = {"no_repack": True}  # what this launcher changes from llama-cpp-python's defaults


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(model: Path, alias: str, *args: str, wait_s: float = 60.0) -> Iterator[str]:
    """The server's OpenAI API root (http://127.0.0.1:<port>/v1) while the block runs."""
    import httpx2

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--model", str(model), "--model_alias", alias,
         "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                if httpx2.get(f"{base}/models", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"llama-cpp-python's server did not start (exit code {proc.poll()})")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    import llama_cpp
    from llama_cpp import llama
    from llama_cpp.server.__main__ import main as serve

    defaults = llama_cpp.llama_model_default_params

    def without_repack():  # the model parameters Llama() starts from, with repacking off
        params = defaults()
        params.use_extra_bufts = False
        return params

    llama.llama_cpp.llama_model_default_params = without_repack
    serve()


if __name__ == "__main__":
    main()
