/**
 * PyTorch checkpoints written by real torch.save (fixtures/io/torch, made by fixtures/make-torch-fixtures.py
 * with PyTorch 1.13.1): same values as the .npz route, every dtype, shared storages with offsets and
 * strides, nested checkpoints, pruning masks; hostile pickles refused by name and never run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import { readTorchPickle } from '../../../src/io/torch-pickle.js';
import { cli, DATA, expectUserError, ROOT } from '../cli/helpers.js';

const DIR = join(ROOT, 'fixtures/io/torch');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { files: Record<string, Record<string, { shape: number[]; values: number[] }>> };
const values = (d: ArrayLike<number | bigint>): number[] => Array.from(d as ArrayLike<number | bigint>, Number);

describe('torch.save checkpoints', () => {
  it('a state dict and a nested DataParallel checkpoint load to exactly the .npz values', () => {
    const npz = loadTensorFile(join(DATA, 'lenet300.npz')).tensors;
    for (const f of ['lenet300.pt', 'checkpoint-nested.pth']) {
      const file = loadTensorFile(join(DIR, f));
      expect(file.kind).toBe('torch');
      expect(file.tensors.map((t) => t.name)).toEqual(npz.map((t) => t.name));
      file.tensors.forEach((t, i) => {
        expect(t.dtype).toBe('float32');
        expect(t.shape).toEqual(npz[i]!.shape);
        expect(Buffer.from((t.data as Float32Array).buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from((npz[i]!.data as Float32Array).buffer, npz[i]!.data.byteOffset, npz[i]!.data.byteLength))).toBe(true);
      });
    }
  });

  it('every dtype, and views into one storage (offset, transpose, step), as PyTorch gives them', () => {
    const file = loadTensorFile(join(DIR, 'dtypes.pt'));
    const want = manifest.files['dtypes.pt']!;
    expect(file.tensors.map((t) => t.name)).toEqual(Object.keys(want));
    for (const t of file.tensors) {
      expect(t.shape, t.name).toEqual(want[t.name]!.shape);
      expect(values(t.data as ArrayLike<number>), t.name).toEqual(want[t.name]!.values);
    }
    expect(file.tensors.find((t) => t.name === 'i64')!.data).toBeInstanceOf(BigInt64Array);
    expect(file.tensors.find((t) => t.name === 'f16')!.dtype).toBe('float16');
  });

  it('torch.nn.utils.prune pairs fold into the masked weight', () => {
    const t = loadTensorFile(join(DIR, 'pruned.pt')).tensors;
    const w = t.find((x) => x.name === 'weight')!;
    expect(t.map((x) => x.name).sort()).toEqual(['bias', 'weight']);
    expect(values(w.data as Float32Array)).toEqual(manifest.files['pruned.pt']!['weight']!.values);
  });

  it('inspect and run read a .pt like an .npz', () => {
    const r = cli(['run', join(DIR, 'lenet300.pt'), '--array', 'fc2.weight', '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo', '--json', '--no-baselines']);
    expect(r.code, r.stderr).toBe(0);
    const n = cli(['run', join(DATA, 'lenet300.npz'), '--array', 'fc2.weight', '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo', '--json', '--no-baselines']);
    const strip = (s: string) => { const d = JSON.parse(s); delete d.file; delete d.seconds; return JSON.stringify(d.formats[0].energy) + JSON.stringify(d.formats[0].storage); };
    expect(strip(r.stdout)).toBe(strip(n.stdout));
  });
});

describe('hostile and damaged checkpoints', () => {
  it('refuses disallowed globals and opcodes by name, and runs nothing', () => {
    expect(() => loadTensorFile(join(DIR, 'hostile-os-system.pt'))).toThrow(/refuses the global '(posix|os)\.system'/);
    expect(() => loadTensorFile(join(DIR, 'hostile-eval.pt'))).toThrow(/refuses the global '(builtins|__builtin__)\.eval'/);
    expect(() => loadTensorFile(join(DIR, 'hostile-newobj.pt'))).toThrow(/refuses the global '__main__\.Custom'|refuses pickle opcode NEWOBJ/);
    expect(existsSync('/tmp/imc-sim-pwned')).toBe(false);
    const r = cli(['inspect', join(DIR, 'hostile-os-system.pt')]);
    expectUserError(r, 2, /refuses the global/);
  });

  it('legacy, truncated and short-storage files: one line each naming the fix', () => {
    expect(() => loadTensorFile(join(DIR, 'legacy.pt'))).toThrow(/legacy \(pre-1\.6\) torch\.save file.*re-save it in the zip format/);
    expect(() => loadTensorFile(join(DIR, 'truncated.pt'))).toThrow(/npz\/zip archive|truncated/);
    expect(() => loadTensorFile(join(DIR, 'short-storage.pt'))).toThrow(/storage '0' has 100 bytes but claims/);
  });

  it('a truncated or malformed pickle is a clean error, never a crash', () => {
    const good = Uint8Array.of(0x80, 2, 0x7d, 0x71, 0, 0x2e); // {} 
    expect(readTorchPickle(good, 'p')).toEqual(new Map());
    for (let n = 0; n < good.length - 1; n++) expect(() => readTorchPickle(good.subarray(0, n), 'p')).toThrow(/p: /);
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x68, 9, 0x2e), 'p')).toThrow(/memo key 9/);
    expect(() => readTorchPickle(Uint8Array.of(0x80, 2, 0x69), 'p')).toThrow(/opcode INST/);
  });
});
