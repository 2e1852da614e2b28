/**
 * Tensor layout → weight matrix `[K, N]` (MODEL §1, exact).
 *
 * | layout | rank | K (C-order flatten of) | N |
 * |---|---|---|---|
 * | `oi`   | 2 | `i`         | `o` |
 * | `io`   | 2 | `i`         | `o` |
 * | `oihw` | 4 | `(i, h, w)` | `o` |
 * | `hwio` | 4 | `(h, w, i)` | `o` |
 * | `oiw`  | 3 | `(i, w)`    | `o` |
 *
 * Every layout has `o` either first or last, so only two memory patterns exist:
 * - **o first** (`oi`, `oiw`, `oihw`): the C-order index of `(o, rest…)` is `o·K + k` = the
 *   column-major index `j·K + k` of `(k, j)`. The conversion is a straight copy — one tight loop.
 * - **o last** (`io`, `hwio`): the C-order index is `k·N + j`, a `[K, N]` row-major matrix; the
 *   conversion is a (cache-blocked) transpose.
 * Non-finite values are detected inside the same loop (`v - v` is 0 for every finite `v` and NaN for
 * ±Inf/NaN), so validation costs no extra pass.
 */
import { ConfigError, InputError } from '../../errors.js';
import type { IntMatrix } from '../../formats/types.js';
import type { DType, Tensor, TensorData } from '../io/tensor.js';
import type { FloatMatrix } from './matrix.js';
import { checkWeightBits } from './quantize.js';

/** The tensor layouts of MODEL §1. */
export type Layout = 'oi' | 'io' | 'oihw' | 'hwio' | 'oiw';

/** Every layout, in documentation order. */
export const LAYOUTS: readonly Layout[] = ['oi', 'io', 'oihw', 'hwio', 'oiw'];

/** Rank each layout requires. */
export const LAYOUT_RANK: Readonly<Record<Layout, number>> = { oi: 2, io: 2, oihw: 4, hwio: 4, oiw: 3 };

/** Integer dtypes (and bool): used as they are, not quantized (MODEL §2). */
const INTEGER_DTYPES: ReadonlySet<DType> = new Set<DType>([
  'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64',
]);

/** True when the tensor holds integers (or bools), which MODEL §2 uses without quantization. */
export function isIntegerTensor(t: Pick<Tensor, 'dtype'>): boolean {
  return INTEGER_DTYPES.has(t.dtype);
}

/**
 * Parse a `--layout` value. Throws ConfigError `BAD_LAYOUT` listing the choices.
 * @example parseLayout('hwio') // → 'hwio'
 */
export function parseLayout(s: string): Layout {
  const v = s.trim().toLowerCase();
  if ((LAYOUTS as readonly string[]).includes(v)) return v as Layout;
  throw new ConfigError('BAD_LAYOUT', `unknown layout '${s}'; use one of ${LAYOUTS.join(', ')} (MODEL §1)`);
}

/**
 * Parse a `--layout` value: one layout, or a comma list with at most one layout per rank, for
 * model files whose arrays differ in rank (a Keras model: `hwio,io`).
 * Throws ConfigError `BAD_LAYOUT` for an unknown layout or two layouts of the same rank.
 * @example parseLayoutList('hwio,io') // → ['hwio', 'io']
 */
export function parseLayoutList(s: string): Layout[] {
  const list = s.split(',').map(parseLayout);
  for (let i = 0; i < list.length; i++) {
    const twin = list.findIndex((l, j) => j < i && LAYOUT_RANK[l] === LAYOUT_RANK[list[i]!]);
    if (twin >= 0) throw new ConfigError('BAD_LAYOUT', `--layout '${s}' names two ${LAYOUT_RANK[list[i]!]}-D layouts (${list[twin]}, ${list[i]}); give at most one layout per rank`);
  }
  return list;
}

/**
 * The layout of a `rank`-D array under a parsed `--layout` list: the list's layout of that rank, or
 * (none) the first one, which {@link layoutDims} then refuses with the layouts that would fit.
 * Undefined list: undefined (the rank's default).
 */
