/** `imc-sim calibrate`, the real program. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectUserError, tempDir } from './helpers.js';

describe('imc-sim calibrate', () => {
  it('--json rows carry published, modelled, error, role and the operating point; fitted points within ±15 %', () => {
    const r = cli(['calibrate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      rows: Array<{ id: string; role: string; metric: string; errorPct: number; publishedTopsPerWatt?: number; modelledTopsPerWatt?: number; operating?: { vdd: number } }>;
      energy: { fit: { worstPct: number }; heldOut: { points: number } };
    };
    const tops = doc.rows.filter((x) => x.metric === 'topsPerWatt');
    expect(tops.length).toBeGreaterThanOrEqual(5);
    for (const row of tops) {
      expect(row.publishedTopsPerWatt).toBeGreaterThan(0);
      expect(row.modelledTopsPerWatt).toBeGreaterThan(0);
      expect(row.operating!.vdd).toBeGreaterThan(0);
    }
    expect(new Set(doc.rows.map((x) => x.role))).toEqual(new Set(['fit', 'held-out']));
    expect(doc.energy.fit.worstPct).toBeLessThanOrEqual(15);
    expect(doc.energy.heldOut.points).toBeGreaterThanOrEqual(4);
  });

  it('prints the table, writes the plot and the document, and refuses a bad --batch', () => {
    const dir = tempDir();
    const r = cli(['calibrate', '--batch', '8', '--plot', join(dir, 'c.svg'), '--markdown', join(dir, 'c.md')]);
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['redcim-int8', 'yan-int8', 'guo-int8', 'yue-int4-dense', 'metis-sparsity-gain', 'held-out']) expect(r.stdout).toContain(p);
    expect(readFileSync(join(dir, 'c.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(dir, 'c.md'), 'utf8')).toContain('![modelled vs published](c.svg)');
    expectUserError(cli(['calibrate', '--batch', 'x']), 3, /--batch must be an integer; got 'x'/);
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });
  it('--points calibrates your own macro and refuses a bad file in one line', () => {
    const dir = tempDir();
    const op = '{ weightBits: 8, inputBits: 8, signedInputs: false, vdd: 0.9, clockMHz: 200, inputZeroFraction: 0.5, weightSparsity: 0 }';
    writeFileSync(join(dir, 'p.yaml'), `points:\n  - { id: mine, macro: sp-imc-28nm, metric: topsPerWatt, role: fit, published: 30, source: our chip, operating: ${op} }\n`);
    const r = cli(['calibrate', '--points', join(dir, 'p.yaml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: Array<{ id: string; errorPct: number }> };
    expect(doc.rows.map((x) => x.id)).toEqual(['mine']);
    expect(Math.abs(doc.rows[0]!.errorPct)).toBeLessThan(0.01);
    writeFileSync(join(dir, 'bad.yaml'), 'points: [ { id: x } ]\n');
    expectUserError(cli(['calibrate', '--points', join(dir, 'bad.yaml')]), 3, /bad\.yaml: points\.0/);
    expectUserError(cli(['calibrate', '--points', join(dir, 'none.yaml')]), 2, /no such calibration points file/);
  });
});
