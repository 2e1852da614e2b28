/**
 * `compress` as one library call: a trained model, its graph and labelled digits in; a pruned,
 * quantized (and for `svd`, factorised) state dict out, with its accuracy on the held-out set and
 * its cost on the macro in every format.
 *
 * The accuracy `compress` reports after compression is `eval`'s: the written arrays (float32, as in
 * the file) are run through {@link evaluateNetwork} with the same weight bits and macro, so
 * `imc-sim eval out.npz …` prints the same figure (the written weights sit exactly on the b-bit
 * levels, so `eval`'s quantization gives back the trained integers).
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { ConfigError, InputError } from '../../errors.js';
import { splitFormatList } from '../../formats/registry.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { breakEvenFile } from '../breakeven/break-even.js';
import { loadTensorFile, selectArray, writeFileAtomic, type TensorFile } from '../io/load.js';
import { loadMacroConfig, type MacroOverrides, type MacroSource } from '../io/macro-file.js';
import { encodeNpz } from '../io/npz.js';
import { mergePrunedPairs } from '../io/npz-postprocess.js';
import { encodeSafetensors } from '../io/safetensors.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import { evaluateNetwork, type NetworkReport } from '../network/evaluate.js';
import { loadGraphFile } from '../network/graph-file.js';
import { isMatrixStep, resolveGraph, type GraphSpec, type MatrixStep, type NetworkPlan } from '../network/graph.js';
import { checkWeightBits } from '../prep/quantize.js';
import { formatPruneSpec, type PruneSpec } from '../prep/prune.js';
import { DEFAULT_SCHEDULE, retrain, type CompressedLayer, type EpochReport, type Schedule } from './admm.js';
import { formatStructure, parseSparsityTargets, parseStructure, pruneSpecFor, type Structure } from './structure.js';
import { svdTrain } from './svd-training.js';
import { TrainableNetwork, trainOpsOfPlan } from './trainable-network.js';
import { floatAccuracy, type LabelledSet } from './training.js';

import { COMPRESS_METHODS, type CompressMethod } from './compress-methods.js';
export { COMPRESS_METHODS, type CompressMethod };

/** Options of {@link compressModel} (the `imc-sim compress` flags as data). */
export interface CompressOptions {
  /** The trained model: a path or a loaded file (PyTorch-layout state dict). */
  readonly model: string | TensorFile;
  /** The network graph (YAML/JSON path). */
  readonly graph: string;
  /** Training images `[n, ...]` and labels `[n]`. */
  readonly train: string | Tensor;
  readonly trainLabels: string | Tensor;
  /** Held-out images and labels: every reported accuracy is on these. */
  readonly test: string | Tensor;
  readonly testLabels: string | Tensor;
  /** Default `admm`. */
  readonly method?: CompressMethod;
  /** `magnitude` (default), `nm:N:m`, `block:bk:bn`, `bcr:bk:bn`, `column`; ignored by `svd`. */
  readonly structure?: string;
  /** `0.9`, `fc1=0.95,conv1=0.5` or `0.9,fc3=0.5` (svd: the fraction of weights the factors remove). */
  readonly sparsity?: string | number;
  /** Weight bits of the written model (2..16); default 8. */
  readonly weightBits?: number;
  /** Leave dense every layer whose target lies below its energy break-even in `formats[1]` (ADMM-NN's hardware-aware step). */
  readonly hardwareAware?: boolean;
  /** Formats the result is costed in; default `dense,bitmask,coo,rl:4` (+ the structure's `nm:N:m`). */
  readonly formats?: string | readonly string[];
  readonly macro?: MacroSource;
  readonly macroOverrides?: MacroOverrides;
  /** Training schedule overrides. */
  readonly schedule?: Partial<Schedule>;
  /** Use only the first n training / test images. */
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /** Output file (`.npz` or `.safetensors`); none = report only. */
  readonly output?: string;
  /** `zeros` (pruned weights stored as 0, default) or `torch` (`weight_orig` + `weight_mask`). */
  readonly masks?: 'zeros' | 'torch';
  /** Graph written for an `svd` result (default: the output's name with `.graph.yaml`). */
  readonly graphOutput?: string;
  /** Called after every training epoch. */
  readonly onEpoch?: (r: EpochReport) => void;
}

