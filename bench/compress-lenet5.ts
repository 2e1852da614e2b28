/**
 * `imc-sim compress` of LeNet-5 to the issue-11 target (≥ 16× fewer nonzero weights, within 1 point of
 * the float model, 8-bit weights), as a user runs it (defaults, all 8,000 training digits). Target:
 * under 10 minutes on this 2-core machine. No peer: the figure is the wall time of the one command.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompressReport } from '../src/compress/compress-model.js';
import { CASES, commandOf } from './make-compression-results.js';

export interface CompressBench {
  readonly name: string;
  readonly seconds: number;
  readonly compression: number;
  readonly floatBefore: number;
  readonly macroAfter: number;
}

export function runCompressLenet5Bench(): CompressBench {
  const c = CASES.find((x) => x.net === 'lenet5' && x.label === 'irregular')!;
  const out = join(mkdtempSync(join(tmpdir(), 'imc-bench-')), 'lenet5.npz');
  const t0 = performance.now();
  const stdout = execFileSync(process.execPath, [join(process.cwd(), 'dist/src/cli/main.js'), ...commandOf(c, out), '--json', '--no-progress'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  const doc = JSON.parse(stdout) as CompressReport;
  return {
    name: `compress:lenet5:admm:magnitude:b_w=8:train=8000`,
    seconds, compression: doc.total.compression, floatBefore: doc.accuracy.floatBefore, macroAfter: doc.accuracy.macroAfter,
  };
}
