#!/usr/bin/python3
"""Times scikit-learn's orthogonal_mp on problems written by bench/native.ts.

usage: sklearn_omp.py manifest.json
manifest: {"budget": seconds per problem, "problems": [{"m","n","k","A","y"}]},
A is a file of m*n float64 (native byte order) column-major, y of m float64.
Prints {"versions": {...}, "results": [{"m","n","k","ms","support"}]}: ms is
the median over repeats of one orthogonal_mp(A, y, n_nonzero_coefs=k) call.
Run it with OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1 (bench/native.ts does).
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import orthogonal_mp


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    budget = float(manifest["budget"])
    results = []
    for p in manifest["problems"]:
        m, n, k = p["m"], p["n"], p["k"]
        A = np.fromfile(p["A"], dtype=np.float64).reshape((n, m)).T  # column-major -> (m, n) view, Fortran order
        y = np.fromfile(p["y"], dtype=np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            coef = orthogonal_mp(A, y, n_nonzero_coefs=k)  # warm-up
            times = []
            start = time.perf_counter()
            while len(times) < 3 or (time.perf_counter() - start < budget and len(times) < 200):
                t0 = time.perf_counter()
                orthogonal_mp(A, y, n_nonzero_coefs=k)
                times.append(time.perf_counter() - t0)
        times.sort()
        results.append({
            "m": m, "n": n, "k": k,
            "ms": 1000.0 * times[len(times) // 2],
            "support": [int(j) for j in np.flatnonzero(coef)],
        })
    print(json.dumps({"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__}, "results": results}))


if __name__ == "__main__":
    main()
