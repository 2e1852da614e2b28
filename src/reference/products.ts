/**
 * Plain references the run and network pipelines check the simulator against (MODEL §5, §7):
 * the integer product `qx · q` straight from the integer matrix (never from an encoding), and the
 * float product `x · W` on the original weights for SQNR.
 *
 * Both plain loops transpose the inputs once to `[K, B]` so the inner loop over B is contiguous. The
 * integer product visits only nonzero weights (nnz·B work instead of K·N·B); the float one is dense,
 * as the original weights are. {@link floatProduct} runs the blocked wasm SIMD product of
 * float-gemm.ts, bit-identical to {@link referenceColumnProduct} (the slow, obviously correct loop
 * kept here and tested against it).
 */
import { extractNonzeros } from '../../formats/csc.js';
import type { CscMatrix, IntMatrix } from '../../formats/types.js';
import type { FloatColumns } from '../prep/matrix.js';
import { columnProduct } from './float-gemm.js';
import { transposeInputs } from './transpose-inputs.js';

export { columnProduct } from './float-gemm.js';
export { transposeInputs } from './transpose-inputs.js';

/**
 * The reference float product: `y[b, j] = Σ_k x[b, k] · w[k, j]` for a column-major `[K, N]` matrix
 * `w` and row-major `[B, K]` inputs; returns row-major `[B, N]`. Rows are taken four at a time (each
 * accumulator loaded and stored once per four multiply-adds, as in {@link integerProduct}); for floats
 * that fixes the summation order to `acc + (((w0·x0 + w1·x1) + w2·x2) + w3·x3)` per group of four rows,
 * groups in row order, then the `K mod 4` rows left over as `acc + w·x`. The fast
 * {@link columnProduct} keeps exactly this order.
 */
export function referenceColumnProduct(w: ArrayLike<number>, K: number, N: number, x: ArrayLike<number>, batch: number): Float64Array {
  const xT = transposeInputs(x, batch, K);
  const y = new Float64Array(batch * N);
  const acc = new Float64Array(batch);
  for (let j = 0; j < N; j++) {
    acc.fill(0);
    const col = j * K;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const v0 = w[col + k]!, v1 = w[col + k + 1]!, v2 = w[col + k + 2]!, v3 = w[col + k + 3]!;
      const o0 = k * batch, o1 = o0 + batch, o2 = o1 + batch, o3 = o2 + batch;
      for (let b = 0; b < batch; b++) acc[b] += v0 * xT[o0 + b]! + v1 * xT[o1 + b]! + v2 * xT[o2 + b]! + v3 * xT[o3 + b]!;
    }
    for (; k < K; k++) {
      const v = w[col + k]!, o = k * batch;
      for (let b = 0; b < batch; b++) acc[b] += v * xT[o + b]!;
    }
    for (let b = 0; b < batch; b++) y[b * N + j] = acc[b]!;
  }
  return y;
}

/**
 * The plain integer product `qx · q`, `[B, N]`, read from the integer matrix itself (never from an
 * encoding) or from its nonzeros (`PreparedWeights.nonzeros`). Exact: every partial sum is an integer below 2^53, so the order of additions does not
 * matter — which lets the loop take the column's nonzeros (formats/csc.ts, one branchless scan) four
 * at a time, loading and storing each accumulator once per four multiply-adds.
 */
export function integerProduct(q: IntMatrix | CscMatrix, qx: Int32Array, batch: number): Float64Array {
  const K = q.rows, N = q.cols, B = batch;
  const { colPtr, rowIdx, values } = 'colPtr' in q ? q : extractNonzeros(q, 16);
  const xT = transposeInputs(qx, B, K);
  const y = new Float64Array(B * N);
  const acc = new Float64Array(B);
  for (let j = 0; j < N; j++) {
    acc.fill(0);
    let p = colPtr[j]!;
    const end = colPtr[j + 1]!;
    for (; p + 4 <= end; p += 4) {
      const v0 = values[p]!, v1 = values[p + 1]!, v2 = values[p + 2]!, v3 = values[p + 3]!;
      const o0 = rowIdx[p]! * B, o1 = rowIdx[p + 1]! * B, o2 = rowIdx[p + 2]! * B, o3 = rowIdx[p + 3]! * B;
      for (let b = 0; b < B; b++) acc[b] += v0 * xT[o0 + b]! + v1 * xT[o1 + b]! + v2 * xT[o2 + b]! + v3 * xT[o3 + b]!;
    }
    for (; p < end; p++) {
      const v = values[p]!, o = rowIdx[p]! * B;
      for (let b = 0; b < B; b++) acc[b] += v * xT[o + b]!;
    }
    for (let b = 0; b < B; b++) y[b * N + j] = acc[b]!;
  }
  return y;
}

/**
 * The float product `x · W` on a float matrix (the SQNR reference, MODEL §7), `[B, N]`: the blocked
 * wasm SIMD product (float-gemm.ts), bit-identical to {@link referenceFloatProduct}. Float32 weights
 * are widened exactly as each panel is copied, so the product is the float64 one without a float64
 * copy of the matrix.
 */
export function floatProduct(W: FloatColumns, x: ArrayLike<number>, batch: number): Float64Array {
  return columnProduct(W.data, W.rows, W.cols, x, batch);
}

/** The same product by the plain loop {@link referenceColumnProduct} (slow; for tests and benchmarks). */
export function referenceFloatProduct(W: FloatColumns, x: ArrayLike<number>, batch: number): Float64Array {
  return referenceColumnProduct(W.data, W.rows, W.cols, x, batch);
}

/** True when two output arrays are identical element by element. */
export function sameOutputs(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
