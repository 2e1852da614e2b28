/**
 * The DAG graph format: layouts, grouped conv, batch-norm folding, residual adds, concat, padding and
 * pooling with padding — each against a slow, obviously correct computation — and the exactness of
 * the macro path on such networks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { resolveMacroConfig } from '../../../macro-sim/config.js';
import { trainOpsOfPlan } from '../../../src/compress/trainable-network.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { pool2d } from '../../../src/network/digital-ops.js';
import { evaluateNetwork } from '../../../src/network/evaluate.js';
import { seededInputs } from '../../../src/network/eval-file.js';
import { conv2dDirect, conv2dFloat, forwardFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph, resolvePadding, type Conv2dStep, type NetworkPlan } from '../../../src/network/graph.js';
import { convWeightOihw, expandGroups } from '../../../src/network/weight-layouts.js';
import { f32 } from './helpers.js';

const plan = (yaml: string, tensors: Tensor[], shape?: number[]): NetworkPlan => resolveGraph(parseGraph(yaml, 'g.yaml'), tensors, 'g.yaml', shape);
function errorOf(fn: () => unknown): ConfigError {
  try { fn(); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return e as ConfigError; }
  throw new Error('expected a ConfigError');
}
/** A seeded float tensor with values in [-1, 1). */
function rnd(name: string, shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s / 2 ** 31 - 1; }
  return { name, dtype: 'float32', shape, data };
}

describe('weight layouts', () => {
  it('reads hwio [kh, kw, I, O] as OIHW', () => {
    // 1×2 kernel, I=2, O=3: value = 100·y + 10·x... encode (x, i, o) in the value.
    const v: number[] = [];
    for (let x = 0; x < 2; x++) for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) v.push(100 * o + 10 * i + x);
    const g = convWeightOihw(f32('w', [1, 2, 2, 3], v), 'hwio');
    expect([g.outputs, g.groupInputs, g.kh, g.kw]).toEqual([3, 2, 1, 2]);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 2; i++) for (let x = 0; x < 2; x++) expect(g.values[(o * 2 + i) * 2 + x]).toBe(100 * o + 10 * i + x);
  });

  it('reads a TF depthwise hwcm [kh, kw, C, M] filter as output channel c·M + m reading channel c', () => {
    const v: number[] = [];
    for (let y = 0; y < 2; y++) for (let c = 0; c < 3; c++) for (let m = 0; m < 2; m++) v.push(100 * c + 10 * m + y);
    const g = convWeightOihw(f32('w', [2, 1, 3, 2], v), 'hwcm');
    expect([g.outputs, g.groupInputs]).toEqual([6, 1]);
    for (let c = 0; c < 3; c++) for (let m = 0; m < 2; m++) for (let y = 0; y < 2; y++) expect(g.values[(c * 2 + m) * 2 + y]).toBe(100 * c + 10 * m + y);
  });

  it('expands groups to a block-diagonal weight', () => {
    const g = convWeightOihw(f32('w', [4, 1, 1, 1], [1, 2, 3, 4]), 'oihw');
    // 4 outputs, 2 groups of 1 input channel... groupInputs 1, groups 2 → I = 2.
    expect(Array.from(expandGroups(g, 2))).toEqual([1, 0, 2, 0, 0, 3, 0, 4]);
  });

  it('grouped conv equals the dense conv of its block-diagonal expansion (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1000 }),
      (groups, ig, og, k, stride, pad, seed) => {
        const I = ig * groups, O = og * groups, H = 5;
        const w = rnd('w', [O, ig, k, k], seed);
        const g = convWeightOihw(w, 'oihw');
        const x = Float64Array.from(rnd('x', [2, I, H, H], seed + 1).data as Float32Array);
        const oh = Math.floor((H + 2 * pad - k) / stride) + 1;
        const geo = { inShape: [I, H, H], outShape: [O, oh, oh], bias: null, kernel: [k, k] as const, stride: [stride, stride] as const, padding: [pad, pad, pad, pad] as const };
        const grouped = conv2dFloat(x, 2, { ...geo, weightValues: g.values, groups });
        const dense = conv2dFloat(x, 2, { ...geo, weightValues: expandGroups(g, groups) });
        for (let i = 0; i < dense.length; i++) expect(grouped[i]).toBeCloseTo(dense[i]!, 12);
      },
    ), { numRuns: 40 });
  });
});

