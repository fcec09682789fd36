#!/usr/bin/python3
"""Times numpy's FFT (pocketfft, complex128, one thread) for bench/operators.ts.

usage: numpy_fft.py budget_seconds n1 n2 ...
Prints {"numpy": version, "results": [{"n", "ms"}]}: ms is the median over
repeats of one np.fft.fft(x) call on a random complex128 vector of length n
(the call allocates its output, as numpy always does).
"""
import json
import sys
import time

import numpy as np


def median_ms(fn, budget):
    fn()  # warm-up (numpy caches the plan per length)
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < budget and len(times) < 10000):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


def main():
    budget = float(sys.argv[1])
    rng = np.random.default_rng(10)
    results = []
    for s in sys.argv[2:]:
        n = int(s)
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        results.append({"n": n, "ms": median_ms(lambda: np.fft.fft(x), budget)})
    print(json.dumps({"numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
