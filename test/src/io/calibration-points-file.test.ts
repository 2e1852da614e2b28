/** Your own calibration points (`imc-sim calibrate --points FILE`): parsing and every problem at once. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { calibrate } from '../../../macro-sim/calibration.js';
import { CALIBRATION_POINTS } from '../../../macro-sim/calibration-points.js';
import { join } from 'node:path';
import { loadCalibrationPoints, parseCalibrationPoints } from '../../../src/io/calibration-points-file.js';

const op = { weightBits: 8, inputBits: 8, signedInputs: false, vdd: 0.9, clockMHz: 200, inputZeroFraction: 0.5, weightSparsity: 0 };
const own = (published: number, role: 'fit' | 'held-out', id: string, weightBits = 8) => ({
  id, macro: 'sp-imc-28nm', metric: 'topsPerWatt', role, published, source: 'our chip', macroParams: { rows: 128, bitColumns: 128 },
  operating: { ...op, weightBits, inputBits: weightBits },
});

describe('parseCalibrationPoints', () => {
  it('reads the built-in points back unchanged (the file shape is the library shape)', () => {
    expect(parseCalibrationPoints({ points: CALIBRATION_POINTS })).toEqual(CALIBRATION_POINTS);
  });

  it('fits your macro: the fitted tree energy reproduces your fit point, and a held-out point is predicted from it', () => {
    const points = parseCalibrationPoints({ points: [own(30, 'fit', 'a'), own(90, 'held-out', 'b', 4)] });
    const report = calibrate({ applyFit: true }, points);
    expect(Math.abs(report.rows[0]!.errorPct)).toBeLessThan(0.01);
    expect(report.rows[1]!.role).toBe('held-out');
    // Halving the published figure of the fit point changes the constant (it is fitted on it) …
    const half = calibrate({ applyFit: true }, parseCalibrationPoints({ points: [own(15, 'fit', 'a'), own(90, 'held-out', 'b', 4)] }));
    expect(half.fitted.adderTreeDataBitFj).toBeGreaterThan(report.fitted.adderTreeDataBitFj);
    // … while the held-out figure does not.
    const moved = calibrate({ applyFit: true }, parseCalibrationPoints({ points: [own(30, 'fit', 'a'), own(1, 'held-out', 'b', 4)] }));
    expect(moved.fitted).toEqual(report.fitted);
  });

  it('reads the bundled example (examples/my-macro-points.yaml): one fit point, three held out', () => {
    const points = loadCalibrationPoints(join(import.meta.dirname, '..', '..', '..', 'examples', 'my-macro-points.yaml'));
    expect(points.map((p) => p.role)).toEqual(['fit', 'held-out', 'held-out', 'held-out']);
    const report = calibrate({ applyFit: true, batch: 8 }, points);
    expect(Math.abs(report.rows[0]!.errorPct)).toBeLessThan(0.01);
  });

  it('reports every problem at once, naming the point and the field', () => {
    const bad = {
      points: [
        { ...own(30, 'fit', 'a'), published: -1 },
        { ...own(30, 'fit', 'a'), macro: 'my-chip' },
        { ...own(30, 'fit', 'c'), macroParams: { rows: 1 } },
        { id: 'd', macro: 'x', metric: 'maxClockMHz', role: 'held-out', vdd: 0.8, published: 100, source: 's' },
      ],
    };
    expect(() => parseCalibrationPoints(bad)).toThrow(ConfigError);
    expect(() => parseCalibrationPoints(bad)).toThrow(/published: Too small/);
    const ok = { points: bad.points.slice(1) };
    let msg = '';
    try { parseCalibrationPoints(ok); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/point a: macro must be a preset/);
    expect(msg).toMatch(/point c: .*macro\.rows must be an integer/);
    expect(msg).toMatch(/point d: a clock point needs a fit clock point/);
    expect(() => parseCalibrationPoints({ points: [] })).toThrow(/points/);
  });
});