describe('the fast float convolution', () => {
  it('is bit-identical to the direct loops: groups, strides, asymmetric padding, with and without bias (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 2 }), fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)), fc.boolean(), fc.integer({ min: 0, max: 1000 }),
      (groups, ig, og, kh, kw, stride, pad, withBias, seed) => {
        const I = ig * groups, O = og * groups, H = 6, W = 5;
        const oh = Math.floor((H + pad[0] + pad[2] - kh) / stride) + 1, ow = Math.floor((W + pad[1] + pad[3] - kw) / stride) + 1;
        const step = {
          inShape: [I, H, W], outShape: [O, oh, ow], kernel: [kh, kw] as const, stride: [stride, stride] as const, padding: pad,
          weightValues: Float64Array.from(rnd('w', [O, ig, kh, kw], seed).data as Float32Array), bias: withBias ? Float64Array.from(rnd('b', [O], seed + 2).data as Float32Array) : null, groups,
        };
        const x = Float64Array.from(rnd('x', [2, I, H, W], seed + 1).data as Float32Array);
        const fast = conv2dFloat(x, 2, step), slow = conv2dDirect(x, 2, step);
        expect(fast.length).toBe(slow.length);
        for (let i = 0; i < slow.length; i++) if (!Object.is(fast[i], slow[i])) expect(fast[i]).toBe(slow[i]);
      },
    ), { numRuns: 60 });
  });
});

describe('padding and pooling', () => {
  it('resolves TensorFlow SAME with the odd pixel at the bottom/right', () => {
    expect(resolvePadding('same', 112, 112, [3, 3], [2, 2])).toEqual([0, 0, 1, 1]);
    expect(resolvePadding('same', 5, 6, [3, 3], [1, 1])).toEqual([1, 1, 1, 1]);
    expect(resolvePadding('same', 7, 7, [1, 1], [2, 2])).toEqual([0, 0, 0, 0]);
    expect(resolvePadding([1, 2], 9, 9, [3, 3], [1, 1])).toEqual([1, 2, 1, 2]);
  });

  it('averages over the real elements of a padded window unless countIncludePad', () => {
    const X = Float64Array.of(1, 2, 3, 4); // 1×2×2
    const step = { op: 'avgpool' as const, inShape: [1, 2, 2], outShape: [1, 2, 2], kernel: [2, 2] as const, stride: [1, 1] as const, padding: [0, 0, 1, 1] as const };
    expect(Array.from(pool2d(X, 1, step))).toEqual([2.5, 3, 3.5, 4]);
    expect(Array.from(pool2d(X, 1, { ...step, countIncludePad: true }))).toEqual([2.5, 1.5, 1.75, 1]);
    expect(Array.from(pool2d(X, 1, { ...step, op: 'maxpool' }))).toEqual([4, 4, 4, 4]);
  });
});

/** A small network with every DAG op: stem conv + BN + ReLU6, a residual block, a depthwise branch concatenated, padding, global pool, linear. */
const RESNETISH = `
name: tiny-dag
input: [2, 6, 6]
layers:
  - { op: scale, name: norm, add: [-0.5, -0.25], divide: 2 }
  - { op: conv2d, name: stem, weight: stem.w, bias: stem.b, padding: same }
  - { op: batchnorm, name: stem.bn, weight: bn.g, bias: bn.b, mean: bn.m, var: bn.v, eps: 0.001 }
  - { op: relu, name: stem.relu, max: 6 }
  - { op: conv2d, name: b1, weight: b1.w, padding: 1 }
  - { op: relu }
  - { op: conv2d, name: b2, weight: b2.w, bias: b2.b, padding: [1, 1] }
  - { op: add, name: res, inputs: [b2, stem.relu] }
  - { op: relu, name: res.relu }
  - { op: conv2d, name: dw, input: stem.relu, weight: dw.w, layout: hwcm, padding: same }
  - { op: relu, name: dw.relu }
  - { op: concat, name: cat, inputs: [res.relu, dw.relu] }
  - { op: maxpool, kernel: 3, stride: 2, padding: same }
  - { op: pad, padding: [0, 0, 1, 1], channels: [0, 2] }
  - { op: globalavgpool }
  - { op: flatten }
  - { op: linear, name: fc, weight: fc.w, bias: fc.b, layout: io }
`;
function resnetishTensors(): Tensor[] {
  return [
    rnd('stem.w', [4, 2, 3, 3], 1), rnd('stem.b', [4], 2),
    f32('bn.g', [4], [1.5, 0.5, 1, 2]), f32('bn.b', [4], [0.1, -0.2, 0.3, 0]), f32('bn.m', [4], [0.2, -0.1, 0, 0.5]), f32('bn.v', [4], [0.5, 2, 1, 0.25]),
    rnd('b1.w', [4, 4, 3, 3], 3), rnd('b2.w', [4, 4, 3, 3], 4), rnd('b2.b', [4], 5),
    rnd('dw.w', [3, 3, 4, 1], 6),
    rnd('fc.w', [10, 3], 7), rnd('fc.b', [3], 8),
  ];
}

