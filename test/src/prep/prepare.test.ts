import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../../errors.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { countNonzeros, matrixSparsity, prepareWeights } from '../../../src/prep/prepare.js';
import { prune } from '../../../src/prep/prune.js';
import { quantizeWeights } from '../../../src/prep/quantize.js';
import { tensorToMatrix } from '../../../src/prep/layout.js';

const linear: Tensor = {
  name: 'fc.weight',
  dtype: 'float32',
  shape: [2, 4], // [o, i]: K = 4, N = 2
  data: new Float32Array([1, -2, 3, -4, 0.5, 0, 0, 8]),
};

describe('prepareWeights', () => {
  it('reuses a given float matrix and gives the same result as converting the tensor itself', () => {
    const floatMatrix = tensorToMatrix(linear);
    const a = prepareWeights(linear, { weightBits: 4, prune: 'magnitude:0.5' });
    const b = prepareWeights(linear, { weightBits: 4, prune: 'magnitude:0.5', floatMatrix });
    expect(b.float).toBe(floatMatrix);
    expect(Array.from(b.q.data)).toEqual(Array.from(a.q.data));
    expect(Array.from(floatMatrix.data)).toEqual([1, -2, 3, -4, 0.5, 0, 0, 8]); // not modified
    expect(() => prepareWeights(linear, { weightBits: 4, floatMatrix: { rows: 2, cols: 4, data: new Float64Array(8) } })).toThrow(/BAD_FLOAT_MATRIX|floatMatrix is \[2, 4\]/);
  });

  it('gives the SQNR reference the tensor\'s own float array when its layout is o-first, else the float64 matrix', () => {
    const a = prepareWeights(linear, { weightBits: 4, prune: 'magnitude:0.5' });
    expect(a.floatColumns.data).toBe(linear.data); // no copy at all
    expect([a.floatColumns.rows, a.floatColumns.cols]).toEqual([4, 2]);
    expect(Array.from(a.floatColumns.data)).toEqual(Array.from(a.float.data));
    // o-last (`io`): the tensor is row-major [K, N], so the column-major matrix is a copy — `float`
    const io = prepareWeights({ ...linear, shape: [4, 2] }, { weightBits: 4, layout: 'io' });
    expect(io.floatColumns).toBe(io.float);
    expect(Array.from(io.floatColumns.data)).toEqual([1, 3, 0.5, 0, -2, -4, 0, 8]);
    // a given matrix is what the reference reads; integer tensors read their float64 matrix
    const given = tensorToMatrix(linear);
    expect(prepareWeights(linear, { weightBits: 4, floatMatrix: given }).floatColumns).toBe(given);
    const int8 = prepareWeights({ name: 'q', dtype: 'int8', shape: [2, 2], data: Int8Array.of(1, -2, 3, 0) }, { weightBits: 4 });
    expect(int8.floatColumns).toBe(int8.float);
  });

  it('lays out, prunes and quantizes a float tensor (worked example)', () => {
    const p = prepareWeights(linear, { weightBits: 4, prune: 'nm:2:4' });
    expect([p.name, p.layout, p.K, p.N, p.prune, p.granularity, p.integerInput]).toEqual(['fc.weight', 'oi', 4, 2, 'nm:2:4', 'per-column', false]);
    expect(Array.from(p.float.data)).toEqual([1, -2, 3, -4, 0.5, 0, 0, 8]);
    // column 0: s = 4/7 → 3/s = 5.25 → 5, -4/s → -7; column 1: s = 8/7 → 0.5/s = 0.4375 → 0 (a quantization zero)
    expect(Array.from(p.q.data)).toEqual([0, 0, 5, -7, 0, 0, 0, 7]);
    expect(Array.from(p.scales)).toEqual([4 / 7, 8 / 7]);
    expect(p.nnz).toBe(3);
    expect(p.sparsity).toBe(5 / 8); // of the final q, counting the zero quantization made
  });
  it('equals tensorToMatrix → prune → quantizeWeights composed by hand', () => {
    const conv: Tensor = {
      name: 'conv', dtype: 'float32', shape: [3, 2, 2, 2],
      data: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (i % 5)),
    };
    const p = prepareWeights(conv, { weightBits: 6, prune: 'magnitude:0.4', granularity: 'per-tensor' });
    const q = quantizeWeights(prune(tensorToMatrix(conv), 'magnitude:0.4'), 6, 'per-tensor');
    expect(p.layout).toBe('oihw');
    expect(Array.from(p.q.data)).toEqual(Array.from(q.q.data));
    expect(Array.from(p.scales)).toEqual(Array.from(q.scales));
  });
  it('defaults to no pruning and accepts a parsed spec', () => {
    expect(prepareWeights(linear, { weightBits: 8 }).prune).toBe('none');
    expect(prepareWeights(linear, { weightBits: 8, prune: { kind: 'magnitude', sparsity: 0.5 } }).prune).toBe('magnitude:0.5');
  });
  it('uses an integer tensor as it is, pruning the integers themselves, with unit scales', () => {
    const t: Tensor = { name: 'qw', dtype: 'int8', shape: [4, 2], data: Int8Array.from([1, -5, 2, 6, -3, 7, 4, 0]) };
    const p = prepareWeights(t, { weightBits: 4, layout: 'io', prune: 'magnitude:0.5' });
    // io [i=4, o=2] → columns [1, 2, -3, 4], [-5, 6, 7, 0]; the 4 smallest |w|: 0, 1, 2, -3
    expect(p.integerInput).toBe(true);
    expect(Array.from(p.q.data)).toEqual([0, 0, 0, 4, -5, 6, 7, 0]);
    expect(Array.from(p.scales)).toEqual([1, 1]);
    expect(p.nnz).toBe(4);
  });
  it('rejects an integer tensor whose values do not fit the weight bits', () => {
    const t: Tensor = { name: 'qw', dtype: 'int8', shape: [1, 2], data: Int8Array.from([1, -8]) };
    let err: unknown;
    try {
      prepareWeights(t, { weightBits: 4 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INT_WEIGHT_OUT_OF_RANGE');
  });
  it('rejects bad options before reading data', () => {
    expect(() => prepareWeights(linear, { weightBits: 1 })).toThrow(ConfigError);
    expect(() => prepareWeights(linear, { weightBits: 8, prune: 'nm:5:4' })).toThrow(ConfigError);
    expect(() => prepareWeights({ ...linear, shape: [8], name: 'fc.bias' }, { weightBits: 8 })).toThrow(/bias/);
  });
});

describe('sparsity helpers', () => {
  it('count nonzeros and the zero fraction of integer and float matrices', () => {
    const q = { rows: 2, cols: 2, data: Int16Array.from([0, 3, 0, -1]) };
    expect([countNonzeros(q), matrixSparsity(q)]).toEqual([2, 0.5]);
    const f = { rows: 1, cols: 4, data: Float64Array.from([0, -0, 1e-300, 2]) };
    expect([countNonzeros(f), matrixSparsity(f)]).toEqual([2, 0.5]);
  });
});
