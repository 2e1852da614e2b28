/**
 * Sweep scaling benchmark (issue 4): the 500-point sweep of examples/sweep-lenet300.yaml
 * (LeNet-300-100 fc1, formats × prune × weight bits × rows) through the real CLI with `--jobs 1`
 * and `--jobs 2`, in the same script. Target: jobs 2 ≥ 1.7× faster than jobs 1.
 * Run: `npx tsc -p . && node dist/bench/sweep-scaling.js`. Exported for bench/run-all.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SPEC = join(ROOT, 'examples/sweep-lenet300.yaml');

/** The scaling result. */
export interface SweepScalingRow {
  readonly name: string;
  readonly points: number;
  readonly jobs1Ms: number;
  readonly jobs2Ms: number;
  readonly jobs1PointsPerS: number;
  readonly jobs2PointsPerS: number;
  /** jobs1Ms / jobs2Ms (≥ 1.7 meets the target). */
  readonly speedup: number;
}

function sweepMs(jobs: number): { ms: number; points: number } {
  const dir = mkdtempSync(join(tmpdir(), 'imc-sweep-bench-'));
  try {
    const out = join(dir, 'r.jsonl');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'sweep', SPEC, '-o', out, '--jobs', String(jobs), '--no-progress'], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr}`);
    return { ms, points: readFileSync(out, 'utf8').trimEnd().split('\n').length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the sweep with 1 and 2 jobs (alternating, `repeats` times each; the best of each is kept). */
export function runSweepScalingBench(repeats = 2): SweepScalingRow {
  let j1 = Infinity, j2 = Infinity, points = 0;
  for (let i = 0; i < repeats; i++) {
    const a = sweepMs(1), b = sweepMs(2);
    j1 = Math.min(j1, a.ms);
    j2 = Math.min(j2, b.ms);
    points = a.points;
  }
  return {
    name: `sweep:lenet300-fc1:${points}-points:jobs=1-vs-2`,
    points,
    jobs1Ms: j1,
    jobs2Ms: j2,
    jobs1PointsPerS: points / (j1 / 1000),
    jobs2PointsPerS: points / (j2 / 1000),
    speedup: j1 / j2,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = runSweepScalingBench();
  console.log(`${r.name}: jobs 1 ${(r.jobs1Ms / 1000).toFixed(1)} s (${r.jobs1PointsPerS.toFixed(1)} points/s), jobs 2 ${(r.jobs2Ms / 1000).toFixed(1)} s (${r.jobs2PointsPerS.toFixed(1)} points/s), speed-up ${r.speedup.toFixed(2)}×`);
}
