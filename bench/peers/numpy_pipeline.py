"""The numpy + scipy peer of `imc-sim encode` / `imc-sim run` (bench/e2e.ts runs it as a whole process).

  encode: load, magnitude-prune (exact count, np.partition on |w|), per-column 8-bit quantize (np.round =
          round half to even), scipy.sparse.csc_matrix   — the same work as `imc-sim encode --format coo`
  run:    the above, then the sparse product csc.T @ X for B input vectors (X: [K, B] integers)
  run-default: the same run written lean, as a numpy user would (float32 throughout, the selection on |w| in
          the file's dtype, CSR of the [N, K] file = CSC of [K, N], no float64 copy but the one the BLAS product
          needs), plus what the default `imc-sim run` computes beside it: the float64 product of the *unpruned*
          weights with the same inputs (BLAS dgemm, the SQNR reference of MODEL §7) and the SQNR of the
          dequantized integer outputs against it
Usage: python3 numpy_pipeline.py encode|run|run-default weights.npy [inputs.npy]
"""
import sys

import numpy as np
import scipy.sparse as sp

mode, path = sys.argv[1], sys.argv[2]
if mode == "run-default":
    w = np.load(path)                                   # [N, K] float32
    a = np.abs(w)
    p = int(np.floor(0.9 * w.size))
    thr = np.partition(a.ravel(), p - 1)[p - 1]
    wp = np.where(a > thr, w, np.float32(0))
    del a
    Q = 2 ** 7 - 1
    s = np.abs(wp).max(axis=1) / Q                      # per output (a column of [K, N])
    s[s == 0] = 1.0
    q = np.clip(np.rint(wp / s[:, None]), -Q, Q).astype(np.int8)
    del wp
    csr = sp.csr_matrix(q)                              # CSR of [N, K] = CSC of [K, N]
    del q
    X = np.load(sys.argv[3])                            # [B, K] float32 (8-bit integers)
    y = csr.astype(np.int64) @ X.T.astype(np.int64)     # [N, B] exact
    ref = X.astype(np.float64) @ w.T.astype(np.float64) # [B, N] float64 on the unpruned weights
    yq = y.T * s
    print(int(y.sum()), csr.nnz, 10 * np.log10((ref ** 2).sum() / ((ref - yq) ** 2).sum()))
    sys.exit(0)
w = np.load(path)                          # PyTorch Linear layout [N, K]
W = w.T.astype(np.float64)                 # [K, N]
flat = np.abs(W).ravel(order="F")
p = int(np.floor(0.9 * W.size))
thr = np.partition(flat, p - 1)[p - 1]
W = np.where(np.abs(W) > thr, W, 0.0)      # ties at the threshold are rare for random floats
Q = 2 ** 7 - 1
s = np.abs(W).max(axis=0) / Q
s[s == 0] = 1.0
q = np.clip(np.round(W / s), -Q, Q).astype(np.int8)
csc = sp.csc_matrix(q)
if mode == "run":
    X = np.load(sys.argv[3]).astype(np.int64)   # [B, K]
    y = csc.T.astype(np.int64) @ X.T             # [N, B]
    print(int(y.sum()))
print(csc.nnz)
