/** `imc-sim pareto`, the real program on a results file in a temporary folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paretoFront } from '../../../src/results/pareto.js';
import { parseObjectives } from '../../../src/results/objectives.js';
import { sampleRecords, sampleResultsFile } from '../report/sample-records.js';
import { cli, expectUserError } from './helpers.js';

describe('imc-sim pareto', () => {
  it('prints the front as JSON: the non-dominated points of paretoFront, with counts', () => {
    const { dir, file } = sampleResultsFile();
    const r = cli(['pareto', file, '--objectives', 'energyPj:min,compression:max', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const want = paretoFront(sampleRecords(), parseObjectives('energyPj:min,compression:max'));
    expect(doc.front.map((x: { id: string }) => x.id)).toEqual(want.front.map((x) => x.id));
    expect(doc).toMatchObject({ objectives: ['energyPj:min', 'compression:max'], considered: 36, failed: 2, missing: 0 });
    expect(r.stderr).toMatch(new RegExp(`^pareto: ${want.front.length} of 36 points on the front \\(2 infeasible, 0 missing an objective\\)`));
  });

  it('writes CSV with one row per front point to -o', () => {
    const { dir, file } = sampleResultsFile();
    const r = cli(['pareto', file, '--objectives', 'energyPj:min,compression:max,sqnrDb:max', '-o', 'front.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'front.csv'), 'utf8').trimEnd().split('\n');
    const n = paretoFront(sampleRecords(), parseObjectives('energyPj:min,compression:max,sqnrDb:max')).front.length;
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toContain('energyPj');
  });

  it('refuses an unknown objective and a missing file in one line', () => {
    const { dir, file } = sampleResultsFile();
    expectUserError(cli(['pareto', file, '--objectives', 'speed:max'], dir), 3, /speed/);
    expectUserError(cli(['pareto', join(dir, 'none.jsonl'), '--objectives', 'energyPj:min'], dir), 2, /none\.jsonl: cannot read/);
  });
});
