/**
 * The sparsity structures `compress` trains towards, the per-layer targets, and the Euclidean
 * projections Π onto them that ADMM needs (ADMM-NN, Ren et al., ASPLOS 2019, §3: Z = Π_S(W + U)).
 *
 * Each projection is the pruning rule of MODEL §3 (`src/prep/prune.ts`), applied to a layer's
 * `[K, N]` matrix: keeping the largest-|w| entries (of the whole matrix, of each group of m rows) or
 * the largest-L2 tiles is exactly the Euclidean projection onto that set; for BCR (GRIM) the
 * row-then-column choice inside a tile is GRIM's heuristic projection. So the structure a model is
 * trained to is the one `run --prune` applies and the formats encode.
 *
 * Quantization (ADMM-NN §4) projects onto MODEL §2's levels: per column, `s = max|v| / Q`,
 * `v ↦ clamp(rhe(v / s), −Q, Q) · s`; zeros stay zero.
 */
import { ConfigError } from '../../errors.js';
import type { FloatMatrix } from '../prep/matrix.js';
import { NUM_RE, prune, type PruneSpec } from '../prep/prune.js';
import { dequantize, quantizeWeights } from '../prep/quantize.js';

/** A structure without its sparsity (the sparsity is per layer). */
export type Structure =
  | { readonly kind: 'magnitude' }
  | { readonly kind: 'nm'; readonly n: number; readonly m: number }
  | { readonly kind: 'block' | 'bcr'; readonly bk: number; readonly bn: number }
  | { readonly kind: 'column' };

/** The `--structure` grammar. */
export const STRUCTURE_GRAMMAR = 'magnitude (irregular) | nm:N:m | block:bk:bn | bcr:bk:bn | column';

/**
 * Parse `--structure`. `irregular` is an alias of `magnitude`.
 * @example parseStructure('bcr:4:4') // → { kind: 'bcr', bk: 4, bn: 4 }
 */
export function parseStructure(text: string): Structure {
  const parts = text.trim().toLowerCase().split(':');
  const bad = (why: string): never => {
    throw new ConfigError('BAD_STRUCTURE', `bad structure '${text}': ${why}; use ${STRUCTURE_GRAMMAR}`);
  };
  const int = (w: string | undefined, what: string, min: number): number => {
    const v = w !== undefined && /^[0-9]+$/.test(w) ? Number(w) : NaN;
    return Number.isSafeInteger(v) && v >= min ? v : bad(`${what} must be a whole number ≥ ${min}, got '${w ?? ''}'`);
  };
  const arity = (n: number): void => {
    if (parts.length !== n) bad(`'${parts[0]}' takes ${n - 1} parameter${n === 2 ? '' : 's'}`);
  };
  switch (parts[0]) {
    case 'magnitude':
    case 'irregular':
      arity(1);
      return { kind: 'magnitude' };
    case 'column':
      arity(1);
      return { kind: 'column' };
    case 'nm': {
      arity(3);
      const n = int(parts[1], 'N', 1), m = int(parts[2], 'm', 2);
      if (n > m) bad(`N must be ≤ m, got N = ${n} > m = ${m}`);
      return { kind: 'nm', n, m };
    }
    case 'block':
    case 'bcr':
      arity(3);
      return { kind: parts[0], bk: int(parts[1], 'bk', 1), bn: int(parts[2], 'bn', 1) };
    default:
      return bad(`unknown structure '${parts[0]}'`);
  }
}

/** Canonical text of a structure. */
export function formatStructure(s: Structure): string {
  switch (s.kind) {
    case 'nm': return `nm:${s.n}:${s.m}`;
    case 'block': case 'bcr': return `${s.kind}:${s.bk}:${s.bn}`;
    default: return s.kind;
  }
}

/** Per-layer sparsity targets: a default for every layer and named overrides. */
export interface SparsityTargets {
  readonly default: number | null;
  readonly perLayer: ReadonlyMap<string, number>;
}

