/**
 * `.npz` reader and writer: a ZIP of `<name>.npy` members (numpy `savez` / `savez_compressed`).
 *
 * Reading: the central directory gives each member's sizes and offset (`zip-directory.ts`); stored
 * members are sliced, DEFLATE members are inflated with fflate's streaming `Inflate` in small input
 * chunks. The decompression-bomb guard: nothing is allocated until the member's npy header has been
 * inflated; then exactly the size that header promises (which must equal the directory's size) is
 * allocated, and inflation aborts the moment the output passes it. A cap on the archive's total
 * inflated size bounds the rest. Every member's CRC-32 is verified.
 *
 * Then, post-processing (`npz-postprocess.ts`, `scipy-sparse.ts`): pruned-PyTorch `_orig`/`_mask` pairs
 * and NVIDIA ASP masks are folded in, and a scipy `save_npz` file becomes one dense `matrix`.
 */
import { Inflate, zipSync, type Zippable } from 'fflate';
import { ImcError, InputError } from '../../errors.js';
import type { DType, Tensor, TensorData } from './tensor.js';
import { crc32 } from './crc32.js';
import { readZipDirectory, type ZipMember } from './zip-directory.js';
import { encodeNpy, npyPromisedBytes, parseNpy, readNpyLayout, readNpyPrefix, type NpyParseOptions } from './npy.js';
import { isScipySparseNpz, scipySparseToDense } from './scipy-sparse.js';
import { applyAspMasks, mergePrunedPairs } from './npz-postprocess.js';

/** Default cap on the total inflated size of one archive: 4 GiB, about what a Node 20 process can hold. */
export const NPZ_DEFAULT_MAX_TOTAL_BYTES = 4 * 1024 ** 3;
/**
 * DEFLATE's maximum expansion: a 258-byte match coded in 2 bits (1-bit length code + 1-bit distance
 * code) gives 1032:1 (zlib FAQ, "What's the maximum compression ratio?").
 */
const DEFLATE_MAX_RATIO = 1032;
/** Compressed bytes fed to the inflater per step: one step yields at most ~17 MB. */
const INFLATE_CHUNK_BYTES = 16 * 1024;

/** Options of {@link parseNpz}. */
export interface NpzParseOptions extends NpyParseOptions {
  /** Names the archive in error messages (default `npz`). */
  readonly source?: string;
  /** Refuse archives whose members inflate to more than this many bytes in total (default 4 GiB). */
  readonly maxTotalBytes?: number;
}

/** One member, inflated and CRC-checked, with its array name (`.npy` stripped). */
interface RawMember {
  readonly name: string;
  readonly bytes: Uint8Array;
}

function corrupt(where: string, what: string): InputError {
  return new InputError('NPZ_CORRUPT', `${where}: ${what}; the archive is damaged, re-copy or re-save it`);
}

/** Inflate one DEFLATE member into a buffer of exactly the size its npy header promises. */
function inflateMember(comp: Uint8Array, m: ZipMember, where: string, budget: number, opts: NpyParseOptions): Uint8Array {
  let head: Uint8Array = new Uint8Array(0);
  let out: Uint8Array | null = null;
  let len = 0;
  const onChunk = (chunk: Uint8Array): void => {
    if (out === null) {
      const h = new Uint8Array(head.length + chunk.length);
      h.set(head);
      h.set(chunk, head.length);
      head = h;
      const prefix = readNpyPrefix(head, where);
      if (prefix === null || head.length < prefix.dataOffset) return; // header not complete yet
      const promised = npyPromisedBytes(readNpyLayout(head, where), where, opts);
      if (promised !== m.uncompressedSize) {
        throw new InputError(
          'NPZ_SIZE_MISMATCH',
          `${where}: its npy header promises ${promised} bytes but the zip directory says ${m.uncompressedSize}; the archive is damaged or hostile`,
        );
      }
      // A promise no DEFLATE stream of this length can keep: refuse before allocating it.
      if (promised > DEFLATE_MAX_RATIO * m.compressedSize + 1024) {
        throw corrupt(where, `${m.compressedSize} compressed bytes cannot inflate to the ${promised} bytes the npy header promises`);
      }
      if (promised > budget) {
        throw new InputError('NPZ_TOO_LARGE', `${where}: inflates to ${promised} bytes, past the remaining limit of ${budget} bytes for this archive`);
      }
      if (head.length > promised) throw bomb(where, promised);
      out = new Uint8Array(promised);
      out.set(head);
      len = head.length;
      return;
    }
    if (len + chunk.length > out.length) throw bomb(where, out.length);
    out.set(chunk, len);
    len += chunk.length;
  };
  const inf = new Inflate();
  inf.ondata = onChunk;
  try {
    if (comp.length === 0) inf.push(comp, true);
    for (let p = 0; p < comp.length; p += INFLATE_CHUNK_BYTES) {
      inf.push(comp.subarray(p, p + INFLATE_CHUNK_BYTES), p + INFLATE_CHUNK_BYTES >= comp.length);
    }
  } catch (e) {
    if (e instanceof ImcError) throw e;
    throw corrupt(where, `invalid DEFLATE data (${(e as Error).message})`);
  }
  if (out === null) throw corrupt(where, `member inflates to only ${head.length} bytes, ending inside its npy header`);
  const buf: Uint8Array = out;
  if (len !== buf.length) throw corrupt(where, `member inflates to ${len} bytes, its npy header promises ${buf.length}`);
  return buf;
}

