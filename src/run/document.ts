/**
 * The JSON document of a run (`imc-sim run --json`, `runFile(...).document`): one object per layer
 * and, for a model file, the totals per format.
 */
import { sumStorage } from '../../formats/storage.js';
import type { StorageFigures } from '../../formats/types.js';
import type { MappingResult, ModelMapping } from '../../macro-sim/mapping.js';
import type { Metrics } from '../../macro-sim/metrics.js';
import type { TimingResult } from '../../macro-sim/timing.js';
import { sumCosts, type EnergyFigures } from '../../macro-sim/totals.js';
import { isFeasible, type FormatRun, type InfeasibleFormat, type LayerRun } from './run-layer.js';

/** JSON of one simulated layer (one entry per format plus the baselines). */
export function layerRunJson(r: LayerRun) {
  const p = r.prepared;
  return {
    array: p.name,
    layout: p.layout,
    prune: p.prune,
    weightBits: p.weightBits,
    granularity: p.granularity,
    matrix: { rows: p.K, cols: p.N },
    nnz: p.nnz,
    sparsity: p.sparsity,
    inputs: r.inputs.description,
    outputsExact: r.formats.filter(isFeasible).every((f) => f.outputsExact),
    formats: r.formats,
    baselines: r.baselines,
  };
}

/** One format's totals over a model (or why it could not run). */
export interface ModelTotal {
  readonly format: string;
  readonly ok?: false;
  readonly reason?: string;
  readonly storage?: StorageFigures;
  readonly mapping?: MappingResult;
  readonly timing?: TimingResult;
  readonly energy?: EnergyFigures;
  readonly metrics?: Metrics;
  readonly outputsExact?: boolean;
}

/**
 * Model totals per format: storage, cycles, energy and MACs summed over the layers
 * (macro-sim/totals.ts), the mapping of the whole model from `mapModel` (re-writes counted across
 * layers: all layers' loads compete for the same M macros). `mappings[i]` is format i's model
 * mapping, null when some layer cannot hold that format.
 */
export function modelTotalsJson(runs: readonly LayerRun[], mappings: readonly (ModelMapping | null)[], clockMHz: number): ModelTotal[] {
  const nFormats = runs[0]?.formats.length ?? 0;
  const out: ModelTotal[] = [];
  for (let i = 0; i < nFormats; i++) {
    const all = runs.map((r) => r.formats[i]!);
    const mapping = mappings[i];
    if (!all.every(isFeasible) || !mapping) {
      out.push({ format: all.map((f) => f.format).join('|'), ok: false, reason: all.filter((f): f is InfeasibleFormat => !isFeasible(f)).map((f) => f.reason).join(' | ') });
      continue;
    }
    const fs = all as FormatRun[];
    const cost = sumCosts(fs, clockMHz);
    out.push({
      format: fs.map((f) => f.format).join('|'),
      storage: sumStorage(fs.map((f) => f.storage)),
      mapping: mapping.total,
      timing: cost.timing,
      energy: cost.energy,
      metrics: cost.metrics,
      outputsExact: fs.every((f) => f.outputsExact),
    });
  }
  return out;
}
