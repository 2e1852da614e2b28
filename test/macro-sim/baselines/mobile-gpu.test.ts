import { describe, expect, it } from 'vitest';
import { MOBILE_GPU_CNN_PJ_PER_MAC, MOBILE_GPU_DENSE_PJ_PER_MAC, MOBILE_GPU_SPARSE_PJ_PER_MAC, mobileGpuBaseline } from '../../../macro-sim/baselines/mobile-gpu.js';
import { scaleTo28nm } from '../../../macro-sim/tech-scaling.js';
import { ConfigError } from '../../../errors.js';

describe('mobile-gpu baseline, cnn profile (Jetson TX1, measured by NVIDIA: 45 img/s/W on AlexNet FP16)', () => {
  it('charges 1 J / (45 × 724 M) = 30.7 pJ per MAC at 20 nm, normalised to 28 nm', () => {
    expect(MOBILE_GPU_CNN_PJ_PER_MAC).toBeCloseTo((1e12 / (45 * 724e6)) * scaleTo28nm('energy', 20), 9);
    expect(1e12 / (45 * 724e6)).toBeCloseTo(30.69, 2);
    expect(MOBILE_GPU_CNN_PJ_PER_MAC).toBeGreaterThan(50);
    expect(MOBILE_GPU_CNN_PJ_PER_MAC).toBeLessThan(60);
  });

  it('is the default; sparse mode executes nnz·B MACs at the same energy per MAC, FP16 CSR storage', () => {
    const w = { rows: 10, cols: 4, batch: 3, nnz: 7, valueBits: 8, inputBits: 8 };
    const r = mobileGpuBaseline(w);
    expect(r.energyPj).toBeCloseTo(7 * 3 * MOBILE_GPU_CNN_PJ_PER_MAC, 9);
    expect(r.storageBits).toBe(7 * (16 + 32) + 5 * 32);
    expect(r.source).toMatch(/effective op count/);
    expect(mobileGpuBaseline(w, { mode: 'dense' }).energyPj).toBeCloseTo(120 * MOBILE_GPU_CNN_PJ_PER_MAC, 9);
    expect(() => mobileGpuBaseline(w, { profile: 'x' as 'cnn' })).toThrow(ConfigError);
  });
});

describe('mobile-gpu baseline, fc-batch1 profile (Tegra K1, measured: EIE ISCA 2016 Table V)', () => {
  it('the dense energy per MAC is 1 J / (33.9 frames/J × 4096²) = 1758 pJ', () => {
    expect(MOBILE_GPU_DENSE_PJ_PER_MAC).toBeCloseTo(1e12 / (33.9 * 16_777_216), 9);
    expect(MOBILE_GPU_DENSE_PJ_PER_MAC).toBeCloseTo(1758.2, 1);
    expect(5.1 / 173).toBeCloseTo(1 / 33.9, 3); // Table V is self-consistent: 29.5 mJ per frame
  });

  it('the sparse energy per executed MAC is (1/33.9 J) × 15/59 over 9 % of 4096² MACs = 4967 pJ', () => {
    expect(MOBILE_GPU_SPARSE_PJ_PER_MAC).toBeCloseTo(((1e12 / 33.9) * (15 / 59)) / (0.09 * 16_777_216), 9);
    expect(MOBILE_GPU_SPARSE_PJ_PER_MAC).toBeCloseTo(4966.8, 1);
  });

  it('reproduces the measured frame: dense FC7 costs 29.5 mJ, pruned FC7 7.5 mJ', () => {
    const fc7 = { rows: 4096, cols: 4096, batch: 1, valueBits: 8, inputBits: 8 };
    expect(mobileGpuBaseline({ ...fc7, nnz: 16_777_216 }, { mode: 'dense', profile: 'fc-batch1' }).energyPj / 1e9).toBeCloseTo(1000 / 33.9, 6);
    expect(mobileGpuBaseline({ ...fc7, nnz: 1_509_949 }, { profile: 'fc-batch1' }).energyPj / 1e9).toBeCloseTo(7.5, 2);
  });

  it('sparse mode charges nnz·B MACs and stores FP32 CSR with 32-bit indices and pointers', () => {
    const r = mobileGpuBaseline({ rows: 10, cols: 4, batch: 3, nnz: 7, valueBits: 8, inputBits: 8 }, { profile: 'fc-batch1' });
    expect(r.energyPj).toBeCloseTo(7 * 3 * MOBILE_GPU_SPARSE_PJ_PER_MAC, 9);
    expect(r.storageBits).toBe(7 * (32 + 32) + 5 * 32);
    expect(r.topsPerWattEffective).toBeCloseTo(2 / MOBILE_GPU_SPARSE_PJ_PER_MAC, 12);
    expect(r.topsPerWattDense).toBeCloseTo((2 * 40 * 3) / r.energyPj, 12);
    expect(r.source).toMatch(/effective op count/);
  });

  it('dense mode charges K·N·B MACs whatever the sparsity, FP32 dense storage', () => {
    const a = mobileGpuBaseline({ rows: 10, cols: 4, batch: 3, nnz: 7, valueBits: 8, inputBits: 8 }, { mode: 'dense', profile: 'fc-batch1' });
    expect(a.energyPj).toBeCloseTo(120 * MOBILE_GPU_DENSE_PJ_PER_MAC, 9);
    expect(a.storageBits).toBe(40 * 32);
    expect(a.source).toMatch(/dense op count/);
  });

  it('the figure does not scale with bit widths (FP32 kernels)', () => {
    const base = { rows: 64, cols: 64, batch: 1, nnz: 100 };
    expect(mobileGpuBaseline({ ...base, valueBits: 2, inputBits: 2 }).energyPj)
      .toBe(mobileGpuBaseline({ ...base, valueBits: 16, inputBits: 16 }).energyPj);
  });

  it('a bad mode or a negative energy is a ConfigError', () => {
    const w = { rows: 4, cols: 4, batch: 1, nnz: 3, valueBits: 8, inputBits: 8 };
    expect(() => mobileGpuBaseline(w, { mode: 'x' as 'dense' })).toThrow(ConfigError);
    expect(() => mobileGpuBaseline(w, { pjPerMac: -1 })).toThrow(/≥ 0/);
  });
});
