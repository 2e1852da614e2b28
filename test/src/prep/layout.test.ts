import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../../errors.js';
import type { DType, Tensor, TensorData } from '../../../src/io/tensor.js';
import {
  LAYOUTS,
  LAYOUT_RANK,
  defaultLayout,
  layoutDims,
  layoutForRank,
  parseLayoutList,
  parseLayout,
  signedBitsFor,
  tensorToIntMatrix,
  tensorToMatrix,
  type Layout,
  layoutsOfFileKind,
} from '../../../src/prep/layout.js';
import { inspectFile } from '../../../src/prep/summarize.js';
import { referenceTensorToMatrix } from '../../../src/prep/reference.js';

const tensor = (shape: number[], data: TensorData, dtype: DType = 'float64', name = 'w'): Tensor => ({ name, dtype, shape, data });

/** A tensor whose every value spells its own multi-index in decimal digits (all dims < 10). */
function indexTensor(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let rest = c, v = 0, scale = 1;
    for (let a = shape.length - 1; a >= 0; a--) {
      v += (rest % shape[a]!) * scale;
      rest = Math.floor(rest / shape[a]!);
      scale *= 10;
    }
    data[c] = v;
  }
  return tensor(shape, data);
}
const digits = (...d: number[]): number => d.reduce((a, b) => a * 10 + b, 0);

function expectThrows(f: () => unknown, cls: typeof InputError | typeof ConfigError, code: string, text?: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as InputError).code).toBe(code);
  if (text) expect((err as Error).message).toMatch(text);
}

