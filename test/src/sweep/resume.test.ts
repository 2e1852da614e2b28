/**
 * "Nothing lost": a real CLI process is killed mid-sweep (SIGKILL, SIGINT), the results file is
 * checked, and the same command is rerun; it must finish only the missing points.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPoints } from '../../../src/sweep/grid.js';
import { pointId } from '../../../src/sweep/point-id.js';
import { loadSweepSpec } from '../../../src/sweep/spec.js';
import { readJsonl, SMALL_SPEC, tempDir, TEST_EVALUATOR, writeSpec } from './helpers.js';

/** The real, compiled CLI (`npm test` builds it first). */
const CLI = fileURLToPath(new URL('../../../dist/src/cli/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startSweep(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [CLI, 'sweep', ...args, '--evaluator', `${TEST_EVALUATOR.module}#evaluatePoint`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, done };
}

/** Complete lines in the file so far. */
function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').length - 1;
}

async function waitForLines(path: string, n: number, run: Run): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (lineCount(path) < n) {
    if (run.child.exitCode !== null) throw new Error('the sweep ended before it could be interrupted');
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} lines in ${path}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Ids of the points the test evaluator logged, with multiplicity. */
function loggedIds(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').trimEnd().split('\n').filter(Boolean).map((l) => pointId(JSON.parse(l) as object));
}

async function setup() {
  const dir = tempDir();
  const specPath = writeSpec(dir, SMALL_SPEC);
  const spec = await loadSweepSpec(specPath);
  return { dir, specPath, out: join(dir, 'out.jsonl'), log: join(dir, 'evaluated.log'), ids: expandPoints(spec).map((p) => p.id) };
}

describe('resuming a killed sweep', () => {
  it('after kill -9 the file is valid, and the rerun adds only the missing points', async () => {
    const { specPath, out, log, ids } = await setup();
    const run = startSweep([specPath, '-o', out, '--jobs', '2', '--no-progress'], { SWEEP_TEST_DELAY_MS: '120', SWEEP_TEST_LOG: log });
    await waitForLines(out, 3, run);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    const before = readJsonl(out); // strict: complete lines only (every write is one whole line)
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(ids.length);
    // A torn write (as from a crash mid-write) must be cut on resume, not break it.
    appendFileSync(out, '{"id":"' + ids[0]!.slice(0, 5));

    const rerun = await startSweep([specPath, '-o', out, '--jobs', '2', '--no-progress'], { SWEEP_TEST_LOG: log }).done;
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(`${before.length} already in`);
    expect(rerun.stderr).toContain('cut a torn last line');
    const after = readJsonl(out);
    expect(after.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(after.slice(0, before.length)).toEqual(before);
    // Points finished before the kill were evaluated exactly once overall.
    const logged = loggedIds(log);
    for (const r of before) expect(logged.filter((id) => id === r.id)).toHaveLength(1);
  });

  it('on SIGINT finishes the points in flight, exits 130 saying how to resume, and the rerun completes', async () => {
    const { specPath, out, log, ids } = await setup();
    const run = startSweep([specPath, '-o', out, '--jobs', '2'], { SWEEP_TEST_DELAY_MS: '120', SWEEP_TEST_LOG: log });
    await waitForLines(out, 3, run);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('rerun the same command to finish');
    expect(stopped.stderr).toMatch(/sweep: 12 points, 0 already done, 12 to run/); // plain progress off a TTY
    const before = readJsonl(out);
    expect(before.length).toBeLessThan(ids.length);
    // Points in flight were let finish: everything the evaluator started is in the file.
    expect(new Set(loggedIds(log))).toEqual(new Set(before.map((r) => r.id)));

    const rerun = await startSweep([specPath, '-o', out, '--jobs', '1', '--no-progress'], { SWEEP_TEST_LOG: log }).done;
    expect(rerun.code).toBe(0);
    const after = readJsonl(out);
    expect(after).toHaveLength(ids.length);
    expect(new Set(after.map((r) => r.id))).toEqual(new Set(ids));
    expect(loggedIds(log).sort()).toEqual([...ids].sort()); // nothing evaluated twice
  });
});
