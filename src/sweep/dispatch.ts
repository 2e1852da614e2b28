/**
 * Which point a free worker takes next. Points that share a *preparation* (the same weights,
 * pruning, bit width, layout and granularity) reuse one prepared matrix and its reference products
 * in the evaluator's per-worker cache, so a worker keeps taking points of the group it started and
 * only then claims an unstarted group; when none is left it helps with the group that has the most
 * points remaining. Each preparation is then computed by about one worker instead of by all of them.
 */
import type { PlannedPoint } from './grid.js';
import type { ResolvedPoint } from './spec.js';

/** The point fields that decide the prepared matrix (everything else only changes encoding or the macro). */
const PREP_AXES = ['prune', 'weightBits', 'layout', 'granularity'] as const;

/** Group key of a point: its preparation. */
export function preparationKey(p: ResolvedPoint): string {
  return JSON.stringify(PREP_AXES.map((k) => p[k] ?? null));
}

/** Hands out points to workers with group affinity (see the file comment). */
export class GroupDispatcher {
  private readonly groups: PlannedPoint[][];
  private readonly taken: number[];
  private nextGroup = 0;
  private left: number;

  constructor(points: readonly PlannedPoint[], key: (p: ResolvedPoint) => string = preparationKey) {
    const byKey = new Map<string, PlannedPoint[]>();
    for (const p of points) {
      const k = key(p.point);
      let g = byKey.get(k);
      if (!g) byKey.set(k, (g = []));
      g.push(p);
    }
    this.groups = [...byKey.values()];
    this.taken = this.groups.map(() => 0);
    this.left = points.length;
  }

  /** Points not yet handed out. */
  get remaining(): number {
    return this.left;
  }

  /**
   * The next point for a worker that last worked on group `current` (-1: none). Returns the point and
   * its group, or undefined when every point has been handed out.
   */
  next(current: number): { point: PlannedPoint; group: number } | undefined {
    if (this.left === 0) return undefined;
    let g = current >= 0 && this.taken[current]! < this.groups[current]!.length ? current : -1;
    if (g < 0 && this.nextGroup < this.groups.length) g = this.nextGroup++;
    if (g < 0) {
      let most = 0;
      for (let i = 0; i < this.groups.length; i++) {
        const r = this.groups[i]!.length - this.taken[i]!;
        if (r > most) {
          most = r;
          g = i;
        }
      }
    }
    // A claimed group may have been emptied by helpers; fall through to any group with points left.
    while (this.taken[g]! >= this.groups[g]!.length) g = this.nextGroup < this.groups.length ? this.nextGroup++ : this.groups.findIndex((x, i) => this.taken[i]! < x.length);
    this.left--;
    return { point: this.groups[g]![this.taken[g]!++]!, group: g };
  }
}
