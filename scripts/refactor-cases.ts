// The cases of the bit-for-bit refactor fixture (test/fixtures/refactor-baseline.json):
// every solver, batch form and soft op on a handful of seeded problems, run
// through the public API given as `api` (the package's index module). Shared by
// scripts/make-refactor-fixture.ts (which writes the fixture from a build of
// the code before the refactor) and test/refactor-fixture.test.ts (which runs
// the current code and compares). Floats are stored losslessly as the hex of
// their IEEE-754 bits.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Api = any;

/** A small deterministic generator (xorshift32 + Box-Muller), independent of the package. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const g = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, g };
}

interface Problem {
  name: string;
  m: number;
  n: number;
  k: number;
  /** Column-major m x n. */
  A: Float64Array;
  /** m x p column-major signals; column 0 is `y`. */
  Y: Float64Array;
  p: number;
  /** X^0 for warm starts (length n). */
  x0: Float64Array;
}

function problem(name: string, seed: number, m: number, n: number, k: number, p: number, noise: number, coherent: boolean): Problem {
  const r = rng(seed);
  const A = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    let nrm = 0;
    for (let i = 0; i < m; i++) {
      // coherent: a smooth blur-like dictionary plus a little noise
      const v = coherent ? Math.exp(-(((i / m) - (j / n)) ** 2) * 40) + 0.05 * r.g() : r.g();
      A[i + j * m] = v;
      nrm += v * v;
    }
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) A[i + j * m] /= nrm;
  }
  const Y = new Float64Array(m * p);
  for (let c = 0; c < p; c++) {
    const x = new Float64Array(n);
    for (let t = 0; t < k; t++) x[Math.floor(r.u() * n)] = (r.u() < 0.5 ? -1 : 1) * (1 + r.u());
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i + j * m] * x[j];
      Y[i + c * m] = s + noise * r.g();
    }
  }
  const x0 = new Float64Array(n);
  for (let j = 0; j < n; j++) x0[j] = r.u() < 0.2 ? r.g() : 0;
  return { name, m, n, k, A, Y, p, x0 };
}

export function problems(): Problem[] {
  return [
    problem('gauss-20x40-k3', 11, 20, 40, 3, 4, 0, false),
    problem('gauss-32x64-k5-noisy', 12, 32, 64, 5, 4, 0.05, false),
    problem('blur-24x48-k4', 13, 24, 48, 4, 3, 0.01, true),
    problem('gauss-16x20-k6', 14, 16, 20, 6, 3, 0.1, false),
  ];
}

/** Lossless encoding of a result: floats as hex of their f64 bits, typed arrays element-wise. */
export function encode(v: unknown): unknown {
  const buf = new DataView(new ArrayBuffer(8));
  const f = (x: number) => {
    buf.setFloat64(0, x);
    return buf.getBigUint64(0).toString(16).padStart(16, '0');
  };
  if (typeof v === 'number') return f(v);
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return v ?? null;
  if (v instanceof Float64Array) return Array.from(v, f).join('');
  if (v instanceof Int32Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.m === 'number' && typeof o.n === 'number' && o.data instanceof Float64Array) {
      return { m: o.m, n: o.n, data: encode(o.data) };
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(o).sort()) out[key] = encode(o[key]);
    return out;
  }
  return String(v);
}

