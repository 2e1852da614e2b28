/**
 * scipy `save_npz` archives → one dense matrix.
 *
 * `scipy.sparse.save_npz` writes the keys `format` (a `|S3` byte string: `csr`, `csc`, `coo`, `bsr`, …),
 * `shape` (int64 `[rows, cols]`), `data`, and either `indices` + `indptr` (csr/csc/bsr) or `row` + `col`
 * (coo), plus `_is_array` for sparse *arrays* (scipy ≥ 1.11, `scipy/sparse/_matrix_io.py`).
 * Densifying follows `toarray()`: duplicate entries are summed in the data's dtype (typed-array
 * stores wrap integers exactly as numpy does), the result is C order `[rows, cols]`.
 */
import { InputError } from '../../errors.js';
import type { Tensor, TensorData } from './tensor.js';
import { parseNpy, parseNpyByteString } from './npy.js';
import { tensorToFloat64 } from './tensor-access.js';

/** Largest dense matrix we build from a sparse file: 2^28 elements (1 GiB of float32). */
export const SCIPY_MAX_DENSE_ELEMENTS = 2 ** 28;

const SCIPY_KEYS = new Set(['format', 'shape', 'data', 'indices', 'indptr', 'row', 'col', '_is_array']);

/** True when the member names are exactly a scipy `save_npz` key set. */
export function isScipySparseNpz(members: ReadonlyArray<{ name: string }>): boolean {
  const names = new Set(members.map((m) => m.name));
  if (!names.has('format') || !names.has('shape') || !names.has('data')) return false;
  for (const n of names) if (!SCIPY_KEYS.has(n)) return false;
  return true;
}

function member(members: ReadonlyArray<{ name: string; bytes: Uint8Array }>, name: string, source: string, fmt: string): Tensor {
  const m = members.find((x) => x.name === name);
  if (m === undefined) throw new InputError('SCIPY_MISSING_KEY', `${source}: scipy ${fmt} file has no '${name}' array; re-save it with scipy.sparse.save_npz`);
  return parseNpy(m.bytes, name, { where: `${source}: member '${name}.npy'` });
}

/** An index array as float64, checked to be 1-D integers. */
function indexArray(t: Tensor, source: string): Float64Array {
  if (t.shape.length !== 1 || !/int/.test(t.dtype)) {
    throw new InputError('SCIPY_BAD_ARRAY', `${source}: scipy '${t.name}' must be a 1-D integer array, found ${t.dtype} of shape (${t.shape.join(', ')})`);
  }
  return tensorToFloat64(t);
}

function badIndex(source: string, what: string): InputError {
  return new InputError('SCIPY_BAD_INDEX', `${source}: ${what}; the sparse matrix is corrupt, re-save it with scipy.sparse.save_npz`);
}

/**
 * Densify a scipy `save_npz` archive (csr, csc, coo) into a tensor named `matrix`.
 * @param maxDenseBytes - refuse dense results larger than this (the archive's inflated-size cap).
 * @throws InputError `SCIPY_UNSUPPORTED` (bsr, dia, …), `SCIPY_MISSING_KEY`, `SCIPY_BAD_ARRAY`,
 *   `SCIPY_BAD_INDEX`, `SCIPY_TOO_LARGE`.
 */
