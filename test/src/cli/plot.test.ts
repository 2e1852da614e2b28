/** `imc-sim plot`, the real program on a results file in a temporary folder. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleResultsFile } from '../report/sample-records.js';
import { checkSvg } from '../report/svg-check.js';
import { cli, expectUserError } from './helpers.js';

describe('imc-sim plot', () => {
  it('writes the three SVGs and the self-contained page', () => {
    const { dir, file } = sampleResultsFile();
    const r = cli(['plot', file, '-o', 'plots', '--title', 'my sweep'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'plots')).sort()).toEqual(['energy.svg', 'pareto.svg', 'report.html', 'storage.svg']);
    for (const svg of ['energy.svg', 'pareto.svg', 'storage.svg']) expect(checkSvg(readFileSync(join(dir, 'plots', svg), 'utf8'))).toBeNull();
    expect(readFileSync(join(dir, 'plots', 'report.html'), 'utf8')).toContain('my sweep');
  });

  it('refuses a single objective before writing anything', () => {
    const { dir, file } = sampleResultsFile();
    expectUserError(cli(['plot', file, '--objectives', 'energyPj:min', '-o', 'plots'], dir), 3, /needs two objectives/);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
  });
});
