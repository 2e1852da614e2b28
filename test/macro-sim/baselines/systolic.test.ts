import { describe, expect, it } from 'vitest';
import {
  systolicBaseline, TPU_BUSY_PJ_PER_MAC, TPU_DIE_MM2_MAX, TPU_INCREMENTAL_PJ_PER_MAC,
} from '../../../macro-sim/baselines/systolic.js';
import { SCALE_45_TO_28 } from '../../../macro-sim/baselines/tech-28nm.js';
import { ConfigError } from '../../../errors.js';

describe('systolic-asic baseline (TPU v1-like dense INT8, 28 nm)', () => {
  const w = { rows: 2, cols: 3, batch: 4, nnz: 2, valueBits: 8, inputBits: 8 };

  it('energy of a hand-made workload is the sum of counts times constants, written out', () => {
    const r = systolicBaseline(w);
    const s = SCALE_45_TO_28;
    // 2·3·4 = 24 dense MACs (2 nonzeros do not matter), one 8×8 pass, one tile; accumulators 32 bits.
    const expected = {
      mac: 24 * (0.2 * s + 0.1 * s), // Horowitz 8b mult + 32b add, × s
      pipelineRegs: 24 * 40 * 0.0017, // 8-bit input + 32-bit partial-sum register per MAC
      inputRead: 4 * 2 * 8 * 0.496, // B·K·8 bits from the Unified Buffer (1 MB bank)
      weightLoad: 2 * 3 * 8 * (0.036 + 1.5 * 0.0017), // 48 bits from an 8 KB store + (2+1)/2 shift stages
      accumulate: 4 * 3 * (32 * (0.084 + 0.071) + 0.1 * s), // 16 KiB accumulator RAM read + write + add
      outputWrite: 4 * 3 * 32 * 0.396,
    };
    let total = 0;
    for (const [k, v] of Object.entries(expected)) {
      expect(r.breakdownPj[k]).toBeCloseTo(v, 10);
      total += v;
    }
    expect(r.energyPj).toBeCloseTo(total, 10);
    expect(r.detail!.macs).toBe(24);
    expect(r.storageBits).toBe(2 * 3 * 8);
    expect(r.latencyNs).toBeCloseTo(((4 + 256 + 256) * 1000) / 700, 9);
    expect(r.topsPerWattDense).toBeCloseTo((2 * 24) / r.energyPj, 12);
    expect(r.topsPerWattEffective).toBeCloseTo((2 * 2 * 4) / r.energyPj, 12);
  });

  it('the published TPU figures are 40 W / 43 TMAC/s = 0.930 pJ and (40 − 28) W / 43 TMAC/s = 0.279 pJ per MAC', () => {
    expect(TPU_BUSY_PJ_PER_MAC).toBeCloseTo(40 / 43e12 * 1e12, 12);
    expect(TPU_INCREMENTAL_PJ_PER_MAC).toBeCloseTo(12 / 43e12 * 1e12, 12);
  });

  it('cross-check: on a large dense INT8 layer the component model lands within ±30 % of the TPU’s measured incremental 0.279 pJ/MAC and below its whole-die 0.930', () => {
    const r = systolicBaseline({ rows: 1024, cols: 1024, batch: 256, nnz: 104_858, valueBits: 8, inputBits: 8 });
    const pj = r.energyPj / (1024 * 1024 * 256);
    expect(pj).toBeCloseTo(r.detail!.pjPerMac!, 12);
    expect(Math.abs(pj / TPU_INCREMENTAL_PJ_PER_MAC - 1)).toBeLessThan(0.3); // measured 0.293 pJ: +5 %
    expect(pj).toBeLessThan(TPU_BUSY_PJ_PER_MAC);
  });

  it('published pricing charges every 8×8 pass at the whole-die figure', () => {
    const r = systolicBaseline(w, { pricing: 'published' });
    expect(r.energyPj).toBeCloseTo(24 * TPU_BUSY_PJ_PER_MAC, 12);
  });

  it('precision follows the TPU: 8b × 16b is two passes (half speed), 16b × 16b four (quarter speed)', () => {
    const big = { rows: 512, cols: 512, batch: 64, nnz: 10, valueBits: 8, inputBits: 8 };
    const e8 = systolicBaseline(big, { pricing: 'published' }).energyPj;
    expect(systolicBaseline({ ...big, inputBits: 16 }, { pricing: 'published' }).energyPj).toBeCloseTo(2 * e8, 6);
    expect(systolicBaseline({ ...big, valueBits: 16, inputBits: 16 }, { pricing: 'published' }).energyPj).toBeCloseTo(4 * e8, 6);
    expect(systolicBaseline({ ...big, valueBits: 16, inputBits: 16 }).detail!.passes).toBe(4);
    expect(systolicBaseline({ ...big, valueBits: 4, inputBits: 4 }).energyPj).toBe(systolicBaseline(big).energyPj);
  });

  it('zeros are not skipped: the energy does not depend on nnz or on nonzero inputs', () => {
    const a = systolicBaseline({ ...w, nnz: 0 });
    const b = systolicBaseline({ ...w, nnz: 6, nonzeroInputs: 1 });
    expect(a.energyPj).toBe(b.energyPj);
  });

  it('reports the TPU die bound (≤ 331 mm², Table 2) only for the TPU’s 256 × 256 array', () => {
    expect(systolicBaseline(w).areaMm2).toBe(TPU_DIE_MM2_MAX);
    expect(TPU_DIE_MM2_MAX).toBe(331);
    expect(systolicBaseline(w, { rows: 128 }).areaMm2).toBeUndefined();
    expect(systolicBaseline(w).source).toMatch(/dense op count/);
  });

  it('bad options are ConfigErrors', () => {
    expect(() => systolicBaseline(w, { rows: 0 })).toThrow(ConfigError);
    expect(() => systolicBaseline(w, { clockMHz: -1 })).toThrow(/clockMHz/);
    expect(() => systolicBaseline(w, { pricing: 'x' as 'published' })).toThrow(ConfigError);
  });
});
