/**
 * `.safetensors` reader and writer (huggingface/safetensors, `safetensors/src/tensor.rs`).
 *
 * Byte layout:
 *
 *     offset   size  field
 *     0        8     N: header size, u64 little-endian (refused above 100,000,000, as the reference does)
 *     8        N     header: UTF-8 JSON object starting with '{', may be padded with trailing spaces
 *                    { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, …,
 *                      "__metadata__": { "<string>": "<string>" } }   (metadata optional)
 *     8+N      …     data buffer: tensors little-endian, C order; offsets relative to 8+N, end exclusive
 *
 * A valid file: no duplicate keys; sorted by offset the tensors tile the buffer from 0 with no gap or
 * overlap; end − begin = numel × item size; 8 + N + last end = file size.
 */
import { InputError } from '../../errors.js';
import type { DType, Tensor } from './tensor.js';
import { decodeElements, HOST_LITTLE_ENDIAN, ITEM_BYTES, shapeNumel } from './elements.js';
import { findDuplicateJsonKey } from './json-duplicates.js';
import { checkEncodable, type EncodableArray } from './npy.js';

/** The reference implementation's header limit (`safetensors::tensor::MAX_HEADER_SIZE`). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** safetensors dtype names → ours. */
const ST_DTYPES: Readonly<Record<string, DType>> = {
  BOOL: 'bool', U8: 'uint8', I8: 'int8', I16: 'int16', U16: 'uint16', F16: 'float16', BF16: 'bfloat16',
  I32: 'int32', U32: 'uint32', F32: 'float32', F64: 'float64', I64: 'int64', U64: 'uint64',
  F8_E4M3: 'float8_e4m3', F8_E5M2: 'float8_e5m2',
};
/** dtypes the format defines that we refuse: sub-byte floats, the E8M0 scale type, complex. */
const ST_UNSUPPORTED = new Set(['F4', 'F6_E2M3', 'F6_E3M2', 'F8_E8M0', 'C64']);

/** Our dtypes → safetensors names (inverse of ST_DTYPES). */
const ST_NAME: Readonly<Record<DType, string>> = Object.fromEntries(Object.entries(ST_DTYPES).map(([k, v]) => [v, k])) as Record<DType, string>;

/** Options of {@link parseSafetensors}. */
export interface SafetensorsParseOptions {
  /** Names the file in error messages (default `safetensors`). */
  readonly source?: string;
}

/** A parsed file: tensors in data-offset order, and the `__metadata__` map (empty when absent). */
export interface SafetensorsFile {
  readonly tensors: Tensor[];
  readonly metadata: Readonly<Record<string, string>>;
}

function err(code: string, where: string, msg: string): InputError {
  return new InputError(code, `${where}: ${msg}`);
}

