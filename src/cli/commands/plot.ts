/** `imc-sim plot results.jsonl [--objectives a:min,b:max] [-o DIR]` → SVGs + one self-contained HTML page (library: `renderPlotFiles`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../../errors.js';
import { writeFileAtomic } from '../../io/load.js';
import { renderPlotFiles } from '../../report/plots.js';
import { parseObjectives } from '../../results/objectives.js';
import { readResults } from '../../results/read-results.js';

/** Register `plot` on the program. */
export function register(program: Command): void {
  program
    .command('plot')
    .description('plot a sweep: Pareto scatter, energy breakdown per format (stacked bars), storage per format (values/index/padding/metadata) as SVG files and one self-contained HTML page')
    .argument('<results.jsonl>', 'results of imc-sim sweep')
    .option('--objectives <list>', 'the two (or more) objectives of the scatter; the first two are plotted', 'energyPj:min,compression:max')
    .option('-o, --out-dir <dir>', 'folder for pareto.svg, energy.svg, storage.svg and report.html', 'plots')
    .option('--title <text>', 'page title')
    .action(async (file: string, opts: { objectives: string; outDir: string; title?: string }) => {
      const objectives = parseObjectives(opts.objectives.split(','));
      if (objectives.length < 2) throw new ConfigError('PLOT_OBJECTIVES', `--objectives needs two objectives for the scatter; got ${objectives.length}`);
      // Render everything first, then write: an error leaves no partial set of plots.
      const files = await renderPlotFiles(readResults(file), objectives, opts.title ?? `imc-sim sweep: ${path.basename(file)}`);
      fs.mkdirSync(opts.outDir, { recursive: true });
      for (const [name, text] of files) writeFileAtomic(path.join(opts.outDir, name), new TextEncoder().encode(text));
      process.stdout.write(files.map(([name]) => `wrote ${path.join(opts.outDir, name)}`).join('\n') + '\n');
    });
}
