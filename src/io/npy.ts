/**
 * `.npy` reader and writer (numpy `lib/format.py`, format versions 1.0, 2.0, 3.0).
 *
 * Byte layout:
 *
 *     offset  size  field
 *     0       6     magic  \x93 N U M P Y
 *     6       1     major version (1, 2 or 3)
 *     7       1     minor version (0)
 *     8       2|4   HEADER_LEN, little-endian: u16 for v1.0, u32 for v2.0/v3.0
 *     10|12   HL    header: Python literal dict {'descr', 'fortran_order', 'shape'} (latin1; UTF-8 in v3),
 *                   space-padded, ending in '\n'
 *     10|12+HL …    data: prod(shape) × itemsize bytes, C order (or Fortran order), byte order per descr
 *
 * numpy pads the header so the data starts on a 64-byte boundary, but other writers do not: the data
 * offset is always taken from HEADER_LEN. Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { InputError } from '../../errors.js';
import type { DType, Tensor, TensorData } from './tensor.js';
import { parseNpyHeader, NPY_MAX_HEADER_BYTES, type PyLiteral } from './npy-header.js';
import { decodeElements, fortranToC, HOST_LITTLE_ENDIAN, ITEM_BYTES, shapeNumel } from './elements.js';

/** `\x93NUMPY` */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;
/** numpy `format.ARRAY_ALIGN`: writers pad the header so data starts on this boundary. */
const ARRAY_ALIGN = 64;
/** numpy `format.GROWTH_AXIS_MAX_DIGITS`: spare header spaces left so the shape can grow in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** Options of {@link parseNpy}. */
export interface NpyParseOptions {
  /**
   * How to read a raw 2-byte void descr (`<V2`), which is how ml_dtypes' bfloat16 reaches disk.
   * Without it such files are refused, since `V2` could be anything.
   */
  readonly void2As?: 'bfloat16';
  /** Names the file in error messages (default: the tensor name). */
  readonly where?: string;
}

/** What a descr string denotes: a tensor element type, or a fixed-width byte string (`|S<n>`, npz-internal). */
export type NpyElementType =
  | { readonly kind: 'tensor'; readonly dtype: DType; readonly littleEndian: boolean; readonly itemBytes: number }
  | { readonly kind: 'bytes'; readonly itemBytes: number };

/** Location and meaning of an npy file's parts, as read from its header. */
export interface NpyLayout {
  readonly major: number;
  readonly descr: PyLiteral;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Offset of the first data byte: 10 or 12 plus HEADER_LEN. */
  readonly dataOffset: number;
}

function truncated(where: string, need: number, at: number, have: number): InputError {
  return new InputError(
    'NPY_TRUNCATED',
    `${where}: npy file truncated: need ${need} bytes at offset ${at}, file has ${Math.max(0, have - at)}; re-copy or re-save the file`,
  );
}

/**
 * Read the magic, version and header-length prefix.
 * @returns `null` when `bytes` is too short to tell yet (for streaming callers), else the data offset
 *   and version. Throws on wrong magic or version, or a header over 10,000 bytes.
 */
export function readNpyPrefix(bytes: Uint8Array, where: string): { major: number; headerStart: number; dataOffset: number } | null {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new InputError('NPY_BAD_MAGIC', `${where}: not an npy file (it does not start with \\x93NUMPY); save arrays with numpy.save`);
    }
  }
  if (bytes.length < 8) return null;
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    throw new InputError('NPY_VERSION', `${where}: npy format version ${major}.${minor} is not supported (only 1.0, 2.0, 3.0); re-save with numpy.save`);
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) return null;
  const headerLen =
    major === 1
      ? bytes[8]! | (bytes[9]! << 8)
      : (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16)) + bytes[11]! * 0x1000000;
  if (headerLen > NPY_MAX_HEADER_BYTES) {
    throw new InputError(
      'NPY_HEADER_TOO_LONG',
      `${where}: npy header is ${headerLen} bytes, over numpy's limit of ${NPY_MAX_HEADER_BYTES}; ` +
        'the file is probably not a plain numeric array (re-save it with numpy.save)',
    );
  }
  return { major, headerStart, dataOffset: headerStart + headerLen };
}

/**
 * Read and validate the whole header (never the data).
 * @throws InputError on wrong magic, unsupported version, a truncated or malformed header.
 */
