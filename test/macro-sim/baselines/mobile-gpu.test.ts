import { describe, expect, it } from 'vitest';
import { MOBILE_GPU_PJ_PER_MAC, mobileGpuBaseline } from '../../../macro-sim/baselines/mobile-gpu.js';

describe('mobile-gpu baseline', () => {
  it('the energy per MAC is 2 / (40 × 282/41 GOPS/W) = 7.27 pJ', () => {
    expect(MOBILE_GPU_PJ_PER_MAC).toBeCloseTo(2 / (40 * (282 / 41) / 1000), 12);
    expect(MOBILE_GPU_PJ_PER_MAC).toBeCloseTo(7.27, 2);
  });

  it('sparse mode charges nnz·B MACs and stores FP16 CSR', () => {
    const r = mobileGpuBaseline({ rows: 10, cols: 4, batch: 3, nnz: 7, valueBits: 8, inputBits: 8 });
    expect(r.energyPj).toBeCloseTo(7 * 3 * MOBILE_GPU_PJ_PER_MAC, 12);
    expect(r.storageBits).toBe(7 * (16 + 16) + 5 * 32);
    expect(r.topsPerWattEffective).toBeCloseTo(2 / MOBILE_GPU_PJ_PER_MAC, 12);
    expect(r.topsPerWattDense).toBeCloseTo((2 * 40 * 3) / r.energyPj, 12);
  });

  it('dense mode charges K·N·B MACs whatever the sparsity', () => {
    const a = mobileGpuBaseline({ rows: 10, cols: 4, batch: 3, nnz: 7, valueBits: 8, inputBits: 8 }, { mode: 'dense' });
    expect(a.energyPj).toBeCloseTo(120 * MOBILE_GPU_PJ_PER_MAC, 12);
    expect(a.storageBits).toBe(40 * 16);
  });

  it('more nonzeros cost more energy', () => {
    const a = mobileGpuBaseline({ rows: 64, cols: 64, batch: 1, nnz: 100, valueBits: 8, inputBits: 8 });
    const b = mobileGpuBaseline({ rows: 64, cols: 64, batch: 1, nnz: 101, valueBits: 8, inputBits: 8 });
    expect(b.energyPj).toBeGreaterThan(a.energyPj);
  });

  it('an RTMobile-like workload lands within 3× of 40 × ESE’s 61.5 GOPS/W dense-equivalent', () => {
    const K = 1024, N = 1024;
    const r = mobileGpuBaseline({ rows: K, cols: N, batch: 1, nnz: Math.round(0.112 * K * N), valueBits: 12, inputBits: 16 });
    const target = (40 * 2.52) / 41; // TOPS/W
    expect(r.topsPerWattDense).toBeGreaterThan(target / 3);
    expect(r.topsPerWattDense).toBeLessThan(target * 3);
  });
});