function bomb(where: string, promised: number): InputError {
  return new InputError(
    'NPZ_BOMB',
    `${where}: inflates past the ${promised} bytes its npy header promises (a decompression bomb or a damaged archive); refusing to read further`,
  );
}

/** Read, bound, inflate and CRC-check every member. */
function readMembers(bytes: Uint8Array, source: string, opts: NpzParseOptions): RawMember[] {
  const members = readZipDirectory(bytes, source);
  const maxTotal = opts.maxTotalBytes ?? NPZ_DEFAULT_MAX_TOTAL_BYTES;
  let used = 0;
  const out: RawMember[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (m.name.endsWith('/')) continue; // directory entry (re-zipped by hand): holds nothing
    const where = `${source}: member '${m.name}'`;
    if (!m.name.endsWith('.npy')) {
      throw new InputError('NPZ_NOT_NPY', `${where} is not a .npy array; an npz holds only <name>.npy members (save with numpy.savez)`);
    }
    const name = m.name.slice(0, -4);
    if (seen.has(name)) throw new InputError('NPZ_DUPLICATE', `${where} appears twice; re-save the archive with unique names`);
    seen.add(name);
    const comp = bytes.subarray(m.dataStart, m.dataStart + m.compressedSize);
    let data: Uint8Array;
    if (m.method === 0) {
      if (m.compressedSize !== m.uncompressedSize) throw corrupt(where, `stored member has sizes ${m.compressedSize} ≠ ${m.uncompressedSize}`);
      if (m.uncompressedSize > maxTotal - used) {
        throw new InputError('NPZ_TOO_LARGE', `${where}: ${m.uncompressedSize} bytes, past the remaining limit of ${maxTotal - used} bytes for this archive`);
      }
      data = comp;
    } else if (m.method === 8) {
      data = inflateMember(comp, m, where, maxTotal - used, opts);
    } else {
      throw new InputError('NPZ_COMPRESSION', `${where} uses zip compression method ${m.method}; only stored (0) and DEFLATE (8) are supported (use numpy.savez or savez_compressed)`);
    }
    used += data.length;
    const crc = crc32(data);
    if (crc !== m.crc32) {
      throw new InputError('NPZ_CRC', `${where}: CRC-32 is ${hex(crc)} but the archive records ${hex(m.crc32)}; the archive is damaged, re-copy or re-save it`);
    }
    out.push({ name, bytes: data });
  }
  return out;
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/**
 * Parse an `.npz` archive into tensors, in archive order, names without `.npy`.
 *
 * Post-processing: `P_orig` + `P_mask` (torch.nn.utils.prune) become `P = orig × mask`; an NVIDIA ASP
 * `prefix.__P_mma_mask` is applied to `prefix.P` and dropped; a scipy `save_npz` archive (csr, csc,
 * coo) becomes a single dense 2-D tensor named `matrix`.
 * @throws InputError (codes `NPZ_*`, `NPY_*`, `SCIPY_*`, `PRUNE_*`) for anything malformed, hostile or unsupported.
 * @example parseNpz(fs.readFileSync('lenet300.npz')).map((t) => t.name) // ['fc1.weight', 'fc1.bias', …]
 */
export function parseNpz(bytes: Uint8Array, opts: NpzParseOptions = {}): Tensor[] {
  const source = opts.source ?? 'npz';
  const raw = readMembers(bytes, source, opts);
  if (isScipySparseNpz(raw)) return [scipySparseToDense(raw, source, opts.maxTotalBytes ?? NPZ_DEFAULT_MAX_TOTAL_BYTES)];
  const tensors = raw.map((m) => parseNpy(m.bytes, m.name, { ...opts, where: `${source}: member '${m.name}.npy'` }));
  return applyAspMasks(mergePrunedPairs(tensors, source), source);
}

/** One array for {@link encodeNpz}. */
export interface NamedArray {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

/**
 * Write an `.npz` that `numpy.load` opens: one `<name>.npy` member per array (written by
 * {@link encodeNpy}), stored or DEFLATE-compressed, with the fixed timestamp 1980-01-01 so output
 * is deterministic (numpy's `zipfile` default is the same date).
 * @throws InputError `NPZ_ENCODE` on duplicate or empty names, `NPY_ENCODE` on a bad array.
 */
export function encodeNpz(arrays: readonly NamedArray[], opts: { compress?: boolean } = {}): Uint8Array {
  const files: Zippable = {};
  const level = opts.compress ? 6 : 0;
  const mtime = new Date(1980, 0, 1, 0, 0, 0); // fflate encodes local time into the DOS date field
  for (const a of arrays) {
    if (a.name === '' || a.name.includes('/')) {
      throw new InputError('NPZ_ENCODE', `encodeNpz: array name ${JSON.stringify(a.name)} must be non-empty and contain no '/'`);
    }
    const key = `${a.name}.npy`;
    if (Object.prototype.hasOwnProperty.call(files, key)) throw new InputError('NPZ_ENCODE', `encodeNpz: array name '${a.name}' is used twice`);
    files[key] = [encodeNpy(a), { level, mtime }];
  }
  return zipSync(files);
}

