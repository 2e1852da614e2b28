/**
 * Read a sweep results file (JSONL) for `pareto` and `plot`: every complete line, torn or foreign
 * lines reported instead of silently dropped.
 */
import * as fs from 'node:fs';
import { InputError } from '../../errors.js';
import { parseResultLines, type ResultRecord } from './results-file.js';

export function readResults(path: string): ResultRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('IO_READ', `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the results file of 'imc-sim sweep -o'`);
  }
  const { records, bad } = parseResultLines(text);
  if (records.length === 0) {
    throw new InputError('RESULTS_EMPTY', `${path}: no result lines${bad ? ` (${bad} unreadable)` : ''}; run 'imc-sim sweep SPEC -o ${path}' first`);
  }
  return records;
}
