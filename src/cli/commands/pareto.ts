import * as path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../io/load.js';
import { toCsv, sweepCsvColumns } from '../../results/csv.js';
import { parseObjectives } from '../../results/objectives.js';
import { paretoFront } from '../../results/pareto.js';
import { readResults } from '../../results/read-results.js';

/** `imc-sim pareto results.jsonl --objectives energyPj:min,compression:max [-o front.csv|front.json]` */
export function register(program: Command): void {
  program
    .command('pareto')
    .description('the non-dominated points of a sweep results file, as CSV (default) or JSON')
    .argument('<results.jsonl>', 'results of imc-sim sweep')
    .requiredOption('--objectives <list>', 'comma-separated name:min|max, e.g. energyPj:min,compression:max,sqnrDb:max')
    .option('--json', 'JSON instead of CSV')
    .option('-o, --output <file>', 'write to a file (.json → JSON) instead of stdout')
    .action((file: string, opts: { objectives: string; json?: boolean; output?: string }) => {
      const objectives = parseObjectives(opts.objectives.split(','));
      const records = readResults(file);
      const res = paretoFront(records, objectives);
      const asJson = opts.json || (opts.output !== undefined && path.extname(opts.output).toLowerCase() === '.json');
      const text = asJson
        ? JSON.stringify({ objectives: objectives.map((o) => `${o.name}:${o.direction}`), considered: res.considered, missing: res.missing, failed: res.failed, front: res.front }, null, 2) + '\n'
        : toCsv(res.front, sweepCsvColumns(res.front, objectives));
      if (opts.output) {
        writeFileAtomic(opts.output, new TextEncoder().encode(text));
        process.stderr.write(`pareto: ${res.front.length} of ${res.considered} points on the front (${res.failed} infeasible, ${res.missing} missing an objective) → ${opts.output}\n`);
      } else {
        process.stdout.write(text);
        process.stderr.write(`pareto: ${res.front.length} of ${res.considered} points on the front (${res.failed} infeasible, ${res.missing} missing an objective)\n`);
      }
    });
}
