import { describe, expect, it } from 'vitest';
import { argmaxRows, conv2dFloat, forwardFloat, linearFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph, type Conv2dStep } from '../../../src/network/graph.js';
import { pool2d } from '../../../src/network/digital-ops.js';
import { f32 } from './helpers.js';

// x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[0,-1]], bias 0.5.
const X = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
const W = f32('w', [1, 1, 2, 2], [1, 2, 0, -1]);
const BIAS = f32('b', [1], [0.5]);

function convStep(stride: number, padding: number): Conv2dStep {
  const g = parseGraph(`layers: [{op: conv2d, weight: w, bias: b, stride: ${stride}, padding: ${padding}}]`, 'g');
  return resolveGraph(g, [W, BIAS], 'g', [1, 3, 3]).steps[0] as Conv2dStep;
}

describe('float forward', () => {
  it('computes a 2×2 convolution by hand', () => {
    // (0,0): 1+2·2−5 = 0; (0,1): 2+6−6 = 2; (1,0): 4+10−8 = 6; (1,1): 5+12−9 = 8; plus 0.5.
    expect(Array.from(conv2dFloat(X, 1, convStep(1, 0)))).toEqual([0.5, 2.5, 6.5, 8.5]);
  });

  it('computes a padded, strided convolution by hand', () => {
    // Windows start at (−1 + 2·oy, −1 + 2·ox): (0,0) sees only x[0,0]·(−1); (0,1) x[0,2]·(−1);
    // (1,0) x[1,0]·2 + x[2,0]·(−1) = 1; (1,1) 5 + 12 − 9 = 8.
    expect(Array.from(conv2dFloat(X, 1, convStep(2, 1)))).toEqual([-0.5, -2.5, 1.5, 8.5]);
  });

  it('computes a linear layer by hand', () => {
    const g = parseGraph('layers: [{op: linear, weight: w, bias: b}]', 'g');
    const plan = resolveGraph(g, [f32('w', [2, 3], [1, 2, 3, -1, 0, 1]), f32('b', [2], [0, 1])], 'g', [3]);
    // [1,2,3]·[1,1,2] = 9; [−1,0,1]·[1,1,2] + 1 = 2. Two samples: the second is doubled (bias not).
    expect(Array.from(linearFloat(Float64Array.of(1, 1, 2, 2, 2, 4), 2, plan.steps[0] as never))).toEqual([9, 2, 18, 3]);
  });

  it('pools by maximum and by average with floor mode', () => {
    const max = resolveGraph(parseGraph('layers: [{op: maxpool, kernel: 2}]', 'g'), [], 'g', [1, 3, 3]);
    const avg = resolveGraph(parseGraph('layers: [{op: avgpool, kernel: 2, stride: 1}]', 'g'), [], 'g', [1, 3, 3]);
    expect(Array.from(pool2d(X, 1, max.steps[0] as never))).toEqual([5]);
    expect(Array.from(pool2d(X, 1, avg.steps[0] as never))).toEqual([3, 4, 6, 7]);
  });

  it('chains scale, conv, ReLU, flatten and linear', () => {
    const g = parseGraph(
      'layers: [{op: scale, multiply: 2, divide: 4}, {op: conv2d, weight: w, bias: b}, {op: relu}, {op: flatten}, {op: linear, weight: v}]',
      'g',
    );
    const plan = resolveGraph(g, [W, BIAS, f32('v', [1, 4], [1, -1, 1, 1])], 'g', [1, 3, 3]);
    // conv of x/2 = [0, 1, 3, 4] + 0.5 (all positive, ReLU keeps them); · [1, −1, 1, 1].
    const y = forwardFloat(plan, X, 1);
    expect(Array.from(y)).toEqual([0.5 - 1.5 + 3.5 + 4.5]);
  });

  it('breaks argmax ties toward the first class', () => {
    expect(Array.from(argmaxRows(Float64Array.of(1, 3, 3, -1, -2, -1), 2, 3))).toEqual([1, 0]);
  });
});
