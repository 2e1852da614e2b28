/**
 * `run` as one library call: a weight file (one array or a whole model) → the simulated layers and
 * the exact JSON document `imc-sim run --json` prints. The CLI is a thin shell over this function,
 * so the CLI and the library give identical results.
 */
import { ConfigError } from '../../formats/errors.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { loadTensorFile, selectArray, type TensorFile } from '../io/load.js';
import type { Tensor } from '../io/tensor.js';
import { parseLayout, type Layout } from '../prep/layout.js';
import { prepareWeights } from '../prep/prepare.js';
import type { Granularity } from '../prep/quantize.js';
import { VERSION } from '../version.js';
import { prepareInputs } from './inputs.js';
import { pickLayers } from './layers.js';
import { loadMacroConfig, macroConfigJson } from './macro-config.js';
import { runPrepared, type LayerRun } from './run-layer.js';
import { encodePrepared, isEncoded, type EncodedLayer } from './encode-layer.js';
import { mapModel } from '../../macro-sim/mapping.js';
import { layerRunJson, modelTotalsJson } from './run-report.js';

/** Options of {@link runFile} (the `imc-sim run` flags as data). */
export interface RunFileOptions {
  /** Weight file path, or an already loaded file. */
  readonly file: string | TensorFile;
  /** One array; default: the only array, or every array of rank ≥ 2 of a model file. */
  readonly array?: string;
  readonly layout?: Layout | string;
  /** Default `none`. */
  readonly prune?: string;
  /** Default 8. */
  readonly weightBits?: number;
  readonly granularity?: Granularity;
  /** Default `dense,bitmask,coo,rl`. */
  readonly formats?: string | readonly string[];
  /** A resolved config, or a preset name / config file path plus overrides. */
  readonly macro?: MacroConfig | string;
  readonly macroOverrides?: Record<string, unknown>;
  /** Activations file `[B, K]` (or a loaded tensor); default seeded random inputs. */
  readonly inputs?: string | Tensor;
  readonly inputsArray?: string;
  readonly batch?: number;
  readonly seed?: number;
  readonly zeroFraction?: number;
  readonly baselines?: boolean;
  readonly sqnr?: boolean;
  readonly keepOutputs?: boolean;
}

/** Default formats of `run`. */
export const DEFAULT_RUN_FORMATS = 'dense,bitmask,coo,rl';

/** The result of {@link runFile}: the layers (with typed arrays) and the JSON document. */
export interface RunFileResult {
  readonly macro: MacroConfig;
  readonly runs: LayerRun[];
  /** True when the file is a model (several layers, per-layer rows plus totals). */
  readonly model: boolean;
  /** Exactly what `imc-sim run --json` prints. */
  readonly document: Record<string, unknown>;
}

/**
 * For each layer, per format: the index of its first load when all layers' loads share the same M
 * macros in layer order (MODEL §5; `mapModel`). Infeasible encodings take no loads.
 */
function modelFirstLoads(layers: readonly EncodedLayer[], macro: MacroConfig): number[][] {
  const out = layers.map(() => [] as number[]);
  const nFormats = layers[0]?.encodings.length ?? 0;
  for (let f = 0; f < nFormats; f++) {
    const encs = layers.map((l) => l.encodings[f]!);
    if (!encs.every(isEncoded)) continue;
    const { firstLoad } = mapModel(encs.map((e) => e.encoded), macro);
    for (let i = 0; i < layers.length; i++) out[i]![f] = firstLoad[i]!;
  }
  return out;
}

/** Simulate a weight file on the macro (see {@link RunFileOptions}). */
export function runFile(o: RunFileOptions): RunFileResult {
  const macro = typeof o.macro === 'object' ? o.macro : loadMacroConfig(o.macro, o.macroOverrides ?? {});
  const f = typeof o.file === 'string' ? loadTensorFile(o.file) : o.file;
  const { tensors, model } = pickLayers(f, o.array);
  if (o.inputs !== undefined && model) {
    throw new ConfigError('INPUTS_NEED_ONE', `--inputs feeds one layer; ${f.path} holds ${tensors.length} weight arrays: add --array NAME`);
  }
  const inputTensor = typeof o.inputs === 'string' ? selectArray(loadTensorFile(o.inputs), o.inputsArray) : o.inputs;
  const layout = o.layout === undefined ? undefined : parseLayout(o.layout);
  const formats = o.formats ?? DEFAULT_RUN_FORMATS;
  const encoded = tensors.map((t) => {
    const prepared = prepareWeights(t, { layout, prune: o.prune ?? 'none', weightBits: o.weightBits ?? 8, granularity: o.granularity ?? 'per-column' });
    return encodePrepared(prepared, formats, macro.rows);
  });
  const firstLoads = model ? modelFirstLoads(encoded, macro) : encoded.map(() => undefined);
  const runs = encoded.map((layer, i) => {
    const prepared = layer.prepared;
    const inputs = prepareInputs({ K: prepared.K, bits: macro.inputBits, signed: macro.signedInputs, tensor: inputTensor, batch: o.batch, seed: o.seed, zeroFraction: o.zeroFraction });
    return runPrepared(prepared, inputs, { formats, macro, baselines: o.baselines, sqnr: o.sqnr, keepOutputs: o.keepOutputs, encoded: layer, firstLoads: firstLoads[i] });
  });
  const common = { tool: 'imc-sim', version: VERSION, file: f.path, config: macroConfigJson(macro) };
  const document = model
    ? { ...common, layers: runs.map(layerRunJson), totals: modelTotalsJson(runs, macro) }
    : { ...common, ...layerRunJson(runs[0]!) };
  return { macro, runs, model, document };
}
