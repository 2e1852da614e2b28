/** The `sweep` and `merge` commands, run in-process against a temporary folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register as registerMerge } from '../../../src/cli/commands/merge.js';
import { parseEvaluator, parseJobs, register as registerSweep } from '../../../src/cli/commands/sweep.js';
import { ConfigError, InternalError, type ImcError } from '../../../errors.js';
import { exitCodeOf } from '../../../src/cli/main.js';
import { readJsonl, SMALL_SPEC, tempDir, TEST_EVALUATOR, writeSpec } from './helpers.js';

function cli(...args: string[]): Promise<unknown> {
  const program = new Command('imc-sim').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSweep(program);
  registerMerge(program);
  return program.parseAsync(['node', 'imc-sim', ...args]);
}
const EVAL = `${TEST_EVALUATOR.module}#evaluatePoint`;

describe('imc-sim sweep and merge', () => {
  it('run two shards and merge them into the spec order, identical to an unsharded sweep merged', async () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC, 'spec.json');
    const [p0, p1, whole, m1, m2] = ['p0', 'p1', 'whole', 'm1', 'm2'].map((n) => join(dir, `${n}.jsonl`));
    await cli('sweep', spec, '-o', p0!, '--shard', '0/2', '--jobs', '2', '--no-progress', '--evaluator', EVAL);
    await cli('sweep', spec, '-o', p1!, '--shard', '1/2', '--jobs', '1', '--no-progress', '--evaluator', EVAL);
    await cli('sweep', spec, '-o', whole!, '--no-progress', '--evaluator', EVAL);
    expect(readJsonl(p0!)).toHaveLength(6);
    await cli('merge', p1!, p0!, '-o', m1!, '--spec', spec);
    await cli('merge', whole!, '-o', m2!, '--spec', spec);
    expect(readFileSync(m1!, 'utf8')).toBe(readFileSync(m2!, 'utf8'));
    expect(readJsonl(m1!)).toHaveLength(12);
  });

  it('merge fails with an InputError naming the shard to rerun when one is missing', async () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC);
    const p0 = join(dir, 'p0.jsonl');
    await cli('sweep', spec, '-o', p0, '--shard', '0/2', '--no-progress', '--evaluator', EVAL);
    await expect(cli('merge', p0, '-o', join(dir, 'm.jsonl'), '--spec', spec, '--shards', '2')).rejects.toMatchObject({
      code: 'SWEEP_MERGE_INCOMPLETE',
      message: expect.stringContaining('6 of 12 points are missing from 1 file; by the --shard rule with n=2 they belong to shard 1/2 (no file given)'),
    });
  });

  it('sweep exits 70 after recording internal errors, and says how to retry them', async () => {
    const dir = tempDir();
    const spec = writeSpec(dir, { workload: { file: 'w.npy' }, axes: { format: ['coo'], seed: [1, 13] } });
    const out = join(dir, 'r.jsonl');
    await expect(cli('sweep', spec, '-o', out, '--no-progress', '--evaluator', EVAL)).rejects.toSatisfy((e: ImcError) => e instanceof InternalError && e.code === 'SWEEP_INTERNAL_ERRORS' && exitCodeOf(e) === 70);
    expect(readJsonl(out).map((r) => r.ok).sort()).toEqual([false, true]);
  });

  it('rejects bad --jobs and --shard values with ConfigErrors', async () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC);
    await expect(cli('sweep', spec, '-o', join(dir, 'r.jsonl'), '--jobs', '0')).rejects.toSatisfy((e: ImcError) => e instanceof ConfigError && e.code === 'SWEEP_JOBS_INVALID' && exitCodeOf(e) === 3);
    await expect(cli('sweep', spec, '-o', join(dir, 'r.jsonl'), '--shard', '2/2')).rejects.toMatchObject({ code: 'SWEEP_SHARD_INVALID' });
    expect(parseJobs('3')).toBe(3);
    expect(parseEvaluator('/x/e.mjs#run')).toEqual({ module: '/x/e.mjs', exportName: 'run' });
    expect(parseEvaluator('/x/e.mjs')).toEqual({ module: '/x/e.mjs' });
  });
});