const checkSparsity = (v: number, where: string): number => {
  if (!(v >= 0 && v < 1)) throw new ConfigError('BAD_SPARSITY', `${where}: sparsity must be in [0, 1), got ${v}`);
  return v;
};

/**
 * Parse `--sparsity`: one value for every layer (`0.9`), per-layer values (`fc1=0.95,conv1=0.5`) or
 * both (`0.9,fc3=0.5`).
 * @example parseSparsityTargets('0.9,fc3=0.5').perLayer.get('fc3') // → 0.5
 */
export function parseSparsityTargets(text: string | number): SparsityTargets {
  if (typeof text === 'number') return { default: checkSparsity(text, 'sparsity'), perLayer: new Map() };
  let dflt: number | null = null;
  const perLayer = new Map<string, number>();
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const num = (w: string): number => {
      if (!NUM_RE.test(w)) {
        throw new ConfigError('BAD_SPARSITY', `bad sparsity '${item}': give a number in [0, 1) or layer=number (e.g. 0.9 or fc1=0.95,conv1=0.5)`);
      }
      return checkSparsity(Number(w), `sparsity '${item}'`);
    };
    if (eq < 0) {
      if (dflt !== null) throw new ConfigError('BAD_SPARSITY', `sparsity '${text}' gives two default values; give one, and layer=value for the others`);
      dflt = num(item);
    } else {
      const name = item.slice(0, eq).trim();
      if (name === '' || perLayer.has(name)) throw new ConfigError('BAD_SPARSITY', `sparsity '${item}': ${name === '' ? 'missing layer name' : `layer ${name} given twice`}`);
      perLayer.set(name, num(item.slice(eq + 1).trim()));
    }
  }
  return { default: dflt, perLayer };
}

/**
 * The prune rule that realises `structure` at `sparsity` on one `K × N` layer (a sparsity of 0
 * means the layer is not pruned). Throws ConfigError `STRUCTURE_DOES_NOT_FIT` when the layer cannot
 * take the structure (a tile larger than the matrix, m larger than the fan-in).
 */
export function pruneSpecFor(structure: Structure, sparsity: number, K: number, N: number, layer: string): PruneSpec {
  const misfit = (why: string): never => {
    throw new ConfigError('STRUCTURE_DOES_NOT_FIT', `layer ${layer} (${K}×${N}) cannot take structure ${formatStructure(structure)}: ${why}`);
  };
  if (structure.kind === 'nm') {
    if (structure.m > K) misfit(`m = ${structure.m} is larger than its fan-in K = ${K}; use a smaller m or leave the layer dense (${layer}=0)`);
    return sparsity === 0 ? { kind: 'none' } : { kind: 'nm', n: structure.n, m: structure.m };
  }
  if (sparsity === 0) return { kind: 'none' };
  switch (structure.kind) {
    case 'magnitude':
      return { kind: 'magnitude', sparsity };
    case 'column':
      return { kind: 'block', bk: K, bn: 1, sparsity };
    default:
      if (structure.bk > K || structure.bn > N) misfit(`the ${structure.bk}×${structure.bn} tile is larger than the matrix; use a smaller tile or leave the layer dense (${layer}=0)`);
      return { kind: structure.kind, bk: structure.bk, bn: structure.bn, sparsity };
  }
}

/** Π onto the pruning set: a new `[K, N]` column-major array. */
export function projectPrune(w: Float64Array, K: number, N: number, spec: PruneSpec): Float64Array {
  return prune({ rows: K, cols: N, data: w }, spec).data;
}

/** Π onto the `bits`-bit levels of MODEL §2 (per-column scales): a new array, zeros kept. */
export function projectQuantize(w: Float64Array, K: number, N: number, bits: number): Float64Array {
  const m: FloatMatrix = { rows: K, cols: N, data: w };
  const q = quantizeWeights(m, bits, 'per-column');
  return dequantize(q.q, q.scales).data;
}
