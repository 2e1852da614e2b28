/**
 * Whole-network evaluation: the same images through three forward passes — float64 reference,
 * plain integer (`qx · q`) and the simulated macro (encoded segments through `simulate`, one run per
 * format) — with accuracy, an image-by-image check that the macro equals the integer path, and the
 * network's storage, mapping (all layers on the same M macros), cycles, energy, TOPS/W and the
 * non-IMC baselines, all **per image**.
 *
 * Per-image figures: images go through the network in batches of `batchImages` (one simulate call
 * per layer per batch; a re-written layer is written once per batch); cycles, energy and events are
 * summed over all batches and divided by the number of images. So "latency per image" is the
 * amortized (throughput) time at that batch size, layers run one after another.
 */
import { macroArea, slotShapeOf } from '../../macro-sim/area.js';
import { topsPerMm2 } from '../../macro-sim/metrics.js';
import { AREA_BAND_FACTOR, bandOf, type Band } from '../../macro-sim/uncertainty.js';
import { ConfigError, InputError } from '../../errors.js';
import { parseFormatSpec } from '../../formats/registry.js';
import type { EncodedMatrix, StorageFigures } from '../../formats/types.js';
import { sumStorage } from '../../formats/storage.js';
import { priceBaselines } from '../../macro-sim/baselines/registry.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import type { MappingResult } from '../../macro-sim/mapping.js';
import { placeModel, type PlacementReport, type Topology } from '../../macro-sim/placement.js';
import { workMetrics } from '../../macro-sim/metrics.js';
import type { TimingResult } from '../../macro-sim/timing.js';
import { perUnit, sumCosts, type EnergyFigures } from '../../macro-sim/totals.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import type { Tensor } from '../io/tensor.js';
import { argmaxRows, forwardFloat } from './forward-float.js';
import { forwardQuantized, integerProduct, type MatrixExecutor } from './forward-quantized.js';
import { resolveGraph, type GraphSpec, type NetworkPlan } from './graph.js';
import { createMacroRun, type MacroRun } from './macro-executor.js';
import { prepareNetwork, type QuantizationOptions } from './prepare.js';

/** How activations are scaled; see `forward-quantized.ts`. */
export const CALIBRATION = 'dynamic: per image, per layer, sx = max(layer input) / (2^b_x - 1) (MODEL §2)';

/** Options of {@link evaluateNetwork}. */
export interface EvaluateOptions {
  readonly graph: GraphSpec;
  /** Graph source name for messages. */
  readonly graphSource: string;
  /** The model file's arrays. */
  readonly model: readonly Tensor[];
  /** Inputs `[B, ...sampleShape]`. */
  readonly images: Tensor;
  /** Labels `[B]` (integers), or none: then only the output fidelity against the float model is reported. */
  readonly labels?: Tensor | null;
  /** Weight bits, pruning and scale groups of every conv/linear layer. */
  readonly quantization: Omit<QuantizationOptions, 'inputBits' | 'signedInputs'>;
  /** Format specs, one macro run each (`coo`, `rl:4`, `nm:2:4`, …); at least one. */
  readonly formats: readonly string[];
  /**
   * The macro. Its `inputBits` are every layer's activation bits; each layer's inputs are signed
   * when `signedInputs` is set or when the graph cannot prove them ≥ 0.
   */
  readonly macro: MacroConfig;
  /** Evaluate only the first `limit` images. */
  readonly limit?: number;
  /** Images per batch (per simulate call); default 100. */
  readonly batchImages?: number;
  /** Called after every batch with images done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Chips × macros per chip for the placement (their product must be `macro.macros`); default one chip of `macro.macros`. */
  readonly topology?: Topology;
}

/** Accuracies as fractions 0..1. */
export interface NetworkAccuracy {
  readonly float: number;
  readonly integer: number;
  /** Of the first format's macro run (every run's own figure is in `runs`). */
  readonly macro: number;
}

/** MODEL §7 metrics per image. */
export interface NetworkMetrics {
  readonly macsDense: number;
  readonly macsEffective: number;
  readonly topsPerWattDense: number;
  readonly topsPerWattEffective: number;
  readonly utilization: number;
}

/** One matrix layer on the macro, in one format (the shape of `run --json`, per image). */
export interface LayerReport {
  readonly name: string;
  readonly op: 'conv2d' | 'linear';
  readonly K: number;
  readonly N: number;
  /** Input vectors per image (output pixels for conv). */
  readonly vectorsPerImage: number;
  readonly nnz: number;
  readonly sparsity: number;
  readonly signedInputs: boolean;
  /** Canonical format of this layer's encoding. */
  readonly format: string;
  readonly storage: StorageFigures;
  readonly mapping: MappingResult;
  /** Weights stay in the macros between batches (else re-written every batch). */
  readonly resident: boolean;
  readonly timing: TimingResult;
  readonly energy: EnergyFigures;
  readonly metrics: NetworkMetrics;
}

