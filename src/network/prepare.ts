/**
 * The prepared network: every conv/linear layer's weights pruned and quantized once (MODEL §1–3),
 * plus a compressed-sparse-column copy of each integer matrix for the plain integer path.
 *
 * Layouts: conv weights are PyTorch OIHW → `[K = I·kh·kw, N = O]` (layout `oihw`, K order `(i, h, w)`,
 * the order {@link im2col} produces); linear weights `[out, in]` → `[K = in, N = out]` (layout `oi`).
 */
import { ConfigError } from '../../errors.js';
import type { IntMatrix } from '../../formats/types.js';
import { prepareWeights, type PreparedWeights } from '../prep/prepare.js';
import { formatPruneSpec, parsePruneSpec, type PruneSpec } from '../prep/prune.js';
import { checkInputBits, type Granularity } from '../prep/quantize.js';
import { isMatrixStep, type MatrixStep, type NetworkPlan } from './graph.js';

/** How to prepare a network's weights and quantize its activations. */
export interface QuantizationOptions {
  /** Weight bits b_w (2..16). */
  readonly weightBits: number;
  /** Activation (input) bits b_x (1..16 unsigned, 2..16 signed). */
  readonly inputBits: number;
  /** Pruning rule applied to every conv/linear layer (MODEL §3); default none. */
  readonly prune?: string | PruneSpec;
  /** Weight scale groups (MODEL §2); default per output column. */
  readonly granularity?: Granularity;
  /** Quantize every layer's inputs signed; default only where the graph cannot prove them ≥ 0. */
  readonly signedInputs?: boolean;
}


/** One conv/linear layer, prepared. */
export interface PreparedLayer {
  readonly step: MatrixStep;
  /** The full preparation record (float, pruned and integer matrices, scales, sparsity). */
  readonly weights: PreparedWeights;
  /** The final integer matrix `[K, N]`. */
  readonly q: IntMatrix;
  /** Weight scale per column (length N) or one (per-tensor): `w ≈ q · s`. */
  readonly scales: Float64Array;
  /** Nonzeros of `q`. */
  readonly nnz: number;
  /** Sparsity of `q` (MODEL §3: of the final integer matrix). */
  readonly sparsity: number;
  /** Input vectors per sample: output pixels for conv, 1 for linear. */
  readonly vectorsPerSample: number;
  /** Whether the layer's inputs are quantized signed (they can be negative) or unsigned. */
  readonly signedInputs: boolean;
}

/** A network with every matrix layer prepared. */
export interface PreparedNetwork {
  readonly plan: NetworkPlan;
  /** Prepared matrix layers, in network order. */
  readonly layers: readonly PreparedLayer[];
  /** Step index → index in `layers`. */
  readonly layerOfStep: ReadonlyMap<number, number>;
  readonly weightBits: number;
  readonly inputBits: number;
  /** Canonical prune spec (`none`, `magnitude:0.9`, …). */
  readonly prune: string;
  readonly granularity: Granularity;
}

/**
 * Prune and quantize every conv/linear layer of a plan (MODEL §2–3, via `src/prep`).
 * @example prepareNetwork(plan, { weightBits: 8, inputBits: 8, prune: 'magnitude:0.9' }).layers[0].sparsity // ≈ 0.9
 */
export function prepareNetwork(plan: NetworkPlan, opts: QuantizationOptions): PreparedNetwork {
  const spec = opts.prune === undefined ? ({ kind: 'none' } as const) : typeof opts.prune === 'string' ? parsePruneSpec(opts.prune) : opts.prune;
  const granularity = opts.granularity ?? 'per-column';
  checkInputBits(opts.inputBits);
  const layers: PreparedLayer[] = [];
  const layerOfStep = new Map<number, number>();
  for (const step of plan.steps) {
    if (!isMatrixStep(step)) continue;
    const signedInputs = opts.signedInputs === true || !step.inputNonNegative;
    if (signedInputs) checkInputBits(opts.inputBits, true);
    const weights = prepareWeights(step.macroWeight, { layout: step.op === 'conv2d' ? 'oihw' : 'oi', prune: spec, weightBits: opts.weightBits, granularity });
    if (weights.K !== step.fanIn || weights.N !== step.outputs) {
      throw new ConfigError('NETWORK_LAYOUT', `layer ${step.name}: weight gives a ${weights.K}×${weights.N} matrix, expected ${step.fanIn}×${step.outputs}`);
    }
    const q = weights.q;
    layerOfStep.set(step.index, layers.length);
    layers.push({
      step,
      weights,
      q,
      scales: weights.scales,
      nnz: weights.nnz,
      sparsity: weights.sparsity,
      vectorsPerSample: step.op === 'conv2d' ? step.outShape[1]! * step.outShape[2]! : 1,
      signedInputs,
    });
  }
  return { plan, layers, layerOfStep, weightBits: opts.weightBits, inputBits: opts.inputBits, prune: formatPruneSpec(spec), granularity };
}

