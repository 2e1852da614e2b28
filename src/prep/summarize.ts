/**
 * `imc-sim inspect`: one summary row per array — name, dtype, shape, size, sparsity, min/max, and
 * the `[K, N]` layout imc-sim would assume (MODEL §1), or why the array is not a weight matrix.
 */
import { ImcError } from '../../errors.js';
import { loadTensorFile, type TensorFileKind } from '../io/load.js';
import type { Tensor } from '../io/tensor.js';
import { VERSION } from '../version.js';
import { layoutDims, layoutForRank, layoutsOfFileKind, type Layout } from './layout.js';

/** The summary of one array. */
export interface ArraySummary {
  name: string;
  dtype: string;
  shape: number[];
  size: number;
  /** Fraction of elements exactly zero. */
  sparsity: number;
  /** NaN when the array is empty; `nonFinite` counts NaN/±Inf elements, which min/max skip. */
  min: number;
  max: number;
  nonFinite: number;
  /** `oi → [K=784, N=300]`, or null with `note` when the array is not a weight matrix. */
  layout: string | null;
  matrix: { rows: number; cols: number } | null;
  note?: string;
}

/** Summarise one tensor in a single pass over its data (BigInt arrays convert per element); `layouts` as `--layout` (default by rank). */
export function summarizeTensor(t: Tensor, layouts?: readonly Layout[]): ArraySummary {
  const d = t.data;
  const n = d.length;
  let zeros = 0, nonFinite = 0, min = Infinity, max = -Infinity;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) {
      const v = Number(d[i]!);
      if (v === 0) zeros++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      if (v === 0) zeros++;
      else if (v !== v || v === Infinity || v === -Infinity) { nonFinite++; continue; }
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const finite = n - nonFinite;
  let layout: string | null = null, matrix: ArraySummary['matrix'] = null, note: string | undefined;
  try {
    const dims = layoutDims(t.shape, layoutForRank(layouts, t.shape.length), t.name);
    layout = dims.layout;
    matrix = { rows: dims.K, cols: dims.N };
  } catch (e) {
    if (!(e instanceof ImcError)) throw e;
    note = t.shape.length < 2 ? 'not a weight matrix (rank < 2: a bias?)' : e.message.replace(/^array '[^']*' /, '');
  }
  if (nonFinite > 0) note = `${nonFinite} NaN/Inf value(s): cannot be simulated`;
  return {
    name: t.name,
    dtype: t.dtype,
    shape: [...t.shape],
    size: n,
    sparsity: n > 0 ? zeros / n : 0,
    min: finite > 0 ? min : NaN,
    max: finite > 0 ? max : NaN,
    nonFinite,
    layout,
    matrix,
    ...(note ? { note } : {}),
  };
}

/**
 * `inspect` as one library call: every array of a tensor file, summarised; `document` is exactly
 * what `imc-sim inspect --json` prints.
 * @example inspectFile('fixtures/data/lenet300.npz').arrays[0].layout // 'oi'
 */
export function inspectFile(file: string): { kind: TensorFileKind; arrays: ArraySummary[]; document: Record<string, unknown> } {
  const f = loadTensorFile(file);
  const layouts = layoutsOfFileKind(f.kind);
  const arrays = f.tensors.map((t) => summarizeTensor(t, layouts));
  return { kind: f.kind, arrays, document: { tool: 'imc-sim', version: VERSION, file, kind: f.kind, arrays } };
}
