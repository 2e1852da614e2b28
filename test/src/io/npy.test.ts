import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { fortranToC } from '../../../src/io/elements.js';
import { widenFloat16 } from '../../../src/io/float-widen.js';
import { encodeNpy, parseNpy } from '../../../src/io/npy.js';
import { arbArray, sameBits } from './arbitraries.js';
import { catchImc, fixtureBytes, manifest } from './helpers.js';

const enc = new TextEncoder();

/** A hand-built v1.0 npy: exact header text, no padding, then `data`. */
function npy(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(10 + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  out.set(h, 10);
  out.set(data, 10 + h.length);
  return out;
}
const hdr = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

describe('encodeNpy', () => {
  const numpyWritten = Object.keys(manifest.files).filter(
    (f) => (f.startsWith('dtype-') && f.endsWith('-le.npy') && !f.includes('float16')) || /^(scalar|vector|cube|empty)-/.test(f),
  );
  for (const f of numpyWritten) {
    it(`writes ${f} byte-identical to numpy.save`, () => {
      const bytes = fixtureBytes(f);
      const again = encodeNpy(parseNpy(bytes, 'x'));
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('round-trips every writable dtype and shape bit-exactly through parseNpy', () => {
    fc.assert(
      fc.property(arbArray, (a) => {
        const bytes = encodeNpy(a);
        const t = parseNpy(bytes, 'x');
        expect(t.dtype).toBe(a.dtype);
        expect([...t.shape]).toEqual(a.shape);
        expect(sameBits(t.data, a.data)).toBe(true);
        // numpy's alignment: the data starts on a 64-byte boundary
        expect((bytes.length - a.data.byteLength) % 64).toBe(0);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('refuses float16 (stored widened, so not writable) and a data/shape mismatch with NPY_ENCODE', () => {
    expect(catchImc(() => encodeNpy({ dtype: 'float16', shape: [1], data: new Float32Array(1) })).code).toBe('NPY_ENCODE');
    expect(catchImc(() => encodeNpy({ dtype: 'float32', shape: [3], data: new Float32Array(2) })).code).toBe('NPY_ENCODE');
    expect(catchImc(() => encodeNpy({ dtype: 'int32', shape: [2], data: new Float32Array(2) })).code).toBe('NPY_ENCODE');
  });
});

describe('parseNpy conversions', () => {
  it('reorders Fortran-order data of any rank to C order (against an index-by-index reference)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 }), (shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const src = Float64Array.from({ length: n }, (_, i) => i);
        const got = fortranToC(src, shape);
        // reference: C index → multi-index → Fortran offset
        for (let c = 0; c < n; c++) {
          let rem = c;
          let f = 0;
          let strideF = 1;
          const idx: number[] = [];
          for (let k = shape.length - 1; k >= 0; k--) { idx[k] = rem % shape[k]!; rem = Math.floor(rem / shape[k]!); }
          for (let k = 0; k < shape.length; k++) { f += idx[k]! * strideF; strideF *= shape[k]!; }
          if (got[c] !== f) return false;
        }
        return true;
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('widens all 65,536 float16 patterns exactly as numpy does (SHA-256 of the float32 bytes)', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const w = widenFloat16(all);
    const hash = createHash('sha256').update(new Uint8Array(w.buffer)).digest('hex');
    expect(hash).toBe(manifest.float16_all_patterns_f32_sha256);
  });

  it('normalises nonzero bool bytes to 1, as numpy reads them as True', () => {
    const t = parseNpy(npy(hdr('|b1', '(3,)'), new Uint8Array([0, 2, 255])), 'b');
    expect([...t.data]).toEqual([0, 1, 1]);
  });

  it("reads '<V2' as bfloat16 only with the void2As override", () => {
    const bytes = npy(hdr('<V2', '(1,)'), new Uint8Array([0x80, 0x3f]));
    expect(catchImc(() => parseNpy(bytes, 'v')).code).toBe('NPY_VOID');
    const t = parseNpy(bytes, 'v', { void2As: 'bfloat16' });
    expect([t.dtype, t.data[0]]).toEqual(['bfloat16', 1]);
  });
});

describe('parseNpy refuses hostile and broken files', () => {
  const good = encodeNpy({ dtype: 'float32', shape: [4, 4], data: new Float32Array(16) });
  const cases: Array<[string, () => Uint8Array, string]> = [
    ['an empty buffer', () => new Uint8Array(0), 'NPY_TRUNCATED'],
    ['a file cut inside the magic', () => good.subarray(0, 4), 'NPY_TRUNCATED'],
    ['a file cut inside the header', () => good.subarray(0, 40), 'NPY_TRUNCATED'],
    ['a file cut inside the data', () => good.subarray(0, good.length - 1), 'NPY_TRUNCATED'],
    ['a file with bytes after the data', () => Uint8Array.from([...good, 0]), 'NPY_TRAILING_BYTES'],
    ['a wrong magic', () => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, ...good.subarray(6)]), 'NPY_BAD_MAGIC'],
    ['a PNG', () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'NPY_BAD_MAGIC'],
    ['version 4.0', () => Uint8Array.from([...good.subarray(0, 6), 4, 0, ...good.subarray(8)]), 'NPY_VERSION'],
    ['a header length over 10,000', () => { const b = good.slice(); b[8] = 0x11; b[9] = 0x27; return b; }, 'NPY_HEADER_TOO_LONG'],
    ['a header that is a list, not a dict', () => npy("['<f4', False, (1,)]\n", new Uint8Array(4)), 'NPY_HEADER_NOT_DICT'],
    ['a header with a function call', () => npy("{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,)}\n"), 'NPY_HEADER_SYNTAX'],
    ['a shape promising 10^12 floats', () => npy(hdr('<f4', '(1000000000000,)'), new Uint8Array(16)), 'NPY_TRUNCATED'],
    ['a shape whose product passes 2^53', () => npy(hdr('<f4', '(4294967296, 4294967296)'), new Uint8Array(16)), 'BAD_SHAPE'],
    ['a negative dimension', () => npy(hdr('<f4', '(-1,)')), 'NPY_BAD_SHAPE'],
    ['a non-integer dimension', () => npy(hdr('<f4', "(2, 'a')")), 'NPY_BAD_SHAPE'],
    ['a float dimension', () => npy(hdr('<f4', '(2.5,)')), 'NPY_HEADER_SYNTAX'],
    ['an object (pickle) descr', () => npy(hdr('|O', '(1,)'), new Uint8Array(8)), 'NPY_PICKLE'],
    ['a structured descr', () => npy(`{'descr': [('x', '<f4'), ('y', '<i2')], 'fortran_order': False, 'shape': (1,), }\n`, new Uint8Array(6)), 'NPY_STRUCTURED'],
    ['a sub-array descr', () => npy(`{'descr': ('<f4', (2,)), 'fortran_order': False, 'shape': (1,), }\n`, new Uint8Array(8)), 'NPY_SUBARRAY'],
    ['a complex descr', () => npy(hdr('<c8', '(1,)'), new Uint8Array(8)), 'NPY_COMPLEX'],
    ['a long-double descr', () => npy(hdr('<f16', '(1,)'), new Uint8Array(16)), 'NPY_UNSUPPORTED_DTYPE'],
    ['a unicode descr', () => npy(hdr('<U3', '(1,)'), new Uint8Array(12)), 'NPY_UNSUPPORTED_DTYPE'],
    ['a byte-string descr', () => npy(hdr('|S3', '(1,)'), new Uint8Array(3)), 'NPY_UNSUPPORTED_DTYPE'],
    ['a nonsense descr', () => npy(hdr('float', '(1,)'), new Uint8Array(4)), 'NPY_BAD_DESCR'],
    ['a v3 header that is not UTF-8', () => { const b = npy(hdr('<f4', '(1,)'), new Uint8Array(4)); const v = new Uint8Array(b.length + 2); v.set(b.subarray(0, 8)); v[6] = 3; const hl = b[8]! | (b[9]! << 8); v[8] = hl & 0xff; v[9] = hl >> 8; v.set(b.subarray(10), 12); v[13] = 0xff; return v; }, 'NPY_HEADER_ENCODING'],
  ];
  for (const [what, make, code] of cases) {
    it(`refuses ${what} with InputError ${code}`, () => {
      const e = catchImc(() => parseNpy(make(), 'hostile.npy'));
      expect(e).toBeInstanceOf(InputError);
      expect(e.code).toBe(code);
      expect(e.message).toContain('hostile.npy');
    });
  }

  it('refuses a shape promising 10^12 elements from the header alone (an allocation would throw a RangeError instead)', () => {
    const e = catchImc(() => parseNpy(npy(hdr('<f8', '(1000000000000,)'), new Uint8Array(8)), 'x'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/10+|1e\+?12|8000000000000/);
  });
});
