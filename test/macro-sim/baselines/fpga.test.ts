import { describe, expect, it } from 'vitest';
import { bram36Count, ESE_PJ_PER_MAC, ESE_PJ_PER_MAC_28NM, fpgaBaseline, SPAGNOLO_PJ_PER_MAC } from '../../../macro-sim/baselines/fpga.js';
import { scaleTo28nm } from '../../../macro-sim/baselines/tech-28nm.js';
import { matrixFrom } from './helpers.js';

describe('fpga baseline', () => {
  it('ESE gives 41 W / 141 GMAC/s = 290.8 pJ per MAC and Spagnolo 2 / 0.135 = 14.8 pJ per MAC', () => {
    expect(ESE_PJ_PER_MAC).toBeCloseTo(41 / 141e9 * 1e12, 9);
    expect(ESE_PJ_PER_MAC).toBeCloseTo(290.78, 2);
    expect(SPAGNOLO_PJ_PER_MAC).toBeCloseTo(14.815, 3);
  });

  it('ESE’s 20 nm figure is normalised to 28 nm by the one rule: 290.8 × 1.802 ≈ 524 pJ; normalise: false keeps it', () => {
    expect(ESE_PJ_PER_MAC_28NM).toBeCloseTo(ESE_PJ_PER_MAC * scaleTo28nm('energy', 20), 9);
    expect(ESE_PJ_PER_MAC_28NM).toBeCloseTo(524.0, 0);
    const w = { rows: 4, cols: 4, batch: 1, nnz: 16, valueBits: 12, inputBits: 16 };
    expect(fpgaBaseline(w, { normalise: false }).energyPj).toBeCloseTo(16 * ESE_PJ_PER_MAC, 6);
  });

  it('wider operands cost more measured units: 32b × 32b is 2·2 DSP ops (ese) and 4·4 8b digit products (dense)', () => {
    const w = { rows: 4, cols: 4, batch: 1, nnz: 16, valueBits: 32, inputBits: 32 };
    expect(fpgaBaseline(w).detail!.unitsPerMac).toBe(4);
    expect(fpgaBaseline(w).energyPj).toBeCloseTo(16 * 4 * ESE_PJ_PER_MAC_28NM, 6);
    expect(fpgaBaseline(w, { profile: 'dense' }).energyPj).toBeCloseTo(16 * 16 * SPAGNOLO_PJ_PER_MAC, 6);
    const narrow = { ...w, valueBits: 4, inputBits: 4 };
    expect(fpgaBaseline(narrow, { profile: 'dense' }).energyPj).toBeCloseTo(16 * SPAGNOLO_PJ_PER_MAC, 6); // no saving below 8 bits
  });

  it('a hand-made sparse workload costs (nnz + padding) × nonzero-input share × 524 pJ', () => {
    // K = 2, N = 20, entries 3 + 2 padding = 5; B = 3 vectors, 4 of the 6 inputs nonzero → 5 × 4/2 = 10 MACs.
    const q = matrixFrom(2, 20, [[0, 0, 3], [0, 17, -2], [1, 19, 5]]);
    const r = fpgaBaseline({ rows: 2, cols: 20, batch: 3, nnz: 3, valueBits: 12, inputBits: 16, nonzeroInputs: 4, q });
    expect(r.detail!.macs).toBe(10);
    expect(r.energyPj).toBeCloseTo(10 * ESE_PJ_PER_MAC_28NM, 9);
    expect(r.source).toMatch(/effective/);
    expect(r.storageBits).toBe(5 * (12 + 4) + 3 * 16);
    expect(r.detail!.bram36).toBe(2); // one block for the entries, one for the pointers
    expect(r.topsPerWattDense).toBeCloseTo((2 * 2 * 20 * 3) / r.energyPj, 12);
    expect(r.topsPerWattEffective).toBeCloseTo((2 * 3 * 3) / r.energyPj, 12);
  });

  it('the dense profile executes every MAC at 14.8 pJ and stores K·N·b_w bits', () => {
    const r = fpgaBaseline({ rows: 100, cols: 30, batch: 2, nnz: 10, valueBits: 8, inputBits: 8 }, { profile: 'dense' });
    expect(r.energyPj).toBeCloseTo(100 * 30 * 2 * SPAGNOLO_PJ_PER_MAC, 6);
    expect(r.storageBits).toBe(100 * 30 * 8);
  });

  it('BRAM36 packing picks the aspect ratio needing fewest blocks', () => {
    expect(bram36Count(512, 72)).toBe(1);
    expect(bram36Count(1024, 16)).toBe(1); // 1K × 18 half-used: 2K×18 shape holds it in one block
    expect(bram36Count(4096, 16)).toBe(2); // 2 × (2K × 18)
    expect(bram36Count(32768, 1)).toBe(1);
    expect(bram36Count(100_000, 12)).toBeGreaterThanOrEqual(Math.ceil(100_000 * 12 / 36864));
    expect(bram36Count(0, 12)).toBe(0);
  });

  it('more nonzeros cost more energy and more BRAM', () => {
    const a = fpgaBaseline({ rows: 512, cols: 512, batch: 1, nnz: 5000, valueBits: 12, inputBits: 16 });
    const b = fpgaBaseline({ rows: 512, cols: 512, batch: 1, nnz: 50_000, valueBits: 12, inputBits: 16 });
    expect(b.energyPj).toBeGreaterThan(a.energyPj);
    expect(b.detail!.bram36).toBeGreaterThan(a.detail!.bram36!);
  });

  it('an ESE-like workload lands within ±30 % of ESE’s 2.52 TOPS / 41 W dense-equivalent normalised to 28 nm (34 GOPS/W)', () => {
    // ESE: 282 GOPS sparse = 2.52 TOPS dense-equivalent → 11.2 % density; 12-bit weights, 16-bit activations.
    const K = 1024, N = 1024;
    const r = fpgaBaseline({ rows: K, cols: N, batch: 1, nnz: Math.round(0.112 * K * N), valueBits: 12, inputBits: 16 });
    const target = (2520 / 41) / scaleTo28nm('energy', 20); // GOPS/W
    expect(Math.abs((r.topsPerWattDense * 1000) / target - 1)).toBeLessThan(0.3); // model: 29 GOPS/W (padding charged as MACs)
  });
});