export function layoutForRank(list: readonly Layout[] | undefined, rank: number): Layout | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return list.find((l) => LAYOUT_RANK[l] === rank) ?? list[0];
}

/**
 * The layouts a file's arrays are stored in when `--layout` is not given: TensorFlow/TF.js files keep
 * dense kernels as `[in, out]` and conv filters as HWIO (`tf.layers.dense`, `tf.conv2d`), so their
 * default is `io,hwio`; every other kind (PyTorch state dicts, ONNX, numpy) defaults by rank (MODEL §1).
 * A TF.js depthwise filter `[kh, kw, C, M]` is not one matrix (see docs/GRAPHS.md: `eval` maps it
 * block-diagonally); under `hwio` it reads as `K = kh·kw·C` by `N = M`.
 * @example layoutsOfFileKind('tfjs') // ['io', 'hwio']
 */
export function layoutsOfFileKind(kind: string): readonly Layout[] | undefined {
  return kind === 'tfjs' ? ['io', 'hwio'] : undefined;
}

/**
 * The default layout for an array of rank `rank`: `oi` (2-D, PyTorch Linear), `oiw` (3-D, Conv1d),
 * `oihw` (4-D, Conv2d). Rank 0/1 (a bias) and rank > 4 throw InputError.
 * @param name array name used in the error message
 * @example defaultLayout(4) // → 'oihw'
 */
export function defaultLayout(rank: number, name = 'array', shape?: readonly number[]): Layout {
  if (rank === 2) return 'oi';
  if (rank === 3) return 'oiw';
  if (rank === 4) return 'oihw';
  const shp = shape ? ` has shape ${fmtShape(shape)}` : ` has rank ${rank}`;
  if (rank < 2) {
    throw new InputError(
      'NOT_A_WEIGHT_MATRIX',
      `array '${name}'${shp}: not a weight matrix — it looks like a bias; pick a 2-D+ array with --array`,
    );
  }
  throw new InputError(
    'RANK_TOO_HIGH',
    `array '${name}'${shp} (rank ${rank}): weight arrays have rank 2 to 4 (layouts ${LAYOUTS.join(', ')}); pick another array with --array or reshape it`,
  );
}

/** `K`, `N` of a tensor under a layout, and whether `o` is its first axis. */
export interface LayoutDims {
  readonly layout: Layout;
  readonly K: number;
  readonly N: number;
  /** true for `oi`/`oiw`/`oihw` (copy), false for `io`/`hwio` (transpose). */
  readonly oFirst: boolean;
}

/**
 * Resolve `K` and `N` of a shape under `layout` (default: by rank), validating rank and emptiness.
 * Throws InputError `NOT_A_WEIGHT_MATRIX`, `RANK_TOO_HIGH`, `LAYOUT_RANK_MISMATCH` or `EMPTY_ARRAY`.
 * @example layoutDims([64, 3, 5, 5], 'oihw') // → { layout: 'oihw', K: 75, N: 64, oFirst: true }
 */
export function layoutDims(shape: readonly number[], layout?: Layout, name = 'array'): LayoutDims {
  const rank = shape.length;
  const def = defaultLayout(rank, name, shape); // throws for rank < 2 or > 4 whatever the layout
  const lay = layout ?? def;
  if (LAYOUT_RANK[lay] !== rank) {
    const fits = LAYOUTS.filter((l) => LAYOUT_RANK[l] === rank).join(', ');
    throw new InputError(
      'LAYOUT_RANK_MISMATCH',
      `array '${name}' has shape ${fmtShape(shape)} (rank ${rank}) but layout '${lay}' needs rank ${LAYOUT_RANK[lay]}; use --layout ${fits}`,
    );
  }
  for (let a = 0; a < rank; a++) {
    if (!(shape[a]! > 0)) {
      throw new InputError(
        'EMPTY_ARRAY',
        `array '${name}' has shape ${fmtShape(shape)}: axis ${a} is empty, so there is no weight to simulate; pick another array with --array`,
      );
    }
  }
  const oFirst = lay === 'oi' || lay === 'oiw' || lay === 'oihw';
  const N = oFirst ? shape[0]! : shape[rank - 1]!;
  let K = 1;
  for (let a = 0; a < rank; a++) K *= shape[a]!;
  K /= N;
  return { layout: lay, K, N, oFirst };
}

