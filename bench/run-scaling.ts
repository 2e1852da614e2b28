/**
 * Scaling of the default `imc-sim run` (issue 13): the whole process on seeded float32 layers of
 * 1024², 2048², 4096² and 8192² at batch 64, and on the 4096² layer at batch 1…1024 — magnitude 0.9,
 * 8-bit, COO, SQNR and baselines on (the defaults). Fits the exponent of wall time against K·N (fixed
 * batch) and against the batch (fixed layer) by least squares on log–log points above the process's
 * fixed start-up cost, and reports the peak RSS of each run (8192² float32 is a 256 MiB file).
 *
 * Run after `npm run build`, from the repository root: `node dist/bench/run-scaling.js` (~5 min).
 * Not part of `npm run bench` (it takes minutes); it writes its own section of bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Xoshiro128ss } from '../macro-sim/rng.js';
import { encodeNpy } from '../src/io/npy.js';
import { writeSection } from './doc-section.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');

/** One measured run. */
export interface ScalingPoint {
  readonly size: number;
  readonly batch: number;
  readonly seconds: number;
  readonly peakRssMiB: number | null;
}

function writeNpy(path: string, shape: number[], fill: (rng: Xoshiro128ss) => number, seed: number): void {
  const rng = Xoshiro128ss.fromSeed(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = fill(rng);
  writeFileSync(path, encodeNpy({ dtype: 'float32', shape, data }));
}

/** Wall time (s) and peak RSS (MiB, via python's RUSAGE_CHILDREN; null without python) of one run. */
function measure(args: string[]): { seconds: number; peakRssMiB: number | null } {
  const t0 = performance.now();
  const r = spawnSync('python3', ['-c', 'import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)', process.execPath, CLI, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    const t1 = performance.now();
    const s = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (s.status !== 0) throw new Error(`imc-sim ${args.join(' ')} failed: ${s.stderr}`);
    return { seconds: (performance.now() - t1) / 1000, peakRssMiB: null };
  }
  return { seconds, peakRssMiB: Number(r.stdout.trim()) / 1024 };
}

/** Least-squares slope of log y against log x. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log), ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length, my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0, den = 0;
  for (let i = 0; i < lx.length; i++) { num += (lx[i]! - mx) * (ly[i]! - my); den += (lx[i]! - mx) ** 2; }
  return num / den;
}

/** Measure every point (sizes at batch 64, batches at 4096²). */
export function runScaling(sizes = [1024, 2048, 4096, 8192], batches = [1, 4, 16, 64, 256, 1024]): { points: ScalingPoint[]; startupSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'imc-scaling-'));
  const bell = (rng: Xoshiro128ss): number => (rng.nextBelow(65536) + rng.nextBelow(65536) + rng.nextBelow(65536) - 98304) / 65536;
  const pixel = (rng: Xoshiro128ss): number => (rng.nextBelow(2) === 0 ? 0 : 1 + rng.nextBelow(255));
  try {
    const points: ScalingPoint[] = [];
    const run = (size: number, batch: number): void => {
      const w = join(dir, `W${size}.npy`), x = join(dir, `X${size}-${batch}.npy`);
      writeNpy(w, [size, size], bell, 7);
      writeNpy(x, [batch, size], pixel, 8);
      const args = ['run', w, '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo', '--inputs', x, '--json'];
      measure(args); // page cache
      const m = measure(args);
      points.push({ size, batch, ...m });
      process.stderr.write(`${size}² B=${batch}: ${m.seconds.toFixed(2)} s, ${m.peakRssMiB?.toFixed(0) ?? '?'} MiB\n`);
    };
    for (const s of sizes) run(s, 64);
    for (const b of batches) if (b !== 64) run(4096, b);
    const startup = measure(['--version']).seconds;
    return { points, startupSeconds: startup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { points, startupSeconds } = runScaling();
  const out: string[] = [];
  const log = (...l: string[]): void => { for (const x of l) { console.log(x); out.push(x); } };
  const bySize = points.filter((p) => p.batch === 64).sort((a, b) => a.size - b.size);
  const byBatch = points.filter((p) => p.size === 4096).sort((a, b) => a.batch - b.batch);
  const net = (p: ScalingPoint): number => Math.max(p.seconds - startupSeconds, 1e-3);
  log('## Scaling of the default `imc-sim run` (bench/run-scaling.ts)', '',
    `Measured ${new Date().toISOString().slice(0, 10)}, \`node dist/bench/run-scaling.js\`: \`imc-sim run W.npy --prune magnitude:0.9 --weight-bits 8 --format coo --inputs X.npy --json\` (SQNR and baselines on), seeded float32 layers; one warm run each.`, '',
    '| layer | batch | wall s | peak RSS MiB |', '|---|---|---|---|');
  for (const p of [...bySize, ...byBatch.filter((p) => p.batch !== 64)]) log(`| ${p.size}² | ${p.batch} | ${p.seconds.toFixed(2)} | ${p.peakRssMiB?.toFixed(0) ?? '?'} |`);
  const big = byBatch.filter((p) => p.batch >= 16);
  log('', `Start-up (\`imc-sim --version\`): ${startupSeconds.toFixed(2)} s. Fitted log–log exponents of (wall − start-up): ` +
    `${logLogSlope(bySize.map((p) => p.size * p.size), bySize.map(net)).toFixed(2)} against K·N at B = 64; ` +
    `${logLogSlope(big.map((p) => p.batch), big.map(net)).toFixed(2)} against B at 4096², B ≥ 16 (1 = linear).`);
  writeSection(join(ROOT, 'bench/RESULTS.md'), 'scaling', out.join('\n'));
}
