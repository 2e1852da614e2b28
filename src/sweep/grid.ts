/**
 * Expanding a spec into its list of points, in **spec order**: first the cartesian product of the
 * axes (the first axis named varies slowest, like nested loops written in spec order, and like
 * Python's `itertools.product`), then the explicit points in the order written. Every point is
 * `defaults` overlaid by its axis values (or its explicit values). Points with the same id (an
 * explicit point that repeats a grid point, a repeated value in an axis list) are kept once, at
 * their first position. Spec order is the order shards are dealt from and the order `merge`
 * writes, so it must never depend on anything but the spec.
 */
import { ConfigError } from '../../errors.js';
import { pointId } from './point-id.js';
import type { AxisName, AxisValue, PointInput, ResolvedPoint, SweepSpec } from './spec.js';

/** A point with its id and its position in spec order (after deduplication). */
export interface PlannedPoint {
  /** Stable id (see point-id.ts). */
  readonly id: string;
  /** Position in the spec's deduplicated point order, 0-based. */
  readonly index: number;
  readonly point: ResolvedPoint;
}

/** Largest design space one spec may expand to; beyond it the spec is almost surely a mistake. */
export const MAX_POINTS = 1_000_000;

/** Number of grid points (product of the axis lengths; 0 without axes), before deduplication. */
export function gridSize(spec: SweepSpec): number {
  const lists = Object.values(spec.axes) as (readonly AxisValue[])[];
  if (lists.length === 0) return 0;
  let n = 1;
  for (const l of lists) n *= l.length;
  return n;
}

/**
 * Every point of the spec, deduplicated, in spec order.
 *
 * @throws ConfigError (`SWEEP_TOO_LARGE`) when the grid exceeds {@link MAX_POINTS}.
 * @example
 * expandPoints(parseSweepSpec({ workload: { file: 'w.npy' },
 *   axes: { format: ['coo', 'rl:4'], weightBits: [4, 8] } }, '.')).map((p) => p.point)
 * // → [{format:'coo',weightBits:4}, {format:'coo',weightBits:8}, {format:'rl:4',weightBits:4}, {format:'rl:4',weightBits:8}]
 */
export function expandPoints(spec: SweepSpec): PlannedPoint[] {
  const size = gridSize(spec) + spec.points.length;
  if (size > MAX_POINTS) {
    throw new ConfigError('SWEEP_TOO_LARGE', `the spec expands to ${size} points, more than ${MAX_POINTS}; shorten some axes or split the spec`);
  }
  const out: PlannedPoint[] = [];
  const seen = new Set<string>();
  const add = (values: PointInput): void => {
    const point = { ...spec.defaults, ...values } as ResolvedPoint;
    const id = pointId(point);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ id, index: out.length, point: Object.freeze(point) });
  };
  const names = Object.keys(spec.axes) as AxisName[];
  if (names.length > 0) {
    const lists = names.map((n) => spec.axes[n]!);
    // Odometer over the axes, last axis fastest.
    const at = new Array<number>(names.length).fill(0);
    const total = gridSize(spec);
    for (let t = 0; t < total; t++) {
      const values: Record<string, AxisValue> = {};
      for (let a = 0; a < names.length; a++) values[names[a]!] = lists[a]![at[a]!]!;
      add(values);
      for (let a = names.length - 1; a >= 0; a--) {
        if (++at[a]! < lists[a]!.length) break;
        at[a] = 0;
      }
    }
  }
  for (const p of spec.points) add(p);
  return out;
}
