/**
 * End-to-end benchmarks (issues 2 and 3): the whole `imc-sim` process against the same pipeline
 * written with numpy + scipy (bench/peers/numpy_pipeline.py), both as whole processes on the same
 * seeded float32 4096×4096 `.npy` (PyTorch `[N, K]` layout, 64 MiB).
 *
 * - `e2e:encode:coo:4096x4096:s=0.90`: `imc-sim encode W.npy --prune magnitude:0.9 --weight-bits 8 --format coo`
 *   vs numpy load + prune + quantize + `csc_matrix`. Target ratio ≤ 1.0.
 * - `e2e:run:coo:4096x4096:s=0.90:B=64`: `imc-sim run W.npy --prune magnitude:0.9 --weight-bits 8 --format coo
 *   --inputs X.npy --no-baselines --no-sqnr` (exact outputs, checked against the integer product, plus every
 *   event count) vs numpy load + prune + quantize + `csc.T @ X`. Target ratio ≤ 1.0.
 *
 * Median of `runs` whole-process wall times each (interleaved, so machine load hits both alike).
 * Run: `npx tsc -p . && node dist/bench/e2e.js [--runs 5]`. Exported for bench/run-all.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeNpy } from '../src/io/npy.js';
import { Xoshiro128ss } from '../macro-sim/rng.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const PEER = join(ROOT, 'bench/peers/numpy_pipeline.py');

/** One end-to-end comparison. */
export interface E2eRow {
  readonly name: string;
  readonly medianMs: number;
  readonly peerMedianMs: number;
  /** medianMs / peerMedianMs. */
  readonly ratio: number;
  /** The ratio that meets the target. */
  readonly target: number;
  /** Peak resident set of one run of each side, MiB (null when not measured). */
  readonly peakRssMiB: number | null;
  readonly peerPeakRssMiB: number | null;
  readonly command: string;
  readonly peerCommand: string;
  /** What the peer is, for the report. */
  readonly peerLabel: string;
}

/**
 * Peak RSS (MiB) of one run of a command, read as the children's `ru_maxrss` by a python wrapper (the
 * peer needs python anyway; Node cannot read a child's rusage). Null when python is missing.
 */
function peakRssMiB(py: string, cmd: string, args: string[]): number | null {
  const r = spawnSync(py, ['-c', 'import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)', cmd, ...args], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) / 1024 : null;
}

function timeMs(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Seeded weights ~ sum of uniforms (bell-shaped, like trained weights) and inputs. */
function writeWorkload(dir: string, size: number, batch: number): { weights: string; inputs: string } {
  const rng = Xoshiro128ss.fromSeed(7);
  const w = new Float32Array(size * size);
  for (let i = 0; i < w.length; i++) w[i] = (rng.nextBelow(65536) + rng.nextBelow(65536) + rng.nextBelow(65536) - 98304) / 65536;
  const weights = join(dir, `W${size}.npy`);
  writeFileSync(weights, encodeNpy({ dtype: 'float32', shape: [size, size], data: w }));
  const x = new Float32Array(batch * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextBelow(2) === 0 ? 0 : 1 + rng.nextBelow(255);
  const inputs = join(dir, `X${size}.npy`);
  writeFileSync(inputs, encodeNpy({ dtype: 'float32', shape: [batch, size], data: x }));
  return { weights, inputs };
}

/** Run both end-to-end comparisons. */
export function runE2eBench(opts: { size?: number; batch?: number; runs?: number; python?: string } = {}): E2eRow[] {
  const size = opts.size ?? 4096, batch = opts.batch ?? 64, runs = opts.runs ?? 5, py = opts.python ?? 'python3';
  const dir = mkdtempSync(join(tmpdir(), 'imc-e2e-'));
  try {
    const { weights, inputs } = writeWorkload(dir, size, batch);
    const cases: { name: string; ours: string[]; peer: string[]; target?: number; rss?: boolean; peerIsOurs?: boolean }[] = [
      {
        name: `e2e:encode:coo:${size}x${size}:s=0.90`,
        ours: [CLI, 'encode', weights, '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo'],
        peer: [PEER, 'encode', weights],
      },
      {
        name: `e2e:run:coo:${size}x${size}:s=0.90:B=${batch}:no-baselines:no-sqnr`,
        ours: [CLI, 'run', weights, '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo', '--inputs', inputs, '--no-baselines', '--no-sqnr'],
        peer: [PEER, 'run', weights, inputs],
      },
      // Issue 13: the command as a user runs it — SQNR and all five baselines on — against numpy + scipy
      // computing the same products (the exact integer one and the float64 one of the unpruned weights).
      {
        name: `e2e:run:coo:${size}x${size}:s=0.90:B=${batch}:defaults`,
        ours: [CLI, 'run', weights, '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo', '--inputs', inputs, '--json'],
        peer: [PEER, 'run-default', weights, inputs],
        target: 1.2,
        rss: true,
      },
      // Issue 13: five formats cost at most twice one format (the ratio's peer is imc-sim with one format).
      {
        name: `e2e:run:5-formats-vs-1:${size}x${size}:nm:1:4:B=${batch}`,
        ours: [CLI, 'run', weights, '--prune', 'nm:1:4', '--weight-bits', '8', '--format', 'dense,bitmask,coo,rl:4,nm:1:4', '--inputs', inputs, '--json'],
        peer: [CLI, 'run', weights, '--prune', 'nm:1:4', '--weight-bits', '8', '--format', 'coo', '--inputs', inputs, '--json'],
        peerIsOurs: true,
        target: 2,
      },
    ];
    return cases.map((c) => {
      const peerCmd = c.peerIsOurs ? process.execPath : py;
      timeMs(process.execPath, c.ours); // warm the page cache
      timeMs(peerCmd, c.peer);
      const a: number[] = [], b: number[] = [];
      for (let i = 0; i < runs; i++) {
        a.push(timeMs(process.execPath, c.ours));
        b.push(timeMs(peerCmd, c.peer));
      }
      const medianMs = median(a), peerMedianMs = median(b);
      const strip = (args: string[]): string => args.slice(1).join(' ').replaceAll(dir + '/', '');
      return {
        name: c.name,
        medianMs,
        peerMedianMs,
        ratio: medianMs / peerMedianMs,
        target: c.target ?? 1,
        peakRssMiB: c.rss ? peakRssMiB(py, process.execPath, c.ours) : null,
        peerPeakRssMiB: c.rss ? peakRssMiB(py, peerCmd, c.peer) : null,
        command: `imc-sim ${strip(c.ours)}`,
        peerCommand: c.peerIsOurs ? `imc-sim ${strip(c.peer)}` : `python3 bench/peers/numpy_pipeline.py ${strip(c.peer)}`,
        peerLabel: c.peerIsOurs ? 'imc-sim, one format' : 'numpy + scipy',
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runsArg = process.argv.indexOf('--runs');
  const rows = runE2eBench({ runs: runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5 });
  for (const r of rows) {
    console.log(`${r.name}: imc-sim ${r.medianMs.toFixed(0)} ms, ${r.peerLabel} ${r.peerMedianMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)} (target ≤ ${r.target})` +
      (r.peakRssMiB !== null ? `; peak RSS ${r.peakRssMiB.toFixed(0)} vs ${r.peerPeakRssMiB?.toFixed(0)} MiB` : ''));
    console.log(`  ours: ${r.command}\n  peer: ${r.peerCommand}`);
  }
}
