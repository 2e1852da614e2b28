/** `imc-sim graph MODEL` and hostile model graphs through the real program: one line, the right exit code, no output file. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../../src/network/graph.js';
import { cli, expectUserError, ROOT, tempDir } from './helpers.js';

const ONNX = join(ROOT, 'fixtures/io/onnx');
const TFJS = join(ROOT, 'fixtures/io/tfjs');

describe('imc-sim graph', () => {
  it('prints an ONNX DAG and a TF.js graph-model as YAML graphs that parse back, one layer per line', () => {
    for (const file of [join(ONNX, 'resnet-tiny.onnx'), join(TFJS, 'emotion/emotion.json')]) {
      const r = cli(['graph', file]);
      expect(r.code, r.stderr).toBe(0);
      const g = parseGraph(r.stdout, 'printed');
      expect(g.layers.length).toBeGreaterThan(10);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('  - ')).length).toBe(g.layers.length);
    }
  });

  it('refuses hostile ONNX graphs in one line (exit 3) and eval writes nothing', () => {
    const dir = tempDir();
    const csv = join(dir, 'p.csv');
    const cases: [string, RegExp][] = [
      ['hostile-cycle.onnx', /cycle/],
      ['hostile-missing-initializer.onnx', /missing|neither/],
      ['hostile-unknown-op.onnx', /LSTM/],
      ['hostile-same-lower.onnx', /SAME_LOWER/],
      ['hostile-bad-shapes.onnx', /takes|shape/],
    ];
    for (const [file, why] of cases) {
      expectUserError(cli(['graph', join(ONNX, file)]), 3, why);
      expectUserError(cli(['eval', join(ONNX, file), '--graph', join(ONNX, file), '--inputs', 'random:2', '--placement-csv', csv]), 3, why);
    }
    expect(existsSync(csv)).toBe(false);
  });

  it('refuses hostile TF.js topologies in one line (exit 3)', () => {
    expectUserError(cli(['graph', join(TFJS, 'hostile-graphs/unknown-op.json')]), 3, /Sigmoid/);
  });
});
