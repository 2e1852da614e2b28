/**
 * Folding pruning masks into the weights they mask, as a state dict's consumer expects.
 *
 * - `torch.nn.utils.prune` replaces parameter `P` by `P_orig` (the dense values) and a buffer `P_mask`
 *   (0/1, same shape); the effective weight is `P_orig * P_mask` (torch `prune.BasePruningMethod.apply_mask`).
 * - NVIDIA ASP (apex `apex/contrib/sparsity/asp.py`) keeps `P` and registers a buffer `__P_mma_mask`
 *   on the same module, so a state dict holds `prefix.P` and `prefix.__P_mma_mask`; the effective weight is
 *   `P * mask`.
 */
import { InputError } from '../../errors.js';
import type { Tensor, TensorData } from './tensor.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `value × mask`, elementwise, in value's dtype. A 64-bit integer value accepts only 0/1 masks. */
function multiplyMask(value: Tensor, mask: Tensor, source: string): TensorData {
  const v = value.data;
  const m = mask.data;
  const n = v.length;
  const out = new (v.constructor as new (n: number) => TensorData)(n);
  const mBig = m instanceof BigInt64Array || m instanceof BigUint64Array;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const o = out as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) {
      const mi = mBig ? Number(m[i] as bigint) : (m[i] as number);
      if (mi !== 0 && mi !== 1) {
        throw new InputError('PRUNE_MASK', `${source}: mask '${mask.name}' holds ${mi} at ${i}; masks of 64-bit integer weights must be 0/1`);
      }
      o[i] = mi === 1 ? v[i]! : 0n;
    }
    return out;
  }
  const o = out as Float32Array;
  const vv = v as Float32Array;
  if (mBig) {
    for (let i = 0; i < n; i++) o[i] = vv[i]! * Number((m as BigInt64Array)[i]!);
  } else {
    const mm = m as Float32Array;
    // float32 × float32 is exact in float64, so one rounding on store: the same as torch's float32 multiply.
    for (let i = 0; i < n; i++) o[i] = vv[i]! * mm[i]!;
  }
  return out;
}

function checkPair(value: Tensor, mask: Tensor, source: string, code: string): void {
  if (!sameShape(value.shape, mask.shape)) {
    throw new InputError(
      code,
      `${source}: '${value.name}' has shape (${value.shape.join(', ')}) but its mask '${mask.name}' has (${mask.shape.join(', ')}); the state dict is inconsistent`,
    );
  }
}

/**
 * Replace every `P_orig` + `P_mask` pair by one tensor `P = orig × mask` (dtype of `P_orig`), at
 * `P_orig`'s position. An `_orig` without a mask is left alone.
 * @throws InputError `PRUNE_SHAPE` on mismatched shapes, `PRUNE_CONFLICT` when `P` also exists.
 */
export function mergePrunedPairs(tensors: readonly Tensor[], source: string): Tensor[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const dropped = new Set<string>();
  const out: Tensor[] = [];
  for (const t of tensors) {
    if (dropped.has(t.name)) continue;
    const base = t.name.endsWith('_orig') ? t.name.slice(0, -5) : undefined;
    const mask = base === undefined ? undefined : byName.get(`${base}_mask`);
    if (base === undefined || mask === undefined) {
      out.push(t);
      continue;
    }
    if (byName.has(base)) {
      throw new InputError('PRUNE_CONFLICT', `${source}: holds '${base}' as well as '${t.name}' + '${mask.name}'; keep one form in the state dict`);
    }
    checkPair(t, mask, source, 'PRUNE_SHAPE');
    out.push({ name: base, dtype: t.dtype, shape: t.shape, data: multiplyMask(t, mask, source) });
    dropped.add(mask.name);
  }
  return out.filter((t) => !dropped.has(t.name));
}

const ASP_MASK = /^(.*)__(.+)_mma_mask$/;

/**
 * Apply every NVIDIA ASP mask `prefix.__P_mma_mask` to `prefix.P` and drop the mask.
 * @throws InputError `ASP_TARGET` when `prefix.P` is missing, `ASP_SHAPE` on mismatched shapes.
 */
export function applyAspMasks(tensors: readonly Tensor[], source: string): Tensor[] {
  const masks = new Map<string, Tensor>(); // target name → mask
  for (const t of tensors) {
    const m = ASP_MASK.exec(t.name);
    if (m) masks.set(`${m[1]}${m[2]}`, t);
  }
  if (masks.size === 0) return [...tensors];
  const names = new Set(tensors.map((t) => t.name));
  for (const [target, mask] of masks) {
    if (!names.has(target)) {
      throw new InputError('ASP_TARGET', `${source}: ASP mask '${mask.name}' has no weight '${target}' to apply to; the state dict is incomplete`);
    }
  }
  const maskNames = new Set([...masks.values()].map((m) => m.name));
  const out: Tensor[] = [];
  for (const t of tensors) {
    if (maskNames.has(t.name)) continue;
    const mask = masks.get(t.name);
    if (mask === undefined) {
      out.push(t);
      continue;
    }
    checkPair(t, mask, source, 'ASP_SHAPE');
    out.push({ name: t.name, dtype: t.dtype, shape: t.shape, data: multiplyMask(t, mask, source) });
  }
  return out;
}
