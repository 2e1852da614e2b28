/**
 * `run` as one library call: a weight file (one array or a whole model) → the simulated layers and
 * exactly the JSON document `imc-sim run --json` prints. The CLI is a thin shell over this function,
 * and a sweep point over a weight array is this function with a {@link PreparationCache} shared by
 * the points, so the CLI, the library and sweeps give identical results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';
import { macroConfigJson, type MacroConfig } from '../../macro-sim/config.js';
import { priceBaselines, priceImcBaselines, type BaselineRow } from '../../macro-sim/baselines/registry.js';
import { InputPacks } from '../../macro-sim/input-packs.js';
import { mapModel, type ModelMapping } from '../../macro-sim/mapping.js';
import { AREA_BAND_FACTOR, ENERGY_BAND_FACTOR, RELATIVE_BAND_FACTOR } from '../../macro-sim/uncertainty.js';
import { maxClockMHz } from '../../macro-sim/voltage.js';
import { encodePrepared, isEncoded, type EncodedLayer, type FormatEncoding } from '../encode/encode-layer.js';
import type { WeightOptions } from '../encode/encode-file.js';
import { loadTensorFile, selectArray, type TensorFile } from '../io/load.js';
import { loadMacroConfig, type MacroOverrides, type MacroSource } from '../io/macro-file.js';
import { pickLayers } from '../io/pick-layers.js';
import type { Tensor } from '../io/tensor.js';
import { PreparationCache } from '../preparation-cache.js';
import { prepareInputs, type PreparedInputs } from '../prep/inputs.js';
import { isIntegerTensor, layoutForRank, layoutsOfFileKind, parseLayoutList, tensorToMatrix } from '../prep/layout.js';
import { prepareWeights, type PreparedWeights } from '../prep/prepare.js';
import { floatProduct, integerProduct } from '../reference/products.js';
import { VERSION } from '../version.js';
import { layerRunJson, modelTotalsJson } from './document.js';
import { baselineWorkload, runPrepared, type LayerRun, type LayerReferences, type SimulatedImc } from './run-layer.js';

/** The bundled real layer `run` uses without a file (see fixtures/data/README.md). */
export const BUNDLED_LAYER = bundledLayerPath();

/** fixtures/data/mobilenetv1-conv6-pointwise.npy at the package root, from this module compiled (dist/src/run) or not (src/run). */
function bundledLayerPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = ['../../..', '../..'].map((up) => path.resolve(here, up, 'fixtures/data/mobilenetv1-conv6-pointwise.npy'));
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}
/** The pruning of the bundled demo when none is given. */
export const BUNDLED_PRUNE = 'magnitude:0.9';

/** Options of {@link runFile} (the `imc-sim run` flags as data). */
export interface RunFileOptions extends Omit<WeightOptions, 'file'> {
  /** Weight file path or loaded file; default the bundled MobileNetV1 layer, pruned {@link BUNDLED_PRUNE} unless `prune` is given. */
  readonly file?: string | TensorFile;
  /** Default `dense,bitmask,coo,rl`. */
  readonly formats?: string | readonly string[];
  /** A resolved config, a preset name or a config file path (plus `macroOverrides`); default the default preset. */
  readonly macro?: MacroSource;
  readonly macroOverrides?: MacroOverrides;
  /** Activations file `[B, K]` (or a loaded tensor); default seeded random inputs. */
  readonly inputs?: string | Tensor;
  readonly inputsArray?: string;
  readonly batch?: number;
  readonly seed?: number;
  readonly zeroFraction?: number;
  /** Price the MODEL §6 baselines (default true). */
  readonly baselines?: boolean;
  /** Compute SQNR (default true; costs a dense float product K·N·B). */
  readonly sqnr?: boolean;
  /** Keep the first format's integer outputs (`--dump-outputs`). */
  readonly keepOutputs?: boolean;
}

/** Default formats of `run`. */
export const DEFAULT_RUN_FORMATS = 'dense,bitmask,coo,rl';

