import { describe, expect, it } from 'vitest';
import { asicBaseline, EIE_OVERHEAD_PJ_PER_ENTRY } from '../../../macro-sim/baselines/asic.js';
import { SCALE_45_TO_28 } from '../../../macro-sim/baselines/tech-28nm.js';
import { ConfigError } from '../../../errors.js';
import { matrixFrom } from './helpers.js';

describe('asic baseline (EIE-like, 28 nm)', () => {
  // K = 2, N = 20; row 0 nonzeros at outputs 0 and 17 (gap 16 → 1 padding), row 1 at output 19 (gap 19 → 1 padding).
  const q = matrixFrom(2, 20, [[0, 0, 3], [0, 17, -2], [1, 19, 5]]);
  const w = { rows: 2, cols: 20, batch: 1, nnz: 3, valueBits: 8, inputBits: 8, q };

  it('energy of a hand-made workload is the sum of counts times constants, written out', () => {
    const r = asicBaseline(w, { processingElements: 1, overheadPjPerEntry: 1 });
    // entries 3 + 2 padding = 5, 12 bits each; 3 pointers × 16 bits; accBits = 8 + 8 + ceil(log2 2) = 17.
    // All stores ≤ 8 KB → CACTI 28 nm 8 KB: read 0.036 pJ/bit, write 0.042 pJ/bit; 45 → 28 nm energy × s = 0.5178.
    const s = SCALE_45_TO_28;
    expect(s).toBeCloseTo(0.5178, 4);
    const expected = {
      weightRead: 5 * 12 * 0.036, // 2.16
      pointerRead: 2 * 1 * 2 * 16 * 0.036, // 2 nonzero inputs × 1 PE × 2 pointers × 16 bits
      inputRead: 2 * 8 * 0.036,
      multiply: 5 * 0.2 * (64 / 64) * s, // Horowitz 8b mult × s
      accumulate: 5 * (0.1 * (17 / 32) * s + 17 * 0.0017), // Horowitz 32b add scaled to 17 bits + 17 DFF bits
      outputWrite: 1 * 20 * 17 * 0.042,
      peOverhead: 5 * 1,
    };
    const total = 2.16 + 2.304 + 0.576 + 0.2 * s * 5 + 5 * (0.1 * (17 / 32) * s + 17 * 0.0017) + 14.28 + 5;
    for (const [k, v] of Object.entries(expected)) expect(r.breakdownPj[k]).toBeCloseTo(v, 10);
    expect(r.energyPj).toBeCloseTo(total, 10);
    expect(r.storageBits).toBe(5 * 12 + 3 * 16);
    expect(r.detail!.paddingEntries).toBe(2);
  });

  it('TOPS/W follows MODEL §7: 2·K·N·B / energy and 2·nnz·B / energy', () => {
    const r = asicBaseline(w, { processingElements: 1 });
    expect(r.topsPerWattDense).toBeCloseTo((2 * 2 * 20 * 1) / r.energyPj, 12);
    expect(r.topsPerWattEffective).toBeCloseTo((2 * 3 * 1) / r.energyPj, 12);
    expect(r.name).toBe('asic');
    expect(r.source).toMatch(/EIE/);
  });

  it('the EIE overhead constant is (9.157 − 1.807 PtrRead) mW / 800 MHz × 0.518 minus EIE’s priced datapath (≈ 2.83 pJ)', () => {
    const s = SCALE_45_TO_28;
    const datapath = 8 * 0.183 + 0.2 * (256 / 64) * s + 0.1 * (16 / 32) * s + 16 * 0.0017; // 1.931 pJ
    expect(EIE_OVERHEAD_PJ_PER_ENTRY).toBeCloseTo(((9.157 - 1.807) / 800) * 1000 * s - datapath, 10);
    expect(EIE_OVERHEAD_PJ_PER_ENTRY).toBeCloseTo(2.826, 3);
  });

  it('reports EIE’s area: 64 PEs × 0.638024 mm² at 45 nm × 0.366 (Stillmaker & Baas) ≈ 14.96 mm² at 28 nm', () => {
    const r = asicBaseline(w, { processingElements: 1 });
    expect(r.areaMm2).toBeCloseTo(0.638024 * 0.36637, 4);
    expect(asicBaseline(w).areaMm2).toBeCloseTo(64 * 0.638024 * 0.36637, 3);
    expect(r.source).toMatch(/effective/);
    expect(r.source).toMatch(/dense-equivalent/);
  });

  it('a non-integer PE count is a ConfigError', () => {
    expect(() => asicBaseline(w, { processingElements: 0 })).toThrow(ConfigError);
  });

  it('more nonzeros cost more energy', () => {
    let prev = 0;
    for (const nnz of [0, 1000, 10_000, 50_000, 200_000, 262_144]) {
      const e = asicBaseline({ rows: 512, cols: 512, batch: 4, nnz, valueBits: 8, inputBits: 8 }).energyPj;
      expect(e).toBeGreaterThan(prev);
      prev = e;
    }
  });

  it('zero inputs are skipped: fewer nonzero inputs cost less', () => {
    const base = { rows: 256, cols: 256, batch: 2, nnz: 6000, valueBits: 8, inputBits: 8 };
    expect(asicBaseline({ ...base, nonzeroInputs: 100 }).energyPj).toBeLessThan(asicBaseline(base).energyPj);
  });

  it('an EIE-like workload lands within ±35 % of EIE’s 3 TOPS / 0.59 W dense-equivalent scaled to 28 nm (9.8 TOPS/W)', () => {
    // EIE's AlexNet-FC-like setting: ~10 % weight density, ~35 % nonzero activations, 4-bit weights, 16-bit activations.
    const K = 4096, N = 4096;
    const r = asicBaseline({ rows: K, cols: N, batch: 1, nnz: Math.round(0.1 * K * N), valueBits: 4, inputBits: 16, nonzeroInputs: Math.round(0.35 * K) });
    const target = 3 / 0.59 / SCALE_45_TO_28; // EIE Table V / abstract, dense-equivalent ops
    expect(Math.abs(r.topsPerWattDense / target - 1)).toBeLessThan(0.35); // model: 12.7 TOPS/W, +30 %
  });

  it('the expected padding without the matrix is close to the exact count with it', () => {
    const K = 64, N = 1024;
    const data = new Int16Array(K * N);
    let nnz = 0;
    for (let i = 0; i < data.length; i++) if ((i * 2654435761) % 97 < 5) { data[i] = 1; nnz++; } // ~5 % scattered
    const exact = asicBaseline({ rows: K, cols: N, batch: 1, nnz, valueBits: 8, inputBits: 8, q: { rows: K, cols: N, data } });
    const est = asicBaseline({ rows: K, cols: N, batch: 1, nnz, valueBits: 8, inputBits: 8 });
    expect(Math.abs(est.energyPj - exact.energyPj) / exact.energyPj).toBeLessThan(0.1);
  });

  it('a matrix whose nonzero count disagrees with nnz is a ConfigError', () => {
    expect(() => asicBaseline({ ...w, nnz: 4 })).toThrow(ConfigError);
    expect(() => asicBaseline({ ...w, rows: 0 })).toThrow(/rows must be a positive integer/);
  });
});
