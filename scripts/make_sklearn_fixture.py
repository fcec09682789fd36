#!/usr/bin/python3
"""Builds test/fixtures/sklearn_omp.json: scikit-learn's orthogonal_mp on
about 20 seeded problems, the reference test/sklearn.test.ts checks both
backends of our omp against (so CI needs no Python).

Run from the repository root with Debian's Python and scikit-learn:

    /usr/bin/python3 scripts/make_sklearn_fixture.py

Layout of every problem in the JSON:
  name, note          what the problem is
  m, n, k             A is m x n; k = n_nonzero_coefs
  A_f64le_colmajor    A as base64 of its m*n float64 values, little-endian,
                      COLUMN-MAJOR (entry (i, j) at index i + j*m), exactly the
                      doubles sklearn saw (base64 keeps the file small and exact)
  y                   m floats (shortest round-trip decimal)
  support             sklearn's chosen atoms, ascending
  coef                sklearn's coefficients on `support` (same order)
  order               sklearn's chosen atoms in selection order
  n_iter              atoms sklearn chose (return_n_iter)
  sklearn_premature   True when sklearn warned "ended prematurely"
  residual_norm       ||y - A coef|| computed here with numpy

Every coefficient off `support` is exactly 0 in sklearn's output.
"""
import base64
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.linear_model import orthogonal_mp
from sklearn.linear_model._omp import _cholesky_omp  # for the selection order only

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "sklearn_omp.json")


def unit_columns(A):
    norms = np.sqrt((A * A).sum(axis=0))
    return A / norms


def gaussian(rng, m, n):
    return unit_columns(rng.standard_normal((m, n)))


def sparse_signal(rng, n, k, bounded=False):
    x = np.zeros(n)
    supp = rng.choice(n, size=k, replace=False)
    if bounded:
        x[supp] = rng.choice([-1.0, 1.0], size=k) * (1.0 + rng.random(k))
    else:
        x[supp] = rng.standard_normal(k)
    return x


def measure(rng, A, x, sigma):
    y = A @ x
    if sigma > 0:
        y = y + sigma * rng.standard_normal(A.shape[0]) / np.sqrt(A.shape[0])
    return y


def blur_dictionary(m, n, width):
    """Gaussian blur (convolution) dictionary: atom j is a Gaussian bump of
    standard deviation `width` samples centred at j*(m-1)/(n-1), unit norm.
    Neighbouring atoms are highly coherent."""
    t = np.arange(m)[:, None]
    centres = np.linspace(0.0, m - 1.0, n)[None, :]
    return unit_columns(np.exp(-0.5 * ((t - centres) / width) ** 2))