interface Entry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
  readonly numel: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function readEntry(name: string, v: unknown, where: string): Entry {
  const at = `${where}: tensor '${name}'`;
  if (!isPlainObject(v)) throw new InputError('ST_BAD_ENTRY', `${at} must be an object {dtype, shape, data_offsets}`);
  const keys = Object.keys(v);
  const extra = keys.filter((k) => k !== 'dtype' && k !== 'shape' && k !== 'data_offsets');
  if (extra.length > 0 || keys.length !== 3) {
    throw new InputError('ST_BAD_ENTRY', `${at} must have exactly the keys dtype, shape, data_offsets (has ${keys.join(', ') || 'none'})`);
  }
  const dt = v['dtype'];
  if (typeof dt !== 'string') throw new InputError('ST_BAD_ENTRY', `${at}: dtype must be a string like "F32"`);
  const dtype = ST_DTYPES[dt];
  if (dtype === undefined || !Object.prototype.hasOwnProperty.call(ST_DTYPES, dt)) {
    if (ST_UNSUPPORTED.has(dt)) {
      throw new InputError('ST_UNSUPPORTED_DTYPE', `${at}: dtype ${dt} (sub-byte/scale/complex) is not supported; convert the tensor to F32, F16 or BF16 before saving`);
    }
    throw new InputError('ST_BAD_DTYPE', `${at}: unknown dtype ${JSON.stringify(dt)} (known: ${Object.keys(ST_DTYPES).join(' ')})`);
  }
  const shape = v['shape'];
  if (!Array.isArray(shape) || !shape.every(nonNegInt)) {
    throw new InputError('ST_BAD_ENTRY', `${at}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const off = v['data_offsets'];
  if (!Array.isArray(off) || off.length !== 2 || !nonNegInt(off[0]) || !nonNegInt(off[1]) || off[1] < off[0]) {
    throw new InputError('ST_BAD_ENTRY', `${at}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(off)}`);
  }
  const numel = shapeNumel(shape as number[], at);
  const [begin, end] = off as [number, number];
  if (numel > (end - begin) / ITEM_BYTES[dtype] || end - begin !== numel * ITEM_BYTES[dtype]) {
    throw new InputError(
      'ST_BAD_SIZE',
      `${at}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dt} shape [${(shape as number[]).join(', ')}] needs ${numel * ITEM_BYTES[dtype]}; the file is corrupt`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end, numel };
}

/**
 * Parse a `.safetensors` file with every validation of the reference implementation.
 * BF16/F16/F8 are widened exactly to Float32Array; aligned data comes back as views on `bytes`.
 * @throws InputError with codes `ST_TRUNCATED`, `ST_HEADER_TOO_LARGE`, `ST_HEADER_ENCODING`, `ST_HEADER_JSON`,
 *   `ST_DUPLICATE_KEY`, `ST_METADATA`, `ST_BAD_ENTRY`, `ST_BAD_DTYPE`, `ST_UNSUPPORTED_DTYPE`, `ST_BAD_SIZE`,
 *   `ST_OFFSETS`, `ST_FILE_SIZE`, `BAD_SHAPE`.
 */
export function parseSafetensorsFile(bytes: Uint8Array, opts: SafetensorsParseOptions = {}): SafetensorsFile {
  const where = opts.source ?? 'safetensors';
  if (bytes.length < 8) throw err('ST_TRUNCATED', where, `safetensors file is ${bytes.length} bytes, shorter than its 8-byte header size; re-copy the file`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  // Compare as BigInt: a hostile u64 must not be rounded by Number() into something that passes.
  if (n64 > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw err('ST_HEADER_TOO_LARGE', where, `safetensors header size ${n64} exceeds the limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes; the file is corrupt or not safetensors`);
  }
  const n = Number(n64);
  if (8 + n > bytes.length) {
    throw err('ST_TRUNCATED', where, `safetensors header needs ${n} bytes at offset 8, file has ${bytes.length - 8}; re-copy the file`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw err('ST_HEADER_ENCODING', where, 'safetensors header is not valid UTF-8; the file is corrupt');
  }
  if (!text.startsWith('{')) throw err('ST_HEADER_JSON', where, "safetensors header must be a JSON object starting with '{'; the file is corrupt or not safetensors");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw err('ST_HEADER_JSON', where, `safetensors header is not valid JSON (${(e as Error).message}); the file is corrupt`);
  }
  if (!isPlainObject(header)) throw err('ST_HEADER_JSON', where, 'safetensors header must be a JSON object');
  const dup = findDuplicateJsonKey(text);
  if (dup !== null) throw err('ST_DUPLICATE_KEY', where, `safetensors header names ${JSON.stringify(dup)} twice; the file is invalid, re-save it`);
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(v)) throw err('ST_METADATA', where, '__metadata__ must be an object of string → string');
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== 'string') throw err('ST_METADATA', where, `__metadata__ value of ${JSON.stringify(k)} must be a string, got ${JSON.stringify(s)}`);
        metadata[k] = s;
      }
      continue;
    }
    entries.push(readEntry(name, v, where));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected) {
      throw err(
        'ST_OFFSETS',
        where,
        `tensor '${e.name}' starts at ${e.begin} but the previous tensor ends at ${expected} (${e.begin > expected ? 'a hole' : 'an overlap'}); the file is corrupt`,
      );
    }
    expected = e.end;
  }
  const dataStart = 8 + n;
  if (dataStart + expected !== bytes.length) {
    throw err(
      'ST_FILE_SIZE',
      where,
      `header describes ${expected} data bytes, so the file should be ${dataStart + expected} bytes, but it is ${bytes.length}; the file is truncated or corrupt`,
    );
  }
  const tensors = entries.map((e): Tensor => ({
    name: e.name,
    dtype: e.dtype,
    shape: e.shape,
    data: decodeElements(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype, e.numel, true),
  }));
  return { tensors, metadata };
}

/** {@link parseSafetensorsFile} without the metadata: the tensors in data-offset order. */
export function parseSafetensors(bytes: Uint8Array, opts: SafetensorsParseOptions = {}): Tensor[] {
  return parseSafetensorsFile(bytes, opts).tensors;
}

/** One tensor as raw little-endian bytes with a safetensors dtype name (lets tests write any dtype). */
export interface SafetensorsRawEntry {
  readonly name: string;
  /** safetensors dtype name as written, e.g. `F32`, `BF16`, `F8_E4M3`. */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * Write a safetensors file from raw entries, in the given order, header space-padded to a multiple
 * of 8 bytes (as the reference writer does, so data is 8-byte aligned). No validation beyond names:
 * this is how tests build hostile files too.
 */
export function encodeSafetensorsRaw(entries: readonly SafetensorsRawEntry[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header['__metadata__'] = metadata;
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  let json = JSON.stringify(header);
  const hb0 = new TextEncoder().encode(json);
  json += ' '.repeat((8 - (hb0.length % 8)) % 8);
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const e of entries) {
    out.set(e.bytes, p);
    p += e.bytes.length;
  }
  return out;
}

/**
 * Write a safetensors file from typed arrays (the dtypes {@link encodeNpy} writes).
 * @throws InputError `NPY_ENCODE` for an unwritable dtype or a data/shape mismatch.
 */
export function encodeSafetensors(
  arrays: ReadonlyArray<EncodableArray & { readonly name: string }>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const raw = arrays.map((a): SafetensorsRawEntry => {
    checkEncodable(a, `encodeSafetensors '${a.name}'`);
    const b = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength).slice();
    const size = ITEM_BYTES[a.dtype];
    if (!HOST_LITTLE_ENDIAN && size > 1) for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
    if (a.dtype === 'bool') for (let i = 0; i < b.length; i++) if (b[i]! > 1) b[i] = 1;
    return { name: a.name, dtype: ST_NAME[a.dtype], shape: a.shape, bytes: b };
  });
  return encodeSafetensorsRaw(raw, metadata);
}
