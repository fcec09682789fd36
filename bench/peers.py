#!/usr/bin/python3
"""Times the native peers on problems written by bench/peers.ts.

usage: peers.py manifest.json out.json

manifest: {"budget": seconds per measurement, "problems": [{"name", "m", "n",
"k", "p", "A", "Y", "nihtMaxIter", "nihtTol"}]}; A is a file of m*n float64
(native byte order, column-major), Y of m*p float64 (column-major, column j
is signal j). Writes {"versions", "threads", "problems": [...]} to out.json:
per problem, median milliseconds of
- scikit-learn orthogonal_mp on signal 0 (single) and on all p signals with
  precompute=True (batch), with BLAS limited to 1 thread and at its default;
- a numpy normalized IHT (Blumensath and Davies 2010; the step rule of
  assembly/solvers/niht.ts: c = 0.01, halving backtracking, first support the
  top k of A^T y, stop at tol or at a fixed point) on signal 0 and on all p;
and the supports found, so that the caller can check both sides solved the
same problems.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import orthogonal_mp
from threadpoolctl import threadpool_info, threadpool_limits

NIHT_C = 0.01
NIHT_KAPPA = 2.0 / (1.0 - NIHT_C)
NIHT_MAX_SHRINKS = 64
STALL_TOL = 1e-12


def top_k(v, k):
    """Indices of the k largest |v|, ascending."""
    # ties are broken arbitrarily (the WASM side takes the lowest index): random data has none
    idx = np.argpartition(-np.abs(v), k - 1)[:k]
    return np.sort(idx)


def niht(A, y, k, max_iter, tol):
    """Normalized IHT; returns (x, support, iterations)."""
    m, n = A.shape
    ynorm = np.linalg.norm(y)
    x = np.zeros(n)
    if ynorm == 0.0:
        return x, np.zeros(0, dtype=int), 0
    r = y.copy()
    g = A.T @ r
    G = top_k(g, k)
    g_ready = True
    it = 0
    while it < max_iter:
        it += 1
        if not g_ready:
            g = A.T @ r
        g_ready = False
        gG = g[G]
        w = A[:, G] @ gG
        gn, wn = np.linalg.norm(gG), np.linalg.norm(w)
        if not (gn > 0 and wn > 0):
            S0 = top_k(g, k)
            gS = g[S0]
            w = A[:, S0] @ gS
            gn, wn = np.linalg.norm(gS), np.linalg.norm(w)
        mu = 0.0 if not (gn > 0 and wn > 0) else (gn / wn) ** 2
        shrinks = 0
        while True:
            u = x + mu * g
            S = top_k(u, k)
            xn = np.zeros(n)
            xn[S] = u[S]
            d = xn - x
            dnorm = np.linalg.norm(d)
            if np.array_equal(S, G):
                break
            an = np.linalg.norm(A @ d)
            if not an > 0:
                break
            if mu <= (1.0 - NIHT_C) * (dnorm / an) ** 2:
                break
            if shrinks >= NIHT_MAX_SHRINKS:
                break
            mu = mu / (NIHT_KAPPA * (1.0 - NIHT_C))
            shrinks += 1
        same = np.array_equal(S, G)
        x = xn
        G = S
        r = y - A[:, G] @ x[G]
        if np.linalg.norm(r) <= tol * ynorm:
            break
        if same and dnorm <= STALL_TOL * np.linalg.norm(x):
            break
    return x, G[x[G] != 0], it


def median_ms(f, budget, max_runs=200):
    f()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < budget and len(times) < max_runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
        if len(times) >= 1 and time.perf_counter() - start > 4 * budget:
            break
    times.sort()
    return 1000.0 * times[len(times) // 2], len(times)


def run_problem(p, budget):
    m, n, k, P = p["m"], p["n"], p["k"], p["p"]
    A = np.asfortranarray(np.fromfile(p["A"], dtype=np.float64).reshape((n, m)).T)
    Y = np.asfortranarray(np.fromfile(p["Y"], dtype=np.float64).reshape((P, m)).T)
    y0 = Y[:, 0].copy()
    out = {"name": p["name"], "m": m, "n": n, "k": k, "p": P}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, limit in (("1thread", 1), ("default", None)):
            ctx = threadpool_limits(limits=limit) if limit else threadpool_limits(limits=None)
            with ctx:
                single, runs1 = median_ms(lambda: orthogonal_mp(A, y0, n_nonzero_coefs=k), budget)
                batch, runsb = median_ms(lambda: orthogonal_mp(A, Y, n_nonzero_coefs=k, precompute=True), budget, max_runs=20)
            out[f"ompSingleMs_{label}"] = single
            out[f"ompBatchMs_{label}"] = batch
            out[f"ompBatchPerSolveMs_{label}"] = batch / P
            out[f"runs_{label}"] = [runs1, runsb]
        coef = orthogonal_mp(A, Y, n_nonzero_coefs=k, precompute=True)
        coef = coef.reshape(n, P)
        out["ompSupports"] = [[int(j) for j in np.flatnonzero(coef[:, c])] for c in range(P)]
        coef1 = orthogonal_mp(A, y0, n_nonzero_coefs=k)
        out["ompSingleSupport"] = [int(j) for j in np.flatnonzero(coef1)]
        mi, tol = p["nihtMaxIter"], p["nihtTol"]
        with threadpool_limits(limits=1):
            single, _ = median_ms(lambda: niht(A, y0, k, mi, tol), budget)
            t0 = time.perf_counter()
            iters = []
            supports = []
            for c in range(P):
                _, S, it = niht(A, Y[:, c].copy(), k, mi, tol)
                iters.append(it)
                supports.append([int(j) for j in S])
            batch = (time.perf_counter() - t0) * 1000.0
        out["nihtSingleMs_1thread"] = single
        out["nihtPerSolveMs_1thread"] = batch / P
        out["nihtIterations"] = iters
        out["nihtSupports"] = supports
    return out


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    budget = float(manifest["budget"])
    results = [run_problem(p, budget) for p in manifest["problems"]]
    blas = [{"internal_api": i.get("internal_api"), "version": i.get("version"), "num_threads": i.get("num_threads")}
            for i in threadpool_info()]
    with open(sys.argv[2], "w") as f:
        json.dump({
            "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
            "blas": blas,
            "problems": results,
        }, f)


if __name__ == "__main__":
    main()
