/**
 * Sweep points with a `compress` step: the workload's model retrained by `compressModel`, written once
 * to `<spec folder>/.imc-sim-cache/compress/<key>.npz` (and `<key>.graph.yaml` for svd), where the key
 * hashes everything the written weights depend on — the step, the weight bits, the bytes of the model,
 * graph, training images and labels, the training limit and the imc-sim version — so a rerun, a
 * resumed sweep or another point with the same step reuses the file. Writes are atomic, so two workers
 * racing on one key both leave a complete file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressModel } from '../compress/compress-model.js';
import { parseCompressStep } from '../compress/compress-step.js';
import type { PreparationCache } from '../preparation-cache.js';
import { VERSION } from '../version.js';
import type { NetworkWorkload, ResolvedPoint, SweepSpec } from './spec.js';

/** Folder of the compressed models of a spec. */
export function compressCacheDir(spec: Pick<SweepSpec, 'baseDir'>): string {
  return join(spec.baseDir, '.imc-sim-cache', 'compress');
}

const sha256Of = (file: string, cache: PreparationCache): string =>
  cache.get('sha256', [file], () => createHash('sha256').update(readFileSync(file)).digest('hex'));

/**
 * The model (and graph) a point with a compress step evaluates: from the disk cache, or trained now.
 * @returns absolute paths, and whether the model came from the cache
 */
export function compressedModelOf(
  spec: Pick<SweepSpec, 'baseDir'>, w: NetworkWorkload, graph: string, point: ResolvedPoint, cache: PreparationCache,
): { model: string; graph: string; cached: boolean } {
  const step = parseCompressStep(point.compress!);
  const weightBits = point.weightBits ?? 8;
  const key = createHash('sha256').update(JSON.stringify({
    version: VERSION, step, weightBits,
    model: sha256Of(w.model, cache), graph: sha256Of(graph, cache),
    train: sha256Of(w.train!, cache), trainLabels: sha256Of(w.trainLabels!, cache), trainLimit: w.trainLimit ?? null,
  })).digest('hex').slice(0, 16);
  const dir = compressCacheDir(spec);
  const model = join(dir, `${key}.npz`);
  const outGraph = step.method === 'svd' ? join(dir, `${key}.graph.yaml`) : graph;
  if (existsSync(model) && existsSync(outGraph)) return { model, graph: outGraph, cached: true };
  mkdirSync(dir, { recursive: true });
  compressModel({
    model: w.model, graph, train: w.train!, trainLabels: w.trainLabels!, test: w.inputs!, testLabels: w.labels!,
    method: step.method, ...(step.structure !== undefined ? { structure: step.structure } : {}), ...(step.sparsity !== undefined ? { sparsity: step.sparsity } : {}),
    weightBits, formats: 'dense', output: model, ...(step.method === 'svd' ? { graphOutput: outGraph } : {}),
    ...(w.trainLimit !== undefined ? { trainLimit: w.trainLimit } : {}), ...(w.limit !== undefined ? { testLimit: w.limit } : {}),
  });
  return { model, graph: outGraph, cached: false };
}
