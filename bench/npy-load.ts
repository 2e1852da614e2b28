/**
 * npy load benchmark (issue 2 part 2): load a seeded 64 MB float32 `.npy` (4096×4096) with
 * `loadTensorFile` and compare with the peer `numpy.load` of the very same file.
 * Target: ratio (our median / numpy's median) ≤ 1.5.
 *
 * Run: `npx tsc -p . && node dist/bench/npy-load.js [--size 4096]`.
 * The file is written once, outside the timed functions, to a temp dir (numpy's layout: v1.0 header,
 * data 64-byte aligned, so our zero-copy path applies). Both sides read from the page cache after a
 * warm-up; numpy is timed best-of and median of N runs in one python3 subprocess.
 * `runNpyLoadBench` is exported for `bench/run-all.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { add, complete, configure, cycle, suite } from 'benny';
import { loadTensorFile } from '../src/io/load.js';
import { encodeNpy } from '../src/io/npy.js';
import { Xoshiro128ss } from '../macro-sim/rng.js';

/** Options of {@link runNpyLoadBench}. */
export interface NpyLoadBenchOptions {
  /** The matrix is size × size float32 (default 4096: 64 MiB). */
  readonly size?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Max seconds benny spends on the case (default 3). */
  readonly maxTimeS?: number;
  /** numpy runs (default 15). */
  readonly numpyRuns?: number;
  /** Python executable for the numpy peer (default `python3`); `null` skips the peer. */
  readonly python?: string | null;
}

/** The result row. */
export interface NpyLoadBenchRow {
  /** Case name, `load:npy:float32:4096x4096`. */
  readonly name: string;
  readonly fileBytes: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly numpyMedianMs: number;
  readonly numpyMinMs: number;
  /** medianMs / numpyMedianMs: ≤ 1.5 meets the target. */
  readonly ratio: number;
  /** minMs / numpyMinMs: the same comparison, less sensitive to other load on a shared machine. */
  readonly minRatio: number;
  /**
   * numpy.load median with transparent huge pages off for its arrays. numpy madvise(MADV_HUGEPAGE)s
   * every large allocation, so on a kernel with THP in `madvise` mode it takes 512× fewer page faults
   * filling a fresh 64 MiB array than Node (which cannot madvise). This is the like-for-like peer.
   */
  readonly numpySmallPagesMedianMs: number;
  /** medianMs / numpySmallPagesMedianMs. */
  readonly smallPagesRatio: number;
}

/** Seeded uniform floats in [0, 1) (xoshiro128**, macro-sim/rng.ts). */
function seededUniform(seed: number): () => number {
  const rng = Xoshiro128ss.fromSeed(seed);
  return () => rng.nextFloat();
}

/** numpy.load timed in-process by Python: prints "median_ms min_ms". */
function numpyLoadMs(python: string, file: string, runs: number): { medianMs: number; minMs: number; smallPagesMedianMs: number } {
  const script = [
    'import sys, time, statistics, numpy',
    'f, n = sys.argv[1], int(sys.argv[2])',
    'numpy.load(f)  # warm-up: page cache, imports',
    'ts = []',
    'for _ in range(n):',
    '    t0 = time.perf_counter(); a = numpy.load(f); ts.append((time.perf_counter() - t0) * 1e3); del a',
    'med, lo = statistics.median(ts), min(ts)',
    '# the same with 4 KiB pages: numpy madvise(MADV_HUGEPAGE)s large arrays, which Node cannot do',
    'try:',
    '    from numpy._core import multiarray as m',
    '    m._set_madvise_hugepage(False); ts = []',
    '    for _ in range(n):',
    '        t0 = time.perf_counter(); a = numpy.load(f); ts.append((time.perf_counter() - t0) * 1e3); del a',
    '    m._set_madvise_hugepage(True)',
    '    print(med, lo, statistics.median(ts))',
    'except (ImportError, AttributeError):',
    '    print(med, lo, "nan")',
  ].join('\n');
  const out = execFileSync(python, ['-c', script, file, String(runs)], { encoding: 'utf8' }).trim().split(/\s+/);
  return { medianMs: Number(out[0]), minMs: Number(out[1]), smallPagesMedianMs: Number(out[2]) };
}

/**
 * Write the seeded file, time `loadTensorFile` with benny and `numpy.load` in python3.
 * @returns one row; `ratio` is NaN when the peer is skipped.
 */
export async function runNpyLoadBench(options: NpyLoadBenchOptions = {}): Promise<NpyLoadBenchRow> {
  const size = options.size ?? 4096;
  const rnd = seededUniform(options.seed ?? 1);
  const data = new Float32Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = rnd() * 2 - 1;
  const dir = mkdtempSync(join(tmpdir(), 'imc-npy-bench-'));
  const file = join(dir, `w${size}.npy`);
  const name = `load:npy:float32:${size}x${size}`;
  try {
    const bytes = encodeNpy({ dtype: 'float32', shape: [size, size], data });
    writeFileSync(file, bytes);
    // warm-up and a sanity check that the fast path really returns the data
    const t = loadTensorFile(file).tensors[0]!;
    if (t.data.length !== data.length || t.data[12345 % data.length] !== data[12345 % data.length]) throw new Error('npy-load bench: data mismatch');
    let sink = 0;
    const summary = await suite(
      'npy load',
      configure({ cases: { maxTime: options.maxTimeS ?? 3, minSamples: 5 } }),
      add(name, () => {
        sink += loadTensorFile(file).tensors[0]!.data.length;
      }),
      cycle(),
      complete(),
    );
    if (sink === 0) throw new Error('unreachable');
    const r = summary.results[0]!;
    const sorted = [...r.details.sampleResults].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)]! * 1e3;
    const minMs = sorted[0]! * 1e3;
    const python = options.python === undefined ? 'python3' : options.python;
    const peer = python === null ? { medianMs: NaN, minMs: NaN, smallPagesMedianMs: NaN } : numpyLoadMs(python, file, options.numpyRuns ?? 15);
    return {
      name, fileBytes: bytes.length, medianMs, minMs, numpyMedianMs: peer.medianMs, numpyMinMs: peer.minMs, ratio: medianMs / peer.medianMs, minRatio: minMs / peer.minMs,
      numpySmallPagesMedianMs: peer.smallPagesMedianMs, smallPagesRatio: medianMs / peer.smallPagesMedianMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--size');
  const size = i > 0 ? Number(process.argv[i + 1]) : 4096;
  const row = await runNpyLoadBench({ size });
  console.log(
    `${row.name}: ${(row.fileBytes / 2 ** 20).toFixed(1)} MiB, loadTensorFile median ${row.medianMs.toFixed(2)} ms (min ${row.minMs.toFixed(2)}), ` +
      `numpy.load median ${row.numpyMedianMs.toFixed(2)} ms (min ${row.numpyMinMs.toFixed(2)}), ratio ${row.ratio.toFixed(2)} (best-of ratio ${row.minRatio.toFixed(2)}; target ≤ 1.5); ` +
      `numpy.load without huge pages ${row.numpySmallPagesMedianMs.toFixed(2)} ms, ratio ${row.smallPagesRatio.toFixed(2)}`,
  );
}
