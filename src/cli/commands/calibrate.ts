/**
 * `imc-sim calibrate [--json] [--plot FILE.svg] [--markdown FILE.md] [--points FILE]`: every published
 * operating point on its macro preset (or your own points), fitted and held-out errors (library:
 * `calibrate`, `loadCalibrationPoints`).
 */
import type { Command } from 'commander';
import { calibrate } from '../../../macro-sim/calibration.js';
import { loadCalibrationPoints } from '../../io/calibration-points-file.js';
import { writeFileAtomic } from '../../io/load.js';
import { calibrationMarkdown } from '../../report/calibration-doc.js';
import { calibrationScatterSvg } from '../../report/calibration-plot.js';
import { calibrateTextReport } from '../../report/calibrate-text.js';
import { VERSION } from '../../version.js';
import { intFlag, parseFlags } from '../flags.js';
import { basename, dirname, relative } from 'node:path';

const CalibrateFlags = { batch: intFlag('--batch'), seed: intFlag('--seed') };

/** Register `calibrate` on the program. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description('run every published operating point of calibration-points.ts on its macro preset; report modelled vs published with fitted and held-out errors separately')
    .option('--batch <B>', 'input vectors per run', '64')
    .option('--seed <S>', 'seed of weights (inputs: seed + 1)', '1')
    .option('--json', 'one JSON document on stdout')
    .option('--plot <file.svg>', 'also write the modelled-vs-published plot (SVG)')
    .option('--markdown <file.md>', 'also write the calibration document (docs/CALIBRATION.md)')
    .option('--points <file>', "calibrate on your own points (JSON/YAML, shape of macro-sim/calibration-points.ts) instead of the built-in ones; the rows then show the constants fitted on your 'fit' points")
    .action(async (opts: Record<string, unknown>) => {
      const flags = parseFlags(CalibrateFlags, opts);
      const report = typeof opts.points === 'string'
        ? calibrate({ ...flags, applyFit: true }, loadCalibrationPoints(opts.points))
        : calibrate(flags);
      const enc = new TextEncoder();
      if (typeof opts.plot === 'string') writeFileAtomic(opts.plot, enc.encode(await calibrationScatterSvg(report)));
      if (typeof opts.markdown === 'string') {
        const plotRef = typeof opts.plot === 'string' ? relative(dirname(opts.markdown), opts.plot) || basename(opts.plot) : 'calibration.svg';
        writeFileAtomic(opts.markdown, enc.encode(calibrationMarkdown(report, plotRef)));
      }
      process.stdout.write(opts.json ? JSON.stringify({ tool: 'imc-sim', version: VERSION, ...report }, null, 2) + '\n' : calibrateTextReport(report));
    });
}
