/**
 * Plain references the run pipeline checks the simulator against (MODEL §5, §7):
 * the integer product `qx · q` straight from the integer matrix (never from an encoding), and the
 * float product `x · W` on the original weights for SQNR.
 *
 * Both transpose the inputs once to `[K, B]` so the inner loop over B is contiguous; the integer
 * one visits only nonzero weights (same result as the dense sum, nnz·B instead of K·N·B work).
 */
import type { IntMatrix } from '../../formats/types.js';
import type { FloatMatrix } from '../prep/matrix.js';

/** `[B, K]` row-major → `[K, B]` row-major, as float64. */
export function transposeInputs(x: ArrayLike<number>, batch: number, K: number): Float64Array {
  const xT = new Float64Array(K * batch);
  for (let b = 0; b < batch; b++) {
    const row = b * K;
    for (let k = 0; k < K; k++) xT[k * batch + b] = x[row + k]!;
  }
  return xT;
}

/** `y[b, j] = Σ_k qx[b, k] · q[k, j]`, row-major `[B, N]`. Exact: every partial sum is an integer < 2^53. */
export function integerProduct(q: IntMatrix, qx: Int32Array, batch: number): Float64Array {
  const K = q.rows, N = q.cols, w = q.data;
  const xT = transposeInputs(qx, batch, K);
  const y = new Float64Array(batch * N);
  const acc = new Float64Array(batch);
  for (let j = 0; j < N; j++) {
    acc.fill(0);
    const col = j * K;
    for (let k = 0; k < K; k++) {
      const v = w[col + k]!;
      if (v === 0) continue;
      const xo = k * batch;
      for (let b = 0; b < batch; b++) acc[b] += v * xT[xo + b]!;
    }
    for (let b = 0; b < batch; b++) y[b * N + j] = acc[b]!;
  }
  return y;
}

/** `ref[b, j] = Σ_k x[b, k] · W[k, j]` in float64 on a float matrix, row-major `[B, N]`. */
export function floatProduct(W: FloatMatrix, x: ArrayLike<number>, batch: number): Float64Array {
  const K = W.rows, N = W.cols, w = W.data;
  const xT = transposeInputs(x, batch, K);
  const y = new Float64Array(batch * N);
  const acc = new Float64Array(batch);
  for (let j = 0; j < N; j++) {
    acc.fill(0);
    const col = j * K;
    for (let k = 0; k < K; k++) {
      const v = w[col + k]!;
      if (v === 0) continue;
      const xo = k * batch;
      for (let b = 0; b < batch; b++) acc[b] += v * xT[xo + b]!;
    }
    for (let b = 0; b < batch; b++) y[b * N + j] = acc[b]!;
  }
  return y;
}

/** True when two output arrays are identical element by element. */
export function sameOutputs(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