def problems():
    """Yields (name, note, A, y, k)."""
    # Gaussian, unit-norm columns, noise-free and noisy, several shapes and k.
    gauss = [
        # name, m, n, k_true, k, sigma, seed, bounded
        ("gauss-16x32-k3", 16, 32, 3, 3, 0.0, 1, False),
        ("gauss-20x40-k5", 20, 40, 5, 5, 0.0, 2, True),
        ("gauss-32x64-k4", 32, 64, 4, 4, 0.0, 3, False),
        ("gauss-32x64-k8-noisy", 32, 64, 8, 8, 0.05, 4, False),
        ("gauss-32x96-k6-noisy", 32, 96, 6, 6, 0.1, 5, False),
        ("gauss-48x96-k12", 48, 96, 12, 12, 0.0, 6, True),
        ("gauss-64x128-k8", 64, 128, 8, 8, 0.0, 7, False),
        ("gauss-48x96-k16-noisy", 48, 96, 16, 16, 0.05, 8, False),
        ("gauss-40x160-k8", 40, 160, 8, 8, 0.0, 9, False),
        ("gauss-40x120-k10-noisy", 40, 120, 10, 10, 0.1, 10, False),
        ("gauss-40x80-k16-heavy-noise", 40, 80, 6, 16, 1.0, 11, False),
        ("gauss-24x48-k2-bounded", 24, 48, 2, 2, 0.0, 12, True),
    ]
    for name, m, n, kt, k, sigma, seed, bounded in gauss:
        rng = np.random.default_rng(seed)
        A = gaussian(rng, m, n)
        x = sparse_signal(rng, n, kt, bounded)
        y = measure(rng, A, x, sigma)
        note = f"Gaussian, unit columns, {kt}-sparse signal, noise sigma={sigma}/sqrt(m), seed {seed}"
        yield name, note, A, y, k

    rng = np.random.default_rng(13)
    A = gaussian(rng, 30, 30)
    yield "gauss-30x30-k30-square-noisy", "square Gaussian, k = m = n: the full least-squares solve", A, rng.standard_normal(30), 30

    rng = np.random.default_rng(14)
    A = gaussian(rng, 40, 20)
    yield "gauss-40x20-k20-tall", "tall Gaussian (n < m), k = n, y pure noise: least squares on every column", A, rng.standard_normal(40), 20

    rng = np.random.default_rng(15)
    A = gaussian(rng, 32, 64)
    yield "gauss-32x64-k10-pure-noise", "Gaussian, y pure noise (no sparse signal)", A, rng.standard_normal(32), 10

    # Coherent: Gaussian blur (convolution) dictionaries with unit columns.
    rng = np.random.default_rng(16)
    A = blur_dictionary(48, 48, 2.0)
    x = np.zeros(48)
    x[[5, 18, 30, 42]] = [1.0, -0.8, 1.3, 0.6]
    yield "blur-48x48-k4-separated", "blur dictionary (width 2 samples), 4 well-separated spikes, noise-free", A, A @ x, 4

    A = blur_dictionary(40, 80, 1.5)
    x = np.zeros(80)
    x[[10, 41, 66]] = [1.0, 0.7, -1.1]
    y = A @ x + 0.01 * rng.standard_normal(40) / np.sqrt(40)
    yield "blur-40x80-k3-overcomplete-noisy", "blur dictionary (width 1.5, half-sample shifts), 3 spikes, small noise", A, y, 3

    A = blur_dictionary(48, 48, 2.0)
    x = np.zeros(48)
    x[[14, 16, 19, 32, 35]] = [1.0, 0.9, -0.7, 1.2, -1.0]
    yield "blur-48x48-k5-close-spikes", "blur dictionary (width 2), close spikes (coherence ~0.6-0.9): OMP misses some, sklearn and ours must agree", A, A @ x, 5

    # sklearn stops early on its own: y = 3 e0 + 2 e5 on [I | Gaussian] is fitted
    # exactly after 2 atoms, the residual is exactly 0, argmax(|A^T r|) = 0
    # is an active atom and sklearn breaks with its "premature" warning.
    rng = np.random.default_rng(17)
    A = np.hstack([np.eye(16), gaussian(rng, 16, 32)])
    y = np.zeros(16)
    y[0] = 3.0
    y[5] = 2.0
    yield "identity-gauss-16x48-k6-exact-early", "[I | Gaussian], y = 3 e0 + 2 e5, k=6: exact fit after 2 atoms, sklearn stops early", A, y, 6

    # Rank-deficient: every column in a 6-dimensional subspace of R^20, y has a
    # component outside it; after 6 atoms the residual is orthogonal to every
    # atom but nonzero, and sklearn stops early (premature).
    rng = np.random.default_rng(18)
    B = np.linalg.qr(rng.standard_normal((20, 6)))[0]
    A = unit_columns(B @ rng.standard_normal((6, 40)))
    y = A @ sparse_signal(rng, 40, 3) + 0.3 * rng.standard_normal(20)
    yield "rank6-20x40-k10-early", "columns span a 6-dim subspace, y partly outside it, k=10: sklearn stops after 6 atoms", A, y, 10


def b64(A):
    return base64.b64encode(np.asfortranarray(A, dtype="<f8").ravel(order="F").tobytes()).decode("ascii")


def main():
    out = []
    for name, note, A, y, k in problems():
        A = np.asfortranarray(A, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            coef, n_iter = orthogonal_mp(A, y, n_nonzero_coefs=k, return_n_iter=True)
        premature = any("prematurely" in str(w.message) for w in caught)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gamma, idx, n_active = _cholesky_omp(A, y, k)
        assert n_active == n_iter, name
        order = [int(i) for i in idx[:n_active]]
        support = sorted(order)
        # the public output is the private one scattered onto idx
        assert np.array_equal(coef[idx[:n_active]], gamma), name
        assert np.count_nonzero(coef[np.setdiff1d(np.arange(A.shape[1]), idx[:n_active])]) == 0, name
        out.append({
            "name": name,
            "note": note,
            "m": int(A.shape[0]),
            "n": int(A.shape[1]),
            "k": int(k),
            "A_f64le_colmajor": b64(A),
            "y": [float(v) for v in y],
            "support": support,
            "coef": [float(coef[j]) for j in support],
            "order": order,
            "n_iter": int(n_iter),
            "sklearn_premature": bool(premature),
            "residual_norm": float(np.linalg.norm(y - A @ coef)),
        })
        print(f"{name:40s} m={A.shape[0]:3d} n={A.shape[1]:3d} k={k:2d} n_iter={n_iter:2d} premature={premature}")
    doc = {
        "description": "scikit-learn orthogonal_mp(A, y, n_nonzero_coefs=k) reference outputs; "
                       "made by scripts/make_sklearn_fixture.py. A is base64 float64 little-endian, column-major.",
        "versions": {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
        },
        "problems": out,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        # one problem per line: diffs stay readable, the file stays small
        f.write("{\n")
        f.write(f' "description": {json.dumps(doc["description"])},\n')
        f.write(f' "versions": {json.dumps(doc["versions"])},\n')
        f.write(' "problems": [\n')
        f.write(",\n".join("  " + json.dumps(p) for p in out))
        f.write("\n ]\n}\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes), {len(out)} problems", file=sys.stderr)


if __name__ == "__main__":
    main()
