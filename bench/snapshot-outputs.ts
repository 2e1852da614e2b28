/**
 * Before/after check for refactors: run the CLI on the bundled examples, save every output, and
 * compare two saved snapshots.
 *
 *     node dist/bench/snapshot-outputs.js write DIR [--cli dist/src/cli/main.js]
 *     node dist/bench/snapshot-outputs.js compare BEFORE_DIR AFTER_DIR
 *
 * `write` runs each case below from the repository root and stores `{ code, stdout, stderr }`
 * (JSON stdout parsed; wall-clock fields dropped; sweep lines sorted by id). `compare` prints, per
 * case, "same" or every differing JSON path with both values (numbers with their relative
 * difference), so a refactor can show that its outputs are identical apart from the fixes it names.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const D = 'fixtures/data';
const MNIST = ['--inputs', `${D}/mnist-test-images.npy`, '--labels', `${D}/mnist-test-labels.npy`];
const LENET5 = [`${D}/lenet5.npz`, '--graph', 'examples/lenet5.graph.yaml', ...MNIST];
const LENET300 = [`${D}/lenet300.npz`, '--graph', 'examples/lenet300.graph.yaml', ...MNIST];
const MOBILENET = `${D}/mobilenetv1-conv6-pointwise.npy`;

/** name → CLI arguments; `{tmp}` is replaced by a fresh temporary folder. */
const CASES: Record<string, string[]> = {
  'inspect-lenet300': ['inspect', `${D}/lenet300.npz`, '--json'],
  'inspect-text': ['inspect', `${D}/lenet5.npz`],
  'encode-mobilenet': ['encode', MOBILENET, '--weight-bits', '8', '--prune', 'magnitude:0.9', '--format', 'dense,bitmask,coo,rl:4,nm:2:4', '--json'],
  'encode-mobilenet-text': ['encode', MOBILENET, '--weight-bits', '8', '--prune', 'magnitude:0.9', '--format', 'dense,bitmask,coo,rl:4,nm:2:4'],
  'encode-lenet300-model': ['encode', `${D}/lenet300.npz`, '--weight-bits', '4', '--prune', 'nm:2:4', '--format', 'coo,nm:2:4', '--rows', '128', '--json'],
  'encode-lenet300-model-text': ['encode', `${D}/lenet300.npz`, '--weight-bits', '4', '--prune', 'nm:2:4', '--format', 'coo,nm:2:4', '--rows', '128'],
  'run-bundled': ['run', '--json'],
  'run-bundled-text': ['run'],
  'run-mobilenet-nm': ['run', MOBILENET, '--prune', 'nm:2:4', '--format', 'dense,bitmask,coo,rl,nm:2:4', '--json'],
  'run-lenet300-fc1-mnist': ['run', `${D}/lenet300.npz`, '--array', 'fc1.weight', '--inputs', `${D}/mnist-test-images.npy`, '--batch', '64', '--json'],
  'run-lenet300-model': ['run', `${D}/lenet300.npz`, '--prune', 'nm:2:4', '--format', 'nm:2:4,coo', '--macros', '4', '--json'],
  'run-lenet300-model-text': ['run', `${D}/lenet300.npz`, '--prune', 'nm:2:4', '--format', 'nm:2:4,coo', '--macros', '4'],
  'run-lenet5-yan-flags': ['run', `${D}/lenet5.npz`, '--macro', 'yan-28nm', '--vdd', '0.8', '--clock-mhz', '250 MHz', '--overlap-writes', '--no-skip-zero-bit-planes',
    '--weight-bits', '6', '--granularity', 'per-tensor', '--format', 'coo:6,rl:3', '--json'],
  'run-redcim-seeded': ['run', MOBILENET, '--macro', 'redcim-28nm', '--batch', '8', '--seed', '7', '--zero-fraction', '0.3', '--format', 'rl:5', '--prune', 'block:4:4:0.5', '--json'],
  'run-dump': ['run', MOBILENET, '--format', 'coo', '--dump-outputs', '{tmp}/y.npy', '--dump-quantized', '{tmp}/q.npy', '--json'],
  'eval-lenet5': ['eval', ...LENET5, '--prune', 'magnitude:0.5', '--format', 'coo,rl', '--limit', '300', '--json'],
  'eval-lenet5-text': ['eval', ...LENET5, '--prune', 'magnitude:0.5', '--format', 'coo,rl', '--limit', '300', '--no-progress'],
  'eval-lenet300-nm': ['eval', ...LENET300, '--prune', 'nm:2:4', '--format', 'nm:2:4', '--macros', '8', '--weight-bits', '4', '--limit', '300', '--batch', '50', '--json'],
  'eval-lenet5-yue': ['eval', ...LENET5, '--macro', 'yue-28nm', '--limit', '100', '--json'],
  'calibrate': ['calibrate', '--json'],
  'sweep-lenet300': ['sweep', 'examples/sweep-lenet300.yaml', '-o', '{tmp}/s.jsonl', '--jobs', '2', '--no-progress'],
  'sweep-lenet5-network': ['sweep', 'examples/sweep-lenet5-network.yaml', '-o', '{tmp}/n.jsonl', '--jobs', '2', '--no-progress'],
  // Error paths: exit codes and one-line messages.
  'err-run-coo0': ['run', MOBILENET, '--format', 'coo:0', '--no-baselines', '--json'],
  'err-run-bad-macro-file': ['run', MOBILENET, '--macro', 'no-such-macro.yaml'],
  'err-eval-bad-macro-file': ['eval', ...LENET5, '--macro', 'no-such-macro.yaml', '--limit', '10'],
  'err-run-vdd': ['run', MOBILENET, '--vdd', '5'],
  'err-run-techNm': ['run', MOBILENET, '--rows', '1000000'],
  'err-encode-nm-violation': ['encode', MOBILENET, '--weight-bits', '8', '--format', 'nm:2:4'],
};

