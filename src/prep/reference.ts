/**
 * Slow, obviously-correct references for `src/prep` — written straight from MODEL §1–3 with plain
 * arrays and full sorts, no cleverness. Tests check the fast paths against these on random cases.
 * Not for production use: O(n log n) sorts, per-element allocation.
 */
import type { IntMatrix } from '../../formats/types.js';
import type { Tensor } from '../io/tensor.js';
import type { Layout } from './layout.js';
import type { FloatMatrix } from './matrix.js';
import { parsePruneSpec, type PruneSpec } from './prune.js';
import type { Granularity } from './quantize.js';

/** MODEL §1 table, literally: for `(k, j)` build the tensor's multi-index and read it. */
export function referenceTensorToMatrix(t: Tensor, layout: Layout): FloatMatrix {
  const sh = t.shape;
  const strides = sh.map((_, a) => sh.slice(a + 1).reduce((p, d) => p * d, 1));
  const at = (idx: number[]): number => Number(t.data[idx.reduce((p, v, a) => p + v * strides[a]!, 0)]!);
  let K: number, N: number, read: (k: number, j: number) => number;
  switch (layout) {
    case 'oi': // [o, i], K = i
      [N, K] = [sh[0]!, sh[1]!];
      read = (k, j) => at([j, k]);
      break;
    case 'io': // [i, o]
      [K, N] = [sh[0]!, sh[1]!];
      read = (k, j) => at([k, j]);
      break;
    case 'oiw': { // [o, i, w], K = (i, w)
      const [O, I, W] = sh as [number, number, number];
      [K, N] = [I * W, O];
      read = (k, j) => at([j, Math.floor(k / W), k % W]);
      break;
    }
    case 'oihw': { // [o, i, h, w], K = (i, h, w)
      const [O, I, H, W] = sh as [number, number, number, number];
      [K, N] = [I * H * W, O];
      read = (k, j) => at([j, Math.floor(k / (H * W)), Math.floor(k / W) % H, k % W]);
      break;
    }
    case 'hwio': { // [h, w, i, o], K = (h, w, i)
      const [H, W, I, O] = sh as [number, number, number, number];
      [K, N] = [H * W * I, O];
      read = (k, j) => at([Math.floor(k / (W * I)), Math.floor(k / I) % W, k % I, j]);
      break;
    }
  }
  const data = new Float64Array(K * N);
  for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) data[j * K + k] = read(k, j);
  return { rows: K, cols: N, data };
}

/** Indices of `keys` in pruning order: key ascending, equal keys by index descending (MODEL §3). */
export function referencePruneOrder(keys: readonly number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || b - a);
}

function sumSquares(values: readonly number[]): number {
  let acc = 0;
  for (const v of values) acc += v * v;
  return acc;
}

