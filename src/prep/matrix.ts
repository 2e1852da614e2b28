/**
 * The float weight matrix that preparation works on, and two counting helpers.
 *
 * Same orientation and memory order as {@link IntMatrix} (MODEL §1): `[K, N]`, rows k = fan-in,
 * columns j = outputs, **column-major** — element `(k, j)` is `data[j * rows + k]`. Float64 because
 * MODEL §2 fixes all quantization arithmetic in float64 on the stored values (float32 widens exactly).
 */
import type { IntMatrix } from '../../formats/types.js';

/** A real-valued weight matrix `[K, N]`, column-major: `data[j * rows + k]`. */
export interface FloatMatrix {
  /** K: fan-in (rows). */
  readonly rows: number;
  /** N: outputs (columns). */
  readonly cols: number;
  /** `rows * cols` values, column-major. */
  readonly data: Float64Array;
}

/**
 * A float `[K, N]` matrix held in its own precision, read only: float32 values widen to float64
 * exactly, so a product over them is the product over the float64 matrix. A {@link FloatMatrix} is one.
 */
export interface FloatColumns {
  /** K: fan-in (rows). */
  readonly rows: number;
  /** N: outputs (columns). */
  readonly cols: number;
  /** `rows * cols` values, column-major. */
  readonly data: Float64Array | Float32Array;
}

/**
 * Number of nonzero entries of a matrix (integer or float).
 * @example countNonzeros({ rows: 2, cols: 1, data: new Int16Array([0, 3]) }) // → 1
 */
export function countNonzeros(m: IntMatrix | FloatMatrix): number {
  const d = m.data;
  let nnz = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) nnz++;
  return nnz;
}

/**
 * Fraction of zero entries, `1 - nnz / (K·N)`; 0 for an empty matrix. MODEL §3: the reported sparsity
 * is that of the final integer matrix (quantization can add zeros), so call this on `q`.
 * @example matrixSparsity({ rows: 2, cols: 2, data: new Int16Array([0, 3, 0, 0]) }) // → 0.75
 */
export function matrixSparsity(m: IntMatrix | FloatMatrix): number {
  const n = m.data.length;
  return n === 0 ? 0 : 1 - countNonzeros(m) / n;
}