export function readNpyLayout(bytes: Uint8Array, where: string): NpyLayout {
  const prefix = readNpyPrefix(bytes, where);
  if (prefix === null) throw truncated(where, bytes.length < 8 ? 8 : 12, 0, bytes.length);
  const { major, headerStart, dataOffset } = prefix;
  if (bytes.length < dataOffset) throw truncated(where, dataOffset - headerStart, headerStart, bytes.length);
  const hb = bytes.subarray(headerStart, dataOffset);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(hb);
    } catch {
      throw new InputError('NPY_HEADER_ENCODING', `${where}: npy v3.0 header is not valid UTF-8; the file is corrupt`);
    }
  } else {
    // latin1 by hand: TextDecoder('latin1') is really windows-1252 (WHATWG), which remaps 0x80–0x9F.
    text = '';
    for (let i = 0; i < hb.length; i++) text += String.fromCharCode(hb[i]!);
  }
  const fields = parseNpyHeader(text, where);
  return { major, descr: fields.descr, fortranOrder: fields.fortranOrder, shape: fields.shape, dataOffset };
}

/**
 * Interpret an npy `descr` (numpy's `dtype.str`, e.g. `<f4`, `|b1`, `>i8`).
 * @throws InputError with a code per refused kind: `NPY_PICKLE`, `NPY_STRUCTURED`, `NPY_SUBARRAY`,
 *   `NPY_COMPLEX`, `NPY_VOID`, `NPY_UNSUPPORTED_DTYPE`, `NPY_BAD_DESCR`.
 */
export function npyElementType(descr: PyLiteral, where: string, opts: NpyParseOptions = {}): NpyElementType {
  const fix = 'convert it to a plain numeric array (e.g. arr.astype(np.float32)) and re-save with numpy.save';
  if (descr.t === 'list') {
    throw new InputError('NPY_STRUCTURED', `${where}: structured (record) dtype with ${descr.v.length} fields is not a weight array; save each field as its own array`);
  }
  if (descr.t === 'tuple') {
    throw new InputError('NPY_SUBARRAY', `${where}: sub-array dtype is not supported; ${fix}`);
  }
  if (descr.t !== 'str') {
    throw new InputError('NPY_BAD_DESCR', `${where}: npy 'descr' must be a dtype string like '<f4', found a ${descr.t}`);
  }
  const s = descr.v;
  const m = /^([<>|=]?)([A-Za-z])(\d*)$/.exec(s);
  if (!m) throw new InputError('NPY_BAD_DESCR', `${where}: npy descr ${JSON.stringify(s)} is not a dtype string like '<f4'; ${fix}`);
  const order = m[1]!;
  const kind = m[2]!;
  const size = m[3] === '' ? 0 : Number(m[3]);
  if (kind === 'O') {
    throw new InputError('NPY_PICKLE', `${where}: object array ('${s}') holds Python pickles, which are never loaded (unsafe); ${fix}`);
  }
  if (kind === 'c') throw new InputError('NPY_COMPLEX', `${where}: complex dtype '${s}' is not a weight type; save the real part (arr.real)`);
  if (kind === 'V') {
    if (size === 2 && opts.void2As === 'bfloat16') {
      return { kind: 'tensor', dtype: 'bfloat16', littleEndian: order !== '>', itemBytes: 2 };
    }
    throw new InputError(
      'NPY_VOID',
      `${where}: raw void dtype '${s}' has no numeric meaning` +
        (size === 2 ? " (2-byte void is how ml_dtypes bfloat16 is saved): pass the option void2As: 'bfloat16', or " : '; ') + fix,
    );
  }
  if (kind === 'S' && size > 0) return { kind: 'bytes', itemBytes: size };
  const little = order === '<' ? true : order === '>' ? false : HOST_LITTLE_ENDIAN; // '|', '=' or none
  const table: Record<string, DType | undefined> = {
    b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
    i8: 'int64', u8: 'uint64', f2: 'float16', f4: 'float32', f8: 'float64',
  };
  const dtype = table[`${kind}${size}`];
  if (dtype === undefined) {
    throw new InputError('NPY_UNSUPPORTED_DTYPE', `${where}: dtype '${s}' is not supported (bool, int8–64, uint8–64, float16/32/64 are); ${fix}`);
  }
  return { kind: 'tensor', dtype, littleEndian: little, itemBytes: ITEM_BYTES[dtype] };
}

