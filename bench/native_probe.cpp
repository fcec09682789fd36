// Native reference for the kernel benchmark (bench/solvers.ts compiles it at
// bench time with g++ -O3 -march=native -fopenmp-simd into a temp dir).
// Single thread, the same blocked loops as assembly/blas.ts: 4 columns per
// pass, and `omp simd reduction` so the compiler may vectorise the sums.
//
// usage: probe m n [m n ...]
// prints one JSON line per size: {"m":..,"n":..,"gemvT":GFLOP/s,"gemvN":GFLOP/s}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

static void gemvT(const double* A, int m, int n, const double* r, double* out) {
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const double* a0 = A + (size_t)j * m;
    const double* a1 = a0 + m;
    const double* a2 = a1 + m;
    const double* a3 = a2 + m;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (int i = 0; i < m; i++) {
      const double ri = r[i];
      s0 += a0[i] * ri;
      s1 += a1[i] * ri;
      s2 += a2[i] * ri;
      s3 += a3[i] * ri;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; j++) {
    const double* a = A + (size_t)j * m;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < m; i++) s += a[i] * r[i];
    out[j] = s;
  }
}

static void gemvN(const double* A, int m, int n, const double* x, double* out) {
  std::fill(out, out + m, 0.0);
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const double* a0 = A + (size_t)j * m;
    const double* a1 = a0 + m;
    const double* a2 = a1 + m;
    const double* a3 = a2 + m;
    const double x0 = x[j], x1 = x[j + 1], x2 = x[j + 2], x3 = x[j + 3];
#pragma omp simd
    for (int i = 0; i < m; i++) out[i] += (a0[i] * x0 + a1[i] * x1) + (a2[i] * x2 + a3[i] * x3);
  }
  for (; j < n; j++) {
    const double* a = A + (size_t)j * m;
    const double xj = x[j];
#pragma omp simd
    for (int i = 0; i < m; i++) out[i] += a[i] * xj;
  }
}

volatile double sink;

// Same statistic as the WASM side (tinybench): the median of many short
// batches (about 0.1 ms each, like a WASM kernel sample), which a shared
// machine's time slicing disturbs only in the tail.
template <class F>
static double gflops(F f, double flopsPerCall) {
  using clk = std::chrono::steady_clock;
  int reps = 1;
  for (;;) {
    auto t0 = clk::now();
    for (int r = 0; r < reps; r++) f();
    double s = std::chrono::duration<double>(clk::now() - t0).count();
    if (s > 1e-4) break;
    reps *= 2;
  }
  std::vector<double> rates;
  auto start = clk::now();
  while (rates.size() < 21 || (rates.size() < 2001 && std::chrono::duration<double>(clk::now() - start).count() < 0.4)) {
    auto t0 = clk::now();
    for (int r = 0; r < reps; r++) f();
    double s = std::chrono::duration<double>(clk::now() - t0).count();
    rates.push_back(flopsPerCall * reps / s / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];  // median batch
}

int main(int argc, char** argv) {
  for (int a = 1; a + 1 < argc; a += 2) {
    const int m = std::atoi(argv[a]);
    const int n = std::atoi(argv[a + 1]);
    std::vector<double> A((size_t)m * n), r(m), x(n), out(std::max(m, n));
    unsigned s = 12345u;
    auto rnd = [&]() { s = s * 1664525u + 1013904223u; return (double)(s >> 8) / 16777216.0 - 0.5; };
    for (auto& v : A) v = rnd();
    for (auto& v : r) v = rnd();
    for (auto& v : x) v = rnd();
    const double flops = 2.0 * m * n;
    const double t = gflops([&] { gemvT(A.data(), m, n, r.data(), out.data()); sink = out[0]; }, flops);
    const double nn = gflops([&] { gemvN(A.data(), m, n, x.data(), out.data()); sink = out[0]; }, flops);
    std::printf("{\"m\":%d,\"n\":%d,\"gemvT\":%.3f,\"gemvN\":%.3f}\n", m, n, t, nn);
  }
  return 0;
}
