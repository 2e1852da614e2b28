/**
 * Weight preparation pipeline: tensor → `[K, N]` matrix (MODEL §1) → pruned (§3) → quantized (§2).
 *
 * Float tensors: `tensorToMatrix` → `prune` → `quantizeWeights`.
 * Integer-typed tensors (int8…uint64, bool) are **used as they are** (MODEL §2): every value must fit
 * `[-Q, Q]` of the requested weight bits (else InputError `INT_WEIGHT_OUT_OF_RANGE`); pruning is applied
 * to those integer values taken as floats (so magnitudes and norms are the integers' own), and the
 * survivors become `q` unchanged. Their scales are all 1 (`q · 1` is the value).
 */
import { ConfigError } from '../../errors.js';
import type { CscMatrix, IntMatrix } from '../../formats/types.js';
import type { Tensor } from '../io/tensor.js';
import { isIntegerTensor, layoutDims, tensorToIntMatrix, tensorToMatrix, type Layout } from './layout.js';
import { extractNonzeros } from '../../formats/csc.js';
import type { FloatMatrix } from './matrix.js';
import { formatPruneSpec, parsePruneSpec, prune, validatePruneSpec, type PruneSpec } from './prune.js';
import { checkWeightBits, quantizeWeights, type Granularity } from './quantize.js';

export { countNonzeros, matrixSparsity, type FloatMatrix } from './matrix.js';

/** Options of {@link prepareWeights}. */
export interface PrepareOptions {
  /** Tensor layout (MODEL §1); default by rank: `oi`, `oiw`, `oihw`. */
  readonly layout?: Layout;
  /** Prune spec (`magnitude:0.9`, `nm:2:4`, …) or a parsed one; default `none`. */
  readonly prune?: string | PruneSpec;
  /** Weight bits b_w, 2..16. */
  readonly weightBits: number;
  /** Quantization groups; default `per-column`. */
  readonly granularity?: Granularity;
  /**
   * `tensorToMatrix(t, layout)` of this float tensor, when the caller prepares the same tensor many
   * times (a sweep over pruning and bit widths): it is shared, never modified. Ignored for integer tensors.
   */
  readonly floatMatrix?: FloatMatrix;
}

/** One weight array, ready for the encoders. */
export interface PreparedWeights {
  /** The tensor's name. */
  readonly name: string;
  /** The layout used (given or default). */
  readonly layout: Layout;
  readonly K: number;
  readonly N: number;
  /** Original weights `[K, N]`, unpruned, unquantized (the SQNR reference, MODEL §7). */
  readonly float: FloatMatrix;
  /** Final integer matrix. */
  readonly q: IntMatrix;
  /** Per-column (length N) or per-tensor (length 1) scales: `w ≈ q · s`; all 1 for integer tensors. */
  readonly scales: Float64Array;
  readonly weightBits: number;
  readonly granularity: Granularity;
  /** Canonical prune spec, e.g. `nm:2:4`. */
  readonly prune: string;
  /** True when the tensor was integer-typed and used without quantization. */
  readonly integerInput: boolean;
  /** Zero fraction of the final `q` (MODEL §3: quantization may add zeros). */
  readonly sparsity: number;
  /** Nonzeros of the final `q`. */
  readonly nnz: number;
  /** The nonzeros of `q` in column-major order (CSC), from the same scan that counted them. */
  readonly nonzeros: CscMatrix;
}

/**
 * Prepare one weight tensor. Throws InputError (not a weight matrix, non-finite or out-of-range
 * values) or ConfigError (bad layout/prune spec/bits/granularity).
 * @example
 * const t = { name: 'fc.weight', dtype: 'float32', shape: [2, 4], data: new Float32Array([1, -2, 3, -4, 0.5, 0, 0, 8]) } as const;
 * prepareWeights(t, { weightBits: 4, prune: 'nm:2:4' }).q.data
 * // columns [1,-2,3,-4] → [0,0,3,-4] → s=4/7 → [0,0,5,-7]; [0.5,0,0,8] → [0.5,0,0,8] → s=8/7 → [0,0,0,7]
 */
export function prepareWeights(t: Tensor, opts: PrepareOptions): PreparedWeights {
  const bits = opts.weightBits;
  checkWeightBits(bits);
  const granularity: Granularity = opts.granularity ?? 'per-column';
  const spec: PruneSpec =
    opts.prune === undefined ? { kind: 'none' } : typeof opts.prune === 'string' ? parsePruneSpec(opts.prune) : opts.prune;
  validatePruneSpec(spec);
  const { layout, K, N } = layoutDims(t.shape, opts.layout, t.name);

  // The pruned float matrix is a temporary: q holds the result, and keeping a float64 copy of a
  // large layer for nobody would double the memory of every prepared matrix.
  let float: FloatMatrix, q: IntMatrix, scales: Float64Array;
  const integerInput = isIntegerTensor(t);
  if (integerInput) {
    const q0 = tensorToIntMatrix(t, layout, bits);
    float = { rows: K, cols: N, data: Float64Array.from(q0.data) };
    q = { rows: K, cols: N, data: Int16Array.from(prune(float, spec).data) };
    scales = new Float64Array(granularity === 'per-tensor' ? 1 : N).fill(1);
  } else {
    float = opts.floatMatrix ?? tensorToMatrix(t, layout);
    if (float.rows !== K || float.cols !== N) {
      throw new ConfigError('BAD_FLOAT_MATRIX', `floatMatrix is [${float.rows}, ${float.cols}] but '${t.name}' under layout ${layout} is [${K}, ${N}]; pass tensorToMatrix(t, layout) of this tensor`);
    }
    ({ q, scales } = quantizeWeights(prune(float, spec), bits, granularity));
  }
  // One scan gives the nonzeros (kept: the run pipeline's reference product walks them) and nnz.
  const nonzeros = extractNonzeros(q, bits);
  const nnz = nonzeros.nnz;
  return {
    name: t.name,
    layout,
    K,
    N,
    float,
    q,
    scales,
    weightBits: bits,
    granularity,
    prune: formatPruneSpec(spec),
    integerInput,
    sparsity: 1 - nnz / (K * N),
    nnz,
    nonzeros,
  };
}