/** MODEL §3 with full sorts. */
export function referencePrune(m: FloatMatrix, specIn: PruneSpec | string): FloatMatrix {
  const spec = typeof specIn === 'string' ? parsePruneSpec(specIn) : specIn;
  const K = m.rows, N = m.cols;
  const w = Array.from(m.data);
  const out = Array.from(m.data);
  const get = (k: number, j: number): number => w[j * K + k]!;
  const zero = (k: number, j: number): void => {
    out[j * K + k] = 0;
  };
  switch (spec.kind) {
    case 'none':
      break;
    case 'magnitude': {
      const order = referencePruneOrder(w.map(Math.abs));
      for (const i of order.slice(0, Math.floor(spec.sparsity * (K * N)))) out[i] = 0;
      break;
    }
    case 'nm':
      for (let j = 0; j < N; j++) {
        for (let g0 = 0; g0 < K; g0 += spec.m) {
          const rows: number[] = [];
          for (let k = g0; k < Math.min(K, g0 + spec.m); k++) rows.push(k);
          const order = referencePruneOrder(rows.map((k) => Math.abs(get(k, j))));
          for (const r of order.slice(0, Math.max(0, rows.length - spec.n))) zero(rows[r]!, j);
        }
      }
      break;
    case 'block': {
      const TK = Math.ceil(K / spec.bk), TN = Math.ceil(N / spec.bn);
      const tileCells = (t: number): [number, number][] => {
        const bj = Math.floor(t / TK), bi = t % TK;
        const cells: [number, number][] = [];
        for (let j = bj * spec.bn; j < Math.min(N, bj * spec.bn + spec.bn); j++)
          for (let k = bi * spec.bk; k < Math.min(K, bi * spec.bk + spec.bk); k++) cells.push([k, j]);
        return cells; // column-major inside the tile
      };
      const keys: number[] = [];
      for (let t = 0; t < TK * TN; t++) keys.push(sumSquares(tileCells(t).map(([k, j]) => get(k, j))));
      for (const t of referencePruneOrder(keys).slice(0, Math.floor(spec.sparsity * (TK * TN))))
        for (const [k, j] of tileCells(t)) zero(k, j);
      break;
    }
    case 'bcr': {
      const p = 1 - Math.sqrt(1 - spec.sparsity);
      for (let j0 = 0; j0 < N; j0 += spec.bn) {
        for (let k0 = 0; k0 < K; k0 += spec.bk) {
          const ks: number[] = [], js: number[] = [];
          for (let k = k0; k < Math.min(K, k0 + spec.bk); k++) ks.push(k);
          for (let j = j0; j < Math.min(N, j0 + spec.bn); j++) js.push(j);
          const rowKeys = ks.map((k) => sumSquares(js.map((j) => get(k, j))));
          const colKeys = js.map((j) => sumSquares(ks.map((k) => get(k, j))));
          const pr = referenceRoundHalfEven(p * ks.length), pc = referenceRoundHalfEven(p * js.length);
          for (const r of referencePruneOrder(rowKeys).slice(0, pr)) for (const j of js) zero(ks[r]!, j);
          for (const c of referencePruneOrder(colKeys).slice(0, pc)) for (const k of ks) zero(k, js[c]!);
        }
      }
      break;
    }
  }
  return { rows: K, cols: N, data: Float64Array.from(out) };
}

/** Round half to even from the definition: floor, fractional part, compare with one half. */
export function referenceRoundHalfEven(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const f = Math.floor(x);
  const d = x - f; // exact: x and f share the binade's spacing or finer
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** MODEL §2 weights, literally. */
export function referenceQuantizeWeights(
  m: FloatMatrix,
  bits: number,
  granularity: Granularity,
): { q: IntMatrix; scales: Float64Array } {
  const K = m.rows, N = m.cols;
  const Q = 2 ** (bits - 1) - 1;
  const groupMax = (from: number, to: number): number => {
    let mx = 0;
    for (let i = from; i < to; i++) mx = Math.max(mx, Math.abs(m.data[i]!));
    return mx;
  };
  const scales =
    granularity === 'per-tensor'
      ? [groupMax(0, K * N)]
      : Array.from({ length: N }, (_, j) => groupMax(j * K, j * K + K));
  const s = scales.map((mx) => (mx === 0 ? 1 : mx / Q));
  const q = new Int16Array(K * N);
  for (let j = 0; j < N; j++) {
    const sj = s[granularity === 'per-tensor' ? 0 : j]!;
    for (let k = 0; k < K; k++) {
      q[j * K + k] = Math.min(Q, Math.max(-Q, referenceRoundHalfEven(m.data[j * K + k]! / sj)));
    }
  }
  return { q: { rows: K, cols: N, data: q }, scales: Float64Array.from(s) };
}

/** MODEL §2 inputs, literally. */
export function referenceQuantizeInputs(x: readonly number[], bits: number, signed: boolean): { q: number[]; scale: number } {
  if (signed) {
    const Q = 2 ** (bits - 1) - 1;
    const mx = Math.max(0, ...x.map(Math.abs));
    const s = mx === 0 ? 1 : mx / Q;
    return { q: x.map((v) => Math.min(Q, Math.max(-Q, referenceRoundHalfEven(v / s)))), scale: s };
  }
  const Qx = 2 ** bits - 1;
  const mx = Math.max(0, ...x);
  const s = mx === 0 ? 1 : mx / Qx;
  return { q: x.map((v) => Math.min(Qx, Math.max(0, referenceRoundHalfEven(v / s)))), scale: s };
}