/** The result of {@link runFile}: the layers (with typed arrays) and the JSON document. */
export interface RunFileResult {
  readonly macro: MacroConfig;
  /** The weight file's path as given (the bundled layer's path when none was). */
  readonly file: string;
  readonly bundled: boolean;
  readonly runs: LayerRun[];
  /** True when the file is a model (several layers, per-layer rows plus totals). */
  readonly model: boolean;
  /** Exactly what `imc-sim run --json` prints. */
  readonly document: Record<string, unknown>;
}

/**
 * Simulate a weight file on the macro (see {@link RunFileOptions}). `cache` carries loaded files,
 * preparations, inputs and references between calls (a sweep's points); default a fresh one.
 *
 * @example runFile({ file: 'layer.npy', prune: 'magnitude:0.9', formats: 'coo,rl:4' }).document
 */
export function runFile(o: RunFileOptions, cache = new PreparationCache()): RunFileResult {
  const macro = cache.get('macro', [o.macro, o.macroOverrides ?? {}], () => loadMacroConfig(o.macro, o.macroOverrides));
  const bundled = o.file === undefined;
  const file = o.file ?? BUNDLED_LAYER;
  const f = typeof file === 'string' ? cache.get('file', [file], () => loadTensorFile(file)) : file;
  // Files and tensors given as objects are keyed by identity, files given by path by their path.
  const fileKey = typeof file === 'string' ? file : cache.idOf(file);
  const { tensors, model } = pickLayers(f, o.array);
  if (o.inputs !== undefined && model) {
    throw new ConfigError('INPUTS_NEED_ONE', `--inputs feeds one layer; ${f.path} holds ${tensors.length} weight arrays: add --array NAME`);
  }
  const inputsFile = typeof o.inputs === 'string' ? o.inputs : undefined;
  const inputTensor = inputsFile !== undefined ? selectArray(cache.get('file', [inputsFile], () => loadTensorFile(inputsFile)), o.inputsArray) : (o.inputs as Tensor | undefined);
  const layouts = o.layout === undefined ? layoutsOfFileKind(f.kind) : parseLayoutList(o.layout);
  const prune = o.prune ?? (bundled ? BUNDLED_PRUNE : 'none');
  const formats = o.formats ?? DEFAULT_RUN_FORMATS;
  const weightBits = o.weightBits ?? 8;
  const granularity = o.granularity ?? 'per-column';

  const encoded = tensors.map((t) => {
    const layout = layoutForRank(layouts, t.shape.length);
    const prepared = cache.get('prepared', [fileKey, t.name, layout, prune, weightBits, granularity], () => {
      // One float64 matrix per (array, layout), shared by every pruning and bit width of a sweep, made
      // only when a point first reads `prepared.float` (the SQNR reference): preparation reads the tensor.
      const floatMatrix = isIntegerTensor(t) ? undefined : () => cache.get('float-matrix', [fileKey, t.name, layout], () => tensorToMatrix(t, layout));
      return prepareWeights(t, { layout, prune, weightBits, granularity, floatMatrix });
    });
    return encodePrepared(prepared, formats, macro.rows);
  });
  const mappings = modelMappings(encoded, macro);
  const runs = encoded.map((layer, i) => {
    const prepared = layer.prepared;
    const inputKey = [inputsFile ?? (inputTensor ? cache.idOf(inputTensor) : null), o.inputsArray, prepared.K, macro.inputBits, macro.signedInputs, o.batch, o.seed, o.zeroFraction];
    const { inputs, packs } = cache.get('inputs', inputKey, () => {
      const inputs = prepareInputs({ K: prepared.K, bits: macro.inputBits, signed: macro.signedInputs, tensor: inputTensor, batch: o.batch, seed: o.seed, zeroFraction: o.zeroFraction });
      return { inputs, packs: new InputPacks({ data: inputs.q, batch: inputs.batch }) };
    });
    const prepKey = [fileKey, prepared.name, prepared.layout, prepared.prune, prepared.weightBits, prepared.granularity];
    const references = cachedReferences(cache, prepKey, inputKey, prepared, inputs, o.sqnr !== false);
    const baselinePricer = (simulated: SimulatedImc): BaselineRow[] => cachedBaselines(cache, prepKey, inputKey, prepared, inputs, macro, packs, simulated);
    return runPrepared(prepared, inputs, {
      formats,
      macro,
      baselines: o.baselines,
      keepOutputs: o.keepOutputs,
      encoded: layer,
      firstLoads: model ? mappings.map((m) => m?.firstLoad[i] ?? 0) : undefined,
      references,
      inputPacks: packs,
      baselinePricer,
    });
  });
  const head = { tool: 'imc-sim', version: VERSION, file: f.path, config: macroConfigJson(macro), operatingPoint: operatingPointJson(macro) };
  const body = model ? { layers: runs.map(layerRunJson), totals: modelTotalsJson(runs, mappings, macro.clockMHz) } : layerRunJson(runs[0]!);
  return { macro, file: f.path, bundled, runs, model, document: { ...head, ...body, bundled } };
}

