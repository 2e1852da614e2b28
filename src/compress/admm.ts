/**
 * Retraining that prunes and quantizes: ADMM-NN (Ren et al., "ADMM-NN: An Algorithm-Hardware
 * Co-Design Framework of DNNs Using Alternating Direction Methods of Multipliers", ASPLOS 2019) and
 * the plain prune-then-retrain baseline.
 *
 * ADMM (§3 of the paper): minimise loss(W) subject to W ∈ S by alternating
 *   W ← train on loss(W) + Σ_l ρ/2 ‖W_l − Z_l + U_l‖²   (one epoch of Adam per round)
 *   Z_l ← Π_S(W_l + U_l),  U_l ← U_l + W_l − Z_l,  ρ ← ρ · growth,
 * then hard-prune W ← Π_S(W) and retrain with the pruned entries held at zero. Joint quantization
 * (§4) runs the same iteration during the masked retraining with Π onto the b-bit levels, and ends
 * with W ← Π_Q(W), so the written weights sit exactly on the levels `run`/`eval` quantize to.
 *
 * `magnitude-retrain` prunes once by the same projection and retrains masked for all epochs (Han et
 * al., "Learning both Weights and Connections", NeurIPS 2015), then rounds to the levels.
 */
import type { PruneSpec } from '../prep/prune.js';
import { Xoshiro128ss } from '../../macro-sim/rng.js';
import { projectPrune, projectQuantize } from './structure.js';
import type { Param, TrainableNetwork } from './trainable-network.js';
import { Adam, trainEpoch, type EpochStats, type LabelledSet } from './training.js';

/** A layer being compressed: its weight (`[K, N]` column-major) and the rule it must satisfy. */
export interface CompressedLayer {
  readonly layer: string;
  readonly weight: Param;
  readonly K: number;
  readonly N: number;
  readonly spec: PruneSpec;
}

/** Training schedule of `compress` (defaults in {@link DEFAULT_SCHEDULE}). */
export interface Schedule {
  /** ADMM rounds (one epoch each) before the hard prune; for magnitude-retrain, extra masked epochs. */
  readonly admmEpochs: number;
  /** Masked retraining epochs after the hard prune (with the quantization ADMM when bits are set). */
  readonly retrainEpochs: number;
  readonly batchSize: number;
  /** Adam learning rate of the ADMM phase. */
  readonly lr: number;
  /** Adam learning rate of the masked retraining. */
  readonly retrainLr: number;
  /** Initial ρ and its growth per round (ADMM-NN increases ρ progressively). */
  readonly rho: number;
  readonly rhoGrowth: number;
  readonly seed: number;
}

/** Defaults, chosen on LeNet-300-100 and LeNet-5 (docs/COMPRESSION-RESULTS.md). */
export const DEFAULT_SCHEDULE: Schedule = {
  admmEpochs: 8,
  retrainEpochs: 6,
  batchSize: 64,
  lr: 1e-3,
  retrainLr: 5e-4,
  rho: 1e-3,
  rhoGrowth: 1.6,
  seed: 1,
};

/** One epoch's report. */
export interface EpochReport extends EpochStats {
  readonly epoch: number;
  readonly phase: 'admm' | 'retrain' | 'fine-tune';
  readonly epochs: number;
  /** ADMM primal residual Σ‖W − Z‖² / Σ‖W‖² after the round (null outside ADMM rounds). */
  readonly residual: number | null;
}

/** Π of a layer: prune, then (when `bits`) quantize what remains. */
function project(l: CompressedLayer, w: Float64Array, bits: number | null): Float64Array {
  const p = projectPrune(w, l.K, l.N, l.spec);
  return bits === null ? p : projectQuantize(p, l.K, l.N, bits);
}

/** Mask of the nonzeros of `w` (1 = trainable). */
function maskOf(w: Float64Array): Uint8Array {
  const m = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) m[i] = w[i] !== 0 ? 1 : 0;
  return m;
}

/**
 * ADMM rounds towards Z = Π(W + U) for `layers`, `epochs` of them; returns the reports. `quantOnly`
 * projects onto the quantization levels of the (already masked) weights only.
 */