/**
 * How close the quantized network (integer path = macro path, asserted image by image) comes to the
 * float model, label-free: SQNR `10·log10(Σ f² / Σ (f − q)²)` over all evaluated images (MODEL §7's
 * definition, applied to a layer's float output `f` and its quantized-path output `q`), at every
 * matrix layer's output (after its folded batch norm) and at the network's output. The errors
 * accumulate through the network: a layer's SQNR includes every earlier layer's quantization.
 */
export interface NetworkFidelity {
  /** SQNR of the network's output, dB (Infinity when equal). */
  readonly outputSqnrDb: number;
  /** Fraction of images whose output argmax equals the float model's. */
  readonly top1Agreement: number;
  readonly layers: readonly { readonly name: string; readonly op: 'conv2d' | 'linear'; readonly sqnrDb: number }[];
}

/** One format's run of the whole network. */
export interface FormatRun {
  readonly format: string;
  /** Accuracy of this format's macro run (null without labels). */
  readonly accuracy: number | null;
  /** Images whose final outputs differ from the integer path (must be 0). */
  readonly mismatchedImages: number;
  readonly layers: readonly LayerReport[];
  readonly total: {
    readonly storage: StorageFigures;
    readonly mapping: MappingResult;
    readonly timing: TimingResult;
    readonly energy: EnergyFigures;
    readonly metrics: NetworkMetrics;
    /** The macros' area laid out for this format, its calibration band and TOPS/mm² (per image). */
    readonly area: NetworkArea;
  };
  /** The model placed on the chips' macros (MeDNN-style, `macro-sim/placement.ts`): per layer and totals, per image. */
  readonly placement: PlacementReport;
}

/** Area figures of a network run: the macros laid out for the format. */
export interface NetworkArea {
  readonly totalMm2: number;
  readonly breakdownMm2: Record<string, number>;
  readonly bandMm2: Band;
  /** 2 · dense MACs per image / latency per image / 1000 / area. */
  readonly topsPerMm2: number;
}

/** A baseline summed over the network's layers, per image. */
export interface NetworkBaseline {
  readonly name: string;
  readonly energyPjPerImage: number;
  readonly topsPerWattDense: number;
  readonly topsPerWattEffective: number;
  readonly storageBits: number;
  readonly source: string;
}

/** Result of {@link evaluateNetwork}; JSON-serialisable. */
export interface NetworkReport {
  readonly network: string;
  readonly images: number;
  readonly batchImages: number;
  readonly weightBits: number;
  readonly inputBits: number;
  readonly prune: string;
  readonly granularity: string;
  readonly calibration: string;
  readonly macro: MacroConfig;
  /** Null when no labels were given. */
  readonly accuracy: NetworkAccuracy | null;
  readonly fidelity: NetworkFidelity;
  /** What binding the graph changed for the macro (batch norms folded, …). */
  readonly notes: readonly string[];
  /** True when every format's macro run equals the integer path on every image. */
  readonly macroMatchesInteger: boolean;
  readonly runs: readonly FormatRun[];
  readonly baselines: readonly NetworkBaseline[];
  /** Wall-clock seconds of the evaluation. */
  readonly seconds: number;
}

/**
 * Evaluate a network on labelled inputs: float, integer and macro accuracy and the macro's cost.
 * Throws InputError for inputs/labels that do not fit the graph, ConfigError for bad options, and
 * whatever preparation, encoding (e.g. an N:m violation) or simulation raises.
 */
