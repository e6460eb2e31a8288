"""Memory read bandwidth of this machine, as llama.cpp's decode sees it: numpy sums over 512 MB arrays, one per
thread, best of five, with 1 thread and with every logical CPU. The figure the catalog file of the test machine
(catalog/hardware/cloud-vm-2vcpu-xeon.yaml) cites for its bandwidth; not judged against a target."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from report import report

ARRAY_BYTES = 512 * 2**20


def read_gb_s(threads: int, arrays: list[np.ndarray], tries: int = 5) -> float:
    best = 0.0
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(tries):
            start = time.perf_counter()
            list(pool.map(np.sum, arrays[:threads]))  # numpy releases the GIL while it sums
            best = max(best, threads * ARRAY_BYTES / (time.perf_counter() - start) / 1e9)
    return best


def main() -> int:
    cpus = os.cpu_count() or 1
    arrays = [np.ones(ARRAY_BYTES // 8) for _ in range(cpus)]
    rows = [("read bandwidth, 1 thread, GB/s", read_gb_s(1, arrays), None)]
    if cpus > 1:
        rows.append((f"read bandwidth, {cpus} threads, GB/s", read_gb_s(cpus, arrays), None))
    return report("memory", "memory bandwidth benchmark", rows, digits=1)


if __name__ == "__main__":
    sys.exit(main())
