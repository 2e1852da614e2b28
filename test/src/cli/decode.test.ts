/** `imc-sim decode`, the real program in a temporary folder. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DATA, expectUserError, tempDir } from './helpers.js';

describe('imc-sim decode', () => {
  it('gives back exactly the matrix encode wrote, for every format', () => {
    const dir = tempDir();
    for (const f of ['dense', 'bitmask', 'coo:5', 'rl:2', 'nm:1:4']) {
      const e = cli(['encode', join(DATA, 'mobilenetv1-conv6-pointwise.npy'), '--prune', 'nm:1:4', '--weight-bits', '5', '--format', f, '-o', 'enc.npz', '--dump-quantized', 'q.npy'], dir);
      expect(e.code, e.stderr).toBe(0);
      const d = cli(['decode', 'enc.npz', '-o', 'back.npy'], dir);
      expect(d.code, d.stderr).toBe(0);
      expect(d.stdout).toMatch(/\[K=256, N=512\], 5-bit/);
      expect(readFileSync(join(dir, 'back.npy')).equals(readFileSync(join(dir, 'q.npy')))).toBe(true);
    }
  });

  it('refuses a file that is not an encoded layer, and a missing one, in one line', () => {
    const dir = tempDir();
    expectUserError(cli(['decode', join(DATA, 'lenet300.npz'), '-o', 'x.npy'], dir), 2, /no 'meta_json' array/);
    writeFileSync(join(dir, 'empty.npz'), '');
    expectUserError(cli(['decode', 'missing.npz', '-o', 'x.npy'], dir), 2, /missing\.npz: cannot read/);
  });
});