/**
 * Convert a tensor into the float64 weight matrix `[K, N]` (column-major) per MODEL §1.
 * Integer tensors convert exactly (64-bit integers beyond 2^53 round; {@link tensorToIntMatrix}
 * rejects those anyway). Throws InputError for a wrong rank/layout, an empty axis, or a NaN/±Inf
 * (`NON_FINITE_WEIGHT`, naming the array and the first bad position in the tensor's own indices).
 * @example
 * // PyTorch Linear weight [o=2, i=3] → K=3, N=2, already column-major
 * tensorToMatrix({ name: 'w', dtype: 'float32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }).data
 * // → Float64Array [1, 2, 3, 4, 5, 6]   ((k, j) = data[j*3 + k] = w[j, k])
 */
export function tensorToMatrix(t: Tensor, layout?: Layout): FloatMatrix {
  const { K, N, oFirst } = layoutDims(t.shape, layout, t.name);
  checkLength(t, K * N);
  const out = new Float64Array(K * N);
  const src = t.data;
  let bad: number;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) bad = convertBig(src, out, K, N, oFirst);
  else if (oFirst) bad = copyChecked(src, out);
  else bad = transposeChecked(src, out, K, N);
  if (bad >= 0) throw nonFiniteWeight(t, bad, out[oFirst ? bad : (bad % N) * K + Math.floor(bad / N)]!);
  return { rows: K, cols: N, data: out };
}

/**
 * The InputError `NON_FINITE_WEIGHT` for value `v` at C-order index `cIndex` of tensor `t` (its
 * position in the tensor's own indices), as {@link tensorToMatrix} and weight preparation throw it.
 */
export function nonFiniteWeight(t: Pick<Tensor, 'name' | 'shape'>, cIndex: number, v: number): InputError {
  return new InputError(
    'NON_FINITE_WEIGHT',
    `array '${t.name}' has a non-finite value (${v}) at ${fmtShape(cIndexToPosition(t.shape, cIndex))}; weights must be finite — fix the file or pick another array with --array`,
  );
}

/**
 * Convert an **integer-typed** tensor into the integer matrix `[K, N]` used as it is (MODEL §2):
 * every value must fit `[-Q, Q]`, `Q = 2^(bits-1) - 1`. Otherwise InputError
 * `INT_WEIGHT_OUT_OF_RANGE` naming the value, its position and the bits it needs.
 * A float tensor is refused with InputError `NOT_INTEGER_TENSOR` (quantize it instead).
 * @example
 * tensorToIntMatrix({ name: 'w', dtype: 'int8', shape: [1, 2], data: new Int8Array([-3, 7]) }, 'oi', 4).data
 * // → Int16Array [-3, 7]
 */
export function tensorToIntMatrix(t: Tensor, layout: Layout | undefined, bits: number): IntMatrix {
  checkWeightBits(bits);
  if (!isIntegerTensor(t)) {
    throw new InputError(
      'NOT_INTEGER_TENSOR',
      `array '${t.name}' is ${t.dtype}, not an integer array; quantize it instead (tensorToMatrix + quantizeWeights)`,
    );
  }
  const { K, N, oFirst } = layoutDims(t.shape, layout, t.name);
  checkLength(t, K * N);
  const q = (1 << (bits - 1)) - 1;
  const out = new Int16Array(K * N);
  const src = t.data;
  let bad = -1;
  let badText = '';
  let needBits = 0;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    const qb = BigInt(q);
    for (let c = 0; c < src.length; c++) {
      const v = src[c]!;
      if (v > qb || v < -qb) {
        bad = c;
        badText = v.toString();
        const a = v < 0n ? -v : v;
        needBits = 2;
        while ((1n << BigInt(needBits - 1)) - 1n < a) needBits++;
        break;
      }
      out[oFirst ? c : (c % N) * K + Math.floor(c / N)] = Number(v);
    }
  } else {
    bad = oFirst ? copyIntChecked(src, out, q) : transposeIntChecked(src, out, K, N, q);
    if (bad >= 0) {
      const v = Number(src[bad]);
      badText = String(v);
      needBits = signedBitsFor(v);
    }
  }
  if (bad >= 0) {
    const fix =
      needBits > 16
        ? `more than the 16-bit maximum; rescale the array or save it as float so it gets quantized`
        : `raise the weight bits to ${needBits} or save the array as float so it gets quantized`;
    throw new InputError(
      'INT_WEIGHT_OUT_OF_RANGE',
      `array '${t.name}' (${t.dtype}) value ${badText} at ${fmtShape(cIndexToPosition(t.shape, bad))} does not fit ${bits}-bit weights [-${q}, ${q}]: it needs ${needBits} bits, ${fix}`,
    );
  }
  return { rows: K, cols: N, data: out };
}

