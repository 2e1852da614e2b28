/**
 * Simulator benchmark (issue 3): the fast engine on a 4096×4096 layer at 90 % magnitude sparsity,
 * 8-bit weights in COO (R = 256), 64 input vectors — exact outputs plus every event count and the
 * cycle model — against the peer `csc.T @ X` (scipy.sparse, the same integer matrix and inputs as
 * float64, which is what a scipy user would run). Target: ratio ≤ 1.5.
 *
 * Run: `npx tsc -p . && node dist/bench/simulate.js [--size 4096] [--sparsity 0.9] [--batch 64]`.
 * The matrix (the encoder benchmark's seeded generator) and inputs (MODEL §2 randomInputs: exactly 50 % zeros, rest
 * uniform in [1, 255]) are built and encoded outside the timed function; the scipy peer reads the
 * very same values written as raw bytes to a temp dir, in a python3 subprocess.
 * `runSimulateBench` is exported for `bench/run-all.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { add, complete, configure, cycle, suite } from 'benny';
import { encodeMatrix } from '../formats/registry.js';
import type { IntMatrix } from '../formats/types.js';
import { resolveMacroConfig } from '../macro-sim/config.js';
import { simulate } from '../macro-sim/engine.js';
import { randomInputs } from '../macro-sim/random-inputs.js';
import { makeBenchMatrix } from './encode.js';

/** Options of {@link runSimulateBench}. */
export interface SimulateBenchOptions {
  /** K = N = size (default 4096). */
  readonly size?: number;
  /** Magnitude sparsity (default 0.9). */
  readonly sparsity?: number;
  /** Input vectors B (default 64). */
  readonly batch?: number;
  /** Format spec (default `coo`). */
  readonly spec?: string;
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Max seconds benny spends on the case (default 5). */
  readonly maxTimeS?: number;
  /** Python executable for the scipy peer (default `python3`); `null` skips the peer. */
  readonly python?: string | null;
}

/** The benchmark's result. */
export interface SimulateBenchRow {
  /** Case name, e.g. `simulate:coo:4096x4096:s=0.90:B=64`. */
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  /** scipy `csc.T @ X` median / best (ms), NaN when skipped. */
  readonly scipyMedianMs: number;
  readonly scipyMinMs: number;
  /** medianMs / scipyMedianMs: ≤ 1.5 meets the target. */
  readonly ratio: number;
  /** Whether the peer's result equalled the simulator's outputs exactly. */
  readonly peerAgrees: boolean | null;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

const PEER_SCRIPT = `
import sys, time, json
import numpy as np, scipy.sparse as sp
d, K, N, B, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
# q.int16 holds W [K, N] column-major = the C-order array [N, K]; x.int32 holds X^T [B, K] C order.
w = np.fromfile(d + '/q.int16', dtype=np.int16).reshape(N, K).T.astype(np.float64)
x = np.ascontiguousarray(np.fromfile(d + '/x.int32', dtype=np.int32).reshape(B, K).T.astype(np.float64))
csc = sp.csc_matrix(w)
y = csc.T @ x  # warm-up, [N, B]
ts = []
for _ in range(runs):
    t0 = time.perf_counter(); y = csc.T @ x; ts.append((time.perf_counter() - t0) * 1000)
np.ascontiguousarray(y.T).astype(np.float64).tofile(d + '/y.f64')
print(json.dumps(ts))
`;

/** Time scipy's `csc.T @ X` on the same data; returns run times (ms) and its [B, N] result. */
function timeScipy(q: IntMatrix, x: Int32Array, batch: number, python: string, runs: number): { ms: number[]; y: Float64Array } {
  const dir = mkdtempSync(join(tmpdir(), 'imc-bench-sim-'));
  try {
    writeFileSync(join(dir, 'q.int16'), new Uint8Array(q.data.buffer, q.data.byteOffset, q.data.byteLength));
    writeFileSync(join(dir, 'x.int32'), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    const out = execFileSync(python, ['-c', PEER_SCRIPT, dir, String(q.rows), String(q.cols), String(batch), String(runs)], { encoding: 'utf8' });
    const bytes = readFileSync(join(dir, 'y.f64'));
    const y = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { ms: JSON.parse(out) as number[], y };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run the simulator case and the scipy peer.
 *
 * @example const row = await runSimulateBench({ size: 1024 }); row.ratio <= 1.5
 */
export async function runSimulateBench(options: SimulateBenchOptions = {}): Promise<SimulateBenchRow> {
  const size = options.size ?? 4096;
  const sparsity = options.sparsity ?? 0.9;
  const batch = options.batch ?? 64;
  const spec = options.spec ?? 'coo';
  const seed = options.seed ?? 1;
  const config = resolveMacroConfig({ rows: 256 });
  const q = makeBenchMatrix(size, sparsity, seed);
  const enc = encodeMatrix(q, spec, { valueBits: 8, segmentRows: config.rows });
  const x = randomInputs(batch, size, config.inputBits, 0.5, seed + 1);
  const inputs = { data: x, batch };
  const name = `simulate:${enc.id}:${size}x${size}:s=${sparsity.toFixed(2)}:B=${batch}`;
  const reference = simulate(enc, inputs, config); // warm-up + the outputs the peer is checked against
  const summary = await suite(
    `simulate ${size}x${size}`,
    configure({ cases: { maxTime: options.maxTimeS ?? 5, minSamples: 5 } }),
    add(name, () => simulate(enc, inputs, config)),
    cycle(),
    complete(),
  );
  const r = summary.results[0]!;
  const medianMs = median(r.details.sampleResults.map((s) => s * 1000));
  const python = options.python === undefined ? 'python3' : options.python;
  let scipyMedianMs = NaN;
  let scipyMinMs = NaN;
  let peerAgrees: boolean | null = null;
  if (python !== null) {
    const peer = timeScipy(q, x, batch, python, 15);
    scipyMedianMs = median(peer.ms);
    scipyMinMs = Math.min(...peer.ms);
    peerAgrees = peer.y.length === reference.outputs.length && peer.y.every((v, i) => v === reference.outputs[i]);
  }
  return {
    name,
    medianMs,
    minMs: r.details.min * 1000,
    scipyMedianMs,
    scipyMinMs,
    ratio: medianMs / scipyMedianMs,
    peerAgrees,
  };
}

/** Render the row as a Markdown table (for bench/RESULTS.md). */
export function simulateBenchTable(row: SimulateBenchRow): string {
  return [
    '| case | median ms | min ms | scipy csc.T @ X median ms | ratio | peer agrees |',
    '|---|---:|---:|---:|---:|---|',
    `| ${row.name} | ${row.medianMs.toFixed(1)} | ${row.minMs.toFixed(1)} | ${row.scipyMedianMs.toFixed(1)} | ${row.ratio.toFixed(2)} | ${String(row.peerAgrees)} |`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const row = await runSimulateBench({
    size: arg('--size') ? Number(arg('--size')) : undefined,
    sparsity: arg('--sparsity') ? Number(arg('--sparsity')) : undefined,
    batch: arg('--batch') ? Number(arg('--batch')) : undefined,
  });
  console.log(`\n${simulateBenchTable(row)}`);
  console.log(`\nratio ${row.ratio.toFixed(2)} (target ≤ 1.50)`);
}
