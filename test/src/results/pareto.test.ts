import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nonDominatedRows, paretoFront } from '../../../src/results/pareto.js';
import { nonDominatedRowsReference } from '../../../src/results/pareto-reference.js';
import { parseObjectives, type SweepRecordLike } from '../../../src/results/objectives.js';

/** A record with energy, compression and sqnr. */
function rec(id: string, energyPj: number | null, compression: number, sqnrDb = 30): SweepRecordLike {
  return { id, point: { format: id }, ok: true, energy: { totalPj: energyPj }, storage: { compression }, metrics: { sqnrDb } };
}

describe('paretoFront', () => {
  const two = parseObjectives('energyPj:min,compression:max');

  it('keeps exactly the non-dominated points of a hand-made set (min and max mixed)', () => {
    const records = [
      rec('a', 10, 2), // front
      rec('b', 12, 2), // dominated by a (more energy, same compression)
      rec('c', 20, 5), // front
      rec('d', 15, 3), // front
      rec('e', 25, 5), // dominated by c
      rec('f', 9, 1), // front (least energy)
      rec('g', 30, 6), // front (best compression)
    ];
    expect(paretoFront(records, two).front.map((r) => r.id)).toEqual(['a', 'c', 'd', 'f', 'g']);
  });

  it('keeps all copies of equal points and drops a point that ties in one objective and loses in the other', () => {
    const records = [rec('a', 10, 4), rec('b', 10, 4), rec('c', 10, 3), rec('d', 8, 2), rec('e', 8, 2)];
    expect(paretoFront(records, two).front.map((r) => r.id)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('finds the front of three objectives', () => {
    const three = parseObjectives('energyPj:min,compression:max,sqnrDb:max');
    const records = [
      rec('a', 10, 4, 30), // front
      rec('b', 10, 4, 25), // dominated by a (lower sqnr)
      rec('c', 12, 4, 35), // front (best sqnr among compression 4)
      rec('d', 12, 3, 35), // dominated by c
      rec('e', 5, 1, 20), // front
      rec('f', 11, 5, 10), // front
      rec('g', 11, 4, 30), // dominated by a
    ];
    expect(paretoFront(records, three).front.map((r) => r.id)).toEqual(['a', 'c', 'e', 'f']);
  });

  it('leaves out and counts failed records and records missing an objective', () => {
    const records: SweepRecordLike[] = [
      rec('a', 10, 2),
      rec('nullEnergy', null, 100),
      { id: 'nanComp', point: {}, ok: true, energy: { totalPj: 1 }, storage: { compression: NaN } },
      { id: 'noStorage', point: {}, ok: true, energy: { totalPj: 1 } },
      { id: 'bad', point: {}, ok: false, reason: 'N:m violation' },
    ];
    const r = paretoFront(records, two);
    expect(r.front.map((x) => x.id)).toEqual(['a']);
    expect(r.frontIndices).toEqual([0]);
    expect(r.missing).toBe(3);
    expect(r.failed).toBe(1);
    expect(r.considered).toBe(1);
  });

  it('gives an empty front for no usable records', () => {
    expect(paretoFront([], two).front).toEqual([]);
  });

  it('the two-objective fast path equals the O(n²) definition on random data with many ties', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { maxLength: 60 }),
      (pts) => {
        const v = Float64Array.from(pts.flat());
        expect(nonDominatedRows(v, pts.length, 2)).toEqual(nonDominatedRowsReference(v, pts.length, 2));
      }), { numRuns: 500 });
  });

  it('the two-objective fast path handles infinities like the definition', () => {
    const vals = [Infinity, 1, Infinity, 1, 3, Infinity, -Infinity, Infinity, 2, 2];
    const v = Float64Array.from(vals);
    expect(nonDominatedRows(v, 5, 2)).toEqual(nonDominatedRowsReference(v, 5, 2));
  });

  it('the general path equals the O(n²) definition for 1, 3 and 4 objectives on random data', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }).filter((d) => d !== 2),
      fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }).map((x) => Math.round(x)), { minLength: 4, maxLength: 4 }), { maxLength: 50 }),
      (d, rows) => {
        const v = Float64Array.from(rows.flatMap((r) => r.slice(0, d)));
        expect(nonDominatedRows(v, rows.length, d)).toEqual(nonDominatedRowsReference(v, rows.length, d));
      }), { numRuns: 300 });
  });

  it('finds the front of 10⁵ two-objective points, each member undominated by a sample', () => {
    const n = 100_000;
    const records: SweepRecordLike[] = [];
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const e = s / 2147483648;
      s = (s * 1103515245 + 12345) % 2147483648;
      records.push(rec(String(i), e, e + s / 2147483648));
    }
    const r = paretoFront(records, two);
    expect(r.front.length).toBeGreaterThan(0);
    // every front member is undominated by a random sample
    for (const f of r.front.slice(0, 20)) {
      for (let i = 0; i < n; i += 997) {
        const o = records[i] as unknown as { energy: { totalPj: number }; storage: { compression: number } };
        const fe = (f as unknown as typeof o);
        const dominates = o.energy.totalPj <= fe.energy.totalPj && o.storage.compression >= fe.storage.compression &&
          (o.energy.totalPj < fe.energy.totalPj || o.storage.compression > fe.storage.compression);
        expect(dominates).toBe(false);
      }
    }
  });
});
