/**
 * `encode` as one library call: a weight file (one array or a whole model) → its prepared layers
 * encoded in every requested format, and exactly the JSON document `imc-sim encode --json` prints.
 */
import { splitFormatList } from '../../formats/registry.js';
import { sumStorage } from '../../formats/storage.js';
import type { StorageFigures } from '../../formats/types.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { loadTensorFile, type TensorFile } from '../io/load.js';
import { loadMacroConfig, type MacroOverrides, type MacroSource } from '../io/macro-file.js';
import { pickLayers } from '../io/pick-layers.js';
import { layoutForRank, layoutsOfFileKind, parseLayoutList, type Layout } from '../prep/layout.js';
import type { Granularity } from '../prep/quantize.js';
import { VERSION } from '../version.js';
import { encodedLayerJson, encodeTensor, isEncoded, type EncodedLayer, type FormatEncoding, type InfeasibleEncoding } from './encode-layer.js';

/** How to pick and prepare the weight arrays of a file (the `--array --layout --prune --weight-bits --granularity` flags). */
export interface WeightOptions {
  /** Weight file path, or an already loaded file. */
  readonly file: string | TensorFile;
  /** One array; default: the only array, or every array of rank ≥ 2 of a model file. */
  readonly array?: string;
  /** A layout, or a comma list with one layout per rank (`hwio,io`); default by rank (MODEL §1). */
  readonly layout?: Layout | string;
  /** Default `none`. */
  readonly prune?: string;
  /** Default 8. */
  readonly weightBits?: number;
  /** Default `per-column`. */
  readonly granularity?: Granularity;
}

/** Options of {@link encodeFile}. */
export interface EncodeFileOptions extends WeightOptions {
  /** Format specs, a comma list or an array (`coo,rl:4,nm:2:4`). */
  readonly formats: string | readonly string[];
  /** The macro whose rows R are the segment capacity: a config, a preset or a config file; default the default preset. */
  readonly macro?: MacroSource;
  readonly macroOverrides?: MacroOverrides;
}

/** One format's storage over every layer of a model (or why it cannot hold them all). */
export interface EncodeTotal {
  readonly format: string;
  readonly ok?: false;
  readonly reason?: string;
  readonly storage?: StorageFigures;
  readonly nnz?: number;
}

/** The result of {@link encodeFile}. */
export interface EncodeFileResult {
  readonly file: TensorFile;
  readonly layers: readonly EncodedLayer[];
  /** True when the file is a model (several layers, per-layer rows plus totals). */
  readonly model: boolean;
  /** The segment capacity R used. */
  readonly rows: number;
  readonly macro: MacroConfig;
  /** The format specs as given, in order. */
  readonly specs: readonly string[];
  /** Per format, its storage over every layer (model files). */
  readonly totals: readonly EncodeTotal[];
  /** Exactly what `imc-sim encode --json` prints. */
  readonly document: Record<string, unknown>;
}

/**
 * Prepare and encode a weight file.
 * @example encodeFile({ file: 'layer.npy', weightBits: 8, prune: 'magnitude:0.9', formats: 'coo,rl:4' }).document
 */
export function encodeFile(o: EncodeFileOptions): EncodeFileResult {
  const macro = loadMacroConfig(o.macro, o.macroOverrides);
  const f = typeof o.file === 'string' ? loadTensorFile(o.file) : o.file;
  const { tensors, model } = pickLayers(f, o.array);
  const layouts = o.layout === undefined ? layoutsOfFileKind(f.kind) : parseLayoutList(o.layout);
  const layers = tensors.map((t) =>
    encodeTensor(t, { layout: layoutForRank(layouts, t.shape.length), prune: o.prune ?? 'none', weightBits: o.weightBits ?? 8, granularity: o.granularity ?? 'per-column' }, o.formats, macro.rows),
  );
  const specs = splitFormatList(o.formats);
  const totals = model ? encodeTotals(layers, specs) : [];
  const head = { tool: 'imc-sim', version: VERSION, file: f.path };
  const document = model
    ? { ...head, layers: layers.map((l) => encodedLayerJson(l, macro.rows)), totals }
    : { ...head, ...encodedLayerJson(layers[0]!, macro.rows) };
  return { file: f, layers, model, rows: macro.rows, macro, specs, totals, document };
}

function encodeTotals(layers: readonly EncodedLayer[], specs: readonly string[]): EncodeTotal[] {
  return specs.map((spec, i) => {
    const all = layers.map((l) => l.encodings[i]!);
    if (!all.every(isEncoded)) {
      return { format: spec, ok: false as const, reason: all.filter((e): e is InfeasibleEncoding => !isEncoded(e)).map((e) => e.reason).join(' | ') };
    }
    return { format: spec, storage: sumStorage((all as FormatEncoding[]).map((e) => e.storage)), nnz: layers.reduce((a, l) => a + l.prepared.nnz, 0) };
  });
}