/**
 * Per format, the model's mapping when all layers' loads share the same M macros in layer order
 * (MODEL §5; `mapModel`): each layer's first load and the totals. Null where a layer cannot hold
 * the format.
 */
function modelMappings(layers: readonly EncodedLayer[], macro: MacroConfig): (ModelMapping | null)[] {
  const nFormats = layers[0]?.encodings.length ?? 0;
  const out: (ModelMapping | null)[] = [];
  for (let f = 0; f < nFormats; f++) {
    const encs = layers.map((l) => l.encodings[f]!);
    out.push(encs.every(isEncoded) ? mapModel((encs as FormatEncoding[]).map((e) => e.encoded), macro) : null);
  }
  return out;
}

/**
 * The references a layer run is checked and scored against, from the cache: `qx · q` per
 * (preparation, inputs), `x · W` on the original weights per (array, layout, inputs) — shared by
 * every pruning and bit width of the same array.
 */
function cachedReferences(cache: PreparationCache, prepKey: readonly unknown[], inputKey: readonly unknown[], p: PreparedWeights, inputs: PreparedInputs, sqnr: boolean): LayerReferences {
  return {
    exact: cache.get('exact-product', [prepKey, inputKey], () => integerProduct(p.nonzeros, inputs.q, inputs.batch)),
    float: sqnr ? cache.get('float-product', [prepKey[0], prepKey[1], prepKey[2], inputKey], () => floatProduct(p.floatColumns, inputs.x, inputs.batch)) : null,
  };
}

/**
 * The baselines of a layer run from the cache: the counted ones (ASIC, systolic, FPGA, mobile GPU)
 * per (preparation, inputs) — the inputs' key holds the macro's input bits, the only macro parameter
 * they read — and the IMC ones per (preparation, inputs, macro), taken from the run's own `dense` /
 * `bitmask` formats where it has them (the same figures). A sweep over formats and macro geometries
 * prices the counted ones once per preparation, the IMC ones once per geometry.
 */
function cachedBaselines(cache: PreparationCache, prepKey: readonly unknown[], inputKey: readonly unknown[], p: PreparedWeights, inputs: PreparedInputs, macro: MacroConfig, packs: InputPacks, simulated: SimulatedImc): BaselineRow[] {
  let w: ReturnType<typeof baselineWorkload> | undefined; // made once, only on a cache miss
  const workload = () => (w ??= baselineWorkload(p, inputs, macro.inputBits));
  const imc = cache.get('imc-baselines', [prepKey, inputKey, macro], () => priceImcBaselines(workload(), { inputs: { data: inputs.q, batch: inputs.batch }, config: macro, inputPacks: packs, simulated }));
  const counted = cache.get('counted-baselines', [prepKey, inputKey], () => priceBaselines(workload()));
  return [...imc, ...counted];
}

/**
 * The macro's operating point beside its config: the highest clock at its VDD (alpha-power law,
 * macro-sim/voltage.ts), whether the clock exceeds it, and the calibration band factors every energy
 * and area of the document carries (macro-sim/uncertainty.ts).
 */
export function operatingPointJson(macro: MacroConfig) {
  const maxClock = maxClockMHz(macro);
  return {
    vdd: macro.vdd,
    clockMHz: macro.clockMHz,
    maxClockMHz: maxClock,
    overclocked: macro.clockMHz > maxClock,
    energyBandFactor: ENERGY_BAND_FACTOR,
    areaBandFactor: AREA_BAND_FACTOR,
    relativeBandFactor: RELATIVE_BAND_FACTOR,
  };
}