/**
 * Total byte size an npy file must have, given its layout (header + prod(shape) × itemsize).
 * Used to bound decompression of npz members before any data is inflated.
 */
export function npyPromisedBytes(layout: NpyLayout, where: string, opts: NpyParseOptions = {}): number {
  const et = npyElementType(layout.descr, where, opts);
  const numel = shapeNumel(layout.shape, where);
  const total = layout.dataOffset + numel * et.itemBytes;
  if (!Number.isSafeInteger(total)) {
    throw new InputError('NPY_TRUNCATED', `${where}: shape (${layout.shape.join(', ')}) promises more than 2^53 bytes; the header is corrupt`);
  }
  return total;
}

/** Check the data region is exactly as long as the header promises, before anything is allocated. */
function checkDataLength(bytes: Uint8Array, layout: NpyLayout, numel: number, itemBytes: number, where: string): number {
  const have = bytes.length - layout.dataOffset;
  // Compare by division first so a shape like (10**15,) never forms a product near 2^53.
  if (numel > have / itemBytes) {
    const need = numel * itemBytes;
    throw new InputError(
      'NPY_TRUNCATED',
      `${where}: npy data truncated: shape (${layout.shape.join(', ')}) needs ${need} bytes at offset ${layout.dataOffset}, file has ${have}; re-copy or re-save the file`,
    );
  }
  const nbytes = numel * itemBytes;
  if (have > nbytes) {
    throw new InputError(
      'NPY_TRAILING_BYTES',
      `${where}: npy file has ${have - nbytes} bytes after the ${nbytes} data bytes its header promises; the file is corrupt or two files were concatenated`,
    );
  }
  return nbytes;
}

/**
 * Parse a whole `.npy` file.
 *
 * Native-endian, C-order data whose offset is aligned comes back as a zero-copy typed-array view on
 * `bytes` (it shares memory with it); anything else is copied, byte-swapped, widened
 * (float16 → Float32Array, exactly) and reordered to C order as needed.
 *
 * @param bytes - the complete file.
 * @param name - tensor name; also names the file in error messages.
 * @throws InputError (codes `NPY_*`, `BAD_SHAPE`) for anything malformed, hostile or unsupported.
 * @example
 * const t = parseNpy(fs.readFileSync('w.npy'), 'w'); // { name: 'w', dtype: 'float32', shape: [512, 256], data: Float32Array }
 */
export function parseNpy(bytes: Uint8Array, name: string, opts: NpyParseOptions = {}): Tensor {
  const where = opts.where ?? name;
  const layout = readNpyLayout(bytes, where);
  const et = npyElementType(layout.descr, where, opts);
  if (et.kind === 'bytes') {
    throw new InputError('NPY_UNSUPPORTED_DTYPE', `${where}: byte-string dtype '|S${et.itemBytes}' is not a weight array; save numbers instead`);
  }
  const numel = shapeNumel(layout.shape, where);
  const nbytes = checkDataLength(bytes, layout, numel, et.itemBytes, where);
  const raw = bytes.subarray(layout.dataOffset, layout.dataOffset + nbytes);
  let data: TensorData = decodeElements(raw, et.dtype, numel, et.littleEndian);
  if (layout.fortranOrder) data = fortranToC(data, layout.shape);
  return { name, dtype: et.dtype, shape: layout.shape, data };
}

/**
 * Read a `|S<n>` npy array holding one byte string (scipy `save_npz` stores its `format` key this way,
 * e.g. `b'csr'`). Trailing NULs are stripped, as numpy does for `bytes_`.
 * @throws InputError `NPY_NOT_BYTES` when the array is not a single byte string.
 */
