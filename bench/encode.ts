/**
 * Encoder benchmark (issue 2 part 4): encode an int8-range 4096×4096 matrix at 90 % magnitude
 * sparsity into every format — packed stream + segment table + accounting — and compare with the
 * peer `scipy.sparse.csc_matrix(dense)` on the same matrix. Target: every ratio ≤ 1.0.
 *
 * Run: `npx tsc -p . && node dist/bench/encode.js [--size 4096] [--sparsity 0.9]`.
 * The matrix is seeded and built outside the timed functions; the scipy peer reads the very same
 * int8 values (written as raw bytes to a temp file, C order [K, N]) in a python3 subprocess.
 * `runEncodeBench` is exported for `bench/run-all.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { add, complete, configure, cycle, suite } from 'benny';
import { FORMATS, parseFormatSpec } from '../formats/registry.js';
import type { IntMatrix } from '../formats/types.js';
import { prune } from '../src/prep/prune.js';
import { Xoshiro128ss } from '../macro-sim/rng.js';

/** Options of {@link runEncodeBench}. */
export interface EncodeBenchOptions {
  /** K = N = size (default 4096). */
  readonly size?: number;
  /** Fraction of weights pruned by magnitude (default 0.9). */
  readonly sparsity?: number;
  /** PRNG seed of the matrix (default 1). */
  readonly seed?: number;
  /** Format specs to time (default: every registered format with default params; nm as nm:1:4 on an N:m-pruned copy). */
  readonly specs?: readonly string[];
  /** Segment capacity R (default 256, the macro's default rows). */
  readonly segmentRows?: number;
  /** Max seconds benny spends per case (default 3). */
  readonly maxTimeS?: number;
  /** Python executable for the scipy peer (default `python3`); `null` skips the peer. */
  readonly python?: string | null;
}

/** One row of the result. */
export interface EncodeBenchRow {
  /** Case name, e.g. `encode:coo:4096x4096:s=0.90`. */
  readonly name: string;
  /** Canonical spec actually encoded. */
  readonly format: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly compression: number;
  /** Peer timing on the same matrix (median / best of its runs), NaN when skipped. */
  readonly scipyMedianMs: number;
  readonly scipyMinMs: number;
  /** medianMs / scipyMedianMs: ≤ 1.0 meets the target. */
  readonly ratio: number;
}

/** Seeded uniform floats in [0, 1) (xoshiro128**, macro-sim/rng.ts). */
function seededUniform(seed: number): () => number {
  const rng = Xoshiro128ss.fromSeed(seed);
  return () => rng.nextFloat();
}

/**
 * The benchmark matrix: Gaussian weights (Box–Muller), per-tensor scaled to ±127, magnitude-pruned
 * so that `sparsity` of the entries are zero (threshold = the sparsity-quantile of |w|).
 */
export function makeBenchMatrix(size: number, sparsity: number, seed: number): IntMatrix {
  const rand = seededUniform(seed);
  const n = size * size;
  const w = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const th = 2 * Math.PI * rand();
    w[i] = r * Math.cos(th);
    if (i + 1 < n) w[i + 1] = r * Math.sin(th);
  }
  const mags = w.map(Math.abs).sort();
  const threshold = mags[Math.min(n - 1, Math.floor(sparsity * n))]!;
  const max = mags[n - 1]!;
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (Math.abs(v) >= threshold) data[i] = Math.round((v / max) * 127);
  }
  return { rows: size, cols: size, data };
}


