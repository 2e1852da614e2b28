/**
 * Pruning rules (MODEL §3, exact selection), applied to the float weights before quantization.
 *
 * Tie rule everywhere: among equal keys the **lower index is kept** — column-major flat index
 * `j·K + k` (magnitude), row index inside the column group (nm), column-major tile index
 * `bj·TK + bi` (block), row or column index inside the tile (bcr). The selection kernel is
 * `./select.ts`.
 *
 * Definitions this file fixes where MODEL leaves the arithmetic open (the golden generator
 * `fixtures/make-prep-goldens.py` does the same):
 * - counts: `floor(s · (K·N))`, `floor(s · #tiles)` — the integer product first, one float64 multiply;
 *   `round(p · n)` in bcr is round-half-to-even (numpy/Python `round`), `p = 1 - sqrt(1 - s)` in float64;
 * - L2 norms are compared as sums of squares (same order as the norms, no sqrt rounding), each summed
 *   sequentially in float64 in column-major order inside the tile (j outer, k inner) — row norms in
 *   increasing j, column norms in increasing k.
 */
import { ConfigError } from '../../errors.js';
import type { FloatMatrix } from './matrix.js';
import { roundHalfEven } from './quantize.js';
import { RANK_LIMIT, markSmallest, smallestCut } from './select.js';

/** A parsed `--prune` spec. */
export type PruneSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'magnitude'; readonly sparsity: number }
  | { readonly kind: 'nm'; readonly n: number; readonly m: number }
  | { readonly kind: 'block' | 'bcr'; readonly bk: number; readonly bn: number; readonly sparsity: number };

/** The spec grammar, for help texts and error messages. */
export const PRUNE_GRAMMAR =
  'none | magnitude:s | nm:N:m | block:bk:bn:s | bcr:bk:bn:s (s in [0, 1]; integers 1 ≤ N ≤ m, m ≥ 2, bk ≥ 1, bn ≥ 1)';

const INT_RE = /^[0-9]+$/;
/** A plain non-negative decimal (`0.9`, `.5`, `1e-3`), as the spec grammars accept it. */
export const NUM_RE = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Parse a prune spec; throws ConfigError `BAD_PRUNE_SPEC` with the grammar.
 * @example parsePruneSpec('nm:2:4') // → { kind: 'nm', n: 2, m: 4 }
 */
export function parsePruneSpec(s: string): PruneSpec {
  const parts = s.trim().toLowerCase().split(':');
  const bad = (why: string): never => {
    throw new ConfigError('BAD_PRUNE_SPEC', `bad prune spec '${s}': ${why}; use ${PRUNE_GRAMMAR}`);
  };
  const int = (w: string | undefined, what: string): number =>
    w !== undefined && INT_RE.test(w) ? Number(w) : bad(`${what} must be a whole number, got '${w ?? ''}'`);
  const frac = (w: string | undefined): number =>
    w !== undefined && NUM_RE.test(w) ? Number(w) : bad(`sparsity s must be a number in [0, 1], got '${w ?? ''}'`);
  const arity = (n: number): void => {
    if (parts.length !== n) bad(`'${parts[0]}' takes ${n - 1} parameter${n === 2 ? '' : 's'}, got ${parts.length - 1}`);
  };
  let spec: PruneSpec;
  switch (parts[0]) {
    case 'none':
      arity(1);
      spec = { kind: 'none' };
      break;
    case 'magnitude':
      arity(2);
      spec = { kind: 'magnitude', sparsity: frac(parts[1]) };
      break;
    case 'nm':
      arity(3);
      spec = { kind: 'nm', n: int(parts[1], 'N'), m: int(parts[2], 'm') };
      break;
    case 'block':
    case 'bcr':
      arity(4);
      spec = { kind: parts[0], bk: int(parts[1], 'bk'), bn: int(parts[2], 'bn'), sparsity: frac(parts[3]) };
      break;
    default:
      return bad(`unknown rule '${parts[0]}'`);
  }
  validatePruneSpec(spec, s);
  return spec;
}

/**
 * Check a spec's ranges (for specs built in code); throws ConfigError `BAD_PRUNE_SPEC`.
 */
export function validatePruneSpec(spec: PruneSpec, text = formatPruneSpecUnchecked(spec)): void {
  const bad = (why: string): never => {
    throw new ConfigError('BAD_PRUNE_SPEC', `bad prune spec '${text}': ${why}; use ${PRUNE_GRAMMAR}`);
  };
  const posInt = (v: number, what: string, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) bad(`${what} must be an integer ≥ ${min}, got ${v}`);
  };
  const checkSparsity = (v: number): void => {
    if (!(v >= 0 && v <= 1)) bad(`sparsity s must be in [0, 1], got ${v}`);
  };
  switch (spec.kind) {
    case 'none':
      return;
    case 'nm':
      posInt(spec.m, 'm', 2);
      posInt(spec.n, 'N', 1);
      if (spec.n > spec.m) bad(`N must be ≤ m, got N = ${spec.n} > m = ${spec.m}`);
      return;
    case 'block':
    case 'bcr':
      posInt(spec.bk, 'bk', 1);
      posInt(spec.bn, 'bn', 1);
      checkSparsity(spec.sparsity);
      return;
    case 'magnitude':
      checkSparsity(spec.sparsity);
      return;
    default:
      bad(`unknown rule '${(spec as { kind: string }).kind}'`);
  }
}

