import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../errors.js';
import { register } from '../../../src/cli/commands/eval.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BASE = [
  'node', 'imc-sim', 'eval', ROOT + 'fixtures/data/lenet300.npz',
  '--graph', ROOT + 'examples/lenet300.graph.yaml',
  '--inputs', ROOT + 'fixtures/data/mnist-test-images.npy',
  '--labels', ROOT + 'fixtures/data/mnist-test-labels.npy',
  '--limit', '20', '--no-progress',
];

async function run(extra: string[]): Promise<string> {
  const program = new Command('imc-sim').exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await program.parseAsync([...BASE, ...extra]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('imc-sim eval', () => {
  it('prints one JSON document with the three accuracies and one run per format', async () => {
    const doc = JSON.parse(await run(['--json', '--format', 'coo,rl', '--prune', 'magnitude:0.5', '--weight-bits', '6', '--macros', '4']));
    expect(Object.keys(doc.accuracy)).toEqual(['float', 'integer', 'macro']);
    expect(doc.images).toBe(20);
    expect(doc.macro.macros).toBe(4);
    expect(doc.runs.map((r: { format: string }) => r.format)).toEqual(['coo', 'rl']);
    expect(doc.macroMatchesInteger).toBe(true);
    expect(doc.runs[0].layers).toHaveLength(3);
  });

  it('prints a readable report with a per-layer table', async () => {
    const text = await run(['--macro', 'redcim-28nm']);
    expect(text).toMatch(/^network lenet300: 20 images/);
    expect(text).toMatch(/macro redcim-28nm/);
    expect(text).toMatch(/\nfc2 +300x100 /);
    expect(text).toMatch(/baselines per image:/);
  });

  it('reads a macro config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imc-eval-'));
    writeFileSync(join(dir, 'macro.yaml'), 'macro:\n  rows: 128\n  macros: 2\n');
    const doc = JSON.parse(await run(['--json', '--macro', join(dir, 'macro.yaml')]));
    expect([doc.macro.rows, doc.macro.macros]).toEqual([128, 2]);
  });

  it('fails with a ConfigError naming a graph problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imc-eval-'));
    const g = join(dir, 'bad.yaml');
    writeFileSync(g, 'layers: [{op: flatten}, {op: linear, weight: fc9.weight}]\n');
    const args = ['--graph', g];
    await expect(run(args)).rejects.toThrow(ConfigError);
    await expect(run(args)).rejects.toThrow(/no array 'fc9\.weight' in the model; available: fc1\.weight/);
  });

  it('rejects an unknown macro preset or missing file', async () => {
    await expect(run(['--macro', 'no-such-macro'])).rejects.toThrow(/not a preset/);
  });
});