/** Runs every case through `api`; returns name -> encoded result (or `error: message`). */
export function runCases(api: Api): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const run = (name: string, f: () => unknown) => {
    try {
      out[name] = encode(f());
    } catch (e) {
      out[name] = { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
  };
  for (const P of problems()) {
    const M = () => new api.Matrix(P.m, P.n, P.A);
    const y = P.Y.slice(0, P.m);
    const Ym = () => new api.Matrix(P.m, P.p, P.Y);
    const k = P.k;
    for (const backend of ['wasm', 'js']) {
      const b = { backend };
      const tag = (s: string) => `${P.name}/${backend}/${s}`;
      run(tag('omp'), () => api.omp(M(), y, { k, ...b }));
      run(tag('omp-tol'), () => api.omp(M(), y, { k, tol: 0.3, ...b }));
      run(tag('iht'), () => api.iht(M(), y, { k, ...b }));
      run(tag('iht-mu-x0'), () => api.iht(M(), y, { k, mu: 0.4, x0: P.x0, maxIter: 50, ...b }));
      run(tag('iht-tol'), () => api.iht(M(), y, { k, tol: 0.2, ...b }));
      run(tag('niht'), () => api.niht(M(), y, { k, ...b }));
      run(tag('niht-x0'), () => api.niht(M(), y, { k, x0: P.x0, maxIter: 7, ...b }));
      run(tag('htp'), () => api.htp(M(), y, { k, ...b }));
      run(tag('htp-mu-x0'), () => api.htp(M(), y, { k, mu: 0.7, x0: P.x0, maxIter: 3, ...b }));
      run(tag('cosamp'), () => api.cosamp(M(), y, { k, ...b }));
      run(tag('cosamp-x0'), () => api.cosamp(M(), y, { k, x0: P.x0, tol: 0.1, ...b }));
      run(tag('sp'), () => api.sp(M(), y, { k, ...b }));
      run(tag('sp-x0'), () => api.sp(M(), y, { k, x0: P.x0, maxIter: 2, ...b }));
      run(tag('ompr'), () => api.ompr(M(), y, { k, ...b }));
      run(tag('ompr-eta-x0'), () => api.ompr(M(), y, { k, eta: 0.5, x0: P.x0, ...b }));
      run(tag('els'), () => api.els(M(), y, { k, ...b }));
      run(tag('els-x0'), () => api.els(M(), y, { k, x0: P.x0, maxIter: 4, ...b }));
      run(tag('sea'), () => api.sea(M(), y, { k, maxIter: 200, history: true, ...b }));
      run(tag('sea-eta-init'), () => api.sea(M(), y, { k, maxIter: 100, eta: 0.3, init: P.x0, ...b }));
      run(tag('sea-init-omp'), () => api.sea(M(), y, { k, maxIter: 100, init: 'omp', tol: 0.05, ...b }));
      // batch forms
      run(tag('ompBatch-gram'), () => api.ompBatch(M(), Ym(), { k, precompute: true, ...b }));
      run(tag('ompBatch-plain'), () => api.ompBatch(M(), Ym(), { k, precompute: false, tol: 0.2, ...b }));
      run(tag('ihtBatch'), () => api.ihtBatch(M(), Ym(), { k, maxIter: 100, ...b }));
      run(tag('nihtBatch'), () => api.nihtBatch(M(), Ym(), { k, ...b }));
      run(tag('htpBatch'), () => api.htpBatch(M(), Ym(), { k, ...b }));
      run(tag('cosampBatch'), () => api.cosampBatch(M(), Ym(), { k, ...b }));
      run(tag('spBatch'), () => api.spBatch(M(), Ym(), { k, ...b }));
      run(tag('omprBatch'), () => api.omprBatch(M(), Ym(), { k, ...b }));
      run(tag('elsBatch'), () => api.elsBatch(M(), Ym(), { k, ...b }));
      run(tag('seaBatch'), () => api.seaBatch(M(), Ym(), { k, maxIter: 100, ...b }));
      const X0 = new Float64Array(P.n * P.p);
      for (let c = 0; c < P.p; c++) X0.set(P.x0.map((v) => v * (c + 1)), c * P.n);
      run(tag('solveBatch-htp-X0'), () => api.solveBatch('htp', M(), Ym(), { k, X0, ...b }));
      run(tag('solveBatch-iht-X0'), () => api.solveBatch('iht', M(), Ym(), { k, X0, maxIter: 30, mu: 0.5, ...b }));
      // soft ops
      const w = new Float64Array(P.n);
      for (let j = 0; j < P.n; j++) w[j] = 0.5 + ((j * 7) % 5) / 5;
      const s = P.A.slice(0, P.n);
      run(tag('softSort'), () => api.softSort(s, 0.3, { k: 3, ...b }));
      const G = new Float64Array(3 * P.n).map((_, i) => Math.sin(i));
      run(tag('softSortVjp'), () => api.softSortVjp(s, 0.3, G, { k: 3, ...b }));
      for (const tau of [0, 0.05]) {
        const so = { iterations: k, tau, w, ...b };
        const si = { iterations: 20, tau, w, k, ...b };
        run(tag(`softOmp-${tau}`), () => api.softOmp(M(), y, { ...so, history: true }));
        run(tag(`softIht-${tau}`), () => api.softIht(M(), y, { ...si, history: true }));
        const gx = new Float64Array(P.n).map((_, i) => Math.cos(i));
        run(tag(`softOmpVjp-${tau}`), () => api.softOmpVjp(M(), y, gx, { ...so, gradA: true }));
        run(tag(`softIhtVjp-${tau}`), () => api.softIhtVjp(M(), y, gx, { ...si, gradA: true }));
        run(tag(`softOmpBatch-${tau}`), () => api.softOmpBatch(M(), Ym(), so));
        run(tag(`softIhtBatch-${tau}`), () => api.softIhtBatch(M(), Ym(), { ...si, eta: 0.5 }));
        const Xt = new api.Matrix(P.n, P.p, new Float64Array(P.n * P.p).map((_, i) => (i % 5 === 0 ? 1 : 0)));
        run(tag(`softOmpBatchVjp-${tau}`), () => api.softOmpBatchVjp(M(), Ym(), Xt, { ...so, gradA: true, gradY: true }));
        run(tag(`softIhtBatchVjp-${tau}`), () => api.softIhtBatchVjp(M(), Ym(), Xt, { ...si, gradA: true, gradY: true }));
      }
    }
    // a resident operator (WASM only)
    run(`${P.name}/operator/omp`, () => {
      const op = api.Operator.dense(M());
      try {
        return [api.omp(op, y, { k }), api.htp(op, y, { k }), api.htpBatch(op, Ym(), { k }), api.ompBatch(op, Ym(), { k, precompute: true })];
      } finally {
        op.dispose();
      }
    });
  }
  return out;
}