export function scipySparseToDense(
  members: ReadonlyArray<{ name: string; bytes: Uint8Array }>,
  source: string,
  maxDenseBytes: number = Infinity,
): Tensor {
  const fm = members.find((x) => x.name === 'format')!;
  const fmt = parseNpyByteString(fm.bytes, `${source}: member 'format.npy'`);
  if (fmt !== 'csr' && fmt !== 'csc' && fmt !== 'coo') {
    throw new InputError('SCIPY_UNSUPPORTED', `${source}: scipy sparse format '${fmt}' is not supported (csr, csc, coo are); convert with m.tocsr() before save_npz`);
  }
  const shapeT = member(members, 'shape', source, fmt);
  const shape = indexArray(shapeT, source);
  if (shape.length !== 2 || !(shape[0]! >= 0) || !(shape[1]! >= 0)) {
    throw new InputError('SCIPY_BAD_ARRAY', `${source}: scipy 'shape' must be two non-negative integers, found [${[...shape].join(', ')}]`);
  }
  const rows = shape[0]!;
  const cols = shape[1]!;
  if (rows * cols > SCIPY_MAX_DENSE_ELEMENTS) {
    throw new InputError('SCIPY_TOO_LARGE', `${source}: a dense ${rows}×${cols} matrix has more than ${SCIPY_MAX_DENSE_ELEMENTS} elements; densify and slice it in Python first`);
  }
  const dataT = member(members, 'data', source, fmt);
  const denseBytes = rows * cols * dataT.data.BYTES_PER_ELEMENT;
  if (denseBytes > maxDenseBytes) {
    throw new InputError('SCIPY_TOO_LARGE', `${source}: a dense ${rows}×${cols} ${dataT.dtype} matrix needs ${denseBytes} bytes, past the limit of ${maxDenseBytes}; densify and slice it in Python first`);
  }
  if (dataT.shape.length !== 1) throw new InputError('SCIPY_BAD_ARRAY', `${source}: scipy 'data' must be 1-D, found shape (${dataT.shape.join(', ')})`);
  const nnz = dataT.data.length;
  // (row, col) of every stored entry, then one scatter.
  const r = new Float64Array(nnz);
  const c = new Float64Array(nnz);
  if (fmt === 'coo') {
    const row = indexArray(member(members, 'row', source, fmt), source);
    const col = indexArray(member(members, 'col', source, fmt), source);
    if (row.length !== nnz || col.length !== nnz) throw badIndex(source, `coo row/col/data lengths differ (${row.length}, ${col.length}, ${nnz})`);
    r.set(row);
    c.set(col);
  } else {
    const major = fmt === 'csr' ? rows : cols;
    const indptr = indexArray(member(members, 'indptr', source, fmt), source);
    const indices = indexArray(member(members, 'indices', source, fmt), source);
    if (indptr.length !== major + 1) throw badIndex(source, `indptr has ${indptr.length} entries, a ${rows}×${cols} ${fmt} needs ${major + 1}`);
    if (indptr[0] !== 0 || indptr[major] !== nnz || indices.length !== nnz) {
      throw badIndex(source, `indptr runs ${indptr[0]}..${indptr[major]} but there are ${indices.length} indices and ${nnz} values`);
    }
    for (let i = 0; i < major; i++) {
      const a = indptr[i]!, b = indptr[i + 1]!;
      if (b < a) throw badIndex(source, `indptr decreases at ${i} (${a} > ${b})`);
      for (let k = a; k < b; k++) {
        if (fmt === 'csr') { r[k] = i; c[k] = indices[k]!; } else { c[k] = i; r[k] = indices[k]!; }
      }
    }
  }
  for (let k = 0; k < nnz; k++) {
    if (!(r[k]! >= 0 && r[k]! < rows && c[k]! >= 0 && c[k]! < cols)) {
      throw badIndex(source, `entry ${k} at (${r[k]}, ${c[k]}) lies outside the ${rows}×${cols} shape`);
    }
  }
  const src = dataT.data;
  const dense = new (src.constructor as new (n: number) => TensorData)(rows * cols);
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    const d = dense as BigInt64Array | BigUint64Array;
    for (let k = 0; k < nnz; k++) { const i = r[k]! * cols + c[k]!; d[i] = d[i]! + src[k]!; }
  } else if (dataT.dtype === 'bool') {
    const d = dense as Uint8Array;
    const s = src as Uint8Array;
    for (let k = 0; k < nnz; k++) { const i = r[k]! * cols + c[k]!; d[i] = d[i]! | s[k]!; }
  } else {
    const d = dense as Float32Array;
    const s = src as Float32Array;
    for (let k = 0; k < nnz; k++) { const i = r[k]! * cols + c[k]!; d[i] = d[i]! + s[k]!; }
  }
  return { name: 'matrix', dtype: dataT.dtype, shape: [rows, cols], data: dense };
}
