/**
 * ONNX initializers: LeNet-5 exported by real torch.onnx.export (fixtures/io/onnx, made by
 * fixtures/make-onnx-fixtures.py) loads to exactly the .npz values, with raw data, external data or
 * typed fields; external data outside the model's folder is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import { parseOnnx } from '../../../src/io/onnx.js';
import { cli, DATA, expectUserError, ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/onnx');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, Record<string, { shape: number[]; values: number[] }>>;
const bytesOf = (d: ArrayBufferView): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

describe('ONNX models', () => {
  it('torch.onnx.export initializers, inline and as external data, equal the .npz arrays bit for bit', () => {
    const npz = loadTensorFile(join(DATA, 'lenet5.npz')).tensors;
    for (const f of ['lenet5.onnx', 'lenet5-external.onnx']) {
      const file = loadTensorFile(join(DIR, f));
      expect(file.kind).toBe('onnx');
      expect(file.tensors.map((t) => t.name)).toEqual(npz.map((t) => t.name));
      file.tensors.forEach((t, i) => {
        expect(t.shape).toEqual(npz[i]!.shape);
        expect(bytesOf(t.data).equals(bytesOf(npz[i]!.data))).toBe(true);
      });
    }
  });

  it('typed fields of every numeric type', () => {
    const file = loadTensorFile(join(DIR, 'typed-fields.onnx'));
    const want = manifest['typed-fields.onnx']!;
    expect(file.tensors.map((t) => t.name)).toEqual(Object.keys(want));
    for (const t of file.tensors) {
      expect(t.shape, t.name).toEqual(want[t.name]!.shape);
      expect(Array.from(t.data as ArrayLike<number | bigint>, Number), t.name).toEqual(want[t.name]!.values);
    }
  });

  it('run costs an ONNX layer exactly like the same .npz layer', () => {
    const args = ['--array', 'fc1.weight', '--prune', 'magnitude:0.8', '--weight-bits', '8', '--format', 'coo', '--json', '--no-baselines'];
    const a = cli(['run', join(DIR, 'lenet5.onnx'), ...args]), b = cli(['run', join(DATA, 'lenet5.npz'), ...args]);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).formats[0].energy).toEqual(JSON.parse(b.stdout).formats[0].energy);
  });

  it('refuses external data outside the model folder, and garbage, in one line', () => {
    expect(() => loadTensorFile(join(DIR, 'hostile-external-path.onnx'))).toThrow(/external data '\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd' lies outside the model's folder/);
    expectUserError(cli(['inspect', join(DIR, 'hostile-external-path.onnx')]), 2, /outside the model's folder/);
    expect(() => parseOnnx(Uint8Array.of(0x0a, 0xff, 0xff, 0xff), 'x.onnx')).toThrow(/x\.onnx: (not a valid ONNX model|no graph in the file)/);
    const real = new Uint8Array(readFileSync(join(DIR, 'lenet5.onnx')));
    expect(() => parseOnnx(real.subarray(0, real.length - 1000), 'cut.onnx')).toThrow(/cut\.onnx/);
  });
});
