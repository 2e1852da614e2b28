import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupDispatcher, preparationKey } from '../../../src/sweep/dispatch.js';
import type { PlannedPoint } from '../../../src/sweep/grid.js';

const pt = (index: number, prune: string, weightBits: number, format = 'coo'): PlannedPoint => ({ id: `p${index}`, index, point: { format, prune, weightBits } });

describe('GroupDispatcher', () => {
  it('keeps a worker on the preparation it started, then claims a new one', () => {
    const points = [pt(0, 'a', 8), pt(1, 'b', 8), pt(2, 'a', 8, 'rl'), pt(3, 'b', 8, 'rl'), pt(4, 'a', 4)];
    const d = new GroupDispatcher(points);
    const w1 = d.next(-1)!; // group a/8
    const w2 = d.next(-1)!; // group b/8
    expect([w1.point.index, w2.point.index]).toEqual([0, 1]);
    expect(d.next(w1.group)!.point.index).toBe(2); // same preparation as point 0
    expect(d.next(w2.group)!.point.index).toBe(3);
    expect(d.next(w1.group)!.point.index).toBe(4); // a/8 done → the next unstarted group
    expect(d.next(w2.group)).toBeUndefined();
    expect(d.remaining).toBe(0);
  });

  it('hands out every point exactly once whatever the order of requests', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('none', 'magnitude:0.5', 'nm:2:4'), fc.constantFrom(4, 8)), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 200 }),
        (specs, workers) => {
          const points = specs.map(([p, b], i) => pt(i, p, b));
          const d = new GroupDispatcher(points);
          const groupOf = [-1, -1, -1, -1];
          const seen: number[] = [];
          for (let i = 0; d.remaining > 0; i++) {
            const w = workers[i % workers.length]!;
            const pick = d.next(groupOf[w]!)!;
            groupOf[w] = pick.group;
            seen.push(pick.point.index);
          }
          expect(seen.sort((a, b) => a - b)).toEqual(points.map((p) => p.index));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('groups by the preparation axes only', () => {
    expect(preparationKey({ format: 'coo', prune: 'nm:2:4', weightBits: 8, rows: 128 })).toBe(preparationKey({ format: 'rl:4', prune: 'nm:2:4', weightBits: 8, rows: 256 }));
    expect(preparationKey({ format: 'coo', prune: 'nm:2:4', weightBits: 8 })).not.toBe(preparationKey({ format: 'coo', prune: 'nm:2:4', weightBits: 4 }));
  });
});
