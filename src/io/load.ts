/**
 * Tensor files from disk: dispatch by magic bytes (npy `\x93NUMPY`, zip `PK\x03\x04` / `PK\x05\x06`,
 * safetensors' u64 header size followed by `{`), pick an array by name, and write files atomically.
 * With `onnx.ts` and `tfjs.ts` (data files next to a model), the only module of the I/O layer that touches the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../errors.js';
import type { Tensor } from './tensor.js';
import { parseNpy, type NpyParseOptions } from './npy.js';
import { parseNpz } from './npz.js';
import { parseOnnx, parseOnnxModel, type OnnxModel } from './onnx.js';
import { parseSafetensors } from './safetensors.js';
import { looksLikeTfjs, parseTfjs } from './tfjs.js';
import { isLegacyTorchPickle, isTorchZip, parseTorchCheckpoint } from './torch-checkpoint.js';
import { readZipDirectory } from './zip-directory.js';

export { tensorToFloat64, numelOf } from './tensor-access.js';

/** The container kinds {@link loadTensorFile} reads. */
export type TensorFileKind = 'npy' | 'npz' | 'safetensors' | 'torch' | 'onnx' | 'tfjs';

/** A loaded file: where it came from, what it was, and its tensors in file order. */
export interface TensorFile {
  readonly path: string;
  readonly kind: TensorFileKind;
  readonly tensors: Tensor[];
}

/** Options of {@link loadTensorFile}. */
export interface LoadOptions extends NpyParseOptions {
  /** Cap on an npz's total inflated size (bytes); see `NPZ_DEFAULT_MAX_TOTAL_BYTES`. */
  readonly maxTotalBytes?: number;
}

/**
 * Identify a container from its first bytes, falling back to the extension.
 * @returns the kind, or `null` when neither magic nor extension is recognised.
 */
export function sniffTensorFileKind(bytes: Uint8Array, filePath: string): TensorFileKind | null {
  if (path.extname(filePath).toLowerCase() === '.json') return looksLikeTfjs(bytes) ? 'tfjs' : null;
  if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55 && bytes[3] === 0x4d && bytes[4] === 0x50 && bytes[5] === 0x59) {
    return 'npy';
  }
  // ZIP local file header, or the end record alone (an empty archive)
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))) {
    return 'npz';
  }
  if (bytes.length >= 9 && bytes[8] === 0x7b /* { */) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
    if (n >= 2n && n <= BigInt(bytes.length - 8)) return 'safetensors';
  }
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.npz') return 'npz';
  if (ext === '.safetensors') return 'safetensors';
  if (ext === '.onnx') return 'onnx'; // protobuf has no magic number
  return null;
}

/**
 * Read a tensor file (`.npy`, `.npz`, `.safetensors`, a `torch.save` `.pt`/`.pth` state dict, an `.onnx` model's initializers, a TF.js `model.json` / weights manifest with its shards).
 * A lone `.npy` yields one tensor named after the file without its extension.
 * @throws InputError naming the path: `IO_NOT_FOUND`, `IO_IS_DIRECTORY`, `IO_EMPTY`, `IO_READ`,
 *   `IO_UNKNOWN_FORMAT`, or any parser error (`NPY_*`, `NPZ_*`, `ST_*`, …; their messages name the path).
 * @example loadTensorFile('fixtures/data/lenet300.npz').tensors[0].shape // [300, 784]
 */
