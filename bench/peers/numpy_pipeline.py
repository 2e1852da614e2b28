"""The numpy + scipy peer of `imc-sim encode` / `imc-sim run` (bench/e2e.ts runs it as a whole process).

  encode: load, magnitude-prune (exact count, np.partition on |w|), per-column 8-bit quantize (np.round =
          round half to even), scipy.sparse.csc_matrix   — the same work as `imc-sim encode --format coo`
  run:    the above, then the sparse product csc.T @ X for B input vectors (X: [K, B] integers)
  run-default: what the default `imc-sim run` computes beside that: the float64 product of the *unpruned*
          weights with the same inputs (BLAS, the SQNR reference of MODEL §7) and the SQNR of the dequantized
          integer outputs against it
Usage: python3 numpy_pipeline.py encode|run|run-default weights.npy [inputs.npy]
"""
import sys

import numpy as np
import scipy.sparse as sp

mode, path = sys.argv[1], sys.argv[2]
w = np.load(path)                          # PyTorch Linear layout [N, K]
W = w.T.astype(np.float64)                 # [K, N]
W0 = W.copy() if mode == "run-default" else None   # the unpruned weights, for the SQNR reference
flat = np.abs(W).ravel(order="F")
p = int(np.floor(0.9 * W.size))
thr = np.partition(flat, p - 1)[p - 1]
W = np.where(np.abs(W) > thr, W, 0.0)      # ties at the threshold are rare for random floats
Q = 2 ** 7 - 1
s = np.abs(W).max(axis=0) / Q
s[s == 0] = 1.0
q = np.clip(np.round(W / s), -Q, Q).astype(np.int8)
csc = sp.csc_matrix(q)
if mode in ("run", "run-default"):
    X = np.load(sys.argv[3]).astype(np.int64)   # [B, K]
    y = csc.T.astype(np.int64) @ X.T             # [N, B]
    print(int(y.sum()))
if mode == "run-default":
    Xf = np.load(sys.argv[3]).astype(np.float64)  # the inputs are 8-bit integers: sx = 1
    ref = Xf @ W0                                 # [B, N], BLAS dgemm
    yq = y.T * s                                  # dequantized [B, N]
    print(10 * np.log10((ref ** 2).sum() / ((ref - yq) ** 2).sum()))
print(csc.nnz)
