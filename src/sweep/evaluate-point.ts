/**
 * The sweep evaluator: one design point → its record fields, computed by the same library call as
 * the command line — `runFile` for a weight-array workload, `evalFile` for a network — with one
 * {@link PreparationCache} per worker thread, so the points that share files, a preparation or
 * inputs share that work. A record's fields are the run's (or eval's) JSON objects for that point,
 * byte for byte: `imc-sim run` / `eval` with the same options print the same objects.
 *
 * Infeasible points throw an ImcError (the runner records `ok: false` with the message).
 */
import { InputError } from '../../errors.js';
import { MACRO_KEYS } from '../../macro-sim/params.js';
import type { MacroOverrides } from '../io/macro-file.js';
import { pickLayers } from '../io/pick-layers.js';
import { loadTensorFile } from '../io/load.js';
import { evalFile, type EvalFileOptions } from '../network/eval-file.js';
import { PreparationCache } from '../preparation-cache.js';
import type { FormatRun } from '../run/run-layer.js';
import { runFile, type RunFileOptions } from '../run/run-file.js';
import { compressedModelOf } from './compress-cache.js';
import { pointFile, pointMacroSource, type FileWorkload, type NetworkWorkload, type ResolvedPoint, type SweepSpec } from './spec.js';

/** This worker's cache: every point it evaluates shares it. */
const cache = new PreparationCache();

/** The macro parameters a point sets. */
function macroOverridesOf(point: ResolvedPoint): MacroOverrides {
  const out: Record<string, unknown> = {};
  for (const k of MACRO_KEYS) if (point[k] !== undefined) out[k] = point[k];
  return out;
}

/** The `runFile` options of a point on a weight-array workload (what `imc-sim run` would be given). */
export function runOptionsOf(spec: SweepSpec, w: FileWorkload, point: ResolvedPoint): RunFileOptions {
  return {
    file: w.file,
    array: w.array,
    layout: point.layout,
    prune: point.prune ?? 'none',
    weightBits: point.weightBits,
    granularity: point.granularity,
    formats: point.format,
    macro: pointMacroSource(spec, point),
    macroOverrides: macroOverridesOf(point),
    inputs: w.inputs,
    batch: point.batch ?? w.batch,
    seed: point.seed,
    zeroFraction: point.zeroFraction,
    baselines: w.baselines === true,
  };
}

/** The `evalFile` options of a point on a network workload (what `imc-sim eval` would be given); a point with a compress step first gets its retrained model (`compress-cache.ts`: from disk, or trained now). */
export function evalOptionsOf(spec: SweepSpec, w: NetworkWorkload, point: ResolvedPoint): EvalFileOptions {
  if (!w.graph || !w.inputs) throw new InputError('NETWORK_WORKLOAD', 'a network workload needs model, graph and inputs (labels for accuracy)');
  let graph = pointFile(spec, point.graph, w.graph)!;
  let model = pointFile(spec, point.model, w.model)!;
  if (point.compress !== undefined) ({ model, graph } = compressedModelOf(spec, { ...w, model }, graph, point, cache));
  return {
    model,
    graph,
    inputs: w.inputs,
    ...(w.labels !== undefined ? { labels: w.labels } : {}),
    prune: point.prune,
    weightBits: point.weightBits,
    granularity: point.granularity,
    formats: [point.format],
    macro: pointMacroSource(spec, point),
    macroOverrides: macroOverridesOf(point),
    ...(w.limit !== undefined ? { limit: w.limit } : {}),
  };
}

/** Evaluate one point of a sweep (default evaluator of `imc-sim sweep`). */
export async function evaluatePoint(spec: SweepSpec, point: ResolvedPoint): Promise<Record<string, unknown>> {
  const w = spec.workload;
  if (w.kind === 'network') {
    const report = evalFile(evalOptionsOf(spec, w, point), cache).document;
    const run = report.runs[0]!;
    return {
      format: run.format,
      images: report.images,
      accuracy: report.accuracy,
      fidelity: { outputSqnrDb: report.fidelity.outputSqnrDb, top1Agreement: report.fidelity.top1Agreement },
      macroMatchesInteger: report.macroMatchesInteger,
      storage: run.total.storage,
      mapping: run.total.mapping,
      timing: run.total.timing,
      energy: run.total.energy,
      metrics: run.total.metrics,
      area: run.total.area,
    };
  }
  // A point is one weight array: a model file needs `workload.array`.
  const file = cache.get('file', [w.file], () => loadTensorFile(w.file));
  const { tensors, model } = pickLayers(file, w.array);
  if (model) throw new InputError('SWEEP_NEEDS_ONE_ARRAY', `${w.file} holds ${tensors.length} weight arrays; name one with workload.array (${tensors.map((t) => t.name).join(', ')})`);
  const doc = runFile(runOptionsOf(spec, w, point), cache).document as { matrix: unknown; nnz: number; sparsity: number; formats: FormatRun[]; baselines: unknown[] };
  const f = doc.formats[0]!; // one format: an infeasible one throws
  return {
    format: f.format,
    matrix: doc.matrix,
    nnz: doc.nnz,
    sparsity: doc.sparsity,
    storage: f.storage,
    mapping: f.mapping,
    timing: f.timing,
    energy: f.energy,
    metrics: f.metrics,
    area: f.area,
    outputsExact: f.outputsExact,
    ...(w.baselines === true ? { baselines: doc.baselines } : {}),
  };
}
