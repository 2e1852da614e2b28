import fc from 'fast-check';
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { encodeNpy } from '../../../src/io/npy.js';
import { encodeNpz, parseNpz } from '../../../src/io/npz.js';
import { readZipDirectory } from '../../../src/io/zip-directory.js';
import { arbArray, sameBits } from './arbitraries.js';
import { catchImc, fixtureBytes } from './helpers.js';

const enc = new TextEncoder();
const mtime = new Date(1980, 0, 1);

/** A hand-built v1.0 npy with an exact header text. */
function npy(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(h, 10);
  out.set(data, 10 + h.length);
  return out;
}
const hdr = (descr: string, shape: string) => `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`;

/** Offset of the central header of member `i` (for patching fields). */
function centralHeader(zip: Uint8Array, i: number): number {
  const dv = new DataView(zip.buffer, zip.byteOffset);
  let eocd = zip.length - 22;
  while (dv.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let p = dv.getUint32(eocd + 16, true);
  for (let k = 0; k < i; k++) p += 46 + dv.getUint16(p + 28, true) + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  return p;
}
function patchU32(zip: Uint8Array, at: number, v: number): Uint8Array {
  const out = zip.slice();
  new DataView(out.buffer).setUint32(at, v, true);
  return out;
}
function patchU16(zip: Uint8Array, at: number, v: number): Uint8Array {
  const out = zip.slice();
  new DataView(out.buffer).setUint16(at, v, true);
  return out;
}

describe('encodeNpz / parseNpz round trip', () => {
  for (const compress of [false, true]) {
    it(`restores every dtype and shape bit-exactly (${compress ? 'DEFLATE' : 'stored'})`, () => {
      fc.assert(
        fc.property(fc.array(arbArray, { minLength: 1, maxLength: 4 }), (arrays) => {
          const named = arrays.map((a, i) => ({ ...a, name: `layer${i}.w` }));
          const back = parseNpz(encodeNpz(named, { compress }));
          expect(back.map((t) => t.name)).toEqual(named.map((a) => a.name));
          for (let i = 0; i < named.length; i++) {
            expect(back[i]!.dtype).toBe(named[i]!.dtype);
            expect([...back[i]!.shape]).toEqual(named[i]!.shape);
            expect(sameBits(back[i]!.data, named[i]!.data)).toBe(true);
          }
        }),
        { numRuns: 60, seed: 11 },
      );
    });
  }

  it('writes the same bytes every time (fixed timestamps)', () => {
    const a = [{ name: 'w', dtype: 'float32' as const, shape: [2], data: new Float32Array([1, 2]) }];
    expect(Buffer.from(encodeNpz(a)).equals(Buffer.from(encodeNpz(a)))).toBe(true);
  });

  it('reads the ZIP64 sizes numpy writes (local headers hold 0xFFFFFFFF)', () => {
    const z = fixtureBytes('savez-stored.npz');
    expect(new DataView(z.buffer).getUint32(18, true)).toBe(0xffffffff);
    expect(readZipDirectory(z, 't').map((m) => m.name)).toEqual(['fc1.weight.npy', 'fc1.bias.npy', 'counts.npy', 'arr_0.npy']);
  });

  it('refuses duplicate names with NPZ_ENCODE', () => {
    const a = { name: 'w', dtype: 'uint8' as const, shape: [1], data: new Uint8Array(1) };
    expect(catchImc(() => encodeNpz([a, a])).code).toBe('NPZ_ENCODE');
  });
});

describe('parseNpz refuses damaged and hostile archives', () => {
  const one = [{ name: 'w', dtype: 'float32' as const, shape: [64], data: new Float32Array(64).fill(1.5) }];
  const stored = encodeNpz(one);
  const deflated = encodeNpz(one, { compress: true });

  function refuses(what: string, make: () => Uint8Array, code: string, opts = {}): void {
    it(`refuses ${what} with InputError ${code}`, () => {
      const e = catchImc(() => parseNpz(make(), { source: 'hostile.npz', ...opts }));
      expect(e).toBeInstanceOf(InputError);
      expect(e.code).toBe(code);
      expect(e.message).toContain('hostile.npz');
    });
  }

  refuses('a stored member with a flipped data byte (CRC mismatch)', () => { const z = stored.slice(); z[200] ^= 0x10; return z; }, 'NPZ_CRC');
  refuses('a DEFLATE member whose stream is invalid', () => {
    const m = readZipDirectory(deflated, 't')[0]!;
    const z = deflated.slice();
    z[m.dataStart] = 0xff; // BFINAL=1, BTYPE=11: a reserved block type
    return z;
  }, 'NPZ_CORRUPT');
  refuses('a DEFLATE member cut short', () => {
    const m = readZipDirectory(deflated, 't')[0]!;
    const cut = new Uint8Array(deflated.length);
    cut.set(deflated);
    cut.fill(0, m.dataStart + Math.floor(m.compressedSize / 2), m.dataStart + m.compressedSize);
    return cut;
  }, 'NPZ_CORRUPT');
  refuses('a member whose directory size disagrees with its npy header (lying size)', () => patchU32(deflated, centralHeader(deflated, 0) + 24, 0xfffffff0), 'NPZ_SIZE_MISMATCH');
  refuses('a stored member whose sizes disagree', () => patchU32(stored, centralHeader(stored, 0) + 24, 10), 'NPZ_CORRUPT');
  refuses('an archive past the total size cap', () => stored, 'NPZ_TOO_LARGE', { maxTotalBytes: 100 });
  refuses('a DEFLATE archive past the total size cap', () => deflated, 'NPZ_TOO_LARGE', { maxTotalBytes: 100 });
  refuses('an encrypted member', () => patchU16(stored, centralHeader(stored, 0) + 8, 1), 'NPZ_ENCRYPTED');
  refuses('an unknown compression method', () => patchU16(stored, centralHeader(stored, 0) + 10, 12), 'NPZ_COMPRESSION');
  refuses('a member that is not .npy', () => zipSync({ 'notes.txt': [enc.encode('hi'), { level: 0, mtime }] }), 'NPZ_NOT_NPY');
  refuses('a zip without an end record', () => stored.subarray(0, stored.length - 22), 'NPZ_BAD_ZIP');
  refuses('a directory offset pointing past the file', () => patchU32(stored, stored.length - 22 + 16, 0x7fffffff), 'NPZ_BAD_ZIP');
  refuses('a member count larger than the directory holds', () => patchU16(patchU16(stored, stored.length - 22 + 10, 999), stored.length - 22 + 8, 999), 'NPZ_BAD_ZIP');
  refuses('a member with a pickled object array', () => zipSync({ 'o.npy': [npy(hdr('|O', '(1,)'), new Uint8Array(8)), { level: 0, mtime }] }), 'NPY_PICKLE');

  it('refuses, before allocating, a member promising more bytes than DEFLATE can expand its stream to', () => {
    const header = npy(hdr('|u1', '(1000000000,)'));
    const zip = zipSync({ 'big.npy': [header, { level: 6, mtime }] });
    const lying = patchU32(zip, centralHeader(zip, 0) + 24, header.length + 1e9);
    const e = catchImc(() => parseNpz(lying, { source: 'big.npz' }));
    expect([e.code, /cannot inflate/.test(e.message)]).toEqual(['NPZ_CORRUPT', true]);
  });

  it('stops a DEFLATE bomb (npy header promises 138 bytes, stream inflates to 50 MB) fast, with NPZ_BOMB', () => {
    const header = npy(hdr('|u1', '(10,)'));
    const member = new Uint8Array(header.length + 50 * 1024 * 1024);
    member.set(header);
    const comp = deflateSync(member, { level: 1 });
    // Build the zip around a small stand-in, then swap in the bomb stream and make the directory agree with the header.
    const honest = header.length + 10;
    const zip = zipSync({ 'bomb.npy': [new Uint8Array(honest), { level: 0, mtime }] });
    const local = 30 + 'bomb.npy'.length;
    const out = new Uint8Array(local + comp.length + (zip.length - local - honest));
    out.set(zip.subarray(0, local));
    out.set(comp, local);
    out.set(zip.subarray(local + honest), local + comp.length);
    const cd = local + comp.length;
    const dv = new DataView(out.buffer);
    dv.setUint16(8, 8, true); // local: DEFLATE
    dv.setUint16(cd + 10, 8, true); // central: DEFLATE
    dv.setUint32(cd + 20, comp.length, true); // compressed size
    dv.setUint32(cd + 24, honest, true); // uncompressed size: the lie the npy header agrees with
    dv.setUint32(out.length - 22 + 16, cd, true); // directory offset
    expect(comp.length).toBeLessThan(1024 * 1024); // really a bomb: > 50:1
    const e = catchImc(() => parseNpz(out, { source: 'bomb.npz' }));
    expect(e.code).toBe('NPZ_BOMB');
  });
});

describe('parseNpz post-processing', () => {
  const f32 = (name: string, shape: number[], v: number[]) => ({ name, dtype: 'float32' as const, shape, data: Float32Array.from(v) });

  it('folds weight_orig × weight_mask into weight, at the position of weight_orig', () => {
    const t = parseNpz(encodeNpz([f32('a', [1], [9]), f32('l.weight_orig', [2, 2], [1, 2, 3, 4]), f32('l.weight_mask', [2, 2], [1, 0, 0, 1])]));
    expect(t.map((x) => x.name)).toEqual(['a', 'l.weight']);
    expect([...t[1]!.data]).toEqual([1, 0, 0, 4]);
  });

  it('applies an ASP __weight_mma_mask (bool) to weight and drops the mask', () => {
    const mask = { name: 'l.__weight_mma_mask', dtype: 'bool' as const, shape: [4], data: Uint8Array.from([1, 0, 0, 1]) };
    const t = parseNpz(encodeNpz([f32('l.weight', [4], [5, 6, 7, 8]), mask]));
    expect(t.map((x) => x.name)).toEqual(['l.weight']);
    expect([...t[0]!.data]).toEqual([5, 0, 0, 8]);
  });

  it('refuses a pruned pair with mismatched shapes (PRUNE_SHAPE)', () => {
    expect(catchImc(() => parseNpz(encodeNpz([f32('w_orig', [2], [1, 2]), f32('w_mask', [3], [1, 1, 1])]))).code).toBe('PRUNE_SHAPE');
  });

  it('refuses a pruned pair next to a plain tensor of the same name (PRUNE_CONFLICT)', () => {
    expect(catchImc(() => parseNpz(encodeNpz([f32('w', [1], [1]), f32('w_orig', [1], [1]), f32('w_mask', [1], [1])]))).code).toBe('PRUNE_CONFLICT');
  });

  it('refuses an ASP mask without its weight (ASP_TARGET)', () => {
    expect(catchImc(() => parseNpz(encodeNpz([f32('l.__weight_mma_mask', [1], [1])]))).code).toBe('ASP_TARGET');
  });

  const sparseZip = (members: Record<string, Uint8Array>) =>
    zipSync(Object.fromEntries(Object.entries(members).map(([k, v]) => [`${k}.npy`, [v, { level: 0, mtime }]])) as never);
  const i32 = (v: number[]) => encodeNpy({ dtype: 'int32', shape: [v.length], data: Int32Array.from(v) });
  const fmt = (s: string) => npy(hdr(`|S${s.length}`, '()'), enc.encode(s));
  const shape = (r: number, c: number) => encodeNpy({ dtype: 'int64', shape: [2], data: BigInt64Array.from([BigInt(r), BigInt(c)]) });
  const data = (v: number[]) => encodeNpy({ dtype: 'float64', shape: [v.length], data: Float64Array.from(v) });

  it('densifies a csr save_npz with duplicate entries summed, like toarray()', () => {
    const t = parseNpz(sparseZip({ format: fmt('csr'), shape: shape(2, 3), data: data([1, 2, 4]), indices: i32([2, 2, 0]), indptr: i32([0, 2, 3]) }));
    expect(t.map((x) => [x.name, x.dtype, [...x.shape]])).toEqual([['matrix', 'float64', [2, 3]]]);
    expect([...t[0]!.data]).toEqual([0, 0, 3, 4, 0, 0]);
  });

  it('refuses a csr whose column index lies outside the shape (SCIPY_BAD_INDEX)', () => {
    const z = sparseZip({ format: fmt('csr'), shape: shape(2, 3), data: data([1]), indices: i32([3]), indptr: i32([0, 1, 1]) });
    expect(catchImc(() => parseNpz(z)).code).toBe('SCIPY_BAD_INDEX');
  });

  it('refuses a csr whose indptr decreases (SCIPY_BAD_INDEX)', () => {
    const z = sparseZip({ format: fmt('csr'), shape: shape(2, 3), data: data([1]), indices: i32([0]), indptr: i32([0, 2, 1]) });
    expect(catchImc(() => parseNpz(z)).code).toBe('SCIPY_BAD_INDEX');
  });

  it('refuses a sparse matrix too large to densify (SCIPY_TOO_LARGE)', () => {
    const z = sparseZip({ format: fmt('coo'), shape: shape(1e6, 1e6), data: data([]), row: i32([]), col: i32([]) });
    expect(catchImc(() => parseNpz(z)).code).toBe('SCIPY_TOO_LARGE');
  });

  it('refuses a dia save_npz with SCIPY_UNSUPPORTED', () => {
    const z = sparseZip({ format: fmt('dia'), shape: shape(2, 2), data: data([1]) });
    expect(catchImc(() => parseNpz(z)).code).toBe('SCIPY_UNSUPPORTED');
  });
});
