/** `imc-sim calibrate`, the real program. */
import { describe, expect, it } from 'vitest';
import { cli, expectUserError } from './helpers.js';

describe('imc-sim calibrate', () => {
  it('lands every calibration preset within ±30 % of its published TOPS/W', () => {
    const r = cli(['calibrate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<{ preset: string; role: string; errorPct: number }>;
    const cal = rows.filter((x) => x.role === 'calibration').map((x) => x.preset);
    expect(cal).toEqual(expect.arrayContaining(['redcim-28nm', 'yan-28nm']));
    for (const row of rows.filter((x) => x.role === 'calibration')) expect(Math.abs(row.errorPct)).toBeLessThanOrEqual(30);
  });

  it('prints the table with every preset and refuses a bad --batch', () => {
    const r = cli(['calibrate', '--batch', '8']);
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['redcim-28nm', 'yan-28nm', 'guo-28nm', 'yue-28nm']) expect(r.stdout).toContain(p);
    expectUserError(cli(['calibrate', '--batch', 'x']), 3, /--batch must be an integer; got 'x'/);
  });
});