/** The tiny network computed directly, op by op, with plain loops (no graph machinery). */
function directTiny(x: Float64Array, t: Map<string, Float64Array>): Float64Array {
  const conv = (a: Float64Array, C: number, H: number, w: Float64Array, O: number, k: number, p: number, groups = 1, bias?: Float64Array): Float64Array => {
    const out = new Float64Array(O * H * H), Ig = C / groups;
    for (let o = 0; o < O; o++) for (let y = 0; y < H; y++) for (let xx = 0; xx < H; xx++) {
      let s = bias ? bias[o]! : 0;
      const g = Math.floor(o / (O / groups));
      for (let i = 0; i < Ig; i++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
        const iy = y - p + ky, ix = xx - p + kx;
        if (iy >= 0 && iy < H && ix >= 0 && ix < H) s += w[((o * Ig + i) * k + ky) * k + kx]! * a[((g * Ig + i) * H + iy) * H + ix]!;
      }
      out[(o * H + y) * H + xx] = s;
    }
    return out;
  };
  const H = 6;
  const a0 = x.map((v, i) => (v * 1) / 2 + (i < 36 ? -0.5 : -0.25));
  let stem = conv(a0, 2, H, t.get('stem.w')!, 4, 3, 1, 1, t.get('stem.b'));
  const g = t.get('bn.g')!, b = t.get('bn.b')!, m = t.get('bn.m')!, v = t.get('bn.v')!;
  stem = stem.map((s, i) => { const c = Math.floor(i / 36); return Math.min(Math.max((s - m[c]!) / Math.sqrt(v[c]! + 0.001) * g[c]! + b[c]!, 0), 6); });
  const r1 = conv(stem, 4, H, t.get('b1.w')!, 4, 3, 1).map((s) => Math.max(s, 0));
  const res = conv(r1, 4, H, t.get('b2.w')!, 4, 3, 1, 1, t.get('b2.b')).map((s, i) => Math.max(s + stem[i]!, 0));
  // TF depthwise [3,3,4,1] → OIHW [4,1,3,3].
  const dwT = t.get('dw.w')!, dwO = new Float64Array(36);
  for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) for (let c = 0; c < 4; c++) dwO[(c * 3 + ky) * 3 + kx] = dwT[(ky * 3 + kx) * 4 + c]!;
  const dw = conv(stem, 4, H, dwO, 4, 3, 1, 4).map((s) => Math.max(s, 0));
  const cat = new Float64Array(8 * 36); cat.set(res); cat.set(dw, 4 * 36);
  // maxpool 3, stride 2, SAME on 6: out 3, padding [0,0,1,1].
  const pooled = new Float64Array(8 * 9);
  for (let c = 0; c < 8; c++) for (let y = 0; y < 3; y++) for (let xx = 0; xx < 3; xx++) {
    let best = -Infinity;
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) { const iy = 2 * y + ky, ix = 2 * xx + kx; if (iy < 6 && ix < 6) best = Math.max(best, cat[(c * 6 + iy) * 6 + ix]!); }
    pooled[(c * 3 + y) * 3 + xx] = best;
  }
  // pad to 10×4×4 (zeros), global average over 16.
  const gap = new Float64Array(10);
  for (let c = 0; c < 8; c++) { let s = 0; for (let k = 0; k < 9; k++) s += pooled[c * 9 + k]!; gap[c] = s / 16; }
  const w = t.get('fc.w')!, fb = t.get('fc.b')!;
  return Float64Array.from({ length: 3 }, (_, o) => { let s = 0; for (let i = 0; i < 10; i++) s += gap[i]! * w[i * 3 + o]!; return s + fb[o]!; });
}