/** Cases whose stdout is a results file written to `{tmp}`: the file is the output. */
const RESULT_FILES: Record<string, string> = { 'sweep-lenet300': 's.jsonl', 'sweep-lenet5-network': 'n.jsonl' };

function normalise(name: string, stdout: string, tmp: string): unknown {
  if (RESULT_FILES[name]) {
    const lines = readFileSync(join(tmp, RESULT_FILES[name]!), 'utf8').split('\n').filter((l) => l.length > 0);
    return lines.map((l) => JSON.parse(l) as { id: string }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  const text = stdout.split(tmp).join('{tmp}');
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    delete doc.seconds; // eval: wall-clock time
    return doc;
  } catch {
    return text;
  }
}

function write(dir: string, cli: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, args] of Object.entries(CASES)) {
    const tmp = mkdtempSync(join(tmpdir(), 'imc-snap-'));
    const argv = args.map((a) => a.replace('{tmp}', tmp));
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
    const out = { code: r.status, stdout: normalise(name, r.stdout, tmp), stderr: r.stderr.split(tmp).join('{tmp}').split('\n').filter((l) => !/^\s+at /.test(l)) };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(out, null, 1));
    process.stdout.write(`${name}: exit ${r.status} (${Date.now() - t0} ms)\n`);
  }
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length > 40) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Object.is(a, b)) out.push(`${path}: ${a} → ${b} (rel ${(Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))).toExponential(2)})`);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 300)} → ${JSON.stringify(b)?.slice(0, 300)}`);
    return;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.join() !== kb.join()) out.push(`${path}: keys [${ka.join(', ')}] → [${kb.join(', ')}]`);
  for (const k of ka) if (k in (b as object)) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
}

function compare(before: string, after: string): void {
  for (const file of readdirSync(before).filter((f) => f.endsWith('.json')).sort()) {
    const a = JSON.parse(readFileSync(join(before, file), 'utf8')) as unknown;
    let b: unknown;
    try {
      b = JSON.parse(readFileSync(join(after, file), 'utf8'));
    } catch {
      process.stdout.write(`${file}: missing after\n`);
      continue;
    }
    const out: string[] = [];
    diff(a, b, '', out);
    process.stdout.write(out.length === 0 ? `${file}: same\n` : `${file}:\n  ${out.join('\n  ')}\n`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'write' && rest[0]) {
  const i = rest.indexOf('--cli');
  write(resolve(rest[0]), resolve(i >= 0 ? rest[i + 1]! : join(ROOT, 'dist/src/cli/main.js')));
} else if (mode === 'compare' && rest[0] && rest[1]) {
  compare(resolve(rest[0]), resolve(rest[1]));
} else {
  process.stderr.write('usage: snapshot-outputs write DIR [--cli main.js] | compare BEFORE AFTER\n');
  process.exitCode = 64;
}
