import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { expandPoints } from '../../../src/sweep/grid.js';
import { mergeResults, writeMerged } from '../../../src/sweep/merge.js';
import { runSweepToFile } from '../../../src/sweep/runner.js';
import { loadSweepSpec } from '../../../src/sweep/spec.js';
import { readJsonl, SMALL_SPEC, tempDir, TEST_EVALUATOR, writeSpec } from './helpers.js';

describe('merge', () => {
  it('merges n shard files into exactly the file one unsharded run merges to, in spec order', async () => {
    const dir = tempDir();
    const spec = await loadSweepSpec(writeSpec(dir, SMALL_SPEC));
    const whole = join(dir, 'whole.jsonl');
    await runSweepToFile(spec, whole, { jobs: 2, evaluator: TEST_EVALUATOR });
    const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.jsonl`));
    for (let i = 0; i < 3; i++) await runSweepToFile(spec, parts[i]!, { jobs: 1, shard: { index: i, count: 3 }, evaluator: TEST_EVALUATOR });
    // The shards hold the same lines as the unsharded run, modulo order.
    const lines = (p: string) => readFileSync(p, 'utf8').trimEnd().split('\n');
    expect(parts.flatMap(lines).sort()).toEqual(lines(whole).sort());
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeMerged(a, mergeResults(spec, parts));
    writeMerged(b, mergeResults(spec, [whole]));
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readJsonl(a).map((r) => r.id)).toEqual(expandPoints(spec).map((p) => p.id));
  });

  it('keeps a point recorded twice once, preferring a result over an internal error', async () => {
    const dir = tempDir();
    const spec = await loadSweepSpec(writeSpec(dir, SMALL_SPEC));
    const full = join(dir, 'full.jsonl');
    await runSweepToFile(spec, full, { jobs: 2, evaluator: TEST_EVALUATOR });
    const first = readJsonl(full)[0]!;
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, JSON.stringify({ id: first.id, point: first.point, ok: false, reason: 'boom', error: 'internal' }) + '\n' + '{"id": "ffffffffffffffff", "point": {}}\n' + '{"torn');
    const m = mergeResults(spec, [broken, full]);
    expect(m.lines).toHaveLength(12);
    expect(m).toMatchObject({ duplicates: 1, foreign: 1, tornLines: 1, internalErrors: 0, missing: 0 });
    expect(m.lines).toContain(JSON.stringify(first));
  });

  it('says how many points are missing and which shards (and files) to rerun', async () => {
    const dir = tempDir();
    const spec = await loadSweepSpec(writeSpec(dir, SMALL_SPEC));
    const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.jsonl`));
    await runSweepToFile(spec, parts[0]!, { jobs: 1, shard: { index: 0, count: 3 }, evaluator: TEST_EVALUATOR });
    await runSweepToFile(spec, parts[2]!, { jobs: 1, shard: { index: 2, count: 3 }, evaluator: TEST_EVALUATOR });
    // Lose one line of shard 2, and never run shard 1.
    const p2 = readFileSync(parts[2]!, 'utf8').split('\n');
    writeFileSync(parts[2]!, p2.slice(1).join('\n'));
    let err: unknown;
    try {
      mergeResults(spec, [parts[0]!, parts[2]!], { shards: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('SWEEP_MERGE_INCOMPLETE');
    expect((err as Error).message).toContain('5 of 12 points are missing');
    expect((err as Error).message).toContain('shards 1/3 (no file given), 2/3 (part-2.jsonl)');
    expect((err as Error).message).toContain('--shard i/3');
    // With --allow-missing the present points are merged.
    expect(mergeResults(spec, [parts[0]!, parts[2]!], { shards: 3, allowMissing: true })).toMatchObject({ missing: 5, lines: { length: 7 } });
  });

  it('reports an unreadable part as an InputError', async () => {
    const dir = tempDir();
    const spec = await loadSweepSpec(writeSpec(dir, SMALL_SPEC));
    expect(() => mergeResults(spec, [join(dir, 'nope.jsonl')])).toThrow(InputError);
  });
});
