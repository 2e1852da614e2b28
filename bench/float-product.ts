/**
 * Float reference product benchmark (issue 13, item 1): `floatProduct` — the SQNR reference of
 * MODEL §7, `x · W` in float64 on the original weights — on a 4096×4096 layer with 64 input vectors,
 * against numpy's `x @ W` (OpenBLAS dgemm) on the very same float64 data written as `.npy`, run
 * from this script (bench/peers/float_product.py) with the BLAS's default threads and with one.
 * Also times the plain reference loop (`referenceColumnProduct`, the pre-issue-13 `floatProduct`) and
 * checks that the fast product equals it bit for bit; reports how far numpy's result (FMA, its own
 * summation order) is from ours.
 *
 * Timing: median and best of `runs` calls each (a plain timer: a call is 0.05–1 s), in `rounds`
 * rounds that alternate ours, numpy and numpy on one thread, so that machine load hits all alike;
 * numpy is timed in-process by Python. Besides wall time, CPU time (Node `process.cpuUsage`, Python
 * `process_time`) gives a ratio that does not see the process being descheduled on a busy machine —
 * meaningful against one-thread numpy (CPU time of a multi-threaded BLAS adds up its threads).
 * Run: `npx tsc -p . && node dist/bench/float-product.js [--size 4096] [--batch 64] [--runs 5] [--rounds 3]`
 * (from the repository root). `runFloatProductBench` is exported so that `bench/run-all.ts` can run it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Xoshiro128ss } from '../macro-sim/rng.js';
import { encodeNpy } from '../src/io/npy.js';
import { floatProduct, referenceFloatProduct } from '../src/reference/products.js';

/** Options of {@link runFloatProductBench}. */
export interface FloatProductBenchOptions {
  /** K = N = size (default 4096). */
  readonly size?: number;
  /** Input vectors B (default 64). */
  readonly batch?: number;
  /** Timed calls of floatProduct and of each numpy variant per round (default 5). */
  readonly runs?: number;
  /** Rounds (default 3). */
  readonly rounds?: number;
  /** Timed calls of the plain reference loop (default 3; 0 skips it and the bit-identity check). */
  readonly referenceRuns?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Python executable for the numpy peer (default `python3`); `null` skips the peer. */
  readonly python?: string | null;
}

/** Wall and CPU times (ms) of some calls. */
interface Times {
  readonly wall: number[];
  readonly cpu: number[];
}

/** The benchmark's result (times in ms; NaN / null when a part was skipped). */
export interface FloatProductBenchRow {
  /** `float-product:float64:4096x4096:B=64`. */
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly cpuMedianMs: number;
  /** The plain loop (`referenceColumnProduct`). */
  readonly referenceMedianMs: number;
  /** Whether floatProduct equalled the plain loop element by element (Object.is). */
  readonly bitIdentical: boolean | null;
  /** numpy `x @ W` with the BLAS's default threads. */
  readonly numpyMedianMs: number;
  readonly numpyMinMs: number;
  /** numpy `x @ W` on one thread. */
  readonly numpy1MedianMs: number;
  readonly numpy1MinMs: number;
  readonly numpy1CpuMedianMs: number;
  /** medianMs / numpyMedianMs, medianMs / numpy1MedianMs, cpuMedianMs / numpy1CpuMedianMs. */
  readonly ratio: number;
  readonly ratio1: number;
  readonly cpuRatio1: number;
  /** max |y_numpy − y| / max |y|: BLAS's different summation order (and FMA). */
  readonly peerMaxRelDiff: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

function timeCalls(runs: number, fn: () => unknown, into: Times = { wall: [], cpu: [] }): Times {
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    into.wall.push(wall);
    into.cpu.push((c.user + c.system) / 1000);
  }
  return into;
}

/** bench/peers/float_product.py: beside the compiled script's root, or under the working directory. */
function peerScript(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, '../../bench/peers/float_product.py'), join(process.cwd(), 'bench/peers/float_product.py')];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`float-product bench: peer not found (looked at ${candidates.join(', ')}); run from the repository root`);
  return found;
}

