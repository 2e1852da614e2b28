/**
 * PyTorch checkpoints written by `torch.save` (zip format, PyTorch ≥ 1.6): `<archive>/data.pkl` (the
 * pickled object, read by the restricted `torch-pickle.ts` — never executed), `<archive>/data/<key>` (one
 * stored member per storage), `<archive>/byteorder` (`little`/`big`; absent = little).
 *
 * The state dict is the top-level dict, or the dict under `state_dict` / `model_state_dict` / `model` /
 * `net` of a training checkpoint (`{"state_dict": …, "epoch": …}`); non-tensor entries are skipped. A
 * prefix every key shares (`module.` from DataParallel, `model.`) is dropped. Tensors are views
 * (offset, size, stride) into shared storages: each is gathered into C order and checked against its
 * storage's length. `weight_orig`/`weight_mask` pairs (torch.nn.utils.prune) are folded as in `.npz`.
 */
import { InputError } from '../../errors.js';
import { decodeElements, ITEM_BYTES } from './elements.js';
import { mergePrunedPairs } from './npz-postprocess.js';
import type { DType, Tensor, TensorData } from './tensor.js';
import { readTorchPickle, type PickledTensor, type PickleValue } from './torch-pickle.js';
import { readZipDirectory, type ZipMember } from './zip-directory.js';

/** 2^30 elements: a 4 GiB float32 tensor, about what a Node process can hold. */
const MAX_VIEW_ELEMENTS = 2 ** 30;

const DTYPE_OF: Record<string, DType> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool',
};

/** True when a zip's members look like a `torch.save` archive (a `data.pkl` in one top folder). */
export function isTorchZip(members: readonly ZipMember[]): boolean {
  return members.some((m) => /^[^/]+\/data\.pkl$/.test(m.name));
}

/** True for a legacy (pre-1.6) `torch.save` file: a bare pickle, first bytes PROTO 2. */
export function isLegacyTorchPickle(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
}

const isTensor = (v: PickleValue): v is PickledTensor => typeof v === 'object' && v !== null && 'tensorOf' in v;

/**
 * Read a `torch.save` zip checkpoint into tensors, in the state dict's order.
 * @throws InputError `TORCH_*` / `PICKLE_*` naming the file and the problem.
 */
export function parseTorchCheckpoint(bytes: Uint8Array, source: string): Tensor[] {
  const members = readZipDirectory(bytes, source);
  const pkl = members.filter((m) => /^[^/]+\/data\.pkl$/.test(m.name));
  if (pkl.length !== 1) throw new InputError('TORCH_LAYOUT', `${source}: a torch.save archive holds one <name>/data.pkl; found ${pkl.length}`);
  const root = pkl[0]!.name.slice(0, -'data.pkl'.length);
  const byName = new Map(members.map((m) => [m.name, m]));
  const memberBytes = (m: ZipMember): Uint8Array => {
    if (m.method !== 0) throw new InputError('TORCH_LAYOUT', `${source}: member '${m.name}' is compressed (method ${m.method}); torch.save stores members uncompressed — re-save with torch.save`);
    if (m.dataStart + m.compressedSize > bytes.length) throw new InputError('TORCH_TRUNCATED', `${source}: member '${m.name}' runs past the end of the file; the checkpoint is truncated, re-copy it`);
    return bytes.subarray(m.dataStart, m.dataStart + m.compressedSize);
  };
  const order = byName.get(`${root}byteorder`);
  const orderText = order ? new TextDecoder().decode(memberBytes(order)).trim() : 'little';
  if (orderText !== 'little' && orderText !== 'big') throw new InputError('TORCH_LAYOUT', `${source}: byteorder is '${orderText}'; expected little or big`);
  const value = readTorchPickle(memberBytes(pkl[0]!), `${source}: data.pkl`);

  const dict = stateDictOf(value, source);
  const entries = [...dict].filter((e): e is [string, PickledTensor] => typeof e[0] === 'string' && isTensor(e[1]));
  if (entries.length === 0) throw new InputError('TORCH_NO_TENSORS', `${source}: the checkpoint holds no tensors; save a state dict with torch.save(model.state_dict(), path)`);
  const prefix = commonPrefix(entries.map(([k]) => k));
  const storages = new Map<string, TensorData>();
  return mergePrunedPairs(entries.map(([key, t]) => {
    const name = key.slice(prefix.length);
    const dtype = DTYPE_OF[t.tensorOf.storage];
    if (!dtype) throw new InputError('TORCH_DTYPE', `${source}: tensor '${key}' uses ${t.tensorOf.storage}, which imc-sim does not read`);
    let data = storages.get(t.tensorOf.key);
    if (!data) {
      const m = byName.get(`${root}data/${t.tensorOf.key}`);
      if (!m) throw new InputError('TORCH_TRUNCATED', `${source}: storage '${t.tensorOf.key}' of tensor '${key}' is missing; the checkpoint is incomplete, re-save it`);
      const raw = memberBytes(m);
      const need = t.tensorOf.numel * ITEM_BYTES[dtype];
      if (raw.length < need) throw new InputError('TORCH_TRUNCATED', `${source}: storage '${t.tensorOf.key}' has ${raw.length} bytes but claims ${t.tensorOf.numel} elements (${need} bytes); the checkpoint is damaged, re-save it`);
      data = decodeElements(raw.subarray(0, need), dtype, t.tensorOf.numel, orderText === 'little');
      storages.set(t.tensorOf.key, data);
    }
    return { name, dtype, shape: [...t.size], data: gather(data, t, `${source}: tensor '${key}'`) };
  }), source);
}

