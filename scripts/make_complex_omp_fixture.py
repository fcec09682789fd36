#!/usr/bin/python3
"""Builds test/fixtures/complex_omp.json (and two tiny complex .npy files):
an independent complex OMP in NumPy, the reference test/complex-omp.test.ts
checks the package's complex OMP against (tests run without Python).

Run from the repository root with Debian's Python and NumPy:

    /usr/bin/python3 scripts/make_complex_omp_fixture.py

The reference OMP (omp below) runs exactly k steps: it selects
argmax_j |a_j^H r| / ||a_j|| over atoms not chosen yet, then fits y on the
support by numpy.linalg.lstsq (complex coefficients), or, with real_x, by
lstsq on the stacked real system [Re A_S; Im A_S] z = [Re y; Im y] (real
coefficients). No QR, no updating: every fit is from scratch.

Problems: Gaussian complex A (entries (N(0,1) + i N(0,1)) / sqrt(2), columns
NOT normalised, so the selection's 1/||a_j|| matters) with complex x; and
partial Fourier A (entry (i, j) = exp(-2 pi i rows[i] j / n) / sqrt(m), the
rows drawn as in the authors' code of "Deep greedy unfolding": m of the
frequencies -n/2+1 .. n/2-1 (the first n-1 of -n/2+1 .. n/2), sorted) with
real x fitted both ways. Noiseless and noisy. A problem is kept only when
every selection wins by a relative margin of at least MARGIN, so that a
correct OMP in another arithmetic must choose the same atoms.

Layout of every problem in the JSON:
  name, kind ('gaussian' | 'fourier'), m, n, k, sigma, real_x
  rows        (fourier) the frequency indices, sorted, possibly negative
  A           base64 of A as complex128 little-endian, COLUMN-MAJOR,
              interleaved (re, im): entry (i, j) at doubles 2(i + j m), +1
  y           base64 of y, complex128 little-endian (2m doubles)
  x_true      base64 of the signal: complex128 (2n doubles) or, for
              real-x problems, float64 (n doubles)
  order       atoms in selection order
  support     the same, ascending
  coef        base64 of the coefficients on `support` (ascending order):
              complex128 (2k doubles), or float64 (k doubles) when real_x
  residual_norm  ||y - A_S coef||
  min_margin  smallest (best - second) / best selection score over the steps
Base64 of the raw doubles keeps every number exact.

Also written: test/fixtures/complex128_c_2x3.npy (C order),
complex64_4.npy (1-D) and complex128_be_fortran_3x2.npy ('>c16', Fortran
order); their values are in the JSON under "npy" as [re, im] pairs listed
row by row (C order of the logical array).
"""
import base64
import json
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "test", "fixtures")
OUT = os.path.join(FIX, "complex_omp.json")
MARGIN = 1e-6


def b64(a, dtype):
    a = np.asarray(a, dtype=dtype)
    return base64.b64encode(a.tobytes(order="F")).decode("ascii")


