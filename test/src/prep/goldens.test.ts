/**
 * src/prep against the numpy goldens in fixtures/prep (made by fixtures/make-prep-goldens.py).
 * Every comparison is exact.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../src/io/tensor.js';
import { tensorToMatrix, type Layout } from '../../../src/prep/layout.js';
import { prune } from '../../../src/prep/prune.js';
import { quantizeInputs, quantizeWeights, randomInputs, type Granularity } from '../../../src/prep/quantize.js';
import { Xoshiro128ss } from '../../../macro-sim/rng.js';

const load = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/prep/${file}`, import.meta.url), 'utf8')) as T;

interface MatrixCase { name: string; K: number; N: number; data: number[] }

describe('layout goldens', () => {
  const { cases } = load<{ cases: { layout: Layout; shape: number[]; tensor: number[]; K: number; N: number; data: number[] }[] }>('layout.json');
  for (const c of cases) {
    it(`maps a ${c.layout} tensor of shape [${c.shape.join(', ')}] to numpy's [K, N] matrix`, () => {
      const t: Tensor = { name: c.layout, dtype: 'float64', shape: c.shape, data: Float64Array.from(c.tensor) };
      const m = tensorToMatrix(t, c.layout);
      expect([m.rows, m.cols]).toEqual([c.K, c.N]);
      expect(Array.from(m.data)).toEqual(c.data);
    });
  }
});

describe('prune goldens', () => {
  const { specs, cases } = load<{ specs: string[]; cases: (MatrixCase & { results: Record<string, number[]> })[] }>('prune.json');
  for (const c of cases) {
    it(`reproduces every prune spec on ${c.name}`, () => {
      const m = { rows: c.K, cols: c.N, data: Float64Array.from(c.data) };
      for (const spec of specs) {
        expect({ spec, data: Array.from(prune(m, spec).data) }).toEqual({ spec, data: c.results[spec] });
      }
    });
  }
  it('covers ties: some spec keeps a lower-index entry over an equal-magnitude higher one', () => {
    // Guard against goldens that could not catch a wrong tie rule.
    const c = cases.find((x) => x.name === 'ties-8x6')!;
    const r = c.results['magnitude:0.5']!;
    let sawTieSplit = false;
    for (let i = 0; i < c.data.length && !sawTieSplit; i++)
      for (let j = i + 1; j < c.data.length; j++)
        if (Math.abs(c.data[i]!) === Math.abs(c.data[j]!) && r[i] !== 0 && r[j] === 0) sawTieSplit = true;
    expect(sawTieSplit).toBe(true);
  });
});

describe('quantize goldens', () => {
  const { cases } = load<{ cases: (MatrixCase & { bits: number; granularity: Granularity; q: number[]; s: number[] })[] }>('quantize.json');
  for (const name of [...new Set(cases.map((c) => c.name))]) {
    it(`reproduces q and scales of ${name} at every bit width and granularity`, () => {
      for (const c of cases.filter((x) => x.name === name)) {
        const r = quantizeWeights({ rows: c.K, cols: c.N, data: Float64Array.from(c.data) }, c.bits, c.granularity);
        const tag = `${c.bits} ${c.granularity}`;
        expect({ tag, q: Array.from(r.q.data), s: Array.from(r.scales) }).toEqual({ tag, q: c.q, s: c.s });
      }
    });
  }
});

describe('input quantization goldens', () => {
  const { cases } = load<{ cases: { name: string; dtype: string; x: number[]; bits: number; signed: boolean; q: number[]; scale: number }[] }>('inputs.json');
  it('reproduces q and the scale of every input case', () => {
    for (const c of cases) {
      const x = c.dtype === 'uint8' ? Uint8Array.from(c.x) : c.dtype === 'float32' ? Float32Array.from(c.x) : Float64Array.from(c.x);
      const r = quantizeInputs(x, c.bits, c.signed);
      const tag = `${c.name} ${c.bits} ${c.signed}`;
      expect({ tag, q: Array.from(r.q), scale: r.scale }).toEqual({ tag, q: c.q, scale: c.scale });
    }
  });
});

describe('random input goldens', () => {
  const g = load<{ firstOutputsSeed1: number[]; cases: { batch: number; K: number; bits: number; zeroFraction: number; seed: number; x: number[] }[] }>(
    'random-inputs.json',
  );
  it('xoshiro128** seeded by SplitMix64 matches the Python implementation', () => {
    const r = Xoshiro128ss.fromSeed(1);
    expect(g.firstOutputsSeed1.map(() => r.nextUint32())).toEqual(g.firstOutputsSeed1);
  });
  it('randomInputs matches the Python implementation for every parameter set', () => {
    for (const c of g.cases) {
      expect(Array.from(randomInputs(c.batch, c.K, c.bits, c.zeroFraction, c.seed))).toEqual(c.x);
    }
  });
});
