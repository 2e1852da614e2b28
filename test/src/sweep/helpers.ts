/** Shared helpers of the sweep tests: temp folders, spec files, reading JSONL. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultRecord } from '../../../src/results/results-file.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** The plain-JS test evaluator. */
export const TEST_EVALUATOR = { module: join(FIXTURES, 'evaluator.mjs'), exportName: 'evaluatePoint' };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'imc-sweep-'));
}

/** Write `spec` as JSON into `dir/name` and return its path. */
export function writeSpec(dir: string, spec: unknown, name = 'spec.json'): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(spec));
  return p;
}

/** A 3 × 2 × 2 = 12-point spec with one infeasible combination (nm:2:4 × magnitude). */
export const SMALL_SPEC = {
  workload: { file: 'w.npy', batch: 4 },
  axes: { format: ['coo', 'rl:4', 'nm:2:4'], prune: ['magnitude:0.5', 'nm:2:4'], weightBits: [4, 8] },
  objectives: ['energyPj:min', 'compression:max'],
};

/** Parse a JSONL file strictly: every line must be a JSON object and the file must end in `\n`. */
export function readJsonl(path: string): ResultRecord[] {
  const text = readFileSync(path, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a newline`);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as ResultRecord);
}