export function evaluateNetwork(opts: EvaluateOptions): NetworkReport {
  const t0 = performance.now();
  const { images, labels } = opts;
  if (images.shape.length < 2) {
    throw new InputError('NETWORK_INPUTS', `inputs have shape [${images.shape.join(', ')}]; give a batch [B, ...sample] (e.g. [2000, 1, 28, 28])`);
  }
  const total = images.shape[0]!;
  const count = opts.limit === undefined ? total : Math.min(total, opts.limit);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
    throw new ConfigError('BAD_LIMIT', `--limit must be a positive integer; got ${opts.limit}`);
  }
  if (labels && (labels.shape.length !== 1 || labels.shape[0]! < count)) {
    throw new InputError('NETWORK_LABELS', `labels have shape [${labels.shape.join(', ')}]; need one label per input image (${count})`);
  }
  const batchImages = opts.batchImages ?? 100;
  if (!Number.isInteger(batchImages) || batchImages < 1) {
    throw new ConfigError('BAD_BATCH', `batch size must be a positive integer; got ${batchImages}`);
  }
  if (opts.formats.length === 0) throw new ConfigError('NO_FORMAT', 'give at least one format (e.g. --format coo)');

  const x = images.data instanceof BigInt64Array || images.data instanceof BigUint64Array ? tensorToFloat64(images) : images.data;
  let minX = 0;
  for (let i = 0; i < x.length; i++) if ((x[i] as number) < minX) minX = x[i] as number;
  const plan: NetworkPlan = resolveGraph(opts.graph, opts.model, opts.graphSource, images.shape.slice(1), minX >= 0);
  const classes = plan.outputShape.reduce((a, b) => a * b, 1);
  const lab = labels ? tensorToFloat64(labels) : null;
  for (let i = 0; lab && i < count; i++) {
    const v = lab[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new InputError('NETWORK_LABELS', `label ${i} is ${v}; labels must be class indices 0..${classes - 1} for a network with ${classes} outputs`);
    }
  }

  const net = prepareNetwork(plan, { ...opts.quantization, inputBits: opts.macro.inputBits, signedInputs: opts.macro.signedInputs });
  const runs: MacroRun[] = opts.formats.map((spec) => {
    const encoded: EncodedMatrix[] = net.layers.map((layer) => {
      const { codec, params } = parseFormatSpec(spec, layer.q.rows);
      return codec.encode(layer.q, params, { valueBits: net.weightBits, segmentRows: opts.macro.rows });
    });
    return createMacroRun(net, spec, encoded, opts.macro);
  });

  // Integer path with the input statistics the baselines need.
  const nonzeroInputs = new Float64Array(net.layers.length);
  const vectors = new Float64Array(net.layers.length);
  const integerExec: MatrixExecutor = (layer, li, xq, n) => {
    let nz = 0;
    for (let i = 0; i < xq.length; i++) if (xq[i] !== 0) nz++;
    nonzeroInputs[li] += nz;
    vectors[li] += n;
    return integerProduct(layer, xq, n);
  };

  // Fidelity: the steps whose float and quantized outputs are compared (each matrix layer's output,
  // after the batch norm folded into it, and the network's output).
  const reportStep = net.layers.map((l) => (l.step.foldedBatchnorm === null ? l.step.index : plan.steps.findIndex((s) => s.op === 'batchnorm' && s.name === l.step.foldedBatchnorm)));
  const tracked = new Set([...reportStep, plan.output]);
  const signal = new Map<number, number>(), noise = new Map<number, number>();
  let agree = 0;

  const per = plan.inputShape.reduce((a, b) => a * b, 1);
  let correctFloat = 0, correctInt = 0;
  const correctMacro = new Array<number>(runs.length).fill(0);
  const mismatched = new Array<number>(runs.length).fill(0);
  for (let start = 0; start < count; start += batchImages) {
    const B = Math.min(batchImages, count - start);
    const xb = x.subarray(start * per, (start + B) * per) as ArrayLike<number>;
    const floatOut = new Map<number, Float64Array>();
    const yf = forwardFloat(plan, xb, B, (s, y) => { if (tracked.has(s.index)) floatOut.set(s.index, y.slice()); });
    const pf = argmaxRows(yf, B, classes);
    const yi = forwardQuantized(net, xb, B, integerExec, (s, y) => {
      if (!tracked.has(s.index)) return;
      const f = floatOut.get(s.index)!;
      let sg = 0, ns = 0;
      for (let k = 0; k < f.length; k++) { const d = f[k]! - y[k]!; sg += f[k]! * f[k]!; ns += d * d; }
      signal.set(s.index, (signal.get(s.index) ?? 0) + sg);
      noise.set(s.index, (noise.get(s.index) ?? 0) + ns);
    });
    const pi = argmaxRows(yi, B, classes);
    for (let b = 0; b < B; b++) {
      if (pf[b] === pi[b]) agree++;
      if (!lab) continue;
      const want = lab[start + b]!;
      if (pf[b] === want) correctFloat++;
      if (pi[b] === want) correctInt++;
    }
    for (let r = 0; r < runs.length; r++) {
      const ym = forwardQuantized(net, xb, B, runs[r]!.executor);
      const pm = argmaxRows(ym, B, classes);
      for (let b = 0; b < B; b++) {
        if (lab && pm[b] === lab[start + b]) correctMacro[r]!++;
        for (let c = 0; c < classes; c++) {
          if (ym[b * classes + c] !== yi[b * classes + c]) { mismatched[r]!++; break; }
        }
      }
    }
    opts.onProgress?.(start + B, count);
  }

  const baselines = networkBaselines(net, nonzeroInputs, vectors, count);
  const topology = opts.topology ?? { chips: 1, macrosPerChip: opts.macro.macros };
  const formatRuns = runs.map((run, r) => formatRun(net, run, count, lab ? correctMacro[r]! / count : null, mismatched[r]!, opts.macro, topology));
  const sqnrAt = (j: number): number => 10 * Math.log10(signal.get(j)! / noise.get(j)!);
  const fidelity: NetworkFidelity = {
    outputSqnrDb: sqnrAt(plan.output),
    top1Agreement: agree / count,
    layers: net.layers.map((l, i) => ({ name: l.step.name, op: l.step.op, sqnrDb: sqnrAt(reportStep[i]!) })),
  };
  return {
    network: plan.name,
    images: count,
    batchImages,
    weightBits: net.weightBits,
    inputBits: net.inputBits,
    prune: net.prune,
    granularity: net.granularity,
    calibration: CALIBRATION,
    macro: opts.macro,
    accuracy: lab ? { float: correctFloat / count, integer: correctInt / count, macro: formatRuns[0]!.accuracy! } : null,
    fidelity,
    notes: plan.notes,
    macroMatchesInteger: mismatched.every((m) => m === 0),
    runs: formatRuns,
    baselines,
    seconds: (performance.now() - t0) / 1000,
  };
}

