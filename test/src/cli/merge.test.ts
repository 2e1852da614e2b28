/** `imc-sim merge`, the real program in a temporary folder (sweeps by the plain-JS test evaluator). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonl, SMALL_SPEC, TEST_EVALUATOR, writeSpec } from '../sweep/helpers.js';
import { cli, expectUserError, tempDir } from './helpers.js';

const EVAL = ['--no-progress', '--evaluator', `${TEST_EVALUATOR.module}#evaluatePoint`];

describe('imc-sim merge', () => {
  it('merges two shards into the spec order, identical to an unsharded sweep merged', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC, 'spec.json');
    const [p0, p1, whole, m1, m2] = ['p0', 'p1', 'whole', 'm1', 'm2'].map((n) => join(dir, `${n}.jsonl`));
    for (const args of [[p0!, '--shard', '0/2', '--jobs', '2'], [p1!, '--shard', '1/2', '--jobs', '1'], [whole!]]) {
      const r = cli(['sweep', spec, '-o', ...args, ...EVAL], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readJsonl(p0!)).toHaveLength(6);
    expect(cli(['merge', p1!, p0!, '-o', m1!, '--spec', spec], dir).code).toBe(0);
    const r = cli(['merge', whole!, '-o', m2!, '--spec', spec], dir);
    expect(r.stderr).toMatch(/^merge: 12 of 12 points from 1 file → /);
    expect(readFileSync(m1!, 'utf8')).toBe(readFileSync(m2!, 'utf8'));
    expect(readJsonl(m1!)).toHaveLength(12);
  });

  it('fails with one line naming the shard to rerun when one is missing, and writes nothing', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC);
    const p0 = join(dir, 'p0.jsonl');
    expect(cli(['sweep', spec, '-o', p0, '--shard', '0/2', ...EVAL], dir).code).toBe(0);
    const r = cli(['merge', p0, '-o', join(dir, 'm.jsonl'), '--spec', spec, '--shards', '2'], dir);
    expectUserError(r, 2, /6 of 12 points are missing from 1 file; by the --shard rule with n=2 they belong to shard 1\/2 \(no file given\)/);
    expect(() => readFileSync(join(dir, 'm.jsonl'))).toThrow();
  });

  it('refuses a bad --shards value', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC);
    expectUserError(cli(['merge', join(dir, 'x.jsonl'), '-o', join(dir, 'm.jsonl'), '--spec', spec, '--shards', '0'], dir), 3, /--shards must be a whole number ≥ 1/);
  });
});
