/**
 * Pareto front of sweep records. Record `a` dominates `b` when `a` is no worse in every objective and
 * strictly better in at least one (exact comparisons, no tolerance); the front is every ok record no
 * other ok record dominates, so records with identical objective values are all kept. Records that
 * are not ok, or miss an objective value (null, NaN, absent), are left out and counted.
 *
 * Paths: two objectives use an O(n log n) sort-and-sweep; any other count sorts lexicographically
 * (a dominator always sorts strictly before what it dominates, so each record is only compared with
 * the front found so far: O(n · |front|)). ./pareto-reference.ts is the O(n²) definition both are
 * tested against.
 */
import type { Objective, SweepRecordLike } from './objectives.js';
import { objectiveValue } from './objectives.js';

/** Result of {@link paretoFront}. */
export interface ParetoResult<R> {
  /** Non-dominated records, in input order. */
  readonly front: R[];
  /** Their positions in the input array. */
  readonly frontIndices: number[];
  /** Ok records that had every objective value. */
  readonly considered: number;
  /** Ok records left out because an objective value was missing, null or NaN. */
  readonly missing: number;
  /** Records with `ok: false`. */
  readonly failed: number;
}

/**
 * Objective values of the usable records as a row-major matrix `[n, d]`, every objective turned into
 * "smaller is better" (max objectives negated), plus their input positions.
 */
export function objectiveMatrix(records: readonly SweepRecordLike[], objectives: readonly Objective[]):
  { values: Float64Array; index: Uint32Array; missing: number; failed: number } {
  const d = objectives.length;
  let failed = 0;
  let missing = 0;
  const keep: number[] = [];
  const tmp: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.ok !== true) { failed++; continue; }
    let usable = true;
    for (let o = 0; o < d; o++) {
      const v = objectiveValue(r, objectives[o]!);
      if (Number.isNaN(v)) { usable = false; break; }
      tmp.push(objectives[o]!.direction === 'max' ? -v : v);
    }
    if (usable) keep.push(i);
    else { missing++; tmp.length = keep.length * d; }
  }
  return { values: Float64Array.from(tmp), index: Uint32Array.from(keep), missing, failed };
}

/** Indices (into the rows of `values`) of the non-dominated rows, all objectives minimised. */
export function nonDominatedRows(values: Float64Array, n: number, d: number): number[] {
  if (n === 0) return [];
  if (d === 2) return front2(values, n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    for (let o = 0; o < d; o++) {
      const x = values[a * d + o]!;
      const y = values[b * d + o]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a - b;
  });
  const front: number[] = [];
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    let dominated = false;
    for (let f = 0; f < front.length && !dominated; f++) {
      const j = front[f]!;
      let strictly = false;
      let worse = false;
      for (let o = 0; o < d; o++) {
        const vj = values[j * d + o]!;
        const vi = values[i * d + o]!;
        if (vj > vi) { worse = true; break; }
        if (vj < vi) strictly = true;
      }
      dominated = !worse && strictly;
    }
    if (!dominated) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/**
 * Two objectives: sort by (x, y); walk groups of equal x. In a group only the rows at its smallest y
 * can survive, and they do iff every earlier group's smallest y is larger.
 */
function front2(values: Float64Array, n: number): number[] {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const xa = values[2 * a]!, xb = values[2 * b]!;
    if (xa !== xb) return xa < xb ? -1 : 1;
    const ya = values[2 * a + 1]!, yb = values[2 * b + 1]!;
    if (ya !== yb) return ya < yb ? -1 : 1;
    return a - b;
  });
  const front: number[] = [];
  let bestY = Infinity;
  let anyBefore = false; // bestY is +Infinity both when nothing came before and when earlier rows have y = +Infinity
  let t = 0;
  while (t < n) {
    const x = values[2 * order[t]!]!;
    const minY = values[2 * order[t]! + 1]!;
    let end = t;
    while (end < n && values[2 * order[end]!] === x) end++;
    if (!anyBefore || minY < bestY) {
      for (let u = t; u < end && values[2 * order[u]! + 1] === minY; u++) front.push(order[u]!);
    }
    if (!anyBefore || minY < bestY) bestY = minY;
    anyBefore = true;
    t = end;
  }
  return front.sort((a, b) => a - b);
}

/**
 * The Pareto front of the ok records of `records` under `objectives` (see the file header).
 * @example paretoFront(records, parseObjectives('energyPj:min,compression:max')).front
 */
export function paretoFront<R extends SweepRecordLike>(records: readonly R[], objectives: readonly Objective[]): ParetoResult<R> {
  const { values, index, missing, failed } = objectiveMatrix(records, objectives);
  const rows = nonDominatedRows(values, index.length, objectives.length);
  const frontIndices = rows.map((r) => index[r]!);
  return { front: frontIndices.map((i) => records[i]!), frontIndices, considered: index.length, missing, failed };
}
