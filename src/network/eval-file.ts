/**
 * `eval` as one library call: a model file, a graph, images and labels → the network on the
 * simulated macro and exactly the JSON document `imc-sim eval --json` prints. The CLI is a thin
 * shell over this function, and a sweep point over a network is this function with a
 * {@link PreparationCache} shared by the points.
 */
import { ConfigError } from '../../errors.js';
import { splitFormatList } from '../../formats/registry.js';
import { Xoshiro128ss } from '../../macro-sim/rng.js';
import { deriveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import { resolveTopology } from '../../macro-sim/placement.js';
import { loadTensorFile, selectArray, type TensorFile } from '../io/load.js';
import { loadMacroConfig, type MacroOverrides, type MacroSource } from '../io/macro-file.js';
import type { Tensor } from '../io/tensor.js';
import { PreparationCache } from '../preparation-cache.js';
import type { Granularity } from '../prep/quantize.js';
import { evaluateNetwork, type NetworkReport } from './evaluate.js';
import { loadGraphFile } from './graph-file.js';

/** Default format of `eval`. */
export const DEFAULT_EVAL_FORMATS = 'coo';
/** Default images per simulate call. */
export const DEFAULT_BATCH_IMAGES = 100;

/** Options of {@link evalFile} (the `imc-sim eval` flags as data). */
export interface EvalFileOptions {
  /** Weights: a file path or a loaded file (an `.npz` state dict, `.safetensors`, …). */
  readonly model: string | TensorFile;
  /** Network graph file (YAML/JSON), e.g. `examples/lenet5.graph.yaml`. */
  readonly graph: string;
  /**
   * Input samples `[B, ...]`: a file path, a loaded tensor, or `random:N[:SEED]` — N seeded samples
   * of the graph's declared `input` shape, uniform integers 0..255 (8-bit pixels; see {@link seededInputs}).
   */
  readonly inputs: string | Tensor;
  /** Labels `[B]`: a file path or a loaded tensor; none for a label-free (fidelity-only) evaluation. */
  readonly labels?: string | Tensor;
  /** Pruning of every conv/linear layer; default `none`. */
  readonly prune?: string;
  /** Default 8. */
  readonly weightBits?: number;
  /** Default `per-column`. */
  readonly granularity?: Granularity;
  /** Format specs, a comma list or an array; default `coo`. */
  readonly formats?: string | readonly string[];
  /** A resolved config, a preset name or a config file path (plus `macroOverrides`); default the default preset. */
  readonly macro?: MacroSource;
  readonly macroOverrides?: MacroOverrides;
  /** Evaluate only the first `limit` images. */
  readonly limit?: number;
  /** Images per simulate call (a re-written layer is written once per batch); default 100. */
  readonly batchImages?: number;
  /** Called after every batch with images done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Chips of the placement (`--chips`); with `macrosPerChip`, sets the macro count to their product. */
  readonly chips?: number;
  /** Macros per chip (`--macros-per-chip`). */
  readonly macrosPerChip?: number;
}

/** The result of {@link evalFile}. */
export interface EvalFileResult {
  readonly macro: MacroConfig;
  /** Exactly what `imc-sim eval --json` prints. */
  readonly document: NetworkReport;
}

/**
 * Evaluate a network on the macro (see {@link EvalFileOptions}). `cache` carries loaded files and
 * parsed graphs between calls (a sweep's points); default a fresh one.
 *
 * @example evalFile({ model: 'lenet5.npz', graph: 'lenet5.graph.yaml', inputs: 'x.npy', labels: 'y.npy', prune: 'magnitude:0.5' }).document.accuracy
 */
export function evalFile(o: EvalFileOptions, cache = new PreparationCache()): EvalFileResult {
  let macro = cache.get('macro', [o.macro, o.macroOverrides ?? {}], () => loadMacroConfig(o.macro, o.macroOverrides));
  // --macros (already validated into the config) takes part in the topology check when it was given.
  const given = o.macroOverrides?.['macros'] !== undefined;
  const topology = resolveTopology({ ...(given ? { macros: macro.macros } : {}), ...(o.chips !== undefined ? { chips: o.chips } : {}), ...(o.macrosPerChip !== undefined ? { macrosPerChip: o.macrosPerChip } : {}) }, macro.macros);
  if (topology.chips * topology.macrosPerChip !== macro.macros) macro = deriveMacroConfig(macro, { macros: topology.chips * topology.macrosPerChip });
  const { graph, extraTensors } = cache.get('graph', [o.graph], () => loadGraphFile(o.graph));
  const fileOf = (p: string): TensorFile => cache.get('file', [p], () => loadTensorFile(p));
  const model = typeof o.model === 'string' ? fileOf(o.model) : o.model;
  const random = typeof o.inputs === 'string' ? /^random:(\d+)(?::(\d+))?$/.exec(o.inputs) : null;
  const images = random ? seededInputs(graph.input, Number(random[1]), random[2] === undefined ? 1 : Number(random[2]), o.graph)
    : typeof o.inputs === 'string' ? selectArray(fileOf(o.inputs)) : o.inputs;
  const labels = typeof o.labels === 'string' ? selectArray(fileOf(o.labels)) : o.labels ?? null;
  const document = evaluateNetwork({
    graph,
    graphSource: o.graph,
    model: extraTensors.length > 0 ? [...model.tensors, ...extraTensors] : model.tensors,
    images,
    labels,
    quantization: { weightBits: o.weightBits ?? 8, prune: o.prune ?? 'none', granularity: o.granularity ?? 'per-column' },
    formats: splitFormatList(o.formats ?? DEFAULT_EVAL_FORMATS),
    macro,
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
    batchImages: o.batchImages ?? DEFAULT_BATCH_IMAGES,
    topology,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  return { macro, document };
}

/**
 * `count` seeded samples of `shape`, uniform integers 0..255 as uint8 (`nextBelow(256)` of
 * xoshiro128** seeded with `seed`, C order): stand-in 8-bit images for a network with no data here.
 * Random pixels are not natural images — use them for fidelity (SQNR, agreement), not accuracy.
 * @example seededInputs([3, 4, 4], 2, 1, 'g.yaml').shape // [2, 3, 4, 4]
 */
export function seededInputs(shape: readonly number[] | undefined, count: number, seed: number, graphSource: string): Tensor {
  if (!shape) throw new ConfigError('RANDOM_INPUTS', `--inputs random:N needs the graph to declare its sample shape (\`input: [C, H, W]\` in ${graphSource})`);
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed)) throw new ConfigError('RANDOM_INPUTS', `--inputs random:N[:SEED] needs N ≥ 1 and an integer seed`);
  const per = shape.reduce((a, b) => a * b, 1);
  if (count * per > 2 ** 31) throw new ConfigError('RANDOM_INPUTS', `random:${count} would be ${count * per} values; ask for fewer samples`);
  const rng = Xoshiro128ss.fromSeed(seed);
  const data = new Uint8Array(count * per);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextBelow(256);
  return { name: `random:${count}:${seed}`, dtype: 'uint8', shape: [count, ...shape], data };
}
