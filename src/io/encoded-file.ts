/**
 * The encoded-layer file (`imc-sim encode -o enc.npz`), an `.npz` numpy opens:
 *
 * | member | dtype | what |
 * |---|---|---|
 * | `stream` | uint8 | the packed entry stream (MODEL §4 bit order) |
 * | `mask_stream` | uint8 | bitmask only: the K·N mask bits |
 * | `seg_col`, `seg_base`, `seg_count` | uint32 | the segment table |
 * | `seg_offset` | uint64 | bit offset of each segment in `stream` |
 * | `meta_json` | uint8 | UTF-8 JSON: format, params, K, N, b_w, R, field widths, nnz, storage, tool version |
 *
 * Reading it back validates everything, decodes, and re-encodes the decoded matrix to prove the
 * stream is exactly what the encoder writes (a corrupt or hand-edited file is a FormatError).
 */
import * as fs from 'node:fs';
import { FormatError, InputError } from '../../errors.js';
import { FORMATS, parseFormatSpec } from '../../formats/registry.js';
import type { EncodedMatrix, FormatId, IntMatrix, StorageFigures } from '../../formats/types.js';
import { encodeNpz, parseNpz, type NamedArray } from './npz.js';
import type { Tensor } from './tensor.js';
import { VERSION } from '../version.js';

/** The `meta_json` document. */
export interface EncodedFileMeta {
  tool: 'imc-sim';
  version: string;
  format: string;
  params: Record<string, number>;
  K: number;
  N: number;
  b_w: number;
  R: number;
  indexFieldBits: number;
  entryBits: number;
  segmentMetadataBits: number;
  streamBits: number;
  nnz: number;
  storage: StorageFigures;
  /** Extra provenance (source file, array, prune spec, scales...), free-form. */
  source?: Record<string, unknown>;
}

/** Serialise an encoded matrix as `.npz` bytes (stored members: the streams are already dense bits). */
export function encodedToNpz(enc: EncodedMatrix, source?: Record<string, unknown>): Uint8Array {
  const t = enc.segments;
  const meta: EncodedFileMeta = {
    tool: 'imc-sim',
    version: VERSION,
    format: enc.format,
    params: { ...enc.params },
    K: enc.rows,
    N: enc.cols,
    b_w: enc.valueBits,
    R: enc.segmentRows,
    indexFieldBits: enc.indexFieldBits,
    entryBits: enc.entryBits,
    segmentMetadataBits: enc.segmentMetadataBits,
    streamBits: enc.streamBits,
    nnz: enc.nnz,
    storage: enc.storage,
    ...(source ? { source } : {}),
  };
  const offsets = new BigUint64Array(t.length);
  for (let s = 0; s < t.length; s++) offsets[s] = BigInt(t.offset[s]!);
  const arrays: NamedArray[] = [
    { name: 'stream', dtype: 'uint8', shape: [enc.stream.length], data: enc.stream },
    { name: 'seg_col', dtype: 'uint32', shape: [t.length], data: t.col.subarray(0, t.length) },
    { name: 'seg_base', dtype: 'uint32', shape: [t.length], data: t.base.subarray(0, t.length) },
    { name: 'seg_count', dtype: 'uint32', shape: [t.length], data: t.count.subarray(0, t.length) },
    { name: 'seg_offset', dtype: 'uint64', shape: [t.length], data: offsets },
    { name: 'meta_json', dtype: 'uint8', shape: [0], data: new Uint8Array(0) },
  ];
  if (enc.maskStream) arrays.splice(1, 0, { name: 'mask_stream', dtype: 'uint8', shape: [enc.maskStream.length], data: enc.maskStream });
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  arrays[arrays.length - 1] = { name: 'meta_json', dtype: 'uint8', shape: [metaBytes.length], data: metaBytes };
  return encodeNpz(arrays);
}

function member(tensors: Tensor[], name: string, where: string): Tensor {
  const t = tensors.find((x) => x.name === name);
  if (!t) throw new InputError('ENCODED_MISSING', `${where}: no '${name}' array; is this a file written by 'imc-sim encode -o'?`);
  if (t.shape.length !== 1) throw new InputError('ENCODED_SHAPE', `${where}: '${name}' must be 1-D; got shape (${t.shape.join(', ')})`);
  return t;
}

function u32(t: Tensor, where: string): Uint32Array {
  if (t.data instanceof Uint32Array) return t.data;
  throw new InputError('ENCODED_DTYPE', `${where}: '${t.name}' must be uint32; got ${t.dtype}`);
}