function formatRun(net: ReturnType<typeof prepareNetwork>, run: MacroRun, images: number, accuracy: number | null, mismatchedImages: number, macro: MacroConfig, topology: Topology): FormatRun {
  // Per image = the exact sums over every batch divided once by the image count.
  const raw = net.layers.map((_, i) => sumCosts(run.calls[i]!, macro.clockMHz));
  const layers: LayerReport[] = net.layers.map((layer, i) => {
    const enc = run.encoded[i]!;
    const mapping = run.modelMapping.layers[i]!;
    const cost = perUnit(raw[i]!, images, macro.clockMHz);
    return {
      name: layer.step.name,
      op: layer.step.op,
      K: layer.q.rows,
      N: layer.q.cols,
      vectorsPerImage: layer.vectorsPerSample,
      nnz: layer.nnz,
      sparsity: layer.sparsity,
      signedInputs: layer.signedInputs,
      format: enc.format,
      storage: enc.storage,
      mapping,
      resident: run.resident[i]!,
      timing: cost.timing,
      energy: cost.energy,
      metrics: { ...cost.metrics, utilization: mapping.utilization },
    };
  });
  const total = perUnit(sumCosts(raw, macro.clockMHz), images, macro.clockMHz);
  const placement = placeModel(layers.map((l, i) => ({ name: l.name, encoded: run.encoded[i]!, vectorsPerImage: l.vectorsPerImage, cost: l })), macro, topology);
  return {
    format: run.format,
    accuracy,
    mismatchedImages,
    layers,
    total: {
      storage: sumStorage(layers.map((l) => l.storage)),
      mapping: run.modelMapping.total,
      timing: total.timing,
      energy: total.energy,
      metrics: { ...total.metrics, utilization: run.modelMapping.total.utilization },
      area: networkArea(run, macro, total.metrics.macsDense, total.timing.latencyNs),
    },
    placement,
  };
}

function networkArea(run: MacroRun, macro: MacroConfig, macsDense: number, latencyNs: number): NetworkArea {
  const a = macroArea(macro, slotShapeOf(run.encoded[0]!), macro.area);
  return {
    totalMm2: a.totalMm2,
    breakdownMm2: a.breakdownMm2,
    bandMm2: bandOf(a.totalMm2, AREA_BAND_FACTOR),
    topsPerMm2: topsPerMm2(macsDense, latencyNs, a.totalMm2),
  };
}

/** The counted baselines (macro-sim/baselines/registry.ts) over each layer's workload, summed, per image. */
function networkBaselines(net: ReturnType<typeof prepareNetwork>, nonzeroInputs: Float64Array, vectors: Float64Array, images: number): NetworkBaseline[] {
  const perLayer = net.layers.map((layer, i) =>
    priceBaselines({
      rows: layer.q.rows, cols: layer.q.cols, batch: vectors[i]!, nnz: layer.nnz,
      valueBits: net.weightBits, inputBits: net.inputBits, nonzeroInputs: nonzeroInputs[i]!, q: layer.q,
    }),
  );
  return perLayer[0]!.map((first, b) => {
    let energyPj = 0, macsDense = 0, macsEffective = 0, storageBits = 0;
    for (let i = 0; i < net.layers.length; i++) {
      const layer = net.layers[i]!, r = perLayer[i]![b]!;
      energyPj += r.energyPj;
      storageBits += r.storageBits;
      macsDense += layer.q.rows * layer.q.cols * vectors[i]!;
      macsEffective += layer.nnz * vectors[i]!;
    }
    const m = workMetrics(macsDense, macsEffective, energyPj);
    return { name: first.name, energyPjPerImage: energyPj / images, topsPerWattDense: m.topsPerWattDense, topsPerWattEffective: m.topsPerWattEffective, storageBits, source: first.source };
  });
}
