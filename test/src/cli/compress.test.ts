/** `imc-sim compress`, the real program in a temporary folder. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DATA, expectUserError, ROOT, tempDir } from './helpers.js';

const FILES = [
  join(DATA, 'lenet300.npz'), '--graph', join(ROOT, 'examples/lenet300.graph.yaml'),
  '--train', join(DATA, 'mnist-train-images.npy'), '--labels', join(DATA, 'mnist-train-labels.npy'),
  '--test', join(DATA, 'mnist-test-images.npy'), '--labels-test', join(DATA, 'mnist-test-labels.npy'),
  '--train-limit', '200', '--test-limit', '100', '--epochs', '1', '--retrain-epochs', '1', '--no-progress',
];

describe('imc-sim compress', () => {
  it('writes torch-style masks that eval folds back to the reported accuracy; --json is one document', () => {
    const dir = tempDir();
    const r = cli(['compress', ...FILES, '--sparsity', '0.8', '--masks', 'torch', '-o', 'out.npz', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.method).toBe('admm');
    expect(doc.layers.map((l: { name: string }) => l.name)).toEqual(['fc1', 'fc2', 'fc3']);
    expect(doc.total.compression).toBeGreaterThanOrEqual(1 / 0.2 - 1e-9);
    const ev = cli(['eval', join(dir, 'out.npz'), '--graph', join(ROOT, 'examples/lenet300.graph.yaml'), '--inputs', join(DATA, 'mnist-test-images.npy'),
      '--labels', join(DATA, 'mnist-test-labels.npy'), '--limit', '100', '--format', 'coo', '--json', '--no-progress'], dir);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout).accuracy.macro).toBe(doc.accuracy.macroAfter);
    const text = cli(['compress', ...FILES, '--sparsity', '0.8'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/fewer nonzero weights/);
    expect(text.stdout).toMatch(/fc1 +784×300 +magnitude:0\.8/);
  }, 120_000);

  it('bad input: one line, exit 3 (config) or 2 (input), no output file', () => {
    const dir = tempDir();
    expectUserError(cli(['compress', ...FILES, '--sparsity', '1.5', '-o', 'x.npz'], dir), 3, /sparsity must be in \[0, 1\)/);
    expectUserError(cli(['compress', ...FILES, '--structure', 'nm:4:2', '-o', 'x.npz'], dir), 3, /N must be ≤ m/);
    expectUserError(cli(['compress', ...FILES, '--sparsity', '0.5', '--labels', join(DATA, 'mnist-test-labels.npy'), '-o', 'x.npz'], dir), 2, /one label per image/);
    expectUserError(cli(['compress', ...FILES, '--sparsity', '0.5', '-o', 'x.txt'], dir), 3, /\.npz or \.safetensors/);
    expect(existsSync(join(dir, 'x.npz'))).toBe(false);
  }, 60_000);
});
