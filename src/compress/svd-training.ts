/**
 * SVD training (Yang, Tang, Wen, Chen, Li, Chen: "Learning Low-rank Deep Neural Networks via Singular
 * Vector Orthogonality Regularization and Singular Value Sparsification", CVPR-W 2020).
 *
 * Every selected layer W (`[N, K]`, PyTorch layout) is decomposed W = A · diag(σ) · B (A `[N, r]`,
 * B `[r, K]`, r = min(K, N)) and trained in that form with
 *   loss + λ_o Σ (‖AᵀA − I‖²_F + ‖BBᵀ − I‖²_F) / r² + λ_s Σ ‖σ‖₁ / ‖σ‖₂   (Hoyer),
 * so the factors stay orthonormal and the energy gathers in few singular values. Then each layer keeps
 * its largest-|σ| rank r' that meets its compression target (`r'(K + N) ≤ (1 − s)·K·N`) and the
 * truncated factors are fine-tuned without regularisers.
 *
 * On the macro a factorised layer is two layers: `diag(σ)·B` (K → r', the original conv geometry
 * with r' filters, or linear) then `A` (r' → N, a 1×1 conv or linear, with the original bias).
 */
import { Xoshiro128ss } from '../../macro-sim/rng.js';
import type { MatrixStep, NetworkPlan } from '../network/graph.js';
import { jacobiSvd } from './jacobi-svd.js';
import { makeParam, TrainableNetwork, trainOpsOfPlan, type Param, type TrainOp } from './trainable-network.js';
import { Adam, trainEpoch, type LabelledSet } from './training.js';
import type { EpochReport, Schedule } from './admm.js';

/** Regulariser weights of SVD training (defaults: the paper's orders of magnitude for small nets). */
export interface SvdRegularisers {
  readonly orthogonality: number;
  readonly hoyer: number;
}
export const DEFAULT_SVD_REGULARISERS: SvdRegularisers = { orthogonality: 1e-2, hoyer: 1e-3 };
/** Apply the orthogonality gradient every this many steps (scaled by it): see {@link svdTrain}. */
const ORTHOGONALITY_EVERY = 8;

/** A factorised layer after training. */
export interface FactorisedLayer {
  readonly layer: string;
  readonly step: MatrixStep;
  /** Kept rank r'. */
  readonly rank: number;
  /** Full rank min(K, N) before truncation. */
  readonly fullRank: number;
  /** `diag(σ)·B`, `[r', K]` (conv: `[r', I, kh, kw]`). */
  readonly first: Float64Array;
  /** `A`, `[N, r']`. */
  readonly second: Float64Array;
  readonly bias: Float64Array | null;
}

interface Factors { step: MatrixStep; a: Param; s: Param; b: Param; bias: Param | null; r: number; ops: TrainOp[] }