describe('layout mapping (MODEL §1)', () => {
  it('oi: element (k, j) is w[o = j, i = k]', () => {
    const m = tensorToMatrix(indexTensor([3, 4]), 'oi');
    expect([m.rows, m.cols]).toEqual([4, 3]);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(m.data[j * 4 + k]).toBe(digits(j, k));
  });
  it('io: element (k, j) is w[i = k, o = j]', () => {
    const m = tensorToMatrix(indexTensor([4, 3]), 'io');
    expect([m.rows, m.cols]).toEqual([4, 3]);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(m.data[j * 4 + k]).toBe(digits(k, j));
  });
  it('oiw: k runs over (i, w) in C order', () => {
    const [O, I, W] = [2, 3, 4];
    const m = tensorToMatrix(indexTensor([O, I, W]), 'oiw');
    expect([m.rows, m.cols]).toEqual([I * W, O]);
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++) for (let w = 0; w < W; w++) expect(m.data[o * I * W + i * W + w]).toBe(digits(o, i, w));
  });
  it('oihw: k runs over (i, h, w) in C order', () => {
    const [O, I, H, W] = [3, 2, 4, 5];
    const K = I * H * W;
    const m = tensorToMatrix(indexTensor([O, I, H, W]), 'oihw');
    expect([m.rows, m.cols]).toEqual([K, O]);
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++) expect(m.data[o * K + (i * H + h) * W + w]).toBe(digits(o, i, h, w));
  });
  it('hwio: k runs over (h, w, i) in C order', () => {
    const [H, W, I, O] = [2, 3, 4, 5];
    const K = H * W * I;
    const m = tensorToMatrix(indexTensor([H, W, I, O]), 'hwio');
    expect([m.rows, m.cols]).toEqual([K, O]);
    for (let o = 0; o < O; o++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++)
          for (let i = 0; i < I; i++) expect(m.data[o * K + (h * W + w) * I + i]).toBe(digits(h, w, i, o));
  });
  it('a transpose larger than one 32×32 tile maps every element', () => {
    const t4 = indexTensor([7, 9, 3, 8]); // K = 189 > 32
    expect(Array.from(tensorToMatrix(t4, 'hwio').data)).toEqual(Array.from(referenceTensorToMatrix(t4, 'hwio').data));
    const big = tensor([67, 45], Float64Array.from({ length: 67 * 45 }, (_, i) => i));
    expect(Array.from(tensorToMatrix(big, 'io').data)).toEqual(Array.from(referenceTensorToMatrix(big, 'io').data));
  });
  it('matches the reference on random shapes for every layout', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 4, maxLength: 4 }),
        (lay: Layout, dims) => {
          const shape = dims.slice(0, LAYOUT_RANK[lay]).map((d, a) => (a === 0 ? d : Math.min(d, 9)));
          const n = shape.reduce((a, b) => a * b, 1);
          const t = tensor(shape, Float32Array.from({ length: n }, (_, i) => (i * 7919) % 1000 - 500), 'float32');
          expect(Array.from(tensorToMatrix(t, lay).data)).toEqual(Array.from(referenceTensorToMatrix(t, lay).data));
        },
      ),
      { numRuns: 60 },
    );
  });
  it('defaults to oi, oiw and oihw by rank', () => {
    expect([defaultLayout(2), defaultLayout(3), defaultLayout(4)]).toEqual(['oi', 'oiw', 'oihw']);
    const m = tensorToMatrix(indexTensor([2, 3, 2, 2]));
    expect(m.rows).toBe(12);
  });
  it('converts every element type exactly', () => {
    const vals = [1, -2, 3, -4, 5, -6];
    const arrays: [DType, TensorData][] = [
      ['int8', Int8Array.from(vals)], ['int16', Int16Array.from(vals)], ['int32', Int32Array.from(vals)],
      ['float32', Float32Array.from(vals)], ['float64', Float64Array.from(vals)],
      ['int64', BigInt64Array.from(vals.map(BigInt))],
    ];
    for (const [dtype, data] of arrays) {
      expect(Array.from(tensorToMatrix(tensor([2, 3], data, dtype), 'io').data)).toEqual([1, -4, -2, 5, 3, -6]);
    }
    expect(Array.from(tensorToMatrix(tensor([2, 3], BigUint64Array.from([1n, 2n, 3n, 4n, 5n, 6n]), 'uint64'), 'oi').data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('parses layouts case-insensitively', () => {
    expect(parseLayout(' HWIO ')).toBe('hwio');
  });
});

describe('layout errors', () => {
  it('rejects an unknown layout name with ConfigError BAD_LAYOUT', () => {
    expectThrows(() => parseLayout('nchw'), ConfigError, 'BAD_LAYOUT', /oi, io, oihw, hwio, oiw/);
  });
  it('calls a 1-D array a bias and points to --array', () => {
    expectThrows(() => tensorToMatrix(tensor([10], new Float32Array(10), 'float32', 'fc1.bias')), InputError, 'NOT_A_WEIGHT_MATRIX', /fc1\.bias.*bias.*--array/);
  });
  it('rejects a 0-d array as not a weight matrix', () => {
    expectThrows(() => tensorToMatrix(tensor([], new Float32Array(1), 'float32')), InputError, 'NOT_A_WEIGHT_MATRIX');
  });
  it('rejects rank 5', () => {
    expectThrows(() => tensorToMatrix(tensor([1, 1, 1, 1, 2], new Float32Array(2), 'float32')), InputError, 'RANK_TOO_HIGH');
  });
  it('rejects a layout of the wrong rank and names the layouts that fit', () => {
    expectThrows(() => tensorToMatrix(tensor([2, 3], new Float32Array(6), 'float32'), 'oihw'), InputError, 'LAYOUT_RANK_MISMATCH', /--layout oi, io/);
  });
  it('rejects an empty axis', () => {
    expectThrows(() => tensorToMatrix(tensor([0, 3], new Float32Array(0), 'float32')), InputError, 'EMPTY_ARRAY', /axis 0/);
  });
  it('rejects data whose length disagrees with the shape', () => {
    expectThrows(() => tensorToMatrix(tensor([2, 3], new Float32Array(5), 'float32')), InputError, 'TENSOR_SIZE_MISMATCH');
  });
  it('names the first non-finite value by its tensor position (copy path)', () => {
    const d = new Float32Array(12);
    d[7] = Infinity;
    d[9] = NaN;
    expectThrows(() => tensorToMatrix(tensor([3, 4], d, 'float32', 'fc.weight')), InputError, 'NON_FINITE_WEIGHT', /'fc\.weight'.*Infinity.*\[1, 3\]/);
  });
  it('names the first non-finite value in C order (transpose path)', () => {
    const K = 40, N = 50;
    const d = new Float64Array(K * N);
    d[3 * N + 45] = NaN; // C position [3, 45]: in a later column tile than the next one
    d[4 * N + 1] = -Infinity; // [4, 1]
    expectThrows(() => tensorToMatrix(tensor([K, N], d), 'io'), InputError, 'NON_FINITE_WEIGHT', /NaN.*\[3, 45\]/);
  });
});

describe('integer tensors', () => {
  it('are used as they are when every value fits [-Q, Q]', () => {
    const q = tensorToIntMatrix(tensor([2, 3], Int8Array.from([-7, 7, 0, 1, 2, 3]), 'int8'), 'io', 4);
    expect(Array.from(q.data)).toEqual([-7, 1, 7, 2, 0, 3]);
  });
  it('rejects a value outside [-Q, Q], naming it, its position and the bits it needs', () => {
    expectThrows(
      () => tensorToIntMatrix(tensor([2, 2], Int16Array.from([1, -128, 3, 4]), 'int16', 'w8'), 'oi', 8),
      InputError,
      'INT_WEIGHT_OUT_OF_RANGE',
      /'w8'.*-128 at \[0, 1\].*\[-127, 127\].*needs 9 bits/,
    );
  });
  it('rejects 64-bit values beyond 16 bits with the bits they need', () => {
    expectThrows(
      () => tensorToIntMatrix(tensor([1, 2], BigInt64Array.from([0n, 1n << 40n]), 'int64'), 'oi', 16),
      InputError,
      'INT_WEIGHT_OUT_OF_RANGE',
      /1099511627776.*needs 42 bits, more than the 16-bit maximum/,
    );
  });
  it('refuses a float tensor', () => {
    expectThrows(() => tensorToIntMatrix(tensor([1, 2], new Float32Array(2), 'float32'), 'oi', 8), InputError, 'NOT_INTEGER_TENSOR');
  });
  it('counts the signed bits a value needs', () => {
    expect([0, 1, 2, 3, 4, 127, 128, -128, 32767, 32768].map(signedBitsFor)).toEqual([2, 2, 3, 3, 4, 8, 9, 9, 16, 17]);
  });
});

describe('--layout lists (one layout per rank)', () => {
  it('parses one layout or a list and picks the layout of each rank', () => {
    expect(parseLayoutList('HWIO, io')).toEqual(['hwio', 'io']);
    expect(layoutForRank(['hwio', 'io'], 4)).toBe('hwio');
    expect(layoutForRank(['hwio', 'io'], 2)).toBe('io');
    expect(layoutForRank(undefined, 2)).toBeUndefined();
  });

  it('leaves a rank without a layout to layoutDims, which names the layouts that fit', () => {
    expect(layoutForRank(['hwio'], 2)).toBe('hwio');
    expect(() => layoutDims([3, 4], layoutForRank(['hwio'], 2))).toThrow(/layout 'hwio' needs rank 4; use --layout oi, io/);
  });

  it('refuses two layouts of one rank and an unknown layout', () => {
    expect(() => parseLayoutList('oi,io')).toThrow(ConfigError);
    expect(() => parseLayoutList('oi,xyz')).toThrow(/unknown layout 'xyz'/);
  });
});

describe('default layouts of a file kind', () => {
  it('reads TF.js kernels as io / hwio by default, everything else by rank', () => {
    expect(layoutsOfFileKind('tfjs')).toEqual(['io', 'hwio']);
    expect(layoutsOfFileKind('npz')).toBeUndefined();
    const { arrays } = inspectFile(new URL('../../../fixtures/models/face-api/face_recognition_model-weights_manifest.json', import.meta.url).pathname);
    const byName = new Map(arrays.map((a) => [a.name, a]));
    expect(byName.get('conv32_down/conv/filters')).toMatchObject({ layout: 'hwio', matrix: { rows: 147, cols: 32 } });
    expect(byName.get('fc')).toMatchObject({ layout: 'io', matrix: { rows: 256, cols: 128 } });
  });
});