export function parseNpyByteString(bytes: Uint8Array, where: string): string {
  const layout = readNpyLayout(bytes, where);
  const et = npyElementType(layout.descr, where);
  const numel = shapeNumel(layout.shape, where);
  if (et.kind !== 'bytes' || numel !== 1) {
    throw new InputError('NPY_NOT_BYTES', `${where}: expected a single byte string (dtype |S<n>), found another array`);
  }
  checkDataLength(bytes, layout, 1, et.itemBytes, where);
  const b = bytes.subarray(layout.dataOffset, layout.dataOffset + et.itemBytes);
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** The array an encoder writes. */
export interface EncodableArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

const ENCODE_DESCR: Partial<Record<DType, { descr: string; ctor: Function }>> = {
  bool: { descr: '|b1', ctor: Uint8Array },
  int8: { descr: '|i1', ctor: Int8Array },
  uint8: { descr: '|u1', ctor: Uint8Array },
  int16: { descr: '<i2', ctor: Int16Array },
  uint16: { descr: '<u2', ctor: Uint16Array },
  int32: { descr: '<i4', ctor: Int32Array },
  uint32: { descr: '<u4', ctor: Uint32Array },
  int64: { descr: '<i8', ctor: BigInt64Array },
  uint64: { descr: '<u8', ctor: BigUint64Array },
  float32: { descr: '<f4', ctor: Float32Array },
  float64: { descr: '<f8', ctor: Float64Array },
};

/** Check an array is encodable and return its little-endian npy descr. */
export function checkEncodable(a: EncodableArray, where: string): string {
  const spec = ENCODE_DESCR[a.dtype];
  if (spec === undefined) {
    throw new InputError('NPY_ENCODE', `${where}: cannot write dtype ${a.dtype} (writable: ${Object.keys(ENCODE_DESCR).join(', ')})`);
  }
  if (!(a.data instanceof (spec.ctor as new () => TensorData))) {
    throw new InputError('NPY_ENCODE', `${where}: dtype ${a.dtype} needs a ${spec.ctor.name}, got a ${a.data.constructor.name}`);
  }
  for (const d of a.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new InputError('NPY_ENCODE', `${where}: shape (${a.shape.join(', ')}) must hold non-negative integers`);
  }
  const numel = a.shape.reduce((x, y) => x * y, 1);
  if (numel !== a.data.length) {
    throw new InputError('NPY_ENCODE', `${where}: shape (${a.shape.join(', ')}) holds ${numel} elements but data has ${a.data.length}`);
  }
  return spec.descr;
}

/** Python `repr` of a tuple of ints: `()`, `(3,)`, `(3, 4)`. */
function pyTupleRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/**
 * Write an npy file exactly as numpy 2.x `numpy.save` does (byte-identical): format 1.0 unless the
 * header needs 2.0, keys sorted, 21-digit growth padding, data 64-byte aligned, little-endian, C order.
 * @throws InputError `NPY_ENCODE` for an unwritable dtype (float16/bfloat16/float8) or a data/shape mismatch.
 */
export function encodeNpy(t: EncodableArray): Uint8Array {
  const descr = checkEncodable(t, 'encodeNpy');
  // numpy `_write_array_header`: sorted keys, repr values, then spare room for the growth axis
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyTupleRepr(t.shape)}, }`;
  if (t.shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(t.shape[0]).length));
  // numpy `_wrap_header`: hlen counts the final '\n'; MAGIC_LEN (8) + length field; pad to ARRAY_ALIGN
  const hlen = header.length + 1;
  let major = 1;
  let lenBytes = 2;
  let padlen = ARRAY_ALIGN - ((8 + lenBytes + hlen) % ARRAY_ALIGN);
  if (hlen + padlen > 0xffff) {
    major = 2;
    lenBytes = 4;
    padlen = ARRAY_ALIGN - ((8 + lenBytes + hlen) % ARRAY_ALIGN);
  }
  const dataOffset = 8 + lenBytes + hlen + padlen;
  const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(dataOffset + src.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const total = hlen + padlen;
  out[8] = total & 0xff;
  out[9] = (total >>> 8) & 0xff;
  if (lenBytes === 4) {
    out[10] = (total >>> 16) & 0xff;
    out[11] = (total >>> 24) & 0xff;
  }
  let p = 8 + lenBytes;
  for (let i = 0; i < header.length; i++) out[p++] = header.charCodeAt(i);
  out.fill(0x20, p, p + padlen);
  out[dataOffset - 1] = 0x0a;
  out.set(src, dataOffset);
  const size = ITEM_BYTES[t.dtype];
  if (!HOST_LITTLE_ENDIAN && size > 1) {
    const d = out.subarray(dataOffset);
    for (let i = 0; i < d.length; i += size) d.subarray(i, i + size).reverse();
  }
  if (t.dtype === 'bool') {
    const d = out.subarray(dataOffset);
    for (let i = 0; i < d.length; i++) if (d[i]! > 1) d[i] = 1;
  }
  return out;
}
