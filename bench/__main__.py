"""Every benchmark, one after the other; each prints its own table (`make bench`).

    .venv/bin/python -m bench [names febrl tracing search ...]

Benchmarks read ../shared/data where they need real name variants; they never run as
timed tests. Outputs land in bench/out/ (git-ignored).
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = (
    "names",
    "febrl",
    "febrl_service",
    "tracing",
    "search",
    "scale",
    "access",
    "load",
    "faults",
)


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    failed = []
    for name in chosen:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        print(f"=== bench.{name}: {time.perf_counter() - started:.0f} s, exit {result.returncode}")
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
