/** `imc-sim breakeven`, the real program. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakEvenFile } from '../../../src/breakeven/break-even.js';
import { cli, expectUserError } from './helpers.js';

const LAYER = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'data', 'mobilenetv1-conv6-pointwise.npy');

describe('imc-sim breakeven', () => {
  it('--json prints exactly the rows breakEvenFile gives; the text names each layer and format', () => {
    const args = ['--format', 'coo,rl', '--grid', '0,0.5,0.9', '--batch', '4'];
    const r = cli(['breakeven', LAYER, ...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: unknown[]; structure: string };
    expect(doc.structure).toBe('magnitude');
    const lib = breakEvenFile({ file: LAYER, formats: 'coo,rl', grid: [0, 0.5, 0.9], batch: 4 });
    expect(JSON.stringify(doc.rows)).toBe(JSON.stringify(lib.rows));
    const t = cli(['breakeven', ...args]);
    expect(t.stdout).toContain('energy break-even');
    expect(t.stdout).toContain('mobilenetv1-conv6-pointwise · rl');
  });

  it('refuses --prune, a bad structure and a bad grid in one line', () => {
    expectUserError(cli(['breakeven', '--prune', 'magnitude:0.5']), 3, /drop --prune/);
    expectUserError(cli(['breakeven', '--structure', 'nm:2:4']), 3, /--structure must be/);
    expectUserError(cli(['breakeven', '--grid', '0,x']), 3, /--grid must be/);
  });
});