/** The dict of tensors inside a checkpoint value. */
function stateDictOf(v: PickleValue, source: string): Map<PickleValue, PickleValue> {
  if (!(v instanceof Map)) throw new InputError('TORCH_NOT_STATE_DICT', `${source}: the checkpoint is not a dict of tensors; save model.state_dict(), not the model`);
  for (const k of ['state_dict', 'model_state_dict', 'model', 'net']) {
    const inner = v.get(k);
    if (inner instanceof Map && [...inner.values()].some(isTensor)) return inner;
  }
  return v;
}

/** A `prefix.` (ending in a dot) that every key shares and that is `module.` or `model.`, else ''. */
function commonPrefix(keys: readonly string[]): string {
  for (const p of ['module.', 'model.']) if (keys.every((k) => k.startsWith(p))) return p;
  return '';
}

/** A strided view gathered into a fresh C-order array; the view must lie inside its storage. */
function gather(storage: TensorData, t: PickledTensor, where: string): TensorData {
  const { size, stride, offset } = t;
  if (size.length !== stride.length) throw new InputError('TORCH_LAYOUT', `${where}: size and stride differ in rank`);
  const numel = size.reduce((a, b) => a * b, 1);
  // A view can repeat elements (stride 0), so its size is bounded separately from its storage's.
  if (numel > MAX_VIEW_ELEMENTS) throw new InputError('TORCH_TOO_LARGE', `${where}: ${numel} elements, more than imc-sim reads (${MAX_VIEW_ELEMENTS})`);
  let last = offset;
  for (let i = 0; i < size.length; i++) if (size[i]! > 0) last += (size[i]! - 1) * stride[i]!;
  if (numel > 0 && (offset < 0 || last >= storage.length)) {
    throw new InputError('TORCH_TRUNCATED', `${where}: its view reaches element ${last} of a storage of ${storage.length}; the checkpoint is damaged, re-save it`);
  }
  // The usual case, a C-contiguous view: one copy of its span.
  let contiguous = true;
  for (let d = size.length - 1, want = 1; d >= 0; d--) {
    if (size[d]! !== 1 && stride[d] !== want) contiguous = false;
    want *= size[d]!;
  }
  if (contiguous) return storage.slice(offset, offset + numel) as TensorData;
  const out = new (storage.constructor as new (n: number) => TensorData)(numel);
  const idx = new Array<number>(size.length).fill(0);
  for (let o = 0; o < numel; o++) {
    let at = offset;
    for (let d = 0; d < size.length; d++) at += idx[d]! * stride[d]!;
    (out as unknown as { [i: number]: number | bigint })[o] = storage[at]!;
    for (let d = size.length - 1; d >= 0; d--) {
      if (++idx[d]! < size[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}
