/** `imc-sim sweep`, the real program in a temporary folder. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonl, SMALL_SPEC, TEST_EVALUATOR, writeSpec } from '../sweep/helpers.js';
import { cli, DATA, expectUserError, ROOT, tempDir } from './helpers.js';

const EVAL = ['--no-progress', '--evaluator', `${TEST_EVALUATOR.module}#evaluatePoint`];
const MOBILENET = join(DATA, 'mobilenetv1-conv6-pointwise.npy');

/** The fields a point's record shares with the run (or eval) document, as JSON text. */
const asText = (v: unknown): string => JSON.stringify(v);

describe('imc-sim sweep', () => {
  it('exits 70 after recording internal errors, and says how to retry them', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, { workload: { file: 'w.npy' }, axes: { format: ['coo'], seed: [1, 13] } });
    const out = join(dir, 'r.jsonl');
    const r = cli(['sweep', spec, '-o', out, ...EVAL], dir);
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/1 point failed with an internal error .*rerun the same command to retry them/);
    expect(readJsonl(out).map((x) => x.ok).sort()).toEqual([false, true]);
  });

  it('refuses bad --jobs and --shard values', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, SMALL_SPEC);
    expectUserError(cli(['sweep', spec, '-o', join(dir, 'r.jsonl'), '--jobs', '0'], dir), 3, /--jobs must be a whole number ≥ 1/);
    expectUserError(cli(['sweep', spec, '-o', join(dir, 'r.jsonl'), '--shard', '2/2'], dir), 3, /shard/);
  });

  it('refuses what run refuses, up front, every problem in one line, and writes nothing', () => {
    const dir = tempDir();
    const spec = writeSpec(dir, {
      workload: { file: MOBILENET },
      axes: { format: ['coo', 'csr'], vdd: [5], techNm: [7], rows: [1000000], prune: ['magnitude:1.5'] },
      points: [{ format: 'coo', rows: 64, writeRowsPerCycle: 128 }, { format: 'coo', macro: 'missing.yaml' }],
    });
    const out = join(dir, 'r.jsonl');
    const r = cli(['sweep', spec, '-o', out, '--no-progress'], dir);
    expectUserError(r, 3, /problems: /);
    for (const part of ['axes.format[1]', 'axes.vdd[0]: 5: must be in [0.5, 1.2] V', 'axes.techNm[0]', 'axes.rows[0]', 'axes.prune[0]', 'writeRowsPerCycle must be ≤ macro.rows (64)', 'missing.yaml']) {
      expect(r.stderr).toContain(part);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('accepts what run accepts: coo:0, unit strings, a macro file beside the spec', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'macro.yaml'), 'rows: 128\nmacros: 2\n');
    const spec = writeSpec(dir, {
      workload: { file: MOBILENET, batch: 2 },
      axes: { format: ['coo:0'], clockMHz: ['1 GHz'], macro: ['macro.yaml'] },
    });
    const out = join(dir, 'r.jsonl');
    const r = cli(['sweep', spec, '-o', out, '--no-progress', '--jobs', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = readJsonl(out);
    expect(rec!.ok).toBe(true);
    expect(rec!.format).toBe('coo:0');
    expect((rec!.mapping as { loads: number }).loads).toBeGreaterThan(0);
  });

  it('gives each point exactly the objects imc-sim run prints for the same options', () => {
    const dir = tempDir();
    const points = [
      { format: 'coo', prune: 'magnitude:0.9', weightBits: 6, rows: 128, batch: 3, clockMHz: '1 GHz' },
      { format: 'rl:3', prune: 'bcr:16:16:0.5', macro: 'yan-28nm', seed: 7, zeroFraction: 0.25, batch: 2 },
      { format: 'nm:2:4', prune: 'nm:2:4', granularity: 'per-tensor', skipZeroBitPlanes: false, batch: 2 },
    ];
    const spec = writeSpec(dir, { workload: { file: MOBILENET }, points });
    const out = join(dir, 'r.jsonl');
    expect(cli(['sweep', spec, '-o', out, '--no-progress', '--jobs', '2'], dir).code).toBe(0);
    const records = readJsonl(out);
    const flags = [
      ['--format', 'coo', '--prune', 'magnitude:0.9', '--weight-bits', '6', '--rows', '128', '--batch', '3', '--clock-mhz', '1 GHz'],
      ['--format', 'rl:3', '--prune', 'bcr:16:16:0.5', '--macro', 'yan-28nm', '--seed', '7', '--zero-fraction', '0.25', '--batch', '2'],
      ['--format', 'nm:2:4', '--prune', 'nm:2:4', '--granularity', 'per-tensor', '--no-skip-zero-bit-planes', '--batch', '2'],
    ];
    points.forEach((p, i) => {
      const rec = records.find((x) => asText(x.point) === asText(p))!;
      const r = cli(['run', MOBILENET, ...flags[i]!, '--no-baselines', '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      const f = doc.formats[0];
      expect(asText([rec.format, rec.matrix, rec.nnz, rec.sparsity, rec.outputsExact])).toBe(asText([f.format, doc.matrix, doc.nnz, doc.sparsity, f.outputsExact]));
      for (const k of ['storage', 'mapping', 'timing', 'energy', 'metrics', 'area']) expect(asText(rec[k])).toBe(asText(f[k]));
    });
  });

  it('gives a network point exactly the totals imc-sim eval prints for the same options', () => {
    const dir = tempDir();
    const point = { format: 'coo', prune: 'magnitude:0.5', weightBits: 6, macros: 4, vdd: 0.8 };
    const spec = writeSpec(dir, {
      workload: { model: join(DATA, 'lenet300.npz'), graph: join(ROOT, 'examples/lenet300.graph.yaml'), inputs: join(DATA, 'mnist-test-images.npy'), labels: join(DATA, 'mnist-test-labels.npy'), limit: 40 },
      points: [point],
    });
    const out = join(dir, 'r.jsonl');
    expect(cli(['sweep', spec, '-o', out, '--no-progress', '--jobs', '1'], dir).code).toBe(0);
    const [rec] = readJsonl(out);
    const r = cli(['eval', join(DATA, 'lenet300.npz'), '--graph', join(ROOT, 'examples/lenet300.graph.yaml'), '--inputs', join(DATA, 'mnist-test-images.npy'), '--labels', join(DATA, 'mnist-test-labels.npy'),
      '--limit', '40', '--format', 'coo', '--prune', 'magnitude:0.5', '--weight-bits', '6', '--macros', '4', '--vdd', '0.8', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const run = doc.runs[0];
    expect(asText([rec!.format, rec!.images, rec!.accuracy, rec!.macroMatchesInteger])).toBe(asText([run.format, doc.images, doc.accuracy, doc.macroMatchesInteger]));
    for (const k of ['storage', 'mapping', 'timing', 'energy', 'metrics', 'area']) expect(asText(rec![k])).toBe(asText(run.total[k]));
  });
});
