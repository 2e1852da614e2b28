/** docs/CALIBRATION.md is generated from the live calibration and must be current. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { calibrate } from '../../../macro-sim/calibration.js';
import { calibrationMarkdown } from '../../../src/report/calibration-doc.js';
import { calibrationScatterSpec } from '../../../src/report/calibration-plot.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('docs/CALIBRATION.md', () => {
  const report = calibrate();

  test('is exactly what `imc-sim calibrate --markdown docs/CALIBRATION.md --plot docs/calibration.svg` writes', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'CALIBRATION.md'), 'utf8');
    expect(committed, 'regenerate with: node dist/src/cli/main.js calibrate --markdown docs/CALIBRATION.md --plot docs/calibration.svg').toBe(calibrationMarkdown(report, 'calibration.svg'));
  });

  test('lists every point with its role, and the fitted and held-out summaries separately', () => {
    const md = calibrationMarkdown(report);
    for (const r of report.rows) expect(md).toContain(`| ${r.id} | ${r.macro} | ${r.role} |`);
    expect(md).toContain('energy (TOPS/W and gains), fitted');
    expect(md).toContain('energy (TOPS/W and gains), held-out');
  });

  test('the plot draws one point per row, fitted and held-out told apart', () => {
    const spec = calibrationScatterSpec(report) as unknown as { layer: Array<{ data: { values: Array<{ id?: string; role?: string }> } }> };
    const points = spec.layer[1]!.data.values;
    expect(points.map((p) => p.id)).toEqual(report.rows.map((r) => r.id));
    expect(new Set(points.map((p) => p.role))).toEqual(new Set(['fit', 'held-out']));
  });
});