function admmRounds(
  net: TrainableNetwork, layers: readonly CompressedLayer[], data: LabelledSet, s: Schedule, rng: Xoshiro128ss,
  optimizer: Adam, epochs: number, proj: (l: CompressedLayer, w: Float64Array) => Float64Array,
  phase: EpochReport['phase'], onEpoch: (r: EpochReport) => void,
): void {
  const Z = layers.map((l) => proj(l, l.weight.data));
  const U = layers.map((l) => new Float64Array(l.weight.data.length));
  let rho = s.rho;
  for (let e = 0; e < epochs; e++) {
    const stats = trainEpoch(net, data, {
      batchSize: s.batchSize, rng, optimizer,
      extraGradient: () => {
        for (let i = 0; i < layers.length; i++) {
          const w = layers[i]!.weight, z = Z[i]!, u = U[i]!, g = w.grad, d = w.data;
          for (let k = 0; k < d.length; k++) g[k] += rho * (d[k]! - z[k]! + u[k]!);
        }
      },
    });
    let num = 0, den = 0;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i]!, w = l.weight.data, u = U[i]!;
      const wu = new Float64Array(w.length);
      for (let k = 0; k < w.length; k++) wu[k] = w[k]! + u[k]!;
      const z = proj(l, wu);
      Z[i] = z;
      for (let k = 0; k < w.length; k++) {
        const r = w[k]! - z[k]!;
        u[k] += r;
        num += r * r;
        den += w[k]! * w[k]!;
      }
    }
    rho *= s.rhoGrowth;
    onEpoch({ ...stats, epoch: e + 1, epochs, phase, residual: den > 0 ? num / den : 0 });
  }
}

/**
 * Compress `layers` of `net` in place by `method`; every weight ends on its structure (exactly) and,
 * with `bits`, on its quantization levels (exactly). `onEpoch` is called after every epoch.
 */
export function retrain(
  net: TrainableNetwork,
  layers: readonly CompressedLayer[],
  data: LabelledSet,
  method: 'admm' | 'magnitude-retrain',
  bits: number | null,
  s: Schedule,
  onEpoch: (r: EpochReport) => void = () => {},
): void {
  const rng = Xoshiro128ss.fromSeed(s.seed);
  if (method === 'admm') {
    const opt = new Adam(s.lr);
    // Phase 1: ADMM pruning (with the quantization levels in Π, jointly: ADMM-NN §4).
    admmRounds(net, layers, data, s, rng, opt, s.admmEpochs, (l, w) => project(l, w, bits), 'admm', onEpoch);
  }
  // Hard prune, then masked retraining.
  for (const l of layers) {
    l.weight.data.set(projectPrune(l.weight.data, l.K, l.N, l.spec));
    l.weight.mask = maskOf(l.weight.data);
  }
  const retrainEpochs = method === 'admm' ? s.retrainEpochs : s.admmEpochs + s.retrainEpochs;
  const opt = new Adam(s.retrainLr);
  if (bits !== null && method === 'admm') {
    // Masked retraining under the quantization ADMM: Z = Π_Q(W + U) (masked entries stay 0).
    admmRounds(net, layers, data, s, rng, opt, retrainEpochs, (l, w) => projectQuantize(maskApply(w, l.weight.mask!), l.K, l.N, bits), 'retrain', onEpoch);
  } else {
    for (let e = 0; e < retrainEpochs; e++) {
      const stats = trainEpoch(net, data, { batchSize: s.batchSize, rng, optimizer: opt });
      onEpoch({ ...stats, epoch: e + 1, epochs: retrainEpochs, phase: 'retrain', residual: null });
    }
  }
  if (bits !== null) for (const l of layers) l.weight.data.set(projectQuantize(l.weight.data, l.K, l.N, bits));
  for (const l of layers) l.weight.mask = null;
}

function maskApply(w: Float64Array, mask: Uint8Array): Float64Array {
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = mask[i] ? w[i]! : 0;
  return out;
}
