#!/usr/bin/python3
"""Builds test/fixtures/sklearn_lasso.json: scikit-learn's Lasso (coordinate
descent) on seeded problems, the reference test/fista.test.ts checks both
backends of our fista against (so CI needs no Python).

Run from the repository root with Debian's Python and scikit-learn:

    /usr/bin/python3 scripts/make_lasso_fixture.py

sklearn's Lasso minimises (1 / (2 m)) ||y - A w||^2 + alpha ||w||_1; with
alpha = lambda / m that is (1 / m) times our 1/2 ||A x - y||^2 + lambda ||x||_1,
so both have the same minimiser. fit_intercept=False, tol=1e-14 and a large
max_iter make the coordinate descent converge to rounding.

Layout of every problem in the JSON:
  name, note          what the problem is
  m, n                A is m x n
  A_f64le_colmajor    A as base64 of its m*n float64 values, little-endian,
                      column-major (entry (i, j) at index i + j*m)
  y                   m floats (shortest round-trip decimal)
  lambda              the l1 weight (lambda_ratio * ||A^T y||_inf)
  lambda_ratio        lambda / ||A^T y||_inf
  coef                sklearn's solution (n floats)
  support             indices of its nonzeros, ascending
  objective           1/2 ||A coef - y||^2 + lambda ||coef||_1 (numpy)
  well_posed          the support is well separated: every |a_j^T r| off the
                      support is below (1 - 1e-3) lambda, so the support is stable
"""
import base64
import json
import os
import platform
import sys

import numpy as np
import sklearn
from sklearn.linear_model import Lasso

PROBLEMS = [
    # (name, m, n, k, noise, lambda_ratio, seed, column scaling)
    ("gauss-40x80-k5", 40, 80, 5, 0.01, 0.1, 1, False),
    ("gauss-40x80-k5-small-lambda", 40, 80, 5, 0.01, 0.02, 2, False),
    ("gauss-60x200-k8", 60, 200, 8, 0.05, 0.15, 3, False),
    ("gauss-30x20-tall", 30, 20, 4, 0.1, 0.05, 4, False),
    ("gauss-50x100-large-lambda", 50, 100, 6, 0.02, 0.6, 5, False),
    ("scaled-columns-40x90", 40, 90, 5, 0.01, 0.1, 6, True),
    ("gauss-25x60-k3", 25, 60, 3, 0.0, 0.05, 7, False),
]


def problem(m, n, k, noise, seed, scaled):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n)) / np.sqrt(m)
    if scaled:
        A = A * rng.uniform(0.2, 5.0, size=n)
    x = np.zeros(n)
    x[rng.choice(n, size=k, replace=False)] = rng.standard_normal(k) + np.sign(rng.standard_normal(k))
    y = A @ x + noise * rng.standard_normal(m)
    return A, y


def main():
    out = {
        "generator": "scripts/make_lasso_fixture.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "problems": [],
    }
    for name, m, n, k, noise, ratio, seed, scaled in PROBLEMS:
        A, y = problem(m, n, k, noise, seed, scaled)
        lam = ratio * np.max(np.abs(A.T @ y))
        model = Lasso(alpha=lam / m, fit_intercept=False, tol=1e-14, max_iter=10_000_000, selection="cyclic")
        model.fit(A, y)
        coef = model.coef_.astype(np.float64)
        r = y - A @ coef
        obj = 0.5 * float(r @ r) + lam * float(np.abs(coef).sum())
        support = [int(j) for j in np.flatnonzero(coef)]
        off = np.setdiff1d(np.arange(n), support)
        corr = np.abs(A[:, off].T @ r) if len(off) else np.zeros(0)
        well = bool(len(off) == 0 or corr.max() < (1 - 1e-3) * lam)
        out["problems"].append({
            "name": name,
            "note": f"seed {seed}, k = {k}, noise {noise}, columns {'scaled' if scaled else 'Gaussian / sqrt(m)'}",
            "m": m, "n": n,
            "A_f64le_colmajor": base64.b64encode(np.asfortranarray(A).astype("<f8").tobytes(order="F")).decode(),
            "y": [float(v) for v in y],
            "lambda": float(lam),
            "lambda_ratio": ratio,
            "coef": [float(v) for v in coef],
            "support": support,
            "objective": obj,
            "well_posed": well,
        })
    path = os.path.join("test", "fixtures", "sklearn_lasso.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {path}: {len(out['problems'])} problems", file=sys.stderr)


if __name__ == "__main__":
    main()
