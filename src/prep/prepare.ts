/**
 * Weight preparation pipeline: tensor → `[K, N]` matrix (MODEL §1) → pruned (§3) → quantized (§2).
 *
 * Float tensors (`float32`, `float64`, and the widened float16/bfloat16/float8 kinds):
 * - `none`, `magnitude:s`, `nm:N:m` — fused passes over the tensor's **own** typed array in its own
 *   order (`prune-quantize.ts`): the selection runs on `|w|` in the file's dtype, the layout is an
 *   index mapping (o-last layouts through small bands of columns), and quantization writes the
 *   nonzeros of `q` directly. No float64 copy of the matrix is made.
 * - `block`, `bcr` — `tensorToMatrix` into a float64 working matrix, pruned in place, then the same
 *   quantization pass with `none`; the working matrix is dropped.
 * Both give bit for bit `quantizeWeights(prune(tensorToMatrix(t), spec))` and its `extractNonzeros`.
 *
 * Integer-typed tensors (int8…uint64, bool) are **used as they are** (MODEL §2): every value must fit
 * `[-Q, Q]` of the requested weight bits (else InputError `INT_WEIGHT_OUT_OF_RANGE`); pruning is applied
 * to those integer values taken as floats (so magnitudes and norms are the integers' own), and the
 * survivors become `q` unchanged. Their scales are all 1 (`q · 1` is the value).
 *
 * Lazy fields of {@link PreparedWeights} (float tensors): `float` — the float64 `[K, N]` matrix of the
 * original weights — is made by `tensorToMatrix` on its first read (or taken from
 * {@link PrepareOptions.floatMatrix}), then kept; `floatColumns` — the same values in the tensor's own
 * precision, which the SQNR reference reads — is the tensor's own array when its layout is o-first
 * (no copy at all), else `float`; `q.data` — the dense integer matrix — is scattered from `nonzeros`
 * on its first read, then kept. A caller that never reads them never holds them: `q.data` is read by
 * the dense format and by callers that encode without the nonzeros (every other encoder and baseline
 * is given `nonzeros`, and then checks only the matrix's shape).
 */
import { ConfigError } from '../../errors.js';
import type { CscMatrix, IntMatrix } from '../../formats/types.js';
import type { Tensor } from '../io/tensor.js';
import { checkLength, isIntegerTensor, layoutDims, nonFiniteWeight, tensorToIntMatrix, tensorToMatrix, type Layout } from './layout.js';
import { extractNonzeros } from '../../formats/csc.js';
import type { FloatColumns, FloatMatrix } from './matrix.js';
import { formatPruneSpec, parsePruneSpec, prune, pruneInPlace, validatePruneSpec, type PruneSpec } from './prune.js';
import { pruneQuantize, type FusedPruneSpec, type WeightSource } from './prune-quantize.js';
import { checkGranularity, checkWeightBits, type Granularity } from './quantize.js';

export { countNonzeros, matrixSparsity, type FloatColumns, type FloatMatrix } from './matrix.js';

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
   * times (a sweep over pruning and bit widths): it is shared, never modified. Given as a matrix, it
   * is what gets pruned and quantized, and it is the result's `float`; given as a function, it is
   * called only when the result's `float` is first read (the SQNR reference), and preparation reads
   * the tensor itself. Ignored for integer tensors.
   */
  readonly floatMatrix?: FloatMatrix | (() => FloatMatrix);
}

/** One weight array, ready for the encoders. */
export interface PreparedWeights {
  /** The tensor's name. */
  readonly name: string;
  /** The layout used (given or default). */
  readonly layout: Layout;
  readonly K: number;
  readonly N: number;
  /**
   * Original weights `[K, N]`, unpruned, unquantized, float64 (the SQNR reference, MODEL §7). For float
   * tensors a lazy getter: made on first read (`tensorToMatrix`, or `PrepareOptions.floatMatrix`), then
   * the same object on every read.
   */
  readonly float: FloatMatrix;
  /**
   * The same original weights in the tensor's own precision (float32 widens to float64 exactly, so a
   * product over these is bit for bit the product over {@link float}): for a float32/float64 tensor in
   * an o-first layout (`oi`, `oiw`, `oihw`) its own array, else {@link float}. What the SQNR reference
   * reads: for a float32 `.npy` it costs no memory at all, where `float` costs twice the file.
   */
  readonly floatColumns: FloatColumns;
  /**
   * Final integer matrix. For float tensors `q.data` is a lazy getter: scattered from {@link nonzeros}
   * on first read, then the same array on every read.
   */
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
  const { layout, K, N, oFirst } = layoutDims(t.shape, opts.layout, t.name);
  const canonical = formatPruneSpec(spec);
  // Fields in the order PreparedWeights lists them.
  // `own`: the tensor's own column-major float array, when it is one (o-first layout).
  const result = (float: () => FloatMatrix, q: IntMatrix, scales: Float64Array, integerInput: boolean, nonzeros: CscMatrix, own?: FloatColumns): PreparedWeights => {
    let memo: FloatMatrix | undefined;
    return {
      name: t.name,
      layout,
      K,
      N,
      get float(): FloatMatrix {
        return (memo ??= float());
      },
      get floatColumns(): FloatColumns {
        return memo ?? own ?? this.float;
      },
      q,
      scales,
      weightBits: bits,
      granularity,
      prune: canonical,
      integerInput,
      sparsity: 1 - nonzeros.nnz / (K * N),
      nnz: nonzeros.nnz,
      nonzeros,
    };
  };

