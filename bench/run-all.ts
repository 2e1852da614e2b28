/**
 * Run every benchmark and write bench/RESULTS.md (machine, command, figures, targets).
 * Run: `npm run bench` (= `tsc && node dist/bench/run-all.js`), from the repository root, on a quiet
 * machine: every figure is a ratio against a peer measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeSection } from './doc-section.js';
import * as os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runE2eBench } from './e2e.js';
import { runFloatProductBench } from './float-product.js';
import { runEncodeBench } from './encode.js';
import { runCompressLenet5Bench } from './compress-lenet5.js';
import { runEvalLenet5Bench } from './eval-lenet5.js';
import { runEvalFaceBench } from './eval-face.js';
import { runNpyLoadBench } from './npy-load.js';
import { runSimulateBench } from './simulate.js';
import { runSweepScalingBench } from './sweep-scaling.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

function pythonVersions(): string {
  try {
    return execFileSync('python3', ['-c', 'import sys, numpy, scipy; print(sys.version.split()[0], "numpy", numpy.__version__, "scipy", scipy.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    return 'python3/numpy/scipy not found';
  }
}

const ok = (pass: boolean) => (pass ? 'met' : '**not met**');
const f = (x: number, d = 2) => x.toFixed(d);

async function main(): Promise<void> {
  const started = new Date();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const log = (s: string) => process.stderr.write(s + '\n');
  log('npy load…');
  const load = await runNpyLoadBench();
  log('encode…');
  const enc = await runEncodeBench();
  log('simulate…');
  const sim = await runSimulateBench();
  log('end to end…');
  const e2e = runE2eBench();
  log('float reference product…');
  const fp = await runFloatProductBench();
  log('sweep scaling…');
  const sweep = runSweepScalingBench();
  log('LeNet-5 eval…');
  const ev = runEvalLenet5Bench();
  log('face-api FaceRecognitionNet eval…');
  const face = runEvalFaceBench();
  log('LeNet-5 compress (~4 min)…');
  const comp = runCompressLenet5Bench();

  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`Measured ${started.toISOString().slice(0, 10)} with \`npm run bench\` (bench/run-all.ts), which regenerates this file.`);
  lines.push(`Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ${pythonVersions()}.`);
  lines.push('Every figure is a ratio against a peer timed in the same run (interleaved or pooled), so machine load hits both sides; medians unless stated.', '');
  lines.push('| benchmark | imc-sim | peer | ratio | target | |', '|---|---|---|---|---|---|');
  lines.push(`| \`${load.name}\` (bench/npy-load.ts) | ${f(load.medianMs, 1)} ms | numpy.load ${f(load.numpyMedianMs, 1)} ms | ${f(load.ratio)} (best-of ${f(load.minRatio)}) | ≤ 1.5 | ${ok(load.ratio <= 1.5)} |`);
  lines.push(`| \`${load.name}\` vs numpy with 4 KiB pages¹ | ${f(load.medianMs, 1)} ms | numpy.load ${f(load.numpySmallPagesMedianMs, 1)} ms | ${f(load.smallPagesRatio)} | ≤ 1.5 | ${ok(load.smallPagesRatio <= 1.5)} |`);
  for (const r of enc) {
    lines.push(`| \`${r.name}\` → ${r.format} (bench/encode.ts) | ${f(r.medianMs, 1)} ms | scipy csc_matrix ${f(r.scipyMedianMs, 1)} ms | ${f(r.ratio)} | ≤ 1.0 | ${ok(r.ratio <= 1)} |`);
  }
  lines.push(`| \`${sim.name}\` (bench/simulate.ts) | ${f(sim.medianMs, 1)} ms | scipy csc.T @ X ${f(sim.scipyMedianMs, 1)} ms | ${f(sim.ratio)} | ≤ 1.5 | ${ok(sim.ratio <= 1.5)} |`);
  for (const r of e2e) {
    const rss = r.peakRssMiB !== null ? `; peak RSS ${f(r.peakRssMiB, 0)} MiB` : '', peerRss = r.peerPeakRssMiB !== null ? `; ${f(r.peerPeakRssMiB, 0)} MiB` : '';
    const rssOk = r.peakRssMiB === null || r.peerPeakRssMiB === null || r.peakRssMiB <= r.peerPeakRssMiB;
    lines.push(`| \`${r.name}\` (bench/e2e.ts) | ${f(r.medianMs, 0)} ms${rss} | ${r.peerLabel} ${f(r.peerMedianMs, 0)} ms${peerRss} | ${f(r.ratio)} | ≤ ${r.target}${rss ? ', RSS ≤ peer⁴' : ''} | ${ok(r.ratio <= r.target && rssOk)} |`);
  }
  lines.push(`| \`${fp.name}\` (bench/float-product.ts: the SQNR reference \`x · W\`, float64) | ${f(fp.medianMs, 0)} ms (plain loop ${f(fp.referenceMedianMs, 0)} ms) | numpy BLAS 1 thread ${f(fp.numpy1MedianMs, 0)} ms; ${f(fp.numpyMedianMs, 0)} ms on all cores | ${f(fp.medianMs / fp.numpy1MedianMs)} vs 1 thread | — (issue 13: BLAS-like) | ${fp.bitIdentical === false ? '**not bit-identical**' : 'bit-identical to the loop'} |`);
  for (const r of sweep) {
    lines.push(`| \`${r.name}\` (bench/sweep-scaling.ts) | jobs 2: ${f(r.jobs2Ms / 1000, 1)} s (${f(r.jobs2PointsPerS, 1)} points/s) | jobs 1: ${f(r.jobs1Ms / 1000, 1)} s (${f(r.jobs1PointsPerS, 1)} points/s; ${r.jobs1Cores === null ? '?' : f(r.jobs1Cores)} cores busy); first point alone ${f(r.onePointMs / 1000, 2)} s | ${f(r.speedup)}× faster (ceiling ${r.ceiling === null ? '?' : f(r.ceiling)}×, Amdahl ${f(r.amdahl)}×)² | ≥ 1.7× | ${ok(r.speedup >= 1.7)} |`);
  }
  lines.push(`| \`${ev.name}\` (bench/eval-lenet5.ts) | ${f(ev.seconds, 1)} s (${f(ev.imagesPerS, 0)} images/s) | — | — | < 60 s | ${ok(ev.seconds < 60)} |`);
  for (const r of face) {
    lines.push(`| \`${r.name}\` (bench/eval-face.ts: \`imc-sim eval\` ${r.args}) | ${f(r.seconds, 1)} s | — | — | < 60 s | ${ok(r.seconds < 60)} |`);
  }
  lines.push(`| \`${comp.name}\` (bench/compress-lenet5.ts)³ | ${f(comp.seconds, 0)} s: ${f(comp.compression, 1)}× fewer nonzeros, ${f(100 * comp.macroAfter)} % on the macro (float model ${f(100 * comp.floatBefore)} %) | — | — | < 600 s, ≥ 16×, ≤ 1 pt | ${ok(comp.seconds < 600 && comp.compression >= 16 && comp.floatBefore - comp.macroAfter <= 0.01)} |`);
  lines.push('');
  lines.push('¹ numpy `madvise(MADV_HUGEPAGE)`s every large array; with transparent huge pages in `madvise` mode (this machine:');
  lines.push('`/sys/kernel/mm/transparent_hugepage/enabled` = `always [madvise] never`) filling a fresh 64 MiB array takes 32 page');
  lines.push('faults for numpy and 16,384 for Node, which cannot madvise. The read itself is the same `read(2)`: into a reused');
  lines.push('buffer Node reads the file in ~10 ms. The second row is numpy with its huge-page advice switched off');
  lines.push('(`numpy._core.multiarray._set_madvise_hugepage(False)`), the like-for-like comparison.', '');
  lines.push('² Sweep scaling on this 2-vCPU VM. Two bounds cap what two jobs can gain. *Cores busy* is the jobs-1 run\'s CPU time');
  lines.push('over its wall time: a jobs-1 run keeps more than one core busy, because V8 compiles and collects garbage on background');
  lines.push('threads, which get the idle second core for free, so two jobs gain at most 2 / (cores busy), the *ceiling*. *Amdahl*:');
  lines.push('the sweep cut to its first point (`--shard 0/1000000`: Node, CLI, spec, the worker\'s imports, the files, the first');
  lines.push('preparation, one point) is serial, so two jobs gain at most T1 / (S + (T1 − S) / 2). With 64 digits per point both');
  lines.push('bounds sit near 1.7–1.8×, and the measured figure also pays the second worker\'s own compiler warm-up (~0.6 s of');
  lines.push('TurboFan time per worker, on the two shared cores); with 1000 digits per point each point does ~6× the work and two');
  lines.push('jobs reach 1.66–1.99× (four runs on 2026-12-03: this VM\'s timings vary by ±20 %). What was done about it: hot loops live in small functions of their own, so V8 no longer');
  lines.push('compiles them on-stack and then de-optimises them on every call (jobs-2 CPU time 5.1 → 4.1 s); inputs are checked');
  lines.push('and transposed once per sweep (`InputPacks`); accumulator range checks are skipped when the static bound fits; every');
  lines.push('format\'s encoded matrix has one object shape, so the engine is not de-optimised and recompiled as each new format');
  lines.push('arrives (TurboFan time per worker 0.86 → 0.58 s; 1000 digits per point: 1.66× → 1.85–1.99× in three of four runs).', '');
  lines.push('³ `compress` (issue 11) is timed as a user runs it: `imc-sim compress` of LeNet-5 with the default schedule on all 8,000');
  lines.push('training digits, while nothing else runs; the full table of structures is docs/COMPRESSION-RESULTS.md. Its training engine');
  lines.push('is hand-written because TensorFlow.js (pure-JS CPU backend, the one installable without a native download) took **638 s**');
  lines.push('for one LeNet-5 epoch on this machine (`bench/peers/tfjs-lenet5-epoch.mjs`, run once on 2026-12-03; not repeated here, it');
  lines.push('takes 11 min), against ~12 s for one epoch of `compress` (docs/MODEL-NOTES.md, Compression).', '');
  lines.push('⁴ Peak RSS of the default run (`run … --json`, 4096² float32, a 64 MiB file): Node with imc-sim\'s modules loaded is');
  lines.push('~67 MiB and the file is read whole (64 MiB); the rest (~45 MiB on 2026-12-03) is the nonzeros (~10 MiB), the encoded');
  lines.push('stream (~2.5 MiB), the three `[B, N]` float64 outputs (exact, float, macro: 6 MiB), the inputs and their bit-plane packs,');
  lines.push('the wasm kernels\' memories and V8\'s heap. No copy of the matrix is made: the SQNR reference product reads the');
  lines.push('file\'s own float32 array (widened exactly, panel by panel), and the dense integer matrix is never built for a sparse');
  lines.push('format (every encoder and baseline is given the nonzeros). Before issue 13: 452 MiB; numpy + scipy: ~305 MiB.', '');
  lines.push('## Commands', '');
  lines.push('Each benchmark also runs alone after `npx tsc -p .`, from the repository root:', '');
  lines.push('```sh', 'node dist/bench/npy-load.js', 'node dist/bench/encode.js', 'node dist/bench/simulate.js', 'node dist/bench/e2e.js', 'node dist/bench/float-product.js', 'node dist/bench/run-scaling.js   # issue 13 scaling table, ~5 min', 'node dist/bench/sweep-scaling.js', 'node dist/bench/eval-lenet5.js', 'node dist/bench/eval-face.js', 'node dist/bench/make-cnn-results.js   # docs/NETWORK-RESULTS.md, face-api section, ~6 min', 'node dist/bench/make-compression-results.js   # docs/COMPRESSION-RESULTS.md, ~15 min', '```', '');
  lines.push('End-to-end commands compared (whole processes, same seeded float32 4096×4096 `.npy`):', '');
  for (const r of e2e) lines.push(`- \`${r.command}\`  vs  \`${r.peerCommand}\``);
  lines.push('');
  lines.push(`LeNet-5 run: accuracy float ${f(100 * ev.accuracy.float)} %, integer ${f(100 * ev.accuracy.integer)} %, macro ${f(100 * ev.accuracy.macro)} % (macro = integer image by image: ${ev.macroMatchesInteger}); ${f(ev.energyPjPerImage, 0)} pJ per image; compression ${f(ev.compression)}×.`);
  lines.push(`Simulator peer check: scipy's product equals the simulated outputs exactly: ${sim.peerAgrees}.`);
  // This script owns the section `run-all`; bench/run-scaling.ts writes its own (`scaling`) after it.
  const results = join(ROOT, 'bench/RESULTS.md');
  if (!existsSync(results) || !readFileSync(results, 'utf8').includes('<!-- begin:run-all -->')) writeFileSync(results, '');
  writeSection(results, 'run-all', lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exitCode = 1;
});