/** Smallest b with |v| ≤ 2^(b-1) - 1 (at least 2, the smallest weight width). */
export function signedBitsFor(v: number): number {
  const a = Math.abs(v);
  let b = 2;
  while (2 ** (b - 1) - 1 < a) b++;
  return b;
}

/** The multi-index of C-order flat index `idx` in `shape`. */
export function cIndexToPosition(shape: readonly number[], idx: number): number[] {
  const pos = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    pos[a] = idx % d;
    idx = Math.floor(idx / d);
  }
  return pos;
}

function fmtShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** Throws InputError `TENSOR_SIZE_MISMATCH` unless the tensor holds exactly `n` values (its shape's product). */
export function checkLength(t: Tensor, n: number): void {
  if (t.data.length !== n) {
    throw new InputError(
      'TENSOR_SIZE_MISMATCH',
      `array '${t.name}' has shape ${fmtShape(t.shape)} (${n} elements) but holds ${t.data.length} values; the file is inconsistent — re-export it`,
    );
  }
}

type NumberData = Exclude<TensorData, BigInt64Array | BigUint64Array>;

/** o-first layouts: C order is already column-major. Returns the first non-finite index or -1. */
function copyChecked(src: NumberData, out: Float64Array): number {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v;
    if (v - v !== 0) return i; // NaN or ±Inf
  }
  return -1;
}

/** Transpose tile edge: 32×32 doubles = 8 KiB, comfortably inside L1 for both source and target. */
const TILE = 32;

/** o-last layouts: src is row-major [K, N]; write column-major. Returns the first bad C index or -1. */
function transposeChecked(src: NumberData, out: Float64Array, K: number, N: number): number {
  let bad = -1;
  for (let k0 = 0; k0 < K; k0 += TILE) {
    const k1 = Math.min(K, k0 + TILE);
    for (let j0 = 0; j0 < N; j0 += TILE) {
      const j1 = Math.min(N, j0 + TILE);
      for (let k = k0; k < k1; k++) {
        const row = k * N;
        for (let j = j0; j < j1; j++) {
          const v = src[row + j]!;
          out[j * K + k] = v;
          if (v - v !== 0 && (bad < 0 || row + j < bad)) bad = row + j;
        }
      }
      // Tiles are visited in C order of their first row block, so the first bad index found in a
      // finished band of rows is the smallest overall; stop at the end of that band.
    }
    if (bad >= 0) return bad;
  }
  return -1;
}

/** 64-bit integer tensors (rare): Number() each value. Integers are always finite. */
function convertBig(src: BigInt64Array | BigUint64Array, out: Float64Array, K: number, N: number, oFirst: boolean): number {
  const n = out.length;
  if (oFirst) for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
  else for (let c = 0; c < n; c++) out[(c % N) * K + Math.floor(c / N)] = Number(src[c]!);
  return -1;
}

function copyIntChecked(src: NumberData, out: Int16Array, q: number): number {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    if (v > q || v < -q) return i;
    out[i] = v;
  }
  return -1;
}

function transposeIntChecked(src: NumberData, out: Int16Array, K: number, N: number, q: number): number {
  for (let k = 0; k < K; k++) {
    const row = k * N;
    for (let j = 0; j < N; j++) {
      const v = src[row + j]!;
      if (v > q || v < -q) return row + j;
      out[j * K + k] = v;
    }
  }
  return -1;
}