  if (isIntegerTensor(t)) {
    const q0 = tensorToIntMatrix(t, layout, bits);
    const float = { rows: K, cols: N, data: Float64Array.from(q0.data) };
    const q = { rows: K, cols: N, data: Int16Array.from(prune(float, spec).data) };
    const scales = new Float64Array(granularity === 'per-tensor' ? 1 : N).fill(1);
    // One scan gives the nonzeros (kept: the run pipeline's reference product walks them) and nnz.
    return result(() => float, q, scales, true, extractNonzeros(q, bits));
  }

  checkGranularity(granularity);
  const given = opts.floatMatrix;
  const checked = (m: FloatMatrix): FloatMatrix => {
    if (m.rows !== K || m.cols !== N) {
      throw new ConfigError('BAD_FLOAT_MATRIX', `floatMatrix is [${m.rows}, ${m.cols}] but '${t.name}' under layout ${layout} is [${K}, ${N}]; pass tensorToMatrix(t, layout) of this tensor`);
    }
    return m;
  };
  const eager = typeof given === 'object' ? checked(given) : undefined;

  let src: WeightSource, rule: FusedPruneSpec;
  if (spec.kind === 'none' || spec.kind === 'magnitude' || spec.kind === 'nm') {
    // A given matrix, else the tensor's own float array, else (a float dtype held in another array
    // type) a float64 conversion.
    const own = t.data instanceof Float32Array || t.data instanceof Float64Array ? t.data : null;
    if (!eager && own) checkLength(t, K * N);
    src = eager ? { data: eager.data, K, N, colMajor: true }
      : own ? { data: own, K, N, colMajor: oFirst }
      : { data: tensorToMatrix(t, layout).data, K, N, colMajor: true };
    rule = spec;
  } else {
    // Structured rules rank tile norms: prune a float64 working copy in place, then quantize it.
    const work = eager ? { rows: K, cols: N, data: new Float64Array(eager.data) } : tensorToMatrix(t, layout);
    pruneInPlace(work, spec);
    src = { data: work.data, K, N, colMajor: true };
    rule = { kind: 'none' };
  }
  const { nonzeros, scales } = pruneQuantize(src, rule, bits, granularity, (i) => {
    // Name the position in the tensor's own (C-order) indices.
    const k = src.colMajor ? i % K : Math.floor(i / N), j = src.colMajor ? Math.floor(i / K) : i % N;
    throw nonFiniteWeight(t, oFirst ? j * K + k : k * N + j, src.data[i]!);
  });
  const float = eager ? () => eager : typeof given === 'function' ? () => checked(given()) : () => tensorToMatrix(t, layout);
  // Checked finite by pruneQuantize above (block/bcr: by tensorToMatrix).
  const ownData = t.data instanceof Float32Array || t.data instanceof Float64Array ? t.data : null;
  const own = !eager && ownData && oFirst ? { rows: K, cols: N, data: ownData } : undefined;
  return result(float, lazyDense(nonzeros), scales, false, nonzeros, own);
}

/** An IntMatrix whose `data` is scattered from the nonzeros on first read (then kept). */
function lazyDense(nz: CscMatrix): IntMatrix {
  let data: Int16Array | undefined;
  return {
    rows: nz.rows,
    cols: nz.cols,
    get data(): Int16Array {
      return (data ??= scatter(nz));
    },
  };
}

/** The dense column-major matrix of a CSC list. */
function scatter(nz: CscMatrix): Int16Array {
  const K = nz.rows, N = nz.cols, { colPtr, rowIdx, values } = nz;
  const d = new Int16Array(K * N);
  for (let j = 0, off = 0; j < N; j++, off += K) {
    for (let p = colPtr[j]!, e = colPtr[j + 1]!; p < e; p++) d[off + rowIdx[p]!] = values[p]!;
  }
  return d;
}
