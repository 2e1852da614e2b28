import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import { encodeNpy } from '../../../src/io/npy.js';
import { encodeFile } from '../../../src/encode/encode-file.js';
import { cli, DATA, expectUserError, tempDir } from './helpers.js';

const MOBILENET = join(DATA, 'mobilenetv1-conv6-pointwise.npy');
const STORAGE_KEYS = ['valueBits', 'indexBits', 'paddingBits', 'metadataBits', 'totalBits', 'denseBits', 'compression', 'segments'];

describe('imc-sim encode', () => {
  it('prints exactly the document encodeFile gives, with R from --rows or the --macro preset', () => {
    const r = cli(['encode', MOBILENET, '--weight-bits', '8', '--prune', 'nm:2:4', '--format', 'coo,nm:2:4', '--macro', 'yan-28nm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { document } = encodeFile({ file: MOBILENET, weightBits: 8, prune: 'nm:2:4', formats: 'coo,nm:2:4', macro: 'yan-28nm' });
    expect(JSON.stringify(document, null, 2) + '\n').toBe(r.stdout);
    expect((document as { segmentRows: number }).segmentRows).toBe(32);
    expect(JSON.parse(cli(['encode', MOBILENET, '--weight-bits', '8', '--format', 'coo', '--rows', '128', '--json']).stdout).segmentRows).toBe(128);
  });

  it('takes one layout per rank for a model file and refuses two of the same rank', () => {
    const r = cli(['encode', join(DATA, 'lenet5.npz'), '--weight-bits', '8', '--format', 'coo', '--layout', 'oihw,io', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const layers = JSON.parse(r.stdout).layers as Array<{ name: string; layout: string }>;
    expect(layers.find((l) => l.name === 'conv1.weight')!.layout).toBe('oihw');
    expect(layers.find((l) => l.name === 'fc1.weight')!.layout).toBe('io');
    expectUserError(cli(['encode', MOBILENET, '--weight-bits', '8', '--format', 'coo', '--layout', 'oi,io']), 3, /names two 2-D layouts \(oi, io\)/);
  });

  it('prints one JSON document whose storage objects have exactly the documented keys', () => {
    const r = cli(['encode', MOBILENET, '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo,rl:4,bitmask,dense', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.matrix).toEqual({ rows: 256, cols: 512 });
    expect(doc.nnz).toBe(13108); // floor(0.9 · 256 · 512) = 117964 pruned of 131072; quantization adds no zeros here
    expect(doc.formats.map((f: { format: string }) => f.format)).toEqual(['coo:8', 'rl:4', 'bitmask', 'dense']);
    for (const f of doc.formats) {
      expect(Object.keys(f.storage)).toEqual(STORAGE_KEYS);
      const s = f.storage;
      expect(s.totalBits).toBe(s.valueBits + s.indexBits + s.paddingBits + s.metadataBits);
      expect(s.denseBits).toBe(256 * 512 * 8);
    }
    // dense: K·N·b_w value bits and nothing else
    expect(doc.formats[3].storage).toMatchObject({ valueBits: 1048576, indexBits: 0, paddingBits: 0, metadataBits: 0, segments: 512 });
    // coo:8 has nnz × (8 + 8) entry bits
    expect(doc.formats[0].storage.valueBits).toBe(13108 * 8);
    expect(doc.formats[0].storage.indexBits).toBe(13108 * 8);
  });

  it('writes an encoded .npz and decode gives back exactly the --dump-quantized matrix', () => {
    const dir = tempDir();
    const r = cli(['encode', MOBILENET, '--prune', 'magnitude:0.8', '--weight-bits', '6', '--format', 'rl:3', '-o', 'enc.npz', '--dump-quantized', 'q.npy'], dir);
    expect(r.code, r.stderr).toBe(0);
    const enc = loadTensorFile(join(dir, 'enc.npz'));
    expect(enc.tensors.map((t) => t.name).sort()).toEqual(['meta_json', 'seg_base', 'seg_col', 'seg_count', 'seg_offset', 'stream']);
    const meta = JSON.parse(new TextDecoder().decode(enc.tensors.find((t) => t.name === 'meta_json')!.data as Uint8Array));
    expect(meta).toMatchObject({ format: 'rl:3', K: 256, N: 512, b_w: 6, R: 256 });
    const d = cli(['decode', 'enc.npz', '-o', 'back.npy'], dir);
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(join(dir, 'back.npy')).equals(readFileSync(join(dir, 'q.npy')))).toBe(true);
  });

  it('encodes every weight array of a model file and prints totals', () => {
    const r = cli(['encode', join(DATA, 'lenet300.npz'), '--prune', 'magnitude:0.9', '--weight-bits', '8', '--format', 'coo,rl', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.layers.map((l: { name: string }) => l.name)).toEqual(['fc1.weight', 'fc2.weight', 'fc3.weight']);
    const cooTotal = doc.totals[0].storage.totalBits;
    expect(cooTotal).toBe(doc.layers.reduce((a: number, l: { formats: Array<{ storage: { totalBits: number } }> }) => a + l.formats[0]!.storage.totalBits, 0));
  });

  it('reports an N:m violation with column, group and the fixing --prune, and writes nothing', () => {
    const dir = tempDir();
    const r = cli(['encode', MOBILENET, '--prune', 'magnitude:0.5', '--weight-bits', '8', '--format', 'nm:2:4', '-o', 'enc.npz'], dir);
    expectUserError(r, 4, /column \d+ group \d+ \(rows \d+\.\.\d+\).*--prune nm:2:4/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lists the available arrays for an unknown --array', () => {
    const r = cli(['encode', join(DATA, 'lenet5.npz'), '--array', 'fc9.weight', '--weight-bits', '8', '--format', 'coo']);
    expectUserError(r, 2, /no array 'fc9.weight'.*'conv1.weight'.*'fc3.bias'/);
  });

  it('refuses a 1-D array as not a weight matrix', () => {
    const r = cli(['encode', join(DATA, 'lenet5.npz'), '--array', 'fc1.bias', '--weight-bits', '8', '--format', 'coo']);
    expectUserError(r, 2, /not a weight matrix/);
  });

  it('refuses weight bits out of range and a segment capacity below N of nm:N:m', () => {
    expectUserError(cli(['encode', MOBILENET, '--weight-bits', '17', '--format', 'coo']), 3, /2\.\.16|2 to 16|\[2, 16\]/);
    expectUserError(cli(['encode', MOBILENET, '--weight-bits', '8', '--prune', 'nm:2:4', '--format', 'nm:2:4', '--rows', '1']), 3, /R|rows/);
  });

  it('refuses NaN weights, a truncated file and a header that is not a literal dict, leaving no output', () => {
    const dir = tempDir();
    const w = new Float32Array([1, 2, NaN, 4]);
    writeFileSync(join(dir, 'nan.npy'), encodeNpy({ dtype: 'float32', shape: [2, 2], data: w }));
    expectUserError(cli(['encode', 'nan.npy', '--weight-bits', '8', '--format', 'coo', '-o', 'x.npz'], dir), 2, /NaN|non-finite/i);
    const good = readFileSync(MOBILENET);
    writeFileSync(join(dir, 'cut.npy'), good.subarray(0, 5000));
    expectUserError(cli(['encode', 'cut.npy', '--weight-bits', '8', '--format', 'coo', '-o', 'x.npz'], dir), 2, /cut\.npy/);
    const hostile = Buffer.from(good);
    hostile.write("{'descr': __import__('os').system('true'), ", 10, 'latin1');
    writeFileSync(join(dir, 'evil.npy'), hostile);
    expectUserError(cli(['encode', 'evil.npy', '--weight-bits', '8', '--format', 'coo', '-o', 'x.npz'], dir), 2, /evil\.npy/);
    expect(existsSync(join(dir, 'x.npz'))).toBe(false);
  });
});