function num(meta: Record<string, unknown>, key: string, where: string): number {
  const v = meta[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InputError('ENCODED_META', `${where}: meta_json.${key} must be a non-negative integer; got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Read an encoded-layer `.npz` (bytes) back into an {@link EncodedMatrix}, fully validated.
 * @throws InputError for a file that is not an encoded layer; FormatError for a corrupt stream or table.
 */
export function encodedFromNpz(bytes: Uint8Array, where = 'encoded file'): { encoded: EncodedMatrix; meta: EncodedFileMeta; q: IntMatrix } {
  const tensors = parseNpz(bytes, { source: where });
  const metaT = member(tensors, 'meta_json', where);
  if (!(metaT.data instanceof Uint8Array)) throw new InputError('ENCODED_DTYPE', `${where}: meta_json must be uint8 bytes`);
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaT.data)) as Record<string, unknown>;
  } catch {
    throw new InputError('ENCODED_META', `${where}: meta_json is not UTF-8 JSON; re-encode with 'imc-sim encode -o'`);
  }
  if (meta === null || typeof meta !== 'object' || typeof meta.format !== 'string') {
    throw new InputError('ENCODED_META', `${where}: meta_json has no 'format'; re-encode with 'imc-sim encode -o'`);
  }
  const K = num(meta, 'K', where), N = num(meta, 'N', where), bw = num(meta, 'b_w', where), R = num(meta, 'R', where);
  if (K < 1 || N < 1) throw new InputError('ENCODED_META', `${where}: meta_json K and N must be ≥ 1`);
  const parsed = parseFormatSpec(meta.format, K);
  const streamT = member(tensors, 'stream', where);
  if (!(streamT.data instanceof Uint8Array)) throw new InputError('ENCODED_DTYPE', `${where}: 'stream' must be uint8`);
  const col = u32(member(tensors, 'seg_col', where), where);
  const base = u32(member(tensors, 'seg_base', where), where);
  const count = u32(member(tensors, 'seg_count', where), where);
  const offT = member(tensors, 'seg_offset', where);
  if (!(offT.data instanceof BigUint64Array)) throw new InputError('ENCODED_DTYPE', `${where}: 'seg_offset' must be uint64; got ${offT.dtype}`);
  const n = col.length;
  if (base.length !== n || count.length !== n || offT.data.length !== n) {
    throw new FormatError('CORRUPT_ENCODING', `${where}: segment table arrays differ in length (${n}, ${base.length}, ${count.length}, ${offT.data.length}); re-encode the matrix`);
  }
  const offset = new Float64Array(n);
  for (let s = 0; s < n; s++) offset[s] = Number(offT.data[s]!);
  const maskT = tensors.find((x) => x.name === 'mask_stream');
  const id = parsed.codec.id as FormatId;
  const encoded: EncodedMatrix = {
    format: parsed.canonical,
    id,
    params: parsed.params,
    rows: K,
    cols: N,
    valueBits: bw,
    segmentRows: R,
    indexFieldBits: num(meta, 'indexFieldBits', where),
    entryBits: num(meta, 'entryBits', where),
    segmentMetadataBits: num(meta, 'segmentMetadataBits', where),
    nnz: num(meta, 'nnz', where),
    stream: streamT.data,
    streamBits: num(meta, 'streamBits', where),
    segments: { length: n, col, base, count, offset },
    storage: meta.storage as StorageFigures,
    ...(maskT && maskT.data instanceof Uint8Array ? { maskStream: maskT.data } : {}),
  };
  const codec = FORMATS[id];
  const q = codec.decode(encoded);
  // Prove the file is exactly what the encoder writes: same stream, same table, same accounting.
  const again = codec.encode(q, parsed.params, { valueBits: bw, segmentRows: R });
  if (!sameEncoding(again, encoded)) {
    throw new FormatError('CORRUPT_ENCODING', `${where}: stream and segment table decode, but do not match what the ${parsed.canonical} encoder writes for the decoded matrix; the file was altered — re-encode it`);
  }
  return { encoded: again, meta: meta as unknown as EncodedFileMeta, q };
}

function equalBytes(a: ArrayLike<number>, b: ArrayLike<number>, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameEncoding(a: EncodedMatrix, b: EncodedMatrix): boolean {
  const ta = a.segments, tb = b.segments;
  if (a.streamBits !== b.streamBits || a.stream.length !== b.stream.length || ta.length !== tb.length || a.nnz !== b.nnz) return false;
  if (a.indexFieldBits !== b.indexFieldBits || a.entryBits !== b.entryBits || a.segmentMetadataBits !== b.segmentMetadataBits) return false;
  if (!equalBytes(a.stream, b.stream, a.stream.length)) return false;
  if ((a.maskStream === undefined) !== (b.maskStream === undefined)) return false;
  if (a.maskStream && b.maskStream && (a.maskStream.length !== b.maskStream.length || !equalBytes(a.maskStream, b.maskStream, a.maskStream.length))) return false;
  const n = ta.length;
  if (!equalBytes(ta.col, tb.col, n) || !equalBytes(ta.base, tb.base, n) || !equalBytes(ta.count, tb.count, n) || !equalBytes(ta.offset, tb.offset, n)) return false;
  const sa = a.storage, sb = b.storage as Partial<StorageFigures> | undefined;
  return !!sb && sa.totalBits === sb.totalBits && sa.valueBits === sb.valueBits && sa.indexBits === sb.indexBits && sa.paddingBits === sb.paddingBits && sa.metadataBits === sb.metadataBits && sa.segments === sb.segments;
}

/**
 * Read an encoded-layer file from disk and decode it (`imc-sim decode`), fully validated as
 * {@link encodedFromNpz}.
 * @throws InputError when the file cannot be read or is not an encoded layer; FormatError when corrupt.
 */
export function decodeEncodedFile(file: string): { encoded: EncodedMatrix; meta: EncodedFileMeta; q: IntMatrix } {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new InputError('IO_READ', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
  }
  return encodedFromNpz(bytes, file);
}