/** One run of the peer (`runs` timed products), appending its times to `into`; returns its result. */
function runNumpy(python: string, dir: string, runs: number, oneThread: boolean, into: Times): Float64Array {
  const out = join(dir, oneThread ? 'y1.f64' : 'y.f64');
  const env = oneThread ? { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } : process.env;
  const stdout = execFileSync(python, [peerScript(), join(dir, 'wT.npy'), join(dir, 'x.npy'), String(runs), out], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  const t = JSON.parse(stdout) as Times;
  into.wall.push(...t.wall);
  into.cpu.push(...t.cpu);
  const bytes = readFileSync(out);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Run floatProduct, the plain loop and the numpy peer on one seeded layer.
 * @example const row = await runFloatProductBench({ size: 1024, referenceRuns: 1 }); row.bitIdentical === true
 */
export async function runFloatProductBench(options: FloatProductBenchOptions = {}): Promise<FloatProductBenchRow> {
  const size = options.size ?? 4096, B = options.batch ?? 64, runs = options.runs ?? 5, rounds = options.rounds ?? 3;
  const referenceRuns = options.referenceRuns ?? 3;
  const K = size, N = size;
  const rng = Xoshiro128ss.fromSeed(options.seed ?? 1);
  const W = { rows: K, cols: N, data: new Float64Array(K * N) };
  for (let i = 0; i < W.data.length; i++) W.data[i] = rng.nextFloat() * 2 - 1;
  const x = new Float64Array(B * K);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextFloat() < 0.5 ? 0 : rng.nextFloat() * 4; // activations: half zero
  const name = `float-product:float64:${K}x${N}:B=${B}`;

  const y = floatProduct(W, x, B); // warm-up (compiles and tiers up the kernels)
  let referenceMedianMs = NaN;
  let bitIdentical: boolean | null = null;
  if (referenceRuns > 0) {
    let ref: Float64Array = new Float64Array(0);
    referenceMedianMs = median(timeCalls(referenceRuns, () => (ref = referenceFloatProduct(W, x, B))).wall);
    bitIdentical = ref.length === y.length && y.every((v, i) => Object.is(v, ref[i]));
  }

  const ours: Times = { wall: [], cpu: [] };
  const numpy: Times = { wall: [], cpu: [] };
  const numpy1: Times = { wall: [], cpu: [] };
  let peerMaxRelDiff = NaN;
  const python = options.python === undefined ? 'python3' : options.python;
  const dir = python === null ? null : mkdtempSync(join(tmpdir(), 'imc-bench-float-'));
  try {
    if (dir !== null) {
      // W column-major [K, N] is the C-order [N, K] array W^T: its bytes as they are
      writeFileSync(join(dir, 'wT.npy'), encodeNpy({ dtype: 'float64', shape: [N, K], data: W.data }));
      writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'float64', shape: [B, K], data: x }));
    }
    for (let r = 0; r < rounds; r++) {
      timeCalls(runs, () => floatProduct(W, x, B), ours);
      if (dir === null || python === null) continue;
      const yPeer = runNumpy(python, dir, runs, false, numpy);
      runNumpy(python, dir, runs, true, numpy1);
      let maxAbs = 0, maxDiff = 0;
      for (let i = 0; i < y.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(y[i]!));
        maxDiff = Math.max(maxDiff, Math.abs(yPeer[i]! - y[i]!));
      }
      peerMaxRelDiff = yPeer.length === y.length ? maxDiff / maxAbs : NaN;
    }
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
  const stat = (t: Times): { med: number; min: number; cpu: number } =>
    t.wall.length === 0 ? { med: NaN, min: NaN, cpu: NaN } : { med: median(t.wall), min: Math.min(...t.wall), cpu: median(t.cpu) };
  const o = stat(ours), p = stat(numpy), p1 = stat(numpy1);
  return {
    name, medianMs: o.med, minMs: o.min, cpuMedianMs: o.cpu, referenceMedianMs, bitIdentical,
    numpyMedianMs: p.med, numpyMinMs: p.min, numpy1MedianMs: p1.med, numpy1MinMs: p1.min, numpy1CpuMedianMs: p1.cpu,
    ratio: o.med / p.med, ratio1: o.med / p1.med, cpuRatio1: o.cpu / p1.cpu, peerMaxRelDiff,
  };
}

/** The row as a Markdown table (for bench/RESULTS.md). */
export function floatProductBenchTable(row: FloatProductBenchRow): string {
  const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '—');
  const r = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '—');
  return [
    '| case | median ms (min) | CPU ms | plain loop ms | bit-identical to it | numpy median ms (min) | ratio | numpy 1 thread median ms (min) | ratio | CPU ratio | numpy max rel. diff |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
    `| ${row.name} | ${f(row.medianMs)} (${f(row.minMs)}) | ${f(row.cpuMedianMs)} | ${f(row.referenceMedianMs)} | ${String(row.bitIdentical)} | ` +
      `${f(row.numpyMedianMs)} (${f(row.numpyMinMs)}) | ${r(row.ratio)} | ${f(row.numpy1MedianMs)} (${f(row.numpy1MinMs)}) | ${r(row.ratio1)} | ${r(row.cpuRatio1)} | ` +
      `${row.peerMaxRelDiff.toExponential(1)} |`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const row = await runFloatProductBench({ size: arg('--size'), batch: arg('--batch'), runs: arg('--runs'), rounds: arg('--rounds'), referenceRuns: arg('--reference-runs') });
  console.log(`\n${floatProductBenchTable(row)}`);
  console.log(`\nfloatProduct / numpy (median wall): ${r2(row.ratio)} with the BLAS's default threads, ${r2(row.ratio1)} with one ` +
    `(CPU time ${r2(row.cpuRatio1)}); ${r2(row.referenceMedianMs / row.medianMs)}× the plain loop's speed`);
}

function r2(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '—';
}
