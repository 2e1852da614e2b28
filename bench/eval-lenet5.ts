/**
 * Benchmark: the 2,000 held-out digits through LeNet-5 on the simulated macro — COO, 90 % magnitude
 * pruning, 8-bit weights and inputs — including the float and integer passes evaluateNetwork runs
 * beside it. Target: under 60 s. Prints the wall time and images/s.
 * Run after `npm run build`: `node dist/bench/eval-lenet5.js`.
 */
import { readFileSync } from 'node:fs';
import { resolveMacroConfig } from '../macro-sim/config.js';
import { loadTensorFile } from '../src/io/load.js';
import { evaluateNetwork } from '../src/network/evaluate.js';
import { parseGraph } from '../src/network/graph.js';

/** Repository root: run from it (`node dist/bench/…`), as the other benchmarks. */
const ROOT = process.cwd() + '/';
const images = loadTensorFile(ROOT + 'fixtures/data/mnist-test-images.npy').tensors[0]!;
const labels = loadTensorFile(ROOT + 'fixtures/data/mnist-test-labels.npy').tensors[0]!;
const model = loadTensorFile(ROOT + 'fixtures/data/lenet5.npz').tensors;
const graph = parseGraph(readFileSync(ROOT + 'examples/lenet5.graph.yaml', 'utf8'), 'examples/lenet5.graph.yaml');

const t0 = performance.now();
const r = evaluateNetwork({
  graph, graphSource: 'examples/lenet5.graph.yaml', model, images, labels,
  quantization: { weightBits: 8, inputBits: 8, prune: 'magnitude:0.9' },
  formats: ['coo'],
  macro: resolveMacroConfig({}),
});
const seconds = (performance.now() - t0) / 1000;
const run = r.runs[0]!;
console.log(`eval:lenet5:coo:magnitude=0.90:b_w=8:b_x=8:images=${r.images}`);
console.log(`  time ${seconds.toFixed(2)} s, ${(r.images / seconds).toFixed(1)} images/s (target: < 60 s)`);
console.log(`  accuracy float ${(100 * r.accuracy.float).toFixed(2)} %, integer ${(100 * r.accuracy.integer).toFixed(2)} %, macro ${(100 * r.accuracy.macro).toFixed(2)} %, macro = integer: ${r.macroMatchesInteger}`);
console.log(`  per image: ${run.total.energy.totalPj.toFixed(0)} pJ, ${run.total.timing.cycles.toFixed(0)} cycles, compression ${run.total.storage.compression.toFixed(2)}×`);
if (seconds >= 60) process.exitCode = 1;
