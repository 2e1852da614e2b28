/**
 * Which arrays of a file a command works on: `--array NAME`, the only array, or — for a model
 * file without `--array` — every array of rank ≥ 2 (rank 0/1 arrays are biases and are skipped).
 */
import { InputError } from '../../errors.js';
import { selectArray, type TensorFile } from './load.js';
import type { Tensor } from './tensor.js';

export function pickLayers(file: TensorFile, array?: string): { tensors: Tensor[]; model: boolean } {
  if (array !== undefined) return { tensors: [selectArray(file, array)], model: false };
  if (file.tensors.length === 1) return { tensors: [file.tensors[0]!], model: false };
  const tensors = file.tensors.filter((t) => t.shape.length >= 2);
  if (tensors.length === 0) {
    throw new InputError('NO_WEIGHT_ARRAYS', `${file.path}: none of its ${file.tensors.length} arrays has rank ≥ 2 (${file.tensors.map((t) => `'${t.name}'`).join(', ')}); nothing to encode`);
  }
  return { tensors, model: true };
}