def fourier_rows(rng, n, m):
    cand = np.arange(-(n // 2) + 1, n // 2 + 1)[: n - 1]  # as torch.randperm(N - 1) indexes F
    return np.sort(cand[rng.permutation(n - 1)[:m]])


def fourier_matrix(n, rows):
    m = len(rows)
    j = np.arange(n)
    q = np.mod(np.outer(np.mod(rows, n), j), n)  # exact integer angle reduction
    return np.exp(-2j * np.pi * q / n) / np.sqrt(m)


def omp(A, y, k, real_x):
    m, n = A.shape
    norms = np.linalg.norm(A, axis=0)
    order = []
    r = y.copy()
    margins = []
    coef = None
    for _ in range(k):
        score = np.abs(A.conj().T @ r) / norms
        score[order] = -1.0
        srt = np.sort(score)[::-1]
        margins.append((srt[0] - srt[1]) / srt[0])
        order.append(int(np.argmax(score)))
        As = A[:, order]
        if real_x:
            M = np.vstack([As.real, As.imag])
            coef, *_ = np.linalg.lstsq(M, np.concatenate([y.real, y.imag]), rcond=None)
        else:
            coef, *_ = np.linalg.lstsq(As, y, rcond=None)
        r = y - As @ coef
    return order, coef, float(np.linalg.norm(r)), float(min(margins))


def problem(seed, kind, m, n, k, sigma, real_x):
    for attempt in range(50):
        rng = np.random.default_rng(1000 * seed + attempt)
        rows = None
        if kind == "gaussian":
            A = (rng.standard_normal((m, n)) + 1j * rng.standard_normal((m, n))) / np.sqrt(2)
        else:
            rows = fourier_rows(rng, n, m)
            A = fourier_matrix(n, rows)
        supp = rng.choice(n, size=k, replace=False)
        if real_x:
            x = np.zeros(n)
            x[supp] = rng.standard_normal(k)
            x /= np.linalg.norm(x)
        else:
            x = np.zeros(n, dtype=complex)
            x[supp] = rng.standard_normal(k) + 1j * rng.standard_normal(k)
        noise = (rng.standard_normal(m) + 1j * rng.standard_normal(m)) * sigma / np.sqrt(m)
        y = A @ x + noise
        order, coef, rn, margin = omp(A, y, k, real_x)
        if margin < MARGIN:
            continue
        perm = np.argsort(order)
        p = {
            "name": f"{kind} {m}x{n} k={k} sigma={sigma}{' real-x' if real_x else ''} (seed {seed}, attempt {attempt})",
            "kind": kind, "m": m, "n": n, "k": k, "sigma": sigma, "real_x": real_x,
            "A": b64(A, np.complex128), "y": b64(y, np.complex128),
            "x_true": b64(x, np.float64 if real_x else np.complex128),
            "order": order, "support": sorted(order),
            "coef": b64(np.asarray(coef)[perm], np.float64 if real_x else np.complex128),
            "residual_norm": rn, "min_margin": margin,
        }
        if rows is not None:
            p["rows"] = [int(v) for v in rows]
        return p
    raise RuntimeError(f"no problem with margin >= {MARGIN} for {kind} {m}x{n} k={k}")


def npy_fixtures():
    a = np.array([[1.5 - 2j, 0.25 + 0j, -3 + 1e-300j], [np.pi + np.e * 1j, -0.0 - 1j, 7e10 + 1e-5j]], dtype=np.complex128)
    b = np.array([1 + 2j, -0.5 + 0.25j, 3e5 - 1e-3j, 0j], dtype=np.complex64)
    c = np.asfortranarray(np.array([[1 + 1j, 2 - 2j], [3.5 + 0j, -4 + 8j], [1e-9 - 1e9j, 0.125 + 0.5j]], dtype=">c16"))
    files = {"complex128_c_2x3.npy": a, "complex64_4.npy": b, "complex128_be_fortran_3x2.npy": c}
    out = {}
    for name, arr in files.items():
        np.save(os.path.join(FIX, name), arr)
        flat = np.asarray(arr, dtype=np.complex128).reshape(-1)  # C order of the logical array
        out[name] = {"shape": list(arr.shape), "descr": np.lib.format.dtype_to_descr(arr.dtype),
                     "fortran_order": bool(arr.flags.f_contiguous and arr.ndim > 1),
                     "values": [[float(v.real), float(v.imag)] for v in flat]}
    return out


def main():
    specs = [
        (1, "gaussian", 16, 40, 4, 0.0, False),
        (2, "gaussian", 30, 80, 8, 0.0, False),
        (3, "gaussian", 30, 80, 8, 1e-2, False),
        (4, "gaussian", 50, 120, 12, 1e-3, False),
        (5, "fourier", 24, 64, 5, 0.0, False),
        (6, "fourier", 24, 64, 5, 0.0, True),
        (7, "fourier", 36, 256, 10, 1e-3, False),
        (8, "fourier", 36, 256, 10, 1e-3, True),
        (9, "fourier", 20, 256, 6, 0.0, True),
        (10, "fourier", 20, 256, 10, 1e-3, True),
        (11, "fourier", 20, 256, 10, 1e-3, False),
    ]
    problems = [problem(*s) for s in specs]
    doc = {
        "generator": "scripts/make_complex_omp_fixture.py",
        "python": platform.python_version(), "numpy": np.__version__,
        "margin": MARGIN, "problems": problems, "npy": npy_fixtures(),
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for p in problems:
        print(f"{p['name']}: support {p['support']} margin {p['min_margin']:.2e} residual {p['residual_norm']:.3e}", file=sys.stderr)


if __name__ == "__main__":
    main()
