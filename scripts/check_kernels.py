"""Run the chapters under every OpenBLAS kernel this CPU can run, with one and two threads.

Usage (from anywhere)::

    python scripts/check_kernels.py                          # python -m pytest chapters
    python scripts/check_kernels.py chapters/06_vanishing_exploding.ipynb

Floating-point results differ in their last bits between BLAS kernels and thread counts; a
chapter's stored outputs and asserts must hold under all of them, as on readers' machines.
Each setting runs ``python -m pytest`` with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_NUM_THREADS``
set for that run only; the summary line of each run is printed, and the script exits non-zero
if any setting fails. Kernels this CPU cannot run (SkylakeX needs AVX-512) are skipped and
listed. This is a check to run by hand before a change to the chapters lands: the test suite
and CI leave ``OPENBLAS_CORETYPE`` as the machine sets it.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the CPU flags each kernel needs (see /proc/cpuinfo); Zen runs on the AVX2 kernels too
KERNELS = {"Sandybridge": {"avx"}, "Haswell": {"avx2", "fma"}, "Zen": {"avx2", "fma"},
           "SkylakeX": {"avx512f", "avx512bw", "avx512vl"}}


def cpu_flags():
    """The CPU's feature flags, from /proc/cpuinfo (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["chapters"],
                        help="what pytest runs (default: chapters)")
    parser.add_argument("--threads", default="1,2", help="thread counts (default: 1,2)")
    args = parser.parse_args()
    flags = cpu_flags()
    runnable = [kernel for kernel, needs in KERNELS.items() if needs <= flags]
    skipped = [kernel for kernel in KERNELS if kernel not in runnable]
    if skipped:
        print(f"skipped (this CPU lacks their instructions): {', '.join(skipped)}")
    failed = []
    for kernel in runnable:
        for threads in args.threads.split(","):
            env = dict(os.environ, OPENBLAS_CORETYPE=kernel, OPENBLAS_NUM_THREADS=threads)
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.paths],
                cwd=ROOT, env=env, capture_output=True, text=True)
            lines = result.stdout.strip().splitlines() or ["(no output)"]
            failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
            print(f"{kernel:11} {threads} thread(s): {lines[-1]}  "
                  f"[{time.perf_counter() - start:.0f} s]", flush=True)
            for line in failures:
                print(f"    {line}")
            if result.returncode != 0:
                failed.append(f"{kernel}/{threads}")
    if failed:
        sys.exit(f"failed under: {', '.join(failed)}")


if __name__ == "__main__":
    main()
