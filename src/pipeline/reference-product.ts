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

/**
 * `y[b, j] = Σ_k x[b, k] · w[k, j]` for a column-major `[K, N]` matrix `w` (zero entries skipped) and
 * row-major `[B, K]` inputs; returns row-major `[B, N]`. One kernel for integers and floats.
 */
export function columnProduct(w: ArrayLike<number>, K: number, N: number, x: ArrayLike<number>, batch: number): Float64Array {
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

/** The plain integer product `qx · q`, `[B, N]`. Exact: every partial sum is an integer < 2^53. */
export function integerProduct(q: IntMatrix, qx: Int32Array, batch: number): Float64Array {
  return columnProduct(q.data, q.rows, q.cols, qx, batch);
}

/** The float product `x · W` on a float matrix (the SQNR reference), `[B, N]`. */
export function floatProduct(W: FloatMatrix, x: ArrayLike<number>, batch: number): Float64Array {
  return columnProduct(W.data, W.rows, W.cols, x, batch);
}

/** True when two output arrays are identical element by element. */
export function sameOutputs(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