/** One matrix layer of the compressed model. */
export interface CompressLayerRow {
  readonly name: string;
  readonly K: number;
  readonly N: number;
  /** Dense weights of the original layer. */
  readonly weights: number;
  /** The rule the layer was trained to (`magnitude:0.95`, `nm:2:4`, `svd:rank 42`, `none`). */
  readonly rule: string;
  /** Kept rank (svd), else null. */
  readonly rank: number | null;
  /** Nonzero integer weights on the macro (svd: of both factors). */
  readonly nnz: number;
  /** 1 − nnz / weights. */
  readonly sparsity: number;
  /** Energy break-even sparsity of the hardware-aware step (null: not computed or not reached). */
  readonly breakEvenSparsity: number | null;
  /** Storage bits per format (svd: both factors). */
  readonly storageBits: Record<string, number>;
  /** Macro energy per image per format (pJ). */
  readonly energyPjPerImage: Record<string, number>;
}

/** Every layer in the format that costs it the least energy, and the totals of that assignment. */
export interface PerLayerBest {
  readonly formats: Record<string, string>;
  readonly energyPjPerImage: number;
  readonly storageBits: number;
}

/**
 * Choose each layer's least-energy format (ties: the first in the report's order) and total it.
 * @example perLayerBest([{ name: 'fc1', energyPjPerImage: { dense: 5, coo: 3 }, storageBits: { dense: 80, coo: 40 } }]).formats // → { fc1: 'coo' }
 */
export function perLayerBest(layers: readonly Pick<CompressLayerRow, 'name' | 'energyPjPerImage' | 'storageBits'>[]): PerLayerBest {
  const formats: Record<string, string> = {};
  let energy = 0, storage = 0;
  for (const l of layers) {
    let best = '';
    for (const [f, e] of Object.entries(l.energyPjPerImage)) if (best === '' || e < l.energyPjPerImage[best]!) best = f;
    formats[l.name] = best;
    energy += l.energyPjPerImage[best]!;
    storage += l.storageBits[best]!;
  }
  return { formats, energyPjPerImage: energy, storageBits: storage };
}

/** The document `compress` returns (and prints with `--json`). */
export interface CompressReport {
  readonly network: string;
  readonly method: CompressMethod;
  readonly structure: string;
  readonly weightBits: number;
  readonly inputBits: number;
  readonly schedule: Schedule;
  readonly trainImages: number;
  readonly testImages: number;
  /** Accuracies (0..1) on the held-out images: float and on the macro (b-bit weights), before and after. */
  readonly accuracy: { readonly floatBefore: number; readonly macroBefore: number; readonly floatAfter: number; readonly macroAfter: number };
  readonly layers: readonly CompressLayerRow[];
  readonly total: {
    readonly weights: number;
    readonly nnz: number;
    /** weights / nnz. */
    readonly compression: number;
    readonly storageBits: Record<string, number>;
    readonly energyPjPerImage: Record<string, number>;
    /** Format with the least energy per image (one format for every layer). */
    readonly bestFormat: string;
    /** The original (uncompressed) model, dense, on the same macro: the reference of every gain. */
    readonly originalDenseEnergyPjPerImage: number;
    /** Each layer in its own least-energy format (the SP-IMC macro stores COO, RL and N:m side by side). */
    readonly perLayerBest: PerLayerBest;
  };
  readonly epochs: readonly EpochReport[];
  readonly output: { readonly file: string; readonly graph: string | null } | null;
  readonly seconds: number;
}

/** Result of {@link compressModel}. */
export interface CompressResult {
  readonly document: CompressReport;
  /** The written state dict's arrays (as written: float32). */
  readonly tensors: Tensor[];
  /** The graph of the compressed model (the input graph, or the factorised one for svd). */
  readonly graph: GraphSpec;
  readonly macro: MacroConfig;
  /** `eval`'s report of the compressed model on the held-out images. */
  readonly evaluation: NetworkReport;
}

/** An array given as a path (its one array) or already loaded. */
const loadT = (v: string | Tensor): Tensor => (typeof v === 'string' ? selectArray(loadTensorFile(v)) : v);