/** Factorise one step: its three training ops and params. */
function factorise(step: MatrixStep, weights: Float64Array, bias: Float64Array | null, rank: number | null): Factors {
  const K = step.fanIn, N = step.outputs;
  let A: Float64Array, S: Float64Array, B: Float64Array, r: number;
  if (K >= N) { // Wᵀ (K×N) = U S Vᵀ → W = V S Uᵀ: A = V [N, N], B = Uᵀ [N, K]
    const wt = new Float64Array(K * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = weights[n * K + k]!;
    const d = jacobiSvd(wt, K, N);
    r = N; A = d.v; S = d.s;
    B = new Float64Array(r * K);
    for (let j = 0; j < r; j++) for (let k = 0; k < K; k++) B[j * K + k] = d.u[k * N + j]!;
  } else { // W (N×K) = U S Vᵀ: A = U [N, K], B = Vᵀ [K, K]
    const d = jacobiSvd(weights, N, K);
    r = K; A = d.u; S = d.s;
    B = new Float64Array(r * K);
    for (let j = 0; j < r; j++) for (let k = 0; k < K; k++) B[j * K + k] = d.v[k * K + j]!;
  }
  return buildFactors(step, A, S, B, r, bias, rank ?? r);
}

/** Ops for factors truncated to the first `keep` ranks. */
function buildFactors(step: MatrixStep, A: Float64Array, S: Float64Array, B: Float64Array, r: number, bias: Float64Array | null, keep: number): Factors {
  const K = step.fanIn, N = step.outputs;
  const a = new Float64Array(N * keep);
  for (let n = 0; n < N; n++) for (let j = 0; j < keep; j++) a[n * keep + j] = A[n * r + j]!;
  const ap = makeParam(`${step.name}.A`, [N, keep], a);
  const sp = makeParam(`${step.name}.sigma`, [keep], S.subarray(0, keep));
  const bp = makeParam(`${step.name}.B`, [keep, K], B.subarray(0, keep * K));
  const biasP = bias ? makeParam(`${step.name}.bias`, [N], bias) : null;
  const ops: TrainOp[] = [];
  if (step.op === 'linear') {
    ops.push({ kind: 'linear', layer: `${step.name}.0`, weight: bp, bias: null, K, N: keep });
    ops.push({ kind: 'channel-scale', layer: step.name, scale: sp, spatial: 1 });
    ops.push({ kind: 'linear', layer: `${step.name}.1`, weight: ap, bias: biasP, K: keep, N });
  } else {
    const [, OH, OW] = step.outShape as [number, number, number];
    const mid = [keep, OH, OW];
    ops.push({ kind: 'conv', layer: `${step.name}.0`, weight: bp, bias: null, K, N: keep, inShape: step.inShape, outShape: mid, kernel: step.kernel, stride: step.stride, padding: [step.padding[0], step.padding[1]] });
    ops.push({ kind: 'channel-scale', layer: step.name, scale: sp, spatial: OH * OW });
    ops.push({ kind: 'conv', layer: `${step.name}.1`, weight: ap, bias: biasP, K: keep, N, inShape: mid, outShape: step.outShape, kernel: [1, 1], stride: [1, 1], padding: [0, 0] });
  }
  return { step, a: ap, s: sp, b: bp, bias: biasP, r: keep, ops };
}

/**
 * The network with every layer of `factors` replaced by its factor ops; the other ops are `base`'s
 * own objects, so their trained parameters carry over from one network to the next.
 */
function factorisedNetwork(plan: NetworkPlan, base: readonly TrainOp[], factors: ReadonlyMap<string, Factors>): TrainableNetwork {
  const ops: TrainOp[] = [];
  for (const op of base) {
    const f = (op.kind === 'linear' || op.kind === 'conv') ? factors.get(op.layer) : undefined;
    if (f) ops.push(...f.ops);
    else ops.push(op);
  }
  const inputSize = plan.inputShape.reduce((x, y) => x * y, 1);
  return new TrainableNetwork(ops, inputSize, plan.outputShape[0]!);
}

/** Adds λ·∂/∂X ‖XᵀX − I‖²_F / r² = 4λ X (XᵀX − I) / r² for X `[rows, r]` (columns orthonormal). */
function addColumnOrthogonalityGrad(x: Param, rows: number, r: number, lambda: number): void {
  const g = new Float64Array(r * r), d = x.data;
  for (let i = 0; i < rows; i++) {
    const o = i * r;
    for (let p = 0; p < r; p++) {
      const xp = d[o + p]!;
      if (xp === 0) continue;
      for (let q = 0; q < r; q++) g[p * r + q] += xp * d[o + q]!;
    }
  }
  for (let p = 0; p < r; p++) g[p * r + p] -= 1;
  const f = (4 * lambda) / (r * r);
  for (let i = 0; i < rows; i++) {
    const o = i * r;
    for (let q = 0; q < r; q++) {
      let acc = 0;
      for (let p = 0; p < r; p++) acc += d[o + p]! * g[p * r + q]!;
      x.grad[o + q] += f * acc;
    }
  }
}

/** Adds 4λ (BBᵀ − I) B / r² for B `[r, cols]` (rows orthonormal). */
function addRowOrthogonalityGrad(b: Param, r: number, cols: number, lambda: number): void {
  const g = new Float64Array(r * r), d = b.data;
  for (let p = 0; p < r; p++) {
    for (let q = p; q < r; q++) {
      let acc = 0;
      for (let k = 0; k < cols; k++) acc += d[p * cols + k]! * d[q * cols + k]!;
      g[p * r + q] = acc - (p === q ? 1 : 0);
      g[q * r + p] = g[p * r + q]!;
    }
  }
  const f = (4 * lambda) / (r * r);
  for (let p = 0; p < r; p++) {
    for (let q = 0; q < r; q++) {
      const gv = f * g[p * r + q]!;
      if (gv === 0) continue;
      for (let k = 0; k < cols; k++) b.grad[p * cols + k] += gv * d[q * cols + k]!;
    }
  }
}

/** Adds λ ∂(‖σ‖₁/‖σ‖₂)/∂σ. */
function addHoyerGrad(s: Param, lambda: number): void {
  let l1 = 0, l2sq = 0;
  for (const v of s.data) { l1 += Math.abs(v); l2sq += v * v; }
  if (l2sq === 0) return;
  const l2 = Math.sqrt(l2sq);
  for (let i = 0; i < s.data.length; i++) {
    const v = s.data[i]!;
    s.grad[i] += lambda * (Math.sign(v) / l2 - (l1 * v) / (l2 * l2sq));
  }
}

/** The rank that meets a parameter-count target `r(K + N) ≤ (1 − s)·K·N` (at least 1). */
export function rankForTarget(K: number, N: number, sparsity: number): number {
  return Math.max(1, Math.min(Math.min(K, N), Math.floor(((1 - sparsity) * K * N) / (K + N))));
}

/**
 * SVD-train `plan`: the layers with a target in `targets` (sparsity = fraction of weights removed)
 * are factorised, trained with the regularisers for `schedule.admmEpochs`, truncated, and fine-tuned
 * for `schedule.retrainEpochs`. Returns the factorised layers (other layers keep their float weights
 * in `others`).
 */
export function svdTrain(
  plan: NetworkPlan,
  targets: ReadonlyMap<string, number>,
  data: LabelledSet,
  s: Schedule,
  reg: SvdRegularisers = DEFAULT_SVD_REGULARISERS,
  onEpoch: (r: EpochReport) => void = () => {},
): { factorised: FactorisedLayer[]; others: Map<string, { weight: Float64Array; bias: Float64Array | null }> } {
  const rng = Xoshiro128ss.fromSeed(s.seed);
  const steps = plan.steps.filter((st): st is MatrixStep => st.op === 'linear' || st.op === 'conv2d');
  let factors = new Map<string, Factors>();
  for (const st of steps) if ((targets.get(st.name) ?? 0) > 0) factors.set(st.name, factorise(st, st.weightValues, st.bias, null));
  const base = trainOpsOfPlan(plan);
  let net = factorisedNetwork(plan, base, factors);
  const opt = new Adam(s.lr);
  let step = 0;
  for (let e = 0; e < s.admmEpochs; e++) {
    const stats = trainEpoch(net, data, {
      batchSize: s.batchSize, rng, optimizer: opt,
      extraGradient: () => {
        // The orthogonality terms cost O(r²·(K + N)) per step — more than the layer's own product at
        // full rank — so they are applied every ORTHOGONALITY_EVERY steps with that factor on λ: the
        // same regulariser in expectation, at 1/8 of the cost (LeNet-300 fc1: r = 300, K = 784).
        const orth = step++ % ORTHOGONALITY_EVERY === 0;
        for (const f of factors.values()) {
          if (orth) {
            addColumnOrthogonalityGrad(f.a, f.step.outputs, f.r, reg.orthogonality * ORTHOGONALITY_EVERY);
            addRowOrthogonalityGrad(f.b, f.r, f.step.fanIn, reg.orthogonality * ORTHOGONALITY_EVERY);
          }
          addHoyerGrad(f.s, reg.hoyer);
        }
      },
    });
    onEpoch({ ...stats, epoch: e + 1, epochs: s.admmEpochs, phase: 'admm', residual: null });
  }
  // Truncate: keep the largest |σ| ranks (reorder the factors so they come first).
  const truncated = new Map<string, Factors>();
  for (const [name, f] of factors) {
    const K = f.step.fanIn, N = f.step.outputs;
    const keep = rankForTarget(K, N, targets.get(name)!);
    const order = Array.from({ length: f.r }, (_, j) => j).sort((i, j) => Math.abs(f.s.data[j]!) - Math.abs(f.s.data[i]!) || i - j);
    const A = new Float64Array(N * f.r), S = new Float64Array(f.r), B = new Float64Array(f.r * K);
    order.forEach((j, r) => {
      S[r] = f.s.data[j]!;
      for (let n = 0; n < N; n++) A[n * f.r + r] = f.a.data[n * f.r + j]!;
      B.set(f.b.data.subarray(j * K, (j + 1) * K), r * K);
    });
    truncated.set(name, buildFactors(f.step, A, S, B, f.r, f.bias?.data ?? null, keep));
  }
  factors = truncated;
  net = factorisedNetwork(plan, base, factors);
  const opt2 = new Adam(s.retrainLr);
  for (let e = 0; e < s.retrainEpochs; e++) {
    const stats = trainEpoch(net, data, { batchSize: s.batchSize, rng, optimizer: opt2 });
    onEpoch({ ...stats, epoch: e + 1, epochs: s.retrainEpochs, phase: 'fine-tune', residual: null });
  }
  const factorised: FactorisedLayer[] = [];
  for (const f of factors.values()) {
    const K = f.step.fanIn, r = f.r;
    const first = new Float64Array(r * K);
    for (let j = 0; j < r; j++) for (let k = 0; k < K; k++) first[j * K + k] = f.s.data[j]! * f.b.data[j * K + k]!;
    factorised.push({ layer: f.step.name, step: f.step, rank: r, fullRank: Math.min(K, f.step.outputs), first, second: Float64Array.from(f.a.data), bias: f.bias ? Float64Array.from(f.bias.data) : null });
  }
  const others = new Map<string, { weight: Float64Array; bias: Float64Array | null }>();
  for (const op of base) {
    if ((op.kind === 'linear' || op.kind === 'conv') && !factors.has(op.layer)) {
      others.set(op.layer, { weight: Float64Array.from(op.weight.data), bias: op.bias ? Float64Array.from(op.bias.data) : null });
    }
  }
  return { factorised, others };
}
