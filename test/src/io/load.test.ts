import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { loadTensorFile, selectArray, tensorToFloat64, writeFileAtomic } from '../../../src/io/load.js';
import { encodeNpy } from '../../../src/io/npy.js';
import { encodeNpz } from '../../../src/io/npz.js';
import { encodeSafetensors } from '../../../src/io/safetensors.js';
import { catchImc } from './helpers.js';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imc-io-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const w = { name: 'w', dtype: 'float32' as const, shape: [2], data: new Float32Array([1, 2]) };
const b = { name: 'b', dtype: 'int64' as const, shape: [1], data: new BigInt64Array([3n]) };

describe('loadTensorFile', () => {
  it('dispatches on magic bytes, not on the extension', () => {
    const p1 = path.join(dir, 'really-npz.bin');
    const p2 = path.join(dir, 'really-st.npy');
    const p3 = path.join(dir, 'really-npy.safetensors');
    fs.writeFileSync(p1, encodeNpz([w, b]));
    fs.writeFileSync(p2, encodeSafetensors([w]));
    fs.writeFileSync(p3, encodeNpy(w));
    expect(loadTensorFile(p1).kind).toBe('npz');
    expect(loadTensorFile(p2).kind).toBe('safetensors');
    expect(loadTensorFile(p3).kind).toBe('npy');
    expect(loadTensorFile(p3).tensors[0]!.name).toBe('really-npy.safetensors');
  });

  it('names a lone .npy tensor after the file without its extension', () => {
    const p = path.join(dir, 'conv6.npy');
    fs.writeFileSync(p, encodeNpy(w));
    expect(loadTensorFile(p).tensors.map((t) => t.name)).toEqual(['conv6']);
  });

  const refusals: Array<[string, () => string, string]> = [
    ['a missing file', () => path.join(dir, 'nope.npy'), 'IO_NOT_FOUND'],
    ['a directory', () => dir, 'IO_IS_DIRECTORY'],
    ['an empty file', () => { const p = path.join(dir, 'empty.npz'); fs.writeFileSync(p, ''); return p; }, 'IO_EMPTY'],
    ['a text file with an unknown extension', () => { const p = path.join(dir, 'notes.txt'); fs.writeFileSync(p, 'hello world'); return p; }, 'IO_UNKNOWN_FORMAT'],
    ['a text file named .npy', () => { const p = path.join(dir, 'fake.npy'); fs.writeFileSync(p, 'hello world'); return p; }, 'NPY_BAD_MAGIC'],
  ];
  for (const [what, make, code] of refusals) {
    it(`refuses ${what} with InputError ${code} naming the path`, () => {
      const p = make();
      const e = catchImc(() => loadTensorFile(p));
      expect(e).toBeInstanceOf(InputError);
      expect(e.code).toBe(code);
      expect(e.message).toContain(p);
    });
  }
});

describe('selectArray', () => {
  const file = { path: 'm.npz', kind: 'npz' as const, tensors: [w, b] };

  it('returns the tensor of that name', () => {
    expect(selectArray(file, 'b')).toBe(b);
  });

  it('returns the only tensor when no name is given', () => {
    expect(selectArray({ ...file, tensors: [w] })).toBe(w);
  });

  it('lists the available names when the name is unknown (ARRAY_NOT_FOUND)', () => {
    const e = catchImc(() => selectArray(file, 'fc9'));
    expect([e.code, e.message.includes("'w', 'b'")]).toEqual(['ARRAY_NOT_FOUND', true]);
  });

  it('lists the names when several arrays exist and none is chosen (ARRAY_AMBIGUOUS)', () => {
    const e = catchImc(() => selectArray(file));
    expect([e.code, e.message.includes("'w', 'b'")]).toEqual(['ARRAY_AMBIGUOUS', true]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file with the complete new contents and leaves no temporary file', () => {
    const p = path.join(dir, 'out.npy');
    fs.writeFileSync(p, 'old');
    writeFileAtomic(p, encodeNpy(w));
    expect(loadTensorFile(p).tensors[0]!.data).toEqual(new Float32Array([1, 2]));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing behind and throws IO_WRITE when the directory does not exist', () => {
    const p = path.join(dir, 'missing-dir', 'out.npy');
    expect(catchImc(() => writeFileAtomic(p, new Uint8Array(3))).code).toBe('IO_WRITE');
    expect(fs.existsSync(p)).toBe(false);
  });

  it('keeps the old file intact when the rename fails (target is a directory)', () => {
    const p = path.join(dir, 'a-dir');
    fs.mkdirSync(p);
    expect(catchImc(() => writeFileAtomic(p, new Uint8Array(3))).code).toBe('IO_WRITE');
    expect(fs.statSync(p).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('tensorToFloat64', () => {
  it('converts int64 exactly within ±2^53', () => {
    const t = { name: 'i', dtype: 'int64' as const, shape: [2], data: new BigInt64Array([-(2n ** 53n) + 1n, 42n]) };
    expect([...tensorToFloat64(t)]).toEqual([-(2 ** 53) + 1, 42]);
  });

  it('refuses an int64 beyond 2^53 with INT64_RANGE instead of rounding', () => {
    const t = { name: 'i', dtype: 'uint64' as const, shape: [1], data: new BigUint64Array([2n ** 60n]) };
    expect(catchImc(() => tensorToFloat64(t)).code).toBe('INT64_RANGE');
  });
});
