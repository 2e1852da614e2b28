import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { loadTensorFile } from '../../../src/io/load.js';
import { parseNpy } from '../../../src/io/npy.js';
import { parseSafetensorsFile } from '../../../src/io/safetensors.js';
import { catchImc, DATA_FIXTURES, expectTensor, fixtureBytes, IO_FIXTURES, manifest } from './helpers.js';

describe('fixtures/io read exactly as the manifest says', () => {
  for (const [file, spec] of Object.entries(manifest.files)) {
    it(`${file} holds exactly the manifest's tensors`, () => {
      const opts = spec.options ?? {};
      const f = loadTensorFile(path.join(IO_FIXTURES, file), opts);
      expect(f.kind).toBe(spec.kind);
      expect(f.tensors.map((t) => t.name)).toEqual(spec.tensors.map((t) => t.name));
      for (let i = 0; i < spec.tensors.length; i++) expectTensor(f.tensors[i]!, spec.tensors[i]!);
    });
  }

  it('model.safetensors carries its __metadata__', () => {
    const f = parseSafetensorsFile(fixtureBytes('model.safetensors'));
    expect(f.metadata).toEqual(manifest.files['model.safetensors']!.metadata);
  });

  for (const [file, code] of Object.entries(manifest.errors)) {
    it(`${file} is refused with ${code}`, () => {
      const e = catchImc(() => loadTensorFile(path.join(IO_FIXTURES, file)));
      expect(e).toBeInstanceOf(InputError);
      expect(e.code).toBe(code);
      expect(e.message).toContain(file);
    });
  }

  it('a native-endian aligned C-order npy comes back as a view on the file bytes (zero copy)', () => {
    const bytes = fixtureBytes('dtype-float32-le.npy');
    const t = parseNpy(bytes, 'x');
    expect(t.data.buffer).toBe(bytes.buffer);
  });

  it('an npy with an unaligned data offset is copied, not viewed', () => {
    const bytes = fixtureBytes('unaligned-offset.npy');
    const t = parseNpy(bytes, 'x');
    expect(t.data.buffer).not.toBe(bytes.buffer);
  });
});

describe('the real files in fixtures/data', () => {
  it('lenet300.npz holds the six float32 LeNet-300-100 tensors', () => {
    const f = loadTensorFile(path.join(DATA_FIXTURES, 'lenet300.npz'));
    expect(f.kind).toBe('npz');
    expect(f.tensors.map((t) => [t.name, t.dtype, [...t.shape]])).toEqual([
      ['fc1.weight', 'float32', [300, 784]], ['fc1.bias', 'float32', [300]],
      ['fc2.weight', 'float32', [100, 300]], ['fc2.bias', 'float32', [100]],
      ['fc3.weight', 'float32', [10, 100]], ['fc3.bias', 'float32', [10]],
    ]);
    for (const t of f.tensors) expect(t.data).toBeInstanceOf(Float32Array);
  });

  it('lenet5.npz holds the ten float32 LeNet-5 tensors in OIHW layout', () => {
    const f = loadTensorFile(path.join(DATA_FIXTURES, 'lenet5.npz'));
    expect(f.tensors.map((t) => [t.name, t.dtype, [...t.shape]])).toEqual([
      ['conv1.weight', 'float32', [6, 1, 5, 5]], ['conv1.bias', 'float32', [6]],
      ['conv2.weight', 'float32', [16, 6, 5, 5]], ['conv2.bias', 'float32', [16]],
      ['fc1.weight', 'float32', [120, 400]], ['fc1.bias', 'float32', [120]],
      ['fc2.weight', 'float32', [84, 120]], ['fc2.bias', 'float32', [84]],
      ['fc3.weight', 'float32', [10, 84]], ['fc3.bias', 'float32', [10]],
    ]);
  });

  it('mobilenetv1-conv6-pointwise.npy is a float32 [512,256,1,1] tensor named after the file', () => {
    const f = loadTensorFile(path.join(DATA_FIXTURES, 'mobilenetv1-conv6-pointwise.npy'));
    expect(f.kind).toBe('npy');
    const t = f.tensors[0]!;
    expect([t.name, t.dtype, [...t.shape], t.data.length]).toEqual(['mobilenetv1-conv6-pointwise', 'float32', [512, 256, 1, 1], 131072]);
  });

  it('the MNIST digits and labels are uint8 with pixel values up to 255 and labels 0..9', () => {
    const img = loadTensorFile(path.join(DATA_FIXTURES, 'mnist-test-images.npy')).tensors[0]!;
    const lab = loadTensorFile(path.join(DATA_FIXTURES, 'mnist-test-labels.npy')).tensors[0]!;
    expect([img.dtype, [...img.shape]]).toEqual(['uint8', [2000, 1, 28, 28]]);
    expect([lab.dtype, [...lab.shape]]).toEqual(['uint8', [2000]]);
    expect(Math.max(...(lab.data as Uint8Array))).toBe(9);
    let maxPix = 0;
    for (const v of img.data as Uint8Array) maxPix = Math.max(maxPix, v);
    expect(maxPix).toBe(255);
  });
});
