"""The numpy peer of bench/float-product.ts: the float64 product `X @ W` (BLAS dgemm) on the very data
imc-sim's floatProduct gets.

  wT.npy: W^T, float64 [N, K] C order (= imc-sim's column-major [K, N] bytes as they are)
  x.npy:  X, float64 [B, K]
Times `x @ wT.T` (X · W, [B, N]; wT.T is a Fortran-ordered view, so BLAS reads it without a copy)
`runs` times after one warm-up, writes the result to `out` (raw float64, [B, N] C order) and prints the
run times as JSON: wall ms (`perf_counter`) and CPU ms of the whole process (`process_time`, every
thread's, so it equals the wall time with one thread and exceeds it with more).
Threads: whatever the BLAS picks unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say otherwise.
Usage: python3 float_product.py wT.npy x.npy runs out.f64
"""
import json
import sys
import time

import numpy as np

wT = np.load(sys.argv[1])
x = np.load(sys.argv[2])
runs = int(sys.argv[3])
assert wT.dtype == np.float64 and x.dtype == np.float64 and wT.shape[1] == x.shape[1]
y = x @ wT.T  # warm-up
wall, cpu = [], []
for _ in range(runs):
    c0, t0 = time.process_time(), time.perf_counter()
    y = x @ wT.T
    wall.append((time.perf_counter() - t0) * 1e3)
    cpu.append((time.process_time() - c0) * 1e3)
np.ascontiguousarray(y, dtype=np.float64).tofile(sys.argv[4])
print(json.dumps({"wall": wall, "cpu": cpu}))