/**
 * The canonical text of a spec, e.g. `magnitude:0.9`, `nm:2:4`, `block:4:4:0.5`, `none`.
 * @example formatPruneSpec(parsePruneSpec(' NM:2:04 ')) // → 'nm:2:4'
 */
export function formatPruneSpec(spec: PruneSpec): string {
  validatePruneSpec(spec, formatPruneSpecUnchecked(spec));
  return formatPruneSpecUnchecked(spec);
}

function formatPruneSpecUnchecked(spec: PruneSpec): string {
  switch (spec.kind) {
    case 'none':
      return 'none';
    case 'magnitude':
      return `magnitude:${spec.sparsity}`;
    case 'nm':
      return `nm:${spec.n}:${spec.m}`;
    default:
      return `${spec.kind}:${spec.bk}:${spec.bn}:${spec.sparsity}`;
  }
}

/**
 * Apply a pruning rule: returns a **new** matrix with the pruned entries set to 0 (`m` is not
 * modified; for `none` a copy). Weights must be finite (as `tensorToMatrix` guarantees).
 * @example
 * prune({ rows: 4, cols: 1, data: Float64Array.of(1, -3, 2, 1) }, 'nm:2:4').data // → [0, -3, 2, 0]
 */
export function prune(m: FloatMatrix, spec: PruneSpec | string): FloatMatrix {
  const sp = typeof spec === 'string' ? parsePruneSpec(spec) : (validatePruneSpec(spec), spec);
  const K = m.rows, N = m.cols;
  if (sp.kind === 'magnitude') return { rows: K, cols: N, data: pruneMagnitude(m.data, Math.floor(sp.sparsity * (K * N))) };
  const out = new Float64Array(m.data);
  switch (sp.kind) {
    case 'none':
      break;
    case 'nm':
      pruneNm(m.data, out, K, N, sp.n, sp.m);
      break;
    case 'block':
      pruneBlock(m.data, out, K, N, sp.bk, sp.bn, sp.sparsity);
      break;
    case 'bcr':
      pruneBcr(m.data, out, K, N, sp.bk, sp.bn, sp.sparsity);
      break;
  }
  return { rows: K, cols: N, data: out };
}

/**
 * Apply a structured rule (`nm`, `block`, `bcr`; `none` does nothing) **in place** on a matrix the
 * caller owns — same result as {@link prune}, without its copy. Each rule reads the keys it ranks
 * (a group, a tile's norms, all tile norms) before it zeroes anything they cover. `magnitude` is not
 * taken here: weight preparation selects it on the tensor itself (`prune-quantize.ts`).
 */
export function pruneInPlace(m: FloatMatrix, spec: Exclude<PruneSpec, { kind: 'magnitude' }>): void {
  validatePruneSpec(spec);
  const K = m.rows, N = m.cols, w = m.data;
  switch (spec.kind) {
    case 'none':
      return;
    case 'nm':
      pruneNm(w, w, K, N, spec.n, spec.m);
      return;
    case 'block':
      pruneBlock(w, w, K, N, spec.bk, spec.bn, spec.sparsity);
      return;
    case 'bcr':
      pruneBcr(w, w, K, N, spec.bk, spec.bn, spec.sparsity);
      return;
  }
}

/**
 * magnitude: zero the `count` entries of smallest |w| over the whole matrix (flat column-major index
 * ties). Builds the result in one pass over a fresh zero-filled array (kept entries only), so there is
 * no separate copy pass.
 */
function pruneMagnitude(w: Float64Array, count: number): Float64Array {
  const n = w.length;
  if (count <= 0) return new Float64Array(w);
  const out = new Float64Array(n);
  if (count >= n) return out;
  const { threshold, ties } = smallestCut(w, 0, n, count);
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    out[i] = Math.abs(v) >= threshold ? v : 0;
  }
  for (let i = n - 1, left = ties; left > 0; i--) {
    if (Math.abs(w[i]!) === threshold) {
      out[i] = 0;
      left--;
    }
  }
  return out;
}