/** Flatten images and labels into a training set; labels checked against the class count. */
function labelledSet(images: Tensor, labels: Tensor, plan: NetworkPlan, limit: number | undefined, what: string): LabelledSet {
  const per = plan.inputShape.reduce((a, b) => a * b, 1);
  const total = images.shape[0] ?? 0;
  if (images.shape.length < 2 || images.shape.slice(1).reduce((a, b) => a * b, 1) !== per) {
    throw new InputError('COMPRESS_DATA', `${what} images have shape [${images.shape.join(', ')}]; the graph takes samples of [${plan.inputShape.join(', ')}]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== total) {
    throw new InputError('COMPRESS_DATA', `${what} labels have shape [${labels.shape.join(', ')}] but there are ${total} ${what} images; give one label per image`);
  }
  const n = limit === undefined ? total : Math.min(total, limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new ConfigError('BAD_LIMIT', `the ${what} limit must be a positive integer; got ${limit}`);
  const xs = tensorToFloat64(images).subarray(0, n * per);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]!)) throw new InputError('COMPRESS_DATA', `${what} images hold a non-finite value at flat index ${i}`);
  }
  const classes = plan.outputShape[0]!;
  const lab = tensorToFloat64(labels), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lab[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw new InputError('COMPRESS_DATA', `${what} label ${i} is ${v}; labels must be class indices 0..${classes - 1}`);
    y[i] = v;
  }
  return { x: Float64Array.from(xs), labels: y, n };
}

/** Per-layer targets: every matrix layer of the plan gets one (0 = leave dense); unknown names refused. */
function layerTargets(plan: NetworkPlan, sparsity: string | number | undefined, structure: Structure | null): Map<string, number> {
  const steps = plan.steps.filter(isMatrixStep);
  const names = steps.map((s) => s.name);
  if (sparsity === undefined && structure?.kind !== 'nm') {
    throw new ConfigError('BAD_SPARSITY', `give --sparsity (one value, e.g. 0.9, or per layer, e.g. ${names[0]}=0.95)`);
  }
  const t = parseSparsityTargets(sparsity ?? 0.5);
  for (const name of t.perLayer.keys()) {
    if (!names.includes(name)) throw new ConfigError('BAD_SPARSITY', `--sparsity names layer '${name}', which the graph does not have; its matrix layers are ${names.join(', ')}`);
  }
  const out = new Map<string, number>();
  for (const n of names) out.set(n, t.perLayer.get(n) ?? t.default ?? 0);
  return out;
}

/** A float64 array as the float32 tensor that is written. */
const f32 = (name: string, shape: readonly number[], v: ArrayLike<number>): Tensor => ({ name, dtype: 'float32', shape, data: Float32Array.from(v) });

/**
 * Compress a model (see {@link CompressOptions}); writes `output` (and, for svd, its graph) only
 * after everything succeeded.
 * @example compressModel({ model: 'lenet300.npz', graph: 'lenet300.graph.yaml', train: 'tr.npy', trainLabels: 'trl.npy', test: 'te.npy', testLabels: 'tel.npy', sparsity: '0.9', output: 'out.npz' })
 */
export function compressModel(o: CompressOptions): CompressResult {
  const t0 = performance.now();
  const method = o.method ?? 'admm';
  if (!(COMPRESS_METHODS as readonly string[]).includes(method)) throw new ConfigError('BAD_METHOD', `unknown method '${method}'; use ${COMPRESS_METHODS.join(', ')}`);
  const weightBits = o.weightBits ?? 8;
  checkWeightBits(weightBits);
  const structure = method === 'svd' ? null : parseStructure(o.structure ?? 'magnitude');
  const schedule: Schedule = { ...DEFAULT_SCHEDULE, ...(o.schedule ?? {}) };
  checkSchedule(schedule);
  if (o.output !== undefined && !/\.(npz|safetensors)$/i.test(o.output)) {
    throw new ConfigError('BAD_OUTPUT', `output ${o.output}: write a .npz or .safetensors state dict`);
  }
  if (o.masks !== undefined && o.masks !== 'zeros' && o.masks !== 'torch') throw new ConfigError('BAD_MASKS', `--masks must be zeros or torch; got ${o.masks}`);
  if (method === 'svd' && o.masks === 'torch') throw new ConfigError('BAD_MASKS', 'an svd result has no pruning masks; drop --masks torch');
  const macro = loadMacroConfig(o.macro, o.macroOverrides);
  const loaded = typeof o.model === 'string' ? loadTensorFile(o.model) : o.model;
  const { graph, extraTensors } = loadGraphFile(o.graph);
  const modelFile: TensorFile = extraTensors.length > 0 ? { ...loaded, tensors: [...loaded.tensors, ...extraTensors] } : loaded;
  const trainX = loadT(o.train), trainY = loadT(o.trainLabels);
  const testX = loadT(o.test), testY = loadT(o.testLabels);
  const plan = resolveGraph(graph, modelFile.tensors, o.graph, testX.shape.slice(1));
  if (plan.outputShape.length !== 1) throw new ConfigError('COMPRESS_GRAPH', `the network's output has shape [${plan.outputShape.join(', ')}]; compress needs class logits (end the graph with a linear layer)`);
  const train = labelledSet(trainX, trainY, plan, o.trainLimit, 'training');
  const test = labelledSet(testX, testY, plan, o.testLimit, 'test');
  const targets = layerTargets(plan, o.sparsity, structure);
  const formats = splitFormatList(o.formats ?? defaultFormats(structure, [...targets.values()].every((t) => t > 0)));
  const steps = plan.steps.filter(isMatrixStep);
  const specs = new Map<string, PruneSpec>();
  if (structure) for (const s of steps) specs.set(s.name, pruneSpecFor(structure, targets.get(s.name)!, s.fanIn, s.outputs, s.name));

  // Hardware-aware (ADMM-NN §5): a layer whose target cannot reach the energy break-even stays dense.
  const breakEven = new Map<string, number | null>();
  if (o.hardwareAware) {
    const fmt = formats.find((f) => !/^(dense|bitmask)/.test(f));
    if (!fmt) throw new ConfigError('HARDWARE_AWARE_FORMAT', '--hardware-aware needs a compressed format (coo, rl, nm) in --format');
    const st = structure && structure.kind !== 'column' && structure.kind !== 'nm' ? formatStructure(structure) : 'magnitude';
    const rows = breakEvenFile({ file: modelFile, formats: [fmt], structure: st, weightBits, macro, ...(o.macroOverrides ? { macroOverrides: o.macroOverrides } : {}) }).rows;
    for (const s of steps) {
      const row = rows.find((r) => r.layer === s.weight.name || r.layer === s.name);
      const be = row?.energySparsity ?? null;
      breakEven.set(s.name, be);
      if (targets.get(s.name)! > 0 && (be === null || targets.get(s.name)! < be)) {
        targets.set(s.name, 0);
        if (structure) specs.set(s.name, { kind: 'none' });
      }
    }
  }

  const evalOf = (g: GraphSpec, tensors: readonly Tensor[], fmts: readonly string[], source: string): NetworkReport =>
    evaluateNetwork({
      graph: g, graphSource: source, model: tensors, images: testX, labels: testY,
      quantization: { weightBits, prune: 'none', granularity: 'per-column' }, formats: fmts, macro, limit: test.n,
    });
  const before = evalOf(graph, modelFile.tensors, ['dense'], o.graph);

  const epochs: EpochReport[] = [];
  const onEpoch = (r: EpochReport): void => { epochs.push(r); o.onEpoch?.(r); };
  let outTensors: Tensor[];
  let outGraph: GraphSpec = graph;
  const ruleOf = new Map<string, { rule: string; rank: number | null; parts: string[] }>();
  let floatAfter: number;
  const replaced = new Set<string>();
  if (method === 'svd') {
    const svdTargets = new Map([...targets].filter(([, v]) => v > 0));
    const { factorised, others } = svdTrain(plan, svdTargets, train, schedule, undefined, onEpoch);
    outTensors = [];
    const layers: GraphSpec['layers'] = [];
    const fByName = new Map(factorised.map((f) => [f.layer, f]));
    for (let i = 0; i < graph.layers.length; i++) {
      const L = graph.layers[i]!;
      const step = plan.steps[i]!;
      if (!isMatrixStep(step) || (L.op !== 'conv2d' && L.op !== 'linear')) { layers.push(L); continue; }
      const f = fByName.get(step.name);
      if (!f) {
        const w = others.get(step.name)!;
        outTensors.push(f32(step.weight.name, step.weight.shape, w.weight));
        if (w.bias && L.bias) outTensors.push(f32(L.bias, [step.outputs], w.bias));
        replaced.add(step.weight.name); if (L.bias) replaced.add(L.bias);
        layers.push(L);
        ruleOf.set(step.name, { rule: 'none', rank: null, parts: [step.name] });
        continue;
      }
      const n0 = `${step.name}.0`, n1 = `${step.name}.1`;
      const conv = step.op === 'conv2d';
      outTensors.push(f32(`${n0}.weight`, conv ? [f.rank, ...step.weight.shape.slice(1)] : [f.rank, step.fanIn], f.first));
      outTensors.push(f32(`${n1}.weight`, conv ? [step.outputs, f.rank, 1, 1] : [step.outputs, f.rank], f.second));
      if (f.bias) outTensors.push(f32(`${n1}.bias`, [step.outputs], f.bias));
      replaced.add(step.weight.name); if (L.bias) replaced.add(L.bias);
      if (L.op === 'conv2d') {
        layers.push({ op: 'conv2d', name: n0, weight: `${n0}.weight`, ...(L.stride !== undefined ? { stride: L.stride } : {}), ...(L.padding !== undefined ? { padding: L.padding } : {}) });
        layers.push({ op: 'conv2d', name: n1, weight: `${n1}.weight`, ...(f.bias ? { bias: `${n1}.bias` } : {}) });
      } else {
        layers.push({ op: 'linear', name: n0, weight: `${n0}.weight` });
        layers.push({ op: 'linear', name: n1, weight: `${n1}.weight`, ...(f.bias ? { bias: `${n1}.bias` } : {}) });
      }
      ruleOf.set(step.name, { rule: `svd:rank ${f.rank}/${f.fullRank}`, rank: f.rank, parts: [n0, n1] });
    }
    outGraph = { ...graph, name: `${plan.name}-svd`, description: `${plan.name} with SVD-trained low-rank layers (imc-sim compress --method svd)`, layers };
    for (const t of modelFile.tensors) if (!replaced.has(t.name)) outTensors.push(asWritable(t));
    floatAfter = evalOf(outGraph, outTensors, ['dense'], 'compressed graph').accuracy!.float;
  } else {
    const net = new TrainableNetwork(trainOpsOfPlan(plan), train.x.length / train.n, plan.outputShape[0]!);
    const byLayer = new Map(steps.map((s) => [s.name, s]));
    const layers: CompressedLayer[] = [];
    for (const op of net.ops) {
      if (op.kind !== 'linear' && op.kind !== 'conv') continue;
      const spec = specs.get(op.layer)!;
      layers.push({ layer: op.layer, weight: op.weight, K: op.K, N: op.N, spec });
      ruleOf.set(op.layer, { rule: formatPruneSpec(spec), rank: null, parts: [op.layer] });
    }
    retrain(net, layers, train, method, weightBits, schedule, onEpoch);
    floatAfter = floatAccuracy(net, test);
    outTensors = [];
    for (const op of net.ops) {
      if (op.kind !== 'linear' && op.kind !== 'conv') continue;
      const step = byLayer.get(op.layer)!;
      outTensors.push(...weightTensors(step, op.weight.data, o.masks ?? 'zeros'));
      replaced.add(step.weight.name);
      if (op.bias) {
        const bName = (graph.layers[step.index] as { bias?: string }).bias!;
        outTensors.push(f32(bName, [step.outputs], op.bias.data));
        replaced.add(bName);
      }
    }
    for (const t of modelFile.tensors) if (!replaced.has(t.name)) outTensors.push(asWritable(t));
  }

  // What `eval` reports on the written model: the same arrays, quantized by the same code.
  const readBack = o.masks === 'torch' ? mergePrunedPairs(outTensors, o.output ?? 'compressed model') : outTensors;
  const evaluation = evalOf(outGraph, readBack, formats, o.output ?? 'compressed model');
  const run0 = evaluation.runs[0]!;
  const rows: CompressLayerRow[] = steps.map((s) => {
    const r = ruleOf.get(s.name)!;
    const parts = r.parts.map((p) => run0.layers.findIndex((l) => l.name === p));
    const nnz = parts.reduce((a, i) => a + run0.layers[i]!.nnz, 0);
    const storageBits: Record<string, number> = {}, energy: Record<string, number> = {};
    for (const run of evaluation.runs) {
      storageBits[run.format] = parts.reduce((a, i) => a + run.layers[i]!.storage.totalBits, 0);
      energy[run.format] = parts.reduce((a, i) => a + run.layers[i]!.energy.totalPj, 0);
    }
    const weights = s.fanIn * s.outputs;
    return { name: s.name, K: s.fanIn, N: s.outputs, weights, rule: r.rule, rank: r.rank, nnz, sparsity: 1 - nnz / weights, breakEvenSparsity: breakEven.get(s.name) ?? null, storageBits, energyPjPerImage: energy };
  });
  const sumOf = (f: (r: CompressLayerRow) => number): number => rows.reduce((a, r) => a + f(r), 0);
  const storageBits: Record<string, number> = {}, energyPjPerImage: Record<string, number> = {};
  for (const run of evaluation.runs) {
    storageBits[run.format] = run.total.storage.totalBits;
    energyPjPerImage[run.format] = run.total.energy.totalPj;
  }
  const bestFormat = Object.entries(energyPjPerImage).sort((a, b) => a[1] - b[1])[0]![0];
  const weights = sumOf((r) => r.weights), nnz = sumOf((r) => r.nnz);

  let output: CompressReport['output'] = null;
  if (o.output !== undefined) {
    let graphFile: string | null = null;
    if (method === 'svd') graphFile = o.graphOutput ?? o.output.replace(/\.(npz|safetensors)$/i, '.graph.yaml');
    const bytes = /\.safetensors$/i.test(o.output) ? encodeSafetensors(outTensors as Array<Tensor & { dtype: 'float32' }>, { format: 'pt' }) : encodeNpz(outTensors);
    writeFileAtomic(o.output, bytes);
    if (graphFile) {
      try {
        writeFileAtomic(graphFile, new TextEncoder().encode(`# Written by imc-sim compress --method svd; weights in ${basename(o.output)}\n${stringifyYaml(outGraph, { flowCollectionPadding: false })}`));
      } catch (e) {
        rmSync(o.output, { force: true }); // a model without its graph is half an output
        throw e;
      }
    }
    output = { file: o.output, graph: graphFile };
  }

  const document: CompressReport = {
    network: plan.name, method, structure: structure ? formatStructure(structure) : 'svd', weightBits, inputBits: macro.inputBits, schedule,
    trainImages: train.n, testImages: test.n,
    accuracy: { floatBefore: before.accuracy!.float, macroBefore: before.accuracy!.macro, floatAfter, macroAfter: evaluation.accuracy!.macro },
    layers: rows,
    total: { weights, nnz, compression: weights / Math.max(1, nnz), storageBits, energyPjPerImage, bestFormat, originalDenseEnergyPjPerImage: before.runs[0]!.total.energy.totalPj, perLayerBest: perLayerBest(rows) },
    epochs, output, seconds: (performance.now() - t0) / 1000,
  };
  return { document, tensors: outTensors, graph: outGraph, macro, evaluation };
}

/** The formats a result is costed in by default: nm:N:m only when every layer is N:m (it cannot hold a dense one). */
function defaultFormats(structure: Structure | null, everyLayerPruned: boolean): string {
  return structure?.kind === 'nm' && everyLayerPruned ? `dense,bitmask,coo,rl:4,nm:${structure.n}:${structure.m}` : 'dense,bitmask,coo,rl:4';
}

function checkSchedule(s: Schedule): void {
  const int = (v: number, what: string, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new ConfigError('BAD_SCHEDULE', `${what} must be an integer ≥ ${min}; got ${v}`);
  };
  int(s.admmEpochs, '--epochs (ADMM rounds)', 0);
  int(s.retrainEpochs, '--retrain-epochs', 0);
  int(s.batchSize, '--train-batch', 1);
  int(s.seed, '--seed', 0);
  for (const [v, what] of [[s.lr, '--lr'], [s.retrainLr, '--retrain-lr'], [s.rho, '--rho'], [s.rhoGrowth, '--rho-growth']] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new ConfigError('BAD_SCHEDULE', `${what} must be a positive number; got ${v}`);
  }
}

/** An array carried over unchanged; float16/bfloat16/float8 ones (widened on read) are written as the float32 they hold. */
function asWritable(t: Tensor): Tensor {
  return t.data instanceof Float32Array && t.dtype !== 'float32' ? { ...t, dtype: 'float32' } : t;
}

/** A layer's weight as written: zeros in place, or PyTorch's `weight_orig` + `weight_mask`. */
function weightTensors(step: MatrixStep, w: Float64Array, masks: 'zeros' | 'torch'): Tensor[] {
  if (masks === 'zeros') return [f32(step.weight.name, step.weight.shape, w)];
  const base = step.weight.name.replace(/\.weight$/, '');
  if (base === step.weight.name) throw new ConfigError('BAD_MASKS', `--masks torch needs weights named '<module>.weight'; '${step.weight.name}' is not`);
  const mask = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) mask[i] = w[i] !== 0 ? 1 : 0;
  return [f32(`${base}.weight_orig`, step.weight.shape, w), { name: `${base}.weight_mask`, dtype: 'float32', shape: step.weight.shape, data: mask }];
}
