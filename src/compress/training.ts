/**
 * Mini-batch training of a {@link TrainableNetwork}: softmax cross-entropy, Adam (Kingma & Ba, ICLR
 * 2015, Algorithm 1, default β₁ 0.9, β₂ 0.999, ε 1e-8), a seeded shuffle per epoch, and hooks for
 * the extra gradient terms of ADMM and SVD training. Deterministic: same data, seed and settings →
 * the same weights, bit for bit (single-threaded float64, fixed summation order).
 */
import { InputError } from '../../errors.js';
import { Xoshiro128ss } from '../../macro-sim/rng.js';
import { argmaxRows } from '../network/forward-float.js';
import type { Param, TrainableNetwork } from './trainable-network.js';

/** Labelled samples, flattened: `x` is `[n, inputSize]`. */
export interface LabelledSet {
  readonly x: Float64Array;
  readonly labels: Int32Array;
  readonly n: number;
}

/** Adam's state per parameter; a class because it holds the moment estimates between steps. */
export class Adam {
  private readonly m = new Map<Param, Float64Array>();
  private readonly v = new Map<Param, Float64Array>();
  private t = 0;
  constructor(public lr: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly eps = 1e-8) {}

  /** One update of every parameter from its `grad`; masked entries stay exactly 0. */
  step(params: readonly Param[]): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t, c2 = 1 - this.beta2 ** this.t;
    for (const p of params) {
      let m = this.m.get(p), v = this.v.get(p);
      if (!m || !v) {
        m = new Float64Array(p.data.length);
        v = new Float64Array(p.data.length);
        this.m.set(p, m);
        this.v.set(p, v);
      }
      const d = p.data, g = p.grad, mask = p.mask;
      for (let i = 0; i < d.length; i++) {
        if (mask && !mask[i]) { d[i] = 0; continue; }
        const gi = g[i]!;
        const mi = (m[i] = this.beta1 * m[i]! + (1 - this.beta1) * gi);
        const vi = (v[i] = this.beta2 * v[i]! + (1 - this.beta2) * gi * gi);
        d[i] = d[i]! - (this.lr * (mi / c1)) / (Math.sqrt(vi / c2) + this.eps);
      }
    }
  }
}

/**
 * Mean softmax cross-entropy of `[B, C]` logits, and its gradient `(softmax − onehot) / B` written
 * into `grad`. Throws InputError `TRAINING_DIVERGED` on a non-finite loss.
 */
export function softmaxCrossEntropy(logits: Float64Array, labels: Int32Array, labelOffset: number, B: number, C: number, grad: Float64Array): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const o = b * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (logits[o + c]! > max) max = logits[o + c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c]! - max);
    const y = labels[labelOffset + b]!;
    loss += Math.log(sum) - (logits[o + y]! - max);
    for (let c = 0; c < C; c++) grad[o + c] = (Math.exp(logits[o + c]! - max) / sum - (c === y ? 1 : 0)) / B;
  }
  loss /= B;
  if (!Number.isFinite(loss)) {
    throw new InputError('TRAINING_DIVERGED', `training diverged (loss ${loss}); lower --lr or --rho`);
  }
  return loss;
}

/** What one epoch did. */
export interface EpochStats {
  /** Mean training loss (cross-entropy only, without regularisers). */
  readonly loss: number;
  /** Accuracy on the training batches as they were seen (0..1). */
  readonly trainAccuracy: number;
}

/** Options of {@link trainEpoch}. */
export interface EpochOptions {
  readonly batchSize: number;
  /** Shuffle generator (advanced by the epoch). */
  readonly rng: Xoshiro128ss;
  readonly optimizer: Adam;
  /** Adds regulariser gradients after the backward pass of each batch (ADMM penalty, SVD terms). */
  readonly extraGradient?: () => void;
  /** Called after each optimizer step (e.g. to re-project). */
  readonly afterStep?: () => void;
}

/** One epoch over `data` in a seeded random order. */
export function trainEpoch(net: TrainableNetwork, data: LabelledSet, o: EpochOptions): EpochStats {
  const order = new Int32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;
  for (let i = data.n - 1; i > 0; i--) { // Fisher–Yates
    const j = o.rng.nextBelow(i + 1);
    const t = order[i]!; order[i] = order[j]!; order[j] = t;
  }
  const D = net.inputSize, C = net.classes;
  const xb = new Float64Array(o.batchSize * D);
  const yb = new Int32Array(o.batchSize);
  const grad = new Float64Array(o.batchSize * C);
  let lossSum = 0, correct = 0, seen = 0;
  for (let start = 0; start < data.n; start += o.batchSize) {
    const B = Math.min(o.batchSize, data.n - start);
    for (let b = 0; b < B; b++) {
      const s = order[start + b]!;
      xb.set(data.x.subarray(s * D, (s + 1) * D), b * D);
      yb[b] = data.labels[s]!;
    }
    net.zeroGrad();
    const logits = net.forward(xb, B, true);
    const g = grad.subarray(0, B * C);
    lossSum += softmaxCrossEntropy(logits, yb, 0, B, C, g) * B;
    correct += countCorrect(logits, yb, B, C);
    seen += B;
    net.backward(g);
    o.extraGradient?.();
    o.optimizer.step(net.params);
    o.afterStep?.();
  }
  return { loss: lossSum / seen, trainAccuracy: correct / seen };
}

/** How many rows of `[B, C]` logits have their argmax (first on ties) at the label. */
function countCorrect(logits: Float64Array, labels: Int32Array, B: number, C: number): number {
  const pred = argmaxRows(logits, B, C);
  let correct = 0;
  for (let b = 0; b < B; b++) if (pred[b] === labels[b]) correct++;
  return correct;
}

/** Float accuracy (0..1) of the network's current weights on a labelled set. */
export function floatAccuracy(net: TrainableNetwork, data: LabelledSet, batchSize = 250): number {
  let correct = 0;
  for (let start = 0; start < data.n; start += batchSize) {
    const B = Math.min(batchSize, data.n - start);
    const logits = net.forward(data.x.subarray(start * net.inputSize), B, false);
    correct += countCorrect(logits, data.labels.subarray(start), B, net.classes);
  }
  return correct / data.n;
}
