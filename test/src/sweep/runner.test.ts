import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { expandPoints } from '../../../src/sweep/grid.js';
import type { ResultRecord } from '../../../src/results/results-file.js';
import { runSweep, runSweepToFile } from '../../../src/sweep/runner.js';
import { parseSweepSpec } from '../../../src/sweep/spec.js';
import { readJsonl, SMALL_SPEC, tempDir, TEST_EVALUATOR } from './helpers.js';

const spec = parseSweepSpec(SMALL_SPEC, '/d');

async function collect(it: AsyncIterable<ResultRecord>): Promise<ResultRecord[]> {
  const out: ResultRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const byId = (rs: ResultRecord[]) => [...rs].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('runSweep', () => {
  it('yields one record per point, with the evaluator fields after id, point and ok', async () => {
    const rs = await collect(runSweep(spec, { jobs: 1, evaluator: TEST_EVALUATOR }));
    const planned = expandPoints(spec);
    expect(rs.map((r) => r.id).sort()).toEqual(planned.map((p) => p.id).sort());
    const ok = rs.find((r) => r.point.format === 'coo' && r.point.weightBits === 4)!;
    expect(Object.keys(ok)).toEqual(['id', 'point', 'ok', 'storage', 'metrics', 'workload']);
    expect(ok).toMatchObject({ ok: true, metrics: { energyPj: 4 * 256 * 0.25, compression: 4 }, workload: 'file' });
  });

  it('gives the same results with 2 workers as with 1', async () => {
    const one = await collect(runSweep(spec, { jobs: 1, evaluator: TEST_EVALUATOR }));
    const two = await collect(runSweep(spec, { jobs: 2, evaluator: TEST_EVALUATOR }));
    expect(byId(two)).toEqual(byId(one));
  });

  it('records an ImcError as an infeasible point with its message and code, not a failure', async () => {
    const rs = await collect(runSweep(spec, { jobs: 2, evaluator: TEST_EVALUATOR }));
    const bad = rs.filter((r) => !r.ok);
    expect(bad).toHaveLength(2); // nm:2:4 × magnitude:0.5 × {4, 8} bits
    for (const r of bad) {
      expect(r).toMatchObject({ ok: false, code: 'TEST_INFEASIBLE', point: { format: 'nm:2:4', prune: 'magnitude:0.5' } });
      expect(r.reason).toContain('use --prune nm');
      expect(r.error).toBeUndefined();
    }
  });

  it('flags any other error, and a worker that dies, as internal errors and carries on', async () => {
    const s = parseSweepSpec({ workload: { file: 'w' }, axes: { format: ['coo'], seed: [1, 13, 99, 2] } }, '/d');
    const rs = await collect(runSweep(s, { jobs: 1, evaluator: TEST_EVALUATOR }));
    const bySeed = Object.fromEntries(rs.map((r) => [r.point.seed as number, r]));
    expect(bySeed[13]).toMatchObject({ ok: false, error: 'internal' });
    expect(bySeed[13]!.reason).toContain('TypeError: unlucky seed');
    expect(bySeed[99]).toMatchObject({ ok: false, error: 'internal' });
    expect(bySeed[99]!.reason).toContain('worker thread died (exit code 3)');
    expect(bySeed[1]!.ok).toBe(true);
    expect(bySeed[2]!.ok).toBe(true);
  });

  it('loads the evaluator by any export name', async () => {
    const rs = await collect(runSweep(spec, { jobs: 1, evaluator: { ...TEST_EVALUATOR, exportName: 'other' } }));
    expect(rs).toHaveLength(12);
  });

  it('fails with a ConfigError when the evaluator module or export is not there', async () => {
    await expect(collect(runSweep(spec, { jobs: 1, evaluator: { module: join(tempDir(), 'none.mjs') } }))).rejects.toMatchObject({ code: 'SWEEP_EVALUATOR' });
    const e = await collect(runSweep(spec, { jobs: 2, evaluator: { ...TEST_EVALUATOR, exportName: 'notAFunction' } })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toContain('no exported function "notAFunction"');
  });

  it('stops dispatching when aborted and still yields the points in flight', async () => {
    process.env.SWEEP_TEST_DELAY_MS = '40';
    try {
      const ac = new AbortController();
      const rs: ResultRecord[] = [];
      for await (const r of runSweep(spec, { jobs: 2, evaluator: TEST_EVALUATOR, signal: ac.signal })) {
        rs.push(r);
        if (rs.length === 3) ac.abort();
      }
      expect(rs.length).toBeGreaterThanOrEqual(3);
      expect(rs.length).toBeLessThanOrEqual(5);
    } finally {
      delete process.env.SWEEP_TEST_DELAY_MS;
    }
  });
});

describe('runSweepToFile', () => {
  it('writes one JSON line per point and, run again, finds everything done', async () => {
    const out = join(tempDir(), 'r.jsonl');
    const first = await runSweepToFile(spec, out, { jobs: 2, evaluator: TEST_EVALUATOR });
    expect(first).toMatchObject({ totalPoints: 12, todo: 12, finished: 12, ok: 10, infeasible: 2, internalErrors: 0, interrupted: false });
    const text = readFileSync(out, 'utf8');
    expect(readJsonl(out)).toHaveLength(12);
    const again = await runSweepToFile(spec, out, { jobs: 2, evaluator: TEST_EVALUATOR });
    expect(again).toMatchObject({ alreadyDone: 12, todo: 0, finished: 0 });
    expect(readFileSync(out, 'utf8')).toBe(text);
  });
});
