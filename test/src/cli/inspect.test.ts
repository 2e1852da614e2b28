/** `imc-sim inspect`, the real program. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile } from '../../../src/prep/summarize.js';
import { cli, DATA, expectUserError } from './helpers.js';

describe('imc-sim inspect', () => {
  it('lists every array with dtype, shape, sparsity and the assumed layout', () => {
    const r = cli(['inspect', join(DATA, 'lenet5.npz'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const conv1 = doc.arrays.find((a: { name: string }) => a.name === 'conv1.weight');
    expect(conv1).toMatchObject({ dtype: 'float32', shape: [6, 1, 5, 5], size: 150, layout: 'oihw', matrix: { rows: 25, cols: 6 } });
    const bias = doc.arrays.find((a: { name: string }) => a.name === 'conv1.bias');
    expect(bias.layout).toBeNull();
    expect(bias.note).toMatch(/not a weight matrix/);
    expect(JSON.stringify(inspectFile(join(DATA, 'lenet5.npz')).document, null, 2) + '\n').toBe(r.stdout);
  });

  it('prints a table naming the file kind', () => {
    const r = cli(['inspect', join(DATA, 'lenet300.npz')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lenet300\.npz: npz, 6 array\(s\)/);
    expect(r.stdout).toMatch(/^fc1\.weight +float32 +\(300, 784\)/m);
  });

  it('refuses a missing file in one line (exit 2)', () => {
    expectUserError(cli(['inspect', 'no-such.npy']), 2, /no-such\.npy: no such file/);
  });
});