/** Time `scipy.sparse.csc_matrix(dense)` on the same int8 matrix: returns all run times in ms. */
function timeScipy(q: IntMatrix, python: string, runs: number): number[] {
  const K = q.rows;
  const N = q.cols;
  const rowMajor = new Int8Array(K * N);
  for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) rowMajor[k * N + j] = q.data[j * K + k]!;
  const dir = mkdtempSync(join(tmpdir(), 'imc-bench-'));
  const file = join(dir, 'q.int8');
  try {
    writeFileSync(file, rowMajor);
    const script = [
      'import sys, time, json',
      'import numpy as np, scipy.sparse as sp',
      `a = np.fromfile(sys.argv[1], dtype=np.int8).reshape(${K}, ${N})`,
      'sp.csc_matrix(a)  # warm-up',
      'ts = []',
      `for _ in range(${runs}):`,
      '    t0 = time.perf_counter(); sp.csc_matrix(a); ts.append((time.perf_counter() - t0) * 1000)',
      'print(json.dumps(ts))',
    ].join('\n');
    const out = execFileSync(python, ['-c', script, file], { encoding: 'utf8' });
    return JSON.parse(out) as number[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Run the encoder suite and the scipy peer; returns one row per format.
 *
 * @example const rows = await runEncodeBench({ size: 1024 }); rows.every((r) => r.ratio <= 1)
 */
export async function runEncodeBench(options: EncodeBenchOptions = {}): Promise<EncodeBenchRow[]> {
  const size = options.size ?? 4096;
  const sparsity = options.sparsity ?? 0.9;
  const segmentRows = options.segmentRows ?? 256;
  const q = makeBenchMatrix(size, sparsity, options.seed ?? 1);
  // nm:1:4 (the structured pattern closest to 90 % sparsity) with the project's own N:m pruner
  const qNm: IntMatrix = { rows: q.rows, cols: q.cols, data: Int16Array.from(prune({ rows: q.rows, cols: q.cols, data: Float64Array.from(q.data) }, 'nm:1:4').data) };
  const specs = options.specs ?? Object.keys(FORMATS).map((id) => (id === 'nm' ? 'nm:1:4' : id));
  const tag = `${size}x${size}:s=${sparsity.toFixed(2)}`;
  const cases = specs.map((spec) => {
    const p = parseFormatSpec(spec, size);
    const input = p.codec.id === 'nm' ? qNm : q;
    const opts = { valueBits: 8, segmentRows };
    return { spec: p.canonical, name: `encode:${p.codec.id}:${tag}`, run: () => p.codec.encode(input, p.params, opts) };
  });
  const compression = new Map(cases.map((c) => [c.name, c.run().storage.compression]));
  // The peer runs before and after the suite and its samples are pooled, so that a change in machine
  // load during the run (shared CI runners) hits both sides alike.
  const python = options.python === undefined ? 'python3' : options.python;
  const peer = python === null ? [] : timeScipy(q, python, 5);
  const summary = await suite(
    `encode ${tag}`,
    configure({ cases: { maxTime: options.maxTimeS ?? 3, minSamples: 5 } }),
    ...cases.map((c) => add(c.name, c.run)),
    cycle(),
    complete(),
  );
  if (python !== null) peer.push(...timeScipy(q, python, 5));
  const scipyMedianMs = peer.length ? median(peer) : NaN;
  const scipyMinMs = peer.length ? Math.min(...peer) : NaN;
  return summary.results.map((r, i) => {
    const samplesMs = r.details.sampleResults.map((s) => s * 1000);
    const medianMs = median(samplesMs);
    return {
      name: r.name,
      format: cases[i]!.spec,
      medianMs,
      minMs: r.details.min * 1000,
      compression: compression.get(r.name)!,
      scipyMedianMs,
      scipyMinMs,
      ratio: medianMs / scipyMedianMs,
    };
  });
}

/** Render rows as a Markdown table (for bench/RESULTS.md). */
export function encodeBenchTable(rows: readonly EncodeBenchRow[]): string {
  const lines = [
    '| case | format | median ms | min ms | scipy csc median ms | ratio | compression |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${r.format} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.scipyMedianMs.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.compression.toFixed(2)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const rows = await runEncodeBench({
    size: arg('--size') ? Number(arg('--size')) : undefined,
    sparsity: arg('--sparsity') ? Number(arg('--sparsity')) : undefined,
  });
  console.log(`\n${encodeBenchTable(rows)}`);
  const worst = Math.max(...rows.map((r) => r.ratio));
  console.log(`\nworst ratio ${worst.toFixed(2)} (target ≤ 1.00)`);
}