describe('a DAG network', () => {
  const tensors = resnetishTensors();
  const p = plan(RESNETISH, tensors);

  it('infers shapes through add, concat, pad and global pooling, and folds the batch norm into the stem', () => {
    expect(p.outputShape).toEqual([3]);
    const byName = new Map(p.steps.map((s) => [s.name, s]));
    expect(byName.get('cat')!.outShape).toEqual([8, 6, 6]);
    expect(byName.get('globalavgpool14')!.inShape).toEqual([10, 4, 4]);
    const stem = byName.get('stem') as Conv2dStep;
    expect(stem.foldedBatchnorm).toBe('stem.bn');
    expect((byName.get('dw') as Conv2dStep).groups).toBe(4);
    expect((byName.get('dw') as Conv2dStep).fanIn).toBe(36);
    expect(p.notes.join(' ')).toMatch(/stem\.bn is folded into conv2d stem/);
  });

  it('computes what the plain loops compute (float reference), sample by sample', () => {
    const t = new Map(tensors.map((x) => [x.name, Float64Array.from(x.data as Float32Array)]));
    const x = Float64Array.from(rnd('x', [3, 2, 6, 6], 99).data as Float32Array).map((v) => v + 1);
    const y = forwardFloat(p, x, 3);
    for (let b = 0; b < 3; b++) {
      const want = directTiny(x.subarray(b * 72, (b + 1) * 72), t);
      for (let o = 0; o < 3; o++) expect(y[b * 3 + o]).toBeCloseTo(want[o]!, 10);
    }
  });

  it('runs on the macro exactly as the integer path, in every format, and reports fidelity without labels', () => {
    const images = seededInputs([2, 6, 6], 6, 3, 'g');
    for (const prune of ['none', 'nm:1:2']) {
      const r = evaluateNetwork({
        graph: parseGraph(RESNETISH, 'g'), graphSource: 'g', model: tensors, images,
        quantization: { weightBits: 8, prune }, formats: ['dense', 'bitmask', 'coo', 'rl:4', 'nm:1:2'].slice(0, prune === 'none' ? 4 : 5),
        macro: resolveMacroConfig(), batchImages: 4,
      });
      expect(r.macroMatchesInteger).toBe(true);
      expect(r.accuracy).toBeNull();
      expect(r.runs.every((run) => run.accuracy === null && run.layers.length === 5)).toBe(true);
      expect(r.fidelity.layers.map((l) => l.name)).toEqual(['stem', 'b1', 'b2', 'dw', 'fc']);
      if (prune === 'none') expect(r.fidelity.outputSqnrDb).toBeGreaterThan(20);
      else expect(Number.isFinite(r.fidelity.outputSqnrDb)).toBe(true);
      expect(r.fidelity.top1Agreement).toBeGreaterThanOrEqual(0);
      // The depthwise layer's structural zeros are zeros of its matrix: 36×4 with 9 nonzeros per column.
      expect(r.runs[0]!.layers[3]!.nnz).toBeLessThanOrEqual(36);
    }
  });

  it('tracks the float model closely at 16 bits (batch-norm fold and layouts are exact transformations)', () => {
    const images = seededInputs([2, 6, 6], 4, 5, 'g');
    const r = evaluateNetwork({
      graph: parseGraph(RESNETISH, 'g'), graphSource: 'g', model: tensors, images,
      quantization: { weightBits: 16 }, formats: ['coo'],
      macro: resolveMacroConfig({ inputBits: 16, accumulatorBits: 48 }),
    });
    expect(r.fidelity.outputSqnrDb).toBeGreaterThan(60);
    expect(r.fidelity.top1Agreement).toBe(1);
  });

  it('is refused by the trainer of compress, naming why', () => {
    expect(errorOf(() => trainOpsOfPlan(p)).message).toMatch(/^compress trains sequential networks .*; layer norm \(scale\) scales per channel\. Evaluate/);
  });
});

describe('graph errors', () => {
  const t = [rnd('w', [4, 2, 3, 3], 1), rnd('l', [3, 4], 2)];
  it('refuses a layer that reads a later or unknown layer', () => {
    const e = errorOf(() => plan('input: [2, 5, 5]\nlayers:\n  - {op: relu, input: later}\n  - {op: relu, name: later}', t));
    expect(e.message).toMatch(/reads 'later', which is not the name of an earlier layer/);
  });
  it('refuses adds and concats of shapes that do not agree, naming both inputs', () => {
    const yaml = 'input: [2, 5, 5]\nlayers:\n  - {op: conv2d, name: c, weight: w}\n  - {op: add, inputs: [c, input]}';
    expect(errorOf(() => plan(yaml, t)).message).toMatch(/input 'input' has shape \[2, 5, 5\] but 'c' has \[4, 3, 3\]/);
    const cat = 'input: [2, 5, 5]\nlayers:\n  - {op: conv2d, name: c, weight: w}\n  - {op: concat, inputs: [c, input]}';
    expect(errorOf(() => plan(cat, t)).message).toMatch(/concatenated arrays must agree/);
  });
  it('refuses an unknown output and a group count that does not divide the channels', () => {
    expect(errorOf(() => plan('input: [2, 5, 5]\noutput: nope\nlayers: [{op: relu}]', t)).message).toMatch(/output: no layer is named 'nope'/);
    expect(errorOf(() => plan('input: [2, 5, 5]\nlayers: [{op: conv2d, weight: w, groups: 3}]', t)).message).toMatch(/do not split into 3 groups/);
  });
  it('refuses per-channel scales of the wrong length and batch-norm arrays of the wrong size', () => {
    expect(errorOf(() => plan('input: [2, 5, 5]\nlayers: [{op: scale, add: [1, 2, 3]}]', t)).message).toMatch(/add has 3 values but the input has 2 channels/);
    expect(errorOf(() => plan('input: [2, 5, 5]\nlayers: [{op: batchnorm, weight: l}]', t)).message).toMatch(/weight 'l' has shape \[3, 4\]/);
  });
});
