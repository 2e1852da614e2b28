/**
 * Benchmark (issue 5): the 2,000 held-out digits through LeNet-5 on the simulated macro — COO, 90 %
 * magnitude pruning, 8-bit weights and inputs — including the float and integer passes
 * evaluateNetwork runs beside it. Target: under 60 s. Prints the wall time and images/s.
 * Run after `npm run build`, from the repository root: `node dist/bench/eval-lenet5.js`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveMacroConfig } from '../macro-sim/config.js';
import { loadTensorFile } from '../src/io/load.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { parseGraph } from '../src/network/graph.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The benchmark's result. */
export interface EvalBenchRow {
  readonly name: string;
  readonly seconds: number;
  readonly imagesPerS: number;
  readonly images: number;
  readonly accuracy: { float: number; integer: number; macro: number };
  readonly macroMatchesInteger: boolean;
  readonly energyPjPerImage: number;
  readonly compression: number;
}

/** Run LeNet-5 over the 2,000 digits on the macro (COO, magnitude 0.9). */
export function runEvalLenet5Bench(): EvalBenchRow {
  const images = loadTensorFile(join(ROOT, 'fixtures/data/mnist-test-images.npy')).tensors[0]!;
  const labels = loadTensorFile(join(ROOT, 'fixtures/data/mnist-test-labels.npy')).tensors[0]!;
  const model = loadTensorFile(join(ROOT, 'fixtures/data/lenet5.npz')).tensors;
  const graph = parseGraph(readFileSync(join(ROOT, 'examples/lenet5.graph.yaml'), 'utf8'), 'examples/lenet5.graph.yaml');
  const t0 = performance.now();
  const r = evaluateNetwork({
    graph, graphSource: 'examples/lenet5.graph.yaml', model, images, labels,
    quantization: { weightBits: 8, prune: 'magnitude:0.9' },
    formats: ['coo'],
    macro: resolveMacroConfig({}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const run = r.runs[0]!;
  return {
    name: `eval:lenet5:coo:magnitude=0.90:b_w=8:b_x=8:images=${r.images}`,
    seconds,
    imagesPerS: r.images / seconds,
    images: r.images,
    accuracy: r.accuracy!,
    macroMatchesInteger: r.macroMatchesInteger,
    energyPjPerImage: run.total.energy.totalPj,
    compression: run.total.storage.compression,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = runEvalLenet5Bench();
  console.log(r.name);
  console.log(`  time ${r.seconds.toFixed(2)} s, ${r.imagesPerS.toFixed(1)} images/s (target: < 60 s)`);
  console.log(`  accuracy float ${(100 * r.accuracy.float).toFixed(2)} %, integer ${(100 * r.accuracy.integer).toFixed(2)} %, macro ${(100 * r.accuracy.macro).toFixed(2)} %, macro = integer: ${r.macroMatchesInteger}`);
  console.log(`  per image: ${r.energyPjPerImage.toFixed(0)} pJ, compression ${r.compression.toFixed(2)}×`);
  if (r.seconds >= 60) process.exitCode = 1;
}
