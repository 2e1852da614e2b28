/**
 * Network workloads in sweeps (issue 5): one point = the whole network evaluated on the macro, so
 * accuracy becomes a sweep objective and a Pareto axis. The record carries the network totals in
 * the same `storage / mapping / timing / energy / metrics` objects as a layer run (per image), plus
 * `accuracy: {float, integer, macro}`.
 */
import * as fs from 'node:fs';
import { ConfigError, InputError } from '../../formats/errors.js';
import { loadTensorFile, selectArray } from '../io/load.js';
import type { Tensor } from '../io/tensor.js';
import { evaluateNetwork } from '../network/evaluate.js';
import { parseGraph, type GraphSpec } from '../network/graph.js';
import { loadMacroConfig, macroOverridesOf } from '../pipeline/macro-config.js';
import type { NetworkWorkload, ResolvedPoint } from './spec.js';

const cache = new Map<string, { graph: GraphSpec; model: Tensor[]; images: Tensor; labels: Tensor }>();

function loadWorkload(w: NetworkWorkload) {
  const key = JSON.stringify([w.model, w.graph, w.inputs, w.labels]);
  let c = cache.get(key);
  if (!c) {
    if (!w.graph || !w.inputs || !w.labels) {
      throw new ConfigError('NETWORK_WORKLOAD', 'a network workload needs model, graph, inputs and labels');
    }
    let text: string;
    try {
      text = fs.readFileSync(w.graph, 'utf8');
    } catch {
      throw new InputError('IO_READ', `${w.graph}: cannot read the graph file`);
    }
    c = {
      graph: parseGraph(text, w.graph),
      model: loadTensorFile(w.model).tensors,
      images: selectArray(loadTensorFile(w.inputs)),
      labels: selectArray(loadTensorFile(w.labels)),
    };
    cache.set(key, c);
  }
  return c;
}

/** Evaluate one point on a network workload. */
export async function evaluateNetworkPoint(w: NetworkWorkload, point: ResolvedPoint): Promise<Record<string, unknown>> {
  const c = loadWorkload(w);
  const macro = loadMacroConfig(point.macro, macroOverridesOf(point));
  const report = evaluateNetwork({
    graph: c.graph,
    graphSource: w.graph!,
    model: c.model,
    images: c.images,
    labels: c.labels,
    quantization: { weightBits: point.weightBits ?? 8, inputBits: point.inputBits ?? 8, prune: point.prune ?? 'none', granularity: point.granularity },
    formats: [point.format],
    macro,
    ...(w.limit !== undefined ? { limit: w.limit } : {}),
  });
  const run = report.runs[0]!;
  return {
    format: run.format,
    images: report.images,
    accuracy: report.accuracy,
    macroMatchesInteger: report.macroMatchesInteger,
    storage: run.total.storage,
    mapping: run.total.mapping,
    timing: run.total.timing,
    energy: run.total.energy,
    metrics: run.total.metrics,
  };
}