export function loadTensorFile(filePath: string, opts: LoadOptions = {}): TensorFile {
  const bytes = readModelBytes(filePath);
  const kind = sniffTensorFileKind(bytes, filePath);
  if (kind === null && isLegacyTorchPickle(bytes)) {
    throw new InputError('TORCH_LEGACY', `${filePath}: a legacy (pre-1.6) torch.save file, which imc-sim does not unpickle; re-save it in the zip format: torch.save(torch.load(path), new_path) with PyTorch ≥ 1.6`);
  }
  if (kind === null) {
    throw new InputError(
      'IO_UNKNOWN_FORMAT',
      `${filePath}: not a .npy, .npz or .safetensors file (first bytes ${hexPrefix(bytes)}); save weights with numpy.save, numpy.savez, safetensors or torch.save, or give an .onnx model or a TF.js model.json`,
    );
  }
  // Parsers name the file in their messages: we pass the path as `where` / `source`.
  let tensors: Tensor[];
  if (kind === 'npy') {
    const base = path.basename(filePath);
    const name = base.toLowerCase().endsWith('.npy') ? base.slice(0, -4) : base;
    tensors = [parseNpy(bytes, name, { ...opts, where: filePath })];
  } else if (kind === 'npz') {
    // A zip is an npz unless torch.save wrote it (`<archive>/data.pkl`).
    if (isTorchZip(readZipDirectory(bytes, filePath))) return { path: filePath, kind: 'torch', tensors: parseTorchCheckpoint(bytes, filePath) };
    tensors = parseNpz(bytes, { ...opts, source: filePath });
  } else if (kind === 'tfjs') {
    tensors = parseTfjs(bytes, filePath);
  } else if (kind === 'onnx') {
    tensors = parseOnnx(bytes, filePath);
  } else {
    tensors = parseSafetensors(bytes, { source: filePath });
  }
  return { path: filePath, kind, tensors };
}

/**
 * Read an ONNX model with its graph (nodes, inputs, outputs), for translating the graph.
 * @throws InputError as {@link loadTensorFile} does, and `ONNX_*`.
 */
export function loadOnnxModel(filePath: string): OnnxModel {
  return parseOnnxModel(readModelBytes(filePath), filePath);
}

/** A user's model file as bytes, with one InputError per way it can fail. */
function readModelBytes(filePath: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError('IO_NOT_FOUND', `${filePath}: no such file; check the path`);
    throw new InputError('IO_READ', `${filePath}: cannot read (${code ?? (e as Error).message}); check the path and its permissions`);
  }
  if (st.isDirectory()) throw new InputError('IO_IS_DIRECTORY', `${filePath}: is a directory; give a weights file (.npy, .npz, .safetensors, .pt, .onnx, TF.js .json)`);
  if (st.size === 0) throw new InputError('IO_EMPTY', `${filePath}: file is empty; re-save the array`);
  let bytes: Uint8Array;
  try {
    const buf = fs.readFileSync(filePath);
    // A plain Uint8Array view: Buffer overrides slice() with view semantics, which parsers must not meet.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('IO_READ', `${filePath}: cannot read (${code ?? (e as Error).message}); check the path and its permissions`);
  }
  if (bytes.length === 0) throw new InputError('IO_EMPTY', `${filePath}: file is empty; re-save the array`);
  return bytes;
}

function hexPrefix(b: Uint8Array): string {
  return Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Pick one tensor from a loaded file: by name, or the only one when no name is given.
 * @throws InputError `ARRAY_NOT_FOUND` / `ARRAY_AMBIGUOUS` listing the available names.
 */
export function selectArray(file: TensorFile, name?: string): Tensor {
  const names = file.tensors.map((t) => t.name);
  const list = names.length > 0 ? names.map((n) => `'${n}'`).join(', ') : '(none)';
  if (name === undefined) {
    if (file.tensors.length === 1) return file.tensors[0]!;
    throw new InputError('ARRAY_AMBIGUOUS', `${file.path}: holds ${names.length} arrays; choose one by name: ${list}`);
  }
  const t = file.tensors.find((x) => x.name === name);
  if (t === undefined) throw new InputError('ARRAY_NOT_FOUND', `${file.path}: has no array '${name}'; available: ${list}`);
  return t;
}

/**
 * Write `bytes` to `filePath` so that readers see either the old file or the complete new one:
 * write a temporary file in the same directory, fsync it, then rename it over the target.
 * On any error the temporary file is removed and nothing half-written remains.
 * @throws InputError `IO_WRITE` naming the path and the system error.
 */
export function writeFileAtomic(filePath: string, bytes: Uint8Array): void {
  const dir = path.dirname(filePath);
  const tmp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, filePath);
  } catch (e) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing: keep the first error */ }
    }
    try { fs.unlinkSync(tmp); } catch { /* tmp may not exist */ }
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('IO_WRITE', `${filePath}: cannot write (${code ?? (e as Error).message}); check the directory exists and is writable`);
  }
}