/** nm: per column, groups of m rows (last may be short); keep the N largest |w| of each group. */
function pruneNm(w: Float64Array, out: Float64Array, K: number, N: number, keep: number, m: number): void {
  const mark = new Uint8Array(m);
  const a = new Float64Array(Math.min(m, RANK_LIMIT));
  const groups = Math.ceil(K / m);
  for (let j = 0; j < N; j++) {
    for (let g = 0; g < groups; g++) {
      const off = j * K + g * m;
      const len = Math.min(m, K - g * m);
      if (len <= keep) continue;
      const count = len - keep;
      if (len <= RANK_LIMIT) {
        // Inline rank count (the common small-m case, millions of groups): entry r is pruned iff fewer
        // than `count` entries precede it in the pruning order (|w| ascending, then row descending).
        for (let i = 0; i < len; i++) a[i] = Math.abs(w[off + i]!);
        for (let r = 0; r < len; r++) {
          const v = a[r]!;
          let before = 0;
          for (let s = 0; s < len; s++) {
            const u = a[s]!;
            if (u < v || (u === v && s > r)) before++;
          }
          if (before < count) out[off + r] = 0;
        }
      } else {
        mark.fill(0, 0, len);
        markSmallest(w, off, len, count, mark, 0);
        for (let i = 0; i < len; i++) if (mark[i]) out[off + i] = 0;
      }
    }
  }
}

/** block: zero the floor(s·#tiles) bk×bn tiles of smallest L2 norm (column-major tile index ties). */
function pruneBlock(w: Float64Array, out: Float64Array, K: number, N: number, bk: number, bn: number, s: number): void {
  const TK = Math.ceil(K / bk), TN = Math.ceil(N / bn), T = TK * TN;
  const count = Math.floor(s * T);
  if (count <= 0) return;
  // Sum of squares per tile. Walking the matrix column-major adds each tile's entries in column-major
  // order inside the tile (j outer, k inner), sequentially — the order the golden generator uses.
  const sq = new Float64Array(T);
  for (let j = 0; j < N; j++) {
    const tileCol = Math.floor(j / bn) * TK;
    const off = j * K;
    for (let bi = 0, k0 = 0; bi < TK; bi++, k0 += bk) {
      const k1 = Math.min(K, k0 + bk);
      let acc = sq[tileCol + bi]!; // continue the tile's running sum: same order as one sequential loop
      for (let k = off + k0; k < off + k1; k++) {
        const v = w[k]!;
        acc += v * v;
      }
      sq[tileCol + bi] = acc;
    }
  }
  const mark = new Uint8Array(T);
  markSmallest(sq, 0, T, count, mark);
  for (let j = 0; j < N; j++) {
    const tileCol = Math.floor(j / bn) * TK;
    const off = j * K;
    for (let bi = 0; bi < TK; bi++) {
      if (mark[tileCol + bi]) out.fill(0, off + bi * bk, off + Math.min(K, bi * bk + bk));
    }
  }
}

/**
 * bcr (GRIM, Niu et al., "GRIM: A General, Real-Time Deep Learning Inference Framework for Mobile
 * Devices based on Fine-Grained Structured Weight Sparsity", IEEE TPAMI 2021): in each bk×bn tile
 * zero the round(p·rows) rows and round(p·cols) columns of smallest L2 norm, p = 1 - sqrt(1 - s), so
 * that the kept fraction (1-p)² ≈ 1 - s. Norms are taken inside the tile before pruning.
 */
function pruneBcr(w: Float64Array, out: Float64Array, K: number, N: number, bk: number, bn: number, s: number): void {
  const p = 1 - Math.sqrt(1 - s);
  const rowSq = new Float64Array(bk), colSq = new Float64Array(bn);
  const rowMark = new Uint8Array(bk), colMark = new Uint8Array(bn);
  for (let j0 = 0; j0 < N; j0 += bn) {
    const nc = Math.min(bn, N - j0);
    const pruneCols = roundHalfEven(p * nc);
    for (let k0 = 0; k0 < K; k0 += bk) {
      const nr = Math.min(bk, K - k0);
      const pruneRows = roundHalfEven(p * nr);
      if (pruneRows === 0 && pruneCols === 0) continue;
      rowSq.fill(0);
      colSq.fill(0);
      for (let jj = 0; jj < nc; jj++) {
        const off = (j0 + jj) * K + k0;
        let c = 0;
        for (let kk = 0; kk < nr; kk++) {
          const v = w[off + kk]!;
          const v2 = v * v;
          c += v2;
          rowSq[kk] += v2;
        }
        colSq[jj] = c;
      }
      rowMark.fill(0);
      colMark.fill(0);
      markSmallest(rowSq, 0, nr, pruneRows, rowMark);
      markSmallest(colSq, 0, nc, pruneCols, colMark);
      for (let jj = 0; jj < nc; jj++) {
        const off = (j0 + jj) * K + k0;
        if (colMark[jj]) out.fill(0, off, off + nr);
        else for (let kk = 0; kk < nr; kk++) if (rowMark[kk]) out[off + kk] = 0;
      }
    }
  }
}
