import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/io/npy.js';
import { loadTensorFile } from '../../../src/io/load.js';
import { cli, DATA, expectUserError, tempDir } from './helpers.js';

const MOBILENET = join(DATA, 'mobilenetv1-conv6-pointwise.npy');

describe('imc-sim run', () => {
  it('reports mapping, timing, energy, metrics and baselines per format with exact outputs', () => {
    const r = cli(['run', MOBILENET, '--prune', 'magnitude:0.9', '--format', 'coo,rl,bitmask', '--batch', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.outputsExact).toBe(true);
    expect(doc.config.rows).toBe(256);
    expect(doc.inputs).toMatchObject({ source: 'random', seed: 1, zeroFraction: 0.5, batch: 4 });
    for (const f of doc.formats) {
      expect(f.outputsExact).toBe(true);
      expect(Object.keys(f.mapping).sort()).toEqual(['loads', 'rewrites', 'rounds', 'segments', 'slotsPerLoad', 'utilization']);
      expect(f.mapping.loads).toBe(Math.ceil(f.mapping.segments / f.mapping.slotsPerLoad));
      expect(f.timing.latencyNs).toBeCloseTo((f.timing.cycles * 1000) / doc.config.clockMHz, 6);
      const sum = Object.values(f.energy.breakdownPj as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(f.energy.totalPj).toBeCloseTo(sum, 6);
      expect(f.metrics.topsPerWattDense).toBeCloseTo((2 * 256 * 512 * 4) / f.energy.totalPj, 9);
      expect(f.metrics.sqnrDb).toBeGreaterThan(0);
    }
    expect(doc.baselines.map((b: { name: string }) => b.name)).toEqual(['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
  });

  it('marks an N:m format infeasible on a magnitude-pruned layer and still runs the others', () => {
    const r = cli(['run', MOBILENET, '--prune', 'magnitude:0.9', '--format', 'coo,nm:2:4', '--batch', '2', '--no-baselines']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nm:2:4: infeasible — column \d+ group/);
    expect(r.stdout).toMatch(/^coo:8 /m);
  });

  it('runs the bundled real layer when no file is given and says so', () => {
    const r = cli(['run', '--batch', '2', '--no-baselines', '--format', 'coo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no FILE given: running on the bundled real layer .*mobilenetv1-conv6-pointwise\.npy/);
  });

  it('dumps outputs that equal the integer product of the dumped matrix and inputs', () => {
    const dir = tempDir();
    const x = new Float32Array(3 * 256);
    for (let i = 0; i < x.length; i++) x[i] = (i * 37) % 101 === 0 ? 0 : ((i * 7919) % 255) / 17;
    writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'float32', shape: [3, 256], data: x }));
    const r = cli(['run', MOBILENET, '--prune', 'magnitude:0.7', '--weight-bits', '8', '--format', 'rl:4', '--inputs', 'x.npy', '--dump-outputs', 'y.npy', '--dump-quantized', 'q.npy', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const q = loadTensorFile(join(dir, 'q.npy')).tensors[0]!; // [K, N] int8
    const y = loadTensorFile(join(dir, 'y.npy')).tensors[0]!; // [B, N] float64
    expect(y.shape).toEqual([3, 512]);
    // Recompute qx exactly as MODEL §2 says, then y = qx · q by plain loops.
    const Qx = 255;
    let max = 0;
    for (const v of x) max = Math.max(max, v);
    const s = max / Qx;
    const rhe = (v: number) => { const f = Math.floor(v); const d = v - f; return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f; };
    for (let b = 0; b < 3; b++) {
      for (const j of [0, 17, 511]) {
        let acc = 0;
        for (let k = 0; k < 256; k++) acc += Math.min(Qx, rhe(x[b * 256 + k]! / s)) * (q.data as Int8Array)[k * 512 + j]!;
        expect((y.data as Float64Array)[b * 512 + j]).toBe(acc);
      }
    }
    expect(doc.inputs).toMatchObject({ source: 'file', batch: 3 });
  });

  it('refuses inputs whose K does not match and negative inputs in unsigned mode', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.npy'), encodeNpy({ dtype: 'float32', shape: [2, 100], data: new Float32Array(200) }));
    expectUserError(cli(['run', MOBILENET, '--inputs', 'bad.npy', '--format', 'coo'], dir), 2, /K = 256/);
    const neg = new Float32Array(256).fill(1);
    neg[5] = -1;
    writeFileSync(join(dir, 'neg.npy'), encodeNpy({ dtype: 'float32', shape: [1, 256], data: neg }));
    expectUserError(cli(['run', MOBILENET, '--inputs', 'neg.npy', '--format', 'coo'], dir), 2, /--signed-inputs/);
  });

  it('reports every bad macro parameter at once', () => {
    const r = cli(['run', MOBILENET, '--rows', '1', '--vdd', '3', '--format', 'coo']);
    expectUserError(r, 3, /macro\.rows.*macro\.vdd/);
  });

  it('reads a YAML macro config with unit strings', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), 'preset: yan-28nm\nclockMHz: "0.5 GHz"\nmacros: 2\n');
    const r = cli(['run', MOBILENET, '--macro', 'm.yaml', '--format', 'coo', '--batch', '2', '--no-baselines', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.config).toMatchObject({ preset: 'yan-28nm', clockMHz: 500, macros: 2, rows: 32, weightSets: 16 });
    expect(readFileSync(join(dir, 'm.yaml'), 'utf8')).toContain('yan');
  });
  it('warns when the clock is above what the macro reaches at its VDD, and reports the operating point', () => {
    const r = cli(['run', MOBILENET, '--format', 'coo', '--vdd', '0.6']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/warning: 200 MHz is above the [\d.]+ MHz this macro reaches at 0.6 V/);
    const j = JSON.parse(cli(['run', MOBILENET, '--format', 'coo', '--vdd', '0.6', '--json']).stdout);
    expect(j.operatingPoint).toMatchObject({ vdd: 0.6, clockMHz: 200, overclocked: true });
    expect(j.operatingPoint.maxClockMHz).toBeLessThan(200);
    expect(j.formats[0].energy.bandPj[1] / j.formats[0].energy.totalPj).toBeCloseTo(j.operatingPoint.energyBandFactor, 9);
    expect(j.formats[0].area.totalMm2).toBeGreaterThan(0);
  });
});
